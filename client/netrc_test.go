package client_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/request"
)

// authServer records the Authorization of every request by host, and
// answers /away?to=URL with a redirect there.
type authServer struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string
}

func newAuthServer(t *testing.T) *authServer {
	t.Helper()
	a := &authServer{}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		a.seen = append(a.seen, strings.Split(r.Host, ":")[0]+" "+r.Header.Get("Authorization"))
		a.mu.Unlock()
		if to := r.URL.Query().Get("to"); to != "" {
			http.Redirect(w, r, to, http.StatusFound)
		}
	}))
	t.Cleanup(a.Close)
	return a
}

func (a *authServer) take() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := a.seen
	a.seen = nil
	return out
}

// TestNetrc: requests-semantics §5.22 and the CVE-2024-47081 rule: the
// netrc entry of the exact host, under trust_env, after call and session
// auth, before an Authorization header and URL userinfo; on a redirect only
// the new host's own entry.
func TestNetrc(t *testing.T) {
	a := newAuthServer(t)
	port := a.URL[strings.LastIndexByte(a.URL, ':'):]
	path := filepath.Join(t.TempDir(), "netrc")
	const netrc = "machine 127.0.0.1 login nuser password npass\nmachine example.com login evil password leak\n"
	if err := os.WriteFile(path, []byte(netrc), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("NETRC", path)
	const fromNetrc = "Basic bnVzZXI6bnBhc3M=" // nuser:npass
	h1, h2 := a.URL, "http://localhost"+port
	tests := map[string]struct {
		setup func(s *client.Session)
		b     func(s *client.Session) request.Builder
		want  []string
	}{
		"netrc entry":                   {b: func(s *client.Session) request.Builder { return s.Get(h1) }, want: []string{"127.0.0.1 " + fromNetrc}},
		"beats an Authorization header": {b: func(s *client.Session) request.Builder { return s.Get(h1).Header("Authorization", "Bearer h") }, want: []string{"127.0.0.1 " + fromNetrc}},
		"beats URL userinfo":            {b: func(s *client.Session) request.Builder { return s.Get(strings.Replace(h1, "//", "//uu:pp@", 1)) }, want: []string{"127.0.0.1 " + fromNetrc}},
		"call auth wins":                {b: func(s *client.Session) request.Builder { return s.Get(h1).BasicAuth("m", "m") }, want: []string{"127.0.0.1 Basic bTpt"}},
		"session auth wins":             {setup: func(s *client.Session) { s.SetBasicAuth("s", "s") }, b: func(s *client.Session) request.Builder { return s.Get(h1) }, want: []string{"127.0.0.1 Basic czpz"}},
		"NoAuth sends none":             {b: func(s *client.Session) request.Builder { return s.Get(h1).NoAuth() }, want: []string{"127.0.0.1 "}},
		"trust_env off":                 {setup: func(s *client.Session) { s.SetTrustEnv(false) }, b: func(s *client.Session) request.Builder { return s.Get(h1) }, want: []string{"127.0.0.1 "}},
		"no entry for the host":         {b: func(s *client.Session) request.Builder { return s.Get(h2) }, want: []string{"localhost "}},
		"not to a redirect's host": {
			b:    func(s *client.Session) request.Builder { return s.Get(h1 + "/?to=" + urlQuery(h2+"/x")) },
			want: []string{"127.0.0.1 " + fromNetrc, "localhost "},
		},
		"a redirect's host gets its own entry": {
			b:    func(s *client.Session) request.Builder { return s.Get(h2 + "/?to=" + urlQuery(h1+"/x")) },
			want: []string{"localhost ", "127.0.0.1 " + fromNetrc},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := client.New()
			defer s.Close()
			if tc.setup != nil {
				tc.setup(s)
			}
			a.take()
			if _, err := tc.b(s).Do(context.Background()); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, a.take()); diff != "" {
				t.Errorf("Authorization by host (-want +got):\n%s", diff)
			}
		})
	}
}

func urlQuery(s string) string {
	return strings.NewReplacer(":", "%3A", "/", "%2F", "?", "%3F", "&", "%26").Replace(s)
}
