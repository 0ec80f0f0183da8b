package textenc

import (
	"bytes"
	"errors"
	"unicode/utf8"
)

// ErrUnexpectedBOM is the error [JSONText] returns when the text requests
// would hand to json.loads begins with U+FEFF. json.loads rejects such a str
// before parsing it (requests raises JSONDecodeError "Unexpected UTF-8 BOM
// (decode using utf-8-sig)"); encoding/json would reject it too, but with a
// confusing "invalid character 'ï'" error.
var ErrUnexpectedBOM = errors.New("unexpected UTF-8 BOM (decode using utf-8-sig)")

// utf8BOM is U+FEFF in UTF-8.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// JSONText returns body as the UTF-8 text that requests' Response.json()
// parses, given r.encoding as encoding ("" for both requests' None, when
// the Content-Type has no charset, and "", for "charset="):
//
//   - When encoding is "" and body is longer than 3 bytes, requests guesses
//     UTF-8, UTF-16 or UTF-32 from a BOM or from the pattern of zero bytes in
//     the first 4 bytes (requests.utils.guess_json_utf) and decodes strictly
//     with that codec; a BOM is dropped (utf-8-sig, utf-16, utf-32).
//   - Otherwise, or when no codec is guessed or the strict decoding fails,
//     requests parses r.text: body decoded with encoding as [Decode] does,
//     ill-formed input becoming U+FFFD and a BOM kept (the utf-8, utf-16-le
//     and similar codecs keep it; utf-8-sig, utf-16 and utf-32 drop one).
//
// If that text starts with U+FEFF, JSONText returns [ErrUnexpectedBOM], as
// json.loads raises then. It never returns another error.
//
// Where requests falls back to r.text with r.encoding None (no charset, and
// a body of 1 to 3 bytes or one whose guessed codec does not decode it), it
// decodes with the charset charset_normalizer guesses (r.apparent_encoding);
// JSONText does not guess and decodes UTF-8 with U+FFFD, as [Decode] does
// for "". The two agree on ASCII and on the UTF-8 the guess accepts;
// elsewhere requests gets whatever codec the guess names, often a wrong one
// (cp1006 for {"a":"caf\xe9"}, utf_16_be for the 2 bytes 00 31). With an
// empty charset ("charset=", r.encoding "") requests decodes UTF-8 there
// too, so JSONText matches it exactly.
//
// requests' r.encoding is [FromContentType]'s value. Passing tether's
// Response.Encoding instead, which is "" for text/* without a charset where
// requests has "ISO-8859-1", makes JSONText guess a UTF there, where
// requests decodes Latin-1 (a UTF-8 "é" becomes "Ã©").
//
// The result is body itself, not a copy, when body is well-formed UTF-8
// without a BOM and the codec is UTF-8 (encoding "" or a UTF-8 label), or
// when body is ASCII and the codec is an ASCII-compatible single-byte one
// (latin-1, windows-1252, ...); a UTF-8 BOM that is dropped is dropped by
// slicing. The caller must not modify the result if it must not modify body.
func JSONText(body []byte, encoding string) ([]byte, error) {
	text := jsonText(body, encoding)
	if bytes.HasPrefix(text, utf8BOM) {
		return nil, ErrUnexpectedBOM
	}
	return text, nil
}

func jsonText(body []byte, encoding string) []byte {
	if encoding == "" && len(body) > 3 {
		if text, ok := guessJSON(body); ok {
			return text
		}
		// requests: r.text with r.apparent_encoding; tether does not guess.
	}
	c, ok := lookup(encoding)
	if !ok {
		// requests' fallback for an unknown or empty name (and tether's for
		// no charset): UTF-8.
		c = codecs["utf_8"]
	}
	switch {
	case c.name == "utf_8" && utf8.Valid(body):
		return body
	case c.name == "utf_8_sig" && utf8.Valid(body):
		return bytes.TrimPrefix(body, utf8BOM)
	case c.sb != nil && c.sb.table().asciiCompatible && asciiPrefix(body) == len(body):
		return body
	}
	return []byte(c.decode(body))
}

// guessJSON decodes body, which must be longer than 3 bytes, with the codec
// requests.utils.guess_json_utf picks, in strict mode. It reports false when
// no codec is guessed or the codec rejects body.
func guessJSON(body []byte) ([]byte, bool) {
	switch label, order, n := bomOf(body); label {
	case "utf-32":
		return strictUTF32(body[n:], order)
	case "utf-8-sig":
		return body[n:], utf8.Valid(body[n:])
	case "utf-16":
		return strictUTF16(body[n:], order)
	}
	s := body[:4]
	nulls := 0
	for _, b := range s {
		if b == 0 {
			nulls++
		}
	}
	switch {
	case nulls == 0: // utf-8
		return body, utf8.Valid(body)
	case nulls == 2 && s[0] == 0 && s[2] == 0:
		return strictUTF16(body, bigEndian)
	case nulls == 2 && s[1] == 0 && s[3] == 0:
		return strictUTF16(body, littleEndian)
	case nulls == 3 && s[0] == 0 && s[1] == 0 && s[2] == 0:
		return strictUTF32(body, bigEndian)
	case nulls == 3 && s[1] == 0 && s[2] == 0 && s[3] == 0:
		return strictUTF32(body, littleEndian)
	}
	return nil, false
}

// strictUTF16 decodes p as Python's utf-16-le or utf-16-be codec with
// errors="strict": it reports false for an odd length or an unpaired
// surrogate.
func strictUTF16(p []byte, order byteOrder) ([]byte, bool) {
	if len(p)%2 != 0 {
		return nil, false
	}
	for i := 0; i < len(p); i += 2 {
		u := unit16(p[i:], order)
		if u < 0xD800 || u > 0xDFFF {
			continue
		}
		if u >= 0xDC00 || len(p)-i < 4 {
			return nil, false
		}
		if u2 := unit16(p[i+2:], order); u2 < 0xDC00 || u2 > 0xDFFF {
			return nil, false
		}
		i += 2
	}
	return []byte(decodeUTF16(p, order)), true
}

// strictUTF32 decodes p as Python's utf-32-le or utf-32-be codec with
// errors="strict": it reports false for a length that is not a multiple of
// 4, a surrogate or a unit above U+10FFFF.
func strictUTF32(p []byte, order byteOrder) ([]byte, bool) {
	if len(p)%4 != 0 {
		return nil, false
	}
	for i := 0; i < len(p); i += 4 {
		if u := unit32(p[i:], order); u > utf8.MaxRune || 0xD800 <= u && u <= 0xDFFF {
			return nil, false
		}
	}
	return []byte(decodeUTF32(p, order)), true
}

// BOMLabel returns the codec that a byte order mark at the start of body
// names, with the mark dropped when the codec decodes: "utf-32" (FF FE 00
// 00 or 00 00 FE FF), "utf-8-sig" (EF BB BF) or "utf-16" (FF FE or FE
// FF); "" when body starts with none.
func BOMLabel(body []byte) string {
	label, _, _ := bomOf(body)
	return label
}

// bomOf returns the codec a byte order mark at the start of body names (as
// BOMLabel), its byte order and its length; "" and 0 when there is none.
// UTF-32's marks are looked for first: FF FE 00 00 also starts with
// UTF-16's.
func bomOf(body []byte) (label string, order byteOrder, n int) {
	switch {
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE, 0, 0}):
		return "utf-32", littleEndian, 4
	case bytes.HasPrefix(body, []byte{0, 0, 0xFE, 0xFF}):
		return "utf-32", bigEndian, 4
	case bytes.HasPrefix(body, utf8BOM):
		return "utf-8-sig", littleEndian, len(utf8BOM)
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		return "utf-16", littleEndian, 2
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		return "utf-16", bigEndian, 2
	}
	return "", littleEndian, 0
}
