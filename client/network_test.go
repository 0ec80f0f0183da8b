package client_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// clearCAEnv empties the CA bundle variables for a test (this machine sets
// them to the system bundle).
func clearCAEnv(t *testing.T) {
	for _, v := range []string{"REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"} {
		t.Setenv(v, "")
	}
}

func newSession() *client.Session { return client.New() }

// certPEM writes srv's certificate to a PEM file.
func certPEM(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	block := &pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func quietPlain(h http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	return srv
}

func quietTLS(h http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	return srv
}

// TestVerifySettings covers the precedence of TLS settings: a call's
// Verify, then the session's explicit settings, then the environment's CA
// bundle, then the system's roots.
func TestVerifySettings(t *testing.T) {
	clearCAEnv(t)
	srv := quietTLS(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	bundle := certPEM(t, srv)
	otherBundle := otherCA(t) // httptest's servers share one certificate: a CA of its own
	// A directory of PEM files, as OpenSSL's hashed /etc/ssl/certs: the
	// bundle under a hash-like name, a file that is no certificate, a
	// subdirectory and a broken link, which are skipped.
	caDir := t.TempDir()
	pem, err := os.ReadFile(bundle)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"5ad8a5d6.0": pem, "README": []byte("not a certificate")} {
		if err := os.WriteFile(filepath.Join(caDir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(caDir, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(caDir, "gone"), filepath.Join(caDir, "broken.0")); err != nil {
		t.Fatal(err)
	}

	tests := map[string]struct {
		env  string // REQUESTS_CA_BUNDLE
		s    func() *client.Session
		b    func(s *client.Session) request.Builder
		want error // nil: verified and answered
	}{
		"system roots refuse":          {"", newSession, nil, request.ErrTLS},
		"session verify off":           {"", func() *client.Session { return client.New().SetVerify(false) }, nil, nil},
		"call verify off":              {"", newSession, func(s *client.Session) request.Builder { return s.Get(srv.URL).Verify(false) }, nil},
		"call verify on beats session": {"", func() *client.Session { return client.New().SetVerify(false) }, func(s *client.Session) request.Builder { return s.Get(srv.URL).Verify(true) }, request.ErrTLS},
		"session CA bundle":            {"", func() *client.Session { return client.New().SetCABundle(bundle) }, nil, nil},
		"session root pool": {"", func() *client.Session {
			return client.New().SetRootCAs(srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs)
		}, nil, nil},
		"env bundle":                {bundle, newSession, nil, nil},
		"session bundle beats env":  {bundle, func() *client.Session { return client.New().SetCABundle(otherBundle) }, nil, request.ErrTLS},
		"trust_env off ignores env": {bundle, func() *client.Session { return client.New().SetTrustEnv(false) }, nil, request.ErrTLS},
		"call verify off beats all": {otherBundle, func() *client.Session { return client.New().SetCABundle(otherBundle) }, func(s *client.Session) request.Builder { return s.Get(srv.URL).Verify(false) }, nil},
		"env bundle missing":        {filepath.Join(t.TempDir(), "nope.pem"), newSession, nil, request.ErrTLS},
		// requests takes a directory for verify= and REQUESTS_CA_BUNDLE.
		"session CA directory": {"", func() *client.Session { return client.New().SetCABundle(caDir) }, nil, nil},
		"env CA directory":     {caDir, newSession, nil, nil},
		// requests' verify=True on a call drops the session's bundle for
		// certifi's (a README difference): Verify says whether, not which.
		"call verify on keeps the session bundle": {"", func() *client.Session { return client.New().SetCABundle(bundle) }, func(s *client.Session) request.Builder { return s.Get(srv.URL).Verify(true) }, nil},
		// s.verify is one attribute in requests: a path set after False
		// verifies again, and False after a path turns it off.
		"bundle after verify off verifies": {"", func() *client.Session { return client.New().SetVerify(false).SetCABundle(otherBundle) }, nil, request.ErrTLS},
		"verify off after bundle":          {"", func() *client.Session { return client.New().SetCABundle(otherBundle).SetVerify(false) }, nil, nil},
		"env empty directory":              {t.TempDir(), newSession, nil, request.ErrTLS},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Setenv("REQUESTS_CA_BUNDLE", tc.env)
			s := tc.s()
			defer s.Close()
			b := s.Get(srv.URL)
			if tc.b != nil {
				b = tc.b(s)
			}
			r, err := b.Do(context.Background())
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("Do = %v, %v; want %v", r, err, tc.want)
			}
		})
	}
	for name, path := range map[string]string{"missing file": filepath.Join(t.TempDir(), "missing.pem"), "empty directory": t.TempDir()} {
		t.Run(name+" is a setter error", func(t *testing.T) {
			s := client.New().SetCABundle(path)
			defer s.Close()
			if !errors.Is(s.Err(), request.ErrInvalidOption) {
				t.Errorf("Err() = %v", s.Err())
			}
		})
	}
}

// TestHTTP2: HTTP/2 over TLS with tether's own TLS settings; after a first
// call, 100 concurrent calls share its one connection.
func TestHTTP2(t *testing.T) {
	clearCAEnv(t)
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.Proto)
	}))
	srv.EnableHTTP2 = true
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	srv.StartTLS()
	defer srv.Close()
	s := client.New().SetCABundle(certPEM(t, srv))
	defer s.Close()
	r, err := s.Get(srv.URL).Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r.Proto() != "HTTP/2.0" || r.Text() != "HTTP/2.0" {
		t.Fatalf("Proto %q, server saw %q", r.Proto(), r.Text())
	}
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			if _, err := s.Get(srv.URL).Do(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := conns.Load(); got != 1 {
		t.Errorf("%d connections, want 1", got)
	}

	// HTTP/2 whatever sets the trust.
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	bundle := certPEM(t, srv)
	closing := func(s *client.Session) *client.Session {
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
	for name, b := range map[string]func() request.Builder{
		"SetRootCAs":    func() request.Builder { return closing(client.New().SetRootCAs(pool)).Get(srv.URL) },
		"SetVerify off": func() request.Builder { return closing(client.New().SetVerify(false)).Get(srv.URL) },
		"call Verify":   func() request.Builder { return closing(client.New()).Get(srv.URL).Verify(false) },
		"WithTLSConfig": func() request.Builder {
			return closing(client.New(client.WithTLSConfig(&tls.Config{RootCAs: pool}))).Get(srv.URL)
		},
		"environment bundle": func() request.Builder {
			t.Setenv("REQUESTS_CA_BUNDLE", bundle)
			return closing(client.New()).Get(srv.URL)
		},
	} {
		r, err := b().Do(context.Background())
		if err != nil || r.Proto() != "HTTP/2.0" {
			t.Errorf("%s: %v, %v", name, r, err)
		}
	}
}

// otherCA writes a new self-signed CA certificate, which signed nothing
// the test servers present, as a PEM file.
func otherCA(t *testing.T) string {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "unrelated CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "other-ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// clientCertFiles makes a CA, a client certificate it signed, and writes
// the certificate and key as PEM files.
func clientCertFiles(t *testing.T) (pool *x509.CertPool, certFile, keyFile string) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "tether test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "tether client"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, KeyUsage: x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "client.pem"), filepath.Join(dir, "client.key")
	keyDER, _ := x509.MarshalECPrivateKey(key)
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	pool = x509.NewCertPool()
	pool.AddCert(ca)
	return pool, certFile, keyFile
}

func TestClientCert(t *testing.T) {
	clearCAEnv(t)
	pool, certFile, keyFile := clientCertFiles(t)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.TLS.PeerCertificates[0].Subject.CommonName)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool}
	srv.StartTLS()
	defer srv.Close()
	bundle := certPEM(t, srv)

	s := client.New().SetCABundle(bundle).SetClientCert(certFile, keyFile)
	defer s.Close()
	r, err := s.Get(srv.URL).Do(context.Background())
	if err != nil || r.Text() != "tether client" {
		t.Fatalf("with the certificate: %v %v", r, err)
	}
	plain := client.New().SetCABundle(bundle)
	defer plain.Close()
	if _, err := plain.Get(srv.URL).Do(context.Background()); !errors.Is(err, request.ErrTransport) {
		t.Errorf("without the certificate: %v", err)
	}
	bad := client.New().SetClientCert(keyFile, certFile)
	defer bad.Close()
	if !errors.Is(bad.Err(), request.ErrInvalidOption) {
		t.Errorf("swapped files: %v", bad.Err())
	}
}

// TestMount: the longest prefix wins; cookies, auth and redirects still
// apply through a mounted transport (here an http.Handler served in
// process, as requests-mock does).
func TestMount(t *testing.T) {
	t.Parallel()
	var seen []string
	var mu sync.Mutex
	handler := func(name string) http.RoundTripper {
		return roundTripFunc(func(req *http.Request) (*http.Response, error) {
			mu.Lock()
			seen = append(seen, name+" "+req.URL.Path+" "+req.Header.Get("Cookie")+" "+req.Header.Get("Authorization"))
			mu.Unlock()
			rec := httptest.NewRecorder()
			if strings.HasSuffix(req.URL.Path, "/old") {
				http.Redirect(rec, req, "/new", http.StatusFound)
			} else {
				http.SetCookie(rec, &http.Cookie{Name: "m", Value: name})
				io.WriteString(rec, name)
			}
			return rec.Result(), nil
		})
	}
	s := client.New().
		Mount("http://mock/", handler("short")).
		Mount("http://mock/api/", handler("long")).
		SetBearerToken("tok")
	defer s.Close()
	ctx := context.Background()
	r, err := s.Get("http://mock/api/old").Do(ctx)
	if err != nil || r.Text() != "short" || len(r.History()) != 1 {
		t.Fatalf("%v %v", r, err)
	}
	if _, err := s.Get("http://MOCK/other").Do(ctx); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"long /api/old  Bearer tok",
		"short /new  Bearer tok",
		"short /other m=short Bearer tok",
	}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("seen (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"http://mock/api/", "http://mock/"}, s.Mounts()); diff != "" {
		t.Errorf("Mounts (-want +got):\n%s", diff)
	}
}

// TestLoggerRedacts: one Debug record per hop, and no credential value
// reaches the log.
func TestLoggerRedacts(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/start" {
			http.SetCookie(w, &http.Cookie{Name: "srv", Value: "SERVER-COOKIE-SECRET"})
			http.Redirect(w, r, "/end", http.StatusFound)
		}
	}))
	defer srv.Close()
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := client.New().SetLogger(logger).SetCookie("sess", "SESSION-COOKIE-SECRET").SetBasicAuth("user", "PASSWORD-SECRET")
	defer s.Close()
	u := strings.Replace(srv.URL, "http://", "http://urluser:URL-PASSWORD-SECRET@", 1)
	if _, err := s.Get(u+"/start").Header("Proxy-Authorization", "Basic PROXY-SECRET").Do(context.Background()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, secret := range []string{"SERVER-COOKIE-SECRET", "SESSION-COOKIE-SECRET", "PASSWORD-SECRET", "URL-PASSWORD-SECRET", "PROXY-SECRET", "urluser", "dXNlcjpQQVNTV09SRC1TRUNSRVQ="} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %q:\n%s", secret, out)
		}
	}
	if n := strings.Count(out, `"msg":"tether: hop"`); n != 2 {
		t.Errorf("%d records, want 2:\n%s", n, out)
	}
	for _, want := range []string{`"status":302`, `"status":200`, `"attempt":1`, `"reused":true`, `"[redacted]"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the log lacks %s:\n%s", want, out)
		}
	}
}

func TestTimings(t *testing.T) {
	clearCAEnv(t)
	srv := quietTLS(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	s := client.New().SetVerify(false)
	defer s.Close()
	first, err := s.Get(srv.URL).Trace().Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.Get(srv.URL).Trace().Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	a, b := first.Timings(), second.Timings()
	if a.Reused || a.Connect <= 0 || a.TLS <= 0 || a.FirstByte <= 0 || a.Total < a.FirstByte {
		t.Errorf("first call: %+v", a)
	}
	if !b.Reused || b.Connect != 0 || b.TLS != 0 || b.DNS != 0 || b.Total <= 0 {
		t.Errorf("second call (reused): %+v", b)
	}
	plain := client.New().SetVerify(false)
	defer plain.Close()
	r, err := plain.Get(srv.URL).Do(context.Background())
	if err != nil || r.Timings() != (request.Timings{}) {
		t.Errorf("untraced call: %+v, %v", r.Timings(), err)
	}
}

// TestPrepare: the first hop exactly as Do would send it.
func TestPrepare(t *testing.T) {
	t.Parallel()
	s := client.New().SetBaseURL("http://example.test/api").SetParam("s", "1").SetBasicAuth("u", "p").SetCookie("c", "v")
	defer s.Close()
	req, err := s.Post("items").Param("m", "a b").Header("X-M", "1").JSON(map[string]int{"n": 1}).Prepare(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := []string{req.Method, req.URL.String(), req.Header.Get("Authorization"), req.Header.Get("Cookie"), req.Header.Get("X-M"), req.Header.Get("Content-Type")}
	want := []string{"POST", "http://example.test/api/items?s=1&m=a+b", "Basic dTpw", "c=v", "1", "application/json"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("prepared (-want +got):\n%s", diff)
	}
	body, _ := io.ReadAll(req.Body)
	if string(body) != `{"n":1}` || req.ContentLength != 7 {
		t.Errorf("body %q, length %d", body, req.ContentLength)
	}
}

// TestTimingsConnection: Timings name the connection that carried the
// hop: the address it was made to (the server's listener, or the proxy's),
// and, for a connection the pool gave again, that it was idle and for how
// long. Two calls in a row: the first dials, the second reuses the idle
// connection.
func TestTimingsConnection(t *testing.T) {
	clearCAEnv(t)
	clearProxyEnv(t)
	type hop struct {
		Proto       string
		Reused      bool
		WasIdle     bool
		IdleTimeSet bool
		RemoteAddr  string
	}
	tests := []struct {
		name  string
		start func(t *testing.T) (s *client.Session, url, addr string)
		proto string
	}{
		{
			name: "HTTP/1.1",
			start: func(t *testing.T) (*client.Session, string, string) {
				srv := testserver.New(t)
				return client.New(), srv.URL, srv.Listener.Addr().String()
			},
			proto: "HTTP/1.1",
		},
		{
			name: "HTTPS",
			start: func(t *testing.T) (*client.Session, string, string) {
				srv := testserver.NewTLS(t)
				return client.New().SetVerify(false), srv.URL, srv.Listener.Addr().String()
			},
			proto: "HTTP/1.1",
		},
		{
			name: "HTTP/2",
			start: func(t *testing.T) (*client.Session, string, string) {
				srv := testserver.NewHTTP2(t)
				return client.New().SetVerify(false), srv.URL, srv.Listener.Addr().String()
			},
			proto: "HTTP/2.0",
		},
		{
			name: "IPv6 loopback",
			start: func(t *testing.T) (*client.Session, string, string) {
				srv, err := testserver.NewIPv6(t)
				if err != nil {
					t.Skip("no IPv6 loopback:", err)
				}
				return client.New(), srv.URL, srv.Listener.Addr().String()
			},
			proto: "HTTP/1.1",
		},
		{
			name: "through a proxy: the proxy's address",
			start: func(t *testing.T) (*client.Session, string, string) {
				srv, proxy := testserver.New(t), testserver.NewProxy(t)
				return client.New().SetProxy(proxy.URL), srv.URL, proxy.Listener.Addr().String()
			},
			proto: "HTTP/1.1",
		},
		{
			name: "a Unix socket: its path",
			start: func(t *testing.T) (*client.Session, string, string) {
				_, path := testserver.NewUnix(t)
				dial := func(ctx context.Context, _, _ string) (net.Conn, error) {
					return (&net.Dialer{}).DialContext(ctx, "unix", path)
				}
				return client.New(client.WithDialContext(dial)), "http://unix.test", path
			},
			proto: "HTTP/1.1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, url, addr := tt.start(t)
			defer s.Close()
			s.SetTrace(true)
			var got []hop
			for range 2 {
				r, err := s.Get(url + "/get").Do(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				tm := r.Timings()
				got = append(got, hop{r.Proto(), tm.Reused, tm.WasIdle, tm.IdleTime > 0, tm.RemoteAddr})
			}
			want := []hop{
				{Proto: tt.proto, RemoteAddr: addr},
				{Proto: tt.proto, Reused: true, WasIdle: true, IdleTimeSet: true, RemoteAddr: addr},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("hops (-want +got):\n%s", diff)
			}
		})
	}
}
