package client

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/tether-http/tether/internal/core"
	"github.com/tether-http/tether/internal/typednil"
	"github.com/tether-http/tether/request"
)

// SetVerify turns certificate verification on or off for every call,
// requests' s.verify = False. Off is for tests against self-signed
// servers; connections made without verification are pooled apart and never
// serve a call that verifies. A call can override it with Verify.
// SetVerify(false) on a session whose transport was given with
// [WithTransport] is an [request.ErrInvalidOption] error (see Err) until
// SetVerify(true): turn verification off on that transport instead.
func (s *Session) SetVerify(verify bool) *Session {
	return s.update(func(next *core.Snapshot) {
		if !verify && rejectForeign(next, "SetVerify", "SetVerify(false)") {
			return
		}
		t := tlsChoice(next)
		t.Insecure = !verify
		next.TLS = t
		record(next, "SetVerify", nil)
	})
}

// SetCABundle makes every call trust the CA certificates of the PEM file
// at path, or of the PEM files in the directory at path (an OpenSSL hashed
// directory such as /etc/ssl/certs), and no others: requests'
// s.verify = '/path', which also turns verification back on after
// SetVerify(false) (SetVerify(false) after it turns it off). It is read now; a path that cannot be read or holds
// no certificate is an error that Do returns. It beats REQUESTS_CA_BUNDLE
// and the other environment bundles; a call's [request.Builder.CABundle]
// beats it. A bundle on a session whose transport was given with
// [WithTransport] is an error too: set RootCAs on that transport.
func (s *Session) SetCABundle(path string) *Session {
	pool, err := core.LoadRootsPath(path)
	return s.update(func(next *core.Snapshot) {
		if err != nil {
			record(next, "SetCABundle", fmt.Errorf("%w: CA bundle: %w", request.ErrInvalidOption, err))
			return
		}
		if rejectForeign(next, "SetCABundle", "SetCABundle") {
			return
		}
		t := tlsChoice(next)
		t.Roots, t.RootsID = pool, core.RootsFileID(path)
		t.Insecure = false // s.verify = '/path' verifies again
		next.TLS = t
		record(next, "SetCABundle", nil)
	})
}

// SetRootCAs makes every call trust the CA certificates in pool (and no
// others), like SetCABundle from a pool already built. Nil goes back to
// the system's roots. A pool on a session whose transport was given with
// [WithTransport] is an error that Do returns, as for SetCABundle.
func (s *Session) SetRootCAs(pool *x509.CertPool) *Session {
	if pool != nil {
		pool = pool.Clone()
	}
	return s.update(func(next *core.Snapshot) {
		if pool != nil && rejectForeign(next, "SetCABundle", "SetRootCAs") {
			return
		}
		t := tlsChoice(next)
		t.Roots, t.RootsID = pool, fmt.Sprintf("pool:%p", pool)
		if pool == nil {
			t.RootsID = ""
		}
		next.TLS = t
		record(next, "SetCABundle", nil)
	})
}

// SetClientCert presents the certificate in certFile, with the key in
// keyFile (both PEM), to servers that ask for one, requests' s.cert =
// (cert, key). An empty keyFile means the key is in certFile, after the
// certificate or before it: requests' s.cert = 'client.pem'. The files are
// read now; an error reading or matching them (a certFile without a key
// when keyFile is empty, say) is an [request.ErrInvalidOption] error that
// Do returns, and so is any certificate on a session whose transport was
// given with [WithTransport] (set it on that transport). A call's
// [request.Builder.ClientCert] replaces it for that call.
func (s *Session) SetClientCert(certFile, keyFile string) *Session {
	cert, err := core.LoadClientCert(certFile, keyFile)
	return s.update(func(next *core.Snapshot) {
		if err != nil {
			record(next, "SetClientCert", fmt.Errorf("%w: client certificate: %w", request.ErrInvalidOption, err))
			return
		}
		if rejectForeign(next, "SetClientCert", "SetClientCert") {
			return
		}
		t := tlsChoice(next)
		t.Cert, t.CertID = cert, core.CertFilesID(certFile, keyFile)
		next.TLS = t
		record(next, "SetClientCert", nil)
	})
}

// rejectForeign records, under key, the ErrInvalidOption error for
// setting when next's transport was given with WithTransport, which no TLS
// or proxy setting of tether's can change, and reports whether it did.
func rejectForeign(next *core.Snapshot, key, setting string) bool {
	if !core.Foreign(next.Base) {
		return false
	}
	record(next, key, core.ForeignError(request.ErrInvalidOption, setting))
	return true
}

// tlsChoice returns a copy of next's TLS choice to change.
func tlsChoice(next *core.Snapshot) *core.TLSChoice {
	if next.TLS == nil {
		return &core.TLSChoice{}
	}
	t := *next.TLS
	return &t
}

// SetProxy sends every call through the proxy at proxyURL (http, https,
// socks5 or socks5h), for every host, loopback included, like requests'
// s.proxies = {'all': url}. It beats the environment (HTTP_PROXY and the
// rest); a call's Proxy or NoProxy beats it. Credentials in the URL go to
// the proxy only. An empty URL removes the session's proxies.
func (s *Session) SetProxy(proxyURL string) *Session {
	if proxyURL == "" {
		return s.SetProxies(nil)
	}
	return s.SetProxies(map[string]string{"all": proxyURL})
}

// SetProxies sets the session's proxies keyed as requests' s.proxies:
// "http", "https", "all", or "scheme://host" and "all://host" for one
// host; the most specific key wins. An empty value sends matching URLs
// directly. A "no_proxy" key is accepted and, as in requests, sends no
// host around these proxies or the environment's (requests reads a
// session's "no_proxy" only when it consults the environment again on a
// redirect): to send a host direct, give it an empty value
// ("http://host": ""); NO_PROXY, or a "no_proxy" in a call's
// [request.Builder.Proxies], keeps a host from the environment's proxies
// only. A value that is not a proxy URL is an error
// that Do returns, and so are any proxies on a session whose transport was given with
// [WithTransport] (give that transport its Proxy function instead). A
// call's [request.Builder.Proxies] beats it for the URLs its keys match,
// and its Proxy or NoProxy for every URL.
func (s *Session) SetProxies(proxies map[string]string) *Session {
	err := request.CheckProxies(proxies)
	return s.update(func(next *core.Snapshot) {
		if err != nil {
			record(next, "SetProxies", err)
			return
		}
		if len(proxies) > 0 && rejectForeign(next, "SetProxies", "SetProxy or SetProxies") {
			return
		}
		next.Proxies = maps.Clone(proxies)
		if len(next.Proxies) == 0 {
			next.Proxies = nil
		}
		record(next, "SetProxies", nil)
	})
}

// Proxies returns a copy of the session's explicit proxies.
func (s *Session) Proxies() map[string]string { return maps.Clone(s.state().Proxies) }

// SetTrustEnv sets whether calls read the environment, requests'
// s.trust_env (default true): the proxy variables (HTTP_PROXY,
// HTTPS_PROXY, ALL_PROXY, NO_PROXY), the CA bundle variables
// (REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE, SSL_CERT_FILE) and the netrc file
// (NETRC, ~/.netrc). Explicit session settings always beat the environment.
// With no CA bundle named anywhere, calls trust the system's roots as Go
// loads them, which read SSL_CERT_FILE and SSL_CERT_DIR themselves even
// when trust is false; pin roots with SetCABundle or SetRootCAs to avoid
// that.
func (s *Session) SetTrustEnv(trust bool) *Session {
	return s.update(func(next *core.Snapshot) { next.NoTrustEnv = !trust })
}

// Mount sends every call whose URL starts with prefix (compared
// case-insensitively) through rt instead of the session's transport, like
// requests' s.mount(prefix, adapter): the longest matching prefix wins, and
// cookies, auth, hooks, retries and redirects still apply. Mounting a
// prefix again replaces it; a nil rt, or a typed nil (a nil
// *http.Transport), removes it.
func (s *Session) Mount(prefix string, rt http.RoundTripper) *Session {
	return s.update(func(next *core.Snapshot) {
		if prefix == "" {
			record(next, "Mount", fmt.Errorf("%w: Mount with an empty prefix", request.ErrInvalidOption))
			return
		}
		mounts := slices.DeleteFunc(slices.Clone(next.Mounts), func(m core.Mount) bool { return strings.EqualFold(m.Prefix, prefix) })
		if rt != nil && !typednil.Is(rt) {
			mounts = append(mounts, core.Mount{Prefix: prefix, RT: rt})
		}
		slices.SortStableFunc(mounts, func(a, b core.Mount) int { return len(b.Prefix) - len(a.Prefix) })
		next.Mounts = mounts
		record(next, "Mount", nil)
	})
}

// SetLogger makes every call log one Debug record per hop to l: method,
// URL, status, duration, attempt, whether the connection was reused, and
// the headers, with Authorization, Proxy-Authorization, Cookie and
// Set-Cookie values, those of [Session.SetSensitiveHeaders] and URL
// userinfo redacted. Nil turns it off.
func (s *Session) SetLogger(l *slog.Logger) *Session {
	return s.update(func(next *core.Snapshot) { next.Logger = l })
}

// SetTrace makes every call fill [request.Response.Timings] (see
// [request.Builder.Trace]).
func (s *Session) SetTrace(on bool) *Session {
	return s.update(func(next *core.Snapshot) { next.Trace = on })
}

// TLSConfig returns a clone of the TLS configuration the session's
// transport was built with, or nil when it uses Go's defaults or a
// transport given with [WithTransport] that is not an *http.Transport.
func (s *Session) TLSConfig() *tls.Config {
	if t := s.pool(); t != nil && t.TLSClientConfig != nil {
		return t.TLSClientConfig.Clone()
	}
	return nil
}

// Protocols returns the HTTP versions the session's connections may
// speak: those [WithProtocols] set, or by default HTTP/1.1 and HTTP/2
// (where TLS negotiates it); the zero set for a transport given with
// [WithTransport], whose choice tether does not know.
func (s *Session) Protocols() http.Protocols {
	t := s.pool()
	if t == nil {
		return http.Protocols{}
	}
	if t.Protocols != nil {
		return *t.Protocols
	}
	var p http.Protocols
	p.SetHTTP1(true)
	p.SetHTTP2(true)
	return p
}

// pool returns the session's own transport, or nil for one given with
// WithTransport.
func (s *Session) pool() *http.Transport {
	if r, ok := s.state().Base.(*core.Router); ok {
		return r.Pool()
	}
	return nil
}

// PoolSize returns how many idle connections per host the session's
// transport keeps, or 0 for a transport given with [WithTransport] that is
// not an *http.Transport.
func (s *Session) PoolSize() int {
	if t := s.pool(); t != nil {
		return t.MaxIdleConnsPerHost
	}
	return 0
}

// TrustEnv reports whether calls read the environment (default true).
func (s *Session) TrustEnv() bool { return !s.state().NoTrustEnv }

// Verify reports whether calls verify certificates (default true).
func (s *Session) Verify() bool {
	t := s.state().TLS
	return t == nil || !t.Insecure
}

// RootCAs returns a copy of the CA certificates the session trusts
// instead of the system's, as SetCABundle or SetRootCAs set them, or nil
// when it trusts the system's (or, under TrustEnv, the environment's
// bundle, which is read on every call).
func (s *Session) RootCAs() *x509.CertPool {
	if t := s.state().TLS; t != nil && t.Roots != nil {
		return t.Roots.Clone()
	}
	return nil
}

// CABundle returns the path SetCABundle was given, or "" when the roots
// come from elsewhere (SetRootCAs, the system, the environment).
func (s *Session) CABundle() string {
	if t := s.state().TLS; t != nil {
		if path, ok := t.RootsFile(); ok {
			return path
		}
	}
	return ""
}

// ClientCert returns the certificate and key files SetClientCert was
// given (keyFile "" when the key is in certFile), or "" and "" when none
// is set.
func (s *Session) ClientCert() (certFile, keyFile string) {
	if t := s.state().TLS; t != nil && t.Cert != nil {
		certFile, keyFile = t.CertFiles()
	}
	return certFile, keyFile
}

// Mounts returns the mounted prefixes, longest first.
func (s *Session) Mounts() []string {
	var out []string
	for _, m := range s.state().Mounts {
		out = append(out, m.Prefix)
	}
	return out
}

// Logger returns the logger SetLogger gave, or nil.
func (s *Session) Logger() *slog.Logger { return s.state().Logger }

// Trace reports whether calls fill Response.Timings (SetTrace).
func (s *Session) Trace() bool { return s.state().Trace }
