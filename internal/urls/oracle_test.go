package urls

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// oracleScript computes, with requests and urllib3 themselves, what the Go
// code must reproduce. Input (stdin, JSON): {"prepare": [{"raw", "params"}],
// "chains": [{"start", "locations"}]} with every string base64-encoded
// bytes. Output: one result per input, see prepOut and chainOut.
//
// Preparing: PreparedRequest.prepare_url (a raw URL that is not UTF-8 is
// passed as bytes, which requests decodes as UTF-8), then urlparse as
// prepare_cookies/prepare_auth run it (ValueError), then
// Session.get_adapter (InvalidSchema). A full Request.prepare() is also run
// and must agree (else "inconsistent" is reported).
//
// Redirects: the real Session.resolve_redirects runs over fake responses:
// Session.send is replaced by a function that records the URL of each
// request and answers with the next Location of the chain (a 302), or a 200
// when there is none left. requests' own get_redirect_target reads the
// header, given as http.client gives it: the raw bytes decoded as Latin-1.
//
// Sending (for each URL obtained): HTTPAdapter.get_connection_with_tls_context
// gives the pool (host and port urllib3 dials), request_url the path_url,
// _encode_target the target as urlopen computes it, and http.client's
// putrequest, on a connection that is never connected, writes the request
// line and the Host header into its buffer, read back here.
const oracleScript = `
import sys, json, base64
import requests
from requests.models import PreparedRequest
from requests.adapters import HTTPAdapter
from requests.auth import _basic_auth_str
from requests.structures import CaseInsensitiveDict
from requests.utils import get_auth_from_url
from urllib.parse import urlparse
from urllib3.util.url import _encode_target, parse_url
from urllib3.exceptions import LocationValueError

def b(s):
    return base64.b64decode(s)

def text(bs):
    try:
        return bs.decode('utf-8')
    except UnicodeDecodeError:
        return bs

SESSION = requests.Session()
ADAPTER = HTTPAdapter()

def wire(url):
    try:
        SESSION.get_adapter(url)
    except requests.exceptions.InvalidSchema:
        return {'error': 'InvalidSchema'}
    pr = PreparedRequest()
    pr.prepare(method='GET', url='http://placeholder/')
    pr.url = url
    try:
        try:
            pool = ADAPTER.get_connection_with_tls_context(pr, True)
        except LocationValueError as e:
            raise requests.exceptions.InvalidURL(e)
        path_url = ADAPTER.request_url(pr, None)
        target = _encode_target(path_url) if path_url.startswith('/') else parse_url(path_url).url
        conn = pool._new_conn()
        conn.putrequest('GET', target)
    except Exception as e:
        return {'error': type(e).__name__}
    lines = conn._buffer
    assert lines[0].startswith(b'GET ') and lines[0].endswith(b' HTTP/1.1'), lines
    line_target = lines[0][4:-9].decode('ascii')
    assert line_target == target, (line_target, target)
    host_header = [l[6:].decode('ascii') for l in lines if l.startswith(b'Host: ')][0]
    return {'target': line_target, 'host': pool.host, 'port': pool.port, 'hostHeader': host_header}

def prepare_url(raw, params):
    p = PreparedRequest()
    p.prepare_url(raw, params)
    return p.url

def prepare(case):
    raw = text(b(case['raw']))
    params = text(b(case['params']))
    out = {}
    try:
        url = prepare_url(raw, params)
        urlparse(url)
        SESSION.get_adapter(url)
        out['url'] = url
    except Exception as e:
        out['error'] = type(e).__name__
    # Cross-check with a full prepare(), whose auth step may also raise.
    try:
        full = requests.Request('GET', raw, params=params).prepare()
        full_res, full_auth = full.url, full.headers.get('Authorization')
    except Exception as e:
        full_res, full_auth = type(e).__name__, None
    if 'url' in out:
        ua = get_auth_from_url(out['url'])
        if any(ua):
            try:
                out['auth'] = _basic_auth_str(*ua)
            except UnicodeEncodeError:
                out['auth'] = '!UnicodeEncodeError'
        expect = out['url']
        if out.get('auth', '').startswith('!'):
            expect = 'UnicodeEncodeError'
        if full_res != expect or (full_res == out['url'] and full_auth != out.get('auth')):
            out['inconsistent'] = repr((full_res, full_auth))
        out['wire'] = wire(out['url'])
        out['idempotent'] = prepare_url(out['url'], None) == out['url']
    else:
        if out['error'] == 'InvalidSchema':
            # prepare() succeeds; sending fails. Its auth step may raise.
            ok = full_res in (prepare_url(raw, params), 'UnicodeEncodeError')
        else:
            ok = full_res == out['error']
        if not ok:
            out['inconsistent'] = repr(full_res)
    return out

def chain(case):
    start = b(case['start']).decode('utf-8')
    locations = [b(l) for l in case['locations']]
    urls = []
    out = {}

    def response(req, loc):
        r = requests.Response()
        r.url = req.url
        r.request = req
        r._content = b''
        r._content_consumed = True
        if loc is None:
            r.status_code = 200
            r.headers = CaseInsensitiveDict()
        else:
            r.status_code = 302
            r.headers = CaseInsensitiveDict({'Location': loc.decode('latin-1')})
        return r

    rest = iter(locations[1:])
    def send(request, **kwargs):
        urls.append(request.url)
        return response(request, next(rest, None))

    s = requests.Session()
    s.trust_env = False
    s.send = send
    req = PreparedRequest()
    req.prepare(method='GET', url='http://placeholder/')
    req.url = start
    try:
        for _ in s.resolve_redirects(response(req, locations[0]), req):
            pass
    except Exception as e:
        out['error'] = type(e).__name__
    out['urls'] = urls
    out['wire'] = [wire(u) for u in urls]
    return out

def idna_label(label):
    from urllib3.util.url import _idna_encode
    from urllib3.exceptions import LocationParseError
    try:
        return _idna_encode(label).decode('ascii')
    except LocationParseError:
        return None

def ranges(pred):
    out, start = [], None
    for c in range(0x110001):
        ok = c < 0x110000 and not (0xD800 <= c <= 0xDFFF) and pred(chr(c))
        if ok and start is None:
            start = c
        elif not ok and start is not None:
            out.append([start, c - 1])
            start = None
    return out

def unicode_props():
    import unicodedata
    lower = {}
    for c in range(0x110000):
        if 0xD800 <= c <= 0xDFFF:
            continue
        l = chr(c).lower()
        if l != chr(c):
            lower[str(c)] = l
    return {
        'lower': lower,
        'alnum': ranges(str.isalnum),
        'space': ranges(str.isspace),
        # int(h, 16) accepts a non-ASCII character iff it is a decimal digit.
        'decimal': [[a, b, unicodedata.decimal(chr(a))] for a, b in ranges(lambda ch: unicodedata.decimal(ch, None) is not None)],
    }

from urllib.parse import quote_plus, urlencode
data = json.load(sys.stdin)
json.dump({
    'prepare': [prepare(c) for c in data['prepare']],
    'chains': [chain(c) for c in data['chains']],
    'idna': [idna_label(l) for l in data['idna']],
    'quotePlus': [quote_plus(b(q), safe='') for q in data['quotePlus']],
    'urlencode': urlencode([(b(k), b(v)) for k, v in data['urlencode']], doseq=True),
    'unicode': unicode_props(),
}, sys.stdout)
`

type wireOut struct {
	Target     string `json:"target,omitempty"`
	Host       string `json:"host,omitempty"`
	Port       int    `json:"port,omitempty"`
	HostHeader string `json:"hostHeader,omitempty"`
	Error      string `json:"error,omitempty"`
}

type prepOut struct {
	URL          string   `json:"url,omitempty"`
	Error        string   `json:"error,omitempty"`
	Auth         string   `json:"auth,omitempty"`
	Wire         *wireOut `json:"wire,omitempty"`
	Idempotent   bool     `json:"idempotent,omitempty"`
	Inconsistent string   `json:"inconsistent,omitempty"`
}

type chainOut struct {
	URLs  []string  `json:"urls"`
	Wire  []wireOut `json:"wire"`
	Error string    `json:"error,omitempty"`
}

func pyName(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Python
	}
	return "unexpected: " + err.Error()
}

func goWire(u string) wireOut {
	w, err := ForWire(u)
	if err != nil {
		return wireOut{Error: pyName(err)}
	}
	return wireOut{Target: w.Target, Host: w.Host, Port: w.Port, HostHeader: w.HostHeader}
}

// goPrepare computes prepOut with prepare (Prepare, or prepareSlow to check
// the fast path).
func goPrepare(prepare func(raw, params string) (string, error), raw, params string) prepOut {
	var out prepOut
	p, err := prepare(raw, params)
	if err != nil {
		out.Error = pyName(err)
		return out
	}
	out.URL = p
	if v, ok, err := BasicAuth(p); err != nil {
		out.Auth = "!" + pyName(err)
	} else if ok {
		out.Auth = v
	}
	w := goWire(p)
	out.Wire = &w
	q, err := prepare(p, "")
	out.Idempotent = err == nil && q == p
	return out
}

func goChain(start string, locations []string) chainOut {
	out := chainOut{URLs: []string{}, Wire: []wireOut{}}
	r, err := NewRedirects(start)
	if err != nil {
		out.Error = pyName(err)
		return out
	}
	for _, loc := range locations {
		next, err := r.Next(loc)
		if errors.Is(err, ErrEmptyLocation) {
			break // requests stops following
		}
		if err != nil {
			out.Error = pyName(err)
			break
		}
		out.URLs = append(out.URLs, next)
		out.Wire = append(out.Wire, goWire(next))
	}
	return out
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// idnaSample is the label set of the IDNA comparison: a stride through all
// of Unicode, alone and after "a" (marks and joiners behave differently
// there), plus labels that exercise the context rules.
func idnaSample() []string {
	var labels []string
	for c := rune(0x80); c < 0x110000; c += 61 {
		if c >= 0xd800 && c <= 0xdfff {
			continue
		}
		labels = append(labels, string(c), "a"+string(c))
	}
	return append(labels,
		"l\u00b7l", "a\u00b7l", "\u00b7", "\u0375\u03b1", "\u0375a", "\u05d0\u05f3", "a\u05f3",
		"\u30fb\u30a2", "\u30fb\u4e00", "\u30fba", "\u0661\u0662", "\u06f1\u06f2", "\u0661\u06f1",
		"\u0915\u094d\u200d", "\u0628\u200c\u0628", "a\u200cb", "\u200c", "\u200d",
		"\u0627\u0661", "\u05d0a", "\u05d01", "abc\u05d0", "\u05d0\u05d1", "xn--\u00fc",
		"\u00e9--x", "\u00e9\u00e9--", "ab--\u00e9", "-\u00e9", "\u00e9-",
		"\u0391\u03a3", "\u03a3\u0391", "\u0391\u03a3\u0391", "\u0391\u03a3'", "\u0130stanbul",
		strings.Repeat("\u00fc", 30), strings.Repeat("\u00fc", 60), "e\u0301", "\u00e9",
		"\u1100\u1161", "\u20d0a", "a\u20d0", "\u2665", "\u00df", "\u03c2", "\u06fd", "\u0f0b",
		"\u3007", "\u0640", "\u3031", "\u212a", "\uff21", "a\u3002b", "\u00ad", "a\u00adb",
	)
}

// oracle is the output of oracleScript.
type oracle struct {
	Prepare   []prepOut  `json:"prepare"`
	Chains    []chainOut `json:"chains"`
	IDNA      []*string  `json:"idna"`
	QuotePlus []string   `json:"quotePlus"`
	URLEncode string     `json:"urlencode"`
	Unicode   struct {
		Lower   map[string]string `json:"lower"`
		Alnum   [][2]rune         `json:"alnum"`
		Space   [][2]rune         `json:"space"`
		Decimal [][3]rune         `json:"decimal"`
	} `json:"unicode"`
}

var urlencodePairs = [][2]string{{"a", "1"}, {"b c", "d&e"}, {"\u00fc", "\u20ac"}, {"k", "~-._*'()!"}, {"z", "a+b=c"}, {"x", "\xff\x00/"}}

// quotePlusInputs are the strings compared between url.QueryEscape and
// quote_plus: every byte alone, and some UTF-8.
func quotePlusInputs() []string {
	var in []string
	for i := 0; i < 256; i++ {
		in = append(in, string([]byte{byte(i)}))
	}
	return append(in, "a b+c", "\u00e9\u20ac\U0001f600", "~-._", "")
}

// allCases returns the tables followed by generated cases: 2000 URLs and
// 1000 redirect chains, or as many URLs as $URLS_GENERATED says.
func allCases() ([]prepCase, []redirCase) {
	n := 2000
	if v, err := strconv.Atoi(os.Getenv("URLS_GENERATED")); err == nil {
		n = v
	}
	gp, gr := generatedCases(n, n/2)
	return append(prepareCases[:len(prepareCases):len(prepareCases)], gp...),
		append(redirectCases[:len(redirectCases):len(redirectCases)], gr...)
}

// runOracle runs oracleScript once, over the given cases.
func runOracle(t *testing.T, prep []prepCase, redir []redirCase) *oracle {
	t.Helper()
	if out, err := exec.Command("python3", "-c", "import requests, urllib3").CombinedOutput(); err != nil {
		t.Skipf("python3 with requests and urllib3 is not available (%v: %s): skipping the differential test against requests", err, out)
	}
	type pin struct {
		Raw    string `json:"raw"`
		Params string `json:"params"`
	}
	type cin struct {
		Start     string   `json:"start"`
		Locations []string `json:"locations"`
	}
	var in struct {
		Prepare   []pin       `json:"prepare"`
		Chains    []cin       `json:"chains"`
		IDNA      []string    `json:"idna"`
		QuotePlus []string    `json:"quotePlus"`
		URLEncode [][2]string `json:"urlencode"`
	}
	for _, c := range prep {
		in.Prepare = append(in.Prepare, pin{b64(c.raw), b64(c.params)})
	}
	for _, c := range redir {
		var locs []string
		for _, l := range c.locations {
			locs = append(locs, b64(l))
		}
		in.Chains = append(in.Chains, cin{b64(c.start), locs})
	}
	in.IDNA = idnaSample()
	for _, q := range quotePlusInputs() {
		in.QuotePlus = append(in.QuotePlus, b64(q))
	}
	for _, kv := range urlencodePairs {
		in.URLEncode = append(in.URLEncode, [2]string{b64(kv[0]), b64(kv[1])})
	}
	stdin, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("python3", "-c", oracleScript)
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle: %v\n%s", err, stderr.String())
	}
	var out oracle
	if err := json.Unmarshal(stdout, &out); err != nil {
		t.Fatalf("oracle output: %v", err)
	}
	return &out
}

func TestDifferentialRequests(t *testing.T) {
	prep, redir := allCases()
	o := runOracle(t, prep, redir)
	for i, c := range prep {
		t.Run("prepare/"+c.name, func(t *testing.T) {
			want := o.Prepare[i]
			if want.Inconsistent != "" {
				t.Errorf("oracle decomposition disagrees with Request.prepare(): %s", want.Inconsistent)
			}
			want.Inconsistent = ""
			got := goPrepare(Prepare, c.raw, c.params)
			diff := cmp.Diff(want, got)
			switch {
			case diff != "" && c.difference == "":
				t.Errorf("Prepare(%q, %q) differs from requests (-want +got):\n%s", c.raw, c.params, diff)
			case diff == "" && c.difference != "":
				t.Errorf("case is marked as a known difference (%s) but matches requests", c.difference)
			case diff != "":
				t.Logf("known difference (%s):\n%s", c.difference, diff)
			}
			if want.URL != "" && requestsIdempotent(want.URL) && !want.Idempotent {
				t.Errorf("requestsIdempotent(%q) is true but requests is not idempotent there", want.URL)
			}
			slow := goPrepare(prepareSlow, c.raw, c.params)
			if diff := cmp.Diff(got, slow); diff != "" {
				t.Errorf("fast and slow paths differ (-fast +slow):\n%s", diff)
			}
		})
	}
	for i, c := range redir {
		t.Run("redirect/"+c.name, func(t *testing.T) {
			want := o.Chains[i]
			got := goChain(c.start, c.locations)
			diff := cmp.Diff(want, got)
			switch {
			case diff != "" && c.difference == "":
				t.Errorf("redirects from %q via %q differ from requests (-want +got):\n%s", c.start, c.locations, diff)
			case diff == "" && c.difference != "":
				t.Errorf("case is marked as a known difference (%s) but matches requests", c.difference)
			case diff != "":
				t.Logf("known difference (%s):\n%s", c.difference, diff)
			}
		})
	}
	t.Run("idna", func(t *testing.T) {
		var want, got []string
		for i, label := range idnaSample() {
			w := "error"
			if o.IDNA[i] != nil {
				w = *o.IDNA[i]
			}
			g := "error"
			if isASCII(label) {
				g = asciiLower(label)
			} else if a, ok := idnaEncodeLabel(label); ok {
				g = a
			}
			want = append(want, fmt.Sprintf("%+q %s", label, w))
			got = append(got, fmt.Sprintf("%+q %s", label, g))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("IDNA labels differ from urllib3's _idna_encode (-want +got):\n%s", diff)
		}
	})
	t.Run("QueryEscape is quote_plus", func(t *testing.T) {
		var got []string
		for _, q := range quotePlusInputs() {
			got = append(got, url.QueryEscape(q))
		}
		if diff := cmp.Diff(o.QuotePlus, got); diff != "" {
			t.Errorf("url.QueryEscape differs from quote_plus (-want +got):\n%s", diff)
		}
		var parts []string
		for _, kv := range urlencodePairs {
			parts = append(parts, url.QueryEscape(kv[0])+"="+url.QueryEscape(kv[1]))
		}
		if diff := cmp.Diff(o.URLEncode, strings.Join(parts, "&")); diff != "" {
			t.Errorf("QueryEscape pairs differ from urlencode (-want +got):\n%s", diff)
		}
	})
	t.Run("unicode", func(t *testing.T) {
		u := o.Unicode
		inRanges := func(rs [][2]rune, c rune) bool {
			i := sort.Search(len(rs), func(i int) bool { return rs[i][1] >= c })
			return i < len(rs) && rs[i][0] <= c
		}
		var bad []string
		for c := rune(0); c < 0x110000; c++ {
			if c >= 0xd800 && c <= 0xdfff {
				continue
			}
			want, ok := u.Lower[strconv.Itoa(int(c))]
			if !ok {
				want = string(c)
			}
			if got := pyLower(string(c)); got != want && c != 0x3a3 {
				bad = append(bad, fmt.Sprintf("lower(%U) = %+q, want %+q", c, got, want))
			}
			if got, want := isPyAlnum(c), inRanges(u.Alnum, c); got != want {
				bad = append(bad, fmt.Sprintf("isalnum(%U) = %v, want %v", c, got, want))
			}
			if got, want := isPySpace(c), inRanges(u.Space, c); got != want {
				bad = append(bad, fmt.Sprintf("isspace(%U) = %v, want %v", c, got, want))
			}
		}
		var dec [][2]rune
		for _, d := range u.Decimal {
			dec = append(dec, [2]rune{d[0], d[1]})
			for c := d[0]; c <= d[1]; c++ {
				if c < 0x80 {
					continue
				}
				want := int(d[2]+c-d[0]) % 10
				if got, ok := pyHexDigit(c); !ok || got != want {
					bad = append(bad, fmt.Sprintf("decimal(%U) = %d %v, want %d", c, got, ok, want))
				}
			}
		}
		for c := rune(0x80); c < 0x110000; c++ {
			if _, ok := pyHexDigit(c); ok && !inRanges(dec, c) {
				bad = append(bad, fmt.Sprintf("decimal(%U) defined, want none", c))
			}
		}
		if len(bad) > 20 {
			bad = append(bad[:20], fmt.Sprintf("... and %d more", len(bad)-20))
		}
		if diff := cmp.Diff([]string(nil), bad); diff != "" {
			t.Errorf("Python str semantics differ (-want +got):\n%s", diff)
		}
	})
}

// TestFuzzCorpusAgainstRequests runs the inputs the fuzzers found
// interesting (the directory holding FuzzPrepare/, FuzzResolve/ and
// FuzzTarget/, e.g. $(go env GOCACHE)/fuzz/github.com/tether-http/tether/internal/urls)
// through the differential comparison. It runs only when
// $URLS_FUZZ_CORPUS names that directory.
func TestFuzzCorpusAgainstRequests(t *testing.T) {
	dir := os.Getenv("URLS_FUZZ_CORPUS")
	if dir == "" {
		t.Skip("set URLS_FUZZ_CORPUS to a fuzz corpus directory to run")
	}
	var prep []prepCase
	for i, v := range loadCorpus(t, filepath.Join(dir, "FuzzPrepare"), 2) {
		prep = append(prep, prepCase{name: "prepare/" + strconv.Itoa(i), raw: v[0], params: v[1]})
	}
	for i, v := range loadCorpus(t, filepath.Join(dir, "FuzzTarget"), 1) {
		prep = append(prep, prepCase{name: "target/" + strconv.Itoa(i), raw: v[0]})
	}
	var redir []redirCase
	for i, v := range loadCorpus(t, filepath.Join(dir, "FuzzResolve"), 2) {
		if utf8.ValidString(v[0]) { // requests' URLs are str
			redir = append(redir, redirCase{name: "resolve/" + strconv.Itoa(i), start: v[0], locations: []string{v[1]}})
		}
	}
	o := runOracle(t, prep, redir)
	for i, c := range prep {
		want := o.Prepare[i]
		want.Inconsistent = ""
		if diff := cmp.Diff(want, goPrepare(Prepare, c.raw, c.params)); diff != "" {
			t.Errorf("Prepare(%q, %q) (-requests +Go):\n%s", c.raw, c.params, diff)
		}
		if want.URL != "" && requestsIdempotent(want.URL) && !want.Idempotent {
			t.Errorf("requestsIdempotent(%q) is true but requests is not idempotent there", want.URL)
		}
	}
	for i, c := range redir {
		if diff := cmp.Diff(o.Chains[i], goChain(c.start, c.locations)); diff != "" {
			t.Errorf("redirect from %q via %q (-requests +Go):\n%s", c.start, c.locations, diff)
		}
	}
	t.Logf("%d URLs, %d redirects", len(prep), len(redir))
}

// loadCorpus reads the string arguments of the "go test fuzz v1" files in
// dir.
func loadCorpus(t *testing.T, dir string, nargs int) [][]string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Logf("%v", err)
		return nil
	}
	var out [][]string
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		var vals []string
		for _, line := range strings.Split(string(b), "\n")[1:] {
			if v, ok := strings.CutPrefix(line, "string("); ok {
				s, err := strconv.Unquote(strings.TrimSuffix(v, ")"))
				if err != nil {
					t.Fatalf("%s: %v", e.Name(), err)
				}
				vals = append(vals, s)
			}
		}
		if len(vals) == nargs {
			out = append(out, vals)
		}
	}
	return out
}
