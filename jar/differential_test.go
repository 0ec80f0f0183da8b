package jar_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/publicsuffix"

	"github.com/tether-http/tether/jar"
)

// TestDifferential feeds the same generated responses to net/http/cookiejar
// and to jar.Jar, both with publicsuffix.List, and compares what they send
// to many URLs.
//
// Intentional differences, which the comparison accounts for:
//
//	| difference                                   | net/http/cookiejar     | jar.Jar     | reason                                                      |
//	|----------------------------------------------|------------------------|-------------|-------------------------------------------------------------|
//	| Secure cookie to localhost/loopback over http | sent                  | not sent    | requests sends Secure only to https/wss; RFC 6265 §5.4      |
//	| ws:// and wss:// URLs                         | ignored               | as http(s)  | WebSocket handshakes carry cookies (RFC 6455 §4.1)          |
//	| "[::1]" without a port                        | host "[::1]"          | host "::1"  | the same host as "[::1]:80"; cookiejar's is a bug           |
//	| empty host                                    | stored, host ""       | ignored     | no host to bind a cookie to                                 |
//	| nil cookie, or name/value failing Valid       | stored (or panics)    | ignored     | net/http would have to rewrite them to send them            |
//	| session-wide cookies (Set, Update, FromMap)   | none                  | any host    | requests' domain '' cookies; HostCookies leaves them out    |
//	| Expires net/http cannot parse ("1 Jan 1970")  | ignored               | read        | RFC 6265 §5.1.1, as requests; a deletion must delete        |
//	| spaces around an unquoted value ("a= x ")     | kept, sent quoted     | trimmed     | RFC 6265 §5.2, as requests                                  |
//	| Max-Age over 292 years (Duration overflows)   | deleted               | kept        | RFC 6265 §5.2.2, as requests; expiry clamped to year 9999   |
//	| Max-Age too large for an int                  | ignored               | read        | RFC 6265 §5.2.2, as requests; expiry clamped to year 9999   |
//	| host cookies.txt cannot hold ("a%b", ".a")    | stored                | ignored     | Save could not write it for Load to read back               |
//
// The generator does not produce the last eight; FuzzSetCookies gives
// cookiejar the jar's reading of spaces, Expires and Max-Age, and skips
// the hosts.
func TestDifferential(t *testing.T) {
	sequences := 300
	if testing.Short() {
		sequences = 50
	}
	r := rand.New(rand.NewPCG(1, 2))
	var total, sent int
	for i := range sequences {
		steps := genSequence(r)
		std, err := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
		must(t, err)
		// The standard jar reads time.Now, so ours does too; generated
		// expiries are hours or years away from now.
		ours := jar.New()
		for _, s := range steps {
			u := mustURL(t, s.url)
			std.SetCookies(stdURL(u), parseSetCookies(t, s.lines...))
			ours.SetCookies(u, parseSetCookies(t, s.lines...))
		}
		if t.Failed() {
			return
		}
		n, nonEmpty := compareJars(t, fmt.Sprintf("sequence %d", i), steps, std, ours)
		total += n
		sent += nonEmpty
	}
	// Guard against a generator that exercises nothing.
	if sent*40 < total {
		t.Errorf("only %d of %d comparisons sent any cookie; the generator is too weak", sent, total)
	}
}

// genStep is one response: the URL it came from and its Set-Cookie lines.
type genStep struct {
	url   string
	lines []string
}

var (
	genHosts = []string{
		"www.host.test", "host.test", "sub.www.host.test", "HOST.test.", "other.test",
		"example.com", "www.example.com", "foo.co.uk", "bbc.co.uk", "www.bbc.co.uk", "co.uk",
		"user.github.io", "github.io", "127.0.0.1", "127.0.0.1:8080", "[::1]", "[::1]:8080",
		"localhost", "localhost:9000", "www.bücher.example", "bücher.example", "192.168.0.1",
	}
	genDomains = []string{
		"", "", "", "host.test", ".host.test", "www.host.test", "HOST.TEST", "test", "other.test",
		"example.com", ".example.com", "co.uk", "bbc.co.uk", "uk", "github.io", "user.github.io",
		"127.0.0.1", ".0.0.1", "::1", "localhost", "host.test.", "..host.test", ".",
		"xn--bcher-kva.example", "bücher.example",
	}
	genReqPaths    = []string{"", "/", "/a", "/a/", "/a/b", "/a/b/c", "/ab", "/a/bc", "/b"}
	genCookiePaths = []string{"", "", "/", "/a", "/a/", "/a/b", "x", "/ab", "/a/b/c/d"}
	genMaxAges     = []string{"", "", "", "0", "-1", "3600", "86400", "abc", "007"}
	genExpires     = []string{
		"", "", "", "Thu, 01 Jan 1970 00:00:00 GMT", "Fri, 01 Jan 2100 00:00:00 GMT",
		"Wed, 09-Jun-2094 10:18:14 GMT", "not a date",
	}
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func genSequence(r *rand.Rand) []genStep {
	steps := make([]genStep, 1+r.IntN(8))
	for i := range steps {
		scheme := "http"
		if r.IntN(3) == 0 {
			scheme = "https"
		}
		s := genStep{url: scheme + "://" + pick(r, genHosts) + pick(r, genReqPaths)}
		for range 1 + r.IntN(3) {
			s.lines = append(s.lines, genSetCookie(r))
		}
		steps[i] = s
	}
	return steps
}

func genSetCookie(r *rand.Rand) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%c=%d", 'a'+r.IntN(4), r.IntN(100))
	if r.IntN(10) == 0 {
		b.Reset()
		fmt.Fprintf(&b, `%c="q %d"`, 'a'+r.IntN(4), r.IntN(100))
	}
	if d := pick(r, genDomains); d != "" {
		b.WriteString("; Domain=" + d)
	}
	if p := pick(r, genCookiePaths); p != "" {
		b.WriteString("; Path=" + p)
	}
	if m := pick(r, genMaxAges); m != "" {
		b.WriteString("; Max-Age=" + m)
	}
	if e := pick(r, genExpires); e != "" {
		b.WriteString("; Expires=" + e)
	}
	if r.IntN(4) == 0 {
		b.WriteString("; Secure")
	}
	if r.IntN(8) == 0 {
		b.WriteString("; HttpOnly")
	}
	return b.String()
}

// stdURL gives net/http/cookiejar the URL it understands as meant: a
// bracketed IPv6 host without a port gets one.
func stdURL(u *url.URL) *url.URL {
	v := *u
	if strings.HasPrefix(v.Host, "[") && strings.HasSuffix(v.Host, "]") {
		v.Host += ":80"
	}
	switch v.Scheme {
	case "ws":
		v.Scheme = "http"
	case "wss":
		v.Scheme = "https"
	}
	return &v
}

func names(cs []*http.Cookie) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.String()
	}
	return out
}

func loopbackHost(u *url.URL) bool {
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(h)
	return err == nil && ip.IsLoopback()
}

// withoutSecure is a copy of j without its Secure cookies.
func withoutSecure(j *jar.Jar) *jar.Jar {
	c := j.Clone()
	for _, ck := range c.All() {
		if ck.Secure {
			c.Delete(ck.Name, jar.Domain(ck.Domain), jar.Path(ck.Path))
		}
	}
	return c
}

// compareJars compares the jars on every generated URL and reports how
// many comparisons it made and how many of them sent a cookie.
func compareJars(t *testing.T, what string, steps []genStep, std *cookiejar.Jar, ours *jar.Jar) (n, nonEmpty int) {
	t.Helper()
	insecure := withoutSecure(ours)
	for _, host := range genHosts {
		for _, path := range genReqPaths {
			for _, scheme := range []string{"http", "https", "ws", "wss"} {
				u := mustURL(t, scheme+"://"+host+path)
				want := names(std.Cookies(stdURL(u)))
				got := names(ours.Cookies(u))
				n++
				if len(got) > 0 {
					nonEmpty++
				}
				if loopbackHost(u) && (scheme == "http" || scheme == "ws") {
					// cookiejar sends Secure cookies here; we do not.
					want = names(insecure.Cookies(u))
					if diff := cmp.Diff(names(std.Cookies(stdURL(u))), names(ours.Cookies(mustURL(t, "https://"+host+path)))); diff != "" {
						t.Errorf("%s: loopback %s: cookiejar over http vs ours over https (-std +ours):\n%s", what, u, diff)
					}
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s: Cookies(%s) mismatch (-want +got):\n%s\nsteps: %q", what, u, diff, steps)
					return n, nonEmpty
				}
				if diff := cmp.Diff(got, names(ours.HostCookies(u))); diff != "" {
					t.Errorf("%s: HostCookies(%s) differs from Cookies without session-wide cookies (-want +got):\n%s", what, u, diff)
				}
			}
		}
	}
	return n, nonEmpty
}

// TestDifferentialExpiryBoundary checks Expires and Max-Age near now
// against cookiejar, which has no clock to inject.
func TestDifferentialExpiryBoundary(t *testing.T) {
	std, err := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
	must(t, err)
	ours := jar.New()
	u := mustURL(t, "http://h.test/")
	past := time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)
	future := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	lines := []string{"a=1; Expires=" + future, "b=2; Expires=" + past, "c=3; Max-Age=1; Expires=" + past, "d=4; Max-Age=0; Expires=" + future}
	std.SetCookies(u, parseSetCookies(t, lines...))
	ours.SetCookies(u, parseSetCookies(t, lines...))
	if diff := cmp.Diff(names(std.Cookies(u)), names(ours.Cookies(u))); diff != "" {
		t.Errorf("Cookies mismatch (-std +ours):\n%s", diff)
	}
}
