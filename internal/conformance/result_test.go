package conformance

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/internal/testserver"
)

func TestBytesJSON(t *testing.T) {
	for _, tc := range []struct {
		in   Bytes
		want string
	}{
		{Bytes("a<b>&\n"), `"a<b>&\n"`},
		{Bytes("é ✓"), `"é ✓"`},
		{Bytes{0xff, 0x00}, `{"b64":"/wA="}`},
		{Bytes{}, `""`},
	} {
		// As writeGolden writes it: without HTML escapes.
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(tc.in); err != nil {
			t.Fatal(err)
		}
		got := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		if string(got) != tc.want {
			t.Errorf("Marshal(%q) = %s, want %s", tc.in, got, tc.want)
		}
		var back Bytes
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatal(err)
		}
		if string(back) != string(tc.in) {
			t.Errorf("round trip of %q gave %q", tc.in, back)
		}
	}
}

func TestParseMultipart(t *testing.T) {
	const b = "0123456789abcdef0123456789abcdef"
	fn := "a.txt"
	good := "--" + b + "\r\n" +
		"Content-Disposition: form-data; name=\"t\"\r\n\r\nv\r\n" +
		"--" + b + "\r\n" +
		"Content-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\nX-B: 2\r\nContent-Type: text/plain\r\n\r\n\r\n--\r\n" +
		"--" + b + "\r\n" +
		"\r\nno headers\r\n" +
		"--" + b + "--\r\n"
	parts, err := parseMultipart([]byte(good), b)
	if err != nil {
		t.Fatal(err)
	}
	want := []Part{
		{Name: "t", Headers: []string{`content-disposition: form-data; name="t"`}, Content: Bytes("v")},
		{Name: "f", Filename: &fn, Headers: []string{
			`content-disposition: form-data; name="f"; filename="a.txt"`, "content-type: text/plain", "x-b: 2",
		}, Content: Bytes("\r\n--")},
		{Headers: []string{}, Content: Bytes("no headers")},
	}
	if diff := cmp.Diff(want, parts); diff != "" {
		t.Errorf("parts (-want +got):\n%s", diff)
	}
	if got := bodyBoundary([]byte(good)); got != b {
		t.Errorf("bodyBoundary = %q, want %q", got, b)
	}

	for name, body := range map[string]string{
		"preamble":          "x\r\n" + good,
		"epilogue":          good + "x",
		"no final CRLF":     strings.TrimSuffix(good, "\r\n"),
		"no closing":        strings.TrimSuffix(good, "--"+b+"--\r\n"),
		"no empty line":     "--" + b + "\r\nA: 1\r\n--" + b + "--\r\n",
		"header sans colon": "--" + b + "\r\nbad\r\n\r\nx\r\n--" + b + "--\r\n",
	} {
		if _, err := parseMultipart([]byte(body), b); err == nil {
			t.Errorf("%s: parsed, want an error", name)
		}
	}
	if got := bodyBoundary([]byte("--x--\r\n")); got != "" {
		t.Errorf("bodyBoundary of an empty multipart body = %q, want \"\"", got)
	}
}

// TestMultipartHop checks the hop normalisation: a multipart body becomes
// parts, the boundary "<boundary>", and one that does not split stays whole.
func TestMultipartHop(t *testing.T) {
	n := newNormalizer(Hosts{H1: "127.0.0.1:1"}, nil)
	const b = "0123456789abcdef0123456789abcdef"
	body := "--" + b + "\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\nv\r\n--" + b + "--\r\n"
	e := testserver.Entry{Recorded: testserver.Recorded{
		Method: "POST", Host: "127.0.0.1:1", Path: "/p",
		Header: map[string][]string{"Content-Type": {"multipart/form-data; boundary=" + b}},
		Body:   body,
	}}
	h := n.hop(e)
	if h.Body != nil || len(h.Parts) != 1 || h.Headers["content-type"][0] != "multipart/form-data; boundary="+Boundary {
		t.Errorf("hop = %+v", h)
	}
	e.Body = body + "epilogue"
	h = n.hop(e)
	if h.Parts != nil || h.MultipartError == "" || strings.Contains(string(h.Body), b) || !strings.Contains(string(h.Body), Boundary) {
		t.Errorf("malformed hop = %+v", h)
	}
	e.Header = map[string][]string{"Content-Type": {"application/x-custom"}}
	e.Body = body
	if h = n.hop(e); len(h.Parts) != 1 || h.Headers["content-type"][0] != "application/x-custom" {
		t.Errorf("hop with a foreign Content-Type = %+v", h)
	}
}

func TestEchoJSON(t *testing.T) {
	n := newNormalizer(Hosts{H1: "127.0.0.1:1"}, map[string]string{"user-agent": "ua/1"})
	got := n.echoJSON(`{"headers": {"User-Agent": ["ua/1"], "Connection": ["keep-alive"], "Host": ["127.0.0.1:1"], "X-A": ["http://127.0.0.1:1/x"]}, "n": 1}`)
	want := map[string]any{
		"headers": map[string]any{"user-agent": []any{DefaultValue}, "x-a": []any{"http://H1/x"}},
		"n":       float64(1),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("echoJSON (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]any{"not_json": "<html>"}, n.echoJSON("<html>")); diff != "" {
		t.Errorf("echoJSON of a body that is not JSON (-want +got):\n%s", diff)
	}
}

// TestDigestLabels checks the normalisation of Digest Authorization
// values: random values numbered by first appearance within a case, a
// value that comes back keeping its number, the rest as sent.
func TestDigestLabels(t *testing.T) {
	d := digestLabels{}
	in := []string{
		`Digest username="u", realm="r, x", nonce="N1", uri="/p?a=1", response="R1", opaque="O", algorithm="MD5", qop="auth", nc=00000001, cnonce="C1"`,
		`Digest username="u",realm="r, x",nonce="N1" , uri="/p", response="R2",opaque="O",qop=auth,nc=00000002,cnonce="C2"`,
		`Digest username="a\"b", nonce="N2", response="R3"`,
		`Basic dTpw`,
		`Digest username="u", broken`,
		`Digest realm="unterminated`,
	}
	want := []string{
		`Digest username="u", realm="r, x", nonce="<nonce-1>", uri="/p?a=1", response="<response-1>", opaque="<opaque-1>", algorithm="MD5", qop="auth", nc=00000001, cnonce="<cnonce-1>"`,
		`Digest username="u", realm="r, x", nonce="<nonce-1>", uri="/p", response="<response-2>", opaque="<opaque-1>", qop=auth, nc=00000002, cnonce="<cnonce-2>"`,
		`Digest username="a\"b", nonce="<nonce-2>", response="<response-3>"`,
		`Basic dTpw`,
		`Digest username="u", broken`,
		`Digest realm="unterminated`,
	}
	h := Hop{Headers: map[string][]string{"authorization": in}}
	d.hop(&h)
	if diff := cmp.Diff(want, h.Headers["authorization"]); diff != "" {
		t.Errorf("normalised (-want +got):\n%s", diff)
	}
}

// TestResultNetwork checks the request target of steps that ask, the
// proxy's requests for cases that use it, and the H6 and P labels.
func TestResultNetwork(t *testing.T) {
	h := Hosts{H1: "127.0.0.1:1", H2: "localhost:1", H3: "127.0.0.1:3", H6: "[::1]:6", P: "127.0.0.1:9"}
	n := newNormalizer(h, nil)
	c := &Case{Name: "c", Session: Session{Proxies: []KV{{Name: "http", Value: ptr("{P}")}}}, Steps: []*Step{
		{Method: "GET", URL: "{H6}/a", Target: true},
		{Method: "GET", URL: "{H1}/b"},
	}}
	rec := func(label, host, uri string, seq uint64) tagged {
		return tagged{Entry: testserver.Entry{Recorded: testserver.Recorded{Method: "GET", Host: host, Path: "/x", RequestURI: uri}, Label: label, Seq: seq}}
	}
	recorded := []tagged{rec("c/0", "[::1]:6", "/a%2F?u=http://[::1]:6/", 1), rec("c/1", "127.0.0.1:1", "/b", 3)}
	proxied := []testserver.ProxyEntry{
		{Method: "GET", Target: "http://127.0.0.1:1/b", ProxyAuthorization: []string{"Basic x"}, Label: "c/1", Seq: 2},
		{Method: "GET", Target: "http://127.0.0.1:1/other", Label: "d/0", Seq: 4},
	}
	res := n.result(c, make([]Facts, 2), recorded, proxied)
	if got := res.Steps[0].Hops[0]; got.Target != "/a%2F?u=http://H6/" || got.Host != "H6" {
		t.Errorf("step 0 hop: target %q, host %q", got.Target, got.Host)
	}
	if got := res.Steps[1].Hops[0].Target; got != "" {
		t.Errorf("step 1 hop: target %q, want none (not asked)", got)
	}
	if diff := cmp.Diff(&[]ProxyHop{}, res.Steps[0].Proxy); diff != "" {
		t.Errorf("step 0 proxy (-want +got):\n%s", diff)
	}
	want := &[]ProxyHop{{Method: "GET", Target: "http://H1/b", ProxyAuthorization: []string{"Basic x"}}}
	if diff := cmp.Diff(want, res.Steps[1].Proxy); diff != "" {
		t.Errorf("step 1 proxy (-want +got):\n%s", diff)
	}
	if got := n.text("http://127.0.0.1:9 and [::1]:6 and [::1]:7"); got != "http://P and H6 and [::1]:7" {
		t.Errorf("text = %q", got)
	}
	c.Session.Proxies = nil
	if res := n.result(c, make([]Facts, 2), recorded, proxied); res.Steps[1].Proxy != nil {
		t.Errorf("a case without proxy records proxy hops %v", *res.Steps[1].Proxy)
	}
}

func ptr(s string) *string { return &s }
