package client_test

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

// TestTypedNilTransport: a typed nil RoundTripper (a nil *http.Transport)
// does what an untyped nil does where a transport is given: WithTransport
// keeps the default, Mount removes the mount, a middleware returning it is
// an error. Nothing panics, Close included.
func TestTypedNilTransport(t *testing.T) {
	t.Parallel()
	var nilTransport *http.Transport
	tests := map[string]struct {
		session    func(srvURL string) *client.Session
		want       error
		wantMounts []string
	}{
		"WithTransport keeps the default": {
			session: func(string) *client.Session { return client.New(client.WithTransport(nilTransport)) },
		},
		"WithTransport after another keeps the default": {
			session: func(string) *client.Session {
				return client.New(client.WithTransport(&http.Transport{}), client.WithTransport(nilTransport))
			},
		},
		"Mount removes the mount": {
			session: func(u string) *client.Session {
				return client.New().Mount(u, &http.Transport{}).Mount(u, nilTransport)
			},
		},
		"Mount of a new prefix mounts nothing": {
			session: func(u string) *client.Session { return client.New().Mount(u, nilTransport) },
		},
		"Use middleware returning it is an error": {
			session: func(string) *client.Session {
				return client.New().Use(func(http.RoundTripper) http.RoundTripper { return nilTransport })
			},
			want: request.ErrInvalidOption,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testserver.New(t)
			s := tc.session(srv.URL)
			defer s.Close()
			if err := s.Err(); !errors.Is(err, tc.want) || tc.want == nil && err != nil {
				t.Errorf("Err() = %v, want %v", err, tc.want)
			}
			if diff := cmp.Diff(tc.wantMounts, s.Mounts()); diff != "" {
				t.Errorf("Mounts() (-want +got):\n%s", diff)
			}
			checkCall(t, s.Get(srv.URL+"/get"), srv, tc.want)
			if err := s.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
	}
}

// TestSetHeaderErrors: a header or bearer token that Do would refuse is
// rejected when set, as an ErrInvalidHeader error from Err and every Do,
// and is not stored; a valid value for the same header (or DelHeader)
// clears it.
func TestSetHeaderErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		set        func(*client.Session)
		want       error
		wantHeader map[string][]string // the session's values of these names (nil: absent)
		wantAuth   request.Auth
	}{
		"SetHeader bad name": {
			set:        func(s *client.Session) { s.SetHeader("bad name", "v") },
			want:       request.ErrInvalidHeader,
			wantHeader: map[string][]string{"bad name": nil},
		},
		"SetHeader value with LF keeps the old value": {
			set:        func(s *client.Session) { s.SetHeader("X-A", "old").SetHeader("X-A", "a\nb") },
			want:       request.ErrInvalidHeader,
			wantHeader: map[string][]string{"X-A": {"old"}},
		},
		"SetHeader value with leading space": {
			set:        func(s *client.Session) { s.SetHeader("X-A", " v") },
			want:       request.ErrInvalidHeader,
			wantHeader: map[string][]string{"X-A": nil},
		},
		"SetHeader one bad value of several": {
			set:        func(s *client.Session) { s.SetHeader("X-A", "ok", "a\x00b") },
			want:       request.ErrInvalidHeader,
			wantHeader: map[string][]string{"X-A": nil},
		},
		"SetHeaders sets the valid ones": {
			set:        func(s *client.Session) { s.SetHeaders(map[string]string{"bad\nname": "v", "x-ok": "1"}) },
			want:       request.ErrInvalidHeader,
			wantHeader: map[string][]string{"bad\nname": nil, "X-Ok": {"1"}},
		},
		"another header keeps it": {
			set:        func(s *client.Session) { s.SetHeader("X-A", "a\rb").SetHeader("X-B", "ok") },
			want:       request.ErrInvalidHeader,
			wantHeader: map[string][]string{"X-A": nil, "X-B": {"ok"}},
		},
		"a valid value clears it": {
			set:        func(s *client.Session) { s.SetHeader("x-a", "a\rb").SetHeaders(map[string]string{"X-A": "ok"}) },
			wantHeader: map[string][]string{"X-A": {"ok"}},
		},
		"DelHeader clears it": {
			set:        func(s *client.Session) { s.SetHeader("bad name", "v").DelHeader("bad name") },
			wantHeader: map[string][]string{"bad name": nil},
		},
		"SetBearerToken with LF keeps the old auth": {
			set:      func(s *client.Session) { s.SetBearerToken("good").SetBearerToken("a\nb") },
			want:     request.ErrInvalidHeader,
			wantAuth: request.BearerAuth{Token: "good"},
		},
		"SetAuth BearerAuth pointer with CR": {
			set:  func(s *client.Session) { s.SetAuth(&request.BearerAuth{Token: "a\rb"}) },
			want: request.ErrInvalidHeader,
		},
		"a valid token clears it": {
			set:      func(s *client.Session) { s.SetBearerToken("a\nb").SetBearerToken("ok") },
			wantAuth: request.BearerAuth{Token: "ok"},
		},
		"SetBasicAuth with CR LF is encoded": {
			set:      func(s *client.Session) { s.SetBasicAuth("a\r\nb", "c\nd") },
			wantAuth: request.BasicAuth{Username: "a\r\nb", Password: "c\nd"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testserver.New(t)
			s := client.New()
			defer s.Close()
			tc.set(s)
			if err := s.Err(); !errors.Is(err, tc.want) || tc.want == nil && err != nil {
				t.Errorf("Err() = %v, want %v", err, tc.want)
			}
			var got map[string][]string
			if tc.wantHeader != nil {
				h := s.Headers()
				got = map[string][]string{}
				for k := range tc.wantHeader {
					got[k] = h[k]
				}
			}
			if diff := cmp.Diff(tc.wantHeader, got); diff != "" {
				t.Errorf("Headers() (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantAuth, s.Auth()); diff != "" {
				t.Errorf("Auth() (-want +got):\n%s", diff)
			}
			checkCall(t, s.Get(srv.URL+"/get"), srv, tc.want)
		})
	}
}

// checkCall does b and checks that it fails with an error matching want,
// which does not match ErrTransport (nothing went wrong on the wire), and
// that srv got nothing; or, with a nil want, that it got one request and
// answered 200.
func checkCall(t *testing.T, b request.Builder, srv *testserver.Server, want error) {
	t.Helper()
	resp, err := b.Do(context.Background())
	switch {
	case want == nil && (err != nil || resp.StatusCode() != http.StatusOK):
		t.Errorf("Do: %v %v", resp, err)
	case want != nil && (!errors.Is(err, want) || errors.Is(err, request.ErrTransport)):
		t.Errorf("Do error = %v, want %v and not %v", err, want, request.ErrTransport)
	}
	wantSent := 1
	if want != nil {
		wantSent = 0
	}
	if diff := cmp.Diff(wantSent, len(srv.Requests())); diff != "" {
		t.Errorf("requests the server got (-want +got):\n%s", diff)
	}
}
