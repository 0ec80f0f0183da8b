package request_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/request"
)

// flaky answers /flaky?key=K&fail=N&status=S&after=A with status S (and
// Retry-After A when given, and a cookie try=i) for the first N requests
// of key K, then 200 with the body "ok after i tries". It records the
// Cookie header and X-Id of every request. /drop?key=K&fail=N closes the
// connection without answering N times.
type flaky struct {
	*httptest.Server
	mu      sync.Mutex
	tries   map[string]int
	cookies map[string][]string
}

func newFlaky(t *testing.T) *flaky {
	t.Helper()
	f := &flaky{tries: map[string]int{}, cookies: map[string][]string{}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *flaky) serve(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if r.URL.Path == "/redir" {
		http.Redirect(w, r, q.Get("to"), http.StatusFound)
		return
	}
	key := q.Get("key")
	_, _ = io.Copy(io.Discard, r.Body)
	f.mu.Lock()
	f.tries[key]++
	n := f.tries[key]
	f.cookies[key] = append(f.cookies[key], r.Header.Get("Cookie")+" | "+strings.Join(r.Header.Values("X-Id"), ","))
	f.mu.Unlock()
	fail, _ := strconv.Atoi(q.Get("fail"))
	if n <= fail {
		if r.URL.Path == "/drop" {
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
			return
		}
		if a := q.Get("after"); a != "" {
			w.Header().Set("Retry-After", a)
		}
		http.SetCookie(w, &http.Cookie{Name: "try", Value: strconv.Itoa(n)})
		status, _ := strconv.Atoi(q.Get("status"))
		w.WriteHeader(status)
		return
	}
	fmt.Fprintf(w, "ok after %d tries", n)
}

func (f *flaky) count(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tries[key]
}

func TestRetry(t *testing.T) {
	t.Parallel()
	f := newFlaky(t)
	fast := request.Retry{Attempts: 3}
	tests := map[string]struct {
		b            func(s *client.Session, u string) request.Builder
		path         string
		wantStatus   int
		wantTries    int
		wantAttempts int
		wantErr      error
	}{
		"503 twice then ok":          {func(s *client.Session, u string) request.Builder { return s.Get(u).Retry(fast) }, "fail=2&status=503", 200, 3, 3, nil},
		"503 three times: last kept": {func(s *client.Session, u string) request.Builder { return s.Get(u).Retry(fast) }, "fail=3&status=503", 503, 3, 3, nil},
		"429 with Retry-After 0":     {func(s *client.Session, u string) request.Builder { return s.Get(u).Retry(fast) }, "fail=1&status=429&after=0", 200, 2, 2, nil},
		"500 is not retried":         {func(s *client.Session, u string) request.Builder { return s.Get(u).Retry(fast) }, "fail=1&status=500", 500, 1, 1, nil},
		"own statuses": {func(s *client.Session, u string) request.Builder {
			return s.Get(u).Retry(request.Retry{Attempts: 2, Statuses: []int{500}})
		}, "fail=1&status=500", 200, 2, 2, nil},
		"POST is not retried": {func(s *client.Session, u string) request.Builder { return s.Post(u).BodyBytes([]byte("x")).Retry(fast) }, "fail=1&status=503", 503, 1, 1, nil},
		"POST retried when listed": {func(s *client.Session, u string) request.Builder {
			return s.Post(u).BodyBytes([]byte("x")).Retry(request.Retry{Attempts: 2, Methods: []string{"POST"}})
		}, "fail=1&status=503", 200, 2, 2, nil},
		"PUT is retried": {func(s *client.Session, u string) request.Builder { return s.Put(u).BodyBytes([]byte("x")).Retry(fast) }, "fail=1&status=503", 200, 2, 2, nil},
		"NoRetry":        {func(s *client.Session, u string) request.Builder { return s.Get(u).Retry(fast).NoRetry() }, "fail=1&status=503", 503, 1, 1, nil},
		"one-shot body not retried": {func(s *client.Session, u string) request.Builder {
			return s.Put(u).Body(iotest.HalfReader(strings.NewReader("x"))).Retry(fast)
		}, "fail=1&status=503", 503, 1, 1, nil},
		"dropped connection retried": {func(s *client.Session, u string) request.Builder {
			return s.Get(strings.Replace(u, "/flaky", "/drop", 1)).Retry(fast)
		}, "fail=2", 200, 3, 3, nil},
		"dropped, tries run out": {func(s *client.Session, u string) request.Builder {
			return s.Get(strings.Replace(u, "/flaky", "/drop", 1)).Retry(fast)
		}, "fail=3", 0, 3, 0, request.ErrConnection},
		"dropped, one-shot body": {func(s *client.Session, u string) request.Builder {
			return s.Put(strings.Replace(u, "/flaky", "/drop", 1)).Body(iotest.HalfReader(strings.NewReader("x"))).Retry(fast)
		}, "fail=1", 0, 1, 0, request.ErrBodyNotReplayable},
		"redirect target retried": {func(s *client.Session, u string) request.Builder {
			return s.Get(f.URL + "/redir?to=" + urlEscape(u)).Retry(fast)
		}, "fail=1&status=502", 200, 2, 2, nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			key := strings.ReplaceAll(name, " ", "-")
			u := f.URL + "/flaky?key=" + key + "&" + tc.path
			s := client.New() // its own pool: net/http retries a failed reused connection itself
			defer s.Close()
			r, err := tc.b(s, u).Do(context.Background())
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Fatalf("Do error = %v, want %v", err, tc.wantErr)
			}
			if got := f.count(key); got != tc.wantTries {
				t.Errorf("server saw %d tries, want %d", got, tc.wantTries)
			}
			if err != nil {
				return
			}
			if r.StatusCode() != tc.wantStatus || r.Attempts() != tc.wantAttempts {
				t.Errorf("status %d after %d attempts, want %d after %d", r.StatusCode(), r.Attempts(), tc.wantStatus, tc.wantAttempts)
			}
		})
	}
}

// TestRetryWaits: the context deadline and Timeout win over a wait; Do
// returns at the deadline, not after the Retry-After.
func TestRetryWaits(t *testing.T) {
	t.Parallel()
	f := newFlaky(t)
	u := f.URL + "/flaky?key=long&fail=5&status=503&after=3600"
	start := time.Now()
	_, err := request.Get(u).Retry(request.Retry{Attempts: 5, MaxBackoff: time.Hour}).Timeout(300 * time.Millisecond).Do(context.Background())
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, request.ErrTimeout) {
		t.Fatalf("Do error = %v, want a deadline", err)
	}
	if took := time.Since(start); took > 2*300*time.Millisecond {
		t.Errorf("Do took %v, want at most twice the 300ms timeout", took)
	}
	if got := f.count("long"); got != 1 {
		t.Errorf("%d tries, want 1 (the wait outlasts the timeout)", got)
	}
}

// TestRetryCookiesAndHeaders: a retry recomputes the Cookie header from the
// jar once (the 503 set a cookie), never duplicates it, and keeps every
// header as the hop had it, also with many goroutines retrying at once.
func TestRetryCookiesAndHeaders(t *testing.T) {
	t.Parallel()
	f := newFlaky(t)
	s := client.New().SetCookie("sess", "1").SetRetry(request.Retry{Attempts: 3})
	defer s.Close()
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			key := "c" + strconv.Itoa(i)
			r, err := s.Get(f.URL+"/flaky?key="+key+"&fail=2&status=503").Header("X-Id", key).Do(context.Background())
			if err != nil || r.StatusCode() != 200 {
				t.Errorf("%s: %v %v", key, r, err)
			}
		})
	}
	wg.Wait()
	for i := range 16 {
		key := "c" + strconv.Itoa(i)
		f.mu.Lock()
		got := f.cookies[key]
		f.mu.Unlock()
		// The jar is shared: another goroutine's 503 may have set try=1 or
		// try=2 first; what matters is one Cookie header, one try cookie,
		// one sess, one X-Id.
		for j, line := range got {
			cookie, ids, _ := strings.Cut(line, " | ")
			if ids != key || strings.Count(cookie, "sess=1") != 1 || strings.Count(cookie, "try=") > 1 || (j > 0 && !strings.Contains(cookie, "try=")) {
				t.Errorf("%s try %d sent Cookie %q and X-Id %q", key, j+1, cookie, ids)
			}
		}
		if len(got) != 3 {
			t.Errorf("%s: %d tries", key, len(got))
		}
	}
}

func TestRetryWaitPolicy(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	top := func(n int64) int64 { return n - 1 } // the largest draw
	tests := map[string]struct {
		r          request.Retry
		next       int
		retryAfter string
		want       time.Duration
	}{
		"no backoff":                 {request.Retry{Attempts: 3}, 2, "", 0},
		"first retry":                {request.Retry{Attempts: 3, Backoff: 100 * time.Millisecond}, 2, "", 100 * time.Millisecond},
		"doubles":                    {request.Retry{Attempts: 5, Backoff: 100 * time.Millisecond}, 4, "", 400 * time.Millisecond},
		"capped":                     {request.Retry{Attempts: 9, Backoff: time.Second, MaxBackoff: 3 * time.Second}, 8, "", 3 * time.Second},
		"default cap":                {request.Retry{Attempts: 99, Backoff: time.Second}, 40, "", request.DefaultMaxBackoff},
		"Retry-After seconds":        {request.Retry{Attempts: 3, Backoff: time.Second}, 2, "7", 7 * time.Second},
		"Retry-After capped":         {request.Retry{Attempts: 3, MaxBackoff: 5 * time.Second}, 2, "120", 5 * time.Second},
		"Retry-After date":           {request.Retry{Attempts: 3}, 2, now.Add(9 * time.Second).Format(http.TimeFormat), 9 * time.Second},
		"Retry-After past date":      {request.Retry{Attempts: 3}, 2, now.Add(-time.Hour).Format(http.TimeFormat), 0},
		"Retry-After garbage":        {request.Retry{Attempts: 3, Backoff: time.Second}, 2, "soon", time.Second},
		"Retry-After negative":       {request.Retry{Attempts: 3, Backoff: time.Second}, 2, "-5", time.Second},
		"Retry-After huge is capped": {request.Retry{Attempts: 3}, 2, "99999999999999999", request.DefaultMaxBackoff},
		"largest backoff, first":     {request.Retry{Attempts: 9, Backoff: math.MaxInt64, MaxBackoff: math.MaxInt64}, 2, "", math.MaxInt64 - 1},
		"largest backoff, doubled":   {request.Retry{Attempts: 9, Backoff: math.MaxInt64/2 + 1, MaxBackoff: math.MaxInt64}, 3, "", math.MaxInt64 - 1},
		"doubling past the cap":      {request.Retry{Attempts: 99, Backoff: 3 * time.Hour, MaxBackoff: math.MaxInt64}, 90, "", math.MaxInt64 - 1},
		"backoff above the cap":      {request.Retry{Attempts: 3, Backoff: time.Hour, MaxBackoff: time.Minute}, 2, "", time.Minute},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var resp *http.Response
			if tc.retryAfter != "" {
				resp = &http.Response{Header: http.Header{"Retry-After": {tc.retryAfter}}}
			}
			if diff := cmp.Diff(tc.want, request.RetryWait(&tc.r, tc.next, resp, now, top)); diff != "" {
				t.Errorf("wait (-want +got):\n%s", diff)
			}
		})
	}
}

// stallServer answers /head by waiting for the request's end before the
// headers, and /body with headers and half a body, then waits.
func stallServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/body" {
			w.Header().Set("Content-Length", "10")
			io.WriteString(w, "12345")
			w.(http.Flusher).Flush()
		}
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	return srv
}

// silentTLS accepts TCP connections and never answers the TLS ClientHello;
// it reads nothing either, so a body sent to it over plain HTTP stalls.
func silentTLS(t *testing.T) string {
	t.Helper()
	done := make(chan struct{})
	addr := loopback(t, func(net.Conn) { <-done })
	t.Cleanup(func() { close(done) }) // runs before loopback's own cleanup
	return "https://" + addr
}

func TestTimeouts(t *testing.T) {
	t.Parallel()
	stall := stallServer(t)
	hang := silentTLS(t)
	const d = 300 * time.Millisecond
	tests := map[string]struct {
		do   func(ctx context.Context) error
		want []error
		not  []error
	}{
		"connect: TLS never answered": {
			do:   func(ctx context.Context) error { _, err := request.Get(hang).ConnectTimeout(d).Do(ctx); return err },
			want: []error{request.ErrConnectTimeout, request.ErrTimeout, request.ErrConnection, request.ErrTransport},
			not:  []error{request.ErrReadTimeout},
		},
		"read: no headers": {
			do: func(ctx context.Context) error {
				_, err := request.Get(stall.URL + "/head").ReadTimeout(d).Do(ctx)
				return err
			},
			want: []error{request.ErrReadTimeout, request.ErrTimeout, request.ErrTransport},
			not:  []error{request.ErrConnection, request.ErrConnectTimeout},
		},
		"read: body stalls": {
			do: func(ctx context.Context) error {
				_, err := request.Get(stall.URL + "/body").ReadTimeout(d).Do(ctx)
				return err
			},
			want: []error{request.ErrReadTimeout, request.ErrTimeout},
		},
		"read: streamed body stalls": {
			do: func(ctx context.Context) error {
				r, err := request.Get(stall.URL + "/body").ReadTimeout(d).Stream().Do(ctx)
				if err != nil {
					return fmt.Errorf("Do: %w", err)
				}
				defer r.Close()
				_, err = io.ReadAll(r.Body())
				return err
			},
			want: []error{request.ErrReadTimeout, request.ErrTimeout},
		},
		// urllib3 sends under the connect timeout, and requests raises
		// ConnectionError when the server stops taking the body.
		"send: the server takes no body": {
			do: func(ctx context.Context) error {
				// silentTLS's listener reads nothing: over plain HTTP, the
				// body fills the socket buffers and stalls.
				u := strings.Replace(hang, "https://", "http://", 1)
				body := io.LimitReader(zeros{}, 64<<20) // streamed: no 64 MiB copy first
				_, err := request.Post(u).Body(body).ConnectTimeout(d).Do(ctx)
				return err
			},
			want: []error{request.ErrConnection, request.ErrTransport, context.DeadlineExceeded},
			not:  []error{request.ErrConnectTimeout, request.ErrReadTimeout, request.ErrTimeout},
		},
		"session read timeout": {
			do: func(ctx context.Context) error {
				s := client.New().SetReadTimeout(d)
				defer s.Close()
				_, err := s.Get(stall.URL + "/head").Do(ctx)
				return err
			},
			want: []error{request.ErrReadTimeout},
		},
		"total: Timeout": {
			do: func(ctx context.Context) error {
				_, err := request.Get(stall.URL + "/head").Timeout(d).Do(ctx)
				return err
			},
			want: []error{request.ErrTimeout, context.DeadlineExceeded, request.ErrTransport},
			not:  []error{request.ErrReadTimeout, request.ErrConnection},
		},
		"total: context deadline": {
			do: func(ctx context.Context) error {
				ctx, cancel := context.WithTimeout(ctx, d)
				defer cancel()
				_, err := request.Get(stall.URL + "/head").Do(ctx)
				return err
			},
			want: []error{request.ErrTimeout, context.DeadlineExceeded},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			err := tc.do(context.Background())
			took := time.Since(start)
			for _, w := range tc.want {
				if !errors.Is(err, w) {
					t.Errorf("error %v does not match %v", err, w)
				}
			}
			for _, n := range tc.not {
				if errors.Is(err, n) {
					t.Errorf("error %v matches %v", err, n)
				}
			}
			if took > 2*d {
				t.Errorf("took %v, want at most 2×%v", took, d)
			}
		})
	}
}

// TestTimeoutsDoNotFireOnFastCalls: the phase timers of a fast call do not
// touch the calls after it on the same connection.
func TestTimeoutsDoNotFireOnFastCalls(t *testing.T) {
	t.Parallel()
	f := newFlaky(t)
	s := client.New().SetConnectTimeout(time.Second).SetReadTimeout(time.Second)
	defer s.Close()
	for i := range 5 {
		r, err := s.Get(f.URL + "/flaky?key=fast" + strconv.Itoa(i)).Do(context.Background())
		if err != nil || r.StatusCode() != 200 {
			t.Fatalf("call %d: %v %v", i, r, err)
		}
	}
}

func TestErrorKinds(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()
	tlsSrv := httptest.NewUnstartedServer(http.NotFoundHandler())
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake errors are the point
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)

	mtls := httptest.NewUnstartedServer(http.NotFoundHandler())
	mtls.Config.ErrorLog = log.New(io.Discard, "", 0)
	mtls.TLS = &tls.Config{ClientAuth: tls.RequireAnyClientCert}
	mtls.StartTLS()
	t.Cleanup(mtls.Close)
	proxy407 := rawServer(t, "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")

	tests := map[string]struct {
		u    string
		b    request.Builder // when set, instead of a GET of u
		want []error
		not  []error
	}{
		"refused": {refused, request.Builder{}, []error{request.ErrConnection, request.ErrTransport}, []error{request.ErrTimeout, request.ErrTLS, request.ErrProxy}},
		// requests: SSLError, a ConnectionError. Go reports the server's
		// alert as a net.OpError "remote error".
		"client certificate required": {"", request.Get(mtls.URL).Verify(false), []error{request.ErrTLS, request.ErrConnection}, nil},
		// requests: ProxyError ("Tunnel connection failed: 407"), a ConnectionError.
		"CONNECT answered 407": {"", request.Get("https://example.test/").Proxy(proxy407), []error{request.ErrProxy, request.ErrConnection, request.ErrTransport}, []error{request.ErrTLS}},
		"proxy refused":        {"", request.Get("http://example.test/").Proxy(refused), []error{request.ErrProxy, request.ErrConnection}, nil},
		"untrusted cert":       {tlsSrv.URL, request.Builder{}, []error{request.ErrTLS, request.ErrConnection, request.ErrTransport}, []error{request.ErrTimeout}},
		"TLS to plain server":  {strings.Replace(newFlaky(t).URL, "http", "https", 1), request.Builder{}, []error{request.ErrTLS, request.ErrConnection}, nil},
		// requests: ConnectionError(BadStatusLine).
		"malformed status line": {rawServer(t, "garbage\r\n\r\n"), request.Builder{}, []error{request.ErrConnection, request.ErrTransport}, []error{request.ErrTimeout}},
		"malformed status code": {rawServer(t, "HTTP/1.1 2x0 OK\r\n\r\n"), request.Builder{}, []error{request.ErrConnection, request.ErrTransport}, []error{request.ErrTimeout}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			b := tc.b
			if tc.u != "" {
				b = request.Get(tc.u)
			}
			_, err := b.Do(context.Background())
			for _, w := range tc.want {
				if !errors.Is(err, w) {
					t.Errorf("error %v does not match %v", err, w)
				}
			}
			for _, n := range tc.not {
				if errors.Is(err, n) {
					t.Errorf("error %v matches %v", err, n)
				}
			}
		})
	}
}

// rawServer answers every request on a loopback TCP listener with reply,
// whatever it is, and closes the connection; it returns its URL.
func rawServer(t *testing.T, reply string) string {
	t.Helper()
	return "http://" + loopback(t, func(c net.Conn) {
		if _, err := http.ReadRequest(bufio.NewReader(c)); err == nil {
			_, _ = io.WriteString(c, reply)
		}
	})
}

// TestBrokenTransport: a transport that returns neither a response nor an
// error gives an error, as net/http's Client does, not a panic.
func TestBrokenTransport(t *testing.T) {
	t.Parallel()
	nilNil := roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, nil })
	s := client.New(client.WithTransport(nilNil))
	defer s.Close()
	_, err := s.Get("http://example.test/").Do(context.Background())
	if !errors.Is(err, request.ErrTransport) || !strings.Contains(err.Error(), "nil *http.Response") {
		t.Errorf("Do error = %v, want an ErrTransport about the nil response", err)
	}
	noBody := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 503, Header: http.Header{}, Request: r}, nil
	})
	s2 := client.New(client.WithTransport(noBody)).SetRetry(request.Retry{Attempts: 2})
	defer s2.Close()
	r, err := s2.Get("http://example.test/").Do(context.Background())
	if err != nil || r.StatusCode() != 503 || r.Attempts() != 2 {
		t.Errorf("a response without a Body: %v, %v", r, err)
	}
}

// zeros reads as endless zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestRetryErrors: as urllib3, a connection that could not be made is
// retried whatever the method (nothing was sent), a read timeout after
// sending only for the policy's methods, and a TLS failure never.
func TestRetryErrors(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()
	var hits sync.Map // path -> *atomic.Int64
	count := func(path string) int64 {
		v, _ := hits.LoadOrStore(path, new(atomic.Int64))
		return v.(*atomic.Int64).Load()
	}
	stall := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, _ := hits.LoadOrStore(r.URL.Path, new(atomic.Int64))
		v.(*atomic.Int64).Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	}))
	t.Cleanup(stall.Close)
	tlsSrv := httptest.NewUnstartedServer(http.NotFoundHandler())
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0)
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)

	policy := request.Retry{Attempts: 3}
	tests := map[string]struct {
		method, u string
		read      time.Duration
		wantTries int64
		want      error
	}{
		"refused GET":        {"GET", refused, 0, 3, request.ErrConnection},
		"refused POST":       {"POST", refused, 0, 3, request.ErrConnection},
		"read timeout, GET":  {"GET", stall.URL + "/get", 200 * time.Millisecond, 3, request.ErrReadTimeout},
		"read timeout, POST": {"POST", stall.URL + "/post", 200 * time.Millisecond, 1, request.ErrReadTimeout},
		"TLS failure, GET":   {"GET", tlsSrv.URL, 0, 1, request.ErrTLS},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var tries atomic.Int64
			s := client.New().Use(func(next http.RoundTripper) http.RoundTripper {
				return roundTripFunc(func(r *http.Request) (*http.Response, error) {
					tries.Add(1)
					return next.RoundTrip(r)
				})
			})
			defer s.Close()
			b := s.Request(tc.method, tc.u).Retry(policy).BodyBytes([]byte("body"))
			if tc.read > 0 {
				b = b.ReadTimeout(tc.read)
			}
			_, err := b.Do(context.Background())
			if !errors.Is(err, tc.want) {
				t.Errorf("Do error = %v, want %v", err, tc.want)
			}
			if got := tries.Load(); got != tc.wantTries {
				t.Errorf("%d tries, want %d", got, tc.wantTries)
			}
			if strings.HasPrefix(tc.u, stall.URL) {
				if got := count(strings.TrimPrefix(tc.u, stall.URL)); got != tc.wantTries {
					t.Errorf("the server saw %d requests, want %d", got, tc.wantTries)
				}
			}
		})
	}
}

// TestRetryKeepsWhatAuthDid: a retry sends the URL as the Auth left it (a
// signature in the query), as requests re-sends the prepared request,
// whether or not the URL had userinfo or a fragment to leave off.
func TestRetryKeepsWhatAuthDid(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var queries []string
	fails := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		queries = append(queries, r.URL.RawQuery)
		if fails[r.URL.Path]++; fails[r.URL.Path] == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(srv.Close)
	sign := request.AuthFunc(func(req *http.Request) error {
		q := req.URL.Query()
		q.Set("sig", "abc")
		req.URL.RawQuery = q.Encode()
		return nil
	})
	for name, u := range map[string]string{
		"plain":    srv.URL + "/plain?a=1",
		"userinfo": strings.Replace(srv.URL, "http://", "http://u:p@", 1) + "/userinfo?a=1",
		"fragment": srv.URL + "/fragment?a=1#f",
	} {
		mu.Lock()
		queries = nil
		mu.Unlock()
		r, err := request.Get(u).Auth(sign).Retry(request.Retry{Attempts: 2}).Do(context.Background())
		if err != nil || r.StatusCode() != 200 || r.Attempts() != 2 {
			t.Fatalf("%s: %v %v", name, r, err)
		}
		mu.Lock()
		if diff := cmp.Diff([]string{"a=1&sig=abc", "a=1&sig=abc"}, queries); diff != "" {
			t.Errorf("%s: queries (-want +got):\n%s", name, diff)
		}
		mu.Unlock()
	}
	_, err := request.Get(srv.URL + "/nil").Auth(request.AuthFunc(func(req *http.Request) error { req.URL = nil; return nil })).Do(context.Background())
	if !errors.Is(err, request.ErrAuth) {
		t.Errorf("an Auth that drops the URL: %v, want ErrAuth", err)
	}
}
