package request_test

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/zstd"
	"github.com/mccutchen/go-httpbin/v2/httpbin"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/request"
)

// bodyServer serves the routes the streaming tests need, each on a
// server that counts its connections:
//
//	/gate      headers at once, then the body "after the gate" once gate
//	           is closed
//	/lines     the body in ?body=, written in pieces split at '|'
//	/truncate  Content-Length 100, 10 bytes, then the connection drops
//	/enc/C     "hello, decoded world" encoded with coding C
//	/zeros     ?n= zero bytes, gzip-encoded
//	/bomb      256 MiB of zeros, gzip-encoded (about 256 KiB on the wire)
//	/text      the body in ?body= with the Content-Type in ?ct=
//	/broken-redirect  a 302 to /text whose body is ?how= truncated,
//	           not the gzip it says, or badly chunked
//	/endless   one chunk, then nothing until the client leaves (gzip-encoded
//	           with ?gzip=1)
//	/piecewise chunked "abc", then "defgh" and "ij", each after a receive
//	           from next
type bodyServer struct {
	*httptest.Server
	gate  chan struct{}
	next  chan struct{} // /piecewise: send the next piece
	conns atomic.Int64
}

const plain = "hello, decoded world"

func newBodyServer(t *testing.T) *bodyServer {
	t.Helper()
	bs := &bodyServer{gate: make(chan struct{}), next: make(chan struct{}, 8)}
	bs.Server = httptest.NewUnstartedServer(http.HandlerFunc(bs.serve))
	bs.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			bs.conns.Add(1)
		}
	}
	bs.Start()
	t.Cleanup(bs.Close)
	return bs
}

func (bs *bodyServer) serve(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch {
	case r.URL.Path == "/gate":
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		select {
		case <-bs.gate:
		case <-r.Context().Done():
			return
		}
		io.WriteString(w, "after the gate")
	case r.URL.Path == "/lines":
		if ct := q.Get("ct"); ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		for _, piece := range strings.Split(q.Get("body"), "|") {
			io.WriteString(w, piece)
			w.(http.Flusher).Flush()
		}
	case r.URL.Path == "/truncate":
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, "0123456789")
		w.(http.Flusher).Flush()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	case strings.HasPrefix(r.URL.Path, "/enc/"):
		coding := strings.TrimPrefix(r.URL.Path, "/enc/")
		w.Header().Set("Content-Encoding", coding)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(encode(coding, []byte(plain)))
	case r.URL.Path == "/zeros":
		var n int64
		fmt.Sscan(q.Get("n"), &n)
		w.Header().Set("Content-Encoding", "gzip")
		zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
		io.CopyN(zw, zeroReader{}, n)
		zw.Close()
	case r.URL.Path == "/bomb":
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb())
	case r.URL.Path == "/text":
		w.Header().Set("Content-Type", q.Get("ct"))
		io.WriteString(w, q.Get("body"))
	case r.URL.Path == "/broken-redirect":
		// A 302 to /text whose own body cannot be read (?how=).
		to := "/text?ct=text/plain&body=final"
		switch q.Get("how") {
		case "truncated":
			w.Header().Set("Location", to)
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(http.StatusFound)
			io.WriteString(w, "0123456789") // past the test's MaxBodySize too
			w.(http.Flusher).Flush()
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
		case "gzip":
			w.Header().Set("Location", to)
			w.Header().Set("Content-Encoding", "gzip")
			w.WriteHeader(http.StatusFound)
			io.WriteString(w, "this is not gzip")
		case "chunking":
			conn, buf, err := http.NewResponseController(w).Hijack()
			if err == nil {
				buf.WriteString("HTTP/1.1 302 Found\r\nLocation: " + to + "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
				buf.Flush()
				conn.Close()
			}
		}
	case r.URL.Path == "/piecewise":
		// Chunked: "abc" at once, then "defgh" and "ij", each only once
		// the test has said it got what came before (bs.next).
		for i, piece := range []string{"abc", "defgh", "ij"} {
			if i > 0 {
				select {
				case <-bs.next:
				case <-r.Context().Done():
					return
				}
			}
			io.WriteString(w, piece)
			w.(http.Flusher).Flush()
		}
	case r.URL.Path == "/endless":
		if q.Get("gzip") != "" {
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			io.WriteString(zw, "first chunk\n")
			zw.Flush()
		} else {
			w.WriteHeader(http.StatusOK)
			io.WriteString(w, "first chunk")
		}
		w.(http.Flusher).Flush()
		<-r.Context().Done()

	default:
		http.NotFound(w, r)
	}
}

// bomb is 256 MiB of zeros, gzipped: one gzip member of 1 MiB of zeros,
// 256 times over (a gzip stream may hold many members), made once.
var bomb = sync.OnceValue(func() []byte {
	member := encode("gzip", make([]byte, 1<<20))
	return bytes.Repeat(member, 256)
})

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func encode(coding string, data []byte) []byte {
	var buf bytes.Buffer
	var w io.WriteCloser
	switch coding {
	case "gzip":
		w = gzip.NewWriter(&buf)
	case "deflate":
		w = zlib.NewWriter(&buf)
	case "br":
		w = brotli.NewWriter(&buf)
	case "zstd":
		w, _ = zstd.NewWriter(&buf)
	default:
		return data
	}
	w.Write(data)
	w.Close()
	return buf.Bytes()
}

// TestStreamReturnsAtHeaders: Do of a streamed call returns while the
// server still holds the body back; the body arrives when it is sent.
func TestStreamReturnsAtHeaders(t *testing.T) {
	t.Parallel()
	bs := newBodyServer(t)
	resp, err := request.Get(bs.URL + "/gate").Stream().Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Close()
	if resp.StatusCode() != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode())
	}
	close(bs.gate) // only now is the body sent
	if diff := cmp.Diff("after the gate", resp.Text()); diff != "" {
		t.Errorf("Text (-want +got):\n%s", diff)
	}
}

// TestStreamConnections: a body read to the end gives its connection
// back; one closed early closes it; redirect hops on the way are drained.
func TestStreamConnections(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		use       func(t *testing.T, r *request.Response)
		wantConns int64
	}{
		"read to the end": {func(t *testing.T, r *request.Response) {
			if _, err := io.Copy(io.Discard, r.Body()); err != nil {
				t.Fatal(err)
			}
		}, 1},
		"Bytes": {func(t *testing.T, r *request.Response) { r.Bytes() }, 1},
		"Lines to the end": {func(t *testing.T, r *request.Response) {
			for _, err := range r.Lines() {
				if err != nil {
					t.Fatal(err)
				}
			}
		}, 1},
		"closed before the end": {func(t *testing.T, r *request.Response) {
			b := r.Body()
			if _, err := io.ReadFull(b, make([]byte, 4)); err != nil {
				t.Fatal(err)
			}
			b.Close()
		}, 2},
		"Lines, break": {func(t *testing.T, r *request.Response) {
			for range r.Lines() {
				break
			}
		}, 2},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			bs := newBodyServer(t)
			s := client.New()
			defer s.Close()
			big := strings.Repeat("a line of text\n", 20000) // more than the transport buffers
			u := bs.URL + "/lines?body=" + urlEscape(big)
			r, err := s.Get(u).Stream().Do(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			tc.use(t, r)
			r.Close()
			if _, err := s.Get(bs.URL + "/lines?body=x").Do(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := bs.conns.Load(); got != tc.wantConns {
				t.Errorf("%d connections, want %d", got, tc.wantConns)
			}
		})
	}
}

func TestStreamRedirectHopsAreDrained(t *testing.T) {
	t.Parallel()
	srv := httptest.NewUnstartedServer(httpbin.New())
	var conns atomic.Int64
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	s := client.New()
	defer s.Close()
	r, err := s.Get(srv.URL + "/redirect/3").Stream().Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.History()) != 3 || !strings.Contains(r.Text(), `"url"`) {
		t.Fatalf("history %d, body %q", len(r.History()), r.Text())
	}
	if got := conns.Load(); got != 1 {
		t.Errorf("%d connections for 4 hops, want 1", got)
	}
}

func urlEscape(s string) string { return url.QueryEscape(s) }

// TestLinesAndChunks reads bodies written in pieces ('|' splits them on
// the wire) as iter_lines and iter_content do.
func TestLinesAndChunks(t *testing.T) {
	t.Parallel()
	bs := newBodyServer(t)
	tests := map[string]struct {
		body  string
		delim string
		chunk int
		want  []string
	}{
		"LF":                      {body: "a\nb\nc", want: []string{"a", "b", "c"}},
		"CRLF":                    {body: "a\r\nb\r\n", want: []string{"a", "b"}},
		"CR":                      {body: "a\rb", want: []string{"a", "b"}},
		"empty lines kept":        {body: "a\n\nb\n", want: []string{"a", "", "b"}},
		"CRLF split across reads": {body: "a\r|\nb", want: []string{"a", "b"}},
		"line split across reads": {body: "ab|cd\ne|f", want: []string{"abcd", "ef"}},
		"delimiter":               {body: "a;b;|c", delim: ";", want: []string{"a", "b", "c"}},
		// One piece: a chunked live stream comes in chunks as it arrives
		// (TestChunksOfALiveStream), so pieces would make this timing-bound.
		"chunks of 3":               {body: "abcdefgh", chunk: 3, want: []string{"abc", "def", "gh"}},
		"chunks larger than a body": {body: "ab", chunk: 10, want: []string{"ab"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, streamed := range []bool{true, false} {
				b := request.Get(bs.URL + "/lines?body=" + urlEscape(tc.body))
				if streamed {
					b = b.Stream()
				}
				r, err := b.Do(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				seq := r.LinesDelim([]byte(tc.delim))
				if tc.delim == "" {
					seq = r.Lines()
				}
				if tc.chunk > 0 {
					seq = r.Chunks(tc.chunk)
				}
				for line, err := range seq {
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, string(line))
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("streamed=%v (-want +got):\n%s", streamed, diff)
				}
			}
		})
	}
}

// TestTextLines: TextLines decodes by the Content-Type's charset (as Text),
// TextLinesAs by the caller's, as the body arrives in pieces, streamed or
// not, and consumes the body.
func TestTextLines(t *testing.T) {
	t.Parallel()
	bs := newBodyServer(t)
	tests := map[string]struct {
		ct, body, as string
		want         []string
	}{
		"charset":                  {ct: "text/plain; charset=iso-8859-1", body: "caf\xe9\r|\nna\xefve", want: []string{"café", "naïve"}},
		"form feed and NEL":        {ct: "text/plain; charset=latin-1", body: "a\x0cb\x85c|\n", want: []string{"a", "b", "c"}},
		"UTF-8 line separator":     {ct: "application/json", body: "x\xe2\x80|\xa8y", want: []string{"x", "y"}},
		"no charset is UTF-8":      {ct: "text/plain", body: "caf\xc3|\xa9", want: []string{"café"}},
		"UTF-16 by its BOM":        {ct: "text/plain", body: "\xff|\xfea\x00\n\x00b\x00", want: []string{"a", "b"}},
		"the caller's charset":     {ct: "text/plain; charset=utf-8", body: "caf\xe9", as: "cp1252", want: []string{"café"}},
		"the caller's UTF-16":      {ct: "text/plain", body: "a\x00\r\x00|\n\x00", as: "utf-16-le", want: []string{"a"}},
		"unknown charset is UTF-8": {ct: "text/plain; charset=nope", body: "\xc3\xa9\n", want: []string{"é"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, streamed := range []bool{true, false} {
				b := request.Get(bs.URL + "/lines?ct=" + urlEscape(tc.ct) + "&body=" + urlEscape(tc.body))
				if streamed {
					b = b.Stream()
				}
				r, err := b.Do(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				seq := r.TextLines()
				if tc.as != "" {
					seq = r.TextLinesAs(tc.as)
				}
				var got []string
				for line, err := range seq {
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, line)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("streamed=%v (-want +got):\n%s", streamed, diff)
				}
				if streamed {
					r.Bytes()
					if err := r.BodyErr(); !errors.Is(err, request.ErrStreamConsumed) {
						t.Errorf("BodyErr after the loop: %v, want ErrStreamConsumed", err)
					}
				}
			}
		})
	}
}

// TestStreamReadErrors: a body cut short is an error from every way of
// reading it, never a short body taken for a whole one.
func TestStreamReadErrors(t *testing.T) {
	t.Parallel()
	bs := newBodyServer(t)
	get := func(t *testing.T) *request.Response {
		r, err := request.Get(bs.URL + "/truncate").Stream().Do(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		return r
	}
	t.Run("Bytes and BodyErr", func(t *testing.T) {
		r := get(t)
		if got := string(r.Bytes()); got != "0123456789" {
			t.Errorf("Bytes = %q", got)
		}
		if !errors.Is(r.BodyErr(), io.ErrUnexpectedEOF) {
			t.Errorf("BodyErr = %v, want io.ErrUnexpectedEOF", r.BodyErr())
		}
		var v any
		if err := r.JSON(&v); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("JSON error = %v", err)
		}
	})
	t.Run("Lines", func(t *testing.T) {
		var last error
		for _, err := range get(t).Lines() {
			last = err
		}
		if !errors.Is(last, io.ErrUnexpectedEOF) {
			t.Errorf("last error %v", last)
		}
	})
	t.Run("not streamed", func(t *testing.T) {
		_, err := request.Get(bs.URL + "/truncate").Do(context.Background())
		if !errors.Is(err, request.ErrTransport) || !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("Do error = %v", err)
		}
	})
}

// TestSaveFile: the body lands at path whole, or path is left as it was
// and no temporary file remains.
func TestSaveFile(t *testing.T) {
	t.Parallel()
	bs := newBodyServer(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")

	r, err := request.Get(bs.URL + "/lines?body=" + urlEscape("one|two")).Stream().Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n, err := r.SaveFile(path)
	if err != nil || n != 6 {
		t.Fatalf("SaveFile = %d, %v", n, err)
	}
	if got, _ := os.ReadFile(path); string(got) != "onetwo" {
		t.Errorf("file holds %q", got)
	}

	r, err = request.Get(bs.URL + "/truncate").Stream().Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.SaveFile(path); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("SaveFile of a cut body = %v, want io.ErrUnexpectedEOF", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "onetwo" {
		t.Errorf("a failed SaveFile changed the file to %q", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d entries in the directory, want the file alone: %v", len(entries), entries)
	}
}

// TestEventsFromHTTPBin reads go-httpbin's /sse stream: three "ping"
// events whose data carries their number (it sends no id field).
func TestEventsFromHTTPBin(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(httpbin.New())
	t.Cleanup(srv.Close)
	r, err := request.Get(srv.URL + "/sse?count=3&duration=3ms").Stream().Do(context.Background())
	if err != nil || r.StatusCode() != http.StatusOK {
		t.Fatalf("Do: %v %v", r, err)
	}
	var got []string
	for ev, err := range r.Events() {
		if err != nil {
			t.Fatal(err)
		}
		var data struct{ ID int }
		if err := json.Unmarshal([]byte(ev.Data), &data); err != nil {
			t.Fatalf("event data %q: %v", ev.Data, err)
		}
		got = append(got, fmt.Sprintf("%s %q %d", ev.Type, ev.ID, data.ID))
	}
	if diff := cmp.Diff([]string{`ping "" 0`, `ping "" 1`, `ping "" 2`}, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// TestDecoding: every coding is decoded whoever set Accept-Encoding, and
// the headers keep Content-Encoding.
func TestDecoding(t *testing.T) {
	t.Parallel()
	bs := newBodyServer(t)
	for _, coding := range []string{"gzip", "deflate", "br", "zstd", "identity"} {
		for name, ae := range map[string]string{"default": "", "session gzip": "gzip", "none": "-"} {
			t.Run(coding+"/"+name, func(t *testing.T) {
				t.Parallel()
				s := client.New()
				defer s.Close()
				switch ae {
				case "-":
					s.DelHeader("Accept-Encoding")
				case "":
				default:
					s.SetHeader("Accept-Encoding", ae)
				}
				for _, streamed := range []bool{false, true} {
					b := s.Get(bs.URL + "/enc/" + coding)
					if streamed {
						b = b.Stream()
					}
					r, err := b.Do(context.Background())
					if err != nil {
						t.Fatal(err)
					}
					if diff := cmp.Diff(plain, r.Text()); diff != "" {
						t.Errorf("streamed=%v: body (-want +got):\n%s", streamed, diff)
					}
					if got := r.Header().Get("Content-Encoding"); got != coding {
						t.Errorf("Content-Encoding = %q, want %q", got, coding)
					}
				}
			})
		}
	}
	t.Run("advertised", func(t *testing.T) {
		r, err := request.Get(bs.URL + "/enc/gzip").Do(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Request().Header.Get("Accept-Encoding"); got != "gzip, deflate, br, zstd" {
			t.Errorf("Accept-Encoding = %q", got)
		}
	})
	t.Run("corrupt", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			io.WriteString(w, "not gzip at all")
		}))
		defer srv.Close()
		_, err := request.Get(srv.URL).Do(context.Background())
		if !errors.Is(err, request.ErrDecode) {
			t.Errorf("Do error = %v, want ErrDecode", err)
		}
	})
}

// TestMaxBodySize: the limit holds on decoded bytes (a gzip bomb), the
// call fails with ErrBodyTooLarge, and the connection is not reused.
func TestMaxBodySize(t *testing.T) {
	t.Parallel()
	bs := newBodyServer(t)
	const limit = 1 << 20
	bomb() // made before any allocation is measured
	tests := map[string]struct {
		b    func(s *client.Session) request.Builder
		want error
	}{
		"session limit, bomb": {func(s *client.Session) request.Builder {
			return s.SetMaxBodySize(limit).Get(bs.URL + "/bomb")
		}, request.ErrBodyTooLarge},
		"call limit, bomb": {func(s *client.Session) request.Builder {
			return s.Get(bs.URL + "/bomb").MaxBodySize(limit)
		}, request.ErrBodyTooLarge},
		"streamed Bytes, bomb": {func(s *client.Session) request.Builder {
			return s.Get(bs.URL + "/bomb").MaxBodySize(limit).Stream()
		}, request.ErrBodyTooLarge},
		"exactly the limit": {func(s *client.Session) request.Builder { return s.Get(bs.URL + "/zeros?n=1048576").MaxBodySize(limit) }, nil},
		"call lifts session's": {func(s *client.Session) request.Builder {
			return s.SetMaxBodySize(10).Get(bs.URL + "/zeros?n=100").MaxBodySize(0)
		}, nil},
		"negative is an error":    {func(s *client.Session) request.Builder { return s.Get(bs.URL).MaxBodySize(-1) }, request.ErrInvalidOption},
		"negative session errors": {func(s *client.Session) request.Builder { return s.SetMaxBodySize(-1).Get(bs.URL) }, request.ErrInvalidOption},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := client.New()
			defer s.Close()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			r, err := tc.b(s).Do(context.Background())
			if err == nil && r != nil {
				err = r.BodyErr()
				r.Close()
			}
			runtime.ReadMemStats(&after)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("error = %v, want %v", err, tc.want)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
				t.Errorf("allocated %d MiB reading a body limited to 1 MiB", grew>>20)
			}
		})
	}
	t.Run("connection closed, not pooled", func(t *testing.T) {
		bs := newBodyServer(t)
		s := client.New().SetMaxBodySize(10)
		defer s.Close()
		if _, err := s.Get(bs.URL + "/bomb").Do(context.Background()); !errors.Is(err, request.ErrBodyTooLarge) {
			t.Fatal(err)
		}
		if _, err := s.Get(bs.URL + "/zeros?n=5").Do(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := bs.conns.Load(); got != 2 {
			t.Errorf("%d connections, want 2", got)
		}
	})
}

// TestStreamTimeout: the call's Timeout keeps running while a streamed
// body is read.
func TestStreamTimeout(t *testing.T) {
	t.Parallel()
	bs := newBodyServer(t)
	r, err := request.Get(bs.URL + "/gate").Timeout(200 * time.Millisecond).Stream().Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	_, err = io.ReadAll(r.Body())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("read error = %v, want context.DeadlineExceeded", err)
	}
}

func TestTextAndEncoding(t *testing.T) {
	t.Parallel()
	bs := newBodyServer(t)
	tests := map[string]struct {
		ct, body     string
		wantEncoding string
		wantText     string
	}{
		"utf-8":                  {"text/plain; charset=utf-8", "héllo", "utf-8", "héllo"},
		"latin-1 is not cp1252":  {"text/plain; charset=ISO-8859-1", "caf\xe9 \x80", "ISO-8859-1", "café \u0080"},
		"cp1252":                 {"text/plain; charset=windows-1252", "caf\xe9 \x80", "windows-1252", "café €"},
		"json without charset":   {"application/json", `"é"`, "utf-8", `"é"`},
		"text without charset":   {"text/plain", "héllo", "", "héllo"},
		"invalid utf-8 replaced": {"text/plain; charset=utf-8", "a\xffb", "utf-8", "a\ufffdb"},
		"unknown label is utf-8": {"text/plain; charset=x-nope", "é", "x-nope", "é"},
		"a parameter named like charset is not one": {"text/plain; x-charset-name=1", "é", "", "é"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r, err := request.Get(bs.URL + "/text?ct=" + urlEscape(tc.ct) + "&body=" + urlEscape(tc.body)).Do(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.wantEncoding, r.Encoding()); diff != "" {
				t.Errorf("Encoding (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantText, r.Text()); diff != "" {
				t.Errorf("Text (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTextAs: the body decoded by the caller's charset, as requests' r.text
// after r.encoding = label (the wants are requests' own).
func TestTextAs(t *testing.T) {
	t.Parallel()
	bs := newBodyServer(t)
	const body = "caf\xe9 \x80\xff"
	r, err := request.Get(bs.URL + "/text?ct=" + urlEscape("text/plain; charset=utf-8") + "&body=" + urlEscape(body)).Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct{ label, want string }{
		"ISO-8859-1":             {"ISO-8859-1", "café \u0080ÿ"},
		"windows-1252":           {"windows-1252", "café €ÿ"},
		"a Python alias":         {"cp1252", "café €ÿ"},
		"unknown label is utf-8": {"nope", "caf\ufffd \ufffd\ufffd"},
		"utf-16":                 {"utf-16", "慣\ue966耠\ufffd"},
		"empty is no charset":    {"", "caf\ufffd \ufffd\ufffd"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, r.TextAs(tc.label)); diff != "" {
				t.Errorf("TextAs(%q) (-want +got):\n%s", tc.label, diff)
			}
		})
	}
	if diff := cmp.Diff("caf\ufffd \ufffd\ufffd", r.Text()); diff != "" {
		t.Errorf("Text by the Content-Type's charset (-want +got):\n%s", diff)
	}
}

func TestResponseFacts(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(httpbin.New())
	t.Cleanup(srv.Close)
	link := `<https://api.example.com/p?page=2>; rel="next", <https://api.example.com/p?page=9>; rel="last"; title="end"`
	tests := map[string]struct {
		path                    string
		ok, redirect, permanent bool
		wantLinks               map[string]request.Link
	}{
		"200 with links": {path: "/response-headers?Link=" + urlEscape(link), ok: true, wantLinks: map[string]request.Link{
			"next": {URL: "https://api.example.com/p?page=2", Rel: "next", Params: map[string]string{"url": "https://api.example.com/p?page=2", "rel": "next"}},
			"last": {URL: "https://api.example.com/p?page=9", Rel: "last", Params: map[string]string{"url": "https://api.example.com/p?page=9", "rel": "last", "title": "end"}},
		}},
		// requests joins the fields, as any header's: r.links has both.
		"two Link fields": {path: "/response-headers?Link=" + urlEscape("<https://a.test/2>; rel=next") + "&Link=" + urlEscape("<https://a.test/1>; rel=prev"), ok: true, wantLinks: map[string]request.Link{
			"next": {URL: "https://a.test/2", Rel: "next", Params: map[string]string{"url": "https://a.test/2", "rel": "next"}},
			"prev": {URL: "https://a.test/1", Rel: "prev", Params: map[string]string{"url": "https://a.test/1", "rel": "prev"}},
		}},
		"404":                {path: "/status/404", wantLinks: map[string]request.Link{}},
		"302":                {path: "/redirect-to?url=/get&status_code=302", ok: true, redirect: true, wantLinks: map[string]request.Link{}},
		"308":                {path: "/redirect-to?url=/get&status_code=308", ok: true, redirect: true, permanent: true, wantLinks: map[string]request.Link{}},
		"301":                {path: "/redirect-to?url=/get&status_code=301", ok: true, redirect: true, permanent: true, wantLinks: map[string]request.Link{}},
		"300 is no redirect": {path: "/redirect-to?url=/get&status_code=300", ok: true, wantLinks: map[string]request.Link{}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r, err := request.Get(srv.URL + tc.path).NoRedirects().Do(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			got := [3]bool{r.OK(), r.IsRedirect(), r.IsPermanentRedirect()}
			if diff := cmp.Diff([3]bool{tc.ok, tc.redirect, tc.permanent}, got); diff != "" {
				t.Errorf("OK, IsRedirect, IsPermanentRedirect (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantLinks, r.Links()); diff != "" {
				t.Errorf("Links (-want +got):\n%s", diff)
			}
			if r.Elapsed() <= 0 {
				t.Errorf("Elapsed = %v", r.Elapsed())
			}
		})
	}
}

// TestEventsEdgeCases sends an event stream with the WHATWG rules' edge
// cases, in pieces ('|' splits them on the wire).
func TestEventsEdgeCases(t *testing.T) {
	t.Parallel()
	bs := newBodyServer(t)
	stream := "\ufeff: a comment\r\n" +
		"data: one\r|\ndata:  two\r\n\r\n" + // CRLF split across writes, a kept second space
		"event: update\nid: 7\ndata\n\n" + // a field without a colon
		"retry: 1500\rdata: three\r\r" + // CR alone ends lines
		"retry: soon\nid: 8\u0000\ndata: four\n\n" + // a bad retry and an id with NUL are ignored
		"data: unterminated" // not dispatched at the end of the stream
	r, err := request.Get(bs.URL + "/lines?body=" + urlEscape(stream)).Stream().Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []request.Event
	for ev, err := range r.Events() {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ev)
	}
	want := []request.Event{
		{Type: "message", Data: "one\n two"},
		{ID: "7", Type: "update", Data: ""},
		{ID: "7", Type: "message", Data: "three", Retry: 1500 * time.Millisecond},
		{ID: "7", Type: "message", Data: "four", Retry: 1500 * time.Millisecond},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// TestCloseNilAndZero: Close on a nil *Response (a failed Do) and on a
// zero Response does nothing, so "defer r.Close()" may come first.
func TestCloseNilAndZero(t *testing.T) {
	var nilResp *request.Response
	var zero request.Response
	for name, r := range map[string]*request.Response{"nil": nilResp, "zero": &zero} {
		if err := r.Close(); err != nil {
			t.Errorf("%s: Close = %v", name, err)
		}
	}
}

// TestStatusOutsideErrors: requests' ok and raise_for_status look at
// 400-599 only.
func TestStatusOutsideErrors(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(r.URL.Query().Get("code"))
		w.WriteHeader(code)
	}))
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		code int
		ok   bool
	}{{399, true}, {400, false}, {599, false}, {600, true}, {999, true}} {
		r, err := request.Get(srv.URL + "/?code=" + strconv.Itoa(tc.code)).Do(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if r.OK() != tc.ok || (r.Err() == nil) != tc.ok {
			t.Errorf("%d: OK() = %v, Err() = %v; want ok %v", tc.code, r.OK(), r.Err(), tc.ok)
		}
	}
}

// TestJSONCharsets: JSON reads the body as requests' r.json() does: by
// its charset, or by guessing UTF-8/16/32 from the NUL bytes (the wants
// are what requests 2.34.2 gives; internal/textenc checks the rule against
// requests itself).
func TestJSONCharsets(t *testing.T) {
	t.Parallel()
	bs := newBodyServer(t)
	tests := map[string]struct {
		ct, body string
		want     map[string]string
		wantErr  bool
	}{
		"utf-8":                  {"application/json", `{"k":"é"}`, map[string]string{"k": "é"}, false},
		"latin-1 charset":        {"application/json; charset=iso-8859-1", "{\"k\":\"caf\xe9\"}", map[string]string{"k": "café"}, false},
		"utf-8 BOM, no type":     {"", "\xef\xbb\xbf{\"k\":\"v\"}", map[string]string{"k": "v"}, false},
		"utf-16 BOM, no charset": {"application/octet-stream", "\xff\xfe{\x00\"\x00k\x00\"\x00:\x00\"\x00\xe9\x00\"\x00}\x00", map[string]string{"k": "é"}, false},
		"utf-16be without BOM":   {"application/octet-stream", "\x00{\x00\"\x00k\x00\"\x00:\x00\"\x00v\x00\"\x00}", map[string]string{"k": "v"}, false},
		"utf-8 BOM under utf-8":  {"application/json", "\xef\xbb\xbf{}", nil, true},
		"invalid utf-8 replaced": {"application/json", "{\"k\":\"a\xffb\"}", map[string]string{"k": "a\ufffdb"}, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r, err := request.Get(bs.URL + "/text?ct=" + urlEscape(tc.ct) + "&body=" + urlEscape(tc.body)).Do(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]string
			err = r.JSON(&got)
			if (err != nil) != tc.wantErr {
				t.Fatalf("JSON error = %v, want error %v", err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("JSON (-want +got):\n%s", diff)
			}
		})
	}
}

// TestStreamConsumed: a streamed body handed out once cannot be read
// again; Bytes, BodyErr and a second iterator say so (requests raises
// RuntimeError "content already consumed" and StreamConsumedError).
func TestStreamConsumed(t *testing.T) {
	t.Parallel()
	bs := newBodyServer(t)
	u := bs.URL + "/text?ct=text/plain&body=" + urlEscape("a\nb\nc\n")
	consumers := map[string]func(*request.Response) error{
		"Lines to the end": func(r *request.Response) error {
			for _, err := range r.Lines() {
				if err != nil {
					return err
				}
			}
			return nil
		},
		"Chunks, break after one": func(r *request.Response) error {
			for _, err := range r.Chunks(2) {
				return err
			}
			return nil
		},
		"Body read and closed": func(r *request.Response) error {
			b := r.Body()
			defer b.Close()
			_, err := io.ReadAll(b)
			return err
		},
		"SaveFile": func(r *request.Response) error {
			_, err := r.SaveFile(filepath.Join(t.TempDir(), "body"))
			return err
		},
	}
	for name, consume := range consumers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r, err := request.Get(u).Stream().Do(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if err := consume(r); err != nil {
				t.Fatalf("first consumer: %v", err)
			}
			if b := r.Bytes(); len(b) != 0 {
				t.Errorf("Bytes = %q after the body was handed out", b)
			}
			if err := r.BodyErr(); !errors.Is(err, request.ErrStreamConsumed) {
				t.Errorf("BodyErr = %v, want ErrStreamConsumed", err)
			}
			var errs []error
			for _, err := range r.Lines() {
				errs = append(errs, err)
			}
			if len(errs) != 1 || !errors.Is(errs[0], request.ErrStreamConsumed) {
				t.Errorf("a second Lines yielded %v, want one ErrStreamConsumed", errs)
			}
		})
	}
	t.Run("Bytes first, then Body", func(t *testing.T) {
		t.Parallel()
		r, err := request.Get(u).Stream().Do(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if got := string(r.Bytes()); got != "a\nb\nc\n" {
			t.Fatalf("Bytes = %q", got)
		}
		b, err := io.ReadAll(r.Body())
		if err != nil || string(b) != "a\nb\nc\n" || r.BodyErr() != nil {
			t.Errorf("Body after Bytes: %q, %v, BodyErr %v", b, err, r.BodyErr())
		}
	})
}

// TestBodyReadAfterEnd: a streamed body read to its end keeps giving
// io.EOF, as any reader does, so a json.Decoder loop over NDJSON ends
// cleanly.
func TestBodyReadAfterEnd(t *testing.T) {
	t.Parallel()
	bs := newBodyServer(t)
	r, err := request.Get(bs.URL + "/text?ct=application/x-ndjson&body=" + urlEscape(`{"n":1}`+"\n"+`{"n":2}`+"\n")).Stream().Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	body := r.Body()
	dec := json.NewDecoder(body)
	var got []int
	for {
		var v struct{ N int }
		err := dec.Decode(&v)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("Decode: %v", err)
		}
		got = append(got, v.N)
	}
	if diff := cmp.Diff([]int{1, 2}, got); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
	for range 2 {
		if n, err := body.Read(make([]byte, 8)); n != 0 || err != io.EOF {
			t.Errorf("Read after the end = %d, %v; want 0, io.EOF", n, err)
		}
	}
	if err := body.Close(); err != nil {
		t.Errorf("Close = %v", err)
	}
}

// TestBrokenRedirectBodies: as requests' resolve_redirects, a redirect
// whose own body cannot be read is followed all the same.
func TestBrokenRedirectBodies(t *testing.T) {
	t.Parallel()
	bs := newBodyServer(t)
	for _, how := range []string{"truncated", "gzip", "chunking"} {
		for _, stream := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/stream=%v", how, stream), func(t *testing.T) {
				t.Parallel()
				b := request.Get(bs.URL + "/broken-redirect?how=" + how).MaxBodySize(5) // "final" fits
				if stream {
					b = b.Stream()
				}
				r, err := b.Do(context.Background())
				if err != nil {
					t.Fatalf("Do: %v", err)
				}
				defer r.Close()
				if r.StatusCode() != 200 || r.Text() != "final" || len(r.History()) != 1 {
					t.Errorf("got %v %q with %d hops before it", r, r.Text(), len(r.History()))
				}
			})
		}
	}
}

// TestCloseInterruptsBytes: Close ends a Bytes that is waiting on a
// streamed body that does not end.
func TestCloseInterruptsBytes(t *testing.T) {
	t.Parallel()
	bs := newBodyServer(t)
	reading := make(chan struct{})
	var once sync.Once
	s := client.New().Use(func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(req *http.Request) (*http.Response, error) {
			resp, err := next.RoundTrip(req)
			if err == nil {
				resp.Body = signalBody{ReadCloser: resp.Body, first: func() { once.Do(func() { close(reading) }) }}
			}
			return resp, err
		})
	})
	defer s.Close()
	r, err := s.Get(bs.URL + "/endless").Stream().Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan []byte)
	go func() { done <- r.Bytes() }()
	<-reading
	closed := make(chan error)
	go func() { closed <- r.Close() }()
	for range 2 {
		select {
		case <-done:
		case <-closed:
		case <-time.After(5 * time.Second):
			t.Fatal("Close did not end a Bytes blocked on the body")
		}
	}
	if err := r.BodyErr(); err == nil {
		t.Error("BodyErr = nil after a body cut short by Close")
	}
}

// signalBody calls first on its first Read.
type signalBody struct {
	io.ReadCloser
	first func()
}

func (b signalBody) Read(p []byte) (int, error) {
	b.first()
	return b.ReadCloser.Read(p)
}

// TestRawStreamedAndDecoded: Raw of an unread streamed response hands out
// the live body; Raw of a decoded body describes it as net/http describes
// a body it decoded.
func TestRawStreamedAndDecoded(t *testing.T) {
	t.Parallel()
	bs := newBodyServer(t)
	r, err := request.Get(bs.URL + "/endless").Stream().Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	raw := r.Raw()
	buf := make([]byte, len("first chunk"))
	if _, err := io.ReadFull(raw.Body, buf); err != nil || string(buf) != "first chunk" {
		t.Errorf("Raw().Body read %q, %v", buf, err)
	}
	if err := raw.Body.Close(); err != nil {
		t.Errorf("Raw().Body.Close = %v", err)
	}
	_ = r.Close()

	g, err := request.Get(bs.URL + "/enc/gzip").Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	gr := g.Raw()
	body, _ := io.ReadAll(gr.Body)
	if string(body) != plain || !gr.Uncompressed || gr.ContentLength != -1 || gr.Header.Get("Content-Encoding") != "" {
		t.Errorf("Raw of a gzip body: %q, Uncompressed %v, ContentLength %d, Content-Encoding %q",
			body, gr.Uncompressed, gr.ContentLength, gr.Header.Get("Content-Encoding"))
	}
	if g.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("Header lost Content-Encoding: %v", g.Header())
	}
}

// TestChunksOfALiveStream: a chunked response comes as it arrives, in
// chunks of at most n bytes, as urllib3 yields its HTTP chunks; a body of
// known length in chunks of exactly n (TestLinesAndChunks).
func TestChunksOfALiveStream(t *testing.T) {
	t.Parallel()
	bs := newBodyServer(t)
	r, err := request.Get(bs.URL + "/piecewise").Stream().Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var all strings.Builder
	first := true
	for c, err := range r.Chunks(4) {
		if err != nil {
			t.Fatal(err)
		}
		if first && string(c) != "abc" {
			t.Errorf("first chunk %q, want the 3 bytes that had come", c)
		}
		if len(c) > 4 {
			t.Errorf("chunk %q longer than 4", c)
		}
		first = false
		all.Write(c)
		bs.next <- struct{}{} // the next piece may come
	}
	if all.String() != "abcdefghij" {
		t.Errorf("body %q", all.String())
	}
}

// TestStatusLatin1: a reason phrase that is not UTF-8 is read as Latin-1,
// as http.client reads it.
func TestStatusLatin1(t *testing.T) {
	t.Parallel()
	u := rawServer(t, "HTTP/1.1 404 Fehl\xe9r\r\nContent-Length: 0\r\n\r\n")
	r, err := request.Get(u).Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Status(); got != "404 Fehlér" {
		t.Errorf("Status = %q", got)
	}
	if err := r.Err(); err == nil || !strings.Contains(err.Error(), "404 Client Error: Fehlér for url: ") {
		t.Errorf("Err = %v", err)
	}
}

// TestCloseUnderARead: Close from another goroutine while a streamed body
// read through layers (a gzip decoder, a download count) is being read
// neither closes a layer under the read (under -race, a decoder handed back
// to its pool while in use) nor lets the next response's decoder see this
// one's state: every call after it decodes its own body.
func TestCloseUnderARead(t *testing.T) {
	t.Parallel()
	bs := newBodyServer(t)
	s := client.New()
	defer s.Close()
	ctx := context.Background()
	for i := range 20 {
		var calls atomic.Int64
		r, err := s.Get(bs.URL + "/endless?gzip=1").Stream().
			DownloadProgress(func(done, total int64) { calls.Add(1) }).Do(ctx)
		if err != nil {
			t.Fatal(err)
		}
		first := make(chan struct{})
		read := make(chan error)
		go func() {
			var err error
			lines := 0
			for _, e := range r.Lines() {
				if lines++; lines == 1 {
					close(first)
				}
				if e != nil {
					err = e
				}
			}
			read <- err
		}()
		<-first // Lines is reading the body, and waits on the wire now
		if err := r.Close(); err != nil {
			t.Errorf("Close = %v", err)
		}
		if err := <-read; !errors.Is(err, request.ErrStreamConsumed) {
			t.Errorf("pass %d: Lines ended with %v, want ErrStreamConsumed (closed under the read)", i, err)
		}
		got, err := s.Get(bs.URL + "/enc/gzip").Stream().Do(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if b := got.Bytes(); string(b) != plain || got.BodyErr() != nil {
			t.Fatalf("pass %d: the next gzip body read %q, %v; want %q", i, b, got.BodyErr(), plain)
		}
	}
}

// TestReadAfterClose: a streamed body closed before it was read gives an
// error that matches ErrStreamConsumed and http.ErrBodyReadAfterClose to
// every way of reading it, and SaveFile leaves the file as it was; a body
// read to its end before Close is still there.
func TestReadAfterClose(t *testing.T) {
	t.Parallel()
	bs := newBodyServer(t)
	ctx := context.Background()
	u := bs.URL + "/lines?body=" + urlEscape("a\nb\n")
	closed := func(t *testing.T) *request.Response {
		r, err := request.Get(u).Stream().Do(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Close(); err != nil {
			t.Fatalf("Close = %v", err)
		}
		return r
	}
	isClosed := func(t *testing.T, what string, err error) {
		t.Helper()
		if !errors.Is(err, request.ErrStreamConsumed) || !errors.Is(err, http.ErrBodyReadAfterClose) {
			t.Errorf("%s after Close: %v, want an error matching ErrStreamConsumed and http.ErrBodyReadAfterClose", what, err)
		}
	}
	t.Run("Bytes", func(t *testing.T) {
		r := closed(t)
		if b := r.Bytes(); len(b) != 0 {
			t.Errorf("Bytes = %q", b)
		}
		isClosed(t, "BodyErr", r.BodyErr())
		var v any
		isClosed(t, "JSON", r.JSON(&v))
	})
	t.Run("Lines", func(t *testing.T) {
		var err error
		for _, e := range closed(t).Lines() {
			err = e
		}
		isClosed(t, "Lines", err)
	})
	t.Run("Chunks", func(t *testing.T) {
		var err error
		for _, e := range closed(t).Chunks(4) {
			err = e
		}
		isClosed(t, "Chunks", err)
	})
	t.Run("Body", func(t *testing.T) {
		_, err := io.ReadAll(closed(t).Body())
		isClosed(t, "Body", err)
	})
	t.Run("taken Body", func(t *testing.T) {
		r, err := request.Get(u).Stream().Do(ctx)
		if err != nil {
			t.Fatal(err)
		}
		body := r.Body()
		_ = r.Close()
		_, err = body.Read(make([]byte, 8))
		isClosed(t, "a taken Body", err)
	})
	t.Run("SaveFile", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "keep.txt")
		if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		n, err := closed(t).SaveFile(path)
		isClosed(t, "SaveFile", err)
		if b, _ := os.ReadFile(path); string(b) != "old" || n != 0 {
			t.Errorf("SaveFile wrote %d bytes; the file holds %q, want \"old\"", n, b)
		}
	})
	t.Run("read before Close", func(t *testing.T) {
		r, err := request.Get(u).Stream().Do(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if b := r.Bytes(); string(b) != "a\nb\n" {
			t.Fatalf("Bytes = %q", b)
		}
		_ = r.Close()
		if b, err := io.ReadAll(r.Body()); string(b) != "a\nb\n" || err != nil || r.BodyErr() != nil {
			t.Errorf("after Close: Body read %q, %v; BodyErr %v", b, err, r.BodyErr())
		}
	})
}

// TestStreamBadLocationClosed: a streamed redirect not followed whose
// Location does not parse (the call fails, as requests fails to parse
// r.next) has its body closed, so that its connection is not left open
// behind the error.
func TestStreamBadLocationClosed(t *testing.T) {
	t.Parallel()
	gone := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "http://[::1")
		w.WriteHeader(http.StatusFound)
		w.(http.Flusher).Flush()
		<-r.Context().Done() // the body ends only when the client leaves
		close(gone)
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := request.Get(srv.URL).Stream().NoRedirects().Do(ctx)
	var le *request.LocationError
	if !errors.As(err, &le) {
		t.Fatalf("Do = %v, want a *LocationError", err)
	}
	select {
	case <-gone:
	case <-ctx.Done():
		t.Fatal("the redirect's connection was left open after the error")
	}
}

// TestDecodeFalse: Decode(false) hands out the body as it came on the
// wire, whichever way it is read, as reading requests' r.raw does.
func TestDecodeFalse(t *testing.T) {
	t.Parallel()
	bs := newBodyServer(t)
	// wire fetches the body as sent, with net/http's own decoding off.
	wire := func(t *testing.T, coding string) []byte {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, bs.URL+"/enc/"+coding, nil)
		req.Header.Set("Accept-Encoding", "gzip, deflate, br, zstd")
		resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	reads := []struct {
		name   string
		stream bool
		read   func(*request.Response) ([]byte, error)
	}{
		{"Bytes", false, func(r *request.Response) ([]byte, error) { return r.Bytes(), r.Err() }},
		{"Raw", false, func(r *request.Response) ([]byte, error) { return io.ReadAll(r.Raw().Body) }},
		{"streamed Body", true, func(r *request.Response) ([]byte, error) { return io.ReadAll(r.Body()) }},
		{"streamed Bytes", true, func(r *request.Response) ([]byte, error) { return r.Bytes(), r.Err() }},
		{"streamed Chunks", true, func(r *request.Response) ([]byte, error) {
			var out []byte
			for c, err := range r.Chunks(3) {
				if err != nil {
					return out, err
				}
				out = append(out, c...)
			}
			return out, nil
		}},
	}
	for _, coding := range []string{"gzip", "deflate", "br", "zstd", "identity"} {
		want := wire(t, coding)
		for _, rd := range reads {
			t.Run(coding+"/"+rd.name, func(t *testing.T) {
				b := request.Get(bs.URL + "/enc/" + coding).Decode(false)
				if rd.stream {
					b = b.Stream()
				}
				r, err := b.Do(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				got, err := rd.read(r)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("body (-want +got):\n%s", diff)
				}
			})
		}
	}
	t.Run("Raw keeps the coding", func(t *testing.T) {
		r, err := request.Get(bs.URL + "/enc/gzip").Decode(false).Do(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		raw := r.Raw()
		got := []any{raw.Header.Get("Content-Encoding"), raw.Uncompressed, raw.ContentLength == int64(len(wire(t, "gzip")))}
		if diff := cmp.Diff([]any{"gzip", false, true}, got); diff != "" {
			t.Errorf("Raw's Content-Encoding, Uncompressed, ContentLength (-want +got):\n%s", diff)
		}
	})
	t.Run("Decode(true) undoes it", func(t *testing.T) {
		r, err := request.Get(bs.URL + "/enc/br").Decode(false).Decode(true).Do(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(plain, r.Text()); diff != "" {
			t.Errorf("body (-want +got):\n%s", diff)
		}
	})
	t.Run("MaxBodySize counts the bytes as sent", func(t *testing.T) {
		// 256 MiB of zeros, about 256 KiB gzip-encoded.
		r, err := request.Get(bs.URL + "/bomb").Decode(false).MaxBodySize(1 << 20).Do(context.Background())
		if err != nil {
			t.Fatalf("Do = %v, want the encoded body within the limit", err)
		}
		if n := len(r.Bytes()); n == 0 || n > 1<<20 {
			t.Errorf("read %d bytes, want the encoded body (0 < n <= 1 MiB)", n)
		}
	})
}
