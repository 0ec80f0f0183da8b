package request_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// TestAuthResult: an Auth that leaves the request without a header or a
// URL is an ErrAuth error and nothing is sent, also when the call would
// follow a redirect that sets a cookie (which once panicked writing the
// cookie into the nil header).
func TestAuthResult(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		auth request.AuthFunc
		want error
	}{
		"header kept":    {auth: func(r *http.Request) error { r.Header.Set("X-Signed", "1"); return nil }},
		"nil header":     {auth: func(r *http.Request) error { r.Header = nil; return nil }, want: request.ErrAuth},
		"nil URL":        {auth: func(r *http.Request) error { r.URL = nil; return nil }, want: request.ErrAuth},
		"header emptied": {auth: func(r *http.Request) error { r.Header = http.Header{}; return nil }},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testserver.New(t)
			s := client.New()
			defer s.Close()
			resp, err := s.Get(srv.URL + "/cookies/set/a/1").Auth(tc.auth).Do(context.Background())
			switch {
			case tc.want == nil && (err != nil || resp.StatusCode() != http.StatusOK):
				t.Errorf("Do: %v %v", resp, err)
			case !errors.Is(err, tc.want):
				t.Errorf("Do error = %v, want %v", err, tc.want)
			}
			wantSent := 2 // the redirect and /cookies
			if tc.want != nil {
				wantSent = 0
			}
			if diff := cmp.Diff(wantSent, len(srv.Requests())); diff != "" {
				t.Errorf("requests the server got (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCurlCommandErrors: a request curl cannot send as Go does is an
// ErrInvalidOption error, not an untyped one.
func TestCurlCommandErrors(t *testing.T) {
	t.Parallel()
	s := client.New()
	defer s.Close()
	const u = "http://example.com/x"
	tests := map[string]struct {
		b    request.Builder
		want error
	}{
		"GET":            {b: s.Get(u)},
		"HEAD with body": {b: s.Head(u).BodyBytes([]byte("x")), want: request.ErrInvalidOption},
		"CONNECT":        {b: s.Request("CONNECT", u), want: request.ErrInvalidOption},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cmd, err := tc.b.CurlCommand(context.Background())
			switch {
			case tc.want == nil && (err != nil || cmd == ""):
				t.Errorf("CurlCommand = %q, %v", cmd, err)
			case !errors.Is(err, tc.want):
				t.Errorf("CurlCommand error = %v, want %v", err, tc.want)
			}
		})
	}
}

// TestJSONErrors: a body that is not the JSON expected is an ErrJSON error
// (requests' JSONDecodeError), with encoding/json's error wrapped; a body
// that cannot be read is not.
func TestJSONErrors(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, r.URL.Query().Get("body"))
	}))
	t.Cleanup(srv.Close)
	tests := map[string]struct {
		body    string
		into    any
		wantErr error
		wantAs  any // a pointer to an error type the error must also be
	}{
		"object":          {body: `{"a":1}`, into: new(map[string]int)},
		"not JSON":        {body: `{"a":`, into: new(any), wantErr: request.ErrJSON, wantAs: new(*json.SyntaxError)},
		"empty body":      {body: ``, into: new(any), wantErr: request.ErrJSON, wantAs: new(*json.SyntaxError)},
		"wrong type":      {body: `{"a":"x"}`, into: new(map[string]int), wantErr: request.ErrJSON, wantAs: new(*json.UnmarshalTypeError)},
		"UTF-8 BOM first": {body: "\ufeff{}", into: new(any), wantErr: request.ErrJSON},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r, err := request.Get(srv.URL).Param("body", tc.body).Do(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			err = r.JSON(tc.into)
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Fatalf("JSON = %v, want %v", err, tc.wantErr)
			}
			if tc.wantAs != nil && !errors.As(err, tc.wantAs) {
				t.Errorf("JSON = %v, want it to be a %T too", err, tc.wantAs)
			}
		})
	}
}

// TestErrorTypesWithoutResponse: the error types that carry a Response
// describe themselves without one, as a test that builds them may leave it.
func TestErrorTypesWithoutResponse(t *testing.T) {
	t.Parallel()
	for name, err := range map[string]error{
		"StatusError":   &request.StatusError{},
		"RedirectError": &request.RedirectError{Max: 3},
		"LocationError": &request.LocationError{Location: "http://[::1", Err: request.ErrInvalidURL},
	} {
		if msg := err.Error(); msg == "" {
			t.Errorf("%s: empty message", name)
		}
	}
}

// TestCheckRetry: a Retry that can never retry what it names (a status no
// response has, a method no request has) or has a negative field is an
// ErrInvalidOption error, from CheckRetry and from Do, which sends nothing.
func TestCheckRetry(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		r    request.Retry
		want error
	}{
		"defaults":           {r: request.Retry{Attempts: 3}},
		"statuses and verbs": {r: request.Retry{Attempts: 3, Statuses: []int{100, 500, 999}, Methods: []string{"POST", "PROPFIND"}}},
		"negative attempts":  {r: request.Retry{Attempts: -1}, want: request.ErrInvalidOption},
		"negative status":    {r: request.Retry{Attempts: 3, Statuses: []int{-1}}, want: request.ErrInvalidOption},
		"four-digit status":  {r: request.Retry{Attempts: 3, Statuses: []int{1000}}, want: request.ErrInvalidOption},
		"method with space":  {r: request.Retry{Attempts: 3, Methods: []string{"G T"}}, want: request.ErrInvalidOption},
		"empty method":       {r: request.Retry{Attempts: 3, Methods: []string{""}}, want: request.ErrInvalidOption},
	}
	srv := testserver.New(t)
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if err := request.CheckRetry(tc.r); !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Errorf("CheckRetry = %v, want %v", err, tc.want)
			}
			before := len(srv.Requests())
			_, err := request.Get(srv.URL + "/get").Retry(tc.r).Do(context.Background())
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Errorf("Do = %v, want %v", err, tc.want)
			}
			if sent := len(srv.Requests()) - before; tc.want != nil && sent != 0 {
				t.Errorf("%d requests sent, want none", sent)
			}
		})
	}
}
