package request_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// The package-level API needs no session: nothing persists between calls.
func Example() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL+"/get").Param("q", "tether").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	var got struct{ Args map[string][]string }
	if err := r.JSON(&got); err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), got.Args)
	// Output:
	// 200 map[q:[tether]]
}

// A half-built Builder is a template: each step returns a new Builder and
// the template never changes, so it can be extended in a loop or from many
// goroutines.
func ExampleBuilder() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	ctx := context.Background()

	s := client.New().SetBaseURL(httpbin.URL)
	defer s.Close()

	base := s.Get("/get").Header("Accept", "application/json")
	for _, q := range []string{"go", "python"} {
		r, err := base.Param("q", q).Do(ctx)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(r.Request().URL.RawQuery, r.Request().Header.Get("Accept"))
	}
	// Output:
	// q=go application/json
	// q=python application/json
}

// JSON encodes the body when it is called; JSON on the response decodes.
func ExampleBuilder_JSON() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	type item struct {
		Name string `json:"name"`
	}
	r, err := request.Post(httpbin.URL + "/post").JSON(item{Name: "tether"}).Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	var got struct{ JSON item }
	if err := r.JSON(&got); err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.JSON.Name, r.Request().Header.Get("Content-Type"))
	// Output:
	// tether application/json
}

// NoRedirects returns the redirect itself; Next tells where it points, like
// requests' r.next. Cookies it sets are stored all the same.
func ExampleBuilder_NoRedirects() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	s := client.New()
	defer s.Close()
	r, err := s.Get(httpbin.URL + "/cookies/set/k/v").NoRedirects().Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.Next().Path, s.Jar().Map())
	// Output:
	// 302 /cookies map[k:v]
}

// Err is raise_for_status: a *StatusError for 4xx and 5xx, carrying the
// response.
func ExampleResponse_Err() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + "/status/404").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	err = r.Err()
	var se *request.StatusError
	fmt.Println(errors.Is(err, request.ErrStatus), errors.As(err, &se) && se.Response.StatusCode() == 404)
	// Output:
	// true true
}

// Bad input never panics: Do returns a typed error and sends nothing.
func ExampleBuilder_Do_errors() {
	_, err := request.Get("http://example.com/").Header("X-Bad", "a\r\nInjected: 1").Do(context.Background())
	fmt.Println(errors.Is(err, request.ErrInvalidHeader))
	_, err = request.Get("ftp://example.com/").Do(context.Background())
	fmt.Println(errors.Is(err, request.ErrUnsupportedScheme))
	// Output:
	// true
	// true
}
