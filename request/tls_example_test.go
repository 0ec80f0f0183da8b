package request_test

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

// clientCertFiles writes a self-signed client certificate and its key to
// dir and returns their paths.
func clientCertFiles(dir string) (certFile, keyFile string) {
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

// CABundle trusts the CA certificates of a PEM file for one call. requests:
//
//	requests.get('https://internal.test/', verify='/path/ca.pem')
func ExampleBuilder_CABundle() {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "trusted")
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is logged otherwise
	srv.StartTLS()
	defer srv.Close()
	dir, err := os.MkdirTemp("", "tether")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	bundle := writePEM(dir, "ca.pem", "CERTIFICATE", srv.Certificate().Raw)

	_, err = request.Get(srv.URL).Do(context.Background())
	fmt.Println(errors.Is(err, request.ErrTLS))
	r, err := request.Get(srv.URL).CABundle(bundle).Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Text())
	_, err = request.Get(srv.URL).CABundle(filepath.Join(dir, "missing.pem")).Do(context.Background())
	fmt.Println(errors.Is(err, request.ErrInvalidOption))
	// Output:
	// true
	// trusted
	// true
}

// ClientCert presents a client certificate in one call. requests:
//
//	requests.get(url, verify='/path/ca.pem', cert=('client.pem', 'client.key'))
func ExampleBuilder_ClientCert() {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello, "+r.TLS.PeerCertificates[0].Subject.CommonName)
	}))
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAnyClientCert}
	srv.StartTLS()
	defer srv.Close()
	dir, err := os.MkdirTemp("", "tether")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	bundle := writePEM(dir, "ca.pem", "CERTIFICATE", srv.Certificate().Raw)
	certFile, keyFile := clientCertFiles(dir)

	r, err := request.Get(srv.URL).CABundle(bundle).ClientCert(certFile, keyFile).Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Text())
	// Output:
	// hello, example client
}
