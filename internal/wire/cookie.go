// Package wire holds the small encoding rules that more than one tether
// package must apply the same way.
package wire

import "strings"

// CookieValue is a cookie's value as it goes in a Cookie header: in double
// quotes if it arrived quoted, as requests (and browsers) send it back.
func CookieValue(value string, quoted bool) string {
	if quoted {
		return `"` + value + `"`
	}
	return value
}

// WriteCookie writes name=value to sb as CookieValue would, without
// building the quoted string first; a pair after the first is preceded by
// "; ".
func WriteCookie(sb *strings.Builder, name, value string, quoted bool) {
	if sb.Len() > 0 {
		sb.WriteString("; ")
	}
	sb.WriteString(name)
	sb.WriteByte('=')
	if quoted {
		sb.WriteByte('"')
	}
	sb.WriteString(value)
	if quoted {
		sb.WriteByte('"')
	}
}

// ServerCookieName reports whether name, a cookie name a server set, can
// be kept and sent back as it came: not empty, no control byte, no ";" or
// "=" (which would end it) and no white space at either end. It allows
// what net/http's parser refuses but requests keeps, such as "x[y]", "a b"
// or "é".
func ServerCookieName(name string) bool {
	return name != "" && name == strings.Trim(name, " \t") && !strings.ContainsAny(name, ";=") && NoCTL(name)
}

// ServerCookieValue reports whether value, a cookie value a server set,
// can be kept and sent back as it came: no control byte (tabs and line
// breaks included) and no ";" (which would end it). It allows what
// net/http's parser refuses but requests keeps, such as `{"a":1}`, a
// backslash, a lone double quote or UTF-8 bytes.
func ServerCookieValue(value string) bool {
	return NoCTL(value) && !strings.Contains(value, ";")
}

// NoCTL reports whether s has no control byte (0x00-0x1f, 0x7f): no tab,
// line break or NUL, which would split a header or a cookies.txt line.
func NoCTL(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < 0x20 || b == 0x7f {
			return false
		}
	}
	return true
}
