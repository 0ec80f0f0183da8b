package core

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// selfSigned returns a new self-signed certificate and its key, as PEM.
func selfSigned(t *testing.T, name string) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
}

// TestLoadedFilesShared: loading the same files again gives the same pool
// or certificate (the router's key) while they hold the same bytes, and a
// new one once they change; a failed load is not kept.
func TestLoadedFilesShared(t *testing.T) {
	certA, keyA := selfSigned(t, "a")
	certB, keyB := selfSigned(t, "b")
	write := func(path string, data ...[]byte) {
		t.Helper()
		var all []byte
		for _, d := range data {
			all = append(all, d...)
		}
		if err := os.WriteFile(path, all, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	type load func(t *testing.T, dir string) (any, error)
	roots := func(name string) load {
		return func(_ *testing.T, dir string) (any, error) { return LoadRootsPath(filepath.Join(dir, name)) }
	}
	cert := func(certName, keyName string) load {
		return func(_ *testing.T, dir string) (any, error) {
			k := ""
			if keyName != "" {
				k = filepath.Join(dir, keyName)
			}
			return LoadClientCert(filepath.Join(dir, certName), k)
		}
	}
	tests := map[string]struct {
		setup  func(dir string) // before the first load
		load   load
		change func(dir string) // between the first load and the second
		same   bool             // the second load gives what the first gave
	}{
		"bundle unchanged":   {setup: func(d string) { write(filepath.Join(d, "ca.pem"), certA) }, load: roots("ca.pem"), change: func(string) {}, same: true},
		"bundle rewritten":   {setup: func(d string) { write(filepath.Join(d, "ca.pem"), certA) }, load: roots("ca.pem"), change: func(d string) { write(filepath.Join(d, "ca.pem"), certB) }},
		"bundle, same bytes": {setup: func(d string) { write(filepath.Join(d, "ca.pem"), certA) }, load: roots("ca.pem"), change: func(d string) { write(filepath.Join(d, "ca.pem"), certA) }, same: true},
		"directory unchanged": {setup: func(d string) {
			os.Mkdir(filepath.Join(d, "certs"), 0o700)
			write(filepath.Join(d, "certs", "a.0"), certA)
		}, load: roots("certs"), change: func(string) {}, same: true},
		"directory, a file added": {setup: func(d string) {
			os.Mkdir(filepath.Join(d, "certs"), 0o700)
			write(filepath.Join(d, "certs", "a.0"), certA)
		},
			load: roots("certs"), change: func(d string) { write(filepath.Join(d, "certs", "b.0"), certB) }},
		"directory, a file renamed": {setup: func(d string) {
			os.Mkdir(filepath.Join(d, "certs"), 0o700)
			write(filepath.Join(d, "certs", "a.0"), certA)
		},
			load: roots("certs"), change: func(d string) { os.Rename(filepath.Join(d, "certs", "a.0"), filepath.Join(d, "certs", "c.0")) }},
		"certificate unchanged": {setup: func(d string) { write(filepath.Join(d, "c.pem"), certA); write(filepath.Join(d, "c.key"), keyA) },
			load: cert("c.pem", "c.key"), change: func(string) {}, same: true},
		"certificate rewritten": {setup: func(d string) { write(filepath.Join(d, "c.pem"), certA); write(filepath.Join(d, "c.key"), keyA) },
			load: cert("c.pem", "c.key"), change: func(d string) { write(filepath.Join(d, "c.pem"), certB); write(filepath.Join(d, "c.key"), keyB) }},
		"one file unchanged":               {setup: func(d string) { write(filepath.Join(d, "c.pem"), certA, keyA) }, load: cert("c.pem", ""), change: func(string) {}, same: true},
		"one file rewritten":               {setup: func(d string) { write(filepath.Join(d, "c.pem"), certA, keyA) }, load: cert("c.pem", ""), change: func(d string) { write(filepath.Join(d, "c.pem"), keyB, certB) }},
		"a file fixed after a failed load": {setup: func(d string) { write(filepath.Join(d, "c.pem"), certA) }, load: cert("c.pem", ""), change: func(d string) { write(filepath.Join(d, "c.pem"), certA, keyA) }},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			tc.setup(dir)
			first, err1 := tc.load(t, dir)
			tc.change(dir)
			second, err := tc.load(t, dir)
			if err != nil {
				t.Fatalf("second load: %v", err)
			}
			if err1 != nil {
				return // what matters is that the second load read the files again
			}
			if diff := cmp.Diff(tc.same, first == second); diff != "" {
				t.Errorf("the same value (-want +got):\n%s", diff)
			}
		})
	}
}
