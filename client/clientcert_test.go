package client_test

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/request"
)

// clientCertServer starts a TLS server that requires a client certificate
// signed by the CA of clientCertFiles and answers with its common name.
func clientCertServer(t *testing.T) (srv *httptest.Server, bundle, certFile, keyFile string) {
	t.Helper()
	pool, certFile, keyFile := clientCertFiles(t)
	srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.TLS.PeerCertificates[0].Subject.CommonName)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, certPEM(t, srv), certFile, keyFile
}

// concatFiles writes the files' contents, one after the other, to a new
// file and returns its path.
func concatFiles(t *testing.T, name string, files ...string) string {
	t.Helper()
	var all []byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, data...)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, all, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSetClientCertFiles: the certificate and key come from two files, or
// from one (an empty key file: requests' s.cert = 'client.pem'), in either
// order; a file without what it must hold is an ErrInvalidOption error
// that names the problem.
func TestSetClientCertFiles(t *testing.T) {
	clearCAEnv(t)
	srv, bundle, certFile, keyFile := clientCertServer(t)
	combined := concatFiles(t, "client-and-key.pem", certFile, keyFile)
	keyFirst := concatFiles(t, "key-and-client.pem", keyFile, certFile)
	_, otherCert, otherKey := clientCertFiles(t)
	mismatched := concatFiles(t, "mismatched.pem", certFile, otherKey)
	missing := filepath.Join(t.TempDir(), "missing.pem")
	tests := map[string]struct {
		cert, key string
		wantErr   string // "": the server sees the certificate
	}{
		"two files":                   {cert: certFile, key: keyFile},
		"one file, certificate first": {cert: combined},
		"one file, key first":         {cert: keyFirst},
		"one file given as both":      {cert: combined, key: combined},
		"certificate without key":     {cert: certFile, wantErr: "no PEM private key in " + certFile + ": give the key file too, or put the key in " + certFile},
		"key file without key":        {cert: certFile, key: otherCert, wantErr: "no PEM private key in " + otherCert},
		"key file as certificate":     {cert: keyFile, key: keyFile, wantErr: "no PEM certificate in " + keyFile},
		"key of another certificate":  {cert: certFile, key: otherKey, wantErr: "private key does not match public key"},
		"one file, another's key":     {cert: mismatched, wantErr: "private key does not match public key"},
		"no certificate file":         {wantErr: "no certificate file given"},
		"missing certificate file":    {cert: missing, wantErr: "no such file or directory"},
		"missing key file":            {cert: certFile, key: missing, wantErr: "no such file or directory"},
		"one file, key given apart":   {cert: combined, key: otherKey, wantErr: "private key does not match public key"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := client.New().SetCABundle(bundle).SetClientCert(tc.cert, tc.key)
			defer s.Close()
			r, err := s.Get(srv.URL).Do(context.Background())
			if tc.wantErr != "" {
				if !errors.Is(err, request.ErrInvalidOption) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Do error = %v, want ErrInvalidOption with %q", err, tc.wantErr)
				}
				if diff := cmp.Diff(err.Error(), s.Err().Error()); diff != "" {
					t.Errorf("Err() and Do differ (-Do +Err):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatalf("Do: %v (Err: %v)", err, s.Err())
			}
			if diff := cmp.Diff("tether client", r.Text()); diff != "" {
				t.Errorf("the server saw (-want +got):\n%s", diff)
			}
			gotCert, gotKey := s.ClientCert()
			if diff := cmp.Diff([2]string{tc.cert, tc.key}, [2]string{gotCert, gotKey}); diff != "" {
				t.Errorf("ClientCert() (-want +got):\n%s", diff)
			}
		})
	}
}
