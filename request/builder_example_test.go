package request_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// sentBody returns the request body the server received, from
// go-httpbin's echo, which gives a body that is not text as a data: URL.
func sentBody(r *request.Response) string {
	var got struct{ Data string }
	if err := r.JSON(&got); err != nil {
		log.Fatal(err)
	}
	data := got.Data
	if rest, ok := strings.CutPrefix(data, "data:"); ok {
		_, b64, _ := strings.Cut(rest, ";base64,")
		raw, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			log.Fatal(err)
		}
		data = string(raw)
	}
	return data
}

// Body sends a reader as the body, with the Content-Type you give it.
// requests:
//
//	requests.post(url, data=io.StringIO('<item/>'), headers={'Content-Type': 'application/xml'})
func ExampleBuilder_Body() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Post(httpbin.URL+"/anything").
		Header("Content-Type", "application/xml").
		Body(strings.NewReader("<item/>")).
		Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sentBody(r))
	// Output:
	// <item/>
}

// BodyBytes sends a copy of a byte slice as the body. requests:
//
//	requests.put(url, data=b'a,b\n1,2\n', headers={'Content-Type': 'text/csv'})
func ExampleBuilder_BodyBytes() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Put(httpbin.URL+"/anything").
		Header("Content-Type", "text/csv").
		BodyBytes([]byte("a,b\n1,2\n")).
		Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%q\n", sentBody(r))
	// Output:
	// "a,b\n1,2\n"
}

// Form sends a form body, keys sorted. requests:
//
//	requests.post('http://httpbin.org/post', data={'user': 'ada', 'lang': 'go'})
func ExampleBuilder_Form() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Post(httpbin.URL + "/post").Form(url.Values{"user": {"ada"}, "lang": {"go"}}).Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Request().Header.Get("Content-Type"))
	fmt.Println(echoed(r, nil).Form)
	// Output:
	// application/x-www-form-urlencoded
	// map[lang:[go] user:[ada]]
}

// Header sets a header for one call, replacing the session's. requests:
//
//	s.get('http://httpbin.org/headers', headers={'Accept': 'application/json'})
func ExampleBuilder_Header() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New()
	defer s.Close()

	got := echoed(s.Get(httpbin.URL+"/headers").Header("Accept", "application/json").Do(context.Background()))
	fmt.Println(got.Headers["Accept"])
	// Output:
	// [application/json]
}

// Headers sets several headers for one call. requests:
//
//	requests.get(url, headers={'X-Request-Id': '42', 'Accept-Language': 'fr'})
func ExampleBuilder_Headers() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	got := echoed(request.Get(httpbin.URL + "/headers").
		Headers(map[string]string{"X-Request-Id": "42", "Accept-Language": "fr"}).
		Do(context.Background()))
	fmt.Println(got.Headers["X-Request-Id"], got.Headers["Accept-Language"])
	// Output:
	// [42] [fr]
}

// DelHeader leaves a session header out of one call. requests:
//
//	s.get('http://httpbin.org/headers', headers={'X-Tenant': None})
func ExampleBuilder_DelHeader() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetHeader("X-Tenant", "acme")
	defer s.Close()

	got := echoed(s.Get(httpbin.URL + "/headers").DelHeader("X-Tenant").Do(context.Background()))
	fmt.Println(got.Headers["X-Tenant"] == nil, s.Headers().Get("X-Tenant"))
	// Output:
	// true acme
}

// Param sets a query parameter for one call; several values repeat the
// key. requests:
//
//	requests.get('http://httpbin.org/get', params={'q': 'go', 'tag': ['a', 'b']})
func ExampleBuilder_Param() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL+"/get").Param("q", "go").Param("tag", "a", "b").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.URL().RawQuery)
	// Output:
	// q=go&tag=a&tag=b
}

// Params sets several query parameters for one call, in sorted order.
// requests:
//
//	requests.get('http://httpbin.org/get', params={'page': '2', 'per_page': '50'})
func ExampleBuilder_Params() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	got := echoed(request.Get(httpbin.URL + "/get").Params(map[string]string{"per_page": "50", "page": "2"}).Do(context.Background()))
	fmt.Println(got.Args)
	// Output:
	// map[page:[2] per_page:[50]]
}

// ParamValues sets query parameters from url.Values for one call, every
// value of each key. requests:
//
//	requests.get(url, params={'tag': ['go', 'http'], 'page': '2'})
func ExampleBuilder_ParamValues() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	got := echoed(request.Get(httpbin.URL + "/get").ParamValues(url.Values{"tag": {"go", "http"}, "page": {"2"}}).Do(context.Background()))
	fmt.Println(got.Args)
	// Output:
	// map[page:[2] tag:[go http]]
}

// PathParam fills a placeholder of the URL, escaped as one path segment, so
// that one template serves every value. requests:
//
//	s.get('https://api.example.com/users/%s/repos' % quote(user, safe=""), params={'per_page': '50'})
func ExampleBuilder_PathParam() {
	s := client.New().SetBaseURL("https://api.example.com")
	defer s.Close()
	repos := s.Get("/users/{user}/repos").Param("per_page", "50")

	for _, user := range []string{"octocat", "a/b c"} {
		req, err := repos.PathParam("user", user).Prepare(context.Background())
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(req.URL)
	}
	fmt.Println(repos.URL())
	// Output:
	// https://api.example.com/users/octocat/repos?per_page=50
	// https://api.example.com/users/a%2Fb%20c/repos?per_page=50
	// /users/{user}/repos
}

// PathParams fills several placeholders at once. requests:
//
//	requests.get(f'{httpbin}/anything/repos/{owner}/{repo}')
func ExampleBuilder_PathParams() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + "/anything/repos/{owner}/{repo}").
		PathParams(map[string]string{"owner": "golang", "repo": "go"}).
		Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.URL().Path)
	// Output:
	// /anything/repos/golang/go
}

// DelParam leaves a session parameter out of one call. requests:
//
//	s.get(url, params={'debug': None})
func ExampleBuilder_DelParam() {
	s := client.New().SetParam("lang", "en").SetParam("debug", "1")
	defer s.Close()

	req, err := s.Get("http://api.example.com/items").DelParam("debug").Prepare(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(req.URL.RawQuery)
	// Output:
	// lang=en
}

// ClearParams drops every session parameter from one call, as requests
// does when params is a list of pairs; parameters set after it stay.
// requests:
//
//	s.get(url, params=[('q', 'go')])
func ExampleBuilder_ClearParams() {
	s := client.New().SetParam("lang", "en").SetParam("debug", "1")
	defer s.Close()

	req, err := s.Get("http://api.example.com/search").ClearParams().Param("q", "go").Prepare(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(req.URL.RawQuery)
	// Output:
	// q=go
}

// Cookie sends a cookie with one call only; it is not stored. The pair
// goes as it is given, quotes and JSON included. requests:
//
//	s.get('http://httpbin.org/cookies', cookies={'from-my': 'browser', 'prefs': '{"a":1}'})
func ExampleBuilder_Cookie() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New()
	defer s.Close()

	r, err := s.Get(httpbin.URL+"/cookies").
		Cookie("from-my", "browser").
		Cookie("prefs", `{"a":1}`).
		Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Request().Header.Get("Cookie"), s.Jar().Len())
	// Output:
	// from-my=browser; prefs={"a":1} 0
}

// DelCookie keeps a jar cookie out of one call. requests has no
// per-call equivalent; it would take a copy of the jar without it.
func ExampleBuilder_DelCookie() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetCookie("session", "abc").SetCookie("theme", "dark")
	defer s.Close()

	r, err := s.Get(httpbin.URL + "/cookies").DelCookie("session").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Request().Header.Get("Cookie"))
	// Output:
	// theme=dark
}

// FollowRedirects makes a HEAD follow redirects. requests:
//
//	requests.head('http://httpbin.org/redirect/2', allow_redirects=True)
func ExampleBuilder_FollowRedirects() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Head(httpbin.URL + "/redirect/2").FollowRedirects().Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.URL().Path, len(r.History()))
	// Output:
	// 200 /get 2
}

// Method returns the method the builder was made with, e.g. to log a
// request template.
func ExampleBuilder_Method() {
	b := request.Post("https://api.example.com/items").JSON(map[string]int{"n": 1})
	fmt.Println(b.Method())
	// Output:
	// POST
}

// URL returns the URL as given, before a session's base URL is applied.
func ExampleBuilder_URL() {
	s := client.New().SetBaseURL("https://api.example.com/v1")
	defer s.Close()
	b := s.Get("items/7")
	fmt.Println(b.URL())
	// Output:
	// items/7
}

// OnResponse runs a hook on every hop's response of one call; an error
// from it ends the call. requests:
//
//	requests.get(url, hooks={'response': lambda r, *a, **k: r.raise_for_status()})
func ExampleBuilder_OnResponse() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	_, err := request.Get(httpbin.URL + "/status/404").
		OnResponse(func(r *request.Response) error { return r.Err() }).
		Do(context.Background())
	fmt.Println(errors.Is(err, request.ErrHook), errors.Is(err, request.ErrStatus))
	// Output:
	// true true
}

// NoRetry sends one call once, whatever the session's retry policy, e.g.
// a call that must not be repeated although the policy lists its method.
// requests retries per mounted adapter, so it would need a second session.
func ExampleBuilder_NoRetry() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetRetry(request.Retry{Attempts: 3, Methods: []string{"GET", "POST"}})
	defer s.Close()

	r, err := s.Post(httpbin.URL + "/status/503").NoRetry().Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.Attempts())
	// Output:
	// 503 1
}

// Timeout bounds one call, redirects and body included. requests:
//
//	requests.get('http://httpbin.org/delay/1', timeout=0.05)
func ExampleBuilder_Timeout() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	_, err := request.Get(httpbin.URL + "/delay/1").Timeout(50 * time.Millisecond).Do(context.Background())
	fmt.Println(errors.Is(err, request.ErrTimeout))
	// Output:
	// true
}

// ReadTimeout bounds each wait for the server, the second element of
// requests' timeout=(connect, read). requests:
//
//	requests.get('http://httpbin.org/delay/1', timeout=(3.05, 0.05))
func ExampleBuilder_ReadTimeout() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	_, err := request.Get(httpbin.URL + "/delay/1").ReadTimeout(50 * time.Millisecond).Do(context.Background())
	fmt.Println(errors.Is(err, request.ErrReadTimeout), errors.Is(err, request.ErrConnectTimeout))
	// Output:
	// true false
}

// ConnectTimeout bounds making the connection, TLS handshake included:
// here to a server that accepts but never answers the handshake. requests:
//
//	requests.get(url, timeout=(0.05, 27))
func ExampleBuilder_ConnectTimeout() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	var mu sync.Mutex
	var held []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c) // never answered
			mu.Unlock()
		}
	}()
	defer func() {
		ln.Close()
		mu.Lock()
		for _, c := range held {
			c.Close()
		}
		mu.Unlock()
	}()

	_, err = request.Get("https://" + ln.Addr().String() + "/").ConnectTimeout(50 * time.Millisecond).Do(context.Background())
	fmt.Println(errors.Is(err, request.ErrConnectTimeout), errors.Is(err, request.ErrTimeout), errors.Is(err, request.ErrConnection))
	// Output:
	// true true true
}

// Trace fills the response's Timings for one call.
func ExampleBuilder_Trace() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + "/get").Trace().Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	t := r.Timings()
	fmt.Println(t.Connect > 0, t.TLS == 0, t.FirstByte <= t.Total)
	// Output:
	// true true true
}

// Verify(false) skips certificate checks for one call, requests'
// verify=False. requests:
//
//	requests.get('https://self-signed.test/', verify=False)
func ExampleBuilder_Verify() {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "self-signed")
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is logged otherwise
	srv.StartTLS()
	defer srv.Close()

	_, err := request.Get(srv.URL).Do(context.Background())
	fmt.Println(errors.Is(err, request.ErrTLS))
	r, err := request.Get(srv.URL).Verify(false).Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Text())
	// Output:
	// true
	// self-signed
}

// Proxy sends one call through a proxy. requests:
//
//	requests.get('http://httpbin.org/get', proxies={'all': 'http://127.0.0.1:3128'})
func ExampleBuilder_Proxy() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	proxy := testserver.StartProxy()
	defer proxy.Close()

	r, err := request.Get(httpbin.URL + "/get").Proxy(proxy.URL).Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	e := proxy.Entries()
	fmt.Println(r.StatusCode(), len(e), e[0].Method, e[0].Target == httpbin.URL+"/get")
	// Output:
	// 200 1 GET true
}

// NoProxy sends one call directly, whatever the session and the
// environment say. requests:
//
//	s.get(url, proxies={'all': None})  # ... with trust_env off
func ExampleBuilder_NoProxy() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetProxy("http://127.0.0.1:1") // no proxy listens there
	defer s.Close()

	_, err := s.Get(httpbin.URL + "/get").Do(context.Background())
	fmt.Println(errors.Is(err, request.ErrProxy))
	r, err := s.Get(httpbin.URL + "/get").NoProxy().Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode())
	// Output:
	// true
	// 200
}

// Proxies sets one call's proxies, keyed as requests' proxies=. A key that
// matches the URL decides, over the session's proxies; a URL none of its
// keys matches goes by the session's. requests:
//
//	s.get(url, proxies={'http': proxy, 'https': '', 'no_proxy': 'intranet.test'})
func ExampleBuilder_Proxies() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	proxy := testserver.StartProxy()
	defer proxy.Close()
	s := client.New().SetProxy("http://127.0.0.1:1") // no proxy listens there
	defer s.Close()

	r, err := s.Get(httpbin.URL + "/get").
		Proxies(map[string]string{"http": proxy.URL, "https": "", "no_proxy": "intranet.test"}).
		Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	e := proxy.Entries()
	fmt.Println(r.StatusCode(), len(e), e[0].Target == httpbin.URL+"/get")
	_, err = s.Get(httpbin.URL + "/get").Proxies(map[string]string{"https": proxy.URL}).Do(context.Background())
	fmt.Println(errors.Is(err, request.ErrProxy))
	// Output:
	// 200 1 true
	// true
}

// DownloadProgress reports the bytes of the response as they arrive, e.g.
// for a progress bar.
func ExampleBuilder_DownloadProgress() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	var done, total int64
	_, err := request.Get(httpbin.URL + "/bytes/65536").
		DownloadProgress(func(d, t int64) { done, total = d, t }).
		Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(done, "of", total)
	// Output:
	// 65536 of 65536
}

// multipartParts prints the headers and contents of the parts of a
// prepared multipart request.
func multipartParts(req *http.Request) {
	_, params, err := mime.ParseMediaType(req.Header.Get("Content-Type"))
	if err != nil {
		log.Fatal(err)
	}
	mr := multipart.NewReader(req.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return
		}
		if err != nil {
			log.Fatal(err)
		}
		data, _ := io.ReadAll(p)
		fmt.Printf("%s | %s | %s | %q\n", p.Header.Get("Content-Disposition"), p.Header.Get("Content-Type"), p.Header.Get("X-Origin"), data)
	}
}

// PartContentType sets a file part's Content-Type. requests:
//
//	files={'avatar': ('me.png', data, 'image/png')}
func ExamplePartContentType() {
	req, err := request.Post("http://api.example.com/upload").
		File("avatar", "me.png", strings.NewReader("\x89PNG"), request.PartContentType("image/png")).
		Prepare(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	multipartParts(req)
	// Output:
	// form-data; name="avatar"; filename="me.png" | image/png |  | "\x89PNG"
}

// PartHeader adds a header to a file part. requests:
//
//	files={'log': ('app.log', data, 'text/plain', {'X-Origin': 'web-1'})}
func ExamplePartHeader() {
	req, err := request.Post("http://api.example.com/upload").
		File("log", "app.log", strings.NewReader("started"), request.PartContentType("text/plain"), request.PartHeader("X-Origin", "web-1")).
		Prepare(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	multipartParts(req)
	// Output:
	// form-data; name="log"; filename="app.log" | text/plain | web-1 | "started"
}

// PartNoFilename sends a part without a filename: a form field read from
// a reader. requests:
//
//	files={'comment': (None, 'looks good')}
func ExamplePartNoFilename() {
	req, err := request.Post("http://api.example.com/upload").
		File("comment", "", strings.NewReader("looks good"), request.PartNoFilename()).
		Prepare(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	multipartParts(req)
	// Output:
	// form-data; name="comment" |  |  | "looks good"
}
