package bench

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/internal/bench/fixture"
)

// bodySameSizes are the small bodies the same-work checks use: empty, whole
// lines only (for every length in lineLengths), and more than one period of the fixture's line buffer with
// the last line cut short.
var bodySameSizes = []int64{0, 1000 * 1024, 1<<20 + 37}

func sha(p []byte) string {
	h := sha256.Sum256(p)
	return hex.EncodeToString(h[:])
}

// TestDownloadsDoTheSameWork checks that every Download method reads the
// same bytes of GET /lines/N from the fixture server: the body, or for the
// line methods the same lines. It is not timed.
func TestDownloadsDoTheSameWork(t *testing.T) {
	ctx := context.Background()
	for _, lineLen := range lineLengths {
		for _, n := range bodySameSizes {
			var body bytes.Buffer
			if _, err := fixture.WriteLines(&body, n, lineLen); err != nil {
				t.Fatal(err)
			}
			wantBody := body.Bytes()
			// A line method writes each line with "\n": the body, with a
			// "\n" after a last line cut short.
			wantLines := wantBody
			if n > 0 && wantBody[n-1] != '\n' {
				wantLines = append(bytes.Clone(wantBody), '\n')
			}
			u := srv.URL + fixture.LinesPath(n, lineLen)
			for _, d := range downloads {
				name := fmt.Sprintf("%s/len=%d/n=%d", d.how, lineLen, n)
				t.Run(name, func(t *testing.T) {
					get, done := d.start(t.TempDir())
					defer done()
					var got bytes.Buffer
					seen, err := get(ctx, u, &got)
					if err != nil {
						t.Fatal(err)
					}
					want := wantBody
					if d.lines {
						want = wantLines
					}
					if sha(got.Bytes()) != sha(want) || seen != d.wantSeen(n, lineLen) {
						t.Errorf("read %d bytes (sha256 %s), said %d; want %d (sha256 %s), %d",
							got.Len(), sha(got.Bytes()), seen, len(want), sha(want), d.wantSeen(n, lineLen))
					}
				})
			}
		}
	}
}

// TestLinesRoute checks GET /lines itself: its lines have the length asked
// for, and a bad length or query is a 400.
func TestLinesRoute(t *testing.T) {
	ctx := context.Background()
	for _, lineLen := range lineLengths {
		var body bytes.Buffer
		n := int64(3*lineLen + 5)
		if _, err := fixture.WriteLines(&body, n, lineLen); err != nil {
			t.Fatal(err)
		}
		var lens []int
		for line := range bytes.Lines(body.Bytes()) {
			lens = append(lens, len(line))
		}
		if diff := cmp.Diff([]int{lineLen, lineLen, lineLen, 5}, lens); diff != "" {
			t.Errorf("len=%d: line lengths (-want +got):\n%s", lineLen, diff)
		}
	}
	for _, q := range []string{"?len=15", "?len=1048577", "?len=x", "?size=80", "?len=80&x=1"} {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/lines/10"+q, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET /lines/10%s: %s, want 400", q, resp.Status)
		}
	}
}

// gotPart is one part of a multipart body as the server parsed it.
type gotPart struct {
	Field, Filename, SHA256 string
	Size                    int64
}

// partRecorder parses each upload with mime/multipart and keeps the parts
// of the last one; it answers like POST /upload, with the body's length.
type partRecorder struct {
	mu    sync.Mutex
	parts []gotPart
	err   error
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (rec *partRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body := &countingReader{r: r.Body}
	r.Body = io.NopCloser(body)
	parts, err := rec.parse(r)
	if err == nil {
		_, err = io.Copy(io.Discard, body) // anything after the closing boundary
	}
	rec.mu.Lock()
	rec.parts, rec.err = parts, err
	rec.mu.Unlock()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	_, _ = w.Write([]byte(strconv.FormatInt(body.n, 10)))
}

func (rec *partRecorder) parse(r *http.Request) ([]gotPart, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, err
	}
	var parts []gotPart
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return parts, nil
		}
		if err != nil {
			return parts, err
		}
		h := sha256.New()
		n, err := io.Copy(h, p)
		if err != nil {
			return parts, err
		}
		parts = append(parts, gotPart{
			Field: p.FormName(), Filename: p.FileName(), SHA256: hex.EncodeToString(h.Sum(nil)), Size: n,
		})
	}
}

func (rec *partRecorder) take() ([]gotPart, error) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	parts, err := rec.parts, rec.err
	rec.parts, rec.err = nil, nil
	return parts, err
}

// TestUploadsDoTheSameWork checks that every Upload method delivers the
// same file, as a server parsing the multipart body sees it, and that the
// fixture's POST /upload counts the same body length as that server.
func TestUploadsDoTheSameWork(t *testing.T) {
	rec := &partRecorder{}
	ts := httptest.NewServer(rec)
	defer ts.Close()
	ctx := context.Background()
	for _, n := range bodySameSizes {
		dir := t.TempDir()
		path, err := writeUploadFile(dir, n)
		if err != nil {
			t.Fatal(err)
		}
		var content bytes.Buffer
		if _, err := fixture.WriteLines(&content, n, fixture.LineLen); err != nil {
			t.Fatal(err)
		}
		want := []gotPart{{Field: uploadField, Filename: filepath.Base(path), SHA256: sha(content.Bytes()), Size: n}}
		for _, up := range uploads {
			t.Run(up.how+"/n="+strconv.FormatInt(n, 10), func(t *testing.T) {
				send, done := up.start(ts.URL)
				parsed, err := send(ctx, path)
				done()
				if err != nil {
					t.Fatal(err)
				}
				got, err := rec.take()
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("server parsed (-want +got):\n%s", diff)
				}
				if parsed < n || parsed > n+maxFraming {
					t.Errorf("%d-byte body for a %d-byte file", parsed, n)
				}

				fsend, fdone := up.start(srv.URL)
				counted, err := fsend(ctx, path)
				fdone()
				if err != nil || counted != parsed {
					t.Errorf("fixture counted %d bytes (%v), the parsing server %d", counted, err, parsed)
				}
			})
		}
	}
}
