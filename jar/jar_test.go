package jar_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/jar"
)

// step is one thing that happens to a jar in a table test.
type step struct {
	from    string        // URL the response came from
	set     []string      // its Set-Cookie lines
	advance time.Duration // then advance the clock this much
}

// check is a Cookie header expected for a URL after the steps.
type check struct {
	to   string
	want string
}

func runSteps(t *testing.T, j *jar.Jar, clock *fakeClock, steps []step) {
	t.Helper()
	for _, s := range steps {
		if len(s.set) > 0 {
			j.SetCookies(mustURL(t, s.from), parseSetCookies(t, s.set...))
		}
		clock.Advance(s.advance)
	}
}

func TestRFC6265(t *testing.T) {
	tests := map[string]struct {
		steps  []step
		checks []check
	}{
		"host-only cookie goes to its host only": {
			steps: []step{{from: "http://www.host.test/", set: []string{"a=1"}}},
			checks: []check{
				{"http://www.host.test/", "a=1"},
				{"http://www.host.test:8080/x", "a=1"},
				{"http://WWW.HOST.TEST./", "a=1"},
				{"http://sub.www.host.test/", ""},
				{"http://host.test/", ""},
				{"http://other.test/", ""},
			},
		},
		"domain cookie goes to domain and subdomains": {
			steps: []step{{from: "http://www.host.test/", set: []string{"a=1; Domain=host.test", "b=2; Domain=.HOST.test"}}},
			checks: []check{
				{"http://host.test/", "a=1; b=2"},
				{"http://www.host.test/", "a=1; b=2"},
				{"http://x.y.host.test/", "a=1; b=2"},
				{"http://xhost.test/", ""},
				{"http://other.test/", ""},
			},
		},
		"domain not matching the host is refused": {
			steps: []step{{from: "http://www.host.test/", set: []string{"a=1; Domain=other.test", "b=2; Domain=sub.www.host.test", "c=3; Domain=ost.test"}}},
			checks: []check{
				{"http://other.test/", ""},
				{"http://sub.www.host.test/", ""},
				{"http://www.host.test/", ""},
			},
		},
		"public suffix domain is refused": {
			steps: []step{{from: "http://www.bbc.co.uk/", set: []string{"a=1; Domain=co.uk", "b=2; Domain=uk", "c=3; Domain=bbc.co.uk"}}},
			checks: []check{
				{"http://other.co.uk/", ""},
				{"http://www.bbc.co.uk/", "c=3"},
				{"http://bbc.co.uk/", "c=3"},
			},
		},
		"public suffix host may set a host-only cookie for itself": {
			steps: []step{{from: "http://co.uk/", set: []string{"a=1; Domain=co.uk"}}},
			checks: []check{
				{"http://co.uk/", "a=1"},
				{"http://www.co.uk/", ""},
			},
		},
		"IP hosts are host-only": {
			steps: []step{{from: "http://127.0.0.1:8080/", set: []string{"a=1", "b=2; Domain=127.0.0.1", "c=3; Domain=.0.0.1", "d=4; Domain=example.com"}}},
			checks: []check{
				{"http://127.0.0.1/", "a=1; b=2"},
				{"http://1.127.0.0.1/", ""},
				{"http://example.com/", ""},
			},
		},
		"IPv6 host": {
			steps: []step{{from: "http://[::1]:8080/", set: []string{"a=1"}}},
			checks: []check{
				{"http://[::1]/", "a=1"},
				{"http://127.0.0.1/", ""},
			},
		},
		"default path is the request path up to its last slash": {
			steps: []step{{from: "http://h.test/a/b/c", set: []string{"p1=1", "p2=2; Path=/a", "p3=3; Path=/a/b/", "p4=4; Path=relative"}}},
			checks: []check{
				{"http://h.test/a/b/c", "p3=3; p1=1; p4=4; p2=2"},
				{"http://h.test/a/b", "p1=1; p4=4; p2=2"},
				{"http://h.test/a/bx", "p2=2"},
				{"http://h.test/ax", ""},
				{"http://h.test/", ""},
				{"http://h.test", ""},
			},
		},
		"default path of a top-level request is /": {
			steps:  []step{{from: "http://h.test/file", set: []string{"a=1"}}, {from: "http://h.test", set: []string{"b=2"}}},
			checks: []check{{"http://h.test/", "a=1; b=2"}},
		},
		"secure cookies only over https and wss": {
			steps: []step{{from: "https://h.test/", set: []string{"s=1; Secure", "p=2"}}},
			checks: []check{
				{"https://h.test/", "s=1; p=2"},
				{"wss://h.test/", "s=1; p=2"},
				{"http://h.test/", "p=2"},
				{"ws://h.test/", "p=2"},
			},
		},
		"secure cookie set over http is stored but not sent over http, even to loopback": {
			steps: []step{{from: "http://127.0.0.1/", set: []string{"s=1; Secure"}}, {from: "http://localhost/", set: []string{"t=1; Secure"}}},
			checks: []check{
				{"http://127.0.0.1/", ""},
				{"https://127.0.0.1/", "s=1"},
				{"http://localhost/", ""},
				{"https://localhost/", "t=1"},
			},
		},
		"other schemes are ignored": {
			steps: []step{{from: "ftp://h.test/", set: []string{"a=1"}}, {from: "http://h.test/", set: []string{"b=2"}}},
			checks: []check{
				{"http://h.test/", "b=2"},
				{"ftp://h.test/", ""},
			},
		},
		"HttpOnly cookies are sent": {
			steps:  []step{{from: "http://h.test/", set: []string{"a=1; HttpOnly"}}},
			checks: []check{{"http://h.test/", "a=1"}},
		},
		"max-age wins over expires": {
			steps: []step{{from: "http://h.test/", set: []string{
				"a=1; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
				"b=2; Max-Age=0; Expires=Fri, 01 Jan 2100 00:00:00 GMT",
			}}},
			checks: []check{{"http://h.test/", "a=1"}},
		},
		"max-age expires with the clock": {
			steps: []step{
				{from: "http://h.test/", set: []string{"a=1; Max-Age=60", "b=2; Max-Age=61", "s=3"}, advance: 60 * time.Second},
			},
			checks: []check{{"http://h.test/", "b=2; s=3"}},
		},
		"expires expires with the clock": {
			steps: []step{
				{from: "http://h.test/", set: []string{"a=1; Expires=Wed, 02 Jan 2030 03:05:05 GMT", "b=2; Expires=Wed, 02 Jan 2030 03:05:06 GMT"}, advance: time.Minute},
			},
			checks: []check{{"http://h.test/", "b=2"}},
		},
		"max-age=0 deletes": {
			steps: []step{
				{from: "http://h.test/", set: []string{"a=1", "b=2"}},
				{from: "http://h.test/", set: []string{"a=; Max-Age=0"}},
			},
			checks: []check{{"http://h.test/", "b=2"}},
		},
		"negative max-age deletes": {
			steps: []step{
				{from: "http://h.test/", set: []string{"a=1", "b=2"}},
				{from: "http://h.test/", set: []string{"a=; Max-Age=-5"}},
			},
			checks: []check{{"http://h.test/", "b=2"}},
		},
		"past expires deletes": {
			steps: []step{
				{from: "http://h.test/", set: []string{"a=1", "b=2"}},
				{from: "http://h.test/", set: []string{"a=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT"}},
			},
			checks: []check{{"http://h.test/", "b=2"}},
		},
		"past expires in forms net/http does not parse deletes, as in requests": {
			steps: []step{
				{from: "http://h.test/", set: []string{"a=1", "b=2", "c=3", "d=4", "e=5"}},
				{from: "http://h.test/", set: []string{
					"a=; Expires=Thu, 1 Jan 1970 00:00:01 GMT",
					"b=; Expires=01 Jan 1970 00:00:01 GMT",
					"c=; expires=Thu, 01 Jan 99 00:00:01 GMT",
					// requests reads the two-digit year 70 as 2070 (see
					// TestParseCookieDate); RFC 6265 and browsers as 1970.
					"d=; Expires=Wednesday, 01-Jan-70 00:00:01 GMT",
				}},
			},
			checks: []check{{"http://h.test/", "e=5"}},
		},
		"an expires that is not a date is ignored": {
			steps: []step{
				{from: "http://h.test/", set: []string{"a=1", "b=2"}},
				{from: "http://h.test/", set: []string{"a=3; Expires=not a date", "b=4; Expires=Fri, 01 Jan 2100 00:00 GMT"}},
			},
			checks: []check{{"http://h.test/", "a=3; b=4"}},
		},
		"unquoted values are trimmed, as in requests": {
			steps:  []step{{from: "http://h.test/", set: []string{"a= x", "b=y ; Path=/", "c= a b ", `d=" q "`, "e=  "}}},
			checks: []check{{"http://h.test/", `a=x; b=y; c="a b"; d=" q "; e=`}},
		},
		"deletion needs the same domain and path": {
			steps: []step{
				{from: "http://www.h.test/a/", set: []string{"a=1; Path=/a", "b=2; Domain=h.test; Path=/"}},
				{from: "http://www.h.test/", set: []string{"a=; Max-Age=0; Path=/", "b=; Max-Age=0"}},
			},
			checks: []check{{"http://www.h.test/a/", "a=1; b=2"}},
		},
		"same name, domain and path replaces in place": {
			steps: []step{
				{from: "http://h.test/", set: []string{"a=1", "b=2"}, advance: time.Second},
				{from: "http://h.test/", set: []string{"a=3"}},
			},
			checks: []check{{"http://h.test/", "a=3; b=2"}},
		},
		"host-only and domain cookies of one name coexist on different domains": {
			steps: []step{
				{from: "http://www.h.test/", set: []string{"a=host"}, advance: time.Second},
				{from: "http://www.h.test/", set: []string{"a=dom; Domain=h.test"}},
			},
			checks: []check{
				{"http://www.h.test/", "a=host; a=dom"},
				{"http://x.h.test/", "a=dom"},
			},
		},
		"order: longer paths first, then earlier creation": {
			steps: []step{
				{from: "http://h.test/", set: []string{"c=1"}, advance: time.Second},
				{from: "http://h.test/", set: []string{"b=1; Path=/x"}, advance: time.Second},
				{from: "http://h.test/", set: []string{"a=1"}, advance: time.Second},
				{from: "http://h.test/", set: []string{"d=1; Path=/x/y"}},
			},
			checks: []check{{"http://h.test/x/y/z", "d=1; b=1; c=1; a=1"}},
		},
		"quoted values keep their quotes": {
			steps:  []step{{from: "http://h.test/", set: []string{`q="bar:baz"`, `s="a b"`}}},
			checks: []check{{"http://h.test/", `q="bar:baz"; s="a b"`}},
		},
		"IDN hosts are matched in punycode": {
			steps: []step{{from: "http://www.bücher.test/", set: []string{"a=1; Domain=xn--bcher-kva.test"}}},
			checks: []check{
				{"http://bücher.test/", "a=1"},
				{"http://xn--bcher-kva.test/", "a=1"},
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			clock := newClock()
			j := jar.New(jar.WithClock(clock.Now))
			runSteps(t, j, clock, tc.steps)
			for _, c := range tc.checks {
				got := header(j.Cookies(mustURL(t, c.to)))
				if diff := cmp.Diff(c.want, got); diff != "" {
					t.Errorf("Cookies(%s) mismatch (-want +got):\n%s", c.to, diff)
				}
			}
		})
	}
}

func TestSessionWide(t *testing.T) {
	clock := newClock()
	j := jar.New(jar.WithClock(clock.Now))
	must(t, j.Set("sup", "x"))
	must(t, j.Set("api", "y", jar.Path("/api")))
	must(t, j.Set("sec", "z", jar.Secure()))
	must(t, j.Set("dom", "d", jar.Domain("h.test")))
	j.SetCookies(mustURL(t, "http://h.test/"), parseSetCookies(t, "srv=1"))

	tests := map[string]struct {
		to       string
		cookies  string
		hostOnly string
	}{
		"any http host": {to: "http://other.test/", cookies: "sup=x"},
		"IP host":       {to: "http://127.0.0.1:9/", cookies: "sup=x"},
		"path matching applies": {
			to: "http://other.test/api/v1", cookies: "api=y; sup=x",
		},
		"secure respected": {to: "https://other.test/", cookies: "sup=x; sec=z"},
		"mixed with host cookies in creation order": {
			to: "http://h.test/", cookies: "sup=x; dom=d; srv=1", hostOnly: "dom=d; srv=1",
		},
		"ftp gets nothing": {to: "ftp://h.test/"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			u := mustURL(t, tc.to)
			if diff := cmp.Diff(tc.cookies, header(j.Cookies(u))); diff != "" {
				t.Errorf("Cookies mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.hostOnly, header(j.HostCookies(u))); diff != "" {
				t.Errorf("HostCookies mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSessionWideCannotBeDeletedByServer(t *testing.T) {
	j := jar.New()
	must(t, j.Set("sup", "x"))
	j.SetCookies(mustURL(t, "http://h.test/"), parseSetCookies(t, "sup=; Max-Age=0; Path=/"))
	if diff := cmp.Diff("sup=x", header(j.Cookies(mustURL(t, "http://h.test/")))); diff != "" {
		t.Errorf("Cookies mismatch (-want +got):\n%s", diff)
	}
}

func TestSetCookiesIgnoresBadInput(t *testing.T) {
	j := jar.New()
	u := mustURL(t, "http://h.test/")
	j.SetCookies(nil, parseSetCookies(t, "a=1"))
	j.SetCookies(u, []*http.Cookie{nil, {Name: "bad;name", Value: "1"}, {Name: "b", Value: "semi;colon"}, {Name: "ok", Value: "1"}})
	j.SetCookies(mustURL(t, "http:///path"), parseSetCookies(t, "empty=host"))
	if diff := cmp.Diff("ok=1", header(j.Cookies(u))); diff != "" {
		t.Errorf("Cookies mismatch (-want +got):\n%s", diff)
	}
	if got := j.Cookies(nil); got != nil {
		t.Errorf("Cookies(nil) = %v, want nil", got)
	}
	if got := j.Len(); got != 1 {
		t.Errorf("Len() = %d, want 1", got)
	}
}

func TestZeroValueJar(t *testing.T) {
	var j jar.Jar
	u := mustURL(t, "http://www.bbc.co.uk/")
	j.SetCookies(u, parseSetCookies(t, "a=1; Domain=co.uk", "b=2"))
	if diff := cmp.Diff("b=2", header(j.Cookies(u))); diff != "" {
		t.Errorf("Cookies mismatch (-want +got):\n%s", diff)
	}
}

// TestConcurrent lets many goroutines read and write one jar; run it with
// -race.
func TestConcurrent(t *testing.T) {
	j := jar.New()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			u := mustURL(t, fmt.Sprintf("http://h%d.test/", g%2))
			for i := range 50 {
				j.SetCookies(u, []*http.Cookie{{Name: fmt.Sprintf("c%d", i%5), Value: "v"}})
				_ = j.Cookies(u)
				_ = j.HostCookies(u)
				_ = j.Set(fmt.Sprintf("s%d", g), "v")
				_ = j.All()
				_ = j.Map()
				_ = j.Len()
				_ = j.Clone().Len()
			}
		})
	}
	wg.Wait()
	if got, want := j.Len(), 2*5+8; got != want {
		t.Errorf("Len() = %d, want %d", got, want)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestSetCookiesExpires checks the expiry SetCookies stores for Expires
// attributes net/http's parser leaves zero: each case first stores a=old,
// then receives the Set-Cookie line. A requests.Session given the same
// lines by a real server stores the same expiry for each.
func TestSetCookiesExpires(t *testing.T) {
	y2100 := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := map[string]struct {
		line    string
		deleted bool
		expires time.Time // zero: a session cookie
	}{
		"net/http's own form":            {line: "a=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT", expires: y2100},
		"one-digit day":                  {line: "a=1; Expires=Fri, 1 Jan 2100 00:00:00 GMT", expires: y2100},
		"no weekday":                     {line: "a=1; Expires=1 Jan 2100 00:00:00 GMT", expires: y2100},
		"lowercase attribute name":       {line: "a=1; expires=Fri, 1 Jan 2100 00:00:00 GMT", expires: y2100},
		"spaces around the equals sign":  {line: "a=1; Expires = Fri, 1 Jan 2100 00:00:00 GMT", expires: y2100},
		"quoted, which net/http refuses": {line: `a=1; Expires="Fri, 01 Jan 2100 00:00:00 GMT"`, expires: y2100},
		"quoted past date deletes":       {line: `a=; Expires="Thu, 1 Jan 1970 00:00:01 GMT"`, deleted: true},
		"past, one-digit day, deletes":   {line: "a=; Expires=Thu, 1 Jan 1970 00:00:01 GMT", deleted: true},
		"not a date: a session cookie":   {line: "a=1; Expires=not a date"},
		"empty: a session cookie":        {line: "a=1; Expires="},
		"max-age wins over a lenient past expires": {
			line: "a=1; Max-Age=60; Expires=1 Jan 1970 00:00:01 GMT", expires: epoch.Add(time.Minute),
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			j := jar.New(jar.WithClock(newClock().Now))
			u := mustURL(t, "http://h.test/")
			j.SetCookies(u, parseSetCookies(t, "a=old"))
			j.SetCookies(u, parseSetCookies(t, tc.line))
			var want []jar.Cookie
			if !tc.deleted {
				want = []jar.Cookie{{Name: "a", Value: "1", Domain: "h.test", Path: "/", HostOnly: true, Expires: tc.expires, Created: epoch}}
			}
			if diff := cmp.Diff(want, j.All()); diff != "" {
				t.Errorf("All mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSetCookiesFromServer sends the Set-Cookie lines of the audit through
// a real server and net/http's client, whose response parsing is what
// fills http.Cookie.RawExpires.
func TestSetCookiesFromServer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/set":
			w.Header().Add("Set-Cookie", "a=1")
			w.Header().Add("Set-Cookie", "b=2")
			w.Header().Add("Set-Cookie", "c=3")
		case "/change":
			w.Header().Add("Set-Cookie", "a=; Expires=Thu, 1 Jan 1970 00:00:01 GMT")
			w.Header().Add("Set-Cookie", "b=; Expires=Wednesday, 01-Jan-70 00:00:01 GMT")
			w.Header().Add("Set-Cookie", "c=3; Expires=1 Jan 2100 00:00:00 GMT")
			w.Header().Add("Set-Cookie", "token= abc")
		}
		_, _ = io.WriteString(w, r.Header.Get("Cookie"))
	}))
	defer srv.Close()
	clock := newClock()
	j := jar.New(jar.WithClock(clock.Now))
	client := &http.Client{Jar: j}
	defer client.CloseIdleConnections()
	get := func(path string) string {
		t.Helper()
		resp, err := client.Get(srv.URL + path)
		must(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		must(t, err)
		return string(b)
	}
	get("/set")
	get("/change")
	if diff := cmp.Diff("c=3; token=abc", get("/")); diff != "" {
		t.Errorf("Cookie header mismatch (-want +got):\n%s", diff)
	}
	host := mustURL(t, srv.URL).Hostname()
	want := []jar.Cookie{
		{Name: "c", Value: "3", Domain: host, Path: "/", HostOnly: true, Expires: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), Created: epoch},
		{Name: "token", Value: "abc", Domain: host, Path: "/", HostOnly: true, Created: epoch},
	}
	if diff := cmp.Diff(want, j.All()); diff != "" {
		t.Errorf("All mismatch (-want +got):\n%s", diff)
	}
}
