package textenc

// Decode returns body decoded as requests' r.text decodes it when r.encoding
// is label: str(body, label, errors="replace"), where the label is resolved
// as Python's codecs.lookup resolves it (ASCII case-insensitive; runs of
// characters other than ASCII letters, digits and '.' are equivalent to one
// "_" and ignored at either end, so "UTF-8", "utf_8", " Utf 8 " and "utf8"
// are one codec; then Python's alias table). For a label Python does not
// know, or one naming a codec that is not a text encoding ("base64",
// "rot13"), requests falls back to str(body, errors="replace"), which is
// UTF-8; so does Decode, and also for an empty label (see the package
// documentation) and for a Python codec not implemented here.
//
// Implemented codecs, identical to Python for every input (checked
// exhaustively or by randomised differential tests against CPython):
//
//   - utf-8 (ill-formed input: one U+FFFD per maximal subpart, as Python),
//     utf-8-sig, utf-16, utf-16-le, utf-16-be, utf-32, utf-32-le, utf-32-be
//     (utf-16 and utf-32 without a BOM read little-endian);
//   - ascii (bytes >= 0x80 become U+FFFD), latin-1 / iso-8859-1 (true
//     ISO-8859-1: 0x80-0x9F are U+0080-U+009F, not windows-1252 as WHATWG
//     and browsers have it), charmap;
//   - iso8859-2 to -11 and -13 to -16, tis-620, cp874, cp1250 to cp1258,
//     koi8-r, koi8-u, mac-roman, mac-cyrillic, and the DOS and EBCDIC code
//     pages cp037, cp437, cp850, cp852, cp855, cp858, cp860, cp862, cp863,
//     cp865, cp866, cp1140.
//
// Implemented with golang.org/x/text's decoders, which follow the WHATWG
// Encoding Standard and agree with Python on valid text in the base character
// set (checked against CPython) but differ elsewhere: shift_jis and cp932,
// euc_jp, iso2022_jp, gb2312, gbk, gb18030, hz, big5, cp950, big5hkscs,
// euc_kr and cp949. The differences:
//
//   - ill-formed input: the number of U+FFFD a bad sequence yields and
//     whether a bad trail byte is consumed (Python: EUC-JP 8E E0 is two
//     U+FFFD, here one);
//   - vendor extensions that Python's stricter codec rejects are decoded:
//     cp932's NEC and IBM rows under the shift_jis label, GBK under gb2312,
//     UHC under euc_kr, HKSCS under big5; 0x80 is U+0080 in shift_jis and €
//     in gbk/gb2312;
//   - a few characters both accept map differently: Shift_JIS 81 60, 81 61,
//     81 7C, 81 91, 81 92, 81 CA (and the same EUC-JP code points) are
//     U+FF5E U+2225 U+FF0D U+FFE0 U+FFE1 U+FFE2 here (cp932's mapping) and
//     U+301C U+2016 U+2212 U+00A2 U+00A3 U+00AC in Python's shift_jis and
//     euc_jp; GB2312 A1 A4 and A1 AA, GB18030 A3 A0, 11 Big5 punctuation
//     code points (big5 only) and 249 code points in C6 A1 to C7 FC (big5
//     and cp950, plus F9 FE in cp950) differ too.
func Decode(body []byte, label string) string {
	if len(body) == 0 {
		return ""
	}
	if c, ok := lookup(label); ok {
		return c.decode(body)
	}
	return decodeUTF8(body)
}
