package testserver_test

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"crypto/tls"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/tether-http/tether/internal/testserver"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// get sends one plain net/http request, so the server is tested
// independently of tether.
func get(t *testing.T, c *http.Client, method, url, body string, hdr map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func TestRoutes(t *testing.T) {
	srv := testserver.New(t)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	defer noRedirect.CloseIdleConnections()
	tests := map[string]struct {
		path       string
		wantStatus int
		wantHeader http.Header
	}{
		"cookies/set/{name}/{value}": {"/cookies/set/n/v", 302, http.Header{"Location": {"/cookies"}, "Set-Cookie": {"n=v; Path=/"}}},
		"scripted redirect":          {"/a/b?status=307&location=/c&set-cookie=x%3D1", 307, http.Header{"Location": {"/c"}, "Set-Cookie": {"x=1"}}},
		"scripted cookies only":      {"/p?set-cookie=a%3D1&set-cookie=b%3D2", 200, http.Header{"Set-Cookie": {"a=1", "b=2"}}},
		"echo":                       {"/echo/x", 200, http.Header{"Content-Type": {"application/json"}}},
		"go-httpbin":                 {"/status/418", 418, http.Header{}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			resp := get(t, noRedirect, http.MethodGet, srv.URL+tc.path, "", nil)
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			for k := range tc.wantHeader {
				if diff := cmp.Diff(tc.wantHeader[k], resp.Header.Values(k)); diff != "" {
					t.Errorf("header %s (-want +got):\n%s", k, diff)
				}
			}
		})
	}
}

func TestRecorder(t *testing.T) {
	srv := testserver.New(t)
	c := &http.Client{}
	defer c.CloseIdleConnections()
	get(t, c, http.MethodPost, srv.URL+"/post?b=2&a=1", "payload", map[string]string{"Cookie": "x=1; y=2", "X-T": "t"})
	get(t, c, http.MethodGet, srv.LocalhostURL()+"/get", "", nil)

	recs := srv.Requests()
	if len(recs) != 2 {
		t.Fatalf("recorded %d requests, want 2", len(recs))
	}
	got := recs[0]
	want := testserver.Recorded{Method: "POST", Host: strings.TrimPrefix(srv.URL, "http://"), Path: "/post", RawQuery: "b=2&a=1",
		RequestURI: "/post?b=2&a=1", Proto: "HTTP/1.1", Cookies: []string{"x=1", "y=2"}, Body: "payload"}
	got.Header = nil
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("recorded (-want +got):\n%s", diff)
	}
	if recs[0].Header.Get("X-T") != "t" {
		t.Errorf("recorded headers %v lack X-T", recs[0].Header)
	}
	if last, _ := srv.Last(); !strings.HasPrefix(last.Host, "localhost:") {
		t.Errorf("Last().Host = %q, want localhost:port", last.Host)
	}
	if srv.Conns() != 2 {
		t.Errorf("Conns() = %d, want 2 (one per host name)", srv.Conns())
	}
	srv.Reset()
	if _, ok := srv.Last(); ok {
		t.Error("Last() after Reset found a request")
	}
}

// TestProtocols: each server speaks the protocols it says, to a client
// that offers HTTP/1.1 and HTTP/2 (over TLS: by ALPN) or HTTP/2 with prior
// knowledge, and records which one each request came over.
func TestProtocols(t *testing.T) {
	tests := map[string]struct {
		start     func(testing.TB) *testserver.Server
		h2c       bool   // the client opens with HTTP/2 (prior knowledge)
		wantProto string // the response's, and the recorded one
		wantALPN  string // what ALPN chose, over TLS
	}{
		"HTTP2":                            {start: testserver.NewHTTP2, wantProto: "HTTP/2.0", wantALPN: "h2"},
		"TLS":                              {start: testserver.NewTLS, wantProto: "HTTP/1.1", wantALPN: "http/1.1"},
		"TLS without ALPN":                 {start: testserver.NewTLSWithoutALPN, wantProto: "HTTP/1.1", wantALPN: ""},
		"H2C, HTTP/1.1":                    {start: testserver.NewH2C, wantProto: "HTTP/1.1"},
		"H2C, HTTP/2 with prior knowledge": {start: testserver.NewH2C, h2c: true, wantProto: "HTTP/2.0"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := tc.start(t)
			tr := &http.Transport{ForceAttemptHTTP2: true}
			if srv.TLS != nil {
				tr.TLSClientConfig = &tls.Config{RootCAs: srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs}
			}
			if tc.h2c {
				tr.Protocols = new(http.Protocols)
				tr.Protocols.SetUnencryptedHTTP2(true)
			}
			defer tr.CloseIdleConnections()
			resp := get(t, &http.Client{Transport: tr}, http.MethodGet, srv.URL+"/get", "", nil)
			last, _ := srv.Last()
			type seen struct{ Proto, Recorded, ALPN string }
			got := seen{Proto: resp.Proto, Recorded: last.Proto}
			if resp.TLS != nil {
				got.ALPN = resp.TLS.NegotiatedProtocol
			}
			if diff := cmp.Diff(seen{tc.wantProto, tc.wantProto, tc.wantALPN}, got); diff != "" {
				t.Errorf("protocols (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBodyRoute(t *testing.T) {
	srv := testserver.New(t)
	// DisableCompression: the test reads the body as the server sent it.
	c := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	defer c.CloseIdleConnections()
	tests := map[string]struct {
		query      string
		method     string
		wantStatus int
		wantCT     []string // nil: no Content-Type
		wantCE     string
		wantBody   string // after decoding ce
	}{
		"text":          {"body=a%0D%0Ab&ct=text%2Fplain", "GET", 200, []string{"text/plain"}, "", "a\r\nb"},
		"no type":       {"body=x", "GET", 200, nil, "", "x"},
		"empty":         {"", "GET", 200, nil, "", ""},
		"hex wins":      {"hex=e9ff00&body=ignored&ct=text%2Fplain%3B+charset%3Diso-8859-1", "GET", 200, []string{"text/plain; charset=iso-8859-1"}, "", "\xe9\xff\x00"},
		"gzip":          {"body=zipped&ce=gzip", "GET", 200, nil, "gzip", "zipped"},
		"deflate":       {"body=zlib&ce=deflate", "POST", 200, nil, "deflate", "zlib"},
		"head":          {"body=abc", "HEAD", 200, nil, "", ""},
		"bad hex":       {"hex=zz", "GET", 400, nil, "", ""},
		"bad ce":        {"body=x&ce=br", "GET", 400, nil, "", ""},
		"scripted wins": {"status=201&body=x", "GET", 201, []string{"application/json"}, "", ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+testserver.BodyPath+"?"+tc.query, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status = %d, want %d (%s)", resp.StatusCode, tc.wantStatus, raw)
			}
			if tc.wantStatus != 200 {
				return
			}
			if diff := cmp.Diff(tc.wantCT, resp.Header.Values("Content-Type")); diff != "" {
				t.Errorf("Content-Type (-want +got):\n%s", diff)
			}
			if got := resp.Header.Get("Content-Encoding"); got != tc.wantCE {
				t.Errorf("Content-Encoding = %q, want %q", got, tc.wantCE)
			}
			if tc.method != "HEAD" && resp.Header.Get("Content-Length") != strconv.Itoa(len(raw)) {
				t.Errorf("Content-Length = %q, body has %d bytes", resp.Header.Get("Content-Length"), len(raw))
			}
			got := raw
			switch tc.wantCE {
			case "gzip":
				zr, err := gzip.NewReader(bytes.NewReader(raw))
				if err != nil {
					t.Fatal(err)
				}
				got, err = io.ReadAll(zr)
				if err != nil {
					t.Fatal(err)
				}
			case "deflate":
				zr, err := zlib.NewReader(bytes.NewReader(raw))
				if err != nil {
					t.Fatal(err)
				}
				got, err = io.ReadAll(zr)
				if err != nil {
					t.Fatal(err)
				}
			}
			if string(got) != tc.wantBody {
				t.Errorf("body = %q, want %q", got, tc.wantBody)
			}
		})
	}
	if n := len(srv.Requests()); n != len(tests) {
		t.Errorf("recorded %d requests, want %d", n, len(tests))
	}
}
