package testserver_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/internal/testserver"
)

// TestEntries checks labels (set by Mark and by the mark route, which is
// not recorded), sequence numbers across servers and connection numbers.
func TestEntries(t *testing.T) {
	srv, other := testserver.New(t), testserver.New(t)
	c := &http.Client{}
	defer c.CloseIdleConnections()

	get(t, c, http.MethodGet, srv.URL+"/get", "", nil)
	srv.Mark("one")
	get(t, c, http.MethodGet, other.URL+"/get", "", nil)
	get(t, c, http.MethodGet, srv.URL+"/echo", "", nil)
	get(t, c, http.MethodGet, srv.URL+testserver.MarkPath+"?label=two", "", nil)
	get(t, c, http.MethodGet, srv.LocalhostURL()+"/get", "", nil)

	type row struct {
		Path  string
		Label string
		Conn  int64
	}
	var got []row
	es := srv.Entries()
	for i, e := range es {
		got = append(got, row{e.Path, e.Label, e.Conn})
		if i > 0 && e.Seq <= es[i-1].Seq {
			t.Errorf("Seq not increasing: %d after %d", e.Seq, es[i-1].Seq)
		}
	}
	// The mark request came on the first connection too; localhost is a
	// second one.
	want := []row{{"/get", "", 1}, {"/echo", "one", 1}, {"/get", "two", 2}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	o := other.Entries()
	if len(o) != 1 || o[0].Label != "" || o[0].Seq <= es[0].Seq || o[0].Seq >= es[1].Seq {
		t.Errorf("other server's entries %+v: want one unlabelled request between the first two of srv", o)
	}
	if n := len(srv.Requests()); n != 3 {
		t.Errorf("Requests() has %d entries, want 3 (the mark route is not recorded)", n)
	}
	srv.Reset()
	get(t, c, http.MethodGet, srv.URL+"/get", "", nil)
	if es := srv.Entries(); len(es) != 1 || es[0].Label != "" {
		t.Errorf("after Reset: %+v, want one unlabelled entry", es)
	}
}

// TestRedirectLoop checks that /redirect-loop answers 302 to itself.
func TestRedirectLoop(t *testing.T) {
	srv := testserver.New(t)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	defer c.CloseIdleConnections()
	resp := get(t, c, http.MethodGet, srv.URL+"/redirect-loop?x=1", "", nil)
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/redirect-loop?x=1" {
		t.Errorf("got %d Location %q, want 302 to itself", resp.StatusCode, resp.Header.Get("Location"))
	}
}
