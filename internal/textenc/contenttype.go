package textenc

import "strings"

// paramStripChars is _parse_content_type_header's strip_chars.
const paramStripChars = "\"' "

// FromContentType returns the encoding requests sets as r.encoding for a
// response with this Content-Type value (requests.utils.get_encoding_from_headers):
//
//   - the last charset parameter, its name matched case-insensitively, its
//     value stripped of spaces and quotes;
//   - "ISO-8859-1" when there is no charset and the media type contains
//     "text" (a case-sensitive substring test, as in requests: "text/html"
//     and "application/context" match, "Text/HTML" does not);
//   - "utf-8" when there is no charset and the media type contains
//     "application/json";
//   - "" otherwise, including for an empty value.
//
// requests returns None for "no encoding" and "" for "charset=" with an empty
// value; both are "" here, and [Decode] decodes both as UTF-8 (requests
// decodes the "" case as UTF-8 too, and guesses for None).
//
// When a response has several Content-Type fields, pass them joined with
// ", ", which is the value requests sees (urllib3's HTTPHeaderDict).
func FromContentType(contentType string) string {
	if contentType == "" {
		return ""
	}
	mediaType, params, _ := strings.Cut(contentType, ";")
	mediaType = pyStripSpace(mediaType)

	charset, hasCharset := "", false
	for params != "" {
		var param string
		param, params, _ = strings.Cut(params, ";")
		param = pyStripSpace(param)
		key, value, ok := strings.Cut(param, "=")
		if !ok {
			continue
		}
		if asciiLowerEquals(strings.Trim(key, paramStripChars), "charset") {
			charset, hasCharset = strings.Trim(value, paramStripChars), true
		}
	}
	switch {
	case hasCharset:
		return strings.Trim(charset, "'\"")
	case strings.Contains(mediaType, "text"):
		return "ISO-8859-1"
	case strings.Contains(mediaType, "application/json"):
		return "utf-8"
	}
	return ""
}

// isPySpace reports whether the Latin-1 character b is white space for
// Python's str.isspace (and so removed by str.strip()).
func isPySpace(b byte) bool {
	switch b {
	case '\t', '\n', '\v', '\f', '\r', 0x1c, 0x1d, 0x1e, 0x1f, ' ', 0x85, 0xa0:
		return true
	}
	return false
}

// pyStripSpace is Python's str.strip() with no argument, applied to the
// Latin-1 reading of s.
func pyStripSpace(s string) string {
	i, j := 0, len(s)
	for i < j && isPySpace(s[i]) {
		i++
	}
	for j > i && isPySpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// asciiLowerEquals reports whether s lowered as Python lowers a Latin-1
// string equals lower, which must be lower-case ASCII. No Latin-1 letter
// other than A-Z lowers to ASCII, so ASCII case folding is exact here (unlike
// strings.EqualFold, which would fold "ſ" to "s").
func asciiLowerEquals(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
