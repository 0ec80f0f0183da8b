package client_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"

	"github.com/elazarl/goproxy"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
)

// SetProxy sends every call through a proxy, loopback hosts included, as
// requests' s.proxies = {'all': url}; it beats HTTP_PROXY and the rest.
func ExampleSession_SetProxy() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	var forwarded atomic.Int64
	gp := goproxy.NewProxyHttpServer()
	gp.Logger = log.New(io.Discard, "", 0)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		forwarded.Add(1)
		gp.ServeHTTP(w, r)
	}))
	defer proxy.Close()

	s := client.New().SetProxy(proxy.URL)
	defer s.Close()
	r, err := s.Get(httpbin.URL + "/get").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), "through the proxy:", forwarded.Load())
	r, err = s.Get(httpbin.URL + "/get").NoProxy().Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), "through the proxy:", forwarded.Load())
	// Output:
	// 200 through the proxy: 1
	// 200 through the proxy: 1
}

// Mount sends the calls under a prefix through a transport of their own:
// here an http.Handler served in process, as requests-mock does.
func ExampleSession_Mount() {
	mock := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "mocked %s %s", r.Method, r.URL.Path)
	})
	inProcess := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		rec := httptest.NewRecorder()
		mock.ServeHTTP(rec, req)
		return rec.Result(), nil
	})
	s := client.New().Mount("http://api.test/", inProcess)
	defer s.Close()
	r, err := s.Get("http://api.test/users/1").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Text())
	// Output:
	// mocked GET /users/1
}

// A transport that dials a Unix socket, mounted for http://docker/...
// style calls.
func ExampleSession_Mount_unixSocket() {
	dir, err := os.MkdirTemp("", "tether")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	sock := filepath.Join(dir, "api.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"path": %q}`, r.URL.Path)
	})}
	go srv.Serve(ln)
	defer srv.Close()

	unix := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", sock)
	}}
	defer unix.CloseIdleConnections()
	s := client.New().Mount("http://docker/", unix)
	defer s.Close()
	r, err := s.Get("http://docker/v1.45/containers/json").Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Text())
	// Output:
	// {"path": "/v1.45/containers/json"}
}

// SetVerify(false) is requests' verify=False, for a self-signed test
// server; its connections are never lent to calls that verify.
func ExampleSession_SetVerify() {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "self-signed")
	}))
	defer srv.Close()
	s := client.New().SetVerify(false)
	defer s.Close()
	r, err := s.Get(srv.URL).Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Text(), s.Verify())
	// Output:
	// self-signed false
}

// SetLogger logs every hop at Debug level, credentials redacted.
func ExampleSession_SetLogger() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	stable := func(_ []string, a slog.Attr) slog.Attr {
		switch a.Key {
		case "time", "duration", "url", "request_headers", "response_headers":
			return slog.Attr{} // left out so that the Output below is stable
		}
		return a
	}
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: stable}))
	s := client.New().SetLogger(logger).SetBasicAuth("user", "secret")
	defer s.Close()
	if _, err := s.Get(httpbin.URL + "/redirect/1").Do(context.Background()); err != nil {
		log.Fatal(err)
	}
	// Output:
	// level=DEBUG msg="tether: hop" method=GET attempt=1 reused=false status=302
	// level=DEBUG msg="tether: hop" method=GET attempt=1 reused=true status=200
}

// SetProxies keys proxies as requests' s.proxies; Proxy chooses one for a
// single call, and SetTrustEnv(false) ignores HTTP_PROXY and the rest.
func ExampleSession_SetProxies() {
	s := client.New().
		SetProxies(map[string]string{"https": "http://proxy.internal:3128", "http://intranet": ""}).
		SetTrustEnv(false)
	defer s.Close()
	fmt.Println(s.Proxies()["https"], s.TrustEnv())
	req, err := s.Get("http://example.test/").Proxy("socks5h://127.0.0.1:1080").Prepare(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(req.URL)
	// Output:
	// http://proxy.internal:3128 false
	// http://example.test/
}

// SetTrace fills each response's Timings from net/http/httptrace.
func ExampleSession_SetTrace() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetTrace(true)
	defer s.Close()
	for range 2 {
		r, err := s.Get(httpbin.URL + "/get").Do(context.Background())
		if err != nil {
			log.Fatal(err)
		}
		t := r.Timings()
		fmt.Println("reused:", t.Reused, "connect measured:", t.Connect > 0, "first byte before total:", t.FirstByte <= t.Total)
	}
	// Output:
	// reused: false connect measured: true first byte before total: true
	// reused: true connect measured: false first byte before total: true
}
