package proxyenv

import (
	"net/url"
	"strings"
)

// Env is the process environment read at one moment, as requests sees it on
// Linux: variables in the order os.environ lists them (which decides between
// two spellings, such as HTTP_PROXY and Http_Proxy, that differ in more than
// the lower case of the whole name).
//
// The zero Env is an empty environment.
type Env struct {
	vars []envVar
	// noProxy, when set, is requests' no_proxy argument (a proxies map's
	// "no_proxy" key), which replaces the environment's NO_PROXY.
	noProxy *string
}

type envVar struct{ name, value string }

// ReadEnv returns the environment environ, given as os.Environ gives it
// ("NAME=value" strings, in order). Strings without "=" are ignored; when a
// name comes twice, the first one counts, as it does for CPython's os.environ.
// Call it with os.Environ() whenever the environment is to be read again:
// requests reads it afresh for every request.
func ReadEnv(environ []string) Env {
	var e Env
	seen := make(map[string]bool, len(environ))
	for _, kv := range environ {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || seen[name] {
			continue
		}
		seen[name] = true
		e.vars = append(e.vars, envVar{name, value})
	}
	return e
}

// lookup is os.environ.get(name) with an empty default.
func (e Env) lookup(name string) (string, bool) {
	for _, v := range e.vars {
		if v.name == name {
			return v.value, true
		}
	}
	return "", false
}

// WithNoProxy returns e as requests sees it when it is passed no_proxy=v, as
// Session.request and resolve_proxies do with a proxies map's "no_proxy" key:
// Bypass then reads v in place of NO_PROXY (an empty v turns NO_PROXY off),
// and urllib's part of the check sees the variable no_proxy set to v.
// Proxies still returns the environment's own proxies, "no" included.
func (e Env) WithNoProxy(v string) Env {
	e.noProxy = &v
	return e
}

// withVar is set_environ: the variable name set to value, in place when it
// exists, at the end otherwise.
func (e Env) withVar(name, value string) Env {
	vars := make([]envVar, len(e.vars), len(e.vars)+1)
	copy(vars, e.vars)
	for i := range vars {
		if vars[i].name == name {
			vars[i].value = value
			e.vars = vars
			return e
		}
	}
	e.vars = append(vars, envVar{name, value})
	return e
}

// ProxyVars is urllib.request.getproxies_environment: every variable whose name
// ends in "_proxy" in any case, keyed by the lower-case name without
// "_proxy" ("http", "https", "all", "no", "ftp", ...). Empty values don't
// count. A name ending in lower-case "_proxy" (http_proxy, HTTP_proxy) beats
// the others (HTTP_PROXY), and an empty one removes them: http_proxy=""
// turns HTTP_PROXY off. When REQUEST_METHOD is set, even to "", only such a
// lower-case-suffixed name can give "http" (the CGI rule of
// CVE-2016-1000110).
func (e Env) ProxyVars() Map {
	m := Map{}
	for _, v := range e.vars {
		name := pyLower(v.name)
		if v.value != "" && strings.HasSuffix(name, "_proxy") {
			m[name[:len(name)-len("_proxy")]] = v.value
		}
	}
	if _, cgi := e.lookup("REQUEST_METHOD"); cgi {
		delete(m, "http")
	}
	for _, v := range e.vars {
		if !strings.HasSuffix(v.name, "_proxy") {
			continue
		}
		name := pyLower(v.name)
		key := name[:len(name)-len("_proxy")]
		if v.value != "" {
			m[key] = v.value
		} else {
			delete(m, key)
		}
	}
	return m
}

// Proxies is requests.utils.get_environ_proxies: ProxyVars when Bypass is
// false, an empty Map when it is true. Like requests, it returns every
// *_proxy variable, "no" (NO_PROXY) included.
func (e Env) Proxies(u *url.URL) Map {
	if e.Bypass(u) {
		return Map{}
	}
	return e.ProxyVars()
}

// Resolve is requests.utils.resolve_proxies with trust_env=True (what
// Session.rebuild_proxies does on each redirect): a copy of proxies, to which
// the environment's proxy for u's scheme (its scheme variable, else
// ALL_PROXY) is added under the scheme's key, unless that key is there
// already or NO_PROXY (or proxies["no_proxy"], which replaces it) bypasses u.
func (e Env) Resolve(u *url.URL, proxies Map) Map {
	out := make(Map, len(proxies)+1)
	for k, v := range proxies {
		out[k] = v
	}
	env := e
	if np, ok := proxies["no_proxy"]; ok {
		env = e.WithNoProxy(np)
	}
	if env.Bypass(u) {
		return out
	}
	scheme := strings.ToLower(u.Scheme)
	envProxies := env.ProxyVars()
	p, ok := envProxies[scheme]
	if !ok {
		p = envProxies["all"]
	}
	if p != "" {
		if _, has := out[scheme]; !has {
			out[scheme] = p
		}
	}
	return out
}

// Bypass is requests.utils.should_bypass_proxies for u: true when u has no
// host, or when NO_PROXY says so in either of the two ways requests asks.
//
// requests' own test takes no_proxy, else NO_PROXY (the first that is not
// empty), drops every space, splits on commas and skips empty entries. For
// a host that is an IPv4 address (as inet_aton reads one, so "127.1" is one)
// an entry matches when it is a CIDR block holding the address or the same
// string; nothing else, not even "host:port". For any other host (names and
// IPv6 addresses, without brackets) an entry, leading dots removed, matches
// the host or "host:port" (the URL's port as a number, when it has one other
// than 0) exactly or as a suffix after a dot: "example.com" and
// ".example.com" both match example.com and www.example.com, not
// notexample.com; entries are compared as written, so upper case never
// matches here.
//
// Then urllib's proxy_bypass_environment gets the host (without the port):
// its NO_PROXY is ProxyVars()["no"], exactly "*" bypasses everything, and
// otherwise each comma-separated entry, trimmed of white space, leading dots
// removed and lower-cased, matches the host, or the host with a trailing
// ":digits" removed (so "::1" is seen as ":"), exactly or as a suffix after a
// dot. This part applies to IPv4 addresses too: NO_PROXY=0.0.1 bypasses
// 127.0.0.1.
func (e Env) Bypass(u *url.URL) bool {
	if u == nil {
		return true
	}
	var noProxy string
	if e.noProxy != nil {
		noProxy = *e.noProxy
	} else {
		noProxy, _ = e.lookup("no_proxy")
		if noProxy == "" {
			noProxy, _ = e.lookup("NO_PROXY")
		}
	}
	host, ok := hostname(u)
	if !ok {
		return true
	}
	if noProxy != "" && requestsNoProxyMatch(host, port(u), noProxy) {
		return true
	}
	env := e
	if e.noProxy != nil {
		env = e.withVar("no_proxy", *e.noProxy)
	}
	return urllibNoProxyMatch(host, env.ProxyVars())
}

// requestsNoProxyMatch is the NO_PROXY loop of should_bypass_proxies.
func requestsNoProxyMatch(host string, port int, noProxy string) bool {
	var entries []string
	for _, h := range strings.Split(strings.ReplaceAll(noProxy, " ", ""), ",") {
		if h != "" {
			entries = append(entries, h)
		}
	}
	if ip, ok := inetAton(host); ok {
		for _, entry := range entries {
			if net, mask, ok := parseCIDR(entry); ok {
				if ip&mask == net&mask {
					return true
				}
			} else if host == entry {
				return true
			}
		}
		return false
	}
	hostWithPort := host
	if port != 0 {
		hostWithPort += ":" + itoa(port)
	}
	for _, entry := range entries {
		entry = strings.TrimLeft(entry, ".")
		if host == entry || hostWithPort == entry {
			return true
		}
		entry = "." + entry
		if strings.HasSuffix(host, entry) || strings.HasSuffix(hostWithPort, entry) {
			return true
		}
	}
	return false
}

// urllibNoProxyMatch is urllib.request.proxy_bypass_environment(host, proxies).
func urllibNoProxyMatch(host string, proxies Map) bool {
	noProxy, ok := proxies["no"]
	if !ok {
		return false
	}
	if noProxy == "*" {
		return true
	}
	host = pyLower(host)
	hostOnly := splitPort(host)
	for _, name := range strings.Split(noProxy, ",") {
		name = pyStrip(name)
		if name == "" {
			continue
		}
		name = pyLower(strings.TrimLeft(name, "."))
		if hostOnly == name || host == name {
			return true
		}
		name = "." + name
		if strings.HasSuffix(hostOnly, name) || strings.HasSuffix(host, name) {
			return true
		}
	}
	return false
}

// splitPort is the host part of urllib.parse._splitport: the host without a
// final ":digits" (or a final ":").
func splitPort(host string) string {
	i := strings.LastIndexByte(host, ':')
	if i < 0 {
		return host
	}
	for _, c := range host[i+1:] {
		if c < '0' || c > '9' {
			return host
		}
	}
	return host[:i]
}
