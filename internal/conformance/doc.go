// Package conformance checks tether against Python requests, which is its
// specification: the same cases run through requests.Session (oracle.py,
// standard library and requests only) and through a tether
// [client.Session], against the recording server of package testserver,
// and what the server saw must match.
//
// # Cases
//
// Cases are data, in testdata/conformance/<area>.json for the areas
// headers, params, auth, cookies, redirects, seed, bodies, pipeline, urls
// and network. A case names the session setup (headers, params, auth,
// cookies, max_redirects, digest, hooks, retry, trust_env, proxies), then
// its steps: a method, a URL on H1 (127.0.0.1), H2 (localhost, the same
// server), H3 (another server on 127.0.0.1) or H6 (a server on [::1]),
// the server's scripted answer (status, Location, Set-Cookie:
// testserver's scripting query; or, on
// testserver's body route, the response body, Content-Type and
// Content-Encoding) and the method-level arguments (headers, params,
// cookies, auth, data, data_b64, form, files, json, allow_redirects,
// stream, digest, hooks, retry, no_retry, proxies). [Case] and [Step]
// document the vocabulary; a null value is requests' None (DelHeader,
// DelParam, DelCookie, NoProxy in tether).
//
// The pipeline area drives hooks, retries and Digest authentication:
//
//   - hooks: ["s1", "s2"] on the session appends response hooks to
//     s.hooks['response'] (tether's Session.OnResponse); on a step they are
//     hooks={'response': [...]} (Builder.OnResponse), which replace the
//     session's. Each run records "name status path"; a name ending in "!"
//     fails after recording (raises; returns an error) and the step's error
//     is "hook_error".
//   - retry: {"attempts": n, "statuses": [...], "methods": [...]} on the
//     session mounts HTTPAdapter(max_retries=urllib3 Retry(total=n-1,
//     status_forcelist=statuses, allowed_methods=methods, backoff_factor=0,
//     respect_retry_after_header=True, raise_on_status=False)) on http://
//     and https:// (tether's SetRetry with no backoff); methods left out is
//     both sides' default. On a step it is tether's Builder.Retry, and the
//     oracle mounts such adapters for that call only, as it mounts plain
//     ones for no_retry (Builder.NoRetry). attempts: true records how many
//     tries the final response took (len(r.raw.retries.history) + 1;
//     Attempts).
//   - digest: [user, password] on the session is s.auth =
//     HTTPDigestAuth(...) (SetAuth with a DigestAuth); on a step it is
//     auth=HTTPDigestAuth(...), a new object for that call (Builder.Auth).
//   - testserver's flaky route (/_testserver/flaky?key=K&fail=N&status=S&
//     retry_after=A&cookie=C) fails N times per key, then answers 200. The
//     oracle runs every case against the same servers, so LoadCases checks
//     that no two cases use one key (in a URL or a scripted Location); the
//     steps of one case may share one.
//
// The urls area asks, with target on a step, for the request target each
// hop had on the request line (path and query, escapes and all:
// testserver's RequestURI), beside the decoded path. A Location with raw
// UTF-8 bytes is scripted by writing them in the case: the scripting
// parameter is query-escaped, and the server puts the bytes back as they
// are. A case using {H6} runs only where the host has an IPv6 loopback;
// elsewhere both sides skip it and its golden result is kept.
//
// The network area reads the environment:
//
//   - trust_env on the session is s.trust_env (tether's SetTrustEnv).
//     Every case runs with trust_env=False on both sides unless it says
//     true: the suite's setup reads nothing from the environment.
//   - netrc on a case is the text of a netrc file written for it; NETRC
//     names it while the case runs. env on a case sets proxy variables
//     (HTTP_PROXY, NO_PROXY, ...; [EnvNames]) while it runs. The oracle
//     sets them in os.environ for the case; the Go test sets them with
//     t.Setenv, so a case with env, netrc or trust_env does not run in
//     parallel (it runs before the parallel cases resume).
//   - Both sides start without the machine's proxy variables, and with
//     NETRC naming a file that does not exist, so that no ~/.netrc is
//     read ([ClearedEnv]).
//   - P is an HTTP forward proxy on 127.0.0.1 (testserver's Proxy, built
//     with goproxy), written {P} (http://host:port) or {Phost} in proxy
//     URLs, env values and s.proxies. proxies on the session is s.proxies
//     (tether's SetProxies, or SetProxy for a lone "all" key); on a step,
//     one key ("http" or "all") is proxies= (tether's Proxy), and null is
//     {'http': None} (tether's NoProxy); any other keys, each with a URL
//     or "", are proxies= (tether's Proxies). For every step of a case that
//     uses P, the result lists what the proxy received (method, absolute
//     target, Proxy-Authorization values); the origin records the
//     forwarded hop as usual.
//
// A step may also ask what the caller read: r.text (text), r.encoding
// (encoding), r.content (content), the body as JSON (text_json), what
// r.iter_lines(delimiter=..., decode_unicode=...) or
// r.iter_content(chunk_size=n) yielded (tether's Lines, LinesDelim,
// TextLines as UTF-8, Chunks), or the Content-Length and
// Transfer-Encoding of the request behind each response as the caller
// sees it (request_framing: r.request.headers, Request().Header). With
// data_stream, data is sent as a body of unknown length (a generator; a
// one-shot reader). Files are [FilePart]s: requests'
// files=[(field, (filename, content[, type[, headers]]))] and tether's File,
// or, with file_path, a file written to a temporary directory and sent as
// open(path, 'rb') and FileFromPath. A part without filename, requests'
// (None, content), cannot be expressed with tether's API, and LoadCases
// rejects it.
//
// # What is compared
//
// For every step: every request the servers saw (method, host, path, raw
// query in order, headers, Cookie pairs in order, body, and the request
// target for steps that ask); what the proxy received, in cases that use
// it; the response's
// status, final URL, history (status and URL of each redirect response),
// next URL and error kind (too_many_redirects, hook_error and
// body_not_replayable name the same error on both sides; any other is the
// error's text); the session's jar afterwards; and, where a step
// asks, the response body (as text, bytes, JSON, lines or chunks), its
// encoding, whether a new connection was used, the hooks that ran, the
// final response's number of tries or the framing lines of the request
// behind each response. See [Result].
//
// # Normalisation
//
// Both sides' recordings are normalised the same way before comparison:
//
//   - host:port of the servers and the proxy becomes H1, H2, H3, H6 or P,
//     in Host, URLs and queries (plain or percent-encoded): ports differ
//     between runs.
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
//     transport nothing, and it is hop-by-hop. (A hop forwarded by P
//     reaches the origin with the proxy's Connection: close and without
//     Proxy-Authorization; the proxy adds nothing else, Via or
//     X-Forwarded-For, and keeps Accept-Encoding.)
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
//   - A Digest Authorization value keeps its parameters in the order sent,
//     written name=value with the value's quotes as sent and joined by
//     ", "; the random values (nonce, opaque, cnonce, response) become
//     placeholders numbered by first appearance within the case, such as
//     "<nonce-1>", so a nonce reused by a later call keeps its number.
//     username, realm, uri, algorithm, qop and nc are compared as sent.
//   - Hooks are recorded (as "name status path", host:port labelled) for
//     every step of a case with session hooks and for steps with their own.
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
