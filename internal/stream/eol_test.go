package stream

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// eolBody returns n reproducible bytes in which every byte is a line end
// with probability about 1/every ("\n" and "\r" alike), the rest being
// letters and, to catch a kernel that compares too loosely, bytes that
// differ from "\n" or "\r" in one bit (0x8a, 0x8d, 0x0b, 0x0c, 0x1a).
func eolBody(n, every int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, seed))
	near := []byte{0x8a, 0x8d, 0x0b, 0x0c, 0x1a, 0x2a, 0x4a}
	b := make([]byte, n)
	for i := range b {
		switch r := rng.IntN(2 * every); {
		case r == 0:
			b[i] = '\n'
		case r == 1:
			b[i] = '\r'
		case r < 5:
			b[i] = near[rng.IntN(len(near))]
		default:
			b[i] = 'a' + byte(rng.IntN(26))
		}
	}
	return b
}

// lfOnly turns every "\r" of body into "\n" but every keep-th one (none
// kept when keep is 0), for bodies with few or no "\r".
func lfOnly(body []byte, keep int) []byte {
	n := 0
	for i, c := range body {
		if c == '\r' {
			n++
			if keep == 0 || n%keep != 0 {
				body[i] = '\n'
			}
		}
	}
	return body
}

func TestEOLMasks(t *testing.T) {
	for name, kernel := range eolKernels() {
		for _, every := range []int{1, 3, 40, 1000} {
			for _, keepCR := range []int{1, 20, 0} {
				for _, blocks := range []int{0, 1, 2, maskBlocks, 100} {
					t.Run(fmt.Sprintf("%s/every=%d/keepCR=%d/blocks=%d", name, every, keepCR, blocks), func(t *testing.T) {
						// An offset of 1 makes the loads unaligned; the
						// byte after the blocks is a line end the kernel
						// must not see.
						body := append(lfOnly(eolBody(64*blocks+1, every, uint64(every*blocks)), keepCR), '\r')
						p := body[1:]
						want := make([]uint64, blocks)
						wantCR := eolMasksGo(p, want)
						got := make([]uint64, blocks, blocks+1)
						got = append(got, 0xdead)[:blocks]
						gotCR := kernel(p, got)
						if diff := cmp.Diff(want, got); diff != "" {
							t.Errorf("masks differ from eolMasksGo's (-want +got):\n%s", diff)
						}
						if gotCR != wantCR {
							t.Errorf("cr = %v, eolMasksGo says %v", gotCR, wantCR)
						}
						if w := got[:blocks+1][blocks]; w != 0xdead {
							t.Errorf("kernel wrote %#x past its masks", w)
						}
					})
				}
			}
		}
	}
}

// readSizes reads its reader in reads of the sizes it cycles through.
type readSizes struct {
	r     io.Reader
	sizes []int
	i     int
}

func (rs *readSizes) Read(p []byte) (int, error) {
	n := rs.sizes[rs.i%len(rs.sizes)]
	rs.i++
	return rs.r.Read(p[:min(n, len(p))])
}

// TestLinesMasked checks Lines against splitlines on bodies long enough
// for the masked search, with line ends dense and sparse and reads that
// split them anywhere, "\r\n" across reads and across 64-byte blocks
// included.
func TestLinesMasked(t *testing.T) {
	for _, every := range []int{1, 2, 5, 40, 300, 5000} {
		for _, keepCR := range []int{1, 50, 0} {
			for _, sizes := range [][]int{{1 << 20}, {maskedMin}, {64, 1, 63, 65}, {4096, 257, 700}, {bufSize - 1, 3}} {
				t.Run(fmt.Sprintf("every=%d/keepCR=%d/reads=%v", every, keepCR, sizes), func(t *testing.T) {
					body := lfOnly(eolBody(70_000, every, uint64(every)), keepCR)
					got, err := collectLines(t, &readSizes{r: bytes.NewReader(body), sizes: sizes}, nil)
					if err != nil {
						t.Fatalf("Lines yielded the error %v", err)
					}
					if diff := cmp.Diff(splitlines(body), got); diff != "" {
						t.Errorf("Lines differs from splitlines (-want +got):\n%s", diff)
					}
				})
			}
		}
	}
}

// TestLinesCRLFAcrossBatches puts the one "\r\n" of a body of "\n" lines
// at each place around the end of yieldMasked's first batch of blocks, so
// that its "\n" opens a batch without "\r" (and is not a line end of its
// own there).
func TestLinesCRLFAcrossBatches(t *testing.T) {
	for first := 1; first <= 3; first++ {
		for at := 64*maskBlocks - 4; at <= 64*maskBlocks+4; at++ {
			t.Run(fmt.Sprintf("first=%d/at=%d", first, at), func(t *testing.T) {
				body := bytes.Repeat([]byte("0123456789abcdefghi\n"), 400)
				body[first] = '\n'
				crAt := first + 1 + at
				body[crAt], body[crAt+1] = '\r', '\n'
				got, err := collectLines(t, bytes.NewReader(body), nil)
				if err != nil {
					t.Fatalf("Lines yielded the error %v", err)
				}
				if diff := cmp.Diff(splitlines(body), got); diff != "" {
					t.Errorf("Lines differs from splitlines (-want +got):\n%s", diff)
				}
			})
		}
	}
}
