package stream

import "golang.org/x/sys/cpu"

// haveEOLMasks says whether eolMasks has a kernel for this architecture:
// Lines then finds the line ends of 64 bytes at a time, rather than one
// bytes.IndexByte a line.
const haveEOLMasks = true

// useAVX512 is whether eolMasks runs its AVX-512 kernel: where the CPU has
// AVX-512BW, and VBMI2 too, which marks the CPUs (Ice Lake and later, AMD
// Zen 4) whose clock does not drop for 512-bit instructions.
var useAVX512 = cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VBMI2

// eolMasks sets masks[i] to the mask of the bytes p[64*i:64*i+64] that
// are '\n' or '\r' (bit j for byte 64*i+j), and reports whether any of
// them is '\r', as eolMasksGo does. The caller makes
// len(p) >= 64*len(masks).
func eolMasks(p []byte, masks []uint64) (cr bool) {
	if useAVX512 {
		return eolMasksAVX512(p, masks)
	}
	return eolMasksSSE2(p, masks)
}

//go:noescape
func eolMasksSSE2(p []byte, masks []uint64) (cr bool)

//go:noescape
func eolMasksAVX512(p []byte, masks []uint64) (cr bool)
