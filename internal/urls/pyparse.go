package urls

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// This file ports the parts of CPython 3.11's urllib.parse (and the
// ipaddress validation urlsplit runs on a bracketed host) that requests
// uses: urlsplit, urlparse, urlunsplit, urlunparse, urljoin, quote, unquote
// and the username/password/hostname/port properties.

// splitResult is urllib.parse.SplitResult; params is ParseResult's extra
// field (only set by urlparse).
type splitResult struct {
	scheme, netloc, path, params, query, fragment string
	// pathAt is the offset of path in urlsplit's argument, or -1 when
	// urlsplit had to remove tabs or newlines first.
	pathAt int
}

// Scheme lists of urllib.parse.
var (
	usesRelative = []string{"", "ftp", "http", "gopher", "nntp", "imap", "wais", "file", "https", "shttp", "mms",
		"prospero", "rtsp", "rtsps", "rtspu", "sftp", "svn", "svn+ssh", "ws", "wss"}
	usesNetloc = []string{"", "ftp", "http", "gopher", "nntp", "telnet", "imap", "wais", "file", "mms", "https",
		"shttp", "snews", "prospero", "rtsp", "rtsps", "rtspu", "rsync", "svn", "svn+ssh", "sftp", "nfs", "git",
		"git+ssh", "ws", "wss"}
	usesParams = []string{"", "ftp", "hdl", "prospero", "http", "imap", "https", "shttp", "rtsp", "rtsps", "rtspu",
		"sip", "sips", "mms", "sftp", "tel"}
)

func in(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// pyValueError is the ValueError urlsplit raises for a malformed netloc.
type pyValueError string

func (e pyValueError) Error() string { return string(e) }

// urlsplit is urllib.parse.urlsplit(url, scheme=defScheme). check controls
// the netloc validation that raises ValueError (bracket balance, the
// bracketed host, NFKC); Target skips it, since a URL that fails it never
// reaches the point where the target is computed.
func urlsplit(url, defScheme string, check bool) (splitResult, error) {
	// Only lstrip: "some applications rely on preserving trailing space".
	i := 0
	for i < len(url) && url[i] <= ' ' {
		i++
	}
	url = url[i:]
	var r splitResult
	r.pathAt = i
	if strings.ContainsAny(url, "\t\r\n") {
		url = strings.NewReplacer("\t", "", "\r", "", "\n", "").Replace(url)
		r.pathAt = -1
	}
	r.scheme = defScheme
	if i := strings.IndexByte(url, ':'); i > 0 && isASCIIAlpha(url[0]) {
		ok := true
		for j := 0; j < i; j++ {
			if !isSchemeChar(url[j]) {
				ok = false
				break
			}
		}
		if ok {
			r.scheme, url = asciiLower(url[:i]), url[i+1:]
			if r.pathAt >= 0 {
				r.pathAt += i + 1
			}
		}
	}
	if strings.HasPrefix(url, "//") {
		end := len(url)
		if j := strings.IndexAny(url[2:], "/?#"); j >= 0 {
			end = 2 + j
		}
		r.netloc, url = url[2:end], url[end:]
		if r.pathAt >= 0 {
			r.pathAt += end
		}
		if check {
			open, close := strings.Contains(r.netloc, "["), strings.Contains(r.netloc, "]")
			if open != close {
				return r, pyValueError("Invalid IPv6 URL")
			}
			if open {
				_, after, _ := strings.Cut(r.netloc, "[")
				host, _, _ := strings.Cut(after, "]")
				if err := checkBracketedHost(host); err != nil {
					return r, err
				}
			}
		}
	}
	if j := strings.IndexByte(url, '#'); j >= 0 {
		url, r.fragment = url[:j], url[j+1:]
	}
	if j := strings.IndexByte(url, '?'); j >= 0 {
		url, r.query = url[:j], url[j+1:]
	}
	r.path = url
	if check {
		if err := checkNetloc(r.netloc); err != nil {
			return r, err
		}
	}
	return r, nil
}

func isASCIIAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isSchemeChar(c byte) bool {
	return isASCIIAlpha(c) || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'
}

// checkNetloc is urllib.parse._checknetloc: a non-ASCII netloc must not
// gain any of "/?#@:" under NFKC normalisation.
func checkNetloc(netloc string) error {
	if isASCII(netloc) {
		return nil
	}
	n := strings.NewReplacer("@", "", ":", "", "#", "", "?", "").Replace(netloc)
	n2 := norm.NFKC.String(n)
	if n == n2 {
		return nil
	}
	if strings.ContainsAny(n2, "/?#@:") {
		return pyValueError("netloc '" + netloc + "' contains invalid characters under NFKC normalization")
	}
	return nil
}

// checkBracketedHost is urllib.parse._check_bracketed_host: an IPvFuture
// literal, or what ipaddress.ip_address accepts as IPv6.
func checkBracketedHost(h string) error {
	if strings.HasPrefix(h, "v") {
		// \Av[a-fA-F0-9]+\..+\Z
		i := 1
		for i < len(h) && isHex(h[i]) {
			i++
		}
		if i > 1 && i < len(h) && h[i] == '.' && i+1 < len(h) && !strings.Contains(h[i+1:], "\n") {
			return nil
		}
		return pyValueError("IPvFuture address is invalid")
	}
	if isPyIPv4(h) {
		return pyValueError("An IPv4 address cannot be in brackets")
	}
	if !isPyIPv6(h) {
		return pyValueError("'" + h + "' does not appear to be an IPv4 or IPv6 address")
	}
	return nil
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// isPyIPv4 is ipaddress.IPv4Address(s) succeeding: four dotted ASCII
// decimal octets, no leading zeros, each at most 255.
func isPyIPv4(s string) bool {
	if s == "" || strings.Contains(s, "/") {
		return false
	}
	n := 0
	for part := range strings.SplitSeq(s, ".") {
		n++
		if part == "" || len(part) > 3 || part != "0" && part[0] == '0' {
			return false
		}
		v := 0
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return false
			}
			v = v*10 + int(part[i]-'0')
		}
		if v > 255 {
			return false
		}
	}
	return n == 4
}

// isPyIPv6 is ipaddress.IPv6Address(s) succeeding (Python 3.11: a scope id
// after '%' is allowed).
func isPyIPv6(s string) bool {
	if strings.Contains(s, "/") {
		return false
	}
	if addr, scope, found := strings.Cut(s, "%"); found {
		if scope == "" || strings.Contains(scope, "%") {
			return false
		}
		s = addr
	}
	if s == "" {
		return false
	}
	parts := strings.Split(s, ":")
	if len(parts) < 3 {
		return false
	}
	if last := parts[len(parts)-1]; strings.Contains(last, ".") {
		if !isPyIPv4(last) {
			return false
		}
		parts = append(parts[:len(parts)-1], "0", "0")
	}
	const hextets = 8
	if len(parts) > hextets+1 {
		return false
	}
	skip := -1
	for i := 1; i < len(parts)-1; i++ {
		if parts[i] == "" {
			if skip >= 0 {
				return false
			}
			skip = i
		}
	}
	var hi, lo int
	if skip >= 0 {
		hi, lo = skip, len(parts)-skip-1
		if parts[0] == "" {
			if hi--; hi != 0 {
				return false
			}
		}
		if parts[len(parts)-1] == "" {
			if lo--; lo != 0 {
				return false
			}
		}
		if hextets-(hi+lo) < 1 {
			return false
		}
	} else {
		if len(parts) != hextets || parts[0] == "" || parts[len(parts)-1] == "" {
			return false
		}
		hi, lo = len(parts), 0
	}
	hextet := func(p string) bool {
		for i := 0; i < len(p); i++ {
			if !isHex(p[i]) {
				return false
			}
		}
		// An empty hextet parses as int('', 16): ValueError.
		return p != "" && len(p) <= 4
	}
	for i := 0; i < hi; i++ {
		if !hextet(parts[i]) {
			return false
		}
	}
	for i := len(parts) - lo; i < len(parts); i++ {
		if !hextet(parts[i]) {
			return false
		}
	}
	return true
}

// urlparse is urllib.parse.urlparse: urlsplit, then ";params" split off
// the last path segment for the schemes in uses_params.
func urlparse(url, defScheme string) (splitResult, error) {
	r, err := urlsplit(url, defScheme, true)
	if err != nil {
		return r, err
	}
	if in(usesParams, r.scheme) && strings.Contains(r.path, ";") {
		r.path, r.params = splitParams(r.path)
	}
	return r, nil
}

func splitParams(url string) (string, string) {
	var i int
	if j := strings.LastIndexByte(url, '/'); j >= 0 {
		i = strings.IndexByte(url[j:], ';')
		if i < 0 {
			return url, ""
		}
		i += j
	} else {
		i = strings.IndexByte(url, ';')
	}
	return url[:i], url[i+1:]
}

// urlunparse is urllib.parse.urlunparse.
func urlunparse(r splitResult) string {
	path := r.path
	if r.params != "" {
		path += ";" + r.params
	}
	return urlunsplit(r.scheme, r.netloc, path, r.query, r.fragment)
}

// urlunsplit is urllib.parse.urlunsplit.
func urlunsplit(scheme, netloc, url, query, fragment string) string {
	var b strings.Builder
	b.Grow(len(scheme) + len(netloc) + len(url) + len(query) + len(fragment) + 6)
	if scheme != "" {
		b.WriteString(scheme)
		b.WriteByte(':')
	}
	if netloc != "" || scheme != "" && in(usesNetloc, scheme) && !strings.HasPrefix(url, "//") {
		b.WriteString("//")
		b.WriteString(netloc)
		if url != "" && url[0] != '/' {
			b.WriteByte('/')
		}
	}
	b.WriteString(url)
	if query != "" {
		b.WriteByte('?')
		b.WriteString(query)
	}
	if fragment != "" {
		b.WriteByte('#')
		b.WriteString(fragment)
	}
	return b.String()
}

// urljoin is urllib.parse.urljoin(base, url) of CPython 3.11.
func urljoin(base, url string) (string, error) {
	if base == "" {
		return url, nil
	}
	if url == "" {
		return base, nil
	}
	b, err := urlparse(base, "")
	if err != nil {
		return "", err
	}
	u, err := urlparse(url, b.scheme)
	if err != nil {
		return "", err
	}
	if u.scheme != b.scheme || !in(usesRelative, u.scheme) {
		return url, nil
	}
	if in(usesNetloc, u.scheme) {
		if u.netloc != "" {
			return urlunparse(u), nil
		}
		u.netloc = b.netloc
	}
	if u.path == "" && u.params == "" {
		u.path, u.params = b.path, b.params
		if u.query == "" {
			u.query = b.query
		}
		return urlunparse(u), nil
	}

	baseParts := strings.Split(b.path, "/")
	if baseParts[len(baseParts)-1] != "" {
		// The last item is not a directory.
		baseParts = baseParts[:len(baseParts)-1]
	}
	var segments []string
	if strings.HasPrefix(u.path, "/") {
		segments = strings.Split(u.path, "/")
	} else {
		segments = append(baseParts, strings.Split(u.path, "/")...)
		// Drop empty inner segments (segments[1:-1] = filter(None, ...)).
		if len(segments) > 2 {
			kept := segments[:1]
			for _, s := range segments[1 : len(segments)-1] {
				if s != "" {
					kept = append(kept, s)
				}
			}
			segments = append(kept, segments[len(segments)-1])
		}
	}
	resolved := make([]string, 0, len(segments))
	for _, seg := range segments {
		switch seg {
		case "..":
			if len(resolved) > 0 {
				resolved = resolved[:len(resolved)-1]
			}
		case ".":
		default:
			resolved = append(resolved, seg)
		}
	}
	if last := segments[len(segments)-1]; last == "." || last == ".." {
		resolved = append(resolved, "")
	}
	u.path = strings.Join(resolved, "/")
	if u.path == "" {
		u.path = "/"
	}
	return urlunparse(u), nil
}

// netlocUserinfo is the _userinfo property: username and password are nil
// (ok false) when absent.
func netlocUserinfo(netloc string) (user string, hasUser bool, pass string, hasPass bool) {
	i := strings.LastIndexByte(netloc, '@')
	if i < 0 {
		return "", false, "", false
	}
	user, pass, hasPass = strings.Cut(netloc[:i], ":")
	return user, true, pass, hasPass
}

// netlocHostinfo is the _hostinfo property followed by hostname's
// lower-casing (which spares an IPv6 zone) and port's validation.
func netlocHostinfo(netloc string) (hostname string, hasHost bool, port int, hasPort bool, err error) {
	if i := strings.LastIndexByte(netloc, '@'); i >= 0 {
		netloc = netloc[i+1:]
	}
	var h, p string
	if _, bracketed, found := strings.Cut(netloc, "["); found {
		var rest string
		h, rest, _ = strings.Cut(bracketed, "]")
		_, p, _ = strings.Cut(rest, ":")
	} else {
		h, p, _ = strings.Cut(netloc, ":")
	}
	if h != "" {
		addr, zone, found := strings.Cut(h, "%")
		hostname, hasHost = pyLower(addr), true
		if found {
			hostname += "%" + zone
		}
	}
	if p != "" {
		hasPort = true
		for _, r := range p {
			// port.isdigit() and port.isascii()
			if r < '0' || r > '9' {
				return hostname, hasHost, 0, false, pyValueError("Port could not be cast to integer value as '" + p + "'")
			}
		}
		for i := 0; i < len(p); i++ {
			port = port*10 + int(p[i]-'0')
			if port > 65535 {
				return hostname, hasHost, 0, false, pyValueError("Port out of range 0-65535")
			}
		}
	}
	return hostname, hasHost, port, hasPort, nil
}

// Quoting.

// byteSet is a set of bytes; only ASCII members are ever set.
type byteSet [256]bool

func makeSet(chars ...string) *byteSet {
	var s byteSet
	for _, cs := range chars {
		for i := 0; i < len(cs); i++ {
			s[cs[i]] = true
		}
	}
	return &s
}

const (
	alnum   = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	hexUp   = "0123456789ABCDEF"
	pySafe0 = alnum + "_.-~" // urllib.parse._ALWAYS_SAFE
)

// appendQuote is quote(s, safe) for a str s: its UTF-8 bytes, each byte
// outside _ALWAYS_SAFE ∪ safe written as %XX.
func appendQuote(dst []byte, s string, safe *byteSet) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if safe[c] {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', hexUp[c>>4], hexUp[c&15])
		}
	}
	return dst
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// unquote is urllib.parse.unquote(s): %XX escapes in each run of ASCII
// characters become bytes, decoded as UTF-8 with errors="replace".
func unquote(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		// Non-ASCII run: copied as is.
		i := 0
		for i < len(s) && s[i] >= utf8.RuneSelf {
			i++
		}
		b.WriteString(s[:i])
		s = s[i:]
		i = 0
		for i < len(s) && s[i] < utf8.RuneSelf {
			i++
		}
		b.WriteString(decodeUTF8Replace(unquoteToBytes(s[:i])))
		s = s[i:]
	}
	return b.String()
}

// unquoteToBytes is urllib.parse.unquote_to_bytes.
func unquoteToBytes(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		out = append(out, s[i])
	}
	return out
}
