package request

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync"
	"time"

	"github.com/tether-http/tether/internal/core"
)

// Verify turns certificate verification on or off for this call, like
// requests' verify=False, overriding the session's SetVerify. A call that
// does not verify gets connections of its own: they are never lent to a
// call that verifies, nor the other way round. On a session whose
// transport was given with client.WithTransport, which tether does not
// change, Verify(false) is an [ErrInvalidOption] error and nothing is sent.
func (b Builder) Verify(verify bool) Builder {
	return b.with(&op{kind: opVerify, on: verify})
}

// Trace fills [Response.Timings] for this call.
func (b Builder) Trace() Builder {
	return b.with(&op{kind: opTrace, on: true})
}

// Timings are the phases of one hop, from net/http/httptrace. A phase the
// hop skipped (a reused connection has no DNS, Connect or TLS) is zero.
type Timings struct {
	DNS       time.Duration // name resolution
	Connect   time.Duration // TCP connection
	TLS       time.Duration // TLS handshake
	FirstByte time.Duration // from the start of the hop to the response's first byte
	Total     time.Duration // from the start of the hop to its response read (to its headers, when streamed)
	Reused    bool          // the connection came from the pool
}

// Timings returns the phases of the hop that gave this response, when the
// call was traced ([Builder.Trace], a session's SetTrace or SetLogger);
// otherwise the zero Timings.
func (r *Response) Timings() Timings { return r.timings }

// timing records a hop's phases.
type timing struct {
	mu                         sync.Mutex
	start, dns, connect, tlsAt time.Time
	t                          Timings
}

func (tm *timing) trace() *httptrace.ClientTrace {
	set := func(f func()) { tm.mu.Lock(); f(); tm.mu.Unlock() }
	return &httptrace.ClientTrace{
		DNSStart:          func(httptrace.DNSStartInfo) { set(func() { tm.dns = time.Now() }) },
		DNSDone:           func(httptrace.DNSDoneInfo) { set(func() { tm.t.DNS = time.Since(tm.dns) }) },
		ConnectStart:      func(string, string) { set(func() { tm.connect = time.Now() }) },
		ConnectDone:       func(string, string, error) { set(func() { tm.t.Connect = time.Since(tm.connect) }) },
		TLSHandshakeStart: func() { set(func() { tm.tlsAt = time.Now() }) },
		TLSHandshakeDone:  func(tls.ConnectionState, error) { set(func() { tm.t.TLS = time.Since(tm.tlsAt) }) },
		GotConn:           func(i httptrace.GotConnInfo) { set(func() { tm.t.Reused = i.Reused }) },
		GotFirstResponseByte: func() {
			set(func() { tm.t.FirstByte = time.Since(tm.start) })
		},
	}
}

// done returns the timings with Total set now.
func (tm *timing) done() Timings {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	t := tm.t
	t.Total = time.Since(tm.start)
	return t
}

// callRoute is what the call asks of the session's router, or nil when it
// asks nothing beyond the session's transport.
func (s *sender) callRoute() *core.Call {
	tlsChoice := s.tlsChoice()
	proxy := s.proxyChoice()
	if tlsChoice == nil && proxy == nil && len(s.snap.Mounts) == 0 && !s.snap.NoTrustEnv {
		return nil
	}
	return &core.Call{TLS: tlsChoice, Proxy: proxy, Mounts: s.snap.Mounts, NoTrustEnv: s.snap.NoTrustEnv}
}

// routeErr is the ErrInvalidOption error for a call that asks for a TLS
// configuration or a proxy of its own (Verify(false), Proxy, NoProxy, or
// such a session setting) when the session's transport was given with
// WithTransport, which tether does not change; nil otherwise. Do returns
// it before anything is sent.
func (s *sender) routeErr() error {
	if !core.Foreign(s.snap.Base) {
		return nil
	}
	var setting string
	switch {
	case s.c.verify != nil && !*s.c.verify:
		setting = "Verify(false)"
	case s.c.proxySet && s.c.proxy != nil:
		setting = "Proxy"
	case s.c.proxySet:
		setting = "NoProxy"
	case len(s.snap.Proxies) > 0:
		setting = "the session's proxies"
	default:
		if t := s.tlsChoice(); t != nil && *t != (core.TLSChoice{}) {
			setting = "the session's TLS settings"
		} else {
			return nil
		}
	}
	return core.ForeignError(ErrInvalidOption, setting)
}

// tlsChoice applies the precedence of TLS settings: the call's Verify, then
// the session's explicit settings. The router then takes the environment's
// CA bundle (REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE, SSL_CERT_FILE, under
// trust_env) when neither names roots, and the system's roots otherwise.
func (s *sender) tlsChoice() *core.TLSChoice {
	if s.snap.TLS == nil && s.c.verify == nil {
		return nil
	}
	var choice core.TLSChoice
	if s.snap.TLS != nil {
		choice = *s.snap.TLS
	}
	if s.c.verify != nil {
		choice.Insecure = !*s.c.verify
	}
	return &choice
}

// redactedHeaders are the headers whose values never reach a log.
var redactedHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"}

// logHop writes one Debug record for a try of a hop.
func (s *sender) logHop(ctx context.Context, req *http.Request, u *url.URL, a *attempt, resp *http.Response, took time.Duration, err error) {
	l := s.snap.Logger
	if l == nil || !l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	clean := *u
	clean.User = nil
	attrs := []slog.Attr{
		slog.String("method", req.Method),
		slog.String("url", clean.String()),
		slog.Duration("duration", took),
		slog.Int("attempt", a.number),
	}
	if a.timing != nil {
		attrs = append(attrs, slog.Bool("reused", a.timing.done().Reused))
	}
	attrs = append(attrs, slog.Any("request_headers", redact(req.Header)))
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode), slog.Any("response_headers", redact(resp.Header)))
	}
	if err != nil {
		var we *wireError
		if !errors.As(err, &we) {
			err = errors.New("failed")
		}
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	l.LogAttrs(ctx, slog.LevelDebug, "tether: hop", attrs...)
}

// redact returns a copy of h with the credential headers' values hidden.
func redact(h http.Header) http.Header {
	out := h.Clone()
	for _, k := range redactedHeaders {
		if vs := out[k]; len(vs) > 0 {
			out[k] = []string{"[redacted]"}
		}
	}
	return out
}

// Proxy sends this call through the proxy at proxyURL (http, https,
// socks5 or socks5h), for every host and every hop, loopback included. It
// beats the session's proxies and the environment, all their keys: where
// requests merges a call's proxies={'all': url} into them key by key, so
// that a session's or the environment's "http" key still wins, a call's
// Proxy is the call's. Credentials in the URL go to the proxy only
// (Proxy-Authorization, or the SOCKS5 handshake), never to an origin. A URL
// that cannot be parsed, or has another scheme, is an ErrInvalidOption
// error from Do. So are Proxy and NoProxy on a session whose transport was
// given with client.WithTransport, which tether does not change: nothing
// is sent.
func (b Builder) Proxy(proxyURL string) Builder {
	u, err := ParseProxy(proxyURL)
	if err != nil {
		return b.fail(err)
	}
	return b.with(&op{kind: opProxy, proxy: u})
}

// NoProxy sends this call directly, every hop, whatever the session's
// proxies and the environment say (requests' proxies={'all': None} removes
// only the "all" key, and its redirects take the environment's proxy
// again).
func (b Builder) NoProxy() Builder {
	return b.with(&op{kind: opProxy, proxy: nil})
}
