package jar

import (
	"cmp"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/publicsuffix"

	"github.com/tether-http/tether/internal/wire"
)

// PublicSuffixList is the list that decides which domains a server may set
// cookies for. It is net/http/cookiejar's interface, so
// [golang.org/x/net/publicsuffix.List] and any list written for the
// standard library work here too.
type PublicSuffixList = cookiejar.PublicSuffixList

// A Jar is an RFC 6265 cookie jar that implements [http.CookieJar] and
// lets you see, edit and save its cookies.
//
// The zero value is an empty jar that uses [time.Now] and
// [publicsuffix.List]. A Jar is safe for concurrent use by multiple
// goroutines. Do not copy a Jar after first use; use [Jar.Clone].
//
// A nil *Jar reads as an empty jar: [Jar.Len] is 0, [Jar.Get] returns
// [ErrNotFound], [Jar.Cookies] nil, [Jar.Map] an empty map, [Jar.Delete]
// and [Jar.Clear] 0, and [Jar.Save] writes a file without cookies. The
// methods that would add cookies to it ([Jar.Set], [Jar.Update],
// [Jar.Merge], [Jar.Load], [Jar.LoadFile]) return [ErrNilJar], except
// [Jar.SetCookies], which [http.CookieJar] gives no error to return: it
// stores nothing.
type Jar struct {
	now func() time.Time
	psl PublicSuffixList

	mu sync.Mutex
	// hosts holds the cookies bound to a domain, bucketed by the
	// registrable domain (eTLD+1) of that domain.
	hosts map[string]map[key]*entry
	// wide holds the session-wide cookies, sent to every host.
	wide map[key]*entry
	// seq numbers cookies in creation order, to break ties in ordering.
	seq uint64
	// used is set once a cookie has been stored: a jar that never held
	// one answers Cookies without taking the lock or reading the URL's host.
	used atomic.Bool
}

// key identifies a cookie: RFC 6265 §5.3 step 11 replaces a cookie with
// the same name, domain and path.
type key struct{ domain, path, name string }

// entry is a stored cookie.
type entry struct {
	Cookie
	seq uint64
}

func (e *entry) key() key { return key{e.Domain, e.Path, e.Name} }

func (e *entry) expired(now time.Time) bool {
	return !e.Expires.IsZero() && !e.Expires.After(now)
}

// domainMatch reports whether e may be sent to host. Session-wide cookies
// match any host; an IP address in the domain is always host-only.
func (e *entry) domainMatch(host string) bool {
	if e.SessionWide || e.Domain == host {
		return true
	}
	return !e.HostOnly && hasDotSuffix(host, e.Domain)
}

// An Option configures a [Jar] made by [New] or [FromMap]. A nil Option is
// ignored.
type Option func(*Jar)

// WithClock makes the jar read the time from now instead of [time.Now].
// Use it in tests to expire cookies without sleeping. A nil now means
// [time.Now].
func WithClock(now func() time.Time) Option {
	return func(j *Jar) { j.now = now }
}

// WithPublicSuffixList makes the jar use list instead of
// [publicsuffix.List]. A nil list means publicsuffix.List: unlike
// net/http/cookiejar, a Jar never runs without a list.
func WithPublicSuffixList(list PublicSuffixList) Option {
	return func(j *Jar) { j.psl = list }
}

// New returns an empty jar configured by opts.
func New(opts ...Option) *Jar {
	j := &Jar{}
	for _, o := range opts {
		if o != nil {
			o(j)
		}
	}
	return j
}

func (j *Jar) clock() time.Time {
	if j.now == nil {
		return time.Now()
	}
	return j.now()
}

func (j *Jar) list() PublicSuffixList {
	if j.psl == nil {
		return publicsuffix.List
	}
	return j.psl
}

// secureScheme reports whether scheme is one a cookie jar serves (http,
// https, ws, wss) and whether it is a secure one.
func secureScheme(scheme string) (secure, ok bool) {
	switch scheme {
	case "http", "ws":
		return false, true
	case "https", "wss":
		return true, true
	}
	return false, false
}

// SetCookies implements [http.CookieJar]: it stores the cookies a response
// from u set, following RFC 6265 §5.3. It ignores URLs whose scheme is not
// http, https, ws or wss, nil cookies, cookies whose name is empty or
// holds a control byte, a ";" or a "=", or has white space at either end,
// or whose value holds a control byte or a ";", cookies whose path or domain (the host of u, or the Domain
// attribute) holds a control byte such as a tab or a line break, which no
// server can send and [Jar.Save] could not write, and cookies whose Domain
// attribute u may not set; the other cookies of the call are stored. A
// value net/http would refuse, such as `{"a":1}`, or a name, such as
// "x[y]", "a b" or "é", is kept as it is, as requests keeps it (such a
// cookie's [http.Cookie.String] is empty; tether writes its Cookie header
// itself).
// A cookie with Max-Age<=0 (MaxAge<0) or a past Expires deletes the stored
// cookie with its name, domain and path. A Max-Age of any size is read,
// even one over 292 years, which a [time.Duration] cannot hold, or one
// too large for an int, which net/http leaves in [http.Cookie.Unparsed]:
// the cookie is kept, as requests keeps it, with its expiry clamped to
// 9999-12-31 23:59:59 UTC at the latest.
//
// Like requests, it reads Expires dates that net/http's parser leaves
// zero, such as "Thu, 1 Jan 1970 00:00:01 GMT", from
// [http.Cookie.RawExpires] with the cookie-date algorithm of RFC 6265
// §5.1.1, and ignores an Expires that is not a date there either. It trims
// spaces around an unquoted value (RFC 6265 §5.2), as requests does.
func (j *Jar) SetCookies(u *url.URL, cookies []*http.Cookie) {
	if j == nil || u == nil || len(cookies) == 0 {
		return
	}
	if _, ok := secureScheme(u.Scheme); !ok {
		return
	}
	host, err := canonicalHost(u.Host)
	if err != nil || host == "" {
		return
	}
	psl := j.list()
	bucket := jarKey(host, psl)
	defPath := defaultPath(u.EscapedPath())
	now := j.clock()

	j.mu.Lock()
	defer j.mu.Unlock()
	for _, c := range cookies {
		if c == nil || !wire.ServerCookieName(c.Name) || !wire.ServerCookieValue(c.Value) {
			continue
		}
		value := c.Value
		if !c.Quoted {
			// RFC 6265 §5.2 trims the value, as requests does; net/http
			// keeps the spaces of "a= x " and would send them quoted.
			value = strings.Trim(value, " \t")
		}
		e := &entry{Cookie: Cookie{
			Name:     c.Name,
			Value:    value,
			Quoted:   c.Quoted,
			Path:     c.Path,
			Secure:   c.Secure,
			HttpOnly: c.HttpOnly,
			SameSite: c.SameSite,
		}}
		if e.Path == "" || e.Path[0] != '/' {
			e.Path = defPath
		}
		e.Domain, e.HostOnly, err = domainAndType(host, c.Domain, psl)
		if err != nil || !wire.NoCTL(e.Path) || !fileDomainOK(e.Domain) {
			continue
		}
		exp, del := expiryOf(c, now)
		if del {
			j.remove(e)
			continue
		}
		e.Expires = exp
		j.store(bucket, e, now)
	}
}

// remove deletes the cookie with e's key from where e belongs: the
// session-wide cookies, or its host's bucket. The caller holds j.mu.
func (j *Jar) remove(e *entry) {
	k := e.key()
	if e.SessionWide {
		delete(j.wide, k)
		return
	}
	bucket := jarKey(e.Domain, j.list())
	m := j.hosts[bucket]
	delete(m, k)
	if len(m) == 0 {
		delete(j.hosts, bucket)
	}
}

// store adds e to bucket, or to the session-wide cookies if e is
// session-wide, replacing a cookie with the same key in place: the old
// creation time and order are kept. A new cookie gets now as its creation
// time unless e already has one. The caller holds j.mu.
func (j *Jar) store(bucket string, e *entry, now time.Time) {
	var m map[key]*entry
	if e.SessionWide {
		if j.wide == nil {
			j.wide = make(map[key]*entry)
		}
		m = j.wide
	} else {
		if j.hosts == nil {
			j.hosts = make(map[string]map[key]*entry)
		}
		m = j.hosts[bucket]
		if m == nil {
			m = make(map[key]*entry)
			j.hosts[bucket] = m
		}
	}
	j.used.Store(true)
	k := e.key()
	if old, ok := m[k]; ok {
		e.Created, e.seq = old.Created, old.seq
	} else {
		if e.Created.IsZero() {
			e.Created = now
		}
		e.seq = j.seq
		j.seq++
	}
	m[k] = e
}

// Cookies implements [http.CookieJar]: it returns the cookies to send to
// u, session-wide cookies included, in the order of RFC 6265 §5.4 (longer
// paths first, then earlier creation). Secure cookies go only to https and
// wss URLs. Only Name, Value and Quoted are set in the result.
func (j *Jar) Cookies(u *url.URL) []*http.Cookie {
	return j.cookies(u, true)
}

// CookieHeader returns the Cookie header the jar sends to u, as a session
// sends it ("a=1; b=2"), or "" when it sends none: requests'
// get_cookie_header(jar, request).
func (j *Jar) CookieHeader(u *url.URL) string {
	var stack [16]*entry // a request's cookies usually fit: no allocation
	selected := j.send(stack[:0], u, true)
	n := 0
	for _, e := range selected {
		n += len(e.Name) + len(e.Value) + 4 // "; ", "=" and the quotes at most
	}
	var sb strings.Builder
	sb.Grow(n) // the one allocation, none when there is no cookie
	for _, e := range selected {
		wire.WriteCookie(&sb, e.Name, e.Value, e.Quoted)
	}
	return sb.String()
}

// HostCookies is like [Jar.Cookies] but leaves out session-wide cookies.
// A session uses it on a redirect to another host, so cookies set with
// [Jar.Set] without a [Domain] are never carried across hosts.
func (j *Jar) HostCookies(u *url.URL) []*http.Cookie {
	return j.cookies(u, false)
}

func (j *Jar) cookies(u *url.URL, wide bool) []*http.Cookie {
	var stack [16]*entry // a request's cookies usually fit: no allocation
	selected := j.send(stack[:0], u, wide)
	if len(selected) == 0 {
		return nil
	}
	// One backing array for all the cookies, and one slice of pointers.
	backing := make([]http.Cookie, len(selected))
	cookies := make([]*http.Cookie, len(selected))
	for i, e := range selected {
		backing[i] = http.Cookie{Name: e.Name, Value: e.Value, Quoted: e.Quoted}
		cookies[i] = &backing[i]
	}
	return cookies
}

// send appends to dst the entries to send to u, the session-wide ones
// too when wide is set, in the order of RFC 6265 §5.4. A stored entry is
// never changed (storing a cookie again stores a new one), so the caller
// reads them without the lock.
func (j *Jar) send(dst []*entry, u *url.URL, wide bool) []*entry {
	if j == nil || u == nil || !j.used.Load() {
		return dst
	}
	https, ok := secureScheme(u.Scheme)
	if !ok {
		return dst
	}
	host, err := canonicalHost(u.Host)
	if err != nil || host == "" {
		return dst
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	bucket := jarKey(host, j.list())
	now := j.clock()

	j.mu.Lock()
	defer j.mu.Unlock()
	dst = pick(dst, j.hosts[bucket], now, host, path, https)
	if len(j.hosts[bucket]) == 0 {
		delete(j.hosts, bucket)
	}
	if wide {
		dst = pick(dst, j.wide, now, host, path, https)
	}
	slices.SortFunc(dst, sendOrder)
	return dst
}

// pick appends to dst the entries of m to send to host and path, deleting
// the expired ones. The caller holds j.mu.
func pick(dst []*entry, m map[key]*entry, now time.Time, host, path string, https bool) []*entry {
	for k, e := range m {
		if e.expired(now) {
			delete(m, k)
			continue
		}
		if e.domainMatch(host) && pathMatch(e.Path, path) && (!e.Secure || https) {
			dst = append(dst, e)
		}
	}
	return dst
}

// sendOrder is the order of RFC 6265 §5.4 step 2: longer paths first, then
// earlier creation, then order of arrival.
func sendOrder(a, b *entry) int {
	if r := cmp.Compare(len(b.Path), len(a.Path)); r != 0 {
		return r
	}
	if r := a.Created.Compare(b.Created); r != 0 {
		return r
	}
	return cmp.Compare(a.seq, b.seq)
}
