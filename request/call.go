package request

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/net/http/httpguts"

	"github.com/tether-http/tether/internal/core"
)

// call is a Builder resolved against its snapshot: everything one Do sends.
type call struct {
	method      string
	url         *url.URL // query built, fragment kept, userinfo removed
	header      http.Header
	cookies     []*http.Cookie // method-level cookies
	dropCookies []string
	auth        Auth
	noAuth      bool
	body        *body
	timeout     time.Duration
	redirects   bool
	errs        []error
}

func (c *call) fail(err error) { c.errs = append(c.errs, err) }

// resolve applies the builder's ops, oldest first, over the snapshot.
func (b Builder) resolve() *call {
	snap := b.snap
	if snap == nil {
		snap = defaultSnapshot()
	}
	c := &call{
		method:    strings.ToUpper(b.method),
		auth:      snap.Auth,
		timeout:   snap.Timeout,
		redirects: b.method != http.MethodHead,
	}
	for _, k := range sortedKeys(snap.Errs) {
		c.fail(snap.Errs[k])
	}
	if snap.Header != nil {
		c.header = snap.Header.Clone()
	} else {
		c.header = make(http.Header, 4)
	}
	params := snap.Params // copied before the first change
	owned := false
	setParam := func(k string, v []string) {
		if !owned {
			params, owned = slices.Clone(params), true
		}
		if i := params.Index(k); i >= 0 {
			params[i].Values = v
		} else {
			params = append(params, core.Param{Key: k, Values: v})
		}
	}

	n := 0
	for o := b.last; o != nil; o = o.prev {
		n++
	}
	ops := make([]*op, n)
	for o := b.last; o != nil; o = o.prev {
		n--
		ops[n] = o
	}
	for _, o := range ops {
		switch o.kind {
		case opHeader:
			c.header[http.CanonicalHeaderKey(o.name)] = o.values
		case opHeaders:
			for i := 0; i < len(o.values); i += 2 {
				c.header[http.CanonicalHeaderKey(o.values[i])] = o.values[i+1 : i+2 : i+2]
			}
		case opDelHeader:
			c.header.Del(o.name)
		case opParam:
			setParam(o.name, o.values)
		case opParams:
			for i := 0; i < len(o.values); i += 2 {
				setParam(o.values[i], o.values[i+1:i+2:i+2])
			}
		case opDelParam:
			if i := params.Index(o.name); i >= 0 {
				if !owned {
					params, owned = slices.Clone(params), true
				}
				params = slices.Delete(params, i, i+1)
			}
		case opClearParams:
			params, owned = nil, true
		case opCookie:
			ck := &http.Cookie{Name: o.name, Value: o.values[0]}
			if err := ck.Valid(); err != nil {
				c.fail(kindError(ErrInvalidCookie, "%q: %w", o.name, err))
				continue
			}
			c.cookies = append(c.cookies, ck)
		case opDelCookie:
			c.dropCookies = append(c.dropCookies, o.name)
			c.cookies = slices.DeleteFunc(c.cookies, func(ck *http.Cookie) bool { return ck.Name == o.name })
		case opAuth:
			if o.auth == nil {
				c.auth, c.noAuth = snap.Auth, false
			} else {
				c.auth, c.noAuth = o.auth, false
			}
		case opNoAuth:
			c.auth, c.noAuth = nil, true
		case opBody:
			c.body = o.body
		case opTimeout:
			c.timeout = o.d
		case opRedirects:
			c.redirects = o.on
		case opErr:
			c.fail(o.err)
		}
	}
	if c.noAuth {
		c.header.Del("Authorization")
	}
	c.checkMethod()
	c.checkHeaders()
	c.buildURL(snap.BaseURL, b.url, params)
	return c
}

func (c *call) checkMethod() {
	if c.method == "" || strings.IndexFunc(c.method, func(r rune) bool { return !httpguts.IsTokenRune(r) }) >= 0 {
		c.fail(kindError(ErrInvalidMethod, "%q", c.method))
	}
}

func (c *call) checkHeaders() {
	for k, vs := range c.header {
		if !httpguts.ValidHeaderFieldName(k) {
			c.fail(kindError(ErrInvalidHeader, "name %q", k))
			continue
		}
		for _, v := range vs {
			if !httpguts.ValidHeaderFieldValue(v) {
				c.fail(kindError(ErrInvalidHeader, "%s: value %q", k, v))
			}
		}
	}
}

// buildURL joins raw with the base URL and appends the merged params after
// the URL's own query, as requests does.
func (c *call) buildURL(base *url.URL, raw string, params core.Params) {
	u, err := joinURL(base, raw)
	if err != nil {
		c.fail(err)
		return
	}
	if len(params) > 0 {
		var sb strings.Builder
		sb.WriteString(u.RawQuery)
		for _, p := range params {
			for _, v := range p.Values {
				if sb.Len() > 0 {
					sb.WriteByte('&')
				}
				sb.WriteString(url.QueryEscape(p.Key))
				sb.WriteByte('=')
				sb.WriteString(url.QueryEscape(v))
			}
		}
		u.RawQuery = sb.String()
		u.ForceQuery = false
	}
	c.url = u
}

// joinURL parses raw and, when it is relative, appends it to base's path.
func joinURL(base *url.URL, raw string) (*url.URL, error) {
	if raw == "" && base == nil {
		return nil, kindError(ErrInvalidURL, "empty URL")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, kindError(ErrInvalidURL, "%w", err)
	}
	if !u.IsAbs() && u.Host == "" && base != nil {
		joined := *base
		joined.Path = strings.TrimSuffix(base.Path, "/")
		if u.Path != "" && !strings.HasPrefix(u.Path, "/") {
			joined.Path += "/"
		}
		joined.Path += u.Path
		joined.RawPath = ""
		joined.RawQuery, joined.ForceQuery, joined.Fragment = u.RawQuery, u.ForceQuery, u.Fragment
		u = &joined
	}
	return u, checkURL(u)
}

func checkURL(u *url.URL) error {
	switch u.Scheme {
	case "http", "https":
	case "":
		return kindError(ErrInvalidURL, "%q has no scheme (and the session no base URL)", u.Redacted())
	default:
		return kindError(ErrUnsupportedScheme, "%q in %q", u.Scheme, u.Redacted())
	}
	if u.Host == "" {
		return kindError(ErrInvalidURL, "%q has no host", u.Redacted())
	}
	return nil
}

// oneShot is a body that can be read once.
type oneShot struct {
	used atomic.Bool
	r    io.Reader
}

var errConsumed = errors.New("one-shot body already sent")

func sortedKeys(m map[string]error) []string {
	if len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
