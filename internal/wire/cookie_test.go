package wire

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCookie(t *testing.T) {
	tests := map[string]struct {
		pairs [][3]string // name, value, "q" when quoted
		want  string
	}{
		"one plain":       {[][3]string{{"a", "1", ""}}, "a=1"},
		"one quoted":      {[][3]string{{"a", "x y", "q"}}, `a="x y"`},
		"empty quoted":    {[][3]string{{"a", "", "q"}}, `a=""`},
		"pairs separated": {[][3]string{{"a", "1", ""}, {"b", "2", "q"}, {"c", "", ""}}, `a=1; b="2"; c=`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var sb strings.Builder
			var joined []string
			for _, p := range tc.pairs {
				WriteCookie(&sb, p[0], p[1], p[2] == "q")
				joined = append(joined, p[0]+"="+CookieValue(p[1], p[2] == "q"))
			}
			if diff := cmp.Diff(tc.want, sb.String()); diff != "" {
				t.Errorf("WriteCookie (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.want, strings.Join(joined, "; ")); diff != "" {
				t.Errorf("CookieValue (-want +got):\n%s", diff)
			}
		})
	}
}

// TestServerCookie: the names and values a server may set that are kept
// and sent back as they came (the jar's rule, and Builder.Cookie's).
func TestServerCookie(t *testing.T) {
	names := map[string]struct {
		name string
		want bool
	}{
		"token":           {"a", true},
		"brackets":        {"x[y]", true},
		"inner space":     {"a b", true},
		"UTF-8":           {"é", true},
		"empty":           {"", false},
		"=":               {"a=b", false},
		";":               {"a;b", false},
		"tab":             {"a\tb", false},
		"DEL":             {"a\x7f", false},
		"leading space":   {" a", false},
		"trailing tab":    {"a\t", false},
		"CR LF injection": {"a\r\nX: 1", false},
	}
	for name, tc := range names {
		t.Run("name "+name, func(t *testing.T) {
			if got := ServerCookieName(tc.name); got != tc.want {
				t.Errorf("ServerCookieName(%q) = %t, want %t", tc.name, got, tc.want)
			}
		})
	}
	values := map[string]struct {
		value string
		want  bool
	}{
		"plain":      {"1", true},
		"empty":      {"", true},
		"quoted":     {`"x"`, true},
		"JSON":       {`{"a":1}`, true},
		"backslash":  {`a\b`, true},
		"UTF-8":      {"été", true},
		"spaces":     {" a b ", true},
		"=":          {"a=b", true},
		";":          {"a;b", false},
		"NUL":        {"a\x00", false},
		"tab":        {"a\tb", false},
		"line break": {"a\nb", false},
		"DEL":        {"\x7f", false},
	}
	for name, tc := range values {
		t.Run("value "+name, func(t *testing.T) {
			if got := ServerCookieValue(tc.value); got != tc.want {
				t.Errorf("ServerCookieValue(%q) = %t, want %t", tc.value, got, tc.want)
			}
		})
	}
}
