package request_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// hookLog records which hook saw which response, in order.
type hookLog struct {
	mu  sync.Mutex
	got []string
}

func (l *hookLog) hook(name string) func(*request.Response) error {
	return func(r *request.Response) error {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.got = append(l.got, fmt.Sprintf("%s %d %s", name, r.StatusCode(), r.URL().Path))
		return nil
	}
}

func TestHooks(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	chain := srv.URL + "/start?status=302&location=" + urlEscape("/start?status=302&location=%2Fget")
	tests := map[string]struct {
		setup func(s *client.Session, l *hookLog)
		b     func(s *client.Session, l *hookLog) request.Builder
		want  []string
	}{
		"session hook on every hop": {
			setup: func(s *client.Session, l *hookLog) { s.OnResponse(l.hook("s")) },
			b:     func(s *client.Session, l *hookLog) request.Builder { return s.Get(chain) },
			want:  []string{"s 302 /start", "s 302 /start", "s 200 /get"},
		},
		"session hooks in order": {
			setup: func(s *client.Session, l *hookLog) { s.OnResponse(l.hook("a")).OnResponse(l.hook("b")) },
			b:     func(s *client.Session, l *hookLog) request.Builder { return s.Get(srv.URL + "/get") },
			want:  []string{"a 200 /get", "b 200 /get"},
		},
		"call hooks replace the session's": {
			setup: func(s *client.Session, l *hookLog) { s.OnResponse(l.hook("s")) },
			b: func(s *client.Session, l *hookLog) request.Builder {
				return s.Get(srv.URL + "/get").OnResponse(l.hook("m1")).OnResponse(l.hook("m2"))
			},
			want: []string{"m1 200 /get", "m2 200 /get"},
		},
		"NoRedirects: the redirect alone": {
			setup: func(s *client.Session, l *hookLog) { s.OnResponse(l.hook("s")) },
			b:     func(s *client.Session, l *hookLog) request.Builder { return s.Get(chain).NoRedirects() },
			want:  []string{"s 302 /start"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := client.New()
			defer s.Close()
			var l hookLog
			tc.setup(s, &l)
			if _, err := tc.b(s, &l).Do(context.Background()); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, l.got); diff != "" {
				t.Errorf("hooks ran (-want +got):\n%s", diff)
			}
			// The session's hooks stay for the next call.
			l.got = nil
			if _, err := s.Get(srv.URL + "/get").Do(context.Background()); err != nil {
				t.Fatal(err)
			}
			if s.Hooks() > 0 && len(l.got) != s.Hooks() {
				t.Errorf("next call ran %v", l.got)
			}
		})
	}
}

// TestHookError: a hook's error ends Do, wrapped, and nothing further is
// sent.
func TestHookError(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	errStop := errors.New("stop here")
	s := client.New().OnResponse(func(r *request.Response) error {
		if r.StatusCode() == http.StatusFound {
			return errStop
		}
		return nil
	})
	defer s.Close()
	srv.Reset()
	resp, err := s.Get(srv.URL + "/start?status=302&location=%2Fget").Do(context.Background())
	if !errors.Is(err, errStop) || !errors.Is(err, request.ErrHook) || resp != nil {
		t.Fatalf("Do = %v, %v; want the hook's error", resp, err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests sent, want 1", n)
	}
	if _, err := request.Get(srv.URL).OnResponse(nil).Do(context.Background()); !errors.Is(err, request.ErrInvalidOption) {
		t.Errorf("nil hook: %v", err)
	}
}

// seen is a middleware that records what it sees of every hop.
type seen struct {
	name string
	log  *[]string
	mu   *sync.Mutex
}

func (m seen) wrap(next http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		m.mu.Lock()
		*m.log = append(*m.log, fmt.Sprintf("%s %s cookie=%q auth=%v", m.name, req.URL.Path, req.Header.Get("Cookie"), req.Header.Get("Authorization") != ""))
		m.mu.Unlock()
		return next.RoundTrip(req)
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// TestMiddleware: Use's middleware sees the final request of every hop and
// every retry, first Use outermost; hooks see each hop's kept response.
func TestMiddleware(t *testing.T) {
	t.Parallel()
	f := newFlaky(t)
	var log []string
	var mu sync.Mutex
	s := client.New().
		SetBasicAuth("u", "p").
		SetCookie("c", "1").
		Use(seen{"outer", &log, &mu}.wrap).
		Use(seen{"inner", &log, &mu}.wrap).
		SetRetry(request.Retry{Attempts: 2}).
		OnResponse(func(r *request.Response) error {
			mu.Lock()
			defer mu.Unlock()
			log = append(log, fmt.Sprintf("hook %d after %d attempts", r.StatusCode(), r.Attempts()))
			return nil
		})
	defer s.Close()
	u := f.URL + "/redir?to=" + urlEscape("/flaky?key=mw&fail=1&status=503")
	if _, err := s.Get(u).Do(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`outer /redir cookie="c=1" auth=true`,
		`inner /redir cookie="c=1" auth=true`,
		"hook 302 after 1 attempts",
		`outer /flaky cookie="c=1" auth=true`,
		`inner /flaky cookie="c=1" auth=true`,
		`outer /flaky cookie="c=1; try=1" auth=true`,
		`inner /flaky cookie="c=1; try=1" auth=true`,
		"hook 200 after 2 attempts",
	}
	if diff := cmp.Diff(want, log); diff != "" {
		t.Errorf("seen (-want +got):\n%s", diff)
	}
	if got := strings.Count(strings.Join(log, "\n"), "outer"); got != 3 {
		t.Errorf("outer saw %d hops", got)
	}
	bad := client.New().Use(nil)
	defer bad.Close()
	if !errors.Is(bad.Err(), request.ErrInvalidOption) {
		t.Errorf("Use(nil): %v", bad.Err())
	}
}
