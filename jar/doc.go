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
// order of §5.4. Set-Cookie is parsed by net/http; an Expires date it
// refuses, such as "Thu, 1 Jan 1970 00:00:01 GMT", is read with the
// cookie-date algorithm of §5.1.1, as requests reads it, and spaces around
// a value are trimmed (§5.2). The clock is injectable with [WithClock].
//
// # Session-wide cookies
//
// [Jar.Set], [Jar.Update] and [FromMap] make session-wide cookies unless
// given a [Domain]: like requests' cookies with an empty domain,
// [Jar.Cookies] sends them to every host. Unlike requests, [Jar.HostCookies]
// leaves them out, and a session uses it when a redirect leads to another
// host, so they never follow a redirect off the host the caller asked for.
//
// # Coming from requests
//
//	requests                                 tether
//	jar.set(name, value, domain=d, path=p)   j.Set(name, value, jar.Domain(d), jar.Path(p))
//	jar.get(name, domain=d)                  j.Get(name, jar.Domain(d))   // ErrNotFound, *ConflictError
//	jar.get_dict(domain=d, path=p)           j.Map(jar.Domain(d), jar.Path(p))
//	dict_from_cookiejar(jar)                 j.Map()
//	cookiejar_from_dict(d)                   jar.FromMap(d)
//	add_dict_to_cookiejar(jar, d)            j.Update(d)
//	jar.update(other), merge_cookies(j, o)   j.Merge(other)
//	merge_cookies(jar, d) (keeps existing)   for k, v := range d { if _, err := j.Get(k); errors.Is(err, jar.ErrNotFound) { j.Set(k, v) } }
//	extract_cookies_to_jar(jar, req, resp)   j.SetCookies(u, resp.Cookies())
//	get_cookie_header(jar, req)              j.CookieHeader(u)
//	del jar[name]                            j.Delete(name)
//	jar.clear(domain)                        j.Clear(jar.Domain(domain))  // a count, never KeyError
//	jar.list_domains(), jar.list_paths()     j.Domains(), j.Paths()
//	len(jar.list_domains()) > 1              len(j.Domains()) > 1  // requests' multiple_domains() tests for a repeated domain instead
//	len(jar), jar.copy(), list(jar)          j.Len(), j.Clone(), j.All()
//	MozillaCookieJar(f).save()/.load()      j.SaveFile(f), j.LoadFile(f)
//
// Differences from requests' RequestsCookieJar (README lists them too):
// Clear and Delete return how many cookies they removed where requests
// raises KeyError for none, and Clear(jar.Path(p)) without a Domain clears
// that path in every domain (requests raises ValueError); a cookie Set with
// a past Expires is deleted at once, where requests keeps listing it until
// the next request; a leading dot in a Domain is ignored, and a public
// suffix as Domain makes the cookie host-only.
//
// # Saving
//
// [Jar.Save] and [Jar.Load] read and write the Netscape cookies.txt format
// of curl and browsers; Load also reads what Python's
// MozillaCookieJar.save(ignore_discard=True) writes. [Jar.SaveFile]
// replaces a file atomically. The file is curl's: a session cookie has
// expires 0, which Python's MozillaCookieJar.load keeps only with
// ignore_expires=True, and session-wide cookies are "#SessionWide_" lines,
// which curl and Python skip as comments. Load reads include-subdomains
// FALSE as host-only, as curl does, where http.cookiejar still sends a
// cookie whose domain has no leading dot to subdomains.
//
// A Jar is safe for concurrent use.
package jar
