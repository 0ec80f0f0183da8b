package urls

import (
	"strconv"
	"strings"
)

// This file ports urllib3.util.url (urllib3 2.7.0): parse_url with its
// regular expressions, _encode_invalid_chars, _remove_path_dot_segments,
// _normalize_host and _encode_target. The regular expressions are matched by
// hand; where Python's `$` also matches before a final "\n", so do these.

var (
	unreservedSet = makeSet(alnum, "._-~")
	userinfoSet   = makeSet(alnum, "._-~", "!$&'()*+,;=", ":")
	pathSet       = makeSet(alnum, "._-~", "!$&'()*+,;=", ":", "@/")
	querySet      = makeSet(alnum, "._-~", "!$&'()*+,;=", ":", "@/", "?") // also _FRAGMENT_CHARS
)

// url3 is urllib3's Url; the has* fields tell None from "".
type url3 struct {
	scheme, auth, host, path, query, fragment string
	port                                      int
	hasScheme, hasAuth, hasHost, hasPort      bool
	hasPath, hasQuery, hasFragment            bool
}

// errLocationParse is urllib3's LocationParseError; label tells an IDNA
// failure from a parse failure.
type errLocationParse struct {
	label bool
}

func (e errLocationParse) Error() string {
	if e.label {
		return "not a valid IDNA label"
	}
	return "failed to parse"
}

// parseURL3 is urllib3.util.url.parse_url.
func parseURL3(url string) (u url3, err error) {
	if url == "" {
		return u, nil
	}
	var authority, rest string
	if !schemeRE(url) {
		// parse_url prepends "//": everything up to the first of \ / ? #
		// is the authority, and there is no scheme.
		j := indexAny4(url, 0)
		authority, rest = url[:j], url[j:]
	} else {
		rest = url
		if isASCIIAlpha(url[0]) {
			j := 1
			for j < len(url) && isSchemeChar(url[j]) {
				j++
			}
			if j < len(url) && url[j] == ':' {
				u.scheme, u.hasScheme, rest = asciiLower(url[:j]), true, url[j+1:]
			}
		}
		if strings.HasPrefix(rest, "//") {
			j := indexAny4(rest, 2)
			authority, rest = rest[2:j], rest[j:]
		}
	}
	// ([^?#]*)(?:\?([^#]*))?(?:#(.*))?$
	if j := strings.IndexByte(rest, '#'); j >= 0 {
		u.fragment, u.hasFragment, rest = rest[j+1:], true, rest[:j]
	}
	if j := strings.IndexByte(rest, '?'); j >= 0 {
		u.query, u.hasQuery, rest = rest[j+1:], true, rest[:j]
	}
	u.path = rest

	normalize := !u.hasScheme || u.scheme == "http" || u.scheme == "https"

	var portStr string
	if authority != "" {
		hostPort := authority
		if i := strings.LastIndexByte(authority, '@'); i >= 0 {
			u.auth, hostPort = authority[:i], authority[i+1:]
			u.hasAuth = u.auth != ""
		}
		var ok bool
		u.host, portStr, u.hasPort, ok = matchHostPort(hostPort)
		if !ok {
			return u, errLocationParse{}
		}
		u.hasHost = true
		if u.hasAuth && normalize {
			u.auth = encodeInvalid(u.auth, userinfoSet)
		}
		if u.hasPort && portStr == "" {
			u.hasPort = false
		}
	}
	if u.hasPort {
		// At most five digits: the regex allows no more.
		u.port, _ = strconv.Atoi(portStr)
		if u.port > 65535 {
			return u, errLocationParse{}
		}
	}
	if u.hasHost {
		if u.host, err = normalizeHost(u.host, normalize); err != nil {
			return u, err
		}
	}
	if normalize && u.path != "" {
		u.path = encodeInvalid(removeDotSegments(u.path), pathSet)
	}
	if normalize && u.query != "" {
		u.query = encodeInvalid(u.query, querySet)
	}
	if normalize && u.fragment != "" {
		u.fragment = encodeInvalid(u.fragment, querySet)
	}
	u.hasPath = u.path != "" || u.hasQuery || u.hasFragment
	if u.path != "" && u.path[0] != '/' {
		u.path = "/" + u.path
	}
	return u, nil
}

// indexAny4 is the index of the first of \ / ? # in s at or after from, or
// len(s).
func indexAny4(s string, from int) int {
	for i := from; i < len(s); i++ {
		switch s[i] {
		case '\\', '/', '?', '#':
			return i
		}
	}
	return len(s)
}

// schemeRE is _SCHEME_RE.search: ^(?:[a-zA-Z][a-zA-Z0-9+-]*:|/) — note, no
// '.' here although the scheme group of _URI_RE allows it.
func schemeRE(s string) bool {
	if s[0] == '/' {
		return true
	}
	if !isASCIIAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ':':
			return true
		case isASCIIAlpha(c) || '0' <= c && c <= '9' || c == '+' || c == '-':
		default:
			return false
		}
	}
	return false
}

// atEnd is Python's `$` (no MULTILINE): the end of s, or just before a
// final "\n".
func atEnd(s string, p int) bool {
	return p == len(s) || p == len(s)-1 && s[p] == '\n'
}

// matchHostPort is _HOST_PORT_RE.match:
//
//	^(REG_NAME|IPV4|IPV6_ADDRZ)(?::0*?(|0|[1-9][0-9]{0,4}))?$
//
// with the regex engine's order of trying alternatives. The IPV4
// alternative never matters: REG_NAME accepts every string it does, at the
// same lengths, and is tried first.
func matchHostPort(s string) (host, port string, hasPort, ok bool) {
	// REG_NAME = (?:[^\[\]%:/?#]|%[a-fA-F0-9]{2})*, greedy. Of the lengths
	// backtracking would try, only the longest can be followed by ':' (the
	// first character REG_NAME refuses) or reach `$` (a shorter one would
	// leave a REG_NAME character other than a final "\n", which the longest
	// match has consumed), so only the longest is tried.
	p := 0
	for p < len(s) {
		switch c := s[p]; c {
		case '[', ']', ':', '/', '?', '#':
		case '%':
			if p+2 < len(s) && isHex(s[p+1]) && isHex(s[p+2]) {
				p += 3
				continue
			}
		default:
			p++
			continue
		}
		break
	}
	if port, hasPort, ok := matchPortEnd(s, p); ok {
		return s[:p], port, hasPort, true
	}
	// IPV6_ADDRZ = \[IPV6(?:ZONE)?\]
	if len(s) == 0 || s[0] != '[' {
		return "", "", false, false
	}
	j := strings.IndexAny(s, "%]")
	if j < 0 || !isIPv6Grammar(s[1:j]) {
		return "", "", false, false
	}
	k := j
	if s[j] == '%' {
		k = strings.IndexByte(s[j:], ']')
		if k < 0 {
			return "", "", false, false
		}
		k += j
		if !validZone(s[j:k]) {
			return "", "", false, false
		}
	}
	if port, hasPort, ok := matchPortEnd(s, k+1); ok {
		return s[:k+1], port, hasPort, true
	}
	return "", "", false, false
}

// matchPortEnd matches (?::0*?(|0|[1-9][0-9]{0,4}))?$ at p.
func matchPortEnd(s string, p int) (port string, hasPort, ok bool) {
	if p < len(s) && s[p] == ':' {
		for q := p + 1; ; q++ {
			if atEnd(s, q) {
				return "", true, true
			}
			if q < len(s) && s[q] == '0' && atEnd(s, q+1) {
				return "0", true, true
			}
			if q < len(s) && '1' <= s[q] && s[q] <= '9' {
				n := 1
				for n < 5 && q+n < len(s) && '0' <= s[q+n] && s[q+n] <= '9' {
					n++
				}
				for ; n >= 1; n-- {
					if atEnd(s, q+n) {
						return s[q : q+n], true, true
					}
				}
			}
			if q >= len(s) || s[q] != '0' {
				break
			}
		}
	}
	return "", false, atEnd(s, p)
}

// validZone matches _ZONE_ID_PAT, (?:%25|%)(?:[unreserved]|%[a-fA-F0-9]{2})+,
// against all of z (which starts with '%'). Any string the "%25"
// alternative accepts the "%" one accepts too.
func validZone(z string) bool {
	z = z[1:]
	if z == "" {
		return false
	}
	for i := 0; i < len(z); i++ {
		switch {
		case unreservedSet[z[i]]:
		case z[i] == '%' && i+2 < len(z) && isHex(z[i+1]) && isHex(z[i+2]):
			i += 2
		default:
			return false
		}
	}
	return true
}

// isIPv6Grammar reports whether s matches _IPV6_PAT, RFC 3986's IPv6address
// (whose dotted IPv4 tail is loose: (?:[0-9]{1,3}\.){3}[0-9]{1,3}).
func isIPv6Grammar(s string) bool {
	h16 := func(p string) bool {
		if p == "" || len(p) > 4 {
			return false
		}
		for i := 0; i < len(p); i++ {
			if !isHex(p[i]) {
				return false
			}
		}
		return true
	}
	// pieces counts 16-bit pieces of a ":"-separated list of h16 whose last
	// element may be a dotted IPv4 (two pieces) if tail is set.
	pieces := func(list string, tail bool) int {
		parts := strings.Split(list, ":")
		n := 0
		for i, p := range parts {
			switch {
			case h16(p):
				n++
			case tail && i == len(parts)-1 && looseIPv4(p):
				n += 2
			default:
				return -1
			}
		}
		return n
	}
	if i := strings.Index(s, "::"); i >= 0 {
		nl, nr := 0, 0
		if left := s[:i]; left != "" {
			if nl = pieces(left, false); nl < 0 {
				return false
			}
		}
		if right := s[i+2:]; right != "" {
			if nr = pieces(right, true); nr < 0 {
				return false
			}
		}
		return nl+nr <= 7
	}
	return pieces(s, true) == 8
}

// looseIPv4 matches (?:[0-9]{1,3}\.){3}[0-9]{1,3}.
func looseIPv4(s string) bool {
	n := 0
	for part := range strings.SplitSeq(s, ".") {
		n++
		if part == "" || len(part) > 3 {
			return false
		}
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return false
			}
		}
	}
	return n == 4
}

// normalizeHost is _normalize_host for a host parse_url matched; normalize
// is whether the scheme is http, https or None.
func normalizeHost(host string, normalize bool) (string, error) {
	if host == "" || !normalize {
		return host, nil
	}
	if host[0] == '[' {
		// Only the IPV6_ADDRZ alternative yields a '['.
		j := strings.IndexByte(host, '%')
		if j < 0 {
			return asciiLower(host), nil
		}
		// _ZONE_ID_RE: the zone runs from the '%' to the closing ']'.
		zone := host[j : len(host)-1]
		if strings.HasPrefix(zone, "%25") && zone != "%25" {
			zone = zone[3:]
		} else {
			zone = zone[1:]
		}
		return asciiLower(host[:j]) + "%" + encodeInvalid(zone, unreservedSet) + "]", nil
	}
	if ipv4RE(host) {
		return host, nil
	}
	if isASCII(host) {
		return asciiLower(host), nil
	}
	labels := strings.Split(host, ".")
	for i, l := range labels {
		if isASCII(l) {
			labels[i] = asciiLower(l)
			continue
		}
		a, ok := idnaEncodeLabel(l)
		if !ok {
			return "", errLocationParse{label: true}
		}
		labels[i] = a
	}
	return strings.Join(labels, "."), nil
}

// ipv4RE is _IPV4_RE.match: ^(?:[0-9]{1,3}\.){3}[0-9]{1,3}$.
func ipv4RE(s string) bool {
	return looseIPv4(strings.TrimSuffix(s, "\n"))
}

// removeDotSegments is _remove_path_dot_segments (RFC 3986 5.2.4 as
// urllib3 writes it).
func removeDotSegments(path string) string {
	dots := false
	for seg := range strings.SplitSeq(path, "/") {
		if seg == "." || seg == ".." {
			dots = true
			break
		}
	}
	if !dots {
		// Nothing is removed and, since no segment is "." or "..", neither
		// fix-up below applies: the result is path itself.
		return path
	}
	segments := strings.Split(path, "/")
	output := segments[:0:0]
	for _, seg := range segments {
		switch {
		case seg == ".":
		case seg != "..":
			output = append(output, seg)
		case len(output) > 0:
			output = output[:len(output)-1]
		}
	}
	if strings.HasPrefix(path, "/") && (len(output) == 0 || output[0] != "") {
		output = append([]string{""}, output...)
	}
	if strings.HasSuffix(path, "/.") || strings.HasSuffix(path, "/..") {
		output = append(output, "")
	}
	return strings.Join(output, "/")
}

// encodeInvalid is _encode_invalid_chars(component, allowed): valid %XX
// escapes are upper-cased; if every '%' starts one, they are kept,
// otherwise every '%' is encoded too; all other bytes outside allowed
// become %XX. It returns component itself when nothing changes.
func encodeInvalid(component string, allowed *byteSet) string {
	if !needsEncodeInvalid(component, allowed) {
		return component
	}
	return string(appendEncodeInvalid(make([]byte, 0, len(component)+16), component, allowed))
}

// percentCounts returns the number of '%' in s and the number of
// non-overlapping %XX matches found scanning left to right.
func percentCounts(s string) (pct, valid int) {
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		pct++
		if i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			valid++
			// The regex resumes after the match; the '%'s it skips are
			// hex digits, so pct is unaffected.
			i += 2
		}
	}
	return pct, valid
}

func needsEncodeInvalid(s string, allowed *byteSet) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if allowed[c] {
			continue
		}
		if c != '%' || i+2 >= len(s) || !isUpperHex(s[i+1]) || !isUpperHex(s[i+2]) {
			return true
		}
		i += 2
	}
	return false
}

func isUpperHex(c byte) bool { return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' }

func appendEncodeInvalid(dst []byte, s string, allowed *byteSet) []byte {
	pct, valid := percentCounts(s)
	keepPct := pct == valid
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			// Upper-cased by the subn, whether or not '%' is kept.
			if keepPct {
				dst = append(dst, '%')
			} else {
				dst = append(dst, "%25"...)
			}
			dst = append(dst, upperHex(s[i+1]), upperHex(s[i+2]))
			i += 2
			continue
		}
		if allowed[c] {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', hexUp[c>>4], hexUp[c&15])
		}
	}
	return dst
}

func upperHex(c byte) byte {
	if 'a' <= c && c <= 'f' {
		return c - 'a' + 'A'
	}
	return c
}
