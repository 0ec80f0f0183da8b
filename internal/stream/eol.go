package stream

// eolMasksGo is what eolMasks computes: masks[i] gets bit j set when
// p[64*i+j] is '\n' or '\r', and cr reports whether any such byte is
// '\r'. len(p) must be at least 64*len(masks).
func eolMasksGo(p []byte, masks []uint64) (cr bool) {
	for i := range masks {
		var m uint64
		for j, c := range p[64*i : 64*i+64] {
			if c == '\n' || c == '\r' {
				m |= 1 << j
				cr = cr || c == '\r'
			}
		}
		masks[i] = m
	}
	return cr
}
