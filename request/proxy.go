package request

import (
	"fmt"
	"maps"
	"net/url"
	"os"
	"slices"
	"sync/atomic"

	"github.com/tether-http/tether/internal/proxyenv"
	"github.com/tether-http/tether/internal/urls"
)

// proxyChoice returns how the call chooses a hop's proxy, or nil to leave
// it to the transport (the environment, read per request). The precedence:
// the call's Proxy or NoProxy; else the first of the call's Proxies and
// the session's explicit proxies with a key for the hop's URL; else (under
// trust_env) the environment with its NO_PROXY, or the call's "no_proxy"
// in its place.
func (s *sender) proxyChoice() func(*url.URL) (*url.URL, error) {
	var call proxyenv.Map
	if p := s.c.proxy; p != nil {
		if p.proxies == nil {
			proxy := p.proxy
			return func(*url.URL) (*url.URL, error) { return proxy, nil }
		}
		call = p.proxies
	}
	session := proxyenv.Map(s.snap.Proxies)
	if call == nil && len(session) == 0 {
		// With NoTrustEnv, the router's own transport reads no proxy from
		// the environment (core.Call.NoTrustEnv).
		return nil
	}
	trust := !s.snap.NoTrustEnv
	noProxy, hasNoProxy := call["no_proxy"]
	return func(u *url.URL) (*url.URL, error) {
		for _, m := range [...]proxyenv.Map{call, session} {
			if _, ok := m.Lookup(u); ok {
				return m.Select(u) // an empty value: direct, whatever the environment says
			}
		}
		switch {
		case !trust:
			return nil, nil
		case hasNoProxy:
			return envProxy(u, &noProxy)
		}
		return EnvProxy(u)
	}
}

// EnvProxy is the proxy the environment names for u, read now, by
// requests' rules: HTTP_PROXY, HTTPS_PROXY, ALL_PROXY (lower case first),
// unless NO_PROXY bypasses u. Unlike Go's http.ProxyFromEnvironment it is
// read on every call, honours ALL_PROXY, and proxies loopback hosts too
// unless NO_PROXY names them.
//
// A proxy URL in the environment that does not parse is an ErrInvalidURL
// error (requests' InvalidURL or InvalidProxyURL), and one whose scheme
// Go's transport does not speak (socks4, socks4a) is ErrUnsupportedScheme.
func EnvProxy(u *url.URL) (*url.URL, error) { return envProxy(u, nil) }

// envProxy is EnvProxy with noProxy, when it is not nil, read in place of
// NO_PROXY, as requests reads a proxies map's "no_proxy" key.
func envProxy(u *url.URL, noProxy *string) (*url.URL, error) {
	if !proxyVarSet() {
		return nil, nil // the common case, without copying the environment
	}
	env := readEnv()
	if noProxy != nil {
		env = env.WithNoProxy(*noProxy) // a copy: the cached Env is not changed
	}
	p, err := env.Proxies(u).Select(u)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w: the environment's proxy for %s: %w", ErrInvalidURL, redacted(u), err)
	case p == nil:
		return nil, nil
	}
	if !spokenProxyScheme(p.Scheme) {
		return nil, fmt.Errorf("%w: the environment's proxy for %s has scheme %q; want http, https, socks5 or socks5h", ErrUnsupportedScheme, redacted(u), p.Scheme)
	}
	return p, nil
}

// environ is the environment as it was last read into a proxyenv.Env.
type environ struct {
	vars []string // os.Environ()
	env  proxyenv.Env
}

var lastEnviron atomic.Pointer[environ]

// readEnv is proxyenv.ReadEnv(os.Environ()), read afresh for every request
// as requests reads it, but indexed again only when the environment has
// changed since the last request: the copy os.Environ makes is compared
// with the last one, string by string (the same strings, unless a variable
// was set).
func readEnv() proxyenv.Env {
	vars := os.Environ()
	if e := lastEnviron.Load(); e != nil && slices.Equal(e.vars, vars) {
		return e.env
	}
	env := proxyenv.ReadEnv(vars)
	lastEnviron.Store(&environ{vars: vars, env: env})
	return env
}

// spokenProxyScheme reports whether Go's transport speaks to a proxy of
// this scheme (not socks4 or socks4a, which requests takes).
func spokenProxyScheme(scheme string) bool {
	switch scheme {
	case "http", "https", "socks5", "socks5h":
		return true
	}
	return false
}

// proxyVars are the variables that can name a proxy for an http or https
// URL.
var proxyVars = []string{"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}

func proxyVarSet() bool {
	for _, v := range proxyVars {
		if os.Getenv(v) != "" {
			return true
		}
	}
	return false
}

// ParseProxy parses a proxy URL as requests does (no scheme means http),
// for Builder.Proxy and the session's SetProxies.
func ParseProxy(raw string) (*url.URL, error) {
	u, err := proxyenv.ParseProxyURL(raw)
	if err != nil {
		return nil, kindError(ErrInvalidOption, "proxy %q: %w", urls.Redact(raw), err)
	}
	if !spokenProxyScheme(u.Scheme) {
		return nil, kindError(ErrInvalidOption, "proxy %q: scheme %q, want http, https, socks5 or socks5h", redacted(u), u.Scheme)
	}
	return u, nil
}

// CheckProxies returns what [client.Session.SetProxies] and
// [Builder.Proxies] reject in a proxies map, as Do would report it (an
// error matching [ErrInvalidOption] naming the first bad key, in sorted
// order), or nil: a value that [ParseProxy] refuses. An empty value (go
// directly) and the "no_proxy" key (which holds hosts) are not proxy URLs.
func CheckProxies(proxies map[string]string) error {
	for _, k := range slices.Sorted(maps.Keys(proxies)) {
		if v := proxies[k]; v != "" && k != "no_proxy" {
			if _, err := ParseProxy(v); err != nil {
				return fmt.Errorf("proxies[%q]: %w", k, err)
			}
		}
	}
	return nil
}
