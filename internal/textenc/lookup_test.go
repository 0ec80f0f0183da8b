package textenc

import (
	"slices"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// unsupportedCodecs are the Python text codecs that Decode does not
// implement: a label naming one decodes as UTF-8 here. (idna and undefined
// make requests' r.text raise; punycode raises for non-ASCII input.)
var unsupportedCodecs = []string{
	"cp1006", "cp1026", "cp1125", "cp273", "cp424", "cp500", "cp720", "cp737",
	"cp775", "cp856", "cp857", "cp861", "cp864", "cp869", "cp875",
	"euc_jis_2004", "euc_jisx0213", "hp_roman8", "idna",
	"iso2022_jp_1", "iso2022_jp_2", "iso2022_jp_2004", "iso2022_jp_3",
	"iso2022_jp_ext", "iso2022_kr", "johab", "koi8_t", "kz1048",
	"mac_arabic", "mac_croatian", "mac_farsi", "mac_greek", "mac_iceland",
	"mac_latin2", "mac_romanian", "mac_turkish", "palmos", "ptcp154",
	"punycode", "raw_unicode_escape", "shift_jis_2004", "shift_jisx0213",
	"undefined", "unicode_escape", "utf_7",
}

// lookupCases are labels and the Python codec module they select, "" for
// none (requests then decodes UTF-8).
var lookupCases = []struct{ name, label, want string }{
	{"canonical", "utf-8", "utf_8"},
	{"upper case", "UTF-8", "utf_8"},
	{"underscore", "utf_8", "utf_8"},
	{"space", "utf 8", "utf_8"},
	{"padded", "  utf-8\t", "utf_8"},
	{"collapsed punctuation", "utf--8", "utf_8"},
	{"no separator", "UTF8", "utf_8"},
	{"alias u8", "u8", "utf_8"},
	{"cp65001", "cp65001", "utf_8"},
	{"trailing non-ASCII dropped", "utf-8\xe9", "utf_8"},
	{"leading non-ASCII dropped", "\xfctf-8", ""},
	{"no-break space separator", "utf\xa08", "utf_8"},
	{"dot is not a separator", "utf.8", ""},
	{"dotted alias", "ansi_x3.4-1968", "ascii"},
	{"dotted alias with underscore", "iso_646.irv:1991", "ascii"},
	{"trailing dot", "cp1252.", ""},
	{"embedded NUL", "utf-8\x00", ""},
	{"empty", "", ""},
	{"sig", "UTF-8-SIG", "utf_8_sig"},
	{"utf-16", "UTF-16", "utf_16"},
	{"utf-16le", "utf-16le", "utf_16_le"},
	{"UTF-16BE", "UTF-16BE", "utf_16_be"},
	{"unicodebigunmarked", "UnicodeBigUnmarked", "utf_16_be"},
	{"ucs-2 unknown", "ucs-2", ""},
	{"utf-32", "utf32", "utf_32"},
	{"latin-1", "latin-1", "latin_1"},
	{"ISO-8859-1", "ISO-8859-1", "latin_1"},
	{"iso8859_1 is an alias", "iso8859_1", "latin_1"},
	{"iso-8859-1:1987", "ISO_8859-1:1987", "latin_1"},
	{"l1", "L1", "latin_1"},
	{"8859", "8859", "latin_1"},
	{"us-ascii", "US-ASCII", "ascii"},
	{"646", "646", "ascii"},
	{"windows-1252", "windows-1252", "cp1252"},
	{"cp1252", "CP1252", "cp1252"},
	{"1252", "1252", "cp1252"},
	{"cp-1252 unknown", "cp-1252", ""},
	{"win1252 unknown", "win1252", ""},
	{"windows-874 unknown", "windows-874", ""},
	{"cp874", "cp874", "cp874"},
	{"iso-8859-15", "ISO-8859-15", "iso8859_15"},
	{"latin9", "latin9", "iso8859_15"},
	{"iso-8859-11", "iso-8859-11", "iso8859_11"},
	{"tis-620", "TIS-620", "tis_620"},
	{"koi8-r", "KOI8-R", "koi8_r"},
	{"koi8-u", "koi8-u", "koi8_u"},
	{"macintosh", "macintosh", "mac_roman"},
	{"x-mac-cyrillic unknown", "x-mac-cyrillic", ""},
	{"shift_jis", "Shift_JIS", "shift_jis"},
	{"x-sjis unknown", "x-sjis", ""},
	{"windows-31j unknown", "windows-31j", ""},
	{"ms932", "MS932", "cp932"},
	{"euc-jp", "EUC-JP", "euc_jp"},
	{"iso-2022-jp", "ISO-2022-JP", "iso2022_jp"},
	{"gb2312", "GB2312", "gb2312"},
	{"gbk", "GBK", "gbk"},
	{"gb18030", "GB18030", "gb18030"},
	{"hz-gb-2312", "HZ-GB-2312", "hz"},
	{"big5", "Big5", "big5"},
	{"big5-hkscs", "Big5-HKSCS", "big5hkscs"},
	{"euc-kr", "EUC-KR", "euc_kr"},
	{"ks_c_5601-1987", "ks_c_5601-1987", "euc_kr"},
	{"uhc", "UHC", "cp949"},
	{"x-user-defined unknown", "x-user-defined", ""},
	{"unicode-1-1-utf-8 unknown", "unicode-1-1-utf-8", ""},
	{"base64 not a text encoding", "base64", ""},
	{"rot13 not a text encoding", "rot13", ""},
	{"bogus", "no-such-charset", ""},
	{"unsupported utf-7", "utf-7", ""},
	{"unsupported mac greek", "macgreek", ""},
}

func lookupName(label string) string {
	if c, ok := lookup(label); ok {
		return c.name
	}
	return ""
}

func TestLookup(t *testing.T) {
	for _, tc := range lookupCases {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, lookupName(tc.label)); diff != "" {
				t.Errorf("lookup(%q) mismatch (-want +got):\n%s", tc.label, diff)
			}
		})
	}
}

func TestNormalizeLabel(t *testing.T) {
	for _, tc := range []struct{ name, label, want string }{
		{"empty", "", ""},
		{"lower-cased", "UTF-8", "utf_8"},
		{"runs collapsed", " -;#utf - 8 :", "utf_8"},
		{"dots kept", "ISO_646.IRV:1991", "iso_646.irv_1991"},
		{"non-ASCII is punctuation", "\xc3\xbctf\xa08", "tf_8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, normalizeLabel(tc.label)); diff != "" {
				t.Errorf("normalizeLabel(%q) mismatch (-want +got):\n%s", tc.label, diff)
			}
		})
	}
}

// TestLookupMatchesPython resolves every label of lookupCases, every key of
// Python's alias table and every codec module name with both Python and
// lookup. Where lookup finds a codec it must be Python's; where it finds none,
// Python must find none either (requests then decodes UTF-8) or name one of
// unsupportedCodecs, and every one of those must be reached.
func TestLookupMatchesPython(t *testing.T) {
	var labels [][]byte
	for _, tc := range lookupCases {
		labels = append(labels, []byte(tc.label))
	}
	// Each result is [label, module]; module is "" when str() would raise
	// LookupError and "error:<type>" for another exception.
	var got [][2]string
	runPython(t, `
import codecs, encodings, pkgutil
from encodings.aliases import aliases
labels = [b(l).decode("latin-1") for l in cases]
labels += sorted(aliases) + sorted(m.name for m in pkgutil.iter_modules(encodings.__path__))
out = []
for l in labels:
    try:
        info = codecs.lookup(l)
        mod = info.incrementaldecoder.__module__.split(".", 1)[1] if info._is_text_encoding else ""
    except LookupError:
        mod = ""
    except Exception as e:
        mod = "error:" + type(e).__name__
    out.append([latin1(l), mod])
print(json.dumps(out))
`, labels, &got)

	if len(got) < len(lookupCases)+300 {
		t.Fatalf("oracle returned %d labels, want at least %d", len(got), len(lookupCases)+300)
	}
	for i, tc := range lookupCases {
		want := got[i][1]
		if want == "error:ValueError" && tc.label == "utf-8\x00" {
			want = "" // requests raises; documented difference
		}
		if slices.Contains(unsupportedCodecs, want) {
			want = ""
		}
		if diff := cmp.Diff(want, tc.want); diff != "" {
			t.Errorf("lookupCases[%q]: table disagrees with Python for %q (-python +table):\n%s", tc.name, tc.label, diff)
		}
	}
	reached := make(map[string]bool)
	for _, r := range got {
		label, pyName := unbase64(t, r[0]), r[1]
		goName := lookupName(label)
		switch {
		case goName == pyName:
		case goName == "" && slices.Contains(unsupportedCodecs, pyName):
			reached[pyName] = true
		case goName == "" && pyName == "error:ValueError" && label == "utf-8\x00":
		default:
			t.Errorf("lookup(%q) = %q, Python uses %q", label, goName, pyName)
		}
	}
	var notReached []string
	for _, name := range unsupportedCodecs {
		if !reached[name] {
			notReached = append(notReached, name)
		}
	}
	sort.Strings(notReached)
	if len(notReached) > 0 {
		t.Errorf("unsupportedCodecs lists codecs Python does not have (or that are implemented): %q", notReached)
	}
}
