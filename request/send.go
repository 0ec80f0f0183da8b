package request

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/tether-http/tether/internal/core"
	"github.com/tether-http/tether/jar"
)

// Do sends the request, follows redirects with requests' rules, reads the
// whole body and returns the final response. Every response's Set-Cookie
// goes into the session jar, every redirect hop's too.
//
// A non-2xx status is not an error here; see [Response.Err]. Errors wrap one
// of the package's sentinels (ErrInvalidURL, ErrTransport, ...). A nil ctx
// means context.Background().
func (b Builder) Do(ctx context.Context) (*Response, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	snap := b.snap
	if snap == nil {
		snap = defaultSnapshot()
	}
	var c call
	b.resolve(snap, &c)
	if len(c.errs) > 0 {
		return nil, errors.Join(c.errs...)
	}
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	s := &sender{snap: snap, c: &c, jar: snap.Jar}
	return s.run(ctx)
}

// sender runs one call: its hops and their cookies.
type sender struct {
	snap *core.Snapshot
	c    *call
	jar  *jar.Jar // nil until needed when the call has no session
}

// hop is what one request of a call sends.
type hop struct {
	method string
	url    *url.URL // with fragment
	header http.Header
	body   *body
	first  bool
}

func (s *sender) run(ctx context.Context) (*Response, error) {
	c := s.c
	origin := c.url.Hostname()
	h := &hop{method: c.method, url: c.url, header: c.header, body: c.body, first: true}
	var history []*Response
	for {
		req, err := s.request(ctx, h, strings.EqualFold(h.url.Hostname(), origin))
		if err != nil {
			return nil, err
		}
		if h.first {
			if err := s.authorize(req); err != nil {
				return nil, err
			}
			h.header = req.Header // Authorization stays set for later hops
		}
		resp, err := s.send(req, h.url)
		if err != nil {
			return nil, err
		}
		resp.history = slices.Clip(history)

		next, ok := redirectTarget(resp, h.url)
		if !ok {
			return resp, nil
		}
		resp.next = next
		if !c.redirects {
			return resp, nil
		}
		if len(history) >= s.snap.MaxRedirects {
			return nil, &RedirectError{Max: s.snap.MaxRedirects, Response: resp}
		}
		history = append(history, resp)
		h = s.nextHop(h, resp, next)
		if h.body != nil && h.body.once != nil {
			return nil, kindError(ErrBodyNotReplayable, "%d redirect to %s needs the body again", resp.StatusCode(), redacted(next))
		}
	}
}

// request builds the *http.Request for one hop.
func (s *sender) request(ctx context.Context, h *hop, sameHost bool) (*http.Request, error) {
	// The method was validated by resolve; the URL is the call's own and
	// nothing writes to it, so it is shared unless userinfo or a fragment
	// must be left off the wire.
	wire := h.url
	if wire.User != nil || wire.Fragment != "" || wire.RawFragment != "" {
		cp := *wire
		cp.User, cp.Fragment, cp.RawFragment = nil, "", ""
		wire = &cp
	}
	req := (&http.Request{
		Method:     h.method,
		URL:        wire,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     h.header, // owned by this call: safe to change
		Host:       hostNoEmptyPort(wire.Host),
	}).WithContext(ctx)
	if err := h.body.attach(req); err != nil {
		return nil, err
	}
	if !h.first || req.Header.Get("Cookie") == "" {
		s.setCookies(req, sameHost)
	}
	return req, nil
}

// authorize applies requests' precedence: method auth, else session auth,
// else URL userinfo; NoAuth sends none.
func (s *sender) authorize(req *http.Request) error {
	c := s.c
	switch {
	case c.noAuth:
		return nil
	case c.auth != nil:
		if err := c.auth.Apply(req); err != nil {
			return fmt.Errorf("tether: auth: %w", err)
		}
	case c.url.User != nil:
		pass, _ := c.url.User.Password()
		req.SetBasicAuth(c.url.User.Username(), pass)
	}
	return nil
}

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
	add := func(ck *http.Cookie) {
		if slices.Contains(c.dropCookies, ck.Name) {
			return
		}
		if sb.Len() > 0 {
			sb.WriteString("; ")
		}
		sb.WriteString(ck.Name)
		sb.WriteByte('=')
		if ck.Quoted {
			// A value that arrived in double quotes goes back in them, as
			// requests (and browsers) send it.
			sb.WriteByte('"')
			sb.WriteString(ck.Value)
			sb.WriteByte('"')
		} else {
			sb.WriteString(ck.Value)
		}
	}
	for _, ck := range fromJar {
		add(ck)
	}
	for _, ck := range methodCookies {
		add(ck)
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

// send sends one hop, stores its cookies and reads its body.
func (s *sender) send(req *http.Request, u *url.URL) (*Response, error) {
	raw, err := s.snap.Transport.RoundTrip(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %s: %w", ErrTransport, req.Method, redacted(u), err)
	}
	if raw.Body == nil {
		raw.Body = http.NoBody
	}
	data, err := readBody(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: reading body of %s: %w", ErrTransport, redacted(u), err)
	}
	if cks := raw.Cookies(); len(cks) > 0 {
		if s.jar == nil {
			s.jar = jar.New()
		}
		s.jar.SetCookies(req.URL, cks)
	}
	return &Response{raw: raw, body: data, url: u, req: req}, nil
}

func readBody(raw *http.Response) ([]byte, error) {
	defer raw.Body.Close()
	if raw.Request != nil && raw.Request.Method == http.MethodHead {
		return nil, nil
	}
	if n := raw.ContentLength; n >= 0 && n <= 4<<20 {
		buf := make([]byte, n)
		if _, err := io.ReadFull(raw.Body, buf); err != nil {
			return nil, err
		}
		// Read to EOF so that the connection goes back to the pool.
		var one [1]byte
		if _, err := raw.Body.Read(one[:]); err != io.EOF && err != nil {
			return nil, err
		}
		return buf, nil
	}
	return io.ReadAll(raw.Body)
}

// redirectTarget returns where a redirect response points, as requests
// resolves it: scheme-relative and relative Locations against the current
// URL, the fragment carried over when the Location has none.
func redirectTarget(resp *Response, cur *url.URL) (*url.URL, bool) {
	switch resp.StatusCode() {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
	default:
		return nil, false
	}
	loc := resp.Header().Get("Location")
	if loc == "" {
		return nil, false
	}
	ref, err := url.Parse(loc)
	if err != nil {
		// requests requotes the Location before parsing it; net/url is
		// stricter. Try it requoted before giving up on the redirect.
		if ref, err = url.Parse(requote(loc)); err != nil {
			return nil, false
		}
	}
	next := cur.ResolveReference(ref)
	requoteURL(next)
	if ref.Fragment == "" && ref.RawFragment == "" {
		next.Fragment, next.RawFragment = cur.Fragment, cur.RawFragment
	}
	return next, true
}

// nextHop derives the next request of a redirect, with requests' rules for
// the method, the body and the credentials.
func (s *sender) nextHop(prev *hop, resp *Response, next *url.URL) *hop {
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
	if stripAuth(prev.url, next) {
		h.header.Del("Authorization")
	}
	h.header.Del("Proxy-Authorization")
	h.header.Del("Cookie")
	return h
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

// hostNoEmptyPort strips a trailing ":" as http.NewRequest does.
func hostNoEmptyPort(host string) string {
	return strings.TrimSuffix(host, ":")
}

func redacted(u *url.URL) string {
	if u == nil {
		return "<nil>"
	}
	return u.Redacted()
}
