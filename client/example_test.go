package client_test

import (
	"context"
	"fmt"
	"log"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
)

// The Examples run against tether's embedded go-httpbin; with httpbin.org
// the code is the same with its URL.

// Sessions persist cookies across requests. requests:
//
//	s = requests.Session()
//	s.get('http://httpbin.org/cookies/set/sessioncookie/123456789')
//	r = s.get('http://httpbin.org/cookies')
//	print(r.text)
func Example_persistCookies() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	ctx := context.Background()

	s := client.New()
	defer s.Close()
	if _, err := s.Get(httpbin.URL + "/cookies/set/sessioncookie/123456789").Do(ctx); err != nil {
		log.Fatal(err)
	}
	r, err := s.Get(httpbin.URL + "/cookies").Do(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(r.Text())
	// Output:
	// {
	//   "cookies": {
	//     "sessioncookie": "123456789"
	//   }
	// }
}

// Session defaults (auth, headers) are merged with method-level values.
// requests:
//
//	s = requests.Session()
//	s.auth = ('user', 'pass')
//	s.headers.update({'x-test': 'true'})
//	# both 'x-test' and 'x-test2' are sent
//	s.get('http://httpbin.org/headers', headers={'x-test2': 'true'})
func Example_sessionDefaults() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	s := client.New().
		SetBasicAuth("user", "pass").
		SetHeaders(map[string]string{"x-test": "true"})
	defer s.Close()

	// both 'x-test' and 'x-test2' are sent
	r, err := s.Get(httpbin.URL+"/headers").Header("x-test2", "true").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	var got struct{ Headers map[string][]string }
	if err := r.JSON(&got); err != nil {
		log.Fatal(err)
	}
	for _, name := range []string{"X-Test", "X-Test2", "Authorization"} {
		fmt.Println(name+":", got.Headers[name])
	}
	// Output:
	// X-Test: [true]
	// X-Test2: [true]
	// Authorization: [Basic dXNlcjpwYXNz]
}

// Method-level values are not persisted: this cookie is sent with the first
// request only. requests:
//
//	s = requests.Session()
//	r = s.get('http://httpbin.org/cookies', cookies={'from-my': 'browser'})
//	print(r.text)
//	r = s.get('http://httpbin.org/cookies')
//	print(r.text)
func Example_methodCookiesNotPersisted() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	ctx := context.Background()

	s := client.New()
	defer s.Close()
	r, err := s.Get(httpbin.URL+"/cookies").Cookie("from-my", "browser").Do(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(r.Text())

	r, err = s.Get(httpbin.URL + "/cookies").Do(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(r.Text())
	// Output:
	// {
	//   "cookies": {
	//     "from-my": "browser"
	//   }
	// }
	// {
	//   "cookies": {}
	// }
}

// A session used as a context manager becomes defer s.Close(): it releases
// the pooled connections however the function returns. requests:
//
//	with requests.Session() as s:
//	    s.get('http://httpbin.org/cookies/set/sessioncookie/123456789')
func Example_close() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	s := client.New()
	defer s.Close()
	if _, err := s.Get(httpbin.URL + "/cookies/set/sessioncookie/123456789").Do(context.Background()); err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Jar().Map())
	// Output:
	// map[sessioncookie:123456789]
}

// To leave a session value out of one request, remove it on the request:
// what setting it to None does in requests.
//
//	s = requests.Session()
//	s.headers.update({'x-test': 'true'})
//	s.get('http://httpbin.org/headers', headers={'x-test': None})
func Example_removeSessionValue() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	ctx := context.Background()

	s := client.New().SetHeader("x-test", "true").SetParam("page", "1")
	defer s.Close()

	r, err := s.Get(httpbin.URL + "/get").DelHeader("x-test").DelParam("page").Do(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("x-test sent: %t, query: %q\n", r.Request().Header.Get("X-Test") != "", r.Request().URL.RawQuery)

	r, err = s.Get(httpbin.URL + "/get").Do(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("x-test sent: %t, query: %q\n", r.Request().Header.Get("X-Test") != "", r.Request().URL.RawQuery)
	// Output:
	// x-test sent: false, query: ""
	// x-test sent: true, query: "page=1"
}

// All values a session holds are available from its getters.
func Example_sessionValues() {
	s := client.New().
		SetBaseURL("https://api.example.com/v1").
		SetHeader("x-test", "true").
		SetParam("lang", "en").
		SetBasicAuth("user", "pass").
		SetCookie("theme", "dark")
	defer s.Close()

	fmt.Println("base URL:", s.BaseURL())
	fmt.Println("headers:", s.Headers())
	fmt.Println("params:", s.Params())
	fmt.Println("auth:", s.Auth())
	fmt.Println("cookies:", s.Jar().Map())
	fmt.Println("max redirects:", s.MaxRedirects())
	// Output:
	// base URL: https://api.example.com/v1
	// headers: map[Accept:[*/*] Accept-Encoding:[gzip, deflate, br, zstd] User-Agent:[tether/0.1.0] X-Test:[true]]
	// params: map[lang:[en]]
	// auth: BasicAuth{user:***}
	// cookies: map[theme:dark]
	// max redirects: 30
}
