package client_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/jar"
	"github.com/tether-http/tether/request"
)

// counting is a middleware-style transport over a real one: it counts the
// hops it sends and the times it is asked to close idle connections.
type counting struct {
	base   http.RoundTripper
	trips  atomic.Int64
	closes atomic.Int64
}

func (c *counting) RoundTrip(req *http.Request) (*http.Response, error) {
	c.trips.Add(1)
	return c.base.RoundTrip(req)
}

func (c *counting) CloseIdleConnections() {
	c.closes.Add(1)
	if ci, ok := c.base.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

func TestOptions(t *testing.T) {
	t.Parallel()
	tlsSrv := testserver.NewTLS(t)
	pool := x509.NewCertPool()
	pool.AddCert(tlsSrv.Certificate())
	trusting := &tls.Config{RootCAs: pool}

	tests := map[string]struct {
		opts     []client.Option
		wantErr  error // from Session.Err and Do
		wantTLS  bool  // TLSConfig() reports the trusting config
		wantPool int
	}{
		"no options":                   {nil, nil, false, 64},
		"nil option is ignored":        {[]client.Option{nil}, nil, false, 64},
		"TLS":                          {[]client.Option{client.WithTLSConfig(trusting)}, nil, true, 64},
		"TLS after pool size":          {[]client.Option{client.WithPoolSize(8), client.WithTLSConfig(trusting)}, nil, true, 8},
		"TLS before pool size and nil": {[]client.Option{client.WithTLSConfig(trusting), nil, client.WithPoolSize(8)}, nil, true, 8},
		"zero pool size":               {[]client.Option{client.WithPoolSize(0)}, request.ErrInvalidOption, false, 64},
		"negative pool size":           {[]client.Option{client.WithPoolSize(-1)}, request.ErrInvalidOption, false, 64},
		"bad then good pool size":      {[]client.Option{client.WithPoolSize(0), client.WithPoolSize(3)}, nil, false, 3},
		"transport and TLS conflict": {
			[]client.Option{client.WithTransport(&http.Transport{}), client.WithTLSConfig(trusting)},
			request.ErrInvalidOption, false, 0,
		},
		"transport and pool size conflict": {
			[]client.Option{client.WithPoolSize(4), client.WithTransport(&counting{base: &http.Transport{}})},
			request.ErrInvalidOption, false, 0,
		},
		"no protocols":            {[]client.Option{client.WithProtocols(http.Protocols{})}, request.ErrInvalidOption, false, 64},
		"HTTP1 with h2c":          {[]client.Option{client.WithProtocols(*protocolSet(true, false, true))}, request.ErrInvalidOption, false, 64},
		"every protocol":          {[]client.Option{client.WithProtocols(*protocolSet(true, true, true))}, request.ErrInvalidOption, false, 64},
		"bad then good protocols": {[]client.Option{client.WithProtocols(http.Protocols{}), client.WithProtocols(*onlyHTTP1)}, nil, false, 64},
		"good then bad protocols": {[]client.Option{client.WithProtocols(*onlyHTTP1), client.WithProtocols(http.Protocols{})}, request.ErrInvalidOption, false, 64},
		"protocols with TLS":      {[]client.Option{client.WithProtocols(*onlyHTTP1), client.WithTLSConfig(trusting)}, nil, true, 64},
		"transport and protocols conflict": {
			[]client.Option{client.WithProtocols(*onlyHTTP2), client.WithTransport(&http.Transport{})},
			request.ErrInvalidOption, false, 0,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := client.New(tc.opts...)
			defer s.Close()
			if err := s.Err(); !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Fatalf("Err() = %v, want %v", err, tc.wantErr)
			}
			if got := s.TLSConfig(); (got != nil) != tc.wantTLS || (tc.wantTLS && !got.RootCAs.Equal(pool)) {
				t.Errorf("TLSConfig() = %v, want the trusting config: %v", got, tc.wantTLS)
			}
			if got := s.PoolSize(); got != tc.wantPool {
				t.Errorf("PoolSize() = %d, want %d", got, tc.wantPool)
			}
			_, err := s.Get(tlsSrv.URL + "/get").Do(context.Background())
			switch {
			case tc.wantErr != nil:
				if !errors.Is(err, tc.wantErr) {
					t.Errorf("Do error = %v, want %v", err, tc.wantErr)
				}
			case tc.wantTLS:
				if err != nil {
					t.Errorf("Do with the trusting config: %v", err)
				}
			default:
				if !errors.Is(err, request.ErrTransport) {
					t.Errorf("Do without the trusting config: %v, want a certificate error", err)
				}
			}
		})
	}
}

// TestWithTransport: every hop of every call goes through the caller's
// transport, and Close reaches it.
func TestWithTransport(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	base := &http.Transport{}
	rt := &counting{base: base}
	s := client.New(client.WithTransport(rt))
	defer base.CloseIdleConnections()

	for range 2 {
		resp, err := s.Get(srv.URL + "/start?status=302&location=%2Fget").Do(context.Background())
		if err != nil || resp.StatusCode() != http.StatusOK {
			t.Fatalf("Do: %v %v", resp, err)
		}
	}
	if got := rt.trips.Load(); got != 4 {
		t.Errorf("the transport sent %d hops, want 4", got)
	}
	if got := s.TLSConfig(); got != nil {
		t.Errorf("TLSConfig() = %v for a transport that is not an *http.Transport", got)
	}
	_ = s.Close()
	if got := rt.closes.Load(); got != 1 {
		t.Errorf("Close reached the transport %d times, want 1", got)
	}
}

// TestWithTransportSettings: session settings that only say what the
// session's own transport must not do leave a given transport working;
// those that need a transport tether builds (TLS, proxies) are
// ErrInvalidOption errors, from Err when set and from every Do, and
// nothing reaches the server.
func TestWithTransportSettings(t *testing.T) {
	t.Parallel()
	_, certFile, keyFile := clientCertFiles(t)
	get := func(s *client.Session, u string) request.Builder { return s.Get(u + "/get") }
	tests := map[string]struct {
		set     func(s *client.Session, caFile string)
		b       func(s *client.Session, u string) request.Builder
		wantErr error // from Session.Err
		wantDo  error
		plain   bool // an http server, not https
	}{
		"SetTrustEnv(false)":       {set: func(s *client.Session, _ string) { s.SetTrustEnv(false) }, b: get},
		"SetVerify(true)":          {set: func(s *client.Session, _ string) { s.SetVerify(true) }, b: get},
		"SetRootCAs(nil)":          {set: func(s *client.Session, _ string) { s.SetRootCAs(nil) }, b: get},
		"SetProxy empty":           {set: func(s *client.Session, _ string) { s.SetProxy("") }, b: get},
		"Verify(true)":             {set: func(*client.Session, string) {}, b: func(s *client.Session, u string) request.Builder { return get(s, u).Verify(true) }},
		"SetVerify(false)":         {set: func(s *client.Session, _ string) { s.SetVerify(false) }, b: get, wantErr: request.ErrInvalidOption, wantDo: request.ErrInvalidOption},
		"SetVerify(false) undone":  {set: func(s *client.Session, _ string) { s.SetVerify(false).SetVerify(true) }, b: get},
		"SetCABundle":              {set: func(s *client.Session, ca string) { s.SetCABundle(ca) }, b: get, wantErr: request.ErrInvalidOption, wantDo: request.ErrInvalidOption},
		"SetRootCAs":               {set: func(s *client.Session, _ string) { s.SetRootCAs(x509.NewCertPool()) }, b: get, wantErr: request.ErrInvalidOption, wantDo: request.ErrInvalidOption},
		"SetRootCAs undone":        {set: func(s *client.Session, _ string) { s.SetRootCAs(x509.NewCertPool()).SetRootCAs(nil) }, b: get},
		"SetClientCert":            {set: func(s *client.Session, _ string) { s.SetClientCert(certFile, keyFile) }, b: get, wantErr: request.ErrInvalidOption, wantDo: request.ErrInvalidOption},
		"SetProxy":                 {set: func(s *client.Session, _ string) { s.SetProxy("http://127.0.0.1:1") }, b: get, wantErr: request.ErrInvalidOption, wantDo: request.ErrInvalidOption},
		"SetProxies":               {set: func(s *client.Session, _ string) { s.SetProxies(map[string]string{"https": "http://127.0.0.1:1"}) }, b: get, wantErr: request.ErrInvalidOption, wantDo: request.ErrInvalidOption},
		"SetProxy undone":          {set: func(s *client.Session, _ string) { s.SetProxy("http://127.0.0.1:1").SetProxy("") }, b: get},
		"Verify(false)":            {set: func(*client.Session, string) {}, b: func(s *client.Session, u string) request.Builder { return get(s, u).Verify(false) }, wantDo: request.ErrInvalidOption},
		"Proxy":                    {set: func(*client.Session, string) {}, b: func(s *client.Session, u string) request.Builder { return get(s, u).Proxy("http://127.0.0.1:1") }, wantDo: request.ErrInvalidOption},
		"NoProxy":                  {set: func(*client.Session, string) {}, b: func(s *client.Session, u string) request.Builder { return get(s, u).NoProxy() }, wantDo: request.ErrInvalidOption},
		"Verify(false) plain http": {set: func(*client.Session, string) {}, b: func(s *client.Session, u string) request.Builder { return get(s, u).Verify(false) }, wantDo: request.ErrInvalidOption, plain: true},
		"CABundle":                 {set: func(*client.Session, string) {}, b: func(s *client.Session, u string) request.Builder { return get(s, u).CABundle(certFile) }, wantDo: request.ErrInvalidOption},
		"Proxies": {set: func(*client.Session, string) {}, b: func(s *client.Session, u string) request.Builder {
			return get(s, u).Proxies(map[string]string{"no_proxy": "example.com"})
		}, wantDo: request.ErrInvalidOption},
		"Proxies empty": {set: func(*client.Session, string) {}, b: func(s *client.Session, u string) request.Builder { return get(s, u).NoProxy().Proxies(nil) }},
		"ClientCert":    {set: func(*client.Session, string) {}, b: func(s *client.Session, u string) request.Builder { return get(s, u).ClientCert(certFile, keyFile) }, wantDo: request.ErrInvalidOption},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var srv *testserver.Server
			var base *http.Transport
			caFile := ""
			if tc.plain {
				srv, base = testserver.New(t), &http.Transport{}
			} else {
				srv = testserver.NewTLS(t)
				base, caFile = srv.Client().Transport.(*http.Transport), certPEM(t, srv.Server)
			}
			defer base.CloseIdleConnections()
			s := client.New(client.WithTransport(base))
			tc.set(s, caFile)
			if err := s.Err(); !errors.Is(err, tc.wantErr) || tc.wantErr == nil && err != nil {
				t.Errorf("Err() = %v, want %v", err, tc.wantErr)
			}
			checkCall(t, tc.b(s, srv.URL), srv, tc.wantDo)
		})
	}
}

// TestSetCookieErrors: a rejected SetCookie matches the same sentinel as
// the builder's Cookie, a valid SetCookie of that name clears it, and so
// does SetJar, which gives the session a jar the rejected call never saw.
func TestSetCookieErrors(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	tests := map[string]struct {
		after func(*client.Session)
		want  error
	}{
		"kept":                  {func(*client.Session) {}, request.ErrInvalidCookie},
		"another name keeps it": {func(s *client.Session) { s.SetCookie("ok", "1") }, request.ErrInvalidCookie},
		"same name still bad":   {func(s *client.Session) { s.SetCookie("a b", "x") }, request.ErrInvalidCookie},
		"SetJar nil clears":     {func(s *client.Session) { s.SetJar(nil) }, nil},
		"SetJar clears":         {func(s *client.Session) { s.SetJar(jar.New()) }, nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := client.New().SetCookie("a b", "1")
			defer s.Close()
			if err := s.Err(); !errors.Is(err, request.ErrInvalidCookie) || !errors.Is(err, jar.ErrInvalidCookie) {
				t.Fatalf("Err() = %v, want ErrInvalidCookie of both packages", err)
			}
			tc.after(s)
			_, err := s.Get(srv.URL + "/get").Do(context.Background())
			if tc.want == nil && err != nil || !errors.Is(err, tc.want) {
				t.Errorf("Do error = %v, want %v", err, tc.want)
			}
		})
	}
	t.Run("valid value for the name clears", func(t *testing.T) {
		t.Parallel()
		s := client.New().SetCookie("c", "x;y").SetCookie("c", "ok")
		defer s.Close()
		if err := s.Err(); err != nil {
			t.Fatalf("Err() = %v", err)
		}
	})
}

// TestSetCookieAndSetJarConcurrently: SetCookie writes the jar under the
// session's lock, so every cookie set after the last SetJar is in the jar
// the session ends with. Run with -race.
func TestSetCookieAndSetJarConcurrently(t *testing.T) {
	t.Parallel()
	s := client.New()
	defer s.Close()
	var wg sync.WaitGroup
	wg.Go(func() {
		for range 200 {
			s.SetJar(jar.New())
		}
	})
	wg.Go(func() {
		for range 200 {
			s.SetCookie("c", "v")
		}
	})
	wg.Wait()
	s.SetCookie("last", "1")
	got, err := s.Jar().Get("last")
	if err != nil || got != "1" {
		t.Fatalf("Jar().Get(last) = %q, %v", got, err)
	}
	if err := s.Err(); err != nil {
		t.Fatalf("Err() = %v", err)
	}
}

// TestPoolServesManyGoroutines: 32 goroutines sharing one session reuse
// their connections (requests' pool_maxsize): the server sees about one
// connection per goroutine, not one per request.
func TestPoolServesManyGoroutines(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	s := client.New()
	defer s.Close()
	const workers, each = 32, 20
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range each {
				if _, err := s.Get(srv.URL + "/get").Do(context.Background()); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if got := srv.Conns(); got > 2*workers {
		t.Errorf("%d connections for %d requests from %d goroutines, want at most %d", got, workers*each, workers, 2*workers)
	}
	if diff := cmp.Diff(64, s.PoolSize()); diff != "" {
		t.Errorf("PoolSize (-want +got):\n%s", diff)
	}
}

// TestNewGettersShowEveryValue: every setting added for the pipeline and
// the network reads back through its getter, and the zero session's are
// the documented defaults.
func TestNewGettersShowEveryValue(t *testing.T) {
	t.Parallel()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	retry := request.Retry{Attempts: 3, Backoff: time.Second, Statuses: []int{503}, Methods: []string{"POST"}}
	mount := &counting{base: &http.Transport{}}
	s := client.New().
		SetConnectTimeout(2*time.Second).SetReadTimeout(3*time.Second).
		SetRetry(retry).
		OnResponse(func(*request.Response) error { return nil }).
		SetMaxBodySize(1<<20).
		SetLogger(logger).SetTrace(true).
		SetTrustEnv(false).SetVerify(false).
		SetProxies(map[string]string{"https": "http://proxy:3128"}).
		Mount("http://a/", mount).Mount("http://a/b/", mount)
	defer s.Close()
	got := []any{s.ConnectTimeout(), s.ReadTimeout(), s.Retry(), s.Hooks(), s.MaxBodySize(), s.Logger() == logger, s.Trace(), s.TrustEnv(), s.Verify(), s.Proxies(), s.Mounts()}
	want := []any{2 * time.Second, 3 * time.Second, retry, 1, int64(1 << 20), true, true, false, false, map[string]string{"https": "http://proxy:3128"}, []string{"http://a/b/", "http://a/"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("getters (-want +got):\n%s", diff)
	}
	if err := s.Err(); err != nil {
		t.Fatalf("Err() = %v", err)
	}
	// The getters hand out copies.
	r := s.Retry()
	r.Statuses[0] = 500
	s.Proxies()["https"] = "changed"
	if s.Retry().Statuses[0] != 503 || s.Proxies()["https"] != "http://proxy:3128" {
		t.Error("a getter handed out the session's own storage")
	}

	zero := client.New()
	defer zero.Close()
	gotZero := []any{zero.ConnectTimeout(), zero.ReadTimeout(), zero.Retry(), zero.Hooks(), zero.MaxBodySize(), zero.Logger() == nil, zero.Trace(), zero.TrustEnv(), zero.Verify(), zero.Proxies() == nil, zero.Mounts() == nil}
	wantZero := []any{time.Duration(0), time.Duration(0), request.Retry{}, 0, int64(0), true, false, true, true, true, true}
	if diff := cmp.Diff(wantZero, gotZero); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
}

// TestTLSAndMiddlewareGetters: the TLS settings and the middleware read
// back through their getters, as copies, and SetRootCAs shows its pool but
// no bundle path.
func TestTLSAndMiddlewareGetters(t *testing.T) {
	t.Parallel()
	srv := testserver.NewTLS(t)
	caFile := certPEM(t, srv.Server)
	_, certFile, keyFile := clientCertFiles(t)
	mw := func(next http.RoundTripper) http.RoundTripper { return next }
	s := client.New().SetCABundle(caFile).SetClientCert(certFile, keyFile).Use(mw).Use(mw)
	defer s.Close()
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	gotCert, gotKey := s.ClientCert()
	got := []any{s.CABundle(), s.RootCAs() != nil, gotCert, gotKey, s.Middleware()}
	want := []any{caFile, true, certFile, keyFile, 2}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("getters (-want +got):\n%s", diff)
	}
	if first, second := s.RootCAs(), s.RootCAs(); first == second {
		t.Error("RootCAs handed out the session's own pool")
	}
	if resp, err := s.Get(srv.URL + "/get").Do(context.Background()); err != nil || resp.StatusCode() != http.StatusOK {
		t.Errorf("a call trusting the bundle: %v %v", resp, err)
	}

	pool := x509.NewCertPool()
	s.SetRootCAs(pool)
	if s.CABundle() != "" || s.RootCAs() == nil {
		t.Errorf("after SetRootCAs: CABundle %q, RootCAs %v", s.CABundle(), s.RootCAs())
	}

	zero := client.New()
	defer zero.Close()
	zeroCert, zeroKey := zero.ClientCert()
	gotZero := []any{zero.CABundle(), zero.RootCAs() == nil, zeroCert, zeroKey, zero.Middleware()}
	if diff := cmp.Diff([]any{"", true, "", "", 0}, gotZero); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
}
