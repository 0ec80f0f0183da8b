package urls

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// These tables pin down, without Python, the behaviours the differential
// test checks against requests, the surprising ones in particular.

func TestPrepare(t *testing.T) {
	tests := []struct {
		name, raw, params string
		want              string
		err               error
	}{
		{name: "simple", raw: "http://example.com/a?b=c#d", want: "http://example.com/a?b=c#d"},
		{name: "case", raw: "HTTP://Example.COM/Path", want: "http://example.com/Path"},
		{name: "dot segments removed", raw: "http://h/a/./b/../c/.", want: "http://h/a/c/"},
		{name: "malformed escape quoted", raw: "http://h/a/%zz?q=%zz", want: "http://h/a/%25zz?q=%25zz"},
		{name: "escapes upper-cased", raw: "http://h/a%2fb", want: "http://h/a%2Fb"},
		{name: "unreserved escapes decoded", raw: "http://h/%7e%41", want: "http://h/~A"},
		{name: "urllib3 quotes", raw: "http://h/[|^{}`\" <>]?q=[ü]", want: "http://h/%5B%7C%5E%7B%7D%60%22%20%3C%3E%5D?q=%5B%C3%BC%5D"},
		{name: "encoded dots become dot segments", raw: "http://h/%2E%2E/x", want: "http://h/../x"},
		{name: "empty query and fragment dropped", raw: "http://h?#", want: "http://h/"},
		{name: "default port kept", raw: "http://h:80", want: "http://h:80/"},
		{name: "port zero dropped", raw: "http://h:0/", want: "http://h/"},
		{name: "port zeros stripped", raw: "http://h:0080/", want: "http://h:80/"},
		{name: "port newline", raw: "http://h:80\n/p", want: "http://h:80/p"},
		{name: "leading unicode space", raw: "\u3000 http://h/ ", want: "http://h/%20"},
		{name: "backslash", raw: "http://h\\a\\b", want: "http://h/%5Ca%5Cb"},
		{name: "idna", raw: "http://BÜCHER.de/", want: "http://xn--bcher-kva.de/"},
		{name: "final sigma", raw: "http://ΑΣ.gr/", want: "http://xn--mxa8a.gr/"},
		{name: "escape in host decoded", raw: "http://ex%41mple.com/", want: "http://exAmple.com/"},
		{name: "ipv6 zone", raw: "http://[FE80::1%25eth0]:8080/a%20b", want: "http://[fe80::1%25eth0]:8080/a%2520b"},
		{name: "at without user", raw: "http://@h/", want: "http://h/"},
		{name: "params", raw: "http://h/p?x", params: "a=1&b=%7E", want: "http://h/p?x&a=1&b=~"},
		{name: "params after empty query", raw: "http://h/p?#f", params: "a=1", want: "http://h/p?a=1#f"},
		{name: "params fast", raw: "http://h/p#f", params: "a=1", want: "http://h/p?a=1#f"},

		{name: "no scheme", raw: "example.com/x", err: ErrMissingSchema},
		{name: "empty", raw: "", err: ErrMissingSchema},
		{name: "host port", raw: "localhost:8080", err: ErrInvalidSchema},
		{name: "ftp", raw: "ftp://h/", err: ErrInvalidSchema},
		{name: "httpx", raw: "httpx://h/", err: ErrInvalidSchema},
		{name: "no host", raw: "http:///x", err: ErrNoHost},
		{name: "bad port", raw: "http://h:65536/", err: ErrParse},
		{name: "bad ipv6", raw: "http://[::1/", err: ErrParse},
		{name: "loose ipv4 in ipv6", raw: "http://[::999.1.1.1]/", err: ErrValue},
		{name: "wildcard", raw: "http://*.h/", err: ErrInvalidLabel},
		{name: "idna refused", raw: "http://☃.net/", err: ErrInvalidLabel},
		{name: "not utf-8", raw: "http://h/\xe9", err: ErrUnicode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Prepare(tt.raw, tt.params)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Prepare(%q, %q) (-want +got):\n%s", tt.raw, tt.params, diff)
			}
			if !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Errorf("Prepare(%q) error = %v, want %v", tt.raw, err, tt.err)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	_, err := Prepare("http:///x", "")
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T is not *Error", err)
	}
	got := []any{e.Op, e.URL, e.Python, errors.Is(err, ErrNoHost), errors.Is(err, ErrInvalidURL), errors.Is(err, ErrMissingSchema)}
	want := []any{"prepare", "http:///x", "InvalidURL", true, true, false}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if msg := err.Error(); !strings.Contains(msg, "no host supplied") || !strings.Contains(msg, "InvalidURL") {
		t.Errorf("Error() = %q", msg)
	}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		name, current, location string
		want                    string
		err                     error
	}{
		{name: "raw utf-8 keeps %2F", current: "http://h/a", location: "/caf\xc3\xa9/%2F", want: "http://h/caf%C3%A9/%2F"},
		{name: "latin-1 refused", current: "http://h/a", location: "/caf\xe9", err: ErrUnicode},
		{name: "relative", current: "http://h/a/b?q#f", location: "../c", want: "http://h/c#f"},
		{name: "query", current: "http://h/a/b?q", location: "?r", want: "http://h/a/b?r"},
		{name: "fragment", current: "http://h/a/b?q#f", location: "#g", want: "http://h/a/b?q#g"},
		{name: "scheme relative", current: "https://h/a", location: "//o/p", want: "https://o/p"},
		{name: "absolute keeps dots and case", current: "http://h/a", location: "HTTP://O.COM/a/../b", want: "http://O.COM/a/../b"},
		{name: "other scheme returned", current: "http://h/a", location: "ftp://o/p", want: "ftp://o/p"},
		{name: "empty path params dropped", current: "http://h/a", location: "/x;", want: "http://h/x"},
		{name: "digits after percent", current: "http://h/a", location: "/%\u0664\u0661", want: "http://h/A"},
		{name: "lower escape kept", current: "http://h/a", location: "/%e9", want: "http://h/%e9"},
		{name: "bad escape quotes all", current: "http://h/a", location: "/%41%zz", want: "http://h/%2541%25zz"},
		{name: "tab removed", current: "http://h/a", location: "/\t/evil.com/x", want: "//evil.com/x"},
		{name: "unclosed ipv6", current: "http://h/a", location: "http://[::1", err: ErrValue},
		{name: "empty", current: "http://h/a", location: "", err: ErrEmptyLocation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Resolve(tt.current, tt.location)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Resolve(%q, %q) (-want +got):\n%s", tt.current, tt.location, diff)
			}
			if !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Errorf("Resolve error = %v, want %v", err, tt.err)
			}
		})
	}
}

func TestRedirectsCarriesRawFragment(t *testing.T) {
	r, err := NewRedirects("http://h/")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, loc := range []string{"/a#x y", "/b%zz"} {
		u, err := r.Next(loc)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, u)
	}
	// requests carries "x y" (not "x%20y") to the second hop, whose
	// requote_uri falls back to quoting every '%'. Resolve, which only sees
	// the URL, cannot know that.
	want := []string{"http://h/a#x%20y", "http://h/b%25zz#x%20y"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	single, _ := Resolve(want[0], "/b%zz")
	if diff := cmp.Diff("http://h/b%25zz#x%2520y", single); diff != "" {
		t.Errorf("Resolve (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want[1], r.URL()); diff != "" {
		t.Errorf("URL() (-want +got):\n%s", diff)
	}
}

func TestWire(t *testing.T) {
	tests := []struct {
		name, url string
		want      Wire
		err       error
	}{
		{name: "default port", url: "http://h:80/a?b#c", want: Wire{Scheme: "http", Host: "h", Port: 80, HostHeader: "h", Target: "/a?b"}},
		{name: "https other port", url: "https://h:8443/", want: Wire{Scheme: "https", Host: "h", Port: 8443, HostHeader: "h:8443", Target: "/"}},
		{name: "trailing dot", url: "http://Example.com./x", want: Wire{Scheme: "http", Host: "example.com.", Port: 80, HostHeader: "example.com", Target: "/x"}},
		{name: "ipv6 zone", url: "http://[fe80::1%25eth0]:81/", want: Wire{Scheme: "http", Host: "fe80::1%25eth0", Port: 81, HostHeader: "[fe80::1]:81", Target: "/"}},
		{name: "redirect target encoded", url: "http://h/a b/[x]/%zz?q=|#f", want: Wire{Scheme: "http", Host: "h", Port: 80, HostHeader: "h", Target: "/a%20b/%5Bx%5D/%25zz?q=%7C"}},
		{name: "dots kept", url: "http://h/a/../b", want: Wire{Scheme: "http", Host: "h", Port: 80, HostHeader: "h", Target: "/a/../b"}},
		{name: "port 0", url: "http://h:0/", want: Wire{Scheme: "http", Host: "h", Port: 80, HostHeader: "h", Target: "/"}},
		{name: "no host", url: "https:///p", err: ErrNoHost},
		{name: "bad port", url: "http://h:99999/", err: ErrParse},
		{name: "scheme", url: "ftp://h/", err: ErrInvalidSchema},
		{name: "no scheme", url: "//h/", err: ErrInvalidSchema},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ForWire(tt.url)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ForWire(%q) (-want +got):\n%s", tt.url, diff)
			}
			if !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Errorf("ForWire error = %v, want %v", err, tt.err)
			}
		})
	}
}

func TestUserinfo(t *testing.T) {
	type result struct {
		User, Pass string
		OK         bool
		Header     string
		Err        bool
	}
	tests := []struct {
		name, url string
		want      result
	}{
		{name: "user and password", url: "http://user:pass@h/", want: result{"user", "pass", true, "Basic dXNlcjpwYXNz", false}},
		{name: "user only: no auth", url: "http://user@h/", want: result{}},
		{name: "empty password", url: "http://user:@h/", want: result{"user", "", true, "Basic dXNlcjo=", false}},
		{name: "password only", url: "http://:pass@h/", want: result{"", "pass", true, "Basic OnBhc3M=", false}},
		{name: "both empty", url: "http://:@h/", want: result{}},
		{name: "none", url: "http://h/", want: result{}},
		{name: "escapes", url: "http://u%40x:p%3Ay@h/", want: result{"u@x", "p:y", true, "Basic dUB4OnA6eQ==", false}},
		{name: "latin-1 on the wire", url: "http://%C3%A9:x@h/", want: result{"é", "x", true, "Basic 6Tp4", false}},
		{name: "not latin-1", url: "http://%E2%82%AC:x@h/", want: result{"€", "x", true, "", true}},
		{name: "invalid utf-8", url: "http://a%E2%82%FF:x@h/", want: result{"a\ufffd\ufffd", "x", true, "", true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got result
			got.User, got.Pass, got.OK = Userinfo(tt.url)
			h, _, err := BasicAuth(tt.url)
			got.Header, got.Err = h, err != nil
			if err != nil && !errors.Is(err, ErrUnicode) {
				t.Errorf("BasicAuth error %v is not ErrUnicode", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeUTF8Replace(t *testing.T) {
	// Expected values from bytes.decode("utf-8", "replace") in CPython.
	tests := []struct{ in, want string }{
		{"abc", "abc"},
		{"\xe2\x82", "\ufffd"},
		{"\xe2\x82\xac\xff", "€\ufffd"},
		{"\xe0\x80", "\ufffd\ufffd"},
		{"\xed\xa0\x80", "\ufffd\ufffd\ufffd"},
		{"\xf0\x9f\x98", "\ufffd"},
		{"\xf4\x90\x80\x80", "\ufffd\ufffd\ufffd\ufffd"},
		{"\xc0\xaf", "\ufffd\ufffd"},
		{"a\xf0\x9f\x98b", "a\ufffdb"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, decodeUTF8Replace([]byte(tt.in))); diff != "" {
			t.Errorf("%+q (-want +got):\n%s", tt.in, diff)
		}
	}
}

// wireURLs are URLs whose request target must reach a server unchanged:
// every prepared case and every redirect result of the differential tables.
func wireURLs(t *testing.T) []string {
	var us []string
	for _, c := range prepareCases {
		if p, err := Prepare(c.raw, c.params); err == nil {
			us = append(us, p)
		}
	}
	for _, c := range redirectCases {
		r, err := NewRedirects(c.start)
		if err != nil {
			t.Fatal(err)
		}
		for _, loc := range c.locations {
			u, err := r.Next(loc)
			if err != nil {
				break
			}
			if _, err := ForWire(u); err == nil {
				us = append(us, u)
			}
		}
	}
	return us
}

// TestEndToEnd sends, over a real socket, a request built with ToURL for
// every URL of the tables, and checks that the server read exactly Target
// and HostHeader: Go's transport does not re-escape.
func TestEndToEnd(t *testing.T) {
	var mu sync.Mutex
	var gotURI, gotHost string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		gotURI, gotHost = r.RequestURI, r.Host
		mu.Unlock()
	}))
	defer srv.Close()
	client := srv.Client()
	defer client.CloseIdleConnections()
	addr := strings.TrimPrefix(srv.URL, "http://")

	for _, u := range wireURLs(t) {
		t.Run(u, func(t *testing.T) {
			w, err := ForWire(u)
			if err != nil {
				t.Fatal(err)
			}
			target, err := ToURL(u)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(w.Target, target.RequestURI()); diff != "" {
				t.Errorf("RequestURI (-Target +got):\n%s", diff)
			}
			// Without Request.Host, Go sends URL.Host minus an IPv6 zone:
			// requests' header unless the host ends with a dot.
			goHost := target.Host
			if i, j := strings.LastIndex(goHost, "%"), strings.LastIndex(goHost, "]"); strings.HasPrefix(goHost, "[") && i >= 0 && i < j {
				goHost = goHost[:i] + goHost[j:]
			}
			if !strings.HasSuffix(w.Host, ".") {
				if diff := cmp.Diff(w.HostHeader, goHost); diff != "" {
					t.Errorf("Host Go would send (-requests +Go):\n%s", diff)
				}
			}
			// Send to the test server instead of the URL's host; the Host
			// header is still the one requests would send.
			target.Scheme, target.Host = "http", addr
			req, err := http.NewRequest(http.MethodGet, "http://placeholder/", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.URL, req.Host = target, w.HostHeader
			resp, err := client.Do(req)
			if err != nil {
				if strings.ContainsAny(w.HostHeader, " <>\"") || !validHost(w.HostHeader) {
					t.Skipf("Go refuses the Host header %q that requests would send: %v", w.HostHeader, err)
				}
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			mu.Lock()
			defer mu.Unlock()
			if diff := cmp.Diff(w.Target, gotURI); diff != "" {
				t.Errorf("server saw request target (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(w.HostHeader, gotHost); diff != "" {
				t.Errorf("server saw Host (-want +got):\n%s", diff)
			}
		})
	}
}

func validHost(h string) bool {
	for i := 0; i < len(h); i++ {
		if c := h[i]; c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

// TestEndToEndRedirect follows a redirect whose Location carries raw UTF-8
// and an encoded slash, reading the header as Go's net/http delivers it.
func TestEndToEndRedirect(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.RequestURI)
		mu.Unlock()
		if r.URL.Path == "/start" {
			w.Header()["Location"] = []string{"/caf\xc3\xa9/%2F?q=a b#frag"}
			w.WriteHeader(http.StatusFound)
		}
	}))
	defer srv.Close()
	client := &http.Client{
		Transport:     srv.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	defer client.CloseIdleConnections()

	cur, err := Prepare(srv.URL+"/start", "")
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRedirects(cur)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		u, err := ToURL(r.URL())
		if err != nil {
			t.Fatal(err)
		}
		resp, err := client.Do(&http.Request{Method: http.MethodGet, URL: u, Header: http.Header{}})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		loc := resp.Header.Get("Location")
		if loc == "" {
			break
		}
		if _, err := r.Next(loc); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	// What requests sends (checked against a real requests session).
	want := []string{"/start", "/caf%C3%A9/%2F?q=a%20b"}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(srv.URL+"/caf%C3%A9/%2F?q=a%20b#frag", r.URL()); diff != "" {
		t.Errorf("final URL (-want +got):\n%s", diff)
	}
}

// FuzzPrepare checks that Prepare does not panic, that its fast path agrees
// with the port, that it is idempotent where requests is, and that ToURL
// carries Target to the request line.
func FuzzPrepare(f *testing.F) {
	for _, c := range prepareCases {
		f.Add(c.raw, c.params)
	}
	for _, c := range redirectCases {
		f.Add(c.start, "")
		for _, l := range c.locations {
			f.Add(l, "a=1")
		}
	}
	f.Fuzz(func(t *testing.T, raw, params string) {
		p, err := Prepare(raw, params)
		slow, slowErr := prepareSlow(raw, params)
		if p != slow || (err == nil) != (slowErr == nil) {
			t.Fatalf("fast %q, %v; slow %q, %v", p, err, slow, slowErr)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not *Error", err)
			}
			return
		}
		if !isASCII(p) {
			t.Fatalf("Prepare(%q) = %q, not ASCII", raw, p)
		}
		if requestsIdempotent(p) {
			q, err := Prepare(p, "")
			if err != nil || q != p {
				t.Fatalf("Prepare(%q) = %q, but Prepare of that = %q, %v", raw, p, q, err)
			}
		}
		u, err := ToURL(p)
		if err != nil {
			t.Fatalf("ToURL(%q): %v", p, err)
		}
		if got, want := u.RequestURI(), Target(p); got != want {
			t.Fatalf("ToURL(%q).RequestURI() = %q, Target = %q", p, got, want)
		}
		// A redirect to the prepared URL from anywhere lands on it.
		if next, err := Resolve("http://other/x", p); err != nil {
			t.Fatalf("Resolve to %q: %v", p, err)
		} else if _, err := ForWire(next); err != nil {
			t.Fatalf("ForWire(%q): %v", next, err)
		}
	})
}

// requestsIdempotent reports whether prepare_url(p) == p holds in requests
// for a URL p it prepared. It fails in three ways, all checked against
// requests: (1) requote_uri decodes %XX of unreserved characters after
// urllib3 removed dot segments, so "%2E%2E" comes back as ".." and is removed
// by the next pass; (2) in the host, requote_uri decodes "%41" to "A"
// (also in an IPv6 zone: "[fe80::1%2541]" → "[fe80::1A]") and leaves "%3c"
// — the next pass lower-cases both; it turns a leading "%2e" into a '.'
// that the next pass refuses; an IPv6 zone makes requote_uri quote
// every '%' again on each pass; (3) params are appended after urllib3's
// encoding, and requote_uri keeps some of what urllib3 encodes ('[', ']',
// '#', a '%' that starts no escape, lower-case escapes), which the next pass
// changes; a '#' in params can also leave an empty query or fragment
// behind, which the next pass drops, and requote_uri can even make a new
// escape of an unreserved character out of params ("%7%41" → "%7A", which
// the next pass decodes to "z").
func requestsIdempotent(p string) bool {
	if i := strings.IndexByte(p, '#'); i >= 0 && (i == len(p)-1 || p[i-1] == '?') {
		return false
	}
	if strings.HasSuffix(p, "?") {
		return false
	}
	s, _ := urlsplit(p, "", false)
	host := s.netloc
	if i := strings.LastIndexByte(host, '@'); i >= 0 {
		host = host[i+1:]
	}
	if strings.Contains(host, "%") || host != asciiLower(host) || strings.HasPrefix(host, ".") {
		return false
	}
	if needsEncodeInvalid(s.path, pathSet) || needsEncodeInvalid(s.query, querySet) || needsEncodeInvalid(s.fragment, querySet) {
		return false
	}
	for i := 0; i+2 < len(p); i++ {
		if p[i] == '%' && isHex(p[i+1]) && isHex(p[i+2]) && unreservedSet[unhex(p[i+1])<<4|unhex(p[i+2])] {
			return false
		}
	}
	for seg := range strings.SplitSeq(s.path, "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

// FuzzResolve checks that Resolve does not panic and that whatever it
// produces is sent as Target says.
func FuzzResolve(f *testing.F) {
	for _, c := range redirectCases {
		for _, l := range c.locations {
			f.Add(c.start, l)
		}
	}
	f.Fuzz(func(t *testing.T, current, location string) {
		next, err := Resolve(current, location)
		if err != nil {
			return
		}
		u, err := ToURL(next)
		if err != nil {
			return
		}
		if got, want := u.RequestURI(), Target(next); got != want {
			t.Fatalf("ToURL(%q).RequestURI() = %q, Target = %q", next, got, want)
		}
	})
}

// FuzzTarget checks Target's shortcut against the plain computation.
func FuzzTarget(f *testing.F) {
	for _, c := range prepareCases {
		f.Add(c.raw)
	}
	f.Fuzz(func(t *testing.T, u string) {
		p, _ := urlsplit(u, "", false)
		path := p.path
		if path == "" {
			path = "/"
		}
		want := appendEncodeInvalid(nil, path, pathSet)
		if p.query != "" {
			want = append(want, '?')
			want = appendEncodeInvalid(want, p.query, querySet)
		}
		if got := Target(u); got != string(want) {
			t.Fatalf("Target(%q) = %q, want %q", u, got, want)
		}
	})
}

func BenchmarkPrepare(b *testing.B) {
	for _, bm := range []struct{ name, raw, params string }{
		{"ascii", "https://api.example.com/v1/users/42?fields=name,email#top", ""},
		{"ascii+params", "https://api.example.com/v1/users", "page=2&per_page=50"},
		{"escapes", "https://api.example.com/v1/a%2Fb?q=%26", ""},
		{"slow/upper-host", "https://API.example.com/v1/users/42", ""},
		{"slow/non-ascii", "https://example.com/caf\u00e9?q=\u00fc", ""},
		{"slow/idna", "https://b\u00fccher.example/", ""},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Prepare(bm.raw, bm.params); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkTarget(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Target("https://api.example.com/v1/users/42?fields=name,email#top")
	}
}

func BenchmarkToURL(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ToURL("https://api.example.com/v1/users/42?fields=name,email#top"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResolve(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Resolve("https://api.example.com/v1/users/42#top", "../groups/7?x=1"); err != nil {
			b.Fatal(err)
		}
	}
}
