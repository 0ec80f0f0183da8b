// Package multipart builds multipart/form-data request bodies the way
// requests does for data= and files=, streamed from readers and files and
// never held in memory.
//
// The bytes match requests 2.x with urllib3 2.x
// (RequestEncodingMixin._encode_files and encode_multipart_formdata) except
// for the random boundary:
//
//   - text fields come first, in the order given, then files in the order
//     given;
//   - every part starts with "--boundary\r\n" and
//     `Content-Disposition: form-data; name="..."` followed, for a file, by
//     `; filename="..."`; parameter values escape only `"`, CR and LF, as
//     %22, %0D and %0A (WHATWG HTML style); a backslash, a percent sign and
//     non-ASCII text are written as they are (UTF-8);
//   - a file part carries a Content-Type header only when the caller gives
//     one (requests sends none for a 2-tuple or a bare file object), then
//     any extra part headers; a text part carries no Content-Type;
//   - the headers end with an empty line, the content follows, then CRLF;
//     the body ends with "--boundary--\r\n";
//   - the boundary is 32 lowercase hex digits from 16 random bytes.
package multipart

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// ErrSizeChanged is wrapped by the error a body stream returns when a file
// yields more or fewer bytes than its announced Size, so that a body never
// silently disagrees with the Content-Length computed from [Body.Size].
var ErrSizeChanged = errors.New("multipart: file size changed")

// errClosed is returned by Read after Close.
var errClosed = errors.New("multipart: read from closed body")

// Field is a text part, one (key, value) pair of requests' data=.
type Field struct {
	Name, Value string
}

// File is a file part, one entry of requests' files=.
type File struct {
	// Field is the form field name.
	Field string
	// Filename is sent as the filename parameter; "" sends filename="",
	// as requests does for ("", content).
	Filename string
	// OmitFilename leaves the filename parameter out, as requests does for
	// (None, content[, type]); Filename must then be "".
	OmitFilename bool
	// ContentType is the part's Content-Type; "" sends none, which is what
	// requests does when no type is given.
	ContentType string
	// Header holds extra part headers (requests' 4-tuple). They follow
	// Content-Disposition and Content-Type, keys sorted, one line per value,
	// keys written as spelled in the map; empty values are skipped, as
	// requests skips falsy ones. Content-Disposition, Content-Type and
	// Content-Location are rejected (use ContentType; requests overwrites
	// the first two and always drops Content-Location).
	Header http.Header
	// Open returns the content. It is called once per stream, lazily, when
	// the stream reaches this part; the stream closes what it returns.
	Open func() (io.ReadCloser, error)
	// Size is the exact number of bytes Open yields, or -1 if unknown.
	Size int64
}

// FromPath returns a file part read from the named file, as requests sends
// open(path, "rb"): Filename is the base name, no Content-Type, Size comes
// from Stat (-1 for a non-regular file) and each stream reopens the path.
func FromPath(field, path string) (File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return File{}, fmt.Errorf("multipart: %w", err)
	}
	if fi.IsDir() {
		return File{}, fmt.Errorf("multipart: %s is a directory", path)
	}
	size := int64(-1)
	if fi.Mode().IsRegular() {
		size = fi.Size()
	}
	// requests' guess_filename: a file's name that starts with "<" or ends
	// with ">" (as Python's "<stdin>") is not taken for a file name, and
	// the field name stands in for it.
	filename := filepath.Base(path)
	if strings.HasPrefix(path, "<") || strings.HasSuffix(path, ">") {
		filename = field
	}
	return File{
		Field:    field,
		Filename: filename,
		Size:     size,
		Open: func() (io.ReadCloser, error) {
			f, err := os.Open(path)
			if err != nil {
				return nil, err
			}
			return f, nil
		},
	}, nil
}

// FromBytes returns a file part whose content is data, as requests sends
// (filename, data). data must not be modified while the body is in use.
func FromBytes(field, filename string, data []byte) File {
	return File{
		Field:    field,
		Filename: filename,
		Size:     int64(len(data)),
		Open: func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(data)), nil
		},
	}
}

// Body is a multipart/form-data body that can be streamed any number of
// times. It is safe for concurrent use.
type Body struct {
	contentType string
	// chunks[i] holds the fixed bytes before files[i]; the last chunk holds
	// the bytes after the last file (or the whole body without files).
	chunks [][]byte
	files  []source
	size   int64
}

type source struct {
	field string
	size  int64
	open  func() (io.ReadCloser, error)
}

// New validates the parts, chooses a random boundary and renders every
// part's headers. Text fields come first, then files.
func New(fields []Field, files []File) (*Body, error) {
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, fmt.Errorf("multipart: boundary: %w", err)
	}
	return build(fields, files, hex.EncodeToString(raw[:]))
}

func build(fields []Field, files []File, boundary string) (*Body, error) {
	b := &Body{
		contentType: "multipart/form-data; boundary=" + boundary,
		files:       make([]source, 0, len(files)),
	}
	var buf []byte
	for _, f := range fields {
		buf = appendPartStart(buf, boundary, f.Name, "", true)
		buf = append(buf, "\r\n"...)
		buf = append(buf, f.Value...)
		buf = append(buf, "\r\n"...)
	}
	for i, f := range files {
		if err := f.validate(); err != nil {
			return nil, fmt.Errorf("multipart: file %d (field %q): %w", i, f.Field, err)
		}
		buf = appendPartStart(buf, boundary, f.Field, f.Filename, f.OmitFilename)
		if f.ContentType != "" {
			buf = append(buf, "Content-Type: "...)
			buf = append(buf, f.ContentType...)
			buf = append(buf, "\r\n"...)
		}
		for _, k := range slices.Sorted(maps.Keys(f.Header)) {
			for _, v := range f.Header[k] {
				if v == "" {
					continue
				}
				buf = append(buf, k...)
				buf = append(buf, ": "...)
				buf = append(buf, v...)
				buf = append(buf, "\r\n"...)
			}
		}
		buf = append(buf, "\r\n"...)
		b.chunks = append(b.chunks, buf)
		b.files = append(b.files, source{field: f.Field, size: f.Size, open: f.Open})
		buf = []byte("\r\n")
	}
	buf = append(buf, "--"...)
	buf = append(buf, boundary...)
	buf = append(buf, "--\r\n"...)
	b.chunks = append(b.chunks, buf)

	for _, c := range b.chunks {
		b.size += int64(len(c))
	}
	for _, f := range b.files {
		if f.size < 0 {
			b.size = -1
			break
		}
		if f.size > math.MaxInt64-b.size {
			return nil, errors.New("multipart: total size overflows int64")
		}
		b.size += f.size
	}
	return b, nil
}

// appendPartStart appends the boundary line and the Content-Disposition
// header line of a part.
func appendPartStart(buf []byte, boundary, name, filename string, omitFilename bool) []byte {
	buf = append(buf, "--"...)
	buf = append(buf, boundary...)
	buf = append(buf, "\r\nContent-Disposition: form-data; name="...)
	buf = appendParam(buf, name)
	if !omitFilename {
		buf = append(buf, "; filename="...)
		buf = appendParam(buf, filename)
	}
	return append(buf, "\r\n"...)
}

// appendParam appends s as a quoted parameter value the way urllib3's
// format_multipart_header_param does: `"`, CR and LF become %22, %0D and
// %0A; every other byte, backslash and percent sign included, is kept.
// Working on bytes equals urllib3's work on code points because UTF-8
// never uses ASCII bytes inside a multi-byte sequence.
func appendParam(buf []byte, s string) []byte {
	buf = append(buf, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			buf = append(buf, "%22"...)
		case '\r':
			buf = append(buf, "%0D"...)
		case '\n':
			buf = append(buf, "%0A"...)
		default:
			buf = append(buf, c)
		}
	}
	return append(buf, '"')
}

func (f *File) validate() error {
	if f.Open == nil {
		return errors.New("Open is nil")
	}
	if f.Size < -1 {
		return fmt.Errorf("invalid Size %d", f.Size)
	}
	if f.OmitFilename && f.Filename != "" {
		return errors.New("OmitFilename with a non-empty Filename")
	}
	if strings.ContainsAny(f.ContentType, "\r\n") {
		return errors.New("ContentType contains CR or LF")
	}
	for k, vs := range f.Header {
		if !isToken(k) {
			return fmt.Errorf("invalid part header name %q", k)
		}
		switch strings.ToLower(k) {
		case "content-disposition", "content-type", "content-location":
			return fmt.Errorf("part header %s is not allowed in Header", k)
		}
		for _, v := range vs {
			if strings.ContainsAny(v, "\r\n") {
				return fmt.Errorf("part header %s contains CR or LF", k)
			}
		}
	}
	return nil
}

// isToken reports whether s is a non-empty RFC 9110 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// ContentType returns the request's Content-Type header value,
// "multipart/form-data; boundary=" followed by the boundary.
func (b *Body) ContentType() string { return b.contentType }

// Boundary returns the boundary, 32 lowercase hex digits.
func (b *Body) Boundary() string {
	return strings.TrimPrefix(b.contentType, "multipart/form-data; boundary=")
}

// Size returns the exact length of the body when every file's size is
// known, else -1 (the caller then sends it chunked).
func (b *Body) Size() int64 { return b.size }

// Open returns a fresh stream of the whole body, suitable as
// http.Request.GetBody. Files are opened one at a time as the stream
// reaches them, so an error opening a file is returned by Read. Closing
// the stream closes the open file, if any; Close may be called
// concurrently with Read (it then closes the file while it is being read,
// which *os.File permits), after which Read fails.
func (b *Body) Open() (io.ReadCloser, error) {
	return &stream{b: b}, nil
}

// stream reads a Body. Read state belongs to the reading goroutine; mu
// guards only what Close touches.
type stream struct {
	b      *Body
	i      int   // current chunk, and file i after it
	off    int   // read offset in chunks[i]
	inFile bool  // reading files[i]
	got    int64 // bytes read from files[i]
	err    error // sticky
	probe  [1]byte

	mu     sync.Mutex
	cur    io.ReadCloser
	closed bool
}

func (s *stream) Read(p []byte) (int, error) {
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return 0, errClosed
	}
	n := 0
	for n < len(p) && s.err == nil {
		if !s.inFile {
			if c := s.b.chunks[s.i]; s.off < len(c) {
				m := copy(p[n:], c[s.off:])
				s.off += m
				n += m
				continue
			}
			if s.i == len(s.b.files) {
				s.err = io.EOF
				break
			}
			s.err = s.openFile()
			s.inFile, s.got = true, 0
			continue
		}
		m, done, err := s.readFile(p[n:])
		n += m
		if err != nil {
			s.err = err
			break
		}
		if !done {
			// Hand over what the file gave rather than block on it again.
			break
		}
		if s.err = s.closeFile(); s.err == nil {
			s.inFile = false
			s.i++
			s.off = 0
		}
	}
	if n > 0 {
		return n, nil
	}
	if s.err == nil {
		return 0, nil
	}
	return 0, s.err
}

func (s *stream) openFile() error {
	f := &s.b.files[s.i]
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return errClosed
	}
	rc, err := f.open()
	if err != nil {
		return fmt.Errorf("multipart: opening file for field %q: %w", f.field, err)
	}
	if rc == nil {
		return fmt.Errorf("multipart: opening file for field %q: Open returned nil", f.field)
	}
	s.mu.Lock()
	closed = s.closed
	if !closed {
		s.cur = rc
	}
	s.mu.Unlock()
	if closed {
		rc.Close()
		return errClosed
	}
	return nil
}

func (s *stream) closeFile() error {
	s.mu.Lock()
	rc := s.cur
	s.cur = nil
	s.mu.Unlock()
	if rc == nil {
		return errClosed // Close got there first
	}
	if err := rc.Close(); err != nil {
		return fmt.Errorf("multipart: closing file for field %q: %w", s.b.files[s.i].field, err)
	}
	return nil
}

// readFile reads from files[i] into p, never past its announced size;
// done reports that the file ended exactly where announced.
func (s *stream) readFile(p []byte) (n int, done bool, err error) {
	f := &s.b.files[s.i]
	s.mu.Lock()
	rc, closed := s.cur, s.closed
	s.mu.Unlock()
	if closed {
		return 0, false, errClosed
	}
	left := f.size - s.got
	if f.size >= 0 {
		if left == 0 {
			// Everything announced has been read; the file must now end.
			p = s.probe[:]
		} else if int64(len(p)) > left {
			p = p[:left]
		}
	}
	n, err = rc.Read(p)
	if n < 0 || n > len(p) {
		return 0, false, fmt.Errorf("multipart: file for field %q: invalid Read count %d", f.field, n)
	}
	if f.size >= 0 && left == 0 {
		if n > 0 {
			return 0, false, fmt.Errorf("%w: field %q: announced %d bytes, file has more",
				ErrSizeChanged, f.field, f.size)
		}
	} else {
		s.got += int64(n)
	}
	switch {
	case err == io.EOF:
		if f.size >= 0 && s.got < f.size {
			return n, false, fmt.Errorf("%w: field %q: announced %d bytes, file has %d",
				ErrSizeChanged, f.field, f.size, s.got)
		}
		return n, true, nil
	case err != nil:
		s.mu.Lock()
		closed = s.closed
		s.mu.Unlock()
		if closed {
			return n, false, errClosed
		}
		return n, false, fmt.Errorf("multipart: reading file for field %q: %w", f.field, err)
	}
	return n, false, nil
}

// Close closes the open file, if any. It is safe to call more than once
// and concurrently with Read.
func (s *stream) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	rc := s.cur
	s.cur = nil
	s.mu.Unlock()
	if rc != nil {
		return rc.Close()
	}
	return nil
}
