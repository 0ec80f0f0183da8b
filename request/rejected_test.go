package request_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// TestAuthResult: an Auth that leaves the request without a header or a
// URL is an ErrAuth error and nothing is sent, also when the call would
// follow a redirect that sets a cookie (which once panicked writing the
// cookie into the nil header).
func TestAuthResult(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		auth request.AuthFunc
		want error
	}{
		"header kept":    {auth: func(r *http.Request) error { r.Header.Set("X-Signed", "1"); return nil }},
		"nil header":     {auth: func(r *http.Request) error { r.Header = nil; return nil }, want: request.ErrAuth},
		"nil URL":        {auth: func(r *http.Request) error { r.URL = nil; return nil }, want: request.ErrAuth},
		"header emptied": {auth: func(r *http.Request) error { r.Header = http.Header{}; return nil }},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testserver.New(t)
			s := client.New()
			defer s.Close()
			resp, err := s.Get(srv.URL + "/cookies/set/a/1").Auth(tc.auth).Do(context.Background())
			switch {
			case tc.want == nil && (err != nil || resp.StatusCode() != http.StatusOK):
				t.Errorf("Do: %v %v", resp, err)
			case !errors.Is(err, tc.want):
				t.Errorf("Do error = %v, want %v", err, tc.want)
			}
			wantSent := 2 // the redirect and /cookies
			if tc.want != nil {
				wantSent = 0
			}
			if diff := cmp.Diff(wantSent, len(srv.Requests())); diff != "" {
				t.Errorf("requests the server got (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCurlCommandErrors: a request curl cannot send as Go does is an
// ErrInvalidOption error, not an untyped one.
func TestCurlCommandErrors(t *testing.T) {
	t.Parallel()
	s := client.New()
	defer s.Close()
	const u = "http://example.com/x"
	tests := map[string]struct {
		b    request.Builder
		want error
	}{
		"GET":            {b: s.Get(u)},
		"HEAD with body": {b: s.Head(u).BodyBytes([]byte("x")), want: request.ErrInvalidOption},
		"CONNECT":        {b: s.Request("CONNECT", u), want: request.ErrInvalidOption},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cmd, err := tc.b.CurlCommand(context.Background())
			switch {
			case tc.want == nil && (err != nil || cmd == ""):
				t.Errorf("CurlCommand = %q, %v", cmd, err)
			case !errors.Is(err, tc.want):
				t.Errorf("CurlCommand error = %v, want %v", err, tc.want)
			}
		})
	}
}
