package client_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"log"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/tether-http/tether/client"
)

// clientCertPair writes a self-signed client certificate and its key to
// dir and returns their paths.
func clientCertPair(dir string) (certFile, keyFile string) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "example client"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		log.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		log.Fatal(err)
	}
	return writePEM(dir, "client.pem", "CERTIFICATE", der), writePEM(dir, "client.key", "EC PRIVATE KEY", keyDER)
}

// CABundle returns the bundle set with SetCABundle. requests:
//
//	print(s.verify)  # '/path/ca.pem'
func ExampleSession_CABundle() {
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	dir, err := os.MkdirTemp("", "tether")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	bundle := writePEM(dir, "ca.pem", "CERTIFICATE", srv.Certificate().Raw)

	s := client.New()
	defer s.Close()
	fmt.Printf("%q\n", s.CABundle())
	fmt.Println(filepath.Base(s.SetCABundle(bundle).CABundle()))
	// Output:
	// ""
	// ca.pem
}

// RootCAs returns a copy of the CA certificates the session trusts
// instead of the system's, from SetRootCAs or SetCABundle.
func ExampleSession_RootCAs() {
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())

	s := client.New()
	defer s.Close()
	fmt.Println(s.RootCAs() == nil) // the system's roots
	fmt.Println(s.SetRootCAs(pool).RootCAs().Equal(pool))
	// Output:
	// true
	// true
}

// ClientCert returns the files set with SetClientCert. requests:
//
//	print(s.cert)  # ('/path/client.pem', '/path/client.key')
func ExampleSession_ClientCert() {
	dir, err := os.MkdirTemp("", "tether")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	certFile, keyFile := clientCertPair(dir)

	s := client.New().SetClientCert(certFile, keyFile)
	defer s.Close()
	cert, key := s.ClientCert()
	fmt.Println(filepath.Base(cert), filepath.Base(key), s.Err())
	// Output:
	// client.pem client.key <nil>
}

// WithTLSConfig builds the session's connections with a TLS configuration
// of the caller's: here a private CA and TLS 1.3 at least.
func ExampleWithTLSConfig() {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, tls.VersionName(r.TLS.Version))
	}))
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())

	s := client.New(client.WithTLSConfig(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS13}))
	defer s.Close()
	r, err := s.Get(srv.URL).Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Text())
	// Output:
	// TLS 1.3
}

// TLSConfig returns a clone of the TLS configuration the session's
// connections are made with.
func ExampleSession_TLSConfig() {
	s := client.New(client.WithTLSConfig(&tls.Config{MinVersion: tls.VersionTLS13}))
	defer s.Close()
	fmt.Println(tls.VersionName(s.TLSConfig().MinVersion))
	// Output:
	// TLS 1.3
}
