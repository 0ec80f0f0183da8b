package urls

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Prepare is PreparedRequest.prepare_url(raw, params) followed by the checks
// requests makes on the prepared URL before a byte is sent, for a URL that
// requests can send (scheme http or https). The result is requests'
// PreparedRequest.url, fragment included.
//
// The steps, as requests 2.34 / urllib3 2.7 take them:
//
//   - raw.lstrip() (Python's whitespace, which includes U+001C..U+001F and
//     U+00A0, U+3000...; trailing whitespace is kept and quoted, " " → %20).
//   - A raw URL with a ':' that does not start with "http" (case-insensitively)
//     is left alone by requests and refused when sent: ErrInvalidSchema.
//   - urllib3's parse_url: scheme and host lower-cased; each non-ASCII host
//     label IDNA2008-encoded; an IPv6 zone "%25eth0" rewritten "%eth0" (see
//     requote_uri below); port leading zeros dropped; dot segments removed from the path; in path,
//     query, fragment and user info every character outside RFC 3986's set for
//     the component percent-encoded (UTF-8), valid escapes upper-cased, and
//     every '%' encoded as %25 when any '%' in the component is not a valid
//     escape.
//   - Errors: no scheme → ErrMissingSchema; no or empty host → ErrNoHost; a
//     host or port parse_url refuses → ErrParse; an IDNA failure, or a host
//     starting with '*' or '.' → ErrInvalidLabel.
//   - Reassembly: user info kept only if non-empty ("http://@h/" loses the
//     '@'), port 0 and an empty port dropped, other ports (80 too) kept, an
//     empty path becomes "/", an empty query ("?") and empty fragment ("#")
//     dropped, encodedParams appended to the query with '&'.
//   - requote_uri over the whole URL: %XX escapes of unreserved characters
//     decoded (%7E → ~, %41 → A — in the host too), then everything outside
//     RFC 3986's characters quoted; when some '%' is followed by two
//     alphanumerics that are not hex, every '%' in the URL, including those of
//     valid escapes, is quoted instead ("%2F" → "%252F"). An IPv6 zone always
//     does this ("%eth0"): "http://[fe80::1%25eth0]/a%20b" is prepared as
//     "http://[fe80::1%25eth0]/a%2520b".
//   - The urlparse requests runs while preparing cookies and auth can raise
//     ValueError: ErrValue (e.g. "http://[::999.1.1.1]/", which urllib3
//     accepts but ipaddress does not).
//
// encodedParams is an already-encoded "k=v&k2=v2" string, used as requests
// uses a str params argument. url.QueryEscape produces exactly what
// requests' urlencode (quote_plus, safe="") produces for every byte.
func Prepare(raw, encodedParams string) (string, error) {
	if s, ok := prepareFast(raw, encodedParams); ok {
		return s, nil
	}
	return prepareSlow(raw, encodedParams)
}

func prepareSlow(raw, params string) (string, error) {
	fail := func(kind error) (string, error) { return "", newError("prepare", raw, kind) }
	if !utf8.ValidString(raw) {
		return fail(ErrUnicode)
	}
	url := pyLStrip(raw)
	if strings.Contains(url, ":") && !hasPrefixFold(url, "http") {
		// requests returns such a URL untouched; sending it fails, unless
		// the urlparse of prepare_cookies fails first.
		if _, err := urlsplit(url, "", true); err != nil {
			return fail(ErrValue)
		}
		return fail(ErrInvalidSchema)
	}
	u, err := parseURL3(url)
	if err != nil {
		if err.(errLocationParse).label {
			return fail(ErrInvalidLabel)
		}
		return fail(ErrParse)
	}
	if !u.hasScheme {
		return fail(ErrMissingSchema)
	}
	if u.host == "" {
		return fail(ErrNoHost)
	}
	host := u.host
	if !isASCII(host) {
		// Only for schemes urllib3 does not normalise (http+unix, httpx):
		// requests' own idna.encode(host, uts46=True).
		if host, err = uts46Host(host); err != nil {
			return fail(ErrInvalidLabel)
		}
	} else if host[0] == '*' || host[0] == '.' {
		return fail(ErrInvalidLabel)
	}
	if !utf8.ValidString(params) {
		// Decoded only now, by to_native_string.
		return fail(ErrUnicode)
	}

	query := u.query
	if params != "" {
		if query != "" {
			query += "&" + params
		} else {
			query = params
		}
	}
	b := make([]byte, 0, len(url)+len(params)+16)
	b = append(b, u.scheme...)
	b = append(b, "://"...)
	if u.hasAuth {
		b = append(b, u.auth...)
		b = append(b, '@')
	}
	b = append(b, host...)
	if u.hasPort && u.port != 0 {
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(u.port), 10)
	}
	if u.path == "" {
		b = append(b, '/')
	} else {
		b = append(b, u.path...)
	}
	if query != "" {
		b = append(b, '?')
		b = append(b, query...)
	}
	if u.fragment != "" {
		b = append(b, '#')
		b = append(b, u.fragment...)
	}
	prepared := requote(string(b))
	if _, err := urlsplit(prepared, "", true); err != nil {
		return fail(ErrValue)
	}
	if u.scheme != "http" && u.scheme != "https" {
		return fail(ErrInvalidSchema)
	}
	return prepared, nil
}

// uts46Lookup approximates idna.encode(host, uts46=True): UTS #46 mapping,
// then the per-label checks of the idna package (IDNA2008 for non-ASCII
// labels; LDH and hyphen rules for ASCII ones; no empty label but a final
// one).
var uts46Lookup = idna.New(idna.MapForLookup(), idna.StrictDomainName(false), idna.CheckHyphens(false))

func uts46Host(host string) (string, error) {
	mapped, err := uts46Lookup.ToUnicode(host)
	if err != nil {
		return "", err
	}
	labels := strings.Split(mapped, ".")
	if len(labels) > 1 && labels[len(labels)-1] == "" {
		labels = labels[:len(labels)-1]
	}
	for i, l := range labels {
		if isASCII(l) {
			if !ldhLabel(l) {
				return "", errLocationParse{label: true}
			}
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

// ldhLabel is the idna package's check of an ASCII label: non-empty,
// letters, digits and hyphens, no hyphen at either end or in positions 3-4
// (unless it is an "xn--" label, whose decoding is not checked here).
func ldhLabel(l string) bool {
	if l == "" || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	if len(l) >= 4 && l[2:4] == "--" && !strings.HasPrefix(l, "xn--") {
		return false
	}
	for i := 0; i < len(l); i++ {
		if c := l[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// prepareFast returns Prepare's result for the common URL that requests
// leaves as it is: "http(s)://" + a lower-case host of [a-z0-9.-] + an
// optional port without leading zeros + a path of characters urllib3 and
// requote_uri keep, with no dot segment, and an optional non-empty query
// and fragment of such characters. It allocates only to append params.
func prepareFast(raw, params string) (string, bool) {
	i := 0
	switch {
	case strings.HasPrefix(raw, "http://"):
		i = len("http://")
	case strings.HasPrefix(raw, "https://"):
		i = len("https://")
	default:
		return "", false
	}
	start := i
	for i < len(raw) {
		c := raw[i]
		if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' {
			i++
			continue
		}
		break
	}
	if i == start || raw[start] == '.' {
		return "", false
	}
	if i < len(raw) && raw[i] == ':' {
		j := i + 1
		for j < len(raw) && '0' <= raw[j] && raw[j] <= '9' {
			j++
		}
		port := raw[i+1 : j]
		if port == "" || port[0] == '0' || len(port) > 5 {
			return "", false
		}
		if n, _ := strconv.Atoi(port); n > 65535 {
			return "", false
		}
		i = j
	}
	if i >= len(raw) || raw[i] != '/' {
		return "", false
	}
	// Path.
	seg := i + 1
	for ; i < len(raw) && raw[i] != '?' && raw[i] != '#'; i++ {
		c := raw[i]
		if c == '/' && i > seg {
			if s := raw[seg:i]; s == "." || s == ".." {
				return "", false
			}
		}
		if c == '/' {
			seg = i + 1
			continue
		}
		if n := stableRun(raw, i, pathSet); n == 0 {
			return "", false
		} else {
			i += n - 1
		}
	}
	if s := raw[seg:i]; s == "." || s == ".." {
		return "", false
	}
	queryEnd := i
	hasQuery := false
	if i < len(raw) && raw[i] == '?' {
		i++
		if i == len(raw) || raw[i] == '#' {
			return "", false // empty query: dropped
		}
		for ; i < len(raw) && raw[i] != '#'; i++ {
			if n := stableRun(raw, i, querySet); n == 0 {
				return "", false
			} else {
				i += n - 1
			}
		}
		queryEnd, hasQuery = i, true
	}
	if i < len(raw) {
		// raw[i] == '#'
		i++
		if i == len(raw) {
			return "", false // empty fragment: dropped
		}
		for ; i < len(raw); i++ {
			if raw[i] == '#' {
				return "", false
			}
			if n := stableRun(raw, i, querySet); n == 0 {
				return "", false
			} else {
				i += n - 1
			}
		}
	}
	if params == "" {
		return raw, true
	}
	for i := 0; i < len(params); i++ {
		if params[i] == '#' {
			return "", false
		}
		if n := stableRun(params, i, querySet); n == 0 {
			return "", false
		} else {
			i += n - 1
		}
	}
	sep := "?"
	if hasQuery {
		sep = "&"
	}
	return raw[:queryEnd] + sep + params + raw[queryEnd:], true
}

// stableRun reports how many bytes at s[i] urllib3 and requote_uri both
// leave as they are: 1 for a byte of set, 3 for an upper-case %XX escape of
// a character that is not unreserved, 0 when the fast path must give up.
func stableRun(s string, i int, set *byteSet) int {
	c := s[i]
	if c != '%' {
		if set[c] {
			return 1
		}
		return 0
	}
	if i+2 < len(s) && isUpperHex(s[i+1]) && isUpperHex(s[i+2]) &&
		!unreservedSet[unhex(s[i+1])<<4|unhex(s[i+2])] {
		return 3
	}
	return 0
}

// requote is requests.utils.requote_uri:
//
//	try:
//	    return quote(unquote_unreserved(uri), safe="!#$%&'()*+,/:;=?@[]~")
//	except InvalidURL:
//	    return quote(uri, safe="!#$&'()*+,/:;=?@[]~")
//
// unquote_unreserved splits on '%' and looks at the next two characters
// (code points): if both are alphanumeric (str.isalnum) it runs int(h, 16),
// which raises — hence the fallback — unless both are hex digits or Unicode
// decimal digits; a result that is an unreserved character replaces the
// escape.
func requote(uri string) string {
	fallback, identity := false, true
	for i := 0; i < len(uri); i++ {
		c := uri[i]
		if c != '%' {
			if !requoteSafe[c] {
				identity = false
			}
			continue
		}
		v, _, alnum, ok := escapeAt(uri, i+1)
		if alnum && !ok {
			fallback = true
			break
		}
		if alnum && unreservedSet[v] {
			identity = false
		}
	}
	if fallback {
		return string(appendQuote(make([]byte, 0, len(uri)+16), uri, requoteSafeNoPct))
	}
	if identity {
		return uri
	}
	b := make([]byte, 0, len(uri)+16)
	for i := 0; i < len(uri); i++ {
		c := uri[i]
		if c == '%' {
			if v, n, alnum, _ := escapeAt(uri, i+1); alnum && unreservedSet[v] {
				b = append(b, v)
				i += n
				continue
			}
		}
		if requoteSafe[c] {
			b = append(b, c)
		} else {
			b = append(b, '%', hexUp[c>>4], hexUp[c&15])
		}
	}
	return string(b)
}

var (
	requoteSafe      = makeSet(pySafe0, "!#$%&'()*+,/:;=?@[]~")
	requoteSafeNoPct = makeSet(pySafe0, "!#$&'()*+,/:;=?@[]~")
)

// escapeAt examines the two code points at s[i:] the way unquote_unreserved
// does: alnum reports whether there are two and both are alphanumeric; ok
// whether int(h, 16) then succeeds, giving v; n is their length in bytes.
func escapeAt(s string, i int) (v byte, n int, alnum, ok bool) {
	r1, n1 := utf8.DecodeRuneInString(s[i:])
	if n1 == 0 || !isPyAlnum(r1) {
		return 0, 0, false, false
	}
	r2, n2 := utf8.DecodeRuneInString(s[i+n1:])
	if n2 == 0 || !isPyAlnum(r2) {
		return 0, 0, false, false
	}
	d1, ok1 := pyHexDigit(r1)
	d2, ok2 := pyHexDigit(r2)
	if !ok1 || !ok2 {
		return 0, n1 + n2, true, false
	}
	return byte(d1<<4 | d2), n1 + n2, true, true
}

// Redirects follows requests' resolve_redirects across the hops of one
// redirect chain. It keeps, besides the current URL, the fragment that
// resolve_redirects carries from hop to hop (previous_fragment): it is the
// fragment as it appeared in the Location, before requote_uri, so after a
// hop whose fragment requote_uri changed, Resolve(current, loc) — which takes
// the fragment from current — can differ from the chain.
type Redirects struct {
	url      string
	fragment string
}

// NewRedirects starts a chain at a URL as Prepare returned it.
func NewRedirects(prepared string) (*Redirects, error) {
	p, err := urlparse(prepared, "")
	if err != nil {
		return nil, newError("redirect", prepared, ErrValue)
	}
	return &Redirects{url: prepared, fragment: p.fragment}, nil
}

// URL returns the current URL of the chain.
func (r *Redirects) URL() string { return r.url }

// Next computes the URL of the next request from the redirect response's
// Location header, as the raw bytes Go's net/http delivers (requests decodes
// header bytes as Latin-1, re-encodes them as Latin-1 and decodes the result
// as UTF-8: the net effect is that the raw bytes must be UTF-8, else
// UnicodeDecodeError → ErrUnicode). On success the chain moves on.
//
// As resolve_redirects does:
//
//	if url.startswith("//"): url = scheme of current + ":" + url
//	parsed = urlparse(url)                      # may raise ValueError
//	carry the previous fragment if parsed has none, else remember this one
//	url = parsed.geturl()                       # urlunparse: drops an empty "?", ";"
//	if not parsed.netloc: url = urljoin(current, requote_uri(url))
//	else:                 url = requote_uri(url)
//
// What to pass as location, given Go's net/http (checked against a real
// requests session): several Location headers reach requests joined by ", "
// (urllib3's HTTPHeaderDict), so pass strings.Join(h.Values("Location"),
// ", ") — "/first, /second" is then requested as "/first,%20/second". And
// http.client strips only leading spaces and tabs from a header value, while
// Go's textproto also strips trailing ones: requests requests "/x%20" for
// "Location: /x \t"; Go's header says "/x", and that difference cannot be
// recovered here.
//
// The result is not passed through prepare_url again: an absolute Location
// keeps its host's case, its dot segments and its default port; a relative
// one has its dot segments resolved by urljoin. The caller must check the
// scheme (see ForWire): requests refuses to send anything but http(s).
func (r *Redirects) Next(location string) (string, error) {
	fail := func(kind error) (string, error) { return "", newError("redirect", location, kind) }
	if !utf8.ValidString(location) {
		return fail(ErrUnicode)
	}
	if location == "" {
		return fail(ErrEmptyLocation)
	}
	url := location
	if strings.HasPrefix(url, "//") {
		cur, err := urlparse(r.url, "")
		if err != nil {
			return fail(ErrValue)
		}
		url = cur.scheme + ":" + url
	}
	parsed, err := urlparse(url, "")
	if err != nil {
		return fail(ErrValue)
	}
	fragment := r.fragment
	if parsed.fragment == "" && fragment != "" {
		parsed.fragment = fragment
	} else if parsed.fragment != "" {
		fragment = parsed.fragment
	}
	url = urlunparse(parsed)
	if parsed.netloc == "" {
		if url, err = urljoin(r.url, requote(url)); err != nil {
			return fail(ErrValue)
		}
	} else {
		url = requote(url)
	}
	r.url, r.fragment = url, fragment
	return url, nil
}

// Resolve is one hop of resolve_redirects: the next request's URL from the
// current one (with its fragment, as Prepare or a previous Resolve returned
// it) and the raw Location header value. See Redirects.Next; for chains of
// several hops use Redirects, which carries the fragment exactly as
// requests does.
func Resolve(current, location string) (string, error) {
	r, err := NewRedirects(current)
	if err != nil {
		return "", err
	}
	return r.Next(location)
}
