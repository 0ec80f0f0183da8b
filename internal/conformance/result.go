package conformance

import (
	"cmp"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

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
	// NewConn reports, for steps that ask, whether the first hop came on a
	// connection the case had not used before.
	NewConn *bool `json:"new_conn,omitempty"`
}

// Hop is one request as the server saw it, normalised.
type Hop struct {
	Method string `json:"method"`
	Host   string `json:"host"`
	Path   string `json:"path"`
	Query  string `json:"query,omitempty"`
	// Headers are keyed by lowercase name, without Host, Cookie and
	// Connection.
	Headers map[string][]string `json:"headers"`
	// Cookies are the Cookie header's pairs in the order sent, as sent
	// (a bare name stays bare).
	Cookies []string `json:"cookies,omitempty"`
	Body    string   `json:"body,omitempty"`
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
		labels:   map[string]string{h.H1: "H1", h.H2: "H2", h.H3: "H3"},
		defaults: defaults,
	}
}

var hostPort = regexp.MustCompile(`(127\.0\.0\.1|localhost)(:|%3[Aa]|%253[Aa])([0-9]+)`)

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
		Body:    e.Body,
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
	return h
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
// requests recorded under the step labels.
func (n *normalizer) result(c *Case, facts []Facts, recorded []tagged) *Result {
	type connID struct {
		server int
		conn   int64
	}
	seen := map[connID]bool{}
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
		for _, ck := range f.Jar {
			sr.Jar = append(sr.Jar, jarEntry(ck))
		}
		slices.Sort(sr.Jar)
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
			sr.Hops = append(sr.Hops, n.hop(e.Entry))
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
