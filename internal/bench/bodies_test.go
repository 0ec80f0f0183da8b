package bench

// Bodies in and out: large response bodies read as they arrive (Download)
// and a file sent as multipart/form-data (Upload), tether against the same
// work done by hand with net/http. Sub-benchmarks are
// size=<64MiB|1GiB>/how=<method>; read them with
//
//	benchstat -col /how -filter .name:Download results.txt
//	benchstat -col /how -filter .name:Upload results.txt
//
// Besides MB/s (b.SetBytes is the body size), B/op, allocs/op and cpu-ns/op
// they report B/MiB (bytes allocated per MiB of body: flat when nothing is
// allocated per byte) and peak-heap-MiB (the most heap in use at any time
// during the run, sampled: flat when no method holds the body in memory).

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"iter"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/bench/fixture"
	"github.com/tether-http/tether/request"
)

// bodySize is one body size of the Download and Upload benchmarks; big
// ones are left out with -short.
type bodySize struct {
	name string
	n    int64
	big  bool
}

var bodySizes = []bodySize{
	{"64MiB", 64 << 20, false},
	{"1GiB", 1 << 30, true},
}

// A download is one way to read the body of GET /lines/N to its end.
// start gets a directory for the methods that save the body to a file and
// returns the op and a function that releases the method's connections.
//
// get fetches u and reads the whole body. With out == nil (timed) it keeps
// nothing; otherwise it also writes to out what it received: the body, or
// for a line method each line followed by "\n". It returns the number of
// bytes it saw: the body's length, or for a line method the lines' bytes
// plus one per line.
type download struct {
	how   string
	lines bool
	start func(dir string) (get func(ctx context.Context, u string, out io.Writer) (int64, error), done func())
}

// downloads, net/http's plain copy first: benchstat -col /how takes the
// first column as the base of its comparisons.
var downloads = []download{
	{"nethttp-copy", false, nethttpCopy},
	{"nethttp-savefile", false, nethttpSaveFile},
	{"nethttp-savefile-sync", false, nethttpSaveFileSync},
	{"nethttp-lines", true, nethttpLines},
	{"tether-body-copy", false, tetherBodyCopy},
	{"tether-savefile", false, tetherSaveFile},
	{"tether-lines", true, tetherLines},
	{"tether-chunks", false, tetherChunks},
}

// lineFloors are not ways to read lines but what any splitter over the
// same reads costs at least, for BenchmarkLineLength: the body read into
// a 64 KiB buffer (the size of Lines' reads) and each read searched in
// bulk for "\n" by bytes.Count, or line by line by one bytes.IndexByte a
// line, with nothing yielded; or, with no search at all, a range-over-func
// loop handed a line at every line length (the lines' known places), what
// yielding each line costs. Each returns the bytes read.
var lineFloors = []download{
	{"floor-count", false, floorOf(func(p []byte, _ int) { _ = bytes.Count(p, newline) })},
	{"floor-indexbyte", false, floorOf(func(p []byte, _ int) {
		for i := bytes.IndexByte(p, '\n'); i >= 0; i = bytes.IndexByte(p, '\n') {
			p = p[i+1:]
		}
	})},
	{"floor-yield", false, floorOf(func(p []byte, lineLen int) {
		n := 0
		for line := range everyLine(p, lineLen) {
			n += len(line)
		}
		floorSink += n
	})},
}

// floorSink keeps floor-yield's loop from being optimised away.
var floorSink int

// everyLine yields p's pieces of lineLen bytes, as a line iterator
// yields lines it has found.
//
//go:noinline
func everyLine(p []byte, lineLen int) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		for off := 0; off < len(p); off += lineLen {
			end := min(off+lineLen-1, len(p))
			if !yield(p[off:end:end]) {
				return
			}
		}
	}
}

// floorOf returns a download that hands each read of the body, and the
// length of its lines, to search.
func floorOf(search func(p []byte, lineLen int)) func(string) (func(context.Context, string, io.Writer) (int64, error), func()) {
	return func(string) (func(context.Context, string, io.Writer) (int64, error), func()) {
		cl := newHTTPClient()
		buf := make([]byte, 64<<10)
		return func(ctx context.Context, u string, _ io.Writer) (int64, error) {
			lineLen := fixture.LineLen
			if pu, err := url.Parse(u); err == nil && pu.Query().Get("len") != "" {
				lineLen, _ = strconv.Atoi(pu.Query().Get("len"))
			}
			resp, err := nethttpGetBody(cl, ctx, u)
			if err != nil {
				return 0, err
			}
			defer resp.Body.Close()
			var n int64
			for {
				m, err := resp.Body.Read(buf)
				search(buf[:m], lineLen)
				n += int64(m)
				if err == io.EOF {
					return n, nil
				}
				if err != nil {
					return n, err
				}
			}
		}, cl.CloseIdleConnections
	}
}

// saveName is the file the savefile methods write in their directory.
const saveName = "body.txt"

var newline = []byte{'\n'}

// nethttpGetBody sends GET u and returns the response of a 200.
func nethttpGetBody(cl *http.Client, ctx context.Context, u string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := cl.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		_ = resp.Body.Close()
		return nil, fmt.Errorf("status %s", resp.Status)
	}
	return resp, nil
}

// nethttpCopy: the body copied to io.Discard (or out).
func nethttpCopy(string) (func(context.Context, string, io.Writer) (int64, error), func()) {
	cl := newHTTPClient()
	return func(ctx context.Context, u string, out io.Writer) (int64, error) {
		resp, err := nethttpGetBody(cl, ctx, u)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		if out == nil {
			out = io.Discard
		}
		return io.Copy(out, resp.Body)
	}, cl.CloseIdleConnections
}

// nethttpSaveFile: os.Create and io.Copy, what SaveFile is measured
// against; nethttpSaveFileSync also does what SaveFile does on top of
// that (a temporary file, fsync, rename), to tell its own costs apart.
func nethttpSaveFile(dir string) (func(context.Context, string, io.Writer) (int64, error), func()) {
	return nethttpSave(dir, false)
}

func nethttpSaveFileSync(dir string) (func(context.Context, string, io.Writer) (int64, error), func()) {
	return nethttpSave(dir, true)
}

func nethttpSave(dir string, durable bool) (func(context.Context, string, io.Writer) (int64, error), func()) {
	cl := newHTTPClient()
	path := filepath.Join(dir, saveName)
	return func(ctx context.Context, u string, out io.Writer) (int64, error) {
		resp, err := nethttpGetBody(cl, ctx, u)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		var f *os.File
		if durable {
			f, err = os.CreateTemp(dir, "."+saveName+".*.part")
		} else {
			f, err = os.Create(path)
		}
		if err != nil {
			return 0, err
		}
		n, err := io.Copy(f, resp.Body)
		if err == nil && durable {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil && durable {
			err = os.Rename(f.Name(), path)
		}
		if err != nil {
			_ = os.Remove(f.Name())
			return n, err
		}
		return n, copyFileTo(out, path)
	}, cl.CloseIdleConnections
}

// copyFileTo copies the file at path to out, if out is not nil.
func copyFileTo(out io.Writer, path string) error {
	if out == nil {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(out, f)
	return err
}

// nethttpLines: a bufio.Scanner over the body, with tether's 64 KiB line
// buffer: what splitting lines costs with the standard library. A
// reference point for tether-lines, not a target.
func nethttpLines(string) (func(context.Context, string, io.Writer) (int64, error), func()) {
	cl := newHTTPClient()
	return func(ctx context.Context, u string, out io.Writer) (int64, error) {
		resp, err := nethttpGetBody(cl, ctx, u)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 64<<10), 128<<10)
		var n int64
		for sc.Scan() {
			line := sc.Bytes()
			n += int64(len(line)) + 1
			if out != nil {
				_, _ = out.Write(line)
				_, _ = out.Write(newline)
			}
		}
		return n, sc.Err()
	}, cl.CloseIdleConnections
}

// tetherGetStream sends a streamed GET u and returns the response of a
// 200, as nethttpGetBody does for net/http.
func tetherGetStream(s *client.Session, ctx context.Context, u string) (*request.Response, error) {
	r, err := s.Get(u).Stream().Do(ctx)
	if err != nil {
		return nil, err
	}
	if r.StatusCode() != http.StatusOK {
		_ = r.Close()
		return nil, fmt.Errorf("status %d", r.StatusCode())
	}
	return r, nil
}

// tetherBodyCopy: Response.Body copied to io.Discard (or out).
func tetherBodyCopy(string) (func(context.Context, string, io.Writer) (int64, error), func()) {
	s := client.New()
	return func(ctx context.Context, u string, out io.Writer) (int64, error) {
		r, err := tetherGetStream(s, ctx, u)
		if err != nil {
			return 0, err
		}
		defer r.Close()
		body := r.Body()
		defer body.Close()
		if out == nil {
			out = io.Discard
		}
		return io.Copy(out, body)
	}, func() { _ = s.Close() }
}

// tetherSaveFile: Response.SaveFile.
func tetherSaveFile(dir string) (func(context.Context, string, io.Writer) (int64, error), func()) {
	s := client.New()
	path := filepath.Join(dir, saveName)
	return func(ctx context.Context, u string, out io.Writer) (int64, error) {
		r, err := tetherGetStream(s, ctx, u)
		if err != nil {
			return 0, err
		}
		defer r.Close()
		n, err := r.SaveFile(path)
		if err != nil {
			return n, err
		}
		return n, copyFileTo(out, path)
	}, func() { _ = s.Close() }
}

// tetherLines: Response.Lines.
func tetherLines(string) (func(context.Context, string, io.Writer) (int64, error), func()) {
	s := client.New()
	return func(ctx context.Context, u string, out io.Writer) (int64, error) {
		r, err := tetherGetStream(s, ctx, u)
		if err != nil {
			return 0, err
		}
		defer r.Close()
		var n int64
		for line, err := range r.Lines() {
			if err != nil {
				return n, err
			}
			n += int64(len(line)) + 1
			if out != nil {
				_, _ = out.Write(line)
				_, _ = out.Write(newline)
			}
		}
		return n, nil
	}, func() { _ = s.Close() }
}

// tetherChunks: Response.Chunks with the default chunk size (32 KiB).
func tetherChunks(string) (func(context.Context, string, io.Writer) (int64, error), func()) {
	s := client.New()
	return func(ctx context.Context, u string, out io.Writer) (int64, error) {
		r, err := tetherGetStream(s, ctx, u)
		if err != nil {
			return 0, err
		}
		defer r.Close()
		var n int64
		for chunk, err := range r.Chunks(0) {
			if err != nil {
				return n, err
			}
			n += int64(len(chunk))
			if out != nil {
				_, _ = out.Write(chunk)
			}
		}
		return n, nil
	}, func() { _ = s.Close() }
}

// wantSeen is what a download's get returns for a body of n bytes of
// lineLen-byte lines.
func (d download) wantSeen(n int64, lineLen int) int64 {
	if d.lines {
		lines, text := fixture.LinesIn(n, lineLen)
		return text + lines
	}
	return n
}

// An upload is one way to send the file at path as the multipart part
// "file" to base+fixture.UploadPath. send returns the number of body bytes
// the server counted.
type upload struct {
	how   string
	start func(base string) (send func(ctx context.Context, path string) (int64, error), done func())
}

// uploads, net/http first (the base column).
var uploads = []upload{
	{"nethttp-multipart-pipe", nethttpMultipartPipe},
	{"tether-filefrompath", tetherFileFromPath},
}

// uploadField is the form field the file goes in.
const uploadField = "file"

// maxFraming bounds what multipart adds around the file's bytes.
const maxFraming = 1 << 10

// serverCount parses the server's answer: the number of bytes it read.
func serverCount(status int, body []byte) (int64, error) {
	if status != http.StatusOK {
		return 0, fmt.Errorf("status %d: %s", status, body)
	}
	return strconv.ParseInt(string(body), 10, 64)
}

// nethttpMultipartPipe: the usual streaming upload with net/http, a
// mime/multipart.Writer writing into an io.Pipe from a goroutine (so the
// length is unknown and the body goes chunked).
func nethttpMultipartPipe(base string) (func(context.Context, string) (int64, error), func()) {
	cl := newHTTPClient()
	u := base + fixture.UploadPath
	return func(ctx context.Context, path string) (int64, error) {
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		done := make(chan struct{})
		go func() {
			defer close(done)
			pw.CloseWithError(writeMultipartFile(mw, path)) // nil: EOF
		}()
		defer func() { <-done }()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, pr)
		if err != nil {
			_ = pr.Close()
			return 0, err
		}
		req.Header.Set("Content-Type", mw.FormDataContentType())
		resp, err := cl.Do(req) // closes pr, which ends the goroutine, whatever happens
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return 0, err
		}
		return serverCount(resp.StatusCode, body)
	}, cl.CloseIdleConnections
}

func writeMultipartFile(mw *multipart.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	part, err := mw.CreateFormFile(uploadField, filepath.Base(path))
	if err != nil {
		return err
	}
	if _, err := io.Copy(part, f); err != nil {
		return err
	}
	return mw.Close()
}

// tetherFileFromPath: Builder.FileFromPath.
func tetherFileFromPath(base string) (func(context.Context, string) (int64, error), func()) {
	s := client.New()
	u := base + fixture.UploadPath
	return func(ctx context.Context, path string) (int64, error) {
		r, err := s.Post(u).FileFromPath(uploadField, path).Do(ctx)
		if err != nil {
			return 0, err
		}
		return serverCount(r.StatusCode(), r.Bytes())
	}, func() { _ = s.Close() }
}

// writeUploadFile writes n bytes of the lines body to a new file in dir.
func writeUploadFile(dir string, n int64) (string, error) {
	path := filepath.Join(dir, "upload.txt")
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	_, err = fixture.WriteLines(f, n, fixture.LineLen)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return path, err
}

// bodyMeter adds the metrics of a Download or Upload run: cpu-ns/op,
// B/MiB and peak-heap-MiB.
type bodyMeter struct {
	m      meter
	size   int64
	alloc0 uint64
	stop   chan struct{}
	done   chan struct{}
	once   sync.Once
	peak   uint64 // written by the sampler until done is closed
}

// heapMetric is the heap memory taken by objects, live or not yet swept
// (MemStats.HeapAlloc), read without stopping the world.
const heapMetric = "/memory/classes/heap/objects:bytes"

// heapSampleEvery is how often the sampler reads heapMetric.
const heapSampleEvery = time.Millisecond

// startBodyMeter starts measuring, and the goroutine that samples the
// heap; call it right before the timed loop, and report right after it.
func startBodyMeter(size int64) *bodyMeter {
	bm := &bodyMeter{size: size, stop: make(chan struct{}), done: make(chan struct{})}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	bm.alloc0 = ms.TotalAlloc
	bm.m = startMeter()
	go bm.sample()
	return bm
}

func (bm *bodyMeter) sample() {
	defer close(bm.done)
	s := []metrics.Sample{{Name: heapMetric}}
	t := time.NewTicker(heapSampleEvery)
	defer t.Stop()
	for {
		metrics.Read(s)
		bm.peak = max(bm.peak, s[0].Value.Uint64())
		select {
		case <-bm.stop:
			return
		case <-t.C:
		}
	}
}

// halt stops the sampler and waits for it; it may be called again (defer
// it, so that a failed run does not leak the goroutine).
func (bm *bodyMeter) halt() {
	bm.once.Do(func() { close(bm.stop) })
	<-bm.done
}

func (bm *bodyMeter) report(b *testing.B) {
	bm.halt()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	bm.m.report(b, false)
	if b.N > 0 {
		perOp := float64(ms.TotalAlloc-bm.alloc0) / float64(b.N)
		b.ReportMetric(perOp/(float64(bm.size)/(1<<20)), "B/MiB")
	}
	b.ReportMetric(float64(bm.peak)/(1<<20), "peak-heap-MiB")
}

// BenchmarkDownload: GET /lines/N, N bytes of 80-byte text lines (identity
// encoding, Content-Length set) read to the end by each method. One op is
// one request and its whole body.
func BenchmarkDownload(b *testing.B) {
	for _, sz := range bodySizes {
		b.Run("size="+sz.name, func(b *testing.B) {
			if sz.big && testing.Short() {
				b.Skip("big body: not with -short")
			}
			for _, d := range downloads {
				b.Run("how="+d.how, func(b *testing.B) {
					benchDownload(b, d, sz.n, fixture.LineLen)
				})
			}
		})
	}
}

// lineLengths are the line lengths of BenchmarkLineLength, the default
// first.
var lineLengths = []int{fixture.LineLen, 256, 1024}

// BenchmarkLineLength: Lines against the raw copy and bufio.Scanner over
// 64 MiB of lines of each length in lineLengths, with the two lineFloors.
// Splitting costs per line, so the shorter the lines the more it weighs
// against the copy.
func BenchmarkLineLength(b *testing.B) {
	const n = 64 << 20
	for _, lineLen := range lineLengths {
		b.Run("len="+strconv.Itoa(lineLen), func(b *testing.B) {
			var ds []download
			for _, d := range downloads {
				if d.how == "nethttp-copy" || d.lines {
					ds = append(ds, d)
				}
			}
			for _, d := range append(ds, lineFloors...) {
				b.Run("how="+d.how, func(b *testing.B) {
					benchDownload(b, d, n, lineLen)
				})
			}
		})
	}
}

// benchDownload times d reading GET /lines/n?len=lineLen to its end, one
// request and its whole body an op.
func benchDownload(b *testing.B, d download, n int64, lineLen int) {
	ctx := context.Background()
	get, done := d.start(b.TempDir())
	defer done()
	// Dial before timing, with an empty body: a run of the big size is one
	// or two ops, which the dial's allocations would otherwise weigh on.
	// The server makes its buffer of lineLen-byte lines then too.
	if seen, err := get(ctx, srv.URL+fixture.LinesPath(0, lineLen), nil); err != nil || seen != 0 {
		b.Fatalf("warm-up: %d bytes, %v", seen, err)
	}
	u := srv.URL + fixture.LinesPath(n, lineLen)
	want := d.wantSeen(n, lineLen)
	b.SetBytes(n)
	b.ReportAllocs()
	bm := startBodyMeter(n)
	defer bm.halt()
	for b.Loop() {
		if seen, err := get(ctx, u, nil); err != nil || seen != want {
			b.Fatalf("%d bytes seen, want %d: %v", seen, want, err)
		}
	}
	bm.report(b)
}

// BenchmarkUpload: a file of N bytes (the lines body) sent as the one part
// of a multipart/form-data POST to /upload, which reads and counts the
// body. One op is one request.
func BenchmarkUpload(b *testing.B) {
	ctx := context.Background()
	for _, sz := range bodySizes {
		b.Run("size="+sz.name, func(b *testing.B) {
			if sz.big && testing.Short() {
				b.Skip("big body: not with -short")
			}
			dir := b.TempDir()
			path, err := writeUploadFile(dir, sz.n)
			if err != nil {
				b.Fatal(err)
			}
			empty := filepath.Join(dir, "empty.txt")
			if err := os.WriteFile(empty, nil, 0o600); err != nil {
				b.Fatal(err)
			}
			for _, up := range uploads {
				b.Run("how="+up.how, func(b *testing.B) {
					send, done := up.start(srv.URL)
					defer done()
					// Dial before timing (see BenchmarkDownload).
					if n, err := send(ctx, empty); err != nil || n > maxFraming {
						b.Fatalf("warm-up: %d bytes, %v", n, err)
					}
					b.SetBytes(sz.n)
					b.ReportAllocs()
					bm := startBodyMeter(sz.n)
					defer bm.halt()
					for b.Loop() {
						if n, err := send(ctx, path); err != nil || n < sz.n || n > sz.n+maxFraming {
							b.Fatalf("server read %d bytes for a %d-byte file: %v", n, sz.n, err)
						}
					}
					bm.report(b)
				})
			}
		})
	}
}
