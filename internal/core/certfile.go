package core

import (
	"crypto/tls"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
)

// LoadClientCert reads a client certificate and its private key from PEM
// files, as requests' cert= takes them: (certFile, keyFile), or, when
// keyFile is "", certFile alone holding both (cert='client.pem'). A file
// that holds no certificate, or no private key where one is looked for, is
// an error that says so and names the file.
func LoadClientCert(certFile, keyFile string) (tls.Certificate, error) {
	if certFile == "" {
		return tls.Certificate{}, errors.New("no certificate file given")
	}
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return tls.Certificate{}, err
	}
	if !hasPEM(certPEM, func(typ string) bool { return typ == "CERTIFICATE" }) {
		return tls.Certificate{}, fmt.Errorf("no PEM certificate in %s", certFile)
	}
	keyPEM, keyFrom := certPEM, certFile
	if keyFile != "" {
		if keyPEM, err = os.ReadFile(keyFile); err != nil {
			return tls.Certificate{}, err
		}
		keyFrom = keyFile
	}
	if !hasPEM(keyPEM, isPrivateKey) {
		if keyFile == "" {
			return tls.Certificate{}, fmt.Errorf("no PEM private key in %s: give the key file too, or put the key in %s", certFile, certFile)
		}
		return tls.Certificate{}, fmt.Errorf("no PEM private key in %s", keyFrom)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("%s with the key in %s: %w", certFile, keyFrom, err)
	}
	return cert, nil
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
