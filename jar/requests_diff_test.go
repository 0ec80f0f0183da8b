package jar_test

import (
	"bytes"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/jar"
)

// TestRequestsJarDifferences asserts the README rows where the jar differs
// from RequestsCookieJar and MozillaCookieJar, each with requests' answer.
func TestRequestsJarDifferences(t *testing.T) {
	mustSet := func(t *testing.T, j *jar.Jar, name, value string, opts ...jar.CookieOption) {
		t.Helper()
		if err := j.Set(name, value, opts...); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("Clear and Delete count, never KeyError", func(t *testing.T) {
		// requests: jar.clear('other.org') and jar.clear(d, '/', 'zz')
		// raise KeyError when nothing matches.
		j := jar.New()
		mustSet(t, j, "a", "1", jar.Domain("example.com"))
		got := []int{j.Clear(jar.Domain("other.org")), j.Delete("zz", jar.Domain("example.com"), jar.Path("/"))}
		if diff := cmp.Diff([]int{0, 0}, got); diff != "" {
			t.Errorf("removed (-want +got):\n%s", diff)
		}
	})
	t.Run("Clear by path alone clears every domain", func(t *testing.T) {
		// requests: jar.clear(None, '/') raises ValueError.
		j := jar.New()
		mustSet(t, j, "a", "1", jar.Domain("example.com"))
		mustSet(t, j, "b", "2", jar.Domain("other.org"))
		mustSet(t, j, "c", "3", jar.Domain("other.org"), jar.Path("/x"))
		if n := j.Clear(jar.Path("/")); n != 2 {
			t.Errorf("Clear(Path(/)) removed %d, want 2", n)
		}
		if diff := cmp.Diff(map[string]string{"c": "3"}, j.Map()); diff != "" {
			t.Errorf("left (-want +got):\n%s", diff)
		}
	})
	t.Run("a past Expires deletes at once", func(t *testing.T) {
		// requests keeps listing the expired cookie until the next request.
		j := jar.New()
		mustSet(t, j, "a", "1")
		mustSet(t, j, "a", "2", jar.Expires(time.Unix(1e9, 0)))
		if _, err := j.Get("a"); err == nil {
			t.Errorf("Get found a cookie set with a past Expires")
		}
	})
	t.Run("Save writes curl's session and session-wide lines", func(t *testing.T) {
		// Python writes an empty expires field and an empty domain.
		j := jar.New()
		mustSet(t, j, "wide", "1")
		mustSet(t, j, "sess", "2", jar.Domain("example.com"))
		var buf bytes.Buffer
		if err := j.Save(&buf, jar.WithSessionCookies()); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, line := range strings.Split(buf.String(), "\n") {
			if line != "" && !strings.HasPrefix(line, "# ") && line != "#" {
				got = append(got, line)
			}
		}
		want := []string{
			"#SessionWide_\tFALSE\t/\tFALSE\t0\twide\t1",
			".example.com\tTRUE\t/\tFALSE\t0\tsess\t2",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
	})
	t.Run("Load reads FALSE as host-only", func(t *testing.T) {
		// http.cookiejar still sends a cookie whose domain has no dot to
		// subdomains.
		j := jar.New()
		if err := j.Load(strings.NewReader("example.com\tFALSE\t/\tFALSE\t0\ta\t1\n")); err != nil {
			t.Fatal(err)
		}
		sub, _ := url.Parse("http://sub.example.com/")
		host, _ := url.Parse("http://example.com/")
		got := []int{len(j.Cookies(host)), len(j.Cookies(sub))}
		if diff := cmp.Diff([]int{1, 0}, got); diff != "" {
			t.Errorf("cookies sent to example.com, sub.example.com (-want +got):\n%s", diff)
		}
	})
}
