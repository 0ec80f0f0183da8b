package jar_test

import (
	"errors"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/publicsuffix"

	"github.com/tether-http/tether/jar"
)

// FuzzSetCookies stores arbitrary Set-Cookie lines received from one URL
// and reads the cookies for another. It checks that nothing panics, that
// every stored cookie is one the first host may set, that every cookie
// returned domain-matches, path-matches and is Secure only over https or
// wss, and that the result agrees with net/http/cookiejar up to the
// intentional differences listed in differential_test.go.
func FuzzSetCookies(f *testing.F) {
	f.Add("a=1; Domain=example.com; Path=/", "http://www.example.com/x", "http://example.com/")
	f.Add("a=1; Domain=co.uk\nb=2", "http://bbc.co.uk/", "http://other.co.uk/")
	f.Add("s=1; Secure\nh=2; HttpOnly", "http://127.0.0.1:8080/a/b", "http://127.0.0.1/a/")
	f.Add(`q="x y"; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT`, "https://h.test/", "wss://h.test/")
	f.Add("a=1; Domain=xn--bcher-kva.example", "http://www.bücher.example/", "http://BÜCHER.example./")
	f.Add("a=1; Path=/a/", "http://[::1]/a/b", "http://[::1]:80/a/b/c")
	f.Add("a=; Max-Age=0", "http://h.test/", "http://h.test/")
	f.Add("a=1; Max-Age=9300000000\nb=2; Max-Age=99999999999999999999\nc=3; Max-Age=-99999999999999999999", "http://h.test/", "http://h.test/")
	f.Add("a=1", "http://a%25b/", "http://a%25b/")
	f.Add("a=1\na=; Expires=Thu, 1 Jan 1970 00:00:01 GMT\nb= x ; Expires=\"1 Jan 2100 00:00:00\"", "http://h.test/", "http://h.test/")
	f.Fuzz(func(t *testing.T, lines, from, to string) {
		u1, err1 := url.Parse(from)
		u2, err2 := url.Parse(to)
		if err1 != nil || err2 != nil {
			return
		}
		var cookies []*http.Cookie
		for _, l := range strings.Split(lines, "\n") {
			if c, err := http.ParseSetCookie(l); err == nil {
				cookies = append(cookies, c)
			}
		}
		ours := jar.New()
		ours.SetCookies(u1, cookies)
		host1, err1 := jar.CanonicalHost(u1.Host)
		host2, err2 := jar.CanonicalHost(u2.Host)

		stored := ours.All()
		for _, c := range stored {
			if err1 != nil || host1 == "" {
				t.Fatalf("stored %+v from unusable host %q", c, u1.Host)
			}
			switch {
			case c.SessionWide:
				t.Fatalf("SetCookies stored a session-wide cookie %+v", c)
			case c.HostOnly && c.Domain != host1:
				t.Fatalf("host-only cookie %+v stored for %q, not the sending host %q", c, c.Domain, host1)
			case !c.HostOnly && host1 != c.Domain && !strings.HasSuffix(host1, "."+c.Domain):
				t.Fatalf("host %q set cookie %+v for a domain it does not domain-match", host1, c)
			case !c.HostOnly && publicsuffix.List.PublicSuffix(c.Domain) == c.Domain:
				t.Fatalf("host %q set domain cookie %+v on a public suffix", host1, c)
			}
		}

		got := ours.Cookies(u2)
		if err2 != nil || host2 == "" {
			if len(got) > 0 {
				t.Fatalf("Cookies(%q) with an unusable host returned %v", to, got)
			}
			return
		}
		secure := u2.Scheme == "https" || u2.Scheme == "wss"
		path := u2.Path
		if path == "" {
			path = "/"
		}
		for _, g := range got {
			if !slices.ContainsFunc(stored, func(c jar.Cookie) bool {
				return c.Name == g.Name && c.Value == g.Value && c.Quoted == g.Quoted &&
					(c.Domain == host2 || !c.HostOnly && strings.HasSuffix(host2, "."+c.Domain)) &&
					pathMatches(c.Path, path) && (secure || !c.Secure)
			}) {
				t.Fatalf("Cookies(%q) returned %v, which no stored cookie allows; stored: %+v", to, g, stored)
			}
		}

		// Differential check against the standard library.
		std, err := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
		if err != nil {
			t.Fatal(err)
		}
		if host1 == "" || err1 != nil || !jar.FileDomainOK(host1) {
			return // cookiejar stores cookies for these hosts; we do not
		}
		std.SetCookies(stdURL(u1), stdCookies(cookies))
		want := names(std.Cookies(stdURL(u2)))
		if isLoopbackName(host2) && !secure {
			want = names(withoutSecure(ours).Cookies(u2))
		}
		if diff := cmp.Diff(want, names(got)); diff != "" {
			t.Fatalf("Cookies(%q) differs from net/http/cookiejar (-std +ours):\n%s", to, diff)
		}
	})
}

// stdCookies gives net/http/cookiejar what the jar reads on purpose
// differently (see the table in differential_test.go): an unquoted value
// without surrounding spaces, the expiry of an Expires net/http could not
// parse, read with RFC 6265 §5.1.1 (checked by TestParseCookieDate), and
// that of a Max-Age over 292 years, which cookiejar's time.Duration
// overflows (or one too large for an int, which net/http leaves
// unparsed): the expiry the jar computes, with Max-Age out of the way.
func stdCookies(cs []*http.Cookie) []*http.Cookie {
	now := time.Now()
	out := make([]*http.Cookie, len(cs))
	for i, c := range cs {
		d := *c
		if !d.Quoted {
			d.Value = strings.Trim(d.Value, " \t")
		}
		exp, del := jar.ExpiryOf(c, now)
		d.MaxAge, d.Expires = 0, exp
		if del {
			d.MaxAge = -1
		}
		out[i] = &d
	}
	return out
}

// pathMatches is RFC 6265 §5.1.4 path-match, written out again here as
// the fuzz oracle.
func pathMatches(cookiePath, reqPath string) bool {
	return reqPath == cookiePath ||
		strings.HasPrefix(reqPath, cookiePath) &&
			(strings.HasSuffix(cookiePath, "/") || reqPath[len(cookiePath)] == '/')
}

func isLoopbackName(host string) bool {
	return loopbackHost(&url.URL{Host: host}) || strings.ContainsAny(host, ":") && loopbackHost(&url.URL{Host: "[" + host + "]"})
}

// FuzzLoad reads arbitrary cookies.txt input. A failed Load must report a
// SyntaxError and leave the jar empty; a successful one must survive
// Save and Load unchanged, and saving again must give the same bytes.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(goldenDir, "*.txt"))
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("#HttpOnly_.example.com\tTRUE\t/\tTRUE\t2000000000\tn\t\"v\"\n")
	f.Add("#SessionWide_\tFALSE\t/\tFALSE\t0\tw\t1\r\n")
	f.Add("h.test\tFALSE\t/\tFALSE\t0\tempty")
	f.Add("bad line\n")
	clock := func() time.Time { return epoch }
	f.Fuzz(func(t *testing.T, data string) {
		j := jar.New(jar.WithClock(clock))
		if err := j.Load(strings.NewReader(data)); err != nil {
			if !errors.Is(err, jar.ErrSyntax) {
				t.Fatalf("Load error %v does not match ErrSyntax", err)
			}
			if n := j.Len(); n != 0 {
				t.Fatalf("failed Load left %d cookies", n)
			}
			return
		}
		var first strings.Builder
		if err := j.Save(&first, jar.WithSessionCookies()); err != nil {
			t.Fatal(err)
		}
		k := jar.New(jar.WithClock(clock))
		if err := k.Load(strings.NewReader(first.String())); err != nil {
			t.Fatalf("Load of our own Save output failed: %v\n%s", err, first.String())
		}
		if diff := cmp.Diff(j.All(), k.All()); diff != "" {
			t.Fatalf("Save/Load round trip changed the jar (-want +got):\n%s", diff)
		}
		var second strings.Builder
		if err := k.Save(&second, jar.WithSessionCookies()); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(first.String(), second.String()); diff != "" {
			t.Fatalf("saving twice differs (-want +got):\n%s", diff)
		}
	})
}
