package textenc

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// textCases are responses whose r.text tether must reproduce: Content-Type
// and body, with r.text.
var textCases = []struct {
	name, contentType string
	body              []byte
	want              string
}{
	{"text without charset is true Latin-1", "text/html", []byte("\x80 caf\xe9 \x93q\x94"), "\u0080 café \u0093q\u0094"},
	{"utf-8", "text/html; charset=utf-8", []byte("caf\xc3\xa9 \xe2\x82\xac"), "café €"},
	{"utf-8 ill-formed", "text/plain; charset=UTF8", []byte("a\xe2\x82b\xff"), "a\uFFFDb\uFFFD"},
	{"json defaults to utf-8", "application/json", []byte("{\"a\":\"\xc3\xa9\xe9\"}"), "{\"a\":\"é\uFFFD\"}"},
	{"windows-1252", `text/html; charset="windows-1252"`, []byte("\x80 \x93q\x94 \x81"), "€ “q” \uFFFD"},
	{"latin1 label", "text/html; charset=latin1", []byte("\x80\xe9"), "\u0080é"},
	{"us-ascii", "text/plain; charset=us-ascii", []byte("caf\xe9"), "caf\uFFFD"},
	{"unknown charset falls back to utf-8", "text/html; charset=bogus", []byte("caf\xc3\xa9 \xe9"), "café \uFFFD"},
	{"windows-874 is unknown to Python", "text/html; charset=windows-874", []byte("\xa1 caf\xc3\xa9"), "\uFFFD café"},
	{"non-text codec falls back", "text/plain; charset=base64", []byte("aGk="), "aGk="},
	{"empty charset is utf-8", "text/html; charset=", []byte("caf\xc3\xa9"), "café"},
	{"utf-16 with BOM", "text/plain; charset=utf-16", []byte("\xfe\xff\x00h\x00i"), "hi"},
	{"utf-8-sig", "text/plain; charset=utf-8-sig", []byte("\xef\xbb\xbfhi"), "hi"},
	{"koi8-r", "text/plain; charset=KOI8-R", []byte("\xf0\xd2\xc9\xd7\xc5\xd4"), "Привет"},
	{"shift_jis", "text/html; charset=Shift_JIS", []byte("\x93\xfa\x96\x7b\x8c\xea"), "日本語"},
	{"euc-kr", "text/html; charset=euc-kr", []byte("\xc7\xd1\xb1\xb9\xbe\xee"), "한국어"},
	{"cp65001", "text/html; charset=cp65001", []byte("\xc3\xa9"), "é"},
	{"empty body", "text/html; charset=utf-16", nil, ""},
}

func TestText(t *testing.T) {
	for _, tc := range textCases {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Decode(tc.body, FromContentType(tc.contentType))); diff != "" {
				t.Errorf("text of %q with Content-Type %q mismatch (-want +got):\n%s", tc.body, tc.contentType, diff)
			}
		})
	}
}

// TestTextMatchesRequests builds a requests Response as the HTTP adapter does
// (r.encoding from get_encoding_from_headers) and compares r.text.
func TestTextMatchesRequests(t *testing.T) {
	type in struct{ ContentType, Body []byte }
	var cases []in
	for _, tc := range textCases {
		cases = append(cases, in{[]byte(tc.contentType), tc.body})
	}
	var got [][]byte
	runPython(t, `
out = []
for c in cases:
    r = requests.models.Response()
    r.headers = CaseInsensitiveDict({"Content-Type": b(c["ContentType"]).decode("latin-1")})
    r.encoding = requests.utils.get_encoding_from_headers(r.headers)
    assert r.encoding is not None
    r._content = b(c["Body"])
    out.append(utf8(r.text))
print(json.dumps(out))
`, cases, &got)
	for i, tc := range textCases {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(string(got[i]), tc.want); diff != "" {
				t.Errorf("table disagrees with requests (-requests +table):\n%s", diff)
			}
		})
	}
}

// TestNoCharsetDoesNotGuess pins the deliberate difference: with no charset
// (r.encoding None) requests guesses with charset_normalizer, tether decodes
// UTF-8. The test logs what requests gives.
func TestNoCharsetDoesNotGuess(t *testing.T) {
	cases := []struct {
		name string
		body []byte
		want string
	}{
		{"utf-8 text", []byte("Grüße aus Köln, schönen Tag noch!"), "Grüße aus Köln, schönen Tag noch!"},
		{"latin-1 text", []byte("Gr\xfc\xdfe aus K\xf6ln, sch\xf6nen Tag noch!"), "Gr\uFFFD\uFFFDe aus K\uFFFDln, sch\uFFFDnen Tag noch!"},
		{"cp1251 text", []byte("\xcf\xf0\xe8\xe2\xe5\xf2, \xea\xe0\xea \xe4\xe5\xeb\xe0?"), "\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD, \uFFFD\uFFFD\uFFFD \uFFFD\uFFFD\uFFFD\uFFFD?"},
	}
	var bodies [][]byte
	for _, tc := range cases {
		if diff := cmp.Diff(tc.want, Decode(tc.body, FromContentType("application/octet-stream"))); diff != "" {
			t.Errorf("%s: mismatch (-want +got):\n%s", tc.name, diff)
		}
		bodies = append(bodies, tc.body)
	}
	var got [][2]string
	runPython(t, `
out = []
for body in cases:
    r = requests.models.Response()
    r.headers = CaseInsensitiveDict({"Content-Type": "application/octet-stream"})
    r.encoding = requests.utils.get_encoding_from_headers(r.headers)
    assert r.encoding is None
    r._content = b(body)
    out.append([str(r.apparent_encoding), r.text])
print(json.dumps(out))
`, bodies, &got)
	for i, tc := range cases {
		t.Logf("%s: requests guesses %s and gives %q; tether gives %q", tc.name, got[i][0], got[i][1], tc.want)
	}
}
