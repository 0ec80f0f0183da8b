package request_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/request"
)

// targetServer records the request target (RequestURI) and Authorization
// of every request, and answers /loc?to=... with a 302 whose Location is
// the raw bytes of "to".
type targetServer struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string
	auth []string
}

func newTargetServer(t *testing.T) *targetServer {
	t.Helper()
	ts := &targetServer{}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ts.mu.Lock()
		ts.seen = append(ts.seen, r.RequestURI)
		ts.auth = append(ts.auth, r.Header.Get("Authorization"))
		ts.mu.Unlock()
		if r.URL.Path == "/loc" {
			w.Header()["Location"] = []string{r.URL.Query().Get("to")}
			w.WriteHeader(http.StatusFound)
		}
	}))
	t.Cleanup(ts.Close)
	return ts
}

// TestURLsAsRequestsSendsThem: the request target on the wire is the one
// requests (urllib3) writes, byte for byte (the expected values are
// requests 2.34.2's).
func TestURLsAsRequestsSendsThem(t *testing.T) {
	t.Parallel()
	ts := newTargetServer(t)
	tests := map[string]struct {
		url  string
		want []string
	}{
		"malformed escapes are quoted":     {"/a/%zz?q=%zz", []string{"/a/%25zz?q=%25zz"}},
		"dot segments removed":             {"/a/./b/../c/.", []string{"/a/c/"}},
		"escapes upper-cased":              {"/p%2f%c3%a9?q=%2f", []string{"/p%2F%C3%A9?q=%2F"}},
		"characters urllib3 quotes":        {"/x[1]|^{}`?a=[|]", []string{"/x%5B1%5D%7C%5E%7B%7D%60?a=%5B%7C%5D"}},
		"unreserved escapes decoded":       {"/%7Euser/%41", []string{"/~user/A"}},
		"space and non-ASCII":              {"/a b/é?q=a b", []string{"/a%20b/%C3%A9?q=a%20b"}},
		"raw non-ASCII Location keeps %2F": {"/loc?to=" + urlEscape("/café/%2F"), []string{"/loc?to=%2Fcaf%C3%A9%2F%252F", "/caf%C3%A9/%2F"}},
		"Location with a bad escape":       {"/loc?to=" + urlEscape("/d%zz"), []string{"/loc?to=%2Fd%25zz", "/d%25zz"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			ts.mu.Lock()
			ts.seen = nil
			ts.mu.Unlock()
			if _, err := request.Get(ts.URL + tc.url).Do(context.Background()); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, ts.seen); diff != "" {
				t.Errorf("targets (-want +got):\n%s", diff)
			}
		})
	}
}

// TestURLUserinfoAuth: requests sends no auth for a user name alone.
func TestURLUserinfoAuth(t *testing.T) {
	t.Parallel()
	ts := newTargetServer(t)
	host := ts.URL[len("http://"):]
	tests := map[string]struct{ url, want string }{
		"user alone":          {"http://user@" + host + "/", ""},
		"user, empty pass":    {"http://user:@" + host + "/", "Basic dXNlcjo="},
		"user and pass":       {"http://uu:pp@" + host + "/", "Basic dXU6cHA="},
		"escaped credentials": {"http://u%40x:p%3Ay@" + host + "/", "Basic dUB4OnA6eQ=="},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			ts.mu.Lock()
			ts.auth = nil
			ts.mu.Unlock()
			if _, err := request.Get(tc.url).Do(context.Background()); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{tc.want}, ts.auth); diff != "" {
				t.Errorf("Authorization (-want +got):\n%s", diff)
			}
		})
	}
}
