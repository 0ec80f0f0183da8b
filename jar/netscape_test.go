package jar_test

import (
	"errors"
	"flag"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/jar"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/jar")

const goldenDir = "../testdata/jar"

// savedJar holds one cookie of every kind the format distinguishes.
func savedJar(t *testing.T) (*jar.Jar, *fakeClock) {
	t.Helper()
	clock := newClock()
	j := jar.New(jar.WithClock(clock.Now))
	j.SetCookies(mustURL(t, "https://www.example.com/app/page"), parseSetCookies(t,
		"dom=1; Domain=example.com; Path=/; Max-Age=3600",
		"host=2; Max-Age=3600",
		"sec=3; Secure; HttpOnly; Path=/; Max-Age=3600",
		`quoted="a b"; Max-Age=3600`,
		"empty=; Max-Age=3600",
		"session=4",
	))
	j.SetCookies(mustURL(t, "http://127.0.0.1:8080/"), parseSetCookies(t, "ip=5; Max-Age=60; HttpOnly"))
	must(t, j.Set("wide", "6"))
	must(t, j.Set("widehttp", "7", jar.HttpOnly(), jar.Path("/api"), jar.Expires(epoch.Add(24*time.Hour))))
	return j, clock
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		must(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	must(t, err)
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got); rerun with -update if intended:\n%s", path, diff)
	}
}

func TestSaveGolden(t *testing.T) {
	tests := map[string]struct {
		opts []jar.SaveOption
		file string
	}{
		"persistent cookies only": {file: "save.golden.txt"},
		"with session cookies":    {opts: []jar.SaveOption{jar.WithSessionCookies()}, file: "save-session.golden.txt"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			j, _ := savedJar(t)
			var b strings.Builder
			must(t, j.Save(&b, tc.opts...))
			golden(t, tc.file, []byte(b.String()))
		})
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	j, clock := savedJar(t)
	var b strings.Builder
	must(t, j.Save(&b, jar.WithSessionCookies()))

	loaded := jar.New(jar.WithClock(clock.Now))
	must(t, loaded.Load(strings.NewReader(b.String())))
	// Session cookies come back without expiry, persistent ones with the
	// expiry in whole seconds; SameSite is not in the format.
	if diff := cmp.Diff(j.All(), loaded.All()); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
	for _, u := range []string{"https://www.example.com/app/x", "http://example.com/", "http://127.0.0.1/", "https://any.test/api"} {
		if diff := cmp.Diff(header(j.Cookies(mustURL(t, u))), header(loaded.Cookies(mustURL(t, u)))); diff != "" {
			t.Errorf("Cookies(%s) after round trip (-want +got):\n%s", u, diff)
		}
	}
}

// TestServerValuesRoundTrip: values a server set that net/http's parser
// refuses but requests keeps ({"a":1}, a backslash, UTF-8, a quote inside
// quotes) are stored, sent as they came, saved and loaded back.
func TestServerValuesRoundTrip(t *testing.T) {
	clock := newClock()
	j := jar.New(jar.WithClock(clock.Now))
	u := mustURL(t, "http://h.test/")
	values := []*http.Cookie{
		{Name: "j", Value: `{"a":1}`},
		{Name: "k", Value: `a\b`},
		{Name: "u", Value: "été"},
		{Name: "q", Value: `x"y`, Quoted: true},
		{Name: "bad", Value: "a\tb"}, // a control byte: refused
		{Name: "semi", Value: "a;b"}, // would end the pair: refused
	}
	j.SetCookies(u, values)
	var pairs []string
	for _, c := range j.Cookies(u) {
		v := c.Value
		if c.Quoted {
			v = `"` + v + `"`
		}
		pairs = append(pairs, c.Name+"="+v) // as tether's request writes them, not http.Cookie.String
	}
	want := `j={"a":1}; k=a\b; u=été; q="x"y"`
	if diff := cmp.Diff(want, strings.Join(pairs, "; ")); diff != "" {
		t.Fatalf("Cookies (-want +got):\n%s", diff)
	}
	var b strings.Builder
	must(t, j.Save(&b, jar.WithSessionCookies()))
	loaded := jar.New(jar.WithClock(clock.Now))
	must(t, loaded.Load(strings.NewReader(b.String())))
	if diff := cmp.Diff(j.All(), loaded.All()); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
	if err := j.Set("j", `{"a":1}`); !errors.Is(err, jar.ErrInvalidCookie) {
		t.Errorf("Set of a value net/http would rewrite = %v, want ErrInvalidCookie (what is set by hand is what is sent)", err)
	}
}

func TestLoad(t *testing.T) {
	clock := newClock()
	future := "1999999999" // 2033
	tests := map[string]struct {
		file string
		want []jar.Cookie
	}{
		"curl's own output with header, HttpOnly and CRLF": {
			file: "# Netscape HTTP Cookie File\r\n# https://curl.se/docs/http-cookies.html\r\n\r\n" +
				"#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t" + future + "\ta\t1\r\n" +
				".example.com\tTRUE\t/p\tTRUE\t0\tb\t\"q\"\r\n",
			want: []jar.Cookie{
				{Name: "a", Value: "1", Domain: "127.0.0.1", Path: "/", HostOnly: true, HttpOnly: true, Expires: time.Unix(1999999999, 0).UTC(), Created: epoch},
				{Name: "b", Value: "q", Quoted: true, Domain: "example.com", Path: "/p", Secure: true, Created: epoch},
			},
		},
		"six fields mean an empty value, as in curl": {
			file: "h.test\tFALSE\t/\tFALSE\t0\tempty",
			want: []jar.Cookie{{Name: "empty", Domain: "h.test", Path: "/", HostOnly: true, Created: epoch}},
		},
		"expired lines are skipped": {
			file: "h.test\tFALSE\t/\tFALSE\t1000\told\tx\nh.test\tFALSE\t/\tFALSE\t" + future + "\tnew\ty\n",
			want: []jar.Cookie{{Name: "new", Value: "y", Domain: "h.test", Path: "/", HostOnly: true, Expires: time.Unix(1999999999, 0).UTC(), Created: epoch}},
		},
		"comments and blank lines": {
			file: "# c\n\n   \n#Something_else\tFALSE\n",
		},
		"include-subdomains decides, not the dot": {
			file: "h.test\tTRUE\t/\tFALSE\t0\ta\t1\n.g.test\tfalse\t/\tFALSE\t0\tb\t2\n",
			want: []jar.Cookie{
				{Name: "b", Value: "2", Domain: "g.test", Path: "/", HostOnly: true, Created: epoch},
				{Name: "a", Value: "1", Domain: "h.test", Path: "/", Created: epoch},
			},
		},
		"a domain cookie for a public suffix becomes host-only": {
			file: ".co.uk\tTRUE\t/\tFALSE\t0\ta\t1\n",
			want: []jar.Cookie{{Name: "a", Value: "1", Domain: "co.uk", Path: "/", HostOnly: true, Created: epoch}},
		},
		"an empty expires field is a session cookie, as Python's MozillaCookieJar writes it": {
			file: "h.test\tFALSE\t/\tFALSE\t\ts\t1\n",
			want: []jar.Cookie{{Name: "s", Value: "1", Domain: "h.test", Path: "/", HostOnly: true, Created: epoch}},
		},
		"session-wide line": {
			file: "#SessionWide_#HttpOnly_\tFALSE\t/\tTRUE\t0\tw\t1\n",
			want: []jar.Cookie{{Name: "w", Value: "1", Path: "/", SessionWide: true, Secure: true, HttpOnly: true, Created: epoch}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			j := jar.New(jar.WithClock(clock.Now))
			must(t, j.Load(strings.NewReader(tc.file)))
			if diff := cmp.Diff(tc.want, j.All()); diff != "" {
				t.Errorf("All mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	good := "h.test\tFALSE\t/\tFALSE\t0\tok\t1\n"
	tests := map[string]struct {
		file      string
		wantLines []int
		wantMsg   string
	}{
		"too few fields":         {good + "h.test\tFALSE\t/\n", []int{2}, "want 7 tab-separated fields, got 3"},
		"too many fields":        {good + good[:len(good)-1] + "\textra\n", []int{2}, "got 8"},
		"spaces instead of tabs": {"# x\n" + strings.ReplaceAll(good, "\t", " "), []int{2}, "got 1"},
		"bad flag":               {"h.test\tYES\t/\tFALSE\t0\ta\t1\n", []int{1}, "include-subdomains"},
		"bad secure":             {"h.test\tFALSE\t/\t1\t0\ta\t1\n", []int{1}, "secure"},
		"bad expires":            {"h.test\tFALSE\t/\tFALSE\tsoon\ta\t1\n", []int{1}, "not a Unix time"},
		"negative expires":       {"h.test\tFALSE\t/\tFALSE\t-1\ta\t1\n", []int{1}, "not a Unix time"},
		"blank expires":          {"h.test\tFALSE\t/\tFALSE\t \ta\t1\n", []int{1}, "not a Unix time"},
		"bad name":               {"h.test\tFALSE\t/\tFALSE\t0\ta;b\t1\n", []int{1}, "bad name"},
		"bad value":              {"h.test\tFALSE\t/\tFALSE\t0\ta\tx;y\n", []int{1}, "bad value"},
		"bad domain":             {"h x.test\tFALSE\t/\tFALSE\t0\ta\t1\n", []int{1}, "bad domain"},
		"empty domain, TRUE":     {"\tTRUE\t/\tFALSE\t0\ta\t1\n", []int{1}, "empty domain"},
		"only a dot":             {".\tFALSE\t/\tFALSE\t0\ta\t1\n", []int{1}, "empty domain"},
		"relative path":          {"h.test\tFALSE\tp\tFALSE\t0\ta\t1\n", []int{1}, "bad path"},
		"session-wide with a domain": {
			"#SessionWide_h.test\tFALSE\t/\tFALSE\t0\ta\t1\n", []int{1}, "session-wide",
		},
		"every bad line is named": {
			good + "x\n" + good + "y\n\nz\n", []int{2, 4, 6}, "line 2",
		},
		"at most ten errors": {
			strings.Repeat("bad\n", 12), []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, "line 10",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			j := jar.New()
			must(t, j.Set("pre", "existing"))
			before := j.All()
			err := j.Load(strings.NewReader(tc.file))
			if !errors.Is(err, jar.ErrSyntax) {
				t.Fatalf("Load error = %v, want ErrSyntax", err)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("Load error %q does not contain %q", err, tc.wantMsg)
			}
			var lines []int
			for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
				var se *jar.SyntaxError
				if errors.As(e, &se) {
					lines = append(lines, se.Line)
				}
			}
			if diff := cmp.Diff(tc.wantLines, lines); diff != "" {
				t.Errorf("error lines mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, j.All()); diff != "" {
				t.Errorf("a failed Load changed the jar (-want +got):\n%s", diff)
			}
		})
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestSaveWriteError(t *testing.T) {
	j := jar.New()
	err := j.Save(failWriter{})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Save error = %v, want disk full", err)
	}
}

func TestSaveFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "cookies.txt")
	must(t, os.WriteFile(name, []byte("old contents\n"), 0o644))

	j, clock := savedJar(t)
	must(t, j.SaveFile(name, jar.WithSessionCookies()))

	info, err := os.Stat(name)
	must(t, err)
	if got := info.Mode().Perm(); got != 0o600 {
		t.Errorf("mode = %v, want 0600", got)
	}
	entries, err := os.ReadDir(dir)
	must(t, err)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only cookies.txt (no temp files left)", len(entries))
	}

	loaded := jar.New(jar.WithClock(clock.Now))
	must(t, loaded.LoadFile(name))
	if diff := cmp.Diff(j.All(), loaded.All()); diff != "" {
		t.Errorf("LoadFile mismatch (-want +got):\n%s", diff)
	}
}

func TestSaveFileErrors(t *testing.T) {
	dir := t.TempDir()
	j := jar.New()
	if err := j.SaveFile(filepath.Join(dir, "missing", "cookies.txt")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("SaveFile into a missing directory: error = %v, want ErrNotExist", err)
	}
	if err := j.LoadFile(filepath.Join(dir, "none.txt")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadFile of a missing file: error = %v, want ErrNotExist", err)
	}
	bad := filepath.Join(dir, "bad.txt")
	must(t, os.WriteFile(bad, []byte("\n\nbad line\n"), 0o600))
	err := j.LoadFile(bad)
	var se *jar.SyntaxError
	if !errors.As(err, &se) || se.File != bad || se.Line != 3 {
		t.Fatalf("LoadFile error = %v, want a SyntaxError at %s line 3", err, bad)
	}
	if !strings.HasPrefix(err.Error(), "jar: "+bad+" line 3: ") {
		t.Errorf("error %q does not name the file and line", err)
	}
	// A save that fails leaves the old file alone.
	target := filepath.Join(dir, "keep.txt")
	must(t, os.WriteFile(target, []byte("keep\n"), 0o600))
	must(t, os.Mkdir(filepath.Join(dir, "sub"), 0o700))
	if err := j.SaveFile(filepath.Join(dir, "sub")); err == nil {
		t.Errorf("SaveFile over a directory succeeded")
	}
	if got, _ := os.ReadFile(target); string(got) != "keep\n" {
		t.Errorf("unrelated file changed: %q", got)
	}
	entries, err := os.ReadDir(dir)
	must(t, err)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temp file %s left behind", e.Name())
		}
	}
}

// TestLoadCurlFixture loads a file that curl 7.88.1 wrote with -c in
// TestCurlWrittenFileLoads, kept so the format is checked without curl.
func TestLoadCurlFixture(t *testing.T) {
	then := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) // before the file's expiries
	j := jar.New(jar.WithClock(func() time.Time { return then }))
	must(t, j.LoadFile(filepath.Join(goldenDir, "curl-written.txt")))
	exp := time.Unix(1795578877, 0).UTC()
	want := []jar.Cookie{
		{Name: "dom", Value: "d", Domain: "example.test", Path: "/", Expires: exp, Created: then},
		{Name: "a", Value: "1", Domain: "www.example.test", Path: "/", HostOnly: true, HttpOnly: true, Created: then},
		{Name: "b", Value: "2", Domain: "www.example.test", Path: "/", HostOnly: true, HttpOnly: true, Created: then},
		{Name: "quoted", Value: "a:b", Quoted: true, Domain: "www.example.test", Path: "/", HostOnly: true, Expires: exp, Created: then},
		{Name: "path", Value: "p", Domain: "www.example.test", Path: "/cookies", HostOnly: true, Expires: exp, Created: then},
	}
	if diff := cmp.Diff(want, j.All()); diff != "" {
		t.Errorf("All mismatch (-want +got):\n%s", diff)
	}
	// File order is creation order: quoted, path, dom, b, a.
	if diff := cmp.Diff(`path=p; quoted="a:b"; dom=d; b=2; a=1`, header(j.Cookies(mustURL(t, "http://www.example.test/cookies")))); diff != "" {
		t.Errorf("Cookies mismatch (-want +got):\n%s", diff)
	}
}

// TestLoadPythonMozillaFile loads testdata/python/mozilla-session.txt,
// which Python's http.cookiejar.MozillaCookieJar.save(ignore_discard=True)
// wrote from a requests session (testdata/python/mozilla_save.py made it):
// its session cookies have an empty expires field, and a cookie set
// without a domain has an empty domain. Python loads the four cookies back
// with load(ignore_discard=True); so must Load, the last one session-wide.
func TestLoadPythonMozillaFile(t *testing.T) {
	clock := newClock()
	j := jar.New(jar.WithClock(clock.Now))
	must(t, j.LoadFile(filepath.Join("testdata", "python", "mozilla-session.txt")))
	want := []jar.Cookie{
		{Name: "lang", Value: "en", Path: "/", SessionWide: true, Created: epoch},
		{Name: "sid", Value: "abc123", Domain: "127.0.0.1", Path: "/", HostOnly: true, Created: epoch},
		{Name: "remember", Value: "yes", Domain: "127.0.0.1", Path: "/app", HostOnly: true, Secure: true, Expires: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), Created: epoch},
		{Name: "theme", Value: "dark", Domain: "example.com", Path: "/", Created: epoch},
	}
	if diff := cmp.Diff(want, j.All()); diff != "" {
		t.Errorf("All mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff("remember=yes; sid=abc123; lang=en", header(j.Cookies(mustURL(t, "https://127.0.0.1:8080/app/x")))); diff != "" {
		t.Errorf("Cookies mismatch (-want +got):\n%s", diff)
	}
}
