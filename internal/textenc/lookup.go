package textenc

import (
	"bytes"
	"strings"
)

// appendNormalized appends label normalised as CPython's codecs.lookup
// normalises a codec name (_Py_normalize_encoding, then
// encodings.normalize_encoding): ASCII letters are lower-cased, ASCII
// letters, digits and '.' are kept, and every run of other bytes (including
// all bytes >= 0x80) becomes one '_', except at the start and the end, where
// it is dropped.
func appendNormalized(dst []byte, label string) []byte {
	start := len(dst)
	punct := false
	for i := 0; i < len(label); i++ {
		c := label[i]
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '.':
		default:
			punct = true
			continue
		}
		if punct && len(dst) > start {
			dst = append(dst, '_')
		}
		punct = false
		dst = append(dst, c)
	}
	return dst
}

// normalizeLabel returns label normalised as by appendNormalized.
func normalizeLabel(label string) string {
	return string(appendNormalized(nil, label))
}

// lookup finds the codec Python would use for label, following
// encodings.search_function: the normalised name is looked up in the alias
// table (as is, then with '.' replaced by '_'), and the alias target, or else
// the normalised name itself, is taken as a codec module name; a module name
// containing '.' is never imported. It reports false for a name Python does
// not know and for a Python codec this package does not implement.
func lookup(label string) (*codec, bool) {
	var buf [32]byte
	if strings.IndexByte(label, 0) >= 0 {
		// Python raises ValueError ("embedded null character") before any
		// lookup, and requests lets it propagate. Treated as unknown here.
		return nil, false
	}
	norm := appendNormalized(buf[:0], label)
	target, ok := aliases[string(norm)]
	hasDot := bytes.IndexByte(norm, '.') >= 0
	if !ok && hasDot {
		target, ok = aliases[string(bytes.ReplaceAll(norm, []byte("."), []byte("_")))]
	}
	if ok {
		if c := codecs[target]; c != nil {
			return c, true
		}
	}
	if hasDot {
		return nil, false
	}
	c := codecs[string(norm)]
	return c, c != nil
}
