//go:build !amd64

package stream

// haveEOLMasks is false where eolMasks has no kernel: Lines then looks for
// each line end with bytes.IndexByte, faster there than masks built in Go.
const haveEOLMasks = false

// eolMasks is eolMasksGo; Lines does not call it where haveEOLMasks is
// false.
func eolMasks(p []byte, masks []uint64) (cr bool) { return eolMasksGo(p, masks) }
