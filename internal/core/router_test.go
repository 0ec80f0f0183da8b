package core

import (
	"context"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMountTarget: a mount prefix is matched against the URL as package
// request sends a hop, without userinfo and an explicit default port,
// whatever the URL of a request made elsewhere holds.
func TestMountTarget(t *testing.T) {
	tests := []struct {
		name, url, want string
	}{
		{"plain", "http://h.test/p?q=1", "http://h.test/p?q=1"},
		{"other port kept", "http://h.test:8080/p", "http://h.test:8080/p"},
		{"http default port", "http://h.test:80/p", "http://h.test/p"},
		{"https default port", "https://h.test:443/p", "https://h.test/p"},
		{"https on 80 kept", "https://h.test:80/p", "https://h.test:80/p"},
		{"empty port", "http://h.test:/p", "http://h.test/p"},
		{"userinfo", "http://u:p@h.test/p", "http://h.test/p"},
		{"userinfo and default port", "http://u@h.test:80/p", "http://h.test/p"},
		{"IPv6 without port", "http://[::1]/p", "http://[::1]/p"},
		{"IPv6 default port", "http://[::1]:80/p", "http://[::1]/p"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := url.Parse(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			before := *u
			if diff := cmp.Diff(tt.want, mountTarget(u)); diff != "" {
				t.Errorf("mountTarget(%q) (-want +got):\n%s", tt.url, diff)
			}
			if *u != before {
				t.Errorf("mountTarget changed its URL to %q", u)
			}
		})
	}
}

// TestRoute: Route adds nothing to a context that carries no call, and
// hides one it carries behind a nil call.
func TestRoute(t *testing.T) {
	bg := context.Background()
	call := &Call{NoTrustEnv: true}
	withCall := WithCall(bg, call)
	tests := []struct {
		name     string
		ctx      context.Context
		call     *Call
		wantSame bool
		want     *Call
	}{
		{"nil call, no call in context", bg, nil, true, nil},
		{"nil call hides the context's", withCall, nil, false, nil},
		{"call", bg, call, false, call},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Route(tt.ctx, tt.call)
			if diff := cmp.Diff([]any{tt.wantSame, tt.want}, []any{got == tt.ctx, callFrom(got)}); diff != "" {
				t.Errorf("same context, call (-want +got):\n%s", diff)
			}
		})
	}
}
