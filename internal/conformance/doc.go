// Package conformance checks tether against Python requests, which is its
// specification: the same cases run through requests.Session (oracle.py,
// standard library and requests only) and through a tether
// [client.Session], against the recording server of package testserver,
// and what the server saw must match.
//
// # Cases
//
// Cases are data, in testdata/conformance/<area>.json for the areas
// headers, params, auth, cookies, redirects and seed. A case names the
// session setup (headers, params, auth, cookies, max_redirects), then its
// steps: a method, a URL on H1 (127.0.0.1), H2 (localhost, the same server)
// or H3 (another server on 127.0.0.1), the server's scripted answer
// (status, Location, Set-Cookie: testserver's scripting query) and the
// method-level arguments (headers, params, cookies, auth, data, form,
// json, allow_redirects). [Case] and [Step] document the vocabulary; a null
// value is requests' None (DelHeader, DelParam, DelCookie in tether).
//
// # What is compared
//
// For every step: every request the servers saw (method, host, path, raw
// query in order, headers, Cookie pairs in order, body); the response's
// status, final URL, history (status and URL of each redirect response),
// next URL and error kind; the session's jar afterwards; and, where a step
// asks, the response body or whether a new connection was used. See
// [Result].
//
// # Normalisation
//
// Both sides' recordings are normalised the same way before comparison:
//
//   - host:port of the servers becomes H1, H2 or H3, in Host, URLs and
//     queries (plain or percent-encoded): ports differ between runs.
//   - Header names are compared case-insensitively and as a set: Go
//     canonicalises names and writes headers sorted, so requests' wire order
//     and spelling cannot be reproduced. Host is compared separately, Cookie
//     as its pairs.
//   - Each side's own default User-Agent (python-requests/2.34.2,
//     tether/<version>) and default Accept-Encoding (requests' "gzip,
//     deflate", tether's "gzip, deflate, br, zstd") become "<default>". Any
//     other value, such as what a transport sends once the default is
//     removed, is compared as it is. (So a case must not set these
//     headers to the other side's default value.)
//   - Connection is dropped: urllib3 sends keep-alive, Go's HTTP/1.1
//     transport nothing, and it is hop-by-hop.
//   - The jar is compared as a sorted list; requests' domain ".x" is "x",
//     its "localhost.local" (http.cookiejar's name for a dotless host) is
//     "localhost", and a session-wide cookie has domain "".
//   - The next URL is compared only for responses returned without error:
//     requests' TooManyRedirects response has no r.next, tether's
//     RedirectError response has one.
//
// Cookie order is compared as sent. Where the order differs across
// domains, the case states it as a deliberate difference.
//
// # Deliberate differences
//
// Where tether differs from requests on purpose, the case lists the
// difference: a JSON pointer into the result, requests' value, tether's
// value and the reason. The test checks that the golden result holds
// requests' value there, then expects tether's; so the statement stays
// true on both sides.
//
// # Golden files and the live oracle
//
// testdata/conformance/golden/<area>.json holds requests' normalised
// results. go test compares tether with them. When python3 can import
// requests 2.34.2 (as here and in CI), go test also runs oracle.py once, for
// all cases, against servers of its own, and fails if a golden result is
// stale or missing; otherwise that part is skipped with a message saying
// why. Regenerate the golden files with
//
//	make golden
//
// which runs go test ./internal/conformance -run TestConformance -update.
package conformance
