package request

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/http/httpguts"

	"github.com/tether-http/tether/internal/core"
	"github.com/tether-http/tether/internal/multipart"
	"github.com/tether-http/tether/internal/wire"
)

// call is a Builder resolved against its snapshot: everything one Do sends.
// It owns everything it holds that a caller can reach (the header map and
// every value slice in it), so nothing written through a response's
// Request, an Auth or a transport reaches a builder or a session.
type call struct {
	method      string
	url         *url.URL // &wire once built
	wire        url.URL  // query built; fragment and userinfo kept (request strips them from the wire)
	prepared    string   // the URL as requests' prepare_url makes it
	header      http.Header
	host        string         // an explicit Host header: the first hop's Host, and later hops' to the same host
	cookies     []*http.Cookie // method-level cookies
	dropCookies []string
	auth        Auth
	noAuth      bool
	body        *body
	files       []*filePart
	timeout     time.Duration
	redirects   bool
	stream      bool
	noDecode    bool  // Decode(false): the final body as it came
	maxBody     int64 // 0: unlimited
	upload      func(done, total int64)
	download    func(done, total int64)
	connectTO   time.Duration
	readTO      time.Duration
	retry       *Retry
	hooks       []func(*Response) error
	check       func(Redirect) error // decides each redirect followed; nil: none
	verify      *bool                // the call's Verify (or CABundle, which verifies), or nil
	trace       bool
	proxy       *netStep // the call's Proxy, NoProxy or Proxies, or nil: the session's
	roots       *netStep // the call's CABundle, or nil
	cert        *netStep // the call's ClientCert, or nil
	ownHooks    bool     // hooks came from the builder, which replace the session's
	errs        []error
	spare       []string // unused room in the header's value array, for the builder's values and the framing, Content-Type, Cookie and Authorization lines
}

func (c *call) fail(err error) { c.errs = append(c.errs, err) }

// setHeader sets key to a copy of values.
func (c *call) setHeader(key string, values []string) { c.header[key] = c.own(values) }

// own returns a copy of values, taken from the call's spare room when it
// fits: each slot of that room goes to one header of the call.
func (c *call) own(values []string) []string {
	if len(values) > cap(c.spare) {
		return slices.Clip(slices.Clone(values))
	}
	n := len(values)
	dst := c.spare[:n:n]
	copy(dst, values)
	c.spare = c.spare[n:cap(c.spare)][:0]
	return dst
}

// resolve applies the builder's ops, oldest first, over snap into c.
func (b Builder) resolve(snap *core.Snapshot, c *call) {
	*c = call{
		method:    strings.ToUpper(b.method),
		auth:      snap.Auth,
		timeout:   snap.Timeout,
		redirects: !b.head,
		maxBody:   snap.MaxBodySize,
		connectTO: snap.ConnectTimeout,
		readTO:    snap.ReadTimeout,
	}
	c.retry, _ = snap.Retry.(*Retry)
	c.hooks, _ = snap.Hooks.([]func(*Response) error)
	c.check, _ = snap.RedirectCheck.(func(Redirect) error)
	if err := snap.Err(); err != nil {
		c.fail(err)
	}

	var stack [16]*op // most builders have a few steps: no allocation
	ops := stack[:0]
	keys, values := 0, 0 // what header steps add, to size the header once
	newParams := 0       // and what param steps add, to size the params once
	framed := zeroLengthMethod(c.method)
	hasBody, cookies := false, snap.Jar != nil
	_, basic := snap.Auth.(BasicAuth)
	for o := b.last; o != nil; o = o.prev {
		ops = append(ops, o)
		switch o.kind {
		case opHeader:
			keys, values = keys+1, values+len(o.values)
		case opHeaders:
			keys, values = keys+len(o.values)/2, values+len(o.values)/2
		case opBody, opFile:
			framed, hasBody = true, true
		case opParam:
			newParams++
		case opParams:
			newParams += len(o.values) / 2
		case opCookie:
			cookies = true
		case opAuth:
			_, ok := o.auth.(BasicAuth)
			basic = basic || ok
		}
	}
	if framed {
		keys, values = keys+1, values+1 // the framing line (setFraming)
	}
	if hasBody {
		keys, values = keys+1, values+1 // the body's Content-Type (body.attach)
	}
	if cookies {
		keys, values = keys+1, values+1 // the Cookie line (setCookies)
	}
	keys++ // an Authorization line: any call may get one (authorize, netrc)
	if basic {
		values++ // a BasicAuth's value (authorize)
	}
	slices.Reverse(ops)
	c.header, c.spare = cloneHeader(snap.Header, keys, values)

	params := snap.Params // copied before the first change
	owned := false
	var paramStack [8]core.Param // the copy, when it fits: no allocation
	own := func() {
		if !owned {
			buf := paramStack[:0]
			if n := len(params) + newParams; n > len(paramStack) {
				buf = make(core.Params, 0, n)
			}
			params, owned = append(buf, params...), true
		}
	}
	setParam := func(k string, v []string) {
		own()
		params = params.Put(k, v)
	}
	var pathParams map[string]string // PathParam's, by name: none on most calls
	for _, o := range ops {
		switch o.kind {
		case opHeader:
			c.setHeader(http.CanonicalHeaderKey(o.name), o.values)
		case opHeaders:
			for i := 0; i < len(o.values); i += 2 {
				c.setHeader(http.CanonicalHeaderKey(o.values[i]), o.values[i+1:i+2])
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
				own()
				params = slices.Delete(params, i, i+1)
			}
		case opClearParams:
			params, owned = nil, true
		case opCookie:
			if err := checkCookie(o.name, o.values[0]); err != nil {
				c.fail(err)
				continue
			}
			c.cookies = append(c.cookies, &http.Cookie{Name: o.name, Value: o.values[0]})
		case opDelCookie:
			c.dropCookies = append(c.dropCookies, o.name)
			c.cookies = slices.DeleteFunc(c.cookies, func(ck *http.Cookie) bool { return ck.Name == o.name })
		case opAuth:
			c.auth, c.noAuth = o.auth, false
			if c.auth == nil {
				c.auth = snap.Auth
			}
		case opNoAuth:
			c.auth, c.noAuth = nil, true
		case opBody:
			c.body = o.body
		case opFile:
			c.files = append(c.files, o.file)
		case opStream:
			c.stream = o.on
		case opDecode:
			c.noDecode = !o.on
		case opMaxBody:
			c.maxBody = o.n
		case opUpload:
			c.upload = o.fn
		case opDownload:
			c.download = o.fn
		case opConnectTimeout:
			c.connectTO = o.d
		case opReadTimeout:
			c.readTO = o.d
		case opRetry:
			c.retry = o.retry
		case opVerify:
			v := o.on
			c.verify = &v
		case opTrace:
			c.trace = true
		case opProxy:
			c.proxy = o.net
		case opCABundle:
			c.roots = o.net
			v := true // as requests' verify='/path' over a session's verify=False
			c.verify = &v
		case opClientCert:
			c.cert = o.net
		case opHook:
			if !c.ownHooks {
				c.hooks, c.ownHooks = nil, true // as requests' merge_hooks: the call's replace the session's
			}
			c.hooks = append(c.hooks, o.hook)
		case opTimeout:
			c.timeout = o.d
		case opRedirects:
			c.redirects = o.on
		case opRedirectCheck:
			c.check = o.check
		case opPathParams:
			if pathParams == nil {
				pathParams = make(map[string]string, len(o.values)/2)
			}
			for i := 0; i < len(o.values); i += 2 {
				if o.values[i] == "" {
					c.fail(kindError(ErrInvalidOption, "PathParam with an empty name"))
					continue
				}
				pathParams[o.values[i]] = o.values[i+1]
			}
		case opErr:
			c.fail(o.err)
		}
	}
	if c.noAuth {
		c.header.Del("Authorization")
	}
	if len(c.files) > 0 {
		c.buildMultipart()
	}
	c.checkMethod()
	c.checkHeaders()
	c.takeHost()
	rawURL := b.url
	if pathParams != nil {
		filled, err := fillPath(rawURL, pathParams)
		if err != nil {
			c.fail(err)
			return
		}
		rawURL = filled
	}
	c.buildURL(snap.BaseURL, rawURL, params)
}

// cloneHeader deep-copies h into a map with room for keys more names, and
// returns the rest of its value array (room for values more values) for
// [call.setHeader]: one map and one array, as h.Clone would allocate.
func cloneHeader(h http.Header, keys, values int) (http.Header, []string) {
	nv := 0
	for _, vv := range h {
		nv += len(vv)
	}
	all := make([]string, nv, nv+values)
	out := make(http.Header, len(h)+keys)
	for k, vv := range h {
		n := copy(all, vv)
		out[k] = all[:n:n]
		all = all[n:]
	}
	return out, all[:0:values]
}

func (c *call) checkMethod() {
	if !wire.Token(c.method) {
		c.fail(kindError(ErrInvalidMethod, "%q", c.method))
	}
}

func (c *call) checkHeaders() { c.errs = append(c.errs, headerErrors(c.header)...) }

// headerErrors returns an ErrInvalidHeader error for each name and value
// of h that net/http would refuse or rewrite, nil when there is none: for
// the call's headers, and again for what an Auth wrote.
func headerErrors(h http.Header) []error {
	var errs []error
	for k, vs := range h {
		if !httpguts.ValidHeaderFieldName(k) {
			errs = append(errs, kindError(ErrInvalidHeader, "name %q", k))
			continue
		}
		for _, v := range vs {
			if err := checkHeaderValue(k, v); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errs
}

// checkHeaderValue refuses what net/http would refuse or rewrite in a
// header value: CR, LF, NUL and other control bytes, and, as requests
// raises InvalidHeader for it, leading whitespace (Go would trim it). The
// value of a credential header is not quoted in the error.
func checkHeaderValue(name, v string) error {
	why := ""
	switch {
	case !httpguts.ValidHeaderFieldValue(v):
		why = "a control byte (CR, LF, NUL, ...)"
	case v != "" && (v[0] == ' ' || v[0] == '\t'):
		why = "leading whitespace"
	default:
		return nil
	}
	if slices.Contains(redactedHeaders, name) {
		return kindError(ErrInvalidHeader, "%s: the value holds %s", name, why)
	}
	return kindError(ErrInvalidHeader, "%s: value %q holds %s", name, v, why)
}

// takeHost moves an explicit Host header, which Go's transport would
// ignore, to where it is sent from: the request's Host.
func (c *call) takeHost() {
	vs, ok := c.header["Host"]
	if !ok {
		return
	}
	delete(c.header, "Host")
	switch {
	case len(vs) != 1:
		c.fail(kindError(ErrInvalidHeader, "Host: want one value, have %d", len(vs)))
	case vs[0] == "" || !httpguts.ValidHostHeader(vs[0]):
		c.fail(kindError(ErrInvalidHeader, "Host: value %q", vs[0]))
	default:
		c.host = vs[0]
	}
}

// buildMultipart makes the call's body a multipart/form-data body of its
// Form values and files, as requests does with data= and files=.
func (c *call) buildMultipart() {
	var fields []multipart.Field
	switch {
	case c.body == nil:
	case c.body.isForm:
		fields = c.body.form
	default:
		c.fail(kindError(ErrBody, "File parts cannot be sent with a Body, BodyBytes or JSON body (Form values can)"))
		return
	}
	b, err := multipartBody(fields, c.files)
	if err != nil {
		c.fail(err)
		return
	}
	c.body = b
}
