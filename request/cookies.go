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
		req.Header["Cookie"] = []string{sb.String()}
	}
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
