package client

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tether-http/tether/internal/core"
	"github.com/tether-http/tether/jar"
	"github.com/tether-http/tether/request"
)

// Session holds persistent defaults for requests, like a requests Session:
// base URL, headers, query parameters, auth, a live cookie jar, a timeout and
// a redirect limit. Its setters change the session and return it, for
// chaining; its getters show every value it holds.
//
// Each request method (Get, Post, ...) spawns an immutable [request.Builder]
// over a snapshot of the session as it is at that moment; the jar is the one
// thing a builder shares live. Changing the session later does not change
// builders already spawned.
//
// A Session is safe for concurrent use, also while it is being changed. Its
// zero value is a usable session with no defaults but the standard headers.
//
// Every request of a session goes out through one pooled transport built
// with the session (resty v2's, see [New]) or the one given with
// [WithTransport], so connections to a host are reused.
type Session struct {
	mu   sync.Mutex // serialises writers; readers load snap
	snap atomic.Pointer[core.Snapshot]
	once sync.Once
	conf config
}

// config is what the options given to [New] describe. It is filled in
// before anything is built and read once, when the first snapshot is made.
type config struct {
	tls       *tls.Config
	transport http.RoundTripper // the caller's own, or nil for the pooled default
	poolSize  int
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
// [Session.Close] closes rt's idle connections too. Nil keeps the default.
func WithTransport(rt http.RoundTripper) Option {
	return func(c *config) { c.transport = rt }
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

// spawn is request's builder constructor (see core.Spawn).
var spawn = core.Spawn.(func(*core.Snapshot, string, string, bool) request.Builder)

// New returns a session with requests' defaults: the User-Agent and Accept
// headers, an empty jar, no timeout and at most 30 redirects. Its
// connections are made as opts say.
func New(opts ...Option) *Session {
	s := &Session{}
	for _, o := range opts {
		if o != nil {
			o(&s.conf)
		}
	}
	s.state()
	return s
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
		return c.transport, errs
	}
	return core.NewTransport(core.TransportConfig{TLS: c.tls, PoolSize: c.poolSize, Proxy: request.EnvProxy}), errs
}

// state returns the current snapshot, building the first one (and the
// transport) if needed.
func (s *Session) state() *core.Snapshot {
	if p := s.snap.Load(); p != nil {
		return p
	}
	s.once.Do(func() {
		built, errs := s.conf.build()
		rt := core.NewRouter(built, s.conf.transport == nil)
		s.snap.Store(&core.Snapshot{
			Header:       core.DefaultHeader(),
			Jar:          jar.New(),
			MaxRedirects: core.DefaultMaxRedirects,
			Transport:    rt,
			Base:         rt,
			Errs:         errs,
			Shared:       &core.Shared{},
		})
	})
	return s.snap.Load()
}

// update publishes a changed copy of the snapshot.
func (s *Session) update(change func(next *core.Snapshot)) *Session {
	s.state() // the first snapshot exists before anyone copies it
	s.mu.Lock()
	defer s.mu.Unlock()
	next := *s.snap.Load()
	change(&next)
	s.snap.Store(&next)
	return s
}

// record stores or clears what a setter rejected; request builders spawned
// from the session return it from Do.
func record(next *core.Snapshot, key string, err error) {
	next.Errs = core.WithErr(next.Errs, key, err)
}

// SetBaseURL sets the URL that relative request URLs are appended to:
// base "http://h/api" with "users" or "/users" requests "http://h/api/users".
// An empty string removes it. An invalid URL is returned by Do.
func (s *Session) SetBaseURL(base string) *Session {
	return s.update(func(next *core.Snapshot) {
		if base == "" {
			next.BaseURL = nil
			record(next, "SetBaseURL", nil)
			return
		}
		u, err := url.Parse(base)
		if err == nil && (u.Scheme != "http" && u.Scheme != "https" || u.Host == "") {
			err = fmt.Errorf("want an absolute http or https URL")
		}
		if err != nil {
			record(next, "SetBaseURL", fmt.Errorf("%w: base URL %q: %w", request.ErrInvalidURL, base, err))
			return
		}
		next.BaseURL = u
		record(next, "SetBaseURL", nil)
	})
}

// SetHeader sets a default header, replacing its values (names are
// case-insensitive). Several values send the header several times.
func (s *Session) SetHeader(name string, values ...string) *Session {
	values = core.OwnValues(values)
	return s.update(func(next *core.Snapshot) {
		next.Header = next.Header.Clone()
		next.Header[http.CanonicalHeaderKey(name)] = values
	})
}

// SetHeaders sets several default headers, like requests'
// s.headers.update({...}).
func (s *Session) SetHeaders(h map[string]string) *Session {
	return s.update(func(next *core.Snapshot) {
		next.Header = next.Header.Clone()
		for k, v := range h {
			next.Header[http.CanonicalHeaderKey(k)] = []string{v}
		}
	})
}

// DelHeader removes a default header, e.g. the standard User-Agent.
func (s *Session) DelHeader(name string) *Session {
	return s.update(func(next *core.Snapshot) {
		next.Header = next.Header.Clone()
		next.Header.Del(name)
	})
}

// SetParam sets a default query parameter. Keys are case-sensitive; a key
// set again keeps its position. Several values repeat the key.
func (s *Session) SetParam(name string, values ...string) *Session {
	values = core.OwnValues(values)
	return s.update(func(next *core.Snapshot) {
		next.Params = next.Params.Set(name, values)
	})
}

// SetParams sets several default query parameters; new keys are added in
// sorted order, so the query string is deterministic.
func (s *Session) SetParams(p map[string]string) *Session {
	return s.update(func(next *core.Snapshot) {
		for _, k := range slices.Sorted(maps.Keys(p)) {
			next.Params = next.Params.Set(k, []string{p[k]})
		}
	})
}

// DelParam removes a default query parameter.
func (s *Session) DelParam(name string) *Session {
	return s.update(func(next *core.Snapshot) {
		next.Params = next.Params.Del(name)
	})
}

// SetBasicAuth sets HTTP Basic credentials for every request.
func (s *Session) SetBasicAuth(username, password string) *Session {
	return s.SetAuth(request.BasicAuth{Username: username, Password: password})
}

// SetBearerToken sets a bearer token for every request.
func (s *Session) SetBearerToken(token string) *Session {
	return s.SetAuth(request.BearerAuth{Token: token})
}

// SetAuth sets the default auth; nil clears it. A typed nil (a nil
// AuthFunc or pointer) is an error that Do returns, not a panic at send.
func (s *Session) SetAuth(a request.Auth) *Session {
	return s.update(func(next *core.Snapshot) {
		if core.IsNil(a) {
			record(next, "SetAuth", fmt.Errorf("%w: SetAuth with a nil %T", request.ErrInvalidOption, a))
			return
		}
		next.Auth = a
		record(next, "SetAuth", nil)
	})
}

// cookieErrKey is the prefix of the keys under which SetCookie keeps what
// it rejected, one per cookie name.
const cookieErrKey = "SetCookie "

// SetCookie sets a session-wide cookie, like requests'
// s.cookies.set(name, value): it is sent to every host this session
// requests directly, but never on a redirect to another host. An invalid
// name or value is an error matching [request.ErrInvalidCookie] (and
// [jar.ErrInvalidCookie]) that Do returns until SetCookie is called with a
// valid value for that name, or [Session.SetJar] replaces the jar. For
// domain and path, use Jar().Set.
func (s *Session) SetCookie(name, value string) *Session {
	return s.update(func(next *core.Snapshot) {
		// Under the session's lock, so that a concurrent SetJar cannot
		// publish a jar this cookie never reached.
		err := next.Jar.Set(name, value)
		if err != nil {
			err = fmt.Errorf("%w: %w", request.ErrInvalidCookie, err)
		}
		record(next, cookieErrKey+name, err)
	})
}

// SetJar replaces the session's cookie jar, e.g. with one loaded from a
// cookies.txt file, and forgets what SetCookie rejected for the old jar.
// Nil gives the session a new empty jar. Builders spawned before keep the
// jar they were spawned with.
func (s *Session) SetJar(j *jar.Jar) *Session {
	if j == nil {
		j = jar.New()
	}
	return s.update(func(next *core.Snapshot) {
		next.Jar = j
		for k := range next.Errs {
			if strings.HasPrefix(k, cookieErrKey) {
				next.Errs = core.WithErr(next.Errs, k, nil)
			}
		}
	})
}

// SetTimeout bounds every call, redirects and body included; zero means no
// timeout (the default, as in requests). Negative is an error from Do.
func (s *Session) SetTimeout(d time.Duration) *Session {
	return s.update(func(next *core.Snapshot) {
		if d < 0 {
			record(next, "SetTimeout", fmt.Errorf("%w: negative timeout %v", request.ErrInvalidOption, d))
			return
		}
		next.Timeout = d
		record(next, "SetTimeout", nil)
	})
}

// SetMaxRedirects sets how many redirects a call may follow (default 30).
// Negative is an error from Do.
func (s *Session) SetMaxRedirects(n int) *Session {
	return s.update(func(next *core.Snapshot) {
		if n < 0 {
			record(next, "SetMaxRedirects", fmt.Errorf("%w: negative redirect limit %d", request.ErrInvalidOption, n))
			return
		}
		next.MaxRedirects = n
		record(next, "SetMaxRedirects", nil)
	})
}

// SetMaxBodySize sets the most bytes of a response body, counted after
// decoding, that a call reads into memory; past it the call fails with
// [request.ErrBodyTooLarge] and the connection is closed. Zero means no
// limit, the default, as in requests. Negative is an error from Do.
func (s *Session) SetMaxBodySize(n int64) *Session {
	return s.update(func(next *core.Snapshot) {
		if n < 0 {
			record(next, "SetMaxBodySize", fmt.Errorf("%w: negative body size limit %d", request.ErrInvalidOption, n))
			return
		}
		next.MaxBodySize = n
		record(next, "SetMaxBodySize", nil)
	})
}

// SetConnectTimeout bounds making each connection, TLS handshake
// included, like the first element of requests' timeout=(connect, read);
// see [request.Builder.ConnectTimeout]. Zero means no bound of its own;
// negative is an error from Do.
func (s *Session) SetConnectTimeout(d time.Duration) *Session {
	return s.setDuration("SetConnectTimeout", d, func(next *core.Snapshot) { next.ConnectTimeout = d })
}

// SetReadTimeout bounds each wait for the server, for response headers and
// between two reads of a body, like the second element of requests'
// timeout=(connect, read); see [request.Builder.ReadTimeout]. Zero means no
// bound of its own; negative is an error from Do.
func (s *Session) SetReadTimeout(d time.Duration) *Session {
	return s.setDuration("SetReadTimeout", d, func(next *core.Snapshot) { next.ReadTimeout = d })
}

// setDuration records a negative d, or applies set.
func (s *Session) setDuration(setter string, d time.Duration, set func(*core.Snapshot)) *Session {
	return s.update(func(next *core.Snapshot) {
		if d < 0 {
			record(next, setter, fmt.Errorf("%w: %s(%v)", request.ErrInvalidOption, setter, d))
			return
		}
		set(next)
		record(next, setter, nil)
	})
}

// SetRetry sets the retry policy of every call (see [request.Retry]); a
// call can replace it with Retry or turn it off with NoRetry. The zero
// Retry turns retries off.
func (s *Session) SetRetry(r request.Retry) *Session {
	return s.update(func(next *core.Snapshot) {
		if err := request.CheckRetry(r); err != nil {
			record(next, "SetRetry", err)
			return
		}
		r.Statuses, r.Methods = slices.Clone(r.Statuses), slices.Clone(r.Methods)
		next.Retry = &r
		record(next, "SetRetry", nil)
	})
}

// OnResponse adds a response hook to every call, like appending to
// requests' s.hooks['response']: it runs on every hop's response, redirects
// included, in the order added; see [request.Builder.OnResponse], whose
// hooks replace the session's for one call. A nil fn is an error from Do.
func (s *Session) OnResponse(fn func(*request.Response) error) *Session {
	return s.update(func(next *core.Snapshot) {
		if fn == nil {
			record(next, "OnResponse", fmt.Errorf("%w: OnResponse with a nil hook", request.ErrInvalidOption))
			return
		}
		hooks, _ := next.Hooks.([]func(*request.Response) error)
		next.Hooks = append(slices.Clip(hooks), fn)
		record(next, "OnResponse", nil)
	})
}

// Use wraps the session's transport in mw, Go-style middleware (tracing,
// metrics, signing, caching): mw sees the final *http.Request of every hop,
// cookies and credentials applied, and every retry. The first Use is the
// outermost, as with chi or alice. The chain is composed here, once, not
// per request; [Session.Close] still reaches the transport underneath. A
// nil mw, or one that returns nil, is an error from Do.
func (s *Session) Use(mw func(http.RoundTripper) http.RoundTripper) *Session {
	return s.update(func(next *core.Snapshot) {
		if mw == nil {
			record(next, "Use", fmt.Errorf("%w: Use with a nil middleware", request.ErrInvalidOption))
			return
		}
		chain := append(slices.Clip(next.Middleware), mw)
		rt := next.Base
		for i := len(chain) - 1; i >= 0; i-- {
			if rt = chain[i](rt); rt == nil {
				record(next, "Use", fmt.Errorf("%w: middleware %d of %d returned a nil transport", request.ErrInvalidOption, i+1, len(chain)))
				return
			}
		}
		next.Middleware, next.Transport = chain, rt
		record(next, "Use", nil)
	})
}

// SetVerify turns certificate verification on or off for every call,
// requests' s.verify = False. Off is for tests against self-signed
// servers; connections made without verification are pooled apart and never
// serve a call that verifies. A call can override it with Verify.
func (s *Session) SetVerify(verify bool) *Session {
	return s.update(func(next *core.Snapshot) {
		t := tlsChoice(next)
		t.Insecure = !verify
		next.TLS = t
	})
}

// SetCABundle makes every call trust the CA certificates of the PEM file
// at path (and no others), requests' s.verify = '/path'. The file is read
// now; one that cannot be read or holds no certificate is an error that Do
// returns. It beats REQUESTS_CA_BUNDLE and the other environment bundles.
func (s *Session) SetCABundle(path string) *Session {
	pem, err := os.ReadFile(path)
	var pool *x509.CertPool
	if err == nil {
		pool, err = core.LoadRoots(pem, path)
	}
	return s.update(func(next *core.Snapshot) {
		if err != nil {
			record(next, "SetCABundle", fmt.Errorf("%w: CA bundle: %w", request.ErrInvalidOption, err))
			return
		}
		t := tlsChoice(next)
		t.Roots, t.RootsID = pool, "file:"+path
		next.TLS = t
		record(next, "SetCABundle", nil)
	})
}

// SetRootCAs makes every call trust the CA certificates in pool (and no
// others), like SetCABundle from a pool already built. Nil goes back to
// the system's roots.
func (s *Session) SetRootCAs(pool *x509.CertPool) *Session {
	if pool != nil {
		pool = pool.Clone()
	}
	return s.update(func(next *core.Snapshot) {
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
// (cert, key). The files are read now; an error reading or matching them
// is returned by Do.
func (s *Session) SetClientCert(certFile, keyFile string) *Session {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	return s.update(func(next *core.Snapshot) {
		if err != nil {
			record(next, "SetClientCert", fmt.Errorf("%w: client certificate: %w", request.ErrInvalidOption, err))
			return
		}
		t := tlsChoice(next)
		t.Cert, t.CertID = &cert, certFile+"\x00"+keyFile
		next.TLS = t
		record(next, "SetClientCert", nil)
	})
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
// directly. A value that is not a proxy URL is an error that Do returns.
func (s *Session) SetProxies(proxies map[string]string) *Session {
	var err error
	for k, v := range proxies {
		if v == "" {
			continue
		}
		if _, perr := request.ParseProxy(v); perr != nil {
			err = fmt.Errorf("proxies[%q]: %w", k, perr)
			break
		}
	}
	return s.update(func(next *core.Snapshot) {
		if err != nil {
			record(next, "SetProxies", err)
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
func (s *Session) SetTrustEnv(trust bool) *Session {
	return s.update(func(next *core.Snapshot) { next.NoTrustEnv = !trust })
}

// Mount sends every call whose URL starts with prefix (compared
// case-insensitively) through rt instead of the session's transport, like
// requests' s.mount(prefix, adapter): the longest matching prefix wins, and
// cookies, auth, hooks, retries and redirects still apply. Mounting a
// prefix again replaces it; a nil rt removes it.
func (s *Session) Mount(prefix string, rt http.RoundTripper) *Session {
	return s.update(func(next *core.Snapshot) {
		if prefix == "" {
			record(next, "Mount", fmt.Errorf("%w: Mount with an empty prefix", request.ErrInvalidOption))
			return
		}
		mounts := slices.DeleteFunc(slices.Clone(next.Mounts), func(m core.Mount) bool { return strings.EqualFold(m.Prefix, prefix) })
		if rt != nil {
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
// Set-Cookie values and URL userinfo redacted. Nil turns it off.
func (s *Session) SetLogger(l *slog.Logger) *Session {
	return s.update(func(next *core.Snapshot) { next.Logger = l })
}

// SetTrace makes every call fill [request.Response.Timings] (see
// [request.Builder.Trace]).
func (s *Session) SetTrace(on bool) *Session {
	return s.update(func(next *core.Snapshot) { next.Trace = on })
}

// BaseURL returns the base URL, or "" if none.
func (s *Session) BaseURL() string {
	if u := s.state().BaseURL; u != nil {
		return u.String()
	}
	return ""
}

// Headers returns a copy of the default headers.
func (s *Session) Headers() http.Header { return s.state().Header.Clone() }

// Params returns a copy of the default query parameters. Their order, which
// requests keeps on the wire, is in [Session.ParamList].
func (s *Session) Params() url.Values {
	out := url.Values{}
	for _, p := range s.state().Params {
		out[p.Key] = slices.Clone(p.Values)
	}
	return out
}

// ParamList returns the default query parameters in the order they are sent.
func (s *Session) ParamList() []request.Param {
	ps := s.state().Params
	out := make([]request.Param, len(ps))
	for i, p := range ps {
		out[i] = request.Param{Key: p.Key, Values: slices.Clone(p.Values)}
	}
	return out
}

// Auth returns the default auth, or nil.
func (s *Session) Auth() request.Auth {
	if a, ok := s.state().Auth.(request.Auth); ok {
		return a
	}
	return nil
}

// Jar returns the session's live cookie jar: changes to it apply to every
// request, builders already spawned from the session included (as long as
// [Session.SetJar] has not replaced it since they were spawned).
func (s *Session) Jar() *jar.Jar { return s.state().Jar }

// Timeout returns the default timeout; zero means none.
func (s *Session) Timeout() time.Duration { return s.state().Timeout }

// TLSConfig returns a clone of the TLS configuration the session's
// transport was built with, or nil when it uses Go's defaults or a
// transport given with [WithTransport] that is not an *http.Transport.
func (s *Session) TLSConfig() *tls.Config {
	if t := s.pool(); t != nil && t.TLSClientConfig != nil {
		return t.TLSClientConfig.Clone()
	}
	return nil
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

// MaxBodySize returns the most bytes of a response body a call reads into
// memory; zero means no limit.
func (s *Session) MaxBodySize() int64 { return s.state().MaxBodySize }

// ConnectTimeout returns the default connect timeout; zero means none.
func (s *Session) ConnectTimeout() time.Duration { return s.state().ConnectTimeout }

// ReadTimeout returns the default read timeout; zero means none.
func (s *Session) ReadTimeout() time.Duration { return s.state().ReadTimeout }

// Retry returns the default retry policy (the zero Retry when none).
func (s *Session) Retry() request.Retry {
	if r, ok := s.state().Retry.(*request.Retry); ok {
		cp := *r
		cp.Statuses, cp.Methods = slices.Clone(r.Statuses), slices.Clone(r.Methods)
		return cp
	}
	return request.Retry{}
}

// Hooks returns how many response hooks the session runs on every call.
func (s *Session) Hooks() int {
	hooks, _ := s.state().Hooks.([]func(*request.Response) error)
	return len(hooks)
}

// TrustEnv reports whether calls read the environment (default true).
func (s *Session) TrustEnv() bool { return !s.state().NoTrustEnv }

// Verify reports whether calls verify certificates (default true).
func (s *Session) Verify() bool {
	t := s.state().TLS
	return t == nil || !t.Insecure
}

// Mounts returns the mounted prefixes, longest first.
func (s *Session) Mounts() []string {
	var out []string
	for _, m := range s.state().Mounts {
		out = append(out, m.Prefix)
	}
	return out
}

// MaxRedirects returns how many redirects a call may follow.
func (s *Session) MaxRedirects() int { return s.state().MaxRedirects }

// Err returns what the setters rejected (joined), or nil. Do returns the
// same error for every request until the setter is called again with a
// valid value.
func (s *Session) Err() error { return s.state().Err() }

// Request spawns a builder for method and url over the session as it is
// now. As requests' s.request, it follows redirects whatever the method,
// HEAD included; only [Session.Head] does not.
func (s *Session) Request(method, url string) request.Builder {
	return spawn(s.state(), method, url, false)
}

// Get spawns a GET request.
func (s *Session) Get(url string) request.Builder { return s.Request(http.MethodGet, url) }

// Post spawns a POST request.
func (s *Session) Post(url string) request.Builder { return s.Request(http.MethodPost, url) }

// Put spawns a PUT request.
func (s *Session) Put(url string) request.Builder { return s.Request(http.MethodPut, url) }

// Patch spawns a PATCH request.
func (s *Session) Patch(url string) request.Builder { return s.Request(http.MethodPatch, url) }

// Delete spawns a DELETE request.
func (s *Session) Delete(url string) request.Builder { return s.Request(http.MethodDelete, url) }

// Head spawns a HEAD request. As in requests, it does not follow redirects
// unless asked with [request.Builder.FollowRedirects].
func (s *Session) Head(url string) request.Builder {
	return spawn(s.state(), http.MethodHead, url, true)
}

// Options spawns an OPTIONS request.
func (s *Session) Options(url string) request.Builder { return s.Request(http.MethodOptions, url) }

// Close closes the idle pooled connections of the session's transport
// (also one given with [WithTransport], when it pools). It is idempotent and
// the session stays usable, as in requests: the next request opens a new
// connection. Cookies and defaults are kept. It always returns nil.
func (s *Session) Close() error {
	core.CloseIdle(s.state().Base)
	return nil
}
