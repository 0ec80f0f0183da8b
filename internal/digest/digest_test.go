package digest

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mccutchen/go-httpbin/v2/httpbin"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// fixedCnonce makes a Client's cnonce deterministic.
func fixedCnonce(c *Client, cnonce string) {
	c.cnonce = func(uint64, string) string { return cnonce }
}

// TestRFC7616Example reproduces RFC 7616 §3.9.1. The MD5 response printed in
// the RFC (…0eebdec3) is a known erratum: H(HA1:nonce:nc:cnonce:qop:HA2)
// for its inputs is …0eebdbec, the value every implementation checks.
func TestRFC7616Example(t *testing.T) {
	const challenge = `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=%s, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`
	tests := []struct {
		name      string
		algorithm string
		want      string
	}{
		{
			name:      "MD5",
			algorithm: "MD5",
			want:      `Digest username="Mufasa", realm="http-auth@example.org", nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", uri="/dir/index.html", response="8ca523f5e9506fed4657c9700eebdbec", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", algorithm="MD5", qop="auth", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"`,
		},
		{
			name:      "SHA-256",
			algorithm: "SHA-256",
			want:      `Digest username="Mufasa", realm="http-auth@example.org", nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", uri="/dir/index.html", response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", algorithm="SHA-256", qop="auth", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch, ok, err := ParseChallenge([]string{fmt.Sprintf(challenge, tt.algorithm)})
			if err != nil || !ok {
				t.Fatalf("ParseChallenge: ok=%v err=%v", ok, err)
			}
			c := NewClient("Mufasa", "Circle of Life")
			fixedCnonce(c, "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ")
			if !c.Challenge(ch) {
				t.Fatal("Challenge = false, want true")
			}
			got, ok := c.Authorization("GET", "/dir/index.html")
			if !ok {
				t.Fatal("Authorization: ok = false")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Authorization (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseChallenge(t *testing.T) {
	tests := []struct {
		name      string
		values    []string
		want      Challenge
		wantOK    bool
		wantErr   error // matched with errors.Is
		syntaxErr bool  // any error will do
	}{
		{
			name:   "quoted values",
			values: []string{`Digest realm="r", nonce="n", opaque="o", algorithm="SHA-256", qop="auth"`},
			want:   Challenge{Realm: "r", Nonce: "n", Opaque: "o", Algorithm: "SHA-256", QOP: []string{"auth"}},
			wantOK: true,
		},
		{
			name:   "tokens as go-httpbin sends them",
			values: []string{`Digest qop=auth, realm="go-httpbin", algorithm=MD5, nonce=6b3c, opaque=12ab`},
			want:   Challenge{Realm: "go-httpbin", Nonce: "6b3c", Opaque: "12ab", Algorithm: "MD5", QOP: []string{"auth"}},
			wantOK: true,
		},
		{
			name:   "unquoted base64 nonce",
			values: []string{`Digest realm=r, nonce=ab/cd+ef==`},
			want:   Challenge{Realm: "r", Nonce: "ab/cd+ef=="},
			wantOK: true,
		},
		{
			name:   "Basic then Digest in one header",
			values: []string{`Basic realm="x", Digest realm="y", nonce="z"`},
			want:   Challenge{Realm: "y", Nonce: "z"},
			wantOK: true,
		},
		{
			name:   "Digest then Basic in one header",
			values: []string{`Digest realm="y", nonce="z", Basic realm="x"`},
			want:   Challenge{Realm: "y", Nonce: "z"},
			wantOK: true,
		},
		{
			name:   "Digest then bare scheme",
			values: []string{`Digest realm="y", nonce="z", Bearer`},
			want:   Challenge{Realm: "y", Nonce: "z"},
			wantOK: true,
		},
		{
			name:   "token68 challenge first",
			values: []string{`Negotiate YIIB/+x==, Digest realm="r", nonce="n"`},
			want:   Challenge{Realm: "r", Nonce: "n"},
			wantOK: true,
		},
		{
			name:   "several headers",
			values: []string{`Basic realm="x"`, `Bearer realm="api", scope="a b"`, `Digest realm="y", nonce="z"`},
			want:   Challenge{Realm: "y", Nonce: "z"},
			wantOK: true,
		},
		{
			name:   "quoted-string escapes",
			values: []string{`Digest realm="a \"quoted\" \\ realm", nonce="n\o"`},
			want:   Challenge{Realm: `a "quoted" \ realm`, Nonce: "no"},
			wantOK: true,
		},
		{
			name:   "comma and equals inside a quoted value",
			values: []string{`Digest realm="a, b=c", nonce="n", Basic realm="x"`},
			want:   Challenge{Realm: "a, b=c", Nonce: "n"},
			wantOK: true,
		},
		{
			name:   "case-insensitive scheme and names",
			values: []string{`DIGEST REALM="r", Nonce="n", QoP="auth", ALGORITHM=md5-Sess, Stale=TRUE`},
			want:   Challenge{Realm: "r", Nonce: "n", QOP: []string{"auth"}, Algorithm: "md5-Sess", Stale: true},
			wantOK: true,
		},
		{
			name:   "blanks around equals and stray commas",
			values: []string{` , Digest realm = "r" ,, nonce= "n",`},
			want:   Challenge{Realm: "r", Nonce: "n"},
			wantOK: true,
		},
		{
			name:   "qop list trimmed",
			values: []string{`Digest realm="r", nonce="n", qop="auth-int , auth,"`},
			want:   Challenge{Realm: "r", Nonce: "n", QOP: []string{"auth-int", "auth"}},
			wantOK: true,
		},
		{
			name:   "every RFC 7616 parameter",
			values: []string{`Digest realm="api@example.org", domain="/a /b  http://h/c", nonce="n", opaque="o", stale=false, algorithm=SHA-512-256-sess, qop="auth", charset=UTF-8, userhash=true, future="x"`},
			want: Challenge{
				Realm: "api@example.org", Domain: []string{"/a", "/b", "http://h/c"}, Nonce: "n", Opaque: "o",
				Algorithm: "SHA-512-256-sess", QOP: []string{"auth"}, Charset: "UTF-8", Userhash: true,
			},
			wantOK: true,
		},
		{
			name:   "quoted stale and userhash",
			values: []string{`Digest realm="r", nonce="n", stale="true", userhash="True"`},
			want:   Challenge{Realm: "r", Nonce: "n", Stale: true, Userhash: true},
			wantOK: true,
		},
		{
			name:   "repeated parameter takes the last value",
			values: []string{`Digest realm="a", nonce="n", realm="b"`},
			want:   Challenge{Realm: "b", Nonce: "n"},
			wantOK: true,
		},
		{
			name:   "no realm is tolerated",
			values: []string{`Digest nonce="n"`},
			want:   Challenge{Nonce: "n"},
			wantOK: true,
		},
		{
			name:   "first answerable of several Digest challenges",
			values: []string{`Digest realm="r", nonce="n1", algorithm=SHA3-256, qop="auth", Digest realm="r", nonce="n2", algorithm=SHA-256, qop="auth"`, `Digest realm="r", nonce="n3", algorithm=MD5, qop="auth"`},
			want:   Challenge{Realm: "r", Nonce: "n2", Algorithm: "SHA-256", QOP: []string{"auth"}},
			wantOK: true,
		},
		{
			name:   "preferred first",
			values: []string{`Digest realm="r", nonce="n1", algorithm=SHA-512-256, qop="auth"`, `Digest realm="r", nonce="n2", algorithm=MD5, qop="auth"`},
			want:   Challenge{Realm: "r", Nonce: "n1", Algorithm: "SHA-512-256", QOP: []string{"auth"}},
			wantOK: true,
		},
		{
			name:   "only an unanswerable challenge is still returned",
			values: []string{`Digest realm="r", nonce="n", qop="auth-int"`},
			want:   Challenge{Realm: "r", Nonce: "n", QOP: []string{"auth-int"}},
			wantOK: true,
		},
		{
			name:   "malformed Digest then a good one",
			values: []string{`Digest realm="r"`, `Digest realm="r", nonce="n"`},
			want:   Challenge{Realm: "r", Nonce: "n"},
			wantOK: true,
		},
		{
			name:   "broken Basic before a good Digest header",
			values: []string{`Basic realm="x`, `Digest realm="r", nonce="n"`},
			want:   Challenge{Realm: "r", Nonce: "n"},
			wantOK: true,
		},
		{
			name:    "missing nonce",
			values:  []string{`Digest realm="r", qop="auth"`},
			wantErr: ErrNoNonce,
		},
		{
			name:    "empty nonce",
			values:  []string{`Digest realm="r", nonce=""`},
			wantErr: ErrNoNonce,
		},
		{
			name:    "Digest alone",
			values:  []string{`Digest`},
			wantErr: ErrNoNonce,
		},
		{
			name:      "unterminated quoted-string",
			values:    []string{`Digest realm="r", nonce="n`},
			syntaxErr: true,
		},
		{
			name:      "junk after a value",
			values:    []string{`Digest realm="r" x, nonce="n"`},
			syntaxErr: true,
		},
		{
			name:   "no Digest challenge",
			values: []string{`Basic realm="x"`, `Bearer`},
		},
		{
			name: "no header",
		},
		{
			name:   "Digest as a parameter value is no challenge",
			values: []string{`Basic realm="Digest", charset="UTF-8"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := ParseChallenge(tt.values)
			switch {
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("err = %v, want %v", err, tt.wantErr)
				}
			case tt.syntaxErr:
				if err == nil {
					t.Errorf("err = nil, want a syntax error")
				}
			case err != nil:
				t.Errorf("err = %v", err)
			}
			if ok != tt.wantOK {
				t.Errorf("ok = %v, want %v", ok, tt.wantOK)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseChallenge (-want +got):\n%s", diff)
			}
		})
	}
}

// TestClientChallenge checks which challenges a Client answers and what a
// refused one leaves behind.
func TestClientChallenge(t *testing.T) {
	tests := []struct {
		name string
		ch   Challenge
		want bool
	}{
		{name: "no algorithm is MD5", ch: Challenge{Realm: "r", Nonce: "n"}, want: true},
		{name: "MD5", ch: Challenge{Nonce: "n", Algorithm: "MD5", QOP: []string{"auth"}}, want: true},
		{name: "md5 lower case", ch: Challenge{Nonce: "n", Algorithm: "md5"}, want: true},
		{name: "MD5-sess", ch: Challenge{Nonce: "n", Algorithm: "MD5-sess", QOP: []string{"auth"}}, want: true},
		{name: "SHA", ch: Challenge{Nonce: "n", Algorithm: "SHA"}, want: true},
		{name: "SHA-256", ch: Challenge{Nonce: "n", Algorithm: "SHA-256"}, want: true},
		{name: "sha-256-SESS", ch: Challenge{Nonce: "n", Algorithm: "sha-256-SESS", QOP: []string{"auth"}}, want: true},
		{name: "SHA-512", ch: Challenge{Nonce: "n", Algorithm: "SHA-512"}, want: true},
		{name: "SHA-512-256", ch: Challenge{Nonce: "n", Algorithm: "SHA-512-256"}, want: true},
		{name: "SHA-512-256-sess", ch: Challenge{Nonce: "n", Algorithm: "SHA-512-256-sess", QOP: []string{"auth"}}, want: true},
		{name: "auth among others", ch: Challenge{Nonce: "n", QOP: []string{"auth-int", "auth"}}, want: true},
		{name: "unknown algorithm", ch: Challenge{Nonce: "n", Algorithm: "SHA3-256"}},
		{name: "sess twice", ch: Challenge{Nonce: "n", Algorithm: "MD5-sess-sess"}},
		{name: "auth-int only", ch: Challenge{Nonce: "n", QOP: []string{"auth-int"}}},
		{name: "AUTH is not auth, as in requests", ch: Challenge{Nonce: "n", QOP: []string{"AUTH"}}},
		{name: "no nonce", ch: Challenge{Realm: "r"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewClient("u", "p")
			if !c.Challenge(Challenge{Realm: "old", Nonce: "old"}) {
				t.Fatal("Challenge(old) = false")
			}
			if got := c.Challenge(tt.ch); got != tt.want {
				t.Errorf("Challenge = %v, want %v", got, tt.want)
			}
			_, got := c.Authorization("GET", "/")
			if got != tt.want {
				t.Errorf("Authorization ok = %v, want %v (a refused challenge replaces the old one)", got, tt.want)
			}
		})
	}
	t.Run("no challenge yet", func(t *testing.T) {
		if got, ok := NewClient("u", "p").Authorization("GET", "/"); ok || got != "" {
			t.Errorf("Authorization = %q, %v; want \"\", false", got, ok)
		}
	})
	t.Run("caller's slices are copied", func(t *testing.T) {
		c := NewClient("u", "p")
		fixedCnonce(c, "c")
		qop := []string{"auth"}
		c.Challenge(Challenge{Nonce: "n", QOP: qop})
		qop[0] = "auth-int"
		got, _ := c.Authorization("GET", "/")
		if !strings.Contains(got, `qop="auth"`) {
			t.Errorf("Authorization = %q, want qop=\"auth\"", got)
		}
	})
}

// TestAuthorizationFormatting covers what the differential test cannot
// show: the values requests writes unescaped, and the RFC 7616 extras.
func TestAuthorizationFormatting(t *testing.T) {
	tests := []struct {
		name, username, password string
		ch                       Challenge
		uri                      string
		want                     string
	}{
		{
			name: "quote and backslash escaped", username: `a"b\c`, password: "p",
			ch:   Challenge{Realm: `r"1`, Nonce: "n"},
			uri:  "/",
			want: `Digest username="a\"b\\c", realm="r\"1", nonce="n", uri="/", response="` + md5Hex(md5Hex(`a"b\c:r"1:p`)+":n:"+md5Hex("GET:/")) + `"`,
		},
		{
			name: "non-ASCII username as username*", username: "Jäsøn Doe", password: "p",
			ch:   Challenge{Realm: "r", Nonce: "n", Charset: "UTF-8"},
			uri:  "/",
			want: `Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, realm="r", nonce="n", uri="/", response="` + md5Hex(md5Hex("Jäsøn Doe:r:p")+":n:"+md5Hex("GET:/")) + `"`,
		},
		{
			name: "userhash", username: "Mufasa", password: "p",
			ch:   Challenge{Realm: "r", Nonce: "n", Userhash: true},
			uri:  "/",
			want: `Digest username="` + md5Hex("Mufasa:r") + `", realm="r", nonce="n", uri="/", response="` + md5Hex(md5Hex("Mufasa:r:p")+":n:"+md5Hex("GET:/")) + `", userhash=true`,
		},
		{
			name: "empty uri is /", username: "u", password: "p",
			ch:   Challenge{Realm: "r", Nonce: "n"},
			uri:  "",
			want: `Digest username="u", realm="r", nonce="n", uri="/", response="` + md5Hex(md5Hex("u:r:p")+":n:"+md5Hex("GET:/")) + `"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewClient(tt.username, tt.password)
			fixedCnonce(c, "0123456789abcdef")
			if !c.Challenge(tt.ch) {
				t.Fatal("Challenge = false")
			}
			got, _ := c.Authorization("GET", tt.uri)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Authorization (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("random cnonce", func(t *testing.T) {
		c := NewClient("u", "p")
		c.Challenge(Challenge{Nonce: "n", QOP: []string{"auth"}})
		seen := map[string]bool{}
		for range 8 {
			h, _ := c.Authorization("GET", "/")
			cn := authParams(t, h)["cnonce"]
			if len(cn) != 16 || strings.Trim(cn, "0123456789abcdef") != "" {
				t.Fatalf("cnonce %q is not 16 lower-case hex digits, as requests' is", cn)
			}
			if seen[cn] {
				t.Fatalf("cnonce %q repeated", cn)
			}
			seen[cn] = true
		}
	})
	t.Run("nc past ffffffff", func(t *testing.T) {
		if got := formatNC(1 << 32); got != "100000000" {
			t.Errorf("formatNC(1<<32) = %q, want %q (as requests' f\"{nc:08x}\")", got, "100000000")
		}
	})
}

func md5Hex(s string) string { return fmt.Sprintf("%x", md5.Sum([]byte(s))) }

// authParams parses the auth-params of an Authorization value.
func authParams(t *testing.T, header string) map[string]string {
	t.Helper()
	raws := parseAuthenticate(header)
	if len(raws) != 1 || raws[0].err != nil || !strings.EqualFold(raws[0].scheme, "Digest") {
		t.Fatalf("cannot parse Authorization %q: %+v", header, raws)
	}
	m := map[string]string{}
	for _, p := range raws[0].params {
		m[p.name] = p.value
	}
	return m
}

// TestConcurrentNonceCount: the state is shared, so N concurrent requests
// on one nonce get nc 1…N, each once.
func TestConcurrentNonceCount(t *testing.T) {
	const n = 64
	c := NewClient("u", "p")
	c.Challenge(Challenge{Realm: "r", Nonce: "n", QOP: []string{"auth"}})
	headers := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { headers[i], _ = c.Authorization("GET", "/") })
	}
	wg.Wait()
	var ncs []string
	for _, h := range headers {
		ncs = append(ncs, authParams(t, h)["nc"])
	}
	slices.Sort(ncs)
	want := make([]string, n)
	for i := range want {
		want[i] = fmt.Sprintf("%08x", i+1)
	}
	if diff := cmp.Diff(want, ncs); diff != "" {
		t.Errorf("nc values (-want +got):\n%s", diff)
	}
}

// Fixed inputs of requests' cnonce rule for the differential test.
const (
	oracleCtime   = "Thu Jan  1 00:00:00 1970"
	oracleUrandom = "0011223344556677"
)

// requestsCnonce is requests' cnonce rule with the oracle's fixed inputs:
// sha1(str(nc) + nonce + time.ctime() + os.urandom(8)).hexdigest()[:16].
func requestsCnonce(nc uint64, nonce string) string {
	urandom, err := hex.DecodeString(oracleUrandom)
	if err != nil {
		panic(err)
	}
	s := strconv.FormatUint(nc, 10) + nonce + oracleCtime + string(urandom)
	return fmt.Sprintf("%x", sha1.Sum([]byte(s)))[:16]
}

type oracleStep struct {
	Challenge *string `json:"challenge"`
	Method    string  `json:"method"`
	URL       string  `json:"url"`
}

type oracleCase struct {
	Name     string       `json:"name"`
	Username string       `json:"username"`
	Password string       `json:"password"`
	Steps    []oracleStep `json:"steps"`
}

// runRequests builds requests' headers for every case in one python3
// process, or skips the test when python3 cannot import requests.
func runRequests(t *testing.T, cases []oracleCase) [][]*string {
	t.Helper()
	if out, err := exec.Command("python3", "-c", "import requests").CombinedOutput(); err != nil {
		t.Skipf("skipping differential test: python3 cannot import requests: %v %s", err, bytes.TrimSpace(out))
	}
	script, err := os.ReadFile("testdata/requests_oracle.py")
	if err != nil {
		t.Fatal(err)
	}
	in, err := json.Marshal(map[string]any{"ctime": oracleCtime, "urandom": oracleUrandom, "cases": cases})
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(t.Context(), "python3", "-c", string(script))
	cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(in), &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("python3: %v\n%s", err, stderr.Bytes())
	}
	var out [][]*string
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("python3 output: %v\n%s", err, stdout.Bytes())
	}
	if len(out) != len(cases) {
		t.Fatalf("python3 answered %d cases, want %d", len(out), len(cases))
	}
	return out
}

// requestTarget is the uri requests puts in the header for a URL: path (or
// "/") plus "?query" when the query is not empty.
func requestTarget(t *testing.T, rawURL string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	target := u.EscapedPath()
	if target == "" {
		target = "/"
	}
	if u.RawQuery != "" {
		target += "?" + u.RawQuery
	}
	return target
}

// goSteps does with a Client what the oracle does with HTTPDigestAuth.
func goSteps(t *testing.T, oc oracleCase) []*string {
	t.Helper()
	c := NewClient(oc.Username, oc.Password)
	c.cnonce = requestsCnonce
	var got []*string
	for _, st := range oc.Steps {
		if st.Challenge != nil {
			ch, ok, err := ParseChallenge([]string{*st.Challenge})
			if err != nil || !ok {
				t.Fatalf("ParseChallenge(%q): ok=%v err=%v", *st.Challenge, ok, err)
			}
			c.Challenge(ch)
		}
		var h *string
		if v, ok := c.Authorization(st.Method, requestTarget(t, st.URL)); ok {
			h = &v
		}
		got = append(got, h)
	}
	return got
}

// TestRequestsDifferential compares Authorization values with those
// requests' HTTPDigestAuth builds for the same challenges, URLs and cnonce
// inputs, over sequences that reuse a nonce and then get a new one.
func TestRequestsDifferential(t *testing.T) {
	chal := func(s string) oracleStep {
		return oracleStep{Challenge: &s, Method: "GET", URL: "http://example.com/p"}
	}
	again := func(method, url string) oracleStep { return oracleStep{Method: method, URL: url} }
	// seq is the usual sequence: a challenge, two more requests on its
	// nonce, a new nonce, one more request.
	seq := func(c1, c2 string) []oracleStep {
		return []oracleStep{chal(c1), again("GET", "http://example.com/p?q=1&r=2"), again("POST", "http://example.com"), chal(c2), again("PUT", "http://example.com/a/b")}
	}
	type tcase struct {
		oracleCase
		// requestsDeclines: requests sends no Authorization (returns None)
		// where this package answers.
		requestsDeclines bool
		// rewrite maps requests' header to the one this package sends
		// where it deliberately differs.
		rewrite func(string) string
		// ncDiffers maps a step to the nc requests sends there and the one
		// this package sends; the rest of the values (but the response and
		// cnonce, which hash nc) must match.
		ncDiffers map[int][2]string
	}
	mk := func(name string, steps []oracleStep) tcase {
		return tcase{oracleCase: oracleCase{Name: name, Username: "user", Password: "passwd", Steps: steps}}
	}
	tests := []tcase{
		mk("MD5 qop auth opaque", seq(`Digest realm="me@example.com", nonce="n1", opaque="o1", algorithm=MD5, qop="auth"`, `Digest realm="me@example.com", nonce="n2", opaque="o2", algorithm=MD5, qop="auth"`)),
		mk("no algorithm", seq(`Digest realm="r", nonce="n1", qop="auth"`, `Digest realm="r", nonce="n2", qop="auth"`)),
		mk("algorithm echoed as spelled", seq(`Digest realm="r", nonce="n1", algorithm=md5, qop="auth"`, `Digest realm="r", nonce="n2", algorithm="Sha-256", qop="auth"`)),
		mk("MD5 no qop (RFC 2069)", seq(`Digest realm="r", nonce="n1", opaque="o"`, `Digest realm="r", nonce="n2"`)),
		mk("MD5-sess", seq(`Digest realm="r", nonce="n1", algorithm=MD5-sess, qop="auth"`, `Digest realm="r", nonce="n2", algorithm=MD5-SESS, qop="auth", opaque="o"`)),
		mk("MD5-sess no qop", seq(`Digest realm="r", nonce="n1", algorithm=MD5-sess`, `Digest realm="r", nonce="n2", algorithm=MD5-sess`)),
		mk("SHA-256", seq(`Digest realm="r", nonce="n1", algorithm=SHA-256, qop="auth", opaque="o"`, `Digest realm="r", nonce="n2", algorithm=SHA-256, qop="auth"`)),
		mk("SHA-256 no qop", seq(`Digest realm="r", nonce="n1", algorithm=SHA-256`, `Digest realm="r", nonce="n2", algorithm=SHA-256, opaque="o"`)),
		mk("SHA", seq(`Digest realm="r", nonce="n1", algorithm=SHA, qop="auth"`, `Digest realm="r", nonce="n2", algorithm=SHA`)),
		mk("SHA-512", seq(`Digest realm="r", nonce="n1", algorithm=SHA-512, qop="auth"`, `Digest realm="r", nonce="n2", algorithm=SHA-512`)),
		mk("qop auth,auth-int", seq(`Digest realm="r", nonce="n1", qop="auth,auth-int"`, `Digest realm="r", nonce="n2", qop="auth, auth-int"`)),
		mk("qop auth-int,auth", seq(`Digest realm="r", nonce="n1", qop="auth-int,auth"`, `Digest realm="r", nonce="n2", qop=auth`)),
		mk("qop auth-int only", seq(`Digest realm="r", nonce="n1", qop="auth-int"`, `Digest realm="r", nonce="n2", qop="auth-int"`)),
		mk("unknown algorithm", seq(`Digest realm="r", nonce="n1", algorithm=SHA3-256, qop="auth"`, `Digest realm="r", nonce="n2", algorithm=MD4`)),
		mk("unknown algorithm then the old nonce again", []oracleStep{
			chal(`Digest realm="r", nonce="n1", qop="auth"`), again("GET", "http://example.com/"),
			chal(`Digest realm="r", nonce="n2", algorithm=SHA3-256, qop="auth"`), again("GET", "http://example.com/"),
			chal(`Digest realm="r", nonce="n1", qop="auth"`), again("GET", "http://example.com/"),
		}),
		{
			// requests' build_digest_header updates nonce_count before it
			// gives up on a qop without "auth", but not last_nonce: the
			// declined n2 resets the count to 1, and when n1 comes back it
			// counts on from there, sending nc=00000002 for n1 a second
			// time. This package never repeats an nc for a nonce.
			oracleCase: mk("auth-int only challenge then the old nonce again", []oracleStep{
				chal(`Digest realm="r", nonce="n1", qop="auth"`), again("GET", "http://example.com/"),
				chal(`Digest realm="r", nonce="n2", qop="auth-int"`), again("GET", "http://example.com/"),
				chal(`Digest realm="r", nonce="n1", qop="auth"`), again("GET", "http://example.com/"),
			}).oracleCase,
			ncDiffers: map[int][2]string{4: {"00000002", "00000003"}, 5: {"00000003", "00000004"}},
		},
		mk("go-httpbin's unquoted challenge", seq(`Digest qop=auth, realm="go-httpbin", algorithm=SHA-256, nonce=4f1a, opaque=9c2e`, `Digest qop=auth, realm="go-httpbin", algorithm=SHA-256, nonce=77b0, opaque=9c2e`)),
		mk("stale nonce replaced, then rejected again on the same nonce", []oracleStep{
			chal(`Digest realm="r", nonce="n1", qop="auth"`), again("GET", "http://example.com/x"), again("GET", "http://example.com/x"),
			chal(`Digest realm="r", nonce="n2", qop="auth", stale=true`), again("GET", "http://example.com/x"),
			chal(`Digest realm="r", nonce="n2", qop="auth", stale=false`), again("GET", "http://example.com/x"),
		}),
		mk("same nonce in a new challenge counts on", []oracleStep{
			chal(`Digest realm="r", nonce="n1", qop="auth"`), chal(`Digest realm="r", nonce="n1", qop="auth", stale=TRUE`), again("GET", "http://example.com/"),
		}),
		mk("query, empty path and escapes in the URL", []oracleStep{
			chal(`Digest realm="r", nonce="n1", qop="auth"`), again("GET", "http://example.com"), again("GET", "http://example.com/?"),
			again("GET", "http://example.com/a%20b/c?x=%2F&y"), again("DELETE", "http://example.com:8080/p?"),
		}),
		{
			oracleCase:       mk("SHA-256-sess, which requests lacks", seq(`Digest realm="r", nonce="n1", algorithm=SHA-256-sess, qop="auth"`, `Digest realm="r", nonce="n2", algorithm=SHA-256-sess, qop="auth"`)).oracleCase,
			requestsDeclines: true,
		},
		{
			oracleCase:       mk("SHA-512-256, which requests lacks", seq(`Digest realm="r", nonce="n1", algorithm=SHA-512-256, qop="auth"`, `Digest realm="r", nonce="n2", algorithm=SHA-512-256-sess, qop="auth"`)).oracleCase,
			requestsDeclines: true,
		},
		{
			// requests splits "auth-int, auth" into "auth-int" and " auth"
			// and finds no "auth"; the value sent is the one it sends for
			// qop="auth-int,auth" (the qop list is not echoed).
			oracleCase:       mk("qop auth-int, auth with a blank", seq(`Digest realm="r", nonce="n1", qop="auth-int, auth"`, `Digest realm="r", nonce="n2", qop="auth-int, auth"`)).oracleCase,
			requestsDeclines: true,
		},
		{
			oracleCase: oracleCase{Name: "quote in username and realm", Username: `us"er`, Password: `pa"ss\`, Steps: seq(
				`Digest realm="r\"q", nonce="n1", qop="auth"`, `Digest realm="r\"q", nonce="n2"`)},
			rewrite: func(s string) string {
				return strings.NewReplacer(`username="us"er"`, `username="us\"er"`, `realm="r"q"`, `realm="r\"q"`).Replace(s)
			},
		},
		{
			oracleCase: oracleCase{Name: "non-ASCII username", Username: "Jäsøn", Password: "pässwörd", Steps: seq(
				`Digest realm="r", nonce="n1", qop="auth", charset=UTF-8`, `Digest realm="r", nonce="n2", qop="auth"`)},
			rewrite: func(s string) string {
				return strings.Replace(s, `username="Jäsøn"`, `username*=UTF-8''J%C3%A4s%C3%B8n`, 1)
			},
		},
	}
	var cases []oracleCase
	for _, tt := range tests {
		cases = append(cases, tt.oracleCase)
	}
	requests := runRequests(t, cases)
	for i, tt := range tests {
		t.Run(tt.Name, func(t *testing.T) {
			want := requests[i]
			got := goSteps(t, tt.oracleCase)
			if tt.requestsDeclines {
				for j, h := range want {
					if h != nil {
						t.Fatalf("step %d: requests sent %q; this case expects it to decline", j, *h)
					}
				}
				for j, h := range got {
					if h == nil {
						t.Errorf("step %d: no Authorization, want one", j)
					}
				}
				return
			}
			if tt.rewrite != nil {
				for j, h := range want {
					if h != nil {
						v := tt.rewrite(*h)
						if v == *h {
							t.Fatalf("step %d: rewrite changed nothing in %q", j, *h)
						}
						want[j] = &v
					}
				}
			}
			for j, ncs := range tt.ncDiffers {
				if want[j] == nil || got[j] == nil {
					t.Fatalf("step %d: requests sent %v, this package %v; want both", j, want[j], got[j])
				}
				w, g := authParams(t, *want[j]), authParams(t, *got[j])
				if diff := cmp.Diff(ncs, [2]string{w["nc"], g["nc"]}); diff != "" {
					t.Errorf("step %d: nc (-want +got):\n%s", j, diff)
				}
				for _, m := range []map[string]string{w, g} {
					delete(m, "nc")
					delete(m, "cnonce")
					delete(m, "response")
				}
				if diff := cmp.Diff(w, g); diff != "" {
					t.Errorf("step %d: other values (-want requests +got):\n%s", j, diff)
				}
				want[j], got[j] = nil, nil
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("headers (-want requests +got):\n%s", diff)
			}
		})
	}
	t.Run("qop auth-int, auth answered as requests answers auth-int,auth", func(t *testing.T) {
		i := slices.IndexFunc(tests, func(tt tcase) bool { return tt.Name == "qop auth-int,auth" })
		j := slices.IndexFunc(tests, func(tt tcase) bool { return tt.Name == "qop auth-int, auth with a blank" })
		got := goSteps(t, tests[j].oracleCase)
		// Both sequences differ only in the qop list and in the second
		// challenge's (unechoed) qop spelling.
		want := requests[i]
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("headers (-want requests +got):\n%s", diff)
		}
	})
}

// roundTrip is what one logical request took: the final status, how many
// requests went on the wire, and the nc the server saw last.
type roundTrip struct {
	Status int
	Trips  int
	NC     string
}

// do sends one logical request as requests' HTTPDigestAuth does: with the
// saved challenge if there is one; on a 401 with a Digest challenge, once
// more with an answer to it.
func do(t *testing.T, hc *http.Client, c *Client, target string) (roundTrip, []byte) {
	t.Helper()
	var rt roundTrip
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	send := func() *http.Response {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, target, nil)
		if err != nil {
			t.Fatal(err)
		}
		if h, ok := c.Authorization(req.Method, u.RequestURI()); ok {
			req.Header.Set("Authorization", h)
			rt.NC = authParams(t, h)["nc"]
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		rt.Trips++
		return resp
	}
	resp := send()
	if resp.StatusCode == http.StatusUnauthorized {
		ch, ok, err := ParseChallenge(resp.Header.Values("WWW-Authenticate"))
		if err == nil && ok && c.Challenge(ch) {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			resp = send()
		}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	rt.Status = resp.StatusCode
	return rt, body
}

// TestGoHTTPBin drives go-httpbin's /digest-auth/{qop}/{user}/{passwd}/{algorithm}.
// go-httpbin keeps no nonce state: it checks the response against whatever
// nonce, nc and cnonce the request carries, so a reused nonce (nc=2, 3) is
// accepted without a new challenge.
func TestGoHTTPBin(t *testing.T) {
	srv := httptest.NewServer(httpbin.New())
	t.Cleanup(srv.Close)
	tests := []struct {
		name     string
		path     string
		password string
		want     []roundTrip
	}{
		{
			name: "default MD5", path: "/digest-auth/auth/user/passwd", password: "passwd",
			want: []roundTrip{{200, 2, "00000001"}, {200, 1, "00000002"}, {200, 1, "00000003"}},
		},
		{
			name: "MD5", path: "/digest-auth/auth/user/passwd/MD5", password: "passwd",
			want: []roundTrip{{200, 2, "00000001"}, {200, 1, "00000002"}, {200, 1, "00000003"}},
		},
		{
			name: "SHA-256", path: "/digest-auth/auth/user/passwd/SHA-256", password: "passwd",
			want: []roundTrip{{200, 2, "00000001"}, {200, 1, "00000002"}, {200, 1, "00000003"}},
		},
		{
			name: "query in the request-target", path: "/digest-auth/auth/user/passwd/SHA-256?a=1&b=%2F", password: "passwd",
			want: []roundTrip{{200, 2, "00000001"}, {200, 1, "00000002"}},
		},
		{
			// A wrong password: the retry draws a new challenge, a new
			// nonce, so the next request starts again at nc=1.
			name: "wrong password", path: "/digest-auth/auth/user/passwd/MD5", password: "nope",
			want: []roundTrip{{401, 2, "00000001"}, {401, 2, "00000001"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewClient("user", tt.password)
			var got []roundTrip
			for range tt.want {
				rt, body := do(t, srv.Client(), c, srv.URL+tt.path)
				got = append(got, rt)
				if rt.Status == http.StatusOK {
					var r struct {
						Authenticated bool   `json:"authenticated"`
						User          string `json:"user"`
					}
					if err := json.Unmarshal(body, &r); err != nil || !r.Authenticated || r.User != "user" {
						t.Errorf("body %s: %+v %v", body, r, err)
					}
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("round trips (-want +got):\n%s", diff)
			}
		})
	}
}

// rfcServer is a strict RFC 7616 server written independently of the
// package's computations: it hands out nonces, lets each serve maxUses
// requests before answering stale=true, requires nc to grow on every use of
// a nonce, and checks the response.
type rfcServer struct {
	t                        *testing.T
	algorithm                string // as announced
	sum                      func([]byte) []byte
	sess                     bool
	qop                      bool
	userhash                 bool
	realm, username, passwrd string
	maxUses                  int

	mu     sync.Mutex
	nonces map[string]*nonceState
	serial int
}

type nonceState struct {
	uses   int
	lastNC uint64
}

func (s *rfcServer) h(parts ...string) string {
	return fmt.Sprintf("%x", s.sum([]byte(strings.Join(parts, ":"))))
}

func (s *rfcServer) challenge(w http.ResponseWriter, stale bool) {
	s.serial++
	nonce := fmt.Sprintf("nonce-%d/+=", s.serial)
	s.nonces[nonce] = &nonceState{}
	v := fmt.Sprintf(`Basic realm="other", Digest realm=%q, nonce=%q, opaque="op", algorithm=%s`, s.realm, nonce, s.algorithm)
	if s.qop {
		v += `, qop="auth-int, auth"`
	}
	if stale {
		v += ", stale=true"
	}
	if s.userhash {
		v += ", charset=UTF-8, userhash=true"
	}
	w.Header().Set("WWW-Authenticate", v)
	w.WriteHeader(http.StatusUnauthorized)
}

func (s *rfcServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	auth := r.Header.Get("Authorization")
	if auth == "" {
		s.challenge(w, false)
		return
	}
	raws := parseAuthenticate(auth)
	if len(raws) != 1 || raws[0].err != nil || raws[0].scheme != "Digest" {
		http.Error(w, "bad Authorization", http.StatusBadRequest)
		return
	}
	p := map[string]string{}
	for _, kv := range raws[0].params {
		p[kv.name] = kv.value
	}
	fail := func(format string, args ...any) {
		s.t.Errorf("server: "+format+" in %s", append(args, auth)...)
		http.Error(w, "rejected", http.StatusForbidden)
	}
	wantUser := s.username
	if s.userhash {
		wantUser = s.h(s.username, s.realm)
		if p["userhash"] != "true" {
			fail("userhash=%q", p["userhash"])
			return
		}
	}
	gotUser := p["username"]
	if ext, ok := p["username*"]; ok {
		enc, ok := strings.CutPrefix(ext, "UTF-8''")
		dec, err := url.PathUnescape(enc)
		if !ok || err != nil {
			fail("username*=%q", ext)
			return
		}
		gotUser = dec
	}
	switch {
	case gotUser != wantUser:
		fail("username %q, want %q", gotUser, wantUser)
		return
	case p["realm"] != s.realm:
		fail("realm %q", p["realm"])
		return
	case p["uri"] != r.RequestURI:
		fail("uri %q, want %q", p["uri"], r.RequestURI)
		return
	case p["algorithm"] != s.algorithm:
		fail("algorithm %q, want %q", p["algorithm"], s.algorithm)
		return
	case p["opaque"] != "op":
		fail("opaque %q", p["opaque"])
		return
	}
	ns := s.nonces[p["nonce"]]
	if ns == nil {
		fail("unknown nonce %q", p["nonce"])
		return
	}
	ha1 := s.h(s.username, s.realm, s.passwrd)
	if s.sess {
		ha1 = s.h(ha1, p["nonce"], p["cnonce"])
	}
	ha2 := s.h(r.Method, r.RequestURI)
	var want string
	if s.qop {
		nc, err := strconv.ParseUint(p["nc"], 16, 64)
		if err != nil || len(p["nc"]) != 8 || p["qop"] != "auth" || p["cnonce"] == "" {
			fail("nc=%q qop=%q cnonce=%q", p["nc"], p["qop"], p["cnonce"])
			return
		}
		if nc <= ns.lastNC {
			fail("nc %d not above %d", nc, ns.lastNC)
			return
		}
		ns.lastNC = nc
		want = s.h(ha1, p["nonce"], p["nc"], p["cnonce"], "auth", ha2)
	} else {
		want = s.h(ha1, p["nonce"], ha2)
	}
	if p["response"] != want {
		fail("response %q, want %q", p["response"], want)
		return
	}
	ns.uses++
	if ns.uses > s.maxUses {
		delete(s.nonces, p["nonce"])
		s.challenge(w, true)
		return
	}
	fmt.Fprint(w, "ok")
}

// TestRFC7616Server checks every algorithm, -sess form, userhash and
// username* against rfcServer, over a nonce that serves three requests and
// then goes stale.
func TestRFC7616Server(t *testing.T) {
	md5Sum := func(b []byte) []byte { s := md5.Sum(b); return s[:] }
	sha1Sum := func(b []byte) []byte { s := sha1.Sum(b); return s[:] }
	sha256Sum := func(b []byte) []byte { s := sha256.Sum256(b); return s[:] }
	sha512Sum := func(b []byte) []byte { s := sha512.Sum512(b); return s[:] }
	sha512256Sum := func(b []byte) []byte { s := sha512.Sum512_256(b); return s[:] }
	withQOP := []roundTrip{
		{200, 2, "00000001"}, {200, 1, "00000002"}, {200, 1, "00000003"},
		{200, 2, "00000001"}, // stale=true, new nonce, nc starts again
		{200, 1, "00000002"},
	}
	noQOP := []roundTrip{{200, 2, ""}, {200, 1, ""}, {200, 1, ""}, {200, 2, ""}, {200, 1, ""}}
	tests := []struct {
		name      string
		algorithm string
		sum       func([]byte) []byte
		sess      bool
		qop       bool
		userhash  bool
		username  string
		want      []roundTrip
	}{
		{name: "MD5", algorithm: "MD5", sum: md5Sum, qop: true, want: withQOP},
		{name: "MD5-sess", algorithm: "MD5-sess", sum: md5Sum, sess: true, qop: true, want: withQOP},
		{name: "SHA-256", algorithm: "SHA-256", sum: sha256Sum, qop: true, want: withQOP},
		{name: "SHA-256-sess", algorithm: "SHA-256-sess", sum: sha256Sum, sess: true, qop: true, want: withQOP},
		{name: "SHA-512-256", algorithm: "SHA-512-256", sum: sha512256Sum, qop: true, want: withQOP},
		{name: "SHA-512-256-sess", algorithm: "SHA-512-256-sess", sum: sha512256Sum, sess: true, qop: true, want: withQOP},
		{name: "sha-512-256-SESS spelled oddly", algorithm: "sha-512-256-SESS", sum: sha512256Sum, sess: true, qop: true, want: withQOP},
		{name: "SHA", algorithm: "SHA", sum: sha1Sum, qop: true, want: withQOP},
		{name: "SHA-512", algorithm: "SHA-512", sum: sha512Sum, qop: true, want: withQOP},
		{name: "SHA-512-256 no qop", algorithm: "SHA-512-256", sum: sha512256Sum, want: noQOP},
		{name: "SHA-512-256 userhash", algorithm: "SHA-512-256", sum: sha512256Sum, qop: true, userhash: true, username: "Jäsøn Doe", want: withQOP},
		{name: "SHA-256-sess username*", algorithm: "SHA-256-sess", sum: sha256Sum, sess: true, qop: true, username: "Jäsøn Doe", want: withQOP},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			username := tt.username
			if username == "" {
				username = "Mufasa"
			}
			s := &rfcServer{
				t: t, algorithm: tt.algorithm, sum: tt.sum, sess: tt.sess, qop: tt.qop, userhash: tt.userhash,
				realm: "api@example.org", username: username, passwrd: "Secret, or not?", maxUses: 3,
				nonces: map[string]*nonceState{},
			}
			srv := httptest.NewServer(s)
			defer srv.Close()
			c := NewClient(username, "Secret, or not?")
			var got []roundTrip
			for i := range tt.want {
				rt, _ := do(t, srv.Client(), c, fmt.Sprintf("%s/doe.json?i=%d", srv.URL, i))
				got = append(got, rt)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("round trips (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzParseChallenge: any header parses without panicking, a returned
// challenge has a nonce, and an answerable one yields an Authorization value
// that parses back with the same realm and nonce.
func FuzzParseChallenge(f *testing.F) {
	for _, s := range []string{
		`Digest realm="r", nonce="n", qop="auth", algorithm=SHA-256`,
		`Basic realm="x", Digest realm="a \"b\" \\", nonce=abc/+=, Bearer`,
		`Negotiate YIIB==, Digest nonce="n", userhash=true, domain="/a /b"`,
		`Digest`, `,,`, `Digest realm="`, `Digest a=b c`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ch, ok, err := ParseChallenge([]string{s})
		if err != nil && ok {
			t.Fatalf("ok with error %v", err)
		}
		if !ok {
			return
		}
		if ch.Nonce == "" {
			t.Fatalf("challenge without nonce: %+v", ch)
		}
		c := NewClient("u", "p")
		if !c.Challenge(ch) {
			return
		}
		h, _ := c.Authorization("GET", "/")
		p := authParams(t, h)
		if p["realm"] != ch.Realm || p["nonce"] != ch.Nonce {
			t.Fatalf("%q: realm %q nonce %q, want %q %q", h, p["realm"], p["nonce"], ch.Realm, ch.Nonce)
		}
	})
}
