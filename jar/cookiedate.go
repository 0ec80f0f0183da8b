package jar

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxExpires is the latest expiry the jar keeps: the last second a
// four-digit year can write, in cookie dates, RFC 3339 and JSON. A later
// one, such as that of a Max-Age of 10^12 seconds or of a cookies.txt
// expires of 2^63-1, is clamped to it, so the cookie is kept (as requests
// keeps it) instead of overflowing into the past.
var maxExpires = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

// clampExpiry returns t, or maxExpires if t is later.
func clampExpiry(t time.Time) time.Time {
	if t.After(maxExpires) {
		return maxExpires
	}
	return t
}

// expiryOf returns the expiry c sets when received at now (the zero time
// for a session cookie), or del if c deletes the stored cookie: Max-Age
// wins over Expires (RFC 6265 §5.3 step 3), Max-Age<=0 and a past Expires
// delete.
func expiryOf(c *http.Cookie, now time.Time) (exp time.Time, del bool) {
	if secs, ok := maxAgeOf(c); ok {
		if secs <= 0 {
			return time.Time{}, true
		}
		return expiryAfter(now, secs), false
	}
	exp = expiresOf(c)
	if exp.IsZero() {
		return time.Time{}, false
	}
	if !exp.After(now) {
		return time.Time{}, true
	}
	return clampExpiry(exp), false
}

// maxAgeOf returns the Max-Age of c in seconds, and whether it has one.
// net/http parses Max-Age into an int and leaves one that overflows it in
// [http.Cookie.Unparsed]; RFC 6265 §5.2.2 and requests read any number of
// digits, so such a Max-Age is read here, saturated at the int64 limits.
// Other values net/http refuses ("007", "1h") are still ignored.
func maxAgeOf(c *http.Cookie) (int64, bool) {
	if c.MaxAge != 0 {
		return int64(c.MaxAge), true
	}
	var (
		secs  int64
		found bool
	)
	for _, av := range c.Unparsed {
		name, v, _ := strings.Cut(av, "=")
		if !strings.EqualFold(strings.TrimSpace(name), "max-age") {
			continue
		}
		v = strings.TrimSpace(v)
		// ParseInt saturates on ErrRange, as net/http's Atoi cannot.
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) || v[0] == '0' {
			continue
		}
		secs, found = n, true
	}
	return secs, found
}

// expiryAfter returns now plus secs (> 0) seconds, clamped to maxExpires.
// time.Duration overflows past 292 years, so longer ones are added in
// whole seconds.
func expiryAfter(now time.Time, secs int64) time.Time {
	if secs <= math.MaxInt64/int64(time.Second) {
		return clampExpiry(now.Add(time.Duration(secs) * time.Second))
	}
	if u := now.Unix(); secs < maxExpires.Unix()-u {
		return time.Unix(u+secs, int64(now.Nanosecond())).In(now.Location())
	}
	return maxExpires
}

// expiresOf returns the expiry the Expires attribute of c gives, or the
// zero time. It is net/http's reading when net/http could make one;
// otherwise the raw attribute is read with [parseCookieDate], as requests
// (http.cookiejar.http2time) and browsers read dates net/http refuses.
func expiresOf(c *http.Cookie) time.Time {
	if !c.Expires.IsZero() {
		return c.Expires
	}
	raw := c.RawExpires
	if raw == "" {
		// net/http leaves in Unparsed an Expires whose value has a byte
		// a cookie value may not hold (Expires="...") or whose name has
		// spaces around it (Expires = ...); RFC 6265 §5.2 trims both.
		for _, av := range c.Unparsed {
			name, value, _ := strings.Cut(av, "=")
			if strings.EqualFold(strings.TrimSpace(name), "expires") {
				raw = value
			}
		}
	}
	t, _ := parseCookieDate(raw)
	return t
}

// parseCookieDate parses s with the cookie-date algorithm of RFC 6265
// §5.1.1: it splits s at delimiters and takes the first tokens that look
// like a time (h:m:s), a day of the month, a month name and a year, in any
// order, ignoring the rest (the zone too: cookie dates are UTC). A
// two-digit year 70-99 is 19xx, 00-69 is 20xx.
//
// It is hand-written because net/http accepts only two layouts (RFC 1123
// and "Mon, 02-Jan-2006 15:04:05 MST") and exports no lenient parser,
// while servers send others that requests and browsers accept, such as
// "Thu, 1 Jan 1970 00:00:01 GMT" or "01 Jan 1970 00:00:01 GMT";
// TestParseCookieDate compares it with Python's http2time.
func parseCookieDate(s string) (time.Time, bool) {
	var (
		hour, minute, sec, day, year int
		month                        time.Month
		haveTime, haveDay            bool
		haveMonth, haveYear          bool
	)
	for _, tok := range strings.FieldsFunc(s, isDateDelimiter) {
		switch {
		case !haveTime && parseHMS(tok, &hour, &minute, &sec):
			haveTime = true
		case !haveDay && parseDigits(tok, 1, 2, &day):
			haveDay = true
		case !haveMonth && parseMonth(tok, &month):
			haveMonth = true
		case !haveYear && parseDigits(tok, 2, 4, &year):
			haveYear = true
		}
	}
	switch {
	case 70 <= year && year <= 99:
		year += 1900
	case 0 <= year && year <= 69:
		year += 2000
	}
	if !haveTime || !haveDay || !haveMonth || !haveYear ||
		day < 1 || day > 31 || year < 1601 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, month, day, hour, minute, sec, 0, time.UTC)
	if t.Day() != day { // no such date, such as 31 April: time.Date rolled over
		return time.Time{}, false
	}
	return t, true
}

// isDateDelimiter reports whether r is a delimiter of RFC 6265 §5.1.1:
// %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E.
func isDateDelimiter(r rune) bool {
	return r == '\t' || 0x20 <= r && r <= 0x2f || 0x3b <= r && r <= 0x40 ||
		0x5b <= r && r <= 0x60 || 0x7b <= r && r <= 0x7e
}

// leadingDigits returns the number of ASCII digits s starts with.
func leadingDigits(s string) int {
	n := 0
	for n < len(s) && '0' <= s[n] && s[n] <= '9' {
		n++
	}
	return n
}

// parseDigits matches lo*hiDIGIT ( non-digit *OCTET ) and sets *v.
func parseDigits(tok string, lo, hi int, v *int) bool {
	n := leadingDigits(tok)
	if n < lo || n > hi {
		return false
	}
	*v = atoi(tok[:n])
	return true
}

// parseHMS matches hms-time ( non-digit *OCTET ), where hms-time is
// time-field ":" time-field ":" time-field and time-field is 1*2DIGIT.
func parseHMS(tok string, h, m, s *int) bool {
	var f [3]int
	for i := range f {
		n := leadingDigits(tok)
		if n < 1 || n > 2 {
			return false
		}
		f[i], tok = atoi(tok[:n]), tok[n:]
		if i < 2 {
			if tok == "" || tok[0] != ':' {
				return false
			}
			tok = tok[1:]
		}
	}
	*h, *m, *s = f[0], f[1], f[2]
	return true
}

// parseMonth matches a token starting with a month's three-letter
// abbreviation, in any case.
func parseMonth(tok string, m *time.Month) bool {
	if len(tok) < 3 {
		return false
	}
	// ASCII lowercase: x|0x20 is a lowercase letter only when x is a letter.
	abbr := string([]byte{tok[0] | 0x20, tok[1] | 0x20, tok[2] | 0x20})
	i := strings.Index("janfebmaraprmayjunjulaugsepoctnovdec", abbr)
	if i < 0 || i%3 != 0 {
		return false
	}
	*m = time.Month(i/3 + 1)
	return true
}

// atoi converts at most four ASCII digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
