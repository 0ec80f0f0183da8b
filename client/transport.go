package client

import (
	"fmt"
	"net/http"
	"sync/atomic"

	"golang.org/x/net/http/httpguts"

	"github.com/tether-http/tether/internal/core"
	"github.com/tether-http/tether/internal/wire"
	"github.com/tether-http/tether/request"
)

// Transport returns an [http.RoundTripper] that sends requests made
// elsewhere through the session's connection handling, for code that
// takes an *http.Client or a RoundTripper (an oauth2 client, a cloud SDK,
// OpenTelemetry's otelhttp): http.Client{Transport: s.Transport()}.
//
// A request goes out as the session's own hops do: through the mounted
// transport whose prefix matches its URL ([Session.Mount]; userinfo and an
// explicit default port are left out of the match), else through the
// session's pooled connections (or the transport given with
// [WithTransport]), with its TLS settings ([WithTLSConfig],
// [Session.SetVerify], [Session.SetCABundle], [Session.SetRootCAs],
// [Session.SetClientCert], and under trust_env the environment's CA
// bundle), its proxies ([Session.SetProxy], [Session.SetProxies], then
// under trust_env HTTP_PROXY and the rest, less NO_PROXY) and its dial
// ([WithDialContext]). A Proxy-Authorization header reaches only an HTTP
// proxy forwarding a plain-http request, as on the session's calls. The
// session is read at every request, not when Transport is called: a
// setting changed later applies to the next request, and a connection
// made under one TLS configuration never serves another.
//
// The request is sent as it is given. None of the session's headers
// (User-Agent and Accept-Encoding included), cookies, auth (netrc's
// included), base URL or query parameters is added; none of its
// middleware ([Session.Use], written for the session's own hops, which it
// may sign: wrap the RoundTripper in it to have it), hooks, retries,
// timeouts, logger or trace runs; no redirect is followed (an http.Client
// follows them by its own rules) and no cookie is stored in the session's
// jar. Bound a request with the http.Client's Timeout or the request's
// context. As the session decodes bodies itself, its connections do not
// ask for gzip behind the caller's back the way http.DefaultTransport
// does: a response body is what the server sent for the request's own
// Accept-Encoding.
//
// While the session has a setting it rejected ([Session.Err]), every
// request fails with that error, unsent, as every call of the session
// does. A nil request is an [request.ErrInvalidOption] error, and so is
// every request of a nil *Session's Transport, and a request with a nil
// Header; a request without a URL, or whose URL has no scheme or no host,
// is an [request.ErrInvalidURL] error, and one whose scheme is neither
// http nor https an [request.ErrUnsupportedScheme] error, unless a
// transport mounted for it takes it (or the session's transport was given
// with [WithTransport], which says itself what it refuses).
//
// requests has no such object: s.get_adapter(url) returns the adapter
// mounted for url, whose send(prep, verify=..., cert=..., proxies=...)
// applies the session's TLS settings and proxies only when given them.
//
// The RoundTripper also has a CloseIdleConnections method, which
// http.Client.CloseIdleConnections calls: it is [Session.Close], which
// closes the idle connections the session's own calls would reuse too.
// After Close, as the session, it stays usable and opens new connections.
func (s *Session) Transport() http.RoundTripper { return &sessionTransport{s: s} }

// sessionTransport is what Transport returns.
type sessionTransport struct {
	s     *Session
	route atomic.Pointer[route] // for the snapshot last seen
}

// route is the router's call for the requests sent under one snapshot.
type route struct {
	snap *core.Snapshot
	call *core.Call
}

// RoundTrip sends req through the session's router, as the session is now.
func (t *sessionTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	switch {
	case req == nil:
		return nil, fmt.Errorf("%w: Session.Transport: a nil *http.Request", request.ErrInvalidOption)
	case t.s == nil:
		return nil, closeBody(req, fmt.Errorf("%w: Session.Transport of a nil *Session", request.ErrInvalidOption))
	case req.URL == nil:
		return nil, closeBody(req, fmt.Errorf("%w: Session.Transport: a request without a URL", request.ErrInvalidURL))
	}
	snap := t.s.state()
	if err := snap.Err(); err != nil {
		return nil, closeBody(req, fmt.Errorf("tether: Session.Transport: the session has a rejected setting: %w", err))
	}
	r := t.route.Load()
	if r == nil || r.snap != snap {
		r = &route{snap: snap, call: core.SessionRoute(snap)}
		t.route.Store(r)
	}
	if !core.Foreign(snap.Base) && !r.call.Mounted(req.URL) {
		if err := checkOwn(req); err != nil {
			return nil, closeBody(req, err)
		}
	}
	ctx := req.Context()
	if routed := core.Route(ctx, r.call); routed != ctx {
		req = req.WithContext(routed)
	}
	return snap.Base.RoundTrip(req)
}

// CloseIdleConnections closes the session's idle connections: see
// [Session.Close].
func (t *sessionTransport) CloseIdleConnections() {
	if t.s != nil {
		_ = t.s.Close()
	}
}

// checkOwn returns, typed, what the session's own transport refuses in
// req before sending anything, where net/http's errors are of no kind: a
// URL it cannot send, a method that is not a token, a header name or value
// net/http does not write.
func checkOwn(req *http.Request) error {
	switch u := req.URL; {
	case u.Scheme == "":
		return fmt.Errorf("%w: Session.Transport: a request URL without a scheme", request.ErrInvalidURL)
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("%w: Session.Transport: scheme %q", request.ErrUnsupportedScheme, u.Scheme)
	case u.Host == "":
		return fmt.Errorf("%w: Session.Transport: a request URL without a host", request.ErrInvalidURL)
	case req.Header == nil:
		return fmt.Errorf("%w: Session.Transport: a request with a nil Header", request.ErrInvalidOption)
	case req.Method != "" && !wire.Token(req.Method): // "" is GET
		return fmt.Errorf("%w: Session.Transport: method %q", request.ErrInvalidMethod, req.Method)
	}
	// What net/http refuses in a header, as it refuses it (tether's own
	// calls are stricter; this transport sends requests as given).
	for name, values := range req.Header {
		if !httpguts.ValidHeaderFieldName(name) {
			return fmt.Errorf("%w: Session.Transport: header name %q", request.ErrInvalidHeader, name)
		}
		for _, v := range values {
			if !httpguts.ValidHeaderFieldValue(v) {
				return fmt.Errorf("%w: Session.Transport: a value of header %q", request.ErrInvalidHeader, name)
			}
		}
	}
	return nil
}

// closeBody closes req's body, as a RoundTripper must when it fails, and
// returns err.
func closeBody(req *http.Request, err error) error {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	return err
}
