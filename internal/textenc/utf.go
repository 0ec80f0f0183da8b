package textenc

import (
	"strings"
	"unicode/utf8"
)

const replacement = "\uFFFD"

// decodeUTF8 is Python's UTF-8 decoder with errors="replace": valid input is
// returned as is (one copy), and each maximal subpart of an ill-formed
// sequence (the longest prefix of a well-formed sequence, or else one byte)
// becomes one U+FFFD, as in Unicode's "U+FFFD substitution of maximal
// subparts". Encoded surrogates (ED A0..BF ..) and overlong forms are
// ill-formed, as in Python.
func decodeUTF8(p []byte) string {
	if utf8.Valid(p) {
		return string(p)
	}
	var b strings.Builder
	b.Grow(len(p) + len(p)/2)
	for i := 0; i < len(p); {
		start := i
		for i < len(p) {
			if p[i] < utf8.RuneSelf {
				i++
				continue
			}
			r, size := utf8.DecodeRune(p[i:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			i += size
		}
		b.Write(p[start:i])
		if i < len(p) {
			b.WriteString(replacement)
			i += maximalSubpart(p[i:])
		}
	}
	return b.String()
}

// maximalSubpart returns the length of the maximal subpart at the start of
// p, which must not start with a well-formed sequence: the number of bytes
// that begin a well-formed sequence (Unicode Table 3-7), at least 1.
func maximalSubpart(p []byte) int {
	lo, hi := byte(0x80), byte(0xBF) // range of the second byte
	var n int                        // length of the sequence the lead byte begins
	switch b := p[0]; {
	case 0xC2 <= b && b <= 0xDF:
		n = 2
	case b == 0xE0:
		n, lo = 3, 0xA0
	case b == 0xED:
		n, hi = 3, 0x9F
	case 0xE1 <= b && b <= 0xEF:
		n = 3
	case b == 0xF0:
		n, lo = 4, 0x90
	case b == 0xF4:
		n, hi = 4, 0x8F
	case 0xF1 <= b && b <= 0xF3:
		n = 4
	default:
		return 1
	}
	k := 1
	for k < n && k < len(p) {
		c := p[k]
		if k == 1 && (c < lo || c > hi) || k > 1 && (c < 0x80 || c > 0xBF) {
			break
		}
		k++
	}
	return k
}

// decodeUTF8Sig is Python's utf-8-sig: one leading UTF-8 BOM is dropped.
func decodeUTF8Sig(p []byte) string {
	if len(p) >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF {
		p = p[3:]
	}
	return decodeUTF8(p)
}

// byteOrder selects how 16- and 32-bit code units are read.
type byteOrder int

const (
	// detectOrder reads a BOM at the start and drops it; without one the
	// order is little-endian. (Python uses the machine's native order when
	// there is no BOM, which is little-endian on x86-64 and arm64, where the
	// oracle runs; on a big-endian machine requests would read big-endian.)
	detectOrder byteOrder = iota
	littleEndian
	bigEndian
)

func unit16(p []byte, order byteOrder) rune {
	if order == bigEndian {
		return rune(p[0])<<8 | rune(p[1])
	}
	return rune(p[1])<<8 | rune(p[0])
}

func unit32(p []byte, order byteOrder) uint32 {
	if order == bigEndian {
		return uint32(p[0])<<24 | uint32(p[1])<<16 | uint32(p[2])<<8 | uint32(p[3])
	}
	return uint32(p[3])<<24 | uint32(p[2])<<16 | uint32(p[1])<<8 | uint32(p[0])
}

// decodeUTF16 is Python's utf-16, utf-16-le and utf-16-be decoders with
// errors="replace" (PyUnicode_DecodeUTF16Stateful): a lone low surrogate or a
// high surrogate followed by a unit that is not a low surrogate becomes one
// U+FFFD and consumes that one unit; a high surrogate with no complete unit
// after it becomes one U+FFFD for the rest of the input; an odd final byte
// becomes one U+FFFD.
func decodeUTF16(p []byte, order byteOrder) string {
	if order == detectOrder {
		order = littleEndian
		if len(p) >= 2 {
			switch {
			case p[0] == 0xFF && p[1] == 0xFE:
				p = p[2:]
			case p[0] == 0xFE && p[1] == 0xFF:
				p, order = p[2:], bigEndian
			}
		}
	}
	var b strings.Builder
	b.Grow(len(p) + len(p)/2)
	i := 0
	for len(p)-i >= 2 {
		u := unit16(p[i:], order)
		i += 2
		switch {
		case u < 0xD800 || u > 0xDFFF:
			b.WriteRune(u)
		case u >= 0xDC00: // lone low surrogate
			b.WriteString(replacement)
		case len(p)-i < 2: // high surrogate at the end
			b.WriteString(replacement)
			return b.String()
		default:
			u2 := unit16(p[i:], order)
			if u2 < 0xDC00 || u2 > 0xDFFF {
				b.WriteString(replacement)
				continue
			}
			i += 2
			b.WriteRune(0x10000 + (u-0xD800)<<10 + (u2 - 0xDC00))
		}
	}
	if i < len(p) {
		b.WriteString(replacement)
	}
	return b.String()
}

// decodeUTF32 is Python's utf-32, utf-32-le and utf-32-be decoders with
// errors="replace": a unit above U+10FFFF or in the surrogate range becomes
// one U+FFFD, and 1 to 3 final bytes become one U+FFFD.
func decodeUTF32(p []byte, order byteOrder) string {
	if order == detectOrder {
		order = littleEndian
		if len(p) >= 4 {
			switch {
			case p[0] == 0xFF && p[1] == 0xFE && p[2] == 0 && p[3] == 0:
				p = p[4:]
			case p[0] == 0 && p[1] == 0 && p[2] == 0xFE && p[3] == 0xFF:
				p, order = p[4:], bigEndian
			}
		}
	}
	var b strings.Builder
	b.Grow(len(p))
	i := 0
	for ; len(p)-i >= 4; i += 4 {
		u := unit32(p[i:], order)
		if u > utf8.MaxRune || 0xD800 <= u && u <= 0xDFFF {
			b.WriteString(replacement)
			continue
		}
		b.WriteRune(rune(u))
	}
	if i < len(p) {
		b.WriteString(replacement)
	}
	return b.String()
}
