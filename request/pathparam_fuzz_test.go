package request_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tether-http/tether/request"
)

// FuzzPathParam: whatever the value, PathParam either fails with a typed
// error or fills each placeholder with the value whole, within its own
// path segment: the path as sent, unescaped, is the template with the
// value in place of each placeholder, and no segment of it is "." or "..".
func FuzzPathParam(f *testing.F) {
	for _, seed := range [][2]string{
		{"/users/{id}/repos", "a/b"}, {"/{id}", ".."}, {"/a/{id}{id}", "."}, {"x/{id}", "a&b=c"},
		{"/{id}/z", "%2F"}, {"/{id}", "é x"}, {"{id}", "#?"}, {"{id}", "./.."}, {"{id}/{id}", "\x00\xff"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, tmpl, value string) {
		// Templates of plain path text and placeholders only: the
		// template's own dots, escapes and query are not PathParam's.
		if !strings.Contains(tmpl, "{id}") || strings.ContainsAny(strings.ReplaceAll(tmpl, "{id}", ""), "%.{}?#\\") {
			return
		}
		req, err := request.Get("http://example.test/"+tmpl).PathParam("id", value).Prepare(context.Background())
		if err != nil {
			if !errors.Is(err, request.ErrInvalidOption) && !errors.Is(err, request.ErrInvalidURL) {
				t.Fatalf("PathParam(%q) in %q: untyped error %v", value, tmpl, err)
			}
			return
		}
		for _, seg := range strings.Split(req.URL.EscapedPath(), "/") {
			if seg == "." || seg == ".." {
				t.Fatalf("PathParam(%q) in %q: a dot segment in %q", value, tmpl, req.URL.EscapedPath())
			}
		}
		if want := "/" + strings.ReplaceAll(tmpl, "{id}", value); req.URL.Path != want {
			t.Fatalf("PathParam(%q) in %q: path %q (sent %q), want %q", value, tmpl, req.URL.Path, req.URL.EscapedPath(), want)
		}
	})
}
