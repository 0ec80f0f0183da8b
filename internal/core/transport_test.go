package core

import (
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
