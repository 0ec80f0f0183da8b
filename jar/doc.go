// Package jar is an RFC 6265 cookie jar for HTTP clients that you can see
// into: it implements [net/http.CookieJar] like net/http/cookiejar, and
// adds what Python requests users expect of a session's cookies.
//
// # Storing and sending
//
// [Jar.SetCookies] stores the cookies a response sets and [Jar.Cookies]
// returns those to send, following RFC 6265: host-only and domain cookies,
// the public suffix list (a server cannot set a cookie for "co.uk"),
// default paths, path matching, Secure cookies only over https and wss,
// Max-Age over Expires, deletion by Max-Age<=0 or a past Expires, and the
// order of §5.4. The clock is injectable with [WithClock].
//
// # Session-wide cookies
//
// [Jar.Set], [Jar.Update] and [FromMap] make session-wide cookies unless
// given a [Domain]: like requests' cookies with an empty domain, [Jar.Cookies] sends
// them to every host. Unlike requests, [Jar.HostCookies] leaves them out,
// and a session uses it when a redirect leads to another host, so they
// never follow a redirect off the host the caller asked for.
//
// # Utilities
//
// [Jar.Get], [Jar.Map], [Jar.Delete], [Jar.Clear], [Jar.Merge], [Jar.All],
// [Jar.Domains], [Jar.Paths], [Jar.Len] and [Jar.Clone] mirror requests'
// RequestsCookieJar; [Domain] and [Path] filter them.
//
// # Saving
//
// [Jar.Save] and [Jar.Load] read and write the Netscape cookies.txt format
// of curl and browsers; [Jar.SaveFile] replaces a file atomically.
//
// A Jar is safe for concurrent use.
package jar
