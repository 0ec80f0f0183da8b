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

func TestEOLMasks(t *testing.T) {
	for _, every := range []int{1, 3, 40, 1000} {
		for _, blocks := range []int{0, 1, 2, maskBlocks, 100} {
			t.Run(fmt.Sprintf("every=%d/blocks=%d", every, blocks), func(t *testing.T) {
				// An offset of 1 makes the loads unaligned; the byte
				// after the blocks is a line end the kernel must not see.
				body := append(eolBody(64*blocks+1, every, uint64(every*blocks)), '\n')
				p := body[1:]
				want := make([]uint64, blocks)
				eolMasksGo(p, want)
				got := make([]uint64, blocks, blocks+1)
				got = append(got, 0xdead)[:blocks]
				eolMasks(p, got)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("eolMasks differs from eolMasksGo (-want +got):\n%s", diff)
				}
				if w := got[:blocks+1][blocks]; w != 0xdead {
					t.Errorf("eolMasks wrote %#x past its masks", w)
				}
			})
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
		for _, sizes := range [][]int{{1 << 20}, {maskedMin}, {64, 1, 63, 65}, {4096, 257, 700}, {bufSize - 1, 3}} {
			t.Run(fmt.Sprintf("every=%d/reads=%v", every, sizes), func(t *testing.T) {
				body := eolBody(200_000, every, uint64(every))
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
