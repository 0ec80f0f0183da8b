package core

import (
	"crypto/tls"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCloseIdle: CloseIdle reaches a transport that pools, and leaves
// alone one that does not or is nil, a typed nil included (whose method
// would panic).
func TestCloseIdle(t *testing.T) {
	tests := map[string]http.RoundTripper{
		"untyped nil":               nil,
		"typed nil *http.Transport": (*http.Transport)(nil),
		"nil *Router":               (*Router)(nil),
		"*http.Transport":           &http.Transport{},
		"no CloseIdleConnections":   roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, nil }),
	}
	for name, rt := range tests {
		t.Run(name, func(t *testing.T) {
			CloseIdle(rt) // must not panic
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestConnectHeaders: a CONNECT carries the proxy's credentials and no
// User-Agent, as urllib3's tunnel does.
func TestConnectHeaders(t *testing.T) {
	got := make(chan http.Header, 1)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Clone()
		w.WriteHeader(http.StatusForbidden)
	}))
	defer proxy.Close()
	pu, _ := url.Parse(proxy.URL)
	pu.User = url.UserPassword("u", "p")
	tr := NewTransport(TransportConfig{Proxy: func(*url.URL) (*url.URL, error) { return pu, nil }})
	defer tr.CloseIdleConnections()
	req, _ := http.NewRequest(http.MethodGet, "https://example.invalid/", nil)
	req.Header.Set("User-Agent", "session-agent")
	if _, err := tr.RoundTrip(req); !errors.Is(err, ErrProxyTunnel) {
		t.Fatalf("RoundTrip error = %v, want ErrProxyTunnel", err)
	}
	h := <-got
	want := map[string]string{"User-Agent": "", "Proxy-Authorization": "Basic dTpw"}
	gotH := map[string]string{"User-Agent": h.Get("User-Agent"), "Proxy-Authorization": h.Get("Proxy-Authorization")}
	if diff := cmp.Diff(want, gotH); diff != "" {
		t.Errorf("CONNECT headers (-want +got):\n%s", diff)
	}
}

// protocols is the set of the protocols named true.
func protocols(http1, http2, h2c bool) http.Protocols {
	var p http.Protocols
	p.SetHTTP1(http1)
	p.SetHTTP2(http2)
	p.SetUnencryptedHTTP2(h2c)
	return p
}

// TestCheckProtocols: of the eight sets, the empty one and those where
// Go's transport would ignore UnencryptedHTTP2 (HTTP1 with it) are
// refused.
func TestCheckProtocols(t *testing.T) {
	tests := map[string]struct {
		p    http.Protocols
		want bool // accepted
	}{
		"none":                    {protocols(false, false, false), false},
		"HTTP1":                   {protocols(true, false, false), true},
		"HTTP2":                   {protocols(false, true, false), true},
		"UnencryptedHTTP2":        {protocols(false, false, true), true},
		"HTTP1, HTTP2":            {protocols(true, true, false), true},
		"HTTP1, UnencryptedHTTP2": {protocols(true, false, true), false},
		"HTTP2, UnencryptedHTTP2": {protocols(false, true, true), true},
		"all three":               {protocols(true, true, true), false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := CheckProtocols(tc.p) == nil; got != tc.want {
				t.Errorf("CheckProtocols(%v) = %v, want accepted: %v", tc.p, CheckProtocols(tc.p), tc.want)
			}
		})
	}
}

// TestRestrictKeepsTLSConfig: restricting the protocols keeps the
// caller's VerifyConnection, which is asked first, and leaves the
// caller's tls.Config as it was.
func TestRestrictKeepsTLSConfig(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	errPinned := errors.New("not the pinned certificate")
	var asked []string
	cfg := &tls.Config{
		RootCAs:    srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs,
		NextProtos: []string{"h2", "http/1.1"},
		VerifyConnection: func(cs tls.ConnectionState) error {
			asked = append(asked, cs.NegotiatedProtocol)
			return errPinned
		},
	}
	p := protocols(false, true, false)
	tr := NewTransport(TransportConfig{TLS: cfg, Protocols: &p})
	defer tr.CloseIdleConnections()
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	if _, err := tr.RoundTrip(req); !errors.Is(err, errPinned) || errors.Is(err, ErrProtocol) {
		t.Errorf("RoundTrip error = %v, want the caller's own", err)
	}
	if diff := cmp.Diff([]string{"h2"}, asked); diff != "" {
		t.Errorf("the caller's VerifyConnection saw (-want +got):\n%s", diff)
	}

	h1 := protocols(true, false, false)
	tr1 := NewTransport(TransportConfig{TLS: cfg, Protocols: &h1})
	defer tr1.CloseIdleConnections()
	if diff := cmp.Diff([]string{"http/1.1"}, tr1.TLSClientConfig.NextProtos); diff != "" {
		t.Errorf("NextProtos with HTTP1 only (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"h2", "http/1.1"}, cfg.NextProtos); diff != "" {
		t.Errorf("the caller's NextProtos (-want +got):\n%s", diff)
	}
}
