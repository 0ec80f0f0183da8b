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
