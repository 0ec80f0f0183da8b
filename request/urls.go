package request

import (
	"net/url"
	"strings"

	"github.com/tether-http/tether/internal/core"
)

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
