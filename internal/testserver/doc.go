// Package testserver is tether's test server: go-httpbin
// ([github.com/mccutchen/go-httpbin/v2]) on loopback, plus the routes
// httpbin.org has and go-httpbin lacks, plus a recorder of every request it
// receives (method, path, raw query, headers, cookies, body), so that tests
// can assert on what really went over the wire.
//
// Tests, Examples, the demo, the conformance suite and the benchmarks use
// it; there are no mocked transports.
//
// # Routes added to go-httpbin
//
//   - /cookies/set/{name}/{value}: sets the cookie and redirects to /cookies,
//     as httpbin.org does.
//   - Any path with a "status", "location" or "set-cookie" query parameter
//     answers with that status, Location and Set-Cookie headers (set-cookie may
//     repeat) and a JSON echo of the request. This lets a test make any path
//     redirect or set cookies, e.g. /a/b/c?set-cookie=p1%3D1.
//   - /echo and anything below it: a JSON echo of the request, status 200.
//   - /redirect-loop: a 302 to itself (query included), for redirect loops.
//   - /_testserver/body?body=TEXT&ct=TYPE&ce=gzip ([BodyPath]): a 200 whose
//     body, Content-Type and Content-Encoding the query chooses (hex=HEX
//     for bytes; no ct, no Content-Type), for tests of how a client reads
//     and decodes bodies.
//   - /_testserver/flaky?key=K&fail=N&status=S&retry_after=A&cookie=C
//     ([FlakyPath]): status S (default 503) for the first N (default 1)
//     requests with key K, then 200, for tests of retries; Retry-After and
//     Set-Cookie on the failures when asked.
//   - /_testserver/mark?label=L ([MarkPath]): sets the label of the requests
//     that follow, like [Server.Mark], for clients in other processes (the
//     conformance suite's Python oracle). It is answered 204 and not
//     recorded.
//
// # Other servers
//
//   - [StartIPv6] and [NewIPv6] start the same server on the IPv6 loopback
//     address ([::1]), where the host has one.
//   - [StartUnix] and [NewUnix] start the same server on a Unix socket,
//     for clients that dial it themselves.
//   - [StartTLS] and [NewTLS] start it over HTTPS (HTTP/1.1 only), with
//     httptest's certificate; [StartHTTP2] and [NewHTTP2] likewise, offering
//     HTTP/2 too; [StartTLSWithoutALPN] and [NewTLSWithoutALPN] likewise,
//     choosing no protocol by ALPN whatever the client offers (HTTP/1.1).
//   - [StartH2C] and [NewH2C] start it over plain HTTP that also speaks
//     HTTP/2 with prior knowledge (h2c); [Recorded.Proto] says which
//     protocol a request came over.
//   - [StartProxy] and [NewProxy] start an HTTP forward proxy on 127.0.0.1
//     (github.com/elazarl/goproxy; it also tunnels CONNECT) that records
//     every proxy request it receives ([ProxyEntry]: method, target as
//     sent, Proxy-Authorization, label). Forwarded requests reach the
//     origin without Proxy-Authorization, with Connection: close and
//     otherwise as sent. The mark route works on it too.
//
// [Recorded.RequestURI] is the request target as sent on the request
// line, escapes and all (Path is decoded). The scripted location
// parameter is query-decoded once, so it can carry any bytes, such as raw
// UTF-8 (location=%C3%A9) or an escape to keep (location=%252F).
//
// # Labels and order
//
// [Server.Entries] returns every recorded request with its label, a
// sequence number that orders requests across all servers (and proxies)
// of the process, and the number of the connection it came on, so that a
// test driving several servers can split the log by step and check
// connection reuse.
package testserver
