package urls

import (
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Target is the request target urllib3 writes on the request line for a URL
// (as Prepare or Resolve returned it): requests' PreparedRequest.path_url —
// urlsplit's path, "/" if empty, then "?" + query if the query is not empty —
// passed through urllib3's _encode_target by HTTPConnectionPool.urlopen. The
// fragment is never sent. _encode_target matters for redirect targets, which
// prepare_url never normalised: it encodes what urllib3 does not allow in a
// path or query (and, if any '%' there is not a valid escape, every '%' of
// that component), but it does not remove dot segments.
//
// The URL must have a host (ForWire checks it); for one without, requests
// fails before computing a target and the result here is meaningless.
func Target(u string) string {
	p, _ := urlsplit(u, "", false)
	path := p.path
	if path == "" {
		path = "/"
	}
	if !needsEncodeInvalid(path, pathSet) && !needsEncodeInvalid(p.query, querySet) {
		switch {
		case p.query == "":
			return path
		case p.pathAt >= 0 && p.path != "":
			// path, '?' and query are contiguous in u.
			return u[p.pathAt : p.pathAt+len(path)+1+len(p.query)]
		}
	}
	// path_url is path + "?" + query; _encode_target splits it again at the
	// first '?' — the same place, since urlsplit's path has none.
	dst := make([]byte, 0, len(path)+len(p.query)+16)
	dst = appendEncodeInvalid(dst, path, pathSet)
	if p.query != "" {
		dst = append(dst, '?')
		dst = appendEncodeInvalid(dst, p.query, querySet)
	}
	return string(dst)
}

// Wire is what requests' HTTPAdapter and urllib3 derive from a URL before
// writing a request without a proxy.
type Wire struct {
	Scheme     string // "http" or "https"
	Host       string // the host resolved and dialled: lower-case, IPv6 without brackets, trailing dot kept
	Port       int    // the port dialled (80 or 443 if none or 0)
	HostHeader string // the Host header http.client writes
	Target     string // the request target, Target(u)
}

// ForWire computes Wire for a URL as Prepare, Resolve or Redirects returned
// it, with requests' errors: ErrInvalidSchema unless the URL starts with
// "http://" or "https://" (any case: Session.get_adapter); ErrValue if
// urlparse raises; ErrParse for a port urlparse refuses; ErrNoHost if there
// is no host (a Location such as "https:foo" after an http URL).
//
// The Host header is http.client's: the pool's host with trailing dots
// removed (urllib3's HTTPConnection.host strips them; DNS still gets the
// dot), in brackets without the zone for IPv6, and ":port" unless the port
// is the scheme's default.
func ForWire(u string) (Wire, error) {
	w, _, err := forWire(u, true)
	return w, err
}

// forWire is ForWire; the Host header is computed only when header is set,
// and netloc is the URL's host[:port] (without userinfo), for ToURL.
func forWire(u string, header bool) (w Wire, netloc string, err error) {
	fail := func(kind error) (Wire, string, error) { return Wire{}, "", newError("send", u, kind) }
	switch {
	case hasPrefixFold(u, "http://"):
		w.Scheme, w.Port = "http", 80
	case hasPrefixFold(u, "https://"):
		w.Scheme, w.Port = "https", 443
	default:
		return fail(ErrInvalidSchema)
	}
	defaultPort := w.Port
	p, err := urlsplit(u, "", true)
	if err != nil {
		return fail(ErrValue)
	}
	netloc = p.netloc
	if i := strings.LastIndexByte(netloc, '@'); i >= 0 {
		netloc = netloc[i+1:]
	}
	hostname, hasHost, port, hasPort, err := netlocHostinfo(p.netloc)
	if err != nil {
		return fail(ErrParse)
	}
	if !hasHost {
		return fail(ErrNoHost)
	}
	if hasPort && port != 0 {
		w.Port = port
	}
	// HTTPConnectionPool runs _normalize_host on the bare hostname: a
	// dotted IPv4 stays, anything else is lower-cased (or IDNA-encoded)
	// label by label.
	if w.Host, err = normalizeHost(hostname, true); err != nil {
		return fail(ErrInvalidLabel)
	}
	w.Target = Target(u)
	if !header {
		return w, netloc, nil
	}
	h := strings.TrimRight(w.Host, ".")
	if strings.Contains(h, ":") {
		if i := strings.IndexByte(h, '%'); i >= 0 {
			h = h[:i]
		}
		h = "[" + h + "]"
	}
	if w.Port != defaultPort {
		h += ":" + strconv.Itoa(w.Port)
	}
	w.HostHeader = h
	return w, netloc, nil
}

// HostHeader is ForWire(u).HostHeader. Go's net/http writes the Host header
// from Request.Host when set, else from URL.Host; ToURL's Host differs from
// requests' header only for a host with a trailing dot, so set Request.Host
// to this value to match it always.
func HostHeader(u string) (string, error) {
	w, err := ForWire(u)
	return w.HostHeader, err
}

// ToURL turns a URL as Prepare, Resolve or Redirects returned it into a
// *url.URL for Go's net/http, such that u.RequestURI() is Target(prepared)
// byte for byte and u.Host is where requests connects: the dialled host
// (bracketed if IPv6) and ":port" unless the port is the scheme's default,
// so that Go's Host header matches requests' (but see HostHeader).
//
// Go writes the request line from URL.RequestURI(), which uses
// URL.EscapedPath(): RawPath if it is "valid encoded" (only
// RFC 3986 pchars, '/', '%', '[' and ']') and unescapes to Path, else
// Path re-escaped by Go's own rules. urllib3's encoded path consists only of
// unreserved characters, sub-delims, ':', '@', '/' and valid %XX escapes
// (it never keeps a '%' that does not start one), so RawPath is always used
// as is: Path/RawPath suffices. (URL.Opaque would also carry the target
// verbatim, but a target starting with "//" would make RequestURI prepend
// the scheme, so it is not used.) RawQuery is written verbatim. The
// fragment is dropped.
func ToURL(prepared string) (*url.URL, error) {
	u := new(url.URL)
	if err := SetURL(u, prepared); err != nil {
		return nil, err
	}
	return u, nil
}

// SetURL is ToURL into *u, which the caller may allocate with what else
// it holds. *u is unchanged on an error.
func SetURL(u *url.URL, prepared string) error {
	w, netloc, ok := fastWire(prepared)
	if !ok {
		var err error
		if w, netloc, err = forWire(prepared, false); err != nil {
			return err
		}
	}
	defaultPort := 80
	if w.Scheme == "https" {
		defaultPort = 443
	}
	port := -1
	if w.Port != defaultPort {
		port = w.Port
	}
	host := netloc // when it says exactly what is dialled: no copy
	if !isHostPort(netloc, w.Host, port) {
		host = w.Host
		if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
		if port >= 0 {
			host += ":" + strconv.Itoa(port)
		}
	}
	path, query, _ := strings.Cut(w.Target, "?")
	unescaped, err := url.PathUnescape(path)
	if err != nil {
		// Cannot happen: see above.
		return newError("send", prepared, ErrParse)
	}
	out := url.URL{Scheme: w.Scheme, Host: host, Path: unescaped, RawPath: path, RawQuery: query}
	if out.EscapedPath() != path {
		// Cannot happen either; Opaque is the fallback where it is safe.
		if strings.HasPrefix(path, "//") {
			return newError("send", prepared, ErrParse)
		}
		out.Path, out.RawPath, out.Opaque = "", "", path
	}
	*u = out
	return nil
}

// Userinfo is requests' get_auth_from_url on a URL as Prepare returned it,
// combined with prepare_auth's `if any(url_auth)`: ok is false when requests
// sends no Authorization from the URL — no user info, a user without ':'
// ("http://user@host/": urlparse's password is None, unquote(None) raises
// TypeError, which get_auth_from_url turns into ("", "")), or both empty
// ("http://:@host/"). Otherwise user and pass are percent-decoded
// (urllib.parse.unquote: UTF-8, invalid sequences → U+FFFD). "user:@host"
// gives ("user", "", true): requests sends Basic "user:".
//
// requests only takes credentials from the URL it prepares; on a redirect it
// does not read them from the Location (rebuild_auth only strips an
// Authorization header or adds .netrc's).
func Userinfo(prepared string) (user, pass string, ok bool) {
	p, err := urlsplit(prepared, "", true)
	if err != nil {
		return "", "", false
	}
	u, hasUser, pw, hasPass := netlocUserinfo(p.netloc)
	if !hasUser || !hasPass {
		return "", "", false
	}
	user, pass = unquote(u), unquote(pw)
	return user, pass, user != "" || pass != ""
}

// UserinfoUTF8 reports whether every percent-escape in prepared's
// userinfo decodes to UTF-8. One that does not (%E9) is a credential
// requests cannot send either (it raises UnicodeEncodeError); Userinfo
// would replace it with U+FFFD, a wrong credential.
func UserinfoUTF8(prepared string) bool {
	p, err := urlsplit(prepared, "", true)
	if err != nil {
		return true
	}
	u, _, pw, _ := netlocUserinfo(p.netloc)
	for _, s := range []string{u, pw} {
		if raw, err := url.PathUnescape(s); err == nil && !utf8.ValidString(raw) {
			return false
		}
	}
	return true
}

// BasicAuth is the Authorization header requests sends for the credentials
// of a prepared URL: "Basic " + base64(latin1(user) + ":" + latin1(pass))
// (requests' _basic_auth_str encodes str credentials as Latin-1, not UTF-8:
// "%C3%A9" decodes to "é" and is sent as the single byte 0xE9). ok is false
// when Userinfo's is. A character above U+00FF — including the U+FFFD that
// replaces an invalid UTF-8 escape such as %FF — makes requests raise
// UnicodeEncodeError: ErrUnicode.
func BasicAuth(prepared string) (value string, ok bool, err error) {
	user, pass, ok := Userinfo(prepared)
	if !ok {
		return "", false, nil
	}
	b := make([]byte, 0, len(user)+len(pass)+1)
	for i, s := range []string{user, pass} {
		if i == 1 {
			b = append(b, ':')
		}
		for _, r := range s {
			if r > 0xff {
				e := newError("auth", prepared, ErrUnicode)
				e.Python = "UnicodeEncodeError"
				return "", false, e
			}
			b = append(b, byte(r))
		}
	}
	return "Basic " + base64.StdEncoding.EncodeToString(b), true, nil
}

// isHostPort reports whether s is host (in brackets if it is IPv6)
// followed by ":port" when port >= 0, byte for byte.
func isHostPort(s, host string, port int) bool {
	if strings.Contains(host, ":") {
		if len(s) < len(host)+2 || s[0] != '[' || s[1:len(host)+1] != host || s[len(host)+1] != ']' {
			return false
		}
		s = s[len(host)+2:]
	} else {
		if !strings.HasPrefix(s, host) {
			return false
		}
		s = s[len(host):]
	}
	if port < 0 {
		return s == ""
	}
	var buf [8]byte
	digits := strconv.AppendInt(buf[:0], int64(port), 10)
	return len(s) == len(digits)+1 && s[0] == ':' && s[1:] == string(digits)
}

// fastWire is forWire for the common case it can decide without Python's
// parsing rules: "http://" or "https://" in lower case, then a host of
// lower-case letters, digits, '-' and '.' (no empty label, not starting
// with a dot), an optional port of 1 to 5 digits without a leading zero
// (1 to 65535), and no userinfo. ok is false for anything else, which
// forWire decides; for what it accepts it gives forWire's answer
// (TestFastWire checks that over the test corpus).
func fastWire(u string) (w Wire, netloc string, ok bool) {
	var rest string
	switch {
	case strings.HasPrefix(u, "http://"):
		w.Scheme, w.Port, rest = "http", 80, u[len("http://"):]
	case strings.HasPrefix(u, "https://"):
		w.Scheme, w.Port, rest = "https", 443, u[len("https://"):]
	default:
		return Wire{}, "", false
	}
	end := strings.IndexAny(rest, "/?#\\")
	if end < 0 {
		end = len(rest)
	} else if rest[end] == '\\' {
		return Wire{}, "", false
	}
	netloc = rest[:end]
	host, port, hasPort := strings.Cut(netloc, ":")
	if host == "" || host[0] == '.' || strings.Contains(host, "..") {
		return Wire{}, "", false
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return Wire{}, "", false
		}
	}
	if hasPort {
		if len(port) == 0 || len(port) > 5 || port[0] == '0' {
			return Wire{}, "", false
		}
		n := 0
		for i := 0; i < len(port); i++ {
			c := port[i]
			if c < '0' || c > '9' {
				return Wire{}, "", false
			}
			n = n*10 + int(c-'0')
		}
		if n > 65535 {
			return Wire{}, "", false
		}
		w.Port = n
	}
	w.Host = host
	w.Target = Target(u)
	return w, netloc, true
}

// Redact leaves a URL's userinfo out of a message. The URL may be one
// that does not parse, with a "/", "?" or "#" in its password: an "@"
// after the authority's usual end hides what comes before it too.
func Redact(raw string) string {
	prefix, rest := "", raw
	if scheme, r, ok := strings.Cut(raw, "://"); ok {
		prefix, rest = scheme+"://", r
	} else if r, ok := strings.CutPrefix(raw, "//"); ok {
		prefix, rest = "//", r
	}
	at := strings.LastIndexByte(rest, '@')
	if at < 0 {
		return raw
	}
	if end := strings.IndexAny(rest, "/?#"); end >= 0 && at > end {
		return prefix + "***@" + rest[at+1:]
	}
	return prefix + rest[at+1:]
}
