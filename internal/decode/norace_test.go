//go:build !race

package decode

// raceEnabled is whether the race detector is on; it slows the codecs
// about thirtyfold.
const raceEnabled = false
