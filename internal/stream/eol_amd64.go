package stream

// haveEOLMasks says whether eolMasks has a kernel for this architecture:
// Lines then finds the line ends of 64 bytes at a time, rather than one
// bytes.IndexByte a line.
const haveEOLMasks = true

// eolMasks sets masks[i] to the mask of the bytes p[64*i:64*i+64] that
// are '\n' or '\r' (bit j for byte 64*i+j), as eolMasksGo does. The caller
// makes len(p) >= 64*len(masks).
//
//go:noescape
func eolMasks(p []byte, masks []uint64)
