package request_test

import (
	"context"
	"fmt"
	"log"
	"net/http"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// An AuthFunc is a custom auth, like a requests auth callable. Apply runs
// it; a call applies it once, after every header is set. requests:
//
//	def api_key(r):
//	    r.headers['X-Api-Key'] = 's3cr3t'
//	    return r
//	requests.get(url, auth=api_key)
func ExampleAuthFunc_Apply() {
	apiKey := request.AuthFunc(func(req *http.Request) error {
		req.Header.Set("X-Api-Key", "s3cr3t")
		return nil
	})
	req, _ := http.NewRequest("GET", "http://api.example.com/", nil)
	if err := apiKey.Apply(req); err != nil {
		log.Fatal(err)
	}
	fmt.Println(req.Header.Get("X-Api-Key"))
	// Output:
	// s3cr3t
}

// BasicAuth.Apply sets the Authorization header. requests:
//
//	HTTPBasicAuth('user', 'pass')(r)
func ExampleBasicAuth_Apply() {
	req, _ := http.NewRequest("GET", "http://api.example.com/", nil)
	if err := (request.BasicAuth{Username: "user", Password: "pass"}).Apply(req); err != nil {
		log.Fatal(err)
	}
	fmt.Println(req.Header.Get("Authorization"))
	// Output:
	// Basic dXNlcjpwYXNz
}

// A BasicAuth prints without its password, so it can be logged.
func ExampleBasicAuth_String() {
	fmt.Println(request.BasicAuth{Username: "user", Password: "pass"})
	// Output:
	// BasicAuth{user:***}
}

// BearerAuth.Apply sets the Authorization header.
func ExampleBearerAuth_Apply() {
	req, _ := http.NewRequest("GET", "http://api.example.com/", nil)
	if err := (request.BearerAuth{Token: "t0k3n"}).Apply(req); err != nil {
		log.Fatal(err)
	}
	fmt.Println(req.Header.Get("Authorization"))
	// Output:
	// Bearer t0k3n
}

// A BearerAuth prints without its token, so it can be logged.
func ExampleBearerAuth_String() {
	fmt.Println(request.BearerAuth{Token: "t0k3n"})
	// Output:
	// BearerAuth{***}
}

// DigestAuth.Apply sets nothing: the answer needs the server's challenge,
// which the call answers itself (see DigestAuth).
func ExampleDigestAuth_Apply() {
	req, _ := http.NewRequest("GET", "http://api.example.com/", nil)
	if err := (request.DigestAuth{Username: "user", Password: "pass"}).Apply(req); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%q\n", req.Header.Get("Authorization"))
	// Output:
	// ""
}

// A DigestAuth prints without its password, so it can be logged.
func ExampleDigestAuth_String() {
	fmt.Println(request.DigestAuth{Username: "user", Password: "pass"})
	// Output:
	// DigestAuth{user:***}
}

// Auth authenticates one call with any Auth, overriding the session's.
// requests:
//
//	requests.get('http://httpbin.org/digest-auth/auth/user/pass',
//	             auth=HTTPDigestAuth('user', 'pass'))
func ExampleBuilder_Auth() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetBearerToken("for-other-calls")
	defer s.Close()

	r, err := s.Get(httpbin.URL + "/digest-auth/auth/user/pass").
		Auth(request.DigestAuth{Username: "user", Password: "pass"}).
		Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), len(r.History()))
	// Output:
	// 200 1
}

// BasicAuth sends HTTP Basic credentials with one call. requests:
//
//	requests.get('http://httpbin.org/basic-auth/user/pass', auth=('user', 'pass'))
func ExampleBuilder_BasicAuth() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL+"/basic-auth/user/pass").BasicAuth("user", "pass").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode())
	// Output:
	// 200
}

// BearerToken sends a bearer token with one call. requests:
//
//	requests.get('http://httpbin.org/bearer', headers={'Authorization': 'Bearer t0k3n'})
func ExampleBuilder_BearerToken() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + "/bearer").BearerToken("t0k3n").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.Request().Header.Get("Authorization"))
	// Output:
	// 200 Bearer t0k3n
}

// NoAuth sends one call with no credentials at all, the session's
// included. requests' closest, since auth=None keeps s.auth:
//
//	s.get('http://httpbin.org/basic-auth/user/pass', auth=lambda r: r)
func ExampleBuilder_NoAuth() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetBasicAuth("user", "pass")
	defer s.Close()

	r, err := s.Get(httpbin.URL + "/basic-auth/user/pass").NoAuth().Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.Request().Header.Get("Authorization") == "")
	// Output:
	// 401 true
}
