package request_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// TestCallCookieSentAsGiven: Builder.Cookie sends the pair as it is given,
// as requests sends cookies={...}: quotes, JSON, backslashes, UTF-8 and
// names outside the token grammar included (the Cookie header is compared
// as it arrived: the server's own parser drops some of these pairs).
func TestCallCookieSentAsGiven(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	tests := map[string]struct {
		name, value string
		want        string // the Cookie header requests sends
	}{
		"plain":                  {"a", "1", "a=1"},
		"double-quoted":          {"q", `"x"`, `q="x"`},
		"empty quotes":           {"q", `""`, `q=""`},
		"lone quote":             {"q", `"x`, `q="x`},
		"quote inside":           {"q", `a"b`, `q=a"b`},
		"JSON":                   {"j", `{"a":1}`, `j={"a":1}`},
		"backslash":              {"b", `x\y`, `b=x\y`},
		"comma and space inside": {"c", "a, b", "c=a, b"},
		"UTF-8 value":            {"u", "été", "u=été"},
		"empty value":            {"e", "", "e="},
		"bracket name":           {"x[y]", "1", "x[y]=1"},
		"space in name":          {"a b", "1", "a b=1"},
		"slash and parentheses":  {"(a/b)", "1", "(a/b)=1"},
		"UTF-8 name":             {"é", "1", "é=1"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			u := srv.URL + "/get?case=" + url.QueryEscape(name)
			r, err := request.Get(u).Cookie(tc.name, tc.value).Do(context.Background())
			if err != nil {
				t.Fatalf("Do: %v", err)
			}
			if diff := cmp.Diff(tc.want, r.Request().Header.Get("Cookie")); diff != "" {
				t.Errorf("Request().Header Cookie (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{tc.want}, received(t, srv, name).Header.Values("Cookie")); diff != "" {
				t.Errorf("Cookie header received (-want +got):\n%s", diff)
			}
		})
	}
}

// received is the one request the server got for the case named name (a
// case query parameter), which parallel cases tell apart.
func received(t *testing.T, srv *testserver.Server, name string) testserver.Recorded {
	t.Helper()
	var out []testserver.Recorded
	for _, rec := range srv.Requests() {
		if q, _ := url.ParseQuery(rec.RawQuery); q.Get("case") == name {
			out = append(out, rec)
		}
	}
	if len(out) != 1 {
		t.Fatalf("server saw %d requests for %q, want 1", len(out), name)
	}
	return out[0]
}

// TestCallCookieAsTheJarSends: a call's cookie goes on the wire as the jar
// sends back the same pair set by a server, and Builder.Cookie accepts
// what the jar keeps: SetCookie's strict check is not the call's.
func TestCallCookieAsTheJarSends(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	pairs := map[string][2]string{
		"double-quoted": {"q", `"x"`},
		"JSON":          {"j", `{"a":1}`},
		"backslash":     {"b", `x\y`},
		"UTF-8 value":   {"u", "été"},
		"bracket name":  {"x[y]", "1"},
		"space in name": {"a b", "1"},
	}
	for name, p := range pairs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := client.New()
			defer s.Close()
			set := srv.URL + "/p?case=" + url.QueryEscape("set "+name) + "&set-cookie=" + url.QueryEscape(p[0]+"="+p[1]+"; Path=/")
			if _, err := s.Get(set).Do(context.Background()); err != nil {
				t.Fatal(err)
			}
			fromJar, err := s.Get(srv.URL + "/get?case=" + url.QueryEscape("jar "+name)).Do(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			other := client.New()
			defer other.Close()
			fromCall, err := other.Get(srv.URL+"/get?case="+url.QueryEscape("call "+name)).Cookie(p[0], p[1]).Do(context.Background())
			if err != nil {
				t.Fatalf("Cookie(%q, %q): %v", p[0], p[1], err)
			}
			want := received(t, srv, "jar "+name).Header.Values("Cookie")
			if len(want) != 1 {
				t.Fatalf("the jar sent %q, want one Cookie header", want)
			}
			if diff := cmp.Diff(want, received(t, srv, "call "+name).Header.Values("Cookie")); diff != "" {
				t.Errorf("call cookie against jar cookie on the wire (-jar +call):\n%s", diff)
			}
			if diff := cmp.Diff(fromJar.Request().Header.Get("Cookie"), fromCall.Request().Header.Get("Cookie")); diff != "" {
				t.Errorf("Request().Header Cookie (-jar +call):\n%s", diff)
			}
		})
	}
}

// TestCallCookieRefused: a pair that would not arrive as one cookie is an
// ErrInvalidCookie error naming the fault, and nothing is sent. The value,
// which may be a secret, is not in the message.
func TestCallCookieRefused(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	tests := map[string]struct {
		name, value string
		why         string
	}{
		"empty name":          {"", "v", "empty name"},
		"= in name":           {"a=b", "v", `a ";" or "=" in the name would end it`},
		"; in name":           {"a;b", "v", `a ";" or "=" in the name would end it`},
		"CR LF in name":       {"a\r\nX-Injected: 1", "v", "a control byte in the name"},
		"tab in name":         {"a\tb", "v", "a control byte in the name"},
		"DEL in name":         {"a\x7f", "v", "a control byte in the name"},
		"space before name":   {" a", "v", "white space at an end of the name"},
		"space after name":    {"a ", "v", "white space at an end of the name"},
		"; in value":          {"a", "secret;b=2", `a ";" in the value would end it`},
		"CR LF in value":      {"a", "secret\r\nX-Injected: 1", "a control byte (CR, LF, NUL, ...) in the value"},
		"NUL in value":        {"a", "secret\x00", "a control byte (CR, LF, NUL, ...) in the value"},
		"tab in value":        {"a", "sec\tret", "a control byte (CR, LF, NUL, ...) in the value"},
		"DEL in value":        {"a", "secret\x7f", "a control byte (CR, LF, NUL, ...) in the value"},
		"quoted with ; in it": {"a", `"secret;x"`, `a ";" in the value would end it`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			u := srv.URL + "/get?case=" + url.QueryEscape(name)
			r, err := request.Get(u).Cookie(tc.name, tc.value).Do(context.Background())
			if !errors.Is(err, request.ErrInvalidCookie) || r != nil {
				t.Fatalf("Do = %v, %v; want nil, ErrInvalidCookie", r, err)
			}
			if !strings.Contains(err.Error(), tc.why) {
				t.Errorf("error %q does not say %q", err, tc.why)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error %q shows the value", err)
			}
			if _, err := request.Get(u).Cookie(tc.name, tc.value).Prepare(context.Background()); !errors.Is(err, request.ErrInvalidCookie) {
				t.Errorf("Prepare error = %v, want ErrInvalidCookie", err)
			}
		})
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("server saw %d requests, want none", n)
	}
}
