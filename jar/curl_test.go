package jar_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mccutchen/go-httpbin/v2/httpbin"

	"github.com/tether-http/tether/jar"
)

// curlHost is a name that is not a loopback name, so that curl and the jar
// treat Secure cookies as over plain http; curl is sent to the test
// server with --resolve and the Go client with a custom dialer.
const curlHost = "www.example.test"

type curlEnv struct {
	curl string
	srv  *httptest.Server
	base string // http://www.example.test:PORT
	port string
}

func newCurlEnv(t *testing.T) *curlEnv {
	t.Helper()
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl is not installed; install it (e.g. apt-get install curl) to run the interop tests")
	}
	srv := httptest.NewServer(httpbin.New())
	t.Cleanup(srv.Close)
	_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
	must(t, err)
	return &curlEnv{curl: curl, srv: srv, base: "http://" + curlHost + ":" + port, port: port}
}

// run runs curl with args against the test server and returns its output.
func (e *curlEnv) run(t *testing.T, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	full := append([]string{"-q", "-sS", "--noproxy", "*", "--max-time", "10",
		"--resolve", curlHost + ":" + e.port + ":127.0.0.1"}, args...)
	cmd := exec.CommandContext(ctx, e.curl, full...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir()) // no ~/.curlrc, no stray cookie files
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("curl %q: %v\n%s", full, err, stderr)
	}
	return out
}

// client is a Go client that uses j and reaches curlHost at the server.
func (e *curlEnv) client(t *testing.T, j *jar.Jar) *http.Client {
	t.Helper()
	tr := &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, e.srv.Listener.Addr().String())
		},
	}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Jar: j, Transport: tr, Timeout: 10 * time.Second}
}

func echoed(t *testing.T, body []byte) map[string]string {
	t.Helper()
	var resp struct {
		Cookies map[string]string `json:"cookies"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatalf("decoding /cookies response %q: %v", body, err)
	}
	return resp.Cookies
}

func (e *curlEnv) goEcho(t *testing.T, j *jar.Jar, path string) map[string]string {
	t.Helper()
	resp, err := e.client(t, j).Get(e.base + path)
	must(t, err)
	defer resp.Body.Close()
	var body json.RawMessage
	must(t, json.NewDecoder(resp.Body).Decode(&body))
	return echoed(t, body)
}

func TestCurlReadsSavedJar(t *testing.T) {
	env := newCurlEnv(t)
	j := jar.New()
	u := mustURL(t, env.base+"/cookies")
	j.SetCookies(u, parseSetCookies(t,
		"dom=1; Domain=example.test; Path=/; Max-Age=3600",
		"host=2; Path=/; Max-Age=3600",
		"ho=3; Path=/; HttpOnly; Max-Age=3600",
		"sess=4; Path=/",
		"sec=5; Path=/; Secure; Max-Age=3600",
		"deep=6; Max-Age=3600", // default path /, as /cookies has one slash
		"other=7; Path=/elsewhere; Max-Age=3600",
	))
	j.SetCookies(mustURL(t, "http://elsewhere.test/"), parseSetCookies(t, "foreign=8; Max-Age=3600"))
	must(t, j.Set("wide", "9")) // saved as a comment curl skips

	file := filepath.Join(t.TempDir(), "cookies.txt")
	must(t, j.SaveFile(file, jar.WithSessionCookies()))

	got := echoed(t, env.run(t, "-b", file, env.base+"/cookies"))
	want := env.goEcho(t, j, "/cookies")
	delete(want, "wide")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("curl -b sent other cookies than the Go client with the jar (-want +got):\n%s", diff)
	}
	// Spell out the expectation too, so a jar that sends nothing fails.
	if diff := cmp.Diff(map[string]string{"dom": "1", "host": "2", "ho": "3", "sess": "4", "deep": "6"}, got); diff != "" {
		t.Errorf("curl -b cookies mismatch (-want +got):\n%s", diff)
	}
	// curl also sends the domain cookie to another subdomain.
	other := "http://api.example.test:" + env.port + "/cookies"
	got = echoed(t, env.run(t, "--resolve", "api.example.test:"+env.port+":127.0.0.1", "-b", file, other))
	if diff := cmp.Diff(map[string]string{"dom": "1"}, got); diff != "" {
		t.Errorf("curl -b to a subdomain mismatch (-want +got):\n%s", diff)
	}
}

func TestCurlWrittenFileLoads(t *testing.T) {
	env := newCurlEnv(t)
	file := filepath.Join(t.TempDir(), "curl-cookies.txt")
	q := url.Values{}
	q.Add("Set-Cookie", "dom=d; Domain=example.test; Path=/; Max-Age=3600")
	q.Add("Set-Cookie", "path=p; Path=/cookies; Max-Age=3600")
	q.Add("Set-Cookie", `quoted="a:b"; Path=/; Max-Age=3600`)
	env.run(t, "-c", file, "-o", os.DevNull,
		env.base+"/cookies/set?a=1&b=2",
		env.base+"/response-headers?"+q.Encode())

	now := time.Now()
	j := jar.New(jar.WithClock(func() time.Time { return now }))
	must(t, j.LoadFile(file))

	byName := map[string]jar.Cookie{}
	for _, c := range j.All() {
		byName[c.Name] = c
	}
	tests := map[string]struct {
		domain                      string
		path                        string
		hostOnly, httpOnly, session bool
		value                       string
	}{
		"a":      {domain: curlHost, path: "/", hostOnly: true, httpOnly: true, session: true, value: "1"},
		"b":      {domain: curlHost, path: "/", hostOnly: true, httpOnly: true, session: true, value: "2"},
		"dom":    {domain: "example.test", path: "/", value: "d"},
		"path":   {domain: curlHost, path: "/cookies", hostOnly: true, value: "p"},
		"quoted": {domain: curlHost, path: "/", hostOnly: true, value: `"a:b"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			c, ok := byName[name]
			if !ok {
				t.Fatalf("cookie %s missing after LoadFile; jar has %v", name, j.All())
			}
			got := struct {
				domain, path                string
				hostOnly, httpOnly, session bool
				value                       string
			}{c.Domain, c.Path, c.HostOnly, c.HttpOnly, c.Expires.IsZero(), wireValue(c)}
			want := struct {
				domain, path                string
				hostOnly, httpOnly, session bool
				value                       string
			}{tc.domain, tc.path, tc.hostOnly, tc.httpOnly, tc.session, tc.value}
			if diff := cmp.Diff(want, got, cmp.AllowUnexported(want)); diff != "" {
				t.Errorf("cookie %s mismatch (-want +got):\n%s", name, diff)
			}
			if !tc.session {
				if d := c.Expires.Sub(now); d < 3500*time.Second || d > 3700*time.Second {
					t.Errorf("cookie %s expires in %v, want about an hour", name, d)
				}
			}
		})
	}
	if len(byName) != len(tests) {
		t.Errorf("loaded %d cookies, want %d: %v", len(byName), len(tests), j.All())
	}

	// The loaded cookies go back to the server, as curl itself would send them.
	got := env.goEcho(t, j, "/cookies")
	fromCurl := echoed(t, env.run(t, "-b", file, env.base+"/cookies"))
	if diff := cmp.Diff(fromCurl, got); diff != "" {
		t.Errorf("Go client with the loaded jar vs curl -b (-curl +go):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"a": "1", "b": "2", "dom": "d", "path": "p", "quoted": "a:b"}, got); diff != "" {
		t.Errorf("cookies sent back mismatch (-want +got):\n%s", diff)
	}
}

func wireValue(c jar.Cookie) string {
	if c.Quoted {
		return `"` + c.Value + `"`
	}
	return c.Value
}
