package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httputil"
	"strings"
	"time"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// OnResponse runs on every hop's response, redirects included, like
// requests' s.hooks['response'].append(fn).
func ExampleSession_OnResponse() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	s := client.New().OnResponse(func(r *request.Response) error {
		fmt.Println("hook:", r.StatusCode(), r.URL().Path)
		return nil
	})
	defer s.Close()
	if _, err := s.Get(httpbin.URL + "/redirect/2").Do(context.Background()); err != nil {
		log.Fatal(err)
	}
	// Output:
	// hook: 302 /redirect/2
	// hook: 302 /relative-redirect/1
	// hook: 200 /get
}

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// Use wraps the transport in middleware that sees every hop as it goes
// out: here it counts them.
func ExampleSession_Use() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	hops := 0
	counter := func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(req *http.Request) (*http.Response, error) {
			hops++
			return next.RoundTrip(req)
		})
	}
	s := client.New().Use(counter)
	defer s.Close()
	if _, err := s.Get(httpbin.URL + "/redirect/3").Do(context.Background()); err != nil {
		log.Fatal(err)
	}
	fmt.Println(hops, "hops")
	// Output:
	// 4 hops
}

// A logging middleware in the style of httputil.DumpRequestOut: it sees
// the request exactly as it is sent, cookies and credentials included.
func ExampleSession_Use_logging() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	dump := func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(req *http.Request) (*http.Response, error) {
			out, err := httputil.DumpRequestOut(req, false)
			if err != nil {
				return nil, err
			}
			first, _, _ := strings.Cut(string(out), "\r\n")
			fmt.Println(first, "| Cookie:", req.Header.Get("Cookie"), "| auth:", req.Header.Get("Authorization") != "")
			return next.RoundTrip(req)
		})
	}
	s := client.New().SetCookie("theme", "dark").SetBasicAuth("u", "p").Use(dump)
	defer s.Close()
	if _, err := s.Get(httpbin.URL + "/get?q=1").Do(context.Background()); err != nil {
		log.Fatal(err)
	}
	// Output:
	// GET /get?q=1 HTTP/1.1 | Cookie: theme=dark | auth: true
}

// SetRetry retries what is safe to retry, like mounting an HTTPAdapter
// with urllib3's Retry(total=2, status_forcelist=[503]).
func ExampleSession_SetRetry() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	s := client.New().SetRetry(request.Retry{Attempts: 3, Backoff: time.Millisecond})
	defer s.Close()
	r, err := s.Get(httpbin.URL + "/status/503").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	// Tries ran out on a status: the last response comes back, and Err
	// turns it into an error (requests raises RetryError here).
	fmt.Println(r.StatusCode(), r.Attempts(), errors.Is(r.Err(), request.ErrStatus))
	// Output:
	// 503 3 true
}

// SetConnectTimeout and SetReadTimeout are requests' timeout=(connect,
// read); SetTimeout bounds the whole call.
func ExampleSession_SetReadTimeout() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	s := client.New().SetConnectTimeout(time.Second).SetReadTimeout(50 * time.Millisecond)
	defer s.Close()
	_, err := s.Get(httpbin.URL + "/delay/1").Do(context.Background())
	fmt.Println(errors.Is(err, request.ErrReadTimeout), errors.Is(err, request.ErrTimeout), errors.Is(err, request.ErrConnection))
	// Output:
	// true true false
}
