package urls

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// urllib3's _normalize_host IDNA-encodes each non-ASCII label of an http(s)
// host on its own, as idna.encode(label.lower(), strict=True,
// std3_rules=True) — no UTS #46 mapping: IDNA2008 proper. (requests' own
// uts46=True path in prepare_url is never reached for http and https: by then
// urllib3 has already made the host ASCII.)
//
// The closest x/net/idna profile is ValidateForRegistration: it maps nothing,
// rejects code points that UTS #46 maps, ignores or disallows, requires NFC,
// checks the ContextJ (joiner) rules, the Bidi rule, a leading combining mark
// and the label length. Its hyphen rule counts bytes where Python's counts
// code points, so it is switched off and done here. On top of it this file
// adds what IDNA2008 has and UTS #46 lacks: the ContextO rules of RFC 5892
// Appendix A and the rejection of code points that UTS #46 calls valid but
// IDNA2008 does not (its NV8 set: symbols and punctuation), approximated by
// RFC 5892's general-category rule with its exception list.
var idnaProfile = idna.New(idna.ValidateForRegistration(), idna.CheckHyphens(false))

// idnaEncodeLabel is urllib3's _idna_encode for a label that is not ASCII.
func idnaEncodeLabel(label string) (string, bool) {
	label = pyLower(label)
	if !idna2008Extra(label) {
		return "", false
	}
	a, err := idnaProfile.ToASCII(label)
	if err != nil || strings.Contains(a, ".") {
		return "", false
	}
	return a, true
}

// idna2008Extra applies the checks of the Python idna package (check_label)
// that x/net/idna does not make.
func idna2008Extra(label string) bool {
	// check_hyphen_ok, on code points.
	n := 0
	var r2, r3 rune
	for _, r := range label {
		switch n {
		case 2:
			r2 = r
		case 3:
			r3 = r
		}
		n++
	}
	if r2 == '-' && r3 == '-' || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
		return false
	}
	for i, r := range label {
		if r < utf8.RuneSelf {
			continue
		}
		switch {
		case contextO(r):
			if !validContextO(label, i, r) {
				return false
			}
		case r == 0x200c || r == 0x200d:
			// CONTEXTJ: x/net/idna checks these.
		case !idna2008Category(r):
			return false
		}
	}
	return true
}

// idna2008Category is the part of RFC 5892's derivation (section 2) that
// separates PVALID from DISALLOWED for code points UTS #46 leaves valid:
// LetterDigits (Ll, Lu, Lo, Nd, Lm, Mn, Mc) plus the exceptions of section
// 2.6 that are PVALID although outside those categories.
func idna2008Category(r rune) bool {
	switch {
	case r == 0x06fd || r == 0x06fe || r == 0x0f0b || r == 0x3007:
		// PVALID exceptions (section 2.6).
		return true
	case r >= 0x1100 && r <= 0x11ff, r >= 0xa960 && r <= 0xa97f, r >= 0xd7b0 && r <= 0xd7ff:
		// OldHangulJamo (section 2.9).
		return false
	case r >= 0x20d0 && r <= 0x20ff, r >= 0x1d100 && r <= 0x1d24f:
		// IgnorableBlocks (section 2.8).
		return false
	case unicode.Is(unicode15, r):
		// Unassigned in CPython 3.11's Unicode 14 database: check_bidi finds
		// no bidirectional class and rejects the label.
		return false
	}
	switch r {
	case 0x0640, 0x07fa, 0x302e, 0x302f, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303b:
		// DISALLOWED exceptions (section 2.6).
		return false
	}
	return unicode.In(r, unicode.Ll, unicode.Lu, unicode.Lo, unicode.Nd, unicode.Lm, unicode.Mn, unicode.Mc)
}

func contextO(r rune) bool {
	return r == 0xb7 || r == 0x375 || r == 0x5f3 || r == 0x5f4 || r == 0x30fb ||
		r >= 0x660 && r <= 0x669 || r >= 0x6f0 && r <= 0x6f9
}

// validContextO implements the ContextO rules of RFC 5892 Appendix A for the
// code point r at byte offset i of label.
func validContextO(label string, i int, r rune) bool {
	prev, _ := utf8.DecodeLastRuneInString(label[:i])
	next, _ := utf8.DecodeRuneInString(label[i+utf8.RuneLen(r):])
	switch {
	case r == 0xb7: // MIDDLE DOT: between two 'l'.
		return i > 0 && prev == 'l' && next == 'l'
	case r == 0x375: // GREEK LOWER NUMERAL SIGN: followed by Greek.
		return i+utf8.RuneLen(r) < len(label) && unicode.Is(unicode.Greek, next)
	case r == 0x5f3 || r == 0x5f4: // HEBREW GERESH, GERSHAYIM: after Hebrew.
		return i > 0 && unicode.Is(unicode.Hebrew, prev)
	case r == 0x30fb: // KATAKANA MIDDLE DOT: some Hiragana, Katakana or Han.
		for _, c := range label {
			if c != 0x30fb && unicode.In(c, unicode.Hiragana, unicode.Katakana, unicode.Han) {
				return true
			}
		}
		return false
	case r >= 0x660 && r <= 0x669: // ARABIC-INDIC DIGITS: no extended ones.
		return !strings.ContainsFunc(label, func(c rune) bool { return c >= 0x6f0 && c <= 0x6f9 })
	default: // EXTENDED ARABIC-INDIC DIGITS: no plain ones.
		return !strings.ContainsFunc(label, func(c rune) bool { return c >= 0x660 && c <= 0x669 })
	}
}
