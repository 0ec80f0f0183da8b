package proxyenv

import (
	"strconv"
	"strings"
	"unicode"
)

// This file holds the few C library and Python built-ins that requests'
// NO_PROXY test leans on, with their quirks: glibc's inet_aton, Python's
// int(str), str.strip() and str.lower().

// inetAton is glibc's inet_aton, which socket.inet_aton calls: one to four
// numbers separated by dots, each decimal, octal (leading 0) or hex (0x), the
// last one filling the remaining bytes ("127.1" is 127.0.0.1, "2130706433"
// too), and anything after white space ignored ("1.2.3.4 junk" is
// 1.2.3.4). The address is returned as a big-endian uint32.
func inetAton(s string) (uint32, bool) {
	var parts [3]uint32
	n := 0
	i := 0
	var val uint64
	for {
		if i >= len(s) || !isDigit(s[i]) {
			return 0, false
		}
		var ok bool
		val, i, ok = strtoul(s, i)
		if !ok || val > 0xffffffff {
			return 0, false
		}
		if i < len(s) && s[i] == '.' {
			if n > 2 || val > 0xff {
				return 0, false
			}
			parts[n] = uint32(val)
			n++
			i++
			continue
		}
		break
	}
	if i < len(s) && !isCSpace(s[i]) {
		return 0, false
	}
	max := [4]uint64{0xffffffff, 0xffffff, 0xffff, 0xff}
	if val > max[n] {
		return 0, false
	}
	var addr uint32
	for k := 0; k < n; k++ {
		addr |= parts[k] << (24 - 8*k)
	}
	return addr | uint32(val), true
}

// strtoul is strtoul(s+i, &end, 0) for s[i] a digit: "0x" and hex digits,
// "0" and octal digits, or decimal digits. It reports false on overflow.
func strtoul(s string, i int) (uint64, int, bool) {
	base := uint64(10)
	if s[i] == '0' {
		base = 8
		if i+2 < len(s) && (s[i+1] == 'x' || s[i+1] == 'X') && isHex(rune(s[i+2])) {
			base = 16
			i += 2
		}
	}
	var v uint64
	overflow := false
	for ; i < len(s); i++ {
		d, ok := digitVal(s[i])
		if !ok || uint64(d) >= base {
			break
		}
		if v > (1<<64-1-uint64(d))/base {
			overflow = true
		}
		v = v*base + uint64(d)
	}
	return v, i, !overflow
}

func digitVal(c byte) (int, bool) {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0'), true
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10, true
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10, true
	}
	return 0, false
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isCSpace is isspace in the C locale.
func isCSpace(c byte) bool {
	return c == ' ' || ('\t' <= c && c <= '\r')
}

// parseCIDR is requests' is_valid_cidr and the network half of
// address_in_network: exactly one "/", a mask that int() reads as 1 to 32,
// and an address inet_aton reads. It returns the network and the mask.
func parseCIDR(s string) (network, mask uint32, ok bool) {
	if strings.Count(s, "/") != 1 {
		return 0, 0, false
	}
	addr, bits, _ := strings.Cut(s, "/")
	m, ok := pyInt(bits)
	if !ok || m < 1 || m > 32 {
		return 0, 0, false
	}
	network, ok = inetAton(addr)
	if !ok {
		return 0, 0, false
	}
	mask = ^uint32(0) << (32 - m)
	return network, mask, true
}

// pyInt is int(s) for a str s, base 10: white space around, a sign, digits
// (any Unicode decimal digit) with single underscores between them. Values
// beyond an int are clamped; they only need to be out of 1..32.
func pyInt(s string) (int, bool) {
	s = pyStrip(s)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" {
		return 0, false
	}
	n := 0
	prevDigit := false
	for _, r := range s {
		if r == '_' {
			if !prevDigit {
				return 0, false
			}
			prevDigit = false
			continue
		}
		d, ok := decimalValue(r)
		if !ok {
			return 0, false
		}
		if n < 1<<30 {
			n = n*10 + d
		}
		prevDigit = true
	}
	if !prevDigit {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

// decimalValue is the value of a Unicode decimal digit (category Nd). Nd
// characters come in runs of ten from a zero, and unicode.Nd's ranges start
// on a zero, so the value is the distance from the range's start modulo 10.
func decimalValue(r rune) (int, bool) {
	if '0' <= r && r <= '9' {
		return int(r - '0'), true
	}
	if !unicode.Is(unicode.Nd, r) {
		return 0, false
	}
	for _, rg := range unicode.Nd.R16 {
		if rune(rg.Lo) <= r && r <= rune(rg.Hi) && rg.Stride == 1 {
			return int(r-rune(rg.Lo)) % 10, true
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if rune(rg.Lo) <= r && r <= rune(rg.Hi) && rg.Stride == 1 {
			return int(r-rune(rg.Lo)) % 10, true
		}
	}
	return 0, false
}

// pyIsSpace is str.isspace for one character: Unicode White_Space plus the
// ASCII separators U+001C..U+001F.
func pyIsSpace(r rune) bool {
	return unicode.IsSpace(r) || (0x1c <= r && r <= 0x1f)
}

// pyStrip is str.strip() with no argument.
func pyStrip(s string) string {
	return strings.TrimFunc(s, pyIsSpace)
}

// pyLower is str.lower() as far as host names need it: Go's simple case
// mapping, and U+0130 (İ), whose full lower case is "i" and a combining dot
// above, not a bare ASCII "i". (Python's final-sigma rule is not copied: it
// only ever yields non-ASCII, which an IDNA-encoded host never holds.)
func pyLower(s string) string {
	if !strings.ContainsRune(s, 'İ') {
		return strings.ToLower(s)
	}
	return strings.ToLower(strings.ReplaceAll(s, "İ", "i\u0307"))
}

func itoa(n int) string { return strconv.Itoa(n) }
