package client_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"slices"
	"testing"

	"github.com/armon/go-socks5"
	"github.com/elazarl/goproxy"
	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// protocolSet is the set of the protocols named true.
func protocolSet(http1, http2, h2c bool) *http.Protocols {
	var p http.Protocols
	p.SetHTTP1(http1)
	p.SetHTTP2(http2)
	p.SetUnencryptedHTTP2(h2c)
	return &p
}

var (
	onlyHTTP1    = protocolSet(true, false, false)
	onlyHTTP2    = protocolSet(false, true, false)
	onlyH2C      = protocolSet(false, false, true)
	http2AndH2C  = protocolSet(false, true, true)
	http1And2    = protocolSet(true, true, false)
	protocolsErr = []error{request.ErrProtocol, request.ErrTLS, request.ErrConnection} // a handshake that agreed on no protocol allowed
	getOnly      = []string{"GET /get"}
)

// withProtocols is the session options for p (none for nil) and a TLS
// configuration that trusts srv (nil for a plain server).
func withProtocols(p *http.Protocols, srv *testserver.Server, nextProtos []string) []client.Option {
	var opts []client.Option
	if p != nil {
		opts = append(opts, client.WithProtocols(*p))
	}
	if srv.TLS != nil {
		pool := x509.NewCertPool()
		pool.AddCert(srv.Certificate())
		opts = append(opts, client.WithTLSConfig(&tls.Config{RootCAs: pool, NextProtos: nextProtos}))
	}
	return opts
}

// wire is what a call's protocols came to: the response's protocol, the
// one the server recorded last, the TCP connections it accepted and the
// requests it recorded (method and target).
type wire struct {
	Proto, ServerProto string
	Conns              int64
	Requests           []string
}

// TestWithProtocols: a session speaks only the protocols WithProtocols
// allows, on its own transport and on every TLS variant a call's
// Verify(false), CABundle or ClientCert makes; a server or URL those
// protocols cannot reach fails with ErrProtocol, with nothing sent, and
// is not retried.
func TestWithProtocols(t *testing.T) {
	t.Parallel()
	_, certFile, keyFile := clientCertFiles(t)
	tests := map[string]struct {
		protocols  *http.Protocols // nil: no WithProtocols
		server     func(testing.TB) *testserver.Server
		https      bool     // an https:// URL to a plain server (a scheme no protocol serves)
		nextProtos []string // WithTLSConfig's
		// call sets the call's TLS (a variant of the session's transport)
		call    func(t *testing.T, b request.Builder, srv *testserver.Server) request.Builder
		want    wire
		wantErr []error
	}{
		"default, TLS offering HTTP/2":    {server: testserver.NewHTTP2, want: wire{"HTTP/2.0", "HTTP/2.0", 1, getOnly}},
		"default, TLS with HTTP/1.1 only": {server: testserver.NewTLS, want: wire{"HTTP/1.1", "HTTP/1.1", 1, getOnly}},
		"default, cleartext":              {server: testserver.New, want: wire{"HTTP/1.1", "HTTP/1.1", 1, getOnly}},
		"default, cleartext offering h2c": {server: testserver.NewH2C, want: wire{"HTTP/1.1", "HTTP/1.1", 1, getOnly}},
		"HTTP1 and HTTP2, as the default": {protocols: http1And2, server: testserver.NewHTTP2, want: wire{"HTTP/2.0", "HTTP/2.0", 1, getOnly}},
		"default, NextProtos http/1.1":    {server: testserver.NewHTTP2, nextProtos: []string{"http/1.1"}, want: wire{"HTTP/2.0", "HTTP/2.0", 1, getOnly}},
		"HTTP1, NextProtos http/1.1":      {protocols: onlyHTTP1, server: testserver.NewHTTP2, nextProtos: []string{"http/1.1"}, want: wire{"HTTP/1.1", "HTTP/1.1", 1, getOnly}},
		"HTTP1, TLS offering HTTP/2":      {protocols: onlyHTTP1, server: testserver.NewHTTP2, want: wire{"HTTP/1.1", "HTTP/1.1", 1, getOnly}},
		"HTTP1, NextProtos with h2":       {protocols: onlyHTTP1, server: testserver.NewHTTP2, nextProtos: []string{"h2", "http/1.1"}, want: wire{"HTTP/1.1", "HTTP/1.1", 1, getOnly}},
		"HTTP1, cleartext offering h2c":   {protocols: onlyHTTP1, server: testserver.NewH2C, want: wire{"HTTP/1.1", "HTTP/1.1", 1, getOnly}},
		"HTTP2, TLS offering HTTP/2":      {protocols: onlyHTTP2, server: testserver.NewHTTP2, want: wire{"HTTP/2.0", "HTTP/2.0", 1, getOnly}},
		"HTTP2, TLS with HTTP/1.1 only":   {protocols: onlyHTTP2, server: testserver.NewTLS, want: wire{Conns: 1}, wantErr: protocolsErr},
		"HTTP2, TLS without ALPN":         {protocols: onlyHTTP2, server: testserver.NewTLSWithoutALPN, want: wire{Conns: 1}, wantErr: protocolsErr},
		"HTTP2, cleartext":                {protocols: onlyHTTP2, server: testserver.NewH2C, wantErr: []error{request.ErrProtocol}},
		"h2c, cleartext offering h2c":     {protocols: onlyH2C, server: testserver.NewH2C, want: wire{"HTTP/2.0", "HTTP/2.0", 1, getOnly}},
		"h2c, cleartext with HTTP/1.1": {
			// The server reads the connection preface as a request, which
			// net/http hands to its handler (for an h2c upgrade); the GET
			// never reaches it.
			protocols: onlyH2C, server: testserver.New, want: wire{ServerProto: "HTTP/2.0", Conns: 1, Requests: []string{"PRI *"}},
			wantErr: []error{request.ErrProtocol, request.ErrConnection},
		},
		"h2c, https":                      {protocols: onlyH2C, server: testserver.NewHTTP2, wantErr: []error{request.ErrProtocol}},
		"HTTP2 and h2c, TLS offering it":  {protocols: http2AndH2C, server: testserver.NewHTTP2, want: wire{"HTTP/2.0", "HTTP/2.0", 1, getOnly}},
		"HTTP2 and h2c, cleartext":        {protocols: http2AndH2C, server: testserver.NewH2C, want: wire{"HTTP/2.0", "HTTP/2.0", 1, getOnly}},
		"HTTP2 and h2c, TLS without ALPN": {protocols: http2AndH2C, server: testserver.NewTLSWithoutALPN, want: wire{Conns: 1}, wantErr: protocolsErr},
		"HTTP2 and h2c, https to a plain server": {
			protocols: http2AndH2C, server: testserver.New, https: true, want: wire{Conns: 1},
			wantErr: []error{request.ErrTLS, request.ErrConnection}, // reached, and not TLS: not a protocol error
		},
		"HTTP1, a call's Verify(false)": {
			protocols: onlyHTTP1, server: testserver.NewHTTP2, want: wire{"HTTP/1.1", "HTTP/1.1", 1, getOnly},
			call: func(_ *testing.T, b request.Builder, _ *testserver.Server) request.Builder { return b.Verify(false) },
		},
		"HTTP1, a call's CABundle": {
			protocols: onlyHTTP1, server: testserver.NewHTTP2, want: wire{"HTTP/1.1", "HTTP/1.1", 1, getOnly},
			call: func(t *testing.T, b request.Builder, srv *testserver.Server) request.Builder {
				return b.CABundle(certPEM(t, srv.Server))
			},
		},
		"HTTP2, a call's Verify(false), TLS offering HTTP/2": {
			protocols: onlyHTTP2, server: testserver.NewHTTP2, want: wire{"HTTP/2.0", "HTTP/2.0", 1, getOnly},
			call: func(_ *testing.T, b request.Builder, _ *testserver.Server) request.Builder { return b.Verify(false) },
		},
		"HTTP2, a call's Verify(false), TLS with HTTP/1.1 only": {
			protocols: onlyHTTP2, server: testserver.NewTLS, want: wire{Conns: 1}, wantErr: protocolsErr,
			call: func(_ *testing.T, b request.Builder, _ *testserver.Server) request.Builder { return b.Verify(false) },
		},
		"HTTP2, a call's CABundle, TLS without ALPN": {
			protocols: onlyHTTP2, server: testserver.NewTLSWithoutALPN, want: wire{Conns: 1}, wantErr: protocolsErr,
			call: func(t *testing.T, b request.Builder, srv *testserver.Server) request.Builder {
				return b.CABundle(certPEM(t, srv.Server))
			},
		},
		"HTTP2, a call's ClientCert, TLS without ALPN": {
			protocols: onlyHTTP2, server: testserver.NewTLSWithoutALPN, want: wire{Conns: 1}, wantErr: protocolsErr,
			call: func(_ *testing.T, b request.Builder, _ *testserver.Server) request.Builder {
				return b.ClientCert(certFile, keyFile)
			},
		},
		"HTTP1, a call's ClientCert, TLS offering HTTP/2": {
			protocols: onlyHTTP1, server: testserver.NewHTTP2, want: wire{"HTTP/1.1", "HTTP/1.1", 1, getOnly},
			call: func(_ *testing.T, b request.Builder, _ *testserver.Server) request.Builder {
				return b.ClientCert(certFile, keyFile)
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := tc.server(t)
			s := client.New(withProtocols(tc.protocols, srv, tc.nextProtos)...).SetTrustEnv(false)
			defer s.Close()
			if err := s.Err(); err != nil {
				t.Fatalf("Err() = %v", err)
			}
			u := srv.URL + "/get"
			if tc.https {
				u = "https" + u[len("http"):]
			}
			// A retry policy that would try a connection error three times:
			// a protocol error is tried once.
			b := s.Get(u).Retry(request.Retry{Attempts: 3})
			if tc.call != nil {
				b = tc.call(t, b, srv)
			}
			r, err := b.Do(context.Background())
			for _, want := range tc.wantErr {
				if !errors.Is(err, want) {
					t.Errorf("Do error = %v, want one matching %v", err, want)
				}
			}
			if tc.wantErr == nil && err != nil {
				t.Fatalf("Do: %v", err)
			}
			if errors.Is(err, request.ErrProtocol) != slices.Contains(tc.wantErr, request.ErrProtocol) {
				t.Errorf("Do error = %v: ErrProtocol %v, want %v", err, errors.Is(err, request.ErrProtocol), !errors.Is(err, request.ErrProtocol))
			}
			got := wire{Conns: srv.Conns()}
			for _, rec := range srv.Requests() {
				got.Requests = append(got.Requests, rec.Method+" "+rec.RequestURI)
			}
			if err == nil {
				got.Proto = r.Raw().Proto
			}
			if last, ok := srv.Last(); ok {
				got.ServerProto = last.Proto
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("on the wire (-want +got):\n%s", diff)
			}
		})
	}
}

// socksProxy starts a SOCKS5 server on loopback for the test and returns
// its URL.
func socksProxy(t *testing.T) string {
	t.Helper()
	socks, err := socks5.New(&socks5.Config{Logger: log.New(io.Discard, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = socks.Serve(ln); close(done) }()
	t.Cleanup(func() { ln.Close(); <-done })
	return "socks5://" + ln.Addr().String()
}

// httpsProxy starts goproxy behind TLS (offering HTTP/1.1 only, with
// httptest's certificate) for the test and returns its URL.
func httpsProxy(t *testing.T) string {
	t.Helper()
	gp := goproxy.NewProxyHttpServer()
	gp.Logger = log.New(io.Discard, "", 0)
	srv := quietTLS(gp)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestWithProtocolsProxies: through a proxy, the protocols apply as Go's
// transport applies them: inside a CONNECT tunnel (which is HTTP/1.1) and
// a SOCKS5 one, to the server; an http:// URL through an HTTP proxy goes
// to the proxy itself, so h2c needs a proxy that speaks it, and one from
// the environment counts; the TLS to an https:// proxy offers the
// session's protocols too.
func TestWithProtocolsProxies(t *testing.T) {
	clearProxyEnv(t)
	type route struct {
		Proto, ServerProto string   // the response's, and the server's
		Origin, Proxy      []string // what the server and the HTTP proxy recorded: method and target
	}
	tests := map[string]struct {
		protocols *http.Protocols
		origin    func(testing.TB) *testserver.Server
		proxy     string // "http", "https", "socks5", "env" (HTTP_PROXY), or "" for none
		noProxy   bool   // the call's NoProxy
		want      route
		wantErr   []error
	}{
		"HTTP2, CONNECT to TLS offering HTTP/2": {
			protocols: onlyHTTP2, origin: testserver.NewHTTP2, proxy: "http",
			want: route{"HTTP/2.0", "HTTP/2.0", getOnly, []string{"CONNECT"}},
		},
		"HTTP1, CONNECT to TLS offering HTTP/2": {
			protocols: onlyHTTP1, origin: testserver.NewHTTP2, proxy: "http",
			want: route{"HTTP/1.1", "HTTP/1.1", getOnly, []string{"CONNECT"}},
		},
		"HTTP2, CONNECT to TLS with HTTP/1.1 only": {
			// The server, not the proxy, refused HTTP/2.
			protocols: onlyHTTP2, origin: testserver.NewTLS, proxy: "http",
			want: route{Proxy: []string{"CONNECT"}}, wantErr: protocolsErr,
		},
		"h2c, SOCKS5 to a server offering h2c": {
			protocols: onlyH2C, origin: testserver.NewH2C, proxy: "socks5",
			want: route{Proto: "HTTP/2.0", ServerProto: "HTTP/2.0", Origin: getOnly},
		},
		"h2c, an HTTP/1.1 proxy": {
			// goproxy reads the preface as a request it does not record.
			protocols: onlyH2C, origin: testserver.NewH2C, proxy: "http",
			wantErr: []error{request.ErrProtocol, request.ErrConnection},
		},
		"h2c, the environment's HTTP/1.1 proxy": {
			protocols: onlyH2C, origin: testserver.NewH2C, proxy: "env",
			wantErr: []error{request.ErrProtocol, request.ErrConnection},
		},
		"h2c, the environment's proxy and NoProxy": {
			protocols: onlyH2C, origin: testserver.NewH2C, proxy: "env", noProxy: true,
			want: route{Proto: "HTTP/2.0", ServerProto: "HTTP/2.0", Origin: getOnly},
		},
		"HTTP2, an https:// proxy with HTTP/1.1 only": {
			protocols: onlyHTTP2, origin: testserver.NewHTTP2, proxy: "https",
			wantErr: append([]error{request.ErrProxy}, protocolsErr...),
		},
		"HTTP1 and HTTP2, an https:// proxy with HTTP/1.1 only": {
			protocols: http1And2, origin: testserver.NewHTTP2, proxy: "https",
			want: route{Proto: "HTTP/2.0", ServerProto: "HTTP/2.0", Origin: getOnly},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			origin, proxy := tc.origin(t), testserver.NewProxy(t)
			s := client.New(withProtocols(tc.protocols, origin, nil)...)
			defer s.Close()
			switch tc.proxy {
			case "http":
				s.SetProxy(proxy.URL)
			case "https":
				s.SetProxy(httpsProxy(t))
			case "socks5":
				s.SetProxy(socksProxy(t))
			case "env":
				t.Setenv("HTTP_PROXY", proxy.URL)
			}
			b := s.Get(origin.URL + "/get")
			if tc.noProxy {
				b = b.NoProxy()
			}
			r, err := b.Do(context.Background())
			for _, want := range tc.wantErr {
				if !errors.Is(err, want) {
					t.Errorf("Do error = %v, want one matching %v", err, want)
				}
			}
			if tc.wantErr == nil && err != nil {
				t.Fatalf("Do: %v", err)
			}
			var got route
			if err == nil {
				got.Proto = r.Raw().Proto
			}
			for _, rec := range origin.Requests() {
				got.Origin = append(got.Origin, rec.Method+" "+rec.RequestURI)
				got.ServerProto = rec.Proto
			}
			for _, e := range proxy.Entries() {
				got.Proxy = append(got.Proxy, e.Method)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("route (-want +got):\n%s", diff)
			}
		})
	}
}

// TestWithProtocolsMount: a mounted transport keeps its own protocols; the
// session's apply to the URLs no mount matches.
func TestWithProtocolsMount(t *testing.T) {
	t.Parallel()
	mounted, other := testserver.New(t), testserver.New(t)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	s := client.New(client.WithProtocols(*onlyH2C)).SetTrustEnv(false).Mount(mounted.URL+"/", tr)
	defer s.Close()
	r, err := s.Get(mounted.URL + "/get").Do(context.Background())
	if err != nil || r.Raw().Proto != "HTTP/1.1" {
		t.Errorf("through the mount: %v, %v; want HTTP/1.1", r, err)
	}
	if _, err := s.Get(other.URL + "/get").Do(context.Background()); !errors.Is(err, request.ErrProtocol) {
		t.Errorf("elsewhere, to an HTTP/1.1 server: %v, want ErrProtocol", err)
	}
}

// TestSessionProtocols: the getter shows what WithProtocols set, the
// default set otherwise, and the zero set for a caller's own transport.
func TestSessionProtocols(t *testing.T) {
	set := func(h1, h2, h2c bool) http.Protocols {
		var p http.Protocols
		p.SetHTTP1(h1)
		p.SetHTTP2(h2)
		p.SetUnencryptedHTTP2(h2c)
		return p
	}
	tests := []struct {
		name string
		s    func() *client.Session
		want http.Protocols
	}{
		{name: "default", s: func() *client.Session { return client.New() }, want: set(true, true, false)},
		{name: "zero session", s: func() *client.Session { return new(client.Session) }, want: set(true, true, false)},
		{name: "HTTP/1.1 only", s: func() *client.Session { return client.New(client.WithProtocols(set(true, false, false))) }, want: set(true, false, false)},
		{name: "h2c", s: func() *client.Session { return client.New(client.WithProtocols(set(false, false, true))) }, want: set(false, false, true)},
		{name: "a clone", s: func() *client.Session { return client.New(client.WithProtocols(set(false, true, false))).Clone() }, want: set(false, true, false)},
		{name: "own transport", s: func() *client.Session { return client.New(client.WithTransport(&http.Transport{})) }, want: http.Protocols{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.s()
			defer s.Close()
			if got := s.Protocols(); got.String() != tt.want.String() {
				t.Errorf("Protocols() = %v, want %v", got, tt.want)
			}
		})
	}
}
