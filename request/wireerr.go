package request

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"syscall"

	"github.com/tether-http/tether/internal/core"
)

// Errors on the wire, requests' exception tree in Go. Every one of them
// also matches ErrTransport; the cause stays reachable with errors.As.
var (
	// ErrConnection: the connection could not be made, or was lost:
	// refused, reset (before the response, or while its body is read),
	// a DNS failure, a malformed status line (requests' ConnectionError;
	// a reset during the body is its ChunkedEncodingError).
	// ErrConnectTimeout, ErrTLS and ErrProxy match it too.
	ErrConnection = errors.New("tether: connection failed")
	// ErrTimeout: a time limit ran out (requests' Timeout): the call's
	// Timeout or context deadline (which also matches
	// context.DeadlineExceeded), ConnectTimeout or ReadTimeout.
	ErrTimeout = errors.New("tether: timeout")
	// ErrConnectTimeout: the connection, TLS handshake included, was not
	// made within ConnectTimeout (requests' ConnectTimeout). It matches
	// ErrTimeout and ErrConnection.
	ErrConnectTimeout = errors.New("tether: connect timeout")
	// ErrReadTimeout: the server sent nothing for ReadTimeout, while the
	// response's headers or body were awaited (requests' ReadTimeout). It
	// matches ErrTimeout.
	ErrReadTimeout = errors.New("tether: read timeout")
	// ErrTLS: the TLS handshake failed: an untrusted or mismatched
	// certificate, a protocol error (requests' SSLError). It matches
	// ErrConnection.
	ErrTLS = errors.New("tether: TLS failed")
	// ErrProxy: the proxy could not be reached, or it refused the tunnel
	// (a CONNECT answered 407 or 403), like requests' ProxyError. It
	// matches ErrConnection.
	ErrProxy = errors.New("tether: proxy failed")
	// ErrProtocol: the hop could not be carried by any protocol the
	// session allows (client.WithProtocols; requests, which speaks
	// HTTP/1.1 only, has no such error): a TLS server that did not agree
	// to HTTP/2 when HTTP/1.1 is not allowed (also ErrTLS and
	// ErrConnection; nothing was sent), a server that answered HTTP/2 with
	// prior knowledge (h2c) in HTTP/1.1 (also ErrConnection), or a URL
	// whose scheme none of them serves (an http:// URL with HTTP/2 over
	// TLS only; nothing was dialled). Each fails the same way again, so
	// it is never retried.
	ErrProtocol = errors.New("tether: protocol not allowed")
)

// wireError is an error on the wire with every kind it belongs to.
type wireError struct {
	msg   string
	kinds []error
	err   error
}

func (e *wireError) Error() string { return e.msg + ": " + e.err.Error() }
func (e *wireError) Unwrap() error { return e.err }

// Is matches ErrTransport and every kind the error was classified as.
func (e *wireError) Is(target error) bool {
	if target == ErrTransport {
		return true
	}
	for _, k := range e.kinds {
		if k == target {
			return true
		}
	}
	return false
}

// Causes a call's own timers give its context when they cancel it.
var (
	errConnectTimeoutCause = fmt.Errorf("%w: %w", ErrConnectTimeout, context.DeadlineExceeded)
	errReadTimeoutCause    = fmt.Errorf("%w: %w", ErrReadTimeout, context.DeadlineExceeded)
	// errSendStallCause: the server took no more of the request for the
	// ConnectTimeout. urllib3 sends under the connect timeout, and requests
	// raises ConnectionError (not Timeout) for it.
	errSendStallCause = fmt.Errorf("sending the request stalled for the ConnectTimeout: %w", context.DeadlineExceeded)
)

// wireErr classifies err, which sending a hop or reading its body ended
// with, as requests' exception tree does; ctx is the call's context, whose
// cause says which of tether's own timers (if any) ran out. msg says what
// was being done.
func wireErr(ctx context.Context, msg string, err error, beforeResponse bool) error {
	var kinds []error
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, ErrConnectTimeout):
		kinds, err = []error{ErrTimeout, ErrConnectTimeout, ErrConnection, errNotSent}, cause
	case errors.Is(cause, ErrReadTimeout):
		kinds, err = []error{ErrTimeout, ErrReadTimeout}, cause
	case cause == errSendStallCause:
		kinds, err = []error{ErrConnection}, cause
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		kinds = []error{ErrTimeout}
		if !errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("%w: %w", context.DeadlineExceeded, err)
		}
	case ctx.Err() != nil:
		if !errors.Is(err, context.Canceled) {
			err = fmt.Errorf("%w: %w", context.Canceled, err)
		}
	default:
		kinds = classify(err, beforeResponse)
	}
	return &wireError{msg: msg, kinds: kinds, err: err}
}

// errNotSent is the kind, kept unexported, of the wire errors that say the
// request never left: no connection could be made (a connect timeout, a
// DNS failure, a failed dial, to the server or to a proxy, a refused
// tunnel). classify and wireErr give it; retries read it.
var errNotSent = errors.New("tether: the request was not sent")

// notSent reports whether err, a classified wire error, is of errNotSent's
// kind.
func notSent(err error) bool { return errors.Is(err, errNotSent) }

// classify sorts an error from net/http by what failed.
func classify(err error, beforeResponse bool) []error {
	var (
		opErr      *net.OpError
		dnsErr     *net.DNSError
		netErr     net.Error
		recordErr  tls.RecordHeaderError
		alertErr   tls.AlertError
		verifyErr  *tls.CertificateVerificationError
		unknownCA  x509.UnknownAuthorityError
		hostErr    x509.HostnameError
		invalidErr x509.CertificateInvalidError
	)
	if errors.Is(err, core.ErrProtocol) {
		return protocolKinds(err)
	}
	if errors.As(err, &opErr) && opErr.Op == "proxyconnect" {
		// net/http's error for reaching a proxy or opening its tunnel:
		// requests' ProxyError, whatever the cause inside.
		kinds := classify(opErr.Err, beforeResponse)
		if !slices.Contains(kinds, ErrConnection) {
			kinds = append(kinds, ErrConnection)
		}
		if !slices.Contains(kinds, errNotSent) {
			kinds = append(kinds, errNotSent)
		}
		return append([]error{ErrProxy}, kinds...)
	}
	switch {
	case errors.Is(err, core.ErrProxyTunnel):
		return []error{ErrProxy, ErrConnection, errNotSent}
	case errors.Is(err, core.ErrCABundle):
		return []error{ErrTLS, ErrConnection}
	case errors.As(err, &opErr) && opErr.Op == "remote error":
		// A TLS alert from the server (crypto/tls's alert type is not
		// exported): a client certificate it wanted, a protocol version.
		return []error{ErrTLS, ErrConnection}
	case errors.As(err, &verifyErr), errors.As(err, &unknownCA), errors.As(err, &hostErr),
		errors.As(err, &invalidErr), errors.As(err, &recordErr), errors.As(err, &alertErr):
		return []error{ErrTLS, ErrConnection}
	case errors.As(err, &opErr) && opErr.Op == "dial" && opErr.Timeout():
		return []error{ErrTimeout, ErrConnectTimeout, ErrConnection, errNotSent}
	case errors.As(err, &dnsErr), errors.As(err, &opErr) && opErr.Op == "dial":
		return []error{ErrConnection, errNotSent}
	case errors.As(err, &netErr) && netErr.Timeout():
		return []error{ErrTimeout, ErrReadTimeout}
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE):
		return []error{ErrConnection}
	case beforeResponse && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)):
		return []error{ErrConnection} // the server closed the connection without answering
	case beforeResponse && strings.Contains(err.Error(), "malformed HTTP"):
		// net/http's "malformed HTTP response", "... status code" and
		// "... version" have no type to match; requests raises
		// ConnectionError (BadStatusLine) for them.
		return []error{ErrConnection}
	}
	return nil
}

// protocolKinds are the kinds of err, an error of core.ErrProtocol's: the
// router's and the transport's, which say what failed.
func protocolKinds(err error) []error {
	kinds := []error{ErrProtocol}
	switch {
	case errors.Is(err, core.ErrProtocolTLS):
		kinds = append(kinds, ErrTLS, ErrConnection)
	case errors.Is(err, core.ErrProtocolH2C):
		kinds = append(kinds, ErrConnection)
	}
	if opErr := (*net.OpError)(nil); errors.As(err, &opErr) && opErr.Op == "proxyconnect" {
		kinds = append(kinds, ErrProxy)
	}
	return kinds
}
