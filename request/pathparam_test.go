package request_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// TestPathParam checks the request target PathParam and PathParams put on
// the wire: each value escaped as one path segment, every occurrence
// filled, the last value of a name kept, placeholders no value fills sent
// as requests sends braces, and an empty name refused before anything is
// sent.
func TestPathParam(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		url     string // after the server's URL, or relative to base "/echo" when base is set
		base    bool
		fill    func(request.Builder) request.Builder
		want    string // the request target as sent
		wantErr error
	}{
		"a slash stays in its segment": {
			url:  "/echo/users/{id}/repos",
			fill: func(b request.Builder) request.Builder { return b.PathParam("id", "a/b") },
			want: "/echo/users/a%2Fb/repos",
		},
		"space, non-ASCII, percent and query characters are escaped": {
			url:  "/echo/{id}",
			fill: func(b request.Builder) request.Builder { return b.PathParam("id", "é x%?#&") },
			want: "/echo/%C3%A9%20x%25%3F%23&",
		},
		"every occurrence is filled": {
			url:  "/echo/{a}/x/{a}",
			fill: func(b request.Builder) request.Builder { return b.PathParam("a", "1") },
			want: "/echo/1/x/1",
		},
		"the last value of a name wins": {
			url: "/echo/{id}",
			fill: func(b request.Builder) request.Builder {
				return b.PathParams(map[string]string{"id": "1"}).PathParam("id", "2")
			},
			want: "/echo/2",
		},
		"PathParams, relative to the base URL": {
			url:  "orgs/{org}/repos/{repo}",
			base: true,
			fill: func(b request.Builder) request.Builder {
				return b.PathParams(map[string]string{"org": "go", "repo": "x/y"})
			},
			want: "/echo/orgs/go/repos/x%2Fy",
		},
		"a placeholder left unfilled is sent as requests sends braces": {
			url:  "/echo/{id}/{other}",
			fill: func(b request.Builder) request.Builder { return b.PathParam("other", "o").PathParam("unused", "u") },
			want: "/echo/%7Bid%7D/o",
		},
		"a value cannot make a placeholder": {
			url: "/echo/{a}/{b}",
			fill: func(b request.Builder) request.Builder {
				return b.PathParam("a", "{b}").PathParam("b", "2")
			},
			want: "/echo/%7Bb%7D/2",
		},
		"a placeholder in the query is filled too": {
			url:  "/echo?q={q}&r=1",
			fill: func(b request.Builder) request.Builder { return b.PathParam("q", "a b") },
			want: "/echo?q=a%20b&r=1",
		},
		"a query value cannot add a parameter": {
			url: "/echo?q={q}&r={r}#{f}",
			fill: func(b request.Builder) request.Builder {
				return b.PathParams(map[string]string{"q": "a&admin=1+2", "r": "x/y?", "f": "s t"})
			},
			want: "/echo?q=a%26admin%3D1%2B2&r=x%2Fy%3F",
		},
		"a value of .. cannot leave its segment": {
			url:     "/echo/users/{id}/repos",
			fill:    func(b request.Builder) request.Builder { return b.PathParam("id", "..") },
			wantErr: request.ErrInvalidOption,
		},
		"a value of . cannot leave its segment": {
			url:     "/echo/users/{id}/repos",
			fill:    func(b request.Builder) request.Builder { return b.PathParam("id", ".") },
			wantErr: request.ErrInvalidOption,
		},
		"two values that make .. together": {
			url: "/echo/users/{a}{b}",
			fill: func(b request.Builder) request.Builder {
				return b.PathParams(map[string]string{"a": ".", "b": "."})
			},
			wantErr: request.ErrInvalidOption,
		},
		"a value of .. relative to the base URL": {
			url:     "{id}",
			base:    true,
			fill:    func(b request.Builder) request.Builder { return b.PathParam("id", "..") },
			wantErr: request.ErrInvalidOption,
		},
		"dots within a segment stay": {
			url:  "/echo/{a}/{b}.txt",
			fill: func(b request.Builder) request.Builder { return b.PathParam("a", "..x").PathParam("b", ".") },
			want: "/echo/..x/..txt",
		},
		"a value of .. in the query stays": {
			url:  "/echo?q={q}",
			fill: func(b request.Builder) request.Builder { return b.PathParam("q", "..") },
			want: "/echo?q=..",
		},
		"a colon in the first segment of a relative URL is no scheme": {
			url:  "{id}",
			base: true,
			fill: func(b request.Builder) request.Builder { return b.PathParam("id", "a:b") },
			want: "/echo/a%3Ab",
		},
		"a value cannot make the relative URL absolute": {
			url:  "{id}/repos",
			base: true,
			fill: func(b request.Builder) request.Builder { return b.PathParam("id", "http:evil.example") },
			want: "/echo/http%3Aevil.example/repos",
		},
		"two values cannot make a scheme together": {
			url:  "{a}{b}",
			base: true,
			fill: func(b request.Builder) request.Builder {
				return b.PathParams(map[string]string{"a": "mailto", "b": ":x"})
			},
			want: "/echo/mailto%3Ax",
		},
		"a colon after the first segment stays": {
			url:  "x/{id}",
			base: true,
			fill: func(b request.Builder) request.Builder { return b.PathParam("id", "a:b") },
			want: "/echo/x/a:b",
		},
		"an empty name": {
			url:     "/echo/{}",
			fill:    func(b request.Builder) request.Builder { return b.PathParam("", "x") },
			wantErr: request.ErrInvalidOption,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testserver.New(t)
			s := client.New()
			defer s.Close()
			raw := srv.URL + tc.url
			if tc.base {
				s.SetBaseURL(srv.URL + "/echo")
				raw = tc.url
			}
			b := tc.fill(s.Get(raw))
			_, err := b.Do(context.Background())
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Errorf("Do error = %v, want %v", err, tc.wantErr)
				}
				if n := len(srv.Requests()); n != 0 {
					t.Errorf("%d requests sent, want 0", n)
				}
				return
			}
			if err != nil {
				t.Fatalf("Do: %v", err)
			}
			if diff := cmp.Diff(tc.want, last(t, srv).RequestURI); diff != "" {
				t.Errorf("request target (-want +got):\n%s", diff)
			}
			if b.URL() != raw {
				t.Errorf("URL() = %q, want the template %q", b.URL(), raw)
			}
		})
	}
}

// TestPathParamTemplate: one template filled differently by builders
// derived from it, concurrently, each sends its own value and the
// template none.
func TestPathParamTemplate(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	tmpl := request.Get(srv.URL+"/echo/items/{id}").Header("X-T", "1")
	ids := []string{"1", "2", "3", "4"}
	got := make([]string, len(ids))
	errs := make(chan error, len(ids))
	done := make(chan struct{})
	for i, id := range ids {
		go func() {
			defer func() { done <- struct{}{} }()
			r, err := tmpl.PathParam("id", id).Do(context.Background())
			if err != nil {
				errs <- err
				return
			}
			got[i] = r.URL().Path
		}()
	}
	for range ids {
		<-done
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	want := []string{"/echo/items/1", "/echo/items/2", "/echo/items/3", "/echo/items/4"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("paths requested (-want +got):\n%s", diff)
	}
	req, err := tmpl.Prepare(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := req.URL.EscapedPath(); got != "/echo/items/%7Bid%7D" {
		t.Errorf("the template's path = %q, want its placeholder unfilled", got)
	}
}

// TestPathParamAuthority: a placeholder in the URL's authority (its host,
// port or userinfo) is filled, but a value holding "@" is refused before
// anything is sent: url.PathEscape keeps "@", so such a value would end
// the userinfo there and name the host itself, e.g. a port value
// "80@other:8080" sending the request, and the template's host as a user
// name, to other:8080.
func TestPathParamAuthority(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		url     func(hostA, portA string) string
		name    string
		value   func(hostB string) string
		wantA   int // requests that server A, the template's, saw
		wantErr error
	}{
		"a port value cannot name another host": {
			url:     func(_, portA string) string { return "http://127.0.0.1:{p}/echo" },
			name:    "p",
			value:   func(hostB string) string { return "1@" + hostB },
			wantErr: request.ErrInvalidOption,
		},
		"a user name value cannot name another host": {
			url:     func(hostA, _ string) string { return "http://{u}@" + hostA + "/echo" },
			name:    "u",
			value:   func(hostB string) string { return "x@" + hostB },
			wantErr: request.ErrInvalidOption,
		},
		"a host value cannot add a user name": {
			url:     func(_, _ string) string { return "http://{h}/echo" },
			name:    "h",
			value:   func(hostB string) string { return "x@" + hostB },
			wantErr: request.ErrInvalidOption,
		},
		"a port value is filled": {
			url:   func(_, portA string) string { return "http://127.0.0.1:{p}/echo" },
			name:  "p",
			value: func(string) string { return "" },
			wantA: 1,
		},
		"an @ in the path stays": {
			url:   func(hostA, _ string) string { return "http://" + hostA + "/echo/{id}" },
			name:  "id",
			value: func(string) string { return "a@b" },
			wantA: 1,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a, b := testserver.New(t), testserver.New(t)
			hostA, hostB := strings.TrimPrefix(a.URL, "http://"), strings.TrimPrefix(b.URL, "http://")
			_, portA, _ := strings.Cut(hostA, ":")
			value := tc.value(hostB)
			if value == "" {
				value = portA
			}
			s := client.New()
			defer s.Close()
			_, err := s.Get(tc.url(hostA, portA)).PathParam(tc.name, value).Do(context.Background())
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) || tc.wantErr == nil && err != nil {
				t.Errorf("Do error = %v, want %v", err, tc.wantErr)
			}
			got := [2]int{len(a.Requests()), len(b.Requests())}
			if diff := cmp.Diff([2]int{tc.wantA, 0}, got); diff != "" {
				t.Errorf("requests seen by the template's server and the other (-want +got):\n%s", diff)
			}
		})
	}
}
