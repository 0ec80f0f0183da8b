package stream

import (
	"bytes"
	"errors"
	"io"
	"iter"
	"math/bits"
)

const (
	// bufSize is the size of the buffer a line reader starts with and of
	// each read it asks for (less for a body known to be smaller); it grows
	// only for lines that do not fit. 64 KiB reads cost less than 32 KiB
	// ones over loopback (fewer read calls) and the data read is still in
	// cache when it is split.
	bufSize = 64 << 10

	// maxEmptyReads is how many reads in a row may return no data and no
	// error before the iteration gives up with io.ErrNoProgress, as
	// bufio does.
	maxEmptyReads = 100
)

// errBadCount is yielded when a reader breaks the io.Reader contract by
// returning a negative count or one larger than the buffer it was given.
var errBadCount = errors.New("stream: reader returned an invalid count")

// readSome reads into p until a read returns data or an error, as every
// splitter here reads: a count the io.Reader contract does not allow is
// errBadCount (and no data), and maxEmptyReads reads in a row with neither
// are io.ErrNoProgress. Like Read, it may return data and an error.
func readSome(r io.Reader, p []byte) (int, error) {
	for range maxEmptyReads {
		n, err := r.Read(p)
		if n < 0 || n > len(p) {
			return 0, errBadCount
		}
		if n > 0 || err != nil {
			return n, err
		}
	}
	return 0, io.ErrNoProgress
}

// Lines yields r's lines without their line ends.
//
// With delim == nil (or empty) a line ends at "\n", "\r\n" or "\r", the
// line ends of Python's bytes.splitlines; no other byte (not "\v", "\f",
// "\x1c" and the like) ends a line. The lines are those requests'
// Response.iter_lines() yields: an empty line in the middle of the body is
// yielded as an empty slice, a final line without a line end is yielded,
// and a line end at the very end of the body does not start another line,
// so "a\n", "a\r\n" and "a" all yield just "a", and an empty body yields
// nothing. A "\r\n" split across two reads is one line end, where requests
// would yield a spurious empty line; a line ending in "\r" is yielded as
// soon as the "\r" has been read, without waiting to see whether "\n"
// follows.
//
// With a delimiter, lines are split on it exactly, as requests'
// iter_lines(delimiter=delim) does when the body arrives in one chunk
// (Python's body.split(delim)): a delimiter at the very end of the body is
// followed by a final empty line, and an empty body yields nothing.
// Occurrences of delim do not overlap and are found from the left.
//
// Lines yields the same lines however r splits the body into reads. A
// line is yielded once its line end has been read, or at io.EOF. If r
// fails, the lines that ended before the failure are yielded, then the
// error, and a final unterminated line read before the failure is
// dropped.
//
// The yielded slice aliases an internal buffer and is valid only until
// the next iteration, as with bufio.Scanner; copy it to keep it. The
// buffer starts at 64 KiB and grows as needed to hold the longest line,
// without limit, as in requests: wrap r in an io.LimitReader to bound it.
// In the steady state the loop allocates nothing per line.
func Lines(r io.Reader, delim []byte) iter.Seq2[[]byte, error] {
	return LinesSized(r, delim, -1)
}

// LinesSized is [Lines] over a reader known to hold size bytes (-1 when
// unknown): its buffer then starts no bigger than the body needs. A size
// that is wrong costs only a larger buffer.
func LinesSized(r io.Reader, delim []byte, size int64) iter.Seq2[[]byte, error] {
	first := bufSize
	if size >= 0 && size < bufSize {
		first = int(size) + 1 // room for the body, and a read that finds its end
	}
	if len(delim) == 0 {
		delim = nil
	} else {
		delim = bytes.Clone(delim)
	}
	return func(yield func([]byte, error) bool) {
		lr := lineReader{r: r, delim: delim, first: first}
		for {
			if lr.delim == nil && lr.start < lr.end && !lr.yieldBuffered(yield) {
				return
			}
			line, _, ok := lr.next()
			if !ok {
				if lr.err != io.EOF {
					yield(nil, lr.err)
				}
				return
			}
			if !yield(line, nil) {
				return
			}
		}
	}
}

// A lineReader splits a reader into lines over one reusable buffer.
type lineReader struct {
	r     io.Reader
	delim []byte // nil: "\n", "\r\n" and "\r" end lines
	buf   []byte
	first int // the size buf starts with; 0: bufSize

	// The unconsumed data is buf[start:end].
	start, end int

	// scanned counts the bytes at buf[start:] known not to hold a line end
	// (with delim == nil, no "\n"; with a delimiter, no start of one), so
	// that a line spanning several reads is scanned once.
	scanned int

	// With delim == nil, buf[start:start+cr] holds no "\r", and if crFound
	// buf[start+cr] is one. Searching for "\r" ahead over all the buffered
	// data, rather than line by line, saves one scan per line.
	cr      int
	crFound bool

	// skipLF is set when a line ended at a "\r" that was the last byte
	// read: a "\n" read next belongs to that line end.
	skipLF bool

	read bool  // a byte was read, so a delimiter mode final line exists
	done bool  // the final line has been returned
	err  error // the read error (io.EOF at the end); sticky
}

// next returns the next line and whether a line end ended it (false only
// for a final line at io.EOF). It reports ok == false when there are no
// more lines; lr.err then says why (io.EOF, or the read error).
func (lr *lineReader) next() (line []byte, terminated, ok bool) {
	for {
		if lr.skipLF && lr.start < lr.end {
			lr.skipLF = false
			if lr.buf[lr.start] == '\n' {
				lr.consume(1)
			}
		}
		if line, n, found := lr.scan(); found {
			lr.consume(n)
			return line, true, true
		}
		if lr.err != nil {
			if lr.err != io.EOF || lr.done {
				return nil, false, false
			}
			lr.done = true
			rest := lr.buf[lr.start:lr.end:lr.end]
			lr.consume(len(rest))
			if len(rest) == 0 && (lr.delim == nil || !lr.read) {
				return nil, false, false
			}
			return rest, false, true
		}
		lr.fill()
	}
}

// yieldBuffered yields, in one tight loop, every line of the buffered data
// whose line end has been read ("\n", "\r\n" or "\r"): what next does line
// by line, without its per-line bookkeeping. What is left (a line not yet
// ended) stays buffered for next. It reports false if yield asked to stop.
func (lr *lineReader) yieldBuffered(yield func([]byte, error) bool) bool {
	data := lr.buf[lr.start:lr.end]
	off := 0
	if lr.skipLF {
		lr.skipLF = false
		if data[0] == '\n' {
			off = 1
		}
	}
	// cr is the next "\r" at or after off, or len(data). data[:lr.cr] holds
	// none (so a "\r" found there is not data[0] when off is 1).
	cr := lr.cr
	if haveEOLMasks && len(data)-off >= maskedMin {
		var ok bool
		if off, ok = lr.yieldMasked(data, off, yield); !ok {
			return false
		}
		// data[:off] is consumed and the line ends in the blocks the
		// masks covered are all yielded; the rest is searched below.
		cr = off + indexCR(data[off:])
	} else if !lr.crFound {
		from := max(off, lr.cr)
		cr = from + indexCR(data[from:])
	}
	for {
		if i := bytes.IndexByte(data[off:cr], '\n'); i >= 0 {
			end := off + i
			if !yield(data[off:end:end], nil) {
				return false
			}
			off = end + 1
			continue
		}
		if cr == len(data) {
			break // no line end in the rest
		}
		if !yield(data[off:cr:cr], nil) {
			return false
		}
		off = lr.afterCR(data, cr)
		cr = off + indexCR(data[off:])
	}
	lr.cr, lr.crFound = cr, cr < len(data)
	lr.consume(off)
	return true
}

// maskedMin is the least buffered data yieldBuffered hands to yieldMasked:
// below it, a search a line costs less than building masks.
const maskedMin = 256

// maskBlocks is how many 64-byte blocks yieldMasked masks at a time.
const maskBlocks = 32

// yieldMasked yields the lines of data[off:] whose line ends lie in its
// whole 64-byte blocks, finding every "\n" and "\r" there with eolMasks
// rather than one search a line. It returns where the data not yet
// yielded starts, and false if yield asked to stop.
func (lr *lineReader) yieldMasked(data []byte, off int, yield func([]byte, error) bool) (int, bool) {
	var masks [maskBlocks]uint64
	for base := off; len(data)-base >= 64; {
		n := min((len(data)-base)/64, maskBlocks)
		if !eolMasks(data[base:], masks[:n]) {
			// Every mark is a "\n": the common case, without the
			// look at each line end's byte below. (One loop testing
			// a flag for it measured about 8% slower a line.)
			for i, m := range masks[:n] {
				for ; m != 0; m &= m - 1 {
					end := base + 64*i + bits.TrailingZeros64(m)
					if end < off {
						continue // the "\n" of a "\r\n" yielded before
					}
					if !yield(data[off:end:end], nil) {
						return off, false
					}
					off = end + 1
				}
			}
			base += 64 * n
			continue
		}
		for i, m := range masks[:n] {
			for ; m != 0; m &= m - 1 {
				end := base + 64*i + bits.TrailingZeros64(m)
				if end < off {
					continue // the "\n" of a "\r\n" just yielded
				}
				if !yield(data[off:end:end], nil) {
					return off, false
				}
				if data[end] == '\n' {
					off = end + 1
				} else {
					off = lr.afterCR(data, end)
				}
			}
		}
		base += 64 * n
	}
	return off, true
}

// scan looks for a line end in the buffered data. If it finds one it
// returns the line before it and the number of bytes the line and its line
// end take.
func (lr *lineReader) scan() (line []byte, n int, found bool) {
	data := lr.buf[lr.start:lr.end]
	if lr.delim != nil {
		if i := bytes.Index(data[lr.scanned:], lr.delim); i >= 0 {
			i += lr.scanned
			return data[:i:i], i + len(lr.delim), true
		}
		lr.scanned = max(0, len(data)-len(lr.delim)+1)
		return nil, 0, false
	}

	// The line ends at the first "\n", or at a "\r" before it. The "\r"
	// is looked for only up to that "\n": after a fill, this finds the
	// first line, and yieldBuffered the others.
	end := len(data)
	lf := bytes.IndexByte(data[lr.scanned:], '\n')
	if lf >= 0 {
		end = lr.scanned + lf
	}
	if !lr.crFound && lr.cr < end {
		lr.cr += indexCR(data[lr.cr:end])
		lr.crFound = lr.cr < end
	}
	if lr.crFound && lr.cr < end {
		i := lr.cr
		return data[:i:i], lr.afterCR(data, i), true
	}
	if lf >= 0 {
		return data[:end:end], end + 1, true
	}
	lr.scanned = end
	return nil, 0, false
}

// indexCR returns the index of the first "\r" in p, or len(p).
func indexCR(p []byte) int {
	if i := bytes.IndexByte(p, '\r'); i >= 0 {
		return i
	}
	return len(p)
}

// afterCR returns where the data after the "\r" line end at data[i] starts:
// past a "\n" that follows it. A "\r" that is the last byte read sets
// skipLF, so that a "\n" read next is taken as part of this line end.
func (lr *lineReader) afterCR(data []byte, i int) int {
	n := i + 1
	switch {
	case n == len(data):
		lr.skipLF = true
	case data[n] == '\n':
		n++
	}
	return n
}

// consume drops the first n buffered bytes.
func (lr *lineReader) consume(n int) {
	lr.start += n
	lr.scanned = 0
	lr.cr -= n
	if lr.cr < 0 {
		lr.cr = 0
		lr.crFound = false
	}
	if lr.start == lr.end {
		lr.start, lr.end = 0, 0
	}
}

// fill reads more data into the buffer, first making room for it by
// moving the unconsumed data to the front or, when the buffer is full of
// one line, by growing it. It records a read error in lr.err.
func (lr *lineReader) fill() {
	if lr.buf == nil {
		n := lr.first
		if n <= 0 {
			n = bufSize
		}
		lr.buf = make([]byte, n)
	}
	if lr.start > 0 {
		copy(lr.buf, lr.buf[lr.start:lr.end])
		lr.end -= lr.start
		lr.start = 0
	}
	if lr.end == len(lr.buf) {
		buf := make([]byte, max(2*len(lr.buf), bufSize))
		copy(buf, lr.buf[:lr.end])
		lr.buf = buf
	}
	n, err := readSome(lr.r, lr.buf[lr.end:])
	lr.end += n
	if n > 0 {
		lr.read = true
	}
	lr.err = err
}
