package jar

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/tether-http/tether/internal/wire"
)

// A Cookie is a stored cookie as [Jar.All] reports it.
type Cookie struct {
	Name   string
	Value  string // without the double quotes of a quoted value
	Quoted bool   // the value was sent in double quotes and is sent back so

	// Domain is the host (HostOnly) or domain the cookie belongs to,
	// lowercase, in Punycode, without a leading dot. It is "" for a
	// session-wide cookie.
	Domain string
	Path   string

	// HostOnly reports a cookie sent only to Domain itself, not to its
	// subdomains: one set without a Domain attribute, or for an IP address
	// or a public suffix.
	HostOnly bool

	// SessionWide reports a cookie set with [Jar.Set] (or [Jar.Update],
	// [FromMap]) without a [Domain]: [Jar.Cookies] sends it to every host,
	// as requests does with domain '' cookies, and [Jar.HostCookies] never
	// does.
	SessionWide bool

	Secure   bool // sent only over https and wss
	HttpOnly bool // kept and saved; a client has no scripts to hide it from
	SameSite http.SameSite

	// Expires is when the cookie expires; the zero time means a session
	// cookie, kept until the jar is dropped.
	Expires time.Time
	// Created is when the jar first stored a cookie with this name, domain
	// and path. Replacing a cookie keeps its creation time.
	Created time.Time
}

// wireValue is the value as it appears in a Cookie header: quoted if it
// arrived quoted. This is what requests reports.
func (c *Cookie) wireValue() string { return wire.CookieValue(c.Value, c.Quoted) }

// place describes where the cookie lives, for error messages.
func (c *Cookie) place() string {
	if c.SessionWide {
		return "session-wide " + c.Path
	}
	return c.Domain + c.Path
}

// cookieSpec collects what a [CookieOption] or [Filter] says.
type cookieSpec struct {
	domain, path       string
	hasDomain, hasPath bool
	secure, httpOnly   bool
	expires            time.Time
	hasExpires         bool
	// serverValue: the value came from a server (a cookies.txt line), so
	// any value wire.ServerCookieValue allows is kept, as requests keeps it.
	serverValue bool
}

// A CookieOption sets an attribute of a cookie made by [Jar.Set]. A nil
// CookieOption is ignored.
type CookieOption interface {
	apply(*cookieSpec)
}

// A Filter narrows the cookies that [Jar.Get], [Jar.Map], [Jar.Delete] and
// [Jar.Clear] act on. [Domain] and [Path] are both Filters and
// [CookieOption]s. A nil Filter is ignored.
type Filter interface {
	CookieOption
	filter()
}

type domainOption string

func (d domainOption) apply(s *cookieSpec) { s.domain, s.hasDomain = string(d), true }
func (domainOption) filter()               {}

type pathOption string

func (p pathOption) apply(s *cookieSpec) { s.path, s.hasPath = string(p), true }
func (pathOption) filter()               {}

type funcOption func(*cookieSpec)

func (f funcOption) apply(s *cookieSpec) { f(s) }

// Domain binds a cookie made by [Jar.Set] to domain and its subdomains; a
// leading dot is ignored. An IP address or a public suffix such as
// "localhost" or "co.uk" gives a host-only cookie for that host. Without
// Domain (or with Domain("")), Set makes a session-wide cookie.
//
// As a [Filter], Domain keeps the cookies whose Domain is exactly domain
// (after the same normalization); Domain("") keeps the session-wide ones.
func Domain(domain string) Filter { return domainOption(domain) }

// Path sets the path of a cookie made by [Jar.Set]; the default is "/". As
// a [Filter], it keeps the cookies whose Path is exactly path.
func Path(path string) Filter { return pathOption(path) }

// Secure marks a cookie made by [Jar.Set] to be sent only over https and
// wss.
func Secure() CookieOption { return funcOption(func(s *cookieSpec) { s.secure = true }) }

// HttpOnly marks a cookie made by [Jar.Set] HttpOnly. The flag changes
// nothing for a client but is kept and saved with the cookie.
func HttpOnly() CookieOption { return funcOption(func(s *cookieSpec) { s.httpOnly = true }) }

// Expires makes a cookie made by [Jar.Set] persistent until t. A t that is
// not after the jar's current time deletes the cookie instead, as a
// Set-Cookie with a past Expires does. A t after the end of year 9999 is
// clamped to 9999-12-31 23:59:59 UTC, the latest expiry the jar keeps.
func Expires(t time.Time) CookieOption {
	return funcOption(func(s *cookieSpec) { s.expires, s.hasExpires = t, true })
}

func specOf[O CookieOption](opts []O) cookieSpec {
	var s cookieSpec
	for _, o := range opts {
		// A nil Filter converts to a nil CookieOption.
		if o := CookieOption(o); o != nil {
			o.apply(&s)
		}
	}
	return s
}

// parseNameValue checks name and value the way net/http does and returns
// the value without quotes, and whether it was quoted.
func parseNameValue(name, value string) (string, bool, error) {
	if err := (&http.Cookie{Name: name}).Valid(); err != nil {
		return "", false, &CookieError{Name: name, Field: "name", Err: err}
	}
	if strings.Contains(value, ";") {
		// net/http would read the rest as another cookie and say "'='
		// not found", which names the wrong fault.
		return "", false, &CookieError{Name: name, Field: "value", Err: errors.New(`a ";" would end the cookie-value`)}
	}
	cs, err := http.ParseCookie(name + "=" + value)
	if err != nil {
		return "", false, &CookieError{Name: name, Field: "value", Err: err}
	}
	if len(cs) != 1 || cs[0].Name != name || wire.CookieValue(cs[0].Value, cs[0].Quoted) != value {
		return "", false, &CookieError{Name: name, Field: "value", Err: errors.New("value is not a single cookie-value")}
	}
	return cs[0].Value, cs[0].Quoted, nil
}

// fileDomainOK reports whether d, the stored domain of a cookie a server
// set (a canonical host, or a Domain attribute it domain-matches), is one
// a cookies.txt line carries and [Jar.Load] reads back unchanged:
// printable ASCII without a space or "#", no dot at either end, and an
// address netip parses if it looks like one. It allows host names that
// net/http refuses as a Domain attribute but URLs carry, such as
// "my_service" or "-x.test".
func fileDomainOK(d string) bool {
	if d == "" || d[0] == '.' || d[len(d)-1] == '.' {
		return false
	}
	for i := 0; i < len(d); i++ {
		if b := d[i]; b <= ' ' || b >= 0x7f || b == '#' {
			return false
		}
	}
	return !isIP(d) || isValidIP(d)
}

// serverNameValue is parseNameValue for a value a server set: a value
// net/http refuses is kept as it is (quoted when it is wrapped in double
// quotes) if wire.ServerCookieValue allows it.
func serverNameValue(name, value string) (string, bool, error) {
	probe := name
	if (&http.Cookie{Name: name}).Valid() != nil && wire.ServerCookieName(name) {
		// A name net/http refuses but a server may set ("x[y]"): its
		// value is read as any other's.
		probe = "x"
	}
	v, quoted, err := parseNameValue(probe, value)
	if err == nil {
		return v, quoted, nil
	}
	var ce *CookieError
	if !errors.As(err, &ce) || ce.Field != "value" || !wire.ServerCookieValue(value) {
		return "", false, err
	}
	if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
		return value[1 : len(value)-1], true, nil
	}
	return value, false, nil
}

// normalizeDomain turns a user-supplied domain into the stored form and
// tells whether the cookie must be host-only: IP addresses and public
// suffixes are. A domain from a server (a cookies.txt line) may be any
// name [fileDomainOK] allows, as [Jar.SetCookies] stores them; one from
// the user must be a name net/http accepts.
func normalizeDomain(domain string, psl PublicSuffixList, server bool) (string, bool, error) {
	d := strings.TrimPrefix(domain, ".")
	d = strings.TrimSuffix(d, ".")
	if strings.HasPrefix(d, ".") || strings.HasSuffix(d, ".") {
		return "", false, errMalformedDomain
	}
	if strings.HasPrefix(d, "[") && strings.HasSuffix(d, "]") {
		d = d[1 : len(d)-1]
	}
	d, err := toLowerASCII(d)
	if err != nil {
		return "", false, err
	}
	if d == "" {
		return "", false, errMalformedDomain
	}
	if isIP(d) {
		if !isValidIP(d) {
			return "", false, errMalformedDomain
		}
		return d, true, nil
	}
	if server {
		if !fileDomainOK(d) {
			return "", false, errMalformedDomain
		}
	} else if err := (&http.Cookie{Name: "x", Domain: d}).Valid(); err != nil {
		return "", false, err
	}
	if ps := psl.PublicSuffix(d); ps != "" && !hasDotSuffix(d, ps) {
		return d, true, nil
	}
	return d, false, nil
}
