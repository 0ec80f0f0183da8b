package request

import (
	"net/http"
	"net/url"
	"strings"
)

// redirectTarget returns where a redirect response points, as requests
// resolves it: scheme-relative and relative Locations against the current
// URL, the fragment carried over when the Location has none. It returns
// nil when resp is not a redirect (not 301, 302, 303, 307 or 308, or no
// Location), and a *LocationError matching ErrInvalidURL when the Location
// cannot be parsed even requoted (requests raises there too).
func redirectTarget(resp *Response, cur *url.URL) (*url.URL, error) {
	switch resp.StatusCode() {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
	default:
		return nil, nil
	}
	loc := resp.Header().Get("Location")
	if loc == "" {
		return nil, nil
	}
	ref, err := url.Parse(loc)
	if err != nil {
		// requests requotes the Location before parsing it; net/url is
		// stricter. Try it requoted before giving up on the redirect.
		if ref, err = url.Parse(requote(loc)); err != nil {
			return nil, &LocationError{Location: loc, Response: resp, Err: kindError(ErrInvalidURL, "%w", err)}
		}
	}
	next := cur.ResolveReference(ref)
	requoteURL(next)
	if ref.Fragment == "" && ref.RawFragment == "" {
		next.Fragment, next.RawFragment = cur.Fragment, cur.RawFragment
	}
	return next, nil
}

// nextHop derives the next request of a redirect, with requests' rules for
// the method, the body and the credentials.
func nextHop(prev *hop, resp *Response, next *url.URL) (*hop, error) {
	h := &hop{method: prev.method, url: next, header: prev.header.Clone(), body: prev.body}
	code := resp.StatusCode()
	switch {
	case code == http.StatusSeeOther && h.method != http.MethodHead,
		code == http.StatusFound && h.method != http.MethodHead,
		code == http.StatusMovedPermanently && h.method == http.MethodPost:
		h.method = http.MethodGet
	}
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
	}
	h.header.Del("Proxy-Authorization")
	h.header.Del("Cookie")
	return h, nil
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
