package client

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/tether-http/tether/internal/core"
	"github.com/tether-http/tether/internal/typednil"
	"github.com/tether-http/tether/request"
)

// SetConnectTimeout bounds making each connection, TLS handshake
// included, like the first element of requests' timeout=(connect, read);
// see [request.Builder.ConnectTimeout]. Zero means no bound of its own;
// negative is an error from Do.
func (s *Session) SetConnectTimeout(d time.Duration) *Session {
	return s.setDuration("SetConnectTimeout", d, func(next *core.Snapshot) { next.ConnectTimeout = d })
}

// SetReadTimeout bounds each wait for the server, for response headers and
// between two reads of a body, like the second element of requests'
// timeout=(connect, read); see [request.Builder.ReadTimeout]. Zero means no
// bound of its own; negative is an error from Do.
func (s *Session) SetReadTimeout(d time.Duration) *Session {
	return s.setDuration("SetReadTimeout", d, func(next *core.Snapshot) { next.ReadTimeout = d })
}

// setDuration records a negative d, or applies set.
func (s *Session) setDuration(setter string, d time.Duration, set func(*core.Snapshot)) *Session {
	return s.update(func(next *core.Snapshot) {
		if d < 0 {
			record(next, setter, fmt.Errorf("%w: %s(%v)", request.ErrInvalidOption, setter, d))
			return
		}
		set(next)
		record(next, setter, nil)
	})
}

// SetRetry sets the retry policy of every call (see [request.Retry]); a
// call can replace it with Retry or turn it off with NoRetry. The zero
// Retry turns retries off.
func (s *Session) SetRetry(r request.Retry) *Session {
	return s.update(func(next *core.Snapshot) {
		if err := request.CheckRetry(r); err != nil {
			record(next, "SetRetry", err)
			return
		}
		r.Statuses, r.Methods = slices.Clone(r.Statuses), slices.Clone(r.Methods)
		next.Retry = &r
		record(next, "SetRetry", nil)
	})
}

// OnResponse adds a response hook to every call, like appending to
// requests' s.hooks['response']: it runs on every hop's response, redirects
// included, in the order added; see [request.Builder.OnResponse], whose
// hooks replace the session's for one call. A nil fn is an error from Do.
func (s *Session) OnResponse(fn func(*request.Response) error) *Session {
	return s.update(func(next *core.Snapshot) {
		if fn == nil {
			record(next, "OnResponse", fmt.Errorf("%w: OnResponse with a nil hook", request.ErrInvalidOption))
			return
		}
		hooks, _ := next.Hooks.([]func(*request.Response) error)
		next.Hooks = append(slices.Clip(hooks), fn)
		record(next, "OnResponse", nil)
	})
}

// Use wraps the session's transport in mw, Go-style middleware (tracing,
// metrics, signing, caching): mw sees the final *http.Request of every hop,
// cookies and credentials applied, and every retry. Its header holds the
// body's Content-Length or Transfer-Encoding, as requests' adapters see
// them (see [request.Response.Request]); net/http writes those lines from
// ContentLength, not from the header. The first Use is the
// outermost, as with chi or alice. The chain is composed here, once, not
// per request; [Session.Close] still reaches the transport underneath. A
// nil mw, or one that returns nil (a typed nil, such as a nil
// *http.Transport, included), is an error from Do.
func (s *Session) Use(mw func(http.RoundTripper) http.RoundTripper) *Session {
	return s.update(func(next *core.Snapshot) {
		if mw == nil {
			record(next, "Use", fmt.Errorf("%w: Use with a nil middleware", request.ErrInvalidOption))
			return
		}
		chain := append(slices.Clip(next.Middleware), mw)
		rt := next.Base
		for i := len(chain) - 1; i >= 0; i-- {
			if rt = chain[i](rt); rt == nil || typednil.Is(rt) {
				record(next, "Use", fmt.Errorf("%w: middleware %d of %d returned a nil transport", request.ErrInvalidOption, i+1, len(chain)))
				return
			}
		}
		next.Middleware, next.Transport = chain, rt
		record(next, "Use", nil)
	})
}

// ConnectTimeout returns the default connect timeout; zero means none.
func (s *Session) ConnectTimeout() time.Duration { return s.state().ConnectTimeout }

// ReadTimeout returns the default read timeout; zero means none.
func (s *Session) ReadTimeout() time.Duration { return s.state().ReadTimeout }

// Retry returns the default retry policy (the zero Retry when none).
func (s *Session) Retry() request.Retry {
	if r, ok := s.state().Retry.(*request.Retry); ok {
		cp := *r
		cp.Statuses, cp.Methods = slices.Clone(r.Statuses), slices.Clone(r.Methods)
		return cp
	}
	return request.Retry{}
}

// Hooks returns how many response hooks the session runs on every call.
func (s *Session) Hooks() int {
	hooks, _ := s.state().Hooks.([]func(*request.Response) error)
	return len(hooks)
}

// Middleware returns how many middlewares Use has put around the session's
// transport.
func (s *Session) Middleware() int { return len(s.state().Middleware) }
