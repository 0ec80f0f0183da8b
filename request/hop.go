package request

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

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
		if err := h.body.attach(req); err != nil {
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
		if err := h.body.attach(req); err != nil {
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
	raw, err := s.roundTrip(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %s: %w", ErrTransport, req.Method, redacted(u), err)
	}
	return s.consume(req, raw, u)
}

// transport chooses what sends req: the session's transport.
func (s *sender) transport(*http.Request) http.RoundTripper { return s.snap.Transport }

// roundTrip sends one hop. The transport closes req's body, sent or not.
func (s *sender) roundTrip(req *http.Request) (*http.Response, error) {
	return s.transport(req).RoundTrip(req)
}

// consume stores a hop's cookies in the jar and reads its body.
func (s *sender) consume(req *http.Request, raw *http.Response, u *url.URL) (*Response, error) {
	if raw.Body == nil {
		raw.Body = http.NoBody
	}
	if cks := raw.Cookies(); len(cks) > 0 {
		if s.jar == nil {
			s.jar = jar.New()
		}
		s.jar.SetCookies(req.URL, cks)
	}
	data, err := readBody(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: reading body of %s: %w", ErrTransport, redacted(u), err)
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
