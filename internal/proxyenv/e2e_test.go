package proxyenv

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tether-http/tether/internal/testserver"

	socks5 "github.com/armon/go-socks5"
	"github.com/elazarl/goproxy"
	"github.com/google/go-cmp/cmp"
)

// fixedResolver answers every name the SOCKS server is asked to resolve
// (socks5h, and what net/http sends for socks5 too) with 127.0.0.1, and keeps
// the names.
type fixedResolver struct {
	mu    sync.Mutex
	names []string
}

func (r *fixedResolver) Resolve(ctx context.Context, name string) (context.Context, net.IP, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.names = append(r.names, name)
	return ctx, net.IPv4(127, 0, 0, 1), nil
}

func (r *fixedResolver) asked() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.names...)
}

// rig is a plain target, a TLS target, an HTTP proxy (goproxy, which also
// tunnels CONNECT) and a SOCKS5 server (armon/go-socks5), all on loopback,
// each counting what reaches it.
type rig struct {
	target, tlsTarget           *httptest.Server
	targetLn, tlsTargetLn       *testserver.CountingListener
	httpProxy                   *httptest.Server
	httpProxyLn                 *testserver.CountingListener
	forwards, connects          atomic.Int64
	socksLn                     *testserver.CountingListener
	resolver                    *fixedResolver
	rootCAs                     *x509.CertPool
	httpProxyURL, socksHostPort string
}

// counts is a snapshot of the rig's counters.
type counts struct {
	TargetAccepts    int64 // TCP connections the plain target accepted
	TLSTargetAccepts int64 // and the TLS target
	ProxyAccepts     int64 // TCP connections the HTTP proxy accepted
	ProxyForwards    int64 // absolute-URI requests it forwarded
	ProxyConnects    int64 // CONNECT tunnels it opened
	SOCKSAccepts     int64 // TCP connections the SOCKS server accepted
}

func (r *rig) counts() counts {
	return counts{
		TargetAccepts:    r.targetLn.Accepts(),
		TLSTargetAccepts: r.tlsTargetLn.Accepts(),
		ProxyAccepts:     r.httpProxyLn.Accepts(),
		ProxyForwards:    r.forwards.Load(),
		ProxyConnects:    r.connects.Load(),
		SOCKSAccepts:     r.socksLn.Accepts(),
	}
}

func startCounted(t *testing.T, h http.Handler, useTLS bool) (*httptest.Server, *testserver.CountingListener) {
	t.Helper()
	s := httptest.NewUnstartedServer(h)
	ln := &testserver.CountingListener{Listener: s.Listener}
	s.Listener = ln
	if useTLS {
		s.StartTLS()
	} else {
		s.Start()
	}
	t.Cleanup(s.Close)
	return s, ln
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{resolver: &fixedResolver{}}
	hello := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		io.WriteString(w, "hello from "+req.Host)
	})
	r.target, r.targetLn = startCounted(t, hello, false)
	r.tlsTarget, r.tlsTargetLn = startCounted(t, hello, true)
	r.rootCAs = x509.NewCertPool()
	r.rootCAs.AddCert(r.tlsTarget.Certificate())

	gp := goproxy.NewProxyHttpServer()
	gp.Logger = log.New(io.Discard, "", 0)
	// Its own transport must not read this process's proxy variables, and
	// a new connection per forwarded request keeps the target's count exact.
	upstream := &http.Transport{Proxy: nil, DisableKeepAlives: true}
	gp.Tr = upstream
	gp.ConnectDial = nil
	t.Cleanup(upstream.CloseIdleConnections)
	countProxy := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method == http.MethodConnect {
			r.connects.Add(1)
		} else if req.URL.IsAbs() {
			r.forwards.Add(1)
		}
		gp.ServeHTTP(w, req)
	})
	r.httpProxy, r.httpProxyLn = startCounted(t, countProxy, false)
	r.httpProxyURL = r.httpProxy.URL

	srv, err := socks5.New(&socks5.Config{
		Resolver: r.resolver,
		Logger:   log.New(io.Discard, "", 0),
	})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.socksLn = &testserver.CountingListener{Listener: ln}
	r.socksHostPort = ln.Addr().String()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(r.socksLn) }()
	t.Cleanup(func() {
		ln.Close()
		if err := <-done; err != nil && !errors.Is(err, net.ErrClosed) {
			t.Errorf("socks server: %v", err)
		}
	})
	return r
}

// transport picks the proxy for every request as requests would, from the
// environment environ() gives at that moment.
func (r *rig) transport(t *testing.T, environ func() []string) *http.Transport {
	tr := &http.Transport{
		Proxy: func(req *http.Request) (*url.URL, error) {
			e := ReadEnv(environ())
			return e.Resolve(req.URL, nil).Select(req.URL)
		},
		TLSClientConfig: &tls.Config{RootCAs: r.rootCAs},
	}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

func get(t *testing.T, c *http.Client, u string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading the body: %v", u, err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(body), "hello from ") {
		t.Fatalf("GET %s: %s %q", u, resp.Status, body)
	}
}

func TestEndToEnd(t *testing.T) {
	r := newRig(t)
	var environ atomic.Pointer[[]string]
	environ.Store(&[]string{})
	c := &http.Client{Transport: r.transport(t, func() []string { return *environ.Load() })}

	targetPort := r.target.Listener.Addr().(*net.TCPAddr).Port
	plain := r.target.URL                                               // http://127.0.0.1:port
	localhost := "http://localhost:" + itoa(targetPort)                 // a name, resolved by goproxy
	named := "http://target.test:" + itoa(targetPort)                   // a name only the SOCKS resolver knows
	secure := r.tlsTarget.URL                                           // https://127.0.0.1:port
	httpProxy := "HTTP_PROXY=" + r.httpProxyURL                         // http://127.0.0.1:port
	httpsProxy := "HTTPS_PROXY=" + r.httpProxy.Listener.Addr().String() // no scheme: http:// is put in front
	socks := "ALL_PROXY=socks5://" + r.socksHostPort
	socksH := "all_proxy=socks5h://" + r.socksHostPort

	// The steps share one client, so each step's counts follow from the
	// ones before: which connection is new and which is reused.
	steps := []struct {
		name string
		env  []string
		url  string
		want counts
	}{
		{name: "http via HTTP_PROXY, loopback target included",
			env: []string{httpProxy}, url: plain,
			want: counts{ProxyAccepts: 1, ProxyForwards: 1, TargetAccepts: 1}},
		{name: "the connection to the proxy is reused",
			env: []string{httpProxy}, url: plain,
			want: counts{ProxyAccepts: 1, ProxyForwards: 2, TargetAccepts: 2}},
		{name: "localhost is proxied too",
			env: []string{httpProxy}, url: localhost,
			want: counts{ProxyAccepts: 1, ProxyForwards: 3, TargetAccepts: 3}},
		{name: "NO_PROXY bypasses: a new direct connection, not the proxy's",
			env: []string{httpProxy, "NO_PROXY=127.0.0.1"}, url: plain,
			want: counts{ProxyAccepts: 1, ProxyForwards: 3, TargetAccepts: 4}},
		{name: "the direct connection is reused for a direct request",
			env: []string{httpProxy, "no_proxy=127.0.0.0/8"}, url: plain,
			want: counts{ProxyAccepts: 1, ProxyForwards: 3, TargetAccepts: 4}},
		{name: "back to the proxy: its connection, not the direct one",
			env: []string{httpProxy}, url: plain,
			want: counts{ProxyAccepts: 1, ProxyForwards: 4, TargetAccepts: 5}},
		{name: "the CGI rule ignores HTTP_PROXY: direct, on the direct connection",
			env: []string{"REQUEST_METHOD=GET", httpProxy}, url: plain,
			want: counts{ProxyAccepts: 1, ProxyForwards: 4, TargetAccepts: 5}},
		{name: "https via CONNECT on a new connection to the proxy",
			env: []string{httpsProxy}, url: secure,
			want: counts{ProxyAccepts: 2, ProxyForwards: 4, ProxyConnects: 1, TargetAccepts: 5, TLSTargetAccepts: 1}},
		{name: "the tunnel is reused",
			env: []string{httpsProxy}, url: secure,
			want: counts{ProxyAccepts: 2, ProxyForwards: 4, ProxyConnects: 1, TargetAccepts: 5, TLSTargetAccepts: 1}},
		{name: "https bypassing the proxy does not use the tunnel",
			env: []string{httpsProxy, "NO_PROXY=127.0.0.1"}, url: secure,
			want: counts{ProxyAccepts: 2, ProxyForwards: 4, ProxyConnects: 1, TargetAccepts: 5, TLSTargetAccepts: 2}},
		{name: "socks5 via ALL_PROXY for http",
			env: []string{httpProxy, "http_proxy=", socks}, url: plain,
			want: counts{ProxyAccepts: 2, ProxyForwards: 4, ProxyConnects: 1, TargetAccepts: 6, TLSTargetAccepts: 2, SOCKSAccepts: 1}},
		{name: "socks5h via all_proxy for https: another proxy, another connection",
			env: []string{socks, socksH}, url: secure,
			want: counts{ProxyAccepts: 2, ProxyForwards: 4, ProxyConnects: 1, TargetAccepts: 6, TLSTargetAccepts: 3, SOCKSAccepts: 2}},
		{name: "socks5h sends the name for the proxy to resolve",
			env: []string{socksH}, url: named,
			want: counts{ProxyAccepts: 2, ProxyForwards: 4, ProxyConnects: 1, TargetAccepts: 7, TLSTargetAccepts: 3, SOCKSAccepts: 3}},
		{name: "socks5 through net/http sends the name too",
			env: []string{socks}, url: named,
			want: counts{ProxyAccepts: 2, ProxyForwards: 4, ProxyConnects: 1, TargetAccepts: 8, TLSTargetAccepts: 3, SOCKSAccepts: 4}},
		{name: "the socks5 connection to 127.0.0.1 is reused",
			env: []string{socks}, url: plain,
			want: counts{ProxyAccepts: 2, ProxyForwards: 4, ProxyConnects: 1, TargetAccepts: 8, TLSTargetAccepts: 3, SOCKSAccepts: 4}},
		{name: "an http proxy in ALL_PROXY for http",
			env: []string{"ALL_PROXY=" + r.httpProxyURL}, url: plain,
			want: counts{ProxyAccepts: 2, ProxyForwards: 5, ProxyConnects: 1, TargetAccepts: 9, TLSTargetAccepts: 3, SOCKSAccepts: 4}},
	}
	for _, s := range steps {
		environ.Store(&s.env)
		get(t, c, s.url)
		if diff := cmp.Diff(s.want, r.counts()); diff != "" {
			t.Fatalf("after %q (-want +got):\n%s", s.name, diff)
		}
	}
	if diff := cmp.Diff([]string{"target.test", "target.test"}, r.resolver.asked()); diff != "" {
		t.Errorf("names the SOCKS server resolved (-want +got):\n%s", diff)
	}
}

// TestEndToEndProcessEnvironment reads the real environment on every request,
// so a change between two requests takes effect, unlike
// http.ProxyFromEnvironment, which reads it once per process.
func TestEndToEndProcessEnvironment(t *testing.T) {
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasSuffix(strings.ToLower(name), "_proxy") || name == "REQUEST_METHOD" {
			t.Skipf("the environment already has %s; this test needs it free of proxy variables", name)
		}
	}
	r := newRig(t)
	c := &http.Client{Transport: r.transport(t, os.Environ)}

	t.Setenv("http_proxy", r.httpProxyURL)
	get(t, c, r.target.URL)
	t.Setenv("http_proxy", "") // an empty lower-case variable: no proxy
	get(t, c, r.target.URL)
	t.Setenv("http_proxy", r.httpProxyURL)
	t.Setenv("NO_PROXY", "127.0.0.1")
	get(t, c, r.target.URL)
	t.Setenv("NO_PROXY", "localhost")
	get(t, c, r.target.URL)

	want := counts{ProxyAccepts: 1, ProxyForwards: 2, TargetAccepts: 3}
	if diff := cmp.Diff(want, r.counts()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
