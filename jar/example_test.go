package jar_test

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tether-http/tether/jar"
)

func ExampleNew() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/login" {
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "s3cr3t", Path: "/", HttpOnly: true})
			return
		}
		for _, c := range r.Cookies() {
			fmt.Fprintf(w, "%s=%s\n", c.Name, c.Value)
		}
	}))
	defer srv.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()

	j := jar.New()
	client := &http.Client{Jar: j, Transport: tr}
	for _, path := range []string{"/login", "/whoami"} {
		resp, err := client.Get(srv.URL + path)
		if err != nil {
			log.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("%s: %q\n", path, body)
	}
	for _, c := range j.All() {
		fmt.Println(c.Name, c.Domain, c.HostOnly, c.HttpOnly)
	}
	// Output:
	// /login: ""
	// /whoami: "session=s3cr3t\n"
	// session 127.0.0.1 true true
}

func ExampleWithClock() {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	j := jar.New(jar.WithClock(func() time.Time { return now }))
	u, _ := url.Parse("https://example.com/")
	j.SetCookies(u, []*http.Cookie{{Name: "short", Value: "1", MaxAge: 60}})
	fmt.Println(j.Cookies(u))
	now = now.Add(time.Minute)
	fmt.Println(j.Cookies(u))
	// Output:
	// [short=1]
	// []
}

func ExampleJar_SetCookies() {
	j := jar.New()
	u, _ := url.Parse("http://www.example.com/docs/page")
	for _, line := range []string{
		"a=1; Domain=example.com",  // domain cookie, path /docs
		"b=2; Path=/",              // host-only cookie
		"c=3; Domain=co.uk",        // refused: public suffix
		"d=4; Domain=other.com",    // refused: not this host's domain
		"e=5; Secure; Max-Age=600", // sent only over https
	} {
		c, err := http.ParseSetCookie(line)
		if err != nil {
			log.Fatal(err)
		}
		j.SetCookies(u, []*http.Cookie{c})
	}
	for _, target := range []string{"http://www.example.com/docs/x", "https://api.example.com/docs", "http://www.example.com/"} {
		t, _ := url.Parse(target)
		fmt.Println(target, j.Cookies(t))
	}
	// Output:
	// http://www.example.com/docs/x [a=1 b=2]
	// https://api.example.com/docs [a=1]
	// http://www.example.com/ [b=2]
}

func ExampleJar_Cookies() {
	j := jar.New()
	u, _ := url.Parse("http://example.com/a/b")
	c1, _ := http.ParseSetCookie("short=1; Path=/")
	c2, _ := http.ParseSetCookie("long=2; Path=/a/b")
	j.SetCookies(u, []*http.Cookie{c1, c2})
	_ = j.Set("token", "t") // session-wide: sent to every host

	fmt.Println(j.Cookies(u)) // longer paths first, then older first
	other, _ := url.Parse("http://other.org/")
	fmt.Println(j.Cookies(other))
	// Output:
	// [long=2 short=1 token=t]
	// [token=t]
}

// CookieHeader is the Cookie header the jar sends to a URL, like requests'
// get_cookie_header(jar, request).
func ExampleJar_CookieHeader() {
	j := jar.New()
	_ = j.Set("token", "t")
	_ = j.Set("theme", `"dark"`, jar.Domain("example.com"))
	u, _ := url.Parse("https://example.com/")
	fmt.Println(j.CookieHeader(u))
	other, _ := url.Parse("https://other.org/")
	fmt.Println(j.CookieHeader(other))
	// Output:
	// token=t; theme="dark"
	// token=t
}

func ExampleJar_HostCookies() {
	j := jar.New()
	_ = j.Set("token", "t")
	u, _ := url.Parse("https://example.com/")
	c, _ := http.ParseSetCookie("server=1")
	j.SetCookies(u, []*http.Cookie{c})

	fmt.Println(j.Cookies(u))
	fmt.Println(j.HostCookies(u)) // what a redirect to another host gets
	// Output:
	// [token=t server=1]
	// [server=1]
}

func ExampleJar_Set() {
	j := jar.New()
	_ = j.Set("lang", "en")                                               // session-wide, path /
	_ = j.Set("sid", "abc", jar.Domain("example.com"), jar.Secure())      // example.com and subdomains, https only
	_ = j.Set("api", "k", jar.Domain("api.example.com"), jar.Path("/v2")) // a path
	_ = j.Set("quoted", `"a b"`)                                          // quotes are kept

	err := j.Set("bad name", "x")
	fmt.Println(errors.Is(err, jar.ErrInvalidCookie), err)

	for _, target := range []string{"http://anywhere.test/", "https://www.example.com/", "https://api.example.com/v2/users"} {
		u, _ := url.Parse(target)
		fmt.Println(target, j.Cookies(u))
	}
	// Output:
	// true jar: invalid cookie "bad name": bad name: http: invalid Cookie.Name
	// http://anywhere.test/ [lang=en quoted="a b"]
	// https://www.example.com/ [lang=en sid=abc quoted="a b"]
	// https://api.example.com/v2/users [api=k lang=en sid=abc quoted="a b"]
}

func ExampleJar_Get() {
	j := jar.New()
	_ = j.Set("k", "v1", jar.Domain("test1.com"))
	_ = j.Set("k", "v2", jar.Domain("test2.com"))

	_, err := j.Get("k")
	var conflict *jar.ConflictError
	fmt.Println(errors.Is(err, jar.ErrConflict), errors.As(err, &conflict), len(conflict.Cookies))

	v, err := j.Get("k", jar.Domain("test2.com"))
	fmt.Println(v, err)

	_, err = j.Get("missing")
	fmt.Println(errors.Is(err, jar.ErrNotFound), err)
	// Output:
	// true true 2
	// v2 <nil>
	// true jar: no such cookie: "missing"
}

func ExampleConflictError() {
	j := jar.New()
	_ = j.Set("k", "1")
	_ = j.Set("k", "2", jar.Path("/some/path"))
	_, err := j.Get("k")
	fmt.Println(err)
	// Output:
	// jar: 2 cookies named "k" match (session-wide /, session-wide /some/path); filter with Domain or Path
}

func ExampleJar_Delete() {
	j := jar.New()
	_ = j.Set("k", "1", jar.Domain("a.test"))
	_ = j.Set("k", "2", jar.Domain("b.test"))
	_ = j.Set("other", "3")

	fmt.Println(j.Delete("k", jar.Domain("a.test")), j.Map())
	fmt.Println(j.Delete("k"), j.Map())
	// Output:
	// 1 map[k:2 other:3]
	// 1 map[other:3]
}

func ExampleJar_Clear() {
	j := jar.New()
	_ = j.Set("a", "1", jar.Domain("a.test"))
	_ = j.Set("b", "2", jar.Domain("a.test"))
	_ = j.Set("c", "3", jar.Domain("c.test"))

	fmt.Println(j.Clear(jar.Domain("a.test")), j.Map())
	fmt.Println(j.Clear(), j.Len())
	// Output:
	// 2 map[c:3]
	// 1 0
}

func ExampleJar_Update() {
	j := jar.New()
	_ = j.Set("test", "old")
	if err := j.Update(map[string]string{"test": "cookie", "new": "n"}); err != nil {
		log.Fatal(err)
	}
	fmt.Println(j.Map())
	// Output:
	// map[new:n test:cookie]
}

func ExampleFromMap() {
	j, err := jar.FromMap(map[string]string{"a": "1", "b": "2"})
	if err != nil {
		log.Fatal(err)
	}
	u, _ := url.Parse("https://any.example/")
	fmt.Println(j.Cookies(u))
	// Output:
	// [a=1 b=2]
}

func ExampleJar_Merge() {
	dst := jar.New()
	_ = dst.Set("a", "old")
	_ = dst.Set("keep", "k")
	src := jar.New()
	_ = src.Set("a", "new")
	_ = src.Set("d", "x", jar.Domain("example.com"))

	_ = dst.Merge(src)
	fmt.Println(dst.Map())
	// Output:
	// map[a:new d:x keep:k]
}

func ExampleJar_Map() {
	j := jar.New()
	_ = j.Set("a", "1", jar.Domain("example.com"))
	_ = j.Set("b", "2", jar.Domain("example.com"), jar.Path("/api"))
	_ = j.Set("c", "3", jar.Domain("other.org"))

	fmt.Println(j.Map())
	fmt.Println(j.Map(jar.Domain("example.com")))
	fmt.Println(j.Map(jar.Domain("example.com"), jar.Path("/api")))
	// Output:
	// map[a:1 b:2 c:3]
	// map[a:1 b:2]
	// map[b:2]
}

func ExampleJar_All() {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	j := jar.New(jar.WithClock(func() time.Time { return now }))
	u, _ := url.Parse("https://www.example.com/")
	c, _ := http.ParseSetCookie("id=7; Domain=example.com; Secure; HttpOnly; Max-Age=3600")
	j.SetCookies(u, []*http.Cookie{c})
	_ = j.Set("lang", "en")

	for _, c := range j.All() {
		fmt.Printf("%s=%s domain=%q path=%s hostOnly=%t sessionWide=%t secure=%t httpOnly=%t expires=%s\n",
			c.Name, c.Value, c.Domain, c.Path, c.HostOnly, c.SessionWide, c.Secure, c.HttpOnly, c.Expires.Format(time.RFC3339))
	}
	// Output:
	// lang=en domain="" path=/ hostOnly=false sessionWide=true secure=false httpOnly=false expires=0001-01-01T00:00:00Z
	// id=7 domain="example.com" path=/ hostOnly=false sessionWide=false secure=true httpOnly=true expires=2030-01-01T01:00:00Z
}

func ExampleJar_Domains() {
	j := jar.New()
	_ = j.Set("a", "1", jar.Domain("b.example"))
	_ = j.Set("b", "2", jar.Domain("a.example"))
	_ = j.Set("c", "3", jar.Domain("a.example"), jar.Path("/x"))
	_ = j.Set("w", "4")
	fmt.Printf("%q\n", j.Domains())
	// Output:
	// ["" "a.example" "b.example"]
}

func ExampleJar_Paths() {
	j := jar.New()
	_ = j.Set("a", "1", jar.Path("/x"))
	_ = j.Set("b", "2")
	_ = j.Set("c", "3", jar.Domain("a.example"), jar.Path("/x"))
	fmt.Println(j.Paths())
	// Output:
	// [/ /x]
}

func ExampleJar_Len() {
	j := jar.New()
	_ = j.Set("a", "1")
	_ = j.Set("a", "2") // replaces
	_ = j.Set("b", "3")
	fmt.Println(j.Len())
	// Output:
	// 2
}

func ExampleJar_Clone() {
	j := jar.New()
	_ = j.Set("a", "1")
	c := j.Clone()
	_ = c.Set("a", "2")
	_ = c.Set("b", "3")
	fmt.Println(j.Map(), c.Map())
	// Output:
	// map[a:1] map[a:2 b:3]
}

func ExampleJar_Save() {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	j := jar.New(jar.WithClock(func() time.Time { return now }))
	u, _ := url.Parse("https://www.example.com/")
	c1, _ := http.ParseSetCookie("dom=1; Domain=example.com; Max-Age=3600")
	c2, _ := http.ParseSetCookie("host=2; HttpOnly; Secure; Max-Age=3600")
	c3, _ := http.ParseSetCookie("session=3")
	j.SetCookies(u, []*http.Cookie{c1, c2, c3})

	if err := j.Save(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// # Netscape HTTP Cookie File
	// # https://curl.se/docs/http-cookies.html
	// # Written by github.com/tether-http/tether/jar. Edit at your own risk.
	//
	// .example.com	TRUE	/	FALSE	1893459600	dom	1
	// #HttpOnly_www.example.com	FALSE	/	TRUE	1893459600	host	2
}

func ExampleJar_Load() {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	j := jar.New(jar.WithClock(func() time.Time { return now }))
	file := "# Netscape HTTP Cookie File\n" +
		".example.com\tTRUE\t/\tFALSE\t1893459600\tdom\t1\n" +
		"#HttpOnly_www.example.com\tFALSE\t/\tTRUE\t0\thost\t2\n"
	if err := j.Load(strings.NewReader(file)); err != nil {
		log.Fatal(err)
	}
	fmt.Println(j.Map())

	err := j.Load(strings.NewReader("example.com\tTRUE\t/\n"))
	fmt.Println(errors.Is(err, jar.ErrSyntax), err)
	// Output:
	// map[dom:1 host:2]
	// true jar: cookies.txt line 1: want 7 tab-separated fields, got 3
}

func ExampleJar_SaveFile() {
	dir, err := os.MkdirTemp("", "jar-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, "cookies.txt")

	j := jar.New()
	_ = j.Set("sid", "abc", jar.Domain("example.com"))
	if err := j.SaveFile(name, jar.WithSessionCookies()); err != nil {
		log.Fatal(err)
	}
	info, _ := os.Stat(name)
	fmt.Println(info.Mode().Perm())

	loaded := jar.New()
	if err := loaded.LoadFile(name); err != nil {
		log.Fatal(err)
	}
	fmt.Println(loaded.Map())
	// Output:
	// -rw-------
	// map[sid:abc]
}
