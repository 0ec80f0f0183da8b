package request

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/netip"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/tether-http/tether/internal/core"
	"github.com/tether-http/tether/internal/proxyenv"
)

// Verify turns certificate verification on or off for this call, like
// requests' verify=False, overriding the session's SetVerify. A call that
// does not verify gets connections of its own: they are never lent to a
// call that verifies, nor the other way round. On a session whose
// transport was given with client.WithTransport, which tether does not
// change, Verify(false) is an [ErrInvalidOption] error and nothing is sent.
func (b Builder) Verify(verify bool) Builder {
	return b.with(&op{kind: opVerify, on: verify})
}

// CABundle makes this call trust the CA certificates of the PEM file at
// path, or of the PEM files in the directory at path (an OpenSSL hashed
// directory such as /etc/ssl/certs), and no others: requests'
// verify='/path/ca.pem' on a call, the session's SetCABundle for this call
// only. It beats the session's SetCABundle and SetRootCAs and the
// environment's bundle (REQUESTS_CA_BUNDLE and the rest), and, as
// requests' verify='/path' beats a session's verify=False, it turns
// verification on for the call; a later Verify(false) turns it off again.
//
// The files are read now, as SetCABundle reads them: a path that cannot be
// read or holds no certificate is an [ErrInvalidOption] error from Do, and
// nothing is sent. Connections are pooled per TLS configuration, so a call
// with roots of its own never gets a connection verified with other roots
// (nor lends its own to a call without them), and the calls that name the
// same files, unchanged, share theirs. On a session whose transport was
// given with client.WithTransport, which tether does not change, CABundle
// is an [ErrInvalidOption] error.
func (b Builder) CABundle(path string) Builder {
	pool, err := core.LoadRootsPath(path)
	if err != nil {
		return b.fail(kindError(ErrInvalidOption, "CA bundle: %w", err))
	}
	return b.with(&op{kind: opCABundle, net: &netStep{roots: pool, id: core.RootsFileID(path)}})
}

// ClientCert presents the certificate in certFile, with the key in keyFile
// (both PEM), to a server that asks for one, in this call only: requests'
// cert=(cert, key) on a call. An empty keyFile means the key is in
// certFile, requests' cert='client.pem'. It replaces the session's
// SetClientCert for the call.
//
// The files are read now, as SetClientCert reads them: a file that cannot
// be read, a certificate file without a key when keyFile is empty, or a
// key that does not match is an [ErrInvalidOption] error from Do, and
// nothing is sent. A call with a certificate of its own never gets a
// connection made with another certificate or none (a server may have
// authorized that connection by its certificate), nor lends its own to
// another call; the calls that name the same files, unchanged, share
// theirs. On a session whose transport was given with client.WithTransport,
// which tether does not change, ClientCert is an [ErrInvalidOption] error.
func (b Builder) ClientCert(certFile, keyFile string) Builder {
	cert, err := core.LoadClientCert(certFile, keyFile)
	if err != nil {
		return b.fail(kindError(ErrInvalidOption, "client certificate: %w", err))
	}
	return b.with(&op{kind: opClientCert, net: &netStep{cert: cert, id: core.CertFilesID(certFile, keyFile)}})
}

// netStep is what a step that chooses how the call reaches the network
// records: a Proxy, NoProxy or Proxies step, a CABundle or a ClientCert.
// It is never changed once made.
type netStep struct {
	proxy   *url.URL         // Proxy; nil for NoProxy (and Proxies)
	proxies proxyenv.Map     // Proxies: the call's own copy, never empty
	roots   *x509.CertPool   // CABundle
	cert    *tls.Certificate // ClientCert
	id      string           // names roots or cert in the router's key, as the session's setters do
}

// Trace fills [Response.Timings] for this call.
func (b Builder) Trace() Builder {
	return b.with(&op{kind: opTrace, on: true})
}

// Timings are the phases of one hop, and the connection that carried it,
// from net/http/httptrace. A phase the hop skipped (a reused connection
// has no DNS, Connect or TLS) is zero. The connection's fields are zero
// when the transport reported none (a mounted transport that serves the
// hop in process, say).
type Timings struct {
	DNS       time.Duration // name resolution
	Connect   time.Duration // TCP connection
	TLS       time.Duration // TLS handshake
	FirstByte time.Duration // from the start of the hop to the response's first byte
	Total     time.Duration // from the start of the hop to its response read (to its headers, when streamed)
	Reused    bool          // the connection came from the pool
	// WasIdle is true when the reused connection had been idle in the
	// pool. It is false for a new connection, for an HTTP/1 connection
	// handed straight from a call that had just finished with it to one
	// waiting for it, and for an HTTP/2 connection carrying another
	// call's request at the time.
	WasIdle  bool
	IdleTime time.Duration // how long the connection had been idle, when WasIdle
	// RemoteAddr is the address of the connection's other end, as its
	// net.Conn.RemoteAddr gives it ("127.0.0.1:8080", "[::1]:443"): the
	// server's, or the proxy's for a hop sent through one; the socket's
	// path for a Unix socket dialled with client.WithDialContext.
	RemoteAddr string
}

// Timings returns the phases of the hop that gave this response, when the
// call was traced ([Builder.Trace], a session's SetTrace or SetLogger);
// otherwise the zero Timings.
func (r *Response) Timings() Timings { return r.timings }

// timing records a hop's phases.
type timing struct {
	mu                         sync.Mutex
	start, dns, connect, tlsAt time.Time
	t                          Timings
}

func (tm *timing) trace() *httptrace.ClientTrace {
	set := func(f func()) { tm.mu.Lock(); f(); tm.mu.Unlock() }
	return &httptrace.ClientTrace{
		DNSStart:          func(httptrace.DNSStartInfo) { set(func() { tm.dns = time.Now() }) },
		DNSDone:           func(httptrace.DNSDoneInfo) { set(func() { tm.t.DNS = time.Since(tm.dns) }) },
		ConnectStart:      func(string, string) { set(func() { tm.connect = time.Now() }) },
		ConnectDone:       func(string, string, error) { set(func() { tm.t.Connect = time.Since(tm.connect) }) },
		TLSHandshakeStart: func() { set(func() { tm.tlsAt = time.Now() }) },
		TLSHandshakeDone:  func(tls.ConnectionState, error) { set(func() { tm.t.TLS = time.Since(tm.tlsAt) }) },
		GotConn: func(i httptrace.GotConnInfo) {
			var addr string
			if i.Conn != nil {
				addr = remoteAddr(i.Conn.RemoteAddr())
			}
			set(func() {
				tm.t.Reused, tm.t.WasIdle, tm.t.IdleTime, tm.t.RemoteAddr = i.Reused, i.WasIdle, i.IdleTime, addr
			})
		},
		GotFirstResponseByte: func() {
			set(func() { tm.t.FirstByte = time.Since(tm.start) })
		},
	}
}

// remoteAddr is a.String(), or "" for no address; a TCP address (every
// connection Go's dialer makes has one) is formatted in one allocation,
// where its String makes three.
func remoteAddr(a net.Addr) string {
	switch a := a.(type) {
	case nil:
		return ""
	case *net.TCPAddr:
		if a == nil {
			return ""
		}
		ap := a.AddrPort() // an IPv4 address held in 16 bytes is 4in6 here, plain in String
		return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()).String()
	default:
		return a.String()
	}
}

// done returns the timings with Total set now.
func (tm *timing) done() Timings {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	t := tm.t
	t.Total = time.Since(tm.start)
	return t
}

// callRoute is what the call asks of the session's router, or nil when it
// asks nothing beyond the session's transport.
func (s *sender) callRoute() *core.Call {
	tlsChoice := s.tlsChoice()
	proxy := s.proxyChoice()
	if tlsChoice == nil && proxy == nil && len(s.snap.Mounts) == 0 && !s.snap.NoTrustEnv {
		return nil
	}
	return &core.Call{TLS: tlsChoice, Proxy: proxy, Mounts: s.snap.Mounts, NoTrustEnv: s.snap.NoTrustEnv}
}

func init() {
	core.SessionRoute = sessionRoute
}

// sessionRoute is what a call with no TLS or proxy setting of its own asks
// of snap's router: the session's TLS choice, its proxies (then, under
// trust_env, the environment's, read per request), its mounts and its
// trust_env, as callRoute gives them; nil when that is nothing. It routes
// the requests client.Session.Transport sends.
func sessionRoute(snap *core.Snapshot) *core.Call {
	s := sender{snap: snap}
	s.c = &s.call
	return s.callRoute()
}

// routeErr is the ErrInvalidOption error for a call that asks for a TLS
// configuration or a proxy of its own (Verify(false), Proxy, NoProxy, or
// such a session setting) when the session's transport was given with
// WithTransport, which tether does not change; nil otherwise. Do returns
// it before anything is sent.
func (s *sender) routeErr() error {
	if !core.Foreign(s.snap.Base) {
		return nil
	}
	var setting string
	c := s.c
	switch {
	case c.verify != nil && !*c.verify:
		setting = "Verify(false)"
	case c.roots != nil:
		setting = "CABundle"
	case c.cert != nil:
		setting = "ClientCert"
	case c.proxy != nil && c.proxy.proxies != nil:
		setting = "Proxies"
	case c.proxy != nil && c.proxy.proxy != nil:
		setting = "Proxy"
	case c.proxy != nil:
		setting = "NoProxy"
	case len(s.snap.Proxies) > 0:
		setting = "the session's proxies"
	default:
		if t := s.tlsChoice(); t != nil && *t != (core.TLSChoice{}) {
			setting = "the session's TLS settings"
		} else {
			return nil
		}
	}
	return core.ForeignError(ErrInvalidOption, setting)
}

// tlsChoice applies the precedence of TLS settings: the call's Verify,
// CABundle and ClientCert, then the session's explicit settings. The router
// then takes the environment's CA bundle (REQUESTS_CA_BUNDLE,
// CURL_CA_BUNDLE, SSL_CERT_FILE, under trust_env) when neither names
// roots, and the system's roots otherwise.
func (s *sender) tlsChoice() *core.TLSChoice {
	c := s.c
	if s.snap.TLS == nil && c.verify == nil && c.roots == nil && c.cert == nil {
		return nil
	}
	var choice core.TLSChoice
	if s.snap.TLS != nil {
		choice = *s.snap.TLS
	}
	if c.verify != nil {
		choice.Insecure = !*c.verify
	}
	if c.roots != nil {
		choice.Roots, choice.RootsID = c.roots.roots, c.roots.id
	}
	if c.cert != nil {
		choice.Cert, choice.CertID = c.cert.cert, c.cert.id
	}
	return &choice
}

// redactedHeaders are the headers whose values never reach a log.
var redactedHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"}

// logHop writes one Debug record for a try of a hop.
func (s *sender) logHop(ctx context.Context, req *http.Request, u *url.URL, a *attempt, resp *http.Response, took time.Duration, err error) {
	l := s.snap.Logger
	if l == nil || !l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	clean := *u
	clean.User = nil
	attrs := []slog.Attr{
		slog.String("method", req.Method),
		slog.String("url", clean.String()),
		slog.Duration("duration", took),
		slog.Int("attempt", a.number),
	}
	if a.timing != nil {
		attrs = append(attrs, slog.Bool("reused", a.timing.done().Reused))
	}
	attrs = append(attrs, slog.Any("request_headers", redact(req.Header, s.snap.Sensitive)))
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode), slog.Any("response_headers", redact(resp.Header, s.snap.Sensitive)))
	}
	if err != nil {
		var we *wireError
		if !errors.As(err, &we) {
			err = errors.New("failed")
		}
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	l.LogAttrs(ctx, slog.LevelDebug, "tether: hop", attrs...)
}

// redact returns a copy of h with the credential headers' values hidden,
// and those of the session's sensitive headers (canonical names).
func redact(h http.Header, sensitive []string) http.Header {
	out := h.Clone()
	for _, k := range slices.Concat(redactedHeaders, sensitive) {
		if vs := out[k]; len(vs) > 0 {
			out[k] = []string{"[redacted]"}
		}
	}
	return out
}

// Proxy sends this call through the proxy at proxyURL (http, https,
// socks5 or socks5h), for every host and every hop, loopback included. It
// beats the session's proxies and the environment, all their keys: where
// requests merges a call's proxies={'all': url} into them key by key, so
// that a session's or the environment's "http" key still wins, a call's
// Proxy is the call's. Credentials in the URL go to the proxy only
// (Proxy-Authorization, or the SOCKS5 handshake), never to an origin. A URL
// that cannot be parsed, or has another scheme, is an ErrInvalidOption
// error from Do. So are Proxy and NoProxy on a session whose transport was
// given with client.WithTransport, which tether does not change: nothing
// is sent.
func (b Builder) Proxy(proxyURL string) Builder {
	u, err := ParseProxy(proxyURL)
	if err != nil {
		return b.fail(err)
	}
	return b.with(&op{kind: opProxy, net: &netStep{proxy: u}})
}

// NoProxy sends this call directly, every hop, whatever the session's
// proxies and the environment say (requests' proxies={'all': None} removes
// only the "all" key, and its redirects take the environment's proxy
// again).
func (b Builder) NoProxy() Builder {
	return b.with(&op{kind: opProxy, net: direct})
}

// direct is NoProxy's step: no proxy for any URL.
var direct = &netStep{}

// Proxies sets this call's proxies, keyed as requests' proxies= and the
// session's SetProxies: "http", "https", "all", or "scheme://host" and
// "all://host" for one host (scheme and host in lower case, no port). For
// each hop, the key that matches its URL first, in requests' order
// (scheme://host, scheme, all://host, all), decides; an empty value sends
// the hop directly. A hop no key matches goes as it would without the
// call's proxies: by the session's proxies, then, under trust_env, the
// environment's.
//
// Where a key matches, it beats the session's proxies and the environment,
// all their keys, as [Builder.Proxy] does: Proxies(map[string]string{"all":
// u}) is Proxy(u), and {"all": ""} is NoProxy(). This is tether's rule for
// every value of a call; requests instead merges a call's proxies into the
// environment's and the session's key by key, so that their more specific
// key beats the call's ({'all': u} loses to a session's or HTTP_PROXY's
// 'http'), and on a redirect it adds the environment's proxy for the new
// URL's scheme where the merged proxies have no key for it.
//
// A "no_proxy" key lists hosts, as the NO_PROXY variable does, and
// replaces NO_PROXY for this call, every hop: the environment's proxies do
// not reach those hosts (and an empty value turns NO_PROXY off). As in
// requests, it does not send those hosts around the call's own keys or the
// session's (psf/requests#5000): to send a host directly, give it an empty
// "scheme://host" value.
//
// The map is copied. A value that is not a proxy URL (http, https, socks5
// or socks5h; no scheme means http) is an [ErrInvalidOption] error from
// Do, and so are any proxies on a session whose transport was given with
// client.WithTransport, which tether does not change: nothing is sent. A
// nil or empty map undoes the builder's earlier Proxy, NoProxy or Proxies:
// the call's proxies are then the session's.
func (b Builder) Proxies(proxies map[string]string) Builder {
	if len(proxies) == 0 {
		return b.with(&op{kind: opProxy})
	}
	if err := CheckProxies(proxies); err != nil {
		return b.fail(err)
	}
	return b.with(&op{kind: opProxy, net: &netStep{proxies: maps.Clone(proxyenv.Map(proxies))}})
}
