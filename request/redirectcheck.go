package request

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Redirect is a redirect that a call is about to follow, as a redirect
// check sees it ([Builder.RedirectCheck], a session's SetRedirectCheck):
// nothing has been sent to its URL yet, neither cookies nor credentials.
type Redirect struct {
	// URL is where the redirect leads, as [Response.Next] shows it: the
	// Location resolved against the response's URL, with its fragment
	// and any userinfo it names. It is always http or https with a host
	// (a Location that cannot be followed is a [*LocationError] before
	// any check). It is the check's own copy.
	URL *url.URL
	// Method is the method the next hop would be sent with: GET after a
	// 303, and after a 302 or a POST's 301, as requests rewrites it.
	Method string
	// Response is the redirect response, its body read. Its URL is where
	// the call is now and its History the responses before it: the
	// first of them, or Response itself when there is none, answered the
	// URL the call was made to.
	Response *Response
}

// RedirectCheck makes fn decide whether this call follows each redirect,
// as http.Client's CheckRedirect does, in place of the session's check
// (see the session's SetRedirectCheck); NoRedirectCheck removes that one.
//
// fn runs for every redirect the call would follow, after the response
// hooks have seen it and after the redirect limit (which counts first, as
// in requests), before anything is sent to [Redirect.URL]: a host it
// refuses gets no request, no cookie and no credential. When fn returns an
// error, Do returns a [*RedirectRefusedError] that wraps it and matches
// [ErrRedirectRefused], and sends nothing more. When that error matches
// [http.ErrUseLastResponse], Do instead returns the redirect response and
// no error, as [Builder.NoRedirects] would have returned it ([Response.Next]
// says where it points); its body has been read, with [Builder.Stream] too,
// as the body of a redirect on the way always is.
//
// fn runs on the goroutine that called Do, once per redirect; it is not
// called with NoRedirects, whose calls follow nothing. A nil fn is an
// [ErrInvalidOption] error from Do. [SameHost] and [AllowHosts] are
// ready-made checks.
//
// A check sees host names, not the addresses they resolve to: to keep
// calls off addresses (private networks, a metadata service), check the
// address each connection dials (client.WithDialContext), which covers
// the first hop and DNS answers too.
func (b Builder) RedirectCheck(fn func(Redirect) error) Builder {
	if fn == nil {
		return b.fail(kindError(ErrInvalidOption, "RedirectCheck with a nil check"))
	}
	return b.with(&op{kind: opRedirectCheck, check: fn})
}

// NoRedirectCheck follows this call's redirects without the session's
// redirect check, up to the redirect limit.
func (b Builder) NoRedirectCheck() Builder {
	return b.with(&op{kind: opRedirectCheck})
}

// checkRedirect runs the call's redirect check on resp, a redirect from
// hop h that is about to be followed. stop means Do returns resp as it is
// (the check said http.ErrUseLastResponse); err is the refusal, or why resp
// cannot be returned (its body was cut).
func (s *sender) checkRedirect(h *hop, resp *Response) (stop bool, err error) {
	next := resp.Next()
	err = s.c.check(Redirect{URL: next, Method: redirectMethod(h.method, resp.StatusCode()), Response: resp})
	switch {
	case err == nil:
		return false, nil
	case errors.Is(err, http.ErrUseLastResponse):
		// resp is the final response now: a body that was cut on the way
		// is the error it would have been had resp been final from the
		// start.
		return true, s.cut
	}
	return false, &RedirectRefusedError{URL: next, Response: resp, Err: err}
}

// SameHost is a redirect check (see [Builder.RedirectCheck]) that follows
// a redirect only to the host name the call was made to, as imroc/req's
// SameHostRedirectPolicy: compared case-insensitively and without a
// final dot, whatever the port and scheme. A redirect to any other host,
// a subdomain included, is refused.
func SameHost(r Redirect) error {
	if r.URL == nil || r.Response == nil {
		return errors.New("SameHost: a Redirect without URL or Response")
	}
	first := r.Response
	if len(first.history) > 0 {
		first = first.history[0]
	}
	origin, host := first.url.Hostname(), r.URL.Hostname()
	if canonicalHost(host) != canonicalHost(origin) {
		return fmt.Errorf("%s is not %s, the host the call was made to", host, origin)
	}
	return nil
}

// AllowHosts returns a redirect check (see [Builder.RedirectCheck]) that
// follows a redirect only to one of hosts, like resty's
// DomainCheckRedirectPolicy: host names or IP addresses (an IPv6 address
// with or without brackets), compared with the URL's host name
// case-insensitively and without a final dot, whatever the port and
// scheme. A redirect to any other host is refused, the call's own host
// included unless it is listed; no hosts refuses every redirect. An entry
// with a scheme, port or path is no host name: while there is one, the
// check refuses every redirect with an [ErrInvalidOption] error, as it
// does while an entry holds a wildcard ("*.example.com"): the names are
// matched exactly.
func AllowHosts(hosts ...string) func(Redirect) error {
	allowed := make(map[string]bool, len(hosts))
	var bad []error
	for _, h := range hosts {
		name := canonicalHost(strings.TrimSuffix(strings.TrimPrefix(h, "["), "]"))
		if name == "" || net.ParseIP(name) == nil && strings.ContainsAny(name, ":/?#@[]* ") {
			bad = append(bad, kindError(ErrInvalidOption, "AllowHosts: %q is not a host name", h))
			continue
		}
		allowed[name] = true
	}
	invalid := errors.Join(bad...)
	return func(r Redirect) error {
		switch {
		case invalid != nil:
			return invalid
		case r.URL == nil:
			return errors.New("AllowHosts: a Redirect without URL")
		}
		if host := r.URL.Hostname(); !allowed[canonicalHost(host)] {
			return fmt.Errorf("%s is not an allowed host", host)
		}
		return nil
	}
}

// canonicalHost is a host name as AllowHosts compares it: lower case,
// without the final dot of a fully qualified name.
func canonicalHost(h string) string { return strings.ToLower(strings.TrimSuffix(h, ".")) }
