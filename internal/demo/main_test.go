package main

import (
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/tether-http/tether/internal/testserver"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestDemo runs every snippet against the embedded server and checks the
// lines the seed's snippets are about.
func TestDemo(t *testing.T) {
	srv := testserver.New(t)
	var out strings.Builder
	if err := run(&out, srv.URL); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"sessioncookie": "123456789"`,
		"X-Test: [true]", "X-Test2: [true]", "Authorization: [Basic dXNlcjpwYXNz]",
		`"from-my": "browser"`, `"cookies": {}`,
		"map[sessioncookie:123456789]",
		`removed for one request: x-test sent: false, query: ""`,
		`next request: x-test sent: true, query: "page=1"`,
		"cookies: map[theme:dark]",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out.String())
		}
	}
}
