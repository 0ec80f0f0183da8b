package textenc

import (
	"encoding/binary"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// codec is the implementation of one Python codec module.
type codec struct {
	name   string // Python's module name in the encodings package
	decode func([]byte) string
	// approx marks a codec decoded with a golang.org/x/text decoder whose
	// table or error handling differs from Python's in places.
	approx bool
	// sb is the table of a single-byte codec; nil for other codecs.
	sb *singleByte
}

// codecs maps Python codec module names to their implementations.
var codecs = map[string]*codec{}

func register(name string, decode func([]byte) string) *codec {
	c := &codec{name: name, decode: decode}
	codecs[name] = c
	return c
}

func registerSingleByte(name string, s *singleByte) {
	register(name, s.decode).sb = s
}

func init() {
	register("utf_8", decodeUTF8)
	register("utf_8_sig", decodeUTF8Sig)
	register("utf_16", func(p []byte) string { return decodeUTF16(p, detectOrder) })
	register("utf_16_le", func(p []byte) string { return decodeUTF16(p, littleEndian) })
	register("utf_16_be", func(p []byte) string { return decodeUTF16(p, bigEndian) })
	register("utf_32", func(p []byte) string { return decodeUTF32(p, detectOrder) })
	register("utf_32_le", func(p []byte) string { return decodeUTF32(p, littleEndian) })
	register("utf_32_be", func(p []byte) string { return decodeUTF32(p, bigEndian) })

	registerSingleByte("ascii", &singleByte{cm: charmap.ISO8859_1, asciiOnly: true})
	latin1 := &singleByte{cm: charmap.ISO8859_1}
	registerSingleByte("latin_1", latin1)
	registerSingleByte("iso8859_1", latin1)
	// The charmap codec without a mapping table, as str(b, "charmap") uses
	// it, is Latin-1.
	registerSingleByte("charmap", latin1)

	// Python's ISO-8859 codecs map 0x80-0x9F to the C1 controls; the x/text
	// tables leave them undefined.
	for name, cm := range map[string]*charmap.Charmap{
		"iso8859_2": charmap.ISO8859_2, "iso8859_3": charmap.ISO8859_3,
		"iso8859_4": charmap.ISO8859_4, "iso8859_5": charmap.ISO8859_5,
		"iso8859_6": charmap.ISO8859_6, "iso8859_7": charmap.ISO8859_7,
		"iso8859_8": charmap.ISO8859_8, "iso8859_9": charmap.ISO8859_9,
		"iso8859_10": charmap.ISO8859_10, "iso8859_13": charmap.ISO8859_13,
		"iso8859_14": charmap.ISO8859_14, "iso8859_15": charmap.ISO8859_15,
		"iso8859_16": charmap.ISO8859_16,
		// ISO-8859-11 is Windows-874 without Microsoft's additions in
		// 0x80-0x9F, which are C1 controls instead.
		"iso8859_11": charmap.Windows874,
	} {
		registerSingleByte(name, &singleByte{cm: cm, c1Controls: true})
	}
	// TIS-620 is ISO-8859-11 without the no-break space at 0xA0.
	registerSingleByte("tis_620", &singleByte{cm: charmap.Windows874, c1Controls: true,
		overrides: map[byte]rune{0xA0: utf8.RuneError}})

	for name, cm := range map[string]*charmap.Charmap{
		"cp037": charmap.CodePage037, "cp1140": charmap.CodePage1140,
		"cp437": charmap.CodePage437, "cp850": charmap.CodePage850,
		"cp852": charmap.CodePage852, "cp855": charmap.CodePage855,
		"cp858": charmap.CodePage858, "cp860": charmap.CodePage860,
		"cp862": charmap.CodePage862, "cp863": charmap.CodePage863,
		"cp865": charmap.CodePage865, "cp866": charmap.CodePage866,
		"cp874": charmap.Windows874, "cp1250": charmap.Windows1250,
		"cp1251": charmap.Windows1251, "cp1252": charmap.Windows1252,
		"cp1253": charmap.Windows1253, "cp1254": charmap.Windows1254,
		"cp1256": charmap.Windows1256, "cp1257": charmap.Windows1257,
		"cp1258": charmap.Windows1258, "koi8_r": charmap.KOI8R,
		"mac_roman": charmap.Macintosh, "mac_cyrillic": charmap.MacintoshCyrillic,
	} {
		registerSingleByte(name, &singleByte{cm: cm})
	}
	// Python's cp1255 leaves 0xCA undefined; WHATWG's maps it to U+05BA.
	registerSingleByte("cp1255", &singleByte{cm: charmap.Windows1255,
		overrides: map[byte]rune{0xCA: utf8.RuneError}})
	// Python's koi8_u is RFC 2319's KOI8-U; WHATWG's (x/text's) puts the
	// Belarusian short U at 0xAE and 0xBE, where RFC 2319 has box drawings.
	registerSingleByte("koi8_u", &singleByte{cm: charmap.KOI8U,
		overrides: map[byte]rune{0xAE: '\u255D', 0xBE: '\u256C'}})

	for name, e := range map[string]encoding.Encoding{
		"shift_jis": japanese.ShiftJIS, "cp932": japanese.ShiftJIS,
		"euc_jp": japanese.EUCJP, "iso2022_jp": japanese.ISO2022JP,
		"gb2312": simplifiedchinese.GBK, "gbk": simplifiedchinese.GBK,
		"gb18030": simplifiedchinese.GB18030, "hz": simplifiedchinese.HZGB2312,
		"big5": traditionalchinese.Big5, "cp950": traditionalchinese.Big5,
		"big5hkscs": traditionalchinese.Big5,
		"euc_kr":    korean.EUCKR, "cp949": korean.EUCKR,
	} {
		register(name, xtextDecoder(e)).approx = true
	}
}

// xtextDecoder decodes with an x/text decoder, which replaces ill-formed
// input with U+FFFD itself.
func xtextDecoder(e encoding.Encoding) func([]byte) string {
	return func(p []byte) string {
		out, err := e.NewDecoder().Bytes(p)
		if err != nil {
			// The x/text CJK decoders report no errors; should one ever
			// do so, fall back to requests' fallback codec.
			return decodeUTF8(p)
		}
		return string(out)
	}
}

// singleByte is a single-byte codec: an x/text table, adjusted where
// Python's codec differs from it.
type singleByte struct {
	cm *charmap.Charmap
	// asciiOnly makes bytes >= 0x80 undefined (Python's ascii codec).
	asciiOnly bool
	// c1Controls maps 0x80-0x9F to U+0080-U+009F.
	c1Controls bool
	// overrides replaces single entries; utf8.RuneError means undefined.
	overrides map[byte]rune

	once sync.Once
	t    *byteTable
}

// byteTable holds the UTF-8 encoding of each byte's character.
type byteTable struct {
	enc [256][utf8.UTFMax]byte
	n   [256]uint8
	// asciiCompatible reports whether bytes 0x00-0x7F decode to themselves.
	asciiCompatible bool
	// lineSafe reports whether "\n" and "\r" decode from their own bytes
	// and from no other (not so in EBCDIC).
	lineSafe bool
}

func (s *singleByte) table() *byteTable {
	s.once.Do(func() {
		t := &byteTable{asciiCompatible: true, lineSafe: true}
		for i := 0; i < 256; i++ {
			b := byte(i)
			r := s.cm.DecodeByte(b)
			switch {
			case s.asciiOnly && b >= 0x80:
				r = utf8.RuneError
			case s.c1Controls && 0x80 <= b && b <= 0x9F:
				r = rune(b)
			}
			if o, ok := s.overrides[b]; ok {
				r = o
			}
			if b < 0x80 && r != rune(b) {
				t.asciiCompatible = false
			}
			if (r == '\n') != (b == '\n') || (r == '\r') != (b == '\r') {
				t.lineSafe = false
			}
			t.n[i] = uint8(utf8.EncodeRune(t.enc[i][:], r))
		}
		s.t = t
	})
	return s.t
}

func (s *singleByte) decode(p []byte) string {
	t := s.table()
	i := 0
	if t.asciiCompatible {
		if i = asciiPrefix(p); i == len(p) {
			return string(p)
		}
	}
	size := i
	for _, c := range p[i:] {
		size += int(t.n[c])
	}
	buf := make([]byte, i, size)
	copy(buf, p[:i])
	for _, c := range p[i:] {
		if c < utf8.RuneSelf && t.asciiCompatible {
			buf = append(buf, c)
			continue
		}
		buf = append(buf, t.enc[c][:t.n[c]]...)
	}
	return string(buf)
}

// asciiPrefix returns the length of the longest prefix of p that is ASCII.
func asciiPrefix(p []byte) int {
	i := 0
	for ; len(p)-i >= 8; i += 8 {
		if binary.LittleEndian.Uint64(p[i:])&0x8080808080808080 != 0 {
			break
		}
	}
	for ; i < len(p); i++ {
		if p[i] >= utf8.RuneSelf {
			break
		}
	}
	return i
}
