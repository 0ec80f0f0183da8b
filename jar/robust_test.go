package jar_test

import (
	"bytes"
	"errors"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/jar"
)

// TestNilOptionsIgnored checks that a nil Filter or CookieOption in a
// variadic list is skipped, as a nil Option or SaveOption is.
func TestNilOptionsIgnored(t *testing.T) {
	tests := map[string]struct {
		do   func(j *jar.Jar) (any, error)
		want any
	}{
		"Get with a nil Filter": {
			do:   func(j *jar.Jar) (any, error) { return j.Get("a", nil) },
			want: "1",
		},
		"Get with nil Filters around a Domain": {
			do:   func(j *jar.Jar) (any, error) { return j.Get("a", nil, jar.Domain("h.test"), nil) },
			want: "1",
		},
		"Set with a nil CookieOption": {
			do: func(j *jar.Jar) (any, error) {
				if err := j.Set("c", "3", nil, jar.Path("/p"), nil); err != nil {
					return nil, err
				}
				return j.Get("c", jar.Path("/p"))
			},
			want: "3",
		},
		"Map with a nil Filter": {
			do:   func(j *jar.Jar) (any, error) { return j.Map(nil), nil },
			want: map[string]string{"a": "1", "b": "2"},
		},
		"Delete with a nil Filter": {
			do:   func(j *jar.Jar) (any, error) { return j.Delete("a", nil), nil },
			want: 1,
		},
		"Clear with a nil Filter": {
			do:   func(j *jar.Jar) (any, error) { return j.Clear(nil), nil },
			want: 2,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			j := jar.New(jar.WithClock(newClock().Now))
			must(t, j.Set("a", "1", jar.Domain("h.test")))
			must(t, j.Set("b", "2"))
			got, err := tc.do(j)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// bigMaxAge is a Max-Age past what a time.Duration holds; a variable, so
// that the test compiles where int has 32 bits (and MaxAge cannot hold it).
var bigMaxAge int64 = 9_300_000_000

// TestHugeExpiry checks that a Max-Age or Expires too large for
// time.Duration or an int keeps the cookie, with its expiry clamped to the
// end of year 9999, as requests keeps it (http.cookiejar stores
// now+max-age), instead of wrapping into the past.
func TestHugeExpiry(t *testing.T) {
	from := "http://h.test/"
	tests := map[string]struct {
		cookies [][]*http.Cookie // SetCookies calls, in order
		set     func(j *jar.Jar) error
		want    []jar.Cookie
	}{
		"MaxAge over 292 years": {
			cookies: [][]*http.Cookie{{{Name: "m", Value: "1", MaxAge: int(bigMaxAge)}}},
			want:    []jar.Cookie{hostCookie("m", time.Unix(epoch.Unix()+9_300_000_000, 0).UTC())},
		},
		"Set-Cookie Max-Age over 292 years": {
			cookies: [][]*http.Cookie{parseSetCookies(t, "big=1; Max-Age=9300000000")},
			want:    []jar.Cookie{hostCookie("big", time.Unix(epoch.Unix()+9_300_000_000, 0).UTC())},
		},
		"MaxAge of MaxInt is clamped": {
			cookies: [][]*http.Cookie{{{Name: "m", Value: "1", MaxAge: math.MaxInt}}},
			want:    []jar.Cookie{hostCookie("m", jar.MaxExpires)},
		},
		"Set-Cookie Max-Age too large for an int is clamped": {
			cookies: [][]*http.Cookie{parseSetCookies(t, "huge=1; Max-Age=99999999999999999999")},
			want:    []jar.Cookie{hostCookie("huge", jar.MaxExpires)},
		},
		"Set-Cookie Max-Age too small for an int deletes": {
			cookies: [][]*http.Cookie{
				parseSetCookies(t, "neg=1", "keep=1"),
				parseSetCookies(t, "neg=1; Max-Age=-99999999999999999999"),
			},
			want: []jar.Cookie{hostCookie("keep", time.Time{})},
		},
		"Set with Expires after year 9999 is clamped": {
			set: func(j *jar.Jar) error {
				return j.Set("s", "1", jar.Domain("h.test"), jar.Expires(time.Date(20000, 1, 1, 0, 0, 0, 0, time.UTC)))
			},
			want: []jar.Cookie{{Name: "s", Value: "1", Domain: "h.test", Path: "/", Expires: jar.MaxExpires, Created: epoch}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if name == "MaxAge over 292 years" && strconv.IntSize == 32 {
				t.Skip("an int MaxAge cannot hold it")
			}
			j := jar.New(jar.WithClock(newClock().Now))
			for _, cs := range tc.cookies {
				j.SetCookies(mustURL(t, from), cs)
			}
			if tc.set != nil {
				must(t, tc.set(j))
			}
			if diff := cmp.Diff(tc.want, j.All()); diff != "" {
				t.Errorf("All mismatch (-want +got):\n%s", diff)
			}
			// The cookies survive Save and Load.
			var b bytes.Buffer
			must(t, j.Save(&b, jar.WithSessionCookies()))
			k := jar.New(jar.WithClock(newClock().Now))
			must(t, k.Load(&b))
			if diff := cmp.Diff(j.All(), k.All()); diff != "" {
				t.Errorf("Save/Load round trip mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// hostCookie is the cookie name=1 that http://h.test/ sets.
func hostCookie(name string, expires time.Time) jar.Cookie {
	return jar.Cookie{Name: name, Value: "1", Domain: "h.test", Path: "/", HostOnly: true, Expires: expires, Created: epoch}
}

// TestLoadHugeExpires checks that a cookies.txt expiry past year 9999, up
// to 2^63-1, loads clamped, as Python's MozillaCookieJar loads it, instead
// of overflowing time.Unix into the past and dropping the cookie.
func TestLoadHugeExpires(t *testing.T) {
	tests := map[string]struct {
		expires   string
		wantSaved string // the expires field Save writes back
	}{
		"2^63-1":             {"9223372036854775807", "253402300799"},
		"first second 10000": {"253402300800", "253402300799"},
		"last second 9999":   {"253402300799", "253402300799"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			j := jar.New(jar.WithClock(newClock().Now))
			must(t, j.Load(strings.NewReader(".example.test\tTRUE\t/\tFALSE\t"+tc.expires+"\tn\tv\n")))
			want := []jar.Cookie{{Name: "n", Value: "v", Domain: "example.test", Path: "/", Expires: jar.MaxExpires, Created: epoch}}
			if diff := cmp.Diff(want, j.All()); diff != "" {
				t.Errorf("All mismatch (-want +got):\n%s", diff)
			}
			var b strings.Builder
			must(t, j.Save(&b))
			wantLine := ".example.test\tTRUE\t/\tFALSE\t" + tc.wantSaved + "\tn\tv\n"
			if !strings.HasSuffix(b.String(), wantLine) {
				t.Errorf("Save wrote\n%s\nwant it to end with %q", b.String(), wantLine)
			}
		})
	}
}

// TestSetCookiesRefusesUnsavable checks that SetCookies skips a cookie
// whose path or domain holds a control byte, or whose host no cookies.txt
// line can hold, keeps the other cookies of the call, and that what it
// stores survives Save and Load: a tab once made Load refuse the whole
// file, and a crafted path injected a cookie for another domain.
func TestSetCookiesRefusesUnsavable(t *testing.T) {
	good := &http.Cookie{Name: "good", Value: "1", MaxAge: 60}
	goodCookie := jar.Cookie{Name: "good", Value: "1", Domain: "h.test", Path: "/", HostOnly: true, Expires: epoch.Add(time.Minute), Created: epoch}
	tests := map[string]struct {
		u       *url.URL
		cookies []*http.Cookie
		want    []jar.Cookie
	}{
		"tab in path": {
			u:       mustURL(t, "http://h.test/"),
			cookies: []*http.Cookie{{Name: "p", Value: "1", Path: "/x\ty", MaxAge: 60}, good},
			want:    []jar.Cookie{goodCookie},
		},
		"path injecting a line": {
			u: mustURL(t, "http://h.test/"),
			cookies: []*http.Cookie{good, {Name: "p", Value: "1", MaxAge: 60,
				Path: "/x\tFALSE\t0\ta\tb\nevil.test\tFALSE\t/\tFALSE\t0\tinjected\tpwn\n#"}},
			want: []jar.Cookie{goodCookie},
		},
		"CR in path": {
			u:       mustURL(t, "http://h.test/"),
			cookies: []*http.Cookie{{Name: "p", Value: "1", Path: "/x\r", MaxAge: 60}, good},
			want:    []jar.Cookie{goodCookie},
		},
		"NUL in path": {
			u:       mustURL(t, "http://h.test/"),
			cookies: []*http.Cookie{{Name: "p", Value: "1", Path: "/x\x00", MaxAge: 60}, good},
			want:    []jar.Cookie{goodCookie},
		},
		"DEL in path": {
			u:       mustURL(t, "http://h.test/"),
			cookies: []*http.Cookie{{Name: "p", Value: "1", Path: "/x\x7f", MaxAge: 60}, good},
			want:    []jar.Cookie{goodCookie},
		},
		"line break in host": {
			u:       &url.URL{Scheme: "http", Host: "h.test\nevil.test", Path: "/"},
			cookies: []*http.Cookie{good},
		},
		"line break in Domain attribute of such a host": {
			u:       &url.URL{Scheme: "http", Host: "a.h.test\nevil.test", Path: "/"},
			cookies: []*http.Cookie{{Name: "d", Value: "1", Domain: "h.test\nevil.test", MaxAge: 60}},
		},
		"host that reads as an IP address but is not one": {
			u:       mustURL(t, "http://a%25b/"),
			cookies: []*http.Cookie{good},
		},
		"host with a leading dot": {
			u:       mustURL(t, "http://.h.test/"),
			cookies: []*http.Cookie{good},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			j := jar.New(jar.WithClock(newClock().Now))
			j.SetCookies(tc.u, tc.cookies)
			if diff := cmp.Diff(tc.want, j.All()); diff != "" {
				t.Errorf("All mismatch (-want +got):\n%s", diff)
			}
			var b bytes.Buffer
			must(t, j.Save(&b))
			k := jar.New(jar.WithClock(newClock().Now))
			must(t, k.Load(&b))
			if diff := cmp.Diff(j.All(), k.All()); diff != "" {
				t.Errorf("Save/Load round trip mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSaveLoadServerHostsAndPaths checks that Load reads back what Save
// writes for the hosts and paths SetCookies stores but Set refuses: a host
// with "_" (a Docker service name), one starting with "-", a default path
// with ";" and a path with UTF-8. Load used to refuse the whole file.
func TestSaveLoadServerHostsAndPaths(t *testing.T) {
	tests := map[string]struct {
		from   string
		cookie *http.Cookie
		want   jar.Cookie
	}{
		"host with an underscore": {
			from:   "http://my_service:8080/",
			cookie: &http.Cookie{Name: "n", Value: "1", MaxAge: 60},
			want:   jar.Cookie{Name: "n", Value: "1", Domain: "my_service", Path: "/", HostOnly: true},
		},
		"domain cookie of a host with an underscore": {
			from:   "http://api.my_app.test/",
			cookie: &http.Cookie{Name: "n", Value: "1", Domain: "My_App.test", MaxAge: 60},
			want:   jar.Cookie{Name: "n", Value: "1", Domain: "my_app.test", Path: "/"},
		},
		"host starting with a dash": {
			from:   "http://-x.test/",
			cookie: &http.Cookie{Name: "n", Value: "1", MaxAge: 60},
			want:   jar.Cookie{Name: "n", Value: "1", Domain: "-x.test", Path: "/", HostOnly: true},
		},
		"default path with a semicolon": {
			from:   "http://h.test/app;jsessionid=1/page",
			cookie: &http.Cookie{Name: "n", Value: "1", MaxAge: 60},
			want:   jar.Cookie{Name: "n", Value: "1", Domain: "h.test", Path: "/app;jsessionid=1", HostOnly: true},
		},
		"UTF-8 path": {
			from:   "http://h.test/",
			cookie: &http.Cookie{Name: "n", Value: "1", Path: "/ü", MaxAge: 60},
			want:   jar.Cookie{Name: "n", Value: "1", Domain: "h.test", Path: "/ü", HostOnly: true},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			j := jar.New(jar.WithClock(newClock().Now))
			j.SetCookies(mustURL(t, tc.from), []*http.Cookie{tc.cookie})
			want := tc.want
			want.Expires, want.Created = epoch.Add(time.Minute), epoch
			if diff := cmp.Diff([]jar.Cookie{want}, j.All()); diff != "" {
				t.Fatalf("All mismatch (-want +got):\n%s", diff)
			}
			var b bytes.Buffer
			must(t, j.Save(&b))
			k := jar.New(jar.WithClock(newClock().Now))
			if err := k.Load(&b); err != nil {
				t.Fatalf("Load of Save's output: %v", err)
			}
			if diff := cmp.Diff(j.All(), k.All()); diff != "" {
				t.Errorf("Save/Load round trip mismatch (-want +got):\n%s", diff)
			}
			if _, err := k.Get("n", jar.Domain(strings.ToUpper(want.Domain))); err != nil {
				t.Errorf("Get with Domain(%q): %v", strings.ToUpper(want.Domain), err)
			}
		})
	}
}

// TestSaveSkipsUnreadable checks the defence in depth: given a cookie no
// method stores, Save leaves it out, writes the others and returns a
// *CookieError naming the field, so Load never misreads its output.
func TestSaveSkipsUnreadable(t *testing.T) {
	exp := epoch.Add(time.Hour)
	tests := map[string]struct {
		bad       jar.Cookie
		wantField string
	}{
		"tab in path": {
			bad:       jar.Cookie{Name: "x", Value: "1", Domain: "h.test", HostOnly: true, Path: "/a\tb", Expires: exp},
			wantField: "path",
		},
		"line injected by the path": {
			bad: jar.Cookie{Name: "x", Value: "1", Domain: "h.test", HostOnly: true, Expires: exp,
				Path: "/x\tFALSE\t0\ta\tb\nevil.test\tFALSE\t/\tFALSE\t0\tinjected\tpwn\n#"},
			wantField: "path",
		},
		"line break in domain": {
			bad:       jar.Cookie{Name: "x", Value: "1", Domain: "h.test\nevil.test", HostOnly: true, Path: "/", Expires: exp},
			wantField: "domain",
		},
		"line break in value": {
			bad:       jar.Cookie{Name: "x", Value: "1\nevil.test", Domain: "h.test", HostOnly: true, Path: "/", Expires: exp},
			wantField: "value",
		},
		"host-only domain read as a comment": {
			bad:       jar.Cookie{Name: "x", Value: "1", Domain: "#h.test", HostOnly: true, Path: "/", Expires: exp},
			wantField: "domain",
		},
		"host-only domain with a leading dot": {
			bad:       jar.Cookie{Name: "x", Value: "1", Domain: ".h.test", HostOnly: true, Path: "/", Expires: exp},
			wantField: "domain",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			j := jar.New(jar.WithClock(newClock().Now))
			j.SetCookies(mustURL(t, "http://h.test/"), parseSetCookies(t, "good=1; Max-Age=3600"))
			j.StoreUnchecked(tc.bad)
			var b bytes.Buffer
			err := j.Save(&b)
			var ce *jar.CookieError
			if !errors.Is(err, jar.ErrInvalidCookie) || !errors.As(err, &ce) {
				t.Fatalf("Save error = %v, want a *CookieError", err)
			}
			if diff := cmp.Diff(tc.wantField, ce.Field); diff != "" {
				t.Errorf("CookieError.Field mismatch (-want +got):\n%s", diff)
			}
			k := jar.New(jar.WithClock(newClock().Now))
			must(t, k.Load(&b))
			want := []jar.Cookie{{Name: "good", Value: "1", Domain: "h.test", Path: "/", HostOnly: true, Expires: exp, Created: epoch}}
			if diff := cmp.Diff(want, k.All()); diff != "" {
				t.Errorf("loaded cookies mismatch (-want +got):\n%s", diff)
			}

			// SaveFile writes the others too, and reports the same.
			name := filepath.Join(t.TempDir(), "cookies.txt")
			if err := j.SaveFile(name); !errors.Is(err, jar.ErrInvalidCookie) {
				t.Errorf("SaveFile error = %v, want ErrInvalidCookie", err)
			}
			f := jar.New(jar.WithClock(newClock().Now))
			must(t, f.LoadFile(name))
			if diff := cmp.Diff(want, f.All()); diff != "" {
				t.Errorf("cookies loaded from SaveFile mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNilReaderWriter checks that Load and Save given a nil reader or
// writer, typed nils included, return ErrNilArgument instead of panicking.
func TestNilReaderWriter(t *testing.T) {
	tests := map[string]struct {
		do      func(j *jar.Jar) error
		wantMsg string
	}{
		"Load(nil)":                 {func(j *jar.Jar) error { return j.Load(nil) }, "Load with a nil io.Reader"},
		"Load nil *bytes.Buffer":    {func(j *jar.Jar) error { return j.Load((*bytes.Buffer)(nil)) }, "Load with a nil *bytes.Buffer"},
		"Load nil *os.File":         {func(j *jar.Jar) error { return j.Load((*os.File)(nil)) }, "Load with a nil *os.File"},
		"Save(nil)":                 {func(j *jar.Jar) error { return j.Save(nil) }, "Save with a nil io.Writer"},
		"Save nil *bytes.Buffer":    {func(j *jar.Jar) error { return j.Save((*bytes.Buffer)(nil)) }, "Save with a nil *bytes.Buffer"},
		"Save nil *strings.Builder": {func(j *jar.Jar) error { return j.Save((*strings.Builder)(nil)) }, "Save with a nil *strings.Builder"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			j := jar.New()
			must(t, j.Set("a", "1"))
			before := j.All()
			err := tc.do(j)
			if !errors.Is(err, jar.ErrNilArgument) {
				t.Fatalf("error = %v, want ErrNilArgument", err)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q does not contain %q", err, tc.wantMsg)
			}
			if diff := cmp.Diff(before, j.All()); diff != "" {
				t.Errorf("the jar changed (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNilJar checks every method of a nil *Jar: reads act on an empty jar,
// writes return ErrNilJar, and SetCookies, which cannot, stores nothing.
func TestNilJar(t *testing.T) {
	var empty bytes.Buffer
	must(t, jar.New().Save(&empty))
	u := mustURL(t, "https://h.test/")
	other := jar.New()
	must(t, other.Set("a", "1"))
	file := filepath.Join(t.TempDir(), "cookies.txt")
	must(t, os.WriteFile(file, []byte("h.test\tFALSE\t/\tFALSE\t0\ta\t1\n"), 0o600))

	tests := map[string]struct {
		do      func(j *jar.Jar) (any, error)
		want    any
		wantErr error
	}{
		"Len":         {do: func(j *jar.Jar) (any, error) { return j.Len(), nil }, want: 0},
		"All":         {do: func(j *jar.Jar) (any, error) { return j.All(), nil }, want: []jar.Cookie(nil)},
		"Get":         {do: func(j *jar.Jar) (any, error) { return j.Get("a") }, want: "", wantErr: jar.ErrNotFound},
		"Map":         {do: func(j *jar.Jar) (any, error) { return j.Map(), nil }, want: map[string]string{}},
		"Cookies":     {do: func(j *jar.Jar) (any, error) { return j.Cookies(u), nil }, want: []*http.Cookie(nil)},
		"HostCookies": {do: func(j *jar.Jar) (any, error) { return j.HostCookies(u), nil }, want: []*http.Cookie(nil)},
		"Domains":     {do: func(j *jar.Jar) (any, error) { return j.Domains(), nil }, want: []string(nil)},
		"Paths":       {do: func(j *jar.Jar) (any, error) { return j.Paths(), nil }, want: []string(nil)},
		"Delete":      {do: func(j *jar.Jar) (any, error) { return j.Delete("a"), nil }, want: 0},
		"Clear":       {do: func(j *jar.Jar) (any, error) { return j.Clear(), nil }, want: 0},
		"Clone": {
			do: func(j *jar.Jar) (any, error) {
				c := j.Clone()
				must(t, c.Set("a", "1")) // a usable jar
				return c.Len(), nil
			},
			want: 1,
		},
		"Save": {
			do: func(j *jar.Jar) (any, error) {
				var b bytes.Buffer
				err := j.Save(&b, jar.WithSessionCookies())
				return b.String(), err
			},
			want: empty.String(),
		},
		"SaveFile": {
			do: func(j *jar.Jar) (any, error) {
				name := filepath.Join(t.TempDir(), "out.txt")
				if err := j.SaveFile(name); err != nil {
					return nil, err
				}
				b, err := os.ReadFile(name)
				return string(b), err
			},
			want: empty.String(),
		},
		"SetCookies": {
			do: func(j *jar.Jar) (any, error) {
				j.SetCookies(u, []*http.Cookie{{Name: "a", Value: "1"}})
				return j.Len(), nil
			},
			want: 0,
		},
		"Set":      {do: func(j *jar.Jar) (any, error) { return nil, j.Set("a", "1") }, wantErr: jar.ErrNilJar},
		"Update":   {do: func(j *jar.Jar) (any, error) { return nil, j.Update(map[string]string{"a": "1"}) }, wantErr: jar.ErrNilJar},
		"Merge":    {do: func(j *jar.Jar) (any, error) { return nil, j.Merge(other) }, wantErr: jar.ErrNilJar},
		"Load":     {do: func(j *jar.Jar) (any, error) { return nil, j.Load(strings.NewReader("")) }, wantErr: jar.ErrNilJar},
		"LoadFile": {do: func(j *jar.Jar) (any, error) { return nil, j.LoadFile(file) }, wantErr: jar.ErrNilJar},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var j *jar.Jar
			got, err := tc.do(j)
			if tc.wantErr == nil && err != nil || !errors.Is(err, tc.wantErr) {
				t.Fatalf("error = %v, want %v", err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestServerNamesNetHTTPRefuses: cookie names a server may set that
// net/http's parser refuses ("x[y]", "a b", "é") are kept, sent back as
// they came, and saved and loaded; names that would end or split a cookie
// are still refused.
func TestServerNamesNetHTTPRefuses(t *testing.T) {
	u := mustURL(t, "http://h.test/")
	j := jar.New()
	j.SetCookies(u, []*http.Cookie{
		{Name: "x[y]", Value: "1"}, {Name: "a b", Value: "2"}, {Name: "é", Value: "3"},
		{Name: "a;b", Value: "4"}, {Name: "a=b", Value: "5"}, {Name: " sp", Value: "6"}, {Name: "c\nd", Value: "7"},
	})
	names := func(j *jar.Jar) []string {
		var out []string
		for _, c := range j.Cookies(u) {
			out = append(out, c.Name+"="+c.Value)
		}
		slices.Sort(out)
		return out
	}
	want := []string{"a b=2", "x[y]=1", "é=3"}
	if diff := cmp.Diff(want, names(j)); diff != "" {
		t.Fatalf("Cookies (-want +got):\n%s", diff)
	}
	var buf bytes.Buffer
	if err := j.Save(&buf, jar.WithSessionCookies()); err != nil {
		t.Fatal(err)
	}
	loaded := jar.New()
	if err := loaded.Load(&buf); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, names(loaded)); diff != "" {
		t.Errorf("Cookies after Save and Load (-want +got):\n%s", diff)
	}
}
