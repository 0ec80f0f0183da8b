package jar

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/tether-http/tether/internal/wire"
)

// Set stores a cookie, like requests' jar.set(name, value, **kwargs). By
// default it is session-wide: [Jar.Cookies] sends it to every host, on
// path "/". [Domain] binds it to a domain, [Path], [Secure], [HttpOnly]
// and [Expires] set the other attributes.
//
// A value in double quotes keeps them on the wire and in [Jar.Get], as in
// requests. Setting a cookie with the same name, domain and path replaces
// it in place, keeping its creation time. Set returns a [*CookieError] for
// a name or value net/http would not send, or a bad domain, path or
// expiry; the jar is then unchanged. A nil CookieOption is ignored.
func (j *Jar) Set(name, value string, opts ...CookieOption) error {
	if j == nil {
		return ErrNilJar
	}
	now := j.clock()
	e, err := j.newEntry(name, value, specOf(opts))
	if err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.put(e, now)
	return nil
}

// newEntry builds the cookie that Set would store, or, for s.serverValue,
// the cookie a cookies.txt line holds: then the name, value, domain and
// path may be anything [Jar.SetCookies] stores.
func (j *Jar) newEntry(name, value string, s cookieSpec) (*entry, error) {
	parse := parseNameValue
	if s.serverValue {
		parse = serverNameValue
	}
	v, quoted, err := parse(name, value)
	if err != nil {
		return nil, err
	}
	e := &entry{Cookie: Cookie{
		Name:     name,
		Value:    v,
		Quoted:   quoted,
		Path:     "/",
		Secure:   s.secure,
		HttpOnly: s.httpOnly,
	}}
	if s.domain == "" {
		e.SessionWide = true
	} else {
		e.Domain, e.HostOnly, err = normalizeDomain(s.domain, j.list(), s.serverValue)
		if err != nil {
			return nil, &CookieError{Name: name, Field: "domain", Err: err}
		}
	}
	if s.hasPath {
		if !strings.HasPrefix(s.path, "/") {
			return nil, &CookieError{Name: name, Field: "path", Err: fmt.Errorf("%q does not start with /", s.path)}
		}
		if s.serverValue {
			// SetCookies stores paths net/http would not send in a
			// Set-Cookie, such as the default path "/a;b" of the URL
			// "/a;b/c", so a cookies.txt line may hold them too.
			if !wire.NoCTL(s.path) {
				return nil, &CookieError{Name: name, Field: "path", Err: fmt.Errorf("control byte in %q", s.path)}
			}
		} else if err := (&http.Cookie{Name: name, Path: s.path}).Valid(); err != nil {
			return nil, &CookieError{Name: name, Field: "path", Err: err}
		}
		e.Path = s.path
	}
	if s.hasExpires {
		if err := (&http.Cookie{Name: "x", Expires: s.expires}).Valid(); err != nil || s.expires.IsZero() {
			if err == nil {
				err = fmt.Errorf("zero time")
			}
			return nil, &CookieError{Name: name, Field: "expires", Err: err}
		}
		e.Expires = clampExpiry(s.expires)
	}
	return e, nil
}

// put stores e, or deletes its key if it has already expired. The caller
// holds j.mu.
func (j *Jar) put(e *entry, now time.Time) {
	if e.expired(now) {
		j.remove(e)
		return
	}
	j.store(jarKey(e.Domain, j.list()), e, now)
}

// entries purges expired cookies and returns the rest in [Jar.All] order.
// The caller holds j.mu.
func (j *Jar) entries(now time.Time) []*entry {
	var all []*entry
	for k, e := range j.wide {
		if e.expired(now) {
			delete(j.wide, k)
			continue
		}
		all = append(all, e)
	}
	for b, m := range j.hosts {
		for k, e := range m {
			if e.expired(now) {
				delete(m, k)
				continue
			}
			all = append(all, e)
		}
		if len(m) == 0 {
			delete(j.hosts, b)
		}
	}
	slices.SortFunc(all, listOrder)
	return all
}

// listOrder sorts session-wide cookies first, then by domain, path and
// name.
func listOrder(a, b *entry) int {
	if a.SessionWide != b.SessionWide {
		if a.SessionWide {
			return -1
		}
		return 1
	}
	return cmp.Or(
		cmp.Compare(a.Domain, b.Domain),
		cmp.Compare(a.Path, b.Path),
		cmp.Compare(a.Name, b.Name),
	)
}

// matcher returns a test for the cookies that filters keep.
func (j *Jar) matcher(filters []Filter) func(*entry) bool {
	s := specOf(filters)
	if s.hasDomain && s.domain != "" {
		// Leniently, to find the cookies of any host SetCookies stores.
		if d, _, err := normalizeDomain(s.domain, j.list(), true); err == nil {
			s.domain = d
		}
	}
	return func(e *entry) bool {
		if s.hasDomain {
			if s.domain == "" && !e.SessionWide || s.domain != "" && (e.SessionWide || e.Domain != s.domain) {
				return false
			}
		}
		return !s.hasPath || e.Path == s.path
	}
}

// All returns a copy of every unexpired cookie: session-wide cookies first,
// then sorted by domain, path and name. requests iterates its jar in the
// order the domains, then the paths, were first set; a sorted order is the
// same however concurrent responses raced to fill the jar.
func (j *Jar) All() []Cookie {
	return j.copies(nil)
}

// copies returns the unexpired cookies, sorted by order if it is not nil
// and in [Jar.All] order if it is.
func (j *Jar) copies(order func(a, b *entry) int) []Cookie {
	if j == nil {
		return nil
	}
	now := j.clock()
	j.mu.Lock()
	defer j.mu.Unlock()
	all := j.entries(now)
	if len(all) == 0 {
		return nil
	}
	if order != nil {
		slices.SortFunc(all, order)
	}
	out := make([]Cookie, len(all))
	for i, e := range all {
		out[i] = e.Cookie
	}
	return out
}

// creationOrder sorts cookies by creation time, then order of arrival.
func creationOrder(a, b *entry) int {
	return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.seq, b.seq))
}

// Get returns the value of the one cookie named name that filters keep,
// like requests' jar.get(name, domain=, path=). A quoted value keeps its
// quotes. It returns an error matching [ErrNotFound] if there is none and
// a [*ConflictError] if there are several.
func (j *Jar) Get(name string, filters ...Filter) (string, error) {
	if j == nil {
		return "", fmt.Errorf("%w: %q", ErrNotFound, name)
	}
	now := j.clock()
	keep := j.matcher(filters)
	j.mu.Lock()
	defer j.mu.Unlock()
	var found []Cookie
	for _, e := range j.entries(now) {
		if e.Name == name && keep(e) {
			found = append(found, e.Cookie)
		}
	}
	switch len(found) {
	case 0:
		return "", fmt.Errorf("%w: %q", ErrNotFound, name)
	case 1:
		return found[0].wireValue(), nil
	}
	return "", &ConflictError{Name: name, Cookies: found}
}

// Map returns name → value for the cookies that filters keep, like
// requests' get_dict and dict_from_cookiejar. When several cookies share a
// name, the one created last wins (replacing a cookie keeps its creation
// time); at equal times, the last in [Jar.All] order. requests gives the
// last in its iteration order, which is the one set last only within one
// domain and path: across domains it depends on which domain was seen
// first. Filter by [Domain] or [Path] to choose.
func (j *Jar) Map(filters ...Filter) map[string]string {
	if j == nil {
		return map[string]string{}
	}
	now := j.clock()
	keep := j.matcher(filters)
	j.mu.Lock()
	defer j.mu.Unlock()
	m := make(map[string]string)
	created := make(map[string]time.Time)
	for _, e := range j.entries(now) {
		if !keep(e) {
			continue
		}
		if t, ok := created[e.Name]; ok && e.Created.Before(t) {
			continue
		}
		m[e.Name], created[e.Name] = e.wireValue(), e.Created
	}
	return m
}

// Delete removes every cookie named name that filters keep and returns how
// many it removed.
func (j *Jar) Delete(name string, filters ...Filter) int {
	if j == nil {
		return 0
	}
	keep := j.matcher(filters)
	return j.deleteIf(func(e *entry) bool { return e.Name == name && keep(e) })
}

// Clear removes every cookie that filters keep (all of them if there are
// no filters), like requests' jar.clear(domain, path), and returns how many
// it removed.
func (j *Jar) Clear(filters ...Filter) int {
	if j == nil {
		return 0
	}
	return j.deleteIf(j.matcher(filters))
}

func (j *Jar) deleteIf(drop func(*entry) bool) int {
	now := j.clock()
	j.mu.Lock()
	defer j.mu.Unlock()
	n := 0
	for _, e := range j.entries(now) {
		if !drop(e) {
			continue
		}
		j.remove(e)
		n++
	}
	return n
}

// Update sets a session-wide cookie for each entry of m, replacing cookies
// of the same name and path "/", like requests' add_dict_to_cookiejar. If
// any entry is invalid it returns its [*CookieError] and changes nothing.
func (j *Jar) Update(m map[string]string) error {
	if j == nil {
		return ErrNilJar
	}
	names := slices.Sorted(maps.Keys(m))
	es := make([]*entry, 0, len(names))
	for _, name := range names {
		e, err := j.newEntry(name, m[name], cookieSpec{})
		if err != nil {
			return err
		}
		es = append(es, e)
	}
	now := j.clock()
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, e := range es {
		j.put(e, now)
	}
	return nil
}

// FromMap returns a new jar configured by opts holding a session-wide
// cookie for each entry of m, like requests' cookiejar_from_dict. It
// returns a [*CookieError] if an entry is invalid.
func FromMap(m map[string]string, opts ...Option) (*Jar, error) {
	j := New(opts...)
	if err := j.Update(m); err != nil {
		return nil, err
	}
	return j, nil
}

// Merge copies every cookie of other into j, replacing cookies with the
// same name, domain and path, like requests' jar.update(other) and
// merge_cookies with a jar. A replaced cookie keeps its creation time in
// j; a new one keeps the creation time it had in other. Merging a jar into
// itself, or merging a nil other, changes nothing. Merging into a nil j
// returns [ErrNilJar].
func (j *Jar) Merge(other *Jar) error {
	if j == nil {
		return ErrNilJar
	}
	if other == nil || other == j {
		return nil
	}
	now := other.clock()
	other.mu.Lock()
	es := other.entries(now)
	slices.SortFunc(es, func(a, b *entry) int { return cmp.Compare(a.seq, b.seq) })
	copies := make([]*entry, len(es))
	for i, e := range es {
		copies[i] = &entry{Cookie: e.Cookie}
	}
	other.mu.Unlock()

	now = j.clock()
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, e := range copies {
		j.put(e, now)
	}
	return nil
}

// Domains returns the domains of the jar's cookies, sorted and without
// duplicates, like requests' list_domains (which lists them in the order
// they were first set). Session-wide cookies appear as "".
func (j *Jar) Domains() []string {
	return j.column(func(e *entry) string { return e.Domain })
}

// Paths returns the paths of the jar's cookies, sorted and without
// duplicates, like requests' list_paths (which lists them in the order
// they were first set, domain by domain).
func (j *Jar) Paths() []string {
	return j.column(func(e *entry) string { return e.Path })
}

func (j *Jar) column(f func(*entry) string) []string {
	if j == nil {
		return nil
	}
	now := j.clock()
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []string
	for _, e := range j.entries(now) {
		out = append(out, f(e))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Len returns the number of unexpired cookies in the jar.
func (j *Jar) Len() int {
	if j == nil {
		return 0
	}
	now := j.clock()
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.entries(now))
}

// Clone returns an independent copy of j with the same clock and public
// suffix list. The clone of a nil *Jar is a new empty jar.
func (j *Jar) Clone() *Jar {
	if j == nil {
		return New()
	}
	now := j.clock()
	j.mu.Lock()
	defer j.mu.Unlock()
	c := &Jar{now: j.now, psl: j.psl, seq: j.seq}
	for _, e := range j.entries(now) {
		e2 := *e
		if e2.SessionWide {
			if c.wide == nil {
				c.wide = make(map[key]*entry)
			}
			c.wide[e2.key()] = &e2
			continue
		}
		b := jarKey(e2.Domain, c.list())
		if c.hosts == nil {
			c.hosts = make(map[string]map[key]*entry)
		}
		if c.hosts[b] == nil {
			c.hosts[b] = make(map[key]*entry)
		}
		c.hosts[b][e2.key()] = &e2
	}
	c.used.Store(len(c.wide)+len(c.hosts) > 0)
	return c
}
