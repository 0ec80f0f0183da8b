package request

import (
	"net/http"
	"slices"
	"strings"

	"github.com/tether-http/tether/internal/wire"
)

// setCookies builds the Cookie header for a hop from the jar (session-wide
// cookies only on the host the call was made to) and the call's own cookies
// (likewise), with the call's DelCookie names left out.
func (s *sender) setCookies(req *http.Request, sameHost bool) {
	c := s.c
	req.Header.Del("Cookie")
	if sameHost && len(c.cookies) == 0 && len(c.dropCookies) == 0 {
		// The jar's cookies alone: the header it makes of them, with no
		// list of cookies in between.
		if v := s.jar.CookieHeader(req.URL); v != "" {
			req.Header["Cookie"] = c.own([]string{v})
		}
		return
	}
	var fromJar []*http.Cookie
	if s.jar != nil {
		if sameHost {
			fromJar = s.jar.Cookies(req.URL)
		} else {
			fromJar = s.jar.HostCookies(req.URL)
		}
	}
	methodCookies := c.cookies
	if !sameHost {
		methodCookies = nil
	}
	if len(methodCookies) > 0 && len(fromJar) > 0 {
		fromJar = dropSessionWide(fromJar, s.jar.HostCookies(req.URL), methodCookies)
	}
	n := 0
	for _, ck := range fromJar {
		n += len(ck.Name) + len(ck.Value) + 4
	}
	for _, ck := range methodCookies {
		n += len(ck.Name) + len(ck.Value) + 4
	}
	var sb strings.Builder
	sb.Grow(n)
	for _, list := range [2][]*http.Cookie{fromJar, methodCookies} {
		for _, ck := range list {
			if !slices.Contains(c.dropCookies, ck.Name) {
				wire.WriteCookie(&sb, ck.Name, ck.Value, ck.Quoted)
			}
		}
	}
	if sb.Len() > 0 {
		req.Header["Cookie"] = c.own([]string{sb.String()})
	}
}

// checkCookie refuses a call's cookie that could not go on the wire as
// it was given, with ErrInvalidCookie: a name or value the jar would not
// keep from a server either ([wire.ServerCookieName],
// [wire.ServerCookieValue]). Anything else is sent as it is, as requests
// sends cookies={...}: a double-quoted value with its quotes, `{"a":1}`,
// a name such as "x[y]". The value, which may be a credential, is not
// quoted in the error.
func checkCookie(name, value string) error {
	if wire.ServerCookieName(name) && wire.ServerCookieValue(value) {
		return nil
	}
	why := ""
	switch {
	case name == "":
		why = "empty name"
	case !wire.NoCTL(name):
		why = "a control byte in the name"
	case strings.ContainsAny(name, ";="):
		why = `a ";" or "=" in the name would end it`
	case !wire.ServerCookieName(name):
		why = "white space at an end of the name, which the server would trim"
	case !wire.NoCTL(value):
		why = "a control byte (CR, LF, NUL, ...) in the value"
	default:
		why = `a ";" in the value would end it`
	}
	return kindError(ErrInvalidCookie, "%q: %s", name, why)
}

// dropSessionWide removes from all the session-wide cookies (those in all
// but not in host, which is a subsequence of all) that a method cookie names.
func dropSessionWide(all, host, method []*http.Cookie) []*http.Cookie {
	out := make([]*http.Cookie, 0, len(all))
	k := 0
	for _, ck := range all {
		if k < len(host) && host[k].Name == ck.Name && host[k].Value == ck.Value {
			k++
			out = append(out, ck)
			continue
		}
		if slices.ContainsFunc(method, func(m *http.Cookie) bool { return m.Name == ck.Name }) {
			continue
		}
		out = append(out, ck)
	}
	return out
}

// setCookies returns the cookies of h's Set-Cookie lines as net/http parses
// them, and, for a line whose value net/http refuses but requests keeps
// (`{"a":1}`, a backslash, UTF-8 bytes), the cookie with that value as it
// came, which the jar keeps when it has no control byte or ";". The
// attributes are always net/http's reading.
func setCookies(h http.Header) []*http.Cookie {
	lines := h["Set-Cookie"]
	if len(lines) == 0 {
		return nil
	}
	out := make([]*http.Cookie, 0, len(lines))
	for _, line := range lines {
		parsed := trimAttrs(line)
		c, err := http.ParseSetCookie(parsed)
		if err != nil {
			c = lenientSetCookie(parsed)
		}
		if c != nil {
			c.Raw = line
			out = append(out, c)
		}
	}
	return out
}

// trimAttrs removes the white space around the "=" of line's attributes
// ("Path= /x", "Path =/x"), which RFC 6265 §5.2 trims, and requests with
// it, but net/http's parser does not (it would ignore the attribute).
// line comes back as it is, unallocated, when there is none.
func trimAttrs(line string) string {
	pair, attrs, ok := strings.Cut(line, ";")
	if !ok || !strings.Contains(attrs, " =") && !strings.Contains(attrs, "= ") && !strings.Contains(attrs, "\t") {
		return line
	}
	parts := strings.Split(attrs, ";")
	for i, p := range parts {
		if k, v, ok := strings.Cut(p, "="); ok {
			parts[i] = " " + strings.Trim(k, " \t") + "=" + strings.Trim(v, " \t")
		}
	}
	return pair + ";" + strings.Join(parts, ";")
}

// lenientSetCookie parses line with its value replaced, then puts the
// value back; nil if the name or the attributes do not parse.
func lenientSetCookie(line string) *http.Cookie {
	pair, attrs, hasAttrs := strings.Cut(line, ";")
	name, value, ok := strings.Cut(pair, "=")
	if !ok {
		return nil
	}
	name = strings.TrimSpace(name)
	probe := name + "=v"
	if hasAttrs {
		probe += ";" + attrs
	}
	c, err := http.ParseSetCookie(probe)
	if err != nil && wire.ServerCookieName(name) {
		// A name net/http refuses but requests keeps ("x[y]", "a b"):
		// the attributes are read with another name.
		if c, err = http.ParseSetCookie("x=v" + probe[len(name)+2:]); err == nil {
			c.Name = name
		}
	}
	if err != nil {
		return nil
	}
	value = strings.Trim(value, " \t")
	if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
		value, c.Quoted = value[1:len(value)-1], true
	}
	c.Value, c.Raw = value, line
	return c
}
