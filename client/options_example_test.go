package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// hopCounter is a transport that counts the requests it sends before
// handing them to the next transport.
type hopCounter struct {
	next http.RoundTripper
	hops atomic.Int64
}

func (c *hopCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	c.hops.Add(1)
	return c.next.RoundTrip(req)
}

// WithTransport sends every hop, redirects included, through the caller's
// transport: here one that counts them. requests:
//
//	s = requests.Session()
//	s.mount('http://', CountingAdapter())
func ExampleWithTransport() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	base := &http.Transport{}
	defer base.CloseIdleConnections()
	counter := &hopCounter{next: base}
	s := client.New(client.WithTransport(counter))
	defer s.Close()

	r, err := s.Get(httpbin.URL + "/redirect/2").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), len(r.History()), "redirects,", counter.hops.Load(), "hops")
	// Output:
	// 200 2 redirects, 3 hops
}

// WithPoolSize keeps more idle connections per host, for many goroutines
// sharing one session. requests:
//
//	s = requests.Session()
//	s.mount('http://', HTTPAdapter(pool_maxsize=100))
func ExampleWithPoolSize() {
	s := client.New(client.WithPoolSize(100))
	defer s.Close()
	fmt.Println(s.PoolSize(), s.Err())
	// Output:
	// 100 <nil>
}

// WithDialContext opens every connection with the caller's dial: here to a
// Unix socket, as a Docker client reaches its daemon, whatever host the URL
// names. requests, with requests-unixsocket:
//
//	s = requests_unixsocket.Session()
//	s.get('http+unix://%2Fvar%2Frun%2Fdocker.sock/get')
func ExampleWithDialContext() {
	dir, err := os.MkdirTemp("", "tether")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	sock := filepath.Join(dir, "daemon.sock")
	httpbin, err := testserver.StartUnix(sock)
	if err != nil {
		log.Fatal(err)
	}
	defer httpbin.Close()

	var d net.Dialer
	s := client.New(client.WithDialContext(func(ctx context.Context, _, _ string) (net.Conn, error) {
		return d.DialContext(ctx, "unix", sock)
	}))
	defer s.Close()

	r, err := s.Get("http://daemon/get").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	last, _ := httpbin.Last()
	fmt.Println(r.StatusCode(), r.URL(), last.Host)
	// Output:
	// 200 http://daemon/get daemon
}

// WithProtocols chooses the HTTP versions a session speaks. HTTP/1.1 only
// is what requests speaks (urllib3 offers only http/1.1 by ALPN), even to
// a server that offers HTTP/2; HTTP/2 only fails against a server that
// offers HTTP/1.1 only, before anything is sent.
func ExampleWithProtocols() {
	h2 := testserver.StartHTTP2() // HTTPS, offering HTTP/2 and HTTP/1.1
	defer h2.Close()
	h1 := testserver.StartTLS() // HTTPS, HTTP/1.1 only
	defer h1.Close()

	var http1 http.Protocols
	http1.SetHTTP1(true)
	s := client.New(client.WithProtocols(http1)).SetVerify(false)
	defer s.Close()
	r, err := s.Get(h2.URL + "/get").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Proto())

	var http2 http.Protocols
	http2.SetHTTP2(true)
	s2 := client.New(client.WithProtocols(http2)).SetVerify(false)
	defer s2.Close()
	_, err = s2.Get(h1.URL + "/get").Do(context.Background())
	fmt.Println(errors.Is(err, request.ErrProtocol), len(h1.Requests()))
	// Output:
	// HTTP/1.1
	// true 0
}

// With UnencryptedHTTP2 alone, a session speaks HTTP/2 with prior
// knowledge (h2c) on http:// URLs, as to a gRPC or internal service that
// takes HTTP/2 without TLS.
func ExampleWithProtocols_h2c() {
	httpbin := testserver.StartH2C()
	defer httpbin.Close()

	var h2c http.Protocols
	h2c.SetUnencryptedHTTP2(true)
	s := client.New(client.WithProtocols(h2c))
	defer s.Close()
	r, err := s.Get(httpbin.URL + "/get").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	last, _ := httpbin.Last()
	fmt.Println(r.Proto(), last.Proto)
	// Output:
	// HTTP/2.0 HTTP/2.0
}

// SetMaxBodySize bounds what every call of the session reads into memory;
// a call can lift it with MaxBodySize(0).
func ExampleSession_SetMaxBodySize() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetMaxBodySize(1024)
	defer s.Close()

	_, err := s.Get(httpbin.URL + "/bytes/4096").Do(context.Background())
	fmt.Println(errors.Is(err, request.ErrBodyTooLarge))
	r, err := s.Get(httpbin.URL + "/bytes/4096").MaxBodySize(0).Do(context.Background())
	fmt.Println(len(r.Bytes()), err)
	// Output:
	// true
	// 4096 <nil>
}

// Protocols shows the HTTP versions a session's connections may speak.
func ExampleSession_Protocols() {
	var http1 http.Protocols
	http1.SetHTTP1(true)
	s := client.New(client.WithProtocols(http1))
	defer s.Close()
	fmt.Println(s.Protocols(), client.New().Protocols())
	// Output:
	// {HTTP1} {HTTP1,HTTP2}
}
