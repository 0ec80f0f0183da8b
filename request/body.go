package request

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
)

// body is a request body source. fixed bodies are bytes and replay freely.
type body struct {
	data        []byte
	fixed       bool
	contentType string
	once        *oneShot
	seeker      io.ReadSeeker
	offset      int64
}

func newBody(r io.Reader) *body {
	switch v := r.(type) {
	case nil:
		return &body{fixed: true}
	case *bytes.Buffer:
		return &body{data: bytes.Clone(v.Bytes()), fixed: true}
	case *bytes.Reader:
		return unreadRest(v, v.Size(), v.Len())
	case *strings.Reader:
		return unreadRest(v, v.Size(), v.Len())
	case io.ReadSeeker:
		off, err := v.Seek(0, io.SeekCurrent)
		if err != nil {
			return &body{once: &oneShot{r: r}}
		}
		return &body{seeker: v, offset: off}
	default:
		return &body{once: &oneShot{r: r}}
	}
}

// unreadRest copies the unread part of a bytes or strings reader, without
// moving it, as a fixed body.
func unreadRest(r io.ReaderAt, size int64, unread int) *body {
	data := make([]byte, unread)
	_, _ = r.ReadAt(data, size-int64(unread)) // in memory: only io.EOF at the end
	return &body{data: data, fixed: true}
}

var errConsumed = errors.New("one-shot body already sent")

// oneShot is a body that can be read once.
type oneShot struct {
	used atomic.Bool
	r    io.Reader
}

// attach sets req's body from b (nil b: no body).
func (b *body) attach(req *http.Request) error {
	if b == nil {
		return nil
	}
	if b.contentType != "" && req.Header.Get("Content-Type") == "" {
		req.Header["Content-Type"] = []string{b.contentType}
	}
	switch {
	case b.fixed:
		data := b.data
		req.ContentLength = int64(len(data))
		if len(data) == 0 {
			req.Body = http.NoBody
		} else {
			req.Body = io.NopCloser(bytes.NewReader(data))
		}
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	case b.seeker != nil:
		end, err := b.seeker.Seek(0, io.SeekEnd)
		if err == nil {
			_, err = b.seeker.Seek(b.offset, io.SeekStart)
		}
		if err != nil {
			return kindError(ErrBodyNotReplayable, "rewinding: %w", err)
		}
		req.Body = io.NopCloser(b.seeker)
		req.ContentLength = end - b.offset
		if req.ContentLength <= 0 {
			req.Body, req.ContentLength = http.NoBody, 0
		}
	default:
		if b.once.used.Swap(true) {
			return kindError(ErrBodyNotReplayable, "%w", errConsumed)
		}
		req.Body = io.NopCloser(b.once.r)
		req.ContentLength = -1
	}
	return nil
}
