//go:build !race

package digest

import "testing"

// TestAuthorizationAllocs: with a challenge known, an Authorization value
// costs one allocation, the string itself, whatever the algorithm.
func TestAuthorizationAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage counters change allocations")
	}
	c := NewClient("user", "pass")
	for _, alg := range []string{"", "MD5", "SHA", "SHA-256", "SHA-512", "SHA-512-256", "MD5-sess", "SHA-512-sess"} {
		for _, userhash := range []bool{false, true} {
			if !c.Challenge(Challenge{Realm: "r", Nonce: "n", QOP: []string{"auth"}, Algorithm: alg, Opaque: "o", Userhash: userhash}) {
				t.Fatalf("%s: challenge refused", alg)
			}
			if n := testing.AllocsPerRun(100, func() { _, _ = c.Authorization("GET", "/digest?a=1") }); n > 1 {
				t.Errorf("%s (userhash %v): %v allocations, want 1", alg, userhash, n)
			}
		}
	}
}
