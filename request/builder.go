package request

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tether-http/tether/internal/core"
	"github.com/tether-http/tether/internal/multipart"
	"github.com/tether-http/tether/internal/typednil"
)

// Builder describes one HTTP request over a snapshot of a session's
// defaults. It is immutable: every method returns a new Builder and leaves the
// receiver, and every builder derived from it, unchanged. A half-built Builder
// is therefore a safe template to share between goroutines and table-driven
// tests.
//
// Method-level values override the session's for this request only and are
// never persisted. Methods never panic: bad input is recorded and returned by
// [Builder.Do] as a typed error.
//
// The zero Builder has no method or URL; its Do returns an error.
type Builder struct {
	snap   *core.Snapshot
	method string
	url    string
	head   bool // spawned by a Head method: redirects are off by default
	last   *op  // newest first; shared between builders, never changed
}

type opKind uint8

const (
	opHeader opKind = iota
	opHeaders
	opDelHeader
	opParam
	opParams
	opDelParam
	opClearParams
	opCookie
	opDelCookie
	opAuth
	opNoAuth
	opBody
	opTimeout
	opRedirects
	opErr
	opStream
	opMaxBody
	opUpload
	opDownload
	opFile
	opConnectTimeout
	opReadTimeout
	opRetry
	opHook
	opVerify
	opTrace
	opProxy
	opDecode
	opCABundle
	opClientCert
	opPathParams
	opRedirectCheck
)

// op is one recorded builder step. Ops form a persistent list: a Builder
// points at its newest op, which points at the one before.
type op struct {
	prev   *op
	kind   opKind
	on     bool
	name   string
	values []string  // owned by the op; for opHeaders/opParams: name, value pairs
	one    [1]string // holds values when there is one: no allocation of its own
	auth   Auth
	body   *body
	file   *filePart
	n      int64
	d      time.Duration
	err    error
	fn     func(done, total int64)
	retry  *Retry
	hook   func(*Response) error
	check  func(Redirect) error // opRedirectCheck; nil: none
	net    *netStep             // opProxy, opCABundle, opClientCert
}

func init() {
	core.Spawn = spawn
}

// spawn is package client's constructor: it costs no allocation, whatever
// the size of the snapshot.
func spawn(snap *core.Snapshot, method, rawURL string, head bool) Builder {
	return Builder{snap: snap, method: method, url: rawURL, head: head}
}

func (b Builder) with(o *op) Builder {
	o.prev = b.last
	b.last = o
	return b
}

// bodyStep is an opBody step and its body, allocated together.
type bodyStep struct {
	op   op
	body body
}

// withBody records src as the request's body: the step holds it, in one
// allocation.
func (b Builder) withBody(src body) Builder {
	step := &bodyStep{op: op{kind: opBody}, body: src}
	step.op.body = &step.body
	return b.with(&step.op)
}

// fail records err, which Do returns without sending anything.
func (b Builder) fail(err error) Builder {
	return b.with(&op{kind: opErr, err: err})
}

// Header sets a header for this request, replacing the session's value of
// the same name (names are case-insensitive). Several values send the header
// several times.
func (b Builder) Header(name string, values ...string) Builder {
	o := &op{kind: opHeader, name: name}
	if len(values) <= 1 {
		o.hold(values, "") // no values send one empty value
	} else {
		o.values = core.OwnValues(values)
	}
	return b.with(o)
}

// hold makes the op's values its copy of values, which has at most one:
// held in the op itself, or def when there is none.
func (o *op) hold(values []string, def string) {
	o.one[0] = def
	if len(values) == 1 {
		o.one[0] = values[0]
	}
	o.values = o.one[:]
}

// Headers sets several headers, like requests' headers={...}.
func (b Builder) Headers(h map[string]string) Builder {
	return b.with(&op{kind: opHeaders, values: pairs(h)})
}

// DelHeader removes a header, the session's included, from this request
// only: requests' headers={name: None}. A header that is not there is no error.
func (b Builder) DelHeader(name string) Builder {
	return b.with(&op{kind: opDelHeader, name: name})
}

// Param sets a query parameter for this request. Keys are case-sensitive; a
// key the session has keeps its position and takes these values. Several
// values repeat the key; no values send nothing for it, as requests'
// params={name: []} does (Param(name, "") sends "name=").
func (b Builder) Param(name string, values ...string) Builder {
	o := &op{kind: opParam, name: name}
	if len(values) == 1 {
		o.hold(values, "")
	} else {
		o.values = core.OwnParamValues(values) // none stay none: the key sends nothing
	}
	return b.with(o)
}

// Params sets several query parameters, in sorted key order.
func (b Builder) Params(p map[string]string) Builder {
	return b.with(&op{kind: opParams, values: pairs(p)})
}

// ParamValues sets query parameters from v for this request, each key
// with all its values (none: the key sends nothing), in sorted key order:
// requests' params={'a': ['1', '2'], 'b': '3'}. Each key is as
// [Builder.Param] sets it.
func (b Builder) ParamValues(v url.Values) Builder {
	for _, k := range slices.Sorted(maps.Keys(v)) {
		b = b.Param(k, v[k]...)
	}
	return b
}

// DelParam removes a query parameter, the session's included, from this
// request only: requests' params={name: None}.
func (b Builder) DelParam(name string) Builder {
	return b.with(&op{kind: opDelParam, name: name})
}

// ClearParams drops every session query parameter from this request, as
// requests does when params is a list of pairs. Params set after it stay.
func (b Builder) ClearParams() Builder {
	return b.with(&op{kind: opClearParams})
}

// Cookie sends a cookie with this request only; it is never stored. It
// replaces a session-wide cookie of the same name for this request. It is
// not sent on a redirect to another host.
//
// The pair goes in the Cookie header as it is given, as requests sends
// cookies={...} and as the jar sends back what a server set: a value in
// double quotes keeps them (`q="x"`), and a value or name that net/http's
// parser refuses but requests sends, such as `{"a":1}` or "x[y]", is
// sent too. Do returns an error matching [ErrInvalidCookie], and sends
// nothing, for a name that is empty, holds a control byte, ";" or "=", or
// has white space at either end, and for a value with a control byte or
// ";": what would not arrive as one cookie.
func (b Builder) Cookie(name, value string) Builder {
	o := &op{kind: opCookie, name: name}
	o.hold(nil, value)
	return b.with(o)
}

// DelCookie keeps every jar cookie called name out of this request.
func (b Builder) DelCookie(name string) Builder {
	return b.with(&op{kind: opDelCookie, name: name})
}

// BasicAuth authenticates this request with HTTP Basic credentials.
func (b Builder) BasicAuth(username, password string) Builder {
	return b.Auth(BasicAuth{Username: username, Password: password})
}

// BearerToken authenticates this request with a bearer token.
func (b Builder) BearerToken(token string) Builder {
	return b.Auth(BearerAuth{Token: token})
}

// Auth authenticates this request with a, overriding the session's auth and
// any Authorization header. A nil a falls back to the session's auth; a
// typed nil (a nil AuthFunc or pointer) is an ErrInvalidOption error from Do.
func (b Builder) Auth(a Auth) Builder {
	if typednil.Is(a) {
		return b.fail(kindError(ErrInvalidOption, "Auth with a nil %T", a))
	}
	return b.with(&op{kind: opAuth, auth: a})
}

// NoAuth sends this request with no credentials at all: no session auth, no
// URL userinfo and no Authorization header.
func (b Builder) NoAuth() Builder {
	return b.with(&op{kind: opNoAuth})
}

// Body sends r as the body. A *bytes.Reader, *bytes.Buffer or
// *strings.Reader is copied now and can be sent any number of times (every
// Do, 307/308 redirects). An io.Seeker is sent from its current offset to
// its end, as they are now, on every send: with io.ReaderAt (an *os.File),
// each send reads its own section; otherwise a send waits until the
// transport has finished with the previous one before it seeks, so use such
// a reader from one call at a time. Any other reader can be sent once;
// sending it again is an ErrBodyNotReplayable error. An io.ReadCloser sent
// once is closed by the transport, as net/http does. A typed nil reader is
// an ErrBody error from Do. No Content-Type is set: add one with Header.
func (b Builder) Body(r io.Reader) Builder {
	src, err := newBody(r)
	if err != nil {
		return b.fail(err)
	}
	return b.with(&op{kind: opBody, body: src})
}

// BodyBytes sends a copy of p as the body, with no Content-Type.
func (b Builder) BodyBytes(p []byte) Builder {
	return b.withBody(*bytesBody(bytes.Clone(p), ""))
}

// JSON sends v encoded as JSON now, with Content-Type application/json
// unless a Content-Type header is set (even to ""). It is encoding/json's
// encoding, but "<", ">" and "&" are not escaped, as Python's json.dumps
// does not escape them. A value JSON cannot encode is an ErrBody error
// from Do.
func (b Builder) JSON(v any) Builder {
	e := jsonEncoders.Get().(*jsonEncoder)
	defer func() {
		if e.buf.Cap() <= 64<<10 { // a big body's buffer is not kept
			jsonEncoders.Put(e)
		}
	}()
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		return b.fail(kindError(ErrBody, "JSON: %w", err))
	}
	data := bytes.Clone(bytes.TrimSuffix(e.buf.Bytes(), []byte("\n"))) // Encode ends with a "\n"
	return b.withBody(*bytesBody(data, "application/json"))
}

// A jsonEncoder encodes as JSON does: into buf, without HTML escapes.
type jsonEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var jsonEncoders = sync.Pool{New: func() any {
	e := &jsonEncoder{}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}}

// Form sends form as an application/x-www-form-urlencoded body, keys
// sorted, like requests' data={...}. With [Builder.File] parts, the values
// become the text parts of a multipart/form-data body instead, as requests
// does with data= and files=.
//
// An empty form sends no body and no Content-Type, as requests' data={}
// does.
func (b Builder) Form(form url.Values) Builder {
	fields := formFields(form)
	contentType := "application/x-www-form-urlencoded"
	if len(form) == 0 {
		contentType = ""
	}
	body := bytesBody(encodeForm(fields), contentType)
	body.form, body.isForm = fields, true
	return b.withBody(*body)
}

// formFields flattens form into the fields requests sends for it, keys
// sorted and each key's values in their order, in one allocation. Holding
// the strings is a copy: a later change to form does not reach the builder.
func formFields(form url.Values) []multipart.Field {
	n := 0
	for _, vs := range form {
		n += len(vs)
	}
	if n == 0 {
		return nil
	}
	fields := make([]multipart.Field, 0, n)
	for k, vs := range form {
		for _, v := range vs {
			fields = append(fields, multipart.Field{Name: k, Value: v})
		}
	}
	// Stable: a key's values stay in their order.
	slices.SortStableFunc(fields, func(a, b multipart.Field) int { return strings.Compare(a.Name, b.Name) })
	return fields
}

// encodeForm is url.Values.Encode of the fields, written once into a
// buffer of the exact size.
func encodeForm(fields []multipart.Field) []byte {
	n := 0
	for _, f := range fields {
		n += queryEscapedLen(f.Name) + queryEscapedLen(f.Value) + 2
	}
	out := make([]byte, 0, n)
	for i, f := range fields {
		if i > 0 {
			out = append(out, '&')
		}
		out = appendQueryEscape(out, f.Name)
		out = append(out, '=')
		out = appendQueryEscape(out, f.Value)
	}
	return out
}

// Timeout bounds this call, redirects and reading the body included,
// overriding the session's timeout. Zero means no timeout.
func (b Builder) Timeout(d time.Duration) Builder {
	if d < 0 {
		return b.fail(kindError(ErrInvalidOption, "negative timeout %v", d))
	}
	return b.with(&op{kind: opTimeout, d: d})
}

// NoRedirects returns a redirect response as it is, with the next URL in
// [Response.Next], like requests' allow_redirects=False.
func (b Builder) NoRedirects() Builder {
	return b.with(&op{kind: opRedirects, on: false})
}

// FollowRedirects follows redirects: the default, except for builders
// spawned by a Head method ([Head], a session's Head), which (as requests'
// head) do not. A HEAD spawned by Request or [New] follows them.
func (b Builder) FollowRedirects() Builder {
	return b.with(&op{kind: opRedirects, on: true})
}

// Method returns the request's method as given.
func (b Builder) Method() string { return b.method }

// URL returns the request's URL as given, before the base URL is applied.
func (b Builder) URL() string { return b.url }

func pairs(m map[string]string) []string {
	out := make([]string, 0, 2*len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, k, m[k])
	}
	return out
}

// Param is one query parameter with its values, as a session lists them.
type Param struct {
	Key    string
	Values []string
}
