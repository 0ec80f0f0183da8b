package multipart

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"mime"
	mimemultipart "mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mccutchen/go-httpbin/v2/httpbin"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// readAll streams a fresh copy of b.
func readAll(t testing.TB, b *Body) ([]byte, error) {
	t.Helper()
	rc, err := b.Open()
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	got, err := io.ReadAll(rc)
	if cerr := rc.Close(); cerr != nil {
		t.Errorf("Close: %v", cerr)
	}
	return got, err
}

func mustNew(t testing.TB, fields []Field, files []File) *Body {
	t.Helper()
	b, err := New(fields, files)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return b
}

func stringFile(field, filename, content string, size int64) File {
	return File{
		Field:    field,
		Filename: filename,
		Size:     size,
		Open: func() (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader(content)), nil
		},
	}
}

// part is a parsed multipart part.
type part struct {
	Name, Filename string
	Header         map[string][]string
	Data           string
}

func parseParts(t *testing.T, body []byte, contentType string) []part {
	t.Helper()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("Content-Type %q: %v", contentType, err)
	}
	r := mimemultipart.NewReader(bytes.NewReader(body), params["boundary"])
	var parts []part
	for {
		p, err := r.NextRawPart()
		if err == io.EOF {
			return parts
		}
		if err != nil {
			t.Fatalf("NextRawPart: %v", err)
		}
		data, err := io.ReadAll(p)
		if err != nil {
			t.Fatalf("reading part: %v", err)
		}
		parts = append(parts, part{
			Name:     p.FormName(),
			Filename: p.FileName(),
			Header:   p.Header,
			Data:     string(data),
		})
	}
}

// requestsScript encodes each case with requests' own _encode_files.
const requestsScript = `
import base64, json, sys
from requests.models import RequestEncodingMixin

out = []
for c in json.load(sys.stdin):
    data = [(k, base64.b64decode(v)) for k, v in c["data"]]
    files = []
    opened = []
    for f in c["files"]:
        if f["path"]:
            fp = open(f["path"], "rb")
            opened.append(fp)
            files.append((f["field"], fp))
            continue
        content = base64.b64decode(f["data"])
        if f["headers"] is not None:
            v = (f["filename"], content, f["ctype"], dict(f["headers"]))
        elif f["ctype"] is not None:
            v = (f["filename"], content, f["ctype"])
        else:
            v = (f["filename"], content)
        files.append((f["field"], v))
    body, ctype = RequestEncodingMixin._encode_files(files, data)
    for fp in opened:
        fp.close()
    out.append({"body": base64.b64encode(body).decode(), "ctype": ctype})
json.dump(out, sys.stdout)
`

type diffFile struct {
	field, filename string
	omitFilename    bool // requests: (None, data[, type])
	contentType     string
	header          map[string]string // requests: 4-tuple
	data            []byte
	path            bool // written to disk: FromPath vs requests' open(path, "rb")
}

type diffCase struct {
	name   string
	fields []Field
	files  []diffFile
}

func allBytes() []byte {
	b := make([]byte, 512)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

var diffCases = []diffCase{
	{
		name:   "fields and a file",
		fields: []Field{{"a", "1"}, {"b", "two words"}},
		files:  []diffFile{{field: "f", filename: "hello.txt", data: []byte("hello\n")}},
	},
	{
		name:  "file only",
		files: []diffFile{{field: "upload", filename: "report.csv", data: []byte("a,b\n1,2\n")}},
	},
	{
		name:   "double quotes",
		fields: []Field{{`say "hi"`, `"quoted value"`}},
		files:  []diffFile{{field: `f"x`, filename: `my "best" file.txt`, data: []byte("q")}},
	},
	{
		name:   "backslashes",
		fields: []Field{{`a\b`, `c\d`}},
		files:  []diffFile{{field: `x\`, filename: `C:\Users\me\file.txt`, data: []byte(`\`)}},
	},
	{
		name:   "CR and LF",
		fields: []Field{{"a\r\nb", "line1\r\nline2\n"}},
		files: []diffFile{
			{field: "f\n", filename: "two\nlines\r.txt", data: []byte("\r\n\r\n")},
			{field: "\r", filename: "\r\n", data: []byte("x")},
		},
	},
	{
		name:   "percent signs",
		fields: []Field{{"100%", "%"}},
		files:  []diffFile{{field: "%22", filename: "%22already%0Aescaped%.txt", data: []byte("%0D")}},
	},
	{
		name:   "spaces",
		fields: []Field{{"first name", " padded "}},
		files:  []diffFile{{field: "my file", filename: " spaced  out .txt ", data: []byte(" ")}},
	},
	{
		name:   "non-ASCII",
		fields: []Field{{"café", "naïve ✓"}, {"日本", "語"}},
		files: []diffFile{
			{field: "résumé", filename: "日本語.txt", data: []byte("テキスト")},
			{field: "emoji", filename: "party 🎉.png", contentType: "image/png", data: []byte("\x89PNG")},
		},
	},
	{
		name:  "empty file",
		files: []diffFile{{field: "f", filename: "empty.bin", data: []byte{}}},
	},
	{
		name:  "empty filename",
		files: []diffFile{{field: "f", filename: "", data: []byte("no name")}},
	},
	{
		name:   "no filename, with type",
		fields: []Field{{"k", "v"}},
		files: []diffFile{
			{field: "json", omitFilename: true, contentType: "application/json", data: []byte(`{"a": 1}`)},
			{field: "plain", omitFilename: true, data: []byte("text part after data")},
		},
	},
	{
		name:   "binary bytes",
		fields: []Field{{"bin", "\x00\xff\r\n--\x7f"}},
		files:  []diffFile{{field: "blob", filename: "blob.bin", contentType: "application/octet-stream", data: allBytes()}},
	},
	{
		name: "content types",
		files: []diffFile{
			{field: "a", filename: "a.png", contentType: "image/png", data: []byte("png")},
			{field: "b", filename: "b.txt", contentType: "text/plain; charset=utf-8", data: []byte("txt")},
			{field: "c", filename: "c.txt", data: []byte("no type although .txt")},
		},
	},
	{
		name: "extra part headers",
		files: []diffFile{
			{field: "a", filename: "a.txt", contentType: "text/plain", header: map[string]string{"X-Trace": "1", "Expires": "0", "X-Empty": ""}, data: []byte("a")},
			{field: "b", filename: "b.txt", header: map[string]string{"X-Only": "é"}, data: []byte("b")},
		},
	},
	{
		name:   "repeated names",
		fields: []Field{{"k", "1"}, {"k", "2"}, {"j", "3"}, {"k", ""}},
		files: []diffFile{
			{field: "f", filename: "1.txt", data: []byte("one")},
			{field: "f", filename: "2.txt", data: []byte("two")},
		},
	},
	{
		name:   "empty names",
		fields: []Field{{"", ""}},
		files:  []diffFile{{field: "", filename: "", data: []byte("")}},
	},
	{
		name:   "boundary-like content",
		fields: []Field{{"dash", "--\r\n--x--\r\n"}},
		files: []diffFile{
			{field: "f", filename: "f", data: []byte("\r\n--not-the-boundary--\r\n")},
		},
	},
	{
		name:   "files from disk",
		fields: []Field{{"note", "from disk"}},
		files: []diffFile{
			{field: "doc", filename: `rés "q" 100%.txt`, data: []byte("disk bytes\n"), path: true},
			{field: "empty", filename: "empty", data: nil, path: true},
			{field: "日本", filename: "back\\slash 🎉", data: allBytes(), path: true},
		},
	},
}

func TestMatchesRequests(t *testing.T) {
	if out, err := exec.Command("python3", "-c", "import requests").CombinedOutput(); err != nil {
		t.Skipf("python3 with requests is not available (%v): %s", err, out)
	}

	type pyFile struct {
		Field    string      `json:"field"`
		Filename *string     `json:"filename"`
		CType    *string     `json:"ctype"`
		Headers  [][2]string `json:"headers"`
		Data     []byte      `json:"data"`
		Path     string      `json:"path"`
	}
	type pyCase struct {
		Data  [][2]any `json:"data"`
		Files []pyFile `json:"files"`
	}
	dir := t.TempDir()
	bodies := make([]*Body, len(diffCases))
	in := make([]pyCase, len(diffCases))
	for i, c := range diffCases {
		pc := pyCase{Data: [][2]any{}, Files: []pyFile{}}
		for _, f := range c.fields {
			pc.Data = append(pc.Data, [2]any{f.Name, []byte(f.Value)})
		}
		var files []File
		for j, df := range c.files {
			pf := pyFile{Field: df.field, Data: df.data}
			var f File
			if df.path {
				sub := filepath.Join(dir, strings.Repeat("d", i+1), strings.Repeat("e", j+1))
				if err := os.MkdirAll(sub, 0o755); err != nil {
					t.Fatal(err)
				}
				pf.Path = filepath.Join(sub, df.filename)
				if err := os.WriteFile(pf.Path, df.data, 0o644); err != nil {
					t.Fatal(err)
				}
				var err error
				if f, err = FromPath(df.field, pf.Path); err != nil {
					t.Fatal(err)
				}
			} else {
				f = FromBytes(df.field, df.filename, df.data)
				f.OmitFilename = df.omitFilename
				f.ContentType = df.contentType
				if !df.omitFilename {
					pf.Filename = &df.filename
				}
				if df.contentType != "" {
					pf.CType = &df.contentType
				}
				if df.header != nil {
					f.Header = http.Header{}
					pf.Headers = [][2]string{}
					for _, k := range slices.Sorted(maps.Keys(df.header)) {
						f.Header[k] = []string{df.header[k]}
						pf.Headers = append(pf.Headers, [2]string{k, df.header[k]})
					}
				}
			}
			files = append(files, f)
			pc.Files = append(pc.Files, pf)
		}
		bodies[i] = mustNew(t, c.fields, files)
		in[i] = pc
	}

	stdin, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("python3", "-c", requestsScript)
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, stderr.String())
	}
	var out []struct {
		Body  []byte `json:"body"`
		CType string `json:"ctype"`
	}
	if err := json.Unmarshal(stdout, &out); err != nil {
		t.Fatalf("decoding python output: %v\n%s", err, stdout)
	}
	if len(out) != len(diffCases) {
		t.Fatalf("python returned %d results for %d cases", len(out), len(diffCases))
	}

	boundaryRE := regexp.MustCompile(`^multipart/form-data; boundary=([0-9a-f]{32})$`)
	for i, c := range diffCases {
		t.Run(c.name, func(t *testing.T) {
			b := bodies[i]
			m := boundaryRE.FindStringSubmatch(out[i].CType)
			if m == nil {
				t.Fatalf("requests' Content-Type %q has an unexpected shape", out[i].CType)
			}
			want := bytes.ReplaceAll(out[i].Body, []byte(m[1]), []byte(b.Boundary()))
			wantCT := strings.ReplaceAll(out[i].CType, m[1], b.Boundary())

			got, err := readAll(t, b)
			if err != nil {
				t.Fatalf("reading body: %v", err)
			}
			if diff := cmp.Diff(wantCT, b.ContentType()); diff != "" {
				t.Errorf("ContentType() (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(int64(len(want)), b.Size()); diff != "" {
				t.Errorf("Size() (-want +got):\n%s", diff)
			}

			wantParts := parseParts(t, out[i].Body, out[i].CType)
			gotParts := parseParts(t, got, b.ContentType())
			if diff := cmp.Diff(wantParts, gotParts); diff != "" {
				t.Errorf("parsed parts (-want +got):\n%s", diff)
			}
			var wantData, gotData []string
			for _, f := range c.fields {
				wantData = append(wantData, f.Value)
			}
			for _, f := range c.files {
				wantData = append(wantData, string(f.data))
			}
			for _, p := range gotParts {
				gotData = append(gotData, p.Data)
			}
			if diff := cmp.Diff(wantData, gotData); diff != "" {
				t.Errorf("part contents (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLayout pins the exact bytes for a fixed boundary, independently of
// python, so that the format is documented in the tests.
func TestLayout(t *testing.T) {
	const bd = "0123456789abcdef0123456789abcdef"
	tests := []struct {
		name   string
		fields []Field
		files  []File
		want   string
	}{
		{
			name:  "no parts",
			want:  "--" + bd + "--\r\n",
			files: nil,
		},
		{
			name:   "text field",
			fields: []Field{{"a", "1"}},
			want: "--" + bd + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n" +
				"--" + bd + "--\r\n",
		},
		{
			name: "file with escapes, type and header",
			files: []File{func() File {
				f := FromBytes("f\"\\%", "a\"b\\c\r\nd%e é", []byte("DATA"))
				f.ContentType = "text/plain"
				f.Header = http.Header{"X-B": {"2", ""}, "X-A": {"1"}}
				return f
			}()},
			want: "--" + bd + "\r\n" +
				"Content-Disposition: form-data; name=\"f%22\\%\"; filename=\"a%22b\\c%0D%0Ad%e é\"\r\n" +
				"Content-Type: text/plain\r\n" +
				"X-A: 1\r\n" +
				"X-B: 2\r\n" +
				"\r\nDATA\r\n" +
				"--" + bd + "--\r\n",
		},
		{
			name:  "omitted filename",
			files: []File{{Field: "j", OmitFilename: true, Open: FromBytes("", "", nil).Open}},
			want: "--" + bd + "\r\nContent-Disposition: form-data; name=\"j\"\r\n\r\n\r\n" +
				"--" + bd + "--\r\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := build(tt.fields, tt.files, bd)
			if err != nil {
				t.Fatal(err)
			}
			got, err := readAll(t, b)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBoundary(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-f]{32}$`)
	seen := map[string]bool{}
	for range 20 {
		b := mustNew(t, nil, nil)
		if !re.MatchString(b.Boundary()) {
			t.Fatalf("boundary %q is not 32 hex digits", b.Boundary())
		}
		if diff := cmp.Diff("multipart/form-data; boundary="+b.Boundary(), b.ContentType()); diff != "" {
			t.Errorf("ContentType() (-want +got):\n%s", diff)
		}
		if seen[b.Boundary()] {
			t.Fatalf("boundary %q repeated", b.Boundary())
		}
		seen[b.Boundary()] = true
	}
}

func TestNewValidates(t *testing.T) {
	ok := FromBytes("f", "f.txt", []byte("x"))
	with := func(mod func(*File)) []File {
		f := ok
		mod(&f)
		return []File{f}
	}
	tests := []struct {
		name    string
		files   []File
		wantErr bool
	}{
		{name: "valid", files: with(func(*File) {})},
		{name: "valid header", files: with(func(f *File) { f.Header = http.Header{"X-Ok": {"v"}, "x-lower": {""}} })},
		{name: "unknown size", files: with(func(f *File) { f.Size = -1 })},
		{name: "nil Open", files: with(func(f *File) { f.Open = nil }), wantErr: true},
		{name: "negative size", files: with(func(f *File) { f.Size = -2 }), wantErr: true},
		{name: "omitted filename with a filename", files: with(func(f *File) { f.OmitFilename = true }), wantErr: true},
		{name: "content type with LF", files: with(func(f *File) { f.ContentType = "text/plain\nX-Evil: 1" }), wantErr: true},
		{name: "header name with space", files: with(func(f *File) { f.Header = http.Header{"X Bad": {"v"}} }), wantErr: true},
		{name: "empty header name", files: with(func(f *File) { f.Header = http.Header{"": {"v"}} }), wantErr: true},
		{name: "header value with CR", files: with(func(f *File) { f.Header = http.Header{"X-A": {"a\rb"}} }), wantErr: true},
		{name: "Content-Type header", files: with(func(f *File) { f.Header = http.Header{"Content-Type": {"a/b"}} }), wantErr: true},
		{name: "content-location header", files: with(func(f *File) { f.Header = http.Header{"content-location": {"x"}} }), wantErr: true},
		{name: "Content-Disposition header", files: with(func(f *File) { f.Header = http.Header{"Content-Disposition": {"x"}} }), wantErr: true},
		{name: "size overflow", files: []File{stringFile("a", "a", "", 1<<62), stringFile("b", "b", "", 1<<62)}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New([]Field{{"k", "v"}}, tt.files)
			if diff := cmp.Diff(tt.wantErr, err != nil); diff != "" {
				t.Errorf("New error = %v (-wantErr +gotErr):\n%s", err, diff)
			}
		})
	}
}

func TestSize(t *testing.T) {
	tests := []struct {
		name     string
		fields   []Field
		files    []File
		wantSize bool // Size() is expected to be known
		wantLen  int
	}{
		{name: "no parts", wantSize: true, wantLen: 38},
		{name: "fields only", fields: []Field{{"a", "1"}, {"b", "é"}}, wantSize: true},
		{name: "known files", fields: []Field{{"a", "1"}}, files: []File{
			FromBytes("f", "f.txt", []byte("hello")),
			FromBytes("g", "", nil),
			stringFile("h", "h", strings.Repeat("x", 100000), 100000),
		}, wantSize: true},
		{name: "unknown size", fields: []Field{{"a", "1"}}, files: []File{
			FromBytes("f", "f.txt", []byte("hello")),
			stringFile("u", "u.bin", "unknown length", -1),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := mustNew(t, tt.fields, tt.files)
			got, err := readAll(t, b)
			if err != nil {
				t.Fatal(err)
			}
			wantSize := int64(-1)
			if tt.wantSize {
				wantSize = int64(len(got))
			}
			if diff := cmp.Diff(wantSize, b.Size()); diff != "" {
				t.Errorf("Size() (-want +got):\n%s", diff)
			}
			if tt.wantLen != 0 {
				if diff := cmp.Diff(tt.wantLen, len(got)); diff != "" {
					t.Errorf("streamed length (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFromPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data.txt")
	writeFile(t, path, "0123456789")
	f, err := FromPath("up", path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]any{"up", "data.txt", "", int64(10), false}, []any{f.Field, f.Filename, f.ContentType, f.Size, f.OmitFilename}); diff != "" {
		t.Errorf("FromPath fields (-want +got):\n%s", diff)
	}
	b := mustNew(t, nil, []File{f})
	first, err := readAll(t, b)
	if err != nil {
		t.Fatal(err)
	}
	second, err := readAll(t, b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(first), string(second)); diff != "" {
		t.Errorf("second stream (-want +got):\n%s", diff)
	}
	if !bytes.Contains(first, []byte("\r\n\r\n0123456789\r\n")) {
		t.Errorf("body %q lacks the file content", first)
	}
	// Same size, new content: the next stream reopens the path.
	writeFile(t, path, "abcdefghij")
	third, err := readAll(t, b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(strings.Replace(string(first), "0123456789", "abcdefghij", 1), string(third)); diff != "" {
		t.Errorf("stream after rewrite (-want +got):\n%s", diff)
	}

	for _, tt := range []struct {
		name string
		path string
	}{
		{name: "missing", path: filepath.Join(t.TempDir(), "nope")},
		{name: "directory", path: t.TempDir()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := FromPath("f", tt.path); err == nil {
				t.Errorf("FromPath(%q) succeeded", tt.path)
			}
		})
	}
}

func TestSizeChanged(t *testing.T) {
	tests := []struct {
		name    string
		change  func(t *testing.T, path string) // nil: unchanged
		file    func(path string) File          // nil: FromPath
		wantErr error
	}{
		{name: "unchanged"},
		{name: "grows", change: func(t *testing.T, path string) { writeFile(t, path, "0123456789+") }, wantErr: ErrSizeChanged},
		{name: "grows a lot", change: func(t *testing.T, path string) { writeFile(t, path, strings.Repeat("y", 1<<20)) }, wantErr: ErrSizeChanged},
		{name: "shrinks", change: func(t *testing.T, path string) {
			if err := os.Truncate(path, 4); err != nil {
				t.Fatal(err)
			}
		}, wantErr: ErrSizeChanged},
		{name: "emptied", change: func(t *testing.T, path string) { writeFile(t, path, "") }, wantErr: ErrSizeChanged},
		{name: "removed", change: func(t *testing.T, path string) {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
		}, wantErr: os.ErrNotExist},
		{name: "reader longer than Size", file: func(string) File { return stringFile("f", "f", "0123456789", 9) }, wantErr: ErrSizeChanged},
		{name: "reader shorter than Size", file: func(string) File { return stringFile("f", "f", "0123456789", 11) }, wantErr: ErrSizeChanged},
		{name: "unknown size takes any length", file: func(string) File { return stringFile("f", "f", "0123456789", -1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "f")
			writeFile(t, path, "0123456789")
			var f File
			if tt.file != nil {
				f = tt.file(path)
			} else {
				var err error
				if f, err = FromPath("f", path); err != nil {
					t.Fatal(err)
				}
			}
			b := mustNew(t, []Field{{"k", "v"}}, []File{f, FromBytes("g", "g", []byte("after"))})
			if tt.change != nil {
				tt.change(t, path)
			}
			got, err := readAll(t, b)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("stream error = %v, want one matching %v", err, tt.wantErr)
			}
			if b.Size() >= 0 && int64(len(got)) > b.Size() {
				t.Errorf("streamed %d bytes, more than Size() = %d", len(got), b.Size())
			}
		})
	}
}

// trackedFile records how a part's content is opened and closed.
type trackedFile struct {
	io.Reader
	closes *int
}

func (f trackedFile) Close() error {
	*f.closes++
	return nil
}

func TestStreamLifecycle(t *testing.T) {
	var opens, closes int
	f := File{
		Field: "f", Filename: "f", Size: 1 << 16,
		Open: func() (io.ReadCloser, error) {
			opens++
			return trackedFile{Reader: bytes.NewReader(make([]byte, 1<<16)), closes: &closes}, nil
		},
	}
	b := mustNew(t, []Field{{"k", "v"}}, []File{f, f})
	rc, err := b.Open()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([2]int{0, 0}, [2]int{opens, closes}); diff != "" {
		t.Errorf("(opens, closes) before reading (-want +got):\n%s", diff)
	}
	buf := make([]byte, 1000) // past both part headers
	if _, err := io.ReadFull(rc, buf); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([2]int{1, 0}, [2]int{opens, closes}); diff != "" {
		t.Errorf("(opens, closes) inside the first file (-want +got):\n%s", diff)
	}
	if err := rc.Close(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([2]int{1, 1}, [2]int{opens, closes}); diff != "" {
		t.Errorf("(opens, closes) after Close (-want +got):\n%s", diff)
	}
	if _, err := rc.Read(buf); err == nil {
		t.Error("Read after Close succeeded")
	}
	if err := rc.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}

	opens, closes = 0, 0
	if _, err := readAll(t, b); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([2]int{2, 2}, [2]int{opens, closes}); diff != "" {
		t.Errorf("(opens, closes) after a full read (-want +got):\n%s", diff)
	}

	failing := File{Field: "f", Filename: "f", Size: 1, Open: func() (io.ReadCloser, error) { return nil, os.ErrPermission }}
	if _, err := readAll(t, mustNew(t, nil, []File{failing})); !errors.Is(err, os.ErrPermission) {
		t.Errorf("stream error = %v, want one matching %v", err, os.ErrPermission)
	}
}

// TestCloseUnblocksRead closes a stream while Read is blocked in a file.
func TestCloseUnblocksRead(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	b := mustNew(t, nil, []File{{Field: "f", Filename: "f", Size: -1, Open: func() (io.ReadCloser, error) { return pr, nil }}})
	rc, err := b.Open()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() {
		_, err := io.Copy(io.Discard, rc)
		done <- err
	}()
	// The write returns only once the stream has read it, so the stream is
	// inside the file when Close runs.
	if _, err := pw.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := rc.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, errClosed) {
		t.Errorf("copy error = %v, want %v", err, errClosed)
	}
}

type gotPart struct {
	Name, Filename, ContentType, Data string
}

func TestServer(t *testing.T) {
	type received struct {
		ContentLength    int64
		TransferEncoding []string
		Parts            []gotPart
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mr, err := r.MultipartReader()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		rec := received{ContentLength: r.ContentLength, TransferEncoding: r.TransferEncoding, Parts: []gotPart{}}
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			data, err := io.ReadAll(p)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			rec.Parts = append(rec.Parts, gotPart{p.FormName(), p.FileName(), p.Header.Get("Content-Type"), string(data)})
		}
		json.NewEncoder(w).Encode(rec)
	}))
	defer srv.Close()

	path := filepath.Join(t.TempDir(), "on disk.txt")
	writeFile(t, path, "disk content\n")
	disk, err := FromPath("disk", path)
	if err != nil {
		t.Fatal(err)
	}
	typed := FromBytes("typed", "日本 \"q\".json", []byte(`{"a":1}`))
	typed.ContentType = "application/json"
	fields := []Field{{"name", "tether"}, {"é", "ü"}}
	wantParts := []gotPart{
		{Name: "name", Data: "tether"},
		{Name: "é", Data: "ü"},
		{Name: "disk", Filename: "on disk.txt", Data: "disk content\n"},
		{Name: "typed", Filename: "日本 %22q%22.json", ContentType: "application/json", Data: `{"a":1}`},
	}
	tests := []struct {
		name  string
		files []File
		want  received
	}{
		{name: "known length", files: []File{disk, typed}, want: received{Parts: wantParts}},
		{
			name:  "chunked",
			files: []File{disk, typed, stringFile("stream", "s.bin", "unknown", -1)},
			want: received{ContentLength: -1, TransferEncoding: []string{"chunked"}, Parts: append(slices.Clone(wantParts),
				gotPart{Name: "stream", Filename: "s.bin", Data: "unknown"})},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := mustNew(t, fields, tt.files)
			rc, err := b.Open()
			if err != nil {
				t.Fatal(err)
			}
			req, err := http.NewRequest(http.MethodPost, srv.URL, rc)
			if err != nil {
				t.Fatal(err)
			}
			req.ContentLength = b.Size()
			req.GetBody = b.Open
			req.Header.Set("Content-Type", b.ContentType())
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				msg, _ := io.ReadAll(resp.Body)
				t.Fatalf("status %s: %s", resp.Status, msg)
			}
			var got received
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
				t.Fatal(err)
			}
			want := tt.want
			if want.ContentLength == 0 {
				want.ContentLength = b.Size()
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("received (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHTTPBin(t *testing.T) {
	srv := httptest.NewServer(httpbin.New())
	defer srv.Close()

	path := filepath.Join(t.TempDir(), "upload.txt")
	writeFile(t, path, "from disk")
	disk, err := FromPath("doc", path)
	if err != nil {
		t.Fatal(err)
	}
	typed := FromBytes("doc", "second.json", []byte(`[1,2]`))
	typed.ContentType = "application/json"
	b := mustNew(t, []Field{{"a", "1"}, {"a", "2"}, {"café", "crème"}}, []File{disk, typed, FromBytes("other", "o.bin", []byte{0, 1, 2})})

	rc, err := b.Open()
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/post", rc)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = b.Size()
	req.Header.Set("Content-Type", b.ContentType())
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct {
		Form  map[string][]string `json:"form"`
		Files map[string][]string `json:"files"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	want := got
	want.Form = map[string][]string{"a": {"1", "2"}, "café": {"crème"}}
	want.Files = map[string][]string{"doc": {"from disk", "[1,2]"}, "other": {"\x00\x01\x02"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("httpbin /post (-want +got):\n%s", diff)
	}
}

func sparseFile(t testing.TB, size int64) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sparse.bin")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestStreamingMemory(t *testing.T) {
	const size = 256 << 20
	f, err := FromPath("big", sparseFile(t, size))
	if err != nil {
		t.Fatal(err)
	}
	b := mustNew(t, []Field{{"k", "v"}}, []File{f})
	rc, err := b.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	n, err := io.Copy(io.Discard, rc)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(b.Size(), n); diff != "" {
		t.Errorf("streamed bytes (-Size() +got):\n%s", diff)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew >= 8<<20 {
		t.Errorf("streaming a %d-byte file allocated %d bytes", size, grew)
	} else {
		t.Logf("streaming %d bytes allocated %d bytes", n, grew)
	}
}

// uploadPipe is the usual hand-written streaming upload: mime/multipart's
// Writer in a goroutine feeding an io.Pipe.
func uploadPipe(path string, dst io.Writer) (int64, error) {
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		mw := mimemultipart.NewWriter(pw)
		err := func() error {
			w, err := mw.CreateFormFile("big", filepath.Base(path))
			if err != nil {
				return err
			}
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			if _, err := io.Copy(w, f); err != nil {
				return err
			}
			return mw.Close()
		}()
		pw.CloseWithError(err)
	}()
	n, err := io.Copy(dst, pr)
	pr.Close()
	<-done
	return n, err
}

func BenchmarkUpload(b *testing.B) {
	const size = 64 << 20
	path := sparseFile(b, size)
	b.Run("tether", func(b *testing.B) {
		f, err := FromPath("big", path)
		if err != nil {
			b.Fatal(err)
		}
		body := mustNew(b, nil, []File{f})
		b.SetBytes(body.Size())
		b.ReportAllocs()
		for b.Loop() {
			rc, err := body.Open()
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, rc); err != nil {
				b.Fatal(err)
			}
			rc.Close()
		}
	})
	b.Run("mime-multipart-pipe", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := uploadPipe(path, io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	})
}
