// Package decode undoes a response's Content-Encoding (gzip, deflate, br,
// zstd), as urllib3 does for requests.
//
// The behaviour follows urllib3 2.7.0's response decoders, with these
// deliberate differences (see NewReader):
//   - a truncated compressed stream is an error (urllib3 returns what it
//     decoded of a truncated gzip or deflate stream; by its code, of br too);
//   - "identity" and empty elements inside a list are no-ops, and a list
//     with an unknown coding is left undecoded (urllib3 runs its deflate
//     decoder for every unknown element of a list, which almost always fails);
//   - bytes after a deflate stream are always ignored (urllib3 ignores them
//     when they reach zlib in the call that ends the stream, but raises when
//     it reads in chunks, as requests does, and the content was longer
//     than one chunk);
//   - a zstd window over 8 MiB is an error, as RFC 9659 allows and browsers
//     do (urllib3 accepts up to 128 MiB).
package decode

import (
	"errors"
	"io"
	"strings"
)

// AcceptEncoding is what a client that decodes with this package advertises.
const AcceptEncoding = "gzip, deflate, br, zstd"

// MaxCodings is the most content codings NewReader undoes for one response,
// as urllib3's MultiDecoder.max_decode_links.
const MaxCodings = 5

// ErrDecode is matched (errors.Is) by every error that NewReader, or a Read
// of the reader it returns, reports because the content is not a valid
// stream of its coding. Errors of the underlying body are returned as they
// are, not wrapped.
var ErrDecode = errors.New("content decoding failed")

// decodeError is a corrupt stream of one coding.
type decodeError struct {
	coding string // as in the header, lower case
	err    error  // the codec's error
}

func (e *decodeError) Error() string {
	return ErrDecode.Error() + ": " + e.coding + ": " + e.err.Error()
}

func (e *decodeError) Is(target error) bool { return target == ErrDecode }

func (e *decodeError) Unwrap() error { return e.err }

var errTooMany = errors.New("more than 5 content codings (urllib3's limit)")

// errClosed is returned by Read after Close.
var errClosed = errors.New("decode: read after Close")

type kind uint8

const (
	kindIdentity kind = iota // "identity" or ""
	kindUnknown
	kindGzip
	kindDeflate
	kindBrotli
	kindZstd
)

func kindOf(name string) kind {
	switch {
	case name == "", strings.EqualFold(name, "identity"):
		return kindIdentity
	case strings.EqualFold(name, "gzip"), strings.EqualFold(name, "x-gzip"):
		return kindGzip
	case strings.EqualFold(name, "deflate"):
		return kindDeflate
	case strings.EqualFold(name, "br"):
		return kindBrotli
	case strings.EqualFold(name, "zstd"):
		return kindZstd
	}
	return kindUnknown
}

// trimOWS trims HTTP optional white space (space and tab).
func trimOWS(s string) string {
	for s != "" && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for s != "" && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// layer is one decoder of the chain. Read errors are final: a layer keeps
// returning the error it returned once.
type layer interface {
	io.Reader
	// release drops the layer's source and returns it to its pool. The
	// layer must not be used after.
	release()
}

// NewReader returns a reader of body's decoded bytes for a response's
// Content-Encoding field values (header.Values("Content-Encoding")).
//
// Each value may be a comma-separated list; all of them together list the
// codings in the order they were applied, so they are undone in reverse.
// Names are case-insensitive and trimmed of spaces and tabs; "x-gzip" is
// gzip; "identity" and empty elements are skipped.
//
// If no coding is to be undone, or any coding is unknown, NewReader returns
// body itself and decoded false: like urllib3, which leaves a body with an
// unknown coding undecoded, the caller gets the bytes as sent and should
// keep the Content-Encoding header. Otherwise decoded is true.
//
// More than MaxCodings list elements (counted as urllib3 counts them,
// including "identity" and empty ones) is an error matching ErrDecode,
// returned at once and with body not closed, as urllib3 raises for it;
// a list naming no known coding is exempt, as in urllib3.
//
// Corrupt content is reported by Read, as an error matching ErrDecode and
// naming the coding; an error of body itself comes back from Read as it is.
// In detail:
//   - gzip: concatenated members are all decoded. Once one member is
//     complete, anything after it that is not a valid member (trailing
//     garbage, a truncated or corrupt further member) ends the content
//     without error, as urllib3's GzipDecoder does; a bad first member is
//     an error. Reserved header flags are an error, as in zlib.
//   - deflate: a zlib-wrapped (RFC 1950) stream if the first two bytes are
//     a zlib header without a preset dictionary, else raw deflate
//     (RFC 1951), as urllib3's DeflateDecoder falls back to raw deflate when
//     zlib rejects the start. Bytes after the end of the stream are ignored.
//   - br and zstd: bytes after the end of the stream are an error, except
//     that further zstd frames (skippable ones too) are decoded. A zstd
//     frame whose window is over 8 MiB is an error.
//   - a stream that ends early is an error; a body of no bytes at all
//     decodes to no bytes.
//
// Closing the returned reader closes body and returns the decoders to
// their pools; reading it after Close is an error. Like any reader it is
// not safe for concurrent use.
func NewReader(body io.ReadCloser, codings []string) (rc io.ReadCloser, decoded bool, err error) {
	var (
		kinds  [MaxCodings]kind
		names  [MaxCodings]string
		n      int  // list elements, as urllib3 counts them
		known  bool // any coding to undo
		bad    bool // any unknown coding
		layers int
	)
	for _, v := range codings {
		for {
			elem, rest, more := strings.Cut(v, ",")
			elem = trimOWS(elem)
			k := kindOf(elem)
			switch k {
			case kindUnknown:
				bad = true
			case kindIdentity:
			default:
				known = true
				if layers < MaxCodings {
					kinds[layers], names[layers] = k, elem
				}
				layers++
			}
			n++
			if !more {
				break
			}
			v = rest
		}
	}
	if !known {
		return body, false, nil
	}
	if n > MaxCodings {
		return nil, false, &decodeError{
			coding: strings.ToLower(strings.Join(codings, ", ")),
			err:    errTooMany,
		}
	}
	if bad {
		return body, false, nil
	}
	r := &reader{body: body, top: body}
	for i := layers - 1; i >= 0; i-- {
		var l layer
		switch kinds[i] {
		case kindGzip:
			l = newGzip(r.top, names[i])
		case kindDeflate:
			l = newDeflate(r.top, names[i])
		case kindBrotli:
			l = newBrotli(r.top, names[i])
		case kindZstd:
			l = newZstd(r.top, names[i])
		}
		r.layers[r.n] = l
		r.n++
		r.top = l
	}
	return r, true, nil
}

// reader is the chain of layers over the body that NewReader returns. It is
// not pooled, so that a reader kept after Close cannot see another
// response's bytes.
type reader struct {
	body   io.ReadCloser
	top    io.Reader // the outermost layer
	layers [MaxCodings]layer
	n      int
	closed bool
}

func (r *reader) Read(p []byte) (int, error) {
	if r.closed {
		return 0, errClosed
	}
	return r.top.Read(p)
}

func (r *reader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	for i := r.n - 1; i >= 0; i-- {
		r.layers[i].release()
		r.layers[i] = nil
	}
	r.top = nil
	return r.body.Close()
}

// source is a layer's input. It records what the layer needs to classify
// an error of its codec: whether input arrived at all and whether the input
// itself (the body or the layer below) failed.
type source struct {
	r   io.Reader
	n   int64 // bytes read
	eof bool  // r returned io.EOF
	err error // first error of r other than io.EOF
}

func (s *source) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.n += int64(n)
	if err != nil {
		if err == io.EOF {
			s.eof = true
		} else if s.err == nil {
			s.err = err
		}
	}
	return n, err
}

func (s *source) reset(r io.Reader) { *s = source{r: r} }

// classify turns a codec's error into the layer's error: the input's own
// error as it is, io.EOF for a body that had no bytes, else a decodeError.
func (s *source) classify(coding string, err error) error {
	switch {
	case err == nil || err == io.EOF:
		return err
	case s.err != nil:
		return s.err
	case s.n == 0 && s.eof:
		return io.EOF
	}
	return &decodeError{coding: strings.ToLower(coding), err: err}
}
