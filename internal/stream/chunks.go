package stream

import (
	"io"
	"iter"
)

// DefaultChunkSize is the chunk size [Chunks] uses when asked for n <= 0.
// It is io.Copy's buffer size. (requests' iter_content defaults to chunks
// of 1 byte, which suits no Go caller, and its chunk_size=None, "whatever
// arrives", is what reading r directly gives.)
const DefaultChunkSize = 32 << 10

// Chunks yields r in chunks of exactly n bytes, the last one shorter if
// the body's length is not a multiple of n, as requests'
// iter_content(chunk_size=n) does; an empty body yields nothing. n <= 0
// means [DefaultChunkSize]. A chunk is yielded once n bytes have been read
// (or at io.EOF), however r splits the body into reads.
//
// If r fails, the bytes read since the last full chunk are yielded as a
// short chunk (when there are any), then the error.
//
// The yielded slice aliases an internal buffer and is valid only until
// the next iteration; copy it to keep it. The buffer grows to n bytes as
// the first chunk is read (it does not reserve a huge n up front); after
// that the loop allocates nothing per chunk.
func Chunks(r io.Reader, n int) iter.Seq2[[]byte, error] {
	if n <= 0 {
		n = DefaultChunkSize
	}
	return func(yield func([]byte, error) bool) {
		var buf []byte
		for {
			filled := 0
			var err error
			for filled < n && err == nil {
				if filled == len(buf) {
					buf = growChunk(buf, n)
				}
				var m int
				m, err = readSome(r, buf[filled:])
				filled += m
			}
			if filled > 0 && !yield(buf[:filled:filled], nil) {
				return
			}
			if err != nil {
				if err != io.EOF {
					yield(nil, err)
				}
				return
			}
		}
	}
}

// growChunk returns buf, its contents kept, grown towards n bytes: to
// min(n, 64 KiB) at first, then doubling.
func growChunk(buf []byte, n int) []byte {
	size := min(n, 64<<10)
	if len(buf) > 0 {
		size = min(n, 2*len(buf))
	}
	grown := make([]byte, size)
	copy(grown, buf)
	return grown
}

// ChunksAsRead yields r as it arrives: each read's bytes, at most n, with
// no waiting for n to fill, as urllib3 yields a chunked response's HTTP
// chunks to iter_content(chunk_size=n). An empty read yields nothing. n <=
// 0 means [DefaultChunkSize]. Errors end the loop as in [Chunks]; the
// yielded slice is valid only until the next iteration.
func ChunksAsRead(r io.Reader, n int) iter.Seq2[[]byte, error] {
	if n <= 0 {
		n = DefaultChunkSize
	}
	return func(yield func([]byte, error) bool) {
		buf := make([]byte, min(n, 64<<10))
		for {
			m, err := readSome(r, buf)
			if m > 0 && !yield(buf[:m:m], nil) {
				return
			}
			if err != nil {
				if err != io.EOF {
					yield(nil, err)
				}
				return
			}
		}
	}
}
