package bench

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/internal/bench/fixture"
)

// seen is what the checks below compare between peers.
type seen struct {
	Method, Path, Auth, Cookie, MethodHeader, ContentType string
	Query                                                 url.Values
	Headers                                               []string
	Body                                                  string
}

// recorder answers like the fixture server and keeps the last request.
type recorder struct {
	mu   sync.Mutex
	last seen
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s := seen{
		Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(),
		Auth: r.Header.Get("Authorization"), Cookie: r.Header.Get("Cookie"),
		MethodHeader: r.Header.Get(fixture.MethodHeader), Body: string(body),
	}
	if r.Method == http.MethodPost {
		s.ContentType = r.Header.Get("Content-Type")
	}
	for _, h := range fixture.Headers {
		s.Headers = append(s.Headers, r.Header.Get(h[0]))
	}
	rec.mu.Lock()
	rec.last = s
	rec.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if r.Method == http.MethodPost {
		_, _ = w.Write(body)
		return
	}
	_, _ = w.Write(fixture.GetBody)
}

func (rec *recorder) take() seen {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	s := rec.last
	rec.last = seen{}
	return s
}

// TestPeersDoTheSameWork checks that every peer puts the same request on
// the wire for each benchmark and gets the same answer, so the benchmarks
// compare like with like. It is not timed.
func TestPeersDoTheSameWork(t *testing.T) {
	rec := &recorder{}
	ts := httptest.NewServer(rec)
	defer ts.Close()
	ctx := context.Background()

	wantGet := seen{
		Method: "GET", Path: "/get",
		Query:        url.Values{"page": {"1"}, "q": {"tether bench"}},
		Auth:         "Basic YmVuY2gtdXNlcjpiZW5jaC1wYXNz",
		Cookie:       fixture.CookieName + "=" + fixture.CookieVal,
		MethodHeader: fixture.MethodHeaderVal,
		Headers:      []string{"bench", "1.0", "acme"},
	}
	wantTemplate := wantGet
	wantTemplate.Query = url.Values{"page": {"1"}, "q": {"tether bench"}, "i": {"417"}}
	wantPostBody, _ := json.Marshal(fixture.NewPayload())
	wantPost := seen{Method: "POST", Path: "/post", ContentType: "application/json", Body: string(wantPostBody),
		Headers: []string{"", "", ""}}

	for _, p := range peers {
		t.Run(p.name, func(t *testing.T) {
			send, done := p.get(ts.URL)
			body, err := send(ctx)
			done()
			if err != nil || string(body) != string(fixture.GetBody) {
				t.Fatalf("get: %q, %v", body, err)
			}
			if diff := cmp.Diff(wantGet, rec.take()); diff != "" {
				t.Errorf("get sent (-want +got):\n%s", diff)
			}

			tsend, tdone := p.template(ts.URL)
			body, err = tsend(ctx, "417")
			tdone()
			if err != nil || string(body) != string(fixture.GetBody) {
				t.Fatalf("template: %q, %v", body, err)
			}
			if diff := cmp.Diff(wantTemplate, rec.take()); diff != "" {
				t.Errorf("template sent (-want +got):\n%s", diff)
			}

			psend, pdone := p.post(ts.URL)
			out, err := psend(ctx, fixture.NewPayload())
			pdone()
			if err != nil {
				t.Fatalf("post: %v", err)
			}
			if diff := cmp.Diff(fixture.NewPayload(), out); diff != "" {
				t.Fatalf("post reply (-want +got):\n%s", diff)
			}
			got := rec.take()
			if json.Valid([]byte(got.Body)) { // compare as JSON: spacing may differ
				var a, b any
				_ = json.Unmarshal([]byte(got.Body), &a)
				_ = json.Unmarshal(wantPostBody, &b)
				if cmp.Equal(a, b) {
					got.Body = string(wantPostBody)
				}
			}
			got.Query = nil
			if diff := cmp.Diff(wantPost, got); diff != "" {
				t.Errorf("post sent (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFixtureServer checks the benchmark server's answers and dial count.
func TestFixtureServer(t *testing.T) {
	ctx := context.Background()
	for _, p := range peers {
		d0 := srv.Dials()
		send, done := p.get(srv.URL)
		for range 3 {
			if body, err := send(ctx); err != nil || string(body) != string(fixture.GetBody) {
				t.Fatalf("%s: %q, %v", p.name, body, err)
			}
		}
		psend, pdone := p.post(srv.URL)
		out, err := psend(ctx, fixture.NewPayload())
		if err != nil {
			t.Fatalf("%s post: %v", p.name, err)
		}
		if diff := cmp.Diff(fixture.NewPayload(), out); diff != "" {
			t.Fatalf("%s post reply (-want +got):\n%s", p.name, diff)
		}
		done()
		pdone()
		if d := srv.Dials() - d0; d != 2 {
			t.Errorf("%s: %d dials for 3 sequential GETs and 1 POST on two sessions, want 2", p.name, d)
		}
	}
}
