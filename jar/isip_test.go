package jar

import (
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
)

// TestIsIPMatchesParseAddr: isIP's short cut for names agrees with what it
// stands for, netip.ParseAddr, on hosts made of the bytes that matter.
func TestIsIPMatchesParseAddr(t *testing.T) {
	ref := func(host string) bool {
		if strings.ContainsAny(host, ":%") {
			return true
		}
		_, err := netip.ParseAddr(host)
		return err == nil
	}
	hosts := []string{"", ".", "1", "1.2.3.4", "01.2.3.4", "1.2.3", "256.1.1.1", "1.2.3.4.", "a.b", "1.2.3.a", "example.com", "0x1.2.3.4", "1..2.3", "::1", "[::1]", "fe80::1%eth0"}
	r := rand.New(rand.NewPCG(5, 6))
	const alphabet = "0123456789..ax:%-"
	for range 20000 {
		b := make([]byte, r.IntN(16))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		hosts = append(hosts, string(b))
	}
	for _, h := range hosts {
		if got, want := isIP(h), ref(h); got != want {
			t.Errorf("isIP(%q) = %v, want %v", h, got, want)
		}
	}
}
