package stream

import (
	"bufio"
	"bytes"
	"io"
	"iter"
	"strings"
	"sync"
	"testing"
	"time"
)

// benchSize is the size of the benchmark bodies: 64 MiB.
const benchSize = 64 << 20

// readerOnly hides every method of its reader but Read, so that io.Copy
// cannot skip the copy through bytes.Reader's WriteTo.
type readerOnly struct{ io.Reader }

// benchBodies holds the benchmark bodies, built once each.
var benchBodies sync.Map // string -> func() []byte

// benchBody returns about 64 MiB of copies of unit, the same slice each
// time for the same unit, and the number of copies.
func benchBody(unit string) ([]byte, int) {
	f, _ := benchBodies.LoadOrStore(unit, sync.OnceValue(func() []byte {
		return []byte(strings.Repeat(unit, benchSize/len(unit)))
	}))
	return f.(func() []byte)(), benchSize / len(unit)
}

// line80 returns an 80-byte line ending in end.
func line80(end string) string {
	return strings.Repeat("x", 80-len(end)) + end
}

// reportPer reports the time per item besides the time per op.
func reportPer(b *testing.B, items int, unit string) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(items), "ns/"+unit)
}

// BenchmarkIOCopy is the baseline: the same 64 MiB copied from a reader
// into io.Discard (through its ReadFrom and 8 KiB buffer), which is the
// least any consumer of the body does.
func BenchmarkIOCopy(b *testing.B) {
	body, _ := benchBody(line80("\n"))
	r := bytes.NewReader(body)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		r.Reset(body)
		if _, err := io.Copy(io.Discard, readerOnly{r}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIOCopyBuffer is the baseline with reads of the size Lines and
// Chunks use.
func BenchmarkIOCopyBuffer(b *testing.B) {
	body, _ := benchBody(line80("\n"))
	r := bytes.NewReader(body)
	buf := make([]byte, bufSize)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		r.Reset(body)
		if _, err := io.CopyBuffer(struct{ io.Writer }{io.Discard}, readerOnly{r}, buf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBufioScanner is a second baseline: bufio.Scanner with
// ScanLines over the same 80-byte lines, the usual way to split lines in
// Go (it splits on LF only and drops a CR before it).
func BenchmarkBufioScanner(b *testing.B) {
	body, lines := benchBody(line80("\n"))
	r := bytes.NewReader(body)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		r.Reset(body)
		sc := bufio.NewScanner(r)
		n := 0
		for sc.Scan() {
			n++
		}
		if err := sc.Err(); err != nil || n != lines {
			b.Fatalf("%d lines, %v; want %d", n, err, lines)
		}
	}
	reportPer(b, lines, "line")
}

// BenchmarkSplitFloor is the least any splitter of these lines does: one
// bytes.IndexByte per line over memory, nothing yielded, no "\r" looked
// for. Lines cannot be faster than this per line.
func BenchmarkSplitFloor(b *testing.B) {
	body, lines := benchBody(line80("\n"))
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		n := 0
		for d := body; ; n++ {
			i := bytes.IndexByte(d, '\n')
			if i < 0 {
				break
			}
			d = d[i+1:]
		}
		if n != lines {
			b.Fatalf("%d lines, want %d", n, lines)
		}
	}
	reportPer(b, lines, "line")
}

// BenchmarkYieldFloor is the other part of the floor: an iterator that
// hands each line (at a known offset, nothing searched) to the loop body.
func BenchmarkYieldFloor(b *testing.B) {
	body, lines := benchBody(line80("\n"))
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		n := 0
		for line, err := range fixedLines(body, 80) {
			if err != nil {
				b.Fatal(err)
			}
			n += len(line)
		}
		if n != lines*79 {
			b.Fatalf("%d bytes, want %d", n, lines*79)
		}
	}
	reportPer(b, lines, "line")
}

// fixedLines yields body's lines of lineLen bytes without their last byte.
//
//go:noinline
func fixedLines(body []byte, lineLen int) iter.Seq2[[]byte, error] {
	return func(yield func([]byte, error) bool) {
		for off := 0; off+lineLen <= len(body); off += lineLen {
			end := off + lineLen - 1
			if !yield(body[off:end:end], nil) {
				return
			}
		}
	}
}

// BenchmarkLines splits 64 MiB of 80-byte lines.
func BenchmarkLines(b *testing.B) {
	for _, bc := range []struct {
		name  string
		end   string
		delim []byte
	}{
		{name: "LF", end: "\n"},
		{name: "CRLF", end: "\r\n"},
		{name: "CR", end: "\r"},
		{name: "delim=LF", end: "\n", delim: []byte("\n")},
		{name: "delim=CRLF", end: "\r\n", delim: []byte("\r\n")},
	} {
		b.Run(bc.name, func(b *testing.B) {
			body, lines := benchBody(line80(bc.end))
			r := bytes.NewReader(body)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				r.Reset(body)
				n, size := 0, 0
				for line, err := range Lines(r, bc.delim) {
					if err != nil {
						b.Fatal(err)
					}
					n++
					size += len(line)
				}
				if n < lines || size != lines*(80-len(bc.end)) {
					b.Fatalf("%d lines of %d bytes, want %d of %d", n, size, lines, lines*(80-len(bc.end)))
				}
			}
			reportPer(b, lines, "line")
		})
	}
}

// BenchmarkTextLines decodes and splits the same 64 MiB of 80-byte lines
// as text: one string a line.
func BenchmarkTextLines(b *testing.B) {
	for _, label := range []string{"utf-8", "latin-1"} {
		b.Run(label, func(b *testing.B) {
			body, lines := benchBody(line80("\n"))
			r := bytes.NewReader(body)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				r.Reset(body)
				n, size := 0, 0
				for line, err := range TextLines(r, label, -1) {
					if err != nil {
						b.Fatal(err)
					}
					n++
					size += len(line)
				}
				if n != lines || size != lines*79 {
					b.Fatalf("%d lines of %d bytes, want %d of %d", n, size, lines, lines*79)
				}
			}
			reportPer(b, lines, "line")
		})
	}
}

// BenchmarkChunks cuts the same 64 MiB into chunks.
func BenchmarkChunks(b *testing.B) {
	for _, bc := range []struct {
		name string
		n    int
	}{
		{name: "512B", n: 512},
		{name: "4KiB", n: 4 << 10},
		{name: "default", n: 0},
		{name: "1MiB", n: 1 << 20},
	} {
		b.Run(bc.name, func(b *testing.B) {
			body, _ := benchBody(line80("\n"))
			r := bytes.NewReader(body)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				r.Reset(body)
				size := 0
				for chunk, err := range Chunks(r, bc.n) {
					if err != nil {
						b.Fatal(err)
					}
					size += len(chunk)
				}
				if size != len(body) {
					b.Fatalf("%d bytes, want %d", size, len(body))
				}
			}
			n := bc.n
			if n <= 0 {
				n = DefaultChunkSize
			}
			reportPer(b, (len(body)+n-1)/n, "chunk")
		})
	}
}

// BenchmarkEvents parses 64 MiB of small events.
func BenchmarkEvents(b *testing.B) {
	unit := "id: 12345\nevent: tick\ndata: " + strings.Repeat("x", 40) + "\ndata: " + strings.Repeat("y", 20) + "\n\n"
	body, events := benchBody(unit)
	r := bytes.NewReader(body)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		r.Reset(body)
		n := 0
		var retry time.Duration
		for ev, err := range Events(r) {
			if err != nil {
				b.Fatal(err)
			}
			n++
			retry += ev.Retry
		}
		if n != events || retry != 0 {
			b.Fatalf("%d events, want %d", n, events)
		}
	}
	reportPer(b, events, "event")
}
