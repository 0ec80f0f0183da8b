package conformance

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"mime"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tether-http/tether/internal/testserver"
)

// Result is a case's normalised outcome: what the server saw and what the
// caller got, step by step. Golden files hold requests' Result per case.
type Result struct {
	Steps []StepResult `json:"steps"`
}

// StepResult is one step's outcome.
type StepResult struct {
	// Hops are the requests the server saw for the step, in order.
	Hops []Hop `json:"hops"`
	// Status, URL and History describe the response returned, or the one
	// carried by the error. History lists the redirect responses before it,
	// oldest first, as "status URL".
	Status  int      `json:"status,omitempty"`
	URL     string   `json:"url,omitempty"`
	History []string `json:"history,omitempty"`
	// Next is where a redirect response returned unfollowed points
	// (requests' r.next.url, tether's Response.Next).
	Next string `json:"next,omitempty"`
	// Error is "too_many_redirects" or, for anything unexpected, the
	// error's text.
	Error string `json:"error,omitempty"`
	// Jar lists the session's cookies after the step, sorted, as
	// "name=value; domain=D; path=P" (D empty for a session-wide cookie).
	Jar []string `json:"jar,omitempty"`
	// Text is the final response's body, for steps that ask for it.
	Text string `json:"text,omitempty"`
	// Encoding is r.encoding (tether's Encoding), for steps that ask.
	Encoding *string `json:"encoding,omitempty"`
	// Content is the final response's body as bytes, for steps that ask.
	Content *Bytes `json:"content,omitempty"`
	// JSON is the final response's body parsed as JSON, for steps that ask
	// (text_json); a go-httpbin echo's "headers" object is normalised like
	// Hop.Headers, and every string has its host:port labelled.
	JSON any `json:"json,omitempty"`
	// Lines and Chunks are what iter_lines and iter_content yielded, for
	// steps that ask.
	Lines  *[]Bytes `json:"lines,omitempty"`
	Chunks *[]Bytes `json:"chunks,omitempty"`
	// NewConn reports, for steps that ask, whether the first hop came on a
	// connection the case had not used before.
	NewConn *bool `json:"new_conn,omitempty"`
	// Hooks lists the response hooks that ran, in order, as "name status
	// path", for steps of a case with hooks.
	Hooks *[]string `json:"hooks,omitempty"`
	// Attempts is how many tries the final response took, for steps that
	// ask.
	Attempts int `json:"attempts,omitempty"`
	// Proxy lists the requests the HTTP proxy received for the step, in
	// order, for steps of a case that uses the proxy (an empty list: none
	// went through it).
	Proxy *[]ProxyHop `json:"proxy,omitempty"`
	// RequestFraming lists, for steps that ask, the framing lines of the
	// request behind each response (the history, then the final one) as
	// the caller sees them: "Content-Length: n", "Transfer-Encoding:
	// chunked".
	RequestFraming *[][]string `json:"request_framing,omitempty"`
}

// ProxyHop is one request as the forward proxy received it: method,
// request target (an absolute URL, host:port labelled) and the
// Proxy-Authorization values, which the proxy never forwards.
type ProxyHop struct {
	Method             string   `json:"method"`
	Target             string   `json:"target"`
	ProxyAuthorization []string `json:"proxy_authorization,omitempty"`
}

// Hop is one request as the server saw it, normalised.
type Hop struct {
	Method string `json:"method"`
	Host   string `json:"host"`
	Path   string `json:"path"`
	Query  string `json:"query,omitempty"`
	// Target is the request target as the server read it on the request
	// line (Path is decoded), for steps that ask.
	Target string `json:"target,omitempty"`
	// Headers are keyed by lowercase name, without Host, Cookie and
	// Connection.
	Headers map[string][]string `json:"headers"`
	// Cookies are the Cookie header's pairs in the order sent, as sent
	// (a bare name stays bare).
	Cookies []string `json:"cookies,omitempty"`
	// Body is the request body, unless it is multipart/form-data and
	// parses: then Parts holds its parts and Body is empty. A multipart
	// body that does not parse stays in Body, its boundary replaced by
	// Boundary, and MultipartError says why.
	Body           Bytes  `json:"body,omitempty"`
	Parts          []Part `json:"parts,omitempty"`
	MultipartError string `json:"multipart_error,omitempty"`
}

// Part is one part of a multipart/form-data body.
type Part struct {
	// Name and Filename are the Content-Disposition's name and filename
	// parameters as sent (still escaped); Filename is nil without one.
	Name     string  `json:"name"`
	Filename *string `json:"filename,omitempty"`
	// Headers are the part's header lines, "name: value" with the name
	// lowercased and the rest as sent, sorted; Content-Disposition is among
	// them.
	Headers []string `json:"headers"`
	Content Bytes    `json:"content"`
}

// Boundary replaces a multipart body's random boundary.
const Boundary = "<boundary>"

// Bytes is a byte string of a result: a JSON string when it is valid
// UTF-8, otherwise {"b64": standard base64}.
type Bytes []byte

type bytesB64 struct {
	B64 []byte `json:"b64"`
}

// MarshalJSON writes a string, or {"b64": ...} for bytes that are not
// UTF-8.
func (b Bytes) MarshalJSON() ([]byte, error) {
	if !utf8.Valid(b) {
		return json.Marshal(bytesB64{B64: b})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(string(b)); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// UnmarshalJSON reads either form.
func (b *Bytes) UnmarshalJSON(data []byte) error {
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		var v bytesB64
		if err := json.Unmarshal(t, &v); err != nil {
			return err
		}
		*b = v.B64
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	*b = Bytes(s)
	return nil
}

// Facts is what a runner reports about one step, before normalisation.
type Facts struct {
	Status  int         `json:"status"`
	URL     string      `json:"url"`
	History []string    `json:"history"` // "status URL", oldest first
	Next    string      `json:"next"`
	Error   string      `json:"error"`
	Jar     []JarCookie `json:"jar"`
	Text    string      `json:"text"`
	// Encoding, Content, Lines and Chunks are recorded for the steps that
	// ask (byte strings travel as base64 from the oracle).
	Encoding string   `json:"encoding"`
	Content  []byte   `json:"content"`
	Lines    [][]byte `json:"lines"`
	Chunks   [][]byte `json:"chunks"`
	// Hooks are the hook runs of the step ("name status path"); Attempts
	// the final response's tries.
	Hooks    []string `json:"hooks"`
	Attempts int      `json:"attempts"`
	// RequestFraming is each response's request framing lines, for the
	// steps that ask.
	RequestFraming [][]string `json:"request_framing"`
}

// JarCookie is one cookie of a session's jar.
type JarCookie struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Domain string `json:"domain"`
	Path   string `json:"path"`
}

// ErrTooManyRedirects is the error kind both runners report for
// requests' TooManyRedirects and tether's ErrTooManyRedirects.
const ErrTooManyRedirects = "too_many_redirects"

// ErrHookFailed is the error kind both runners report when a hook fails
// (a hook whose name ends in "!"): requests lets the hook's exception
// through, tether wraps the hook's error in ErrHook.
const ErrHookFailed = "hook_error"

// ErrBodyNotReplayable is the error kind both runners report when a body
// read once would have to be sent again: requests' UnrewindableBodyError,
// tether's ErrBodyNotReplayable.
const ErrBodyNotReplayable = "body_not_replayable"

// DefaultValue replaces a runner's own default User-Agent and
// Accept-Encoding values.
const DefaultValue = "<default>"

// normalizer turns one runner's raw recordings and facts into a Result.
type normalizer struct {
	// labels maps "host:port" to H1, H2 or H3.
	labels map[string]string
	// defaults maps a lowercase header name to the runner's default value
	// for it, which is replaced by DefaultValue.
	defaults map[string]string
}

func newNormalizer(h Hosts, defaults map[string]string) *normalizer {
	return &normalizer{
		labels:   labels(h),
		defaults: defaults,
	}
}

// labels maps each of h's host:port values to its label.
func labels(h Hosts) map[string]string {
	m := map[string]string{h.H1: "H1", h.H2: "H2", h.H3: "H3"}
	if h.H6 != "" {
		m[h.H6] = "H6"
	}
	if h.P != "" {
		m[h.P] = "P"
	}
	return m
}

var hostPort = regexp.MustCompile(`(127\.0\.0\.1|localhost|\[::1\])(:|%3[Aa]|%253[Aa])([0-9]+)`)

// text replaces every host:port of the case's servers, plain or
// percent-encoded, by its label.
func (n *normalizer) text(s string) string {
	return hostPort.ReplaceAllStringFunc(s, func(m string) string {
		sub := hostPort.FindStringSubmatch(m)
		if l, ok := n.labels[sub[1]+":"+sub[3]]; ok {
			return l
		}
		return m
	})
}

// dropped are headers left out of Hop.Headers: Host is Hop.Host, Cookie is
// Hop.Cookies, Connection is a hop-by-hop artefact (urllib3 sends
// keep-alive, Go's transport nothing).
var dropped = map[string]bool{"host": true, "cookie": true, "connection": true}

func (n *normalizer) hop(e testserver.Entry) Hop {
	h := Hop{
		Method:  e.Method,
		Host:    n.text(e.Host),
		Path:    n.text(e.Path),
		Query:   n.text(e.RawQuery),
		Headers: map[string][]string{},
	}
	if e.Body != "" {
		h.Body = Bytes(e.Body)
	}
	for k, vs := range e.Header {
		lk := strings.ToLower(k)
		if lk == "cookie" {
			for _, v := range vs {
				for _, p := range strings.Split(v, ";") {
					if p = strings.TrimSpace(p); p != "" {
						h.Cookies = append(h.Cookies, p)
					}
				}
			}
		}
		if dropped[lk] {
			continue
		}
		out := make([]string, len(vs))
		for i, v := range vs {
			if d, ok := n.defaults[lk]; ok && v == d {
				v = DefaultValue
			}
			out[i] = n.text(v)
		}
		h.Headers[lk] = append(h.Headers[lk], out...)
	}
	n.multipart(&h)
	return h
}

// multipart replaces a multipart/form-data body by its parts and the
// boundary, in Content-Type and body, by Boundary. requests (urllib3) and
// tether both draw a boundary of 32 hex digits, so Content-Length is
// compared as it is. The boundary is the Content-Type's, or, when the
// Content-Type names none (a caller's own Content-Type replaced the
// multipart one), the body's first line if the body ends with the matching
// closing delimiter.
func (n *normalizer) multipart(h *Hop) {
	b := ""
	cts := h.Headers["content-type"]
	if len(cts) == 1 {
		if mt, params, err := mime.ParseMediaType(cts[0]); err == nil && mt == "multipart/form-data" {
			b = params["boundary"]
		}
	}
	if b == "" {
		b = bodyBoundary(h.Body)
	}
	if b == "" {
		return
	}
	for i, v := range cts {
		cts[i] = strings.ReplaceAll(v, b, Boundary)
	}
	parts, err := parseMultipart(h.Body, b)
	if err != nil {
		h.Body = bytes.ReplaceAll(h.Body, []byte(b), []byte(Boundary))
		h.MultipartError = err.Error()
		return
	}
	h.Body, h.Parts = nil, parts
	for i := range h.Parts {
		h.Parts[i].Name = n.text(h.Parts[i].Name)
	}
}

// bodyBoundary returns the boundary of a body that looks multipart: its
// first line is "--" and a boundary, and it ends with that boundary's
// closing delimiter. It returns "" otherwise.
func bodyBoundary(body []byte) string {
	first, _, ok := bytes.Cut(body, []byte("\r\n"))
	b, isDelim := bytes.CutPrefix(first, []byte("--"))
	if !ok || !isDelim || len(b) == 0 || len(b) > 70 {
		return ""
	}
	if !bytes.HasSuffix(body, []byte("--"+string(b)+"--\r\n")) {
		return ""
	}
	return string(b)
}

var (
	dispName     = regexp.MustCompile(`;\s*name="([^"]*)"`)
	dispFilename = regexp.MustCompile(`;\s*filename="([^"]*)"`)
)

// parseMultipart splits a multipart body strictly as RFC 7578 bodies are
// written (no preamble or epilogue, CRLF line ends, a closing delimiter
// followed by CRLF) so that any deviation shows. It does not decode
// anything: mime/multipart would undo a quoted-printable transfer encoding
// and canonicalise header names.
func parseMultipart(body []byte, boundary string) ([]Part, error) {
	delim := []byte("--" + boundary)
	rest, ok := bytes.CutPrefix(body, delim)
	if !ok {
		return nil, fmt.Errorf("body does not start with the boundary delimiter")
	}
	parts := []Part{}
	sep := append([]byte("\r\n"), delim...)
	for {
		if after, ok := bytes.CutPrefix(rest, []byte("--")); ok {
			if string(after) != "\r\n" {
				return nil, fmt.Errorf("%d bytes after the closing delimiter, want CRLF", len(after))
			}
			return parts, nil
		}
		rest, ok = bytes.CutPrefix(rest, []byte("\r\n"))
		if !ok {
			return nil, fmt.Errorf("part %d: no CRLF after the delimiter", len(parts))
		}
		raw, next, ok := bytes.Cut(rest, sep)
		if !ok {
			return nil, fmt.Errorf("part %d: no delimiter after it", len(parts))
		}
		rest = next
		var head, content []byte
		if c, ok := bytes.CutPrefix(raw, []byte("\r\n")); ok {
			content = c // no headers
		} else if head, content, ok = bytes.Cut(raw, []byte("\r\n\r\n")); !ok {
			return nil, fmt.Errorf("part %d: no empty line after its headers", len(parts))
		}
		p := Part{Headers: []string{}, Content: Bytes(content)}
		if p.Content == nil {
			p.Content = Bytes{}
		}
		for _, line := range strings.Split(string(head), "\r\n") {
			if line == "" {
				continue
			}
			name, value, ok := strings.Cut(line, ":")
			if !ok {
				return nil, fmt.Errorf("part %d: header line %q has no colon", len(parts), line)
			}
			name = strings.ToLower(name)
			p.Headers = append(p.Headers, name+":"+value)
			if name == "content-disposition" {
				if m := dispName.FindStringSubmatch(value); m != nil {
					p.Name = m[1]
				}
				if m := dispFilename.FindStringSubmatch(value); m != nil {
					p.Filename = &m[1]
				}
			}
		}
		slices.Sort(p.Headers)
		parts = append(parts, p)
	}
}

// echoJSON parses a body as JSON for text_json: every string gets its
// host:port labelled and a top-level "headers" object of go-httpbin's echo
// ({name: [values]}) is normalised as Hop.Headers is. A body that is not
// JSON is recorded as {"not_json": text}.
func (n *normalizer) echoJSON(text string) any {
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return map[string]any{"not_json": n.text(text)}
	}
	v = n.labelStrings(v)
	obj, ok := v.(map[string]any)
	if !ok {
		return v
	}
	hdrs, ok := obj["headers"].(map[string]any)
	if !ok {
		return v
	}
	out := map[string]any{}
	for k, raw := range hdrs {
		lk := strings.ToLower(k)
		if dropped[lk] {
			continue
		}
		vals, ok := raw.([]any)
		if !ok {
			out[lk] = raw
			continue
		}
		for i, x := range vals {
			if s, ok := x.(string); ok {
				if d, ok := n.defaults[lk]; ok && s == d {
					vals[i] = DefaultValue
				}
			}
		}
		out[lk] = vals
	}
	obj["headers"] = out
	return obj
}

// labelStrings applies n.text to every string (and object key) of v.
func (n *normalizer) labelStrings(v any) any {
	switch x := v.(type) {
	case string:
		return n.text(x)
	case []any:
		for i := range x {
			x[i] = n.labelStrings(x[i])
		}
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[n.text(k)] = n.labelStrings(e)
		}
		return out
	}
	return v
}

// blobs converts yielded items for a result.
func blobs(items [][]byte) *[]Bytes {
	out := make([]Bytes, len(items))
	for i, it := range items {
		out[i] = Bytes(it)
		if out[i] == nil {
			out[i] = Bytes{}
		}
	}
	return &out
}

// jarEntry renders a jar cookie; requests' ".x" domains lose the dot and
// its "localhost.local" (http.cookiejar's name for a dotless host) becomes
// "localhost".
func jarEntry(c JarCookie) string {
	d := strings.TrimPrefix(c.Domain, ".")
	if strings.HasSuffix(d, ".local") && !strings.Contains(strings.TrimSuffix(d, ".local"), ".") {
		d = strings.TrimSuffix(d, ".local")
	}
	return fmt.Sprintf("%s=%s; domain=%s; path=%s", c.Name, c.Value, d, c.Path)
}

// tagged is a recorded request with the index of the server it reached.
type tagged struct {
	testserver.Entry
	server int
}

// entries returns every request the servers recorded, in arrival order.
func entries(servers ...*testserver.Server) []tagged {
	var out []tagged
	for i, s := range servers {
		for _, e := range s.Entries() {
			out = append(out, tagged{Entry: e, server: i})
		}
	}
	slices.SortFunc(out, func(a, b tagged) int { return cmp.Compare(a.Seq, b.Seq) })
	return out
}

// label is the server label of a case's step.
func label(c *Case, step int) string { return c.Name + "/" + strconv.Itoa(step) }

// result builds a case's Result from the facts of each step and the
// requests recorded under the step labels by the servers and the proxy.
func (n *normalizer) result(c *Case, facts []Facts, recorded []tagged, proxied []testserver.ProxyEntry) *Result {
	_, usesProxy := c.needs()
	type connID struct {
		server int
		conn   int64
	}
	seen := map[connID]bool{}
	digests := digestLabels{}
	res := &Result{Steps: make([]StepResult, 0, len(c.Steps))}
	for i, st := range c.Steps {
		f := facts[i]
		sr := StepResult{
			Hops:   []Hop{},
			Status: f.Status,
			URL:    n.text(f.URL),
			Error:  f.Error,
		}
		for _, h := range f.History {
			sr.History = append(sr.History, n.text(h))
		}
		if f.Error == "" {
			sr.Next = n.text(f.Next)
		}
		if st.Text {
			sr.Text = n.text(f.Text)
		}
		if st.TextJSON {
			sr.JSON = n.echoJSON(f.Text)
		}
		if st.Encoding {
			sr.Encoding = &f.Encoding
		}
		if st.Content {
			c := Bytes(f.Content)
			if c == nil {
				c = Bytes{}
			}
			sr.Content = &c
		}
		if st.IterLines != nil {
			sr.Lines = blobs(f.Lines)
		}
		if st.IterContent != nil {
			sr.Chunks = blobs(f.Chunks)
		}
		for _, ck := range f.Jar {
			sr.Jar = append(sr.Jar, jarEntry(ck))
		}
		slices.Sort(sr.Jar)
		if c.Session.Hooks != nil || st.Hooks != nil {
			hooks := []string{}
			for _, h := range f.Hooks {
				hooks = append(hooks, n.text(h))
			}
			sr.Hooks = &hooks
		}
		if st.Attempts {
			sr.Attempts = f.Attempts
		}
		if st.RequestFraming {
			rf := make([][]string, len(f.RequestFraming))
			for k, lines := range f.RequestFraming {
				rf[k] = append([]string{}, lines...)
			}
			sr.RequestFraming = &rf
		}
		l := label(c, i)
		var first *tagged
		for k := range recorded {
			e := &recorded[k]
			if e.Label != l {
				continue
			}
			if first == nil {
				first = e
			}
			h := n.hop(e.Entry)
			if st.Target {
				h.Target = n.text(e.RequestURI)
			}
			digests.hop(&h)
			sr.Hops = append(sr.Hops, h)
		}
		if usesProxy {
			ph := []ProxyHop{}
			for _, e := range proxied {
				if e.Label == l {
					ph = append(ph, ProxyHop{Method: e.Method, Target: n.text(e.Target), ProxyAuthorization: e.ProxyAuthorization})
				}
			}
			sr.Proxy = &ph
		}
		if st.CheckConn && first != nil {
			v := !seen[connID{first.server, first.Conn}]
			sr.NewConn = &v
		}
		for _, e := range recorded {
			if e.Label == l {
				seen[connID{e.server, e.Conn}] = true
			}
		}
		res.Steps = append(res.Steps, sr)
	}
	return res
}

// applyDifferences returns golden with each difference's Tether value put
// at its path, after checking that golden holds its Requests value there.
func applyDifferences(golden *Result, diffs []Difference) (*Result, error) {
	if len(diffs) == 0 {
		return golden, nil
	}
	data, err := json.Marshal(golden)
	if err != nil {
		return nil, err
	}
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	for _, d := range diffs {
		var want, repl any
		if err := json.Unmarshal(d.Requests, &want); err != nil {
			return nil, fmt.Errorf("difference %s: requests: %w", d.Path, err)
		}
		if err := json.Unmarshal(d.Tether, &repl); err != nil {
			return nil, fmt.Errorf("difference %s: tether: %w", d.Path, err)
		}
		got, err := pointerGet(doc, d.Path)
		if err != nil {
			return nil, fmt.Errorf("difference %s: %w", d.Path, err)
		}
		if !jsonEqual(got, want) {
			g, _ := json.Marshal(got)
			return nil, fmt.Errorf("difference %s: the case says requests gives %s, the golden result has %s", d.Path, d.Requests, g)
		}
		if doc, err = pointerSet(doc, d.Path, repl); err != nil {
			return nil, fmt.Errorf("difference %s: %w", d.Path, err)
		}
	}
	data, err = json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	out := &Result{}
	if err := json.Unmarshal(data, out); err != nil {
		return nil, err
	}
	return out, nil
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func pointerTokens(p string) ([]string, error) {
	if !strings.HasPrefix(p, "/") {
		return nil, fmt.Errorf("JSON pointer %q does not start with /", p)
	}
	toks := strings.Split(p[1:], "/")
	for i, t := range toks {
		toks[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return toks, nil
}

// pointerGet returns the value at p, or nil if the last key is absent.
func pointerGet(doc any, p string) (any, error) {
	toks, err := pointerTokens(p)
	if err != nil {
		return nil, err
	}
	cur := doc
	for i, t := range toks {
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[t]
			if !ok {
				if i == len(toks)-1 {
					return nil, nil
				}
				return nil, fmt.Errorf("no %q", t)
			}
			cur = next
		case []any:
			k, err := strconv.Atoi(t)
			if err != nil || k < 0 || k >= len(v) {
				return nil, fmt.Errorf("no element %q", t)
			}
			cur = v[k]
		default:
			return nil, fmt.Errorf("%q: not an object or array", t)
		}
	}
	return cur, nil
}

// pointerSet sets the value at p; nil deletes an object key.
func pointerSet(doc any, p string, val any) (any, error) {
	toks, err := pointerTokens(p)
	if err != nil {
		return nil, err
	}
	parent := doc
	if len(toks) > 1 {
		if parent, err = pointerGet(doc, "/"+strings.Join(escapeTokens(toks[:len(toks)-1]), "/")); err != nil {
			return nil, err
		}
	}
	last := toks[len(toks)-1]
	switch v := parent.(type) {
	case map[string]any:
		if val == nil {
			delete(v, last)
		} else {
			v[last] = val
		}
	case []any:
		k, err := strconv.Atoi(last)
		if err != nil || k < 0 || k >= len(v) {
			return nil, fmt.Errorf("no element %q", last)
		}
		v[k] = val
	default:
		return nil, fmt.Errorf("parent of %q is not an object or array", last)
	}
	return doc, nil
}

func escapeTokens(toks []string) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1")
	}
	return out
}

// digestLabels replaces the random values of Digest Authorization headers
// (nonce, opaque, cnonce, response) by placeholders numbered in order of
// first appearance within a case: "<nonce-1>", "<cnonce-2>". A value that
// comes back (a nonce reused by a later call) gets the same number.
type digestLabels map[string]map[string]string // param -> value -> label

// digestRandom are the Digest parameters whose values are random.
var digestRandom = map[string]bool{"nonce": true, "opaque": true, "cnonce": true, "response": true}

// hop normalises the hop's Digest Authorization headers.
func (d digestLabels) hop(h *Hop) {
	for i, v := range h.Headers["authorization"] {
		if out, ok := d.authorization(v); ok {
			h.Headers["authorization"][i] = out
		}
	}
}

// authorization rewrites a Digest credentials value: its parameters in
// the order sent, each as name=value with the value's quoting kept, joined
// by ", "; random values replaced. It reports false for anything that is
// not Digest credentials or does not parse, which stays as it is.
func (d digestLabels) authorization(v string) (string, bool) {
	scheme, rest, ok := strings.Cut(v, " ")
	if !ok || !strings.EqualFold(scheme, "Digest") {
		return "", false
	}
	params, ok := splitAuthParams(rest)
	if !ok {
		return "", false
	}
	out := make([]string, len(params))
	for i, p := range params {
		val := p.value
		if digestRandom[strings.ToLower(p.name)] {
			val = d.label(strings.ToLower(p.name), val)
		}
		if p.quoted {
			val = `"` + val + `"`
		}
		out[i] = p.name + "=" + val
	}
	return scheme + " " + strings.Join(out, ", "), true
}

func (d digestLabels) label(param, value string) string {
	if d[param] == nil {
		d[param] = map[string]string{}
	}
	l, ok := d[param][value]
	if !ok {
		l = fmt.Sprintf("<%s-%d>", param, len(d[param])+1)
		d[param][value] = l
	}
	return l
}

type authParam struct {
	name, value string // value unquoted, escapes kept
	quoted      bool
}

// splitAuthParams splits "a=b, c="d, e"" into its auth-params (RFC 9110
// §11.2): a token, "=", a token or a quoted-string, separated by commas
// and optional whitespace.
func splitAuthParams(s string) ([]authParam, bool) {
	var out []authParam
	for {
		s = strings.TrimLeft(s, " \t,")
		if s == "" {
			return out, len(out) > 0
		}
		name, rest, ok := strings.Cut(s, "=")
		if !ok || strings.ContainsAny(strings.TrimSpace(name), " \t,\"") {
			return nil, false
		}
		p := authParam{name: strings.TrimSpace(name)}
		rest = strings.TrimLeft(rest, " \t")
		if strings.HasPrefix(rest, `"`) {
			end := -1
			for i := 1; i < len(rest); i++ {
				if rest[i] == '\\' {
					i++
					continue
				}
				if rest[i] == '"' {
					end = i
					break
				}
			}
			if end < 0 {
				return nil, false
			}
			p.value, p.quoted, s = rest[1:end], true, rest[end+1:]
		} else {
			end := strings.IndexByte(rest, ',')
			if end < 0 {
				end = len(rest)
			}
			p.value, s = strings.TrimSpace(rest[:end]), rest[end:]
		}
		s = strings.TrimLeft(s, " \t")
		if s != "" && s[0] != ',' {
			return nil, false
		}
		out = append(out, p)
	}
}
