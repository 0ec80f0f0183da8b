package stream

import (
	"bytes"
	"encoding/binary"
	"io"
	"iter"
	"unicode/utf8"

	"github.com/tether-http/tether/internal/textenc"
)

// TextLines yields the lines of r decoded as text, as requests'
// iter_lines(decode_unicode=True) yields them when r.encoding is label:
// the body is decoded as [textenc.Decode] decodes it, and split where
// Python's str.splitlines splits, which besides "\n", "\r\n" and "\r" is
// also at "\v", "\f", "\x1c", "\x1d", "\x1e", U+0085, U+2028 and U+2029.
// An empty label is the body's byte order mark, or UTF-8 without one, as
// Text decodes a body without a charset. size is as for [LinesSized].
//
// A body in a codec whose line ends can be found before decoding (UTF-8,
// the single-byte codecs but the EBCDIC ones, the CJK multi-byte codecs)
// is read and decoded line by line, as it arrives. A body in UTF-16,
// UTF-32, EBCDIC, ISO-2022-JP or HZ is read whole first, then decoded and
// split.
//
// Unlike requests, the lines do not depend on how the body arrives: a
// "\r\n" split across two reads is one line end (see [Lines]).
func TextLines(r io.Reader, label string, size int64) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		head, err := readBOMHead(r)
		if label == "" {
			label = textenc.BOMLabel(head)
		}
		body := io.MultiReader(bytes.NewReader(head), r)
		if err != nil {
			body = io.MultiReader(bytes.NewReader(head), errReader{err})
		}
		if !textenc.LineSafe(label) {
			yieldWholeText(body, label, yield)
			return
		}
		first := bufSize
		if size >= 0 && size < bufSize {
			first = int(size) + 1
		}
		lr := lineReader{r: body, first: first}
		decode := textenc.LineDecoder(label)
		for n := 0; ; n++ {
			line, terminated, ok := lr.next()
			if !ok {
				if lr.err != io.EOF {
					// The line the error cut may hold lines that
					// ended at a line end only the decoded text has.
					text := decode(lr.buf[lr.start:lr.end], n == 0)
					if splitText(text[:lastLineStart(text)], false, yield) {
						yield("", lr.err)
					}
				}
				return
			}
			text := decode(line, n == 0)
			if plainASCII(line) {
				// No line end in it: text is the line.
				if !yield(text, nil) {
					return
				}
				continue
			}
			if !splitText(text, terminated, yield) {
				return
			}
		}
	}
}

// errReader returns err, after no data.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// readBOMHead reads the start of r until it is long enough to tell which
// byte order mark, if any, it starts with: it reads no more than a first
// read gives unless what it has so far is the start of a mark. It returns
// the read error, if one came (io.EOF included).
func readBOMHead(r io.Reader) ([]byte, error) {
	var buf [4]byte
	n := 0
	for n == 0 || (n < len(buf) && bomPrefix(buf[:n])) {
		m, err := readSome(r, buf[n:])
		n += m
		if err != nil {
			return buf[:n], err
		}
	}
	return buf[:n], nil
}

// boms are the byte order marks textenc.BOMLabel knows.
var boms = [][]byte{{0xFF, 0xFE, 0, 0}, {0, 0, 0xFE, 0xFF}, {0xEF, 0xBB, 0xBF}, {0xFE, 0xFF}}

// bomPrefix reports whether p is shorter than a byte order mark that starts
// with it, so that the bytes after p decide which mark, if any, it is.
func bomPrefix(p []byte) bool {
	for _, b := range boms {
		if len(p) < len(b) && bytes.HasPrefix(b, p) {
			return true
		}
	}
	return false
}

// yieldWholeText reads r to its end, decodes it and yields its lines; on a
// read error it yields the lines that ended before it, then the error.
func yieldWholeText(r io.Reader, label string, yield func(string, error) bool) {
	body, err := io.ReadAll(r)
	text := textenc.Decode(body, label)
	if err != nil {
		// The last line did not end: the error takes its place, as in
		// Lines.
		text = text[:lastLineStart(text)]
	}
	if !splitText(text, false, yield) || err == nil {
		return
	}
	yield("", err)
}

// lastLineStart returns where the last line of s starts: after its last
// line end, or 0.
func lastLineStart(s string) int {
	start := 0
	for i := 0; i < len(s); {
		n := lineEndLen(s[i:])
		if n == 0 {
			i++
			continue
		}
		i += n
		start = i
	}
	return start
}

// splitText yields the lines of s as Python's s.splitlines() gives them;
// when ended, s was followed by a line end, so a last empty line is one
// too. It reports false if yield asked to stop.
func splitText(s string, ended bool, yield func(string, error) bool) bool {
	start := 0
	for i := 0; i < len(s); {
		if !mayEndLine[s[i]] {
			i++
			continue
		}
		n := lineEndLen(s[i:])
		if n == 0 {
			i++
			continue
		}
		if !yield(s[start:i], nil) {
			return false
		}
		i += n
		start = i
	}
	if start < len(s) || ended {
		return yield(s[start:], nil)
	}
	return true
}

// plainASCII reports whether p holds only printable ASCII and tabs, 8
// bytes at a time: a line of such bytes decodes, in every codec LineSafe
// allows, to text without a line end.
func plainASCII(p []byte) bool {
	for ; len(p) >= 8; p = p[8:] {
		x := binary.LittleEndian.Uint64(p)
		// A high bit is set for a byte below 0x20 or above 0x7F (or,
		// through a borrow, after one): such a word is looked at byte by
		// byte.
		if (x-0x2020202020202020|x)&0x8080808080808080 != 0 {
			break
		}
	}
	for _, c := range p {
		if (c < 0x20 && c != '\t') || c > 0x7E {
			return false
		}
	}
	return true
}

// mayEndLine marks the bytes a line end str.splitlines sees starts with.
var mayEndLine = [256]bool{'\n': true, '\r': true, '\v': true, '\f': true, 0x1c: true, 0x1d: true, 0x1e: true, 0xC2: true, 0xE2: true}

// lineEndLen returns the length of the line end str.splitlines sees at
// the start of s, or 0 when there is none.
func lineEndLen(s string) int {
	switch c := s[0]; c {
	case '\r':
		if len(s) > 1 && s[1] == '\n' {
			return 2
		}
		return 1
	case '\n', '\v', '\f', 0x1c, 0x1d, 0x1e:
		return 1
	case 0xC2, 0xE2:
		switch r, n := utf8.DecodeRuneInString(s); r {
		case '\u0085', '\u2028', '\u2029':
			return n
		}
	}
	return 0
}
