package textenc

// LineSafe reports whether a body in the codec that label names (resolved
// as [Decode] resolves it) can be split into lines before it is decoded:
// its bytes "\n" and "\r" decode to "\n" and "\r" wherever they stand, no
// other byte or sequence decodes to either, and how a line decodes does
// not depend on the lines before it. Decoding such a body's lines one by
// one with [LineDecoder] then gives the lines of the body's decoding. It
// is so for UTF-8, the single-byte codecs but the EBCDIC ones, and the
// CJK multi-byte codecs other than ISO-2022-JP and HZ, whose escapes hold
// a state across lines; it is not so for UTF-16 and UTF-32.
func LineSafe(label string) bool {
	c, ok := lookup(label)
	if !ok {
		return true // decoded as UTF-8
	}
	if c.sb != nil {
		return c.sb.table().lineSafe
	}
	switch c.name {
	case "utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be", "iso2022_jp", "hz":
		return false
	}
	return true
}

// LineDecoder returns the function that decodes the lines of a body that
// [LineSafe] allows to split, one by one, as [Decode] decodes the whole
// body with label; first says whether a line is the body's first, where
// a UTF-8-sig byte order mark is dropped. The label is looked up once.
func LineDecoder(label string) func(line []byte, first bool) string {
	c, ok := lookup(label)
	switch {
	case !ok:
		return func(line []byte, _ bool) string { return decodeUTF8(line) }
	case c.name == "utf_8_sig":
		return func(line []byte, first bool) string {
			if first {
				return decodeUTF8Sig(line)
			}
			return decodeUTF8(line)
		}
	}
	return func(line []byte, _ bool) string {
		if len(line) == 0 {
			return ""
		}
		return c.decode(line)
	}
}
