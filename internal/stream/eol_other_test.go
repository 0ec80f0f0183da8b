//go:build !amd64

package stream

// eolKernels are the kernels TestEOLMasks checks against eolMasksGo.
func eolKernels() map[string]func(p []byte, masks []uint64) bool {
	return map[string]func(p []byte, masks []uint64) bool{"eolMasks": eolMasks}
}
