package request_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
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

// TestNothingReachableAliasesTheTemplate writes through every handle a
// caller gets from a call (the request an Auth sees, Response.Request,
// its Header, History, Raw) and checks that the next Do of the same
// template sends exactly what the first did, and the session's getters are
// unchanged.
func TestNothingReachableAliasesTheTemplate(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	s := client.New().SetHeader("X-S", "s1", "s2")
	t.Cleanup(func() { _ = s.Close() })

	vandal := request.AuthFunc(func(req *http.Request) error {
		for _, k := range []string{"X-A", "X-H", "X-S"} {
			if vs := req.Header[k]; len(vs) > 0 {
				vs[0] += "+auth" // accumulates if the value is stored anywhere
			}
			req.Header[k] = append(req.Header[k], "auth-appended")
		}
		return nil
	})
	tmpl := s.Get(srv.URL+"/start?status=302&location=%2Fget").
		Header("X-A", "a1", "a2").
		Headers(map[string]string{"X-H": "h"}).
		Auth(vandal)

	want := map[string][]string{
		"X-A": {"a1+auth", "a2", "auth-appended"},
		"X-H": {"h+auth", "auth-appended"},
		"X-S": {"s1+auth", "s2", "auth-appended"},
	}
	for i := range 3 {
		srv.Reset()
		resp := do(t, tmpl)
		hops := srv.Requests()
		if len(hops) != 2 {
			t.Fatalf("Do %d: %d hops, want 2", i, len(hops))
		}
		for k, v := range want {
			if diff := cmp.Diff(v, hops[1].Header.Values(k)); diff != "" {
				t.Errorf("Do %d: hop 2 header %s (-want +got):\n%s", i, k, diff)
			}
		}
		// Write through everything the response hands out.
		for _, r := range append(resp.History(), resp) {
			h := r.Request().Header
			for k := range h {
				h[k][0] += "+caller"
				h[k] = append(h[k], "caller-appended")
			}
			h.Set("X-New", "1")
			raw := r.Raw()
			raw.Request.Header.Set("X-A", "raw")
			raw.Header.Set("X-Resp", "raw")
		}
		resp.History()[0] = nil
		if resp.History()[0] == nil {
			t.Fatal("History() hands out the response's own slice")
		}
	}
	if diff := cmp.Diff(http.Header{
		"User-Agent": {"tether/" + request.Version}, "Accept": {"*/*"}, "Accept-Encoding": {"gzip, deflate, br, zstd"}, "X-S": {"s1", "s2"},
	}, s.Headers()); diff != "" {
		t.Errorf("session headers (-want +got):\n%s", diff)
	}
}

// TestHeadFollowsRedirectsBySpawn: as requests, only the head methods
// leave redirects alone; s.request('HEAD', u) follows, however it is spelt.
func TestHeadFollowsRedirectsBySpawn(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	s := client.New()
	t.Cleanup(func() { _ = s.Close() })
	u := srv.URL + "/start?status=302&location=%2Fget"
	tests := map[string]struct {
		b       request.Builder
		follows bool
	}{
		"session Request HEAD":         {s.Request("HEAD", u), true},
		"session Request head":         {s.Request("head", u), true},
		"session Head":                 {s.Head(u), false},
		"session Head FollowRedirects": {s.Head(u).FollowRedirects(), true},
		"session Request NoRedirects":  {s.Request("HEAD", u).NoRedirects(), false},
		"package New HEAD":             {request.New("HEAD", u), true},
		"package New head":             {request.New("head", u), true},
		"package Head":                 {request.Head(u), false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			resp := do(t, tc.b)
			if got := len(resp.History()) == 1; got != tc.follows {
				t.Errorf("followed = %v (status %d), want %v", got, resp.StatusCode(), tc.follows)
			}
		})
	}
}

// TestRedirectTargetChecked: the next hop's URL goes through the same
// checks as the first; an error carries the redirect response.
func TestRedirectTargetChecked(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	tests := map[string]struct {
		location string
		want     error
	}{
		"ftp":           {"ftp://example.com/x", request.ErrUnsupportedScheme},
		"file":          {"file:///etc/passwd", request.ErrUnsupportedScheme},
		"no host":       {"https:p", request.ErrInvalidURL}, // requests: urljoin keeps it, urllib3 finds no host
		"unparsable":    {"http://[::1", request.ErrInvalidURL},
		"bad IPv6 zone": {"http://[fe80::1%en0/", request.ErrInvalidURL},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			u := srv.URL + "/start?status=302&location=" + url.QueryEscape(tc.location)
			resp, err := request.Get(u).Do(context.Background())
			if !errors.Is(err, tc.want) {
				t.Fatalf("Do error = %v, want errors.Is %v", err, tc.want)
			}
			if resp != nil {
				t.Errorf("Do returned a response with its error: %v", resp)
			}
			var le *request.LocationError
			if !errors.As(err, &le) {
				t.Fatalf("error %T is not a *LocationError", err)
			}
			if le.Response == nil || le.Response.StatusCode() != http.StatusFound || le.Location != tc.location {
				t.Errorf("LocationError = %+v, want the 302 with Location %q", le, tc.location)
			}
		})
	}
	t.Run("NoRedirects reports an unsupported target in Next", func(t *testing.T) {
		t.Parallel()
		u := srv.URL + "/start?status=302&location=" + url.QueryEscape("ftp://example.com/x")
		resp, err := request.Get(u).NoRedirects().Do(context.Background())
		if err != nil {
			t.Fatalf("Do: %v", err)
		}
		if got := resp.Next().String(); got != "ftp://example.com/x" {
			t.Errorf("Next() = %q", got)
		}
	})
}

// closeTracker is a one-shot body that records whether it was closed.
type closeTracker struct {
	io.Reader
	closed atomic.Bool
}

func (c *closeTracker) Close() error { c.closed.Store(true); return nil }

// TestFailingAuthKeepsOneShotBody: an Auth that fails sends nothing and
// leaves a one-shot body unread for the next Do; a one-shot body that is
// an io.ReadCloser is closed once sent, as net/http does.
func TestFailingAuthKeepsOneShotBody(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	errDenied := errors.New("no token today")
	body := &closeTracker{Reader: strings.NewReader("one-shot payload")}
	tmpl := request.Post(srv.URL + "/post").Body(body)

	_, err := tmpl.Auth(request.AuthFunc(func(*http.Request) error { return errDenied })).Do(context.Background())
	if !errors.Is(err, request.ErrAuth) || !errors.Is(err, errDenied) {
		t.Fatalf("Do error = %v, want ErrAuth wrapping the Auth's error", err)
	}
	if len(srv.Requests()) != 0 || body.closed.Load() {
		t.Fatalf("a failed Auth sent %d requests, closed body = %v", len(srv.Requests()), body.closed.Load())
	}
	do(t, tmpl.BearerToken("t"))
	if got := last(t, srv).Body; got != "one-shot payload" {
		t.Errorf("body %q, want the whole payload", got)
	}
	if !body.closed.Load() {
		t.Error("a sent one-shot io.ReadCloser was not closed")
	}
	if _, err := tmpl.Do(context.Background()); !errors.Is(err, request.ErrBodyNotReplayable) {
		t.Errorf("third Do error = %v, want ErrBodyNotReplayable", err)
	}
}

// TestTypedNilsAreErrors: a typed nil where an interface is expected is an
// error from Do, never a panic.
func TestTypedNilsAreErrors(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	s := client.New()
	t.Cleanup(func() { _ = s.Close() })
	tests := map[string]struct {
		b    request.Builder
		want error
	}{
		"nil *bytes.Buffer":        {s.Post(srv.URL).Body((*bytes.Buffer)(nil)), request.ErrBody},
		"nil *bytes.Reader":        {s.Post(srv.URL).Body((*bytes.Reader)(nil)), request.ErrBody},
		"nil *strings.Reader":      {s.Post(srv.URL).Body((*strings.Reader)(nil)), request.ErrBody},
		"nil *os.File":             {s.Post(srv.URL).Body((*os.File)(nil)), request.ErrBody},
		"nil AuthFunc":             {s.Get(srv.URL).Auth(request.AuthFunc(nil)), request.ErrInvalidOption},
		"nil *BasicAuth":           {s.Get(srv.URL).Auth((*request.BasicAuth)(nil)), request.ErrInvalidOption},
		"session nil AuthFunc":     {client.New().SetAuth(request.AuthFunc(nil)).Get(srv.URL), request.ErrInvalidOption},
		"Host with two values":     {s.Get(srv.URL).Header("Host", "a", "b"), request.ErrInvalidHeader},
		"Host with a bad value":    {s.Get(srv.URL).Header("Host", "a b"), request.ErrInvalidHeader},
		"Host empty":               {s.Get(srv.URL).Header("Host", ""), request.ErrInvalidHeader},
		"Host with CRLF injection": {s.Get(srv.URL).Header("Host", "a\r\nX: y"), request.ErrInvalidHeader},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv.Reset()
			resp, err := tc.b.Do(context.Background())
			if !errors.Is(err, tc.want) {
				t.Fatalf("Do error = %v, want errors.Is %v", err, tc.want)
			}
			if resp != nil || len(srv.Requests()) != 0 {
				t.Errorf("got a response (%v) or a request reached the server", resp)
			}
		})
	}
}

// TestHostHeader: an explicit Host header is sent as the request's Host
// (virtual hosts), as requests sends it, on every hop to the host the call
// was made to, and not to another host.
func TestHostHeader(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	other := testserver.New(t)
	s := client.New()
	t.Cleanup(func() { _ = s.Close() })

	do(t, s.Get(srv.URL+"/get").Header("host", "vhost.example"))
	if got := last(t, srv).Host; got != "vhost.example" {
		t.Errorf("Host = %q, want vhost.example", got)
	}

	srv.Reset()
	do(t, s.Get(srv.URL+"/start?status=302&location=%2Fget").Header("Host", "vhost.example"))
	if diff := cmp.Diff([]string{"vhost.example", "vhost.example"}, hosts(srv.Requests())); diff != "" {
		t.Errorf("same-host redirect: Host per hop (-want +got):\n%s", diff)
	}

	srv.Reset()
	to := url.QueryEscape(other.URL + "/get")
	do(t, s.Get(srv.URL+"/start?status=302&location="+to).Header("Host", "vhost.example"))
	if got := last(t, other).Host; got != strings.TrimPrefix(other.URL, "http://") {
		t.Errorf("redirect to another host sent Host %q, want that host's own", got)
	}
}

func hosts(recs []testserver.Recorded) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.Host
	}
	return out
}

// earlyServer answers /early before reading the request body (with the
// status in ?status=, and Location /sink), and /sink with the body's length
// and SHA-256, read in full.
func earlyServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/early":
			w.Header().Set("Location", "/sink")
			w.Header().Set("Connection", "close")
			code := http.StatusTemporaryRedirect
			if r.URL.Query().Get("status") == "413" {
				code = http.StatusRequestEntityTooLarge
			}
			w.WriteHeader(code)
		default:
			h := sha256.New()
			n, err := io.Copy(h, r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			fmt.Fprintf(w, "%d %s", n, hex.EncodeToString(h.Sum(nil)))
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// seekOnly hides every method of a reader but Read and Seek.
type seekOnly struct{ rs io.ReadSeeker }

func (s *seekOnly) Read(p []byte) (int, error)                { return s.rs.Read(p) }
func (s *seekOnly) Seek(off int64, whence int) (int64, error) { return s.rs.Seek(off, whence) }

// TestSeekableBodyEarlyAnswer: a server that answers before reading the
// body (a 307 or a 413 at once) must not make the next hop, or the next
// Do, send a short body while the transport still reads the first one.
// The race detector catches a seek against the transport's read.
func TestSeekableBodyEarlyAnswer(t *testing.T) {
	t.Parallel()
	const size = 8 << 20
	data := bytes.Repeat([]byte("0123456789abcdef"), size/16)
	sum := sha256.Sum256(data)
	want := fmt.Sprintf("%d %s", size, hex.EncodeToString(sum[:]))
	path := filepath.Join(t.TempDir(), "body")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	srv := earlyServer(t)

	readers := map[string]func(t *testing.T) io.ReadSeeker{
		"os.File (ReadAt)": func(t *testing.T) io.ReadSeeker {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = f.Close() })
			return f
		},
		"seeker without ReadAt": func(t *testing.T) io.ReadSeeker {
			return &seekOnly{rs: bytes.NewReader(data)}
		},
	}
	for name, open := range readers {
		t.Run(name+"/307 then the body again", func(t *testing.T) {
			t.Parallel()
			s := client.New()
			defer s.Close()
			resp := do(t, s.Post(srv.URL+"/early").Body(open(t)))
			if got := resp.Text(); got != want {
				t.Errorf("second hop got %q, want %q", got, want)
			}
		})
		t.Run(name+"/413 then the next Do", func(t *testing.T) {
			t.Parallel()
			s := client.New()
			defer s.Close()
			b := s.Post(srv.URL + "/early?status=413").Body(open(t))
			for range 3 {
				if resp, err := b.Do(context.Background()); err == nil && resp.StatusCode() != http.StatusRequestEntityTooLarge {
					t.Fatalf("status %d", resp.StatusCode())
				}
			}
			resp := do(t, s.Post(srv.URL+"/sink").Body(open(t)))
			if got := resp.Text(); got != want {
				t.Errorf("sink got %q, want %q", got, want)
			}
		})
	}
}

// TestConcurrentSendsShareOneFileBody: a builder whose body is a file is a
// template too; concurrent Do calls each send the whole file.
func TestConcurrentSendsShareOneFileBody(t *testing.T) {
	t.Parallel()
	data := bytes.Repeat([]byte("x"), 1<<20)
	sum := sha256.Sum256(data)
	want := fmt.Sprintf("%d %s", len(data), hex.EncodeToString(sum[:]))
	path := filepath.Join(t.TempDir(), "body")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	srv := earlyServer(t)
	s := client.New()
	t.Cleanup(func() { _ = s.Close() })
	b := s.Post(srv.URL + "/sink").Body(f)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			resp, err := b.Do(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			if got := resp.Text(); got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
	wg.Wait()
}

// TestErrorMessagesRedact: no error message carries URL credentials.
func TestErrorMessagesRedact(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ftp" {
			w.Header().Set("Location", "ftp://u:SECRET@x/")
		} else {
			w.Header().Set("Location", "/loop")
		}
		w.WriteHeader(http.StatusFound)
	}))
	t.Cleanup(redirector.Close)
	withCreds := strings.Replace(srv.URL, "http://", "http://user:SECRET@", 1)
	redirCreds := strings.Replace(redirector.URL, "http://", "http://user:SECRET@", 1)
	tests := map[string]request.Builder{
		"LocationError": request.Get(redirCreds + "/ftp"),
		"RedirectError": request.Get(redirCreds + "/loop"),
		"bad URL":       request.Get("http://u:SECRET@[::1/"),
		"transport":     request.Get("http://u:SECRET@127.0.0.1:1/"),
		// A password with "/", "?" or "#" makes the URL unparsable, its
		// authority ending early.
		"slash in the password":    request.Get("http://u:SE/SECRET@h:99999/"),
		"question mark, password":  request.Get("http://u:SE?SECRET@h:99999/"),
		"no scheme":                request.Get("u:SECRET@h/"),
		"scheme-relative":          request.Get("//u:SECRET@h/"),
		"a token as the user name": request.Get("http://SECRET@[::1/"),
		"bad proxy host":           request.Get(srv.URL).Proxy("http://u:SECRET@h:99999"),
		"bad proxy scheme":         request.Get(srv.URL).Proxy("ftp://u:SECRET@h:21"),
		"token-only proxy":         request.Get(srv.URL).Proxy("ftp://SECRET@h:21"),
		"bad Authorization":        request.Get(srv.URL).Header("Authorization", "Bearer SECRET\r\nX: 1"),
		"bad Cookie":               request.Get(srv.URL).Header("Cookie", "a=SECRET\n"),
		"bad bearer token":         request.Get(srv.URL).BearerToken("SECRET\r\n"),
	}
	for name, b := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := b.Do(context.Background())
			if err == nil {
				t.Fatal("no error")
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("the message holds the password: %v", err)
			}
		})
	}
	for name, base := range map[string]string{
		"base URL":                "http://u:SECRET@h:99999/",
		"base URL with a query":   "http://u:SECRET@h/api?k=1",
		"base URL, token as user": "ftp://SECRET@h/",
		"base URL, slash in pass": "http://u:SE/SECRET@h/",
		"base URL, unparsable":    "http://u:SECRET@[::1/",
	} {
		t.Run(name, func(t *testing.T) {
			s := client.New().SetBaseURL(base)
			defer s.Close()
			err := s.Err()
			if err == nil {
				_, err = s.Get("x").Do(context.Background())
			}
			if err == nil {
				t.Fatal("no error")
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("the message holds the password: %v", err)
			}
		})
	}
	r := do(t, request.Get(withCreds+"/status/418"))
	if err := r.Err(); err == nil || strings.Contains(err.Error(), "SECRET") || !strings.Contains(err.Error(), "418") {
		t.Errorf("StatusError: %v", err)
	}
}
