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
// spawned: after [Session.SetJar], builders spawned before keep the old
// jar. [Session.SetCookie] sets a session-wide cookie, like requests'
// s.cookies.set(name, value). [Session.Clone] starts another session with
// every setting as it is and a copy of the jar, over the same connections.
//
// # The pipeline
//
// Every hop goes out through the session's transport: one pooled transport
// built by [New] after all its [Option]s ([WithTLSConfig], [WithPoolSize],
// [WithDialContext], [WithProtocols], or the caller's own with
// [WithTransport]), under the middleware of [Session.Use], with
// [Session.Mount]ed transports for URL prefixes. A hop is retried as
// [Session.SetRetry] says, bounded by [Session.SetTimeout],
// [Session.SetConnectTimeout] and [Session.SetReadTimeout], and its
// response seen by the hooks of [Session.OnResponse]. [Session.Transport]
// lends the transport, with the session's TLS settings, proxies and mounts
// but none of its headers, cookies, auth, middleware, retries or
// redirects, to code that takes an *http.Client or an http.RoundTripper.
//
// # Reaching real networks
//
// Proxies, TLS trust and credentials come from the call
// ([request.Builder.Proxy], [request.Builder.Proxies],
// [request.Builder.Verify], [request.Builder.CABundle],
// [request.Builder.ClientCert], [request.Builder.Auth]), then the session
// ([Session.SetProxy], [Session.SetProxies], [Session.SetVerify],
// [Session.SetCABundle], [Session.SetRootCAs], [Session.SetClientCert],
// [Session.SetAuth]), then, unless [Session.SetTrustEnv] is false, the
// environment: HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY read on every
// call, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE and SSL_CERT_FILE, and the netrc
// file for the exact host. An explicit session setting always beats the
// environment. Connections are pooled apart per TLS configuration and per
// proxy.
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
// name, a header with a line break, a TLS or proxy setting on a transport
// given with [WithTransport]) is kept: [Session.Err] shows it, and every
// [request.Builder.Do] returns it, until the setter is called again with a
// valid value.
package client
