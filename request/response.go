package request

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
)

// Response is a response whose body has been read in full, like a requests
// Response with stream=False. Its methods are safe for concurrent use.
type Response struct {
	raw     *http.Response
	body    []byte
	url     *url.URL
	req     *http.Request
	history []*Response
	next    *url.URL
}

// StatusCode returns the status code, e.g. 200.
func (r *Response) StatusCode() int { return r.raw.StatusCode }

// Status returns the status line's text, e.g. "200 OK".
func (r *Response) Status() string { return r.raw.Status }

// Header returns the response headers.
func (r *Response) Header() http.Header { return r.raw.Header }

// Bytes returns the body. Do not change the slice.
func (r *Response) Bytes() []byte { return r.body }

// Text returns the body as a string.
func (r *Response) Text() string { return string(r.body) }

// JSON decodes the body into v.
func (r *Response) JSON(v any) error {
	if err := json.Unmarshal(r.body, v); err != nil {
		return fmt.Errorf("tether: decoding JSON from %s: %w", redacted(r.url), err)
	}
	return nil
}

// Cookies returns the cookies this response set (not the whole jar).
func (r *Response) Cookies() []*http.Cookie { return r.raw.Cookies() }

// URL returns the URL this response came from, with the fragment of the
// request (or of the last Location that had one), which is never sent.
func (r *Response) URL() *url.URL {
	u := *r.url
	u.User = nil
	return &u
}

// History returns the redirect responses that led to this one, oldest first.
// The slice is the caller's own.
func (r *Response) History() []*Response { return slices.Clone(r.history) }

// Next returns where this redirect response points, or nil if it is not a
// redirect: requests' r.next, useful with [Builder.NoRedirects].
func (r *Response) Next() *url.URL {
	if r.next == nil {
		return nil
	}
	u := *r.next
	return &u
}

// Request returns the request that was sent for this response, as sent
// (its body already consumed).
func (r *Response) Request() *http.Request { return r.req }

// Raw returns the underlying response. Its Body reads the bytes of [Bytes]
// again; each call returns a fresh copy with its own Body.
func (r *Response) Raw() *http.Response {
	cp := *r.raw
	cp.Body = io.NopCloser(bytes.NewReader(r.body))
	return &cp
}

// Err returns a *StatusError, which matches ErrStatus, if the status is 4xx
// or 5xx, like requests' raise_for_status; otherwise nil.
func (r *Response) Err() error {
	if r.raw.StatusCode >= 400 {
		return &StatusError{Response: r}
	}
	return nil
}

// String returns the status and URL, like requests' <Response [200]>.
func (r *Response) String() string {
	return fmt.Sprintf("<Response [%d] %s>", r.StatusCode(), redacted(r.URL()))
}
