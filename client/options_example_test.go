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
