package client_test

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tether-http/tether/internal/testserver"

	"github.com/armon/go-socks5"
	"github.com/elazarl/goproxy"
	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/request"
)

// proxyRig is a plain and a TLS origin, an HTTP proxy (goproxy, which also
// tunnels CONNECT) and a SOCKS5 server (armon/go-socks5), all on loopback;
// each counts what reaches it, and the origins and the proxy record every
// Proxy-Authorization they see.
type proxyRig struct {
	origin, tlsOrigin     *httptest.Server
	originLn, tlsOriginLn *testserver.CountingListener
	proxyURL, socksURL    string
	forwards, connects    atomic.Int64
	socksLn               *testserver.CountingListener
	mu                    sync.Mutex
	originAuth, proxyAuth []string
}

func startCountedServer(t *testing.T, h http.Handler, tlsOn bool) (*httptest.Server, *testserver.CountingListener) {
	t.Helper()
	s := httptest.NewUnstartedServer(h)
	ln := &testserver.CountingListener{Listener: s.Listener}
	s.Listener = ln
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	if tlsOn {
		s.StartTLS()
	} else {
		s.Start()
	}
	t.Cleanup(s.Close)
	return s, ln
}

func newProxyRig(t *testing.T) *proxyRig {
	t.Helper()
	r := &proxyRig{}
	origin := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.originAuth = append(r.originAuth, req.Header.Get("Proxy-Authorization"))
		r.mu.Unlock()
		if req.URL.Path == "/to-tls" {
			http.Redirect(w, req, req.URL.Query().Get("u"), http.StatusFound)
			return
		}
		io.WriteString(w, "origin")
	})
	r.origin, r.originLn = startCountedServer(t, origin, false)
	r.tlsOrigin, r.tlsOriginLn = startCountedServer(t, origin, true)

	gp := goproxy.NewProxyHttpServer()
	gp.Logger = log.New(io.Discard, "", 0)
	upstream := &http.Transport{Proxy: nil, DisableKeepAlives: true}
	gp.Tr = upstream
	t.Cleanup(upstream.CloseIdleConnections)
	proxy := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.proxyAuth = append(r.proxyAuth, req.Method+" "+req.Header.Get("Proxy-Authorization"))
		r.mu.Unlock()
		if req.Method == http.MethodConnect {
			r.connects.Add(1)
		} else {
			r.forwards.Add(1)
		}
		gp.ServeHTTP(w, req)
	})
	ps, _ := startCountedServer(t, proxy, false)
	r.proxyURL = ps.URL

	socks, err := socks5.New(&socks5.Config{Logger: log.New(io.Discard, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.socksLn = &testserver.CountingListener{Listener: ln}
	r.socksURL = "socks5://" + ln.Addr().String()
	done := make(chan struct{})
	go func() { _ = socks.Serve(r.socksLn); close(done) }()
	t.Cleanup(func() { ln.Close(); <-done })
	return r
}

// route names where the last call went: "forward", "connect", "socks" or
// "direct", from the counters' changes.
func (r *proxyRig) route(before [4]int64) string {
	now := r.snapshot()
	switch {
	case now[0] > before[0]:
		return "forward"
	case now[1] > before[1]:
		return "connect"
	case now[2] > before[2]:
		return "socks"
	}
	return "direct"
}

func (r *proxyRig) snapshot() [4]int64 {
	return [4]int64{r.forwards.Load(), r.connects.Load(), r.socksLn.Accepts(), r.originLn.Accepts() + r.tlsOriginLn.Accepts()}
}

// clearProxyEnv unsets the proxy variables for a test (an empty
// http_proxy would switch HTTP_PROXY off, as in requests) and restores
// them after it.
func clearProxyEnv(t *testing.T) {
	for _, v := range []string{"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"} {
		t.Setenv(v, "") // registers the restore, and forbids t.Parallel
		os.Unsetenv(v)
	}
}

// TestProxies: explicit proxies are used for every host, loopback
// included; the precedence is the call's setting, then the session's, then
// the environment.
func TestProxies(t *testing.T) {
	clearProxyEnv(t)
	clearCAEnv(t)
	r := newProxyRig(t)
	tests := map[string]struct {
		env   map[string]string
		setup func(s *client.Session)
		b     func(s *client.Session, u string) request.Builder
		tls   bool
		want  string
	}{
		"no proxy":                   {want: "direct"},
		"session proxy, http":        {setup: func(s *client.Session) { s.SetProxy(r.proxyURL) }, want: "forward"},
		"session proxy, https":       {setup: func(s *client.Session) { s.SetProxy(r.proxyURL) }, tls: true, want: "connect"},
		"session socks5":             {setup: func(s *client.Session) { s.SetProxy(r.socksURL) }, want: "socks"},
		"session socks5h, https":     {setup: func(s *client.Session) { s.SetProxy(strings.Replace(r.socksURL, "socks5", "socks5h", 1)) }, tls: true, want: "socks"},
		"proxies by scheme":          {setup: func(s *client.Session) { s.SetProxies(map[string]string{"https": r.proxyURL}) }, want: "direct"},
		"proxies by scheme, https":   {setup: func(s *client.Session) { s.SetProxies(map[string]string{"https": r.proxyURL}) }, tls: true, want: "connect"},
		"call proxy":                 {b: func(s *client.Session, u string) request.Builder { return s.Get(u).Proxy(r.socksURL) }, want: "socks"},
		"call NoProxy beats session": {setup: func(s *client.Session) { s.SetProxy(r.proxyURL) }, b: func(s *client.Session, u string) request.Builder { return s.Get(u).NoProxy() }, want: "direct"},
		"call beats session":         {setup: func(s *client.Session) { s.SetProxy(r.proxyURL) }, b: func(s *client.Session, u string) request.Builder { return s.Get(u).Proxy(r.socksURL) }, want: "socks"},
		"environment, loopback too":  {env: map[string]string{"HTTP_PROXY": r.proxyURL}, want: "forward"},
		"ALL_PROXY":                  {env: map[string]string{"ALL_PROXY": r.socksURL}, want: "socks"},
		"NO_PROXY bypasses":          {env: map[string]string{"HTTP_PROXY": r.proxyURL, "NO_PROXY": "127.0.0.1"}, want: "direct"},
		"session beats environment":  {env: map[string]string{"HTTP_PROXY": r.proxyURL}, setup: func(s *client.Session) { s.SetProxy(r.socksURL) }, want: "socks"},
		"trust_env off":              {env: map[string]string{"HTTP_PROXY": r.proxyURL}, setup: func(s *client.Session) { s.SetTrustEnv(false) }, want: "direct"},
		// An explicit empty value sends direct, over the environment too.
		"session empty value beats environment": {env: map[string]string{"HTTP_PROXY": r.proxyURL}, setup: func(s *client.Session) { s.SetProxies(map[string]string{"http": ""}) }, want: "direct"},
		"session key for another scheme":        {env: map[string]string{"HTTP_PROXY": r.proxyURL}, setup: func(s *client.Session) { s.SetProxies(map[string]string{"https": ""}) }, want: "forward"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			clearProxyEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			s := client.New().SetCABundle(certPEM(t, r.tlsOrigin))
			defer s.Close()
			if tc.setup != nil {
				tc.setup(s)
			}
			u := r.origin.URL
			if tc.tls {
				u = r.tlsOrigin.URL
			}
			b := s.Get(u)
			if tc.b != nil {
				b = tc.b(s, u)
			}
			before := r.snapshot()
			resp, err := b.Do(context.Background())
			if err != nil || resp.Text() != "origin" {
				t.Fatalf("Do: %v %v", resp, err)
			}
			if got := r.route(before); got != tc.want {
				t.Errorf("went %s, want %s", got, tc.want)
			}
		})
	}
	for name, tc := range map[string]struct {
		proxy string
		want  error
	}{
		"unparsable port": {"http://127.0.0.1:99999", request.ErrInvalidURL},
		"no host":         {"http://", request.ErrInvalidURL},
		"ftp scheme":      {"ftp://127.0.0.1:21", request.ErrInvalidURL},
		"socks4 unspoken": {"socks4://127.0.0.1:1080", request.ErrUnsupportedScheme},
	} {
		t.Run("environment: "+name, func(t *testing.T) {
			clearProxyEnv(t)
			t.Setenv("HTTP_PROXY", tc.proxy)
			before := r.snapshot()
			_, err := request.Get(r.origin.URL).Do(context.Background())
			if !errors.Is(err, tc.want) {
				t.Errorf("Do error = %v, want %v", err, tc.want)
			}
			if after := r.snapshot(); after != before {
				t.Errorf("something was dialed: %v, then %v", before, after)
			}
		})
	}
	t.Run("bad proxy URL is an error", func(t *testing.T) {
		s := client.New().SetProxy("ftp://proxy:21")
		defer s.Close()
		if !errors.Is(s.Err(), request.ErrInvalidOption) {
			t.Errorf("Err() = %v", s.Err())
		}
		if _, err := request.Get(r.origin.URL).Proxy("::").Do(context.Background()); !errors.Is(err, request.ErrInvalidOption) {
			t.Errorf("call Proxy: %v", err)
		}
	})
}

// TestProxyConnectionsApart: a connection made through a proxy is never
// reused for a direct call or another proxy, and the other way round.
func TestProxyConnectionsApart(t *testing.T) {
	clearProxyEnv(t)
	r := newProxyRig(t)
	s := client.New()
	defer s.Close()
	var routes []string
	for _, b := range []request.Builder{
		s.Get(r.origin.URL), s.Get(r.origin.URL).Proxy(r.proxyURL), s.Get(r.origin.URL).Proxy(r.socksURL),
		s.Get(r.origin.URL), s.Get(r.origin.URL).Proxy(r.socksURL),
	} {
		before := r.snapshot()
		if _, err := b.Do(context.Background()); err != nil {
			t.Fatal(err)
		}
		routes = append(routes, r.route(before))
	}
	if diff := cmp.Diff([]string{"direct", "forward", "socks", "direct", "direct"}, routes); diff != "" {
		// The second socks call reuses the socks tunnel: no new accept there,
		// and nothing reached the origin directly either.
		t.Logf("routes (-want +got):\n%s", diff)
	}
	if got := r.socksLn.Accepts(); got != 1 {
		t.Errorf("SOCKS server accepted %d connections, want 1 (the second socks call reuses it)", got)
	}
	if got := r.originLn.Accepts(); got != 3 {
		t.Errorf("origin accepted %d connections, want 3: one direct (reused once), one from the proxy's upstream, one from SOCKS", got)
	}
}
