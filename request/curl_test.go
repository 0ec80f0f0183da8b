package request_test

import (
	"context"
	"net/url"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// TestCurlCommand runs the command line CurlCommand gives through real
// curl and checks that the recording server saw the same request as from
// Do.
func TestCurlCommand(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed:", err)
	}
	t.Parallel()
	srv := testserver.New(t)
	s := client.New().SetBasicAuth("u", "p w").SetCookie("c", "v 1").SetParam("s", "1")
	t.Cleanup(func() { _ = s.Close() })
	tests := map[string]request.Builder{
		"GET":                                    s.Get(srv.URL+"/get").Param("q", "a b&c"),
		"odd path":                               s.Get(srv.URL + "/a/%zz/./b/x[1]"),
		"POST JSON":                              s.Post(srv.URL + "/post").JSON(map[string]string{"k": "it's \"quoted\"\n$HOME"}),
		"PUT binary":                             s.Put(srv.URL+"/put").BodyBytes([]byte("\x00\x01'\"\\\n\xff")).Header("Content-Type", "application/octet-stream"),
		"headers":                                s.Get(srv.URL+"/get").Header("X-Many", "a", "b").Header("X-Quote", `it's "x" é`).DelHeader("User-Agent"),
		"explicit Host":                          s.Get(srv.URL+"/get").Header("Host", "vhost.example"),
		"DELETE, no body":                        s.Delete(srv.URL + "/delete"),
		"POST, no body":                          s.Post(srv.URL + "/post"),
		"POST form":                              s.Post(srv.URL + "/post").Form(url.Values{"a": {"1"}}),
		"DELETE, the caller's Content-Length: 0": s.Delete(srv.URL+"/delete").Header("Content-Length", "0"),
	}
	for name, b := range tests {
		t.Run(name, func(t *testing.T) {
			cmd, err := b.CurlCommand(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			// Prepare's header holds the body's Content-Length, which curl
			// writes from the data it is given: never a -H of its own.
			if strings.Contains(cmd, "Content-Length") || strings.Contains(cmd, "Transfer-Encoding") {
				t.Errorf("the command passes a framing header: %s", cmd)
			}
			srv.Reset()
			if _, err := b.NoRedirects().Do(context.Background()); err != nil {
				t.Fatal(err)
			}
			fromDo := last(t, srv)
			srv.Reset()
			if out, err := exec.Command("/bin/sh", "-c", cmd+" -s -o /dev/null").CombinedOutput(); err != nil {
				t.Fatalf("curl: %v\n%s\n%s", err, cmd, out)
			}
			fromCurl := last(t, srv)
			if diff := cmp.Diff(fromDo, fromCurl); diff != "" {
				t.Errorf("curl sent something else (-Do +curl):\n%s\ncommand: %s", diff, cmd)
			}
		})
	}
}
