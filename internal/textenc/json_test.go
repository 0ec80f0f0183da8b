package textenc

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// utf16Bytes encodes s as UTF-16 in the byte order given (big-endian if be).
func utf16Bytes(s string, be bool) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		if be {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return b
}

// utf32Bytes encodes s as UTF-32 in the byte order given (big-endian if be).
func utf32Bytes(s string, be bool) []byte {
	var b []byte
	for _, r := range s {
		if be {
			b = append(b, byte(r>>24), byte(r>>16), byte(r>>8), byte(r))
		} else {
			b = append(b, byte(r), byte(r>>8), byte(r>>16), byte(r>>24))
		}
	}
	return b
}

func concat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// jsonDoc is the document most bodies below encode: BMP, astral and
// non-Latin-1 characters.
const jsonDoc = `{"a": "é € 日本 😀"}`

var (
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
	bomUTF32LE = []byte{0xFF, 0xFE, 0, 0}
	bomUTF32BE = []byte{0, 0, 0xFE, 0xFF}
)

func TestJSONText(t *testing.T) {
	for _, tc := range []struct {
		name, encoding string
		body           []byte
		want           string
		wantErr        error
	}{
		// No encoding: requests guesses a UTF from the first 4 bytes.
		{"guess utf-8", "", []byte(jsonDoc), jsonDoc, nil},
		{"guess utf-8-sig drops the BOM", "", concat(utf8BOM, []byte(jsonDoc)), jsonDoc, nil},
		{"guess utf-8-sig drops one BOM only", "", concat(utf8BOM, utf8BOM, []byte("[1]")), "", ErrUnexpectedBOM},
		{"guess utf-16-le", "", utf16Bytes(jsonDoc, false), jsonDoc, nil},
		{"guess utf-16-be", "", utf16Bytes(jsonDoc, true), jsonDoc, nil},
		{"guess utf-16 LE BOM", "", concat(bomUTF16LE, utf16Bytes(jsonDoc, false)), jsonDoc, nil},
		{"guess utf-16 BE BOM", "", concat(bomUTF16BE, utf16Bytes(jsonDoc, true)), jsonDoc, nil},
		{"guess utf-32-le", "", utf32Bytes(jsonDoc, false), jsonDoc, nil},
		{"guess utf-32-be", "", utf32Bytes(jsonDoc, true), jsonDoc, nil},
		{"guess utf-32 LE BOM", "", concat(bomUTF32LE, utf32Bytes(jsonDoc, false)), jsonDoc, nil},
		{"guess utf-32 BE BOM", "", concat(bomUTF32BE, utf32Bytes(jsonDoc, true)), jsonDoc, nil},
		{"utf-16 BOM then NUL reads as utf-32", "", concat(bomUTF32LE, utf32Bytes(`"x"`, false)), `"x"`, nil},
		// The guessed codec fails or none is guessed: requests decodes r.text
		// with charset_normalizer's guess, tether with UTF-8 and U+FFFD.
		{"guessed utf-8 ill-formed", "", []byte("{\"a\":\"\xe9\"}"), "{\"a\":\"\uFFFD\"}", nil},
		{"guessed utf-8-sig ill-formed keeps the BOM", "", []byte("\xef\xbb\xbf[\"\xff\"]"), "", ErrUnexpectedBOM},
		{"guessed utf-16-le odd length", "", []byte("[\x001\x00]"), "[\x001\x00]", nil},
		{"guessed utf-16-le lone surrogate", "", concat(utf16Bytes(`["`, false), []byte{0x00, 0xD8}, utf16Bytes(`"]`, false)),
			"[\x00\"\x00\x00\uFFFD\"\x00]\x00", nil},
		{"guessed utf-32-le above U+10FFFF", "", []byte("1\x00\x00\x00\x00\x00\x11\x00"), "1\x00\x00\x00\x00\x00\x11\x00", nil},
		{"one NUL guesses nothing", "", []byte("[1,\x00]"), "[1,\x00]", nil},
		{"short body is not guessed", "", []byte("[1]"), "[1]", nil},
		{"short ill-formed body", "", []byte("\"\xe9\""), "\"\uFFFD\"", nil},
		{"empty body", "", nil, "", nil},
		// An encoding: requests decodes r.text with it, keeping a BOM unless
		// the codec drops it.
		{"utf-8", "utf-8", []byte(jsonDoc), jsonDoc, nil},
		{"utf-8 ill-formed", "utf-8", []byte("[\"\xe2\x82\"]"), "[\"\uFFFD\"]", nil},
		{"utf-8 BOM kept", "utf-8", concat(utf8BOM, []byte(jsonDoc)), "", ErrUnexpectedBOM},
		{"utf-8-sig drops the BOM", "UTF-8-SIG", concat(utf8BOM, []byte(jsonDoc)), jsonDoc, nil},
		{"utf-8 label with utf-16 body is not guessed", "utf-8", utf16Bytes("[1]", false), "[\x001\x00]\x00", nil},
		{"utf-16 BOM dropped", "utf-16", concat(bomUTF16BE, utf16Bytes(jsonDoc, true)), jsonDoc, nil},
		{"utf-16 without BOM is little-endian", "utf-16", utf16Bytes(jsonDoc, false), jsonDoc, nil},
		{"utf-16le BOM kept", "utf-16le", concat(bomUTF16LE, utf16Bytes(jsonDoc, false)), "", ErrUnexpectedBOM},
		{"utf-32 BOM dropped", "utf-32", concat(bomUTF32BE, utf32Bytes(jsonDoc, true)), jsonDoc, nil},
		{"latin-1", "ISO-8859-1", []byte("{\"a\":\"caf\xe9\"}"), `{"a":"café"}`, nil},
		{"latin-1 reads UTF-8 as mojibake", "ISO-8859-1", []byte(`["é"]`), `["Ã©"]`, nil},
		{"windows-1252", "windows-1252", []byte("[\"\x80\x93\x94\"]"), `["€“”"]`, nil},
		{"shift_jis", "shift_jis", []byte("[\"\x93\xfa\x96\x7b\x8c\xea\"]"), `["日本語"]`, nil},
		{"short body with an encoding", "utf-16-be", []byte("\x001"), "1", nil},
		{"unknown label is utf-8", "bogus", []byte("[\"\xc3\xa9\xe9\"]"), "[\"é\uFFFD\"]", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := JSONText(tc.body, tc.encoding)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("JSONText(%q, %q) error = %v, want %v", tc.body, tc.encoding, err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, string(got)); diff != "" {
				t.Errorf("JSONText(%q, %q) mismatch (-want +got):\n%s", tc.body, tc.encoding, diff)
			}
		})
	}
}

// TestJSONTextReturnsBody checks that the common cases return body itself.
func TestJSONTextReturnsBody(t *testing.T) {
	utf8Body := []byte(jsonDoc)
	ascii := []byte(`{"a": [1, 2, "x"]}`)
	bom := concat(utf8BOM, utf8Body)
	for _, tc := range []struct {
		name, encoding string
		body, want     []byte // want is a subslice of body
	}{
		{"no encoding, utf-8", "", utf8Body, utf8Body},
		{"no encoding, short", "", []byte("1"), nil},
		{"utf-8", "utf-8", utf8Body, utf8Body},
		{"UTF8 label", "UTF8", utf8Body, utf8Body},
		{"unknown label", "bogus", utf8Body, utf8Body},
		{"no encoding, utf-8 BOM", "", bom, bom[3:]},
		{"utf-8-sig", "utf-8-sig", bom, bom[3:]},
		{"latin-1 ASCII", "ISO-8859-1", ascii, ascii},
		{"windows-1252 ASCII", "windows-1252", ascii, ascii},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.want
			if want == nil {
				want = tc.body
			}
			got, err := JSONText(tc.body, tc.encoding)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) || &got[0] != &want[0] {
				t.Errorf("JSONText(%q, %q) = %q, not the input's bytes %q", tc.body, tc.encoding, got, want)
			}
			if n := testing.AllocsPerRun(100, func() { _, _ = JSONText(tc.body, tc.encoding) }); n != 0 {
				t.Errorf("JSONText(%q, %q) allocates %v times, want 0", tc.body, tc.encoding, n)
			}
		})
	}
}

// jsonBodies are the bodies of the differential test. guessFails marks the
// bodies longer than 3 bytes for which requests' guessed codec (with no
// encoding) is missing or rejects the body, so that requests falls back to
// charset_normalizer.
var jsonBodies = []struct {
	name       string
	body       []byte
	guessFails bool
}{
	{"utf-8", []byte(jsonDoc), false},
	{"utf-8 BOM", concat(utf8BOM, []byte(jsonDoc)), false},
	{"utf-8 two BOMs", concat(utf8BOM, utf8BOM, []byte(jsonDoc)), false},
	{"utf-8 ill-formed", []byte("{\"a\": \"\xe2\x82 \xff\"}"), true},
	{"utf-8 BOM ill-formed", []byte("\xef\xbb\xbf[\"\xff\"]"), true},
	{"utf-16-le", utf16Bytes(jsonDoc, false), false},
	{"utf-16-be", utf16Bytes(jsonDoc, true), false},
	{"utf-16 LE BOM", concat(bomUTF16LE, utf16Bytes(jsonDoc, false)), false},
	{"utf-16 BE BOM", concat(bomUTF16BE, utf16Bytes(jsonDoc, true)), false},
	{"utf-16-le odd length", concat(utf16Bytes(`["x"]`, false), []byte{'\n'}), true},
	{"utf-16-be lone surrogate", concat(utf16Bytes(`["`, true), []byte{0xD8, 0x00}, utf16Bytes(`"]`, true)), true},
	{"utf-32-le", utf32Bytes(jsonDoc, false), false},
	{"utf-32-be", utf32Bytes(jsonDoc, true), false},
	{"utf-32 LE BOM", concat(bomUTF32LE, utf32Bytes(jsonDoc, false)), false},
	{"utf-32 BE BOM", concat(bomUTF32BE, utf32Bytes(jsonDoc, true)), false},
	{"utf-32-le above U+10FFFF", concat(utf32Bytes(`["`, false), []byte{0, 0, 0x11, 0}, utf32Bytes(`"]`, false)), true},
	{"latin-1 é", []byte("{\"a\": \"caf\xe9\"}"), true},
	{"windows-1252 quotes", []byte("{\"a\": \"\x93\x80\x94\"}"), true},
	{"shift_jis", []byte("{\"a\": \"\x93\xfa\x96\x7b\x8c\xea\"}"), true},
	{"one NUL", []byte("[\x00, 1]"), true},
	{"short 1 byte", []byte("1"), false},
	{"short 2 bytes", []byte("{}"), false},
	{"short 3 bytes", []byte("[1]"), false},
	{"short utf-16-be", []byte("\x001"), false},
	{"short latin-1", []byte("\"\xe9\""), false},
	{"short utf-8 BOM", utf8BOM, false},
	{"empty", nil, false},
}

// jsonContentTypes are the Content-Type values of the differential test.
var jsonContentTypes = []string{
	"",
	"application/octet-stream",
	"application/json",
	"application/json; charset=",
	"application/json; charset=utf-8",
	"application/json; charset=utf-8-sig",
	"application/json; charset=utf-16",
	"application/json; charset=utf-16le",
	"application/json; charset=UTF-16BE",
	"application/json; charset=utf-32",
	"text/plain",
	"application/json; charset=iso-8859-1",
	"application/json; charset=windows-1252",
	"application/json; charset=shift_jis",
	"application/json; charset=bogus",
}

// TestJSONTextMatchesRequests runs requests' Response.json() on every body
// with every Content-Type, with json.loads replaced by a function that
// records its argument and then calls the real one, and compares that
// argument (or json.loads' BOM error) with JSONText. requests runs twice: as
// is, and with r.apparent_encoding returning None, so that where requests
// falls back to charset_normalizer it decodes UTF-8 as tether does. JSONText
// must match the second run everywhere, and the first wherever requests did
// not consult charset_normalizer; the test checks that requests consulted it
// exactly where the table says, and logs what it gave.
func TestJSONTextMatchesRequests(t *testing.T) {
	type in struct{ ContentType, Body []byte }
	type run struct {
		Text []byte // the str json() passed to json.loads, in UTF-8
		Err  string // what json.loads raised, "" if nothing
	}
	type out struct {
		Guessed           bool // r.apparent_encoding was consulted
		Apparent          string
		Requests, NoGuess run
	}
	var cases []in
	for _, ct := range jsonContentTypes {
		for _, b := range jsonBodies {
			cases = append(cases, in{[]byte(ct), b.body})
		}
	}
	var got []out
	runPython(t, `
import requests.compat
real_loads = requests.compat.json.loads
apparent = requests.models.Response.apparent_encoding
state = {}

class CaptureJSON:
    @staticmethod
    def loads(s, **kwargs):
        state["text"] = s
        return real_loads(s, **kwargs)

requests.models.complexjson = CaptureJSON

def apparent_encoding(self):
    state["guessed"] = True
    state["apparent"] = str(apparent.fget(self))
    return None if state["noguess"] else apparent.fget(self)

requests.models.Response.apparent_encoding = property(apparent_encoding)

def run(c, noguess):
    state.clear()
    state["noguess"] = noguess
    r = requests.models.Response()
    ct = b(c["ContentType"]).decode("latin-1")
    r.headers = CaseInsensitiveDict({"Content-Type": ct} if ct else {})
    r.encoding = requests.utils.get_encoding_from_headers(r.headers)
    r._content = b(c["Body"])
    err = ""
    try:
        r.json()
    except requests.exceptions.JSONDecodeError as e:
        err = e.msg
    return {"Text": utf8(state["text"]), "Err": err}

out = []
for c in cases:
    o = {"Requests": run(c, False)}
    o["Guessed"] = state.get("guessed", False)
    o["Apparent"] = state.get("apparent", "")
    o["NoGuess"] = run(c, True)
    out.append(o)
print(json.dumps(out))
`, cases, &got)
	if len(got) != len(cases) {
		t.Fatalf("oracle answered %d cases, want %d", len(got), len(cases))
	}
	i := 0
	for _, ct := range jsonContentTypes {
		encoding := FromContentType(ct)
		for _, b := range jsonBodies {
			o := got[i]
			i++
			t.Run(ct+"/"+b.name, func(t *testing.T) {
				// r.encoding is None, not "" as for "charset=": only then
				// does r.text consult charset_normalizer.
				encodingNone := encoding == "" && !strings.Contains(ct, "charset")
				wantGuessed := encodingNone && len(b.body) > 0 && (len(b.body) <= 3 || b.guessFails)
				if o.Guessed != wantGuessed {
					t.Errorf("requests consulted charset_normalizer: %v, table says %v", o.Guessed, wantGuessed)
				}
				if !o.Guessed && !cmp.Equal(o.Requests, o.NoGuess) {
					t.Fatalf("requests gave %+v and, with no guessing, %+v", o.Requests, o.NoGuess)
				}
				text, err := JSONText(b.body, encoding)
				if o.NoGuess.Err == "" && !json.Valid(text) {
					t.Errorf("json.loads parsed the text, encoding/json rejects JSONText's %q", text)
				}
				if strings.HasPrefix(o.NoGuess.Err, "Unexpected UTF-8 BOM") {
					if !errors.Is(err, ErrUnexpectedBOM) {
						t.Errorf("JSONText(%q, %q) = %q, %v; requests raised %q", b.body, encoding, text, err, o.NoGuess.Err)
					}
					return
				}
				if err != nil {
					t.Fatalf("JSONText(%q, %q) error %v; requests parsed %q (%s)", b.body, encoding, err, o.NoGuess.Text, o.NoGuess.Err)
				}
				if diff := cmp.Diff(string(o.NoGuess.Text), string(text)); diff != "" {
					if c, _ := lookup(encoding); c != nil && c.approx && bytes.ContainsRune(text, utf8.RuneError) {
						// Decode documents that the x/text CJK decoders
						// replace ill-formed input differently from Python.
						t.Logf("known difference of the %s decoder on ill-formed input (-requests +got):\n%s", c.name, diff)
						return
					}
					t.Errorf("JSONText(%q, %q) mismatch (-requests +got):\n%s", b.body, encoding, diff)
				}
				if o.Guessed && !cmp.Equal(o.Requests, o.NoGuess) {
					t.Logf("deliberate difference: requests guesses %s and parses %q (error %q); tether parses %q",
						o.Apparent, o.Requests.Text, o.Requests.Err, text)
				}
			})
		}
	}
}
