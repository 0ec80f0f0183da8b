package request

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/tether-http/tether/internal/textenc"
	"github.com/tether-http/tether/jar"
)

// Response is the answer to a call. By default its body has been read in
// full, like a requests Response with stream=False; with
// [Builder.Stream] the body stays on the wire until it is read (see
// [Response.Body]). Its methods are safe for concurrent use. A Response
// comes from Do; the zero Response is not one.
type Response struct {
	raw      *http.Response
	url      *url.URL
	req      *http.Request
	history  []*Response
	next     *url.URL
	nextURL  string // where next points as requests' r.next.url has it
	elapsed  time.Duration
	attempts int
	timings  Timings
	prepared string          // the URL as requests' r.url has it (escapes as the Location wrote them)
	ctx      context.Context // the attempt's, to classify errors reading a streamed body

	mu      sync.Mutex
	body    []byte        // the body, once read in full
	bodyErr error         // what reading it failed with
	live    io.ReadCloser // a streamed body not yet read in full, nil once read or closed
	limit   int64         // the most bytes Bytes reads from live; 0: no limit
	taken   bool          // Body handed live out to the caller
	closed  bool          // Close ended live before it was read to its end
	eof     bool          // the taken body was read to its end (later reads give io.EOF)
	reading chan struct{} // closed when content's read of live is over
	done    func()        // ends the call's deadline when the body is finished
	decoded bool          // the body was decoded from its Content-Encoding
}

// StatusCode returns the status code, e.g. 200.
func (r *Response) StatusCode() int { return r.raw.StatusCode }

// Status returns the status line's text, e.g. "200 OK". A reason phrase
// that is not UTF-8 is read as Latin-1, as http.client reads it
// ("404 Fehl\xe9r" is "404 Fehlér").
func (r *Response) Status() string {
	if utf8.ValidString(r.raw.Status) {
		return r.raw.Status
	}
	return textenc.Decode([]byte(r.raw.Status), "latin-1")
}

// Proto returns the protocol the response came over, e.g. "HTTP/1.1".
func (r *Response) Proto() string { return r.raw.Proto }

// Header returns the response headers, as received: a decoded body keeps
// its Content-Encoding and Content-Length here.
func (r *Response) Header() http.Header { return r.raw.Header }

// OK reports whether the status is not 4xx or 5xx, like requests' r.ok.
func (r *Response) OK() bool { c := r.raw.StatusCode; return c < 400 || c >= 600 }

// IsRedirect reports whether the response is a redirect that could be
// followed (301, 302, 303, 307 or 308 with a Location), like requests'
// r.is_redirect.
func (r *Response) IsRedirect() bool {
	return isRedirectStatus(r.raw.StatusCode) && r.raw.Header.Get("Location") != ""
}

// IsPermanentRedirect reports whether the response is a 301 or 308 with a
// Location, like requests' r.is_permanent_redirect.
func (r *Response) IsPermanentRedirect() bool {
	c := r.raw.StatusCode
	return (c == http.StatusMovedPermanently || c == http.StatusPermanentRedirect) && r.raw.Header.Get("Location") != ""
}

// Attempts returns how many tries this response took: 1 unless a retry
// policy sent its hop again.
func (r *Response) Attempts() int { return r.attempts }

// Elapsed returns the time from sending the request to receiving the
// response's headers, like requests' r.elapsed.
func (r *Response) Elapsed() time.Duration { return r.elapsed }

// Bytes returns the body. On a streamed response it first reads the rest
// of the body, as requests' r.content does; if that fails, Bytes returns
// what arrived and [Response.BodyErr] says why. Do not change the slice.
func (r *Response) Bytes() []byte {
	b, _ := r.content()
	return b
}

// BodyErr returns the error that reading the body ended with, or nil.
// Only a streamed response, whose body is read after Do, can have one:
// ErrStreamConsumed when the body was handed out before (to Body, Lines,
// Chunks, Events or SaveFile), whose bytes Bytes then cannot return.
func (r *Response) BodyErr() error {
	_, err := r.content()
	return err
}

// content reads a streamed body to its end, once. The lock is not held
// while it reads, so that Close can interrupt the read; a concurrent
// caller waits for the read to be over.
func (r *Response) content() ([]byte, error) {
	r.mu.Lock()
	if r.taken {
		r.mu.Unlock()
		return nil, fmt.Errorf("reading body of %s: %w", redacted(r.url), ErrStreamConsumed)
	}
	r.awaitRead()
	if r.live == nil {
		defer r.mu.Unlock()
		return r.body, r.bodyErr
	}
	live := r.live
	r.reading = make(chan struct{})
	r.mu.Unlock()

	body, err := readAll(live, -1, r.limit)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		err = r.readErr(err)
	}
	r.body, r.bodyErr = body, err
	r.finish()
	close(r.reading)
	return r.body, r.bodyErr
}

// awaitRead waits, with r.mu held, until a read of the live body by
// content is over (at once if there is none).
func (r *Response) awaitRead() {
	if reading := r.reading; reading != nil {
		r.mu.Unlock()
		<-reading
		r.mu.Lock()
	}
}

// readErr is what a read of the live body that failed with err gives:
// a closedError when Close interrupted it. The caller holds r.mu.
func (r *Response) readErr(err error) error {
	if r.closed {
		return r.closedErr()
	}
	return bodyErr(r.ctx, r.url, err)
}

// closedErr is the error of a read of r's body after Close ended it.
func (r *Response) closedErr() error { return &closedError{url: redacted(r.url)} }

// closedError is what reading a streamed body gives once Close ended it
// before its end. It matches ErrStreamConsumed (Close consumed the body)
// and http.ErrBodyReadAfterClose, as a read of a closed net/http body does.
type closedError struct{ url string }

func (e *closedError) Error() string {
	return "tether: reading body of " + e.url + ": the response was closed before its body was read to its end"
}

func (e *closedError) Is(target error) bool {
	return target == ErrStreamConsumed || target == http.ErrBodyReadAfterClose
}

// finish closes the live body and ends the call. The caller holds r.mu.
func (r *Response) finish() {
	if r.live != nil {
		_ = r.live.Close()
		r.live = nil
	}
	if r.done != nil {
		r.done()
		r.done = nil
	}
}

// Text returns the body decoded to a string by the charset of the
// Content-Type, as requests' r.text does with r.encoding: a label is
// decoded the way Python's codec of that name decodes it (iso-8859-1 is
// Latin-1, not windows-1252), bytes that do not decode become U+FFFD, and
// an unknown label, or no charset at all, decodes as UTF-8 (requests
// guesses the charset where there is none, and takes ISO-8859-1 for text/*;
// see [Response.Encoding]). Without a charset, a body that starts with a
// byte order mark is decoded as it says (UTF-8, UTF-16 or UTF-32) and the
// mark dropped, as requests' guess reads it.
func (r *Response) Text() string { return r.TextAs(r.Encoding()) }

// TextAs returns the body decoded by the charset encoding rather than the
// Content-Type's, as requests' r.text does after r.encoding = encoding:
// for a server that names the wrong charset, or none. The label is read
// as in [Response.Text]: as Python's codec of that name, U+FFFD for bytes
// that do not decode, and UTF-8 for a name Python does not know (as
// requests falls back). An empty label is Text without a charset.
func (r *Response) TextAs(encoding string) string {
	b := r.Bytes()
	if encoding == "" {
		encoding = textenc.BOMLabel(b)
	}
	return textenc.Decode(b, encoding)
}

// Encoding returns the charset that [Response.Text] decodes with, like
// requests' r.encoding: the Content-Type's charset parameter, "utf-8" for
// application/json without one, and "" when there is none. Unlike
// requests, text/* without a charset is "", not "ISO-8859-1": RFC 7231
// dropped that default, and Text decodes it as UTF-8.
func (r *Response) Encoding() string {
	// Every Content-Type field, joined as requests' headers["content-type"]
	// joins them (its parser then takes the last charset).
	ct := strings.Join(r.raw.Header.Values("Content-Type"), ", ")
	enc := textenc.FromContentType(ct)
	if enc == "ISO-8859-1" && !hasCharset(ct) {
		return "" // requests' text/* default, which tether does not take
	}
	return enc
}

// JSON decodes the body into v. The body is read as text the way
// requests' r.json() reads it: by the Content-Type's charset (a latin-1
// body's "é" is "é"), or, without one, as UTF-8, UTF-16 or UTF-32 with or
// without a BOM, guessed from where the NUL bytes are (requests'
// guess_json_utf). A UTF-8 body, the common case, is not copied.
func (r *Response) JSON(v any) error {
	b, err := r.content()
	if err != nil {
		return fmt.Errorf("tether: reading body of %s: %w", redacted(r.url), err)
	}
	if b, err = textenc.JSONText(b, r.Encoding()); err != nil {
		return kindError(ErrJSON, "from %s: %w", redacted(r.url), err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return kindError(ErrJSON, "from %s: %w", redacted(r.url), err)
	}
	return nil
}

// Link is one link of a Link header, as requests' r.links holds it.
type Link struct {
	URL    string
	Rel    string
	Params map[string]string // every parameter, rel included
}

// Links returns the parsed Link header keyed by rel (or by URL when a link
// has no rel), like requests' r.links.
func (r *Response) Links() map[string]Link {
	out := map[string]Link{}
	// Every Link field, joined as one, as requests' headers["link"] has it.
	for k, l := range textenc.ParseLinks(strings.Join(r.raw.Header.Values("Link"), ", ")) {
		out[k] = Link{URL: l.URL, Rel: l.Rel, Params: l.Params}
	}
	return out
}

// Cookies returns the cookies this response set (not the whole jar), like
// requests' r.cookies: those a jar accepts from the response's URL, in the
// order of their Set-Cookie headers, so a cookie for another domain or one
// that deletes (Max-Age=0, a past Expires) is not among them.
func (r *Response) Cookies() []*http.Cookie {
	set := setCookies(r.raw.Header)
	if len(set) == 0 || r.url == nil {
		return nil
	}
	j := jar.New()
	j.SetCookies(r.url, set)
	kept := map[[2]string]int{}
	for _, c := range j.All() {
		kept[[2]string{c.Name, c.Value}]++
	}
	var out []*http.Cookie
	for _, c := range set {
		v := c.Value
		if !c.Quoted {
			v = strings.Trim(v, " \t") // as the jar stores it
		}
		if k := [2]string{c.Name, v}; kept[k] > 0 {
			kept[k]--
			c.Value = v
			out = append(out, c)
		}
	}
	return out
}

// URL returns the URL this response came from as requests' r.url has it
// (after a redirect, the Location's own escapes are kept), with the
// fragment of the request (or of the last Location that had one), which is
// never sent, and without userinfo.
func (r *Response) URL() *url.URL {
	if r.prepared != "" {
		if u, err := url.Parse(r.prepared); err == nil {
			u.User = nil
			return u
		}
	}
	// A requests-style URL that net/url refuses (a Location's "%" not
	// followed by two hex digits, kept as written): the URL as sent, which
	// escapes it, with the fragment.
	u := *r.url
	u.User = nil
	if _, frag, ok := strings.Cut(r.prepared, "#"); ok {
		u.Fragment, u.RawFragment = frag, ""
		if f, err := url.PathUnescape(frag); err == nil {
			u.Fragment, u.RawFragment = f, frag
		}
	}
	return &u
}

// History returns the redirect responses that led to this one, oldest first.
// The slice is the caller's own.
func (r *Response) History() []*Response { return slices.Clone(r.history) }

// Next returns where this redirect response points, or nil if it is not a
// redirect: requests' r.next, useful with [Builder.NoRedirects].
//
// It shows the target as requests' r.next.url does and as [Response.URL]
// will once the redirect is followed: an explicit port (":80") and the
// case of escapes ("%e9") as the Location wrote them.
func (r *Response) Next() *url.URL {
	if r.next == nil {
		return nil
	}
	if r.nextURL != "" {
		if u, err := url.Parse(r.nextURL); err == nil {
			u.User = r.next.User
			return u
		}
	}
	u := *r.next
	return &u
}

// Request returns the request that was sent for this response, as sent
// (its body already consumed).
//
// Its Header holds the body's framing line, as requests'
// r.request.headers does, though net/http writes that line itself from
// ContentLength: Content-Length for a body of known length, and "0" for
// a POST, PUT or PATCH without a body; Transfer-Encoding: chunked for a
// body of unknown length (HTTP/2 frames such a body without it, and
// net/http sends an empty one with GET, HEAD, DELETE or OPTIONS as no
// body). A GET, HEAD, DELETE, OPTIONS or other method without a body has
// neither, and none is sent (requests sends Content-Length: 0 but for GET
// and HEAD), unless the caller set Content-Length: 0.
func (r *Response) Request() *http.Request { return r.req }

// Raw returns a copy of the underlying response, with a Body of its own.
// On a streamed response whose body has not been read, that Body is the
// live body, as [Response.Body] hands it out (taken once); otherwise it
// reads the bytes of [Bytes]. A body decoded from its Content-Encoding is
// described as net/http describes one it decoded: Uncompressed set, no
// Content-Encoding or Content-Length header, ContentLength -1
// ([Response.Header] keeps them as received).
func (r *Response) Raw() *http.Response {
	cp := *r.raw
	if r.decoded {
		cp.Header = r.raw.Header.Clone()
		cp.Header.Del("Content-Encoding")
		cp.Header.Del("Content-Length")
		cp.ContentLength, cp.Uncompressed = -1, true
	}
	r.mu.Lock()
	unread := r.live != nil && !r.taken && r.reading == nil
	r.mu.Unlock()
	if unread {
		cp.Body = r.Body()
		return &cp
	}
	cp.Body = io.NopCloser(bytes.NewReader(r.Bytes()))
	return &cp
}

// Err returns a *StatusError, which matches ErrStatus, if the status is 4xx
// or 5xx, like requests' raise_for_status; otherwise nil.
func (r *Response) Err() error {
	if c := r.raw.StatusCode; c >= 400 && c < 600 {
		return &StatusError{Response: r}
	}
	return nil
}

// String returns requests' repr of a response with the URL added (its
// userinfo left out): "<Response [200] https://example.com/>".
func (r *Response) String() string {
	return fmt.Sprintf("<Response [%d] %s>", r.StatusCode(), redacted(r.URL()))
}

func isRedirectStatus(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// hasCharset reports whether a Content-Type value names a charset.
func hasCharset(contentType string) bool {
	_, params, _ := strings.Cut(contentType, ";")
	for p := range strings.SplitSeq(params, ";") {
		key, _, ok := strings.Cut(p, "=")
		if ok && strings.EqualFold(strings.Trim(key, " \t\"'"), "charset") {
			return true
		}
	}
	return false
}
