package decode

import (
	"bytes"
	stdflate "compress/flate"
	stdgzip "compress/gzip"
	stdzlib "compress/zlib"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/andybalholm/brotli"
	"github.com/google/go-cmp/cmp"
	kgzip "github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/mccutchen/go-httpbin/v2/httpbin"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// ---- test data and encoders -------------------------------------------

var words = []string{
	"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "HTTP",
	"client", "request", "response", "header", "body", "content", "encoding",
	"tether", `{"id":`, `"name":`, "12345", "true", "false", "null", "\n",
	"lorem", "ipsum", "dolor", "sit", "amet", "<div>", "</div>",
}

var (
	textMu  sync.Mutex
	textRNG = rand.New(rand.NewPCG(1, 2))
	textBuf bytes.Buffer
)

// text returns n bytes of deterministic text-like data (it compresses
// about 4:1 with gzip). The bytes for a given n are always the same.
func text(n int) []byte {
	textMu.Lock()
	defer textMu.Unlock()
	for textBuf.Len() < n {
		textBuf.WriteString(words[textRNG.IntN(len(words))])
		if textRNG.IntN(7) == 0 {
			textBuf.WriteByte(byte('a' + textRNG.IntN(26)))
			textBuf.WriteByte(byte('0' + textRNG.IntN(10)))
		}
		textBuf.WriteByte(' ')
	}
	return textBuf.Bytes()[:n:n]
}

func gzipOf(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var b bytes.Buffer
	w := stdgzip.NewWriter(&b)
	writeClose(tb, w, data)
	return b.Bytes()
}

func zlibOf(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var b bytes.Buffer
	w := stdzlib.NewWriter(&b)
	writeClose(tb, w, data)
	return b.Bytes()
}

func zlibDictOf(tb testing.TB, data, dict []byte) []byte {
	tb.Helper()
	var b bytes.Buffer
	w, err := stdzlib.NewWriterLevelDict(&b, stdzlib.DefaultCompression, dict)
	must(tb, err)
	writeClose(tb, w, data)
	return b.Bytes()
}

func rawOf(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var b bytes.Buffer
	w, err := stdflate.NewWriter(&b, stdflate.DefaultCompression)
	must(tb, err)
	writeClose(tb, w, data)
	return b.Bytes()
}

func brOf(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var b bytes.Buffer
	w := brotli.NewWriterLevel(&b, 5)
	writeClose(tb, w, data)
	return b.Bytes()
}

func zstdOf(tb testing.TB, data []byte) []byte {
	tb.Helper()
	w, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
	must(tb, err)
	defer w.Close()
	return w.EncodeAll(data, nil)
}

// encode applies codings to data in order, as a server would.
func encode(tb testing.TB, data []byte, codings ...string) []byte {
	tb.Helper()
	for _, c := range codings {
		switch c {
		case "gzip":
			data = gzipOf(tb, data)
		case "deflate":
			data = zlibOf(tb, data)
		case "raw":
			data = rawOf(tb, data)
		case "br":
			data = brOf(tb, data)
		case "zstd":
			data = zstdOf(tb, data)
		default:
			tb.Fatalf("encode: no coding %q", c)
		}
	}
	return data
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// writeClose writes data to w and closes it.
func writeClose(tb testing.TB, w io.WriteCloser, data []byte) {
	tb.Helper()
	_, err := w.Write(data)
	must(tb, err)
	must(tb, w.Close())
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// corruptAt returns a copy of b with the byte at i (from the end if
// negative) inverted.
func corruptAt(b []byte, i int) []byte {
	b = bytes.Clone(b)
	if i < 0 {
		i += len(b)
	}
	b[i] ^= 0xff
	return b
}

// body is an io.ReadCloser that records Close.
type body struct {
	io.Reader
	closed int
}

func (b *body) Close() error { b.closed++; return nil }

func newBody(data []byte) *body { return &body{Reader: bytes.NewReader(data)} }

// decodeAll decodes data for the codings and reads it all.
func decodeAll(tb testing.TB, data []byte, codings ...string) (got []byte, decoded bool, err error) {
	tb.Helper()
	return decodeVia(tb, bytes.NewReader(data), codings...)
}

// bodyReaders are the ways a test hands the body over: at once, or a byte
// a Read.
var bodyReaders = []struct {
	name string
	wrap func([]byte) io.Reader
}{
	{"whole", func(b []byte) io.Reader { return bytes.NewReader(b) }},
	{"one byte a read", func(b []byte) io.Reader { return iotest.OneByteReader(bytes.NewReader(b)) }},
}

// decodeVia decodes what r reads for the codings and reads it all.
func decodeVia(tb testing.TB, r io.Reader, codings ...string) (got []byte, decoded bool, err error) {
	tb.Helper()
	b := &body{Reader: r}
	rc, decoded, err := NewReader(b, codings)
	if err != nil {
		return nil, false, err
	}
	got, err = io.ReadAll(rc)
	if cerr := rc.Close(); cerr != nil {
		tb.Errorf("Close: %v", cerr)
	}
	if b.closed != 1 {
		tb.Errorf("body closed %d times, want 1", b.closed)
	}
	return got, decoded, err
}

// ---- behaviour ----------------------------------------------------------

func TestRoundTrip(t *testing.T) {
	small := []byte(`{"hello":"world"}`)
	big := text(256 << 10)
	tests := []struct {
		name    string
		codings []string // Content-Encoding values
		apply   []string // codings to apply, in order
		data    []byte
	}{
		{"gzip", []string{"gzip"}, []string{"gzip"}, big},
		{"x-gzip", []string{"x-gzip"}, []string{"gzip"}, small},
		{"gzip upper case", []string{"GZIP"}, []string{"gzip"}, small},
		{"gzip mixed case padded", []string{" \tGZip "}, []string{"gzip"}, small},
		{"deflate zlib", []string{"deflate"}, []string{"deflate"}, big},
		{"deflate raw", []string{"deflate"}, []string{"raw"}, big},
		{"deflate upper case", []string{"DEFLATE"}, []string{"raw"}, small},
		{"br", []string{"br"}, []string{"br"}, big},
		{"br upper case", []string{"BR"}, []string{"br"}, small},
		{"zstd", []string{"zstd"}, []string{"zstd"}, big},
		{"zstd upper case", []string{"Zstd"}, []string{"zstd"}, small},
		{"gzip then br", []string{"gzip, br"}, []string{"gzip", "br"}, big},
		{"br then gzip", []string{"br,gzip"}, []string{"br", "gzip"}, small},
		{"two header values", []string{"zstd", "deflate"}, []string{"zstd", "deflate"}, big},
		{"all four", []string{"gzip, deflate", "br, zstd"}, []string{"gzip", "raw", "br", "zstd"}, big},
		{"five gzips", []string{"gzip, gzip, gzip, gzip, gzip"}, []string{"gzip", "gzip", "gzip", "gzip", "gzip"}, small},
		{"identity in list skipped", []string{"identity, gzip", "identity"}, []string{"gzip"}, small},
		{"empty elements skipped", []string{"gzip,,", ""}, []string{"gzip"}, small},
		{"empty content gzip", []string{"gzip"}, []string{"gzip"}, []byte{}},
		{"empty content zlib", []string{"deflate"}, []string{"deflate"}, []byte{}},
		{"empty content raw", []string{"deflate"}, []string{"raw"}, []byte{}},
		{"empty content br", []string{"br"}, []string{"br"}, []byte{}},
		{"empty content zstd", []string{"zstd"}, []string{"zstd"}, []byte{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, decoded, err := decodeAll(t, encode(t, tt.data, tt.apply...), tt.codings...)
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if !decoded {
				t.Error("decoded = false, want true")
			}
			if !bytes.Equal(tt.data, got) {
				t.Errorf("decoded %d bytes, want %d; (-want +got):\n%s", len(got), len(tt.data), cmp.Diff(string(tt.data), string(got)))
			}
		})
	}
}

// TestSmallReads reads through one-byte reads of both the body and the
// result, which exercises every resumption point of the decoders, and checks
// the readers with iotest.TestReader.
func TestSmallReads(t *testing.T) {
	data := text(64 << 10)
	for _, c := range []string{"gzip", "deflate", "raw", "br", "zstd"} {
		t.Run(c, func(t *testing.T) {
			name := c
			if c == "raw" {
				name = "deflate"
			}
			enc := encode(t, data, c)
			rc, _, err := NewReader(io.NopCloser(iotest.OneByteReader(bytes.NewReader(enc))), []string{name})
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(iotest.OneByteReader(rc))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(data, got) {
				t.Errorf("one-byte reads: got %d bytes, want %d", len(got), len(data))
			}
			must(t, rc.Close())

			rc, _, err = NewReader(io.NopCloser(bytes.NewReader(enc)), []string{name})
			if err != nil {
				t.Fatal(err)
			}
			if err := iotest.TestReader(rc, data); err != nil {
				t.Error(err)
			}
			must(t, rc.Close())
		})
	}
}

func TestNotDecoded(t *testing.T) {
	gz := gzipOf(t, []byte("hello"))
	tests := []struct {
		name    string
		codings []string
	}{
		{"no header", nil},
		{"empty value", []string{""}},
		{"identity", []string{"identity"}},
		{"IDENTITY", []string{"IDENTITY"}},
		{"identity list", []string{"identity, identity"}},
		{"unknown", []string{"compress"}},
		{"x-deflate is unknown", []string{"x-deflate"}},
		{"unknown in list with gzip", []string{"gzip, foo"}},
		{"unknown first in list", []string{"foo, gzip"}},
		{"unknown in second value", []string{"gzip", "foo"}},
		{"many unknown", []string{"a,b,c,d,e,f,g"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBody(gz)
			rc, decoded, err := NewReader(b, tt.codings)
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if decoded {
				t.Error("decoded = true, want false")
			}
			if rc != io.ReadCloser(b) {
				t.Errorf("got reader %T, want the body itself", rc)
			}
		})
	}
}

func TestTooManyCodings(t *testing.T) {
	tests := []struct {
		name    string
		codings []string
	}{
		{"six gzips", []string{"gzip,gzip,gzip,gzip,gzip,gzip"}},
		{"identity counts", []string{"identity, identity, identity, identity, identity, gzip"}},
		{"across values", []string{"gzip, gzip, gzip", "br, br, br"}},
		{"empty elements count", []string{"gzip,,,,,"}},
		{"with unknown", []string{"foo, gzip, gzip, gzip, gzip, gzip"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBody(nil)
			rc, decoded, err := NewReader(b, tt.codings)
			if !errors.Is(err, ErrDecode) {
				t.Fatalf("error %v, want one matching ErrDecode", err)
			}
			if rc != nil || decoded {
				t.Errorf("got %v, %v with the error, want nil, false", rc, decoded)
			}
			if b.closed != 0 {
				t.Error("body was closed")
			}
			t.Log(err)
		})
	}
}

func TestGzipMembers(t *testing.T) {
	m1, m2 := []byte("first member "), []byte("second member")
	g1, g2 := gzipOf(t, m1), gzipOf(t, m2)
	reserved := bytes.Clone(g2)
	reserved[3] |= 0x20
	badCRC := bytes.Clone(g2)
	binary.LittleEndian.PutUint32(badCRC[len(badCRC)-8:], 0)
	tests := []struct {
		name string
		data []byte
		want []byte
	}{
		{"two members", cat(g1, g2), cat(m1, m2)},
		{"empty members", cat(gzipOf(t, nil), g1, gzipOf(t, nil), g2), cat(m1, m2)},
		{"trailing garbage", cat(g1, []byte("garbage")), m1},
		{"trailing CRLF", cat(g1, []byte("\r\n")), m1},
		{"trailing zeros", cat(g1, make([]byte, 100)), m1},
		{"trailing gzip magic only", cat(g1, []byte{0x1f}), m1},
		{"truncated second member", cat(g1, g2[:len(g2)-5]), cat(m1, m2)},
		{"truncated second header", cat(g1, g2[:5]), m1},
		{"second member reserved flag", cat(g1, reserved), m1},
		{"second member bad CRC", cat(g1, badCRC), cat(m1, m2)},
		{"garbage after second member", cat(g1, g2, []byte("xx")), cat(m1, m2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, br := range bodyReaders {
				got, _, err := decodeVia(t, br.wrap(tt.data), "gzip")
				if err != nil {
					t.Fatalf("%s: error: %v", br.name, err)
				}
				if diff := cmp.Diff(string(tt.want), string(got)); diff != "" {
					t.Errorf("%s: (-want +got):\n%s", br.name, diff)
				}
			}
		})
	}
}

func TestDeflateTrailingData(t *testing.T) {
	want := []byte("hello, deflate")
	for _, c := range []string{"deflate", "raw"} {
		t.Run(c, func(t *testing.T) {
			got, _, err := decodeAll(t, cat(encode(t, want, c), []byte("trailing garbage")), "deflate")
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// zstdRawFrame is a zstd frame of one raw block holding content, whose
// header declares a window of 1<<windowLog bytes.
func zstdRawFrame(windowLog int, content string) []byte {
	b := []byte{0x28, 0xb5, 0x2f, 0xfd, 0x00, byte(windowLog-10) << 3}
	h := uint32(len(content))<<3 | 1 // last block, raw
	b = append(b, byte(h), byte(h>>8), byte(h>>16))
	return append(b, content...)
}

func TestZstdWindow(t *testing.T) {
	got, _, err := decodeAll(t, zstdRawFrame(23, "abc"), "zstd")
	if err != nil {
		t.Fatalf("8 MiB window: %v", err)
	}
	if diff := cmp.Diff("abc", string(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, _, err := decodeAll(t, zstdRawFrame(24, "abc"), "zstd"); !errors.Is(err, ErrDecode) {
		t.Errorf("16 MiB window: error %v, want one matching ErrDecode", err)
	}
}

func TestZstdFrames(t *testing.T) {
	skippable := []byte{0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 'a', 'b', 'c'}
	got, _, err := decodeAll(t, cat(zstdOf(t, []byte("one ")), skippable, zstdOf(t, []byte("two"))), "zstd")
	if err != nil {
		t.Fatalf("error: %v", err)
	}
	if diff := cmp.Diff("one two", string(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestCorrupt(t *testing.T) {
	data := text(100 << 10)
	gz, zl, raw, br, zs := gzipOf(t, data), zlibOf(t, data), rawOf(t, data), brOf(t, data), zstdOf(t, data)
	badCRC := bytes.Clone(gz)
	binary.LittleEndian.PutUint32(badCRC[len(badCRC)-8:], 0)
	reserved := bytes.Clone(gz)
	reserved[3] |= 0x80
	tests := []struct {
		name    string
		codings []string
		data    []byte
		coding  string // named in the error
	}{
		{"gzip truncated", []string{"gzip"}, gz[:len(gz)/2], "gzip"},
		{"gzip truncated trailer", []string{"gzip"}, gz[:len(gz)-4], "gzip"},
		{"gzip truncated header", []string{"gzip"}, gz[:5], "gzip"},
		{"gzip bad magic", []string{"gzip"}, corruptAt(gz, 1), "gzip"},
		{"gzip reserved flag", []string{"gzip"}, reserved, "gzip"},
		{"gzip bad CRC", []string{"gzip"}, badCRC, "gzip"},
		{"gzip bad data", []string{"gzip"}, corruptAt(gz, 20), "gzip"},
		{"gzip not gzip", []string{"gzip"}, data[:1000], "gzip"},
		{"x-gzip named as sent", []string{"X-Gzip"}, gz[:100], "x-gzip"},
		{"zlib truncated", []string{"deflate"}, zl[:len(zl)/2], "deflate"},
		{"zlib bad adler", []string{"deflate"}, corruptAt(zl, -1), "deflate"},
		{"zlib preset dictionary", []string{"deflate"}, zlibDictOf(t, data[:1000], []byte("dictionary")), "deflate"},
		{"raw truncated", []string{"deflate"}, raw[:len(raw)/2], "deflate"},
		{"raw one byte", []string{"deflate"}, raw[:1], "deflate"},
		{"deflate not deflate", []string{"deflate"}, []byte("\xffnot deflate at all"), "deflate"},
		{"br truncated", []string{"br"}, br[:len(br)/2], "br"},
		{"br bad data", []string{"br"}, corruptAt(br, 0), "br"},
		{"br trailing garbage", []string{"br"}, cat(br, []byte("garbage")), "br"},
		{"zstd truncated", []string{"zstd"}, zs[:len(zs)/2], "zstd"},
		{"zstd bad magic", []string{"zstd"}, corruptAt(zs, 0), "zstd"},
		{"zstd bad data", []string{"zstd"}, corruptAt(zs, len(zs)/2), "zstd"},
		{"zstd trailing garbage", []string{"zstd"}, cat(zs, []byte("garbage")), "zstd"},
		{"inner of two corrupt", []string{"br, gzip"}, gzipOf(t, br[:len(br)/2]), "br"},
		{"outer of two corrupt", []string{"br, gzip"}, gzipOf(t, br)[:100], "gzip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, br := range bodyReaders {
				got, decoded, err := decodeVia(t, br.wrap(tt.data), tt.codings...)
				if !errors.Is(err, ErrDecode) {
					t.Fatalf("%s: got %d bytes, error %v; want an error matching ErrDecode", br.name, len(got), err)
				}
				if !decoded {
					t.Errorf("%s: decoded = false, want true", br.name)
				}
				if want := ErrDecode.Error() + ": " + tt.coding + ": "; !strings.HasPrefix(err.Error(), want) {
					t.Errorf("%s: error %q does not start with %q", br.name, err, want)
				}
			}
		})
	}
}

// errBody returns data, then err.
type errBody struct {
	data []byte
	err  error
}

func (b *errBody) Read(p []byte) (int, error) {
	if len(b.data) == 0 {
		return 0, b.err
	}
	n := copy(p, b.data)
	b.data = b.data[n:]
	return n, nil
}

func (b *errBody) Close() error { return nil }

// TestBodyError checks that the body's own errors come back as they are,
// not as decoding errors, from every layer of a stack.
func TestBodyError(t *testing.T) {
	data := text(64 << 10)
	errConn := errors.New("connection reset")
	tests := []struct {
		name    string
		codings []string
		enc     []byte
		cut     int // bytes of enc sent before the error
	}{
		{"gzip mid stream", []string{"gzip"}, gzipOf(t, data), 1000},
		{"gzip at once", []string{"gzip"}, gzipOf(t, data), 0},
		{"gzip in header", []string{"gzip"}, gzipOf(t, data), 3},
		{"gzip between members", []string{"gzip"}, cat(gzipOf(t, data[:10]), gzipOf(t, data)), len(gzipOf(t, data[:10]))},
		{"deflate at once", []string{"deflate"}, zlibOf(t, data), 0},
		{"deflate one byte", []string{"deflate"}, zlibOf(t, data), 1},
		{"deflate mid stream", []string{"deflate"}, zlibOf(t, data), 1000},
		{"raw mid stream", []string{"deflate"}, rawOf(t, data), 1000},
		{"br at once", []string{"br"}, brOf(t, data), 0},
		{"br mid stream", []string{"br"}, brOf(t, data), 1000},
		{"zstd at once", []string{"zstd"}, zstdOf(t, data), 0},
		{"zstd mid stream", []string{"zstd"}, zstdOf(t, data), 1000},
		{"stacked", []string{"zstd, br, deflate, gzip"}, encode(t, data, "zstd", "br", "deflate", "gzip"), 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc, _, err := NewReader(&errBody{data: tt.enc[:tt.cut], err: errConn}, tt.codings)
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			_, err = io.ReadAll(rc)
			if err != errConn {
				t.Errorf("error %v, want the body's error %v as it is", err, errConn)
			}
			if _, err := rc.Read(make([]byte, 10)); err != errConn {
				t.Errorf("second Read: error %v, want %v again", err, errConn)
			}
		})
	}
}

func TestClose(t *testing.T) {
	for _, c := range []string{"gzip", "deflate", "br", "zstd"} {
		t.Run(c, func(t *testing.T) {
			b := newBody(encode(t, text(100<<10), c))
			rc, _, err := NewReader(b, []string{c})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := rc.Read(make([]byte, 100)); err != nil {
				t.Fatal(err)
			}
			must(t, rc.Close())
			must(t, rc.Close())
			if b.closed != 1 {
				t.Errorf("body closed %d times, want 1", b.closed)
			}
			if n, err := rc.Read(make([]byte, 100)); n != 0 || err == nil {
				t.Errorf("Read after Close = %d, %v; want 0 and an error", n, err)
			}
		})
	}
}

// TestAbandoned checks that a reader dropped mid-stream without Close
// leaves no goroutine behind (a zstd decoder with concurrency above 1 would).
func TestAbandoned(t *testing.T) {
	for _, c := range []string{"gzip", "deflate", "br", "zstd"} {
		data := text(64 << 10)
		if c == "zstd" {
			data = text(4 << 20) // more blocks than a concurrent decoder buffers
		}
		rc, _, err := NewReader(io.NopCloser(bytes.NewReader(encode(t, data, c))), []string{c})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(rc, make([]byte, 1000)); err != nil {
			t.Fatal(err)
		}
	}
	goleak.VerifyNone(t)
}

// TestNoAllocsPerRead checks that reading allocates nothing once decoding
// is under way.
func TestNoAllocsPerRead(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	data := text(1 << 20)
	for _, c := range []string{"gzip", "deflate", "raw", "br", "zstd"} {
		t.Run(c, func(t *testing.T) {
			name := c
			if c == "raw" {
				name = "deflate"
			}
			rc, _, err := NewReader(io.NopCloser(bytes.NewReader(encode(t, data, c))), []string{name})
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			buf := make([]byte, 8<<10)
			if _, err := io.ReadFull(rc, make([]byte, 128<<10)); err != nil { // warm up
				t.Fatal(err)
			}
			allocs := testing.AllocsPerRun(100, func() {
				if _, err := io.ReadFull(rc, buf); err != nil {
					t.Fatal(err)
				}
			})
			if allocs != 0 {
				t.Errorf("%v allocations per 8 KiB read, want 0", allocs)
			}
		})
	}
}

// ---- a real server ------------------------------------------------------

func TestServer(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/", httpbin.New())
	payload := text(300 << 10)
	mux.HandleFunc("/encoded", func(w http.ResponseWriter, r *http.Request) {
		codings := r.URL.Query()["c"]
		var apply []string
		for _, c := range codings {
			for _, e := range strings.Split(c, ",") {
				apply = append(apply, strings.ToLower(strings.TrimSpace(e)))
			}
		}
		for _, c := range codings {
			w.Header().Add("Content-Encoding", c)
		}
		_, _ = w.Write(encode(t, payload, apply...))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}

	get := func(t *testing.T, path string) ([]byte, bool) {
		t.Helper()
		req, err := http.NewRequest("GET", srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept-Encoding", AcceptEncoding)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %s", resp.Status)
		}
		rc, decoded, err := NewReader(resp.Body, resp.Header.Values("Content-Encoding"))
		if err != nil {
			resp.Body.Close()
			t.Fatal(err)
		}
		defer rc.Close()
		got, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		return got, decoded
	}

	httpbinTests := []struct {
		path string
		want map[string]any // fields of the JSON reply
	}{
		{"/gzip", map[string]any{"gzipped": true, "method": "GET"}},
		{"/deflate", map[string]any{"deflated": true, "method": "GET"}},
	}
	for _, tt := range httpbinTests {
		t.Run("httpbin"+tt.path, func(t *testing.T) {
			got, decoded := get(t, tt.path)
			if !decoded {
				t.Error("decoded = false")
			}
			var reply map[string]any
			if err := json.Unmarshal(got, &reply); err != nil {
				t.Fatalf("reply is not JSON: %v: %q", err, got)
			}
			fields := map[string]any{}
			for k := range tt.want {
				fields[k] = reply[k]
			}
			if diff := cmp.Diff(tt.want, fields); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			hdrs, _ := reply["headers"].(map[string]any)
			if diff := cmp.Diff([]any{AcceptEncoding}, hdrs["Accept-Encoding"]); diff != "" {
				t.Errorf("Accept-Encoding sent (-want +got):\n%s", diff)
			}
		})
	}

	// go-httpbin has no br or zstd routes (its /brotli answers 501).
	ownTests := []struct {
		name  string
		query string
	}{
		{"br", "c=br"},
		{"zstd", "c=zstd"},
		{"gzip then br", "c=gzip,+br"},
		{"two header fields", "c=zstd&c=deflate"},
	}
	for _, tt := range ownTests {
		t.Run(tt.name, func(t *testing.T) {
			got, decoded := get(t, "/encoded?"+tt.query)
			if !decoded {
				t.Error("decoded = false")
			}
			if !bytes.Equal(payload, got) {
				t.Errorf("got %d bytes, want the %d-byte payload", len(got), len(payload))
			}
		})
	}
}

// ---- urllib3 as the oracle ----------------------------------------------

// urllib3Script decodes each case twice: with read(), all at once, and
// with stream(10 * 1024), as requests' Response.content and iter_content
// read a body.
const urllib3Script = `
import base64, io, json, sys
import urllib3
import urllib3.response as ur
from urllib3.exceptions import DecodeError

def decode(c, stream):
    r = ur.HTTPResponse(
        body=io.BytesIO(base64.b64decode(c["data"] or "")),
        headers={"content-encoding": c["ce"]},
        preload_content=False,
        decode_content=True,
    )
    try:
        d = b"".join(r.stream(10 * 1024)) if stream else r.read()
        return {"data": base64.b64encode(d).decode()}
    except DecodeError as e:
        return {"error": str(e)}

out = {
    "version": urllib3.__version__,
    "br": ur.brotli is not None,
    "zstd": bool(getattr(ur, "HAS_ZSTD", False)),
    "results": [],
}
for c in json.load(sys.stdin):
    out["results"].append({"read": decode(c, False), "stream": decode(c, True)})
json.dump(out, sys.stdout)
`

type urllib3Result struct {
	Data  []byte `json:"data"` // base64 in JSON
	Error string `json:"error"`
}

func (r urllib3Result) outcome() outcome {
	return outcome{Data: string(r.Data), Err: r.Error != ""}
}

type urllib3Reply struct {
	Version string `json:"version"`
	Br      bool   `json:"br"`
	Zstd    bool   `json:"zstd"`
	Results []struct {
		Read   urllib3Result `json:"read"`
		Stream urllib3Result `json:"stream"`
	} `json:"results"`
}

// outcome is what decoding gave: the bytes, or an error.
type outcome struct {
	Data string
	Err  bool
}

func TestUrllib3Differential(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	if err := exec.Command("python3", "-c", "import urllib3").Run(); err != nil {
		t.Skipf("no python3 with urllib3 (%v): skipping the comparison with urllib3", err)
	}

	data := text(200 << 10)
	small := []byte("hello world, hello world")
	gz, zl, raw, br, zs := gzipOf(t, data), zlibOf(t, data), rawOf(t, data), brOf(t, data), zstdOf(t, data)
	g1, g2 := gzipOf(t, small), gzipOf(t, []byte("second"))
	g2BadCRC := bytes.Clone(g2)
	binary.LittleEndian.PutUint32(g2BadCRC[len(g2BadCRC)-8:], 0)
	reserved := bytes.Clone(g1)
	reserved[3] |= 0x20
	zlibEmpty := zlibOf(t, nil)
	ok := func(b []byte) outcome { return outcome{Data: string(b)} }
	fail := outcome{Err: true}

	tests := []struct {
		name string
		ce   string // the Content-Encoding header
		data []byte
		want outcome // NewReader's
		// divergent, when set, says why urllib3 differs; then urllib3 must
		// give py (its Data is not compared if pyAnyData). If streamOnly,
		// the difference is only with stream(10240), and read() must agree.
		divergent  string
		py         outcome
		pyAnyData  bool
		streamOnly bool
	}{
		{name: "gzip", ce: "gzip", data: gz, want: ok(data)},
		{name: "x-gzip", ce: "x-gzip", data: g1, want: ok(small)},
		{name: "GZIP", ce: "GZIP", data: g1, want: ok(small)},
		{name: "gzip two members", ce: "gzip", data: cat(g1, g2), want: ok(cat(small, []byte("second")))},
		{name: "gzip trailing garbage", ce: "gzip", data: cat(g1, []byte("garbage")), want: ok(small)},
		{name: "gzip big trailing garbage", ce: "gzip", data: cat(gz, []byte("garbage")), want: ok(data)},
		{name: "gzip big two members trailing garbage", ce: "gzip", data: cat(gz, gz, []byte("garbage")), want: ok(cat(data, data))},
		{name: "gzip big truncated second member", ce: "gzip", data: cat(gz, gz[:len(gz)/2]), want: ok(cat(data, gzipPrefix(t, gz[:len(gz)/2])))},
		{name: "gzip trailing CRLF", ce: "gzip", data: cat(g1, []byte("\r\n")), want: ok(small)},
		{name: "gzip trailing magic byte", ce: "gzip", data: cat(g1, []byte{0x1f}), want: ok(small)},
		{name: "gzip truncated second member", ce: "gzip", data: cat(g1, g2[:len(g2)-4]), want: ok(cat(small, []byte("second")))},
		{name: "gzip second member reserved flag", ce: "gzip", data: cat(g1, reserved), want: ok(small)},
		{name: "gzip empty body", ce: "gzip", data: nil, want: ok(nil)},
		{name: "gzip empty content", ce: "gzip", data: gzipOf(t, nil), want: ok(nil)},
		{name: "gzip bad magic", ce: "gzip", data: corruptAt(g1, 1), want: fail},
		{name: "gzip reserved flag", ce: "gzip", data: reserved, want: fail},
		{name: "gzip bad CRC", ce: "gzip", data: corruptAt(gz, -8), want: fail},
		{name: "gzip bad data", ce: "gzip", data: corruptAt(gz, 20), want: fail},
		{name: "gzip plain text", ce: "gzip", data: small, want: fail},
		{
			name: "gzip second member bad CRC", ce: "gzip", data: cat(g1, g2BadCRC),
			want:      ok(cat(small, []byte("second"))),
			divergent: "urllib3 drops the failing member's bytes only when they came in the same decompress call as the error (read() decodes all at once); a streaming reader has passed them on already",
			py:        ok(small),
		},
		{
			name: "gzip truncated", ce: "gzip", data: gz[:len(gz)/2], want: fail,
			divergent: "urllib3 returns what it decoded of a truncated stream; a truncated stream is an error here",
			py:        outcome{}, pyAnyData: true,
		},
		{
			name: "gzip truncated header", ce: "gzip", data: g1[:5], want: fail,
			divergent: "urllib3 returns what it decoded of a truncated stream; a truncated stream is an error here",
			py:        ok(nil),
		},

		{name: "deflate zlib", ce: "deflate", data: zl, want: ok(data)},
		{name: "deflate raw", ce: "deflate", data: raw, want: ok(data)},
		{name: "deflate zlib empty content", ce: "deflate", data: zlibEmpty, want: ok(nil)},
		{name: "deflate raw empty content", ce: "deflate", data: rawOf(t, nil), want: ok(nil)},
		{name: "deflate empty body", ce: "deflate", data: nil, want: ok(nil)},
		{name: "deflate zlib small trailing garbage", ce: "deflate", data: cat(zlibOf(t, small), []byte("garbage")), want: ok(small)},
		{name: "deflate raw small trailing garbage", ce: "deflate", data: cat(rawOf(t, small), []byte("garbage")), want: ok(small)},
		{
			name: "deflate zlib trailing garbage", ce: "deflate", data: cat(zl, []byte("garbage")), want: ok(data),
			divergent: "urllib3 ignores bytes after the deflate stream when it decodes them in the call that ends the stream, as read() does; " +
				"when more than one 10 KiB chunk came out first, it feeds them to the ended zlib object, which raises 'inconsistent stream state'",
			py: fail, streamOnly: true,
		},
		{
			name: "deflate raw trailing garbage", ce: "deflate", data: cat(raw, []byte("g")), want: ok(data),
			divergent: "urllib3 ignores bytes after the deflate stream when it decodes them in the call that ends the stream, as read() does; " +
				"when more than one 10 KiB chunk came out first, it feeds them to the ended zlib object, which raises 'inconsistent stream state'",
			py: fail, streamOnly: true,
		},
		{name: "deflate zlib bad adler", ce: "deflate", data: corruptAt(zl, -1), want: fail},
		{name: "deflate zlib preset dictionary", ce: "deflate", data: zlibDictOf(t, small, []byte("hello")), want: fail},
		{name: "deflate junk", ce: "deflate", data: []byte("\xffnot deflate"), want: fail},
		{name: "deflate gzip data", ce: "deflate", data: g1, want: fail},
		{
			name: "deflate zlib truncated", ce: "deflate", data: zl[:len(zl)/2], want: fail,
			divergent: "urllib3 returns what it decoded of a truncated stream; a truncated stream is an error here",
			pyAnyData: true,
		},
		{
			name: "deflate raw truncated", ce: "deflate", data: raw[:len(raw)/2], want: fail,
			divergent: "urllib3 returns what it decoded of a truncated stream; a truncated stream is an error here",
			pyAnyData: true,
		},
		{
			name: "deflate one byte", ce: "deflate", data: zl[:1], want: fail,
			divergent: "urllib3 returns what it decoded of a truncated stream; a truncated stream is an error here",
			py:        ok(nil),
		},

		{name: "identity", ce: "identity", data: g1, want: ok(g1)},
		{name: "unknown", ce: "compress", data: g1, want: ok(g1)},
		{name: "empty header", ce: "", data: g1, want: ok(g1)},
		{name: "deflate, gzip", ce: "deflate, gzip", data: gzipOf(t, zl), want: ok(data)},
		{name: "gzip,deflate no space", ce: "gzip,deflate", data: rawOf(t, g1), want: ok(small)},
		{name: "GZIP , DEFLATE", ce: "GZIP , DEFLATE", data: zlibOf(t, g1), want: ok(small)},
		{name: "five gzips", ce: "gzip, gzip, gzip, gzip, gzip", data: encode(t, small, "gzip", "gzip", "gzip", "gzip", "gzip"), want: ok(small)},
		{name: "six gzips", ce: "gzip, gzip, gzip, gzip, gzip, gzip", data: encode(t, small, "gzip", "gzip", "gzip", "gzip", "gzip", "gzip"), want: fail},
		{name: "six with identity", ce: "identity, identity, identity, identity, identity, gzip", data: g1, want: fail},
		{name: "six unknown", ce: "a, b, c, d, e, f", data: g1, want: ok(g1)},
		{name: "inner gzip trailing garbage", ce: "gzip, gzip", data: gzipOf(t, cat(g1, []byte("zz"))), want: ok(small)},
		{
			name: "gzip, identity", ce: "gzip, identity", data: g1, want: ok(small),
			divergent: "urllib3 decodes every element it does not know, identity included, as deflate",
			py:        fail,
		},
		{
			name: "gzip, (empty)", ce: "gzip,", data: g1, want: ok(small),
			divergent: "urllib3 decodes every element it does not know, an empty one included, as deflate",
			py:        fail,
		},
		{
			name: "gzip, foo", ce: "gzip, foo", data: g1, want: ok(g1),
			divergent: "urllib3 decodes an unknown element of a list as deflate; here a list with an unknown coding is not decoded, as a lone unknown coding is not",
			py:        fail,
		},

		{name: "br", ce: "br", data: br, want: ok(data)},
		{name: "BR", ce: "BR", data: brOf(t, small), want: ok(small)},
		{name: "br bad data", ce: "br", data: corruptAt(br, 0), want: fail},
		{name: "br trailing garbage", ce: "br", data: cat(br, []byte("garbage")), want: fail},
		{name: "gzip, br", ce: "gzip, br", data: brOf(t, g1), want: ok(small)},
		{
			name: "br truncated", ce: "br", data: br[:len(br)/2], want: fail,
			divergent: "urllib3 returns what it decoded of a truncated stream; a truncated stream is an error here",
			pyAnyData: true,
		},

		{name: "zstd", ce: "zstd", data: zs, want: ok(data)},
		{name: "zstd two frames", ce: "zstd", data: cat(zstdOf(t, small), zstdOf(t, []byte("second"))), want: ok(cat(small, []byte("second")))},
		{name: "zstd truncated", ce: "zstd", data: zs[:len(zs)/2], want: fail},
		{name: "zstd bad magic", ce: "zstd", data: corruptAt(zs, 0), want: fail},
		{name: "zstd trailing garbage", ce: "zstd", data: cat(zs, []byte("garbage")), want: fail},
		{name: "br, zstd", ce: "br, zstd", data: zstdOf(t, brOf(t, small)), want: ok(small)},
		{name: "zstd 8 MiB window", ce: "zstd", data: zstdRawFrame(23, "abc"), want: ok([]byte("abc"))},
		{name: "zstd 256 MiB window", ce: "zstd", data: zstdRawFrame(28, "abc"), want: fail},
		{
			name: "zstd 16 MiB window", ce: "zstd", data: zstdRawFrame(24, "abc"), want: fail,
			divergent: "urllib3 accepts windows up to libzstd's default 128 MiB; here up to RFC 9659's 8 MiB",
			py:        ok([]byte("abc")),
		},
		{name: "zstd empty body", ce: "zstd", data: nil, want: ok(nil)},
		{name: "br empty body", ce: "br", data: nil, want: ok(nil)},
	}

	type pyCase struct {
		CE   string `json:"ce"`
		Data []byte `json:"data"`
	}
	in := make([]pyCase, len(tests))
	for i, tt := range tests {
		in[i] = pyCase{CE: tt.ce, Data: tt.data}
	}
	stdin, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("python3", "-c", urllib3Script)
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, stderr.Bytes())
	}
	var reply urllib3Reply
	if err := json.Unmarshal(stdout, &reply); err != nil {
		t.Fatalf("python3 reply: %v", err)
	}
	if len(reply.Results) != len(tests) {
		t.Fatalf("python3 gave %d results for %d cases", len(reply.Results), len(tests))
	}
	if !strings.HasPrefix(reply.Version, "2.7.") {
		t.Skipf("urllib3 %s: these cases were checked against 2.7.0", reply.Version)
	}
	t.Logf("urllib3 %s, br decoder %v, zstd decoder %v", reply.Version, reply.Br, reply.Zstd)

	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got outcome
			codings := []string{tt.ce}
			if tt.ce == "" {
				codings = nil
			}
			b, _, err := decodeAll(t, tt.data, codings...)
			switch {
			case err == nil:
				got.Data = string(b)
			case errors.Is(err, ErrDecode):
				got.Err = true
				t.Logf("NewReader: %v", err)
			default:
				t.Fatalf("error not matching ErrDecode: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("NewReader (-want +got):\n%s", diff)
			}

			for _, c := range strings.Split(strings.ToLower(tt.ce), ",") {
				switch c = strings.TrimSpace(c); {
				case c == "br" && !reply.Br:
					t.Skip("not compared: urllib3 has no brotli module here (import brotli or brotlicffi fails)")
				case c == "zstd" && !reply.Zstd:
					t.Skip("not compared: urllib3 has no zstd module here (compression.zstd or backports.zstd)")
				}
			}
			r := reply.Results[i]
			if r.Read.Error != "" {
				t.Logf("urllib3: %s", r.Read.Error)
			}

			for _, mode := range []struct {
				name string
				py   outcome
			}{
				{"read()", r.Read.outcome()},
				{"stream(10240)", r.Stream.outcome()},
			} {
				if tt.divergent == "" || tt.streamOnly && mode.name == "read()" {
					if diff := cmp.Diff(mode.py, got); diff != "" {
						t.Errorf("NewReader differs from urllib3 %s (-urllib3 +NewReader):\n%s", mode.name, diff)
					}
					continue
				}
				py, wantPy := mode.py, tt.py
				if tt.pyAnyData {
					py.Data, wantPy.Data = "", ""
				}
				if diff := cmp.Diff(wantPy, py); diff != "" {
					t.Errorf("urllib3 %s no longer gives what the known difference says (-documented +urllib3):\n%s", mode.name, diff)
				}
			}
			if tt.divergent != "" {
				t.Logf("known difference: %s", tt.divergent)
			}
		})
	}
}

// gzipPrefix is what a gzip reader decodes of a truncated member.
func gzipPrefix(tb testing.TB, member []byte) []byte {
	tb.Helper()
	zr, err := kgzip.NewReader(bytes.NewReader(member))
	must(tb, err)
	b, err := io.ReadAll(zr)
	if err != io.ErrUnexpectedEOF {
		tb.Fatalf("decoding a truncated member: %v, want %v", err, io.ErrUnexpectedEOF)
	}
	return b
}

// ---- decompression bomb -------------------------------------------------

// zeroReader reads zeros.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

var (
	bombOnce sync.Once
	bomb     []byte
)

// gzipBomb is 1 GiB of zeros, gzipped (about 1 MiB), made without holding
// the 1 GiB.
func gzipBomb(tb testing.TB) []byte {
	bombOnce.Do(func() {
		var b bytes.Buffer
		w, err := kgzip.NewWriterLevel(&b, kgzip.BestSpeed)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := io.CopyN(w, zeroReader{}, 1<<30); err != nil {
			tb.Fatal(err)
		}
		if err := w.Close(); err != nil {
			tb.Fatal(err)
		}
		bomb = b.Bytes()
	})
	return bomb
}

func TestBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	if raceEnabled {
		t.Skip("making and decoding 1 GiB takes minutes under the race detector")
	}
	enc := gzipBomb(t)
	t.Logf("1 GiB of zeros gzipped to %d bytes", len(enc))
	const limit = 10 << 20

	runtime.GC()
	rc, _, err := NewReader(io.NopCloser(bytes.NewReader(enc)), []string{"gzip"})
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	n, err := io.Copy(io.Discard, io.LimitReader(rc, limit))
	if err != nil {
		t.Fatal(err)
	}
	if n != limit {
		t.Errorf("read %d bytes, want the limit %d", n, limit)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if ms.HeapInuse > 64<<20 {
		t.Errorf("heap in use %d MiB after decoding to the limit, want < 64 MiB", ms.HeapInuse>>20)
	}
	// Decoding the whole of it stays small too: nothing is kept.
	var peak uint64
	buf := make([]byte, 32<<10)
	var total int64
	for i := 0; ; i++ {
		n, err := rc.Read(buf)
		total += int64(n)
		if i%4096 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if total+limit != 1<<30 {
		t.Errorf("decoded %d bytes in all, want 1 GiB", total+limit)
	}
	if peak > 64<<20 {
		t.Errorf("heap in use peaked at %d MiB while decoding 1 GiB, want < 64 MiB", peak>>20)
	}
	t.Logf("heap in use peaked at %.1f MiB while decoding 1 GiB", float64(peak)/(1<<20))
}

// ---- benchmarks ---------------------------------------------------------

var (
	benchOnce sync.Map // coding -> []byte
)

func benchData(b *testing.B, coding string) []byte {
	if v, ok := benchOnce.Load(coding); ok {
		return v.([]byte)
	}
	enc := encode(b, text(16<<20), coding)
	benchOnce.Store(coding, enc)
	return enc
}

func benchmarkDecode(b *testing.B, coding, name string, size int) {
	var enc []byte
	if size == 16<<20 {
		enc = benchData(b, coding)
	} else {
		enc = encode(b, text(size), coding)
	}
	buf := make([]byte, 32<<10)
	src := bytes.NewReader(enc)
	body := io.NopCloser(src)
	b.SetBytes(int64(size))
	b.ReportMetric(float64(size)/float64(len(enc)), "ratio")
	b.ReportAllocs()
	for b.Loop() {
		src.Reset(enc)
		rc, _, err := NewReader(body, []string{name})
		if err != nil {
			b.Fatal(err)
		}
		var n int
		for {
			m, err := rc.Read(buf)
			n += m
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		if n != size {
			b.Fatalf("decoded %d bytes, want %d", n, size)
		}
		rc.Close()
	}
}

func BenchmarkGzip(b *testing.B)    { benchmarkDecode(b, "gzip", "gzip", 16<<20) }
func BenchmarkDeflate(b *testing.B) { benchmarkDecode(b, "deflate", "deflate", 16<<20) }
func BenchmarkBrotli(b *testing.B)  { benchmarkDecode(b, "br", "br", 16<<20) }
func BenchmarkZstd(b *testing.B)    { benchmarkDecode(b, "zstd", "zstd", 16<<20) }

// BenchmarkSmall decodes a 2 KiB response: the cost of NewReader and Close.
func BenchmarkSmall(b *testing.B) {
	for _, c := range []string{"gzip", "deflate", "br", "zstd"} {
		b.Run(c, func(b *testing.B) { benchmarkDecode(b, c, c, 2<<10) })
	}
}

func ExampleNewReader() {
	var buf bytes.Buffer
	w := stdgzip.NewWriter(&buf)
	_, _ = w.Write([]byte("hello, world"))
	_ = w.Close()
	header := http.Header{"Content-Encoding": {"gzip"}}

	rc, decoded, err := NewReader(io.NopCloser(&buf), header.Values("Content-Encoding"))
	if err != nil {
		panic(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	fmt.Println(string(b), decoded, err)
	// Output: hello, world true <nil>
}
