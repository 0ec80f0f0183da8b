package request_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// redirectEnv is a session with the recording server as H1 (127.0.0.1),
// H2 (localhost, same server) and H3 (another server on 127.0.0.1).
type redirectEnv struct {
	s          *client.Session
	srv, srv3  *testserver.Server
	h1, h2, h3 string
}

func newRedirectEnv(t *testing.T) *redirectEnv {
	t.Helper()
	srv, srv3 := testserver.New(t), testserver.New(t)
	s := client.New()
	t.Cleanup(func() { _ = s.Close() })
	return &redirectEnv{s: s, srv: srv, srv3: srv3, h1: srv.URL, h2: srv.LocalhostURL(), h3: srv3.URL}
}

// script returns path on origin answering status with Location loc and
// the given Set-Cookie headers.
func script(origin, path string, status int, loc string, cookies ...string) string {
	q := url.Values{"status": {fmt.Sprint(status)}}
	if loc != "" {
		q.Set("location", loc)
	}
	for _, c := range cookies {
		q.Add("set-cookie", c)
	}
	return origin + path + "?" + q.Encode()
}

// hops sends b and returns what both servers saw, in order.
func (e *redirectEnv) hops(t *testing.T, b request.Builder) (*request.Response, []testserver.Recorded) {
	t.Helper()
	e.srv.Reset()
	e.srv3.Reset()
	resp, err := b.Do(context.Background())
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	return resp, e.recorded()
}

func (e *redirectEnv) recorded() []testserver.Recorded {
	all := append(e.srv.Entries(), e.srv3.Entries()...)
	slices.SortFunc(all, func(a, b testserver.Entry) int { return cmp.Compare(a.Seq, b.Seq) })
	out := make([]testserver.Recorded, len(all))
	for i := range all {
		out[i] = all[i].Recorded
	}
	return out
}

func (e *redirectEnv) request(method, u string) request.Builder { return e.s.Request(method, u) }

// TestRedirectMethodAndBody checks requests' rebuild_method and body rules
// for every redirect status and method: 303 and 302 turn everything but
// HEAD into GET, 301 turns POST into GET, 307 and 308 keep method and body;
// a dropped body drops Content-Type and Content-Length (Go's transport
// sends Content-Length: 0 for a bodyless POST, PUT or PATCH, as urllib3).
func TestRedirectMethodAndBody(t *testing.T) {
	t.Parallel()
	methods := []string{"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"}
	for _, status := range []int{301, 302, 303, 307, 308} {
		for _, method := range methods {
			t.Run(fmt.Sprintf("%d/%s", status, method), func(t *testing.T) {
				t.Parallel()
				e := newRedirectEnv(t)
				b := e.request(method, script(e.h1, "/start", status, "/dest")).FollowRedirects()
				if method != "HEAD" {
					b = b.BodyBytes([]byte("payload")).Header("Content-Type", "text/plain")
				}
				resp, recs := e.hops(t, b)
				if len(recs) != 2 || len(resp.History()) != 1 {
					t.Fatalf("%d hops, %d history entries, want 2 and 1", len(recs), len(resp.History()))
				}
				wantMethod := method
				switch {
				case (status == 302 || status == 303) && method != "HEAD",
					status == 301 && method == "POST":
					wantMethod = "GET"
				}
				keep := (status == 307 || status == 308) && method != "HEAD"
				hop := recs[1]
				got := struct{ Method, Path, Body, Type, Length string }{
					hop.Method, hop.Path, hop.Body, hop.Header.Get("Content-Type"), strings.Join(hop.Header.Values("Content-Length"), ","),
				}
				want := struct{ Method, Path, Body, Type, Length string }{Method: wantMethod, Path: "/dest"}
				switch {
				case keep:
					want.Body, want.Type, want.Length = "payload", "text/plain", "7"
				case wantMethod == "POST" || wantMethod == "PUT" || wantMethod == "PATCH":
					want.Length = "0"
				}
				if diff := gocmp.Diff(want, got); diff != "" {
					t.Errorf("hop 2 (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestRedirectReplaysBody checks that 307/308 resend replayable bodies and
// refuse one-shot readers with ErrBodyNotReplayable.
func TestRedirectReplaysBody(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		body    func() io.Reader
		wantErr error
	}{
		"strings.Reader": {body: func() io.Reader { return strings.NewReader("payload") }},
		"io.SectionReader (a seeker)": {body: func() io.Reader {
			return io.NewSectionReader(strings.NewReader("xxpayload"), 2, 7)
		}},
		"one-shot reader": {
			body:    func() io.Reader { return io.MultiReader(strings.NewReader("payload")) },
			wantErr: request.ErrBodyNotReplayable,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newRedirectEnv(t)
			_, err := e.s.Post(script(e.h1, "/start", 307, "/dest")).Body(tc.body()).Do(context.Background())
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Do: %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr != nil {
				return
			}
			recs := e.recorded()
			if len(recs) != 2 || recs[0].Body != "payload" || recs[1].Body != "payload" {
				t.Errorf("bodies sent: %+v, want payload twice", recs)
			}
		})
	}
}

// TestRedirectURL checks how Locations resolve and that the fragment is
// carried to Response.URL but never sent.
func TestRedirectURL(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		start    func(e *redirectEnv) string
		wantPath []string // what the server saw, hop by hop
		wantURL  func(e *redirectEnv) string
	}{
		"fragment carried over": {
			start:    func(e *redirectEnv) string { return script(e.h1, "/start", 302, "/dest") + "#f1" },
			wantPath: []string{"/start", "/dest"},
			wantURL:  func(e *redirectEnv) string { return e.h1 + "/dest#f1" },
		},
		"Location fragment replaces it": {
			start:    func(e *redirectEnv) string { return script(e.h1, "/start", 302, "/dest#new") + "#f1" },
			wantPath: []string{"/start", "/dest"},
			wantURL:  func(e *redirectEnv) string { return e.h1 + "/dest#new" },
		},
		"fragment over a chain": {
			start:    func(e *redirectEnv) string { return e.h1 + "/redirect/2#f" },
			wantPath: []string{"/redirect/2", "/relative-redirect/1", "/get"},
			wantURL:  func(e *redirectEnv) string { return e.h1 + "/get#f" },
		},
		"relative": {
			start:    func(e *redirectEnv) string { return script(e.h1, "/a/start", 302, "dest2") },
			wantPath: []string{"/a/start", "/a/dest2"},
			wantURL:  func(e *redirectEnv) string { return e.h1 + "/a/dest2" },
		},
		"dot segments and a query": {
			start:    func(e *redirectEnv) string { return script(e.h1, "/a/b/start", 302, "../up?x=1") },
			wantPath: []string{"/a/b/start", "/a/up"},
			wantURL:  func(e *redirectEnv) string { return e.h1 + "/a/up?x=1" },
		},
		"scheme-relative to H3": {
			start: func(e *redirectEnv) string {
				return script(e.h1, "/start", 302, "//"+strings.TrimPrefix(e.h3, "http://")+"/d")
			},
			wantPath: []string{"/start", "/d"},
			wantURL:  func(e *redirectEnv) string { return e.h3 + "/d" },
		},
		"absolute to H2": {
			start:    func(e *redirectEnv) string { return script(e.h1, "/start", 308, e.h2+"/d") },
			wantPath: []string{"/start", "/d"},
			wantURL:  func(e *redirectEnv) string { return e.h2 + "/d" },
		},
		"Location with a space and UTF-8 in the query": {
			start:    func(e *redirectEnv) string { return script(e.h1, "/start", 302, "/d?q=é x") },
			wantPath: []string{"/start", "/d"},
			wantURL:  func(e *redirectEnv) string { return e.h1 + "/d?q=%C3%A9%20x" },
		},
		"Location with a space": {
			start:    func(e *redirectEnv) string { return script(e.h1, "/start", 302, "/d e") },
			wantPath: []string{"/start", "/d e"},
			wantURL:  func(e *redirectEnv) string { return e.h1 + "/d%20e" },
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newRedirectEnv(t)
			resp, recs := e.hops(t, e.s.Get(tc.start(e)))
			var paths []string
			for _, r := range recs {
				paths = append(paths, r.Path)
			}
			if diff := gocmp.Diff(tc.wantPath, paths); diff != "" {
				t.Errorf("paths (-want +got):\n%s", diff)
			}
			if got, want := resp.URL().String(), tc.wantURL(e); got != want {
				t.Errorf("URL() = %s, want %s", got, want)
			}
			if n := len(resp.History()); n != len(tc.wantPath)-1 {
				t.Errorf("%d history entries, want %d", n, len(tc.wantPath)-1)
			}
		})
	}
}

// TestRedirectHistory checks that History is oldest first and that every
// entry knows its own URL.
func TestRedirectHistory(t *testing.T) {
	t.Parallel()
	e := newRedirectEnv(t)
	resp, _ := e.hops(t, e.s.Get(e.h1+"/redirect/3"))
	var got []string
	for _, h := range resp.History() {
		got = append(got, fmt.Sprint(h.StatusCode(), " ", h.URL().Path))
	}
	want := []string{"302 /redirect/3", "302 /relative-redirect/2", "302 /relative-redirect/1"}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	if resp.StatusCode() != 200 || resp.URL().Path != "/get" {
		t.Errorf("final response %d %s, want 200 /get", resp.StatusCode(), resp.URL())
	}
}

// TestRedirectCredentials checks which hops carry Authorization and
// Proxy-Authorization.
func TestRedirectCredentials(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		target    func(e *redirectEnv) string // the Location
		setup     func(e *redirectEnv)
		header    [2]string // a method header
		check     string    // the header checked on hop 2
		wantHop2  bool
		wantFirst bool
	}{
		"auth kept H1→H1 relative": {
			target: func(*redirectEnv) string { return "/dest" }, setup: basicSU, check: "Authorization", wantFirst: true, wantHop2: true,
		},
		"auth kept H1→H1 absolute": {
			target: func(e *redirectEnv) string { return e.h1 + "/dest" }, setup: basicSU, check: "Authorization", wantFirst: true, wantHop2: true,
		},
		"auth stripped H1→H2 (host name)": {
			target: func(e *redirectEnv) string { return e.h2 + "/dest" }, setup: basicSU, check: "Authorization", wantFirst: true,
		},
		"auth stripped H1→H3 (port)": {
			target: func(e *redirectEnv) string { return e.h3 + "/dest" }, setup: basicSU, check: "Authorization", wantFirst: true,
		},
		"Authorization header stripped H1→H2": {
			target: func(e *redirectEnv) string { return e.h2 + "/dest" }, header: [2]string{"Authorization", "Bearer m"},
			check: "Authorization", wantFirst: true,
		},
		"Authorization header kept H1→H1": {
			target: func(*redirectEnv) string { return "/dest" }, header: [2]string{"Authorization", "Bearer m"},
			check: "Authorization", wantFirst: true, wantHop2: true,
		},
		// With no proxy it would reach the origin: never sent (CVE-2023-32681;
		// requests sends it on the first hop).
		"Proxy-Authorization never sent without a proxy": {
			target: func(*redirectEnv) string { return "/dest" }, header: [2]string{"Proxy-Authorization", "Basic abc"},
			check: "Proxy-Authorization", wantFirst: false,
		},
		"custom header kept H1→H3": {
			target: func(e *redirectEnv) string { return e.h3 + "/dest" }, header: [2]string{"X-M", "m"},
			check: "X-M", wantFirst: true, wantHop2: true,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newRedirectEnv(t)
			if tc.setup != nil {
				tc.setup(e)
			}
			b := e.s.Get(script(e.h1, "/start", 302, tc.target(e)))
			if tc.header[0] != "" {
				b = b.Header(tc.header[0], tc.header[1])
			}
			_, recs := e.hops(t, b)
			if len(recs) != 2 {
				t.Fatalf("%d hops, want 2", len(recs))
			}
			if got := recs[0].Header.Get(tc.check) != ""; got != tc.wantFirst {
				t.Errorf("hop 1 %s present = %v, want %v", tc.check, got, tc.wantFirst)
			}
			if got := recs[1].Header.Get(tc.check) != ""; got != tc.wantHop2 {
				t.Errorf("hop 2 %s present = %v (%q), want %v", tc.check, got, recs[1].Header.Get(tc.check), tc.wantHop2)
			}
		})
	}
}

func basicSU(e *redirectEnv) { e.s.SetBasicAuth("su", "sp") }

// TestStripAuth is requests' should_strip_auth table (test_requests.py
// test_should_strip_auth_*), plus the port and case rules.
func TestStripAuth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		old, next string
		strip     bool
	}{
		{"http://example.com/foo", "http://example.com/bar", false},
		{"http://example.com/foo", "http://example.com:80/bar", false},
		{"http://example.com:80/foo", "http://example.com/bar", false},
		{"https://example.com/foo", "https://example.com:443/bar", false},
		{"http://Example.COM/foo", "http://example.com/bar", false},
		{"http://example.com/foo", "https://example.com/bar", false},
		{"http://example.com:80/foo", "https://example.com/bar", false},
		{"http://example.com/foo", "https://example.com:443/bar", false},
		{"http://example.com:80/foo", "https://example.com:443/bar", false},
		{"http://example.com:8080/foo", "http://example.com:8080/bar", false},
		{"http://example.com/foo", "http://other.com/bar", true},
		{"http://example.com/foo", "http://sub.example.com/bar", true},
		{"https://example.com/foo", "http://example.com/bar", true},
		{"https://example.com:443/foo", "http://example.com:80/bar", true},
		{"http://example.com:8080/foo", "https://example.com/bar", true},
		{"http://example.com/foo", "https://example.com:8443/bar", true},
		{"http://example.com/foo", "http://example.com:8080/bar", true},
		{"http://example.com:8080/foo", "http://example.com:8081/bar", true},
		{"http://example.com:8080/foo", "http://example.com/bar", true},
		{"https://example.com:443/foo", "https://example.com:8443/bar", true},
		{"http://127.0.0.1:1234/foo", "http://localhost:1234/bar", true},
	}
	for _, tc := range tests {
		old, _ := url.Parse(tc.old)
		next, _ := url.Parse(tc.next)
		if got := request.StripAuth(old, next); got != tc.strip {
			t.Errorf("StripAuth(%s, %s) = %v, want %v", tc.old, tc.next, got, tc.strip)
		}
	}
}

// TestRedirectCookies checks that the Cookie header is rebuilt for every
// hop from the jar, after storing that hop's Set-Cookie, and what crosses
// to another host.
func TestRedirectCookies(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		setup func(e *redirectEnv)
		req   func(e *redirectEnv) request.Builder
		want  [][]string // cookies per hop
	}{
		"a cookie set by the redirect goes to the next hop": {
			req: func(e *redirectEnv) request.Builder {
				return e.s.Get(script(e.h1, "/start", 302, "/dest", "r=1; Path=/"))
			},
			want: [][]string{nil, {"r=1"}},
		},
		"a quoted cookie goes back quoted": {
			req: func(e *redirectEnv) request.Builder {
				return e.s.Get(script(e.h1, "/start", 302, "/dest", `q="a b"; Path=/`))
			},
			want: [][]string{nil, {`q="a b"`}},
		},
		"a cookie deleted by the redirect is not sent": {
			setup: func(e *redirectEnv) {
				e.s.Jar().SetCookies(mustURL(e.h1), []*http.Cookie{{Name: "d", Value: "1", Path: "/"}})
			},
			req: func(e *redirectEnv) request.Builder {
				return e.s.Get(script(e.h1, "/start", 302, "/dest", "d=; Max-Age=0; Path=/"))
			},
			want: [][]string{{"d=1"}, nil},
		},
		"an explicit Cookie header is dropped after hop 1": {
			setup: func(e *redirectEnv) { e.s.SetCookie("x", "1") },
			req: func(e *redirectEnv) request.Builder {
				return e.s.Get(script(e.h1, "/start", 302, "/dest")).Header("Cookie", "h=1")
			},
			want: [][]string{{"h=1"}, {"x=1"}},
		},
		"method and session-wide cookies stay on the host asked for (H2)": {
			setup: func(e *redirectEnv) { e.s.SetCookie("sup", "1") },
			req: func(e *redirectEnv) request.Builder {
				return e.s.Get(script(e.h1, "/start", 302, e.h2+"/dest", "r=1; Path=/")).Cookie("m", "1")
			},
			want: [][]string{{"sup=1", "m=1"}, nil},
		},
		"cookies do not depend on the port (H3)": {
			setup: func(e *redirectEnv) { e.s.SetCookie("sup", "1") },
			req: func(e *redirectEnv) request.Builder {
				return e.s.Get(script(e.h1, "/start", 302, e.h3+"/dest", "r=1; Path=/")).Cookie("m", "1")
			},
			want: [][]string{{"sup=1", "m=1"}, {"sup=1", "r=1", "m=1"}},
		},
		"back on the first host after a detour, method cookies return": {
			req: func(e *redirectEnv) request.Builder {
				back := script(e.h1, "/back", 302, "/dest")
				return e.s.Get(script(e.h1, "/start", 302, script(e.h2, "/detour", 302, back))).Cookie("m", "1")
			},
			want: [][]string{{"m=1"}, nil, {"m=1"}, {"m=1"}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newRedirectEnv(t)
			if tc.setup != nil {
				tc.setup(e)
			}
			_, recs := e.hops(t, tc.req(e))
			var got [][]string
			for _, r := range recs {
				got = append(got, rawCookies(r))
			}
			if diff := gocmp.Diff(tc.want, got); diff != "" {
				t.Errorf("cookies per hop (-want +got):\n%s", diff)
			}
		})
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// rawCookies splits the Cookie header as sent (Recorded.Cookies goes
// through net/http's parser, which drops quotes).
func rawCookies(r testserver.Recorded) []string {
	var out []string
	for _, v := range r.Header.Values("Cookie") {
		for _, p := range strings.Split(v, ";") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// TestRedirectLimit checks requests' max_redirects accounting: a chain as
// long as the limit succeeds; one more fails with a *RedirectError after
// limit+1 requests, carrying the last redirect with limit history entries;
// a loop ends the same way.
func TestRedirectLimit(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		max      int // -1: the default
		path     string
		wantErr  bool
		wantReqs int
		wantHist int
	}{
		"chain of 30":           {max: -1, path: "/redirect/30", wantReqs: 31, wantHist: 30},
		"chain of 31":           {max: -1, path: "/redirect/31", wantErr: true, wantReqs: 31, wantHist: 30},
		"loop":                  {max: -1, path: "/redirect-loop", wantErr: true, wantReqs: 31, wantHist: 30},
		"max 2, chain of 2":     {max: 2, path: "/redirect/2", wantReqs: 3, wantHist: 2},
		"max 2, chain of 3":     {max: 2, path: "/redirect/3", wantErr: true, wantReqs: 3, wantHist: 2},
		"max 0, one redirect":   {max: 0, path: "/redirect/1", wantErr: true, wantReqs: 1, wantHist: 0},
		"max 0, no redirect":    {max: 0, path: "/get", wantReqs: 1, wantHist: 0},
		"max 1, loop":           {max: 1, path: "/redirect-loop", wantErr: true, wantReqs: 2, wantHist: 1},
		"max 30 set explicitly": {max: 30, path: "/redirect/31", wantErr: true, wantReqs: 31, wantHist: 30},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newRedirectEnv(t)
			if tc.max >= 0 {
				e.s.SetMaxRedirects(tc.max)
			}
			resp, err := e.s.Get(e.h1 + tc.path).Do(context.Background())
			if n := len(e.srv.Requests()); n != tc.wantReqs {
				t.Errorf("server saw %d requests, want %d", n, tc.wantReqs)
			}
			if !tc.wantErr {
				if err != nil {
					t.Fatalf("Do: %v", err)
				}
				if n := len(resp.History()); n != tc.wantHist {
					t.Errorf("%d history entries, want %d", n, tc.wantHist)
				}
				return
			}
			if !errors.Is(err, request.ErrTooManyRedirects) {
				t.Fatalf("Do: %v, want ErrTooManyRedirects", err)
			}
			var re *request.RedirectError
			if !errors.As(err, &re) {
				t.Fatalf("Do: %T, want *request.RedirectError", err)
			}
			if resp != nil {
				t.Error("Do returned a response with the error")
			}
			wantMax := tc.max
			if wantMax < 0 {
				wantMax = 30
			}
			if re.Max != wantMax || re.Response.StatusCode() != 302 || len(re.Response.History()) != tc.wantHist {
				t.Errorf("RedirectError{Max: %d, Response: %d with %d history}, want {%d, 302 with %d}",
					re.Max, re.Response.StatusCode(), len(re.Response.History()), wantMax, tc.wantHist)
			}
		})
	}
}

// TestNoRedirects checks that NoRedirects (and a session's Head) return
// the redirect with its next URL, store its cookies, and never fail on the
// redirect limit; and which statuses are not redirects at all.
func TestNoRedirects(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		req        func(e *redirectEnv) request.Builder
		wantStatus int
		wantNext   func(e *redirectEnv) string // "" for nil
		wantJar    string                      // a cookie "k=v" the response must have stored
	}{
		"NoRedirects on a 302": {
			req: func(e *redirectEnv) request.Builder {
				return e.s.Get(script(e.h1, "/start", 302, "/dest", "k=v; Path=/")).NoRedirects()
			},
			wantStatus: 302, wantNext: func(e *redirectEnv) string { return e.h1 + "/dest" }, wantJar: "k=v",
		},
		"NoRedirects keeps the fragment in Next": {
			req: func(e *redirectEnv) request.Builder {
				return e.s.Get(script(e.h1, "/start", 307, "dest") + "#f").NoRedirects()
			},
			wantStatus: 307, wantNext: func(e *redirectEnv) string { return e.h1 + "/dest#f" },
		},
		"NoRedirects with max redirects 0": {
			req: func(e *redirectEnv) request.Builder {
				e.s.SetMaxRedirects(0)
				return e.s.Get(e.h1 + "/redirect/1").NoRedirects()
			},
			wantStatus: 302, wantNext: func(e *redirectEnv) string { return e.h1 + "/get" },
		},
		"Head does not follow": {
			req:        func(e *redirectEnv) request.Builder { return e.s.Head(script(e.h1, "/start", 302, "/dest")) },
			wantStatus: 302, wantNext: func(e *redirectEnv) string { return e.h1 + "/dest" },
		},
		"300 is no redirect": {
			req:        func(e *redirectEnv) request.Builder { return e.s.Get(script(e.h1, "/start", 300, "/dest")) },
			wantStatus: 300,
		},
		"304 is no redirect": {
			req:        func(e *redirectEnv) request.Builder { return e.s.Get(script(e.h1, "/start", 304, "/dest")) },
			wantStatus: 304,
		},
		"302 without Location is no redirect": {
			req:        func(e *redirectEnv) request.Builder { return e.s.Get(script(e.h1, "/start", 302, "")) },
			wantStatus: 302,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newRedirectEnv(t)
			resp, recs := e.hops(t, tc.req(e))
			if len(recs) != 1 {
				t.Errorf("%d requests, want 1", len(recs))
			}
			if resp.StatusCode() != tc.wantStatus {
				t.Errorf("status %d, want %d", resp.StatusCode(), tc.wantStatus)
			}
			var next, want string
			if n := resp.Next(); n != nil {
				next = n.String()
			}
			if tc.wantNext != nil {
				want = tc.wantNext(e)
			}
			if next != want {
				t.Errorf("Next() = %q, want %q", next, want)
			}
			if tc.wantJar != "" {
				k, v, _ := strings.Cut(tc.wantJar, "=")
				if got, err := e.s.Jar().Get(k); err != nil || got != v {
					t.Errorf("jar %s = %q, %v; want %q stored from the unfollowed redirect", k, got, err, v)
				}
			}
		})
	}
}
