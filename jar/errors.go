package jar

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tether-http/tether/internal/typednil"
)

var (
	// ErrNotFound is returned by [Jar.Get] when no cookie matches.
	ErrNotFound = errors.New("jar: no such cookie")

	// ErrConflict matches a [*ConflictError] with [errors.Is].
	ErrConflict = errors.New("jar: several cookies match")

	// ErrInvalidCookie matches a [*CookieError] with [errors.Is].
	ErrInvalidCookie = errors.New("jar: invalid cookie")

	// ErrSyntax matches a [*SyntaxError] with [errors.Is].
	ErrSyntax = errors.New("jar: cookies.txt syntax error")

	// ErrNilJar is returned by the methods that would change a nil *Jar:
	// [Jar.Set], [Jar.Update], [Jar.Merge], [Jar.Load] and [Jar.LoadFile].
	ErrNilJar = errors.New("jar: nil *Jar")

	// ErrNilArgument is returned by [Jar.Load] given a nil [io.Reader] and
	// by [Jar.Save] given a nil [io.Writer], typed nils such as a nil
	// *bytes.Buffer included.
	ErrNilArgument = errors.New("jar: nil argument")

	errIllegalDomain   = errors.New("illegal cookie domain attribute")
	errMalformedDomain = errors.New("malformed cookie domain attribute")
)

// A ConflictError is returned by [Jar.Get] when more than one cookie has
// the name asked for, like requests' CookieConflictError. Narrow the
// search with [Domain] or [Path].
type ConflictError struct {
	Name    string
	Cookies []Cookie // every matching cookie, in [Jar.All] order
}

func (e *ConflictError) Error() string {
	places := make([]string, len(e.Cookies))
	for i, c := range e.Cookies {
		places[i] = c.place()
	}
	return fmt.Sprintf("jar: %d cookies named %q match (%s); filter with Domain or Path",
		len(e.Cookies), e.Name, strings.Join(places, ", "))
}

// Is reports whether target is [ErrConflict].
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// A CookieError reports a cookie that [Jar.Set], [Jar.Update] or [FromMap]
// refused, or one that [Jar.Save] could not write as a line [Jar.Load]
// reads back as the same cookie. It matches [ErrInvalidCookie] with
// [errors.Is].
type CookieError struct {
	Name  string // the cookie's name
	Field string // "name", "value", "domain", "path" or "expires"
	Err   error  // the underlying reason, often from net/http
}

func (e *CookieError) Error() string {
	return fmt.Sprintf("jar: invalid cookie %q: bad %s: %v", e.Name, e.Field, e.Err)
}

// Is reports whether target is [ErrInvalidCookie].
func (e *CookieError) Is(target error) bool { return target == ErrInvalidCookie }

// Unwrap returns the underlying reason.
func (e *CookieError) Unwrap() error { return e.Err }

// A SyntaxError reports a line of a cookies.txt file that [Jar.Load]
// could not read. It matches [ErrSyntax] with [errors.Is].
type SyntaxError struct {
	File string // the file name, or "cookies.txt" for [Jar.Load]
	Line int    // 1-based line number
	Msg  string // what is wrong
	Err  error  // the underlying reason, if any
}

func (e *SyntaxError) Error() string {
	s := fmt.Sprintf("jar: %s line %d: %s", e.File, e.Line, e.Msg)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is reports whether target is [ErrSyntax].
func (e *SyntaxError) Is(target error) bool { return target == ErrSyntax }

// Unwrap returns the underlying reason.
func (e *SyntaxError) Unwrap() error { return e.Err }

// nilArgument returns an [ErrNilArgument] error if v, the what (such as
// "io.Reader") given to method, is nil or a typed nil such as a nil
// *bytes.Buffer, which would panic when used.
func nilArgument(method, what string, v any) error {
	if v == nil {
		return fmt.Errorf("%w: %s with a nil %s", ErrNilArgument, method, what)
	}
	if typednil.Is(v) {
		return fmt.Errorf("%w: %s with a nil %T", ErrNilArgument, method, v)
	}
	return nil
}
