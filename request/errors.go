package request

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Sentinel errors. Errors returned by [Builder.Do] wrap one of these, so
// callers can test the kind of failure with [errors.Is].
var (
	// ErrInvalidURL: the URL cannot be parsed, has no host, or is empty;
	// also a redirect's Location that cannot be parsed (a [*LocationError]).
	ErrInvalidURL = errors.New("tether: invalid URL")
	// ErrUnsupportedScheme: the URL's scheme, or that of a redirect to be
	// followed, is neither http nor https.
	ErrUnsupportedScheme = errors.New("tether: unsupported URL scheme")
	// ErrInvalidMethod: the method is empty or not an HTTP token.
	ErrInvalidMethod = errors.New("tether: invalid method")
	// ErrInvalidHeader: a header name or value holds a forbidden byte (CR, LF, NUL, ...).
	ErrInvalidHeader = errors.New("tether: invalid header")
	// ErrInvalidCookie: a cookie name or value cannot be sent: for
	// [Builder.Cookie], one that would not arrive as one cookie (a control
	// byte, a ";", an "=" in the name, ...); for the session's SetCookie,
	// one the jar's Set refuses.
	ErrInvalidCookie = errors.New("tether: invalid cookie")
	// ErrInvalidOption: a setting is out of range (a negative timeout, ...).
	ErrInvalidOption = errors.New("tether: invalid option")
	// ErrBody: the request body could not be built (a value JSON cannot encode, ...).
	ErrBody = errors.New("tether: cannot build request body")
	// ErrBodyNotReplayable: a one-shot body (an io.Reader that is neither
	// bytes, a string reader nor an io.Seeker) was already sent, by an
	// earlier Do of the same builder or by a 307/308 redirect.
	ErrBodyNotReplayable = errors.New("tether: request body cannot be sent again")
	// ErrTransport: the request could not be sent or its response read.
	ErrTransport = errors.New("tether: transport error")
	// ErrTooManyRedirects: more redirects than the session allows.
	ErrTooManyRedirects = errors.New("tether: too many redirects")
	// ErrRedirectRefused: the call's redirect check (a session's
	// SetRedirectCheck, [Builder.RedirectCheck]) refused a redirect; a
	// [*RedirectRefusedError] carries the redirect and the check's error.
	// Nothing was sent to the refused URL.
	ErrRedirectRefused = errors.New("tether: redirect refused")
	// ErrStatus: the response has a 4xx or 5xx status (from [Response.Err]).
	ErrStatus = errors.New("tether: error status")
	// ErrBodyTooLarge: the response body is larger than the call's
	// MaxBodySize allows (counted after decoding).
	ErrBodyTooLarge = errors.New("tether: response body too large")
	// ErrDecode: the response body could not be decoded by its
	// Content-Encoding (a corrupt gzip, br, zstd or deflate stream).
	ErrDecode = errors.New("tether: cannot decode response body")
	// ErrHook: a response hook returned an error, which is wrapped too;
	// nothing further was sent.
	ErrHook = errors.New("tether: response hook failed")
	// ErrAuth: the request's [Auth] failed; the cause is wrapped too and
	// nothing was sent.
	ErrAuth = errors.New("tether: auth failed")
	// ErrStreamConsumed: a streamed body was already handed out (Body,
	// Lines, Chunks, Events, SaveFile) and cannot be read again, like
	// requests' StreamConsumedError and "content already consumed"; or
	// [Response.Close] ended it before it was read to its end (that error
	// also matches http.ErrBodyReadAfterClose), where requests would give
	// an empty body.
	ErrStreamConsumed = errors.New("tether: the streamed body was already consumed")
	// ErrJSON: [Response.JSON] could not decode the body into the value
	// (it is not JSON, or not JSON that fits the value), like requests'
	// JSONDecodeError; the encoding/json error is wrapped too.
	ErrJSON = errors.New("tether: decoding JSON")
)

// CheckHeader returns what [client.Session.SetHeader] rejects in a header,
// as Do would report it (errors matching [ErrInvalidHeader], joined), or
// nil: a name that is not an HTTP token, a value with a control byte (CR,
// LF, NUL, ...) or leading whitespace.
func CheckHeader(name string, values ...string) error {
	return errors.Join(headerErrors(http.Header{http.CanonicalHeaderKey(name): values})...)
}

// kindError tags an error with its kind (one of the sentinels above) while
// keeping the cause: errors.Is matches both.
func kindError(kind error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{kind}, args...)...)
}

// StatusError reports a 4xx or 5xx response. It matches ErrStatus. Its
// message is that of requests' HTTPError from raise_for_status
// ("404 Client Error: Not Found for url: ...").
type StatusError struct {
	Response *Response
}

func (e *StatusError) Error() string {
	if e.Response == nil {
		return "tether: error status (no response)"
	}
	code := e.Response.StatusCode()
	side := "Client"
	if code >= 500 {
		side = "Server"
	}
	reason := strings.TrimPrefix(e.Response.Status(), strconv.Itoa(code))
	reason = strings.TrimPrefix(reason, " ")
	return fmt.Sprintf("tether: %d %s Error: %s for url: %s", code, side, reason, redacted(e.Response.URL()))
}

// Is reports whether target is ErrStatus.
func (e *StatusError) Is(target error) bool { return target == ErrStatus }

// RedirectError reports that a call was stopped after Max redirects. It
// matches ErrTooManyRedirects and carries the last redirect response, whose
// History holds the earlier ones.
type RedirectError struct {
	Max      int
	Response *Response
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("tether: exceeded %d redirects (last: %s)", e.Max, responseURL(e.Response))
}

// Is reports whether target is ErrTooManyRedirects.
func (e *RedirectError) Is(target error) bool { return target == ErrTooManyRedirects }

// LocationError reports a redirect that cannot be followed: its Location
// cannot be parsed (matching ErrInvalidURL, as requests raises), or points
// to a scheme other than http and https (matching ErrUnsupportedScheme). It
// carries the redirect response, whose History holds the earlier hops.
type LocationError struct {
	Location string
	Response *Response
	Err      error
}

func (e *LocationError) Error() string {
	loc := e.Location
	if u, err := url.Parse(loc); err == nil {
		loc = u.Redacted()
	}
	return fmt.Sprintf("tether: redirect from %s to %q: %v", responseURL(e.Response), loc, e.Err)
}

// responseURL is r's URL for an error message, "<nil>" for a nil r.
func responseURL(r *Response) string {
	if r == nil {
		return "<nil>"
	}
	return redacted(r.URL())
}

// Unwrap returns the cause, which wraps ErrInvalidURL or ErrUnsupportedScheme.
func (e *LocationError) Unwrap() error { return e.Err }

// RedirectRefusedError reports a redirect that the call's redirect check
// refused: nothing was sent to URL. It matches ErrRedirectRefused, and
// unwraps to the check's own error. It carries the redirect response,
// whose History holds the earlier hops.
type RedirectRefusedError struct {
	// URL is where the redirect pointed, as the check saw it
	// ([Redirect.URL]).
	URL *url.URL
	// Response is the redirect response.
	Response *Response
	// Err is what the check returned.
	Err error
}

func (e *RedirectRefusedError) Error() string {
	return fmt.Sprintf("tether: redirect from %s to %s refused: %v", responseURL(e.Response), redacted(e.URL), e.Err)
}

// Is reports whether target is ErrRedirectRefused.
func (e *RedirectRefusedError) Is(target error) bool { return target == ErrRedirectRefused }

// Unwrap returns the check's error.
func (e *RedirectRefusedError) Unwrap() error { return e.Err }
