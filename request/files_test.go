package request_test

import (
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/mccutchen/go-httpbin/v2/httpbin"

	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// part is a multipart part as a server parsed it.
type part struct {
	Name, Filename, ContentType, Body string
	Extra                             string // the X-Extra header
}

// parts parses a recorded multipart request.
func parts(t *testing.T, rec testserver.Recorded) []part {
	t.Helper()
	_, params, err := mime.ParseMediaType(rec.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type %q: %v", rec.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(strings.NewReader(rec.Body), params["boundary"])
	var out []part
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(p)
		out = append(out, part{p.FormName(), p.FileName(), p.Header.Get("Content-Type"), string(body), p.Header.Get("X-Extra")})
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestMultipart(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	path := writeFile(t, "report.csv", "a,b\n1,2\n")
	tests := map[string]struct {
		b        request.Builder
		want     []part
		wantCL   bool // Content-Length sent (else chunked)
		wantCode int
	}{
		"form then files in order": {
			b: request.Post(srv.URL+"/post").
				Form(url.Values{"b": {"2"}, "a": {"1", "x"}}).
				File("up", "one.txt", strings.NewReader("first")).
				FileFromPath("doc", path, request.PartContentType("text/csv"), request.PartHeader("X-Extra", "e")),
			want: []part{
				{Name: "a", Body: "1"}, {Name: "a", Body: "x"}, {Name: "b", Body: "2"},
				{Name: "up", Filename: "one.txt", Body: "first"},
				{Name: "doc", Filename: "report.csv", ContentType: "text/csv", Body: "a,b\n1,2\n", Extra: "e"},
			},
			wantCL: true,
		},
		"files before Form still follow the fields": {
			b:      request.Post(srv.URL+"/post").File("f", "f.bin", strings.NewReader("\x00\x01")).Form(url.Values{"k": {"v"}}),
			want:   []part{{Name: "k", Body: "v"}, {Name: "f", Filename: "f.bin", Body: "\x00\x01"}},
			wantCL: true,
		},
		"no filename": {
			b:      request.Post(srv.URL+"/post").File("f", "ignored.txt", strings.NewReader("value"), request.PartNoFilename()),
			want:   []part{{Name: "f", Body: "value"}},
			wantCL: true,
		},
		"one-shot reader: chunked": {
			b:    request.Post(srv.URL+"/post").File("s", "s.txt", iotest.HalfReader(strings.NewReader("streamed"))),
			want: []part{{Name: "s", Filename: "s.txt", Body: "streamed"}},
		},
		"FileFromPath replays on a 307": {
			b:      request.Post(srv.URL+"/start?status=307&location=%2Fpost").FileFromPath("doc", path),
			want:   []part{{Name: "doc", Filename: "report.csv", Body: "a,b\n1,2\n"}},
			wantCL: true,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv.Reset()
			resp := do(t, tc.b)
			if resp.StatusCode() != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode())
			}
			rec := last(t, srv)
			if diff := cmp.Diff(tc.want, parts(t, rec)); diff != "" {
				t.Errorf("parts (-want +got):\n%s", diff)
			}
			if got := rec.Header.Get("Content-Length") != ""; got != tc.wantCL {
				t.Errorf("Content-Length sent = %v, want %v (%v)", got, tc.wantCL, rec.Header)
			}
		})
	}
}

func TestMultipartErrors(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	tests := map[string]struct {
		b    request.Builder
		want error
	}{
		"missing file":        {request.Post(srv.URL+"/post").FileFromPath("f", filepath.Join(t.TempDir(), "nope")), request.ErrBody},
		"file with JSON":      {request.Post(srv.URL+"/post").JSON(1).File("f", "f", strings.NewReader("x")), request.ErrBody},
		"file with BodyBytes": {request.Post(srv.URL+"/post").File("f", "f", strings.NewReader("x")).BodyBytes([]byte("y")), request.ErrBody},
		"empty path":          {request.Post(srv.URL+"/post").FileFromPath("f", ""), request.ErrBody},
		"nil reader":          {request.Post(srv.URL+"/post").File("f", "f", nil), request.ErrBody},
		"nil *os.File":        {request.Post(srv.URL+"/post").File("f", "f", (*os.File)(nil)), request.ErrBody},
		"one-shot on a 307": {
			request.Post(srv.URL+"/start?status=307&location=%2Fpost").File("f", "f", iotest.HalfReader(strings.NewReader("x"))),
			request.ErrBodyNotReplayable,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := tc.b.Do(context.Background())
			if !errors.Is(err, tc.want) {
				t.Errorf("Do error = %v, want %v", err, tc.want)
			}
			if _, err := tc.b.Prepare(context.Background()); !errors.Is(err, tc.want) && tc.want != request.ErrBodyNotReplayable {
				t.Errorf("Prepare error = %v, want %v", err, tc.want)
			}
		})
	}
	t.Run("one-shot part is not sent twice", func(t *testing.T) {
		b := request.Post(srv.URL+"/post").File("f", "f", iotest.HalfReader(strings.NewReader("x")))
		do(t, b)
		srv.Reset()
		if _, err := b.Do(context.Background()); !errors.Is(err, request.ErrBodyNotReplayable) {
			t.Errorf("second Do error = %v", err)
		}
		if n := len(srv.Requests()); n != 0 {
			t.Errorf("%d requests reached the server", n)
		}
	})
}

// TestMultipartHTTPBin: go-httpbin's /post reads the form and files as any
// server would.
func TestMultipartHTTPBin(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(httpbin.New())
	t.Cleanup(srv.Close)
	var got struct {
		Form  map[string][]string `json:"form"`
		Files map[string][]string `json:"files"`
	}
	r := do(t, request.Post(srv.URL+"/post").Form(url.Values{"name": {"tether"}}).File("file", "hello.txt", strings.NewReader("hello, files")))
	if err := r.JSON(&got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string][]string{"name": {"tether"}}, got.Form); diff != "" {
		t.Errorf("form (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string][]string{"file": {"hello, files"}}, got.Files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

// progressLog records progress calls.
type progressLog struct {
	mu    sync.Mutex
	calls [][2]int64
}

func (p *progressLog) fn(done, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls = append(p.calls, [2]int64{done, total})
}

func (p *progressLog) last() [2]int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.calls) == 0 {
		return [2]int64{-2, -2}
	}
	return p.calls[len(p.calls)-1]
}

func TestProgress(t *testing.T) {
	t.Parallel()
	bs := newBodyServer(t)
	srv := testserver.New(t)
	big := strings.Repeat("x", 1<<20)

	t.Run("upload known size", func(t *testing.T) {
		var up progressLog
		do(t, request.Post(srv.URL+"/post").BodyBytes([]byte(big)).UploadProgress(up.fn))
		if diff := cmp.Diff([2]int64{1 << 20, 1 << 20}, up.last()); diff != "" {
			t.Errorf("last call (-want +got):\n%s", diff)
		}
	})
	t.Run("upload unknown size", func(t *testing.T) {
		var up progressLog
		do(t, request.Post(srv.URL+"/post").Body(iotest.HalfReader(strings.NewReader(big))).UploadProgress(up.fn))
		if diff := cmp.Diff([2]int64{1 << 20, -1}, up.last()); diff != "" {
			t.Errorf("last call (-want +got):\n%s", diff)
		}
	})
	t.Run("download", func(t *testing.T) {
		var down progressLog
		r := do(t, request.Get(bs.URL+"/text?ct=text/plain&body="+big[:1000]).DownloadProgress(down.fn))
		if diff := cmp.Diff([2]int64{1000, 1000}, down.last()); diff != "" {
			t.Errorf("last call (-want +got):\n%s", diff)
		}
		if len(r.Bytes()) != 1000 {
			t.Errorf("body %d bytes", len(r.Bytes()))
		}
	})
	t.Run("download of a HEAD", func(t *testing.T) {
		var down progressLog
		do(t, request.Head(bs.URL+"/text?ct=text/plain&body=abc").DownloadProgress(down.fn))
		if diff := cmp.Diff([2]int64{0, 0}, down.last()); diff != "" {
			t.Errorf("last call (-want +got):\n%s", diff)
		}
	})
	t.Run("download streamed and encoded", func(t *testing.T) {
		var down progressLog
		r, err := request.Get(bs.URL + "/enc/gzip").DownloadProgress(down.fn).Stream().Do(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if r.Text() != plain {
			t.Errorf("body %q", r.Text())
		}
		wire := int64(len(encode("gzip", []byte(plain))))
		if diff := cmp.Diff([2]int64{wire, wire}, down.last()); diff != "" {
			t.Errorf("last call, wire bytes (-want +got):\n%s", diff)
		}
	})
}
