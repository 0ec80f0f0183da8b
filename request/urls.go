package request

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/tether-http/tether/internal/core"
	"github.com/tether-http/tether/internal/urls"
)

// buildURL joins raw with the base URL, appends the merged params after
// the URL's own query and prepares the result as requests' prepare_url
// does (dot segments removed, escapes upper-cased, what may not stand in a
// URL quoted, requote_uri), so that the bytes on the wire are requests'.
func (c *call) buildURL(base *url.URL, raw string, params core.Params) {
	joined := joinBase(base, raw)
	if joined == "" {
		c.fail(kindError(ErrInvalidURL, "empty URL"))
		return
	}
	var prepared string
	var err error
	if len(params) > 0 && !strings.ContainsAny(joined, "?#%") {
		// No query of its own, nothing to requote: the params can be the
		// query now, in the same string (what requests makes of it is the
		// same).
		prepared, err = urls.Prepare(encodeParams(joined, "?", params), "")
	} else {
		prepared, err = urls.Prepare(joined, encodeParams("", "", params))
	}
	if err != nil {
		c.fail(urlErr(joined, err))
		return
	}
	if err := wireURL(&c.wire, prepared); err != nil {
		c.fail(urlErr(joined, err))
		return
	}
	c.prepared, c.url = prepared, &c.wire
}

// encodeParams appends to prefix and sep the params encoded as urlencode
// does (quote_plus; the same bytes as url.QueryEscape), in their order.
func encodeParams(prefix, sep string, params core.Params) string {
	if len(params) == 0 {
		return prefix
	}
	prefixLen := len(prefix) + len(sep)
	n := prefixLen
	for _, p := range params {
		for _, v := range p.Values {
			n += queryEscapedLen(p.Key) + queryEscapedLen(v) + 2
		}
	}
	if n == prefixLen {
		// Only keys without values: they add no query, not even sep.
		return prefix
	}
	var sb strings.Builder
	sb.Grow(n - 1) // the exact length: one "&" fewer than pairs
	sb.WriteString(prefix)
	sb.WriteString(sep)
	for _, p := range params {
		for _, v := range p.Values {
			if sb.Len() > prefixLen {
				sb.WriteByte('&')
			}
			writeQueryEscape(&sb, p.Key)
			sb.WriteByte('=')
			writeQueryEscape(&sb, v)
		}
	}
	return sb.String()
}

// writeQueryEscape writes url.QueryEscape(s) to sb, without the string
// QueryEscape allocates for a value that needs escaping.
func writeQueryEscape(sb *strings.Builder, s string) {
	const upperhex = "0123456789ABCDEF"
	start := 0 // the run of bytes kept as they are
	for i := 0; i < len(s); i++ {
		c := s[i]
		if queryUnreserved(c) {
			continue
		}
		sb.WriteString(s[start:i])
		if c == ' ' {
			sb.WriteByte('+')
		} else {
			sb.WriteByte('%')
			sb.WriteByte(upperhex[c>>4])
			sb.WriteByte(upperhex[c&15])
		}
		start = i + 1
	}
	sb.WriteString(s[start:])
}

// joinBase appends a relative raw to the base URL's path: base
// "http://h/api" with "users" or "/users" is "http://h/api/users"; a raw
// that is only a query or a fragment goes right after the base ("?q=1" is
// "http://h/api?q=1"), and a scheme-relative "//host/x" takes the base's
// scheme. An absolute raw is used as it is. Leading whitespace is dropped
// first, as requests drops it from any URL.
func joinBase(base *url.URL, raw string) string {
	if base == nil {
		return raw
	}
	raw = urls.LStrip(raw)
	switch {
	case hasScheme(raw):
		return raw
	case strings.HasPrefix(raw, "//"):
		return base.Scheme + ":" + raw
	}
	b := *base
	b.RawQuery, b.ForceQuery, b.Fragment, b.RawFragment = "", false, "", ""
	switch {
	case raw == "":
		return b.String()
	case raw[0] == '?' || raw[0] == '#':
		return b.String() + raw
	}
	return strings.TrimSuffix(b.String(), "/") + "/" + strings.TrimPrefix(raw, "/")
}

// hasScheme reports whether raw starts with a URL scheme and a colon.
func hasScheme(raw string) bool {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return true
		default:
			return false
		}
	}
	return false
}

// wireURL makes *u the prepared URL as Go sends it exactly as urllib3
// would, keeping its userinfo and fragment (which the request leaves off
// the wire) for the response's URL and the credentials.
func wireURL(u *url.URL, prepared string) error {
	if err := urls.SetURL(u, prepared); err != nil {
		return err
	}
	if strings.ContainsAny(prepared, "@#") {
		if p, err := url.Parse(prepared); err == nil {
			u.User, u.Fragment, u.RawFragment = p.User, p.Fragment, p.RawFragment
		}
	}
	return nil
}

// urlErr maps why requests refuses a URL onto tether's sentinels, with the
// URL's credentials left out of the message.
func urlErr(raw string, err error) error {
	kind := ErrInvalidURL
	if errors.Is(err, urls.ErrInvalidSchema) {
		kind = ErrUnsupportedScheme
	}
	var ue *urls.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%w: %q: %w (requests raises %s)", kind, urls.Redact(raw), ue.Err, ue.Python)
	}
	if pe, ok := err.(*url.Error); ok {
		err = pe.Err // without the URL, which may hold credentials
	}
	return fmt.Errorf("%w: %q: %w", kind, urls.Redact(raw), err)
}

// queryEscapedLen is len(url.QueryEscape(s)).
func queryEscapedLen(s string) int {
	n := len(s)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != ' ' && !queryUnreserved(c) {
			n += 2
		}
	}
	return n
}

// appendQueryEscape appends url.QueryEscape(s) to dst, without the
// string QueryEscape allocates for a value that needs escaping.
func appendQueryEscape(dst []byte, s string) []byte {
	const upperhex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case queryUnreserved(c):
			dst = append(dst, c)
		case c == ' ':
			dst = append(dst, '+')
		default:
			dst = append(dst, '%', upperhex[c>>4], upperhex[c&15])
		}
	}
	return dst
}

// queryUnreserved reports whether url.QueryEscape keeps c as it is: the
// unreserved characters of RFC 3986 §2.3.
func queryUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// PathParam fills the placeholder {name} of the request's URL with value,
// escaped as one path segment ("/" is sent as %2F, " " as %20; see
// url.PathEscape; and ":" as %3A in a relative URL's first segment, where
// it would end a scheme), like resty's and req's SetPathParam: with
// s.Get("/users/{id}/repos"), PathParam("id", "a/b") requests
// /users/a%2Fb/repos. requests has nothing of the kind: a caller formats
// the URL with urllib.parse.quote(id, safe=""). Every {name} of the URL as
// given to the builder is filled, before the session's base URL is joined;
// a later PathParam of the same name wins; a name the URL does not hold is
// ignored, and a placeholder that no PathParam fills is sent as written
// (requests quotes its braces, %7Bname%7D). A placeholder in the query
// (/search?q={q}) is escaped as a query value instead: "&", "=" and "+"
// too (url.QueryEscape, a space as %20), so that a value cannot add a
// parameter; for query parameters, [Builder.Param] is the usual way. An
// empty name is an
// [ErrInvalidOption] error from Do, and so is a value that makes a path
// segment "." or ".." (which would remove itself or its parent from the
// path, escaped or not), and a value filled in the URL's authority (its
// userinfo, host or port) that holds "@", which would make what follows
// it the host.
//
// A builder with placeholders is a template: fill them per call, from
// many goroutines if need be. [Builder.URL] still returns the template.
func (b Builder) PathParam(name, value string) Builder {
	return b.with(&op{kind: opPathParams, values: []string{name, value}})
}

// PathParams is [Builder.PathParam] for every name and value of p.
func (b Builder) PathParams(p map[string]string) Builder {
	return b.with(&op{kind: opPathParams, values: pairs(p)})
}

// authority returns where the authority (userinfo, host and port) of the
// URL s lies, after "scheme://" or a leading "//" and up to the next "/",
// "?" or "#", and whether s has one. Leading whitespace, which requests
// drops, is skipped first.
func authority(s string) (start, end int, ok bool) {
	start = len(s) - len(urls.LStrip(s))
	rest := s[start:]
	if hasScheme(rest) {
		i := strings.IndexByte(rest, ':')
		if !strings.HasPrefix(rest[i:], "://") {
			return 0, 0, false
		}
		start += i + 3
	} else if strings.HasPrefix(rest, "//") {
		start += 2
	} else {
		return 0, 0, false
	}
	end = strings.IndexAny(s[start:], "/?#")
	if end < 0 {
		return start, len(s), true
	}
	return start, start + end, true
}

// fillPath returns raw with each {name} that params holds replaced by
// its value, path-escaped, in one pass: a value cannot hold a placeholder
// (PathEscape escapes its braces), and a placeholder params lacks stays.
// A path segment that values make "." or "..", which PathEscape leaves as
// it is and which would then remove itself or its parent from the path
// (as requests' and Go's servers resolve dot segments), is an error: a
// value fills one segment, never another.
func fillPath(raw string, params map[string]string) (string, error) {
	var sb strings.Builder
	var filled [][2]int // where values went in sb
	// What the template's text so far holds (the values written hold no
	// "/?#", and no ":" until pastScheme): inQuery, a "?" with no "#"
	// after it; pastScheme, any of ":/?#", so that a ":" can no longer end
	// a scheme.
	inQuery, pastScheme := false, false
	write := func(text string) {
		for _, c := range []byte(text) {
			switch c {
			case '?':
				inQuery = true
			case '#':
				inQuery = false
			}
		}
		pastScheme = pastScheme || strings.ContainsAny(text, ":/?#")
		sb.WriteString(text)
	}
	for {
		i := strings.IndexByte(raw, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(raw[i+1:], '}')
		if j < 0 {
			break
		}
		v, ok := params[raw[i+1:i+1+j]]
		if !ok {
			write(raw[:i+1])
			raw = raw[i+1:]
			continue
		}
		write(raw[:i])
		start := sb.Len()
		if inQuery {
			// A query value: "&", "=" and "+" escaped too, so that a
			// value cannot add a parameter; a space as %20, as in a path.
			sb.WriteString(strings.ReplaceAll(url.QueryEscape(v), "+", "%20"))
		} else if pastScheme {
			sb.WriteString(url.PathEscape(v))
		} else {
			// Still in what could be a scheme: a colon, which
			// PathEscape keeps, would make the value one (RFC 3986
			// §4.2), so it is escaped, as requests' quote escapes it.
			sb.WriteString(strings.ReplaceAll(url.PathEscape(v), ":", "%3A"))
		}
		filled = append(filled, [2]int{start, sb.Len()})
		raw = raw[i+2+j:]
	}
	sb.WriteString(raw)
	out := sb.String()
	if len(filled) == 0 {
		return out, nil
	}
	// within reports whether a value went into out[start:end], and
	// whether one that did holds "@".
	within := func(start, end int) (in, at bool) {
		for _, f := range filled {
			if f[0] < end && f[1] > start {
				in = true
				at = at || strings.Contains(out[f[0]:f[1]], "@")
			}
		}
		return in, at
	}
	if start, end, ok := authority(out); ok {
		if _, at := within(start, end); at {
			return "", kindError(ErrInvalidOption, "PathParam: a value in the URL's authority holds \"@\", which would make the rest of it the host")
		}
	}
	path := out
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	for start := 0; start <= len(path); {
		end := strings.IndexByte(path[start:], '/')
		if end < 0 {
			end = len(path)
		} else {
			end += start
		}
		if seg := path[start:end]; seg == "." || seg == ".." {
			if in, _ := within(start, end); in {
				return "", kindError(ErrInvalidOption, "PathParam: a value makes the path segment %q, which is no segment of its own", seg)
			}
		}
		start = end + 1
	}
	return out, nil
}
