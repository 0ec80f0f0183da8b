package client_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/jar"
)

// TestJarCookieHeaderIsWhatIsSent: jar.CookieHeader gives the Cookie
// header a session sends from that jar, byte for byte.
func TestJarCookieHeaderIsWhatIsSent(t *testing.T) {
	t.Parallel()
	got := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/set" {
			// Values net/http's parser refuses but the jar keeps.
			w.Header().Add("Set-Cookie", `json={"a":1}; Path=/`)
			w.Header().Add("Set-Cookie", `q="x"; Path=/a`)
			return
		}
		got <- r.Header.Get("Cookie")
	}))
	defer srv.Close()
	s := client.New()
	defer s.Close()
	for _, err := range []error{
		s.Jar().Set("wide", "1"),
		s.Jar().Set("dom", `"quoted"`, jar.Domain("127.0.0.1")),
		s.Jar().Set("other", "x", jar.Domain("example.com")),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Get(srv.URL + "/set").Do(context.Background()); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(srv.URL + "/a/b")
	want := s.Jar().CookieHeader(u)
	if _, err := s.Get(u.String()).Do(context.Background()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, <-got); diff != "" {
		t.Errorf("Cookie sent (-CookieHeader +sent):\n%s", diff)
	}
	if want == "" {
		t.Error("CookieHeader is empty")
	}
}
