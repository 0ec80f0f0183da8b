package urls

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"no userinfo":           {"http://h/p?q#f", "http://h/p?q#f"},
		"user and password":     {"http://u:p@h/p", "http://h/p"},
		"token as the user":     {"https://tok@h/", "https://h/"},
		"slash in the password": {"http://u:p/w@h/", "http://***@h/"},
		"@ in the query only":   {"http://h/p?e=a@b", "http://***@b"},
		"scheme-relative":       {"//u:p@h/", "//h/"},
		"no scheme":             {"u:p@h/", "h/"},
		"not a URL at all":      {"::", "::"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := Redact(tc.in); got != tc.want {
				t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// FuzzRedact: whatever surrounds it, a password never survives Redact.
func FuzzRedact(f *testing.F) {
	f.Add("http", "user", "pw", "h/p")
	f.Add("http", "u", "a/b?c#d", "h:99999/x@y")
	f.Add("", "", "", "")
	f.Fuzz(func(t *testing.T, scheme, user, pass, rest string) {
		if strings.Contains(rest, "SECRET") || strings.Contains(scheme, "SECRET") {
			return
		}
		for _, raw := range []string{
			scheme + "://" + user + ":SECRET" + pass + "@" + rest,
			"//" + user + ":SECRET" + pass + "@" + rest,
			user + ":SECRET" + pass + "@" + rest,
		} {
			if got := Redact(raw); strings.Contains(got, "SECRET") {
				t.Fatalf("Redact(%q) = %q", raw, got)
			}
		}
	})
}
