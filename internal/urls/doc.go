// Package urls reproduces how requests prepares a URL, resolves a redirect's
// Location, and how urllib3 writes the request target, so that the bytes on
// the wire are requests' bytes.
//
// The reference is Python requests 2.34.2 with urllib3 2.7.0 on CPython
// 3.11: requests.models.PreparedRequest.prepare_url, requests.utils
// (requote_uri, unquote_unreserved, get_auth_from_url),
// requests.sessions.SessionRedirectMixin.resolve_redirects,
// urllib3.util.url (parse_url and its helpers), urllib3's
// HTTPConnectionPool.urlopen (which runs _encode_target on the path again)
// and CPython's urllib.parse (urlsplit, urlparse, urlunparse, urljoin, quote,
// unquote). The functions here work on strings, with Python's semantics: a
// Go string is treated as the UTF-8 encoding of a Python str, and positions
// that Python counts in code points are counted in code points.
//
// Entry points:
//
//   - [Prepare] is PreparedRequest.prepare_url (plus the urlparse that
//     requests runs on every prepared URL before sending it).
//   - [Resolve] and [Redirects] compute the next URL of a redirect chain as
//     resolve_redirects does.
//   - [Target] is the request target urllib3 writes on the request line.
//   - [ForWire] reports what requests' adapter derives from a URL before
//     writing a request (the host and port dialled, the Host header, the
//     target, or the error requests raises when sending); [ToURL] and
//     [HostHeader] turn a URL into what Go's net/http needs to put the same
//     bytes on the wire.
//   - [Userinfo] and [BasicAuth] are get_auth_from_url and the
//     Authorization header requests derives from it.
package urls
