package request

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/http/httpguts"

	"github.com/tether-http/tether/internal/core"
)

// call is a Builder resolved against its snapshot: everything one Do sends.
type call struct {
	method      string
	url         *url.URL // query built; fragment and userinfo kept (request strips them from the wire)
	header      http.Header
	cookies     []*http.Cookie // method-level cookies
	dropCookies []string
	auth        Auth
	noAuth      bool
	body        *body
	timeout     time.Duration
	redirects   bool
	errs        []error
}

func (c *call) fail(err error) { c.errs = append(c.errs, err) }

// resolve applies the builder's ops, oldest first, over snap into c.
func (b Builder) resolve(snap *core.Snapshot, c *call) {
	*c = call{
		method:    strings.ToUpper(b.method),
		auth:      snap.Auth,
		timeout:   snap.Timeout,
		redirects: b.method != http.MethodHead,
	}
	if err := snap.Err(); err != nil {
		c.fail(err)
	}
	if snap.Header != nil {
		c.header = snap.Header.Clone()
	} else {
		c.header = make(http.Header, 4)
	}
	params := snap.Params // copied before the first change
	owned := false
	setParam := func(k string, v []string) {
		if !owned {
			params, owned = slices.Clone(params), true
		}
		params = params.Put(k, v)
	}

	var stack [16]*op // most builders have a few steps: no allocation
	ops := stack[:0]
	for o := b.last; o != nil; o = o.prev {
		ops = append(ops, o)
	}
	slices.Reverse(ops)
	for _, o := range ops {
		switch o.kind {
		case opHeader:
			c.header[http.CanonicalHeaderKey(o.name)] = o.values
		case opHeaders:
			for i := 0; i < len(o.values); i += 2 {
				c.header[http.CanonicalHeaderKey(o.values[i])] = o.values[i+1 : i+2 : i+2]
			}
		case opDelHeader:
			c.header.Del(o.name)
		case opParam:
			setParam(o.name, o.values)
		case opParams:
			for i := 0; i < len(o.values); i += 2 {
				setParam(o.values[i], o.values[i+1:i+2:i+2])
			}
		case opDelParam:
			if i := params.Index(o.name); i >= 0 {
				if !owned {
					params, owned = slices.Clone(params), true
				}
				params = slices.Delete(params, i, i+1)
			}
		case opClearParams:
			params, owned = nil, true
		case opCookie:
			ck := &http.Cookie{Name: o.name, Value: o.values[0]}
			if err := ck.Valid(); err != nil {
				c.fail(kindError(ErrInvalidCookie, "%q: %w", o.name, err))
				continue
			}
			c.cookies = append(c.cookies, ck)
		case opDelCookie:
			c.dropCookies = append(c.dropCookies, o.name)
			c.cookies = slices.DeleteFunc(c.cookies, func(ck *http.Cookie) bool { return ck.Name == o.name })
		case opAuth:
			c.auth, c.noAuth = o.auth, false
			if c.auth == nil {
				c.auth = snap.Auth
			}
		case opNoAuth:
			c.auth, c.noAuth = nil, true
		case opBody:
			c.body = o.body
		case opTimeout:
			c.timeout = o.d
		case opRedirects:
			c.redirects = o.on
		case opErr:
			c.fail(o.err)
		}
	}
	if c.noAuth {
		c.header.Del("Authorization")
	}
	c.checkMethod()
	c.checkHeaders()
	c.buildURL(snap.BaseURL, b.url, params)
}

func (c *call) checkMethod() {
	if c.method == "" || strings.IndexFunc(c.method, func(r rune) bool { return !httpguts.IsTokenRune(r) }) >= 0 {
		c.fail(kindError(ErrInvalidMethod, "%q", c.method))
	}
}

func (c *call) checkHeaders() {
	for k, vs := range c.header {
		if !httpguts.ValidHeaderFieldName(k) {
			c.fail(kindError(ErrInvalidHeader, "name %q", k))
			continue
		}
		for _, v := range vs {
			if !httpguts.ValidHeaderFieldValue(v) {
				c.fail(kindError(ErrInvalidHeader, "%s: value %q", k, v))
			}
		}
	}
}

// buildURL joins raw with the base URL and appends the merged params after
// the URL's own query, as requests does.
func (c *call) buildURL(base *url.URL, raw string, params core.Params) {
	u, err := joinURL(base, raw)
	if err != nil {
		c.fail(err)
		return
	}
	requoteURL(u)
	if len(params) > 0 {
		var sb strings.Builder
		n := len(u.RawQuery)
		for _, p := range params {
			for _, v := range p.Values {
				n += len(p.Key) + len(v) + 2
			}
		}
		sb.Grow(n + n/8) // room for a few escapes
		sb.WriteString(u.RawQuery)
		for _, p := range params {
			for _, v := range p.Values {
				if sb.Len() > 0 {
					sb.WriteByte('&')
				}
				sb.WriteString(url.QueryEscape(p.Key))
				sb.WriteByte('=')
				sb.WriteString(url.QueryEscape(v))
			}
		}
		u.RawQuery = sb.String()
	}
	c.url = u
}

// requoteURL makes u's path and query what requests' requote_uri makes
// them: percent-encoded unreserved characters are decoded, and bytes that
// may not appear raw in a URL (space, non-ASCII, ", <, >, ...) are encoded,
// so that they are never written raw on the request line. An empty query
// is dropped ("/p?" is "/p"), as urlunparse does.
func requoteURL(u *url.URL) {
	u.RawQuery = requote(u.RawQuery)
	u.ForceQuery = false
	if u.RawPath != "" {
		u.RawPath = requote(u.RawPath)
	}
}

// requote is requests' requote_uri (utils.py) for one part of a URL.
func requote(s string) string {
	clean := true
	for i := 0; i < len(s) && clean; i++ {
		clean = s[i] != '%' && (isUnreserved(s[i]) || strings.IndexByte(requoteSafe, s[i]) >= 0)
	}
	if clean {
		return s
	}
	if un, ok := unquoteUnreserved(s); ok {
		return quote(un, requoteSafe+"%")
	}
	return quote(s, requoteSafe)
}

// requoteSafe are the reserved characters requote_uri leaves as they are.
const requoteSafe = "!#$&'()*+,/:;=?@[]~"

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// unquoteUnreserved decodes the %XX escapes of unreserved characters and
// keeps the others; ok is false for a malformed escape (two letters or
// digits that are no hex number), as unquote_unreserved's InvalidURL.
func unquoteUnreserved(s string) (string, bool) {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			sb.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) || !isAlnum(s[i+1]) || !isAlnum(s[i+2]) {
			sb.WriteByte('%') // not an escape: kept, and quoted as is
			continue
		}
		hi, ok1 := unhex(s[i+1])
		lo, ok2 := unhex(s[i+2])
		if !ok1 || !ok2 {
			return "", false
		}
		if c := hi<<4 | lo; isUnreserved(c) {
			sb.WriteByte(c)
		} else {
			sb.WriteString(s[i : i+3])
		}
		i += 2
	}
	return sb.String(), true
}

// isAlnum is str.isalnum for one byte of UTF-8: bytes of non-ASCII
// characters count, as the letters they belong to would.
func isAlnum(c byte) bool {
	return c >= 0x80 || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// quote percent-encodes every byte of s that is neither unreserved nor in
// safe, like urllib.parse.quote.
func quote(s, safe string) string {
	const hex = "0123456789ABCDEF"
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) || strings.IndexByte(safe, c) >= 0 {
			sb.WriteByte(c)
			continue
		}
		sb.WriteByte('%')
		sb.WriteByte(hex[c>>4])
		sb.WriteByte(hex[c&15])
	}
	return sb.String()
}

// joinURL parses raw and, when it is relative, appends it to base's path.
func joinURL(base *url.URL, raw string) (*url.URL, error) {
	if raw == "" && base == nil {
		return nil, kindError(ErrInvalidURL, "empty URL")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, kindError(ErrInvalidURL, "%w", err)
	}
	if !u.IsAbs() && u.Host == "" && base != nil {
		joined := *base
		joined.Path = strings.TrimSuffix(base.Path, "/")
		if u.Path != "" && !strings.HasPrefix(u.Path, "/") {
			joined.Path += "/"
		}
		joined.Path += u.Path
		joined.RawPath = ""
		joined.RawQuery, joined.ForceQuery, joined.Fragment = u.RawQuery, u.ForceQuery, u.Fragment
		u = &joined
	}
	return u, checkURL(u)
}

func checkURL(u *url.URL) error {
	switch u.Scheme {
	case "http", "https":
	case "":
		return kindError(ErrInvalidURL, "%q has no scheme (and the session no base URL)", u.Redacted())
	default:
		return kindError(ErrUnsupportedScheme, "%q in %q", u.Scheme, u.Redacted())
	}
	if u.Host == "" {
		return kindError(ErrInvalidURL, "%q has no host", u.Redacted())
	}
	return nil
}
