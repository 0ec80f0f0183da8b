// Package proxyenv chooses the proxy for a URL the way requests does: from an
// explicit proxies map keyed like requests' proxies, and from the environment
// (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY) read when asked, not once per
// process.
//
// The reference is requests 2.34 on CPython 3.11 on Linux:
// requests.utils.select_proxy, should_bypass_proxies, get_environ_proxies and
// resolve_proxies, and urllib.request.getproxies_environment and
// proxy_bypass_environment (what urllib's proxy_bypass is when there is no
// registry and no macOS system configuration).
//
// Unlike net/http's ProxyFromEnvironment and golang.org/x/net/http/httpproxy,
// nothing here exempts localhost or loopback addresses: requests proxies them
// unless NO_PROXY names them.
package proxyenv

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Map is requests' proxies dict. Keys are "http", "https", "all",
// "http://host", "https://host" and "all://host" (any scheme can stand in for
// http and https); values are proxy URLs. Host keys hold the host as
// urlparse's hostname gives it: lower case, an IPv6 address without brackets
// ("http://::1"), and no port: a "scheme://host:port" key is never consulted.
// Any other key (such as "no" or "ftp" from the environment, or "no_proxy",
// which Resolve reads) is carried along and ignored by Select.
type Map map[string]string

// ErrInvalidProxyURL is requests' InvalidProxyURL: the proxy URL has no host
// once "http://" has been put in front of a scheme-less value.
var ErrInvalidProxyURL = errors.New("proxyenv: invalid proxy URL: it is malformed and could be missing the host")

// ErrProxySchemeUnknown is urllib3's ProxySchemeUnknown (and its ValueError
// for a socks scheme it has no version for): a proxy scheme other than http,
// https, socks4, socks4a, socks5 and socks5h.
var ErrProxySchemeUnknown = errors.New("proxyenv: proxy URL scheme is not supported")

// Lookup is requests.utils.select_proxy: the proxy URL for u as it is written
// in m, and whether a key matched. The keys are tried in select_proxy's order:
// "scheme://host", "scheme", "all://host", "all"; when u has no host, only
// "scheme" and "all". The first key present wins even when its value is
// empty, so {"https": "", "all": "http://p"} sends https URLs direct.
func (m Map) Lookup(u *url.URL) (string, bool) {
	if u == nil {
		return "", false
	}
	scheme := strings.ToLower(u.Scheme)
	host, ok := hostname(u)
	var keys []string
	if !ok {
		keys = []string{scheme, "all"}
	} else {
		keys = []string{scheme + "://" + host, scheme, "all://" + host, "all"}
	}
	for _, k := range keys {
		if v, found := m[k]; found {
			return v, true
		}
	}
	return "", false
}

// Select returns the proxy for u as requests' HTTPAdapter picks it: the value
// Lookup finds, nil when none is found or the value is empty (requests tests
// the value for truth), and otherwise the value with "http://" put in front
// when it has no scheme (prepend_scheme_if_needed, which follows urllib3's
// parse_url: "proxy.local:3128" gets "http://", but "proxy:3128" and
// "localhost:3128" read as a scheme and a path, so they have no host and are
// ErrInvalidProxyURL, as in requests).
func (m Map) Select(u *url.URL) (*url.URL, error) {
	v, ok := m.Lookup(u)
	if !ok || v == "" {
		return nil, nil
	}
	return ParseProxyURL(v)
}

// urllib3's parse_url, as far as a proxy URL needs it: a value that does not
// start with a scheme or "/" gets "//" in front, then the URI is split (Python's
// "." there matches a newline too, hence (?s)), and the authority's host and
// port must match hostPortRE.
var (
	schemeRE = regexp.MustCompile(`^(?:[a-zA-Z][a-zA-Z0-9+-]*:|/)`)
	uriRE    = regexp.MustCompile(`(?s)^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?://([^\\/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$`)
	// ipv4Shape is urllib3's loose dotted quad (999 is allowed).
	ipv4Shape  = `(?:[0-9]{1,3}\.){3}[0-9]{1,3}`
	hostPortRE = regexp.MustCompile(`^(` +
		`(?:[^\[\]%:/?#]|%[a-fA-F0-9]{2})*` + // reg-name, percent escapes allowed
		`|` + ipv4Shape +
		`|\[` + ipv6Pattern() + `(?:(?:%25|%)(?:[A-Za-z0-9._\-~]|%[a-fA-F0-9]{2})+)?\]` +
		`)(?::0*?(|0|[1-9][0-9]{0,4}))?` +
		// Python's "$" also matches before a final newline.
		`\n?$`)
)

// ipv6Pattern is RFC 3986's IPv6address, with urllib3's loose dotted quad.
func ipv6Pattern() string {
	const h16 = `[0-9A-Fa-f]{1,4}`
	ls32 := `(?:` + h16 + `:` + h16 + `|` + ipv4Shape + `)`
	// n16 is "h16 ':' " n times.
	n16 := func(n int) string { return fmt.Sprintf(`(?:%s:){%d}`, h16, n) }
	// upTo is "[ *n( h16 ':' ) h16 ]".
	upTo := func(n int) string { return fmt.Sprintf(`(?:(?:%s:){0,%d}%s)?`, h16, n, h16) }
	alts := []string{
		n16(6) + ls32,
		`::` + n16(5) + ls32,
		upTo(0) + `::` + n16(4) + ls32,
		upTo(1) + `::` + n16(3) + ls32,
		upTo(2) + `::` + n16(2) + ls32,
		upTo(3) + `::` + h16 + `:` + ls32,
		upTo(4) + `::` + ls32,
		upTo(5) + `::` + h16,
		upTo(6) + `::`,
	}
	return `(?:` + strings.Join(alts, `|`) + `)`
}

// ParseProxyURL turns a proxies value into the URL requests connects to:
// prepend_scheme_if_needed(value, "http"), then the adapter's checks (a host
// is required: ErrInvalidProxyURL) and the proxy manager's (the scheme must
// be http, https, socks4, socks4a, socks5 or socks5h, in any case:
// ErrProxySchemeUnknown). The scheme comes back in lower case, and so does
// the host of an http or https proxy (urllib3 normalizes those); the port
// loses leading zeros, and a port of 0 is dropped (prepend_scheme_if_needed
// drops it); the path, query and fragment, which a proxy does not use, are
// dropped too.
//
// User and password are unescaped and kept only where requests would use
// them: "user:password@" for http and https proxies when the user is not
// empty (HTTPAdapter.proxy_headers), and for socks proxies when neither is
// empty (PySocks offers user/password authentication only then). User info
// without a ":" gives requests no credentials at all (get_auth_from_url).
//
// net/http's Transport speaks http, https, socks5 and socks5h proxies, not
// socks4 or socks4a, which are returned all the same since requests takes
// them. A non-ASCII host is lower-cased, not IDNA-encoded as urllib3 does.
func ParseProxyURL(value string) (*url.URL, error) {
	s := value
	if !schemeRE.MatchString(s) {
		s = "//" + s
	}
	g := uriRE.FindStringSubmatch(s)
	if g == nil {
		return nil, errors.New("proxyenv: cannot parse proxy URL")
	}
	scheme, authority := strings.ToLower(g[1]), g[2]
	if authority == "" {
		// urllib3 gives no host; prepend_scheme_if_needed swaps the path
		// into the netloc, which leaves "scheme:///path", still hostless.
		return nil, ErrInvalidProxyURL
	}
	auth, hostPort, hasAuth := "", authority, false
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		auth, hostPort, hasAuth = authority[:i], authority[i+1:], true
	}
	m := hostPortRE.FindStringSubmatch(hostPort)
	if m == nil {
		return nil, errors.New("proxyenv: cannot parse proxy URL: bad host or port")
	}
	host, port := m[1], ""
	if m[2] != "" {
		n, _ := strconv.Atoi(m[2])
		if n > 65535 {
			return nil, fmt.Errorf("proxyenv: cannot parse proxy URL: port %d out of range", n)
		}
		if n != 0 {
			port = strconv.Itoa(n)
		}
	}
	if host == "" {
		return nil, ErrInvalidProxyURL
	}
	if scheme == "" {
		scheme = "http"
	}
	socks := false
	switch scheme {
	case "http", "https":
		host = normalizeHost(host)
	case "socks4", "socks4a", "socks5", "socks5h":
		socks = true
		if strings.HasPrefix(host, "[") {
			// urllib3 leaves the host alone; net/url wants a zone
			// unescaped in Host: "[fe80::1%en0]".
			host = strings.Replace(host, "%25", "%", 1)
		}
	default:
		return nil, fmt.Errorf("%w: %q", ErrProxySchemeUnknown, scheme)
	}
	u := &url.URL{Scheme: scheme, Host: host}
	if port != "" {
		u.Host += ":" + port
	}
	if user, pass, ok := strings.Cut(auth, ":"); hasAuth && ok {
		user, pass = unquote(user), unquote(pass)
		if user != "" && (!socks || pass != "") {
			u.User = url.UserPassword(user, pass)
		}
	}
	return u, nil
}

// normalizeHost is urllib3's _normalize_host for http and https: lower case,
// except for an IPv6 zone.
func normalizeHost(host string) string {
	if !strings.HasPrefix(host, "[") {
		return pyLower(host)
	}
	if i := strings.IndexByte(host, '%'); i >= 0 {
		zone := host[i:]
		if strings.HasPrefix(zone, "%25") && zone != "%25]" {
			zone = "%" + zone[3:]
		}
		return strings.ToLower(host[:i]) + zone
	}
	return strings.ToLower(host)
}

func isHex(c rune) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// unquote is urllib.parse.unquote: bad escapes stay as they are.
func unquote(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(rune(s[i+1])) && isHex(rune(s[i+2])) {
			v, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			b.WriteByte(byte(v))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// hostname is urlparse(url).hostname for the URL u: lower case up to an IPv6
// zone, no brackets, a zone escaped again as "%25", and false for no host.
func hostname(u *url.URL) (string, bool) {
	h := u.Hostname()
	if h == "" {
		return "", false
	}
	if strings.HasPrefix(u.Host, "[") {
		if i := strings.IndexByte(h, '%'); i >= 0 {
			h = h[:i] + "%25" + h[i+1:]
		}
	}
	// urlparse lowercases up to the first "%" (a zone keeps its case).
	if i := strings.IndexByte(h, '%'); i >= 0 {
		return pyLower(h[:i]) + h[i:], true
	}
	return pyLower(h), true
}

// port is urlparse(url).port as an int: 0 for none.
func port(u *url.URL) int {
	p := u.Port()
	if p == "" {
		return 0
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		return 0
	}
	return n
}
