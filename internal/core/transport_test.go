package core

import (
	"net/http"
	"testing"
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
