package request_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// A StatusError's message names the status and the URL, like requests'
// HTTPError from raise_for_status.
func ExampleStatusError_Error() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + "/status/503").Do(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := r.Err(); err != nil {
		fmt.Println(strings.ReplaceAll(err.Error(), httpbin.URL, "http://httpbin.org"))
	}
	// Output:
	// tether: 503 Server Error: Service Unavailable for url: http://httpbin.org/status/503
}

// A StatusError matches ErrStatus, so errors.Is tells a bad status from a
// failure on the wire. requests:
//
//	except requests.HTTPError:
func ExampleStatusError_Is() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + "/status/404").Do(context.Background())
	if err == nil {
		err = r.Err()
	}
	switch {
	case errors.Is(err, request.ErrStatus):
		fmt.Println("bad status:", r.StatusCode())
	case errors.Is(err, request.ErrConnection):
		fmt.Println("connection failed")
	}
	// Output:
	// bad status: 404
}

// A RedirectError's message names the limit and the last redirect, like
// requests' TooManyRedirects.
func ExampleRedirectError_Error() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetMaxRedirects(1)
	defer s.Close()

	_, err := s.Get(httpbin.URL + "/redirect/2").Do(context.Background())
	fmt.Println(strings.ReplaceAll(err.Error(), httpbin.URL, "http://httpbin.org"))
	// Output:
	// tether: exceeded 1 redirects (last: http://httpbin.org/relative-redirect/1)
}

// A RedirectError matches ErrTooManyRedirects and carries the last
// redirect. requests:
//
//	except requests.TooManyRedirects as e:
//	    print(e.response.status_code)
func ExampleRedirectError_Is() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetMaxRedirects(1)
	defer s.Close()

	_, err := s.Get(httpbin.URL + "/redirect/2").Do(context.Background())
	var re *request.RedirectError
	if errors.Is(err, request.ErrTooManyRedirects) && errors.As(err, &re) {
		fmt.Println(re.Response.StatusCode(), re.Response.Next().Path, len(re.Response.History()))
	}
	// Output:
	// 302 /get 1
}

// A LocationError reports a redirect that cannot be followed, here to
// another scheme; its message names the redirect and its Location.
func ExampleLocationError_Error() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	_, err := request.Get(httpbin.URL + "/redirect-to?url=" + url.QueryEscape("ftp://files.example.com/a.txt")).Do(context.Background())
	var le *request.LocationError
	if errors.As(err, &le) {
		fmt.Println(strings.ReplaceAll(le.Error(), httpbin.URL, "http://httpbin.org"))
	}
	// Output:
	// tether: redirect from http://httpbin.org/redirect-to?url=ftp%3A%2F%2Ffiles.example.com%2Fa.txt to "ftp://files.example.com/a.txt": tether: unsupported URL scheme: "ftp://files.example.com/a.txt": no connection adapter for the URL's scheme (requests raises InvalidSchema)
}

// Unwrap gives the cause, which matches ErrUnsupportedScheme or
// ErrInvalidURL; the redirect response comes with the error. requests:
//
//	except requests.exceptions.InvalidSchema:
func ExampleLocationError_Unwrap() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	_, err := request.Get(httpbin.URL + "/redirect-to?url=" + url.QueryEscape("ftp://files.example.com/a.txt")).Do(context.Background())
	var le *request.LocationError
	if errors.As(err, &le) {
		fmt.Println(errors.Is(le.Unwrap(), request.ErrUnsupportedScheme), le.Location, le.Response.StatusCode())
	}
	// Output:
	// true ftp://files.example.com/a.txt 302
}
