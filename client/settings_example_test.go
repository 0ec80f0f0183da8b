package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/jar"
	"github.com/tether-http/tether/request"
)

// SetAuth sets any request.Auth for every request: here an AuthFunc that
// signs each request, as a requests auth callable does. requests:
//
//	def sign(r):
//	    r.headers['X-Signature'] = 'sig:' + r.method
//	    return r
//	s.auth = sign
func ExampleSession_SetAuth() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	sign := request.AuthFunc(func(req *http.Request) error {
		req.Header.Set("X-Signature", "sig:"+req.Method)
		return nil
	})
	s := client.New().SetAuth(sign)
	defer s.Close()

	got := echoOf(s.Get(httpbin.URL + "/headers").Do(context.Background()))
	fmt.Println(got.Headers["X-Signature"])
	// Output:
	// [sig:GET]
}

// Auth returns the session's auth; Basic and Bearer credentials print
// with their secret hidden. requests:
//
//	print(s.auth)
func ExampleSession_Auth() {
	s := client.New()
	defer s.Close()
	fmt.Println(s.Auth())
	fmt.Println(s.SetBasicAuth("user", "pass").Auth())
	fmt.Println(s.SetBearerToken("t0k3n").Auth())
	// Output:
	// <nil>
	// BasicAuth{user:***}
	// BearerAuth{***}
}

// SetBasicAuth sends HTTP Basic credentials with every request. requests:
//
//	s.auth = ('user', 'pass')
func ExampleSession_SetBasicAuth() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetBasicAuth("user", "pass")
	defer s.Close()

	r, err := s.Get(httpbin.URL + "/basic-auth/user/pass").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.Request().Header.Get("Authorization"))
	// Output:
	// 200 Basic dXNlcjpwYXNz
}

// SetBearerToken sends a bearer token with every request. requests:
//
//	s.headers['Authorization'] = 'Bearer t0k3n'
func ExampleSession_SetBearerToken() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetBearerToken("t0k3n")
	defer s.Close()

	r, err := s.Get(httpbin.URL + "/bearer").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.Request().Header.Get("Authorization"))
	// Output:
	// 200 Bearer t0k3n
}

// SetCookie sets a cookie sent with every request of the session.
// requests:
//
//	s.cookies.set('theme', 'dark')
func ExampleSession_SetCookie() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetCookie("theme", "dark")
	defer s.Close()

	r, err := s.Get(httpbin.URL + "/cookies").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(r.Text())
	// Output:
	// {
	//   "cookies": {
	//     "theme": "dark"
	//   }
	// }
}

// SetJar gives the session a jar of its own, e.g. one filled from a dict
// or loaded from a cookies.txt file. requests:
//
//	s.cookies = requests.utils.cookiejar_from_dict({'session': 'abc'})
func ExampleSession_SetJar() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	j, err := jar.FromMap(map[string]string{"session": "abc"})
	if err != nil {
		log.Fatal(err)
	}
	s := client.New().SetJar(j)
	defer s.Close()

	r, err := s.Get(httpbin.URL + "/cookies/set/seen/1").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), j.Map())
	// Output:
	// 200 map[seen:1 session:abc]
}

// Jar is the session's live cookie jar: the cookies servers set land in
// it. requests:
//
//	s.get('http://httpbin.org/cookies/set/token/abc')
//	print(s.cookies.get('token'))
func ExampleSession_Jar() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New()
	defer s.Close()

	if _, err := s.Get(httpbin.URL + "/cookies/set/token/abc").Do(context.Background()); err != nil {
		log.Fatal(err)
	}
	token, err := s.Jar().Get("token")
	fmt.Println(token, err, s.Jar().Domains())
	// Output:
	// abc <nil> [127.0.0.1]
}

// SetTimeout bounds every call, redirects and body included. requests has
// no session-wide timeout; each call passes one:
//
//	s.get('http://httpbin.org/delay/1', timeout=0.05)
func ExampleSession_SetTimeout() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetTimeout(50 * time.Millisecond)
	defer s.Close()

	_, err := s.Get(httpbin.URL + "/delay/1").Do(context.Background())
	fmt.Println(errors.Is(err, request.ErrTimeout), errors.Is(err, context.DeadlineExceeded))
	// Output:
	// true true
}

// Timeout returns the session's timeout; zero means none.
func ExampleSession_Timeout() {
	s := client.New()
	defer s.Close()
	fmt.Println(s.Timeout())
	fmt.Println(s.SetTimeout(10 * time.Second).Timeout())
	// Output:
	// 0s
	// 10s
}

// SetConnectTimeout bounds making each connection, as the first element
// of requests' timeout=(3.05, 27); a negative one is an error.
func ExampleSession_SetConnectTimeout() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetConnectTimeout(3050 * time.Millisecond).SetReadTimeout(27 * time.Second)
	defer s.Close()

	r, err := s.Get(httpbin.URL + "/get").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode())
	s.SetConnectTimeout(-time.Second)
	fmt.Println(errors.Is(s.Err(), request.ErrInvalidOption))
	// Output:
	// 200
	// true
}

// ConnectTimeout returns the session's connect timeout; zero means none.
func ExampleSession_ConnectTimeout() {
	s := client.New().SetConnectTimeout(3 * time.Second)
	defer s.Close()
	fmt.Println(s.ConnectTimeout())
	// Output:
	// 3s
}

// ReadTimeout returns the session's read timeout; zero means none.
func ExampleSession_ReadTimeout() {
	s := client.New()
	defer s.Close()
	fmt.Println(s.ReadTimeout())
	fmt.Println(s.SetReadTimeout(27 * time.Second).ReadTimeout())
	// Output:
	// 0s
	// 27s
}

// SetMaxRedirects limits how many redirects a call follows; past it Do
// returns a *request.RedirectError. requests:
//
//	s.max_redirects = 2
func ExampleSession_SetMaxRedirects() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetMaxRedirects(2)
	defer s.Close()

	_, err := s.Get(httpbin.URL + "/redirect/3").Do(context.Background())
	var re *request.RedirectError
	fmt.Println(errors.Is(err, request.ErrTooManyRedirects), errors.As(err, &re) && re.Max == 2)
	// Output:
	// true true
}

// MaxRedirects returns how many redirects a call may follow. requests:
//
//	print(s.max_redirects)
func ExampleSession_MaxRedirects() {
	s := client.New()
	defer s.Close()
	fmt.Println(s.MaxRedirects())
	fmt.Println(s.SetMaxRedirects(5).MaxRedirects())
	// Output:
	// 30
	// 5
}

// SetRedirectCheck decides which redirects every call of the session
// follows, as http.Client's CheckRedirect: here request.SameHost refuses
// a redirect from 127.0.0.1 to localhost before anything is sent there.
// Unlike a session hook, the check stays when a call adds hooks of its
// own. requests has no such setting; http.Client:
//
//	c := &http.Client{CheckRedirect: func(req *http.Request, via []*http.Request) error { ... }}
func ExampleSession_SetRedirectCheck() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetRedirectCheck(request.SameHost)
	defer s.Close()

	_, err := s.Get(httpbin.URL+"/redirect-to").Param("url", httpbin.LocalhostURL()+"/get").
		OnResponse(func(*request.Response) error { return nil }).
		Do(context.Background())
	var re *request.RedirectRefusedError
	if errors.As(err, &re) {
		fmt.Println(re.Response.StatusCode(), re.URL.Hostname(), len(httpbin.Requests()))
	}
	// Output:
	// 302 localhost 1
}

// RedirectCheck returns the session's check, or nil, so that a call can
// add a rule of its own and keep the session's: a call's RedirectCheck
// replaces the session's.
func ExampleSession_RedirectCheck() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New()
	defer s.Close()
	fmt.Println(s.RedirectCheck() == nil)

	sessionCheck := s.SetRedirectCheck(request.SameHost).RedirectCheck()
	getOnly := func(r request.Redirect) error {
		if r.Method != http.MethodGet {
			return fmt.Errorf("a %s redirect", r.Method)
		}
		return sessionCheck(r)
	}
	_, err := s.Post(httpbin.URL+"/redirect-to").Param("url", "/post").Param("status_code", "307").
		RedirectCheck(getOnly).Do(context.Background())
	var re *request.RedirectRefusedError
	if errors.As(err, &re) {
		fmt.Println(re.Err)
	}
	fmt.Println(s.SetRedirectCheck(nil).RedirectCheck() == nil)
	// Output:
	// true
	// a POST redirect
	// true
}

// SetSensitiveHeaders keeps an API key on the host it was meant for: a
// redirect to another host (here from 127.0.0.1 to localhost) goes without
// X-Api-Key, as it goes without Authorization, while a call that stays on
// the host sends it. requests has no such setting; it would send the key on:
//
//	s.headers['X-Api-Key'] = 'k3y'
//	s.get(url_redirecting_elsewhere)  # the other host gets X-Api-Key
func ExampleSession_SetSensitiveHeaders() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetHeader("X-Api-Key", "k3y").SetSensitiveHeaders("X-Api-Key")
	defer s.Close()

	elsewhere := echoOf(s.Get(httpbin.URL+"/start").
		Param("status", "302").Param("location", httpbin.LocalhostURL()+"/headers").
		Do(context.Background()))
	here := echoOf(s.Get(httpbin.URL + "/headers").Do(context.Background()))
	fmt.Println(elsewhere.Headers["X-Api-Key"], here.Headers["X-Api-Key"])
	// Output:
	// [] [k3y]
}

// SensitiveHeaders returns the headers SetSensitiveHeaders named, in
// canonical form and sorted.
func ExampleSession_SensitiveHeaders() {
	s := client.New()
	defer s.Close()
	fmt.Println(s.SensitiveHeaders())
	fmt.Println(s.SetSensitiveHeaders("x-session-token", "X-Api-Key").SensitiveHeaders())
	// Output:
	// []
	// [X-Api-Key X-Session-Token]
}

// SetTrustEnv(false) ignores the environment: here the netrc file that
// NETRC names, whose credentials are otherwise sent to its host. requests:
//
//	s.trust_env = False
func ExampleSession_SetTrustEnv() {
	dir, err := os.MkdirTemp("", "tether")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	netrc := filepath.Join(dir, "netrc")
	if err := os.WriteFile(netrc, []byte("machine api.example.com login user password pass\n"), 0o600); err != nil {
		log.Fatal(err)
	}
	old, had := os.LookupEnv("NETRC")
	os.Setenv("NETRC", netrc)
	defer func() {
		if had {
			os.Setenv("NETRC", old)
		} else {
			os.Unsetenv("NETRC")
		}
	}()

	s := client.New()
	defer s.Close()
	for _, trust := range []bool{true, false} {
		req, err := s.SetTrustEnv(trust).Get("http://api.example.com/").Prepare(context.Background())
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("trust_env=%t Authorization=%q\n", trust, req.Header.Get("Authorization"))
	}
	// Output:
	// trust_env=true Authorization="Basic dXNlcjpwYXNz"
	// trust_env=false Authorization=""
}

// TrustEnv reports whether calls read the environment. requests:
//
//	print(s.trust_env)
func ExampleSession_TrustEnv() {
	s := client.New()
	defer s.Close()
	fmt.Println(s.TrustEnv())
	fmt.Println(s.SetTrustEnv(false).TrustEnv())
	// Output:
	// true
	// false
}

// Verify reports whether calls verify certificates. requests:
//
//	print(s.verify)
func ExampleSession_Verify() {
	s := client.New()
	defer s.Close()
	fmt.Println(s.Verify())
	fmt.Println(s.SetVerify(false).Verify())
	// Output:
	// true
	// false
}

// Err shows what a setter rejected; every Do returns it too, until the
// setter is called again with a valid value.
func ExampleSession_Err() {
	s := client.New().SetHeader("X-Token", "abc\r\nInjected: 1")
	defer s.Close()
	fmt.Println(errors.Is(s.Err(), request.ErrInvalidHeader))
	_, err := s.Get("http://api.example.com/").Do(context.Background())
	fmt.Println(errors.Is(err, request.ErrInvalidHeader))

	s.SetHeader("X-Token", "abc")
	fmt.Println(s.Err())
	// Output:
	// true
	// true
	// <nil>
}

// Close releases the session's pooled connections, like leaving requests'
// "with requests.Session() as s:" block; the session stays usable.
func ExampleSession_Close() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New()
	defer s.Close()

	for range 2 {
		r, err := s.Get(httpbin.URL + "/get").Do(context.Background())
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(r.StatusCode(), s.Close())
	}
	fmt.Println(httpbin.Conns(), "connections")
	// Output:
	// 200 <nil>
	// 200 <nil>
	// 2 connections
}

// MaxBodySize returns the most bytes a call reads into memory; zero means
// no limit.
func ExampleSession_MaxBodySize() {
	s := client.New()
	defer s.Close()
	fmt.Println(s.MaxBodySize())
	fmt.Println(s.SetMaxBodySize(10 << 20).MaxBodySize())
	// Output:
	// 0
	// 10485760
}

// Retry returns the session's retry policy.
func ExampleSession_Retry() {
	s := client.New().SetRetry(request.Retry{Attempts: 3, Backoff: 500 * time.Millisecond, Statuses: []int{503}})
	defer s.Close()
	r := s.Retry()
	fmt.Println(r.Attempts, r.Backoff, r.Statuses)
	// Output:
	// 3 500ms [503]
}

// Trace reports whether calls fill Response.Timings.
func ExampleSession_Trace() {
	s := client.New()
	defer s.Close()
	fmt.Println(s.Trace())
	fmt.Println(s.SetTrace(true).Trace())
	// Output:
	// false
	// true
}

// Logger returns the logger set with SetLogger.
func ExampleSession_Logger() {
	s := client.New()
	defer s.Close()
	fmt.Println(s.Logger() == nil)
	fmt.Println(s.SetLogger(slog.New(slog.DiscardHandler)).Logger() != nil)
	// Output:
	// true
	// true
}

// Hooks returns how many response hooks the session runs. requests:
//
//	print(len(s.hooks['response']))
func ExampleSession_Hooks() {
	s := client.New().
		OnResponse(func(*request.Response) error { return nil }).
		OnResponse(func(r *request.Response) error { return r.Err() })
	defer s.Close()
	fmt.Println(s.Hooks())
	// Output:
	// 2
}

// Middleware returns how many middlewares Use has put around the
// transport.
func ExampleSession_Middleware() {
	s := client.New()
	defer s.Close()
	fmt.Println(s.Middleware())
	s.Use(func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(req *http.Request) (*http.Response, error) {
			req.Header.Set("X-Request-Id", "42")
			return next.RoundTrip(req)
		})
	})
	fmt.Println(s.Middleware())
	// Output:
	// 0
	// 1
}

// Mounts returns the mounted prefixes, longest first, the order in which
// a URL is matched. requests:
//
//	print(list(s.adapters))
func ExampleSession_Mounts() {
	s := client.New().
		Mount("http://", http.DefaultTransport).
		Mount("http://api.test/v2/", http.DefaultTransport)
	defer s.Close()
	fmt.Println(strings.Join(s.Mounts(), " "))
	// Output:
	// http://api.test/v2/ http://
}

// Proxies returns a copy of the session's proxies. requests:
//
//	print(s.proxies)
func ExampleSession_Proxies() {
	s := client.New().SetProxies(map[string]string{
		"http":  "http://proxy.internal:3128",
		"https": "http://proxy.internal:3128",
	})
	defer s.Close()
	fmt.Println(s.Proxies())
	// Output:
	// map[http:http://proxy.internal:3128 https:http://proxy.internal:3128]
}

// PoolSize returns how many idle connections per host the session keeps.
func ExampleSession_PoolSize() {
	s := client.New()
	defer s.Close()
	fmt.Println(s.PoolSize())
	// Output:
	// 64
}
