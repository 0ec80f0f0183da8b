package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tether-http/tether/internal/testserver"
)

// File is one case file of testdata/conformance: the cases of one area.
type File struct {
	Area  string  `json:"area"`
	Doc   string  `json:"doc,omitempty"`
	Cases []*Case `json:"cases"`
}

// Case is one scenario: a session set up, then one or more steps sent
// through it in order.
type Case struct {
	// Name is unique across all files; it keys the golden results.
	Name string `json:"name"`
	// Ref points at what the case checks, e.g. "§5.33" for a numbered case
	// of requests-semantics.md or "seed" for the seed's snippets.
	Ref         string       `json:"ref"`
	Doc         string       `json:"doc,omitempty"`
	Session     Session      `json:"session"`
	Steps       []*Step      `json:"steps"`
	Differences []Difference `json:"differences,omitempty"`

	// Env are environment variables set while the case runs, on both
	// sides: in the oracle's os.environ and, with t.Setenv, in the test
	// process (such a case does not run in parallel). Only the proxy
	// variables of [EnvNames] are allowed; values may use the
	// placeholders of [Step.URL] and {P}, {Phost} for the proxy. The
	// suite clears every proxy variable of the machine for both sides.
	Env []KV `json:"env,omitempty"`
	// Netrc is the text of a netrc file written for the case; NETRC names
	// it while the case runs, on both sides. Otherwise NETRC names a file
	// that does not exist, so that no ~/.netrc is read.
	Netrc string `json:"netrc,omitempty"`
}

// EnvNames are the environment variables a case may set: the proxy
// variables requests reads (upper and lower case).
var EnvNames = []string{
	"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY",
	"http_proxy", "https_proxy", "all_proxy", "no_proxy",
}

// Session is what the case sets on the session before its first step.
type Session struct {
	// Headers: s.headers[name] = value; a null value is requests'
	// s.headers[name] = None and tether's DelHeader.
	Headers []KV `json:"headers,omitempty"`
	// Params: s.params[key] = value (a string or a list of strings).
	Params []KV `json:"params,omitempty"`
	// Auth: s.auth = (user, password); tether's SetBasicAuth.
	Auth []string `json:"auth,omitempty"`
	// Cookies: s.cookies.set(name, value); tether's SetCookie.
	Cookies []KV `json:"cookies,omitempty"`
	// MaxRedirects: s.max_redirects; tether's SetMaxRedirects.
	MaxRedirects *int `json:"max_redirects,omitempty"`
	// Digest: s.auth = HTTPDigestAuth(user, password); tether's SetAuth
	// with a DigestAuth. Exclusive with Auth.
	Digest []string `json:"digest,omitempty"`
	// Hooks are response hooks appended in order to s.hooks['response']
	// (tether's OnResponse); see [Step.Hooks] for what they record.
	Hooks []string `json:"hooks,omitempty"`
	// Retry mounts HTTPAdapter(max_retries=urllib3 Retry) on http:// and
	// https:// (tether's SetRetry); see [Retry].
	Retry *Retry `json:"retry,omitempty"`
	// TrustEnv: s.trust_env (tether's SetTrustEnv). Unset is false on both
	// sides, the suite's setup: nothing is read from the environment (proxy
	// variables, netrc) unless a case says true.
	TrustEnv *bool `json:"trust_env,omitempty"`
	// Proxies: s.proxies = {...} (tether's SetProxies, or SetProxy for a
	// lone "all" key); values may use {P} and {Phost} (see [Case.Env]).
	Proxies []KV `json:"proxies,omitempty"`
}

// Retry is a retry policy: urllib3's Retry(total=Attempts-1,
// status_forcelist=Statuses, allowed_methods=Methods, backoff_factor=0,
// respect_retry_after_header=True, raise_on_status=False) in an
// HTTPAdapter, and tether's request.Retry{Attempts, Statuses, Methods} with
// no backoff.
type Retry struct {
	// Attempts counts the first try: at least 1.
	Attempts int `json:"attempts"`
	// Statuses is required: urllib3 has no default list, tether has one.
	Statuses []int `json:"statuses"`
	// Methods: nil is both sides' default (the idempotent methods).
	Methods []string `json:"methods,omitempty"`
}

// Step is one call: s.request(method, url, **kwargs) in requests, a
// Builder's Do in tether.
type Step struct {
	Method string `json:"method"`
	// URL may use {H1}, {H2}, {H3} and {H6} for the origins
	// (http://host:port), {H1host}, {H2host}, {H3host}, {H6host} for
	// host:port alone and {H1q}, {H2q}, {H3q} for the origins
	// query-escaped (for a Location inside a Location). So may
	// Respond.Location. {P} and {Phost} are the proxy's.
	URL string `json:"url"`
	// Respond makes the server answer the first hop with this status,
	// Location and Set-Cookie headers, or (on testserver's body route) with
	// this body, by adding testserver's scripting parameters to the URL's
	// query (before any fragment).
	Respond *Respond `json:"respond,omitempty"`
	// Headers: headers={...}; a null value removes the header (DelHeader).
	Headers []KV `json:"headers,omitempty"`
	// Params: params={...}; values are strings, lists (whose nulls are
	// skipped, as requests does) or null (DelParam).
	Params []KV `json:"params,omitempty"`
	// ParamsList: params=[(k, v), ...], which drops the session's params
	// (tether: ClearParams, then Param per key with its values in order).
	ParamsList [][2]string `json:"params_list,omitempty"`
	// Cookies: cookies={...}; a null value is cookies={name: None} in
	// requests and DelCookie in tether.
	Cookies []KV `json:"cookies,omitempty"`
	// Auth: auth=(user, password); an empty list is auth=() (NoAuth).
	Auth *[]string `json:"auth,omitempty"`
	// Data: data='...' (tether: BodyBytes, no Content-Type).
	Data *string `json:"data,omitempty"`
	// DataStream sends Data as a body of unknown length: requests'
	// data=iter([its UTF-8 bytes]), a generator, and tether's Body with a
	// one-shot io.Reader. Needs Data.
	DataStream bool `json:"data_stream,omitempty"`
	// Form: data={...} (tether: Form); give keys in sorted order, since
	// tether sorts them.
	Form [][2]string `json:"form,omitempty"`
	// JSON: json=... (tether: JSON); give object keys in sorted order,
	// since Go encodes maps so.
	JSON json.RawMessage `json:"json,omitempty"`
	// AllowRedirects: allow_redirects=; tether: NoRedirects or
	// FollowRedirects. Unset: requests' default for the method (HEAD: no).
	AllowRedirects *bool `json:"allow_redirects,omitempty"`
	// ViaRequest sends a HEAD step with s.request('HEAD', url) and tether's
	// Session.Request, which follow redirects, instead of s.head and
	// Session.Head, which do not.
	ViaRequest bool `json:"via_request,omitempty"`
	// CloseBefore closes the session (s.close(), Session.Close) before the
	// step; the session must stay usable.
	CloseBefore bool `json:"close_before,omitempty"`
	// CheckConn records whether the step's first hop came on a connection
	// the case had not used before.
	CheckConn bool `json:"check_conn,omitempty"`
	// Text records the final response's body (r.text; tether's Text).
	Text bool `json:"text,omitempty"`

	// Hooks are this call's response hooks, hooks={'response': [...]}
	// (tether's Builder.OnResponse), which replace the session's. A hook
	// records "name status path" (the response's URL path) each time it
	// runs; a name ending in "!" then fails (raises; returns an error), and
	// the step's error is "hook_error". The step records what ran when the
	// session or the step has hooks.
	Hooks []string `json:"hooks,omitempty"`
	// Retry is this call's retry policy (tether's Builder.Retry); requests
	// has none per call, so the oracle mounts adapters with it for the call
	// and puts the session's back after.
	Retry *Retry `json:"retry,omitempty"`
	// NoRetry: tether's NoRetry; the oracle mounts plain HTTPAdapters for
	// the call. Exclusive with Retry.
	NoRetry bool `json:"no_retry,omitempty"`
	// Digest: auth=HTTPDigestAuth(user, password), a new one for this call
	// (tether's Auth with a DigestAuth). Exclusive with Auth.
	Digest []string `json:"digest,omitempty"`
	// Attempts records how many tries the final response took: requests'
	// len(r.raw.retries.history) + 1, tether's Attempts.
	Attempts bool `json:"attempts,omitempty"`

	// Proxies: proxies={...} for this call. One key, "http" or "all" (the
	// suite's URLs are http), is tether's Proxy(url), or NoProxy for null
	// (requests' {'http': None}, which drops the session's and the
	// environment's "http" proxy for the call). Any other set of keys is
	// tether's Proxies(map), with a URL or "" (direct, requests' '') for
	// each key; "no_proxy" holds hosts.
	Proxies []KV `json:"proxies,omitempty"`
	// Target records each hop's request target as the server read it on
	// the request line (path and query, escapes and all): [Hop.Target].
	Target bool `json:"target,omitempty"`
	// RequestFraming records, for every response of the step (the
	// history, then the final one), the Content-Length and
	// Transfer-Encoding of the request that got it as the caller sees
	// them: requests' r.request.headers, tether's Request().Header
	// ([StepResult.RequestFraming]).
	RequestFraming bool `json:"request_framing,omitempty"`

	// DataB64: data=b'...' with these bytes (tether: BodyBytes), for
	// bodies that are not UTF-8.
	DataB64 []byte `json:"data_b64,omitempty"`
	// Files: files=[(field, (filename, content[, type[, headers]])), ...]
	// (tether: File per part, in order); with Form, whose values are the
	// text parts that come first.
	Files []FilePart `json:"files,omitempty"`
	// Stream: stream=True (tether: Stream).
	Stream bool `json:"stream,omitempty"`
	// IterLines records r.iter_lines(...) (tether: Lines, LinesDelim).
	IterLines *IterLines `json:"iter_lines,omitempty"`
	// IterContent records r.iter_content(chunk_size=n) (tether: Chunks).
	IterContent *IterContent `json:"iter_content,omitempty"`
	// Encoding records r.encoding (tether: Encoding); requests' None is "".
	Encoding bool `json:"encoding,omitempty"`
	// Content records r.content (tether: Bytes).
	Content bool `json:"content,omitempty"`
	// TextJSON records the body parsed as JSON, with a go-httpbin echo's
	// "headers" normalised like a hop's (see [Result]).
	TextJSON bool `json:"text_json,omitempty"`
}

// FilePart is one file part of a multipart body.
type FilePart struct {
	Field string `json:"field"`
	// Filename is the part's filename parameter; "" sends filename="". Null
	// is requests' (None, content), a part without filename, which tether's
	// API cannot express: such a case cannot run.
	Filename *string `json:"filename"`
	// Content is the part's content as text (sent UTF-8), ContentB64 as
	// bytes; at most one is set, and neither is an empty file.
	Content    *string `json:"content,omitempty"`
	ContentB64 []byte  `json:"content_b64,omitempty"`
	// ContentType is the part's Content-Type (the tuple's third element;
	// tether's PartContentType); "" sends none.
	ContentType string `json:"content_type,omitempty"`
	// Headers are extra part headers (the tuple's fourth element; tether's
	// PartHeader).
	Headers map[string]string `json:"headers,omitempty"`
	// FilePath writes the content to a file named Filename in a new
	// temporary directory and sends open(path, 'rb') (with the tuple form
	// only if ContentType or Headers are set); tether's FileFromPath.
	FilePath bool `json:"file_path,omitempty"`
}

// Bytes returns the part's content.
func (p FilePart) Bytes() []byte {
	if p.Content != nil {
		return []byte(*p.Content)
	}
	return p.ContentB64
}

// IterLines is r.iter_lines(chunk_size=ChunkSize, delimiter=Delimiter,
// decode_unicode=DecodeUnicode).
type IterLines struct {
	// Delimiter: null splits at line ends (tether: Lines), a string
	// splits on it exactly (LinesDelim).
	Delimiter *string `json:"delimiter"`
	// ChunkSize is requests' chunk_size (0: its default, 512). tether reads
	// as the body arrives and has no such parameter: the lines must not
	// depend on it, so only a case about requests' chunk-boundary bug sets
	// it small.
	ChunkSize int `json:"chunk_size,omitempty"`
	// DecodeUnicode is decode_unicode=True: the lines as text (tether:
	// TextLines), each recorded as its UTF-8 bytes. Not with a delimiter.
	DecodeUnicode bool `json:"decode_unicode,omitempty"`
}

// IterContent is r.iter_content(chunk_size=ChunkSize) (tether's
// Chunks(ChunkSize)).
type IterContent struct {
	ChunkSize int `json:"chunk_size"`
}

// Respond is a scripted answer of the test server (see package testserver).
//
// Body, BodyHex, ContentType and ContentEncoding are for testserver's body
// route (the URL's path must be testserver.BodyPath, and status, location
// and set_cookie unset): the answer's body as text or hexadecimal bytes,
// its Content-Type ("" for none) and Content-Encoding (gzip or deflate).
type Respond struct {
	Status    int      `json:"status,omitempty"`
	Location  string   `json:"location,omitempty"`
	SetCookie []string `json:"set_cookie,omitempty"`

	Body            *string `json:"body,omitempty"`
	BodyHex         string  `json:"body_hex,omitempty"`
	ContentType     string  `json:"content_type,omitempty"`
	ContentEncoding string  `json:"content_encoding,omitempty"`
}

// bodyRoute reports whether r scripts testserver's body route.
func (r *Respond) bodyRoute() bool {
	return r.Body != nil || r.BodyHex != "" || r.ContentType != "" || r.ContentEncoding != ""
}

// Difference is a deliberate difference between tether and requests: at
// Path (a JSON pointer into the case's normalised result, e.g.
// "/steps/0/hops/1/cookies"), requests' golden result holds Requests and
// tether's holds Tether; null means absent. The test checks both, so the
// statement stays true on both sides.
type Difference struct {
	Path     string          `json:"path"`
	Requests json.RawMessage `json:"requests"`
	Tether   json.RawMessage `json:"tether"`
	Reason   string          `json:"reason"`
}

// KV is a name with a value, a list of values or null, written in JSON as
// a two-element array: ["X-S", "s"], ["k", ["1", null, "2"]], ["X", null].
type KV struct {
	Name   string
	Value  *string   // nil: null (or a list)
	List   []*string // non-nil for the list form; a nil element is null
	IsList bool
}

// UnmarshalJSON reads the two-element array form.
func (kv *KV) UnmarshalJSON(data []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil || len(raw) != 2 {
		return fmt.Errorf("want [name, value], got %s", data)
	}
	if err := json.Unmarshal(raw[0], &kv.Name); err != nil {
		return fmt.Errorf("name in %s: %w", data, err)
	}
	v := bytes.TrimSpace(raw[1])
	if len(v) > 0 && v[0] == '[' {
		kv.IsList = true
		kv.List = []*string{}
		return json.Unmarshal(v, &kv.List)
	}
	return json.Unmarshal(v, &kv.Value)
}

// MarshalJSON writes the two-element array form.
func (kv KV) MarshalJSON() ([]byte, error) {
	if kv.IsList {
		return json.Marshal([]any{kv.Name, kv.List})
	}
	return json.Marshal([]any{kv.Name, kv.Value})
}

// Values returns the non-null values: one for the scalar form, the list's
// non-null elements for the list form.
func (kv KV) Values() []string {
	if !kv.IsList {
		if kv.Value == nil {
			return nil
		}
		return []string{*kv.Value}
	}
	var out []string
	for _, v := range kv.List {
		if v != nil {
			out = append(out, *v)
		}
	}
	return out
}

// Null reports the scalar null form.
func (kv KV) Null() bool { return !kv.IsList && kv.Value == nil }

// Areas are the case files, in the order they are run and reported.
var Areas = []string{"headers", "params", "auth", "cookies", "redirects", "seed", "bodies", "pipeline", "urls", "network"}

// LoadCases reads dir/<area>.json for every area and checks that case
// names are unique and steps well formed.
func LoadCases(dir string) ([]*File, error) {
	seen := map[string]string{}
	flaky := map[string]string{} // flaky route key -> case
	var files []*File
	for _, area := range Areas {
		path := filepath.Join(dir, area+".json")
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		f := &File{}
		if err := dec.Decode(f); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if f.Area != area {
			return nil, fmt.Errorf("%s: area %q, want %q", path, f.Area, area)
		}
		for _, c := range f.Cases {
			if prev, ok := seen[c.Name]; ok || c.Name == "" {
				return nil, fmt.Errorf("%s: case name %q empty or already used in %s", path, c.Name, prev)
			}
			seen[c.Name] = area
			if err := c.check(); err != nil {
				return nil, fmt.Errorf("%s: case %s: %w", path, c.Name, err)
			}
			if err := checkFlakyKeys(c, flaky); err != nil {
				return nil, fmt.Errorf("%s: case %s: %w", path, c.Name, err)
			}
		}
		files = append(files, f)
	}
	return files, nil
}

func (c *Case) check() error {
	if c.Ref == "" {
		return fmt.Errorf("no ref")
	}
	if len(c.Steps) == 0 {
		return fmt.Errorf("no steps")
	}
	if err := c.Session.checkPipeline(); err != nil {
		return fmt.Errorf("session: %w", err)
	}
	if err := c.checkNetwork(); err != nil {
		return err
	}
	for i, st := range c.Steps {
		if st.Method == "" || st.URL == "" {
			return fmt.Errorf("step %d: method and url are required", i)
		}
		if err := st.checkPipeline(); err != nil {
			return fmt.Errorf("step %d: %w", i, err)
		}
		if n := btoi(st.Data != nil) + btoi(st.DataB64 != nil) + btoi(st.Form != nil || st.Files != nil) + btoi(st.JSON != nil); n > 1 {
			return fmt.Errorf("step %d: data, data_b64, form/files and json are exclusive", i)
		}
		if st.DataStream && st.Data == nil {
			return fmt.Errorf("step %d: data_stream needs data", i)
		}
		if err := st.checkBodies(); err != nil {
			return fmt.Errorf("step %d: %w", i, err)
		}
		if st.Params != nil && st.ParamsList != nil {
			return fmt.Errorf("step %d: params and params_list are exclusive", i)
		}
		for k := 1; k < len(st.Form); k++ {
			if st.Form[k-1][0] >= st.Form[k][0] {
				return fmt.Errorf("step %d: form keys must be sorted and unique", i)
			}
		}
	}
	for _, d := range c.Differences {
		if d.Reason == "" || d.Path == "" || d.Requests == nil || d.Tether == nil {
			return fmt.Errorf("difference %q: path, requests, tether and reason are required", d.Path)
		}
	}
	return nil
}

// checkNetwork checks the environment, netrc and proxies of a case.
func (c *Case) checkNetwork() error {
	for _, kv := range c.Env {
		if !slices.Contains(EnvNames, kv.Name) || kv.IsList || kv.Value == nil {
			return fmt.Errorf("env %q: want one of %v with a string value", kv.Name, EnvNames)
		}
	}
	for _, kv := range c.Session.Proxies {
		if kv.IsList || kv.Value == nil || kv.Name == "" {
			return fmt.Errorf("session proxies %q: want a key with a URL (requests' merge drops a None, tether's \"\" goes direct)", kv.Name)
		}
	}
	for i, st := range c.Steps {
		if st.Proxies == nil {
			continue
		}
		if st.ProxyOne() {
			continue
		}
		for _, kv := range st.Proxies {
			if kv.IsList || kv.Value == nil || kv.Name == "" {
				return fmt.Errorf("step %d: proxies %q: want one key, \"http\" or \"all\", with a URL or null (tether's Proxy, NoProxy), or keys with a URL or \"\" (tether's Proxies)", i, kv.Name)
			}
		}
	}
	return nil
}

// ProxyOne reports whether the step's proxies are one "http" or "all" key
// (tether's Proxy or NoProxy) rather than a map (tether's Proxies).
func (st *Step) ProxyOne() bool {
	return len(st.Proxies) == 1 && !st.Proxies[0].IsList && (st.Proxies[0].Name == "http" || st.Proxies[0].Name == "all")
}

// checkPipeline checks the session's hooks, retry policy and digest
// credentials.
func (s *Session) checkPipeline() error {
	if s.Digest != nil && (len(s.Digest) != 2 || s.Auth != nil) {
		return fmt.Errorf("digest needs [user, password] and excludes auth")
	}
	if err := checkHooks(s.Hooks); err != nil {
		return err
	}
	return s.Retry.check()
}

// checkPipeline checks the step's hooks, retry policy and digest
// credentials.
func (st *Step) checkPipeline() error {
	if st.Digest != nil && (len(st.Digest) != 2 || st.Auth != nil) {
		return fmt.Errorf("digest needs [user, password] and excludes auth")
	}
	if st.Retry != nil && st.NoRetry {
		return fmt.Errorf("retry and no_retry are exclusive")
	}
	if err := checkHooks(st.Hooks); err != nil {
		return err
	}
	return st.Retry.check()
}

func checkHooks(names []string) error {
	for _, n := range names {
		if n == "" || n == "!" || strings.ContainsAny(n, " \t\n") {
			return fmt.Errorf("hook name %q: want a word, which a final \"!\" makes fail", n)
		}
	}
	return nil
}

func (r *Retry) check() error {
	switch {
	case r == nil:
		return nil
	case r.Attempts < 1:
		return fmt.Errorf("retry: attempts must be at least 1")
	case r.Statuses == nil:
		return fmt.Errorf("retry: statuses are required (urllib3 has no default list)")
	}
	return nil
}

// flakyKeys returns the keys of testserver's flaky route that the step's
// URL and scripted Location use; "" stands for a flaky URL without key.
func (st *Step) flakyKeys() []string {
	dummy := Hosts{H1: "h1:1", H2: "h2:2", H3: "h3:3"}
	var keys []string
	for _, raw := range []string{st.URL, st.Respond.location()} {
		u, err := url.Parse(dummy.replacer().Replace(raw))
		if err == nil && u.Path == testserver.FlakyPath {
			keys = append(keys, u.Query().Get("key"))
		}
	}
	return keys
}

func (r *Respond) location() string {
	if r == nil {
		return ""
	}
	return r.Location
}

// checkBodies checks the vocabulary of request and response bodies.
func (st *Step) checkBodies() error {
	for k, f := range st.Files {
		switch {
		case f.Field == "":
			return fmt.Errorf("file %d: no field", k)
		case f.Content != nil && f.ContentB64 != nil:
			return fmt.Errorf("file %d: content and content_b64 are exclusive", k)
		case f.Filename == nil:
			return fmt.Errorf("file %d: a null filename (requests' (None, data)) cannot be expressed with tether's File", k)
		case f.FilePath && (*f.Filename == "" || strings.ContainsAny(*f.Filename, `/\`+"\x00") || *f.Filename == "." || *f.Filename == ".."):
			return fmt.Errorf("file %d: file_path needs a plain file name", k)
		}
	}
	if st.IterLines != nil && st.IterContent != nil {
		return fmt.Errorf("iter_lines and iter_content are exclusive")
	}
	if (st.IterLines != nil || st.IterContent != nil) && (st.Text || st.TextJSON || st.Content) {
		return fmt.Errorf("iter_lines and iter_content consume the body: text, text_json and content cannot be recorded with them")
	}
	if st.IterContent != nil && st.IterContent.ChunkSize <= 0 {
		return fmt.Errorf("iter_content needs a positive chunk_size")
	}
	if st.IterLines != nil && (st.IterLines.ChunkSize < 0 || st.IterLines.Delimiter != nil && *st.IterLines.Delimiter == "") {
		return fmt.Errorf("iter_lines: negative chunk_size or empty delimiter")
	}
	if st.IterLines != nil && st.IterLines.DecodeUnicode && st.IterLines.Delimiter != nil {
		return fmt.Errorf("iter_lines: decode_unicode with a delimiter has no tether counterpart")
	}
	if r := st.Respond; r != nil && r.bodyRoute() {
		if r.Status != 0 || r.Location != "" || r.SetCookie != nil {
			return fmt.Errorf("respond: body, body_hex, content_type and content_encoding are for the body route, without status, location and set_cookie")
		}
		dummy := Hosts{H1: "h1:1", H2: "h2:2", H3: "h3:3"}
		if u, err := url.Parse(dummy.replacer().Replace(st.URL)); err != nil || u.Path != testserver.BodyPath {
			return fmt.Errorf("respond: body, body_hex, content_type and content_encoding need the URL path %s", testserver.BodyPath)
		}
	}
	return nil
}

// checkFlakyKeys checks that c's flaky URLs have keys no other case uses:
// the oracle runs every case against the same servers, which count
// failures per key. Steps of one case may share a key.
func checkFlakyKeys(c *Case, used map[string]string) error {
	for i, st := range c.Steps {
		for _, k := range st.flakyKeys() {
			if k == "" {
				return fmt.Errorf("step %d: a URL of %s without key", i, testserver.FlakyPath)
			}
			if prev, ok := used[k]; ok && prev != c.Name {
				return fmt.Errorf("step %d: flaky key %q already used by case %s", i, k, prev)
			}
			used[k] = c.Name
		}
	}
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Hosts are the origins a case runs against: H1 and H2 are one server as
// 127.0.0.1 and localhost, H3 another server on 127.0.0.1, H6 a server on
// the IPv6 loopback address ([::1]:port; "" where there is none), and P an
// HTTP forward proxy on 127.0.0.1 ("" when the case needs none).
type Hosts struct {
	H1, H2, H3 string // host:port
	H6, P      string // host:port, or ""
}

func (h Hosts) replacer() *strings.Replacer {
	return strings.NewReplacer(
		"{H1}", "http://"+h.H1, "{H2}", "http://"+h.H2, "{H3}", "http://"+h.H3,
		"{H1host}", h.H1, "{H2host}", h.H2, "{H3host}", h.H3,
		"{H1q}", url.QueryEscape("http://"+h.H1), "{H2q}", url.QueryEscape("http://"+h.H2),
		"{H3q}", url.QueryEscape("http://"+h.H3),
		"{H6}", "http://"+h.H6, "{H6host}", h.H6,
		"{P}", "http://"+h.P, "{Phost}", h.P,
	)
}

// needs reports whether the case uses the IPv6 server and the proxy.
func (c *Case) needs() (ipv6, proxy bool) {
	data, _ := json.Marshal(struct {
		Session Session
		Steps   []*Step
		Env     []KV
	}{c.Session, c.Steps, c.Env})
	return bytes.Contains(data, []byte("{H6")), bytes.Contains(data, []byte("{P"))
}

// isolated reports whether the case reads the environment (trust_env, its
// own variables or netrc): it must run alone, with the environment set.
func (c *Case) isolated() bool {
	return c.Env != nil || c.Netrc != "" || c.Session.trustEnv()
}

func (s Session) trustEnv() bool { return s.TrustEnv != nil && *s.TrustEnv }

// environ returns the environment the case runs with, its placeholders
// replaced for h: the case's variables and NETRC, which names the case's
// netrc file (written into dir) or a file in dir that does not exist.
func (c *Case) environ(h Hosts, dir string) ([][2]string, error) {
	r := h.replacer()
	var env [][2]string
	for _, kv := range c.Env {
		env = append(env, [2]string{kv.Name, r.Replace(*kv.Value)})
	}
	path := filepath.Join(dir, "no-netrc")
	if c.Netrc != "" {
		path = filepath.Join(dir, "netrc")
		if err := os.WriteFile(path, []byte(c.Netrc), 0o600); err != nil {
			return nil, err
		}
	}
	return append(env, [2]string{"NETRC", path}), nil
}

// replaceKVs returns kvs with the placeholders of their scalar values
// replaced.
func replaceKVs(kvs []KV, r *strings.Replacer) []KV {
	if kvs == nil {
		return nil
	}
	out := make([]KV, len(kvs))
	for i, kv := range kvs {
		out[i] = kv
		if !kv.IsList && kv.Value != nil {
			v := r.Replace(*kv.Value)
			out[i].Value = &v
		}
	}
	return out
}

// concreteURL returns the step's URL against h, with the scripted
// answer in its query.
func (st *Step) concreteURL(h Hosts) string {
	r := h.replacer()
	u := r.Replace(st.URL)
	if st.Respond == nil {
		return u
	}
	base, frag, hasFrag := strings.Cut(u, "#")
	var q []string
	if st.Respond.Status != 0 {
		q = append(q, fmt.Sprintf("status=%d", st.Respond.Status))
	}
	if st.Respond.Location != "" {
		q = append(q, "location="+url.QueryEscape(r.Replace(st.Respond.Location)))
	}
	for _, c := range st.Respond.SetCookie {
		q = append(q, "set-cookie="+url.QueryEscape(c))
	}
	if st.Respond.Body != nil {
		q = append(q, "body="+url.QueryEscape(*st.Respond.Body))
	}
	if st.Respond.BodyHex != "" {
		q = append(q, "hex="+st.Respond.BodyHex)
	}
	if st.Respond.ContentType != "" {
		q = append(q, "ct="+url.QueryEscape(st.Respond.ContentType))
	}
	if st.Respond.ContentEncoding != "" {
		q = append(q, "ce="+url.QueryEscape(st.Respond.ContentEncoding))
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	u = base + sep + strings.Join(q, "&")
	if hasFrag {
		u += "#" + frag
	}
	return u
}

// concrete returns a copy of c with every step's URL made concrete for h
// and no scripted answers left: what the runners execute.
func (c *Case) concrete(h Hosts) *Case {
	r := h.replacer()
	cp := *c
	cp.Differences = nil
	cp.Env = replaceKVs(c.Env, r)
	cp.Session.Proxies = replaceKVs(c.Session.Proxies, r)
	cp.Steps = make([]*Step, len(c.Steps))
	for i, st := range c.Steps {
		s := *st
		s.URL = st.concreteURL(h)
		s.Respond = nil
		s.Proxies = replaceKVs(st.Proxies, r)
		cp.Steps[i] = &s
	}
	return &cp
}

// allCases flattens files in order.
func allCases(files []*File) []*Case {
	var out []*Case
	for _, f := range files {
		out = append(out, f.Cases...)
	}
	return out
}
