package request_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/url"
	"strings"
	"time"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// StatusCode is requests' r.status_code.
func ExampleResponse_StatusCode() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + "/status/201").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode())
	// Output:
	// 201
}

// Status is the status line's text, requests' f"{r.status_code} {r.reason}".
func ExampleResponse_Status() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + "/status/418").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Status())
	// Output:
	// 418 I'm a teapot
}

// OK is requests' r.ok: false for 4xx and 5xx.
func ExampleResponse_OK() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	for _, code := range []string{"204", "404", "500"} {
		r, err := request.Get(httpbin.URL + "/status/" + code).Do(context.Background())
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(r.StatusCode(), r.OK())
	}
	// Output:
	// 204 true
	// 404 false
	// 500 false
}

// String is requests' repr(r), with the URL.
func ExampleResponse_String() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + "/status/404").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.ReplaceAll(r.String(), httpbin.URL, "http://httpbin.org"))
	// Output:
	// <Response [404] http://httpbin.org/status/404>
}

// Header is requests' r.headers; names are case-insensitive.
func ExampleResponse_Header() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + "/response-headers?X-Rate-Limit=42").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Header().Get("x-rate-limit"), r.Header().Get("Content-Type"))
	// Output:
	// 42 application/json; charset=utf-8
}

// Bytes is requests' r.content: the body, decoded from gzip and the
// other content codings.
func ExampleResponse_Bytes() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + "/robots.txt").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%q\n", r.Bytes())
	// Output:
	// "User-agent: *\nDisallow: /deny\n"
}

// JSON is requests' r.json(); a body that is not JSON is an ErrJSON
// error, like requests' JSONDecodeError.
func ExampleResponse_JSON() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + "/json").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	var doc struct {
		Slideshow struct{ Title string }
	}
	if err := r.JSON(&doc); err != nil {
		log.Fatal(err)
	}
	fmt.Println(doc.Slideshow.Title)

	r, err = request.Get(httpbin.URL + "/html").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	err = r.JSON(&doc)
	fmt.Println(errors.Is(err, request.ErrJSON))
	// Output:
	// Sample Slide Show
	// true
}

// Encoding is requests' r.encoding: the charset Text decodes with.
func ExampleResponse_Encoding() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	for _, ct := range []string{"text/html; charset=ISO-8859-1", "application/json", "text/plain"} {
		r, err := request.Get(httpbin.URL + testserver.BodyPath + "?body=x&ct=" + url.QueryEscape(ct)).Do(context.Background())
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %q\n", ct, r.Encoding())
	}
	// Output:
	// text/html; charset=ISO-8859-1: "ISO-8859-1"
	// application/json: "utf-8"
	// text/plain: ""
}

// Lines yields the body's lines, like requests' r.iter_lines(); on a
// response that is not streamed it reads the body in memory.
func ExampleResponse_Lines() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + b64("name,lang\nada,go\r\ngrace,cobol")).Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for line, err := range r.Lines() {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s\n", line)
	}
	// Output:
	// name,lang
	// ada,go
	// grace,cobol
}

// Close ends a streamed response. A body read to its end goes back to
// the pool, so the next call reuses its connection; one closed before its
// end cannot be read after (requests would give an empty body).
func ExampleResponse_Close() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New()
	defer s.Close()
	ctx := context.Background()

	r, err := s.Get(httpbin.URL + "/bytes/1024").Stream().Do(ctx)
	if err != nil {
		log.Fatal(err)
	}
	n := len(r.Bytes()) // reads to the end
	fmt.Println(n, r.Close(), r.Close(), len(r.Bytes()))

	r, err = s.Get(httpbin.URL + "/bytes/1024").Stream().Do(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(httpbin.Conns(), "connection")
	r.Close() // before reading
	_, err = io.ReadAll(r.Body())
	fmt.Println(errors.Is(err, request.ErrStreamConsumed))
	// Output:
	// 1024 <nil> <nil> 1024
	// 1 connection
	// true
}

// Cookies is requests' r.cookies: the cookies this response set, not the
// whole jar.
func ExampleResponse_Cookies() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetCookie("theme", "dark")
	defer s.Close()

	r, err := s.Get(httpbin.URL + "/response-headers?Set-Cookie=token%3Dabc%3B+Path%3D%2F").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range r.Cookies() {
		fmt.Println(c.Name, c.Value)
	}
	fmt.Println(s.Jar().Map())
	// Output:
	// token abc
	// map[theme:dark token:abc]
}

// History is requests' r.history: the redirects that led to the response.
func ExampleResponse_History() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + "/redirect/2").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, h := range r.History() {
		fmt.Println(h.StatusCode(), h.URL().Path)
	}
	fmt.Println(r.StatusCode(), r.URL().Path)
	// Output:
	// 302 /redirect/2
	// 302 /relative-redirect/1
	// 200 /get
}

// URL is requests' r.url: where the response came from, after redirects.
func ExampleResponse_URL() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + "/redirect-to?url=/get%3Fpage%3D2").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.URL().RequestURI())
	// Output:
	// /get?page=2
}

// Next is requests' r.next: where a redirect points. With NoRedirects, a
// loop follows redirects one at a time, e.g. to log each.
func ExampleResponse_Next() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	ctx := context.Background()

	r, err := request.Get(httpbin.URL + "/redirect/2").NoRedirects().Do(ctx)
	for err == nil && r.Next() != nil {
		fmt.Println(r.StatusCode(), "->", r.Next().Path)
		r, err = request.Get(r.Next().String()).NoRedirects().Do(ctx)
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode())
	// Output:
	// 302 -> /relative-redirect/1
	// 302 -> /get
	// 200
}

// IsPermanentRedirect is requests' r.is_permanent_redirect: a 301 or 308,
// whose target a client may remember.
func ExampleResponse_IsPermanentRedirect() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	for _, code := range []string{"301", "302", "308"} {
		r, err := request.Get(httpbin.URL + "/redirect-to?url=/get&status_code=" + code).NoRedirects().Do(context.Background())
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(code, r.IsPermanentRedirect())
	}
	// Output:
	// 301 true
	// 302 false
	// 308 true
}

// Request is requests' r.request: the request as it was sent, here the
// last hop's, with the session's headers and cookies applied.
func ExampleResponse_Request() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetHeader("X-Tenant", "acme")
	defer s.Close()

	r, err := s.Get(httpbin.URL + "/cookies/set/k/v").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	req := r.Request()
	fmt.Println(req.Method, req.URL.Path, req.Header.Get("X-Tenant"), req.Header.Get("Cookie"))
	// Output:
	// GET /cookies acme k=v
}

// Raw is requests' r.raw: the underlying *http.Response, here of a body
// that was sent gzipped and decoded.
func ExampleResponse_Raw() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + "/gzip").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	raw := r.Raw()
	defer raw.Body.Close()
	body, _ := io.ReadAll(raw.Body)
	fmt.Println(raw.StatusCode, raw.Uncompressed, raw.ContentLength, len(body) == len(r.Bytes()))
	// Output:
	// 200 true -1 true
}

// Proto is the protocol the response came over.
func ExampleResponse_Proto() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + "/get").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Proto())
	// Output:
	// HTTP/1.1
}

// Elapsed is requests' r.elapsed: from sending to the response's headers.
func ExampleResponse_Elapsed() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + "/delay/0.1").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Elapsed() >= 100*time.Millisecond)
	// Output:
	// true
}

// Attempts is how many tries a response took under a retry policy.
func ExampleResponse_Attempts() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	r, err := request.Get(httpbin.URL + testserver.FlakyPath + "?key=attempts&fail=2").
		Retry(request.Retry{Attempts: 3}).
		Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.Attempts())
	// Output:
	// 200 3
}

// Timings are the phases of a traced call's last hop, and the connection
// that carried it: the first call dials, the second reuses the connection,
// idle in the pool since the first.
func ExampleResponse_Timings() {
	httpbin := testserver.StartTLS()
	defer httpbin.Close()
	s := client.New().SetVerify(false).SetTrace(true)
	defer s.Close()

	for range 2 {
		r, err := s.Get(httpbin.URL + "/get").Do(context.Background())
		if err != nil {
			log.Fatal(err)
		}
		t := r.Timings()
		fmt.Println("reused:", t.Reused, "idle:", t.WasIdle, t.IdleTime > 0,
			"connect, TLS:", t.Connect > 0, t.TLS > 0, "first byte before total:", t.FirstByte <= t.Total,
			"server's address:", t.RemoteAddr == httpbin.Listener.Addr().String())
	}
	// Output:
	// reused: false idle: false false connect, TLS: true true first byte before total: true server's address: true
	// reused: true idle: true true connect, TLS: false false first byte before total: true server's address: true
}
