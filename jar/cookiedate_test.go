package jar_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/jar"
)

// TestParseCookieDate checks the RFC 6265 §5.1.1 cookie-date parser that
// reads the Expires values net/http's Set-Cookie parser gives up on,
// beside what requests does with the same string: python is
// http.cookiejar.http2time(raw) as Python 3.11.7 printed it in 2026 (a Unix
// time, or "None": requests then keeps the cookie as a session cookie).
// Where the two differ, why says why; the test fails if a row differs
// without a reason or has a reason without differing.
func TestParseCookieDate(t *testing.T) {
	const (
		y1970 = "1"          // Thu, 01 Jan 1970 00:00:01 GMT
		y2100 = "4102444800" // Fri, 01 Jan 2100 00:00:00 GMT
	)
	at := func(year int, month time.Month, day, hour, min, sec int) time.Time {
		return time.Date(year, month, day, hour, min, sec, 0, time.UTC)
	}
	tests := map[string]struct {
		raw    string
		want   time.Time // zero: not a cookie-date, the attribute is ignored
		python string
		why    string
	}{
		"RFC 1123":                  {raw: "Thu, 01 Jan 1970 00:00:01 GMT", want: at(1970, 1, 1, 0, 0, 1), python: y1970},
		"one-digit day":             {raw: "Thu, 1 Jan 1970 00:00:01 GMT", want: at(1970, 1, 1, 0, 0, 1), python: y1970},
		"no weekday":                {raw: "01 Jan 1970 00:00:01 GMT", want: at(1970, 1, 1, 0, 0, 1), python: y1970},
		"RFC 850 four-digit year":   {raw: "Thu, 01-Jan-1970 00:00:01 GMT", want: at(1970, 1, 1, 0, 0, 1), python: y1970},
		"one-digit day with dashes": {raw: "Fri, 1-Jan-2100 00:00:00 GMT", want: at(2100, 1, 1, 0, 0, 0), python: y2100},
		"future, no weekday":        {raw: "1 Jan 2100 00:00:00 GMT", want: at(2100, 1, 1, 0, 0, 0), python: y2100},
		"full weekday name":         {raw: "Friday, 01-Jan-2100 00:00:00 GMT", want: at(2100, 1, 1, 0, 0, 0), python: y2100},
		"case-insensitive":          {raw: "fri, 01 JAN 2100 00:00:00 gmt", want: at(2100, 1, 1, 0, 0, 0), python: y2100},
		"no zone":                   {raw: "Fri, 01 Jan 2100 00:00:00", want: at(2100, 1, 1, 0, 0, 0), python: y2100},
		"UTC":                       {raw: "Fri, 01 Jan 2100 00:00:00 UTC", want: at(2100, 1, 1, 0, 0, 0), python: y2100},
		"no space after the comma":  {raw: "Fri,01-Jan-2100 00:00:00 GMT", want: at(2100, 1, 1, 0, 0, 0), python: y2100},
		"surrounding spaces":        {raw: "  Fri, 01 Jan 2100 00:00:00 GMT  ", want: at(2100, 1, 1, 0, 0, 0), python: y2100},
		"tabs":                      {raw: "Fri,\t01 Jan 2100\t00:00:00 GMT", want: at(2100, 1, 1, 0, 0, 0), python: y2100},
		"leap day":                  {raw: "Tue, 29 Feb 2028 00:00:00 GMT", want: at(2028, 2, 29, 0, 0, 0), python: "1835395200"},

		"two-digit year 00": {raw: "Sat, 01 Jan 00 00:00:00 GMT", want: at(2000, 1, 1, 0, 0, 0), python: "946684800"},
		"two-digit year 69": {raw: "Fri, 01 Jan 69 00:00:00 GMT", want: at(2069, 1, 1, 0, 0, 0), python: "3124224000"},
		"two-digit year 77": {raw: "Fri, 01 Jan 77 00:00:00 GMT", want: at(1977, 1, 1, 0, 0, 0), python: "220924800"},
		"two-digit year 99": {raw: "Fri, 01 Jan 99 00:00:00 GMT", want: at(1999, 1, 1, 0, 0, 0), python: "915148800"},
		"two-digit year 70, RFC 850": {
			raw: "Wednesday, 01-Jan-70 00:00:01 GMT", want: at(1970, 1, 1, 0, 0, 1), python: "3155760001",
			why: "RFC 6265 maps 70-99 to 19xx; http2time takes the year within 50 of the current one, so since 2020 it reads 70 as 2070 and the deletion cookie as a cookie kept until 2070",
		},
		"two-digit year 76": {
			raw: "Fri, 01 Jan 76 00:00:00 GMT", want: at(1976, 1, 1, 0, 0, 0), python: "3345062400",
			why: "the same sliding window: 2076",
		},
		"before 1970": {
			raw: "Mon, 01 Jan 1900 00:00:00 GMT", want: at(1900, 1, 1, 0, 0, 0), python: "None",
			why: "http2time refuses years before 1970, so requests keeps a session cookie where RFC 6265 (and net/http for this very string) deletes",
		},
		"year 1601": {
			raw: "Sat, 01 Jan 1601 00:00:00 GMT", want: at(1601, 1, 1, 0, 0, 0), python: "None",
			why: "the same: RFC 6265's lowest year is 1601",
		},
		"numeric zone": {
			raw: "Fri, 01 Jan 2100 00:00:00 +0100", want: at(2100, 1, 1, 0, 0, 0), python: "4102441200",
			why: "RFC 6265 ignores the zone: cookie dates are UTC",
		},
		"named zone": {
			raw: "Fri, 01 Jan 2100 00:00:00 PST", want: at(2100, 1, 1, 0, 0, 0), python: "None",
			why: "RFC 6265 ignores the zone",
		},
		"asctime": {
			raw: "Fri Jan  1 00:00:00 2100", want: at(2100, 1, 1, 0, 0, 0), python: "None",
			why: "RFC 6265 takes the fields in any order",
		},
		"full month name": {
			raw: "Fri, 01 January 2100 00:00:00 GMT", want: at(2100, 1, 1, 0, 0, 0), python: "None",
			why: "RFC 6265 reads the first three letters of the month",
		},
		"one-digit time fields": {
			raw: "Fri, 01 Jan 2100 0:0:0 GMT", want: at(2100, 1, 1, 0, 0, 0), python: "None",
			why: "RFC 6265's time-field is 1*2DIGIT",
		},
		"trailing words": {
			raw: "Fri, 01 Jan 2100 00:00:00 GMT garbage", want: at(2100, 1, 1, 0, 0, 0), python: "None",
			why: "RFC 6265 skips tokens it does not need",
		},

		"no seconds": {
			raw: "Fri, 01 Jan 2100 00:00 GMT", python: y2100,
			why: "RFC 6265 requires hh:mm:ss",
		},
		"no time": {
			raw: "Fri, 01 Jan 2100 GMT", python: y2100,
			why: "RFC 6265 requires a time",
		},
		"no such day": {
			raw: "Mon, 29 Feb 2100 00:00:00 GMT", python: "4107542400",
			why: "RFC 6265 fails a date that does not exist; http2time rolls over to 1 March",
		},
		"hour 24": {
			raw: "Fri, 01 Jan 2100 24:00:00 GMT", python: "4102531200",
			why: "RFC 6265 fails an hour above 23; http2time rolls over",
		},
		"second 60": {
			raw: "Fri, 01 Jan 2100 23:59:60 GMT", python: "4102531200",
			why: "RFC 6265 fails a second above 59; http2time rolls over",
		},
		"day 32":          {raw: "Thu, 32 Jan 2100 00:00:00 GMT", python: "None"},
		"day 0":           {raw: "Fri, 00 Jan 2100 00:00:00 GMT", python: "None"},
		"minute 60":       {raw: "Fri, 01 Jan 2100 23:60:00 GMT", python: "None"},
		"year 1600":       {raw: "Sat, 01 Jan 1600 00:00:00 GMT", python: "None"},
		"five-digit year": {raw: "Sat, 01 Jan 10000 00:00:00 GMT", python: "None"},
		"ISO 8601":        {raw: "2100-01-01T00:00:00Z", python: "None"},
		"not a date":      {raw: "not a date", python: "None"},
		"a number":        {raw: "0", python: "None"},
		"empty":           {raw: "", python: "None"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, ok := jar.ParseCookieDate(tc.raw)
			if ok == tc.want.IsZero() {
				t.Errorf("ParseCookieDate(%q) ok = %v, want %v", tc.raw, ok, !tc.want.IsZero())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseCookieDate(%q) mismatch (-want +got):\n%s", tc.raw, diff)
			}
			ours := "None"
			if !tc.want.IsZero() {
				ours = strconv.FormatInt(tc.want.Unix(), 10)
			}
			if differs := ours != tc.python; differs != (tc.why != "") {
				t.Errorf("table row: want %s, python %s, why %q: a difference from requests needs a reason, and only a difference", ours, tc.python, tc.why)
			}
		})
	}
}
