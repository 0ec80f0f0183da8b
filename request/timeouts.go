package request

import (
	"context"
	"io"
	"net/http/httptrace"
	"sync"
	"time"
)

// ConnectTimeout bounds making a connection, DNS, dial and TLS handshake
// included, for each hop of this call, like the first element of requests'
// timeout=(connect, read). It overrides the session's SetConnectTimeout; a
// reused connection is not timed. When it runs out the call fails with an
// error matching ErrConnectTimeout (and ErrTimeout, ErrConnection). Zero
// means no bound of its own; negative is an ErrInvalidOption error from Do.
//
// It also bounds each stall in sending the request, as urllib3 sends
// under the connect timeout: a server that stops taking the body for that
// long fails the call with an error matching ErrConnection, as requests
// raises ConnectionError. The time the caller's own body reader takes is
// not counted.
func (b Builder) ConnectTimeout(d time.Duration) Builder {
	if d < 0 {
		return b.fail(kindError(ErrInvalidOption, "negative ConnectTimeout %v", d))
	}
	return b.with(&op{kind: opConnectTimeout, d: d})
}

// ReadTimeout bounds the wait for the server: for the response's headers
// once the request is sent, and between two reads of the body, streamed
// bodies included, like the second element of requests' timeout=(connect,
// read). It overrides the session's SetReadTimeout. When it runs out the
// call (or the read) fails with an error matching ErrReadTimeout (and
// ErrTimeout). Zero means no bound of its own; negative is an
// ErrInvalidOption error from Do.
func (b Builder) ReadTimeout(d time.Duration) Builder {
	if d < 0 {
		return b.fail(kindError(ErrInvalidOption, "negative ReadTimeout %v", d))
	}
	return b.with(&op{kind: opReadTimeout, d: d})
}

// phaseTimer cancels a call's context, with a cause naming the phase, when
// a connect, send or read phase takes longer than its bound. One timer
// serves every phase of the call, in turn.
type phaseTimer struct {
	connect, read time.Duration
	cancel        context.CancelCauseFunc

	mu       sync.Mutex
	timer    *time.Timer
	cause    error
	answered bool // the first response byte came: sending is no longer timed

	sctx sendCtx // the attempt's context, carrying p for sending
}

// sendCtx is a context that carries its phaseTimer to sending, without
// the allocation of a context.WithValue.
type sendCtx struct {
	context.Context
	p *phaseTimer
}

func (c *sendCtx) Value(key any) any {
	if _, ok := key.(sendTimerKey); ok {
		return c.p
	}
	return c.Context.Value(key)
}

// arm starts (or restarts) the timer for d with cause.
func (p *phaseTimer) arm(d time.Duration, cause error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cause = cause
	if p.timer == nil {
		p.timer = time.AfterFunc(d, p.fire)
		return
	}
	p.timer.Reset(d)
}

func (p *phaseTimer) fire() {
	p.mu.Lock()
	cause := p.cause
	p.mu.Unlock()
	if cause != nil {
		p.cancel(cause)
	}
}

// disarm stops the timer.
func (p *phaseTimer) disarm() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cause = nil
	if p.timer != nil {
		p.timer.Stop()
	}
}

// trace times a hop's phases: GetConn to GotConn (connect), GotConn to the
// request written, less the caller's body reads (send, under the connect
// bound), and the request written to the first response byte (read).
func (p *phaseTimer) trace(ctx context.Context) context.Context {
	t := &httptrace.ClientTrace{
		GotFirstResponseByte: func() {
			p.mu.Lock()
			p.answered = true
			p.mu.Unlock()
			p.disarm()
		},
	}
	if p.connect > 0 {
		t.GetConn = func(string) { p.arm(p.connect, errConnectTimeoutCause) }
		t.GotConn = func(httptrace.GotConnInfo) { p.armSend() }
		p.sctx = sendCtx{Context: ctx, p: p}
		ctx = &p.sctx
	}
	t.WroteRequest = func(httptrace.WroteRequestInfo) {
		if p.read > 0 {
			p.arm(p.read, errReadTimeoutCause)
		} else {
			p.disarm()
		}
	}
	return httptrace.WithClientTrace(ctx, t)
}

// armSend times the send from now, unless the response has begun.
func (p *phaseTimer) armSend() {
	if !p.isAnswered() {
		p.arm(p.connect, errSendStallCause)
	}
}

// pauseSend stops timing the send while the caller's body is read, unless
// the response has begun (the timer then times the response's body).
func (p *phaseTimer) pauseSend() {
	if !p.isAnswered() {
		p.disarm()
	}
}

func (p *phaseTimer) isAnswered() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.answered
}

type sendTimerKey struct{}

// sending wraps a request body so that the send timer of ctx's attempt,
// if it has one, counts only the transport's writes: it stops while the
// body is read and starts again when the read returns.
func sending(ctx context.Context, rc io.ReadCloser) io.ReadCloser {
	p, _ := ctx.Value(sendTimerKey{}).(*phaseTimer)
	if p == nil {
		return rc
	}
	return &sendBody{rc: rc, p: p}
}

type sendBody struct {
	rc io.ReadCloser
	p  *phaseTimer
}

func (s *sendBody) Read(b []byte) (int, error) {
	s.p.pauseSend()
	n, err := s.rc.Read(b)
	s.p.armSend()
	return n, err
}

func (s *sendBody) Close() error { return s.rc.Close() }

// body times every read of a response body.
func (p *phaseTimer) body(rc io.ReadCloser) io.ReadCloser {
	if p.read <= 0 {
		return rc
	}
	return &timedBody{rc: rc, p: p}
}

type timedBody struct {
	rc io.ReadCloser
	p  *phaseTimer
}

func (t *timedBody) Read(b []byte) (int, error) {
	t.p.arm(t.p.read, errReadTimeoutCause)
	n, err := t.rc.Read(b)
	t.p.disarm()
	return n, err
}

func (t *timedBody) Close() error { return t.rc.Close() }
