// Package client provides [Session], Python requests' Session for Go: a
// chainable builder of persistent defaults from which every request is
// spawned as an immutable [request.Builder]. The Examples show each snippet
// of requests' "Session Objects" documentation in Go.
//
// # Merging
//
// Method-level values override session values for that one request and are
// never persisted: headers by case-insensitive name, query parameters by
// case-sensitive key (keeping requests' order: the URL's own query, then the
// session's, then new method keys), auth as a whole. A request removes a
// session value for itself with DelHeader, DelParam, DelCookie or NoAuth:
// what None does in requests.
//
// # Cookies
//
// The session's [jar.Jar] is live: every response's Set-Cookie, on every
// redirect hop, lands in it, and every request reads it, builders already
// spawned included. A builder holds the jar the session had when it was
// spawned: after [Session.SetJar], builders spawned before keep the old jar. [Session.SetCookie] sets a session-wide cookie, like
// requests' s.cookies.set(name, value).
//
// # Concurrency
//
// Setters replace an immutable snapshot under a lock (copy-on-write);
// spawning a builder loads the current snapshot with no lock and no copy.
// A session can be used and changed from many goroutines at once.
//
// # Errors
//
// Setters cannot return errors without breaking the chain, so a rejected
// value (an unparsable base URL, a negative timeout, an invalid cookie
// name) is kept: [Session.Err] shows it, and every [request.Builder.Do]
// returns it, until the setter is called again with a valid value.
package client
