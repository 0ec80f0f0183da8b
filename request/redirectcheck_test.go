package request_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// checkEnv is two servers under two host names each: A (127.0.0.1:pA,
// and localhost:pA as "A'"), and B (127.0.0.1:pB, and localhost:pB as
// "B'"), so that a redirect can go to another server on the same host
// name (A to B) or to another host name on another server (A to B').
type checkEnv struct {
	s      *client.Session
	a, b   *testserver.Server
	names  map[string]string // origin URL to its label
	mu     sync.Mutex
	seen   []checked // what the recording checks saw, in order
	hooked []int     // the statuses the recording hook saw, in order
}

// checked is one call of a recording check: the Redirect it was given, with
// origins replaced by their labels.
type checked struct {
	Method, URL, From string
	Status, History   int
}

func newCheckEnv(t *testing.T) *checkEnv {
	t.Helper()
	a, b := testserver.New(t), testserver.New(t)
	s := client.New()
	t.Cleanup(func() { _ = s.Close() })
	return &checkEnv{s: s, a: a, b: b, names: map[string]string{
		a.URL: "A", a.LocalhostURL(): "A'", b.URL: "B", b.LocalhostURL(): "B'",
	}}
}

// label replaces the servers' origins in u with their labels.
func (e *checkEnv) label(u string) string {
	for origin, name := range e.names {
		if rest, ok := strings.CutPrefix(u, origin); ok {
			return name + rest
		}
	}
	return u
}

// record wraps fn so that every call is kept in e.seen.
func (e *checkEnv) record(fn func(request.Redirect) error) func(request.Redirect) error {
	return func(r request.Redirect) error {
		e.mu.Lock()
		e.seen = append(e.seen, checked{
			Method: r.Method, URL: e.label(r.URL.String()), From: e.label(r.Response.URL().String()),
			Status: r.Response.StatusCode(), History: len(r.Response.History()),
		})
		e.mu.Unlock()
		return fn(r)
	}
}

// hook is a response hook that keeps each status in e.hooked.
func (e *checkEnv) hook(r *request.Response) error {
	e.mu.Lock()
	e.hooked = append(e.hooked, r.StatusCode())
	e.mu.Unlock()
	return nil
}

// received is what the servers received, in order, as "label METHOD path".
func (e *checkEnv) received() []string {
	var out []string
	type entry struct {
		testserver.Entry
		name string
	}
	var all []entry
	for _, srv := range []*testserver.Server{e.a, e.b} {
		for _, en := range srv.Entries() {
			name := e.names[srv.URL]
			if strings.HasPrefix(strings.ToLower(en.Host), "localhost:") {
				name += "'"
			}
			all = append(all, entry{en, name})
		}
	}
	slices.SortFunc(all, func(x, y entry) int { return cmp.Compare(x.Seq, y.Seq) })
	for _, en := range all {
		out = append(out, en.name+" "+en.Method+" "+en.Path)
	}
	return out
}

// redirectTo is a path on origin that answers status with Location loc.
func redirectTo(origin string, status int, loc string) string {
	return script(origin, "/start", status, loc)
}

func allow(request.Redirect) error { return nil }

var errNo = errors.New("no")

func refuse(request.Redirect) error { return errNo }

func useLast(request.Redirect) error { return fmt.Errorf("stop here: %w", http.ErrUseLastResponse) }

// outcome is what a call gave, for comparison as a whole.
type outcome struct {
	Err      string // the sentinel the error matches, "" for none
	CheckErr string // a refusal's Err
	Status   int    // the response's (or the refused redirect's) status
	URL      string // the response's URL, or the refused URL
	Next     string // the response's Next, when it is a redirect
	History  int
	Hooked   []int
	Checked  []checked
	Received []string
}

// TestRedirectCheck checks when a redirect check runs, what it is given,
// what Do returns when it refuses or says http.ErrUseLastResponse, how a
// call's check replaces or removes the session's, and how it composes with
// the redirect limit, NoRedirects, hooks, unfollowable Locations and
// bodies that cannot be sent again. Every case asserts what each server
// received: a refused host receives nothing.
func TestRedirectCheck(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		session func(e *checkEnv)
		call    func(e *checkEnv) request.Builder
		want    func(e *checkEnv) outcome
	}{
		"session check refuses another host: it receives nothing": {
			session: func(e *checkEnv) {
				e.s.SetRedirectCheck(e.record(refuse)).SetBasicAuth("u", "p").SetCookie("sid", "1")
			},
			call: func(e *checkEnv) request.Builder {
				return e.s.Get(redirectTo(e.a.URL, 302, e.b.LocalhostURL()+"/get"))
			},
			want: func(e *checkEnv) outcome {
				return outcome{
					Err: "ErrRedirectRefused", CheckErr: "no", Status: 302, URL: "B'/get",
					Checked:  []checked{{Method: "GET", URL: "B'/get", From: "A/start?location=" + url.QueryEscape(e.b.LocalhostURL()+"/get") + "&status=302", Status: 302}},
					Received: []string{"A GET /start"},
				}
			},
		},
		"a check that allows follows the redirect": {
			session: func(e *checkEnv) { e.s.SetRedirectCheck(e.record(allow)) },
			call: func(e *checkEnv) request.Builder {
				return e.s.Get(redirectTo(e.a.URL, 302, e.b.LocalhostURL()+"/get"))
			},
			want: func(e *checkEnv) outcome {
				return outcome{
					Status: 200, URL: "B'/get", History: 1,
					Checked:  []checked{{Method: "GET", URL: "B'/get", From: "A/start?location=" + url.QueryEscape(e.b.LocalhostURL()+"/get") + "&status=302", Status: 302}},
					Received: []string{"A GET /start", "B' GET /get"},
				}
			},
		},
		"the check runs once per redirect, with the history so far": {
			session: func(e *checkEnv) { e.s.SetRedirectCheck(e.record(allow)) },
			call:    func(e *checkEnv) request.Builder { return e.s.Get(e.a.URL + "/redirect/2") },
			want: func(e *checkEnv) outcome {
				return outcome{
					Status: 200, URL: "A/get", History: 2,
					Checked: []checked{
						{Method: "GET", URL: "A/relative-redirect/1", From: "A/redirect/2", Status: 302},
						{Method: "GET", URL: "A/get", From: "A/relative-redirect/1", Status: 302, History: 1},
					},
					Received: []string{"A GET /redirect/2", "A GET /relative-redirect/1", "A GET /get"},
				}
			},
		},
		"the check is given the method of the next hop: a 303 turns POST into GET": {
			call: func(e *checkEnv) request.Builder {
				return e.s.Post(redirectTo(e.a.URL, 303, "/get")).BodyBytes([]byte("x")).RedirectCheck(e.record(refuse))
			},
			want: func(e *checkEnv) outcome {
				return outcome{
					Err: "ErrRedirectRefused", CheckErr: "no", Status: 303, URL: "A/get",
					Checked:  []checked{{Method: "GET", URL: "A/get", From: "A/start?location=%2Fget&status=303", Status: 303}},
					Received: []string{"A POST /start"},
				}
			},
		},
		"a 307 keeps the method, and a refusal comes before a body that cannot be sent again": {
			call: func(e *checkEnv) request.Builder {
				return e.s.Post(redirectTo(e.a.URL, 307, e.b.URL+"/post")).
					Body(io.MultiReader(strings.NewReader("one-shot"))).RedirectCheck(e.record(refuse))
			},
			want: func(e *checkEnv) outcome {
				return outcome{
					Err: "ErrRedirectRefused", CheckErr: "no", Status: 307, URL: "B/post",
					Checked:  []checked{{Method: "POST", URL: "B/post", From: "A/start?location=" + url.QueryEscape(e.b.URL+"/post") + "&status=307", Status: 307}},
					Received: []string{"A POST /start"},
				}
			},
		},
		"http.ErrUseLastResponse returns the redirect with no error": {
			session: func(e *checkEnv) { e.s.SetRedirectCheck(e.record(useLast)) },
			call: func(e *checkEnv) request.Builder {
				return e.s.Get(redirectTo(e.a.URL, 301, e.b.LocalhostURL()+"/get"))
			},
			want: func(e *checkEnv) outcome {
				start := "A/start?location=" + url.QueryEscape(e.b.LocalhostURL()+"/get") + "&status=301"
				return outcome{
					Status: 301, URL: start, Next: "B'/get",
					Checked:  []checked{{Method: "GET", URL: "B'/get", From: start, Status: 301}},
					Received: []string{"A GET /start"},
				}
			},
		},
		"http.ErrUseLastResponse after a redirect followed keeps the history": {
			session: func(e *checkEnv) {
				n := 0
				e.s.SetRedirectCheck(e.record(func(request.Redirect) error {
					if n++; n == 2 {
						return http.ErrUseLastResponse
					}
					return nil
				}))
			},
			call: func(e *checkEnv) request.Builder { return e.s.Get(e.a.URL + "/redirect/3") },
			want: func(e *checkEnv) outcome {
				return outcome{
					Status: 302, URL: "A/relative-redirect/2", Next: "A/relative-redirect/1", History: 1,
					Checked: []checked{
						{Method: "GET", URL: "A/relative-redirect/2", From: "A/redirect/3", Status: 302},
						{Method: "GET", URL: "A/relative-redirect/1", From: "A/relative-redirect/2", Status: 302, History: 1},
					},
					Received: []string{"A GET /redirect/3", "A GET /relative-redirect/2"},
				}
			},
		},
		"a call's check replaces the session's": {
			session: func(e *checkEnv) { e.s.SetRedirectCheck(refuse) },
			call: func(e *checkEnv) request.Builder {
				return e.s.Get(redirectTo(e.a.URL, 302, e.b.URL+"/get")).RedirectCheck(e.record(allow))
			},
			want: func(e *checkEnv) outcome {
				return outcome{
					Status: 200, URL: "B/get", History: 1,
					Checked:  []checked{{Method: "GET", URL: "B/get", From: "A/start?location=" + url.QueryEscape(e.b.URL+"/get") + "&status=302", Status: 302}},
					Received: []string{"A GET /start", "B GET /get"},
				}
			},
		},
		"the last RedirectCheck of a call wins": {
			call: func(e *checkEnv) request.Builder {
				return e.s.Get(redirectTo(e.a.URL, 302, "/get")).RedirectCheck(allow).RedirectCheck(e.record(refuse))
			},
			want: func(e *checkEnv) outcome {
				return outcome{
					Err: "ErrRedirectRefused", CheckErr: "no", Status: 302, URL: "A/get",
					Checked:  []checked{{Method: "GET", URL: "A/get", From: "A/start?location=%2Fget&status=302", Status: 302}},
					Received: []string{"A GET /start"},
				}
			},
		},
		"NoRedirectCheck removes the session's for the call": {
			session: func(e *checkEnv) { e.s.SetRedirectCheck(e.record(refuse)) },
			call: func(e *checkEnv) request.Builder {
				return e.s.Get(redirectTo(e.a.URL, 302, e.b.URL+"/get")).NoRedirectCheck()
			},
			want: func(*checkEnv) outcome {
				return outcome{Status: 200, URL: "B/get", History: 1, Received: []string{"A GET /start", "B GET /get"}}
			},
		},
		"SetRedirectCheck(nil) removes the session's": {
			session: func(e *checkEnv) { e.s.SetRedirectCheck(e.record(refuse)).SetRedirectCheck(nil) },
			call:    func(e *checkEnv) request.Builder { return e.s.Get(redirectTo(e.a.URL, 302, e.b.URL+"/get")) },
			want: func(*checkEnv) outcome {
				return outcome{Status: 200, URL: "B/get", History: 1, Received: []string{"A GET /start", "B GET /get"}}
			},
		},
		"a call's own hook does not drop the session's check, and sees the refused redirect": {
			session: func(e *checkEnv) { e.s.SetRedirectCheck(e.record(request.SameHost)) },
			call: func(e *checkEnv) request.Builder {
				return e.s.Get(redirectTo(e.a.URL, 302, e.b.LocalhostURL()+"/get")).OnResponse(e.hook)
			},
			want: func(e *checkEnv) outcome {
				return outcome{
					Err: "ErrRedirectRefused", CheckErr: "localhost is not 127.0.0.1, the host the call was made to", Status: 302, URL: "B'/get",
					Hooked:   []int{302},
					Checked:  []checked{{Method: "GET", URL: "B'/get", From: "A/start?location=" + url.QueryEscape(e.b.LocalhostURL()+"/get") + "&status=302", Status: 302}},
					Received: []string{"A GET /start"},
				}
			},
		},
		"the redirect limit counts first: the check is not called past it": {
			session: func(e *checkEnv) { e.s.SetMaxRedirects(0).SetRedirectCheck(e.record(refuse)) },
			call:    func(e *checkEnv) request.Builder { return e.s.Get(redirectTo(e.a.URL, 302, e.b.URL+"/get")) },
			want: func(e *checkEnv) outcome {
				return outcome{
					Err: "ErrTooManyRedirects", Status: 302, URL: "A/start?location=" + url.QueryEscape(e.b.URL+"/get") + "&status=302",
					Received: []string{"A GET /start"},
				}
			},
		},
		"with a limit of 1, the check sees the first redirect only": {
			session: func(e *checkEnv) { e.s.SetMaxRedirects(1).SetRedirectCheck(e.record(allow)) },
			call:    func(e *checkEnv) request.Builder { return e.s.Get(e.a.URL + "/redirect/2") },
			want: func(*checkEnv) outcome {
				return outcome{
					Err: "ErrTooManyRedirects", Status: 302, URL: "A/relative-redirect/1",
					Checked:  []checked{{Method: "GET", URL: "A/relative-redirect/1", From: "A/redirect/2", Status: 302}},
					Received: []string{"A GET /redirect/2", "A GET /relative-redirect/1"},
				}
			},
		},
		"NoRedirects follows nothing and checks nothing": {
			session: func(e *checkEnv) { e.s.SetRedirectCheck(e.record(refuse)) },
			call: func(e *checkEnv) request.Builder {
				return e.s.Get(redirectTo(e.a.URL, 302, e.b.URL+"/get")).NoRedirects()
			},
			want: func(e *checkEnv) outcome {
				return outcome{
					Status: 302, URL: "A/start?location=" + url.QueryEscape(e.b.URL+"/get") + "&status=302", Next: "B/get",
					Received: []string{"A GET /start"},
				}
			},
		},
		"a Location that cannot be followed is a LocationError before any check": {
			session: func(e *checkEnv) { e.s.SetRedirectCheck(e.record(refuse)) },
			call: func(e *checkEnv) request.Builder {
				return e.s.Get(redirectTo(e.a.URL, 302, "ftp://files.example/x"))
			},
			want: func(e *checkEnv) outcome {
				return outcome{
					Err: "ErrUnsupportedScheme", Status: 302, URL: "A/start?location=" + url.QueryEscape("ftp://files.example/x") + "&status=302",
					Received: []string{"A GET /start"},
				}
			},
		},
		"a builder spawned before SetRedirectCheck keeps the session as it was": {
			call: func(e *checkEnv) request.Builder {
				b := e.s.Get(redirectTo(e.a.URL, 302, e.b.URL+"/get"))
				e.s.SetRedirectCheck(e.record(refuse))
				return b
			},
			want: func(*checkEnv) outcome {
				return outcome{Status: 200, URL: "B/get", History: 1, Received: []string{"A GET /start", "B GET /get"}}
			},
		},
		"go-httpbin's redirect-to, refused by SameHost": {
			session: func(e *checkEnv) { e.s.SetRedirectCheck(e.record(request.SameHost)) },
			call: func(e *checkEnv) request.Builder {
				return e.s.Get(e.a.URL+"/redirect-to").Param("url", e.b.LocalhostURL()+"/get")
			},
			want: func(e *checkEnv) outcome {
				return outcome{
					Err: "ErrRedirectRefused", CheckErr: "localhost is not 127.0.0.1, the host the call was made to", Status: 302, URL: "B'/get",
					Checked:  []checked{{Method: "GET", URL: "B'/get", From: "A/redirect-to?url=" + url.QueryEscape(e.b.LocalhostURL()+"/get"), Status: 302}},
					Received: []string{"A GET /redirect-to"},
				}
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newCheckEnv(t)
			if tc.session != nil {
				tc.session(e)
			}
			resp, err := tc.call(e).Do(context.Background())
			got := outcome{Err: sentinelName(err), Hooked: e.hooked, Checked: e.seen, Received: e.received()}
			var refused *request.RedirectRefusedError
			var tooMany *request.RedirectError
			var loc *request.LocationError
			switch {
			case err == nil:
				got.Status, got.URL, got.History = resp.StatusCode(), e.label(resp.URL().String()), len(resp.History())
				if n := resp.Next(); n != nil {
					got.Next = e.label(n.String())
				}
			case errors.As(err, &refused):
				got.Status, got.URL, got.CheckErr = refused.Response.StatusCode(), e.label(refused.URL.String()), refused.Err.Error()
				if refused.Err == errNo && !errors.Is(err, errNo) {
					t.Errorf("Do: %v does not match the check's error with errors.Is", err)
				}
			case errors.As(err, &tooMany):
				got.Status, got.URL = tooMany.Response.StatusCode(), e.label(tooMany.Response.URL().String())
			case errors.As(err, &loc):
				got.Status, got.URL = loc.Response.StatusCode(), e.label(loc.Response.URL().String())
			default:
				t.Fatalf("Do: %v", err)
			}
			if err != nil && resp != nil {
				t.Errorf("Do returned a response with the error %v", err)
			}
			if diff := gocmp.Diff(tc.want(e), got); diff != "" {
				t.Errorf("outcome (-want +got):\n%s", diff)
			}
		})
	}
}

// sentinelName names the sentinel err matches, "" for nil.
func sentinelName(err error) string {
	for _, s := range []struct {
		name string
		err  error
	}{
		{"ErrRedirectRefused", request.ErrRedirectRefused},
		{"ErrTooManyRedirects", request.ErrTooManyRedirects},
		{"ErrUnsupportedScheme", request.ErrUnsupportedScheme},
		{"ErrBodyTooLarge", request.ErrBodyTooLarge},
	} {
		if errors.Is(err, s.err) {
			return s.name
		}
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// TestSameHost checks SameHost over real redirects: it follows a redirect
// on the host name the call was made to, on any port, and refuses another
// host name, also later in a chain; the refused server receives nothing.
func TestSameHost(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		start func(e *checkEnv) string // the call's URL
		want  func(e *checkEnv) outcome
	}{
		"to the same host name on another port (another server)": {
			start: func(e *checkEnv) string { return redirectTo(e.a.URL, 302, e.b.URL+"/get") },
			want: func(*checkEnv) outcome {
				return outcome{Status: 200, URL: "B/get", History: 1, Received: []string{"A GET /start", "B GET /get"}}
			},
		},
		"to the same host name in another case": {
			start: func(e *checkEnv) string {
				return redirectTo(e.a.LocalhostURL(), 307, strings.Replace(e.b.LocalhostURL(), "localhost", "LocalHost", 1)+"/get")
			},
			want: func(e *checkEnv) outcome {
				return outcome{
					Status: 200, URL: strings.Replace(e.b.LocalhostURL(), "localhost", "LocalHost", 1) + "/get", History: 1,
					Received: []string{"A' GET /start", "B' GET /get"},
				}
			},
		},
		"to another host name": {
			start: func(e *checkEnv) string { return redirectTo(e.a.URL, 302, e.b.LocalhostURL()+"/get") },
			want: func(*checkEnv) outcome {
				return outcome{
					Err: "ErrRedirectRefused", CheckErr: "localhost is not 127.0.0.1, the host the call was made to",
					Status: 302, URL: "B'/get", Received: []string{"A GET /start"},
				}
			},
		},
		"to another host name on the same server": {
			start: func(e *checkEnv) string { return redirectTo(e.a.URL, 302, e.a.LocalhostURL()+"/get") },
			want: func(*checkEnv) outcome {
				return outcome{
					Err: "ErrRedirectRefused", CheckErr: "localhost is not 127.0.0.1, the host the call was made to",
					Status: 302, URL: "A'/get", Received: []string{"A GET /start"},
				}
			},
		},
		"to another host name after a redirect on the host": {
			start: func(e *checkEnv) string {
				return redirectTo(e.a.URL, 302, redirectTo(e.b.URL, 302, e.b.LocalhostURL()+"/get"))
			},
			want: func(e *checkEnv) outcome {
				return outcome{
					Err: "ErrRedirectRefused", CheckErr: "localhost is not 127.0.0.1, the host the call was made to",
					Status: 302, URL: "B'/get", Received: []string{"A GET /start", "B GET /start"},
				}
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newCheckEnv(t)
			e.s.SetRedirectCheck(request.SameHost)
			resp, err := e.s.Get(tc.start(e)).Do(context.Background())
			got := outcome{Err: sentinelName(err), Received: e.received()}
			var refused *request.RedirectRefusedError
			switch {
			case err == nil:
				got.Status, got.URL, got.History = resp.StatusCode(), e.label(resp.URL().String()), len(resp.History())
			case errors.As(err, &refused):
				got.Status, got.URL, got.CheckErr = refused.Response.StatusCode(), e.label(refused.URL.String()), refused.Err.Error()
			default:
				t.Fatalf("Do: %v", err)
			}
			if diff := gocmp.Diff(tc.want(e), got); diff != "" {
				t.Errorf("outcome (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAllowHosts checks which redirect targets AllowHosts lets through:
// listed host names and addresses, whatever the case, final dot, port and
// scheme; and that an entry that is no host name refuses everything with
// ErrInvalidOption.
func TestAllowHosts(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		hosts   []string
		target  string
		wantErr error // nil: allowed
	}{
		"listed":                        {hosts: []string{"api.example", "cdn.example"}, target: "https://cdn.example/a"},
		"listed, any port and scheme":   {hosts: []string{"api.example"}, target: "http://api.example:8080/a"},
		"listed in another case":        {hosts: []string{"API.example"}, target: "https://api.EXAMPLE/a"},
		"a final dot on the target":     {hosts: []string{"api.example"}, target: "https://api.example./a"},
		"a final dot on the entry":      {hosts: []string{"api.example."}, target: "https://api.example/a"},
		"IPv4 address":                  {hosts: []string{"127.0.0.1"}, target: "http://127.0.0.1:9/a"},
		"IPv6 address with brackets":    {hosts: []string{"[::1]"}, target: "http://[::1]:9/a"},
		"IPv6 address without":          {hosts: []string{"::1"}, target: "http://[::1]/a"},
		"not listed":                    {hosts: []string{"api.example"}, target: "https://evil.example/a", wantErr: errAny},
		"a subdomain is another host":   {hosts: []string{"example"}, target: "https://api.example/a", wantErr: errAny},
		"userinfo does not make a host": {hosts: []string{"api.example"}, target: "https://api.example@evil.example/a", wantErr: errAny},
		"no hosts refuses every one":    {target: "https://api.example/a", wantErr: errAny},
		"an entry with a port":          {hosts: []string{"api.example:443"}, target: "https://api.example/a", wantErr: request.ErrInvalidOption},
		"an entry with a scheme":        {hosts: []string{"api.example", "https://cdn.example"}, target: "https://api.example/a", wantErr: request.ErrInvalidOption},
		"an empty entry":                {hosts: []string{""}, target: "https://api.example/a", wantErr: request.ErrInvalidOption},
		"a wildcard entry":              {hosts: []string{"*.example"}, target: "https://api.example/a", wantErr: request.ErrInvalidOption},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			u, err := url.Parse(tc.target)
			if err != nil {
				t.Fatal(err)
			}
			err = request.AllowHosts(tc.hosts...)(request.Redirect{URL: u, Method: "GET"})
			switch {
			case tc.wantErr == nil && err != nil:
				t.Errorf("refused: %v", err)
			case tc.wantErr == errAny && err == nil, tc.wantErr != nil && tc.wantErr != errAny && !errors.Is(err, tc.wantErr):
				t.Errorf("error %v, want %v", err, tc.wantErr)
			}
		})
	}
}

var errAny = errors.New("any error")

// TestAllowHostsRedirects checks AllowHosts over real redirects: the
// listed host is followed to, and a redirect back to the call's own host,
// not listed, is refused before it is sent.
func TestAllowHostsRedirects(t *testing.T) {
	t.Parallel()
	e := newCheckEnv(t)
	e.s.SetRedirectCheck(request.AllowHosts("localhost"))
	_, err := e.s.Get(redirectTo(e.a.URL, 302, redirectTo(e.b.LocalhostURL(), 302, e.b.URL+"/get"))).Do(context.Background())
	var refused *request.RedirectRefusedError
	if !errors.As(err, &refused) {
		t.Fatalf("Do: %v, want a *RedirectRefusedError", err)
	}
	got := outcome{Err: sentinelName(err), CheckErr: refused.Err.Error(), Status: refused.Response.StatusCode(), URL: e.label(refused.URL.String()), History: len(refused.Response.History()), Received: e.received()}
	want := outcome{
		Err: "ErrRedirectRefused", CheckErr: "127.0.0.1 is not an allowed host", Status: 302, URL: "B/get", History: 1,
		Received: []string{"A GET /start", "B' GET /start"},
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("outcome (-want +got):\n%s", diff)
	}
}

// TestRedirectCheckStreamed checks a check with Stream: a refusal leaves
// no connection behind (the redirect's body was read, so its connection is
// reused by the next call; goleak checks the package at its end), and
// http.ErrUseLastResponse returns the redirect with its body readable.
func TestRedirectCheckStreamed(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		check    func(request.Redirect) error
		wantErr  error
		wantBody bool // the redirect's body comes back (its echo names its path)
	}{
		"refused":            {check: refuse, wantErr: request.ErrRedirectRefused},
		"ErrUseLastResponse": {check: useLast, wantBody: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newCheckEnv(t)
			b := e.s.Get(redirectTo(e.a.URL, 302, e.b.LocalhostURL()+"/get")).Stream().RedirectCheck(tc.check)
			resp, err := b.Do(context.Background())
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Do: %v, want %v", err, tc.wantErr)
			}
			if tc.wantBody {
				var echo struct{ Path string }
				if err := resp.JSON(&echo); err != nil || echo.Path != "/start" {
					t.Errorf("JSON: %v, path %q; want the redirect's echo of /start", err, echo.Path)
				}
				if err := resp.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			}
			// The next call to A goes over the connection the redirect came on.
			r, err := e.s.Get(e.a.URL + "/get").Do(context.Background())
			if err != nil {
				t.Fatalf("second Do: %v", err)
			}
			_ = r.Close()
			var conns []int64
			for _, en := range e.a.Entries() {
				conns = append(conns, en.Conn)
			}
			want := outcome{Received: []string{"A GET /start", "A GET /get"}}
			if diff := gocmp.Diff(want, outcome{Received: e.received()}); diff != "" {
				t.Errorf("received (-want +got):\n%s", diff)
			}
			if diff := gocmp.Diff([]int64{1, 1}, conns); diff != "" {
				t.Errorf("connections (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRedirectCheckCutBody checks that a redirect whose body was cut by
// MaxBodySize is not returned as whole when a check stops there with
// http.ErrUseLastResponse: Do fails as it would had the redirect been the
// final response (NoRedirects). Followed, the cut body does not matter,
// as in requests.
func TestRedirectCheckCutBody(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		call    func(b request.Builder) request.Builder
		wantErr string
	}{
		"NoRedirects":        {call: request.Builder.NoRedirects, wantErr: "ErrBodyTooLarge"},
		"ErrUseLastResponse": {call: func(b request.Builder) request.Builder { return b.RedirectCheck(useLast) }, wantErr: "ErrBodyTooLarge"},
		"followed":           {call: func(b request.Builder) request.Builder { return b.RedirectCheck(allow) }},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newCheckEnv(t)
			small := testserver.BodyPath + "?body=ok" // within the limit
			_, err := tc.call(e.s.Get(redirectTo(e.a.URL, 302, small)).MaxBodySize(10)).Do(context.Background())
			if got := sentinelName(err); got != tc.wantErr {
				t.Errorf("Do: %v, want %s", err, cmp.Or(tc.wantErr, "no error"))
			}
		})
	}
}
