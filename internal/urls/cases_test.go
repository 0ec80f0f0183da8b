package urls

import (
	"math/rand/v2"
	"strconv"
)

type prepCase struct {
	name, raw, params string
	difference        string
}

type redirCase struct {
	name       string
	start      string
	locations  []string
	difference string
}

// prepareCases are the URLs of the differential test. difference, when set,
// explains why Go is expected to differ from requests.
var prepareCases = []prepCase{
	// Basics, case, ports.
	{name: "simple", raw: "http://example.com/"},
	{name: "no path", raw: "http://example.com"},
	{name: "all parts", raw: "https://example.com/a/b?c=d#e"},
	{name: "upper scheme and host", raw: "HTTP://EXAMPLE.COM/Path"},
	{name: "mixed scheme", raw: "HtTpS://Example.Com:443/"},
	{name: "default port kept", raw: "http://example.com:80/"},
	{name: "https default port kept", raw: "https://example.com:443/"},
	{name: "port", raw: "http://example.com:8080/x"},
	{name: "empty port", raw: "http://example.com:/"},
	{name: "port 0 dropped", raw: "http://example.com:0/"},
	{name: "port 000", raw: "http://example.com:000/"},
	{name: "port leading zeros", raw: "http://example.com:0080/"},
	{name: "port max", raw: "http://example.com:65535/"},
	{name: "port too big", raw: "http://example.com:65536/"},
	{name: "port 99999", raw: "http://example.com:99999/"},
	{name: "port six digits", raw: "http://example.com:123456/"},
	{name: "port not digits", raw: "http://example.com:8a/"},
	{name: "port negative", raw: "http://example.com:-1/"},
	{name: "port plus", raw: "http://example.com:+80/"},
	{name: "port then newline", raw: "http://h:80\n/p"},
	{name: "host then newline", raw: "http://h\n/p"},
	{name: "host newline inside", raw: "http://h\nx/p"},
	{name: "empty query dropped", raw: "http://h/p?"},
	{name: "empty fragment dropped", raw: "http://h/p#"},
	{name: "query without path", raw: "http://h?a=1"},
	{name: "fragment without path", raw: "http://h#f"},
	{name: "only question mark", raw: "http://h?"},
	{name: "double slash path", raw: "http://h//x//y"},

	// Dot segments.
	{name: "dots", raw: "http://h/a/./b/../c/."},
	{name: "dotdot root", raw: "http://h/.."},
	{name: "dotdot above root", raw: "http://h/../a"},
	{name: "trailing dotdot", raw: "http://h/a/.."},
	{name: "many dotdots", raw: "http://h/a/b/../../.."},
	{name: "dot slash", raw: "http://h/./"},
	{name: "dot-like names", raw: "http://h/a/.b/..c/.../"},
	{name: "encoded dotdot", raw: "http://h/%2E%2E/x"},
	{name: "encoded dot lower", raw: "http://h/a/%2e/x"},
	{name: "dotdot encoded slash", raw: "http://h/a/..%2F/b"},
	{name: "dots in query kept", raw: "http://h/a?b=/../c"},
	{name: "dots after double slash", raw: "http://h//../x"},

	// Escapes.
	{name: "bad escapes", raw: "http://h/a/%zz?q=%zz"},
	{name: "encoded slash", raw: "http://h/a%2Fb"},
	{name: "encoded slash lower", raw: "http://h/a%2fb"},
	{name: "tilde escape", raw: "http://h/%7E"},
	{name: "tilde escape lower", raw: "http://h/%7e"},
	{name: "letter escape", raw: "http://h/%41%62"},
	{name: "short escape", raw: "http://h/%4"},
	{name: "lone percent", raw: "http://h/%"},
	{name: "trailing percent", raw: "http://h/a%"},
	{name: "percent percent", raw: "http://h/%%41"},
	{name: "encoded percent", raw: "http://h/%25"},
	{name: "encoded percent 41", raw: "http://h/%2541"},
	{name: "encoded newline", raw: "http://h/%0a"},
	{name: "utf8 escapes", raw: "http://h/%C3%A9"},
	{name: "utf8 escapes lower", raw: "http://h/%c3%a9"},
	{name: "lone continuation escape", raw: "http://h/%80"},
	{name: "g not hex", raw: "http://h/%g1"},
	{name: "1g not hex", raw: "http://h/%1g"},
	{name: "percent minus", raw: "http://h/%-1"},
	{name: "bad escape only in query", raw: "http://h/a%41?q=%zz"},
	{name: "bad escape only in fragment", raw: "http://h/a%41#%zz"},
	{name: "bad and good escape", raw: "http://h/%zz%41"},
	{name: "lower escapes query", raw: "http://h/?a=%2f%7e%c3%a9"},
	{name: "escapes fragment", raw: "http://h/#%2f%7e"},

	// Characters.
	{name: "space", raw: "http://h/a b"},
	{name: "quote", raw: "http://h/a\"b"},
	{name: "angles", raw: "http://h/<x>"},
	{name: "brackets path", raw: "http://h/[x]"},
	{name: "urllib3 quotes these", raw: "http://h/|^`{}"},
	{name: "backslash start", raw: "http://h\\x"},
	{name: "backslash dotdot", raw: "http://h\\..\\x"},
	{name: "backslash then dots", raw: "http://h\\a/../b"},
	{name: "backslash in path", raw: "http://h/a\\b"},
	{name: "non-ascii path", raw: "http://h/ü"},
	{name: "cjk path", raw: "http://h/日本"},
	{name: "non-ascii query", raw: "http://h/?q=ü"},
	{name: "non-ascii fragment", raw: "http://h/#ü"},
	{name: "brackets query", raw: "http://h/?a=[1]"},
	{name: "space query", raw: "http://h/?a b"},
	{name: "plus query", raw: "http://h/?a+b=c"},
	{name: "semicolons", raw: "http://h/?a=1&b=2;c"},
	{name: "path params", raw: "http://h/a;b=c/d;e"},
	{name: "tilde", raw: "http://h/~user"},
	{name: "sub-delims", raw: "http://h/!$&'()*+,;=:@"},
	{name: "query specials", raw: "http://h/?/?:@"},
	{name: "fragment specials", raw: "http://h/#/?:@"},
	{name: "hash in fragment", raw: "http://h/p#a#b"},
	{name: "question in query and hashes", raw: "http://h/?a?b#c#d"},
	{name: "nul in path", raw: "http://h/\x00"},
	{name: "del in path", raw: "http://h/\x7f"},
	{name: "tab in path", raw: "http://h/a\tb"},
	{name: "newline in path", raw: "http://h/a\nb"},
	{name: "cr in query", raw: "http://h/?a\rb"},
	{name: "tab in host", raw: "http://exa\tmple.com/"},
	{name: "emoji", raw: "http://h/😀?😀#😀"},

	// Whitespace around.
	{name: "leading space", raw: " http://h/"},
	{name: "leading tab newline", raw: "\t\nhttp://h/"},
	{name: "leading nbsp", raw: "\u00a0http://h/"},
	{name: "leading ideographic space", raw: "\u3000http://h/"},
	{name: "leading file separator", raw: "\x1chttp://h/"},
	{name: "leading nul", raw: "\x00http://h/"},
	{name: "trailing space", raw: "http://h/ "},
	{name: "trailing newline", raw: "http://h/\n"},
	{name: "trailing ideographic space", raw: "http://h/\u3000"},
	{name: "only spaces", raw: "   "},
	{name: "empty", raw: ""},

	// Schemes.
	{name: "ftp", raw: "ftp://h/"},
	{name: "mailto", raw: "mailto:a@b"},
	{name: "host port no scheme", raw: "localhost:8080"},
	{name: "host port path no scheme", raw: "localhost:8080/x"},
	{name: "bare domain", raw: "example.com"},
	{name: "bare domain path", raw: "example.com/x"},
	{name: "scheme relative", raw: "//example.com/x"},
	{name: "absolute path", raw: "/x"},
	{name: "http single slash", raw: "http:/x"},
	{name: "http no slash", raw: "http:x"},
	{name: "http three slashes", raw: "http:///x"},
	{name: "http nothing", raw: "http://"},
	{name: "https nothing", raw: "https://"},
	{name: "http colon", raw: "http:"},
	{name: "httpx", raw: "httpx://h/"},
	{name: "http+unix", raw: "http+unix://%2Fsock/x"},
	{name: "http dot scheme", raw: "http.x://h"},
	{name: "http without colon", raw: "HTTP//h"},
	{name: "data", raw: "data:text/plain,hi"},
	{name: "httpx non-ascii host", raw: "httpx://bücher.de/"},
	{name: "httpx bad idna host", raw: "httpx://a\u200db.de/"},
	{name: "httpx empty labels", raw: "http0://..\u01fc"},
	{name: "httpx trailing empty labels", raw: "http0://\u01fc.."},
	{name: "httpx thin space", raw: "http0://\u2009."},
	{name: "httpx zero width space", raw: "http0://\u200b"},
	{name: "httpx underscore label", raw: "httpx://a_b.\u00fc/"},
	{name: "httpx fullwidth", raw: "httpx://\uff21\uff22.com/"},

	// Hosts: IPv4, IPv6.
	{name: "ipv4", raw: "http://127.0.0.1:8000/"},
	{name: "ipv4 out of range", raw: "http://999.1.1.1/"},
	{name: "three numbers", raw: "http://1.2.3/"},
	{name: "ipv6 loopback", raw: "http://[::1]/"},
	{name: "ipv6 port", raw: "http://[::1]:8080/"},
	{name: "ipv6 empty port", raw: "http://[::1]:/"},
	{name: "ipv6 upper", raw: "http://[2001:DB8::A]/"},
	{name: "ipv6 v4 tail", raw: "http://[::ffff:1.2.3.4]/"},
	{name: "ipv6 loose v4 tail", raw: "http://[::999.1.1.1]/"},
	{name: "ipv6 zone %25", raw: "http://[fe80::1%25eth0]/"},
	{name: "ipv6 zone bare %", raw: "http://[fe80::1%eth0]/"},
	{name: "ipv6 zone only %25", raw: "http://[fe80::1%25]/"},
	{name: "ipv6 zone %2541", raw: "http://[fe80::1%2541]/"},
	{name: "ipv6 zone upper", raw: "http://[FE80::1%25EN0]/"},
	{name: "ipv6 zone quotes other escapes", raw: "http://[fe80::1%25eth0]:8080/p%20q"},
	{name: "ipv6 unclosed", raw: "http://[::1/"},
	{name: "ipv6 unopened", raw: "http://::1]/"},
	{name: "ipv6 junk after", raw: "http://[::1]x/"},
	{name: "ipv6 full", raw: "http://[1:2:3:4:5:6:7:8]/"},
	{name: "ipv6 nine groups", raw: "http://[1:2:3:4:5:6:7:8:9]/"},
	{name: "ipv6 two double colons", raw: "http://[1::2::3]/"},
	{name: "ipvfuture", raw: "http://[v1.x]/"},
	{name: "ipv6 double close", raw: "http://[::1]]/"},
	{name: "ipv4 in brackets", raw: "http://[1.2.3.4]/"},
	{name: "ipv6 user", raw: "http://u:p@[::1]:81/"},

	// Hosts: IDNA.
	{name: "idn", raw: "http://bücher.de/"},
	{name: "idn upper", raw: "http://BÜCHER.de/"},
	{name: "sharp s", raw: "http://straße.de/"},
	{name: "final sigma", raw: "http://ΑΣ.gr/"},
	{name: "sigma not final", raw: "http://ΣΑ.gr/"},
	{name: "sharp s alone", raw: "http://ß.de/"},
	{name: "punycode", raw: "http://xn--bcher-kva.de/"},
	{name: "punycode upper", raw: "http://Xn--Bcher-Kva.de/"},
	{name: "cjk host", raw: "http://日本.jp/"},
	{name: "fullwidth", raw: "http://ＡＢＣ.com/"},
	{name: "ideographic full stop", raw: "http://a\u3002b.com/"},
	{name: "snowman", raw: "http://☃.net/"},
	{name: "middle dot ok", raw: "http://l·l.cat/"},
	{name: "middle dot bad", raw: "http://a·b.cat/"},
	{name: "trailing hyphen", raw: "http://é-.com/"},
	{name: "leading hyphen", raw: "http://-é.com/"},
	{name: "hyphens by code point", raw: "http://é--x.com/"},
	{name: "hyphens 3 and 4", raw: "http://ab--é.com/"},
	{name: "not nfc", raw: "http://e\u0301.com/"},
	{name: "initial combiner", raw: "http://\u0301a.com/"},
	{name: "zwj", raw: "http://a\u200db.com/"},
	{name: "arabic", raw: "http://\u0627\u0644\u0639\u0631\u0628\u064a\u0629.com/"},
	{name: "bidi mix", raw: "http://a\u0627.com/"},
	{name: "label too long", raw: "http://üüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüü.com/"},
	{name: "dotted capital I", raw: "http://İ.com/"},
	{name: "kelvin", raw: "http://\u212a.com/"},
	{name: "idn subdomain upper tld", raw: "http://ü.example.COM/"},
	{name: "arabic digits mixed", raw: "http://\u0661\u06f1.com/"},
	{name: "katakana middle dot", raw: "http://\u30fb\u30a2.jp/"},
	{name: "unicode 15 letter", raw: "http://\U00011f04.com/"},

	// Hosts: reg-name oddities.
	{name: "space in host", raw: "http://a b.com/"},
	{name: "escape in host", raw: "http://ex%41mple.com/"},
	{name: "escaped slash in host", raw: "http://ex%2Fample.com/"},
	{name: "bad escape in host", raw: "http://%zz.com/"},
	{name: "angle in host", raw: "http://a<b.com/"},
	{name: "empty label", raw: "http://a..b/"},
	{name: "leading dot", raw: "http://.a.com/"},
	{name: "wildcard", raw: "http://*.a.com/"},
	{name: "trailing dot", raw: "http://a.com./"},
	{name: "trailing dots", raw: "http://a.com../x"},
	{name: "leading hyphen ascii", raw: "http://-a.com/"},
	{name: "underscore", raw: "http://a_b.com/"},
	{name: "nul in host", raw: "http://h\x00/"},
	{name: "only port", raw: "http://:80/"},

	// User info.
	{name: "user pass", raw: "http://user:pass@h/"},
	{name: "user only", raw: "http://user@h/"},
	{name: "user empty pass", raw: "http://user:@h/"},
	{name: "pass only", raw: "http://:pass@h/"},
	{name: "colon only", raw: "http://:@h/"},
	{name: "at only", raw: "http://@h/"},
	{name: "encoded at colon", raw: "http://u%40x:p%3Ay@h/"},
	{name: "two ats", raw: "http://u@x:p@h/"},
	{name: "two colons", raw: "http://u:p:q@h/"},
	{name: "spaces in userinfo", raw: "http://us er:pa ss@h/"},
	{name: "non-ascii userinfo", raw: "http://üser:päss@h/"},
	{name: "latin1 userinfo", raw: "http://%C3%A9:x@h/"},
	{name: "non-latin1 userinfo", raw: "http://%E2%82%AC:x@h/"},
	{name: "invalid utf8 userinfo", raw: "http://%FF:x@h/"},
	{name: "truncated utf8 userinfo", raw: "http://a%E2%82:b@h/"},
	{name: "bad escape userinfo", raw: "http://user:p%zz@h/"},
	{name: "upper userinfo", raw: "http://USER:PASS@H/"},
	{name: "escaped slash userinfo", raw: "http://a%2Fb:c@h/"},
	{name: "tilde userinfo", raw: "http://%7Euser:x@h/"},

	// Params.
	{name: "params", raw: "http://h/p", params: "a=1"},
	{name: "params after query", raw: "http://h/p?x=1", params: "a=1"},
	{name: "params after empty query", raw: "http://h/p?", params: "a=1"},
	{name: "params before fragment", raw: "http://h/p#f", params: "a=1"},
	{name: "params bad escape", raw: "http://h/p", params: "a=%zz"},
	{name: "params tilde escape", raw: "http://h/p", params: "a=%7E"},
	{name: "params plus", raw: "http://h/p", params: "a=b+c"},
	{name: "params utf8", raw: "http://h/p", params: "q=%C3%A9"},
	{name: "params good, query bad", raw: "http://h/p?x=%zz", params: "a=%41"},
	{name: "params brackets", raw: "http://h/p", params: "a=[x]"},
	{name: "params non-ascii", raw: "http://h/p", params: "ü=1"},
	{name: "params hash", raw: "http://h/p", params: "a=#b"},
	{name: "params no path", raw: "http://h", params: "a=1"},
	{name: "params space", raw: "http://h/p", params: "a=b c"},

	// Not UTF-8.
	{name: "latin1 byte", raw: "http://h/caf\xe9"},
	{name: "latin1 byte params", raw: "http://h/", params: "a=\xe9"},
	{name: "latin1 params, no scheme", raw: "example.com", params: "a=\xe9"},
	{name: "latin1 params, ftp", raw: "ftp://h/", params: "a=\xe9"},
	{name: "latin1 params, no host", raw: "http:///x", params: "a=\xe9"},

	// Fast-path shapes.
	{name: "fast with escapes", raw: "http://h/a%2Fb%20c?x=%26#%23"},
	{name: "fast ipv4 port query", raw: "http://10.0.0.1:9/x?y=z"},
	{name: "fast params and fragment", raw: "http://h/p?q#f", params: "a=1&b=2"},
	{name: "fast dot dirs", raw: "http://h/a./.b/"},
}

// redirectCases are the redirect chains of the differential test: start is
// a URL as Prepare returns it, locations the raw Location header values of
// the successive redirect responses.
var redirectCases = []redirCase{
	{name: "absolute path", start: "http://h/a/b", locations: []string{"/c"}},
	{name: "relative", start: "http://h/a/b", locations: []string{"c"}},
	{name: "parent", start: "http://h/a/b", locations: []string{"../c"}},
	{name: "parent above root", start: "http://h/a/b", locations: []string{"../../../../c"}},
	{name: "dot slash", start: "http://h/a/b", locations: []string{"./"}},
	{name: "dot", start: "http://h/a/b", locations: []string{"."}},
	{name: "dotdot", start: "http://h/a/b", locations: []string{".."}},
	{name: "query only", start: "http://h/a/b?x=1", locations: []string{"?q=1"}},
	{name: "fragment only", start: "http://h/a/b?x=1", locations: []string{"#f"}},
	{name: "hash only", start: "http://h/a/b?x=1#g", locations: []string{"#"}},
	{name: "empty", start: "http://h/a/b", locations: []string{""}},
	{name: "scheme relative", start: "https://h/a", locations: []string{"//other.com/x"}},
	{name: "scheme relative no path", start: "http://h/a", locations: []string{"//other.com"}},
	{name: "absolute", start: "http://h/a", locations: []string{"https://other.com/x"}},
	{name: "absolute upper with dots", start: "http://h/a", locations: []string{"HTTP://OTHER.com/A/../B/./C"}},
	{name: "absolute default port", start: "http://h/a", locations: []string{"https://h:443/x"}},
	{name: "absolute port 0", start: "http://h/a", locations: []string{"http://h:0/x"}},
	{name: "absolute bad port", start: "http://h/a", locations: []string{"http://h:99999/x"}},
	{name: "absolute port letters", start: "http://h/a", locations: []string{"http://h:8a/x"}},
	{name: "ftp", start: "http://h/a", locations: []string{"ftp://x/y"}},
	{name: "mailto", start: "http://h/a", locations: []string{"mailto:x@y"}},
	{name: "unclosed ipv6", start: "http://h/a", locations: []string{"http://[::1"}},
	{name: "ipv6", start: "http://h/a", locations: []string{"http://[::1]:8080/x"}},
	{name: "scheme relative ipv6", start: "http://h/a", locations: []string{"//[::1]:8080/x"}},
	{name: "encoded slash", start: "http://h/a", locations: []string{"/a%2Fb"}},
	{name: "raw utf8 keeps encoded slash", start: "http://h/a", locations: []string{"/caf\xc3\xa9/%2F"}},
	{name: "latin1 location", start: "http://h/a", locations: []string{"/caf\xe9"}},
	{name: "space", start: "http://h/a", locations: []string{"/a b"}},
	{name: "bad escape", start: "http://h/a", locations: []string{"/a%zz?b=%41"}},
	{name: "tilde escape", start: "http://h/a", locations: []string{"/a%7e"}},
	{name: "good then bad escape", start: "http://h/a", locations: []string{"/%41%zz"}},
	{name: "query and fragment", start: "http://h/a", locations: []string{"/x?y#z"}},
	{name: "empty fragment carries", start: "http://h/a#keep", locations: []string{"/x#"}},
	{name: "http single slash", start: "http://h/a/b", locations: []string{"http:/p"}},
	{name: "http no slash", start: "http://h/a/b", locations: []string{"http:p"}},
	{name: "https no slash", start: "http://h/a/b", locations: []string{"https:p"}},
	{name: "path params", start: "http://h/a", locations: []string{"/a;b"}},
	{name: "empty path params", start: "http://h/a", locations: []string{"/a;"}},
	{name: "empty query", start: "http://h/a?x", locations: []string{"/p?"}},
	{name: "tab inside", start: "http://h/a", locations: []string{"/a\tb"}},
	{name: "tab makes scheme relative", start: "http://h/a", locations: []string{"/\t/evil.com/x"}},
	{name: "leading space", start: "http://h/a", locations: []string{" /x"}},
	{name: "trailing space", start: "http://h/a", locations: []string{"/x "}},
	{name: "escaped euro", start: "http://h/a", locations: []string{"/%E2%82%AC"}},
	{name: "raw euro", start: "http://h/a", locations: []string{"/€?€#€"}},
	{name: "arabic-indic digits escape", start: "http://h/a", locations: []string{"/%\u0664\u0661"}},
	{name: "superscript digits escape", start: "http://h/a", locations: []string{"/%\u00b2\u00b3x"}},
	{name: "non-ascii letters after percent", start: "http://h/a", locations: []string{"/%éé"}},
	{name: "lower escape kept", start: "http://h/a", locations: []string{"/%e9"}},
	{name: "userinfo scheme relative", start: "http://h/a", locations: []string{"//user:pass@h/x"}},
	{name: "userinfo absolute", start: "http://h/a", locations: []string{"http://user:pass@other/x"}},
	{name: "absolute double slash dots", start: "http://h/a", locations: []string{"http://h/..//x"}},
	{name: "relative dots", start: "http://h/a", locations: []string{"/./a/../b"}},
	{name: "scheme relative dots", start: "http://h/a", locations: []string{"//h/./a/../b"}},
	{name: "non-ascii host", start: "http://h/a", locations: []string{"http://Ünicode.de/p"}},
	{name: "nfkc netloc", start: "http://h/a", locations: []string{"http://evil.com\uff03@good.com/"}},
	{name: "fragment replaced", start: "http://h/a#old", locations: []string{"/b#new"}},
	{name: "fragment carried", start: "http://h/a#old", locations: []string{"/b"}},
	{name: "fragment carried to absolute", start: "http://h/a#old", locations: []string{"https://o/b?c"}},
	{name: "backslash", start: "http://h/a/b", locations: []string{"\\x"}},
	{name: "trailing dot host", start: "http://h/a", locations: []string{"http://example.com./x"}},
	{name: "ipv6 zone", start: "http://h/a", locations: []string{"http://[fe80::1%25eth0]/x"}},
	{name: "host with escape", start: "http://h/a", locations: []string{"http://ex%41mple.com/x"}},
	{name: "base with params", start: "http://h/a;p?q", locations: []string{"b"}},
	{name: "base with params, query only", start: "http://h/a;p?q", locations: []string{"?r"}},
	{name: "brackets in path", start: "http://h/a", locations: []string{"/[x]"}},
	{name: "pipe and braces", start: "http://h/a", locations: []string{"/|{}^`"}},

	// Chains.
	{name: "chain fragments", start: "http://h/s#f0", locations: []string{"/a", "/b#f1", "/c", "//o/d", "e"}},
	{name: "chain requoted fragment", start: "http://h/", locations: []string{"/a#x y", "/b%zz"}},
	{name: "chain base with dots", start: "http://h/", locations: []string{"http://o/a/../b/c", "d"}},
	{name: "chain scheme change", start: "http://h/", locations: []string{"https://o:8443/x", "//p/y", "z"}},
	{name: "chain stops at empty", start: "http://h/", locations: []string{"/a", "", "/b"}},
	{name: "chain stops at error", start: "http://h/", locations: []string{"/a", "/\xff", "/b"}},
}

// generatedCases combines, with a fixed seed, pieces chosen to collide:
// every component's odd cases against every other's.
func generatedCases(nPrepare, nRedirect int) ([]prepCase, []redirCase) {
	r := rand.New(rand.NewPCG(1, 2))
	p := genPieces
	var prep []prepCase
	for i := range nPrepare {
		raw := pick(r, p.schemes) + pick(r, p.auths) + pick(r, p.hosts) + pick(r, p.ports) + pick(r, p.paths) + pick(r, p.queries) + pick(r, p.frags)
		prep = append(prep, prepCase{name: "generated/" + strconv.Itoa(i), raw: raw, params: pick(r, p.params)})
	}
	var redir []redirCase
	for i := 0; len(redir) < nRedirect; i++ {
		start := "http://" + pick(r, p.auths[:6]) + pick(r, []string{"h", "o.com", "[::1]:81"}) + pick(r, p.paths[:12]) + pick(r, p.queries[:6]) + pick(r, p.frags[:5])
		s, err := Prepare(start, "")
		if err != nil {
			continue
		}
		redir = append(redir, redirCase{name: "generated/" + strconv.Itoa(i), start: s, locations: []string{pick(r, p.locs), pick(r, p.locs)}})
	}
	return prep, redir
}

var genPieces = struct {
	schemes, auths, hosts, ports, paths, queries, frags, params, locs []string
}{
	schemes: []string{"http://", "https://", "HTTP://", "hTTps://", "http:", "http:/", "ftp://", "", "//", " http://", "httpx://", "http+unix://"},
	auths:   []string{"", "", "", "u@", "u:p@", ":p@", ":@", "@", "u%40:p%zz@", "ü:é@", "a@b@", "%7E:%41@", "u:p:q@", "%E2%82%AC:x@"},
	hosts: []string{"h", "example.com", "EXAMPLE.com", "127.0.0.1", "[::1]", "[FE80::1%25eth0]", "[fe80::1%2541]", "[::ffff:1.2.3.4]", "[::999.1.1.1]",
		"bücher.de", "ΑΣ.gr", "ex%41mple.com", "a b", "a..b", ".a", "*.a", "a.", "", "xn--bcher-kva.de", "☃.net", "[v1.x]", "[::1", "h\n", "-a", "a_b", "%zz", "K.com", "İ.com", "a\u200db"},
	ports: []string{"", "", "", ":80", ":443", ":", ":0", ":0080", ":65536", ":8a", ":8080", ":00", ":99999", ":80\n"},
	paths: []string{"", "/", "/a/b", "/a/./b/../c", "/%2E%2E/x", "/a%2fb", "/%7e%41", "/%zz", "/%", "/a b", "/ü", "/[x]", "/|^`{}", "\\x", "/a;b", "/a;", "//x",
		"/..", "/.", "/a/..", "/%E2%82%AC", "/\t", "/\x00", "/a#b", "/%25", "/%%41", "/%c3%a9", "/\u3000", "/x?y"},
	queries: []string{"", "", "?", "?a=1", "?a=%zz", "?a=%7e", "?a b", "?ü", "?[1]", "?a?b", "?a=1&b=2", "?%2f", "?#"},
	frags:   []string{"", "", "#", "#f", "#a#b", "#ü", "#%zz", "#%2f", "# x"},
	params:  []string{"", "", "", "a=1", "a=%zz", "a=%7E", "a=[x]", "ü=1", "a=#b", "a=b c", "%", "a=%2f"},
	locs: []string{"", "/c", "c", "../c", "./", ".", "..", "?q=1", "#f", "//o/x", "//o", "https://o/x", "HTTP://O.com/A/../B", "ftp://x", "mailto:x",
		"http://[::1", "/a%2Fb", "/caf\xc3\xa9/%2F", "/caf\xe9", "/a b", "/a%zz?b=%41", "/a%7e", "/%41%zz", "/x?y#z", "/x#", "http:/p", "http:p", "https:p",
		"/a;b", "/a;", "/p?", "/a\tb", "/\t/e/x", "/x ", "/%\u0664\u0661", "/%\u00b2\u00b3", "/%e9", "//u:p@h/x", "http://h/..//x", "http://Ünicode.de/p",
		"http://e.com\uff03@g.com/", "\\x", "http://h:0/x", "http://h:99999/", "//[::1]:8080/x", "#", "?", "/[x]", "%zz", "a%2e%2e/b"},
}

func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }
