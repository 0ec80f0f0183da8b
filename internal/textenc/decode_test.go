package textenc

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// byteRange returns the bytes lo..hi.
func byteRange(lo, hi int) []byte {
	var b []byte
	for i := lo; i <= hi; i++ {
		b = append(b, byte(i))
	}
	return b
}

func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		name, label string
		body        []byte
		want        string
	}{
		{"empty body", "utf-16", nil, ""},
		{"utf-8", "utf-8", []byte("h\xc3\xa9llo \xe2\x82\xac"), "héllo €"},
		{"utf-8 kept U+FFFD", "utf-8", []byte("\xef\xbf\xbd"), "\uFFFD"},
		{"utf-8 truncated sequence is one U+FFFD", "utf-8", []byte("a\xe2\x82b"), "a\uFFFDb"},
		{"utf-8 truncated at end", "utf-8", []byte("\xf0\x9f\x98"), "\uFFFD"},
		{"utf-8 surrogate is three U+FFFD", "utf-8", []byte("\xed\xa0\x80"), "\uFFFD\uFFFD\uFFFD"},
		{"utf-8 overlong", "utf-8", []byte("\xc0\xaf"), "\uFFFD\uFFFD"},
		{"utf-8 above U+10FFFF", "utf-8", []byte("\xf4\x90\x80\x80"), "\uFFFD\uFFFD\uFFFD\uFFFD"},
		{"utf-8 BOM kept", "utf-8", []byte("\xef\xbb\xbfhi"), "\uFEFFhi"},
		{"utf-8-sig drops one BOM", "utf-8-sig", []byte("\xef\xbb\xbf\xef\xbb\xbfhi"), "\uFEFFhi"},
		{"latin-1 C1 range", "ISO-8859-1", []byte{'a', 0x80, 0x9f, 0xe9}, "a\u0080\u009fé"},
		{"windows-1252", "windows-1252", []byte{0x80, 0x81, 0x9f}, "€\uFFFDŸ"},
		{"ascii high bytes", "us-ascii", []byte("caf\xe9\x80"), "caf\uFFFD\uFFFD"},
		{"iso-8859-2 C1 range", "iso-8859-2", []byte{0x85, 0xa1}, "\u0085Ą"},
		{"iso-8859-15 euro", "latin9", []byte{0xa4}, "€"},
		{"koi8-r", "koi8-r", []byte("\xf0\xd2\xc9\xd7\xc5\xd4"), "Привет"},
		{"koi8-u box drawing", "koi8-u", []byte{0xae, 0xbe, 0xa4}, "╝╬є"},
		{"cp1255 undefined 0xCA", "windows-1255", []byte{0xca, 0xe0}, "\uFFFDא"},
		{"tis-620 0xA0 undefined", "tis-620", []byte{0xa0, 0xa1}, "\uFFFDก"},
		{"iso-8859-11 0xA0", "iso-8859-11", []byte{0xa0, 0x80}, "\u00a0\u0080"},
		{"cp037 EBCDIC", "cp037", []byte{0xc8, 0x85, 0x93, 0x93, 0x96}, "Hello"},
		{"utf-16 BOM LE", "utf-16", []byte("\xff\xfeh\x00i\x00"), "hi"},
		{"utf-16 BOM BE", "utf-16", []byte("\xfe\xff\x00h\x00i"), "hi"},
		{"utf-16 no BOM is LE", "utf-16", []byte("h\x00i\x00"), "hi"},
		{"utf-16 second BOM kept", "utf-16", []byte("\xff\xfe\xff\xfeh\x00"), "\uFEFFh"},
		{"utf-16-le BOM kept", "utf-16-le", []byte("\xff\xfeh\x00"), "\uFEFFh"},
		{"utf-16 pair", "utf-16-le", []byte("\x3d\xd8\x00\xde"), "😀"},
		{"utf-16 odd byte", "utf-16-le", []byte("h\x00i"), "h\uFFFD"},
		{"utf-16 lone low", "utf-16-le", []byte("\x00\xdch\x00"), "\uFFFDh"},
		{"utf-16 high then high then low", "utf-16-le", []byte("\x00\xd8\x00\xd8\x00\xdc"), "\uFFFD\U00010000"},
		{"utf-16 high at end with odd byte", "utf-16-le", []byte("\x00\xd8h"), "\uFFFD"},
		{"utf-32 BOM", "utf-32", []byte("\x00\x00\xfe\xff\x00\x00\x00h"), "h"},
		{"utf-32 out of range", "utf-32-le", []byte("\x00\x00\x11\x00h\x00\x00\x00"), "\uFFFDh"},
		{"utf-32 surrogate", "utf-32-be", []byte("\x00\x00\xd8\x00"), "\uFFFD"},
		{"utf-32 truncated", "utf-32-le", []byte("h\x00\x00\x00i\x00"), "h\uFFFD"},
		{"shift_jis", "Shift_JIS", []byte("\x93\xfa\x96\x7b"), "日本"},
		{"empty label is UTF-8", "", []byte("caf\xc3\xa9 caf\xe9"), "café caf\uFFFD"},
		{"unknown label is UTF-8", "x-unknown", []byte("caf\xc3\xa9 caf\xe9"), "café caf\uFFFD"},
		{"non-text codec is UTF-8", "base64", []byte("aGk="), "aGk="},
		{"unsupported codec is UTF-8", "utf-7", []byte("+AOk-"), "+AOk-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Decode(tc.body, tc.label)); diff != "" {
				t.Errorf("Decode(%q, %q) mismatch (-want +got):\n%s", tc.body, tc.label, diff)
			}
		})
	}
}

// codecNames returns the names of the registered codecs, sorted, that are
// (approx true) or are not (approx false) approximations.
func codecNames(approx bool) []string {
	var names []string
	for name, c := range codecs {
		if c.approx == approx {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// decodeCase is one input for the differential decoding tests.
type decodeCase struct {
	Name  string
	Label string
	Data  []byte
}

// pythonDecode returns str(data, label, errors="replace") for each case, as
// requests' r.text computes it when r.encoding is label (with its fallback
// to UTF-8 on LookupError).
func pythonDecode(t *testing.T, cases []decodeCase) []string {
	t.Helper()
	var got [][]byte
	runPython(t, `
out = []
for c in cases:
    r = requests.models.Response()
    r._content = b(c["Data"])
    r.encoding = c["Label"]
    out.append(utf8(r.text))
print(json.dumps(out))
`, cases, &got)
	if len(got) != len(cases) {
		t.Fatalf("oracle returned %d results for %d cases", len(got), len(cases))
	}
	out := make([]string, len(got))
	for i, g := range got {
		out[i] = string(g)
	}
	return out
}

// checkDecode compares Decode with Python for each case.
func checkDecode(t *testing.T, cases []decodeCase) {
	t.Helper()
	want := pythonDecode(t, cases)
	for i, c := range cases {
		if got := Decode(c.Data, c.Label); got != want[i] {
			t.Errorf("%s: Decode(%q, %q) mismatch (-python +got):\n%s", c.Name, c.Data, c.Label, cmp.Diff(want[i], got))
		}
	}
}

// edgeInputs are byte strings that exercise every exact codec.
func edgeInputs() map[string][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	all := byteRange(0, 255)
	reversed := slices.Clone(all)
	slices.Reverse(reversed)
	return map[string][]byte{
		"ascii":            []byte("Hello, World! 0123 <p>&amp;</p>\r\n"),
		"all bytes":        all,
		"all bytes odd":    all[1:],
		"all bytes rev":    reversed,
		"C1 range":         byteRange(0x80, 0x9f),
		"latin-1 text":     []byte("caf\xe9 na\xefve \xa0\xff"),
		"utf-8 text":       []byte("héllo wörld € 𝄞 日本 \u2028"),
		"utf-8 ill-formed": []byte("\xe2\x82|\xf0\x9f\x98|\xed\xa0\x80|\xc0\xaf|\xf4\x90\x80\x80|\xf8\x88\x80\x80\x80|\xe0\x80\x80|\xff\xfe|\xc2"),
		"utf-8 BOM":        []byte("\xef\xbb\xbf\xef\xbb\xbfhi"),
		"utf-8 BOM part":   []byte("\xef\xbbhi"),
		"utf-16le BOM":     []byte("\xff\xfeh\x00\xe9\x00=\xd8\x00\xde"),
		"utf-16be BOM":     []byte("\xfe\xff\x00h\x00\xe9\xd8=\xde\x00"),
		"utf-16 lone":      []byte("\x00\xd8A\x00\x00\xdcB\x00\x00\xd8"),
		"utf-32le BOM":     []byte("\xff\xfe\x00\x00h\x00\x00\x00\x00\xf6\x01\x00"),
		"utf-32be BOM":     []byte("\x00\x00\xfe\xff\x00\x00\x00h\x00\x01\xf6\x00"),
		"utf-32 invalid":   []byte("\x00\xd8\x00\x00\x00\x00\x11\x00\xff\xff\xff\xffh\x00\x00"),
		"random":           random,
	}
}

// TestExactCodecsMatchPython decodes edge inputs, including every byte
// value, with every exact codec. A single-byte codec decodes each byte to one
// character whatever surrounds it, so the "all bytes" input checks its whole
// table.
func TestExactCodecsMatchPython(t *testing.T) {
	inputs := edgeInputs()
	var cases []decodeCase
	for _, name := range codecNames(false) {
		for _, in := range slices.Sorted(mapsKeys(inputs)) {
			cases = append(cases, decodeCase{Name: name + "/" + in, Label: name, Data: inputs[in]})
		}
	}
	checkDecode(t, cases)
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestUTFCodecsRandomMatchPython decodes random strings over alphabets of
// bytes that matter to each UTF codec's error handling.
func TestUTFCodecsRandomMatchPython(t *testing.T) {
	utf8Bytes := []byte{'A', 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xef, 0xbb, 0xf0, 0xf4, 0xf5, 0xff}
	utf16Bytes := []byte{'A', 0x00, 0xd8, 0xdb, 0xdc, 0xdf, 0xfe, 0xff}
	utf32Bytes := []byte{'A', 0x00, 0x00, 0x10, 0x11, 0xd8, 0xfe, 0xff}
	rng := rand.New(rand.NewPCG(3, 4))
	var cases []decodeCase
	for _, g := range []struct {
		labels   []string
		alphabet []byte
	}{
		{[]string{"utf-8", "utf-8-sig"}, utf8Bytes},
		{[]string{"utf-16", "utf-16-le", "utf-16-be"}, utf16Bytes},
		{[]string{"utf-32", "utf-32-le", "utf-32-be"}, utf32Bytes},
	} {
		for _, label := range g.labels {
			for i := 0; i < 1500; i++ {
				data := make([]byte, rng.IntN(14))
				for j := range data {
					data[j] = g.alphabet[rng.IntN(len(g.alphabet))]
				}
				cases = append(cases, decodeCase{Name: label, Label: label, Data: data})
			}
		}
	}
	checkDecode(t, cases)
}

// TestApproxCodecsValidTextMatchesPython encodes sample texts with Python's
// codec and checks that the x/text decoders read them back as Python does.
func TestApproxCodecsValidTextMatchesPython(t *testing.T) {
	samples := []string{
		"ASCII only: <a href=\"/\">home</a>\r\n",
		"日本語のテキストです。「こんにちは、世界」カタカナ・ひらがな、漢字。ＡＢＣ１２３",
		"半角ｶﾀｶﾅ",
		"简体中文测试：你好，世界！数据、编码。",
		"繁體中文測試：你好，世界！資料、編碼。",
		"한국어 텍스트입니다. 안녕하세요, 세계!",
	}
	type sample struct {
		Label string
		Text  []byte
	}
	var in []sample
	for _, name := range codecNames(true) {
		for _, s := range samples {
			in = append(in, sample{Label: name, Text: []byte(s)})
		}
	}
	// For each sample, the encoded bytes or null when the codec cannot
	// encode the text.
	var encoded [][]byte
	runPython(t, `
out = []
for c in cases:
    try:
        out.append(base64.b64encode(b(c["Text"]).decode("utf-8").encode(c["Label"])).decode("ascii"))
    except UnicodeEncodeError:
        out.append(None)
print(json.dumps(out))
`, in, &encoded)
	var cases []decodeCase
	perCodec := make(map[string]int)
	for i, s := range in {
		if encoded[i] != nil {
			cases = append(cases, decodeCase{Name: s.Label, Label: s.Label, Data: encoded[i]})
			perCodec[s.Label]++
		}
	}
	for _, name := range codecNames(true) {
		// ASCII and at least one sample in the codec's own script.
		if perCodec[name] < 2 {
			t.Errorf("%s: only %d samples encodable", name, perCodec[name])
		}
	}
	want := pythonDecode(t, cases)
	for i, c := range cases {
		if !bytes.Contains(c.Data, []byte{0x1b}) && !strings.HasPrefix(c.Label, "hz") && strings.ContainsRune(want[i], '\uFFFD') {
			t.Errorf("%s: Python did not decode its own encoding cleanly: %q", c.Name, want[i])
		}
		if got := Decode(c.Data, c.Label); got != want[i] {
			t.Errorf("%s: Decode(%q) mismatch (-python +got):\n%s", c.Name, c.Data, cmp.Diff(want[i], got))
		}
	}
}

// approxDifferences pins where the x/text-based decoders differ from
// Python's codecs; TestApproxDifferencesPython checks they still differ.
var approxDifferences = []struct {
	name, label string
	data        []byte
	want        string // what Decode returns
}{
	{"shift_jis wave dash", "shift_jis", []byte{0x81, 0x60}, "\uFF5E"}, // Python: U+301C
	{"shift_jis minus", "shift_jis", []byte{0x81, 0x7c}, "\uFF0D"},     // Python: U+2212
	{"shift_jis NEC row 13", "shift_jis", []byte{0x87, 0x40}, "①"},     // Python: rejects (cp932 has it)
	{"shift_jis 0x80", "shift_jis", []byte{0x80, 'A'}, "\u0080A"},      // Python: U+FFFD
	{"euc_jp wave dash", "euc_jp", []byte{0xa1, 0xc1}, "\uFF5E"},       // Python: U+301C
	{"euc_jp bad half-width katakana", "euc_jp", []byte{0x8e, 0xe0}, "\uFFFD"},
	{"gb2312 GBK extension", "gb2312", []byte{0x81, 0x40}, "丂"}, // Python: rejects
	{"gb2312 middle dot", "gb2312", []byte{0xa1, 0xa4}, "·"},    // Python: U+30FB
	{"gbk 0x80", "gbk", []byte{0x80, 'A'}, "€A"},                // Python: U+FFFD
	{"big5 bullet", "big5", []byte{0xa1, 0x45}, "\u2027"},       // Python: U+2022
	{"cp950 circled digit", "cp950", []byte{0xc6, 0xa1}, "①"},   // Python: U+30FE
	{"euc_kr UHC extension", "euc_kr", []byte{0x81, 0x41}, "갂"}, // Python: rejects
	{"cp949 bad trail", "cp949", []byte{0x81, 0x80}, "\uFFFD"},  // Python: two U+FFFD
	{"unsupported utf-7", "utf-7", []byte("+AOk-"), "+AOk-"},    // Python: é
	{"unsupported mac-greek", "mac-greek", []byte{0xa1}, "\uFFFD"},
}

func TestApproxDifferences(t *testing.T) {
	for _, tc := range approxDifferences {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Decode(tc.data, tc.label)); diff != "" {
				t.Errorf("Decode(%q, %q) mismatch (-want +got):\n%s", tc.data, tc.label, diff)
			}
		})
	}
}

func TestApproxDifferencesPython(t *testing.T) {
	var cases []decodeCase
	for _, tc := range approxDifferences {
		cases = append(cases, decodeCase{Name: tc.name, Label: tc.label, Data: tc.data})
	}
	python := pythonDecode(t, cases)
	for i, tc := range approxDifferences {
		if python[i] == tc.want {
			t.Errorf("%s: Python now agrees (%q); drop it from approxDifferences", tc.name, python[i])
			continue
		}
		t.Logf("%s: Decode %+q, Python %+q", tc.name, tc.want, python[i])
	}
}

// FuzzDecode checks that every codec returns valid UTF-8 and passes valid
// UTF-8 through under the utf-8 label.
func FuzzDecode(f *testing.F) {
	for _, in := range edgeInputs() {
		f.Add(in)
	}
	names := append(codecNames(false), codecNames(true)...)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range names {
			if got := Decode(data, name); !utf8.ValidString(got) {
				t.Errorf("Decode(%q, %q) = %q, not valid UTF-8", data, name, got)
			}
		}
		if utf8.Valid(data) {
			if got := Decode(data, "UTF-8"); got != string(data) {
				t.Errorf("Decode(%q, utf-8) = %q, want the input", data, got)
			}
		}
	})
}
