package jar

import (
	"errors"
	"fmt"
	"strings"
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
// refused. It matches [ErrInvalidCookie] with [errors.Is].
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
