package textenc

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// contentTypeCases are Content-Type values with requests' r.encoding for
// them; want is "" where requests gives None (none is true) or "".
var contentTypeCases = []struct {
	name, header, want string
	none               bool // requests returns None
}{
	{name: "empty", header: "", none: true},
	{name: "text without charset", header: "text/html", want: "ISO-8859-1"},
	{name: "text/plain", header: "text/plain", want: "ISO-8859-1"},
	{name: "charset", header: "text/html; charset=utf-8", want: "utf-8"},
	{name: "charset case kept", header: "text/html; charset=UTF-8", want: "UTF-8"},
	{name: "param name case-insensitive", header: "text/html; CharSet=latin1", want: "latin1"},
	{name: "double quotes", header: `text/html; charset="utf-8"`, want: "utf-8"},
	{name: "single quotes", header: "text/html; charset='utf-8'", want: "utf-8"},
	{name: "nested quotes", header: `text/html; charset="'utf-8'"`, want: "utf-8"},
	{name: "unbalanced quote", header: `text/html; charset="utf-8`, want: "utf-8"},
	{name: "spaces around equals", header: "text/html; charset = utf-8", want: "utf-8"},
	{name: "space before quoted value", header: `text/html; charset= "utf-8"`, want: "utf-8"},
	{name: "tab inside value kept", header: "text/html; charset=\t\"utf-8\"", want: "\t\"utf-8"},
	{name: "tabs around param", header: "text/html;\tcharset=utf-8\t", want: "utf-8"},
	{name: "latin-1 white space around param", header: "text/html;\xa0charset=koi8-r\x85", want: "koi8-r"},
	{name: "empty charset", header: "text/html; charset=", want: ""},
	{name: "empty quoted charset", header: `text/html; charset=""`, want: ""},
	{name: "charset without equals", header: "text/html; charset", want: "ISO-8859-1"},
	{name: "last charset wins", header: "text/plain; charset=ascii; charset=utf-8", want: "utf-8"},
	{name: "other params first", header: "text/plain; format=flowed; charset=x-mac", want: "x-mac"},
	{name: "params after charset", header: "text/html; charset=utf-8 ; q=1", want: "utf-8"},
	{name: "value with equals", header: "text/html; charset=utf-8=x", want: "utf-8=x"},
	{name: "empty param name", header: "text/html; =utf-8", want: "ISO-8859-1"},
	{name: "empty params", header: "text/html;;; charset=big5;", want: "big5"},
	{name: "joined fields", header: "text/html; charset=utf-8, text/plain; charset=latin1", want: "latin1"},
	{name: "charset on non-text", header: "image/png; charset=utf-8", want: "utf-8"},
	{name: "json", header: "application/json", want: "utf-8"},
	{name: "json with charset", header: "application/json; charset=latin-1", want: "latin-1"},
	{name: "json suffix type", header: "application/vnd.api+json", none: true},
	{name: "json substring", header: "application/json-patch+json", want: "utf-8"},
	{name: "text substring", header: "application/context", want: "ISO-8859-1"},
	{name: "text substring plural", header: "texts", want: "ISO-8859-1"},
	{name: "upper-case text", header: "Text/HTML", none: true},
	{name: "upper-case json", header: "Application/JSON", none: true},
	{name: "octet-stream", header: "application/octet-stream", none: true},
	{name: "multipart", header: "multipart/form-data; boundary=text", none: true},
	{name: "no media type", header: ";charset=utf-8", want: "utf-8"},
	{name: "charset as media type", header: "charset=utf-8", none: true},
	{name: "white space only", header: "   ", none: true},
	{name: "padded media type", header: "  text/html  ", want: "ISO-8859-1"},
	{name: "non-ASCII key", header: "text/html; \xe7harset=x", want: "ISO-8859-1"},
	{name: "long s is not s", header: "text/html; char\xc5\xbfet=x", want: "ISO-8859-1"},
	{name: "non-ASCII value", header: "text/html; charset=\xe9t\xe9", want: "\xe9t\xe9"},
}

func TestFromContentType(t *testing.T) {
	for _, tc := range contentTypeCases {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, FromContentType(tc.header)); diff != "" {
				t.Errorf("FromContentType(%q) mismatch (-want +got):\n%s", tc.header, diff)
			}
		})
	}
}

func TestFromContentTypeMatchesRequests(t *testing.T) {
	type result struct {
		Encoding []byte
		None     bool
	}
	var headers [][]byte
	for _, tc := range contentTypeCases {
		headers = append(headers, []byte(tc.header))
	}
	var got []result
	runPython(t, `
out = []
for h in cases:
    enc = requests.utils.get_encoding_from_headers(CaseInsensitiveDict({"Content-Type": b(h).decode("latin-1")}))
    out.append({"Encoding": None if enc is None else latin1(enc), "None": enc is None})
print(json.dumps(out))
`, headers, &got)
	for i, tc := range contentTypeCases {
		t.Run(tc.name, func(t *testing.T) {
			want := result{Encoding: []byte(tc.want), None: tc.none}
			if tc.none {
				want.Encoding = nil
			}
			if diff := cmp.Diff(want, got[i]); diff != "" {
				t.Errorf("requests' r.encoding for %q differs from the table (-table +requests):\n%s", tc.header, diff)
			}
			if diff := cmp.Diff(string(got[i].Encoding), FromContentType(tc.header)); diff != "" {
				t.Errorf("FromContentType(%q) mismatch (-requests +got):\n%s", tc.header, diff)
			}
		})
	}
}
