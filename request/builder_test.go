package request_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

func do(t *testing.T, b request.Builder) *request.Response {
	t.Helper()
	resp, err := b.Do(context.Background())
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	return resp
}

func last(t *testing.T, srv *testserver.Server) testserver.Recorded {
	t.Helper()
	rec, ok := srv.Last()
	if !ok {
		t.Fatal("server saw no request")
	}
	return rec
}

// TestBuilderImmutable derives builders from one template, in sequence, and
// checks that no step changes the template or a sibling: the values a step
// takes are copied, and appending to a header or param of the template
// never writes into a sibling's backing array.
func TestBuilderImmutable(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	s := client.New().SetHeader("X-S", "s1", "s2").SetParam("p", "1")
	t.Cleanup(func() { _ = s.Close() })

	vals := []string{"a", "b"}
	tmpl := s.Get(srv.URL+"/get").Header("X-T", vals...).Param("q", vals...)
	vals[0] = "changed" // the caller's slice is not held

	child1 := tmpl.Header("X-T", "c1").Param("q", "c1")
	child2 := tmpl.Header("X-C2", "2")
	s.SetHeader("X-S", "later") // spawned builders keep their snapshot

	tests := map[string]struct {
		b         request.Builder
		wantHdr   map[string][]string
		wantQuery string
	}{
		"template": {tmpl, map[string][]string{"X-T": {"a", "b"}, "X-S": {"s1", "s2"}, "X-C2": nil}, "p=1&q=a&q=b"},
		"child1":   {child1, map[string][]string{"X-T": {"c1"}, "X-S": {"s1", "s2"}, "X-C2": nil}, "p=1&q=c1"},
		"child2":   {child2, map[string][]string{"X-T": {"a", "b"}, "X-C2": {"2"}}, "p=1&q=a&q=b"},
		"new":      {s.Get(srv.URL + "/get"), map[string][]string{"X-S": {"later"}, "X-T": nil}, "p=1"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			// Not parallel: each case reads the server's last request.
			do(t, tc.b)
			rec := last(t, srv)
			for k, want := range tc.wantHdr {
				if diff := cmp.Diff(want, rec.Header.Values(k)); diff != "" {
					t.Errorf("header %s (-want +got):\n%s", k, diff)
				}
			}
			if diff := cmp.Diff(tc.wantQuery, rec.RawQuery); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTemplateConcurrentAppend appends to one half-built template from many
// goroutines at once, each with its own value, and checks every request
// carried exactly its own values. Run with -race.
func TestTemplateConcurrentAppend(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	s := client.New().SetHeader("X-Multi", "s")
	t.Cleanup(func() { _ = s.Close() })
	tmpl := s.Post(srv.URL+"/echo").Header("X-Multi", "t1", "t2").Param("k", "t")

	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := string(rune('a' + i))
			b := tmpl.Header("X-Id", id).Param("k", "t", id).BodyBytes([]byte(id))
			resp, err := b.Do(context.Background())
			if err != nil {
				errs <- err
				return
			}
			var got struct {
				Query   string              `json:"query"`
				Headers map[string][]string `json:"headers"`
				Body    string              `json:"body"`
			}
			if err := resp.JSON(&got); err != nil {
				errs <- err
				return
			}
			want := "k=t&k=" + id
			if got.Query != want || got.Body != id || !cmp.Equal(got.Headers["X-Id"], []string{id}) ||
				!cmp.Equal(got.Headers["X-Multi"], []string{"t1", "t2"}) {
				errs <- errors.New("request " + id + " got another request's values: " + resp.Text())
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestDoErrors checks that bad input comes back from Do as typed errors,
// never a panic, and that nothing reached the server.
func TestDoErrors(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	s := client.New()
	t.Cleanup(func() { _ = s.Close() })
	tests := map[string]struct {
		b    request.Builder
		want error
	}{
		"invalid URL":          {s.Get("http://[::1"), request.ErrInvalidURL},
		"empty URL":            {s.Get(""), request.ErrInvalidURL},
		"no scheme":            {s.Get("example.com/x"), request.ErrInvalidURL},
		"no host":              {s.Get("http:///x"), request.ErrInvalidURL},
		"unsupported scheme":   {s.Get("ftp://example.com/"), request.ErrUnsupportedScheme},
		"file scheme":          {s.Get("file:///etc/passwd"), request.ErrUnsupportedScheme},
		"invalid method":       {s.Request("GE T", srv.URL), request.ErrInvalidMethod},
		"empty method":         {s.Request("", srv.URL), request.ErrInvalidMethod},
		"CRLF in header value": {s.Get(srv.URL).Header("X-A", "v\r\nX-Injected: 1"), request.ErrInvalidHeader},
		"LF in header value":   {s.Get(srv.URL).Header("X-A", "v\nx"), request.ErrInvalidHeader},
		"NUL in header value":  {s.Get(srv.URL).Header("X-A", "v\x00"), request.ErrInvalidHeader},
		"CR in header name":    {s.Get(srv.URL).Header("X-A\r", "v"), request.ErrInvalidHeader},
		// requests sends it and lets the server answer 400 (a README
		// difference): net/http refuses such a name, and so does Do.
		"space in header name": {s.Get(srv.URL).Header("X A", "v"), request.ErrInvalidHeader},
		"CRLF in Headers map":  {s.Get(srv.URL).Headers(map[string]string{"X-B": "\r\n"}), request.ErrInvalidHeader},
		// requests raises InvalidHeader; Go would trim the space and send.
		"leading space in value": {s.Get(srv.URL).Header("X-A", " v"), request.ErrInvalidHeader},
		"leading tab in value":   {s.Get(srv.URL).Header("X-A", "\tv"), request.ErrInvalidHeader},
		// The Auth writes the header after the others are checked.
		"CRLF in a bearer token": {s.Get(srv.URL).BearerToken("t\r\nX-Injected: 1"), request.ErrInvalidHeader},
		"JSON cannot encode":     {s.Post(srv.URL).JSON(math.Inf(1)), request.ErrBody},
		"JSON of a channel":      {s.Post(srv.URL).JSON(make(chan int)), request.ErrBody},
		"invalid cookie name":    {s.Get(srv.URL).Cookie("a=b", "1"), request.ErrInvalidCookie},
		"invalid cookie value":   {s.Get(srv.URL).Cookie("a", "x;y"), request.ErrInvalidCookie},
		"negative timeout":       {s.Get(srv.URL).Timeout(-1), request.ErrInvalidOption},
		"nil RedirectCheck":      {s.Get(srv.URL).RedirectCheck(nil), request.ErrInvalidOption},
		"zero Builder":           {request.Builder{}, request.ErrInvalidURL},
		"package-level bad URL":  {request.Get("::"), request.ErrUnsupportedScheme}, // requests: InvalidSchema
		"package-level bad verb": {request.New("\n", srv.URL), request.ErrInvalidMethod},
		// requests raises UnicodeEncodeError; sending U+FFFD would be a
		// wrong credential.
		"userinfo escape not UTF-8": {s.Get(strings.Replace(srv.URL, "http://", "http://%E9:p@", 1)), request.ErrInvalidURL},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv.Reset()
			resp, err := tc.b.Do(context.Background())
			if !errors.Is(err, tc.want) {
				t.Fatalf("Do error = %v, want errors.Is %v", err, tc.want)
			}
			if resp != nil {
				t.Errorf("Do returned a response with an error: %v", resp)
			}
		})
	}
	if got := len(srv.Requests()); got != 0 {
		t.Errorf("server saw %d requests from invalid builders, want 0", got)
	}
}

func TestSessionSetterErrors(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	tests := map[string]struct {
		set  func(*client.Session)
		want error
	}{
		"base URL without scheme":  {func(s *client.Session) { s.SetBaseURL("example.com") }, request.ErrInvalidURL},
		"base URL unparsable":      {func(s *client.Session) { s.SetBaseURL("http://[::1") }, request.ErrInvalidURL},
		"base URL with a query":    {func(s *client.Session) { s.SetBaseURL("http://h.test/api?key=1") }, request.ErrInvalidURL},
		"base URL with a fragment": {func(s *client.Session) { s.SetBaseURL("http://h.test/api#x") }, request.ErrInvalidURL},
		"negative timeout":         {func(s *client.Session) { s.SetTimeout(-1) }, request.ErrInvalidOption},
		"negative redirects":       {func(s *client.Session) { s.SetMaxRedirects(-1) }, request.ErrInvalidOption},
		"bad session header":       {func(s *client.Session) { s.SetHeader("X", "a\nb") }, request.ErrInvalidHeader},
		"bad session cookie":       {func(s *client.Session) { s.SetCookie("a;b", "1") }, request.ErrInvalidCookie},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := client.New()
			defer s.Close()
			tc.set(s)
			_, err := s.Get(srv.URL + "/get").Do(context.Background())
			if !errors.Is(err, tc.want) {
				t.Fatalf("Do error = %v, want errors.Is %v", err, tc.want)
			}
		})
	}
}

func TestSetterErrorClearedByValidCall(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	s := client.New().SetBaseURL("nope")
	defer s.Close()
	if !errors.Is(s.Err(), request.ErrInvalidURL) {
		t.Fatalf("Err() = %v, want ErrInvalidURL", s.Err())
	}
	s.SetBaseURL(srv.URL)
	if err := s.Err(); err != nil {
		t.Fatalf("Err() after a valid SetBaseURL = %v", err)
	}
	resp := do(t, s.Get("/get"))
	if resp.StatusCode() != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode())
	}
}

func TestBodies(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	s := client.New()
	t.Cleanup(func() { _ = s.Close() })
	type payload struct {
		Name string `json:"name"`
		N    int    `json:"n"`
	}
	tests := map[string]struct {
		b        request.Builder
		wantBody string
		wantCT   []string
		wantCL   []string
	}{
		"JSON":                {s.Post(srv.URL + "/post").JSON(payload{"x", 1}), `{"name":"x","n":1}`, []string{"application/json"}, []string{"18"}},
		"JSON keeps set CT":   {s.Post(srv.URL+"/post").Header("Content-Type", "application/vnd.x+json").JSON(1), `1`, []string{"application/vnd.x+json"}, []string{"1"}},
		"Form":                {s.Post(srv.URL + "/post").Form(map[string][]string{"b": {"2"}, "a": {"1", "x y"}}), "a=1&a=x+y&b=2", []string{"application/x-www-form-urlencoded"}, []string{"13"}},
		"BodyBytes":           {s.Put(srv.URL + "/put").BodyBytes([]byte("raw")), "raw", nil, []string{"3"}},
		"strings.Reader":      {s.Post(srv.URL + "/post").Body(strings.NewReader("sr")), "sr", nil, []string{"2"}},
		"bytes.Buffer":        {s.Post(srv.URL + "/post").Body(bytes.NewBufferString("bb")), "bb", nil, []string{"2"}},
		"read bytes.Reader":   {s.Post(srv.URL + "/post").Body(partlyRead(bytes.NewReader([]byte("xxrest")))), "rest", nil, []string{"4"}},
		"read strings.Reader": {s.Post(srv.URL + "/post").Body(partlyRead(strings.NewReader("xxrest"))), "rest", nil, []string{"4"}},
		"one-shot reader":     {s.Post(srv.URL + "/post").Body(iotest.HalfReader(strings.NewReader("stream"))), "stream", nil, nil},
		"empty body":          {s.Post(srv.URL + "/post").BodyBytes(nil), "", nil, []string{"0"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			do(t, tc.b)
			rec := last(t, srv)
			if diff := cmp.Diff(tc.wantBody, rec.Body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantCT, rec.Header.Values("Content-Type")); diff != "" {
				t.Errorf("Content-Type (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantCL, rec.Header.Values("Content-Length")); diff != "" {
				t.Errorf("Content-Length (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBodyReplay(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	s := client.New()
	t.Cleanup(func() { _ = s.Close() })

	t.Run("bytes body replays on every Do", func(t *testing.T) {
		b := s.Post(srv.URL + "/post").Body(strings.NewReader("again"))
		for range 3 {
			do(t, b)
			if got := last(t, srv).Body; got != "again" {
				t.Fatalf("body %q, want %q", got, "again")
			}
		}
	})
	t.Run("seeker is rewound to its offset", func(t *testing.T) {
		r := io.NewSectionReader(strings.NewReader("xxpayload"), 0, 9)
		_, _ = r.Seek(2, io.SeekStart)
		b := s.Post(srv.URL + "/post").Body(r)
		for range 2 {
			do(t, b)
			if got := last(t, srv).Body; got != "payload" {
				t.Fatalf("body %q, want %q", got, "payload")
			}
		}
	})
	t.Run("one-shot reader refuses a second Do", func(t *testing.T) {
		b := s.Post(srv.URL + "/post").Body(io.MultiReader(strings.NewReader("once")))
		do(t, b)
		srv.Reset()
		_, err := b.Do(context.Background())
		if !errors.Is(err, request.ErrBodyNotReplayable) {
			t.Fatalf("second Do error = %v, want ErrBodyNotReplayable", err)
		}
		if n := len(srv.Requests()); n != 0 {
			t.Fatalf("server saw %d requests for the refused Do", n)
		}
	})
	// requests re-sends a one-shot body empty on a 307/308 (a README
	// difference): tether refuses, and never sends half a request.
	t.Run("one-shot reader refuses a 307", func(t *testing.T) {
		b := s.Post(srv.URL + "/r?status=307&location=/post").Body(io.MultiReader(strings.NewReader("once")))
		_, err := b.Do(context.Background())
		if !errors.Is(err, request.ErrBodyNotReplayable) {
			t.Fatalf("Do error = %v, want ErrBodyNotReplayable", err)
		}
	})
}

func TestResponse(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	s := client.New()
	t.Cleanup(func() { _ = s.Close() })

	resp := do(t, s.Get(srv.URL+"/status/418"))
	var se *request.StatusError
	if err := resp.Err(); !errors.Is(err, request.ErrStatus) || !errors.As(err, &se) || se.Response != resp {
		t.Fatalf("Err() = %v, want a *StatusError carrying the response", err)
	}
	if resp.StatusCode() != 418 || !strings.HasPrefix(resp.Status(), "418") {
		t.Errorf("status = %d %q", resp.StatusCode(), resp.Status())
	}

	resp = do(t, s.Get(srv.URL+"/response-headers?Set-Cookie=k%3Dv&X-Reply=1#frag"))
	if err := resp.Err(); err != nil {
		t.Errorf("Err() on 200 = %v", err)
	}
	if got := resp.Header().Get("X-Reply"); got != "1" {
		t.Errorf("Header X-Reply = %q", got)
	}
	if got := resp.URL().String(); got != srv.URL+"/response-headers?Set-Cookie=k%3Dv&X-Reply=1#frag" {
		t.Errorf("URL() = %q", got)
	}
	if len(resp.Cookies()) != 1 || resp.Cookies()[0].Name != "k" {
		t.Errorf("Cookies() = %v", resp.Cookies())
	}
	raw, err := io.ReadAll(resp.Raw().Body)
	if err != nil || !bytes.Equal(raw, resp.Bytes()) {
		t.Errorf("Raw().Body = %q, %v; want the body again", raw, err)
	}
	if resp.Request().Method != http.MethodGet || resp.Request().URL.Fragment != "" {
		t.Errorf("Request() = %s %s", resp.Request().Method, resp.Request().URL)
	}
	var v map[string]any
	if err := resp.JSON(&v); err != nil {
		t.Errorf("JSON: %v", err)
	}
	if err := do(t, s.Get(srv.URL+"/html")).JSON(&v); err == nil {
		t.Error("JSON of an HTML page succeeded")
	}
}

func TestGzipIsDecoded(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	resp := do(t, request.Get(srv.URL+"/gzip"))
	var v struct {
		Gzipped bool `json:"gzipped"`
	}
	if err := resp.JSON(&v); err != nil || !v.Gzipped {
		t.Fatalf("JSON = %+v, %v; want a decoded gzip body", v, err)
	}
}

func TestPackageLevelAPI(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	tests := map[string]struct {
		b          request.Builder
		wantMethod string
	}{
		"Get":     {request.Get(srv.URL + "/anything"), http.MethodGet},
		"Post":    {request.Post(srv.URL + "/anything"), http.MethodPost},
		"Put":     {request.Put(srv.URL + "/anything"), http.MethodPut},
		"Patch":   {request.Patch(srv.URL + "/anything"), http.MethodPatch},
		"Delete":  {request.Delete(srv.URL + "/anything"), http.MethodDelete},
		"Head":    {request.Head(srv.URL + "/anything"), http.MethodHead},
		"Options": {request.Options(srv.URL + "/anything"), http.MethodOptions},
		"New":     {request.New("purge", srv.URL+"/anything"), "PURGE"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			resp := do(t, tc.b.Header("X-Case", name))
			var got testserver.Recorded
			for _, r := range srv.Requests() {
				if r.Header.Get("X-Case") == name {
					got = r
				}
			}
			if got.Method != tc.wantMethod {
				t.Errorf("server saw method %q, want %q (status %d)", got.Method, tc.wantMethod, resp.StatusCode())
			}
		})
	}
}

// TestPackageLevelCookiesDoNotPersist: with no session, a call's redirect
// hops share its cookies (as requests' per-call session does), but nothing
// is kept for the next call.
func TestPackageLevelCookiesDoNotPersist(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	resp := do(t, request.Get(srv.URL+"/cookies/set/k/v"))
	var got struct {
		Cookies map[string]string `json:"cookies"`
	}
	if err := resp.JSON(&got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"k": "v"}, got.Cookies); diff != "" {
		t.Errorf("cookies on the redirect hop (-want +got):\n%s", diff)
	}
	resp = do(t, request.Get(srv.URL+"/cookies"))
	got.Cookies = nil // decode afresh: Unmarshal merges into a map
	if err := resp.JSON(&got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{}, got.Cookies); diff != "" {
		t.Errorf("cookies on the next call (-want +got):\n%s", diff)
	}
}

func TestTimeout(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	s := client.New().SetTimeout(50_000_000) // 50ms
	t.Cleanup(func() { _ = s.Close() })
	// /delay/1 answers after a second: the call must give up first.
	_, err := s.Get(srv.URL + "/delay/1").Do(context.Background())
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, request.ErrTransport) {
		t.Fatalf("Do error = %v, want DeadlineExceeded and ErrTransport", err)
	}
	// The method-level timeout overrides the session's.
	resp, err := s.Get(srv.URL + "/delay/0").Timeout(0).Do(context.Background())
	if err != nil || resp.StatusCode() != 200 {
		t.Fatalf("Do with Timeout(0) = %v, %v", resp, err)
	}
}

func TestContextCanceled(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := request.Get(srv.URL + "/get").Do(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Do error = %v, want context.Canceled", err)
	}
}

// TestUnparsableLocation: a Location net/url rejects ("%zz" is no escape)
// is requoted before it is resolved, as requests' requote_uri does, and
// the redirect is followed.
func TestUnparsableLocation(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	resp := do(t, request.Get(srv.URL+"/start?status=302&location=%2Fd%25zz"))
	if got, want := resp.URL().EscapedPath(), "/d%25zz"; got != want {
		t.Errorf("final URL path = %q, want %q", got, want)
	}
	if len(resp.History()) != 1 {
		t.Errorf("history has %d responses, want 1", len(resp.History()))
	}
	if rec := last(t, srv); rec.Path != "/d%zz" {
		t.Errorf("server saw path %q, want %q", rec.Path, "/d%zz")
	}
}

// partlyRead reads two bytes of r: a body is what is left unread.
func partlyRead[R io.Reader](r R) R {
	_, _ = io.ReadFull(r, make([]byte, 2))
	return r
}

// TestResponseCookies: Cookies is what a jar accepts from the response,
// like requests' r.cookies: not a cookie for another domain, not a
// deletion.
func TestResponseCookies(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, c := range []string{"ok=1", "other=1; Domain=example.com", "gone=; Max-Age=0", "sp= v ; Path=/", "two=a; Path=/x", "two=b; Path=/"} {
			w.Header().Add("Set-Cookie", c)
		}
	}))
	t.Cleanup(srv.Close)
	r, err := request.Get(srv.URL).Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range r.Cookies() {
		got = append(got, c.Name+"="+c.Value)
	}
	if diff := cmp.Diff([]string{"ok=1", "sp=v", "two=a", "two=b"}, got); diff != "" {
		t.Errorf("Cookies (-want +got):\n%s", diff)
	}
}

// TestResponseCookiesPerHop: each response of a redirected call holds the
// cookies it set, not the jar's, as requests' r.cookies and
// r.history[0].cookies (requests-semantics §1).
func TestResponseCookiesPerHop(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/start" {
			http.SetCookie(w, &http.Cookie{Name: "r1", Value: "1"})
			http.Redirect(w, r, "/final", http.StatusFound)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "d", Value: "2"})
	}))
	t.Cleanup(srv.Close)
	s := client.New().SetCookie("old", "0")
	defer s.Close()
	r, err := s.Get(srv.URL + "/start").Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	names := func(r *request.Response) []string {
		var out []string
		for _, c := range r.Cookies() {
			out = append(out, c.Name)
		}
		return out
	}
	if len(r.History()) != 1 {
		t.Fatalf("%d redirects, want 1", len(r.History()))
	}
	got := [][]string{names(r.History()[0]), names(r)}
	if diff := cmp.Diff([][]string{{"r1"}, {"d"}}, got); diff != "" {
		t.Errorf("cookies of the redirect and of the final response (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"old": "0", "r1": "1", "d": "2"}, s.Jar().Map()); diff != "" {
		t.Errorf("the jar (-want +got):\n%s", diff)
	}
}
