package request

import (
	"errors"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tether-http/tether/internal/wire"
)

// Retry is a policy for sending a hop again when it fails in a way worth
// another try, like urllib3's Retry that requests' adapters take.
//
// A hop is tried again, as urllib3 tries it: whatever its method when the
// connection could not be made (refused, a DNS failure, a dial or connect
// timeout: nothing was sent); and, for one of Methods only, when the server
// answers with one of Statuses or no answer came after the request was sent
// (the connection was reset or closed, a ReadTimeout ran out). A TLS
// failure, or a peer that does not speak the session's protocols
// (ErrProtocol), is not retried, unless Condition says so. Each retry
// re-sends exactly that hop: cookies recomputed from the jar, the same
// credentials, the body replayed; a body that cannot be replayed is not
// retried. Retries apply per hop, so a redirect's target is retried too.
//
// Condition, OnRetry and Delay extend the policy, as resty's retry
// conditions, retry hooks and retry strategy do: they are given each try
// as a *Response or as its error. They run on the call's goroutine,
// between tries, and, in a session's policy, for every call at once: they
// must be safe for concurrent use. A panic in them is not recovered.
//
// What they cost: a try retried on its status, which a policy without
// OnRetry and Delay drains (at most 64 KiB read, so that its connection
// can be reused), is read for them into a Response no further: its body
// is at most 64 KiB (or MaxBodySize, when smaller), cut there; never
// streamed; as far as it arrived when a read fails, or, when the try's
// ReadTimeout ran out, given as err instead of r. A try that Condition
// retries was read as the response Do would have returned: in full, up to
// MaxBodySize. A streamed response they were given is closed before the
// next try.
type Retry struct {
	// Attempts is how many tries a hop gets, the first included: 3 means up
	// to two retries. Zero or one means no retry.
	Attempts int
	// Backoff is the longest wait before the first retry; it doubles for
	// each retry after, capped by MaxBackoff, and the actual wait is drawn
	// at random below it (full jitter). Zero means no wait. Delay, when
	// set, replaces it.
	Backoff time.Duration
	// MaxBackoff caps every wait, a Retry-After included. Zero means 30s.
	MaxBackoff time.Duration
	// Statuses are the response statuses that are retried; nil means 429,
	// 502, 503 and 504. As in urllib3, a 413, 429 or 503 with a Retry-After
	// header is retried too. A status outside 100-999 is an
	// ErrInvalidOption error.
	Statuses []int
	// Methods are the methods that are retried; nil means the idempotent
	// ones: GET, HEAD, OPTIONS, PUT, DELETE and TRACE. POST and PATCH are
	// retried only when listed, as urllib3 does. A method that is not an
	// HTTP token is an ErrInvalidOption error.
	Methods []string

	// Condition, when set, can retry a try that the rules above keep: a
	// response whose status they do not retry (a 200 whose body says
	// {"error":"try_again"}, a header), or an error they do not retry (a
	// TLS failure, a middleware's own error). It adds to the rules and
	// never overrules them: a try they retry is retried without asking it.
	// With Statuses set to an empty, non-nil slice, it alone decides on
	// statuses (but for a 413, 429 or 503 with a Retry-After, which is
	// still retried).
	//
	// It is asked only where a retry can follow: a try is left (however
	// often it says true, a hop gets at most Attempts tries), the hop's
	// method is one of Methods (the condition never makes a POST safe to
	// send twice: list POST in Methods), the call's context has not ended,
	// and, for a response, the hop's body can be replayed. A true for an
	// error on a hop whose one-shot body cannot be replayed ends the call
	// with that error wrapping ErrBodyNotReplayable, as the rules' own
	// retries do: never a half-sent request. It sees every hop's response,
	// a redirect's or a digest challenge's included, as Statuses does.
	//
	// Exactly one of r and err is set. err is classified as Do would
	// return it (ErrConnection, ErrReadTimeout, ErrTLS, a middleware's own
	// error wrapped). r is the try's response as Do would return it, with
	// [Response.Attempts] the try's number: its body read (up to
	// MaxBodySize; a body that cannot be read ends the call with Do's
	// error, unasked), so that Bytes, Text and JSON see it, or, on a
	// [Builder.Stream] call, still on the wire, where the status and
	// headers cost nothing and reading the body reads it into memory
	// (Bytes keeps it for the response Do returns). A response the
	// condition leaves is the one Do returns, read once; one it retries is
	// closed before the next try.
	Condition func(r *Response, err error) bool

	// OnRetry, when set, is called before the wait of each retry, for
	// metrics or logs: with the number of the try that ended (1 for the
	// first), its response r or its error err (exactly one is set), and
	// the wait before the next try. It is called only for a retry that
	// follows: not when the call's context has ended, nor after the last
	// try; a context that ends during the wait still ends the call.
	OnRetry func(attempt int, r *Response, err error, wait time.Duration)

	// Delay, when set, replaces the Backoff schedule: it returns the wait
	// after the try numbered attempt, given that try's response r or error
	// err, as OnRetry has them. A Retry-After on the response still comes
	// first, as with urllib3's respect_retry_after_header, and Delay is not
	// asked; MaxBackoff caps what it returns; a negative wait is none.
	Delay func(attempt int, r *Response, err error) time.Duration
}

// DefaultMaxBackoff is what a zero Retry.MaxBackoff means.
const DefaultMaxBackoff = 30 * time.Second

var (
	defaultRetryStatuses = []int{http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout}
	defaultRetryMethods  = []string{http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete, http.MethodTrace}
)

// Retry sets this call's retry policy, replacing the session's.
func (b Builder) Retry(r Retry) Builder {
	if err := r.check(); err != nil {
		return b.fail(err)
	}
	r = r.clone()
	return b.with(&op{kind: opRetry, retry: &r})
}

// NoRetry sends this call's hops once each, whatever the session's policy.
func (b Builder) NoRetry() Builder {
	return b.with(&op{kind: opRetry, retry: nil})
}

func (r Retry) check() error {
	if r.Attempts < 0 || r.Backoff < 0 || r.MaxBackoff < 0 {
		// Not %+v: the funcs would print as addresses.
		return kindError(ErrInvalidOption, "negative Retry field in {Attempts:%d Backoff:%v MaxBackoff:%v}", r.Attempts, r.Backoff, r.MaxBackoff)
	}
	// A status or method no response or request can have would be
	// retried never, silently.
	for _, s := range r.Statuses {
		if s < 100 || s > 999 {
			return kindError(ErrInvalidOption, "Retry.Statuses holds %d, not an HTTP status", s)
		}
	}
	for _, m := range r.Methods {
		if !wire.Token(m) {
			return kindError(ErrInvalidOption, "Retry.Methods holds %q, not an HTTP method", m)
		}
	}
	return nil
}

func (r Retry) clone() Retry {
	r.Statuses, r.Methods = slices.Clone(r.Statuses), slices.Clone(r.Methods)
	return r
}

// CheckRetry returns what [client.Session.SetRetry] rejects, as Do would
// report it, or nil.
func CheckRetry(r Retry) error { return r.check() }

// retries reports whether the policy retries method at all.
func (r *Retry) retries(method string) bool {
	if r == nil || r.Attempts <= 1 {
		return false
	}
	methods := r.Methods
	if methods == nil {
		methods = defaultRetryMethods
	}
	return slices.ContainsFunc(methods, func(m string) bool { return strings.EqualFold(m, method) })
}

// retriesError reports whether the policy tries method again after try n
// ended with err, a classified wire error: a connection never made, for
// any method; a connection error or read timeout after sending, for the
// policy's methods; never a TLS failure or a protocol the peer does not
// speak (ErrProtocol).
func (r *Retry) retriesError(method string, n int, err error) bool {
	if r == nil || n >= r.Attempts || errors.Is(err, ErrTLS) || errors.Is(err, ErrProtocol) {
		return false
	}
	if notSent(err) {
		return true
	}
	return r.retries(method) && (errors.Is(err, ErrConnection) || errors.Is(err, ErrReadTimeout))
}

// retriesResponse reports whether the policy retries resp: its status is
// one of Statuses, or, as urllib3 does, it is a 413, 429 or 503 that says
// when to come back (Retry-After).
func (r *Retry) retriesResponse(resp *http.Response) bool {
	statuses := r.Statuses
	if statuses == nil {
		statuses = defaultRetryStatuses
	}
	if slices.Contains(statuses, resp.StatusCode) {
		return true
	}
	switch resp.StatusCode {
	case http.StatusRequestEntityTooLarge, http.StatusTooManyRequests, http.StatusServiceUnavailable:
		_, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now())
		return ok
	}
	return false
}

func (r *Retry) maxBackoff() time.Duration {
	if r.MaxBackoff > 0 {
		return r.MaxBackoff
	}
	return DefaultMaxBackoff
}

// asks reports whether the policy's Condition is asked about try n of a
// hop whose method the policy retries (retries): a retry can follow it.
func (r *Retry) asks(retries bool, n int) bool {
	return retries && r.Condition != nil && n < r.Attempts
}

// observes reports whether a try retried on its status is handed to the
// policy's funcs (Condition is never asked about one), so must be read
// into a Response.
func (r *Retry) observes() bool {
	return r.OnRetry != nil || r.Delay != nil
}

// wait returns how long to wait before try number next (2 for the first
// retry): the response's Retry-After when it has one, else what Delay
// says of the try that ended (tried or err), else full jitter below
// Backoff·2^(next-2); each capped by MaxBackoff. now is for Retry-After
// dates; rnd draws in [0, n).
func (r *Retry) wait(next int, resp *http.Response, tried *Response, err error, now time.Time, rnd func(n int64) int64) time.Duration {
	limit := r.maxBackoff()
	if resp != nil {
		if d, ok := retryAfter(resp.Header.Get("Retry-After"), now); ok {
			return min(d, limit)
		}
	}
	if r.Delay != nil {
		return min(max(r.Delay(next-1, tried, err), 0), limit)
	}
	if r.Backoff <= 0 {
		return 0
	}
	ceiling := min(r.Backoff, limit)
	for i := 2; i < next && ceiling < limit; i++ {
		if ceiling > limit/2 {
			ceiling = limit // doubling would pass the limit, or overflow
			break
		}
		ceiling *= 2
	}
	if ceiling == math.MaxInt64 {
		ceiling-- // rnd's bound is ceiling+1
	}
	return time.Duration(rnd(int64(ceiling) + 1))
}

// retryAfter parses a Retry-After value: delay-seconds or an HTTP-date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(min(secs, int64(time.Duration(1<<62)/time.Second))) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// jitter is the random draw of Retry.wait.
func jitter(n int64) int64 { return rand.Int64N(n) }
