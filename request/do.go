package request

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"

	"github.com/tether-http/tether/internal/core"
	"github.com/tether-http/tether/internal/digest"
	"github.com/tether-http/tether/internal/urls"
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
	ctx, s, err := b.start(ctx)
	if err != nil {
		return nil, err
	}
	c := s.c
	var cancel context.CancelFunc
	if c.timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
	}
	if route := s.callRoute(); route != nil {
		ctx = core.WithCall(ctx, route)
	}
	resp, last, err := s.run(ctx)
	if err == nil && resp.live != nil && (cancel != nil || last.timer != nil) {
		// The Timeout and ReadTimeout bound reading a streamed body too:
		// they end when the body does.
		held := last // only a streamed call with a deadline keeps it, on the heap
		resp.done = func() {
			held.end()
			if cancel != nil {
				cancel()
			}
		}
		return resp, nil
	}
	if err == nil {
		last.end()
	}
	if cancel != nil {
		cancel()
	}
	return resp, err
}

// start resolves the builder over its snapshot (the package-level API's
// without a session) into the sender of one call; a nil ctx is
// context.Background().
func (b Builder) start(ctx context.Context) (context.Context, *sender, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	snap := b.snap
	if snap == nil {
		snap = defaultSnapshot()
	}
	s := &sender{snap: snap, jar: snap.Jar}
	s.c = &s.call // one allocation for both
	b.resolve(snap, s.c)
	if len(s.c.errs) > 0 {
		return ctx, nil, errors.Join(s.c.errs...)
	}
	s.origin, s.authority = s.c.url.Hostname(), s.c.url.Host
	return ctx, s, nil
}

// firstHop is the call's first request.
func (s *sender) firstHop() *hop {
	c := s.c
	h := &hop{method: c.method, url: c.url, prepared: c.prepared, header: c.header, body: c.body, first: true}
	_, h.explicitCookie = c.header["Cookie"]
	return h
}

// sender runs one call: its hops, their cookies and the redirect rules.
// Each hop is prepared (hop.go), sent through the transport and consumed
// (hop.go), then the redirect rules (redirect.go) derive the next one.
type sender struct {
	snap      *core.Snapshot
	c         *call // &call
	call      call
	jar       *jar.Jar                     // nil until needed when the call has no session
	origin    string                       // the host name the call was made to
	authority string                       // and its host:port
	digests   map[digestKey]*digest.Client // digest state of a call without a session
	dry       bool                         // Prepare: nothing is sent or used up
	chain     *urls.Redirects              // the redirects followed, as requests resolves them
	first     Response                     // the first response consume makes, allocated with the sender
	used      bool                         // first is taken
	cut       error                        // why the last redirect's body could not be read in full, as Do would report it for a final response
}

// newResponse returns a zero Response for consume: the sender's own the
// first time, as most calls have one response.
func (s *sender) newResponse() *Response {
	if s.used {
		return new(Response)
	}
	s.used = true
	return &s.first
}

// hop is what one request of a call sends.
type hop struct {
	method         string
	url            *url.URL // with fragment and userinfo
	prepared       string   // the URL as requests holds it (r.url), for Response.URL
	header         http.Header
	body           *body
	first          bool
	authorized     bool     // the call's credentials are in header
	explicitCookie bool     // the caller set a Cookie header: no cookies from the jar
	sameAuthority  bool     // to the host:port the call was made to
	authURL        *url.URL // the wire URL as the Auth left it, for later tries
	digestAnswered bool     // a digest challenge was answered on this hop
}

// run sends the call's hops and returns the final response with the
// attempt that got it (whose timer a streamed body still needs).
func (s *sender) run(ctx context.Context) (*Response, attempt, error) {
	c := s.c
	h := s.firstHop()
	var history []*Response
	for {
		resp, a, err := s.hopResponse(ctx, h)
		if err != nil {
			return nil, a, err
		}
		resp.history = slices.Clip(history)
		answer, err := s.digestChallenged(h, resp)
		if err != nil {
			resp.Close()
			a.end()
			return nil, a, err
		}
		if answer {
			// As requests' HTTPDigestAuth: the same hop again, answered;
			// the 401 goes into the history, the hooks see the answer.
			resp.Close()
			a.end()
			h.digestAnswered = true
			history = append(history, resp)
			continue
		}
		if err := s.runHooks(resp); err != nil {
			resp.Close()
			a.end()
			return nil, a, err
		}

		next, nextPrepared, follow, err := s.redirectTarget(resp)
		resp.next, resp.nextURL = next, nextPrepared
		if c.redirects && resp.IsRedirect() && len(history) >= s.snap.MaxRedirects {
			// As resolve_redirects, which counts before it reads the
			// Location: the limit wins over a target that cannot be
			// followed.
			a.end()
			return nil, a, &RedirectError{Max: s.snap.MaxRedirects, Response: resp}
		}
		if err != nil {
			resp.Close() // a streamed body: its connection is not handed back
			a.end()
			return nil, a, err
		}
		if next == nil {
			return resp, a, nil
		}
		if !c.redirects {
			return resp, a, nil
		}
		a.end() // a redirect followed: its body was read in full
		if follow != nil {
			return nil, a, &LocationError{Location: resp.Header().Get("Location"), Response: resp, Err: follow}
		}
		if c.check != nil {
			if stop, err := s.checkRedirect(h, resp); stop || err != nil {
				if err != nil {
					return nil, a, err
				}
				return resp, a, nil
			}
		}
		history = append(history, resp)
		if h, err = nextHop(h, resp, next, s.snap.Sensitive); err != nil {
			return nil, a, err
		}
		h.prepared = nextPrepared
	}
}
