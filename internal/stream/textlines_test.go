package stream

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"testing"
	"testing/iotest"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/internal/textenc"
)

// collectTextLines runs TextLines to the end and returns the lines and the
// error, if one was yielded. It fails the test if anything is yielded
// after an error.
func collectTextLines(t testing.TB, r io.Reader, label string, size int64) ([]string, error) {
	t.Helper()
	var (
		lines []string
		err   error
	)
	for line, e := range TextLines(r, label, size) {
		if err != nil {
			t.Fatalf("TextLines yielded %q, %v after the error %v", line, e, err)
		}
		if e != nil {
			if line != "" {
				t.Errorf("TextLines yielded %q with the error %v, want \"\"", line, e)
			}
			err = e
			continue
		}
		lines = append(lines, line)
	}
	return lines, err
}

// utf16Body is s in UTF-16, little-endian unless be, with a byte order
// mark if bom.
func utf16Body(s string, be, bom bool) []byte {
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xFEFF}, units...)
	}
	var b []byte
	for _, u := range units {
		if be {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return b
}

// utf32Body is s in UTF-32LE with a byte order mark.
func utf32Body(s string) []byte {
	b := []byte{0xFF, 0xFE, 0, 0}
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8), byte(r>>16), 0)
	}
	return b
}

// textLineBodies are bodies every exactly implemented codec decodes,
// chosen for their line ends.
var textLineBodies = []string{
	"",
	"a\nb\r\nc\rd",
	"a\nb\n",
	"\n\n",
	"\r\n",
	"\r",
	"a\x0bb\x0cc\x1cd\x1de\x1ef",
	"a\x0c\n",
	"a\x0c",
	"a\r\x0cb",
	"x\x85y\n",
	"\xe2\x80\xa8mid\xe2\x80\xa9end\n",
	"\xc2\x85\n",
	"\xef\xbb\xbfbom\n\xef\xbb\xbfsecond",
	"caf\xc3\xa9\n\xe2\x80\nz\xe2",
	"\xff\xfe\x00\x00",
}

// TestTextLinesMatchRequests compares TextLines with the installed
// requests' iter_lines(decode_unicode=True) after r.encoding = label, the
// body in one chunk for requests and in reads of every size for
// TextLines.
func TestTextLinesMatchRequests(t *testing.T) {
	type tc struct {
		label string
		body  []byte
	}
	var cases []tc
	for _, label := range []string{"utf-8", "utf-8-sig", "latin-1", "cp1252", "ascii", "koi8-r", "iso8859-7", "cp037"} {
		for _, body := range textLineBodies {
			cases = append(cases, tc{label, []byte(body)})
		}
	}
	for _, s := range []string{"a\nb\u2028c\r\nd\u0085e\x0c", "\n", "", "é\r"} {
		cases = append(cases,
			tc{"utf-16", utf16Body(s, false, true)},
			tc{"utf-16", utf16Body(s, true, true)},
			tc{"utf-16-le", utf16Body(s, false, false)},
			tc{"utf-16-be", utf16Body(s, true, false)},
			tc{"utf-32", utf32Body(s)},
		)
	}
	cases = append(cases,
		// A lone high byte: odd-length UTF-16 ends in U+FFFD.
		tc{"utf-16-le", append(utf16Body("a\nb", false, false), 'x')},
		// EBCDIC: 0x25 is "\n", 0x15 is U+0085, 0x0A is U+008E.
		tc{"cp037", []byte("\xc1\x25\xc2\x0d\x25\xc3\x15\xc4\x0a\xc5")},
		// Valid text in the multi-byte codecs, where x/text agrees with
		// Python (see textenc.Decode).
		tc{"shift_jis", []byte("\x82\xa0\n\x82\xa2\r\n\x83\x41")},
		tc{"euc-jp", []byte("\xa4\xa2\n\xa4\xa4")},
		tc{"gb18030", []byte("\xc4\xe3\n\x81\x30\x81\x30\r\xba\xc3")},
		tc{"big5", []byte("\xa4\xa4\n\xa4\xe5")},
		tc{"euc-kr", []byte("\xc7\xd1\n\xb1\xdb")},
		tc{"iso2022_jp", []byte("\x1b$B$\"\x1b(B\nx\x1b$B$$\x1b(B\n\x1b$B$&\x1b(B")},
	)

	calls := make([]requestsCall, len(cases))
	for i, c := range cases {
		calls[i] = requestsCall{Op: "textlines", Body: c.body, Size: 1 << 20, Encoding: c.label}
	}
	results := runRequests(t, calls)
	for i, c := range cases {
		for name, r := range readers(c.body) {
			t.Run(fmt.Sprintf("%s/%q/%s", c.label, c.body, name), func(t *testing.T) {
				got, err := collectTextLines(t, r, c.label, -1)
				if err != nil {
					t.Fatalf("TextLines yielded the error %v", err)
				}
				if diff := cmp.Diff(results[i], got); diff != "" {
					t.Errorf("TextLines differs from requests (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestTextLinesDifferences asserts where TextLines deliberately differs
// from requests' iter_lines(decode_unicode=True), with requests' answer
// checked too, so that a change in requests shows.
func TestTextLinesDifferences(t *testing.T) {
	tests := []struct {
		name           string
		body           []byte
		label          string
		requests, want []string
		why            string
	}{
		{
			name: "no encoding", body: []byte("caf\xc3\xa9\x0cz\n"),
			requests: []string{"caf\xc3\xa9\x0cz"}, want: []string{"café", "z"},
			why: "requests yields undecoded bytes split at \\n and \\r; TextLines yields text of one kind, decoded as Text decodes a body without a charset",
		},
		{
			name: "UTF-16 without a byte order mark", body: utf16Body("a\nb", false, false), label: "utf-16",
			requests: []string{"!UnicodeError"}, want: []string{"a", "b"},
			why: "Python's incremental UTF-16 decoder refuses a stream without a byte order mark, where r.text reads it little-endian; TextLines decodes as Text does",
		},
		{
			name: "unknown encoding", body: []byte("\xc3\xa9\n"), label: "no-such-codec",
			requests: []string{"!LookupError"}, want: []string{"é"},
			why: "requests raises LookupError; TextLines falls back to UTF-8, as r.text (and Text) do",
		},
	}
	calls := make([]requestsCall, len(tests))
	for i, tt := range tests {
		calls[i] = requestsCall{Op: "textlines", Body: tt.body, Size: 1 << 20, Encoding: tt.label}
	}
	results := runRequests(t, calls)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.requests, results[i]); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			got, err := collectTextLines(t, bytes.NewReader(tt.body), tt.label, -1)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("TextLines, which differs on purpose (%s) (-want +got):\n%s", tt.why, diff)
			}
		})
	}
}

// TestTextLines checks what the oracle cannot: a body without an encoding,
// which requests yields undecoded and TextLines decodes as Text does, and
// the size hint.
func TestTextLines(t *testing.T) {
	tests := []struct {
		name  string
		body  []byte
		label string
		size  int64
		want  []string
	}{
		{name: "no label is UTF-8", body: []byte("caf\xc3\xa9\n\xff\x0cz"), want: []string{"café", "\ufffd", "z"}},
		{name: "no label, UTF-8 BOM", body: []byte("\xef\xbb\xbfa\n\xef\xbb\xbfb"), want: []string{"a", "\ufeffb"}},
		{name: "no label, UTF-16LE BOM", body: utf16Body("a\nb\r\n", false, true), want: []string{"a", "b"}},
		{name: "no label, UTF-16BE BOM", body: utf16Body("é\u2029", true, true), want: []string{"é"}},
		{name: "no label, UTF-32LE BOM", body: utf32Body("x\ny"), want: []string{"x", "y"}},
		{name: "no label, UTF-16LE BOM alone", body: []byte("\xff\xfe"), want: nil},
		{name: "no label, 3 bytes of a UTF-32 BOM", body: []byte("\xff\xfe\x00"), want: []string{"\ufffd"}},
		{name: "unknown label is UTF-8", body: []byte("\xc3\xa9\n"), label: "no-such-codec", want: []string{"é"}},
		{name: "size hint exact", body: []byte("a\nb"), label: "utf-8", size: 3, want: []string{"a", "b"}},
		{name: "size hint too small", body: []byte("abcdef\nb"), label: "utf-8", size: 1, want: []string{"abcdef", "b"}},
		{name: "size hint zero", body: []byte("x"), label: "latin-1", size: 0, want: []string{"x"}},
	}
	for _, tt := range tests {
		for name, r := range readers(tt.body) {
			t.Run(tt.name+"/"+name, func(t *testing.T) {
				size := tt.size
				if size == 0 && len(tt.body) > 0 {
					size = -1
				}
				got, err := collectTextLines(t, r, tt.label, size)
				if err != nil {
					t.Fatalf("TextLines yielded the error %v", err)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("TextLines(%q, %q) (-want +got):\n%s", tt.body, tt.label, diff)
				}
			})
		}
	}
}

// TestTextLinesReadError: the lines that ended before a read error are
// yielded, then the error, once; the line it cut is not.
func TestTextLinesReadError(t *testing.T) {
	tests := []struct {
		name  string
		data  []byte
		label string
		want  []string
	}{
		{name: "line by line", data: []byte("a\nb\x0cc"), label: "utf-8", want: []string{"a", "b"}},
		{name: "whole body", data: utf16Body("a\nb\x0cc", false, true), label: "utf-16", want: []string{"a", "b"}},
		{name: "error in the BOM", data: []byte("\xff"), label: "", want: nil},
		{name: "error before any data", data: nil, label: "utf-16", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := collectTextLines(t, &dataErrReader{data: tt.data, err: errBoom}, tt.label, -1)
			if !errors.Is(err, errBoom) {
				t.Errorf("error %v, want %v", err, errBoom)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTextLinesBadReaders: a reader that breaks the io.Reader contract is
// an error, not a hang or a panic, in the byte order mark sniff too.
func TestTextLinesBadReaders(t *testing.T) {
	for name, r := range map[string]io.Reader{
		"empty reads": emptyReader{},
		"bad count":   badCountReader{n: 99},
		"negative":    badCountReader{n: -1},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := collectTextLines(t, r, "", -1)
			if err == nil {
				t.Fatal("no error")
			}
		})
	}
}

// TestTextLinesNoWait: the first line is yielded as soon as it has
// arrived, although the 4 bytes a byte order mark may take have not: the
// writer sends more only once the loop has the line.
func TestTextLinesNoWait(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   string
	}{
		{name: "short first line", writes: []string{"a\n"}, want: "a"},
		{name: "UTF-8 BOM", writes: []string{"\xef\xbb\xbfa\n"}, want: "a"},
		{name: "UTF-8 BOM in two writes", writes: []string{"\xef", "\xbb\xbfa\n"}, want: "a"},
		{name: "start of a BOM that is not one", writes: []string{"\xfe", "a\n"}, want: "\ufffda"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr, pw := io.Pipe()
			go func() {
				for _, w := range tt.writes {
					if _, err := pw.Write([]byte(w)); err != nil {
						return
					}
				}
			}()
			var got []string
			for line, err := range TextLines(pr, "", -1) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, line)
				if len(got) == 1 {
					pw.Close()
				}
			}
			if diff := cmp.Diff([]string{tt.want}, got); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTextLinesBreak: breaking out of the loop stops the reads.
func TestTextLinesBreak(t *testing.T) {
	for _, label := range []string{"utf-8", "utf-16"} {
		t.Run(label, func(t *testing.T) {
			body := []byte("a\x0cb\nc")
			if label == "utf-16" {
				body = utf16Body("a\x0cb\nc", false, true)
			}
			n := 0
			for range TextLines(bytes.NewReader(body), label, -1) {
				n++
				break
			}
			if n != 1 {
				t.Errorf("%d iterations after break, want 1", n)
			}
		})
	}
}

func TestPlainASCII(t *testing.T) {
	tests := []struct {
		name string
		p    string
		want bool
	}{
		{name: "empty", p: "", want: true},
		{name: "printable and tab", p: "name\tvalue ~!@#$%^&*()_+{}|:<>?", want: true},
		{name: "long printable", p: "abcdefghijklmnopqrstuvwxyz0123456789", want: true},
		{name: "form feed in a word", p: "abcdefg\fhijklmnop", want: false},
		{name: "form feed in the tail", p: "abcdefgh\f", want: false},
		{name: "DEL", p: "abcdefghijk\x7f", want: false},
		{name: "Latin-1 NEL", p: "abc\x85", want: false},
		{name: "UTF-8", p: "caf\xc3\xa9 au lait", want: false},
		{name: "group separator", p: "0123456789\x1d", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := plainASCII([]byte(tt.p)); got != tt.want {
				t.Errorf("plainASCII(%q) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}

// TestTextLinesRandomMatchRequests compares TextLines with requests'
// iter_lines(decode_unicode=True) on random bodies made of line ends (all
// of str.splitlines'), bytes of every kind and multi-byte sequences, in
// every codec TextLines reads exactly as Python does, line by line or
// whole.
func TestTextLinesRandomMatchRequests(t *testing.T) {
	pieces := []string{
		"a", "Z", " ", "\t", "\n", "\r", "\r\n", "\n\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\xc2\x85",
		"\xe2\x80\xa8", "\xe2\x80\xa9", "\xe2\x80", "\xc3\xa9", "\xef\xbb\xbf", "\xff", "\xfe", "\x00", "\x0a\x00", "\x00\x0a", "\x25", "\x15",
	}
	labels := []string{"utf-8", "utf-8-sig", "latin-1", "cp1252", "ascii", "koi8-r", "iso8859-5", "mac-roman", "cp037", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"}
	rng := rand.New(rand.NewPCG(11, 27))
	type tc struct {
		label string
		body  []byte
	}
	var cases []tc
	for range 600 {
		var b []byte
		for range rng.IntN(24) {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		cases = append(cases, tc{labels[rng.IntN(len(labels))], b})
	}
	calls := make([]requestsCall, len(cases))
	for i, c := range cases {
		calls[i] = requestsCall{Op: "textlines", Body: c.body, Size: 1 << 20, Encoding: c.label}
	}
	results := runRequests(t, calls)
	for i, c := range cases {
		got, err := collectTextLines(t, iotest.HalfReader(bytes.NewReader(c.body)), c.label, -1)
		if err != nil {
			t.Fatalf("TextLines(%q, %q) yielded the error %v", c.body, c.label, err)
		}
		want := results[i]
		if slices.Equal(want, []string{"!UnicodeError"}) {
			// requests raises for UTF-16 or UTF-32 without a byte
			// order mark (TestTextLinesDifferences); TextLines yields
			// the lines of Text's decoding.
			want = nil
			splitText(textenc.Decode(c.body, c.label), false, func(s string, _ error) bool {
				want = append(want, s)
				return true
			})
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("TextLines(%q, %q) differs from requests (-want +got):\n%s", c.body, c.label, diff)
		}
	}
}
