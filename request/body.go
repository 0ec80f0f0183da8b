package request

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/tether-http/tether/internal/multipart"
	"github.com/tether-http/tether/internal/typednil"
)

// body is a request body source: something that can be opened once per
// send. Every hop and every Do opens it anew; one that can be opened again
// (bytes, a reader with ReadAt, a seeker) also becomes the request's
// GetBody, so redirects, the transport's own retries and, later, retries
// and multipart all share one replay rule. A body is shared by every
// builder derived from the one that set it, and by concurrent Do calls.
type body struct {
	contentType string
	size        int64 // -1 when unknown (sent chunked)
	replayable  bool
	// data is a body held in memory; open is nil for it.
	data []byte
	// open returns a fresh reader of the whole body of any other source.
	// ctx bounds a wait for an earlier send to give the body back
	// (seekers only).
	open func(ctx context.Context) (io.ReadCloser, error)
	// spent is set once a one-shot body has been opened.
	spent *atomic.Bool
	// isForm marks a Form body, whose fields (keys sorted) become the text
	// parts when File parts are added; form may then be empty.
	isForm bool
	form   []multipart.Field
}

// bytesBody is a body held in memory: it replays freely.
func bytesBody(data []byte, contentType string) *body {
	return &body{contentType: contentType, size: int64(len(data)), replayable: true, data: data}
}

// reader returns a fresh reader of the whole body.
func (b *body) reader(ctx context.Context) (io.ReadCloser, error) {
	if b.open == nil {
		// io.NopCloser, which net/http unwraps to write the bytes without
		// a copy buffer.
		return io.NopCloser(bytes.NewReader(b.data)), nil
	}
	return b.open(ctx)
}

// newBody makes a body source of r, as [Builder.Body] documents.
func newBody(r io.Reader) (*body, error) {
	if r == nil {
		return bytesBody(nil, ""), nil
	}
	if typednil.Is(r) {
		return nil, kindError(ErrBody, "Body with a nil %T", r)
	}
	switch v := r.(type) {
	case *bytes.Buffer:
		return bytesBody(bytes.Clone(v.Bytes()), ""), nil
	case *bytes.Reader:
		return bytesBody(unreadRest(v, v.Size(), v.Len()), ""), nil
	case *strings.Reader:
		return bytesBody(unreadRest(v, v.Size(), v.Len()), ""), nil
	}
	if s, ok := r.(io.Seeker); ok {
		if b, ok := seekerBody(r, s); ok {
			return b, nil
		}
	}
	return oneShotBody(r), nil
}

// unreadRest copies the unread part of a bytes or strings reader, without
// moving it.
func unreadRest(r io.ReaderAt, size int64, unread int) []byte {
	data := make([]byte, unread)
	_, _ = r.ReadAt(data, size-int64(unread)) // in memory: only io.EOF at the end
	return data
}

// seekerBody makes a replayable body of a seeker, from its current offset
// to its end as they are now. With ReadAt (an *os.File, an
// *io.SectionReader), every send reads its own section and never moves
// the seeker, so a send can start while the transport is still reading an
// earlier one (a server that answers before the body is read). Without
// ReadAt, a send waits until the transport has closed the previous one
// before it seeks. ok is false when the seeker cannot tell its offset.
func seekerBody(r io.Reader, s io.Seeker) (*body, bool) {
	off, err := s.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, false
	}
	end, err := s.Seek(0, io.SeekEnd)
	if err == nil {
		_, err = s.Seek(off, io.SeekStart)
	}
	if err != nil || end < off {
		return nil, false
	}
	n := end - off
	if ra, ok := r.(io.ReaderAt); ok {
		return &body{size: n, replayable: true, open: func(context.Context) (io.ReadCloser, error) {
			return io.NopCloser(io.NewSectionReader(ra, off, n)), nil
		}}, true
	}
	free := make(chan struct{}, 1) // a token: held while a send has the seeker
	free <- struct{}{}
	return &body{size: n, replayable: true, open: func(ctx context.Context) (io.ReadCloser, error) {
		select {
		case <-free:
		case <-ctx.Done():
			return nil, kindError(ErrBodyNotReplayable, "waiting for an earlier send to release the body: %w", ctx.Err())
		}
		if _, err := s.Seek(off, io.SeekStart); err != nil {
			free <- struct{}{}
			return nil, kindError(ErrBodyNotReplayable, "rewinding: %w", err)
		}
		return &seekSend{r: io.LimitReader(r, n), free: free}, nil
	}}, true
}

// seekSend is one send of a seeker body; closing it lets the next send seek.
type seekSend struct {
	r      io.Reader
	free   chan struct{}
	closed atomic.Bool
}

func (s *seekSend) Read(p []byte) (int, error) { return s.r.Read(p) }

func (s *seekSend) Close() error {
	if !s.closed.Swap(true) {
		s.free <- struct{}{}
	}
	return nil
}

// errConsumed says why a one-shot body cannot be sent again.
var errConsumed = errors.New("one-shot body already sent")

// oneShotBody is a reader that can be sent once. If it is an
// io.ReadCloser, the transport closes it after sending, as net/http does.
func oneShotBody(r io.Reader) *body {
	rc, ok := r.(io.ReadCloser)
	if !ok {
		rc = io.NopCloser(r)
	}
	b := &body{size: -1, spent: new(atomic.Bool)}
	b.open = func(context.Context) (io.ReadCloser, error) {
		if b.spent.Swap(true) {
			return nil, kindError(ErrBodyNotReplayable, "%w", errConsumed)
		}
		return rc, nil
	}
	return b
}

// attach opens b for req, a request of call c: its Body, ContentLength
// and, when b can be replayed, GetBody. A nil b attaches nothing. The
// call's upload callback, if any, is told how the body goes out.
func (b *body) attach(req *http.Request, c *call) error {
	if b == nil {
		return nil
	}
	upload := c.upload
	// A Content-Type header the caller set, even empty, is kept, as
	// requests keeps it.
	if _, set := req.Header["Content-Type"]; b.contentType != "" && !set {
		req.Header["Content-Type"] = c.own([]string{b.contentType})
	}
	if b.size == 0 {
		req.Body, req.ContentLength = http.NoBody, 0
		req.GetBody = noBody
		if upload != nil {
			upload(0, 0)
		}
		return nil
	}
	ctx := req.Context()
	send := func() (io.ReadCloser, error) { // one closure: it is the GetBody too
		rc, err := b.reader(ctx)
		if err != nil {
			return nil, err
		}
		if upload != nil {
			rc = newProgress(rc, b.size, upload)
		}
		return sending(ctx, rc), nil
	}
	rc, err := send()
	if err != nil {
		return err
	}
	req.Body, req.ContentLength = rc, b.size
	if b.replayable {
		req.GetBody = send
	}
	return nil
}

func noBody() (io.ReadCloser, error) { return http.NoBody, nil }

// setFraming writes into header the framing line net/http puts on the
// wire for the hop's body, as requests' prepared headers show it:
// Content-Length for a body of known length, and "0" for a POST, PUT or
// PATCH without one; Transfer-Encoding: chunked for a body of unknown
// length (net/http probes one sent with GET, HEAD, DELETE or OPTIONS,
// and sends an empty one as no body). The other line is removed. Other
// bodyless methods get neither (net/http sends none, where requests
// sends Content-Length: 0), and a Content-Length the caller set is left
// to the identity rule of prepare.
//
// This changes nothing on the wire: net/http writes both lines itself,
// from ContentLength, and leaves the header's out, over HTTP/1 (its
// Request.write) and HTTP/2 (which frames the body itself and drops
// Transfer-Encoding). A try or a hop after the first writes the same
// lines again, or others where a redirect dropped the body.
func (s *sender) setFraming(h *hop, header http.Header) {
	key, drop, v := "Content-Length", "Transfer-Encoding", ""
	switch {
	case h.body != nil && h.body.size < 0:
		key, drop, v = drop, key, "chunked"
	case h.body != nil && h.body.size > 0:
		v = strconv.FormatInt(h.body.size, 10)
	case zeroLengthMethod(h.method):
		v = "0"
	default:
		return
	}
	delete(header, drop)
	header[key] = s.c.own([]string{v})
}

// zeroLengthMethod reports whether net/http sends Content-Length: 0 for a
// request of method without a body (its transferWriter's rule).
func zeroLengthMethod(method string) bool {
	return method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch
}

// closeBody closes what attach opened for a request that will not be sent.
func closeBody(req *http.Request) {
	if req != nil && req.Body != nil {
		_ = req.Body.Close()
	}
}
