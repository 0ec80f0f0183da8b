package jar_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/net/publicsuffix"

	"github.com/tether-http/tether/jar"
)

// cookiesFor prints the cookies j sends to each URL.
func cookiesFor(j *jar.Jar, targets ...string) {
	for _, target := range targets {
		u, err := url.Parse(target)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(target, j.Cookies(u))
	}
}

// Domain binds a cookie to a domain and its subdomains. requests:
//
//	s.cookies.set('sid', 'abc', domain='example.com')
func ExampleDomain() {
	j := jar.New()
	if err := j.Set("sid", "abc", jar.Domain("example.com")); err != nil {
		log.Fatal(err)
	}
	cookiesFor(j, "https://example.com/", "https://www.example.com/", "https://example.org/")

	// As a Filter, Domain picks cookies by their exact domain.
	_ = j.Set("sid", "xyz", jar.Domain("example.org"))
	v, err := j.Get("sid", jar.Domain("example.org"))
	fmt.Println(v, err)
	// Output:
	// https://example.com/ [sid=abc]
	// https://www.example.com/ [sid=abc]
	// https://example.org/ []
	// xyz <nil>
}

// Path limits a cookie to a path and below it. requests:
//
//	s.cookies.set('token', 't', domain='api.example.com', path='/v2')
func ExamplePath() {
	j := jar.New()
	if err := j.Set("token", "t", jar.Domain("api.example.com"), jar.Path("/v2")); err != nil {
		log.Fatal(err)
	}
	cookiesFor(j, "https://api.example.com/v2/users", "https://api.example.com/v1/users")
	fmt.Println(j.Map(jar.Path("/v2")))
	// Output:
	// https://api.example.com/v2/users [token=t]
	// https://api.example.com/v1/users []
	// map[token:t]
}

// Secure keeps a cookie off plain http. requests:
//
//	s.cookies.set('sid', 'abc', domain='example.com', secure=True)
func ExampleSecure() {
	j := jar.New()
	if err := j.Set("sid", "abc", jar.Domain("example.com"), jar.Secure()); err != nil {
		log.Fatal(err)
	}
	cookiesFor(j, "https://example.com/", "http://example.com/")
	// Output:
	// https://example.com/ [sid=abc]
	// http://example.com/ []
}

// HttpOnly marks a cookie HttpOnly; a client sends it as any other, and
// the flag is kept and saved (curl's #HttpOnly_ lines). requests:
//
//	s.cookies.set('sid', 'abc', domain='example.com', rest={'HttpOnly': None})
func ExampleHttpOnly() {
	j := jar.New()
	if err := j.Set("sid", "abc", jar.Domain("example.com"), jar.HttpOnly()); err != nil {
		log.Fatal(err)
	}
	c := j.All()[0]
	fmt.Println(c.Name, c.HttpOnly)
	cookiesFor(j, "https://example.com/")
	// Output:
	// sid true
	// https://example.com/ [sid=abc]
}

// Expires makes a cookie persistent until a time; after it the cookie is
// gone. requests:
//
//	s.cookies.set('remember', '1', domain='example.com', expires=1893459600)
func ExampleExpires() {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	j := jar.New(jar.WithClock(func() time.Time { return now }))
	if err := j.Set("remember", "1", jar.Domain("example.com"), jar.Expires(now.Add(time.Hour))); err != nil {
		log.Fatal(err)
	}
	fmt.Println(j.All()[0].Expires.Format(time.RFC3339), j.Len())
	now = now.Add(2 * time.Hour)
	fmt.Println(j.Len())
	// Output:
	// 2030-01-01T01:00:00Z 1
	// 0
}

// WithSessionCookies makes Save write session cookies too, which a
// browser (and Save by default) forgets; curl -c writes them the same way.
func ExampleWithSessionCookies() {
	j := jar.New()
	if err := j.Set("sid", "abc", jar.Domain("example.com")); err != nil {
		log.Fatal(err)
	}
	var without, with bytes.Buffer
	if err := j.Save(&without); err != nil {
		log.Fatal(err)
	}
	if err := j.Save(&with, jar.WithSessionCookies()); err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.Contains(without.String(), "sid"))
	lines := strings.Split(strings.TrimSpace(with.String()), "\n")
	fmt.Println(lines[len(lines)-1])
	// Output:
	// false
	// .example.com	TRUE	/	FALSE	0	sid	abc
}

// internalSuffixes is the public suffix list with one private suffix
// added: apps.internal, under which each team's host is its own site.
type internalSuffixes struct{}

func (internalSuffixes) PublicSuffix(domain string) string {
	if strings.HasSuffix(domain, ".apps.internal") {
		return "apps.internal"
	}
	return publicsuffix.List.PublicSuffix(domain)
}

func (internalSuffixes) String() string { return "publicsuffix.List + apps.internal" }

// WithPublicSuffixList decides which domains a server may set cookies
// for. With apps.internal listed as a public suffix, one team's host
// cannot set a cookie for every other team's.
func ExampleWithPublicSuffixList() {
	u, _ := url.Parse("https://billing.apps.internal/")
	c, _ := http.ParseSetCookie("sid=abc; Domain=apps.internal")
	for _, j := range []*jar.Jar{jar.New(), jar.New(jar.WithPublicSuffixList(internalSuffixes{}))} {
		j.SetCookies(u, []*http.Cookie{c})
		cookiesFor(j, "https://search.apps.internal/")
	}
	// Output:
	// https://search.apps.internal/ [sid=abc]
	// https://search.apps.internal/ []
}

// LoadFile reads a cookies.txt file as curl -c writes it, e.g. to reuse a
// browser's or curl's login. requests:
//
//	cj = http.cookiejar.MozillaCookieJar('cookies.txt'); cj.load()
//	s.cookies.update(cj)
func ExampleJar_LoadFile() {
	dir, err := os.MkdirTemp("", "jar-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, "cookies.txt")
	file := "# Netscape HTTP Cookie File\n" +
		".example.com\tTRUE\t/\tTRUE\t4102444800\tsid\tabc\n"
	if err := os.WriteFile(name, []byte(file), 0o600); err != nil {
		log.Fatal(err)
	}

	j := jar.New()
	if err := j.LoadFile(name); err != nil {
		log.Fatal(err)
	}
	cookiesFor(j, "https://www.example.com/")

	err = j.LoadFile(filepath.Join(dir, "missing.txt"))
	fmt.Println(errors.Is(err, fs.ErrNotExist))
	// Output:
	// https://www.example.com/ [sid=abc]
	// true
}

// A nil *Jar reads as an empty jar; adding cookies to it is an ErrNilJar
// error instead of a panic.
func ExampleJar_Set_nilJar() {
	var j *jar.Jar
	fmt.Println(j.Len(), j.Map())
	err := j.Set("sid", "abc")
	fmt.Println(errors.Is(err, jar.ErrNilJar))
	err = j.Load(strings.NewReader(""))
	fmt.Println(errors.Is(err, jar.ErrNilJar))
	// Output:
	// 0 map[]
	// true
	// true
}

// Save and Load given a nil writer or reader, a typed nil such as a nil
// *bytes.Buffer included, return ErrNilArgument instead of panicking.
func ExampleJar_Save_nilWriter() {
	j := jar.New()
	var buf *bytes.Buffer // never made
	err := j.Save(buf)
	fmt.Println(errors.Is(err, jar.ErrNilArgument))
	err = j.Load(nil)
	fmt.Println(errors.Is(err, jar.ErrNilArgument))
	// Output:
	// true
	// true
}
