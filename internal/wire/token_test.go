package wire

import "testing"

func TestToken(t *testing.T) {
	tests := map[string]bool{
		"GET": true, "PURGE": true, "M-SEARCH": true, "x!#$%&'*+.^_`|~9": true,
		"": false, "GE T": false, "GET\n": false, "GÉT": false, "A(B)": false, "a/b": false,
	}
	for s, want := range tests {
		if got := Token(s); got != want {
			t.Errorf("Token(%q) = %v, want %v", s, got, want)
		}
	}
}
