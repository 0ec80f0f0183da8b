package client

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"

	"github.com/tether-http/tether/internal/core"
	"github.com/tether-http/tether/internal/typednil"
	"github.com/tether-http/tether/request"
)

// config is what the options given to [New] describe. It is filled in
// before anything is built and read once, when the first snapshot is made.
type config struct {
	tls       *tls.Config
	transport http.RoundTripper // the caller's own, or nil for the pooled default
	poolSize  int
	dial      func(ctx context.Context, network, addr string) (net.Conn, error)
	protocols *http.Protocols // nil: HTTP/1.1, and HTTP/2 where TLS negotiates it
	errs      map[string]error
}

// Option configures how a session's connections are made. Options are given
// to [New]: they are applied, in order, to a configuration, and the
// transport is built once, after all of them, before any request. A nil
// Option is ignored.
type Option func(*config)

// WithTLSConfig makes the session's connections use a clone of cfg: e.g.
// RootCAs for a private CA (requests' verify=path), Certificates for a client
// certificate (requests' cert=...). Later changes to cfg do not reach the
// session. It cannot be combined with [WithTransport]: configure TLS on
// that transport instead.
func WithTLSConfig(cfg *tls.Config) Option {
	return func(c *config) { c.tls = cfg.Clone() }
}

// WithTransport makes the session send every request through rt instead of
// its own pooled transport: a wrapped transport (tracing, metrics), an
// httptest server's client transport, a replaying or in-process transport.
// Cookies, auth, redirects and requests' merge rules still apply above it.
// [Session.Close] closes rt's idle connections too. Nil, or a typed nil (a
// nil *http.Transport), keeps the default.
//
// tether does not change rt: the session settings that need a transport
// tether builds (SetVerify(false), SetCABundle, SetRootCAs, SetClientCert,
// SetProxy, SetProxies) and a call's Verify(false), CABundle, ClientCert,
// Proxy, NoProxy and Proxies are [request.ErrInvalidOption] errors, from
// [Session.Err] and Do; nothing is sent. Configure TLS and proxies on rt
// instead.
func WithTransport(rt http.RoundTripper) Option {
	return func(c *config) {
		if typednil.Is(rt) {
			rt = nil
		}
		c.transport = rt
	}
}

// WithPoolSize sets how many idle connections per host the session keeps
// for reuse (requests' pool_maxsize; default 64). Raise it when more
// goroutines than that share a session and one host. It must be positive;
// anything else is an error that [Session.Err] and every Do return.
func WithPoolSize(n int) Option {
	return func(c *config) {
		if n <= 0 {
			c.errs = core.WithErr(c.errs, "WithPoolSize", fmt.Errorf("%w: pool size %d, want > 0", request.ErrInvalidOption, n))
			return
		}
		c.errs = core.WithErr(c.errs, "WithPoolSize", nil)
		c.poolSize = n
	}
}

// WithDialContext makes the session open its connections with dial instead
// of Go's dialer: to a Unix socket (a Docker daemon's), with a resolver or a
// local address of the caller's, or to a fixed address for a host name, as
// curl's --resolve. dial gets what net.Dialer.DialContext gets ("tcp" and
// the host:port to reach, a proxy's when the call goes through one), and
// everything above the connection still applies: TLS and verification
// (Verify, CABundle, ClientCert), proxies, pooling, and ConnectTimeout,
// which bounds dial. requests: an adapter whose pool opens the sockets
// (requests-unixsocket, source_address). A nil dial keeps Go's dialer.
// It cannot be combined with [WithTransport]: give that transport its own
// DialContext instead.
func WithDialContext(dial func(ctx context.Context, network, addr string) (net.Conn, error)) Option {
	return func(c *config) { c.dial = dial }
}

// WithProtocols sets the protocols the session's connections may speak,
// as [http.Transport.Protocols] names them. Without it a session speaks
// HTTP/2 to a TLS server that offers it by ALPN, HTTP/1.1 to others and
// on http:// URLs (requests and urllib3 speak HTTP/1.1 only). The sets:
//
//   - HTTP1 alone: HTTP/1.1 everywhere, as requests does, whatever a
//     server offers ("h2" is taken out of a [WithTLSConfig]'s NextProtos).
//   - HTTP1 and HTTP2: the default.
//   - HTTP2 alone: HTTP/2 over TLS only. A TLS server that does not agree
//     to HTTP/2 (one that offers HTTP/1.1 only, or ignores ALPN) fails the
//     handshake, and an http:// URL fails before anything is dialled, both
//     with [request.ErrProtocol]; nothing is sent over HTTP/1.1.
//   - UnencryptedHTTP2 alone: HTTP/2 with prior knowledge (h2c) on http://
//     URLs; an https:// URL is an ErrProtocol error. A server that answers
//     in HTTP/1.1 is an ErrProtocol error too (and ErrConnection).
//   - HTTP2 and UnencryptedHTTP2: HTTP/2 only, over TLS and over
//     cleartext (h2c).
//
// A set with none of the three, or with UnencryptedHTTP2 and HTTP1 (Go's
// transport then speaks HTTP/1.1 on cleartext and never tries h2c), is an
// [request.ErrInvalidOption] error that [Session.Err] and every Do return.
//
// The set applies to every connection the session makes, those of a call's
// Verify(false), CABundle or ClientCert included. Through a proxy it
// applies as Go's transport applies it:
//
//   - a CONNECT tunnel (an https:// URL through an HTTP proxy) is opened in
//     HTTP/1.1, and the set applies to the server inside it;
//   - a SOCKS5 proxy carries h2c to the server;
//   - an http:// URL through an HTTP proxy is sent to the proxy itself, so
//     with h2c the proxy must speak h2c with prior knowledge, and an
//     HTTP/1.1 proxy fails with ErrProtocol. HTTP_PROXY from the
//     environment is such a proxy; SetTrustEnv(false) or a call's NoProxy
//     goes direct;
//   - an https:// proxy is reached over TLS with the set's protocols too,
//     so without HTTP1 one that does not agree to HTTP/2 fails with
//     ErrProtocol: use an http:// or SOCKS5 proxy then.
//
// A transport mounted with [Session.Mount] keeps its own protocols.
// WithProtocols cannot be combined with [WithTransport]: set that
// transport's Protocols instead.
func WithProtocols(p http.Protocols) Option {
	return func(c *config) {
		if err := core.CheckProtocols(p); err != nil {
			c.errs = core.WithErr(c.errs, "WithProtocols", fmt.Errorf("%w: WithProtocols: %w", request.ErrInvalidOption, err))
			return
		}
		c.errs = core.WithErr(c.errs, "WithProtocols", nil)
		c.protocols = &p
	}
}

// build makes the transport the configuration describes, and returns it
// with what the options rejected.
func (c *config) build() (http.RoundTripper, map[string]error) {
	errs := c.errs
	if c.transport != nil {
		if c.tls != nil {
			errs = core.WithErr(errs, "WithTLSConfig", fmt.Errorf("%w: WithTLSConfig cannot apply to a transport given with WithTransport; configure TLS on that transport", request.ErrInvalidOption))
		}
		if c.poolSize != 0 {
			errs = core.WithErr(errs, "WithPoolSize", fmt.Errorf("%w: WithPoolSize cannot apply to a transport given with WithTransport; size that transport's pool", request.ErrInvalidOption))
		}
		if c.dial != nil {
			errs = core.WithErr(errs, "WithDialContext", fmt.Errorf("%w: WithDialContext cannot apply to a transport given with WithTransport; set that transport's DialContext", request.ErrInvalidOption))
		}
		if c.protocols != nil {
			errs = core.WithErr(errs, "WithProtocols", fmt.Errorf("%w: WithProtocols cannot apply to a transport given with WithTransport; set that transport's Protocols", request.ErrInvalidOption))
		}
		return c.transport, errs
	}
	return core.NewTransport(core.TransportConfig{TLS: c.tls, PoolSize: c.poolSize, Proxy: request.EnvProxy, Dial: c.dial, Protocols: c.protocols}), errs
}
