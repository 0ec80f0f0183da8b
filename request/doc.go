// Package request builds and sends HTTP requests with Python requests'
// semantics: an immutable [Builder], a [Response] read in full or streamed
// ([Builder.Stream]), URLs prepared byte for byte as requests sends them,
// and requests' exception tree as typed errors.
//
// Builders come from a [github.com/tether-http/tether/client.Session] (with
// the session's defaults) or from the package-level [Get], [Post], ...
// functions (no defaults kept between calls; connections pooled).
//
// # Immutability
//
// Every Builder method returns a new Builder; the receiver never changes and
// nothing is shared that a later step could write. A half-built Builder is a
// template: extend it from many goroutines, or in a table of test cases
// (see the Builder Example).
//
// # Redirects
//
// [Builder.Do] follows 301, 302, 303, 307 and 308 with requests' rules for
// the method and body, rebuilds cookies for each hop from the jar, drops an
// explicit Cookie header on every redirect (as requests does), and drops
// Authorization when the host, scheme or port changes (except http to https
// on default ports), and with it the headers a session names with
// SetSensitiveHeaders (an API key, say). Unlike requests, cookies that are not scoped to a host
// (session-wide and method-level ones) and an explicit Host header never
// follow a redirect to another host. A redirect's target is checked as the
// first URL is: a Location to another scheme is an [ErrUnsupportedScheme]
// error and one that cannot be parsed an [ErrInvalidURL] error, both a
// [*LocationError] carrying the redirect. At most the session's
// MaxRedirects (default 30) are followed; then Do returns a
// [*RedirectError]. [Builder.NoRedirects] returns the redirect as it is,
// with [Response.Next].
//
// # Bodies
//
// Request bodies are bytes, readers and files ([Builder.Body],
// [Builder.JSON], [Builder.Form], multipart [Builder.File] and
// [Builder.FileFromPath]), opened anew for every send so that redirects and
// retries replay them, and streamed, never read into memory. Responses are
// decoded by their Content-Encoding (gzip, deflate, br, zstd) and can be
// read as [Response.Lines], [Response.Chunks], [Response.Events] or saved
// with [Response.SaveFile]; [Builder.MaxBodySize] bounds what is read into
// memory.
//
// # Errors
//
// Builder methods never panic; bad input is recorded and returned by Do,
// wrapped around a sentinel such as [ErrInvalidURL] or [ErrInvalidHeader]
// for [errors.Is], and nothing is sent. A failing [Auth] is an [ErrAuth]
// error that also wraps the Auth's own, and sends nothing. Transport
// failures wrap [ErrTransport] and the cause (e.g. [context.DeadlineExceeded]). A 4xx or
// 5xx status is not an error from Do; [Response.Err] turns it into a
// [*StatusError], like raise_for_status.
package request
