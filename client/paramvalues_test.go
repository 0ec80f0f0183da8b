package client_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// TestParamValues: url.Values set every value of each key, on the session
// and for one call, as requests' params={'a': ['1', '2']} does, and what
// the server receives is the query in requests' order.
func TestParamValues(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	tests := []struct {
		name    string
		session func(*client.Session)
		call    func(request.Builder) request.Builder
		want    string
	}{
		{
			name: "call: several values, keys sorted",
			call: func(b request.Builder) request.Builder {
				return b.ParamValues(url.Values{"b": {"3"}, "a": {"1", "2"}})
			},
			want: "a=1&a=2&b=3",
		},
		{
			name:    "session: several values",
			session: func(s *client.Session) { s.SetParamValues(url.Values{"a": {"1", "2"}, "b": {"x"}}) },
			want:    "a=1&a=2&b=x",
		},
		{
			name:    "the call's values replace the session's for that key",
			session: func(s *client.Session) { s.SetParamValues(url.Values{"a": {"1"}, "b": {"x"}}) },
			call: func(b request.Builder) request.Builder {
				return b.ParamValues(url.Values{"b": {"y", "z"}})
			},
			want: "a=1&b=y&b=z",
		},
		{
			name:    "no values send nothing for the key",
			session: func(s *client.Session) { s.SetParamValues(url.Values{"a": {}, "b": {"x"}}) },
			call: func(b request.Builder) request.Builder {
				return b.ParamValues(url.Values{"b": nil, "c": {"1"}})
			},
			want: "c=1",
		},
		{
			name: "nil and empty Values change nothing",
			call: func(b request.Builder) request.Builder {
				return b.Param("a", "1").ParamValues(nil).ParamValues(url.Values{})
			},
			want: "a=1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := client.New()
			defer s.Close()
			if tt.session != nil {
				tt.session(s)
			}
			b := s.Get(srv.URL + "/echo/" + url.PathEscape(tt.name))
			if tt.call != nil {
				b = tt.call(b)
			}
			if _, err := b.Do(context.Background()); err != nil {
				t.Fatal(err)
			}
			got := "(not received)"
			for _, rec := range srv.Requests() {
				if rec.Path == "/echo/"+tt.name {
					got = rec.RawQuery
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("query the server received (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParamValuesAreCopied: changing the url.Values after the call does
// not change the session or the builder.
func TestParamValuesAreCopied(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	sv := url.Values{"a": {"1", "2"}}
	bv := url.Values{"b": {"3", "4"}}
	s := client.New().SetParamValues(sv)
	defer s.Close()
	b := s.Get(srv.URL + "/get").ParamValues(bv)
	sv["a"][0], bv["b"][0] = "changed", "changed"
	sv.Set("z", "new")
	if _, err := b.Do(context.Background()); err != nil {
		t.Fatal(err)
	}
	rec, _ := srv.Last()
	if diff := cmp.Diff("a=1&a=2&b=3&b=4", rec.RawQuery); diff != "" {
		t.Errorf("query the server received (-want +got):\n%s", diff)
	}
}
