package stream

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

// lineCases are bodies for Lines, with the lines requests' iter_lines
// yields for them in one chunk. TestLinesMatchRequests checks the wants
// against requests itself.
var lineCases = []struct {
	name  string
	body  string
	delim string // "" is nil: splitlines' line ends
	want  []string
}{
	{name: "empty body", body: "", want: nil},
	{name: "LF only", body: "\n", want: []string{""}},
	{name: "CR only", body: "\r", want: []string{""}},
	{name: "CRLF only", body: "\r\n", want: []string{""}},
	{name: "two LFs", body: "\n\n", want: []string{"", ""}},
	{name: "no line end", body: "abc", want: []string{"abc"}},
	{name: "LF", body: "abc\n", want: []string{"abc"}},
	{name: "CRLF", body: "abc\r\n", want: []string{"abc"}},
	{name: "CR", body: "abc\r", want: []string{"abc"}},
	{name: "trailing line without line end", body: "a\nb", want: []string{"a", "b"}},
	{name: "empty lines in the middle", body: "a\n\n\nb\n", want: []string{"a", "", "", "b"}},
	{name: "trailing empty line", body: "a\n\n", want: []string{"a", ""}},
	{name: "leading empty lines", body: "\n\na", want: []string{"", "", "a"}},
	{name: "mixed line ends", body: "a\rb\nc\r\nd\n\re", want: []string{"a", "b", "c", "d", "", "e"}},
	{name: "CR CR LF", body: "a\r\r\nb", want: []string{"a", "", "b"}},
	{name: "LF CR", body: "a\n\rb", want: []string{"a", "", "b"}},
	{name: "CRLF CRLF", body: "a\r\n\r\nb\r\n", want: []string{"a", "", "b"}},
	{
		// bytes.splitlines, unlike str.splitlines, splits on nothing
		// but CR and LF.
		name: "other separators are not line ends",
		body: "a\vb\fc\x1cd\x1de\x1ef\x85g\u2028h\u2029i\n",
		want: []string{"a\vb\fc\x1cd\x1de\x1ef\x85g\u2028h\u2029i"},
	},
	{name: "NUL and non-UTF-8 bytes kept", body: "a\x00b\xff\n", want: []string{"a\x00b\xff"}},
	{name: "UTF-8", body: "héllo\nwörld\n", want: []string{"héllo", "wörld"}},
	{
		name: "lines longer than the chunks",
		body: strings.Repeat("x", 700) + "\n" + strings.Repeat("y", 600),
		want: []string{strings.Repeat("x", 700), strings.Repeat("y", 600)},
	},

	{name: "delim: empty body", body: "", delim: ",", want: nil},
	{name: "delim: only the delimiter", body: ",", delim: ",", want: []string{"", ""}},
	{name: "delim: two lines", body: "a,b", delim: ",", want: []string{"a", "b"}},
	{name: "delim: trailing delimiter", body: "a,b,", delim: ",", want: []string{"a", "b", ""}},
	{name: "delim: two trailing delimiters", body: "a,b,,", delim: ",", want: []string{"a", "b", "", ""}},
	{name: "delim: leading delimiter", body: ",a", delim: ",", want: []string{"", "a"}},
	{name: "delim: empty line in the middle", body: "a,,b", delim: ",", want: []string{"a", "", "b"}},
	{name: "delim: no delimiter", body: "abc", delim: ",", want: []string{"abc"}},
	{name: "delim: LF is not special", body: "a\nb,c\r\n", delim: ",", want: []string{"a\nb", "c\r\n"}},
	{name: "delim: CRLF", body: "a\r\nb\r\nc", delim: "\r\n", want: []string{"a", "b", "c"}},
	{name: "delim: CRLF, lone CR and LF kept", body: "a\rb\nc\r\n", delim: "\r\n", want: []string{"a\rb\nc", ""}},
	{name: "delim: overlapping occurrences", body: "aaa", delim: "aa", want: []string{"", "a"}},
	{name: "delim: four", body: "baaaab", delim: "aa", want: []string{"b", "", "b"}},
	{name: "delim: longer than the body", body: "xy", delim: "xyz", want: []string{"xy"}},
	{name: "delim: partial delimiter at the end", body: "a--b-", delim: "--", want: []string{"a", "b-"}},
	{
		name:  "delim: lines longer than the chunks",
		body:  strings.Repeat("x", 700) + "<>" + strings.Repeat("y", 600),
		delim: "<>",
		want:  []string{strings.Repeat("x", 700), strings.Repeat("y", 600)},
	},
}

// delimOrNil returns nil for "", the delimiter as bytes otherwise.
func delimOrNil(delim string) []byte {
	if delim == "" {
		return nil
	}
	return []byte(delim)
}

func TestLines(t *testing.T) {
	for _, tc := range lineCases {
		for name, r := range readers([]byte(tc.body)) {
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				got, err := collectLines(t, r, delimOrNil(tc.delim))
				if err != nil {
					t.Fatalf("Lines yielded the error %v", err)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("Lines(%q, %q) (-want +got):\n%s", tc.body, tc.delim, diff)
				}
			})
		}
	}
}

// requestsChunkBug reports whether requests' iter_lines(chunk_size=k)
// yields a spurious empty line for body, because a chunk boundary falls
// where requests loses track of a line end: between the "\r" and "\n" of
// a "\r\n" (delim nil), or right after a delimiter that is not the body's
// last bytes.
func requestsChunkBug(body, delim []byte, k int) bool {
	ends := map[int]bool{}
	for i := 0; delim != nil; {
		j := bytes.Index(body[i:], delim)
		if j < 0 {
			break
		}
		i += j + len(delim)
		ends[i] = true
	}
	for b := k; b < len(body); b += k {
		if delim == nil && body[b-1] == '\r' && body[b] == '\n' {
			return true
		}
		if delim != nil && ends[b] {
			return true
		}
	}
	return false
}

// TestLinesMatchRequests compares Lines with the iter_lines of the
// installed requests, the body fed to both in chunks of the same sizes.
func TestLinesMatchRequests(t *testing.T) {
	sizes := []int{1, 2, 3, 5, 8, 512}
	// quirks are the chunkings where requests yields a spurious empty line
	// and Lines deliberately does not: Lines yields the same lines however
	// the body is split, which is what requests yields with the whole body
	// in one chunk. They are spelt out here so that a change in requests
	// shows; the loop below finds every other such chunking in lineCases
	// on its own.
	quirks := []struct {
		name           string
		body, delim    string
		size           int
		requests, want []string
	}{
		{
			// psf/requests#3980: bytes.splitlines runs per chunk, so the
			// "\r" ends a line in one chunk and the "\n" another in the
			// next.
			name: "CRLF split across chunks", body: "ab\r\ncd", size: 3,
			requests: []string{"ab", "", "cd"}, want: []string{"ab", "cd"},
		},
		{
			name: "CRLF body in 1-byte chunks", body: "\r\n", size: 1,
			requests: []string{"", ""}, want: []string{""},
		},
		{
			// psf/requests#4121: chunk.split(delimiter) on a chunk that
			// ends with the delimiter leaves an empty last piece, which
			// requests yields instead of keeping it pending.
			name: "chunk ends after a delimiter", body: "a,b", delim: ",", size: 2,
			requests: []string{"a", "", "b"}, want: []string{"a", "b"},
		},
		{
			name: "every chunk ends after a delimiter", body: "a,,b", delim: ",", size: 1,
			requests: []string{"a", "", "", "", "b"}, want: []string{"a", "", "b"},
		},
		{
			name: "chunk ends after a multi-byte delimiter", body: "a\r\nb\r\nc", delim: "\r\n", size: 3,
			requests: []string{"a", "", "b", "", "c"}, want: []string{"a", "b", "c"},
		},
	}

	type run struct {
		name    string
		body    []byte
		delim   []byte
		size    int
		whole   int // index of the call with the whole body in one chunk
		want    []string
		quirk   bool
		request []string // for quirks, what requests is expected to yield
	}
	var (
		runs  []run
		calls []requestsCall
	)
	add := func(body, delim []byte, size int) int {
		calls = append(calls, requestsCall{Op: "lines", Body: body, Delim: delim, Size: size})
		return len(calls) - 1
	}
	for _, tc := range lineCases {
		body, delim := []byte(tc.body), delimOrNil(tc.delim)
		whole := add(body, delim, 1<<20)
		runs = append(runs, run{name: tc.name + "/whole", body: body, delim: delim, size: 1 << 20, whole: whole, want: tc.want})
		for _, k := range sizes {
			runs = append(runs, run{
				name: fmt.Sprintf("%s/%d", tc.name, k), body: body, delim: delim, size: k, whole: whole,
				want: tc.want, quirk: requestsChunkBug(body, delim, k),
			})
		}
	}
	for _, q := range quirks {
		body, delim := []byte(q.body), delimOrNil(q.delim)
		if !requestsChunkBug(body, delim, q.size) {
			t.Fatalf("quirk %q: requestsChunkBug does not see the bug", q.name)
		}
		whole := add(body, delim, 1<<20)
		runs = append(runs, run{
			name: "quirk/" + q.name, body: body, delim: delim, size: q.size, whole: whole,
			want: q.want, quirk: true, request: q.requests,
		})
	}
	index := make([]int, len(runs))
	for i, r := range runs {
		if r.size == 1<<20 {
			index[i] = r.whole
		} else {
			index[i] = add(r.body, r.delim, r.size)
		}
	}

	automatic := 0
	for _, r := range runs {
		if r.quirk && r.request == nil {
			automatic++
		}
	}
	if automatic == 0 {
		t.Errorf("no chunking of lineCases hits requests' chunk-boundary bug: the automatic split is untested")
	}

	results := runRequests(t, calls)
	for i, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			got, err := collectLines(t, &chunkReader{data: r.body, k: r.size}, r.delim)
			if err != nil {
				t.Fatalf("Lines yielded the error %v", err)
			}
			requests, whole := results[index[i]], results[r.whole]
			if diff := cmp.Diff(r.want, whole); diff != "" {
				t.Errorf("requests in one chunk differs from the table (-want +got):\n%s", diff)
			}
			if !r.quirk {
				if diff := cmp.Diff(requests, got); diff != "" {
					t.Errorf("Lines(%q, %q) in chunks of %d differs from requests (-want +got):\n%s", r.body, r.delim, r.size, diff)
				}
				return
			}
			// Deliberate difference: requests' output here depends on the
			// chunk boundaries (a spurious empty line); Lines yields what
			// requests yields for the body in one chunk.
			if cmp.Equal(requests, whole) {
				t.Errorf("requests in chunks of %d no longer yields a spurious empty line: %q", r.size, requests)
			}
			if r.request != nil {
				if diff := cmp.Diff(r.request, requests); diff != "" {
					t.Errorf("requests in chunks of %d (-want +got):\n%s", r.size, diff)
				}
			}
			if diff := cmp.Diff(whole, got); diff != "" {
				t.Errorf("Lines(%q, %q) in chunks of %d differs from requests in one chunk (-want +got):\n%s", r.body, r.delim, r.size, diff)
			}
		})
	}
}

func TestLinesReadError(t *testing.T) {
	tests := map[string]struct {
		r     io.Reader
		delim string
		want  []string
		err   error
	}{
		"error after the data": {
			r:    io.MultiReader(strings.NewReader("a\nb\r\nc"), iotest.ErrReader(errBoom)),
			want: []string{"a", "b"},
			err:  errBoom,
		},
		"error with the data": {
			r:    &dataErrReader{data: []byte("a\nb\nc"), err: errBoom},
			want: []string{"a", "b"},
			err:  errBoom,
		},
		"error with the data, delimiter": {
			r:     &dataErrReader{data: []byte("a,b,c"), err: errBoom},
			delim: ",",
			want:  []string{"a", "b"},
			err:   errBoom,
		},
		"error at once": {
			r:   iotest.ErrReader(errBoom),
			err: errBoom,
		},
		"no progress": {
			r:    io.MultiReader(strings.NewReader("a\nb"), emptyReader{}),
			want: []string{"a"},
			err:  io.ErrNoProgress,
		},
		"negative count": {
			r:   badCountReader{n: -1},
			err: errBadCount,
		},
		"count too large": {
			r:   badCountReader{n: 1 << 30},
			err: errBadCount,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := collectLines(t, tc.r, delimOrNil(tc.delim))
			if err != tc.err {
				t.Errorf("Lines yielded the error %v, want %v", err, tc.err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Lines (-want +got):\n%s", diff)
			}
		})
	}
}

// countingReader counts the reads made on it.
type countingReader struct {
	r     io.Reader
	reads int
}

func (r *countingReader) Read(p []byte) (int, error) {
	r.reads++
	return r.r.Read(p)
}

func TestLinesBreak(t *testing.T) {
	for delim, rest := range map[string][]string{
		"":   {"b", "c"},
		"\n": {"b", "c", ""}, // a trailing delimiter ends an empty line
	} {
		t.Run(fmt.Sprintf("delim %q", delim), func(t *testing.T) {
			r := &countingReader{r: iotest.OneByteReader(strings.NewReader("a\nb\nc\n"))}
			var got []string
			for line := range Lines(r, delimOrNil(delim)) {
				got = append(got, string(line))
				break
			}
			if diff := cmp.Diff([]string{"a"}, got); diff != "" {
				t.Errorf("Lines (-want +got):\n%s", diff)
			}
			if r.reads != 2 {
				t.Errorf("Lines read %d times before the break, want 2 (it reads no further than it must)", r.reads)
			}
			// A new loop over the rest of the reader goes on from there.
			got, err := collectLines(t, r, delimOrNil(delim))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(rest, got); diff != "" {
				t.Errorf("Lines after a break (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLinesNoWait checks that a line ending in "\r" is yielded before the
// next read, which would block on a live stream.
func TestLinesNoWait(t *testing.T) {
	r := &chunkReader{data: []byte("a\r\nb\r"), k: 2}
	for line := range Lines(r, nil) {
		if string(line) == "a" && string(r.data) != "\nb\r" {
			t.Errorf("Lines read %q too far before yielding %q", r.data, line)
		}
	}
}

// TestLinesAppend checks that appending to a yielded line cannot clobber
// the lines that follow it in the buffer.
func TestLinesAppend(t *testing.T) {
	var got []string
	for line := range Lines(strings.NewReader("a\nb\nc\n"), nil) {
		line = append(line, "XXXX"...)
		got = append(got, string(line))
	}
	want := []string{"aXXXX", "bXXXX", "cXXXX"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Lines (-want +got):\n%s", diff)
	}
}

// TestLinesLong checks lines much longer than the buffer, which must
// grow, a long line split across many reads, and line ends and delimiters
// that straddle the end of the first buffer-full.
func TestLinesLong(t *testing.T) {
	long := strings.Repeat("0123456789", 20_000) // 200 kB
	edge := strings.Repeat("x", bufSize-1)
	tests := map[string]struct {
		body  string
		delim string
		want  []string
	}{
		"long lines":                            {body: long + "\r\n\n" + long + "\r" + long, want: []string{long, "", long, long}},
		"long lines, delimiter":                 {body: long + "<>" + long + "<><>" + long, delim: "<>", want: []string{long, long, "", long}},
		"CRLF across the buffer":                {body: edge + "\r\ny", want: []string{edge, "y"}},
		"CR at the buffer's end":                {body: edge + "\ry", want: []string{edge, "y"}},
		"LF after the buffer":                   {body: edge + "y\nz", want: []string{edge + "y", "z"}},
		"delimiter across the buffer":           {body: edge + "<>y", delim: "<>", want: []string{edge, "y"}},
		"partial delimiter at the buffer's end": {body: edge + "<y<>", delim: "<>", want: []string{edge + "<y", ""}},
	}
	for name, tc := range tests {
		for rname, r := range readers([]byte(tc.body)) {
			t.Run(name+"/"+rname, func(t *testing.T) {
				got, err := collectLines(t, r, delimOrNil(tc.delim))
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("Lines (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestLinesAllocs checks that the loop allocates nothing per line: as
// much for 10,000 lines as for 10.
func TestLinesAllocs(t *testing.T) {
	for _, tc := range []struct {
		name  string
		end   string
		delim []byte
	}{
		{name: "LF", end: "\n"},
		{name: "CRLF", end: "\r\n"},
		{name: "CR", end: "\r"},
		{name: "delimiter", end: "<>", delim: []byte("<>")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			allocs := func(lines int) float64 {
				body := []byte(strings.Repeat(strings.Repeat("x", 70)+tc.end, lines))
				r := bytes.NewReader(body)
				return testing.AllocsPerRun(20, func() {
					r.Reset(body)
					n := 0
					for range Lines(r, tc.delim) {
						n++
					}
					want := lines
					if tc.delim != nil {
						want++ // the empty line after the trailing delimiter
					}
					if n != want {
						t.Fatalf("Lines yielded %d lines, want %d", n, want)
					}
				})
			}
			few, many := allocs(10), allocs(10_000)
			if many != few {
				t.Errorf("Lines allocates %v times for 10 lines and %v times for 10,000", few, many)
			}
		})
	}
}

// TestLinesDelimArgument checks that an empty delimiter means the line
// ends, as requests' falsy delimiter=b"" does, and that Lines keeps its own
// copy of the delimiter.
func TestLinesDelimArgument(t *testing.T) {
	got, err := collectLines(t, strings.NewReader("a\r\nb,c\n"), []byte{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a", "b,c"}, got); diff != "" {
		t.Errorf("Lines with an empty delimiter (-want +got):\n%s", diff)
	}

	delim := []byte(",")
	seq := Lines(strings.NewReader("a,b;c"), delim)
	delim[0] = ';'
	got = nil
	for line, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(line))
	}
	if diff := cmp.Diff([]string{"a", "b;c"}, got); diff != "" {
		t.Errorf("Lines after the caller changed the delimiter (-want +got):\n%s", diff)
	}
}

// firstRead records the size of the buffer of its reader's first read.
type firstRead struct {
	r    io.Reader
	size int
}

func (f *firstRead) Read(p []byte) (int, error) {
	if f.size < 0 {
		f.size = len(p)
	}
	return f.r.Read(p)
}

// TestLinesSized: the buffer starts at the body's size when it is known
// and smaller than a read, and the lines are the same whatever the size
// says, a wrong one included.
func TestLinesSized(t *testing.T) {
	body := "one\ntwo\r\nthree"
	want := []string{"one", "two", "three"}
	tests := map[string]struct {
		size      int64
		wantFirst int
	}{
		"unknown":          {-1, bufSize},
		"exact":            {int64(len(body)), len(body) + 1},
		"too small":        {3, 4},
		"zero":             {0, 1},
		"too large":        {1000, 1001},
		"larger than read": {1 << 30, bufSize},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			fr := &firstRead{r: strings.NewReader(body), size: -1}
			var got []string
			for line, err := range LinesSized(fr, nil, tc.size) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, string(line))
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
			if fr.size != tc.wantFirst {
				t.Errorf("first read of %d bytes, want %d", fr.size, tc.wantFirst)
			}
		})
	}
}
