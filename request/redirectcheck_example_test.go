package request_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strings"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// A check is given the redirect before anything is sent to it: where it
// leads, the method it would be sent with, and the redirect response
// (here a 303 to a POST, which goes on as a GET). requests has no such
// hook; http.Client's is
//
//	CheckRedirect: func(req *http.Request, via []*http.Request) error
func ExampleRedirect() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	show := func(r request.Redirect) error {
		fmt.Println(r.Method, r.URL.Path, r.Response.StatusCode(), r.Response.URL().Path, len(r.Response.History()))
		return nil
	}
	r, err := request.Post(httpbin.URL+"/redirect-to").
		Param("url", "/anything/next").Param("status_code", "303").
		RedirectCheck(show).Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.Request().Method, r.URL().Path)
	// Output:
	// GET /anything/next 303 /redirect-to 0
	// 200 GET /anything/next
}

// RedirectCheck decides which redirects one call follows. A check that
// returns http.ErrUseLastResponse ends the call with the redirect itself,
// as with http.Client: here a call that follows redirects to https only
// gets back the redirect to http, with Next saying where it led.
func ExampleBuilder_RedirectCheck() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	httpsOnly := func(r request.Redirect) error {
		if r.URL.Scheme != "https" {
			return http.ErrUseLastResponse
		}
		return nil
	}
	r, err := request.Get(httpbin.URL+"/redirect-to").Param("url", "http://example.com/").
		RedirectCheck(httpsOnly).Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.Next())
	// Output:
	// 302 http://example.com/
}

// NoRedirectCheck follows a call's redirects without the session's check:
// here one call may leave the host the session keeps its calls on.
func ExampleBuilder_NoRedirectCheck() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetRedirectCheck(request.SameHost)
	defer s.Close()

	elsewhere := s.Get(httpbin.URL+"/redirect-to").Param("url", httpbin.LocalhostURL()+"/get")
	_, err := elsewhere.Do(context.Background())
	fmt.Println(errors.Is(err, request.ErrRedirectRefused))
	r, err := elsewhere.NoRedirectCheck().Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.URL().Hostname())
	// Output:
	// true
	// 200 localhost
}

// SameHost keeps a session's calls on the hosts they were made to: a
// redirect to another host name (here from 127.0.0.1 to localhost) is
// refused, and that host receives nothing, no cookie and no credentials;
// a redirect on the host is followed. Like imroc/req's
// SameHostRedirectPolicy.
func ExampleSameHost() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetBasicAuth("user", "pass").SetRedirectCheck(request.SameHost)
	defer s.Close()

	_, err := s.Get(httpbin.URL+"/redirect-to").Param("url", httpbin.LocalhostURL()+"/get").Do(context.Background())
	fmt.Println(errors.Is(err, request.ErrRedirectRefused), len(httpbin.Requests()))
	r, err := s.Get(httpbin.URL + "/redirect/2").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), len(r.History()))
	// Output:
	// true 1
	// 200 2
}

// AllowHosts follows redirects only to the hosts it names, like resty's
// DomainCheckRedirectPolicy: a service that fetches from one API and its
// CDN refuses a redirect anywhere else before anything is sent there.
func ExampleAllowHosts() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetRedirectCheck(request.AllowHosts("127.0.0.1", "cdn.example.com"))
	defer s.Close()

	_, err := s.Get(httpbin.URL+"/redirect-to").Param("url", "http://169.254.169.254/latest/meta-data/").Do(context.Background())
	var re *request.RedirectRefusedError
	if errors.As(err, &re) {
		fmt.Println(re.Err)
	}
	r, err := s.Get(httpbin.URL + "/redirect/1").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.URL().Path)
	// Output:
	// 169.254.169.254 is not an allowed host
	// 200 /get
}

// A RedirectRefusedError's message names the redirect and what the check
// said.
func ExampleRedirectRefusedError_Error() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	_, err := request.Get(httpbin.URL+"/redirect-to").Param("url", "http://other.example/x").
		RedirectCheck(request.SameHost).Do(context.Background())
	fmt.Println(strings.ReplaceAll(err.Error(), httpbin.URL, "http://127.0.0.1"))
	// Output:
	// tether: redirect from http://127.0.0.1/redirect-to?url=http%3A%2F%2Fother.example%2Fx to http://other.example/x refused: other.example is not 127.0.0.1, the host the call was made to
}

// A RedirectRefusedError matches ErrRedirectRefused, and carries the
// refused URL and the redirect response.
func ExampleRedirectRefusedError_Is() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	_, err := request.Get(httpbin.URL+"/redirect-to").Param("url", "http://other.example/x").Param("status_code", "307").
		RedirectCheck(request.SameHost).Do(context.Background())
	var re *request.RedirectRefusedError
	if errors.Is(err, request.ErrRedirectRefused) && errors.As(err, &re) {
		fmt.Println(re.URL, re.Response.StatusCode())
	}
	// Output:
	// http://other.example/x 307
}

// Unwrap gives the check's own error, so errors.Is finds it through the
// refusal.
func ExampleRedirectRefusedError_Unwrap() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	errPlainHTTP := errors.New("plain http")

	_, err := request.Get(httpbin.URL+"/redirect-to").Param("url", "http://other.example/x").
		RedirectCheck(func(r request.Redirect) error {
			if r.URL.Scheme == "http" {
				return fmt.Errorf("to %s: %w", r.URL.Host, errPlainHTTP)
			}
			return nil
		}).Do(context.Background())
	var re *request.RedirectRefusedError
	if errors.As(err, &re) {
		fmt.Println(re.Unwrap(), errors.Is(err, errPlainHTTP))
	}
	// Output:
	// to other.example: plain http true
}
