package request

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"time"

	"github.com/tether-http/tether/internal/urls"
	"github.com/tether-http/tether/jar"
)

// prepare builds the *http.Request for one try of a hop: its URL,
// headers, cookies from the jar, credentials (first hop, first try) and
// body. A retry (again) works on a copy of the header the first try sent,
// with its credentials, and recomputes the cookies.
func (s *sender) prepare(ctx context.Context, h *hop, again bool) (*http.Request, error) {
	if h.first && !again {
		if err := s.routeErr(); err != nil {
			return nil, err // before anything is attached or sent
		}
	}
	// The method was validated by resolve; the URL is the call's own and
	// nothing writes to it, so it is shared unless userinfo or a fragment
	// must be left off the wire.
	wire := h.url
	if h.authURL != nil {
		wire = h.authURL // a retry sends what the Auth made of the URL (a signature, say)
	} else if wire.User != nil || wire.Fragment != "" || wire.RawFragment != "" {
		cp := *wire
		cp.User, cp.Fragment, cp.RawFragment = nil, "", ""
		wire = &cp
	}
	header := h.header // owned by this call: safe to change
	if again {
		header = header.Clone() // the transport may still hold the last try's
	}
	req := (&http.Request{
		Method:     h.method,
		URL:        wire,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     header,
		Host:       wire.Host, // urls.ToURL never leaves an empty port
	}).WithContext(ctx)
	sameHost := strings.EqualFold(h.url.Hostname(), s.origin)
	h.sameAuthority = strings.EqualFold(h.url.Host, s.authority)
	if s.c.host != "" && h.sameAuthority {
		req.Host = s.c.host
	}
	if !h.explicitCookie {
		s.setCookies(req, sameHost)
	}
	s.setFraming(h, req.Header)
	if !s.dry {
		s.digestAuthorize(req, h) // it counts a nonce use
	}
	// A body that replays is there for Auth to see (and sign); a one-shot
	// body is opened only once nothing can fail before it is sent.
	early := h.body != nil && h.body.replayable
	if early {
		if err := h.body.attach(req, s.c); err != nil {
			return nil, err
		}
	}
	switch {
	case h.first && !h.authorized:
		if err := s.authorize(req); err != nil {
			closeBody(req)
			return nil, err
		}
		if req.Header == nil {
			closeBody(req)
			return nil, kindError(ErrAuth, "the Auth left the request without a header")
		}
		if errs := headerErrors(req.Header); errs != nil {
			// An Auth (a bearer token with a line break, say) set what
			// net/http would refuse.
			closeBody(req)
			return nil, errs[0]
		}
		if req.URL == nil {
			closeBody(req)
			return nil, kindError(ErrAuth, "the Auth left the request without a URL")
		}
		if s.c.auth != nil {
			h.authURL = req.URL
		}
		h.header, h.authorized = req.Header, true // Authorization stays set for later tries and hops
	case !h.first && !h.authorized && !s.c.noAuth:
		// As requests' rebuild_auth: the netrc entry of a redirect's host
		// applies there (and only there).
		s.netrcAuth(req)
		h.header, h.authorized = req.Header, true
	}
	if !early && !s.dry {
		if err := h.body.attach(req, s.c); err != nil {
			return nil, err
		}
	}
	if req.ContentLength == 0 && !zeroLengthMethod(req.Method) && req.Header.Get("Content-Length") == "0" {
		// A "Content-Length: 0" the caller set, which requests sends:
		// net/http writes it for a bodyless DELETE, OPTIONS or other
		// method only with identity framing (for GET and HEAD never; for
		// POST, PUT and PATCH always, and setFraming wrote it).
		req.TransferEncoding = []string{"identity"}
		if req.Body == nil {
			req.Body = http.NoBody // net/http ignores the framing without one
		}
	}
	return req, nil
}

// authorize applies requests' precedence: method auth, else session auth,
// else (under trust_env) the netrc entry for the host, which also beats an
// Authorization header, else URL userinfo with a password (requests sends
// none for a user name alone); NoAuth sends none.
func (s *sender) authorize(req *http.Request) error {
	c := s.c
	switch {
	case c.noAuth:
		return nil
	case c.auth != nil:
		if a, ok := c.auth.(BasicAuth); ok {
			// What a.Apply sets, the value's slot from the call's room.
			req.Header["Authorization"] = c.own([]string{a.value()})
			return nil
		}
		if err := c.auth.Apply(req); err != nil {
			return kindError(ErrAuth, "%w", err)
		}
	case s.netrcAuth(req):
	default:
		// requests' get_auth_from_url: no auth for a user name alone.
		if user, pass, ok := urls.Userinfo(c.prepared); ok {
			if !urls.UserinfoUTF8(c.prepared) {
				return kindError(ErrInvalidURL, "URL credentials with a percent-escape that is not UTF-8 (requests raises UnicodeEncodeError)")
			}
			req.SetBasicAuth(user, pass)
		}
	}
	return nil
}

// attempt is one try of a hop: its context and, when the call has phase
// timeouts, the timer that bounds its phases.
type attempt struct {
	ctx    context.Context
	timer  *phaseTimer // nil without ConnectTimeout or ReadTimeout
	timing *timing     // nil unless the call is traced
	number int
}

// newAttempt starts try number n of a hop.
func (s *sender) newAttempt(ctx context.Context, n int) attempt {
	a := attempt{ctx: ctx, number: n}
	if s.c.connectTO > 0 || s.c.readTO > 0 {
		actx, cancel := context.WithCancelCause(ctx)
		a.timer = &phaseTimer{connect: s.c.connectTO, read: s.c.readTO, cancel: cancel}
		a.ctx = a.timer.trace(actx)
	}
	if s.c.trace || s.snap.Trace || s.snap.Logger != nil {
		a.timing = &timing{start: time.Now()}
		a.ctx = httptrace.WithClientTrace(a.ctx, a.timing.trace())
	}
	return a
}

// end stops the attempt's timer and releases its context.
func (a *attempt) end() {
	if a.timer != nil {
		a.timer.disarm()
		a.timer.cancel(nil)
	}
}

// hopResponse sends hop h, trying again as the call's retry policy says,
// and returns the response that is kept. ctx is the call's context.
func (s *sender) hopResponse(ctx context.Context, h *hop) (*Response, attempt, error) {
	policy := s.c.retry
	retries := policy.retries(h.method)
	replayable := h.body == nil || h.body.replayable
	for n := 1; ; n++ {
		a := s.newAttempt(ctx, n)
		req, err := s.prepare(a.ctx, h, n > 1)
		if err != nil {
			a.end()
			return nil, attempt{}, err
		}
		start := time.Now()
		raw, err := s.roundTrip(req)
		elapsed := time.Since(start)
		s.logHop(a.ctx, req, h.url, &a, raw, elapsed, err)
		var tried *Response // the retried try's response, for the policy's funcs
		if err != nil {
			err = wireErr(a.ctx, fmt.Sprintf("tether: %s %s", req.Method, redacted(h.url)), err, true)
			a.end()
			if ctx.Err() != nil || !policy.retriesError(h.method, n, err) && !(policy.asks(retries, n) && policy.Condition(nil, err)) {
				return nil, attempt{}, err
			}
			if !replayable {
				return nil, attempt{}, fmt.Errorf("%w (not retried: %w)", err, ErrBodyNotReplayable)
			}
		} else {
			again := retries && n < policy.Attempts && replayable
			onStatus := again && policy.retriesResponse(raw)
			if onStatus && !policy.observes() {
				s.storeCookies(req, raw)
				drain(raw.Body)
				a.end()
			} else {
				resp, rerr := s.consume(&a, req, raw, h.url, elapsed, onStatus)
				switch {
				case rerr != nil && !onStatus:
					a.end()
					return nil, attempt{}, rerr
				case rerr != nil:
					a.end()
					err = rerr // a retried try's body the ReadTimeout cut: the funcs see why
				default:
					resp.prepared = h.prepared
					resp.attempts = n
					// The call's context may have ended while the body was
					// read: no retry can follow, so Condition is not asked.
					if !onStatus && !(policy.asks(again, n) && ctx.Err() == nil && policy.Condition(resp, nil)) {
						return resp, a, nil
					}
					tried = resp
				}
			}
		}
		wait := policy.wait(n+1, raw, tried, err, time.Now(), jitter)
		if policy.OnRetry != nil && ctx.Err() == nil {
			policy.OnRetry(n, tried, err, wait)
		}
		if tried != nil {
			discard(tried, raw)
			a.end()
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, attempt{}, wireErr(ctx, fmt.Sprintf("tether: waiting to retry %s %s", h.method, redacted(h.url)), err, true)
		}
	}
}

// discard ends a retried try's response: a streamed body left on the wire
// is drained a little, so that its connection can be reused, and closed.
func discard(r *Response, raw *http.Response) {
	r.mu.Lock()
	live := r.live != nil && !r.taken && r.reading == nil
	r.mu.Unlock()
	if live {
		drain(raw.Body)
	}
	_ = r.Close()
}

// drainLimit is the most drain reads of a body.
const drainLimit = 64 << 10

// drain reads a little of a response body that is not kept, so that its
// connection can be reused, and closes it.
func drain(body io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, body, drainLimit)
	_ = body.Close()
}

// sleep waits for d, or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// transport chooses what sends req: the session's transport.
func (s *sender) transport(*http.Request) http.RoundTripper { return s.snap.Transport }

// roundTrip sends one try of a hop. The transport closes req's body, sent
// or not. A transport (WithTransport, Mount, Use) that breaks the
// RoundTripper contract gives an error, as net/http's Client does, never a
// nil response to dereference.
func (s *sender) roundTrip(req *http.Request) (*http.Response, error) {
	rt := s.transport(req)
	resp, err := rt.RoundTrip(req)
	switch {
	case err != nil:
		if resp != nil && resp.Body != nil {
			_ = resp.Body.Close()
		}
		return nil, err
	case resp == nil:
		return nil, fmt.Errorf("RoundTripper %T returned a nil *http.Response and a nil error", rt)
	case resp.Body == nil:
		resp.Body = http.NoBody
	}
	return resp, nil
}

// storeCookies puts a response's Set-Cookie into the jar.
func (s *sender) storeCookies(req *http.Request, raw *http.Response) {
	if cks := setCookies(raw.Header); len(cks) > 0 {
		if s.jar == nil {
			s.jar = jar.New()
		}
		s.jar.SetCookies(req.URL, cks)
	}
}

// consume stores a hop's cookies in the jar and reads its body, or, for
// the final response of a streamed call, leaves the body open on it.
//
// A retried try (retried: a status the retry policy retries) is read as
// drain reads it, into the response: at most drainLimit bytes (or
// MaxBodySize), never streamed nor counted for DownloadProgress, and kept
// as far as it arrived when a read fails or is cut, unless the attempt's
// context ended.
func (s *sender) consume(a *attempt, req *http.Request, raw *http.Response, u *url.URL, elapsed time.Duration, retried bool) (*Response, error) {
	if raw.Body == nil {
		raw.Body = http.NoBody
	}
	s.storeCookies(req, raw)
	s.cut = nil
	resp := s.newResponse()
	*resp = Response{raw: raw, url: u, req: req, elapsed: elapsed, ctx: a.ctx}
	if req.Method == http.MethodHead {
		_ = raw.Body.Close()
		if s.c.download != nil && !retried {
			s.c.download(0, 0) // no body: the final call, as for an empty one
		}
		return resp, nil
	}
	final := !retried && (!s.c.redirects || !resp.IsRedirect())
	if a.timer != nil {
		raw.Body = a.timer.body(raw.Body)
	}
	body, decoded, err := s.openBody(raw, final)
	if err != nil {
		err = fmt.Errorf("tether: reading body of %s: %w", redacted(u), err)
		if !final && a.ctx.Err() == nil {
			// As requests' resolve_redirects: a redirect's body that
			// cannot be read does not stop the call from following it.
			// (A redirect check may still stop there: see cut.)
			_ = raw.Body.Close()
			s.cut = err
			return resp, nil
		}
		return nil, err
	}
	resp.decoded = decoded
	if final && s.c.stream {
		if a.timing != nil {
			resp.timings = a.timing.done()
		}
		resp.live, resp.limit = body, s.c.maxBody
		return resp, nil
	}
	size := raw.ContentLength
	if decoded {
		size = -1
	}
	limit := s.c.maxBody
	if retried && (limit <= 0 || limit > drainLimit) {
		limit = drainLimit // what drain would have read of it
	}
	resp.body, err = readAll(body, size, limit)
	_ = body.Close()
	if err != nil {
		if !final && a.ctx.Err() == nil {
			// As requests' resolve_redirects, which reads a redirect's body
			// and goes on when that fails (a truncated body, bad chunking,
			// a coding that does not decode): the hop keeps what arrived.
			// Past MaxBodySize, likewise: the body is cut, not the call.
			s.cut, err = bodyErr(a.ctx, u, err), nil
		} else {
			return nil, bodyErr(a.ctx, u, err)
		}
	}
	if a.timing != nil {
		resp.timings = a.timing.done()
	}
	return resp, nil
}

// redacted is u without its userinfo, for messages.
func redacted(u *url.URL) string {
	if u == nil {
		return "<nil>"
	}
	cp := *u
	cp.User = nil
	return cp.String()
}

// bodyErr is the error reading the body of u ended with, classified.
func bodyErr(ctx context.Context, u *url.URL, err error) error {
	msg := "tether: reading body of " + redacted(u)
	if errors.Is(err, ErrBodyTooLarge) || errors.Is(err, ErrDecode) {
		return fmt.Errorf("%s: %w", msg, err)
	}
	return wireErr(ctx, msg, err, false)
}
