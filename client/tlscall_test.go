package client_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/request"
)

// certServer is a TLS server that asks for a client certificate signed by
// clients and does not require one. It answers with the certificate's
// common name ("none" without one), and counts the connections it accepts.
type certServer struct {
	*httptest.Server
	conns atomic.Int64
}

func newCertServer(t *testing.T, clients *x509.CertPool) *certServer {
	t.Helper()
	s := &certServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := "none"
		if len(r.TLS.PeerCertificates) > 0 {
			name = r.TLS.PeerCertificates[0].Subject.CommonName
		}
		io.WriteString(w, name)
	}))
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.TLS = &tls.Config{ClientAuth: tls.VerifyClientCertIfGiven, ClientCAs: clients}
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}

// TestCallTLS: a call's CABundle and ClientCert (requests' verify='/path'
// and cert= on a call) beat the session's settings and the environment for
// that call only, on a session and without one.
func TestCallTLS(t *testing.T) {
	clearCAEnv(t)
	pool, certFile, keyFile := clientCertFiles(t)
	srv := newCertServer(t, pool)
	bundle := certPEM(t, srv.Server)
	other := otherCA(t)
	caDir := t.TempDir()
	if err := os.Link(bundle, filepath.Join(caDir, "5ad8a5d6.0")); err != nil {
		t.Fatal(err)
	}
	combined := concatFiles(t, "client-and-key.pem", certFile, keyFile)
	// A second client certificate, from a CA the server does not trust: a
	// handshake that presents it fails.
	_, otherCert, otherKey := clientCertFiles(t)
	newSession := func(set func(*client.Session)) func() *client.Session {
		return func() *client.Session {
			s := client.New()
			if set != nil {
				set(s)
			}
			return s
		}
	}
	tests := map[string]struct {
		env     string // REQUESTS_CA_BUNDLE
		session func() *client.Session
		b       func(b request.Builder) request.Builder
		want    string // the server's answer
		wantErr error
	}{
		"call bundle":                          {session: newSession(nil), b: func(b request.Builder) request.Builder { return b.CABundle(bundle) }, want: "none"},
		"call bundle, a directory":             {session: newSession(nil), b: func(b request.Builder) request.Builder { return b.CABundle(caDir) }, want: "none"},
		"call bundle beats the session's":      {session: newSession(func(s *client.Session) { s.SetCABundle(other) }), b: func(b request.Builder) request.Builder { return b.CABundle(bundle) }, want: "none"},
		"call bundle beats the session's pool": {session: newSession(func(s *client.Session) { s.SetRootCAs(x509.NewCertPool()) }), b: func(b request.Builder) request.Builder { return b.CABundle(bundle) }, want: "none"},
		"call bundle beats WithTLSConfig": {session: func() *client.Session {
			return client.New(client.WithTLSConfig(&tls.Config{RootCAs: x509.NewCertPool()}))
		}, b: func(b request.Builder) request.Builder { return b.CABundle(bundle) }, want: "none"},
		"call bundle beats the environment":    {env: other, session: newSession(nil), b: func(b request.Builder) request.Builder { return b.CABundle(bundle) }, want: "none"},
		"call bundle is the call's only":       {session: newSession(func(s *client.Session) { s.SetCABundle(bundle) }), b: func(b request.Builder) request.Builder { return b.CABundle(other) }, wantErr: request.ErrTLS},
		"call bundle verifies over SetVerify":  {session: newSession(func(s *client.Session) { s.SetVerify(false) }), b: func(b request.Builder) request.Builder { return b.CABundle(other) }, wantErr: request.ErrTLS},
		"Verify(false) after the bundle":       {session: newSession(nil), b: func(b request.Builder) request.Builder { return b.CABundle(other).Verify(false) }, want: "none"},
		"the bundle after Verify(false)":       {session: newSession(nil), b: func(b request.Builder) request.Builder { return b.Verify(false).CABundle(other) }, wantErr: request.ErrTLS},
		"session bundle without a call bundle": {session: newSession(func(s *client.Session) { s.SetCABundle(bundle) }), b: func(b request.Builder) request.Builder { return b }, want: "none"},
		"call certificate": {session: newSession(func(s *client.Session) { s.SetCABundle(bundle) }),
			b: func(b request.Builder) request.Builder { return b.ClientCert(certFile, keyFile) }, want: "tether client"},
		"call certificate, one file": {session: newSession(func(s *client.Session) { s.SetCABundle(bundle) }),
			b: func(b request.Builder) request.Builder { return b.ClientCert(combined, "") }, want: "tether client"},
		"call certificate and bundle": {session: newSession(nil),
			b: func(b request.Builder) request.Builder { return b.CABundle(bundle).ClientCert(certFile, keyFile) }, want: "tether client"},
		"call certificate beats the session's": {session: newSession(func(s *client.Session) { s.SetCABundle(bundle).SetClientCert(otherCert, otherKey) }),
			b: func(b request.Builder) request.Builder { return b.ClientCert(certFile, keyFile) }, want: "tether client"},
		"session certificate the server refuses": {session: newSession(func(s *client.Session) { s.SetCABundle(bundle).SetClientCert(otherCert, otherKey) }),
			b: func(b request.Builder) request.Builder { return b }, wantErr: request.ErrTLS},
		"session certificate without a call certificate": {session: newSession(func(s *client.Session) { s.SetCABundle(bundle).SetClientCert(certFile, keyFile) }),
			b: func(b request.Builder) request.Builder { return b.CABundle(bundle) }, want: "tether client"},
		"no session: call bundle": {b: func(b request.Builder) request.Builder { return b.CABundle(bundle) }, want: "none"},
		"no session: call certificate and bundle": {
			b: func(b request.Builder) request.Builder { return b.ClientCert(combined, "").CABundle(bundle) }, want: "tether client"},
		"no session: no bundle": {b: func(b request.Builder) request.Builder { return b }, wantErr: request.ErrTLS},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Setenv("REQUESTS_CA_BUNDLE", tc.env)
			b := request.Get(srv.URL)
			if tc.session != nil {
				s := tc.session()
				defer s.Close()
				if err := s.Err(); err != nil {
					t.Fatal(err)
				}
				b = s.Get(srv.URL)
			}
			r, err := tc.b(b).Do(context.Background())
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("Do = %v, %v; want %v", r, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, r.Text()); diff != "" {
				t.Errorf("the server saw (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCallTLSErrors: a call's CABundle or ClientCert that cannot be loaded
// is an ErrInvalidOption error that says why, from Do, and nothing is sent
// (over http too: the setting is broken, whatever the URL).
func TestCallTLSErrors(t *testing.T) {
	clearCAEnv(t)
	_, certFile, keyFile := clientCertFiles(t)
	var hits atomic.Int64
	srv := quietPlain(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	missing := filepath.Join(t.TempDir(), "missing.pem")
	s := client.New()
	defer s.Close()
	tests := map[string]struct {
		b       func(b request.Builder) request.Builder
		wantMsg string
	}{
		"bundle missing": {func(b request.Builder) request.Builder { return b.CABundle(missing) }, "CA bundle: stat " + missing},
		// requests' verify='' turns verification off (a README
		// difference): an empty path is refused.
		"bundle path empty":       {func(b request.Builder) request.Builder { return b.CABundle("") }, "CA bundle: stat : no such file"},
		"bundle without a cert":   {func(b request.Builder) request.Builder { return b.CABundle(keyFile) }, "CA bundle: no PEM certificate in " + keyFile},
		"bundle, empty directory": {func(b request.Builder) request.Builder { return b.CABundle(filepath.Dir(missing)) }, "CA bundle: no PEM certificate in directory"},
		"certificate without key": {func(b request.Builder) request.Builder { return b.ClientCert(certFile, "") }, "client certificate: no PEM private key in " + certFile},
		"certificate file empty":  {func(b request.Builder) request.Builder { return b.ClientCert("", keyFile) }, "client certificate: no certificate file given"},
		"key missing":             {func(b request.Builder) request.Builder { return b.ClientCert(certFile, missing) }, "client certificate: open " + missing},
		"files swapped":           {func(b request.Builder) request.Builder { return b.ClientCert(keyFile, certFile) }, "client certificate: no PEM certificate in " + keyFile},
	}
	for name, tc := range tests {
		for _, where := range []string{"session", "no session"} {
			t.Run(name+", "+where, func(t *testing.T) {
				b := s.Get(srv.URL)
				if where == "no session" {
					b = request.Get(srv.URL)
				}
				before := hits.Load()
				_, err := tc.b(b).Do(context.Background())
				if !errors.Is(err, request.ErrInvalidOption) || !strings.Contains(err.Error(), tc.wantMsg) {
					t.Errorf("Do error = %v, want ErrInvalidOption with %q", err, tc.wantMsg)
				}
				if got := hits.Load() - before; got != 0 {
					t.Errorf("%d requests were sent", got)
				}
			})
		}
	}
}
