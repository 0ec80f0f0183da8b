package client_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// tlsSession returns a session that trusts srv's certificate.
func tlsSession(t *testing.T, srv *testserver.Server) *client.Session {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	cfg := &tls.Config{RootCAs: pool}
	s := client.New(client.WithTLSConfig(cfg))
	t.Cleanup(func() { _ = s.Close() })
	if got := s.TLSConfig(); got == nil || got == cfg || !got.RootCAs.Equal(pool) {
		t.Fatalf("TLSConfig() = %p, want a clone of %p with the same roots", got, cfg)
	}
	return s
}

func TestTLS(t *testing.T) {
	t.Parallel()
	srv := testserver.NewTLS(t)

	t.Run("untrusted certificate is a transport error", func(t *testing.T) {
		s := client.New()
		defer s.Close()
		_, err := s.Get(srv.URL + "/get").Do(context.Background())
		if !errors.Is(err, request.ErrTransport) || !strings.Contains(err.Error(), "certificate") {
			t.Fatalf("Do error = %v, want a certificate ErrTransport", err)
		}
	})

	t.Run("Secure cookie goes back over https only", func(t *testing.T) {
		s := tlsSession(t, srv)
		if _, err := s.Get(srv.URL + "/p?set-cookie=s%3D1%3B%20Secure%3B%20Path%3D%2F").Do(context.Background()); err != nil {
			t.Fatal(err)
		}
		r, err := s.Get(srv.URL + "/get").Do(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff("s=1", r.Request().Header.Get("Cookie")); diff != "" {
			t.Errorf("https Cookie (-want +got):\n%s", diff)
		}
		plain := testserver.New(t)
		r, err = s.Get(plain.URL + "/get").Do(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Request().Header.Get("Cookie"); got != "" {
			t.Errorf("http request sent Cookie %q, want none", got)
		}
	})
}
