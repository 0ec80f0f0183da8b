package stream

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

// randomBody returns n reproducible pseudo-random bytes.
func randomBody(n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.UintN(256))
	}
	return b
}

func TestChunks(t *testing.T) {
	tests := map[string]struct {
		body string
		n    int
		want []string
	}{
		"empty body":            {body: "", n: 3, want: nil},
		"shorter than n":        {body: "ab", n: 3, want: []string{"ab"}},
		"exactly n":             {body: "abc", n: 3, want: []string{"abc"}},
		"last chunk shorter":    {body: "abcdefg", n: 3, want: []string{"abc", "def", "g"}},
		"multiple of n":         {body: "abcdef", n: 3, want: []string{"abc", "def"}},
		"n = 1":                 {body: "abc", n: 1, want: []string{"a", "b", "c"}},
		"n = 0 is the default":  {body: "abc", n: 0, want: []string{"abc"}},
		"n < 0 is the default":  {body: "abc", n: -5, want: []string{"abc"}},
		"n larger than 64 KiB":  {body: strings.Repeat("x", 300_000), n: 200_000, want: []string{strings.Repeat("x", 200_000), strings.Repeat("x", 100_000)}},
		"line ends are nothing": {body: "a\r\nb\n", n: 2, want: []string{"a\r", "\nb", "\n"}},
	}
	for name, tc := range tests {
		for rname, r := range readers([]byte(tc.body)) {
			t.Run(name+"/"+rname, func(t *testing.T) {
				got, err := collectChunks(t, r, tc.n)
				if err != nil {
					t.Fatalf("Chunks yielded the error %v", err)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("Chunks(%d) (-want +got):\n%s", tc.n, diff)
				}
			})
		}
	}
}

// TestChunksDefault: size 0 means DefaultChunkSize, where requests'
// iter_content() yields one byte at a time (a README difference: a byte a
// chunk is never what a Go caller wants).
func TestChunksDefault(t *testing.T) {
	body := randomBody(3*DefaultChunkSize+100, 1)
	got, err := collectChunks(t, iotest.OneByteReader(bytes.NewReader(body)), 0)
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, c := range got {
		sizes = append(sizes, len(c))
	}
	want := []int{DefaultChunkSize, DefaultChunkSize, DefaultChunkSize, 100}
	if diff := cmp.Diff(want, sizes); diff != "" {
		t.Errorf("chunk sizes (-want +got):\n%s", diff)
	}
	if strings.Join(got, "") != string(body) {
		t.Errorf("the chunks do not make up the body")
	}
}

// TestChunksMatchRequests compares Chunks with the iter_content of the
// installed requests.
func TestChunksMatchRequests(t *testing.T) {
	type run struct {
		name string
		body []byte
		n    int
	}
	var runs []run
	bodies := map[string][]byte{
		"empty":   nil,
		"1 byte":  []byte("a"),
		"7 bytes": []byte("abcdefg"),
		"text":    []byte("a\r\nb\nc\rd\n\n"),
		"random":  randomBody(1000, 2),
		"large":   randomBody(2*DefaultChunkSize+12_345, 3),
	}
	for name, body := range bodies {
		for _, n := range []int{1, 3, 7, 64, 512, 4096, 0} {
			if n == 1 && len(body) > 1000 {
				continue
			}
			runs = append(runs, run{name: fmt.Sprintf("%s/%d", name, n), body: body, n: n})
		}
	}
	calls := make([]requestsCall, len(runs))
	for i, r := range runs {
		size := r.n
		if size <= 0 {
			size = DefaultChunkSize // requests' own default, 1, is not ours
		}
		calls[i] = requestsCall{Op: "content", Body: r.body, Size: size}
	}
	results := runRequests(t, calls)
	for i, r := range runs {
		for rname, reader := range readers(r.body) {
			t.Run(r.name+"/"+rname, func(t *testing.T) {
				got, err := collectChunks(t, reader, r.n)
				if err != nil {
					t.Fatalf("Chunks yielded the error %v", err)
				}
				if diff := cmp.Diff(results[i], got); diff != "" {
					t.Errorf("Chunks(%d) differs from requests' iter_content (-want +got):\n%s", r.n, diff)
				}
			})
		}
	}
}

func TestChunksReadError(t *testing.T) {
	tests := map[string]struct {
		r    io.Reader
		want []string
		err  error
	}{
		"error after the data": {
			r:    io.MultiReader(strings.NewReader("abcdefg"), iotest.ErrReader(errBoom)),
			want: []string{"abc", "def", "g"},
			err:  errBoom,
		},
		"error after a full chunk": {
			r:    io.MultiReader(strings.NewReader("abcdef"), iotest.ErrReader(errBoom)),
			want: []string{"abc", "def"},
			err:  errBoom,
		},
		"error with the data": {
			r:    &dataErrReader{data: []byte("abcdefg"), err: errBoom},
			want: []string{"abc", "def", "g"},
			err:  errBoom,
		},
		"error at once": {
			r:   iotest.ErrReader(errBoom),
			err: errBoom,
		},
		"no progress": {
			r:    io.MultiReader(strings.NewReader("abcd"), emptyReader{}),
			want: []string{"abc", "d"},
			err:  io.ErrNoProgress,
		},
		"negative count": {
			r:   badCountReader{n: -1},
			err: errBadCount,
		},
		"count too large": {
			r:   badCountReader{n: 10},
			err: errBadCount,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := collectChunks(t, tc.r, 3)
			if err != tc.err {
				t.Errorf("Chunks yielded the error %v, want %v", err, tc.err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Chunks (-want +got):\n%s", diff)
			}
		})
	}
}

func TestChunksBreak(t *testing.T) {
	r := &countingReader{r: iotest.OneByteReader(strings.NewReader("abcdefg"))}
	var got []string
	for chunk := range Chunks(r, 2) {
		got = append(got, string(chunk))
		break
	}
	if diff := cmp.Diff([]string{"ab"}, got); diff != "" {
		t.Errorf("Chunks (-want +got):\n%s", diff)
	}
	if r.reads != 2 {
		t.Errorf("Chunks read %d times before the break, want 2", r.reads)
	}
}

// TestChunksAllocs checks that the loop allocates nothing per chunk.
func TestChunksAllocs(t *testing.T) {
	allocs := func(chunks int) float64 {
		body := make([]byte, chunks*4096)
		r := bytes.NewReader(body)
		return testing.AllocsPerRun(20, func() {
			r.Reset(body)
			n := 0
			for range Chunks(r, 4096) {
				n++
			}
			if n != chunks {
				t.Fatalf("Chunks yielded %d chunks, want %d", n, chunks)
			}
		})
	}
	few, many := allocs(2), allocs(1000)
	if many != few {
		t.Errorf("Chunks allocates %v times for 2 chunks and %v times for 1,000", few, many)
	}
}

// pieces reads its pieces one per Read, as a chunked body arrives.
type pieces struct {
	rest []string
	err  error // after the pieces; io.EOF when nil
}

func (p *pieces) Read(b []byte) (int, error) {
	if len(p.rest) == 0 {
		if p.err != nil {
			return 0, p.err
		}
		return 0, io.EOF
	}
	n := copy(b, p.rest[0])
	if n == len(p.rest[0]) {
		p.rest = p.rest[1:]
	} else {
		p.rest[0] = p.rest[0][n:]
	}
	return n, nil
}

func TestChunksAsRead(t *testing.T) {
	boom := errors.New("boom")
	tests := map[string]struct {
		pieces  []string
		err     error
		n       int
		want    []string
		wantErr error
	}{
		"each read as it comes":     {pieces: []string{"abc", "de", "f"}, n: 4, want: []string{"abc", "de", "f"}},
		"a read larger than n":      {pieces: []string{"abcdefgh", "ij"}, n: 3, want: []string{"abc", "def", "gh", "ij"}},
		"empty reads yield nothing": {pieces: []string{"ab", "", "c"}, n: 4, want: []string{"ab", "c"}},
		"empty body":                {pieces: nil, n: 4, want: nil},
		"n <= 0 is the default":     {pieces: []string{"abc"}, n: 0, want: []string{"abc"}},
		"an error after data":       {pieces: []string{"ab"}, err: boom, n: 4, want: []string{"ab"}, wantErr: boom},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var got []string
			var gotErr error
			for c, err := range ChunksAsRead(&pieces{rest: slices.Clone(tc.pieces), err: tc.err}, tc.n) {
				if err != nil {
					gotErr = err
					continue
				}
				got = append(got, string(c))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("chunks (-want +got):\n%s", diff)
			}
			if !errors.Is(gotErr, tc.wantErr) || (tc.wantErr == nil) != (gotErr == nil) {
				t.Errorf("error = %v, want %v", gotErr, tc.wantErr)
			}
		})
	}
	t.Run("break", func(t *testing.T) {
		for c := range ChunksAsRead(&pieces{rest: []string{"ab", "cd"}}, 4) {
			if string(c) != "ab" {
				t.Errorf("first chunk %q", c)
			}
			break
		}
	})
}
