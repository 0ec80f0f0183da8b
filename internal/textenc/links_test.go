package textenc

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// p builds a Params map from key, value pairs.
func p(kv ...string) map[string]string {
	m := make(map[string]string, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// link builds a Link from its Params.
func link(params map[string]string) Link {
	return Link{URL: params["url"], Rel: params["rel"], Params: params}
}

// linkCases are Link header values with requests' r.links for them.
var linkCases = []struct {
	name, header string
	want         map[string]Link
}{
	{name: "empty", header: "", want: map[string]Link{}},
	{name: "only strip characters", header: ` "' `, want: map[string]Link{}},
	{
		name:   "pagination",
		header: `<https://api.example.com/items?page=2>; rel="next", <https://api.example.com/items?page=5>; rel="last"`,
		want: map[string]Link{
			"next": link(p("url", "https://api.example.com/items?page=2", "rel", "next")),
			"last": link(p("url", "https://api.example.com/items?page=5", "rel", "last")),
		},
	},
	{
		name:   "requests docstring example",
		header: `<http:/.../front.jpeg>; rel=front; type="image/jpeg",<http://.../back.jpeg>; rel=back;type="image/jpeg"`,
		want: map[string]Link{
			"front": link(p("url", "http:/.../front.jpeg", "rel", "front", "type", "image/jpeg")),
			"back":  link(p("url", "http://.../back.jpeg", "rel", "back", "type", "image/jpeg")),
		},
	},
	{name: "no rel keyed by url", header: "<https://a.example/x>", want: map[string]Link{
		"https://a.example/x": link(p("url", "https://a.example/x")),
	}},
	{name: "empty rel keyed by url", header: `<https://a.example/x>; rel=""`, want: map[string]Link{
		"https://a.example/x": link(p("url", "https://a.example/x", "rel", "")),
	}},
	{name: "repeated rel last wins", header: "<a>; rel=next, <b>; rel=next", want: map[string]Link{
		"next": link(p("url", "b", "rel", "next")),
	}},
	{name: "comma in url", header: "<https://a.example/?q=1,2>; rel=next", want: map[string]Link{
		"next": link(p("url", "https://a.example/?q=1,2", "rel", "next")),
	}},
	{name: "comma and angle bracket in url split", header: "<https://a.example/?q=1,<2>; rel=next", want: map[string]Link{
		"https://a.example/?q=1": link(p("url", "https://a.example/?q=1")),
		"next":                   link(p("url", "2", "rel", "next")),
	}},
	{name: "comma and angle bracket in quoted param split", header: `<a>; title="x, <y>"; rel=next`, want: map[string]Link{
		"a":    link(p("url", "a", "title", "x")),
		"next": link(p("url", "y", "rel", "next")),
	}},
	{name: "semicolon in url", header: "<https://a.example/;x=1>; rel=next", want: map[string]Link{
		"next": link(p("url", "https://a.example/", "x", "1>", "rel", "next")),
	}},
	{name: "equals in value stops params", header: `<a>; title="a=b"; rel=next`, want: map[string]Link{
		"a": link(p("url", "a")),
	}},
	{name: "valueless param stops params", header: "<a>; crossorigin; rel=preload", want: map[string]Link{
		"a": link(p("url", "a")),
	}},
	{name: "params before the bad one kept", header: "<a>; rel=preload; as=style; crossorigin", want: map[string]Link{
		"preload": link(p("url", "a", "rel", "preload", "as", "style")),
	}},
	{name: "upper-case REL not a rel", header: "<a>; REL=next", want: map[string]Link{
		"a": {URL: "a", Params: p("url", "a", "REL", "next")},
	}},
	{name: "url param replaces target", header: "<a>; url=b; rel=x", want: map[string]Link{
		"x": link(p("url", "b", "rel", "x")),
	}},
	{name: "spaces everywhere", header: "  <a> ;  rel =  next  ", want: map[string]Link{
		"next": link(p("url", "a", "rel", "next")),
	}},
	{name: "several rel values", header: `<a>; rel="next prefetch"`, want: map[string]Link{
		"next prefetch": link(p("url", "a", "rel", "next prefetch")),
	}},
	{name: "single quotes", header: "<a>; rel='next'", want: map[string]Link{
		"next": link(p("url", "a", "rel", "next")),
	}},
	{name: "no angle brackets", header: "https://a.example/; rel=next", want: map[string]Link{
		"next": link(p("url", "https://a.example/", "rel", "next")),
	}},
	{name: "trailing comma", header: "<a>; rel=x,", want: map[string]Link{
		"x,": link(p("url", "a", "rel", "x,")),
	}},
	{name: "trailing comma and bracket", header: "<a>; rel=x, <", want: map[string]Link{
		"x": link(p("url", "a", "rel", "x")),
		"":  link(p("url", "")),
	}},
	{name: "many spaces after comma", header: "<a>; rel=x,    <b>; rel=y", want: map[string]Link{
		"x": link(p("url", "a", "rel", "x")),
		"y": link(p("url", "b", "rel", "y")),
	}},
	{name: "no space after comma", header: "<a>; rel=x,<b>; rel=y", want: map[string]Link{
		"x": link(p("url", "a", "rel", "x")),
		"y": link(p("url", "b", "rel", "y")),
	}},
	{name: "tab after comma does not split", header: "<a>; rel=x,\t<b>; rel=y", want: map[string]Link{
		"y": link(p("url", "a", "rel", "y")),
	}},
	{name: "quoted header", header: `"<a>; rel=x"`, want: map[string]Link{
		"x": link(p("url", "a", "rel", "x")),
	}},
	{name: "empty param value", header: "<a>; rel=x; title=", want: map[string]Link{
		"x": link(p("url", "a", "rel", "x", "title", "")),
	}},
	{name: "empty link between", header: "<a>; rel=x, <, <b>; rel=y", want: map[string]Link{
		"x": link(p("url", "a", "rel", "x")),
		"":  link(p("url", "")),
		"y": link(p("url", "b", "rel", "y")),
	}},
	{name: "latin-1 bytes", header: "<https://a.example/\xe9>; rel=n\xe9xt", want: map[string]Link{
		"n\xe9xt": link(p("url", "https://a.example/\xe9", "rel", "n\xe9xt")),
	}},
	{name: "rfc 8288 extended params", header: `<https://a.example/>; rel="preconnect"; title*=UTF-8'de'n%c3%a4chstes`, want: map[string]Link{
		"preconnect": link(p("url", "https://a.example/", "rel", "preconnect", "title*", "UTF-8'de'n%c3%a4chstes")),
	}},
}

func TestParseLinks(t *testing.T) {
	for _, tc := range linkCases {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, ParseLinks(tc.header)); diff != "" {
				t.Errorf("ParseLinks(%q) mismatch (-want +got):\n%s", tc.header, diff)
			}
		})
	}
}

func TestParseLinksMatchesRequests(t *testing.T) {
	var headers [][]byte
	for _, tc := range linkCases {
		headers = append(headers, []byte(tc.header))
	}
	// r.links for each header, keys and values Latin-1 encoded.
	var got []map[string]map[string][]byte
	runPython(t, `
out = []
for h in cases:
    r = requests.models.Response()
    r.headers = CaseInsensitiveDict({"Link": b(h).decode("latin-1")})
    out.append({latin1(k): {latin1(pk): latin1(pv) for pk, pv in v.items()} for k, v in r.links.items()})
print(json.dumps(out))
`, headers, &got)
	for i, tc := range linkCases {
		t.Run(tc.name, func(t *testing.T) {
			want := make(map[string]map[string]string)
			for key, l := range got[i] {
				k := unbase64(t, key)
				params := make(map[string]string)
				for pk, pv := range l {
					params[unbase64(t, pk)] = string(pv)
				}
				want[k] = params
			}
			gotLinks := make(map[string]map[string]string)
			for k, l := range ParseLinks(tc.header) {
				gotLinks[k] = l.Params
				if l.URL != l.Params["url"] || l.Rel != l.Params["rel"] {
					t.Errorf("link %q: URL %q, Rel %q inconsistent with Params %q", k, l.URL, l.Rel, l.Params)
				}
			}
			if diff := cmp.Diff(want, gotLinks); diff != "" {
				t.Errorf("ParseLinks(%q) mismatch (-requests +got):\n%s", tc.header, diff)
			}
		})
	}
}
