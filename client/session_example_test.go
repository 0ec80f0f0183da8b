package client_test

import (
	"context"
	"fmt"
	"log"
	"net/url"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/jar"
)

// httpbinEcho is the part of go-httpbin's JSON answer (/get, /post, /put,
// /patch, /delete, /anything) that the Examples print.
type httpbinEcho struct {
	Method  string
	Args    map[string][]string
	Headers map[string][]string
	Form    map[string][]string
	Data    string
	JSON    any
}

// echoOf decodes go-httpbin's JSON echo of a request, as a Do returned it.
func echoOf(r interface{ JSON(any) error }, err error) httpbinEcho {
	if err != nil {
		log.Fatal(err)
	}
	var got httpbinEcho
	if err := r.JSON(&got); err != nil {
		log.Fatal(err)
	}
	return got
}

// New makes a session with requests' defaults. requests:
//
//	s = requests.Session()
func ExampleNew() {
	s := client.New()
	defer s.Close()
	fmt.Println(s.Headers().Get("Accept"), s.MaxRedirects(), s.Timeout(), s.Jar().Len(), s.Err())
	// Output:
	// */* 30 0s 0 <nil>
}

// Get spawns a GET request, sent by Do. requests:
//
//	r = s.get('http://httpbin.org/get', params={'q': 'go'})
func ExampleSession_Get() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New()
	defer s.Close()

	got := echoOf(s.Get(httpbin.URL+"/get").Param("q", "go").Do(context.Background()))
	fmt.Println(got.Method, got.Args)
	// Output:
	// GET map[q:[go]]
}

// Post spawns a POST request; Form sends a form body. requests:
//
//	r = s.post('http://httpbin.org/post', data={'name': 'tether'})
func ExampleSession_Post() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New()
	defer s.Close()

	got := echoOf(s.Post(httpbin.URL + "/post").Form(url.Values{"name": {"tether"}}).Do(context.Background()))
	fmt.Println(got.Method, got.Form, got.Headers["Content-Type"])
	// Output:
	// POST map[name:[tether]] [application/x-www-form-urlencoded]
}

// Put spawns a PUT request. requests:
//
//	r = s.put('http://httpbin.org/put', json={'id': 7})
func ExampleSession_Put() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New()
	defer s.Close()

	got := echoOf(s.Put(httpbin.URL + "/put").JSON(map[string]int{"id": 7}).Do(context.Background()))
	fmt.Println(got.Method, got.JSON)
	// Output:
	// PUT map[id:7]
}

// Patch spawns a PATCH request. requests:
//
//	r = s.patch('http://httpbin.org/patch', data='name=new',
//	            headers={'Content-Type': 'text/plain'})
func ExampleSession_Patch() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New()
	defer s.Close()

	got := echoOf(s.Patch(httpbin.URL+"/patch").Header("Content-Type", "text/plain").BodyBytes([]byte("name=new")).Do(context.Background()))
	fmt.Println(got.Method, got.Data)
	// Output:
	// PATCH name=new
}

// Delete spawns a DELETE request. requests:
//
//	r = s.delete('http://httpbin.org/delete')
func ExampleSession_Delete() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New()
	defer s.Close()

	r, err := s.Delete(httpbin.URL + "/delete").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Request().Method, r.StatusCode())
	// Output:
	// DELETE 200
}

// Head does not follow redirects, as requests' s.head; FollowRedirects
// asks it to. requests:
//
//	r = s.head('http://httpbin.org/redirect/1')
//	r = s.head('http://httpbin.org/redirect/1', allow_redirects=True)
func ExampleSession_Head() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New()
	defer s.Close()

	r, err := s.Head(httpbin.URL + "/redirect/1").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.Header().Get("Location"), len(r.Bytes()))
	r, err = s.Head(httpbin.URL + "/redirect/1").FollowRedirects().Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.URL().Path)
	// Output:
	// 302 /get 0
	// 200 /get
}

// Options spawns an OPTIONS request, e.g. to see which methods a server
// allows. requests:
//
//	r = s.options('http://httpbin.org/get')
func ExampleSession_Options() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New()
	defer s.Close()

	r, err := s.Options(httpbin.URL + "/get").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.Header().Get("Access-Control-Allow-Methods"))
	// Output:
	// 200 GET, POST, HEAD, PUT, DELETE, PATCH, OPTIONS
}

// Request spawns a request for any method. Like requests' s.request, it
// follows redirects whatever the method, HEAD included. requests:
//
//	r = s.request('HEAD', 'http://httpbin.org/redirect/1')
func ExampleSession_Request() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New()
	defer s.Close()

	r, err := s.Request("HEAD", httpbin.URL+"/redirect/1").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.URL().Path, len(r.History()))
	// Output:
	// 200 /get 1
}

// SetBaseURL lets requests name paths only, as requests-toolbelt's
// BaseUrlSession does:
//
//	s = BaseUrlSession(base_url='http://httpbin.org/anything/v1/')
//	r = s.get('users')
func ExampleSession_SetBaseURL() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetBaseURL(httpbin.URL + "/anything/v1")
	defer s.Close()

	for _, path := range []string{"users", "/users/7", "?page=2"} {
		r, err := s.Get(path).Do(context.Background())
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(r.URL().RequestURI())
	}
	// Output:
	// /anything/v1/users
	// /anything/v1/users/7
	// /anything/v1?page=2
}

// BaseURL returns the base URL set with SetBaseURL.
func ExampleSession_BaseURL() {
	s := client.New().SetBaseURL("https://api.example.com/v1")
	defer s.Close()
	fmt.Printf("%q\n", s.BaseURL())
	fmt.Printf("%q\n", s.SetBaseURL("").BaseURL())
	// Output:
	// "https://api.example.com/v1"
	// ""
}

// SetHeader sets a header sent with every request. requests:
//
//	s.headers['X-Api-Key'] = 's3cr3t'
func ExampleSession_SetHeader() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetHeader("X-Api-Key", "s3cr3t").SetHeader("X-Tag", "a", "b")
	defer s.Close()

	got := echoOf(s.Get(httpbin.URL + "/headers").Do(context.Background()))
	fmt.Println(got.Headers["X-Api-Key"], got.Headers["X-Tag"])
	// Output:
	// [s3cr3t] [a b]
}

// SetHeaders sets several headers at once. requests:
//
//	s.headers.update({'User-Agent': 'my-app/1.0', 'Accept': 'application/json'})
func ExampleSession_SetHeaders() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetHeaders(map[string]string{
		"User-Agent": "my-app/1.0",
		"Accept":     "application/json",
	})
	defer s.Close()

	got := echoOf(s.Get(httpbin.URL + "/headers").Do(context.Background()))
	fmt.Println(got.Headers["User-Agent"], got.Headers["Accept"])
	// Output:
	// [my-app/1.0] [application/json]
}

// Headers returns a copy of the session's headers: changing it does not
// change the session. requests:
//
//	print(s.headers['Accept'])
func ExampleSession_Headers() {
	s := client.New().SetHeader("X-Api-Key", "s3cr3t")
	defer s.Close()

	h := s.Headers()
	fmt.Println(h.Get("Accept"), h.Get("X-Api-Key"))
	h.Del("X-Api-Key")
	fmt.Println(s.Headers().Get("X-Api-Key"))
	// Output:
	// */* s3cr3t
	// s3cr3t
}

// DelHeader removes a default header from the session. requests:
//
//	del s.headers['Accept-Encoding']
func ExampleSession_DelHeader() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().DelHeader("Accept-Encoding")
	defer s.Close()

	r, err := s.Get(httpbin.URL + "/get").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	_, sent := r.Request().Header["Accept-Encoding"]
	fmt.Println(sent)
	// Output:
	// false
}

// SetParam sets a query parameter sent with every request. requests:
//
//	s.params['lang'] = 'en'
func ExampleSession_SetParam() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetParam("lang", "en").SetParam("tag", "go", "http")
	defer s.Close()

	got := echoOf(s.Get(httpbin.URL+"/get").Param("q", "tether").Do(context.Background()))
	fmt.Println(got.Args)
	// Output:
	// map[lang:[en] q:[tether] tag:[go http]]
}

// SetParams sets several query parameters, new keys in sorted order.
// requests:
//
//	s.params.update({'page': '1', 'lang': 'en'})
func ExampleSession_SetParams() {
	s := client.New().SetParams(map[string]string{"page": "1", "lang": "en"})
	defer s.Close()

	req, err := s.Get("http://api.example.com/items").Prepare(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(req.URL)
	// Output:
	// http://api.example.com/items?lang=en&page=1
}

// SetParamValues sets default query parameters from url.Values, every
// value of each key. requests:
//
//	s.params.update({'tag': ['go', 'http'], 'lang': 'en'})
func ExampleSession_SetParamValues() {
	s := client.New().SetParamValues(url.Values{"tag": {"go", "http"}, "lang": {"en"}})
	defer s.Close()

	req, err := s.Get("http://api.example.com/items").Prepare(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(req.URL)
	// Output:
	// http://api.example.com/items?lang=en&tag=go&tag=http
}

// Params returns a copy of the session's query parameters.
func ExampleSession_Params() {
	s := client.New().SetParam("lang", "en").SetParam("tag", "go", "http")
	defer s.Close()
	fmt.Println(s.Params())
	fmt.Println(s.Params().Encode())
	// Output:
	// map[lang:[en] tag:[go http]]
	// lang=en&tag=go&tag=http
}

// ParamList returns the query parameters in the order they are sent.
func ExampleSession_ParamList() {
	s := client.New().SetParam("z", "1").SetParam("a", "2").SetParam("z", "3")
	defer s.Close()
	for _, p := range s.ParamList() {
		fmt.Println(p.Key, p.Values)
	}
	// Output:
	// z [3]
	// a [2]
}

// DelParam removes a query parameter from the session. requests:
//
//	del s.params['debug']
func ExampleSession_DelParam() {
	s := client.New().SetParam("lang", "en").SetParam("debug", "1")
	defer s.Close()
	s.DelParam("debug")

	req, err := s.Get("http://api.example.com/items").Prepare(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(req.URL.RawQuery)
	// Output:
	// lang=en
}

// A jar for one call, like requests' cookies=other_jar: the cookies that
// jar would send to the URL go as the call's cookies, and the session's
// jar keeps none of them. requests:
//
//	r = s.get('http://httpbin.org/cookies', cookies=other_jar)
func ExampleSession_Get_cookieJar() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New()
	defer s.Close()

	other := jar.New()
	if err := other.Set("sid", "abc", jar.Domain("127.0.0.1")); err != nil {
		log.Fatal(err)
	}
	if err := other.Set("theme", "dark", jar.Domain("example.com")); err != nil {
		log.Fatal(err)
	}
	u, err := url.Parse(httpbin.URL + "/cookies")
	if err != nil {
		log.Fatal(err)
	}
	b := s.Get(u.String())
	for _, c := range other.Cookies(u) {
		b = b.Cookie(c.Name, c.Value)
	}
	var got struct{ Cookies map[string]string }
	r, err := b.Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	if err := r.JSON(&got); err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Cookies, s.Jar().Len())
	// Output:
	// map[sid:abc] 0
}

// Clone gives a second session with the same defaults, here one per
// tenant: each clone then gets its own token and keeps its own cookies,
// over the connections of the session it was cloned from.
func ExampleSession_Clone() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	base := client.New().SetBaseURL(httpbin.URL).SetHeader("X-App", "billing")
	defer base.Close()

	acme := base.Clone().SetBearerToken("acme-token")
	got := echoOf(acme.Get("/headers").Do(context.Background()))
	fmt.Println(got.Headers["X-App"], got.Headers["Authorization"])
	fmt.Println(base.Auth() == nil)
	// Output:
	// [billing] [Bearer acme-token]
	// true
}
