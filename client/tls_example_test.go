package client_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
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
	"github.com/tether-http/tether/request"
)

// writePEM writes der as a PEM block of the given type to dir/name.
func writePEM(dir, name, typ string, der []byte) string {
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		log.Fatal(err)
	}
	return path
}

// SetCABundle trusts the CA certificates of a PEM file, as requests'
// s.verify = '/path/ca.pem'.
func ExampleSession_SetCABundle() {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "trusted")
	}))
	defer srv.Close()
	dir, err := os.MkdirTemp("", "tether")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	bundle := writePEM(dir, "ca.pem", "CERTIFICATE", srv.Certificate().Raw)

	s := client.New().SetCABundle(bundle)
	defer s.Close()
	r, err := s.Get(srv.URL).Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Text())
	// Output:
	// trusted
}

// SetRootCAs trusts the CA certificates of a pool already built.
func ExampleSession_SetRootCAs() {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.Proto)
	}))
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())

	s := client.New().SetRootCAs(pool)
	defer s.Close()
	r, err := s.Get(srv.URL).Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Text())
	// Output:
	// HTTP/1.1
}

// SetClientCert presents a client certificate, as requests' s.cert =
// (cert, key), to a server that requires one.
func ExampleSession_SetClientCert() {
	dir, err := os.MkdirTemp("", "tether")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	// A CA and a client certificate it signed.
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "example CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, _ := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	ca, _ = x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "example client"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	leafDER, _ := x509.CreateCertificate(rand.Reader, leaf, ca, &key.PublicKey, caKey)
	keyDER, _ := x509.MarshalECPrivateKey(key)
	certFile := writePEM(dir, "client.pem", "CERTIFICATE", leafDER)
	keyFile := writePEM(dir, "client.key", "EC PRIVATE KEY", keyDER)

	clients := x509.NewCertPool()
	clients.AddCert(ca)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello, "+r.TLS.PeerCertificates[0].Subject.CommonName)
	}))
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: clients}
	srv.StartTLS()
	defer srv.Close()

	s := client.New().SetVerify(false).SetClientCert(certFile, keyFile)
	defer s.Close()
	r, err := s.Get(srv.URL).Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Text())
	// Output:
	// hello, example client
}

// SetClientCert with no key file reads the key from the certificate's own
// file, as requests' s.cert = 'client.pem'. A file without a key is an
// ErrInvalidOption error.
func ExampleSession_SetClientCert_oneFile() {
	dir, err := os.MkdirTemp("", "tether")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	certFile, keyFile := clientCertPair(dir)
	cert, _ := os.ReadFile(certFile)
	key, _ := os.ReadFile(keyFile)
	both := filepath.Join(dir, "client-and-key.pem")
	if err := os.WriteFile(both, append(cert, key...), 0o600); err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello, "+r.TLS.PeerCertificates[0].Subject.CommonName)
	}))
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAnyClientCert}
	srv.StartTLS()
	defer srv.Close()

	s := client.New().SetVerify(false).SetClientCert(both, "")
	defer s.Close()
	r, err := s.Get(srv.URL).Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Text())

	noKey := client.New().SetClientCert(certFile, "")
	defer noKey.Close()
	fmt.Println(errors.Is(noKey.Err(), request.ErrInvalidOption))
	// Output:
	// hello, example client
	// true
}
