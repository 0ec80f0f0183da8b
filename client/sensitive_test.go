package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// TestSensitiveHeadersOnRedirect: a header named by SetSensitiveHeaders
// reaches the first hop and leaves the call where Authorization does (a
// redirect to another host or port), whether the session or the call set
// it; a header not named, and every header on a redirect that stays on the
// host, is kept.
func TestSensitiveHeadersOnRedirect(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		sensitive []string
		callSets  bool // the call sets X-Api-Key, not the session
		// target is where the first server redirects to, given the two
		// servers; the second return value is the server it reaches.
		target func(first, other *testserver.Server) (string, *testserver.Server)
		want   []string // X-Api-Key and X-Other on the final hop, "" for absent
	}{
		"another host drops it": {
			sensitive: []string{"x-api-key"},
			target:    func(f, _ *testserver.Server) (string, *testserver.Server) { return f.LocalhostURL() + "/get", f },
			want:      []string{"", "o"},
		},
		"another port drops it": {
			sensitive: []string{"X-Api-Key"},
			target:    func(_, o *testserver.Server) (string, *testserver.Server) { return o.URL + "/get", o },
			want:      []string{"", "o"},
		},
		"a call's header is dropped too": {
			sensitive: []string{"X-API-KEY"},
			callSets:  true,
			target:    func(f, _ *testserver.Server) (string, *testserver.Server) { return f.LocalhostURL() + "/get", f },
			want:      []string{"", "o"},
		},
		"the same host keeps it": {
			sensitive: []string{"X-Api-Key"},
			target:    func(f, _ *testserver.Server) (string, *testserver.Server) { return f.URL + "/get", f },
			want:      []string{"k", "o"},
		},
		"not named, another host keeps it": {
			sensitive: []string{"X-Token"},
			target:    func(f, _ *testserver.Server) (string, *testserver.Server) { return f.LocalhostURL() + "/get", f },
			want:      []string{"k", "o"},
		},
		"no list, another host keeps it as requests does": {
			target: func(f, _ *testserver.Server) (string, *testserver.Server) { return f.LocalhostURL() + "/get", f },
			want:   []string{"k", "o"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			first, other := testserver.New(t), testserver.New(t)
			s := client.New().SetSensitiveHeaders(tc.sensitive...).SetHeader("X-Other", "o")
			defer s.Close()
			if !tc.callSets {
				s.SetHeader("X-Api-Key", "k")
			}
			b := s.Get(first.URL + "/start")
			if tc.callSets {
				b = b.Header("X-Api-Key", "k")
			}
			target, reached := tc.target(first, other)
			r, err := b.Param("status", "302").Param("location", target).Do(context.Background())
			if err != nil || r.StatusCode() != http.StatusOK || len(r.History()) != 1 {
				t.Fatalf("Do: %v, %v", r, err)
			}
			firstHop := first.Requests()[0]
			if got := firstHop.Header.Get("X-Api-Key"); got != "k" {
				t.Errorf("first hop's X-Api-Key = %q, want k", got)
			}
			last, ok := reached.Last()
			if !ok || last.Path != "/get" {
				t.Fatalf("the redirect's target got %+v", last)
			}
			got := []string{last.Header.Get("X-Api-Key"), last.Header.Get("X-Other")}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("final hop's X-Api-Key, X-Other (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSensitiveHeadersSetting: the list is canonical, sorted and without
// repeats; a name that is not a token is an ErrInvalidHeader error from Err
// and Do (nothing sent) until the list is set again without it.
func TestSensitiveHeadersSetting(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		names   []string
		want    []string
		wantErr error
	}{
		"none":                {nil, nil, nil},
		"canonical and dedup": {[]string{"x-token", "X-Api-Key", "x-api-key"}, []string{"X-Api-Key", "X-Token"}, nil},
		"a bad name":          {[]string{"X-Api-Key", "bad name"}, []string{"X-Api-Key"}, request.ErrInvalidHeader},
		"an empty name":       {[]string{""}, nil, request.ErrInvalidHeader},
		"a colon":             {[]string{"X-A:b"}, nil, request.ErrInvalidHeader},
		"CR LF":               {[]string{"X-A\r\nX-B"}, nil, request.ErrInvalidHeader},
		// Sorted and deduplicated at once: one by one, 100,000 names took
		// seconds.
		"many names, each twice": {manyNames(2), manyNames(1), nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testserver.New(t)
			s := client.New().SetSensitiveHeaders(tc.names...)
			defer s.Close()
			if diff := cmp.Diff(tc.want, s.SensitiveHeaders()); diff != "" {
				t.Errorf("SensitiveHeaders() (-want +got):\n%s", diff)
			}
			if err := s.Err(); !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Errorf("Err() = %v, want %v", err, tc.wantErr)
			}
			_, err := s.Get(srv.URL + "/get").Do(context.Background())
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Errorf("Do error = %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr != nil {
				if n := len(srv.Requests()); n != 0 {
					t.Errorf("%d requests sent with a rejected setting, want 0", n)
				}
				if err := s.SetSensitiveHeaders("X-Api-Key").Err(); err != nil {
					t.Errorf("Err() after a valid list = %v, want nil", err)
				}
			}
		})
	}
}

// manyNames returns X-N-00000 to X-N-99999, sorted, each times times.
func manyNames(times int) []string {
	var names []string
	for i := range 100_000 {
		for range times {
			names = append(names, fmt.Sprintf("X-N-%05d", i))
		}
	}
	return names
}

// TestSensitiveHeadersLogged: SetLogger writes a sensitive header's value,
// sent or received, as "[redacted]", and other headers as they are.
func TestSensitiveHeadersLogged(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := client.New().SetLogger(logger).SetSensitiveHeaders("X-Api-Key", "X-Session").
		SetHeader("X-Api-Key", "s3cret").SetHeader("X-Other", "o")
	defer s.Close()
	// go-httpbin's /response-headers answers with the query's headers.
	q := url.Values{"X-Session": {"t0k3n"}, "X-Plain": {"p"}}
	if _, err := s.Get(srv.URL + "/response-headers?" + q.Encode()).Do(context.Background()); err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Request  http.Header `json:"request_headers"`
		Response http.Header `json:"response_headers"`
	}
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatalf("log record %s: %v", buf.Bytes(), err)
	}
	got := map[string][]string{
		"request X-Api-Key":  rec.Request["X-Api-Key"],
		"request X-Other":    rec.Request["X-Other"],
		"response X-Session": rec.Response["X-Session"],
		"response X-Plain":   rec.Response["X-Plain"],
	}
	want := map[string][]string{
		"request X-Api-Key":  {"[redacted]"},
		"request X-Other":    {"o"},
		"response X-Session": {"[redacted]"},
		"response X-Plain":   {"p"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("logged headers (-want +got):\n%s", diff)
	}
}
