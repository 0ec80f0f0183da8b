package core

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"

	"github.com/go-resty/resty/v2"

	"github.com/tether-http/tether/internal/typednil"
)

// DefaultPoolSize is how many idle connections per host a session keeps
// (requests' pool_maxsize). It is large enough that a few dozen goroutines
// sharing one session reuse their connections instead of dialling anew.
const DefaultPoolSize = 64

// TransportConfig is what a session's pooled transport is built from. The
// options of package client fill it in; [NewTransport] reads it once.
type TransportConfig struct {
	// TLS is cloned into the transport; nil keeps Go's defaults.
	TLS *tls.Config
	// PoolSize is the most idle connections kept per host; zero means
	// DefaultPoolSize.
	PoolSize int
	// Proxy chooses a request's proxy when the call does not (package
	// request's environment rules, read per request); nil: none.
	Proxy func(*url.URL) (*url.URL, error)
	// Dial opens the transport's connections (to origins and to proxies);
	// nil keeps resty's dialer.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Protocols are the protocols the transport may speak, checked by
	// CheckProtocols; nil: HTTP/1.1, and HTTP/2 where TLS negotiates it.
	Protocols *http.Protocols
}

// NewTransport builds the pooled transport a session (or the package-level
// API) sends every hop through.
//
// It starts from resty v2's transport, the library's tuned defaults for
// dialling, keep-alives, HTTP/2 and idle timeouts, and takes only the
// transport: package request follows redirects, stores cookies and applies
// requests' merge rules itself, hop by hop, so neither resty's request
// pipeline (which adds a sniffed Content-Type and its own User-Agent) nor
// an http.Client (which rejects a Location it cannot parse before it could
// be requoted as requests does) stands between a hop and the wire. The
// http.Client resty builds around it has no jar and is dropped.
func NewTransport(cfg TransportConfig) *http.Transport {
	t := resty.NewWithClient(&http.Client{}).GetClient().Transport.(*http.Transport)
	if cfg.TLS != nil {
		t.TLSClientConfig = cfg.TLS.Clone()
	}
	n := cfg.PoolSize
	if n <= 0 {
		n = DefaultPoolSize
	}
	if cfg.Dial != nil {
		t.DialContext = dialer(cfg.Dial)
	}
	if cfg.Protocols != nil {
		restrict(t, *cfg.Protocols)
	}
	t.MaxIdleConnsPerHost = n
	t.MaxIdleConns = max(t.MaxIdleConns, n)
	// Package request asks for and decodes every coding itself (gzip,
	// deflate, br, zstd) and keeps Content-Encoding in the headers; the
	// transport must not add its own Accept-Encoding and decode behind it.
	t.DisableCompression = true
	// Not Go's ProxyFromEnvironment, which reads the environment once per
	// process, ignores ALL_PROXY and never proxies loopback hosts.
	t.Proxy = nil
	if cfg.Proxy != nil {
		proxy := cfg.Proxy
		t.Proxy = func(req *http.Request) (*url.URL, error) { return proxy(req.URL) }
	}
	t.OnProxyConnectResponse = refusedTunnel
	// A CONNECT carries no User-Agent, as urllib3's tunnel sends none
	// (net/http would send Go-http-client/1.1): the proxy learns the
	// target's host and port, nothing more. Proxy-Authorization is added
	// to a copy, per proxy, by net/http.
	t.ProxyConnectHeader = http.Header{"User-Agent": {""}}
	return t
}

// ErrProtocol: no protocol the session allows could carry a hop: its URL's
// scheme has none, the TLS handshake agreed on none, or the server answered
// HTTP/2 with prior knowledge in HTTP/1.1. Its wrappers below say which.
var ErrProtocol = errors.New("no protocol the session allows can carry the request")

// ErrProtocolTLS and ErrProtocolH2C wrap ErrProtocol for the failures found
// on a connection: in the TLS handshake (ALPN), and in the first answer to
// HTTP/2 with prior knowledge.
var (
	ErrProtocolTLS = fmt.Errorf("%w over TLS", ErrProtocol)
	ErrProtocolH2C = fmt.Errorf("%w over cleartext", ErrProtocol)
)

// CheckProtocols returns why p cannot be a session's protocols, or nil. A
// set must name one protocol at least, and may not name UnencryptedHTTP2
// with HTTP1: Go's transport then speaks HTTP/1.1 on every cleartext
// connection (it does not try HTTP/2 with prior knowledge and fall back),
// so the UnencryptedHTTP2 asked for would never be used.
func CheckProtocols(p http.Protocols) error {
	switch {
	case !p.HTTP1() && !p.HTTP2() && !p.UnencryptedHTTP2():
		return errors.New("an empty set of protocols")
	case p.HTTP1() && p.UnencryptedHTTP2():
		return fmt.Errorf("%v: with HTTP1, Go's transport speaks HTTP/1.1 on cleartext and never uses UnencryptedHTTP2; leave HTTP1 out for HTTP/2 with prior knowledge (h2c)", p)
	}
	return nil
}

// restrict makes t speak only p's protocols. Go's transport does most of
// it from t.Protocols; tether adds what it leaves undone:
//   - without HTTP2, "h2" is taken out of the caller's NextProtos, which
//     would otherwise let a server choose HTTP/2 on a connection the
//     transport then reads as HTTP/1.1;
//   - without HTTP1, a TLS handshake that does not agree on HTTP/2 fails
//     (ErrProtocolTLS): Go's transport falls back to HTTP/1.1 when a server
//     ignores ALPN. Nothing is sent on such a connection.
//
// A hop's scheme is checked by the router ([Router.RoundTrip]).
func restrict(t *http.Transport, p http.Protocols) {
	t.Protocols = &p
	if !p.HTTP2() && t.TLSClientConfig != nil {
		t.TLSClientConfig.NextProtos = slices.DeleteFunc(slices.Clone(t.TLSClientConfig.NextProtos), func(s string) bool { return s == "h2" })
	}
	if p.HTTP1() {
		return
	}
	if t.TLSClientConfig == nil {
		t.TLSClientConfig = &tls.Config{}
	}
	own := t.TLSClientConfig.VerifyConnection
	t.TLSClientConfig.VerifyConnection = func(cs tls.ConnectionState) error {
		if own != nil {
			if err := own(cs); err != nil {
				return err
			}
		}
		if cs.NegotiatedProtocol == "h2" {
			return nil
		}
		agreed := fmt.Sprintf("ALPN chose %q", cs.NegotiatedProtocol)
		if cs.NegotiatedProtocol == "" {
			agreed = "the server chose no protocol by ALPN"
		}
		return fmt.Errorf("%w: the handshake did not agree on HTTP/2 (%s), and the session allows %v (WithProtocols)", ErrProtocolTLS, agreed, p)
	}
}

// dialer is dial with its errors made a dial's: a caller's dial may fail
// with any error, which package request must still read as a connection
// never made (requests' ConnectionError, and retried as one), as it reads
// Go's *net.OpError. An error that already is an *net.OpError is kept.
// No connection (nil or a typed nil) and no error is such an error too.
func dialer(dial func(ctx context.Context, network, addr string) (net.Conn, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dial(ctx, network, addr)
		switch {
		case err == nil && conn != nil && !typednil.Is(conn):
			return conn, nil
		case err == nil:
			// net/http's own error for a nil conn would be of no kind,
			// and a typed nil one would panic when used.
			err = errors.New("the dial returned no connection and no error")
			conn = nil
		}
		if conn != nil {
			_ = conn.Close()
		}
		if op := (*net.OpError)(nil); !errors.As(err, &op) {
			err = &net.OpError{Op: "dial", Net: network, Err: err}
		}
		return nil, err
	}
}

// ErrProxyTunnel: a proxy answered CONNECT with something other than 200.
var ErrProxyTunnel = errors.New("the proxy refused the tunnel")

// refusedTunnel gives a CONNECT that was not answered 200 an error that
// says so, where net/http's own is the bare reason phrase.
func refusedTunnel(_ context.Context, proxy *url.URL, _ *http.Request, resp *http.Response) error {
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	where := *proxy
	where.User = nil // credentials stay out of messages
	return fmt.Errorf("%w: %s answered CONNECT with %s", ErrProxyTunnel, where.String(), resp.Status)
}

// CloseIdle closes rt's idle connections, if it pools any. A typed nil rt
// (a nil *http.Transport) is left alone: it pools nothing, and calling its
// method would panic.
func CloseIdle(rt http.RoundTripper) {
	if typednil.Is(rt) {
		return
	}
	if c, ok := rt.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
