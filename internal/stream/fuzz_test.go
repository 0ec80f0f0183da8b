package stream

import (
	"bytes"
	"io"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/internal/textenc"
)

// splitlines is a plain reference for Lines with delim == nil: Python's
// bytes.splitlines.
func splitlines(body []byte) []string {
	var lines []string
	start := 0
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '\n':
			lines = append(lines, string(body[start:i]))
			start = i + 1
		case '\r':
			lines = append(lines, string(body[start:i]))
			if i+1 < len(body) && body[i+1] == '\n' {
				i++
			}
			start = i + 1
		}
	}
	if start < len(body) {
		lines = append(lines, string(body[start:]))
	}
	return lines
}

// normalize turns every line end of body into "\n".
func normalize(body []byte) []byte {
	body = bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(body, []byte("\r"), []byte("\n"))
}

func FuzzLines(f *testing.F) {
	for _, tc := range lineCases {
		f.Add([]byte(tc.body), []byte(tc.delim))
	}
	f.Add([]byte("a\r"), []byte(nil))
	f.Add([]byte("\r\r\n\n\r"), []byte("\r\n"))
	f.Add(bytes.Repeat([]byte("abc\r\n"), 10_000), []byte(nil))
	f.Add([]byte("abababab"), []byte("aba"))

	f.Fuzz(func(t *testing.T, body, delim []byte) {
		got, err := collectLines(t, bytes.NewReader(body), delim)
		if err != nil {
			t.Fatalf("Lines yielded the error %v", err)
		}
		oneByte, err := collectLines(t, iotest.OneByteReader(bytes.NewReader(body)), delim)
		if err != nil {
			t.Fatalf("Lines yielded the error %v", err)
		}
		if diff := cmp.Diff(got, oneByte); diff != "" {
			t.Errorf("Lines one byte at a time differs from Lines in one read (-whole +one byte):\n%s", diff)
		}

		if len(delim) == 0 {
			want := string(bytes.TrimSuffix(normalize(body), []byte("\n")))
			if joined := joinLines(got, "\n"); joined != want {
				t.Errorf("the lines joined with LF are %q, want the normalised body %q", joined, want)
			}
			if diff := cmp.Diff(splitlines(body), got); diff != "" {
				t.Errorf("Lines differs from splitlines (-want +got):\n%s", diff)
			}
			return
		}
		var want []string
		if len(body) > 0 {
			for _, line := range bytes.Split(body, delim) {
				want = append(want, string(line))
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Lines differs from bytes.Split (-want +got):\n%s", diff)
		}
	})
}

// joinLines joins lines with sep.
func joinLines(lines []string, sep string) string {
	var b bytes.Buffer
	for i, line := range lines {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(line)
	}
	return b.String()
}

func FuzzEvents(f *testing.F) {
	for _, s := range []string{
		"",
		"data: a\n\n",
		"\uFEFF\uFEFFdata: a\r\n\r\n",
		"event: x\nid: 1\nretry: 100\ndata: a\ndata\n\n",
		"id: a\x00b\ndata: \xe2\x82\n\n",
		": comment\rdata:b\r\r",
		"retry: 99999999999999999999999\ndata: x\n\n",
		"data: a\n\ndata: b",
		"data: a\r",
	} {
		f.Add([]byte(s))
	}

	f.Fuzz(func(t *testing.T, stream []byte) {
		got, err := collectEvents(t, bytes.NewReader(stream))
		if err != nil {
			t.Fatalf("Events yielded the error %v", err)
		}
		for name, r := range readers(stream) {
			other, err := collectEvents(t, r)
			if err != nil {
				t.Fatalf("%s: Events yielded the error %v", name, err)
			}
			if diff := cmp.Diff(got, other); diff != "" {
				t.Errorf("Events with reads %s differs from one read (-one read +%s):\n%s", name, name, diff)
			}
		}
		for _, ev := range got {
			if !utf8.ValidString(ev.ID) || !utf8.ValidString(ev.Type) || !utf8.ValidString(ev.Data) {
				t.Errorf("event %+v is not valid UTF-8", ev)
			}
			if ev.Type == "" || bytes.ContainsRune([]byte(ev.ID), 0) || ev.Retry < 0 {
				t.Errorf("event %+v: empty type, NUL in the ID or negative retry", ev)
			}
		}
	})
}

// FuzzLinesLong checks Lines against splitlines on bodies long enough for
// the masked search (the fuzzed bytes repeated to 200-3099 bytes), read
// in reads of fuzzed sizes: small, around the 64-byte blocks and the
// masked minimum, and large.
func FuzzLinesLong(f *testing.F) {
	f.Add([]byte("a\r\nb\rc\n"), []byte{0, 63, 200}, uint16(3000))
	f.Add([]byte("\r"), []byte{255}, uint16(100))
	f.Add([]byte("\n\r"), []byte{64, 1}, uint16(777))
	f.Add([]byte("abcdefgh\r"), []byte{130, 5}, uint16(1000))
	f.Add([]byte("x"), []byte{}, uint16(2800))
	f.Fuzz(func(t *testing.T, unit, sizes []byte, n uint16) {
		if len(unit) == 0 {
			return
		}
		body := bytes.Repeat(unit, (200+int(n)%2900)/len(unit)+1)[:200+int(n)%2900]
		want := splitlines(body)
		for _, r := range []io.Reader{bytes.NewReader(body), &readSizes{r: bytes.NewReader(body), sizes: fuzzReadSizes(sizes)}} {
			got, err := collectLines(t, r, nil)
			if err != nil {
				t.Fatalf("Lines yielded the error %v", err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Lines differs from splitlines on %d bytes (-want +got):\n%s", len(body), diff)
			}
		}
		// A size hint, right or wrong, changes no line.
		for _, size := range []int64{int64(len(body)), int64(n) % int64(len(body)+1), 0} {
			var got []string
			for line, err := range LinesSized(bytes.NewReader(body), nil, size) {
				if err != nil {
					t.Fatalf("LinesSized(%d) yielded the error %v", size, err)
				}
				got = append(got, string(line))
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("LinesSized(%d) differs from splitlines on %d bytes (-want +got):\n%s", size, len(body), diff)
			}
		}
	})
}

// fuzzReadSizes maps fuzzed bytes to read sizes: 1-128, 192-318 (around
// the masked minimum) or multiples of 64 up to about 4 KiB.
func fuzzReadSizes(b []byte) []int {
	sizes := []int{1 << 20}
	for i, c := range b {
		if i == 0 {
			sizes = sizes[:0]
		}
		switch {
		case c < 128:
			sizes = append(sizes, int(c)+1)
		case c < 192:
			sizes = append(sizes, 192+2*int(c-128))
		default:
			sizes = append(sizes, 64*int(c-191)+int(c&7))
		}
	}
	return sizes
}

// textLabels are the codecs FuzzTextLines picks from: every way TextLines
// reads a body (line by line, whole, a byte order mark sniffed).
var textLabels = []string{"", "utf-8", "utf-8-sig", "latin-1", "cp1252", "cp037", "shift_jis", "gb18030", "utf-16", "utf-32-be", "iso2022_jp"}

// FuzzTextLines checks that TextLines yields the lines of the whole body's
// decoding, however the body is split into reads, for every codec kind.
func FuzzTextLines(f *testing.F) {
	for i, body := range textLineBodies {
		f.Add([]byte(body), uint8(i))
	}
	f.Add(utf16Body("a\r\nb\u2028", false, true), uint8(0))
	f.Add([]byte("\xef\xbb\xbf\xef\xbb\xbf\n"), uint8(2))

	f.Fuzz(func(t *testing.T, body []byte, pick uint8) {
		label := textLabels[int(pick)%len(textLabels)]
		whole := label
		if whole == "" {
			whole = textenc.BOMLabel(body)
		}
		var want []string
		splitText(textenc.Decode(body, whole), false, func(s string, _ error) bool {
			want = append(want, s)
			return true
		})
		for name, r := range readers(body) {
			got, err := collectTextLines(t, r, label, -1)
			if err != nil {
				t.Fatalf("%s: TextLines yielded the error %v", name, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("%s: TextLines(%q, %q) differs from the whole body's lines (-want +got):\n%s", name, body, label, diff)
			}
		}
	})
}
