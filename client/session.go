package client

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tether-http/tether/internal/core"
	"github.com/tether-http/tether/internal/typednil"
	"github.com/tether-http/tether/internal/urls"
	"github.com/tether-http/tether/jar"
	"github.com/tether-http/tether/request"
)

// Session holds persistent defaults for requests, like a requests Session:
// base URL, headers, query parameters, auth, a live cookie jar, a timeout and
// a redirect limit. Its setters change the session and return it, for
// chaining; its getters show every value it holds.
//
// Each request method (Get, Post, ...) spawns an immutable [request.Builder]
// over a snapshot of the session as it is at that moment; the jar is the one
// thing a builder shares live. Changing the session later does not change
// builders already spawned.
//
// A Session is safe for concurrent use, also while it is being changed. Its
// zero value is a usable session with no defaults but the standard headers.
//
// Every request of a session goes out through one pooled transport built
// with the session (resty v2's, see [New]) or the one given with
// [WithTransport], so connections to a host are reused. [Session.Transport]
// lends it, with the session's TLS settings, proxies and mounts, to code
// that takes an *http.Client or an http.RoundTripper.
type Session struct {
	mu   sync.Mutex // serialises writers; readers load snap
	snap atomic.Pointer[core.Snapshot]
	once sync.Once
	conf config
}

// spawn is request's builder constructor (see core.Spawn).
var spawn = core.Spawn.(func(*core.Snapshot, string, string, bool) request.Builder)

// New returns a session with requests' defaults: the User-Agent and Accept
// headers, an empty jar, no timeout and at most 30 redirects. Its
// connections are made as opts say.
func New(opts ...Option) *Session {
	s := &Session{}
	for _, o := range opts {
		if o != nil {
			o(&s.conf)
		}
	}
	s.state()
	return s
}

// state returns the current snapshot, building the first one (and the
// transport) if needed.
func (s *Session) state() *core.Snapshot {
	if p := s.snap.Load(); p != nil {
		return p
	}
	s.once.Do(func() {
		built, errs := s.conf.build()
		rt := core.NewRouter(built, s.conf.transport == nil)
		s.snap.Store(&core.Snapshot{
			Header:       core.DefaultHeader(),
			Jar:          jar.New(),
			MaxRedirects: core.DefaultMaxRedirects,
			Transport:    rt,
			Base:         rt,
			Errs:         errs,
			Shared:       &core.Shared{},
		})
	})
	return s.snap.Load()
}

// update publishes a changed copy of the snapshot.
func (s *Session) update(change func(next *core.Snapshot)) *Session {
	s.state() // the first snapshot exists before anyone copies it
	s.mu.Lock()
	defer s.mu.Unlock()
	next := *s.snap.Load()
	change(&next)
	s.snap.Store(&next)
	return s
}

// record stores or clears what a setter rejected; request builders spawned
// from the session return it from Do.
func record(next *core.Snapshot, key string, err error) {
	next.Errs = core.WithErr(next.Errs, key, err)
}

// SetBaseURL sets the URL that relative request URLs are appended to:
// base "http://h/api" with "users" or "/users" requests "http://h/api/users",
// with "?q=1" "http://h/api?q=1", and with "//other/x" "http://other/x".
// An empty string removes it. An invalid URL, or one with a query or a
// fragment (put default query parameters in SetParam), is an
// ErrInvalidURL error from Do.
func (s *Session) SetBaseURL(base string) *Session {
	return s.update(func(next *core.Snapshot) {
		if base == "" {
			next.BaseURL = nil
			record(next, "SetBaseURL", nil)
			return
		}
		u, err := url.Parse(base)
		switch {
		case err != nil:
		case u.Scheme != "http" && u.Scheme != "https" || u.Host == "":
			err = fmt.Errorf("want an absolute http or https URL")
		case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
			err = fmt.Errorf("a base URL has no query or fragment; set default query parameters with SetParam")
		}
		if err != nil {
			if ue, ok := err.(*url.Error); ok {
				err = ue.Err // without the URL, which may hold credentials
			}
			record(next, "SetBaseURL", fmt.Errorf("%w: base URL %q: %w", request.ErrInvalidURL, urls.Redact(base), err))
			return
		}
		next.BaseURL = u
		record(next, "SetBaseURL", nil)
	})
}

// headerErrKey is the prefix of the keys under which SetHeader and
// SetHeaders keep what they rejected, one per canonical header name.
const headerErrKey = "SetHeader "

// SetHeader sets a default header, replacing its values (names are
// case-insensitive). Several values send the header several times. A name
// that is not an HTTP token, or a value with a control byte (CR, LF, NUL,
// ...) or leading whitespace, is not set: it is an error matching
// [request.ErrInvalidHeader] that Err and Do return until that header is
// set to a valid value or deleted with DelHeader.
func (s *Session) SetHeader(name string, values ...string) *Session {
	values = core.OwnValues(values)
	key := http.CanonicalHeaderKey(name)
	err := request.CheckHeader(key, values...)
	return s.update(func(next *core.Snapshot) {
		if err == nil {
			next.Header = next.Header.Clone()
		}
		setHeader(next, key, values, err)
	})
}

// setHeader sets key (canonical) to values in next's header, which the
// caller has cloned, or records err, what request.CheckHeader said of them.
func setHeader(next *core.Snapshot, key string, values []string, err error) {
	record(next, headerErrKey+key, err)
	if err != nil {
		return
	}
	next.Header[key] = values
}

// SetHeaders sets several default headers, like requests'
// s.headers.update({...}): each as SetHeader sets it, so an invalid one
// is an error and the valid ones are set.
func (s *Session) SetHeaders(h map[string]string) *Session {
	return s.update(func(next *core.Snapshot) {
		next.Header = next.Header.Clone()
		for k, v := range h {
			key := http.CanonicalHeaderKey(k)
			setHeader(next, key, []string{v}, request.CheckHeader(key, v))
		}
	})
}

// DelHeader removes a default header, e.g. the standard User-Agent, and
// forgets what SetHeader rejected for it.
func (s *Session) DelHeader(name string) *Session {
	return s.update(func(next *core.Snapshot) {
		next.Header = next.Header.Clone()
		next.Header.Del(name)
		record(next, headerErrKey+http.CanonicalHeaderKey(name), nil)
	})
}

// SetSensitiveHeaders names headers that carry credentials of their own,
// such as an API key or a session token: like Authorization, each is
// dropped from a redirect to another host, scheme or port (requests'
// should_strip_auth rule; http to https on the default ports keeps them),
// and from every hop after it, and SetLogger writes its values as
// "[redacted]". It applies to the session's headers and to a call's own.
// requests has no such setting: it sends every header but Authorization to
// whatever host a redirect names. Each call replaces the list; no names
// clears it. A name that is not an HTTP token is an error matching
// [request.ErrInvalidHeader] that Err and Do return until the list is set
// again without it.
func (s *Session) SetSensitiveHeaders(names ...string) *Session {
	var keys []string
	var errs []error
	for _, name := range names {
		key := http.CanonicalHeaderKey(name)
		if err := request.CheckHeader(key); err != nil {
			errs = append(errs, err)
			continue
		}
		keys = append(keys, key)
	}
	slices.Sort(keys)
	keys = slices.Compact(keys) // sorted first: one by one, a long list took quadratic time
	return s.update(func(next *core.Snapshot) {
		next.Sensitive = slices.Clip(keys)
		record(next, "SetSensitiveHeaders", errors.Join(errs...))
	})
}

// SensitiveHeaders returns the names SetSensitiveHeaders set, canonical and
// sorted, or nil.
func (s *Session) SensitiveHeaders() []string { return slices.Clone(s.state().Sensitive) }

// SetParam sets a default query parameter. Keys are case-sensitive; a key
// set again keeps its position. Several values repeat the key; no values
// send nothing for it, as requests' params={name: []} does.
func (s *Session) SetParam(name string, values ...string) *Session {
	values = core.OwnParamValues(values)
	return s.update(func(next *core.Snapshot) {
		next.Params = next.Params.Set(name, values)
	})
}

// SetParams sets several default query parameters; new keys are added in
// sorted order, so the query string is deterministic.
func (s *Session) SetParams(p map[string]string) *Session {
	return s.update(func(next *core.Snapshot) {
		for _, k := range slices.Sorted(maps.Keys(p)) {
			next.Params = next.Params.Set(k, []string{p[k]})
		}
	})
}

// SetParamValues sets default query parameters from v, each key with all
// its values (none: the key sends nothing), new keys in sorted order:
// requests' s.params.update({'a': ['1', '2'], 'b': '3'}).
func (s *Session) SetParamValues(v url.Values) *Session {
	return s.update(func(next *core.Snapshot) {
		for _, k := range slices.Sorted(maps.Keys(v)) {
			next.Params = next.Params.Set(k, core.OwnParamValues(v[k]))
		}
	})
}

// DelParam removes a default query parameter.
func (s *Session) DelParam(name string) *Session {
	return s.update(func(next *core.Snapshot) {
		next.Params = next.Params.Del(name)
	})
}

// SetBasicAuth sets HTTP Basic credentials for every request.
func (s *Session) SetBasicAuth(username, password string) *Session {
	return s.SetAuth(request.BasicAuth{Username: username, Password: password})
}

// SetBearerToken sets a bearer token for every request. A token with a
// control byte (CR, LF, NUL, ...) is not set: it is an error matching
// [request.ErrInvalidHeader] that Err and Do return.
func (s *Session) SetBearerToken(token string) *Session {
	return s.SetAuth(request.BearerAuth{Token: token})
}

// SetAuth sets the default auth; nil clears it. A typed nil (a nil
// AuthFunc or pointer) is an error that Do returns, not a panic at send,
// and so is a [request.BearerAuth] whose token cannot be sent in a header
// (an [request.ErrInvalidHeader] error). Either keeps the auth set before.
func (s *Session) SetAuth(a request.Auth) *Session {
	err := checkAuth(a)
	return s.update(func(next *core.Snapshot) {
		if err != nil {
			record(next, "SetAuth", err)
			return
		}
		next.Auth = a
		record(next, "SetAuth", nil)
	})
}

// checkAuth returns what SetAuth rejects in a: a typed nil, or a bearer
// token whose Authorization header Do would refuse (Basic credentials are
// base64-encoded, so any bytes are sent safely).
func checkAuth(a request.Auth) error {
	if typednil.Is(a) {
		return fmt.Errorf("%w: SetAuth with a nil %T", request.ErrInvalidOption, a)
	}
	var token string
	switch b := a.(type) {
	case request.BearerAuth:
		token = b.Token
	case *request.BearerAuth:
		token = b.Token
	default:
		return nil
	}
	return request.CheckHeader("Authorization", "Bearer "+token)
}

// cookieErrKey is the prefix of the keys under which SetCookie keeps what
// it rejected, one per cookie name.
const cookieErrKey = "SetCookie "

// SetCookie sets a session-wide cookie, like requests'
// s.cookies.set(name, value): it is sent to every host this session
// requests directly, but never on a redirect to another host. An invalid
// name or value is an error matching [request.ErrInvalidCookie] (and
// [jar.ErrInvalidCookie]) that Do returns until SetCookie is called with a
// valid value for that name, or [Session.SetJar] replaces the jar. For
// domain and path, use Jar().Set.
func (s *Session) SetCookie(name, value string) *Session {
	return s.update(func(next *core.Snapshot) {
		// Under the session's lock, so that a concurrent SetJar cannot
		// publish a jar this cookie never reached.
		err := next.Jar.Set(name, value)
		if err != nil {
			err = fmt.Errorf("%w: %w", request.ErrInvalidCookie, err)
		}
		record(next, cookieErrKey+name, err)
	})
}

// SetJar replaces the session's cookie jar, e.g. with one loaded from a
// cookies.txt file, and forgets what SetCookie rejected for the old jar.
// Nil gives the session a new empty jar. Builders spawned before keep the
// jar they were spawned with.
func (s *Session) SetJar(j *jar.Jar) *Session {
	if j == nil {
		j = jar.New()
	}
	return s.update(func(next *core.Snapshot) {
		next.Jar = j
		for k := range next.Errs {
			if strings.HasPrefix(k, cookieErrKey) {
				next.Errs = core.WithErr(next.Errs, k, nil)
			}
		}
	})
}

// SetTimeout bounds every call, redirects and body included; zero means no
// timeout (the default, as in requests). Negative is an error from Do.
func (s *Session) SetTimeout(d time.Duration) *Session {
	return s.update(func(next *core.Snapshot) {
		if d < 0 {
			record(next, "SetTimeout", fmt.Errorf("%w: negative timeout %v", request.ErrInvalidOption, d))
			return
		}
		next.Timeout = d
		record(next, "SetTimeout", nil)
	})
}

// SetMaxRedirects sets how many redirects a call may follow (default 30).
// Negative is an error from Do.
func (s *Session) SetMaxRedirects(n int) *Session {
	return s.update(func(next *core.Snapshot) {
		if n < 0 {
			record(next, "SetMaxRedirects", fmt.Errorf("%w: negative redirect limit %d", request.ErrInvalidOption, n))
			return
		}
		next.MaxRedirects = n
		record(next, "SetMaxRedirects", nil)
	})
}

// SetRedirectCheck makes fn decide whether each call follows each
// redirect, as http.Client's CheckRedirect does (requests has no such
// setting): fn sees the redirect before anything, cookies and credentials
// included, is sent to where it leads, and an error from it refuses the
// redirect, so Do returns a [*request.RedirectRefusedError] (matching
// [request.ErrRedirectRefused]) that wraps it; an error matching
// [http.ErrUseLastResponse] makes Do return the redirect response instead.
// See [request.Builder.RedirectCheck], which replaces it for one call, for
// when fn runs, and [request.SameHost] and [request.AllowHosts] for
// ready-made checks. Unlike a response hook, the check stays when a call
// adds hooks of its own. Nil removes it.
func (s *Session) SetRedirectCheck(fn func(request.Redirect) error) *Session {
	return s.update(func(next *core.Snapshot) {
		if fn == nil {
			next.RedirectCheck = nil
			return
		}
		next.RedirectCheck = fn
	})
}

// SetMaxBodySize sets the most bytes of a response body, counted after
// decoding, that a call reads into memory; past it the call fails with
// [request.ErrBodyTooLarge] and the connection is closed. Zero means no
// limit, the default, as in requests. Negative is an error from Do.
func (s *Session) SetMaxBodySize(n int64) *Session {
	return s.update(func(next *core.Snapshot) {
		if n < 0 {
			record(next, "SetMaxBodySize", fmt.Errorf("%w: negative body size limit %d", request.ErrInvalidOption, n))
			return
		}
		next.MaxBodySize = n
		record(next, "SetMaxBodySize", nil)
	})
}

// BaseURL returns the base URL, or "" if none.
func (s *Session) BaseURL() string {
	if u := s.state().BaseURL; u != nil {
		return u.String()
	}
	return ""
}

// Headers returns a copy of the default headers.
func (s *Session) Headers() http.Header { return s.state().Header.Clone() }

// Params returns a copy of the default query parameters. Their order, which
// requests keeps on the wire, is in [Session.ParamList].
func (s *Session) Params() url.Values {
	out := url.Values{}
	for _, p := range s.state().Params {
		out[p.Key] = slices.Clone(p.Values)
	}
	return out
}

// ParamList returns the default query parameters in the order they are sent.
func (s *Session) ParamList() []request.Param {
	ps := s.state().Params
	out := make([]request.Param, len(ps))
	for i, p := range ps {
		out[i] = request.Param{Key: p.Key, Values: slices.Clone(p.Values)}
	}
	return out
}

// Auth returns the default auth, or nil.
func (s *Session) Auth() request.Auth {
	if a, ok := s.state().Auth.(request.Auth); ok {
		return a
	}
	return nil
}

// Jar returns the session's live cookie jar: changes to it apply to every
// request, builders already spawned from the session included (as long as
// [Session.SetJar] has not replaced it since they were spawned).
func (s *Session) Jar() *jar.Jar { return s.state().Jar }

// Timeout returns the default timeout; zero means none.
func (s *Session) Timeout() time.Duration { return s.state().Timeout }

// MaxBodySize returns the most bytes of a response body a call reads into
// memory; zero means no limit.
func (s *Session) MaxBodySize() int64 { return s.state().MaxBodySize }

// MaxRedirects returns how many redirects a call may follow.
func (s *Session) MaxRedirects() int { return s.state().MaxRedirects }

// RedirectCheck returns the check SetRedirectCheck set, or nil: a call
// that adds a check of its own can call it too.
func (s *Session) RedirectCheck() func(request.Redirect) error {
	fn, _ := s.state().RedirectCheck.(func(request.Redirect) error)
	return fn
}

// Err returns what the setters rejected (joined), or nil. Do returns the
// same error for every request until the setter is called again with a
// valid value.
func (s *Session) Err() error { return s.state().Err() }

// Request spawns a builder for method and url over the session as it is
// now. As requests' s.request, it follows redirects whatever the method,
// HEAD included; only [Session.Head] does not.
func (s *Session) Request(method, url string) request.Builder {
	return spawn(s.state(), method, url, false)
}

// Get spawns a GET request.
func (s *Session) Get(url string) request.Builder { return s.Request(http.MethodGet, url) }

// Post spawns a POST request.
func (s *Session) Post(url string) request.Builder { return s.Request(http.MethodPost, url) }

// Put spawns a PUT request.
func (s *Session) Put(url string) request.Builder { return s.Request(http.MethodPut, url) }

// Patch spawns a PATCH request.
func (s *Session) Patch(url string) request.Builder { return s.Request(http.MethodPatch, url) }

// Delete spawns a DELETE request.
func (s *Session) Delete(url string) request.Builder { return s.Request(http.MethodDelete, url) }

// Head spawns a HEAD request. As in requests, it does not follow redirects
// unless asked with [request.Builder.FollowRedirects].
func (s *Session) Head(url string) request.Builder {
	return spawn(s.state(), http.MethodHead, url, true)
}

// Options spawns an OPTIONS request.
func (s *Session) Options(url string) request.Builder { return s.Request(http.MethodOptions, url) }

// Clone returns a new session with every setting of s as it is now —
// base URL, headers, params, auth, session-wide cookies, timeouts, retry
// policy, hooks, proxies, TLS settings, mounts, logger — and a copy of its
// cookie jar, as resty's and req's Client.Clone do: for the same defaults
// with another token, per tenant or per test. The two sessions change
// independently from then on, and their cookies do too (give both one
// jar with SetJar(s.Jar()) to share them). They share s's connection
// pool and transports, so the clone dials nothing that s has open, and
// Close on either closes the idle connections of both; they share the
// digest-auth challenges s has seen, too, so a clone's first call with
// the same credentials is not challenged again. requests has no
// counterpart; copy.copy(s) would share the jar and every setting's
// container.
func (s *Session) Clone() *Session {
	s.mu.Lock() // a snapshot and a jar that a concurrent SetCookie has fully reached
	defer s.mu.Unlock()
	next := *s.state()
	next.Jar = next.Jar.Clone()
	c := &Session{conf: s.conf}
	c.once.Do(func() {}) // the first snapshot is s's, not one built from c.conf
	c.snap.Store(&next)
	return c
}

// Close closes the idle pooled connections of the session's transport
// (also one given with [WithTransport], when it pools) and of every
// transport mounted with [Session.Mount], as requests' close() closes
// every adapter. It is idempotent and the session stays usable, as in
// requests: the next request opens a new connection. Cookies and defaults
// are kept. It closes the idle connections of requests sent through
// [Session.Transport] too: they are the same. It always returns nil.
func (s *Session) Close() error {
	st := s.state()
	core.CloseIdle(st.Base)
	for _, m := range st.Mounts {
		core.CloseIdle(m.RT)
	}
	return nil
}
