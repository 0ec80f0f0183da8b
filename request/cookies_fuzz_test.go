package request

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tether-http/tether/internal/wire"
	"github.com/tether-http/tether/jar"
)

// FuzzSetCookieLines: whatever a server sends as Set-Cookie, reading it
// never panics, every cookie has a name that can go back as it came (no
// control byte, ";" or "="), and what the jar keeps can go back in a
// Cookie header (no control byte, no ";").
func FuzzSetCookieLines(f *testing.F) {
	for _, s := range []string{"a=1", "x[y]=1; Path=/", "a b=2", `j={"a":1}; Path=/`, "k=a\\b", "u=été", "sp= v ; Max-Age=0", "=x", "a", "a=\"x\"y\"", "a=b; Expires=Thu, 1 Jan 1970 00:00:01 GMT"} {
		f.Add(s)
	}
	u, _ := url.Parse("http://h.test/a/b")
	f.Fuzz(func(t *testing.T, line string) {
		cks := setCookies(http.Header{"Set-Cookie": {line}})
		for _, c := range cks {
			if !wire.ServerCookieName(c.Name) {
				t.Fatalf("cookie with an invalid name %q from %q", c.Name, line)
			}
		}
		j := jar.New()
		j.SetCookies(u, cks)
		for _, c := range j.All() {
			if strings.ContainsAny(c.Value, ";\r\n\x00") || !wire.ServerCookieName(c.Name) {
				t.Fatalf("the jar kept %q from %q", c.Value, line)
			}
		}
	})
}
