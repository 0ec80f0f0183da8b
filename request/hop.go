package request

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tether-http/tether/jar"
)

// prepare builds the *http.Request for one hop: its URL, headers, cookies,
// credentials (first hop) and body.
func (s *sender) prepare(ctx context.Context, h *hop) (*http.Request, error) {
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
	sameHost := strings.EqualFold(h.url.Hostname(), s.origin)
	if s.c.host != "" && strings.EqualFold(h.url.Host, s.authority) {
		req.Host = s.c.host
	}
	if !h.first || req.Header.Get("Cookie") == "" {
		s.setCookies(req, sameHost)
	}
	// A body that replays is there for Auth to see (and sign); a one-shot
	// body is opened only once nothing can fail before it is sent.
	early := h.body != nil && h.body.replayable
	if early {
		if err := h.body.attach(req, s.c.upload); err != nil {
			return nil, err
		}
	}
	if h.first {
		if err := s.authorize(req); err != nil {
			closeBody(req)
			return nil, err
		}
		h.header = req.Header // Authorization stays set for later hops
	}
	if !early {
		if err := h.body.attach(req, s.c.upload); err != nil {
			return nil, err
		}
	}
	return req, nil
}

// authorize applies requests' precedence: method auth, else session auth,
// else URL userinfo with a password (requests sends none for a user name
// alone); NoAuth sends none.
func (s *sender) authorize(req *http.Request) error {
	c := s.c
	switch {
	case c.noAuth:
		return nil
	case c.auth != nil:
		if err := c.auth.Apply(req); err != nil {
			return kindError(ErrAuth, "%w", err)
		}
	case c.url.User != nil:
		if pass, ok := c.url.User.Password(); ok {
			req.SetBasicAuth(c.url.User.Username(), pass)
		}
	}
	return nil
}

// send sends one hop through the transport and consumes its response.
func (s *sender) send(req *http.Request, u *url.URL) (*Response, error) {
	start := time.Now()
	raw, err := s.roundTrip(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %s: %w", ErrTransport, req.Method, redacted(u), err)
	}
	return s.consume(req, raw, u, time.Since(start))
}

// transport chooses what sends req: the session's transport.
func (s *sender) transport(*http.Request) http.RoundTripper { return s.snap.Transport }

// roundTrip sends one hop. The transport closes req's body, sent or not.
func (s *sender) roundTrip(req *http.Request) (*http.Response, error) {
	return s.transport(req).RoundTrip(req)
}

// consume stores a hop's cookies in the jar and reads its body, or, for
// the final response of a streamed call, leaves the body open on it.
func (s *sender) consume(req *http.Request, raw *http.Response, u *url.URL, elapsed time.Duration) (*Response, error) {
	if raw.Body == nil {
		raw.Body = http.NoBody
	}
	if cks := raw.Cookies(); len(cks) > 0 {
		if s.jar == nil {
			s.jar = jar.New()
		}
		s.jar.SetCookies(req.URL, cks)
	}
	resp := &Response{raw: raw, url: u, req: req, elapsed: elapsed}
	if req.Method == http.MethodHead {
		_ = raw.Body.Close()
		return resp, nil
	}
	final := !s.c.redirects || !resp.IsRedirect()
	body, decoded, err := s.openBody(raw, final)
	if err != nil {
		return nil, fmt.Errorf("tether: reading body of %s: %w", redacted(u), err)
	}
	if final && s.c.stream {
		resp.live, resp.limit = body, s.c.maxBody
		return resp, nil
	}
	size := raw.ContentLength
	if decoded {
		size = -1
	}
	resp.body, err = readAll(body, size, s.c.maxBody)
	_ = body.Close()
	if err != nil {
		if errors.Is(err, ErrBodyTooLarge) || errors.Is(err, ErrDecode) {
			return nil, fmt.Errorf("tether: reading body of %s: %w", redacted(u), err)
		}
		return nil, fmt.Errorf("%w: reading body of %s: %w", ErrTransport, redacted(u), err)
	}
	return resp, nil
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
