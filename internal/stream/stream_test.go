package stream

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"testing"
	"testing/iotest"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// errBoom is the read error the failing readers return.
var errBoom = errors.New("boom")

// chunkReader returns its data k bytes per Read (fewer if p is shorter),
// as a raw response whose read(k) always fills up does.
type chunkReader struct {
	data []byte
	k    int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.k)], r.data)
	r.data = r.data[n:]
	return n, nil
}

// dataErrReader returns all its data and err from one Read.
type dataErrReader struct {
	data []byte
	err  error
}

func (r *dataErrReader) Read(p []byte) (int, error) {
	n := copy(p, r.data)
	r.data = r.data[n:]
	if len(r.data) == 0 {
		return n, r.err
	}
	return n, nil
}

// emptyReader returns no data and no error forever.
type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, nil }

// badCountReader returns an impossible count.
type badCountReader struct{ n int }

func (r badCountReader) Read([]byte) (int, error) { return r.n, nil }

// readers returns the same body split into reads in different ways; every
// function of the package must give the same result for all of them.
func readers(body []byte) map[string]io.Reader {
	return map[string]io.Reader{
		"whole":    bytes.NewReader(body),
		"one byte": iotest.OneByteReader(bytes.NewReader(body)),
		"half":     iotest.HalfReader(bytes.NewReader(body)),
		"data+EOF": iotest.DataErrReader(bytes.NewReader(body)),
		"3 bytes":  &chunkReader{data: body, k: 3},
		"7 bytes":  &chunkReader{data: body, k: 7},
	}
}

// collectLines runs Lines to the end and returns copies of the lines and
// the error, if one was yielded. It fails the test if anything is yielded
// after an error.
func collectLines(t testing.TB, r io.Reader, delim []byte) ([]string, error) {
	t.Helper()
	var (
		lines []string
		err   error
	)
	for line, e := range Lines(r, delim) {
		if err != nil {
			t.Fatalf("Lines yielded %q, %v after the error %v", line, e, err)
		}
		if e != nil {
			if line != nil {
				t.Errorf("Lines yielded %q with the error %v, want nil", line, e)
			}
			err = e
			continue
		}
		lines = append(lines, string(line))
	}
	return lines, err
}

// collectChunks is collectLines for Chunks.
func collectChunks(t testing.TB, r io.Reader, n int) ([]string, error) {
	t.Helper()
	var (
		chunks []string
		err    error
	)
	for chunk, e := range Chunks(r, n) {
		if err != nil {
			t.Fatalf("Chunks yielded %q, %v after the error %v", chunk, e, err)
		}
		if e != nil {
			if chunk != nil {
				t.Errorf("Chunks yielded %q with the error %v, want nil", chunk, e)
			}
			err = e
			continue
		}
		if len(chunk) == 0 {
			t.Errorf("Chunks yielded an empty chunk")
		}
		chunks = append(chunks, string(chunk))
	}
	return chunks, err
}

// collectEvents is collectLines for Events.
func collectEvents(t testing.TB, r io.Reader) ([]Event, error) {
	t.Helper()
	var (
		events []Event
		err    error
	)
	for ev, e := range Events(r) {
		if err != nil {
			t.Fatalf("Events yielded %+v, %v after the error %v", ev, e, err)
		}
		if e != nil {
			if ev != (Event{}) {
				t.Errorf("Events yielded %+v with the error %v, want a zero Event", ev, e)
			}
			err = e
			continue
		}
		events = append(events, ev)
	}
	return events, err
}

// requestsScript is the Python side of the differential tests. It reads a
// JSON list of calls from stdin, each with a base64 body, an op ("lines",
// "textlines" or "content"), a chunk size, for lines a base64 delimiter or
// null, and for textlines the response's encoding (none: None), and
// writes a JSON list with, for each call, the list of base64 items that
// requests' iter_lines (with decode_unicode=True for textlines, each str
// item then UTF-8 encoded; the one item "!LookupError" or "!UnicodeError"
// if it raised that)
// or iter_content yields when the raw body is an io.BytesIO, whose
// read(size) returns exactly size bytes: so the chunk boundaries are at
// multiples of the chunk size. It exits 77 when requests cannot be
// imported.
const requestsScript = `
import base64, io, json, sys
try:
    import requests
except ImportError as e:
    print(e, file=sys.stderr)
    sys.exit(77)

def response(body):
    r = requests.Response()
    r.raw = io.BytesIO(body)
    return r

out = []
for call in json.load(sys.stdin):
    body = base64.b64decode(call["body"] or "")
    if call["op"] == "lines":
        delim = call["delim"]
        if delim is not None:
            delim = base64.b64decode(delim)
        items = response(body).iter_lines(chunk_size=call["size"], delimiter=delim)
    elif call["op"] == "textlines":
        r = response(body)
        r.encoding = call.get("encoding")
        try:
            items = [s.encode("utf-8", "surrogatepass") if isinstance(s, str) else s
                     for s in r.iter_lines(chunk_size=call["size"], decode_unicode=True)]
        except LookupError:
            items = [b"!LookupError"]
        except UnicodeError:
            # Python's incremental UTF-16 and UTF-32 decoders refuse a
            # stream without a byte order mark, errors="replace" or not.
            items = [b"!UnicodeError"]
    else:
        items = response(body).iter_content(chunk_size=call["size"])
    out.append([base64.b64encode(item).decode() for item in items])
json.dump(out, sys.stdout)
`

// requestsCall is one call of requestsScript.
type requestsCall struct {
	Op    string `json:"op"`
	Body  []byte `json:"body"`
	Delim []byte `json:"delim"` // nil is Python's None
	Size  int    `json:"size"`
	// Encoding is r.encoding for textlines; "" is None.
	Encoding string `json:"encoding,omitempty"`
}

// runRequests runs all calls in one python3 process and returns, for
// each, what requests yielded. It skips the test when python3 or requests
// is missing.
func runRequests(t *testing.T, calls []requestsCall) [][]string {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skipf("no python3, so no requests to compare with: %v", err)
	}
	in, err := json.Marshal(calls)
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(t.Context(), "python3", "-c", requestsScript)
	cmd.Stdin = bytes.NewReader(in)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == 77 {
			t.Skipf("python3 cannot import requests, so no requests to compare with: %s", stderr.Bytes())
		}
		t.Fatalf("python3: %v\n%s", err, stderr.Bytes())
	}
	var out [][][]byte
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("python3 output: %v\n%s", err, stdout.Bytes())
	}
	if len(out) != len(calls) {
		t.Fatalf("python3 answered %d calls, want %d", len(out), len(calls))
	}
	results := make([][]string, len(out))
	for i, items := range out {
		for _, item := range items {
			results[i] = append(results[i], string(item))
		}
	}
	return results
}
