package core

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
)

// Mount is a transport for the URLs that start with Prefix (compared
// case-insensitively), as requests' mount: the longest matching prefix wins.
type Mount struct {
	Prefix string
	RT     http.RoundTripper
}

// TLSChoice is what a call asks of TLS beyond the session's transport: a
// connection made with one choice is never lent to a call with another.
// Roots and Cert are compared by pointer: LoadRootsPath and LoadClientCert
// give the same one for files that still hold the same bytes.
type TLSChoice struct {
	Insecure bool           // verify=False
	Roots    *x509.CertPool // verify='/path' (already loaded), or nil
	RootsID  string         // names Roots in the key: RootsFileID, "env:" and the path, or "pool:"
	Cert     *tls.Certificate
	CertID   string // names Cert in the key: CertFilesID
}

// RootsFileID is the RootsID of roots loaded from the bundle at path, by
// the session's SetCABundle or a call's CABundle.
func RootsFileID(path string) string { return "file:" + path }

// RootsFile returns the bundle path c's roots were loaded from, if they
// were loaded from one by RootsFileID's setters.
func (c TLSChoice) RootsFile() (string, bool) { return strings.CutPrefix(c.RootsID, "file:") }

// CertFilesID is the CertID of a certificate loaded from certFile and
// keyFile, by the session's SetClientCert or a call's ClientCert.
func CertFilesID(certFile, keyFile string) string { return certFile + "\x00" + keyFile }

// CertFiles returns the files c's certificate was loaded from.
func (c TLSChoice) CertFiles() (certFile, keyFile string) {
	certFile, keyFile, _ = strings.Cut(c.CertID, "\x00")
	return certFile, keyFile
}

// key identifies the TLS configuration the choice makes.
func (c TLSChoice) key() tlsKey {
	return tlsKey{insecure: c.Insecure, roots: c.Roots, rootsID: c.RootsID, cert: c.Cert, certID: c.CertID}
}

type tlsKey struct {
	insecure bool
	roots    *x509.CertPool
	rootsID  string
	cert     *tls.Certificate
	certID   string
}

// Call is what one call asks of the router: put in its context only when
// it differs from the session's transport alone.
type Call struct {
	TLS    *TLSChoice
	Mounts []Mount // longest prefix first
	// Proxy chooses the proxy for a hop's URL (nil: none); nil means the
	// transport's default.
	Proxy func(*url.URL) (*url.URL, error)
	// NoTrustEnv: no CA bundle and no proxy from the environment (a
	// transport given with WithTransport keeps its own settings).
	NoTrustEnv bool
}

type callKey struct{}

// WithCall returns ctx carrying call.
func WithCall(ctx context.Context, call *Call) context.Context {
	return context.WithValue(ctx, callKey{}, call)
}

// SessionRoute is set by package request in its init: it returns what a
// call with no network settings of its own asks of the router over snap
// (the session's TLS choice, proxies, mounts and trust_env), or nil when
// that is nothing. Session.Transport routes requests made elsewhere by it.
var SessionRoute func(snap *Snapshot) *Call

// Route returns ctx carrying call, or ctx itself when call is nil and ctx
// carries no call, so that a request with nothing to ask of the router
// costs no allocation. A nil call over a ctx that carries another
// session's (a request a session's hop hands to another session's
// Session.Transport, say) hides it.
func Route(ctx context.Context, call *Call) context.Context {
	if call == nil && callFrom(ctx) == nil {
		return ctx
	}
	return WithCall(ctx, call)
}

func callFrom(ctx context.Context) *Call {
	c, _ := ctx.Value(callKey{}).(*Call)
	return c
}

// Router is the RoundTripper under a session's middleware: it sends each
// hop through a mounted transport, the session's pooled transport, or a
// variant of it with the call's TLS configuration, made once per
// configuration and pooled apart, so that a connection made with one TLS
// configuration never serves a call with another.
type Router struct {
	base     http.RoundTripper // the session's transport
	pool     *http.Transport   // base, when the session built it (variants clone it)
	ownRoots bool              // base has roots of its own: no CA bundle from the environment
	bundles  sync.Map          // path → *x509.CertPool: the environment's CA bundles, read once
	// protocols are pool's Protocols, which every hop is checked against
	// (see restrict); nil: Go's default, nothing to check.
	protocols *http.Protocols

	mu       sync.Mutex
	variants map[tlsKey]*http.Transport
}

// NewRouter routes over base. When the session built base (owned), its
// Proxy function asks each call first; a transport given with
// WithTransport is never changed.
func NewRouter(base http.RoundTripper, owned bool) *Router {
	r := &Router{base: base, ownRoots: !owned}
	if t, ok := base.(*http.Transport); ok && owned {
		r.pool = t
		t.Proxy = proxyFromCall(t.Proxy)
		r.ownRoots = t.TLSClientConfig != nil && t.TLSClientConfig.RootCAs != nil
		if t.Protocols != nil {
			p := *t.Protocols
			r.protocols = &p
		}
	}
	return r
}

// ErrNotOwned: the call asks for a TLS configuration or a proxy of its
// own, but the session's transport was given with WithTransport, which
// tether does not change. Package client rejects such settings when they
// are made, and package request before a call sends anything (both as
// ErrInvalidOption errors), so the router returns it only as a last guard.
var ErrNotOwned = errors.New("a per-call TLS or proxy setting needs the session's own transport, not one given with WithTransport")

// RoundTrip sends req through the transport the call chose.
func (r *Router) RoundTrip(req *http.Request) (*http.Response, error) {
	call := callFrom(req.Context())
	if call != nil && len(call.Mounts) > 0 {
		target := mountTarget(req.URL)
		for _, m := range call.Mounts {
			if hasPrefixFold(target, m.Prefix) {
				return m.RT.RoundTrip(req)
			}
		}
	}
	if r.pool == nil && call != nil && call.Proxy != nil {
		return nil, closing(req, ErrNotOwned)
	}
	if r.protocols != nil {
		if err := schemeAllowed(*r.protocols, req.URL.Scheme); err != nil {
			return nil, closing(req, err)
		}
	}
	if _, ok := req.Header["Proxy-Authorization"]; ok && r.pool != nil && !r.keepsProxyAuth(req) {
		req = withoutProxyAuth(req)
	}
	if req.URL.Scheme != "https" {
		return r.send(r.base, req)
	}
	var choice TLSChoice
	if call != nil && call.TLS != nil {
		choice = *call.TLS
	}
	if choice.Roots == nil && !r.ownRoots && (call == nil || !call.NoTrustEnv) {
		roots, id, err := r.envBundle()
		if err != nil {
			return nil, closing(req, err)
		}
		choice.Roots, choice.RootsID = roots, id
	}
	if choice == (TLSChoice{}) {
		return r.send(r.base, req)
	}
	t, err := r.variant(choice)
	if err != nil {
		return nil, closing(req, err)
	}
	return r.send(t, req)
}

// send sends req through rt, the session's own transport or a variant of
// it, and says so when the failure is that the peer would not speak a
// protocol the session allows.
func (r *Router) send(rt http.RoundTripper, req *http.Request) (*http.Response, error) {
	resp, err := rt.RoundTrip(req)
	if err != nil && r.protocols != nil {
		err = protocolErr(*r.protocols, req.URL.Scheme, err)
	}
	return resp, err
}

// schemeAllowed returns the ErrProtocol error for a hop to a URL of
// scheme that none of p's protocols can carry, before anything is dialled:
// Go's transport would send it over HTTP/1.1 all the same.
func schemeAllowed(p http.Protocols, scheme string) error {
	switch {
	case scheme == "http" && !p.HTTP1() && !p.UnencryptedHTTP2():
		return fmt.Errorf("%w: an http:// URL needs HTTP1 or UnencryptedHTTP2 (h2c), and the session allows %v (WithProtocols)", ErrProtocol, p)
	case scheme == "https" && !p.HTTP1() && !p.HTTP2():
		return fmt.Errorf("%w: an https:// URL needs HTTP1 or HTTP2, and the session allows %v (WithProtocols)", ErrProtocol, p)
	}
	return nil
}

// protocolErr gives the failures that mean the peer does not speak the
// protocols p allows their ErrProtocol wrapper: a TLS alert refusing every
// protocol offered by ALPN, and an HTTP/1.1 answer to HTTP/2 with prior
// knowledge on an http:// hop, which Go reports as a frame it cannot read
// or, when the server closed the connection before the request went out
// (net/http's HTTP/1.1 server answers the preface and closes), as a
// connection that could not be established. None has a type to match
// (crypto/tls's alert type and net/http's HTTP/2 errors are not exported),
// so their text is read. Other errors are returned as they are.
func protocolErr(p http.Protocols, scheme string, err error) error {
	switch msg := err.Error(); {
	case errors.Is(err, ErrProtocol):
		return err
	case strings.Contains(msg, "remote error: tls: no application protocol"):
		return fmt.Errorf("%w: the server refused every protocol offered by ALPN, and the session allows %v (WithProtocols): %w", ErrProtocolTLS, p, err)
	case scheme == "http" && p.UnencryptedHTTP2() && !p.HTTP1() &&
		(strings.Contains(msg, "looked like an HTTP/1.1 header") || strings.Contains(msg, "http2: client conn could not be established")):
		return fmt.Errorf("%w: the server did not take HTTP/2 with prior knowledge (h2c; it answered in HTTP/1.1 or closed the connection), and the session allows %v (WithProtocols); through an http:// proxy, the proxy is that server: %w", ErrProtocolH2C, p, err)
	}
	return err
}

// CABundleVars are the environment variables naming a CA bundle, in the
// order they are read: requests' two, then Go's (and OpenSSL's).
var CABundleVars = []string{"REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"}

// ErrCABundle: the CA bundle the environment names cannot be used.
var ErrCABundle = errors.New("the environment's CA bundle cannot be used")

// envBundle loads the CA bundle the environment names, once per path.
func (r *Router) envBundle() (*x509.CertPool, string, error) {
	for _, v := range CABundleVars {
		path := os.Getenv(v)
		if path == "" {
			continue
		}
		if pool, ok := r.bundles.Load(path); ok {
			return pool.(*x509.CertPool), "env:" + path, nil
		}
		pool, err := LoadRootsPath(path)
		if err == nil {
			r.bundles.Store(path, pool)
			return pool, "env:" + path, nil
		}
		return nil, "", fmt.Errorf("%w: %s: %w", ErrCABundle, v, err)
	}
	return nil, "", nil
}

// keepsProxyAuth reports whether a caller's Proxy-Authorization header may
// go with req: only to an http or https proxy forwarding a plain-http
// request, and only when the proxy URL has no credentials of its own
// (which, as in requests, replace it). Direct, through a CONNECT tunnel or
// through SOCKS, it would reach the origin instead.
func (r *Router) keepsProxyAuth(req *http.Request) bool {
	if req.URL.Scheme != "http" || r.pool.Proxy == nil {
		return false
	}
	p, err := r.pool.Proxy(req)
	return err == nil && p != nil && (p.Scheme == "http" || p.Scheme == "https") && p.User == nil
}

// withoutProxyAuth returns a shallow copy of req without its
// Proxy-Authorization header (CVE-2023-32681: proxy credentials never go
// to an origin).
func withoutProxyAuth(req *http.Request) *http.Request {
	cp := *req
	cp.Header = req.Header.Clone()
	delete(cp.Header, "Proxy-Authorization")
	return &cp
}

// closing closes req's body, as a RoundTripper must, and returns err.
func closing(req *http.Request, err error) error {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	return err
}

// variant returns the transport for choice, made on first use.
func (r *Router) variant(choice TLSChoice) (*http.Transport, error) {
	if r.pool == nil {
		return nil, ErrNotOwned
	}
	k := choice.key()
	r.mu.Lock()
	defer r.mu.Unlock()
	if t, ok := r.variants[k]; ok {
		return t, nil
	}
	t := r.pool.Clone()
	cfg := t.TLSClientConfig
	if cfg == nil {
		cfg = &tls.Config{}
	} else {
		cfg = cfg.Clone()
	}
	if choice.Insecure {
		cfg.InsecureSkipVerify = true
	}
	if choice.Roots != nil {
		cfg.RootCAs = choice.Roots
	}
	if choice.Cert != nil {
		cfg.Certificates = []tls.Certificate{*choice.Cert}
		cfg.GetClientCertificate = nil // it would be asked instead of Certificates
	}
	t.TLSClientConfig = cfg
	if r.variants == nil {
		r.variants = map[tlsKey]*http.Transport{}
	}
	r.variants[k] = t
	return t, nil
}

// Pool returns the session's own *http.Transport, or nil when it was given
// with WithTransport.
func (r *Router) Pool() *http.Transport { return r.pool }

// Foreign reports whether base, a snapshot's Base, routes over a transport
// given with WithTransport, which no TLS or proxy setting of tether's can
// change.
func Foreign(base http.RoundTripper) bool {
	r, ok := base.(*Router)
	return ok && r.pool == nil
}

// ForeignError is the error, of the given kind (request.ErrInvalidOption),
// for a setting that needs a transport tether builds on a session whose
// transport was given with WithTransport.
func ForeignError(kind error, setting string) error {
	return fmt.Errorf("%w: %s needs a transport tether builds, not one given with WithTransport; configure TLS and proxies on that transport", kind, setting)
}

// CloseIdleConnections closes the idle connections of every transport the
// router owns or was given: the base, its TLS variants.
func (r *Router) CloseIdleConnections() {
	CloseIdle(r.base)
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, t := range r.variants {
		t.CloseIdleConnections()
	}
}

// proxyFromCall makes a transport's Proxy function ask the call first.
func proxyFromCall(def func(*http.Request) (*url.URL, error)) func(*http.Request) (*url.URL, error) {
	return func(req *http.Request) (*url.URL, error) {
		if call := callFrom(req.Context()); call != nil {
			if call.Proxy != nil {
				return call.Proxy(req.URL)
			}
			if call.NoTrustEnv {
				return nil, nil
			}
		}
		if def == nil {
			return nil, nil
		}
		return def(req)
	}
}

// Mounted reports whether a transport mounted for the call takes a
// request for u, as the router would send it.
func (c *Call) Mounted(u *url.URL) bool {
	if c == nil {
		return false
	}
	target := mountTarget(u)
	for _, m := range c.Mounts {
		if hasPrefixFold(target, m.Prefix) {
			return true
		}
	}
	return false
}

// mountTarget is the URL a mount prefix is matched against: u without
// userinfo and without an explicit default port (":80" for http, ":443"
// for https, or an empty one), which is how package request sends every
// hop. A request made elsewhere and sent through Session.Transport may
// have either.
func mountTarget(u *url.URL) string {
	port, explicit := "", false
	if i := strings.LastIndexByte(u.Host, ':'); i >= 0 && !strings.Contains(u.Host[i:], "]") {
		port, explicit = u.Host[i+1:], true
	}
	defaultPort := explicit && (port == "" ||
		port == "80" && strings.EqualFold(u.Scheme, "http") ||
		port == "443" && strings.EqualFold(u.Scheme, "https"))
	if u.User == nil && !defaultPort {
		return u.String()
	}
	cp := *u
	cp.User = nil
	if defaultPort {
		cp.Host = u.Host[:len(u.Host)-len(port)-1]
	}
	return cp.String()
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
