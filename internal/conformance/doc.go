// Package conformance checks tether against Python requests, which is its
// specification: the same cases run through requests.Session (oracle.py,
// standard library and requests only) and through a tether
// [client.Session], against the recording server of package testserver,
// and what the server saw must match.
//
// # Cases
//
// Cases are data, in testdata/conformance/<area>.json for the areas
// headers, params, auth, cookies, redirects, seed and bodies. A case names
// the session setup (headers, params, auth, cookies, max_redirects), then
// its steps: a method, a URL on H1 (127.0.0.1), H2 (localhost, the same
// server) or H3 (another server on 127.0.0.1), the server's scripted answer
// (status, Location, Set-Cookie: testserver's scripting query; or, on
// testserver's body route, the response body, Content-Type and
// Content-Encoding) and the method-level arguments (headers, params,
// cookies, auth, data, data_b64, form, files, json, allow_redirects,
// stream). [Case] and [Step] document the vocabulary; a null value is
// requests' None (DelHeader, DelParam, DelCookie in tether).
//
// A step may also ask what the caller read: r.text (text), r.encoding
// (encoding), r.content (content), the body as JSON (text_json), or what
// r.iter_lines(delimiter=...) or r.iter_content(chunk_size=n) yielded
// (tether's Lines, LinesDelim, Chunks). Files are [FilePart]s: requests'
// files=[(field, (filename, content[, type[, headers]]))] and tether's File,
// or, with file_path, a file written to a temporary directory and sent as
// open(path, 'rb') and FileFromPath. A part without filename, requests'
// (None, content), cannot be expressed with tether's API, and LoadCases
// rejects it.
//
// # What is compared
//
// For every step: every request the servers saw (method, host, path, raw
// query in order, headers, Cookie pairs in order, body); the response's
// status, final URL, history (status and URL of each redirect response),
// next URL and error kind; the session's jar afterwards; and, where a step
// asks, the response body (as text, bytes, JSON, lines or chunks), its
// encoding, or whether a new connection was used. See [Result].
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
//   - A multipart/form-data request body is compared as its parts, never
//     its random boundary: each part's name, filename (as sent, escapes
//     and all), header lines ("name: value", the name lowercased, the lines
//     sorted) and content. The boundary becomes "<boundary>" in the
//     Content-Type. Content-Length is compared as sent: urllib3 and tether
//     both draw 16 random bytes written as 32 hex digits, so the lengths
//     agree. The body is split strictly (no preamble or epilogue, CRLF
//     line ends, nothing decoded); one that does not split stays whole,
//     its boundary replaced, with the reason beside it. A body whose
//     Content-Type names no boundary (the caller's own Content-Type won)
//     is split on the boundary of its first line if it ends with the
//     matching closing delimiter.
//   - Byte strings that are not UTF-8 (request bodies, part contents,
//     r.content, lines and chunks) are written as {"b64": ...}; valid
//     UTF-8 as a JSON string.
//   - A body recorded as JSON (text_json) has host:port labelled in every
//     string, and a go-httpbin echo's "headers" object is normalised like
//     a hop's headers (lowercase names, no Host, Cookie or Connection, each
//     side's defaults "<default>"): urllib3 sends Connection: keep-alive,
//     which go-httpbin echoes.
//   - requests' r.encoding None is "".
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
