package jar

// This file holds the host, domain and path rules of RFC 6265 §5.1. They
// follow net/http/cookiejar (Go 1.26, BSD licence) closely, because the
// standard library does not export them; the differential test in
// differential_test.go keeps the two in step.

import (
	"net"
	"net/netip"
	"strings"

	"golang.org/x/net/idna"
)

// canonicalHost strips the port from host, drops a trailing dot, converts
// the name to Punycode and lowercases it (RFC 6265 §5.1.2). Unlike
// net/http/cookiejar, it also strips the brackets of an IPv6 address
// without a port, so "[::1]" and "[::1]:80" are the same host.
func canonicalHost(host string) (string, error) {
	var err error
	if hasPort(host) {
		host, _, err = net.SplitHostPort(host)
		if err != nil {
			return "", err
		}
	} else if len(host) > 1 && host[0] == '[' && host[len(host)-1] == ']' {
		host = host[1 : len(host)-1]
	}
	host = strings.TrimSuffix(host, ".")
	return toLowerASCII(host)
}

// toLowerASCII converts name to Punycode and lowercases it.
func toLowerASCII(name string) (string, error) {
	if !isASCII(name) {
		var err error
		name, err = idna.Punycode.ToASCII(name)
		if err != nil {
			return "", err
		}
	}
	return strings.ToLower(name), nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// hasPort reports whether host (a name, an IPv4 or a bracketed IPv6
// address) carries a port number.
func hasPort(host string) bool {
	colons := strings.Count(host, ":")
	if colons == 0 {
		return false
	}
	if colons == 1 {
		return true
	}
	return host[0] == '[' && strings.Contains(host, "]:")
}

// isIP reports whether host is an IP address. Anything with a colon or a
// percent sign counts as one, as no host name can contain them; treating
// such a host as an IP address is the conservative choice (no subdomains).
func isIP(host string) bool {
	if strings.ContainsAny(host, ":%") {
		return true
	}
	// Without a colon, netip.ParseAddr reads IPv4 only: digits and dots.
	// A name with any other byte is not one, and is told so without the
	// error value ParseAddr would allocate for it (on every lookup).
	for i := 0; i < len(host); i++ {
		if c := host[i]; (c < '0' || c > '9') && c != '.' {
			return false
		}
	}
	_, err := netip.ParseAddr(host)
	return err == nil
}

// hasDotSuffix reports whether s ends in "."+suffix.
func hasDotSuffix(s, suffix string) bool {
	return len(s) > len(suffix) && s[len(s)-len(suffix)-1] == '.' && s[len(s)-len(suffix):] == suffix
}

// jarKey returns the bucket a host's cookies live in: its registrable
// domain (eTLD+1), or the host itself for IP addresses, public suffixes
// and hosts a broken list cannot place.
func jarKey(host string, psl PublicSuffixList) string {
	if isIP(host) {
		return host
	}
	suffix := psl.PublicSuffix(host)
	if suffix == host {
		return host
	}
	i := len(host) - len(suffix)
	if i <= 0 || host[i-1] != '.' {
		return host
	}
	prevDot := strings.LastIndex(host[:i-1], ".")
	return host[prevDot+1:]
}

// defaultPath returns the default-path of RFC 6265 §5.1.4: the request
// path up to, not including, its last slash.
func defaultPath(path string) string {
	if len(path) == 0 || path[0] != '/' {
		return "/"
	}
	i := strings.LastIndex(path, "/")
	if i == 0 {
		return "/"
	}
	return path[:i]
}

// pathMatch implements path-match of RFC 6265 §5.1.4.
func pathMatch(cookiePath, requestPath string) bool {
	if requestPath == cookiePath {
		return true
	}
	if strings.HasPrefix(requestPath, cookiePath) {
		if cookiePath[len(cookiePath)-1] == '/' {
			return true // "/any/" matches "/any/path".
		}
		if requestPath[len(cookiePath)] == '/' {
			return true // "/any" matches "/any/path".
		}
	}
	return false
}

// domainAndType decides the stored domain of a cookie received from host
// with the given Domain attribute, and whether it is host-only
// (RFC 6265 §5.3 steps 4-6).
func domainAndType(host, domain string, psl PublicSuffixList) (string, bool, error) {
	if domain == "" {
		return host, true, nil
	}
	if isIP(host) {
		// Browsers and curl accept Domain=<the IP itself> and treat the
		// cookie as host-only; anything else is refused.
		if host != domain {
			return "", false, errIllegalDomain
		}
		return host, true, nil
	}
	domain = strings.TrimPrefix(domain, ".")
	if len(domain) == 0 || domain[0] == '.' {
		return "", false, errMalformedDomain
	}
	if !isASCII(domain) {
		return "", false, errMalformedDomain
	}
	domain = strings.ToLower(domain)
	if domain[len(domain)-1] == '.' {
		return "", false, errMalformedDomain
	}
	if ps := psl.PublicSuffix(domain); ps != "" && !hasDotSuffix(domain, ps) {
		if host == domain {
			// A public suffix may set a cookie for itself, host-only.
			return host, true, nil
		}
		return "", false, errIllegalDomain
	}
	if host != domain && !hasDotSuffix(host, domain) {
		return "", false, errIllegalDomain
	}
	return domain, false, nil
}

// isValidIP reports whether s is an IP address netip can parse.
func isValidIP(s string) bool {
	_, err := netip.ParseAddr(s)
	return err == nil
}
