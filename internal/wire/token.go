package wire

import (
	"strings"

	"golang.org/x/net/http/httpguts"
)

// Token reports whether s is a non-empty HTTP token (RFC 9110 §5.6.2):
// what net/http sends as a method.
func Token(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return !httpguts.IsTokenRune(r) }) < 0
}
