package testserver_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/internal/testserver"
)

// TestFlaky checks the flaky route: failures counted per key (whatever the
// method and host name), then 200; Retry-After and Set-Cookie on failures
// only; bad queries are 400s; scripting parameters do not apply; Reset
// forgets the counts.
func TestFlaky(t *testing.T) {
	srv := testserver.New(t)
	c := &http.Client{}
	defer c.CloseIdleConnections()
	type answer struct {
		Status     int
		RetryAfter string
		SetCookie  string
	}
	send := func(method, base, query string) answer {
		t.Helper()
		resp := get(t, c, method, base+testserver.FlakyPath+"?"+query, "b", nil)
		return answer{resp.StatusCode, resp.Header.Get("Retry-After"), resp.Header.Get("Set-Cookie")}
	}
	const q2 = "key=k2&fail=2&status=429&retry_after=0&cookie=f%3D1"
	got := []answer{
		send(http.MethodGet, srv.URL, q2),
		send(http.MethodPost, srv.LocalhostURL(), q2), // same server, same key
		send(http.MethodGet, srv.URL, q2),
		send(http.MethodGet, srv.URL, q2),
		send(http.MethodGet, srv.URL, "key=k1"), // defaults: one 503
		send(http.MethodGet, srv.URL, "key=k1"),
		send(http.MethodGet, srv.URL, "key=k0&fail=0"),
		send(http.MethodGet, srv.URL, "key=k3&status=302&location=/x"), // not scripted
		send(http.MethodGet, srv.URL, "fail=1"),
		send(http.MethodGet, srv.URL, "key=k4&fail=x"),
		send(http.MethodGet, srv.URL, "key=k4&status=99"),
	}
	want := []answer{
		{429, "0", "f=1"}, {429, "0", "f=1"}, {200, "", ""}, {200, "", ""},
		{503, "", ""}, {200, "", ""},
		{200, "", ""},
		{302, "", ""},
		{400, "", ""}, {400, "", ""}, {400, "", ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("answers (-want +got):\n%s", diff)
	}
	if n := len(srv.Requests()); n != len(want) {
		t.Errorf("recorded %d requests, want %d", n, len(want))
	}
	srv.Reset()
	if a := send(http.MethodGet, srv.URL, "key=k1"); a.Status != 503 {
		t.Errorf("after Reset: %d, want 503 again", a.Status)
	}
}
