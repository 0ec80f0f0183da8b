package request_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/request"
)

// BenchmarkGetOptions measures what each optional part of the pipeline
// costs on a plain GET when it does not act: a retry policy that is never
// triggered (and one whose Condition says no), one no-op middleware,
// phase timeouts that never fire, a response hook; and what tracing costs
// (SetTrace, which fills Timings). Compare allocs/op with plain
// (-benchmem).
func BenchmarkGetOptions(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"ok":true}`)
	}))
	defer srv.Close()
	noop := func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(req *http.Request) (*http.Response, error) { return next.RoundTrip(req) })
	}
	cases := []struct {
		name string
		s    func() *client.Session
	}{
		{"plain", func() *client.Session { return client.New() }},
		{"retry-policy", func() *client.Session { return client.New().SetRetry(request.Retry{Attempts: 3, Backoff: time.Second}) }},
		{"retry-condition", func() *client.Session {
			return client.New().SetRetry(request.Retry{Attempts: 3, Backoff: time.Second,
				Condition: func(*request.Response, error) bool { return false },
				OnRetry:   func(int, *request.Response, error, time.Duration) {}})
		}},
		{"noop-middleware", func() *client.Session { return client.New().Use(noop) }},
		{"hook", func() *client.Session {
			return client.New().OnResponse(func(*request.Response) error { return nil })
		}},
		{"phase-timeouts", func() *client.Session {
			return client.New().SetConnectTimeout(time.Second).SetReadTimeout(time.Second)
		}},
		{"trace", func() *client.Session { return client.New().SetTrace(true) }},
	}
	ctx := context.Background()
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			s := c.s()
			defer s.Close()
			get := s.Get(srv.URL + "/get")
			b.ReportAllocs()
			for b.Loop() {
				if _, err := get.Do(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
