package jar_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/tether-http/tether/jar"
)

// setCall is one call of Jar.Set.
type setCall struct {
	name, value string
	opts        []jar.CookieOption
}

func fill(t *testing.T, j *jar.Jar, calls []setCall) {
	t.Helper()
	for _, c := range calls {
		if err := j.Set(c.name, c.value, c.opts...); err != nil {
			t.Fatalf("Set(%q, %q): %v", c.name, c.value, err)
		}
	}
}

// TestGet mirrors requests' tests of RequestsCookieJar.get and
// CookieConflictError.
func TestGet(t *testing.T) {
	tests := map[string]struct {
		calls     []setCall
		name      string
		filters   []jar.Filter
		want      string
		wantErr   error
		conflicts []string // places of the conflicting cookies
	}{
		"session-wide cookie": {
			calls: []setCall{{"a", "1", nil}},
			name:  "a", want: "1",
		},
		"missing": {
			calls: []setCall{{"a", "1", nil}},
			name:  "b", wantErr: jar.ErrNotFound,
		},
		"empty jar": {name: "a", wantErr: jar.ErrNotFound},
		"duplicate names on different domains conflict": {
			calls:   []setCall{{"k", "v1", []jar.CookieOption{jar.Domain("test1.com")}}, {"k", "v2", []jar.CookieOption{jar.Domain("test2.com")}}},
			name:    "k",
			wantErr: jar.ErrConflict, conflicts: []string{"test1.com/", "test2.com/"},
		},
		"domain filter picks one": {
			calls:   []setCall{{"k", "v1", []jar.CookieOption{jar.Domain("test1.com")}}, {"k", "v2", []jar.CookieOption{jar.Domain("test2.com")}}},
			name:    "k",
			filters: []jar.Filter{jar.Domain("test2.com")},
			want:    "v2",
		},
		"domain filter ignores a leading dot and case": {
			calls:   []setCall{{"k", "v1", []jar.CookieOption{jar.Domain("test1.com")}}},
			name:    "k",
			filters: []jar.Filter{jar.Domain(".TEST1.com")},
			want:    "v1",
		},
		"duplicate names on different paths conflict": {
			calls:   []setCall{{"k", "v1", []jar.CookieOption{jar.Path("/some/path")}}, {"k", "v2", nil}},
			name:    "k",
			wantErr: jar.ErrConflict, conflicts: []string{"session-wide /", "session-wide /some/path"},
		},
		"path filter picks one": {
			calls:   []setCall{{"k", "v1", []jar.CookieOption{jar.Path("/some/path")}}, {"k", "v2", nil}},
			name:    "k",
			filters: []jar.Filter{jar.Path("/some/path")},
			want:    "v1",
		},
		"Domain empty filters session-wide cookies": {
			calls:   []setCall{{"k", "wide", nil}, {"k", "dom", []jar.CookieOption{jar.Domain("h.test")}}},
			name:    "k",
			filters: []jar.Filter{jar.Domain("")},
			want:    "wide",
		},
		"filters that match nothing": {
			calls:   []setCall{{"k", "v", []jar.CookieOption{jar.Domain("h.test")}}},
			name:    "k",
			filters: []jar.Filter{jar.Domain("h.test"), jar.Path("/x")},
			wantErr: jar.ErrNotFound,
		},
		"quoted value keeps quotes": {
			calls: []setCall{{"foo", `"bar:baz"`, nil}},
			name:  "foo", want: `"bar:baz"`,
		},
		"set again replaces": {
			calls: []setCall{{"a", "1", nil}, {"a", "2", nil}},
			name:  "a", want: "2",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			j := jar.New()
			fill(t, j, tc.calls)
			got, err := j.Get(tc.name, tc.filters...)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Get error = %v, want %v", err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Get mismatch (-want +got):\n%s", diff)
			}
			var ce *jar.ConflictError
			if errors.As(err, &ce) {
				var places []string
				for _, c := range ce.Cookies {
					places = append(places, c.Domain+c.Path)
					if c.SessionWide {
						places[len(places)-1] = "session-wide " + c.Path
					}
				}
				if diff := cmp.Diff(tc.conflicts, places); diff != "" {
					t.Errorf("ConflictError.Cookies mismatch (-want +got):\n%s", diff)
				}
				if ce.Name != tc.name {
					t.Errorf("ConflictError.Name = %q, want %q", ce.Name, tc.name)
				}
			} else if tc.conflicts != nil {
				t.Errorf("error %v is not a *ConflictError", err)
			}
		})
	}
}

func TestSetErrors(t *testing.T) {
	tests := map[string]struct {
		name, value string
		opts        []jar.CookieOption
		field       string
	}{
		"empty name":                {"", "v", nil, "name"},
		"space in name":             {"a b", "v", nil, "name"},
		"semicolon in value":        {"a", "x;y", nil, "value"},
		"backslash in value":        {"a", `x\y`, nil, "value"},
		"inner quote in value":      {"a", `x"y`, nil, "value"},
		"control byte in value":     {"a", "x\ny", nil, "value"},
		"trailing space in value":   {"a", "x ", nil, "value"},
		"two cookies in value":      {"a", "1; b=2", nil, "value"},
		"bad domain":                {"a", "v", []jar.CookieOption{jar.Domain("exa mple.com")}, "domain"},
		"double dot domain":         {"a", "v", []jar.CookieOption{jar.Domain("..example.com")}, "domain"},
		"dot domain":                {"a", "v", []jar.CookieOption{jar.Domain(".")}, "domain"},
		"relative path":             {"a", "v", []jar.CookieOption{jar.Path("x")}, "path"},
		"semicolon path":            {"a", "v", []jar.CookieOption{jar.Path("/x;y")}, "path"},
		"zero expiry":               {"a", "v", []jar.CookieOption{jar.Expires(time.Time{})}, "expires"},
		"expiry before cookie time": {"a", "v", []jar.CookieOption{jar.Expires(time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC))}, "expires"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			j := jar.New()
			err := j.Set(tc.name, tc.value, tc.opts...)
			if !errors.Is(err, jar.ErrInvalidCookie) {
				t.Fatalf("Set error = %v, want ErrInvalidCookie", err)
			}
			var ce *jar.CookieError
			if !errors.As(err, &ce) {
				t.Fatalf("Set error %T is not a *CookieError", err)
			}
			if diff := cmp.Diff(tc.field, ce.Field); diff != "" {
				t.Errorf("CookieError.Field mismatch (-want +got):\n%s", diff)
			}
			if j.Len() != 0 {
				t.Errorf("jar has %d cookies after a failed Set", j.Len())
			}
		})
	}
}

// cookieOpts ignores the creation time, checked separately.
var cookieOpts = cmpopts.IgnoreFields(jar.Cookie{}, "Created")

func TestSetAttributes(t *testing.T) {
	clock := newClock()
	exp := epoch.Add(time.Hour)
	tests := map[string]struct {
		name, value string
		opts        []jar.CookieOption
		want        jar.Cookie
	}{
		"defaults": {
			"a", "1", nil,
			jar.Cookie{Name: "a", Value: "1", Path: "/", SessionWide: true},
		},
		"every option (requests' test_cookie_parameters)": {
			"some_cookie", "some_value",
			[]jar.CookieOption{jar.Domain("Test.com"), jar.Path("/p"), jar.Secure(), jar.HttpOnly(), jar.Expires(exp)},
			jar.Cookie{Name: "some_cookie", Value: "some_value", Domain: "test.com", Path: "/p", Secure: true, HttpOnly: true, Expires: exp},
		},
		"IP domain is host-only": {
			"a", "1", []jar.CookieOption{jar.Domain("127.0.0.1")},
			jar.Cookie{Name: "a", Value: "1", Domain: "127.0.0.1", Path: "/", HostOnly: true},
		},
		"bracketed IPv6 domain": {
			"a", "1", []jar.CookieOption{jar.Domain("[::1]")},
			jar.Cookie{Name: "a", Value: "1", Domain: "::1", Path: "/", HostOnly: true},
		},
		"public suffix domain is host-only": {
			"a", "1", []jar.CookieOption{jar.Domain("localhost")},
			jar.Cookie{Name: "a", Value: "1", Domain: "localhost", Path: "/", HostOnly: true},
		},
		"leading and trailing dots dropped": {
			"a", "1", []jar.CookieOption{jar.Domain(".example.com.")},
			jar.Cookie{Name: "a", Value: "1", Domain: "example.com", Path: "/"},
		},
		"IDN domain in punycode": {
			"a", "1", []jar.CookieOption{jar.Domain("bücher.example")},
			jar.Cookie{Name: "a", Value: "1", Domain: "xn--bcher-kva.example", Path: "/"},
		},
		"quoted value": {
			"a", `"x y"`, nil,
			jar.Cookie{Name: "a", Value: "x y", Quoted: true, Path: "/", SessionWide: true},
		},
		"empty value": {
			"a", "", nil,
			jar.Cookie{Name: "a", Path: "/", SessionWide: true},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			j := jar.New(jar.WithClock(clock.Now))
			must(t, j.Set(tc.name, tc.value, tc.opts...))
			got := j.All()
			if diff := cmp.Diff([]jar.Cookie{tc.want}, got, cookieOpts); diff != "" {
				t.Errorf("All mismatch (-want +got):\n%s", diff)
			}
			if !got[0].Created.Equal(epoch) {
				t.Errorf("Created = %v, want %v", got[0].Created, epoch)
			}
		})
	}
}

func TestSetReplaceKeepsCreation(t *testing.T) {
	clock := newClock()
	j := jar.New(jar.WithClock(clock.Now))
	must(t, j.Set("a", "1"))
	clock.Advance(time.Second)
	must(t, j.Set("b", "2"))
	clock.Advance(time.Second)
	must(t, j.Set("a", "3"))
	if diff := cmp.Diff("a=3; b=2", header(j.Cookies(mustURL(t, "http://h.test/")))); diff != "" {
		t.Errorf("Cookies mismatch (-want +got):\n%s", diff)
	}
	if got := j.All()[0]; got.Name != "a" || !got.Created.Equal(epoch) {
		t.Errorf("All()[0] = %+v, want a created at %v", got, epoch)
	}
}

func TestSetPastExpiresDeletes(t *testing.T) {
	clock := newClock()
	j := jar.New(jar.WithClock(clock.Now))
	must(t, j.Set("a", "1", jar.Domain("h.test")))
	must(t, j.Set("w", "1"))
	must(t, j.Set("a", "1", jar.Domain("h.test"), jar.Expires(epoch)))
	must(t, j.Set("w", "1", jar.Expires(epoch.Add(-time.Hour))))
	if got := j.Len(); got != 0 {
		t.Errorf("Len() = %d, want 0", got)
	}
}

func TestExpiryRemovesFromUtilities(t *testing.T) {
	clock := newClock()
	j := jar.New(jar.WithClock(clock.Now))
	must(t, j.Set("a", "1", jar.Expires(epoch.Add(time.Minute))))
	must(t, j.Set("b", "2", jar.Domain("h.test"), jar.Expires(epoch.Add(time.Minute))))
	must(t, j.Set("c", "3"))
	clock.Advance(time.Minute)
	if diff := cmp.Diff(map[string]string{"c": "3"}, j.Map()); diff != "" {
		t.Errorf("Map mismatch (-want +got):\n%s", diff)
	}
	if _, err := j.Get("a"); !errors.Is(err, jar.ErrNotFound) {
		t.Errorf("Get(expired) error = %v, want ErrNotFound", err)
	}
	if diff := cmp.Diff([]string{""}, j.Domains()); diff != "" {
		t.Errorf("Domains mismatch (-want +got):\n%s", diff)
	}
	if got := j.Len(); got != 1 {
		t.Errorf("Len() = %d, want 1", got)
	}
}

// sample is a jar shared by the filter tests: session-wide, host-only and
// domain cookies on several paths.
func sample(t *testing.T) *jar.Jar {
	t.Helper()
	j := jar.New()
	fill(t, j, []setCall{
		{"w", "1", nil},
		{"w", "2", []jar.CookieOption{jar.Path("/api")}},
		{"a", "3", []jar.CookieOption{jar.Domain("one.test")}},
		{"a", "4", []jar.CookieOption{jar.Domain("two.test"), jar.Path("/api")}},
		{"b", "5", []jar.CookieOption{jar.Domain("two.test")}},
	})
	j.SetCookies(mustURL(t, "http://www.two.test/x/y"), parseSetCookies(t, "h=6"))
	return j
}

func TestMap(t *testing.T) {
	tests := map[string]struct {
		filters []jar.Filter
		want    map[string]string
	}{
		"everything, the duplicate created last wins": {
			want: map[string]string{"w": "2", "a": "4", "b": "5", "h": "6"},
		},
		"domain filter": {
			filters: []jar.Filter{jar.Domain("two.test")},
			want:    map[string]string{"a": "4", "b": "5"},
		},
		"host-only cookie by its host": {
			filters: []jar.Filter{jar.Domain("www.two.test")},
			want:    map[string]string{"h": "6"},
		},
		"path filter": {
			filters: []jar.Filter{jar.Path("/api")},
			want:    map[string]string{"w": "2", "a": "4"},
		},
		"domain and path": {
			filters: []jar.Filter{jar.Domain("two.test"), jar.Path("/")},
			want:    map[string]string{"b": "5"},
		},
		"session-wide": {
			filters: []jar.Filter{jar.Domain(""), jar.Path("/")},
			want:    map[string]string{"w": "1"},
		},
		"nothing matches": {
			filters: []jar.Filter{jar.Domain("none.test")},
			want:    map[string]string{},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, sample(t).Map(tc.filters...)); diff != "" {
				t.Errorf("Map mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMapDuplicates: of cookies sharing a name, Map gives the one created
// last, as dict_from_cookiejar gives the one inserted last (checked with
// requests 2.34.2: a server's ok=x, then add_dict_to_cookiejar ok=2, gives
// 2; a=x on /x, then a=root on /, gives root).
func TestMapDuplicates(t *testing.T) {
	clock := newClock()
	j := jar.New(jar.WithClock(clock.Now))
	u := mustURL(t, "http://127.0.0.1/x/set")
	j.SetCookies(u, parseSetCookies(t, "a=x; Path=/x"))
	clock.Advance(time.Second)
	j.SetCookies(u, parseSetCookies(t, "a=root; Path=/", "ok=x; Path=/"))
	clock.Advance(time.Second)
	must(t, j.Update(map[string]string{"ok": "2"}))
	if diff := cmp.Diff(map[string]string{"a": "root", "ok": "2"}, j.Map()); diff != "" {
		t.Errorf("Map (-want +got):\n%s", diff)
	}
	clock.Advance(time.Second)
	// Replacing the first a keeps its creation time: root stays the last.
	j.SetCookies(u, parseSetCookies(t, "a=x2; Path=/x"))
	if diff := cmp.Diff(map[string]string{"a": "root", "ok": "2"}, j.Map()); diff != "" {
		t.Errorf("Map after a replacement (-want +got):\n%s", diff)
	}
}

func TestDeleteAndClear(t *testing.T) {
	tests := map[string]struct {
		do       func(*jar.Jar) int
		removed  int
		wantLeft map[string]string // Map by "name domain path"
	}{
		"delete a name everywhere": {
			do:      func(j *jar.Jar) int { return j.Delete("a") },
			removed: 2,
		},
		"delete a name on one domain": {
			do:      func(j *jar.Jar) int { return j.Delete("a", jar.Domain("two.test")) },
			removed: 1,
		},
		"delete a session-wide name on one path": {
			do:      func(j *jar.Jar) int { return j.Delete("w", jar.Domain(""), jar.Path("/api")) },
			removed: 1,
		},
		"delete a missing name": {
			do: func(j *jar.Jar) int { return j.Delete("zzz") },
		},
		"clear a domain": {
			do:      func(j *jar.Jar) int { return j.Clear(jar.Domain("two.test")) },
			removed: 2,
		},
		"clear a path": {
			do:      func(j *jar.Jar) int { return j.Clear(jar.Path("/api")) },
			removed: 2,
		},
		"clear all": {
			do:      func(j *jar.Jar) int { return j.Clear() },
			removed: 6,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			j := sample(t)
			before := j.All()
			if got := tc.do(j); got != tc.removed {
				t.Errorf("removed %d, want %d", got, tc.removed)
			}
			if got := j.Len(); got != len(before)-tc.removed {
				t.Errorf("Len() = %d, want %d", got, len(before)-tc.removed)
			}
		})
	}
	t.Run("delete then send", func(t *testing.T) {
		j := sample(t)
		j.Delete("w")
		if diff := cmp.Diff("", header(j.Cookies(mustURL(t, "http://other.test/api")))); diff != "" {
			t.Errorf("Cookies mismatch (-want +got):\n%s", diff)
		}
	})
}

// TestJarOrderIsSorted: a jar filled out of order lists its domains,
// paths and cookies sorted, where requests lists them in the order they
// were first set (a deliberate difference: the order is the same however
// concurrent responses raced), and Map gives, of one name in several
// domains, the cookie created last, where requests' pick depends on which
// domain it saw first.
func TestJarOrderIsSorted(t *testing.T) {
	clock := newClock()
	j := jar.New(jar.WithClock(clock.Now))
	for _, c := range [][3]string{{"x", "b.test", "/z"}, {"w", "a.test", "/a"}, {"y", "b.test", "/b"}} {
		must(t, j.Set(c[0], "1", jar.Domain(c[1]), jar.Path(c[2])))
		clock.Advance(time.Second)
	}
	if diff := cmp.Diff([]string{"a.test", "b.test"}, j.Domains()); diff != "" {
		t.Errorf("Domains (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"/a", "/b", "/z"}, j.Paths()); diff != "" {
		t.Errorf("Paths (-want +got):\n%s", diff)
	}
	var names []string
	for _, c := range j.All() {
		names = append(names, c.Name)
	}
	if diff := cmp.Diff([]string{"w", "y", "x"}, names); diff != "" {
		t.Errorf("All names (-want +got):\n%s", diff)
	}

	// requests: n on b.test /, then a.test /, then b.test /p gives
	// {'n': '2'} (a.test is iterated last); tether gives the newest.
	d := jar.New(jar.WithClock(clock.Now))
	for _, c := range [][3]string{{"1", "b.test", "/"}, {"2", "a.test", "/"}, {"3", "b.test", "/p"}} {
		must(t, d.Set("n", c[0], jar.Domain(c[1]), jar.Path(c[2])))
		clock.Advance(time.Second)
	}
	if diff := cmp.Diff(map[string]string{"n": "3"}, d.Map()); diff != "" {
		t.Errorf("Map (-want +got):\n%s", diff)
	}
}

func TestDomainsAndPaths(t *testing.T) {
	j := sample(t)
	if diff := cmp.Diff([]string{"", "one.test", "two.test", "www.two.test"}, j.Domains()); diff != "" {
		t.Errorf("Domains mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"/", "/api", "/x"}, j.Paths()); diff != "" {
		t.Errorf("Paths mismatch (-want +got):\n%s", diff)
	}
	if got := jar.New().Domains(); len(got) != 0 {
		t.Errorf("empty jar Domains() = %q", got)
	}
}

func TestUpdateAndFromMap(t *testing.T) {
	t.Run("add_dict_to_cookiejar overwrites", func(t *testing.T) {
		j := jar.New()
		must(t, j.Set("test", "old"))
		must(t, j.Set("keep", "k"))
		must(t, j.Update(map[string]string{"test": "cookie", "new": "n"}))
		if diff := cmp.Diff(map[string]string{"test": "cookie", "keep": "k", "new": "n"}, j.Map()); diff != "" {
			t.Errorf("Map mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("invalid entry changes nothing", func(t *testing.T) {
		j := jar.New()
		err := j.Update(map[string]string{"a": "1", "bad name": "2"})
		if !errors.Is(err, jar.ErrInvalidCookie) {
			t.Fatalf("Update error = %v, want ErrInvalidCookie", err)
		}
		if j.Len() != 0 {
			t.Errorf("Len() = %d after failed Update", j.Len())
		}
	})
	t.Run("cookiejar_from_dict", func(t *testing.T) {
		clock := newClock()
		j, err := jar.FromMap(map[string]string{"a": "1", "b": `"q"`}, jar.WithClock(clock.Now))
		must(t, err)
		want := []jar.Cookie{
			{Name: "a", Value: "1", Path: "/", SessionWide: true, Created: epoch},
			{Name: "b", Value: "q", Quoted: true, Path: "/", SessionWide: true, Created: epoch},
		}
		if diff := cmp.Diff(want, j.All()); diff != "" {
			t.Errorf("All mismatch (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(`a=1; b="q"`, header(j.Cookies(mustURL(t, "https://any.test/")))); diff != "" {
			t.Errorf("Cookies mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("FromMap error", func(t *testing.T) {
		j, err := jar.FromMap(map[string]string{"a;": "1"})
		if !errors.Is(err, jar.ErrInvalidCookie) || j != nil {
			t.Errorf("FromMap = %v, %v; want nil, ErrInvalidCookie", j, err)
		}
	})
}

func TestMerge(t *testing.T) {
	clock := newClock()
	dst := jar.New(jar.WithClock(clock.Now))
	must(t, dst.Set("a", "old"))
	must(t, dst.Set("d", "dst", jar.Domain("h.test")))
	clock.Advance(time.Second)
	src := jar.New(jar.WithClock(clock.Now))
	must(t, src.Set("a", "new"))
	clock.Advance(time.Second)
	must(t, src.Set("s", "src", jar.Domain("h.test"), jar.Secure()))
	srcBefore := src.All()

	must(t, dst.Merge(src))
	must(t, dst.Merge(nil))
	must(t, dst.Merge(dst))

	want := []jar.Cookie{
		{Name: "a", Value: "new", Path: "/", SessionWide: true, Created: epoch},
		{Name: "d", Value: "dst", Domain: "h.test", Path: "/", Created: epoch},
		{Name: "s", Value: "src", Domain: "h.test", Path: "/", Secure: true, Created: epoch.Add(2 * time.Second)},
	}
	if diff := cmp.Diff(want, dst.All()); diff != "" {
		t.Errorf("All after Merge mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(srcBefore, src.All()); diff != "" {
		t.Errorf("Merge changed its argument (-want +got):\n%s", diff)
	}
	src.Clear()
	if dst.Len() != 3 {
		t.Errorf("clearing the source changed the destination: Len() = %d", dst.Len())
	}
}

func TestClone(t *testing.T) {
	clock := newClock()
	j := jar.New(jar.WithClock(clock.Now))
	must(t, j.Set("a", "1"))
	j.SetCookies(mustURL(t, "http://h.test/"), parseSetCookies(t, "h=1; Max-Age=60"))
	c := j.Clone()
	if diff := cmp.Diff(j.All(), c.All()); diff != "" {
		t.Fatalf("clone differs (-want +got):\n%s", diff)
	}
	// Change each existing cookie and add new ones on both sides.
	must(t, c.Set("a", "2"))
	must(t, c.Set("b", "2"))
	j.SetCookies(mustURL(t, "http://h.test/"), parseSetCookies(t, "h=2; Max-Age=60", "x=1"))
	if diff := cmp.Diff(map[string]string{"a": "1", "h": "2", "x": "1"}, j.Map()); diff != "" {
		t.Errorf("original changed by clone (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"a": "2", "b": "2", "h": "1"}, c.Map()); diff != "" {
		t.Errorf("clone changed by original (-want +got):\n%s", diff)
	}
	// The clone keeps the clock.
	clock.Advance(time.Minute)
	if diff := cmp.Diff(map[string]string{"a": "2", "b": "2"}, c.Map()); diff != "" {
		t.Errorf("clone after expiry (-want +got):\n%s", diff)
	}
	// Ordering survives cloning: the clone sends a before b.
	if diff := cmp.Diff("a=2; b=2", header(c.Cookies(mustURL(t, "http://h.test/")))); diff != "" {
		t.Errorf("clone Cookies (-want +got):\n%s", diff)
	}
}

func TestAllReportsServerCookieAttributes(t *testing.T) {
	clock := newClock()
	j := jar.New(jar.WithClock(clock.Now))
	j.SetCookies(mustURL(t, "https://www.h.test/a/b"), parseSetCookies(t,
		"d=1; Domain=h.test; Secure; HttpOnly; SameSite=Strict; Max-Age=60",
		"h=2",
	))
	want := []jar.Cookie{
		{Name: "d", Value: "1", Domain: "h.test", Path: "/a", Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode, Expires: epoch.Add(time.Minute), Created: epoch},
		{Name: "h", Value: "2", Domain: "www.h.test", Path: "/a", HostOnly: true, Created: epoch},
	}
	if diff := cmp.Diff(want, j.All()); diff != "" {
		t.Errorf("All mismatch (-want +got):\n%s", diff)
	}
}
