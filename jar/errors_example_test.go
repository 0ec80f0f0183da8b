package jar_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tether-http/tether/jar"
)

// A ConflictError's message lists where the cookies of one name are, so
// that the caller can pick one with Domain or Path. requests:
//
//	s.cookies.get('k')  # raises CookieConflictError
func ExampleConflictError_Error() {
	j := jar.New()
	_ = j.Set("k", "1", jar.Domain("a.example"))
	_ = j.Set("k", "2", jar.Domain("b.example"))
	_, err := j.Get("k")
	fmt.Println(err)
	// Output:
	// jar: 2 cookies named "k" match (a.example/, b.example/); filter with Domain or Path
}

// A ConflictError matches ErrConflict; narrowing by Domain resolves it.
// requests:
//
//	try:
//	    v = s.cookies.get('k')
//	except requests.cookies.CookieConflictError:
//	    v = s.cookies.get('k', domain='a.example')
func ExampleConflictError_Is() {
	j := jar.New()
	_ = j.Set("k", "1", jar.Domain("a.example"))
	_ = j.Set("k", "2", jar.Domain("b.example"))
	v, err := j.Get("k")
	if errors.Is(err, jar.ErrConflict) {
		v, err = j.Get("k", jar.Domain("a.example"))
	}
	fmt.Println(v, err)
	// Output:
	// 1 <nil>
}

// A CookieError's message names the cookie and the field refused.
func ExampleCookieError_Error() {
	j := jar.New()
	err := j.Set("sid", "abc;def")
	fmt.Println(err)
	// Output:
	// jar: invalid cookie "sid": bad value: a ";" would end the cookie-value
}

// A CookieError matches ErrInvalidCookie, e.g. to reject user input.
func ExampleCookieError_Is() {
	j := jar.New()
	for _, name := range []string{"theme", "the me"} {
		err := j.Set(name, "dark")
		fmt.Printf("%q invalid: %t\n", name, errors.Is(err, jar.ErrInvalidCookie))
	}
	// Output:
	// "theme" invalid: false
	// "the me" invalid: true
}

// Unwrap gives the underlying reason; the CookieError's Field says which
// part of the cookie it is about.
func ExampleCookieError_Unwrap() {
	j := jar.New()
	err := j.Set("sid", "abc", jar.Domain("exa mple.com"))
	var ce *jar.CookieError
	if errors.As(err, &ce) {
		fmt.Println(ce.Field, ce.Unwrap() != nil)
	}
	// Output:
	// domain true
}

// A SyntaxError's message names the line of the cookies.txt file.
func ExampleSyntaxError_Error() {
	j := jar.New()
	err := j.Load(strings.NewReader("# Netscape HTTP Cookie File\nexample.com\tTRUE\t/\tFALSE\tsoon\tsid\tabc\n"))
	fmt.Println(err)
	// Output:
	// jar: cookies.txt line 2: expires field "soon" is not a Unix time
}

// A SyntaxError matches ErrSyntax: the file is malformed, and nothing was
// loaded. requests' MozillaCookieJar raises LoadError.
func ExampleSyntaxError_Is() {
	j := jar.New()
	err := j.Load(strings.NewReader("example.com\tTRUE\t/\tFALSE\t0\tok\t1\nnot a cookie line\n"))
	fmt.Println(errors.Is(err, jar.ErrSyntax), j.Len())
	// Output:
	// true 0
}

// Unwrap gives the underlying reason of a bad line, if any: here the
// *CookieError for a cookie name with a space.
func ExampleSyntaxError_Unwrap() {
	j := jar.New()
	err := j.Load(strings.NewReader("example.com\tFALSE\t/\tFALSE\t0\tmy;sid\tabc\n"))
	var se *jar.SyntaxError
	if errors.As(err, &se) {
		var ce *jar.CookieError
		fmt.Println(se.Line, se.Msg, errors.As(se.Unwrap(), &ce) && ce.Field == "name")
	}
	// Output:
	// 1 bad cookie true
}
