package request

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/tether-http/tether/internal/urls"
)

// redirectTarget returns where a redirect response points, as requests'
// resolve_redirects computes it (the Location requoted and joined, the
// fragment carried over), or nil when resp is not a redirect (not 301, 302,
// 303, 307 or 308, or no Location). follow is nil when the target can be
// sent, else why not (another scheme, no host): that only matters when the
// redirect is followed. err, a *LocationError matching ErrInvalidURL, is a
// Location that cannot be resolved at all, which requests raises on even
// without following.
func (s *sender) redirectTarget(resp *Response) (next *url.URL, prepared string, follow, err error) {
	if !isRedirectStatus(resp.StatusCode()) {
		return nil, "", nil, nil
	}
	locs := resp.Header().Values("Location")
	// http.client's joined value, which requests reads, without white
	// space at its ends: not part of a field value (RFC 9110 §5.5), and
	// net/http's HTTP/1 parser drops it, so a Location reads the same over
	// HTTP/2 (requests keeps a trailing space and requests "/b%20").
	loc := strings.Trim(strings.Join(locs, ", "), " \t")
	if loc == "" {
		return nil, "", nil, nil
	}
	if s.chain == nil {
		if s.chain, err = urls.NewRedirects(s.c.prepared); err != nil {
			return nil, "", nil, &LocationError{Location: loc, Response: resp, Err: urlErr(loc, err)}
		}
	}
	prepared, err = s.chain.Next(loc)
	switch {
	case errors.Is(err, urls.ErrEmptyLocation):
		return nil, "", nil, nil
	case err != nil:
		return nil, "", nil, &LocationError{Location: loc, Response: resp, Err: urlErr(loc, err)}
	}
	next = new(url.URL)
	if err = wireURL(next, prepared); err == nil {
		return next, prepared, nil, nil
	}
	follow = urlErr(prepared, err)
	if next, err = url.Parse(prepared); err != nil {
		return nil, "", nil, &LocationError{Location: loc, Response: resp, Err: urlErr(loc, err)}
	}
	return next, prepared, follow, nil
}

// nextHop derives the next request of a redirect, with requests' rules for
// the method, the body and the credentials; the sensitive headers (canonical
// names, the session's SetSensitiveHeaders) go where Authorization goes.
func nextHop(prev *hop, resp *Response, next *url.URL, sensitive []string) (*hop, error) {
	code := resp.StatusCode()
	h := &hop{method: redirectMethod(prev.method, code), url: next, header: prev.header.Clone(), body: prev.body}
	if code != http.StatusTemporaryRedirect && code != http.StatusPermanentRedirect {
		h.body = nil
		for _, k := range []string{"Content-Length", "Content-Type", "Transfer-Encoding"} {
			h.header.Del(k)
		}
	}
	if h.body != nil && !h.body.replayable {
		return nil, kindError(ErrBodyNotReplayable, "%d redirect to %s needs the body again", code, redacted(next))
	}
	if stripAuth(prev.url, next) {
		h.header.Del("Authorization")
		for _, k := range sensitive {
			delete(h.header, k)
		}
	}
	h.header.Del("Proxy-Authorization")
	h.header.Del("Cookie")
	return h, nil
}

// redirectMethod is the method a redirect with status code turns method
// into, as requests' rebuild_method: GET after a 303 or a 302 (but for
// HEAD), and after a 301 to a POST.
func redirectMethod(method string, code int) string {
	switch {
	case code == http.StatusSeeOther && method != http.MethodHead,
		code == http.StatusFound && method != http.MethodHead,
		code == http.StatusMovedPermanently && method == http.MethodPost:
		return http.MethodGet
	}
	return method
}

// stripAuth is requests' should_strip_auth: credentials are dropped when the
// host, scheme or port changes, except http→https on default ports.
func stripAuth(old, next *url.URL) bool {
	if !strings.EqualFold(old.Hostname(), next.Hostname()) {
		return true
	}
	op, np := old.Port(), next.Port()
	if old.Scheme == "http" && (op == "80" || op == "") && next.Scheme == "https" && (np == "443" || np == "") {
		return false
	}
	if old.Scheme == next.Scheme {
		def := defaultPort(old.Scheme)
		if (op == def || op == "") && (np == def || np == "") {
			return false
		}
	}
	return op != np || old.Scheme != next.Scheme
}

func defaultPort(scheme string) string {
	switch scheme {
	case "http":
		return "80"
	case "https":
		return "443"
	}
	return ""
}
