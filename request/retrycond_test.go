package request_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/request"
)

// seqServer answers /seq?key=K&answers=A1,A2,... with answer Ai to its
// i-th request of key K, and with the last answer once the list runs out:
// "drop" closes the connection unanswered, "S" is status S without a body,
// "S=B" status S with the body B and the header X-State: B, "S*N" status S
// with N bytes of x. after=A adds Retry-After: A to every answer, to=U a
// Location: U.
type seqServer struct {
	*httptest.Server
	tries sync.Map // key -> *atomic.Int64
}

func newSeqServer(t *testing.T) *seqServer {
	t.Helper()
	s := &seqServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *seqServer) counter(key string) *atomic.Int64 {
	v, _ := s.tries.LoadOrStore(key, new(atomic.Int64))
	return v.(*atomic.Int64)
}

func (s *seqServer) serve(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	q := r.URL.Query()
	n := int(s.counter(q.Get("key")).Add(1))
	answers := strings.Split(q.Get("answers"), ",")
	answer := answers[min(n, len(answers))-1]
	if answer == "drop" {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
		return
	}
	if a := q.Get("after"); a != "" {
		w.Header().Set("Retry-After", a)
	}
	if to := q.Get("to"); to != "" {
		w.Header().Set("Location", to)
	}
	if code, size, ok := strings.Cut(answer, "*"); ok {
		status, _ := strconv.Atoi(code)
		n, _ := strconv.Atoi(size)
		w.WriteHeader(status)
		io.WriteString(w, strings.Repeat("x", n))
		return
	}
	code, body, _ := strings.Cut(answer, "=")
	status, _ := strconv.Atoi(code)
	if body != "" {
		w.Header().Set("X-State", body)
	}
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// url is the URL of key's sequence of answers (and more query, e.g. after=0).
func (s *seqServer) url(key, answers string) string {
	return s.URL + "/seq?key=" + urlEscape(key) + "&answers=" + answers
}

var errBusy = errors.New("busy") // a middleware's own error

// describe is what a retry func was given, for the log of a test.
func describe(r *request.Response, err error) string {
	switch {
	case r != nil && err != nil:
		return "both a response and an error"
	case r != nil:
		return strings.TrimSpace(fmt.Sprintf("%d %s", r.StatusCode(), r.Text()))
	case errors.Is(err, errBusy):
		return "error busy"
	case errors.Is(err, request.ErrTLS):
		return "error ErrTLS"
	case errors.Is(err, request.ErrConnection):
		return "error ErrConnection"
	case err != nil:
		return "error " + err.Error()
	}
	return "neither a response nor an error"
}

// logged returns p with each of its funcs wrapped to append what it was
// given to *calls: "cond 2: 200 ok" (the response's Attempts), "cond: error
// busy", "delay 1: 503", "retry 1: 503, wait 0s".
func logged(p request.Retry, calls *[]string) request.Retry {
	if cond := p.Condition; cond != nil {
		p.Condition = func(r *request.Response, err error) bool {
			entry := "cond: " + describe(r, err)
			if r != nil {
				entry = fmt.Sprintf("cond %d: %s", r.Attempts(), describe(r, err))
			}
			*calls = append(*calls, entry)
			return cond(r, err)
		}
	}
	if delay := p.Delay; delay != nil {
		p.Delay = func(n int, r *request.Response, err error) time.Duration {
			*calls = append(*calls, fmt.Sprintf("delay %d: %s", n, describe(r, err)))
			return delay(n, r, err)
		}
	}
	if hook := p.OnRetry; hook != nil {
		p.OnRetry = func(n int, r *request.Response, err error, wait time.Duration) {
			*calls = append(*calls, fmt.Sprintf("retry %d: %s, wait %v", n, describe(r, err), wait))
			hook(n, r, err, wait)
		}
	}
	return p
}

func tryAgain(r *request.Response, err error) bool {
	return r != nil && strings.Contains(r.Text(), "try_again")
}

func always(*request.Response, error) bool                { return true }
func never(*request.Response, error) bool                 { return false }
func noHook(int, *request.Response, error, time.Duration) {}

// TestRetryCondition: Condition, OnRetry and Delay on responses, against a
// server that answers each try as its sequence says.
func TestRetryCondition(t *testing.T) {
	t.Parallel()
	srv := newSeqServer(t)
	get := func(s *client.Session, u string, p request.Retry) request.Builder { return s.Get(u).Retry(p) }
	tests := map[string]struct {
		answers    string // seqServer's answers
		query      string // more query, e.g. "&after=0"
		call       func(s *client.Session, u string, p request.Retry) request.Builder
		policy     request.Retry
		wantLog    []string
		wantResult string // the kept response: "status body"
		wantTries  int64  // the server saw
		quiet      bool   // log nothing: the funcs' log reads the body
	}{
		"body condition retries a 200": {
			answers:    `200=try_again,200=ok`,
			policy:     request.Retry{Attempts: 3, Condition: tryAgain},
			wantLog:    []string{"cond 1: 200 try_again", "cond 2: 200 ok"},
			wantResult: "200 ok", wantTries: 2,
		},
		"condition says no: the response is kept": {
			answers:    `200=try_again,200=ok`,
			policy:     request.Retry{Attempts: 3, Condition: never},
			wantLog:    []string{"cond 1: 200 try_again"},
			wantResult: "200 try_again", wantTries: 1,
		},
		"header condition": {
			answers: `200=busy,200=busy,200=ok`,
			policy: request.Retry{Attempts: 3, Condition: func(r *request.Response, _ error) bool {
				return r != nil && r.Header().Get("X-State") == "busy"
			}},
			wantLog:    []string{"cond 1: 200 busy", "cond 2: 200 busy"},
			wantResult: "200 ok", wantTries: 3,
		},
		"true forever stops at Attempts, the last response kept": {
			answers:    `200=try_again`,
			policy:     request.Retry{Attempts: 3, Condition: always},
			wantLog:    []string{"cond 1: 200 try_again", "cond 2: 200 try_again"},
			wantResult: "200 try_again", wantTries: 3,
		},
		"a status the rules retry is retried without asking": {
			answers:    `503=busy,200=ok`,
			policy:     request.Retry{Attempts: 3, Condition: never},
			wantLog:    []string{"cond 2: 200 ok"},
			wantResult: "200 ok", wantTries: 2,
		},
		"empty Statuses: the condition decides on statuses": {
			answers:    `503=busy,200=ok`,
			policy:     request.Retry{Attempts: 3, Statuses: []int{}, Condition: never},
			wantLog:    []string{"cond 1: 503 busy"},
			wantResult: "503 busy", wantTries: 1,
		},
		"empty Statuses, but a 503 with Retry-After is retried": {
			answers: `503=busy,200=ok`, query: "&after=0",
			policy:     request.Retry{Attempts: 3, Statuses: []int{}, Condition: never},
			wantLog:    []string{"cond 2: 200 ok"},
			wantResult: "200 ok", wantTries: 2,
		},
		"a POST is not retried, nor is the condition asked": {
			answers: `200=try_again,200=ok`,
			call: func(s *client.Session, u string, p request.Retry) request.Builder {
				return s.Post(u).BodyBytes([]byte("x")).Retry(p)
			},
			policy:     request.Retry{Attempts: 3, Condition: always},
			wantResult: "200 try_again", wantTries: 1,
		},
		"a POST listed in Methods is retried": {
			answers: `200=try_again,200=ok`,
			call: func(s *client.Session, u string, p request.Retry) request.Builder {
				return s.Post(u).BodyBytes([]byte("x")).Retry(p)
			},
			policy:     request.Retry{Attempts: 3, Methods: []string{"POST"}, Condition: tryAgain},
			wantLog:    []string{"cond 1: 200 try_again", "cond 2: 200 ok"},
			wantResult: "200 ok", wantTries: 2,
		},
		"a one-shot body is not retried, nor is the condition asked": {
			answers: `200=try_again,200=ok`,
			call: func(s *client.Session, u string, p request.Retry) request.Builder {
				return s.Put(u).Body(iotest.HalfReader(strings.NewReader("x"))).Retry(p)
			},
			policy:     request.Retry{Attempts: 3, Condition: always},
			wantResult: "200 try_again", wantTries: 1,
		},
		"NoRetry: not asked": {
			answers: `200=try_again,200=ok`,
			call: func(s *client.Session, u string, p request.Retry) request.Builder {
				return s.Get(u).Retry(p).NoRetry()
			},
			policy:     request.Retry{Attempts: 3, Condition: always},
			wantResult: "200 try_again", wantTries: 1,
		},
		"session policy": {
			answers: `200=try_again,200=ok`,
			call: func(s *client.Session, u string, p request.Retry) request.Builder {
				return s.SetRetry(p).Get(u)
			},
			policy:     request.Retry{Attempts: 3, Condition: tryAgain},
			wantLog:    []string{"cond 1: 200 try_again", "cond 2: 200 ok"},
			wantResult: "200 ok", wantTries: 2,
		},
		"streamed: the condition reads the body, the kept response still has it": {
			answers: `200=try_again,200=ok`,
			call: func(s *client.Session, u string, p request.Retry) request.Builder {
				return s.Get(u).Stream().Retry(p)
			},
			policy:     request.Retry{Attempts: 3, Condition: tryAgain, OnRetry: noHook},
			wantLog:    []string{"cond 1: 200 try_again", "retry 1: 200 try_again, wait 0s", "cond 2: 200 ok"},
			wantResult: "200 ok", wantTries: 2,
		},
		"streamed: a header condition leaves the body unread": {
			answers: `200=busy,200=ok`,
			call: func(s *client.Session, u string, p request.Retry) request.Builder {
				return s.Get(u).Stream().Retry(p)
			},
			policy: request.Retry{Attempts: 3, Condition: func(r *request.Response, _ error) bool {
				return r.Header().Get("X-State") == "busy"
			}},
			wantResult: "200 ok", wantTries: 2, quiet: true,
		},
		"streamed with a ReadTimeout: a retried try's timer ends with it": {
			answers: `200=busy,200=busy,200=ok`,
			call: func(s *client.Session, u string, p request.Retry) request.Builder {
				return s.Get(u).Stream().ReadTimeout(time.Minute).Retry(p)
			},
			policy: request.Retry{Attempts: 3, Condition: func(r *request.Response, _ error) bool {
				return r.Header().Get("X-State") == "busy"
			}},
			wantResult: "200 ok", wantTries: 3, quiet: true,
		},
		"OnRetry sees each retried try, body read": {
			answers:    `503=busy,502,200=ok`,
			policy:     request.Retry{Attempts: 3, OnRetry: noHook},
			wantLog:    []string{"retry 1: 503 busy, wait 0s", "retry 2: 502, wait 0s"},
			wantResult: "200 ok", wantTries: 3,
		},
		"OnRetry: not called when tries run out": {
			answers:    `503=busy`,
			policy:     request.Retry{Attempts: 2, OnRetry: noHook},
			wantLog:    []string{"retry 1: 503 busy, wait 0s"},
			wantResult: "503 busy", wantTries: 2,
		},
		"OnRetry on a streamed call: a status retry's body is read": {
			answers: `503=busy,200=ok`,
			call: func(s *client.Session, u string, p request.Retry) request.Builder {
				return s.Get(u).Stream().Retry(p)
			},
			policy:     request.Retry{Attempts: 3, OnRetry: noHook},
			wantLog:    []string{"retry 1: 503 busy, wait 0s"},
			wantResult: "200 ok", wantTries: 2,
		},
		"condition and OnRetry": {
			answers:    `503=busy,200=try_again,200=ok`,
			policy:     request.Retry{Attempts: 4, Condition: tryAgain, OnRetry: noHook},
			wantLog:    []string{"retry 1: 503 busy, wait 0s", "cond 2: 200 try_again", "retry 2: 200 try_again, wait 0s", "cond 3: 200 ok"},
			wantResult: "200 ok", wantTries: 3,
		},
		"Delay replaces Backoff": {
			answers: `503=busy,200=try_again,200=ok`,
			policy: request.Retry{Attempts: 4, Backoff: time.Hour, Condition: tryAgain, OnRetry: noHook,
				Delay: func(int, *request.Response, error) time.Duration { return -time.Second }},
			wantLog: []string{
				"delay 1: 503 busy", "retry 1: 503 busy, wait 0s",
				"cond 2: 200 try_again", "delay 2: 200 try_again", "retry 2: 200 try_again, wait 0s",
				"cond 3: 200 ok",
			},
			wantResult: "200 ok", wantTries: 3,
		},
		"Retry-After comes before Delay": {
			answers: `429=slow,200=ok`, query: "&after=0",
			policy: request.Retry{Attempts: 3, OnRetry: noHook,
				Delay: func(int, *request.Response, error) time.Duration { return time.Hour }},
			wantLog:    []string{"retry 1: 429 slow, wait 0s"},
			wantResult: "200 ok", wantTries: 2,
		},
		"a redirect is a hop: the condition sees it and its target": {
			answers: `200=try_again,200=ok`,
			call: func(s *client.Session, u string, p request.Retry) request.Builder {
				return s.Get(srv.URL + "/seq?key=redirect-hop&answers=302&to=" + urlEscape(u)).Retry(p)
			},
			policy:     request.Retry{Attempts: 3, Condition: tryAgain},
			wantLog:    []string{"cond 1: 302", "cond 1: 200 try_again", "cond 2: 200 ok"},
			wantResult: "200 ok", wantTries: 2,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			u := srv.url(name, tc.answers) + tc.query
			call := tc.call
			if call == nil {
				call = get
			}
			var calls []string
			s := client.New()
			defer s.Close()
			p := tc.policy
			if !tc.quiet {
				p = logged(p, &calls)
			}
			r, err := call(s, u, p).Do(context.Background())
			if err != nil {
				t.Fatalf("Do: %v", err)
			}
			defer r.Close()
			if diff := cmp.Diff(tc.wantLog, calls); diff != "" {
				t.Errorf("the policy's funcs were given (-want +got):\n%s", diff)
			}
			got := strings.TrimSpace(fmt.Sprintf("%d %s", r.StatusCode(), r.Text()))
			if diff := cmp.Diff(tc.wantResult, got); diff != "" {
				t.Errorf("kept response (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantTries, srv.counter(name).Load()); diff != "" {
				t.Errorf("tries the server saw (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(int(tc.wantTries), r.Attempts()); diff != "" {
				t.Errorf("Attempts (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRetryConditionErrors: Condition, OnRetry and Delay on tries that end
// with an error: a middleware's own (errBusy for its first fail tries), a
// TLS failure, a dropped connection.
func TestRetryConditionErrors(t *testing.T) {
	t.Parallel()
	srv := newSeqServer(t)
	tlsSrv := httptest.NewUnstartedServer(http.NotFoundHandler())
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake errors are the point
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)
	busy := func(_ *request.Response, err error) bool { return errors.Is(err, errBusy) }
	tests := map[string]struct {
		u         string // default: srv's answers "200=ok"
		fail      int64  // the middleware's errBusy tries
		cancel    bool   // the middleware cancels the call before its errBusy
		call      func(s *client.Session, u string, p request.Retry) request.Builder
		policy    request.Retry
		wantLog   []string
		wantErr   []error // nil: a 200 "ok"
		wantTries int64   // through the middleware
	}{
		"the middleware's error retried": {
			fail:      2,
			policy:    request.Retry{Attempts: 3, Condition: busy},
			wantLog:   []string{"cond: error busy", "cond: error busy"},
			wantTries: 3,
		},
		"condition says no": {
			fail:      2,
			policy:    request.Retry{Attempts: 3, Condition: never},
			wantLog:   []string{"cond: error busy"},
			wantErr:   []error{errBusy, request.ErrTransport},
			wantTries: 1,
		},
		"no condition: not retried": {
			fail:      2,
			policy:    request.Retry{Attempts: 3},
			wantErr:   []error{errBusy},
			wantTries: 1,
		},
		"true forever stops at Attempts": {
			fail:      9,
			policy:    request.Retry{Attempts: 3, Condition: always},
			wantLog:   []string{"cond: error busy", "cond: error busy"},
			wantErr:   []error{errBusy},
			wantTries: 3,
		},
		"a POST is not retried, nor is the condition asked": {
			fail: 1,
			call: func(s *client.Session, u string, p request.Retry) request.Builder {
				return s.Post(u).BodyBytes([]byte("x")).Retry(p)
			},
			policy:    request.Retry{Attempts: 3, Condition: always},
			wantErr:   []error{errBusy},
			wantTries: 1,
		},
		"a POST listed in Methods is retried": {
			fail: 1,
			call: func(s *client.Session, u string, p request.Retry) request.Builder {
				return s.Post(u).BodyBytes([]byte("x")).Retry(p)
			},
			policy:    request.Retry{Attempts: 3, Methods: []string{"POST"}, Condition: busy},
			wantLog:   []string{"cond: error busy", "cond 2: 200 ok"},
			wantTries: 2,
		},
		"a one-shot body: ErrBodyNotReplayable, nothing half-sent": {
			fail: 1,
			call: func(s *client.Session, u string, p request.Retry) request.Builder {
				return s.Put(u).Body(iotest.HalfReader(strings.NewReader("x"))).Retry(p)
			},
			policy:    request.Retry{Attempts: 3, Condition: always, OnRetry: noHook},
			wantLog:   []string{"cond: error busy"},
			wantErr:   []error{errBusy, request.ErrBodyNotReplayable},
			wantTries: 1,
		},
		"the call's context ended: not asked, no OnRetry": {
			fail: 1, cancel: true,
			policy:    request.Retry{Attempts: 3, Condition: always, OnRetry: noHook},
			wantErr:   []error{context.Canceled},
			wantTries: 1,
		},
		"a TLS failure retried when the condition says so": {
			u: tlsSrv.URL,
			policy: request.Retry{Attempts: 3, Condition: func(_ *request.Response, err error) bool {
				return errors.Is(err, request.ErrTLS)
			}},
			wantLog:   []string{"cond: error ErrTLS", "cond: error ErrTLS"},
			wantErr:   []error{request.ErrTLS},
			wantTries: 3,
		},
		"OnRetry and Delay see the error the rules retry": {
			u:         srv.url("dropped twice", "drop,drop,200=ok"),
			policy:    request.Retry{Attempts: 3, Condition: never, OnRetry: noHook, Delay: func(int, *request.Response, error) time.Duration { return 0 }},
			wantLog:   []string{"delay 1: error ErrConnection", "retry 1: error ErrConnection, wait 0s", "delay 2: error ErrConnection", "retry 2: error ErrConnection, wait 0s"},
			wantTries: 3,
		},
		"OnRetry and the condition's error": {
			fail:      1,
			policy:    request.Retry{Attempts: 3, Condition: busy, OnRetry: noHook},
			wantLog:   []string{"cond: error busy", "retry 1: error busy, wait 0s", "cond 2: 200 ok"},
			wantTries: 2,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			u := tc.u
			if u == "" {
				u = srv.url(name, "200=ok")
			}
			call := tc.call
			if call == nil {
				call = func(s *client.Session, u string, p request.Retry) request.Builder { return s.Get(u).Retry(p) }
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var tries atomic.Int64
			s := client.New().Use(func(next http.RoundTripper) http.RoundTripper {
				return roundTripFunc(func(r *http.Request) (*http.Response, error) {
					if tries.Add(1) <= tc.fail {
						if r.Body != nil {
							r.Body.Close() // as a transport must
						}
						if tc.cancel {
							cancel()
						}
						return nil, errBusy
					}
					return next.RoundTrip(r)
				})
			})
			defer s.Close()
			var calls []string
			r, err := call(s, u, logged(tc.policy, &calls)).Do(ctx)
			for _, want := range tc.wantErr {
				if !errors.Is(err, want) {
					t.Errorf("Do error %v does not match %v", err, want)
				}
			}
			if tc.wantErr == nil {
				if err != nil {
					t.Fatalf("Do: %v", err)
				}
				if got := describe(r, nil); got != "200 ok" {
					t.Errorf("kept response %q, want 200 ok", got)
				}
			}
			if diff := cmp.Diff(tc.wantLog, calls); diff != "" {
				t.Errorf("the policy's funcs were given (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantTries, tries.Load()); diff != "" {
				t.Errorf("tries (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRetryDelayWait: Delay's wait, capped by MaxBackoff, none when
// negative, and never asked when the response has a Retry-After.
func TestRetryDelayWait(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	tests := map[string]struct {
		delay      time.Duration
		maxBackoff time.Duration
		retryAfter string
		want       time.Duration
		wantAsked  []int // the attempt numbers Delay was given
	}{
		"Delay's wait":                 {delay: 7 * time.Second, want: 7 * time.Second, wantAsked: []int{2}},
		"capped by MaxBackoff":         {delay: time.Hour, maxBackoff: time.Minute, want: time.Minute, wantAsked: []int{2}},
		"capped by the default cap":    {delay: time.Hour, want: request.DefaultMaxBackoff, wantAsked: []int{2}},
		"negative is none":             {delay: -time.Second, want: 0, wantAsked: []int{2}},
		"Retry-After comes first":      {delay: time.Hour, retryAfter: "3", want: 3 * time.Second},
		"an unparsable Retry-After":    {delay: time.Second, retryAfter: "soon", want: time.Second, wantAsked: []int{2}},
		"Retry-After, still capped":    {delay: time.Second, maxBackoff: time.Minute, retryAfter: "3600", want: time.Minute},
		"zero Delay is no wait at all": {delay: 0, want: 0, wantAsked: []int{2}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var asked []int
			p := request.Retry{Attempts: 5, Backoff: time.Hour, MaxBackoff: tc.maxBackoff, Delay: func(n int, _ *request.Response, _ error) time.Duration {
				asked = append(asked, n)
				return tc.delay
			}}
			resp := &http.Response{Header: http.Header{}}
			if tc.retryAfter != "" {
				resp.Header.Set("Retry-After", tc.retryAfter)
			}
			if diff := cmp.Diff(tc.want, request.RetryWait(&p, 3, resp, now, nil)); diff != "" {
				t.Errorf("wait (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantAsked, asked); diff != "" {
				t.Errorf("Delay's attempts (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRetryDownloadProgress: DownloadProgress counts a try that Condition
// read and retried, never one retried on its status (read for OnRetry as
// drain reads it).
func TestRetryDownloadProgress(t *testing.T) {
	t.Parallel()
	srv := newSeqServer(t)
	var ends [][2]int64 // done, total: the calls of tiny bodies are their ends
	p := request.Retry{Attempts: 4, Condition: tryAgain, OnRetry: noHook}
	r, err := request.Get(srv.url("progress", "503=busy,200=try_again,200=ok")).
		Retry(p).
		DownloadProgress(func(done, total int64) { ends = append(ends, [2]int64{done, total}) }).
		Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][2]int64{{9, 9}, {2, 2}}, ends); diff != "" {
		t.Errorf("DownloadProgress calls (-want +got):\n%s", diff)
	}
	if got := describe(r, nil); got != "200 ok" || r.Attempts() != 3 {
		t.Errorf("kept %q after %d tries, want 200 ok after 3", got, r.Attempts())
	}
}

// TestRetryOnRetryBody: a try retried on its status is read for OnRetry no
// further than a policy without funcs drains it: 64 KiB, or MaxBodySize
// when smaller, whatever the call; a try Condition retries, as Do reads it.
func TestRetryOnRetryBody(t *testing.T) {
	t.Parallel()
	srv := newSeqServer(t)
	big := func(r *request.Response, _ error) bool { return len(r.Bytes()) > 100 && r.StatusCode() == 200 }
	tests := map[string]struct {
		answers string
		call    func(b request.Builder) request.Builder
		cond    func(*request.Response, error) bool
		want    []int // len(r.Bytes()) OnRetry saw
	}{
		"cut at 64 KiB":                   {answers: "503*100000,200=ok", want: []int{64 << 10}},
		"a short body whole":              {answers: "503*1000,200=ok", want: []int{1000}},
		"cut at a lower MaxBodySize":      {answers: "503*100000,200=ok", call: func(b request.Builder) request.Builder { return b.MaxBodySize(500) }, want: []int{500}},
		"streamed: read, not streamed":    {answers: "503*100000,200=ok", call: func(b request.Builder) request.Builder { return b.Stream() }, want: []int{64 << 10}},
		"Condition's try: as Do reads it": {answers: "200*100000,200=ok", cond: big, want: []int{100000}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got []int
			p := request.Retry{Attempts: 3, Condition: tc.cond, OnRetry: func(_ int, r *request.Response, err error, _ time.Duration) {
				if err != nil {
					t.Errorf("OnRetry given %v", err)
					return
				}
				got = append(got, len(r.Bytes()))
			}}
			b := request.Get(srv.url(name, tc.answers)).Retry(p)
			if tc.call != nil {
				b = tc.call(b)
			}
			r, err := b.Do(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("body lengths OnRetry saw (-want +got):\n%s", diff)
			}
			if got := describe(r, nil); got != "200 ok" {
				t.Errorf("kept %q, want 200 ok", got)
			}
		})
	}
}

// TestRetryConditionConcurrent: a session's policy, its funcs run by many
// calls at once, each call's tries counted on its own.
func TestRetryConditionConcurrent(t *testing.T) {
	t.Parallel()
	srv := newSeqServer(t)
	var retries atomic.Int64
	s := client.New().SetRetry(request.Retry{Attempts: 3, Condition: tryAgain,
		OnRetry: func(int, *request.Response, error, time.Duration) { retries.Add(1) }})
	defer s.Close()
	const calls = 16
	var wg sync.WaitGroup
	got := make([]string, calls)
	for i := range calls {
		wg.Go(func() {
			r, err := s.Get(srv.url("concurrent"+strconv.Itoa(i), "200=try_again,200=ok")).Do(context.Background())
			if err != nil {
				got[i] = err.Error()
				return
			}
			got[i] = fmt.Sprintf("%s after %d", describe(r, nil), r.Attempts())
		})
	}
	wg.Wait()
	want := make([]string, calls)
	for i := range want {
		want[i] = "200 ok after 2"
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(int64(calls), retries.Load()); diff != "" {
		t.Errorf("OnRetry calls (-want +got):\n%s", diff)
	}
}

// TestRetryConditionContextEnded: a context that ends while a try's body
// is read (here by DownloadProgress at its end) leaves the try unasked, as
// Condition's doc promises: the response read in full is the one kept, and
// neither Delay nor OnRetry is called.
func TestRetryConditionContextEnded(t *testing.T) {
	t.Parallel()
	srv := newSeqServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var calls []string
	p := logged(request.Retry{Attempts: 3, Condition: always, OnRetry: noHook,
		Delay: func(int, *request.Response, error) time.Duration { return 0 }}, &calls)
	r, err := request.Get(srv.url("ctx-ended", "200=try_again,200=ok")).Retry(p).
		DownloadProgress(func(done, total int64) {
			if done == total {
				cancel()
			}
		}).
		Do(ctx)
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	if diff := cmp.Diff("200 try_again", describe(r, nil)); diff != "" {
		t.Errorf("kept response (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string(nil), calls); diff != "" {
		t.Errorf("funcs called (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(int64(1), srv.counter("ctx-ended").Load()); diff != "" {
		t.Errorf("tries (-want +got):\n%s", diff)
	}
}
