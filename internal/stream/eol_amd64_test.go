package stream

import (
	"testing"

	"golang.org/x/sys/cpu"
)

// eolKernels are the kernels TestEOLMasks checks against eolMasksGo: each
// one this CPU can run, whether or not eolMasks picks it.
func eolKernels() map[string]func(p []byte, masks []uint64) bool {
	k := map[string]func(p []byte, masks []uint64) bool{"sse2": eolMasksSSE2}
	if cpu.X86.HasAVX512BW {
		k["avx512"] = eolMasksAVX512
	}
	return k
}

// TestLinesSSE2 runs the Lines tests of the masked search with the SSE2
// kernel, where eolMasks picks the AVX-512 one.
func TestLinesSSE2(t *testing.T) {
	if !useAVX512 {
		t.Skip("eolMasks runs the SSE2 kernel already")
	}
	useAVX512 = false
	t.Cleanup(func() { useAVX512 = true })
	t.Run("masked", TestLinesMasked)
	t.Run("CRLF across batches", TestLinesCRLFAcrossBatches)
}
