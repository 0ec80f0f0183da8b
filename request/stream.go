package request

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/tether-http/tether/internal/decode"
	"github.com/tether-http/tether/internal/stream"
)

// Stream makes Do return as soon as the final response's headers arrive,
// with its body still on the wire, like requests' stream=True. Read it
// with [Response.Body], [Response.Lines], [Response.Chunks],
// [Response.Events] or [Response.SaveFile]; [Response.Bytes], Text and
// JSON read the rest of it first.
//
// A streamed response holds its connection (and the call's Timeout keeps
// running) until its body is read to the end or the response is closed:
// call [Response.Close] when done, or the connection leaks. The bodies of
// redirects on the way are still read in full, so their connections go
// back to the pool.
func (b Builder) Stream() Builder {
	return b.with(&op{kind: opStream, on: true})
}

// Decode(false) hands out the final response's body as it came on the
// wire, not decoded from its Content-Encoding: what reading requests'
// r.raw gives (urllib3's decode_content=False), for instance to save a
// .gz file as it was sent. Every read of the body then gives those bytes
// (Bytes, Text, Lines, SaveFile, Raw), MaxBodySize counts them, and
// Raw keeps the Content-Encoding and Content-Length headers. The request
// still advertises the codings tether decodes. Decode(true), the default,
// undoes it.
func (b Builder) Decode(on bool) Builder {
	return b.with(&op{kind: opDecode, on: on})
}

// MaxBodySize sets the most bytes of a response body, counted after
// decoding, that Do (or Bytes on a streamed response) reads into memory;
// past it the call fails with ErrBodyTooLarge and the connection is closed,
// not pooled. Zero means no limit, the default, as in requests. It
// overrides the session's SetMaxBodySize. Negative is an ErrInvalidOption
// error from Do.
func (b Builder) MaxBodySize(n int64) Builder {
	if n < 0 {
		return b.fail(kindError(ErrInvalidOption, "negative MaxBodySize %d", n))
	}
	return b.with(&op{kind: opMaxBody, n: n})
}

// UploadProgress calls fn as the request body goes out: with the bytes
// sent so far and the body's size (-1 when unknown), at most every 100ms,
// and once more when the body has been sent. Each send (a 307/308
// redirect, a retry) starts again from zero. fn runs on the transport's
// goroutine; keep it short. A nil fn removes one set before.
func (b Builder) UploadProgress(fn func(done, total int64)) Builder {
	return b.with(&op{kind: opUpload, fn: fn})
}

// DownloadProgress calls fn as the final response's body arrives: with the
// bytes received so far, as sent on the wire (before decoding), and the
// Content-Length (-1 when unknown), at most every 100ms, and once more at
// its end. A try that [Retry.Condition] read and then retried counts as
// one too: the next try starts again from zero. A nil fn removes one set
// before.
func (b Builder) DownloadProgress(fn func(done, total int64)) Builder {
	return b.with(&op{kind: opDownload, fn: fn})
}

// Body returns the response body. On a streamed response it is the body
// as it arrives (decoded); the caller reads it and must close it, or call
// [Response.Close]. It can be taken once: afterwards a read fails with
// ErrStreamConsumed. On a response that is not streamed, or a streamed one
// read with Bytes first, Body reads the bytes of [Response.Bytes].
func (r *Response) Body() io.ReadCloser {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.awaitRead() // when Bytes is reading the body, Body reads what it read
	switch {
	case r.taken:
		return io.NopCloser(errReader{fmt.Errorf("reading body of %s: %w", redacted(r.url), ErrStreamConsumed)})
	case r.live != nil:
		r.taken = true
		return &takenBody{r: r}
	case r.bodyErr != nil:
		// What Bytes read, then why it stopped: a copy of it is not
		// mistaken for the whole body.
		return io.NopCloser(io.MultiReader(bytes.NewReader(r.body), errReader{r.bodyErr}))
	}
	return io.NopCloser(bytes.NewReader(r.body))
}

// bodySize is how many bytes Body gives, as far as is known now, or -1.
func (r *Response) bodySize() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.live != nil:
		if r.decoded {
			return -1
		}
		return r.raw.ContentLength
	case r.bodyErr != nil:
		return -1
	}
	return int64(len(r.body))
}

// errReader fails every read with err.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// takenBody is a streamed body handed to the caller: closing it finishes
// the response.
type takenBody struct{ r *Response }

func (t *takenBody) Read(p []byte) (int, error) {
	t.r.mu.Lock()
	live, eof := t.r.live, t.r.eof
	t.r.mu.Unlock()
	if live == nil {
		if eof {
			return 0, io.EOF // as any reader read to its end
		}
		return 0, t.r.closedErr()
	}
	n, err := live.Read(p)
	if err != nil {
		t.r.mu.Lock()
		if err == io.EOF {
			t.r.eof = true
			t.r.finish()
		} else {
			err = t.r.readErr(err)
		}
		t.r.mu.Unlock()
	}
	return n, err
}

func (t *takenBody) Close() error {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	t.r.finish()
	return nil
}

// Close closes a streamed response's body: a body read to its end gives
// its connection back to the pool, one that was not closes it. Close is
// idempotent, and a no-op on a response that is not streamed and on a nil
// *Response (so "defer r.Close()" may come before the error check). It
// may be called while another goroutine reads the body, which it ends. A
// body it ended before its end cannot be read after it: every way of
// reading it gives an error matching ErrStreamConsumed.
func (r *Response) Close() error {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.live != nil {
		r.closed = true
		if !r.taken && r.reading == nil && r.bodyErr == nil {
			r.bodyErr = r.closedErr()
		}
	}
	r.finish()
	return nil
}

// Lines yields the body's lines without their line ends, like requests'
// iter_lines: "\n", "\r\n" and "\r" end a line. Unlike requests, a "\r\n"
// split across two reads is one line end, not a line end and an empty
// line. The slice is valid only until the next iteration. A read error is
// yielded once and ends the loop. Lines consumes the body: when the loop
// ends, by break too, the body is closed.
func (r *Response) Lines() iter.Seq2[[]byte, error] { return r.LinesDelim(nil) }

// LinesDelim is [Response.Lines] with lines split on delim exactly, like
// iter_lines(delimiter=delim). A nil delim is Lines.
func (r *Response) LinesDelim(delim []byte) iter.Seq2[[]byte, error] {
	size := r.bodySize()
	return consume(r, func(body io.Reader) iter.Seq2[[]byte, error] { return stream.LinesSized(body, delim, size) })
}

// TextLines yields the body's lines decoded as text, like requests'
// iter_lines(decode_unicode=True): decoded as [Response.Text] decodes the
// body, by the charset of the Content-Type ([Response.Encoding]), and
// split where Python's str.splitlines splits, which besides "\n", "\r\n"
// and "\r" is at "\v", "\f", "\x1c", "\x1d", "\x1e", U+0085, U+2028 and
// U+2029 too. A "\r\n" split across two reads is one line end, as in
// Lines. The body is read and decoded as the lines arrive, but for a body
// in UTF-16, UTF-32, EBCDIC, ISO-2022-JP or HZ, which is read whole
// first. A read error is yielded once and ends the loop, after the lines
// that ended before it. Like Lines, it consumes the body.
//
// Without a charset, requests yields the lines undecoded (bytes, split
// only at "\n" and "\r"), or decoded as ISO-8859-1 for text/*; TextLines
// decodes them as Text does: by their byte order mark, or as UTF-8.
func (r *Response) TextLines() iter.Seq2[string, error] { return r.TextLinesAs(r.Encoding()) }

// TextLinesAs is [Response.TextLines] with the body decoded by the charset
// encoding, as after requests' r.encoding = encoding; the label is read
// as in [Response.TextAs]. Where requests raises LookupError for a label
// Python does not know, TextLinesAs decodes UTF-8, as TextAs does.
func (r *Response) TextLinesAs(encoding string) iter.Seq2[string, error] {
	size := r.bodySize()
	return consume(r, func(body io.Reader) iter.Seq2[string, error] { return stream.TextLines(body, encoding, size) })
}

// Chunks yields the body in chunks of n bytes, like requests'
// iter_content(chunk_size=n); n <= 0 means 32 KiB. A body of known length
// comes in chunks of exactly n bytes (the last one shorter). A chunked
// response (Transfer-Encoding: chunked, as live streams are sent) comes as
// it arrives, in chunks of at most n bytes, without waiting for n to fill,
// as urllib3 yields its HTTP chunks. The slice is valid only until the
// next iteration. Like Lines, it consumes the body.
func (r *Response) Chunks(n int) iter.Seq2[[]byte, error] {
	split := stream.Chunks
	if slices.Contains(r.raw.TransferEncoding, "chunked") {
		split = stream.ChunksAsRead
	}
	return consume(r, func(body io.Reader) iter.Seq2[[]byte, error] { return split(body, n) })
}

// Event is one server-sent event (text/event-stream).
type Event struct {
	// ID is the last event ID the stream has set (it persists across
	// events, as the WHATWG rules say).
	ID string
	// Type is the event's type: "message" when the event names none.
	Type string
	// Data is the event's data lines joined with "\n".
	Data string
	// Retry is the reconnection time the stream has set so far, or zero.
	Retry time.Duration
}

// Events parses the body as a server-sent event stream by the WHATWG
// rules and yields each event. Like Lines, it consumes the body.
func (r *Response) Events() iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		body := r.Body()
		defer body.Close()
		for ev, err := range stream.Events(body) {
			if !yield(Event(ev), err) || err != nil {
				return
			}
		}
	}
}

// consume runs split over the body and closes it when the loop ends. The
// caller's yield goes to split's iterator as it is: no second layer of
// yield per line.
func consume[T any](r *Response, split func(io.Reader) iter.Seq2[T, error]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		body := r.Body()
		defer body.Close()
		split(body)(yield)
	}
}

// SaveFile writes the body to path and returns how many bytes it wrote.
// The body goes to a new temporary file in path's directory, which is
// renamed to path only once the whole body has arrived: path never holds
// a partial body, and an error leaves it as it was. The file has mode
// 0600, as a temporary file has (a body may be private); change it after
// if others must read it. It consumes the body.
func (r *Response) SaveFile(path string) (int64, error) {
	body := r.Body()
	defer body.Close()
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.part")
	if err != nil {
		return 0, fmt.Errorf("tether: saving body: %w", err)
	}
	tmp := f.Name()
	n, err := io.Copy(f, body)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return n, fmt.Errorf("tether: saving body of %s to %s: %w", redacted(r.url), path, err)
	}
	return n, nil
}

// openBody returns the body of raw as the call reads it: counted for
// DownloadProgress on the wire, then decoded by its Content-Encoding
// (which raw.Header keeps).
//
// A streamed body read through such layers is a liveBody, which Close may
// end under a read.
func (s *sender) openBody(raw *http.Response, final bool) (io.ReadCloser, bool, error) {
	body, decoded, err := s.bodyLayers(raw, final)
	if err == nil && final && s.c.stream && (decoded || s.c.download != nil) {
		body = &liveBody{outer: body, wire: raw.Body}
	}
	return body, decoded, err
}

// bodyLayers is openBody's layers over raw.Body.
func (s *sender) bodyLayers(raw *http.Response, final bool) (io.ReadCloser, bool, error) {
	body := raw.Body
	if final && s.c.download != nil {
		body = newProgress(body, raw.ContentLength, s.c.download)
	}
	codings := raw.Header.Values("Content-Encoding")
	if len(codings) == 0 || raw.Uncompressed || (final && s.c.noDecode) {
		return body, false, nil
	}
	rc, decoded, err := decode.NewReader(body, codings)
	if err != nil {
		_ = body.Close()
		return nil, false, fmt.Errorf("%w: %w", ErrDecode, err)
	}
	if !decoded {
		return body, false, nil
	}
	return decodeErrs{rc}, true, nil
}

// liveBody is a streamed body read through layers (decoders, whose state
// goes back to a pool, and the download count) that Close may end from
// another goroutine while a Read is under way, as Response.Close ends a
// Bytes waiting on the wire. Close then closes only the body on the wire,
// which ends the read; the layers are closed when that read returns, never
// under it.
type liveBody struct {
	outer io.ReadCloser // the body as read, over wire
	wire  io.Closer

	mu      sync.Mutex
	reading bool
	closed  bool
}

func (l *liveBody) Read(p []byte) (int, error) {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return 0, http.ErrBodyReadAfterClose
	}
	l.reading = true
	l.mu.Unlock()
	n, err := l.outer.Read(p)
	l.mu.Lock()
	l.reading = false
	closed := l.closed
	l.mu.Unlock()
	if closed {
		_ = l.outer.Close() // Close came during the read and left it this
	}
	return n, err
}

func (l *liveBody) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	reading := l.reading
	l.mu.Unlock()
	if reading {
		return l.wire.Close()
	}
	return l.outer.Close()
}

// decodeErrs makes a decoding error match ErrDecode.
type decodeErrs struct{ io.ReadCloser }

func (d decodeErrs) Read(p []byte) (int, error) {
	n, err := d.ReadCloser.Read(p)
	if err != nil && err != io.EOF && errors.Is(err, decode.ErrDecode) {
		err = fmt.Errorf("%w: %w", ErrDecode, err)
	}
	return n, err
}

// readAll reads r to its end. size is the expected length when known
// (-1 otherwise), to allocate once; limit > 0 is the most bytes allowed,
// past which it returns ErrBodyTooLarge.
func readAll(r io.Reader, size, limit int64) ([]byte, error) {
	if size >= 0 && size <= 4<<20 && (limit <= 0 || size <= limit) {
		// One byte more than the body, for the read to EOF below: a
		// buffer of its own would escape to the heap through r.Read.
		buf := make([]byte, size+1)
		body := buf[:size:size]
		if _, err := io.ReadFull(r, body); err != nil {
			return body, err
		}
		// Read to EOF so that the connection goes back to the pool.
		switch n, err := r.Read(buf[size:]); {
		case n > 0:
			return body, errors.New("body longer than its Content-Length")
		case err != io.EOF && err != nil:
			return body, err
		}
		return body, nil
	}
	if limit <= 0 {
		return io.ReadAll(r)
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err == nil && int64(len(b)) > limit {
		return b[:limit], fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, limit)
	}
	return b, err
}
