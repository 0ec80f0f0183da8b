package client_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/jar"
	"github.com/tether-http/tether/request"
)

func TestGettersShowEveryValue(t *testing.T) {
	t.Parallel()
	s := client.New().
		SetBaseURL("http://example.test/api").
		SetHeader("X-A", "1", "2").
		SetHeaders(map[string]string{"x-b": "b"}).
		SetParam("z", "1").
		SetParams(map[string]string{"b": "2", "a": "3"}).
		SetBasicAuth("u", "p").
		SetCookie("c", "v").
		SetTimeout(3 * time.Second).
		SetMaxRedirects(5).
		SetRedirectCheck(func(request.Redirect) error { return errRefused })
	defer s.Close()

	if got := s.BaseURL(); got != "http://example.test/api" {
		t.Errorf("BaseURL() = %q", got)
	}
	wantHdr := http.Header{
		"User-Agent": {"tether/" + request.Version}, "Accept": {"*/*"}, "Accept-Encoding": {"gzip, deflate, br, zstd"},
		"X-A": {"1", "2"}, "X-B": {"b"},
	}
	if diff := cmp.Diff(wantHdr, s.Headers()); diff != "" {
		t.Errorf("Headers() (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(url.Values{"z": {"1"}, "a": {"3"}, "b": {"2"}}, s.Params()); diff != "" {
		t.Errorf("Params() (-want +got):\n%s", diff)
	}
	wantList := []request.Param{{Key: "z", Values: []string{"1"}}, {Key: "a", Values: []string{"3"}}, {Key: "b", Values: []string{"2"}}}
	if diff := cmp.Diff(wantList, s.ParamList()); diff != "" {
		t.Errorf("ParamList() (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(request.Auth(request.BasicAuth{Username: "u", Password: "p"}), s.Auth()); diff != "" {
		t.Errorf("Auth() (-want +got):\n%s", diff)
	}
	if got, err := s.Jar().Get("c"); err != nil || got != "v" {
		t.Errorf("Jar().Get(c) = %q, %v", got, err)
	}
	if s.Timeout() != 3*time.Second || s.MaxRedirects() != 5 {
		t.Errorf("Timeout() = %v, MaxRedirects() = %d", s.Timeout(), s.MaxRedirects())
	}
	if check := s.RedirectCheck(); check == nil || check(request.Redirect{}) != errRefused {
		t.Errorf("RedirectCheck() is not the check set")
	}
	if err := s.Err(); err != nil {
		t.Errorf("Err() = %v", err)
	}

	// Getters return copies: changing them changes nothing.
	s.Headers().Set("X-A", "changed")
	s.Params().Set("z", "changed")
	if s.Headers().Get("X-A") != "1" || s.Params().Get("z") != "1" {
		t.Error("a getter returned the session's own map")
	}
	// Clearing.
	s.SetAuth(nil).DelHeader("x-a").DelParam("z").SetBaseURL("").SetRedirectCheck(nil)
	if s.Auth() != nil || s.Headers().Get("X-A") != "" || s.Params().Has("z") || s.BaseURL() != "" || s.RedirectCheck() != nil {
		t.Errorf("clearing setters left values: auth %v, headers %v, params %v, base %q, redirect check set %t",
			s.Auth(), s.Headers(), s.Params(), s.BaseURL(), s.RedirectCheck() != nil)
	}
}

var errRefused = errors.New("refused")

func TestZeroSessionIsUsable(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	var s client.Session
	defer s.Close()
	resp, err := s.SetHeader("X-Z", "1").Get(srv.URL + "/cookies/set/z/1").Do(context.Background())
	if err != nil || resp.StatusCode() != 200 {
		t.Fatalf("Do = %v, %v", resp, err)
	}
	if got, _ := s.Jar().Get("z"); got != "1" {
		t.Errorf("jar z = %q, want 1", got)
	}
}

func TestBaseURL(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	tests := map[string]struct {
		base, url, wantPath, wantQuery string
	}{
		"path appended":             {srv.URL + "/anything", "x/y", "/anything/x/y", ""},
		"leading slash appended":    {srv.URL + "/anything/", "/x", "/anything/x", ""},
		"no base path":              {srv.URL, "/anything/q", "/anything/q", ""},
		"query kept":                {srv.URL + "/anything", "x?a=1", "/anything/x", "a=1"},
		"absolute URL ignores base": {"http://unused.invalid/base", srv.URL + "/anything/abs", "/anything/abs", ""},
		// As urljoin: a query or fragment alone goes right after the base.
		"query only":                   {srv.URL + "/anything/search", "?q=go", "/anything/search", "q=go"},
		"query only, base with slash":  {srv.URL + "/anything/search/", "?q=go", "/anything/search/", "q=go"},
		"fragment only":                {srv.URL + "/anything/search", "#top", "/anything/search", ""},
		"scheme-relative takes scheme": {"http://unused.invalid/base", "//" + strings.TrimPrefix(srv.URL, "http://") + "/anything/sr", "/anything/sr", ""},
		"leading whitespace dropped":   {srv.URL + "/anything", " \tx", "/anything/x", ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := client.New().SetBaseURL(tc.base)
			defer s.Close()
			resp, err := s.Get(tc.url).Do(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			got := resp.Request().URL
			if got.Path != tc.wantPath || got.RawQuery != tc.wantQuery {
				t.Errorf("sent %s, want path %q query %q", got, tc.wantPath, tc.wantQuery)
			}
		})
	}
}

func TestSetJar(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	j := jar.New()
	if err := j.Set("loaded", "1"); err != nil {
		t.Fatal(err)
	}
	s := client.New().SetJar(j)
	defer s.Close()
	resp, err := s.Get(srv.URL + "/cookies/set/srv/2").Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Cookies map[string]string }
	if err := resp.JSON(&got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"loaded": "1", "srv": "2"}, got.Cookies); diff != "" {
		t.Errorf("cookies sent (-want +got):\n%s", diff)
	}
	if j.Len() != 2 {
		t.Errorf("the jar given to SetJar holds %d cookies, want 2 (it is the live jar)", j.Len())
	}
}

// TestOneConnection sends 1,000 sequential requests to one host and checks
// the server accepted exactly one TCP connection.
func TestOneConnection(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	s := client.New().SetHeader("X-Seq", "1").SetCookie("c", "1")
	defer s.Close()
	for i := range 1000 {
		resp, err := s.Get(srv.URL+"/get").Param("i", fmt.Sprint(i)).Do(context.Background())
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		if resp.StatusCode() != 200 {
			t.Fatalf("request %d: status %d", i, resp.StatusCode())
		}
	}
	if got := srv.Conns(); got != 1 {
		t.Fatalf("server accepted %d connections for 1,000 sequential requests, want 1", got)
	}
}

// TestCloseReachesMounts: Close drops the idle connections of a mounted
// transport too, as requests' close() closes every mounted adapter.
func TestCloseReachesMounts(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	mounted := &http.Transport{}
	defer mounted.CloseIdleConnections()
	s := client.New().Mount(srv.URL+"/", mounted)
	get := func() {
		t.Helper()
		if _, err := s.Get(srv.URL + "/get").Do(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	get()
	get()
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	get()
	if got := srv.Conns(); got != 2 {
		t.Errorf("connections = %d, want 2 (one before Close, one after)", got)
	}
}

// TestCloseKeepsSessionUsable: Close drops pooled connections, is
// idempotent, keeps every value, and the next request opens a new
// connection (requests-semantics §5 case 47).
func TestCloseKeepsSessionUsable(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	s := client.New().SetHeader("X-Keep", "1")
	get := func() {
		t.Helper()
		if _, err := s.Get(srv.URL + "/cookies/set/k/v").Do(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	get()
	for range 2 {
		if err := s.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
	}
	get()
	if got := srv.Conns(); got != 2 {
		t.Errorf("connections = %d, want 2 (one before Close, one after)", got)
	}
	if s.Headers().Get("X-Keep") != "1" || s.Jar().Len() != 1 {
		t.Errorf("Close lost state: headers %v, %d cookies", s.Headers(), s.Jar().Len())
	}
	rec, _ := srv.Last()
	if rec.Header.Get("X-Keep") != "1" {
		t.Errorf("request after Close lacks the session header")
	}
	_ = s.Close()
}

// TestConcurrentMutationWhileSending changes a session from several
// goroutines while others send through it and through shared builder
// templates. Under -race it proves the snapshot design; it also checks that
// every request carried a consistent pair of headers that were always set
// together.
func TestConcurrentMutationWhileSending(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	s := client.New().SetHeaders(map[string]string{"X-Gen": "0", "X-Gen-Copy": "0"})
	defer s.Close()
	tmpl := s.Post(srv.URL+"/echo").Header("X-Tmpl", "t").Param("p", "1")

	const writers, senders, rounds = 4, 4, 25
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				gen := fmt.Sprintf("%d-%d", w, i)
				s.SetHeaders(map[string]string{"X-Gen": gen, "X-Gen-Copy": gen}).
					SetParam("w", gen).
					SetCookie("w", fmt.Sprint(w)).
					SetBasicAuth("u", gen).
					SetTimeout(time.Minute).
					SetRedirectCheck(request.SameHost)
				_ = s.RedirectCheck()
				s.Jar().Len()
				_ = s.Headers()
				_ = s.Params()
				_ = s.Auth()
			}
		}()
	}
	errs := make(chan error, senders*rounds*2)
	for g := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				for _, b := range []request.Builder{
					s.Get(srv.URL+"/echo").Param("g", fmt.Sprint(g)),
					tmpl.Header("X-Tmpl", "t", fmt.Sprint(i)).BodyBytes([]byte("x")),
				} {
					resp, err := b.Do(context.Background())
					if err != nil {
						errs <- err
						continue
					}
					h := resp.Request().Header
					if h.Get("X-Gen") != h.Get("X-Gen-Copy") {
						errs <- fmt.Errorf("torn snapshot: X-Gen %q, X-Gen-Copy %q", h.Get("X-Gen"), h.Get("X-Gen-Copy"))
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := tmpl.URL(); got != srv.URL+"/echo" {
		t.Errorf("template URL changed to %q", got)
	}
}

// TestSessionFromSavedJar saves a session's cookies to cookies.txt, loads
// them into a new jar and starts a second session from it.
func TestSessionFromSavedJar(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	ctx := context.Background()
	first := client.New().SetCookie("wide", "w")
	defer first.Close()
	if _, err := first.Get(srv.URL + "/p?set-cookie=kept%3D1%3B%20Max-Age%3D3600%3B%20Path%3D%2F").Do(ctx); err != nil {
		t.Fatal(err)
	}
	file := t.TempDir() + "/cookies.txt"
	if err := first.Jar().SaveFile(file, jar.WithSessionCookies()); err != nil {
		t.Fatal(err)
	}

	loaded := jar.New()
	if err := loaded.LoadFile(file); err != nil {
		t.Fatal(err)
	}
	second := client.New().SetJar(loaded)
	defer second.Close()
	r, err := second.Get(srv.URL + "/get").Do(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("wide=w; kept=1", r.Request().Header.Get("Cookie")); diff != "" {
		t.Errorf("Cookie sent by the session from the loaded jar (-want +got):\n%s", diff)
	}
}
