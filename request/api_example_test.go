package request_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/url"
	"os"

	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// binEcho is the part of go-httpbin's JSON answer (/get, /post, /put,
// /patch, /delete, /anything, /headers) that the Examples print.
type binEcho struct {
	Method  string
	Args    map[string][]string
	Headers map[string][]string
	Form    map[string][]string
	Data    string
	JSON    any
}

// echoed decodes go-httpbin's JSON echo of a request, as Do returned it.
func echoed(r *request.Response, err error) binEcho {
	if err != nil {
		log.Fatal(err)
	}
	var got binEcho
	if err := r.JSON(&got); err != nil {
		log.Fatal(err)
	}
	return got
}

// setenv sets environment variables (name, value, name, value, ...) and
// returns a function that restores them.
func setenv(kv ...string) (restore func()) {
	var undo []func()
	for i := 0; i+1 < len(kv); i += 2 {
		name := kv[i]
		old, had := os.LookupEnv(name)
		os.Setenv(name, kv[i+1])
		undo = append(undo, func() {
			if had {
				os.Setenv(name, old)
			} else {
				os.Unsetenv(name)
			}
		})
	}
	return func() {
		for _, u := range undo {
			u()
		}
	}
}

// Get sends a GET without a session. requests:
//
//	r = requests.get('http://httpbin.org/get', params={'q': 'go'})
func ExampleGet() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL+"/get").Param("q", "go").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.URL().RawQuery)
	// Output:
	// 200 q=go
}

// Post sends a POST without a session. requests:
//
//	r = requests.post('http://httpbin.org/post', json={'name': 'tether'})
func ExamplePost() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	got := echoed(request.Post(httpbin.URL + "/post").JSON(map[string]string{"name": "tether"}).Do(context.Background()))
	fmt.Println(got.JSON, got.Headers["Content-Type"])
	// Output:
	// map[name:tether] [application/json]
}

// Put sends a PUT without a session. requests:
//
//	r = requests.put('http://httpbin.org/put', data={'name': 'tether'})
func ExamplePut() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	got := echoed(request.Put(httpbin.URL + "/put").Form(url.Values{"name": {"tether"}}).Do(context.Background()))
	fmt.Println(got.Method, got.Form)
	// Output:
	// PUT map[name:[tether]]
}

// Patch sends a PATCH without a session. requests:
//
//	r = requests.patch('http://httpbin.org/patch', json={'done': True})
func ExamplePatch() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	got := echoed(request.Patch(httpbin.URL + "/patch").JSON(map[string]bool{"done": true}).Do(context.Background()))
	fmt.Println(got.Method, got.JSON)
	// Output:
	// PATCH map[done:true]
}

// Delete sends a DELETE without a session. requests:
//
//	r = requests.delete('http://httpbin.org/delete')
func ExampleDelete() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	got := echoed(request.Delete(httpbin.URL + "/delete").Do(context.Background()))
	fmt.Println(got.Method)
	// Output:
	// DELETE
}

// Head sends a HEAD without a session; as requests.head, it does not
// follow redirects. requests:
//
//	r = requests.head('http://httpbin.org/redirect/1')
func ExampleHead() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Head(httpbin.URL + "/redirect/1").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.Header().Get("Location"))
	// Output:
	// 302 /get
}

// Options sends an OPTIONS without a session. requests:
//
//	r = requests.options('http://httpbin.org/get')
func ExampleOptions() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Options(httpbin.URL + "/get").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.Header().Get("Access-Control-Allow-Methods"))
	// Output:
	// 200 GET, POST, HEAD, PUT, DELETE, PATCH, OPTIONS
}

// New sends any method without a session. requests:
//
//	r = requests.request('PURGE', 'http://httpbin.org/anything/cache')
func ExampleNew() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	got := echoed(request.New("PURGE", httpbin.URL+"/anything/cache").Do(context.Background()))
	fmt.Println(got.Method)
	// Output:
	// PURGE
}

// CloseIdleConnections closes the pooled connections of the package-level
// functions; the next call opens a new one.
func ExampleCloseIdleConnections() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	ctx := context.Background()

	for _, path := range []string{"/get", "/get"} {
		if _, err := request.Get(httpbin.URL + path).Do(ctx); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println(httpbin.Conns(), "connection")
	request.CloseIdleConnections()
	if _, err := request.Get(httpbin.URL + "/get").Do(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println(httpbin.Conns(), "connections")
	// Output:
	// 1 connection
	// 2 connections
}

// CheckHeader validates a header (from a config file, say) before it is
// set, as SetHeader and Header would.
func ExampleCheckHeader() {
	fmt.Println(request.CheckHeader("X-Api-Key", "s3cr3t"))
	err := request.CheckHeader("X-Api-Key", "s3cr3t\r\nX-Admin: 1")
	fmt.Println(errors.Is(err, request.ErrInvalidHeader))
	err = request.CheckHeader("X Api Key", "s3cr3t")
	fmt.Println(errors.Is(err, request.ErrInvalidHeader))
	// Output:
	// <nil>
	// true
	// true
}

// CheckRetry validates a retry policy before a session or a call takes it.
func ExampleCheckRetry() {
	fmt.Println(request.CheckRetry(request.Retry{Attempts: 3, Statuses: []int{502, 503}}))
	err := request.CheckRetry(request.Retry{Attempts: 3, Statuses: []int{5003}})
	fmt.Println(errors.Is(err, request.ErrInvalidOption))
	// Output:
	// <nil>
	// true
}

// EnvProxy is the proxy the environment names for a URL, read now, as
// requests.utils.get_environ_proxies reads it.
func ExampleEnvProxy() {
	defer setenv("https_proxy", "http://proxy.internal:3128", "no_proxy", "intranet.example.com")()

	for _, raw := range []string{"https://api.example.com/", "https://intranet.example.com/"} {
		u, _ := url.Parse(raw)
		p, err := request.EnvProxy(u)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.Host, "->", p)
	}
	// Output:
	// api.example.com -> http://proxy.internal:3128
	// intranet.example.com -> <nil>
}

// CheckProxies says what SetProxies and Builder.Proxies would refuse in a
// proxies map: here a value of a scheme no proxy speaks.
func ExampleCheckProxies() {
	err := request.CheckProxies(map[string]string{
		"https":    "proxy.internal:3128",
		"no_proxy": "localhost,.internal",
		"http":     "ftp://proxy.internal",
	})
	fmt.Println(errors.Is(err, request.ErrInvalidOption))
	// Output:
	// true
}

// ParseProxy reads a proxy URL as requests does: no scheme means http.
func ExampleParseProxy() {
	for _, raw := range []string{"proxy.internal:3128", "socks5h://user:pw@127.0.0.1:1080"} {
		u, err := request.ParseProxy(raw)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.Redacted())
	}
	// Output:
	// http://proxy.internal:3128
	// socks5h://user:xxxxx@127.0.0.1:1080
}
