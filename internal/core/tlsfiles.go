package core

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// The CA bundles and client certificates that LoadRootsPath and
// LoadClientCert have loaded, by what they were loaded from: loading the
// same files again gives the same *x509.CertPool or *tls.Certificate while
// the files hold the same bytes, and a new one once they change. The
// router keys its TLS variants by these pointers, so calls that name the
// same files share connections (a builder's CABundle or ClientCert loads
// them for every call spawned from a session), and a call never takes a
// connection made with what a file held before. One entry is kept per
// path (the last content seen), never shared with callers to change:
// pools and certificates are only read once loaded.
var loaded sync.Map // string → loadedEntry

type loadedEntry struct {
	sum [sha256.Size]byte
	v   any // *x509.CertPool or *tls.Certificate
}

// cached returns what key's files loaded to when they held the bytes that
// sum, or else what load makes of them, kept for next time.
func cached[T any](key string, sum [sha256.Size]byte, load func() (T, error)) (T, error) {
	if e, ok := loaded.Load(key); ok && e.(loadedEntry).sum == sum {
		return e.(loadedEntry).v.(T), nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	loaded.Store(key, loadedEntry{sum: sum, v: v})
	return v, nil
}

// sumOf hashes byte strings, each with its length, so that no two
// different lists hash alike by running into each other.
func sumOf(parts ...[]byte) [sha256.Size]byte {
	h := sha256.New()
	var n [8]byte
	for _, p := range parts {
		binary.BigEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write(p)
	}
	var out [sha256.Size]byte
	h.Sum(out[:0])
	return out
}

// LoadRootsPath reads the CA certificates at path: a PEM bundle, or a
// directory of PEM files (an OpenSSL hashed directory such as
// /etc/ssl/certs), as requests takes either for verify= and
// REQUESTS_CA_BUNDLE. In a directory, files that hold no certificate are
// skipped; a directory with none at all is an error. While the files hold
// the same bytes, it returns the same pool, which the caller must not
// change.
func LoadRootsPath(path string) (*x509.CertPool, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		pem, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		return cached("roots\x00"+path, sumOf(pem), func() (*x509.CertPool, error) { return LoadRoots(pem, path) })
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, err
	}
	var parts [][]byte // name, content, name, content, ...
	for _, e := range entries {
		file := filepath.Join(path, e.Name())
		if fi, err := os.Stat(file); err != nil || !fi.Mode().IsRegular() {
			continue // a broken link, a subdirectory
		}
		if pem, err := os.ReadFile(file); err == nil {
			parts = append(parts, []byte(e.Name()), pem)
		}
	}
	return cached("roots\x00"+path, sumOf(parts...), func() (*x509.CertPool, error) {
		pool := x509.NewCertPool()
		found := false
		for i := 1; i < len(parts); i += 2 {
			if pool.AppendCertsFromPEM(parts[i]) {
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("no PEM certificate in directory %s", path)
		}
		return pool, nil
	})
}

// LoadRoots reads a PEM bundle of CA certificates, as verify='/path'.
func LoadRoots(pem []byte, path string) (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("no PEM certificate in %s", path)
	}
	return pool, nil
}

// LoadClientCert reads a client certificate and its private key from PEM
// files, as requests' cert= takes them: (certFile, keyFile), or, when
// keyFile is "", certFile alone holding both (cert='client.pem'). A file
// that holds no certificate, or no private key where one is looked for, is
// an error that says so and names the file. While the files hold the same
// bytes, it returns the same certificate, which the caller must not
// change.
func LoadClientCert(certFile, keyFile string) (*tls.Certificate, error) {
	if certFile == "" {
		return nil, errors.New("no certificate file given")
	}
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return nil, err
	}
	keyPEM := certPEM
	if keyFile != "" {
		if keyPEM, err = os.ReadFile(keyFile); err != nil {
			return nil, err
		}
	}
	return cached("cert\x00"+CertFilesID(certFile, keyFile), sumOf(certPEM, keyPEM), func() (*tls.Certificate, error) {
		return clientCert(certFile, keyFile, certPEM, keyPEM)
	})
}

// clientCert is LoadClientCert once the files are read.
func clientCert(certFile, keyFile string, certPEM, keyPEM []byte) (*tls.Certificate, error) {
	if !hasPEM(certPEM, func(typ string) bool { return typ == "CERTIFICATE" }) {
		return nil, fmt.Errorf("no PEM certificate in %s", certFile)
	}
	keyFrom := keyFile
	if keyFile == "" {
		keyFrom = certFile
	}
	if !hasPEM(keyPEM, isPrivateKey) {
		if keyFile == "" {
			return nil, fmt.Errorf("no PEM private key in %s: give the key file too, or put the key in %s", certFile, certFile)
		}
		return nil, fmt.Errorf("no PEM private key in %s", keyFile)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("%s with the key in %s: %w", certFile, keyFrom, err)
	}
	return &cert, nil
}

// isPrivateKey reports whether a PEM block type is one tls.X509KeyPair
// reads as a private key ("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE
// KEY", ...).
func isPrivateKey(typ string) bool {
	return typ == "PRIVATE KEY" || strings.HasSuffix(typ, " PRIVATE KEY")
}

// hasPEM reports whether data holds a PEM block whose type is.
func hasPEM(data []byte, is func(typ string) bool) bool {
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return false
		}
		if is(block.Type) {
			return true
		}
	}
}
