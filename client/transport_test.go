package client_test

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// get sends a GET for rawURL through rt, as third-party code holding the
// RoundTripper would (no redirects followed), and returns the status and
// body, or the error.
func get(t *testing.T, rt http.RoundTripper, rawURL string, header http.Header) (int, string, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

// TestTransportSendsAsGiven: Session.Transport sends a request made
// elsewhere as it is, once: none of the session's headers, cookies, auth
// (netrc's included), base URL, parameters, middleware, retries or
// redirects.
func TestTransportSendsAsGiven(t *testing.T) {
	srv := testserver.New(t)
	path := filepath.Join(t.TempDir(), "netrc")
	if err := os.WriteFile(path, []byte("machine 127.0.0.1 login nuser password npass\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("NETRC", path)
	s := client.New().
		SetBaseURL(srv.URL+"/base").
		SetHeader("X-Session", "1").
		SetCookie("c", "v").
		SetParam("p", "1").
		SetRetry(request.Retry{Attempts: 3, Statuses: []int{503}}).
		Use(func(next http.RoundTripper) http.RoundTripper {
			return roundTripFunc(func(req *http.Request) (*http.Response, error) {
				req = req.Clone(req.Context())
				req.Header.Set("X-Middleware", "1")
				return next.RoundTrip(req)
			})
		})
	defer s.Close()
	// The same session's own call gets everything, netrc's credentials
	// included: what the transport leaves out is there to leave out.
	if _, err := s.Get("/get").Do(context.Background()); err != nil {
		t.Fatal(err)
	}
	own, _ := srv.Last()

	type sent struct {
		Status                                                            int
		Requests                                                          int
		Query, Authorization, Cookie, Session, Middleware, Own, UserAgent string
		ProxyAuthorization                                                string
	}
	tests := []struct {
		name   string
		url    string
		header http.Header
		want   sent
	}{
		{
			name:   "the request's own headers only",
			url:    srv.URL + "/get",
			header: http.Header{"X-Own": {"1"}},
			want:   sent{Status: 200, Requests: 1, Own: "1", UserAgent: "Go-http-client/1.1"},
		},
		{
			name:   "its own credentials, not netrc's",
			url:    srv.URL + "/get?q=1",
			header: http.Header{"Authorization": {"Bearer own"}, "User-Agent": {"sdk/1"}},
			want:   sent{Status: 200, Requests: 1, Query: "q=1", Authorization: "Bearer own", UserAgent: "sdk/1"},
		},
		{
			name:   "no Proxy-Authorization to an origin",
			url:    srv.URL + "/get",
			header: http.Header{"Proxy-Authorization": {"Basic eDp5"}},
			want:   sent{Status: 200, Requests: 1, UserAgent: "Go-http-client/1.1"},
		},
		{
			name: "a redirect is returned, not followed",
			url:  srv.URL + "/redirect-to?url=/get&status_code=302",
			want: sent{Status: 302, Requests: 1, Query: "url=/get&status_code=302", UserAgent: "Go-http-client/1.1"},
		},
		{
			name: "a status the session retries is returned, not retried",
			url:  srv.URL + testserver.FlakyPath + "?key=transport&fail=2",
			want: sent{Status: 503, Requests: 1, Query: "key=transport&fail=2", UserAgent: "Go-http-client/1.1"},
		},
	}
	rt := s.Transport()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.Reset()
			status, _, err := get(t, rt, tt.url, tt.header)
			if err != nil {
				t.Fatal(err)
			}
			reqs := srv.Requests()
			got := sent{Status: status, Requests: len(reqs)}
			if len(reqs) > 0 {
				r := reqs[0]
				got.Query, got.Authorization, got.Cookie = r.RawQuery, r.Header.Get("Authorization"), r.Header.Get("Cookie")
				got.Session, got.Middleware, got.Own, got.UserAgent = r.Header.Get("X-Session"), r.Header.Get("X-Middleware"), r.Header.Get("X-Own"), r.Header.Get("User-Agent")
				got.ProxyAuthorization = r.Header.Get("Proxy-Authorization")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("sent (-want +got):\n%s", diff)
			}
		})
	}
	wantOwn := []string{"p=1", "Basic bnVzZXI6bnBhc3M=", "c=v", "1", "1"}
	gotOwn := []string{own.RawQuery, own.Header.Get("Authorization"), own.Header.Get("Cookie"), own.Header.Get("X-Session"), own.Header.Get("X-Middleware")}
	if diff := cmp.Diff(wantOwn, gotOwn); diff != "" {
		t.Errorf("the session's own call (-want +got):\n%s", diff)
	}
}

// countingRT is a real transport that counts the requests it sends.
type countingRT struct {
	*http.Transport
	n atomic.Int64
}

func (c *countingRT) RoundTrip(req *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.Transport.RoundTrip(req)
}

// TestTransportRoutes: a request goes where the session's own call to its
// URL would: through the session's proxies, then the environment's under
// trust_env, or through a mounted transport.
func TestTransportRoutes(t *testing.T) {
	clearProxyEnv(t)
	clearCAEnv(t)
	r := newProxyRig(t)
	// A mounted transport that reaches the plain origin whatever host a
	// URL names.
	originAddr := r.origin.Listener.Addr().String()
	mounted := &countingRT{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, originAddr)
		},
	}}
	defer mounted.CloseIdleConnections()
	tests := []struct {
		name  string
		setup func(s *client.Session)
		env   map[string]string
		url   string
		want  string // "forward", "connect", "socks", "direct" or "mount"
	}{
		{name: "direct", url: r.origin.URL},
		{name: "session proxy forwards http", setup: func(s *client.Session) { s.SetProxy(r.proxyURL) }, url: r.origin.URL, want: "forward"},
		{name: "session proxy tunnels https", setup: func(s *client.Session) { s.SetProxy(r.proxyURL).SetVerify(false) }, url: r.tlsOrigin.URL, want: "connect"},
		{name: "session socks proxy", setup: func(s *client.Session) { s.SetProxy(r.socksURL) }, url: r.origin.URL, want: "socks"},
		{name: "session proxies key to go direct", setup: func(s *client.Session) { s.SetProxies(map[string]string{"all": r.proxyURL, "http://127.0.0.1": ""}) }, url: r.origin.URL, want: "direct"},
		{name: "environment proxy", env: map[string]string{"HTTP_PROXY": r.proxyURL}, url: r.origin.URL, want: "forward"},
		{name: "environment proxy, NO_PROXY", env: map[string]string{"HTTP_PROXY": r.proxyURL, "NO_PROXY": "127.0.0.1"}, url: r.origin.URL, want: "direct"},
		{name: "environment proxy, trust_env off", setup: func(s *client.Session) { s.SetTrustEnv(false) }, env: map[string]string{"HTTP_PROXY": r.proxyURL}, url: r.origin.URL, want: "direct"},
		{name: "session proxy beats the environment's", setup: func(s *client.Session) { s.SetProxy(r.socksURL) }, env: map[string]string{"HTTP_PROXY": r.proxyURL}, url: r.origin.URL, want: "socks"},
		{name: "mount", setup: func(s *client.Session) { s.Mount("http://mounted.test/", mounted) }, url: "http://mounted.test/x", want: "mount"},
		{name: "mount matched without userinfo or default port", setup: func(s *client.Session) { s.Mount("http://mounted.test/", mounted) }, url: "http://u:p@MOUNTED.test:80/x", want: "mount"},
		{name: "mount beats the session proxy", setup: func(s *client.Session) { s.SetProxy(r.proxyURL).Mount("http://mounted.test/", mounted) }, url: "http://mounted.test/x", want: "mount"},
		{name: "another prefix is not mounted", setup: func(s *client.Session) { s.Mount("http://mounted.test/", mounted).SetProxy(r.proxyURL) }, url: r.origin.URL, want: "forward"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			s := client.New()
			defer s.Close()
			if tt.setup != nil {
				tt.setup(s)
			}
			before, mounts := r.snapshot(), mounted.n.Load()
			status, body, err := get(t, s.Transport(), tt.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := r.route(before)
			if mounted.n.Load() > mounts {
				got = "mount"
			}
			want := tt.want
			if want == "" {
				want = "direct"
			}
			if diff := cmp.Diff([]any{200, "origin", want}, []any{status, body, got}); diff != "" {
				t.Errorf("status, body, route (-want +got):\n%s", diff)
			}
		})
	}

	// A session whose transport is another session's Transport: the inner
	// session routes by its own settings, not by the call the outer one
	// put in the request's context.
	nested := []struct {
		name         string
		inner, outer func(s *client.Session)
		env          map[string]string
		want         string
	}{
		{name: "inner session's proxy", inner: func(s *client.Session) { s.SetProxy(r.proxyURL) }, want: "forward"},
		{name: "inner session trusts the environment, outer does not", outer: func(s *client.Session) { s.SetTrustEnv(false) }, env: map[string]string{"HTTP_PROXY": r.proxyURL}, want: "forward"},
		{name: "inner session does not trust the environment", inner: func(s *client.Session) { s.SetTrustEnv(false) }, env: map[string]string{"HTTP_PROXY": r.proxyURL}, want: "direct"},
	}
	for _, tt := range nested {
		t.Run("under another session/"+tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			inner := client.New()
			defer inner.Close()
			if tt.inner != nil {
				tt.inner(inner)
			}
			// The mount puts the outer session's call in the context.
			outer := client.New(client.WithTransport(inner.Transport())).Mount("http://elsewhere.test/", mounted)
			defer outer.Close()
			if tt.outer != nil {
				tt.outer(outer)
			}
			before := r.snapshot()
			resp, err := outer.Get(r.origin.URL).Do(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]any{200, tt.want}, []any{resp.StatusCode(), r.route(before)}); diff != "" {
				t.Errorf("status, route (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTransportTLS: the transport follows the session's TLS settings as
// they are at each request, not as they were when Transport was called.
// The steps run in order on one session and one transport.
func TestTransportTLS(t *testing.T) {
	clearCAEnv(t)
	clients, certFile, keyFile := clientCertFiles(t)
	srv := newCertServer(t, clients)
	bundle := certPEM(t, srv.Server)
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	other := otherCA(t)

	s := client.New()
	defer s.Close()
	rt := s.Transport() // taken once, before any setting
	unknownCA := "x509.UnknownAuthorityError"
	steps := []struct {
		name  string
		setup func()
		env   map[string]string
		want  string // the server's answer (the client certificate's name, or "none"), or unknownCA
	}{
		{name: "system roots do not trust the server", want: unknownCA},
		{name: "SetRootCAs", setup: func() { s.SetRootCAs(roots) }, want: "none"},
		{name: "SetClientCert", setup: func() { s.SetClientCert(certFile, keyFile) }, want: "tether client"},
		{name: "SetCABundle of another CA", setup: func() { s.SetCABundle(other) }, want: unknownCA},
		{name: "SetVerify(false)", setup: func() { s.SetVerify(false) }, want: "tether client"},
		{name: "SetCABundle verifies again", setup: func() { s.SetCABundle(bundle) }, want: "tether client"},
		{name: "environment's bundle, under trust_env", setup: func() { s.SetRootCAs(nil) }, env: map[string]string{"REQUESTS_CA_BUNDLE": bundle}, want: "tether client"},
		{name: "environment's bundle, trust_env off", setup: func() { s.SetTrustEnv(false) }, env: map[string]string{"REQUESTS_CA_BUNDLE": bundle}, want: unknownCA},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			for k, v := range step.env {
				t.Setenv(k, v)
			}
			if step.setup != nil {
				step.setup()
			}
			if err := s.Err(); err != nil {
				t.Fatal(err)
			}
			_, got, err := get(t, rt, srv.URL, nil)
			if ua := (x509.UnknownAuthorityError{}); errors.As(err, &ua) {
				got, err = unknownCA, nil
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(step.want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTransportHTTP2: a server that offers HTTP/2 gets it through the
// transport, as the session's own calls do.
func TestTransportHTTP2(t *testing.T) {
	t.Parallel()
	srv := testserver.NewHTTP2(t)
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	s := client.New().SetRootCAs(roots)
	defer s.Close()
	c := &http.Client{Transport: s.Transport()}
	var got []string
	for range 2 {
		resp, err := c.Get(srv.URL + "/get")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		got = append(got, resp.Proto)
	}
	if diff := cmp.Diff([]string{"HTTP/2.0", "HTTP/2.0"}, got); diff != "" {
		t.Errorf("protocols (-want +got):\n%s", diff)
	}
	if n := srv.Conns(); n != 1 {
		t.Errorf("%d connections, want 1 (shared by both requests)", n)
	}
}

// closeRecorder is a request body that records whether it was closed.
type closeRecorder struct {
	io.Reader
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }

// TestTransportErrors: bad input and a session with a rejected setting are
// typed errors, never a panic, and the request's body is closed, as a
// RoundTripper must close it.
func TestTransportErrors(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	tests := []struct {
		name    string
		session *client.Session
		req     func(body io.ReadCloser) *http.Request
		want    error
		noBody  bool
	}{
		{
			name:    "nil request",
			session: client.New(),
			req:     func(io.ReadCloser) *http.Request { return nil },
			want:    request.ErrInvalidOption,
			noBody:  true,
		},
		{
			name:    "request without a URL",
			session: client.New(),
			req: func(body io.ReadCloser) *http.Request {
				return &http.Request{Method: http.MethodPost, Header: http.Header{}, Body: body}
			},
			want: request.ErrInvalidURL,
		},
		{
			name:    "request without a Header",
			session: client.New(),
			req: func(body io.ReadCloser) *http.Request {
				u, _ := url.Parse(srv.URL + "/post")
				return &http.Request{Method: http.MethodPost, URL: u, Body: body}
			},
			want: request.ErrInvalidOption,
		},
		{
			name:    "relative URL",
			session: client.New(),
			req: func(body io.ReadCloser) *http.Request {
				req, _ := http.NewRequest(http.MethodPost, "/post", body)
				return req
			},
			want: request.ErrInvalidURL,
		},
		{
			name:    "URL without a host",
			session: client.New(),
			req: func(body io.ReadCloser) *http.Request {
				req, _ := http.NewRequest(http.MethodPost, "http:///post", body)
				return req
			},
			want: request.ErrInvalidURL,
		},
		{
			name:    "unsupported scheme",
			session: client.New(),
			req: func(body io.ReadCloser) *http.Request {
				req, _ := http.NewRequest(http.MethodPost, "ftp://"+strings.TrimPrefix(srv.URL, "http://")+"/post", body)
				return req
			},
			want: request.ErrUnsupportedScheme,
		},
		{
			name:    "method that is not a token",
			session: client.New(),
			req: func(body io.ReadCloser) *http.Request {
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/post", body)
				req.Method = "BAD METHOD"
				return req
			},
			want: request.ErrInvalidMethod,
		},
		{
			name:    "header name that is not a token",
			session: client.New(),
			req: func(body io.ReadCloser) *http.Request {
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/post", body)
				req.Header["Bad Name"] = []string{"1"}
				return req
			},
			want: request.ErrInvalidHeader,
		},
		{
			name:    "header value with a line break",
			session: client.New(),
			req: func(body io.ReadCloser) *http.Request {
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/post", body)
				req.Header.Set("X-Split", "a\r\nX-Injected: 1")
				return req
			},
			want: request.ErrInvalidHeader,
		},
		{
			name:    "nil session",
			session: nil,
			req: func(body io.ReadCloser) *http.Request {
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/post", body)
				return req
			},
			want: request.ErrInvalidOption,
		},
		{
			name:    "session with a rejected setting",
			session: client.New().SetTimeout(-1),
			req: func(body io.ReadCloser) *http.Request {
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/post", body)
				return req
			},
			want: request.ErrInvalidOption,
		},
		{
			name:    "session with a client certificate it could not load",
			session: client.New().SetClientCert(filepath.Join(t.TempDir(), "missing.pem"), ""),
			req: func(body io.ReadCloser) *http.Request {
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/post", body)
				return req
			},
			want: request.ErrInvalidOption,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.session != nil {
				defer tt.session.Close()
			}
			body := &closeRecorder{Reader: strings.NewReader("x")}
			before := len(srv.Requests())
			resp, err := tt.session.Transport().RoundTrip(tt.req(body))
			if resp != nil {
				resp.Body.Close()
			}
			got := []any{errors.Is(err, tt.want), body.closed || tt.noBody, len(srv.Requests()) - before}
			if diff := cmp.Diff([]any{true, true, 0}, got); diff != "" {
				t.Errorf("error %v: is %v, body closed, requests sent (-want +got):\n%s", err, tt.want, diff)
			}
		})
	}
}

// TestTransportClose: the transport shares the session's pool: its
// requests reuse one connection, the session's Close closes it (and the
// transport stays usable, as the session does), and the CloseIdleConnections
// an http.Client calls closes the session's idle connections.
func TestTransportClose(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	s := client.New()
	defer s.Close()
	c := &http.Client{Transport: s.Transport()}
	viaClient := func() error {
		resp, err := c.Get(srv.URL + "/get")
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.Body.Close()
	}
	viaSession := func() error {
		_, err := s.Get(srv.URL + "/get").Do(context.Background())
		return err
	}
	steps := []struct {
		name      string
		before    func()
		send      func() error
		wantConns int64
	}{
		{name: "first request dials", send: viaClient, wantConns: 1},
		{name: "second reuses", send: viaClient, wantConns: 1},
		{name: "the session's own call reuses it too", send: viaSession, wantConns: 1},
		{name: "after Session.Close a new connection", before: func() { _ = s.Close() }, send: viaClient, wantConns: 2},
		{name: "after http.Client.CloseIdleConnections the session dials", before: c.CloseIdleConnections, send: viaSession, wantConns: 3},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			if step.before != nil {
				step.before()
			}
			if err := step.send(); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(step.wantConns, srv.Conns()); diff != "" {
				t.Errorf("connections (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTransportConcurrent: requests through the transport while the
// session is changed from other goroutines (run with -race).
func TestTransportConcurrent(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	s := client.New()
	defer s.Close()
	rt := s.Transport()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				req, _ := http.NewRequest(http.MethodGet, srv.URL+"/get", nil)
				resp, err := rt.RoundTrip(req)
				if err != nil {
					errs <- err
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
		s.SetHeader("X-N", url.QueryEscape(string(rune('a'+i)))).SetVerify(i%2 == 0)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestTransportMountedSchemes: a request the session's own transport would
// refuse (another scheme, a nil Header) still reaches a transport mounted
// for it, which decides for itself.
func TestTransportMountedSchemes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		req  func() *http.Request
	}{
		{
			name: "another scheme",
			req: func() *http.Request {
				req, _ := http.NewRequest(http.MethodGet, "x-test://h/a", nil)
				return req
			},
		},
		{
			name: "a nil Header",
			req: func() *http.Request {
				u, _ := url.Parse("x-test://h/b")
				return &http.Request{Method: http.MethodGet, URL: u}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			s := client.New().Mount("x-test://", roundTripFunc(func(req *http.Request) (*http.Response, error) {
				got = append(got, req.URL.String())
				return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: req}, nil
			}))
			req := tt.req()
			resp, err := s.Transport().RoundTrip(req)
			if err != nil {
				t.Fatalf("RoundTrip: %v", err)
			}
			resp.Body.Close()
			if diff := cmp.Diff([]string{req.URL.String()}, got); diff != "" {
				t.Errorf("requests the mount saw (-want +got):\n%s", diff)
			}
		})
	}
}
