package curlcmd

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// record is what the server saw of one request. Fields are the header
// lines as they came on the wire, name spelled as sent, value without the
// blanks around it, sorted; Body is the decoded body.
type record struct {
	Method     string
	RequestURI string
	Proto      string
	Host       string
	Fields     []string
	Body       []byte
}

// recorder is an httptest server that records every request with the raw
// bytes of its head, read off the connection.
type recorder struct {
	srv *httptest.Server

	mu      sync.Mutex
	records []record
}

type connKey struct{}

// teeConn keeps every byte read from the connection.
type teeConn struct {
	net.Conn
	mu  sync.Mutex
	buf bytes.Buffer
}

func (c *teeConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	c.buf.Write(p[:n])
	c.mu.Unlock()
	return n, err
}

func (c *teeConn) head() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.buf.Bytes()
	if i := bytes.Index(b, []byte("\r\n\r\n")); i >= 0 {
		return bytes.Clone(b[:i])
	}
	return nil
}

type teeListener struct{ net.Listener }

func (l teeListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &teeConn{Conn: c}, nil
}

// newRecorder starts the server on l, or on a loopback port when l is nil.
func newRecorder(t *testing.T, l net.Listener) *recorder {
	t.Helper()
	r := &recorder{}
	r.srv = httptest.NewUnstartedServer(http.HandlerFunc(r.serve))
	if l != nil {
		r.srv.Listener.Close()
		r.srv.Listener = l
	}
	r.srv.Listener = teeListener{r.srv.Listener}
	r.srv.Config.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		return context.WithValue(ctx, connKey{}, c)
	}
	r.srv.Config.DisableGeneralOptionsHandler = true // let OPTIONS * reach serve
	r.srv.Start()
	t.Cleanup(r.srv.Close)
	return r
}

func (r *recorder) serve(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	// One request per connection in these tests: the head read so far is
	// this request's.
	head := req.Context().Value(connKey{}).(*teeConn).head()
	lines := strings.Split(string(head), "\r\n")
	var fields []string
	for _, line := range lines[1:] {
		name, value, _ := strings.Cut(line, ":")
		fields = append(fields, name+": "+strings.Trim(value, " \t"))
	}
	sort.Strings(fields)
	r.mu.Lock()
	r.records = append(r.records, record{
		Method:     req.Method,
		RequestURI: req.RequestURI,
		Proto:      req.Proto,
		Host:       req.Host,
		Fields:     fields,
		Body:       body,
	})
	r.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain")
	_, _ = io.WriteString(w, "ok\n")
}

func (r *recorder) reset() {
	r.mu.Lock()
	r.records = nil
	r.mu.Unlock()
}

// take returns the one request recorded since the last take.
func (r *recorder) take(t *testing.T) record {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.records) != 1 {
		t.Fatalf("server recorded %d requests, want 1", len(r.records))
	}
	rec := r.records[0]
	r.records = nil
	return rec
}

// sendGo sends req with an http.Transport with DisableCompression, on a
// connection of its own.
func sendGo(t *testing.T, req *http.Request) {
	t.Helper()
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatalf("Go: %v", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("Go: status %s", resp.Status)
	}
}

// runShell runs a command line with /bin/sh -c, in an environment with
// nothing but PATH and an empty HOME (no proxy variables, no .curlrc).
// The response body is checked, except for HEAD (curl --head prints the
// response head). A command line too long for one argument (Linux: 128 KiB) is run from a
// script file instead.
func runShell(t *testing.T, curlDir, line string, head bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	var cmd *exec.Cmd
	if len(line) < 100<<10 {
		cmd = exec.CommandContext(ctx, "/bin/sh", "-c", line)
	} else {
		script := filepath.Join(t.TempDir(), "cmd.sh")
		if err := os.WriteFile(script, []byte(line+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd = exec.CommandContext(ctx, "/bin/sh", script)
	}
	cmd.Env = []string{"PATH=" + curlDir + ":/usr/bin:/bin", "HOME=" + t.TempDir()}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("sh: %v\nstderr: %s", err, stderr.String())
	}
	if got := stdout.String(); !head && got != "ok\n" {
		t.Fatalf("curl printed %q, want the server's %q", got, "ok\n")
	}
}

// curlCase builds a fresh request (a request's Body is read once) and the
// bytes of its body.
type curlCase struct {
	name  string
	build func(t *testing.T, base string) (*http.Request, []byte)
}

func newReq(t *testing.T, method, rawURL string, body []byte, header map[string][]string) *http.Request {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, rawURL, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	return req
}

// simple is a case for a request made by http.NewRequest(method, base+path)
// with a bytes.Reader body (when body is not nil) and header set as given.
func simple(name, method, path string, body []byte, header map[string][]string) curlCase {
	return curlCase{name, func(t *testing.T, base string) (*http.Request, []byte) {
		return newReq(t, method, base+path, body, header), body
	}}
}

// custom is a case for a request changed by edit after http.NewRequest.
func custom(name, method, path string, body []byte, edit func(*http.Request)) curlCase {
	return curlCase{name, func(t *testing.T, base string) (*http.Request, []byte) {
		req := newReq(t, method, base+path, body, nil)
		edit(req)
		return req, body
	}}
}

// binaryBody has every byte value, and the characters shells and printf
// treat specially.
func binaryBody() []byte {
	b := []byte("NUL:\x00 quotes:' \" backslashes:\\ \\\\ \\0 \\n newline:\n crlf:\r\n dollar-quote:$' $(echo no) `echo no` %s %% %b ${HOME} !! end\n")
	for i := range 256 {
		b = append(b, byte(i))
	}
	return b
}

func curlCases() []curlCase {
	text := []byte("it's \"quoted\" \\ $'x' $(echo no) `echo no` %s\nline two\r\nü\xff")
	large := make([]byte, 200<<10)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range large {
		large[i] = byte(rng.UintN(256))
	}
	return []curlCase{
		simple("GET with query", "GET", "/search?q=a+b&x=%2F&y=1&z=%zz", nil, nil),
		simple("dot segments kept", "GET", "/a/./b/../c/.", nil, nil),
		simple("escaped slash in path", "GET", "/a%2Fb/c%2f", nil, nil),
		custom("literal percent escaped as %25", "GET", "/", nil, func(r *http.Request) { r.URL.Path = "/100%zz/x" }),
		simple("brackets and braces", "GET", "/a[1]/b?x[]=1&y={2}", nil, nil),
		simple("space in path encoded", "GET", "/a b/c", nil, nil),
		simple("odd query characters", "GET", "/p?q=\"<>\\^`|{}'&é", nil, nil),
		simple("non-ASCII path escaped", "GET", "/é/ü", nil, nil),
		custom("raw non-ASCII path via opaque", "GET", "/", nil, func(r *http.Request) { r.URL.Opaque = "/é/raw" }),
		custom("opaque with // is absolute form", "GET", "/", nil, func(r *http.Request) { r.URL.Opaque = "//double/slash" }),
		custom("hash in raw query", "GET", "/", nil, func(r *http.Request) { r.URL.RawQuery = "a=1#frag" }),
		custom("OPTIONS star", "OPTIONS", "/", nil, func(r *http.Request) { r.URL.Path = "*" }),
		simple("POST binary body", "POST", "/upload", binaryBody(), map[string][]string{"Content-Type": {"application/octet-stream"}}),
		simple("POST text body inline", "POST", "/form", text, nil),
		simple("POST body starting with @", "POST", "/at", []byte("@/etc/passwd"), nil),
		simple("POST body starting with -", "POST", "/dash", []byte("-d x --url http://evil/"), nil),
		simple("POST large body", "POST", "/large", large, nil),
		simple("PUT JSON", "PUT", "/json", []byte(`{"a":"b'c","ü":[1,2],"s":"$HOME"}`), map[string][]string{"Content-Type": {"application/json"}}),
		simple("PATCH empty body", "PATCH", "/p", []byte{}, nil),
		simple("POST nil body", "POST", "/p", nil, nil),
		simple("DELETE with body", "DELETE", "/d", []byte("gone"), nil),
		simple("DELETE without body", "DELETE", "/d", nil, nil),
		custom("POST unknown length is chunked", "POST", "/chunked", []byte("chunk me"), func(r *http.Request) { r.ContentLength = -1 }),
		custom("PUT unknown length empty is chunked", "PUT", "/chunked", []byte{}, func(r *http.Request) {
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(nil)), 0
		}),
		custom("GET unknown length empty sends no body", "GET", "/probe", []byte{}, func(r *http.Request) {
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(nil)), -1
		}),
		custom("DELETE unknown length is chunked", "DELETE", "/d", []byte("x"), func(r *http.Request) {
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader([]byte("x"))), 0
		}),
		custom("PUT NoBody", "PUT", "/nobody", nil, func(r *http.Request) { r.Body = http.NoBody }),
		simple("GET with body", "GET", "/getbody", []byte("q=1"), nil),
		custom("explicit chunked", "POST", "/te", []byte("x"), func(r *http.Request) { r.TransferEncoding = []string{"chunked"} }),
		custom("DELETE identity sends Content-Length 0", "DELETE", "/d", nil, func(r *http.Request) {
			r.Body, r.TransferEncoding = http.NoBody, []string{"identity"}
		}),
		custom("OPTIONS identity sends Content-Length 0", "OPTIONS", "/o", nil, func(r *http.Request) {
			r.Body, r.TransferEncoding = http.NoBody, []string{"identity"}
		}),
		custom("OPTIONS identity with a nil Body sends none", "OPTIONS", "/o", nil, func(r *http.Request) { r.TransferEncoding = []string{"identity"} }),
		custom("GET identity sends none", "GET", "/g", nil, func(r *http.Request) {
			r.Body, r.TransferEncoding = http.NoBody, []string{"identity"}
		}),
		simple("custom method", "PROPFIND", "/dav", nil, map[string][]string{"Depth": {"1"}}),
		simple("HEAD", "HEAD", "/head", nil, nil),
		simple("custom headers with quotes and unicode", "GET", "/h", nil, map[string][]string{
			"X-Quotes":  {`he said "hi" and 'bye'`},
			"X-Unicode": {"héllo ✓ \xff"},
			"X-Shell":   {"$HOME `id` $(id) \\ ! ; & | *"},
			"X-Semi":    {"a;"},
			"X-Colon":   {": leading colon"},
			"X-Blanks":  {"  padded \t value  "},
			"X-Tab":     {"a\tb"},
		}),
		simple("repeated headers", "GET", "/r", nil, map[string][]string{
			"X-Multi": {"a", "b", "a"},
			"Cookie":  {"a=1", "b=2"},
			"Accept":  {"text/html", "*/*"},
		}),
		custom("explicit Host", "GET", "/host", nil, func(r *http.Request) { r.Host = "example.test:8443" }),
		custom("explicit Host default port", "GET", "/host", nil, func(r *http.Request) { r.Host = "EXAMPLE.test:80" }),
		custom("invalid Host is sent empty", "GET", "/host", nil, func(r *http.Request) { r.Host = "bad host" }),
		custom("Host in Header is ignored", "GET", "/host", nil, func(r *http.Request) { r.Header["Host"] = []string{"ignored.test"} }),
		simple("User-Agent removed", "GET", "/ua", nil, map[string][]string{"User-Agent": {""}}),
		simple("User-Agent blank is sent empty", "GET", "/ua", nil, map[string][]string{"User-Agent": {" \t "}}),
		simple("non-canonical Connection without Close", "GET", "/nc", nil, map[string][]string{"connection": {"keep-alive"}}),
		simple("User-Agent given", "GET", "/ua", nil, map[string][]string{"User-Agent": {"tether/1.0 (+https://x)", "second is dropped"}}),
		simple("empty headers sent empty", "GET", "/e", nil, map[string][]string{"X-Empty": {""}, "Accept": {""}, "Content-Type": {""}}),
		simple("Content-Length in Header is ignored", "POST", "/cl", []byte("abc"), map[string][]string{"Content-Length": {"99"}}),
		simple("Cookie and Authorization", "GET", "/auth", nil, map[string][]string{
			"Cookie":        {"session=abc; theme=dark"},
			"Authorization": {"Basic dTpw"},
		}),
		custom("userinfo is not sent", "GET", "/", nil, func(r *http.Request) { r.URL.User = url.UserPassword("user", "pass") }),
		custom("Close", "GET", "/close", nil, func(r *http.Request) { r.Close = true }),
		custom("Close with Connection header", "GET", "/close", nil, func(r *http.Request) {
			r.Close = true
			r.Header.Set("Connection", "Close")
		}),
		simple("Expect given", "PUT", "/expect", []byte("x"), map[string][]string{"Expect": {"100-continue"}}),
		simple("Accept-Encoding gzip", "GET", "/gz", nil, map[string][]string{"Accept-Encoding": {"gzip, br;q=0.5"}}),
		simple("non-canonical names", "GET", "/nc", nil, map[string][]string{"x-lower": {"v"}, "X-UPPER": {"w"}, "accept": {"a/b"}}),
	}
}

// TestCommandSendsWhatGoSends sends each request with Go and with the
// command line run by real curl, and compares what the server saw.
//
// No header field is ignored: curl's own User-Agent, Accept, Content-Type
// and Expect are taken out by the command, and every field Go sends is
// given to curl. The only normalisation is that a field's value is compared
// without the blanks around it (curl writes an empty field as "Name:", Go
// as "Name: "), and that the order of the lines is not compared.
func TestCommandSendsWhatGoSends(t *testing.T) {
	curlDir := requireCurl(t)
	rec := newRecorder(t, nil)
	for _, c := range curlCases() {
		t.Run(c.name, func(t *testing.T) { compareSends(t, rec, curlDir, c, rec.srv.URL) })
	}
}

// TestCommandIPv6 does the same against a server on [::1], with the
// address written in a form curl would rewrite in its Host.
func TestCommandIPv6(t *testing.T) {
	curlDir := requireCurl(t)
	l, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		t.Skipf("skipping: no IPv6 loopback (%v)", err)
	}
	rec := newRecorder(t, l)
	port := l.Addr().(*net.TCPAddr).Port
	for _, base := range []string{
		fmt.Sprintf("http://[::1]:%d", port),
		fmt.Sprintf("http://[0:0::1]:%d", port),
		fmt.Sprintf("http://[0:0:0:0:0:0:0:1]:%d", port),
	} {
		t.Run(base, func(t *testing.T) {
			compareSends(t, rec, curlDir, simple("GET", "GET", "/v6?x=1", nil, nil), base)
		})
	}
}

func requireCurl(t *testing.T) string {
	t.Helper()
	curlPath, err := exec.LookPath("curl")
	if err != nil {
		t.Skipf("skipping: curl is not installed (%v)", err)
	}
	return filepath.Dir(curlPath)
}

func compareSends(t *testing.T, rec *recorder, curlDir string, c curlCase, base string) {
	t.Helper()
	rec.reset()
	req, _ := c.build(t, base)
	sendGo(t, req)
	want := rec.take(t)

	req, body := c.build(t, base)
	line, err := Command(req, body)
	if err != nil {
		t.Fatalf("Command: %v", err)
	}
	t.Logf("command: %s", shorten(line))
	runShell(t, curlDir, line, req.Method == http.MethodHead)
	got := rec.take(t)
	t.Logf("server saw: %s %q %s Host=%q %q body=%d bytes", got.Method, got.RequestURI, got.Proto, got.Host, got.Fields, len(got.Body))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Go (-) and curl (+) sent different requests:\n%s\ncommand: %s", diff, shorten(line))
	}
}

func shorten(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "..."
	}
	return s
}

// TestCommandUserinfo checks that userinfo in the URL stays out of curl's
// URL (the Transport does not send it; http.Client would make an
// Authorization of it).
func TestCommandUserinfo(t *testing.T) {
	req := newReq(t, "GET", "http://user:pass@127.0.0.1:9/x", nil, nil)
	line, err := Command(req, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(line, "user") || strings.Contains(line, "pass") {
		t.Errorf("command carries the userinfo: %s", line)
	}
}

func TestCommandString(t *testing.T) {
	tests := []struct {
		name string
		req  func(t *testing.T) (*http.Request, []byte)
		want string
	}{
		{
			name: "GET",
			req: func(t *testing.T) (*http.Request, []byte) {
				return newReq(t, "GET", "http://example.com/a?b=c", nil, nil), nil
			},
			want: `curl -q --http1.1 --path-as-is -g -H 'User-Agent: Go-http-client/1.1' -H Accept: 'http://example.com/a?b=c'`,
		},
		{
			name: "default port needs Host",
			req: func(t *testing.T) (*http.Request, []byte) {
				return newReq(t, "GET", "http://Example.com:80/", nil, nil), nil
			},
			want: `curl -q --http1.1 --path-as-is -g -H 'Host: Example.com:80' -H 'User-Agent: Go-http-client/1.1' -H Accept: http://Example.com:80/`,
		},
		{
			name: "https default port needs Host",
			req: func(t *testing.T) (*http.Request, []byte) {
				return newReq(t, "GET", "https://example.com:443/", nil, nil), nil
			},
			want: `curl -q --http1.1 --path-as-is -g -H 'Host: example.com:443' -H 'User-Agent: Go-http-client/1.1' -H Accept: https://example.com:443/`,
		},
		{
			name: "IPv6 always has Host",
			req: func(t *testing.T) (*http.Request, []byte) {
				return newReq(t, "GET", "http://[::1]:8080/", nil, nil), nil
			},
			want: `curl -q --http1.1 --path-as-is -g -H 'Host: [::1]:8080' -H 'User-Agent: Go-http-client/1.1' -H Accept: 'http://[::1]:8080/'`,
		},
		{
			name: "short IPv4 form has Host",
			req: func(t *testing.T) (*http.Request, []byte) {
				return newReq(t, "GET", "http://127.1:8080/", nil, nil), nil
			},
			want: `curl -q --http1.1 --path-as-is -g -H 'Host: 127.1:8080' -H 'User-Agent: Go-http-client/1.1' -H Accept: http://127.1:8080/`,
		},
		{
			name: "other port in URL only",
			req: func(t *testing.T) (*http.Request, []byte) {
				return newReq(t, "GET", "http://example.com:8080/", nil, nil), nil
			},
			want: `curl -q --http1.1 --path-as-is -g -H 'User-Agent: Go-http-client/1.1' -H Accept: http://example.com:8080/`,
		},
		{
			name: "IPv6 zone dialled, not in Host",
			req: func(t *testing.T) (*http.Request, []byte) {
				return newReq(t, "GET", "http://[fe80::1%25eth0]:8080/", nil, nil), nil
			},
			want: `curl -q --http1.1 --path-as-is -g -H 'Host: [fe80::1]:8080' -H 'User-Agent: Go-http-client/1.1' -H Accept: 'http://[fe80::1%25eth0]:8080/'`,
		},
		{
			name: "IDN host is punycode",
			req: func(t *testing.T) (*http.Request, []byte) {
				return newReq(t, "GET", "http://bücher.de/", nil, nil), nil
			},
			want: `curl -q --http1.1 --path-as-is -g -H 'User-Agent: Go-http-client/1.1' -H Accept: http://xn--bcher-kva.de/`,
		},
		{
			name: "POST inline",
			req: func(t *testing.T) (*http.Request, []byte) {
				b := []byte("it's")
				return newReq(t, "POST", "http://h/", b, nil), b
			},
			want: `curl -q --http1.1 --path-as-is -g --request POST -H 'User-Agent: Go-http-client/1.1' -H Accept: -H Content-Type: -H Expect: --data-raw 'it'\''s' http://h/`,
		},
		{
			name: "POST with NUL through printf",
			req: func(t *testing.T) (*http.Request, []byte) {
				b := []byte("a\x00'%\\\n")
				return newReq(t, "POST", "http://h/", b, nil), b
			},
			want: `printf 'a\000\047%%\\\012' | curl -q --http1.1 --path-as-is -g --request POST -H 'User-Agent: Go-http-client/1.1' -H Accept: -H Content-Type: -H Expect: --data-binary @- http://h/`,
		},
		{
			name: "OPTIONS star",
			req: func(t *testing.T) (*http.Request, []byte) {
				r := newReq(t, "OPTIONS", "http://h", nil, nil)
				r.URL.Path = "*"
				return r, nil
			},
			want: `curl -q --http1.1 --path-as-is -g --request OPTIONS -H 'User-Agent: Go-http-client/1.1' -H Accept: --request-target '*' http://h/`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, body := tt.req(t)
			got, err := Command(req, body)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Command (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCommandErrors(t *testing.T) {
	base := func(method, rawURL string) *http.Request {
		u, err := url.Parse(rawURL)
		if err != nil {
			t.Fatal(err)
		}
		return &http.Request{Method: method, URL: u, Header: http.Header{}}
	}
	tests := []struct {
		name string
		req  *http.Request
		body []byte
	}{
		{"nil request", nil, nil},
		{"nil URL", &http.Request{Header: http.Header{}}, nil},
		{"nil Header", &http.Request{URL: &url.URL{Scheme: "http", Host: "h"}}, nil},
		{"ftp", base("GET", "ftp://h/"), nil},
		{"no host", base("GET", "http:///x"), nil},
		{"bad method", base("GET /", "http://h/"), nil},
		{"CONNECT", base("CONNECT", "http://h/"), nil},
		{"bad field name", func() *http.Request { r := base("GET", "http://h/"); r.Header["Bad Name"] = []string{"v"}; return r }(), nil},
		{"newline in value", func() *http.Request { r := base("GET", "http://h/"); r.Header["X"] = []string{"a\r\nB: c"}; return r }(), nil},
		{"NUL in value", func() *http.Request { r := base("GET", "http://h/"); r.Header["X"] = []string{"a\x00"}; return r }(), nil},
		{"non-canonical Host", func() *http.Request { r := base("GET", "http://h/"); r.Header["host"] = []string{"x"}; return r }(), nil},
		{"non-canonical Connection with Close", func() *http.Request {
			r := base("GET", "http://h/")
			r.Close, r.Header["connection"] = true, []string{"x"}
			return r
		}(), nil},
		{"non-canonical User-Agent", func() *http.Request { r := base("GET", "http://h/"); r.Header["user-agent"] = []string{"x"}; return r }(), nil},
		{"control byte in URL", func() *http.Request { r := base("GET", "http://h/"); r.URL.RawQuery = "a\x01"; return r }(), nil},
		{"body without Body", base("POST", "http://h/"), []byte("x")},
		{"ContentLength without Body", func() *http.Request { r := base("POST", "http://h/"); r.ContentLength = 3; return r }(), nil},
		{"ContentLength mismatch", func() *http.Request {
			r := base("POST", "http://h/")
			r.Body, r.ContentLength = io.NopCloser(strings.NewReader("abc")), 3
			return r
		}(), []byte("ab")},
		{"gzip TransferEncoding", func() *http.Request {
			r := base("POST", "http://h/")
			r.Body, r.ContentLength, r.TransferEncoding = io.NopCloser(strings.NewReader("abc")), 3, []string{"gzip"}
			return r
		}(), []byte("abc")},
		{"trailers", func() *http.Request {
			r := base("POST", "http://h/")
			r.Body, r.ContentLength, r.Trailer = io.NopCloser(strings.NewReader("abc")), -1, http.Header{"X-T": {"v"}}
			return r
		}(), []byte("abc")},
		{"HEAD with body", func() *http.Request {
			r := base("HEAD", "http://h/")
			r.Body, r.ContentLength = io.NopCloser(strings.NewReader("abc")), 3
			return r
		}(), []byte("abc")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := Command(tt.req, tt.body); err == nil {
				t.Errorf("Command gave %s, want an error", got)
			}
		})
	}
}
