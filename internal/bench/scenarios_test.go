package bench

// Scenarios: common calls the Get/Template/PostJSON benchmarks do not
// cover, each done by tether, by raw net/http (a hand-rolled session:
// what does not change between requests is computed once) and, where it
// is easy, by resty v2 used directly. Sub-benchmarks are sc=<scenario>/lib=<peer>:
//
//	benchstat -col /lib -filter .name:Scenario results.txt
//
// The server (scenServer) is a second in-process loopback server with the
// endpoints these need; like the fixture, what it allocates is in every
// peer's B/op.

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	restyv2 "github.com/go-resty/resty/v2"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/publicsuffix"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/bench/fixture"
	"github.com/tether-http/tether/request"
)

// ---- the server --------------------------------------------------------------

var (
	scenOnce sync.Once
	scenSrv  *httptest.Server
)

// scenURL starts the scenario server on first use; TestMain closes it.
func scenURL() string {
	scenOnce.Do(func() { scenSrv = httptest.NewServer(scenHandler()) })
	return scenSrv.URL
}

func closeScen() {
	if scenSrv != nil {
		scenSrv.CloseClientConnections()
		scenSrv.Close()
	}
}

// Item is one element of the 64 KiB JSON document.
type Item struct {
	ID     int               `json:"id"`
	Name   string            `json:"name"`
	Email  string            `json:"email"`
	Active bool              `json:"active"`
	Score  float64           `json:"score"`
	Tags   []string          `json:"tags"`
	Attrs  map[string]string `json:"attrs"`
}

// Doc is the 64 KiB JSON document.
type Doc struct {
	Count int    `json:"count"`
	Items []Item `json:"items"`
}

var (
	json64 = func() []byte {
		var d Doc
		for i := 0; ; i++ {
			d.Items = append(d.Items, Item{
				ID: i, Name: "user " + strconv.Itoa(i), Email: "user" + strconv.Itoa(i) + "@example.com",
				Active: i%2 == 0, Score: float64(i) * 1.25, Tags: []string{"a", "bb", "ccc"},
				Attrs: map[string]string{"team": "core", "tz": "UTC"},
			})
			d.Count = len(d.Items)
			b, _ := json.Marshal(d)
			if len(b) >= 64<<10 {
				return b
			}
		}
	}()
	html256 = func() []byte {
		var b bytes.Buffer
		b.WriteString("<!doctype html><html><head><title>bench</title></head><body>\n")
		for i := 0; b.Len() < 256<<10-len("</body></html>\n")-80; i++ {
			fmt.Fprintf(&b, "<p class=\"row\">row %06d: the quick brown fox — jumps over the lazy dog</p>\n", i)
		}
		b.WriteString("</body></html>\n")
		return b.Bytes()
	}()
	okBody = []byte(`{"ok":true}`)
)

// The digest challenge the server always gives.
const (
	digestRealm  = "bench"
	digestNonce  = "dcd98b7102dd2f0e8b11d0f600bfb0c093"
	digestOpaque = "5ccc069c403ebaf9f0171e9517f40e41"
	digestUser   = "digest-user"
	digestPass   = "digest-pass"
)

var digestChallenge = []string{`Digest realm="` + digestRealm + `", qop="auth", nonce="` + digestNonce + `", opaque="` + digestOpaque + `", algorithm=MD5`}

// scenFail counts requests the server found wrong (a digest answer that
// does not check out); the same-work test reads it.
var scenFail atomic.Int64

func writeFixed(w http.ResponseWriter, ct string, body []byte) {
	h := w.Header()
	h["Content-Type"] = []string{ct}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	_, _ = w.Write(body)
}

// scenSeen, when set, gets what each request to the scenario server sent
// (for the same-work test; nil while benchmarking).
var scenSeen atomic.Pointer[func(r *http.Request)]

func scenHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/get", func(w http.ResponseWriter, r *http.Request) {
		writeFixed(w, "application/json", fixture.GetBody)
	})
	mux.HandleFunc("/cookies", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Set-Cookie"] = []string{"srv_a=1; Path=/", "srv_b=2; Path=/; HttpOnly", "srv_c=3; Path=/; Max-Age=3600"}
		writeFixed(w, "application/json", fixture.GetBody)
	})
	mux.HandleFunc("/redir/1", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Set-Cookie"] = []string{"hop1=x; Path=/"}
		h["Location"] = []string{"/redir/2"}
		w.WriteHeader(http.StatusFound)
	})
	mux.HandleFunc("/redir/2", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Set-Cookie"] = []string{"hop2=y; Path=/"}
		h["Location"] = []string{"/get"}
		w.WriteHeader(http.StatusFound)
	})
	mux.HandleFunc("/sink", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		writeFixed(w, "application/json", okBody)
	})
	mux.HandleFunc("/json64", func(w http.ResponseWriter, r *http.Request) {
		writeFixed(w, "application/json", json64)
	})
	mux.HandleFunc("/html256", func(w http.ResponseWriter, r *http.Request) {
		writeFixed(w, "text/html; charset=utf-8", html256)
	})
	mux.HandleFunc("/digest", func(w http.ResponseWriter, r *http.Request) {
		if !digestOK(r) {
			w.Header()["Www-Authenticate"] = digestChallenge
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		writeFixed(w, "application/json", fixture.GetBody)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f := scenSeen.Load(); f != nil {
			(*f)(r)
		}
		mux.ServeHTTP(w, r)
	})
}

// digestOK checks a digest answer to digestChallenge.
func digestOK(r *http.Request) bool {
	v := r.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(v, "Digest ")
	if !ok {
		return false
	}
	p := map[string]string{}
	for _, kv := range strings.Split(rest, ", ") {
		k, val, _ := strings.Cut(kv, "=")
		p[k] = strings.Trim(val, `"`)
	}
	if p["username"] != digestUser || p["nonce"] != digestNonce || p["uri"] != r.URL.RequestURI() {
		scenFail.Add(1)
		return false
	}
	ha1 := md5hex(digestUser + ":" + digestRealm + ":" + digestPass)
	ha2 := md5hex(r.Method + ":" + p["uri"])
	if p["response"] != md5hex(ha1+":"+digestNonce+":"+p["nc"]+":"+p["cnonce"]+":auth:"+ha2) {
		scenFail.Add(1)
		return false
	}
	return true
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// ---- scenarios ---------------------------------------------------------------

// A scenPeer builds one peer's op for a scenario: send does one call and
// checks what came back.
type scenPeer struct {
	lib string
	new func(base string) (send func(context.Context) error, done func())
}

type scenario struct {
	name  string
	peers []scenPeer
	// parallel: run the op from 8 goroutines sharing the peer.
	parallel bool
}

var scenarios = []scenario{
	{"headers", []scenPeer{{"nethttp", nhHeaders}, {"tether", tHeaders}, {"restyv2", rHeaders}}, false},
	{"cookies", []scenPeer{{"nethttp", nhCookies}, {"tether", tCookies}, {"restyv2", rCookies}}, false},
	{"redirects", []scenPeer{{"nethttp", nhRedirects}, {"tether", tRedirects}, {"restyv2", rRedirects}}, false},
	{"form", []scenPeer{{"nethttp", nhForm}, {"tether", tForm}, {"restyv2", rForm}}, false},
	{"multipart", []scenPeer{{"nethttp", nhMultipart}, {"tether", tMultipart}, {"restyv2", rMultipart}}, false},
	{"json64k", []scenPeer{{"nethttp", nhJSON}, {"tether", tJSON}, {"restyv2", rJSON}}, false},
	{"text256k", []scenPeer{{"nethttp", nhText}, {"tether", tText}, {"restyv2", rText}}, false},
	{"head", []scenPeer{{"nethttp", nhHead}, {"tether", tHead}, {"restyv2", rHead}}, false},
	{"basicauth", []scenPeer{{"nethttp", nhBasic}, {"tether", tBasic}, {"restyv2", rBasic}}, false},
	{"digest", []scenPeer{{"nethttp", nhDigest}, {"tether", tDigest}}, false},
	{"netrc", []scenPeer{{"nethttp", nhNetrc}, {"tether", tNetrc}, {"restyv2", rNetrc}}, false},
	{"proxyenv", []scenPeer{{"nethttp", nhProxyEnv}, {"tether", tProxyEnv}, {"restyv2", rProxyEnv}}, false},
	{"parallel8", []scenPeer{{"nethttp", nhParallel}, {"tether", tParallel}, {"restyv2", rParallel}}, true},
}

// BenchmarkScenario: one op is one call of the scenario (for redirects,
// the whole chain of three requests).
func BenchmarkScenario(b *testing.B) {
	base := scenURL()
	ctx := context.Background()
	for _, sc := range scenarios {
		b.Run("sc="+sc.name, func(b *testing.B) {
			for _, p := range sc.peers {
				b.Run("lib="+p.lib, func(b *testing.B) {
					send, done := p.new(base)
					defer done()
					if err := send(ctx); err != nil { // warm: a connection, a digest challenge
						b.Fatal(err)
					}
					b.ReportAllocs()
					m := startMeter()
					if sc.parallel {
						b.SetParallelism(max(1, 8/runtime.GOMAXPROCS(0)))
						b.ResetTimer()
						b.RunParallel(func(pb *testing.PB) {
							for pb.Next() {
								if err := send(ctx); err != nil {
									b.Error(err)
									return
								}
							}
						})
						b.StopTimer()
					} else {
						for b.Loop() {
							if err := send(ctx); err != nil {
								b.Fatal(err)
							}
						}
					}
					m.report(b, false)
				})
			}
		})
	}
}

// TestScenariosWork runs every peer of every scenario a few times and
// checks that, on the third call, every peer sent the same requests: method,
// path, query, cookies (as a set), the scenario's headers and the body's
// media type.
func TestScenariosWork(t *testing.T) {
	base := scenURL()
	ctx := context.Background()
	for _, sc := range scenarios {
		var want []string
		for _, p := range sc.peers {
			t.Run(sc.name+"/"+p.lib, func(t *testing.T) {
				before := scenFail.Load()
				send, done := p.new(base)
				defer done()
				var mu sync.Mutex
				var got []string
				rec := func(r *http.Request) {
					var cks []string
					for _, c := range r.Cookies() {
						cks = append(cks, c.Name+"="+c.Value)
					}
					slices.Sort(cks)
					var hs []string
					for _, h := range hdr5 {
						hs = append(hs, r.Header.Get(h[0]))
					}
					ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
					if sc.name == "basicauth" {
						hs = append(hs, r.Header.Get("Authorization"))
					}
					mu.Lock()
					got = append(got, fmt.Sprint(r.Method, " ", r.URL.Path, " ", r.URL.Query(), " ", cks, " ", hs, " ", ct))
					mu.Unlock()
				}
				for i := range 3 {
					if i == 2 && !sc.parallel {
						scenSeen.Store(&rec)
					}
					if err := send(ctx); err != nil {
						t.Fatalf("call %d: %v", i, err)
					}
					scenSeen.Store(nil)
				}
				if n := scenFail.Load() - before; n != 0 {
					t.Errorf("the server refused %d digest answers", n)
				}
				if testing.Verbose() {
					t.Log(got)
				}
				if want == nil {
					want = got
				} else if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s sent other requests than %s (-%s +%s):\n%s", p.lib, sc.peers[0].lib, sc.peers[0].lib, p.lib, diff)
				}
			})
		}
	}
}

func expectBody(got, want []byte) error {
	if !bytes.Equal(got, want) {
		return fmt.Errorf("body: %d bytes, want %d", len(got), len(want))
	}
	return nil
}

func expect200(code int) error {
	if code != http.StatusOK {
		return fmt.Errorf("status %d", code)
	}
	return nil
}

// --- headers: 5 session headers, 5 session params, 3 call params -----------

var (
	hdr5 = [5][2]string{
		{"X-Client-Name", "bench"}, {"X-Client-Version", "1.0"}, {"X-Tenant", "acme"},
		{"X-Trace-Mode", "off"}, {"Accept-Language", "en-GB"},
	}
	param5 = [5][2]string{
		{"page", "1"}, {"q", "tether bench"}, {"sort", "name"}, {"order", "asc"}, {"lang", "en"},
	}
	callParams = [3][2]string{{"limit", "50"}, {"filter", "a&b"}, {"fields", "id,name"}}
)

func nhDo(cl *http.Client, req *http.Request) ([]byte, int, error) {
	resp, err := cl.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return b, resp.StatusCode, err
}

func nhHeaders(base string) (func(context.Context) error, func()) {
	cl := newHTTPClient()
	q := url.Values{}
	for _, p := range param5 {
		q.Set(p[0], p[1])
	}
	hdr := http.Header{}
	for _, h := range hdr5 {
		hdr.Set(h[0], h[1])
	}
	prefix := base + "/get?" + q.Encode()
	return func(ctx context.Context) error {
		var sb strings.Builder
		sb.WriteString(prefix)
		for _, p := range callParams {
			sb.WriteByte('&')
			sb.WriteString(url.QueryEscape(p[0]))
			sb.WriteByte('=')
			sb.WriteString(url.QueryEscape(p[1]))
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, sb.String(), nil)
		if err != nil {
			return err
		}
		req.Header = hdr.Clone()
		body, _, err := nhDo(cl, req)
		if err != nil {
			return err
		}
		return expectBody(body, fixture.GetBody)
	}, cl.CloseIdleConnections
}

func tHeaders(base string) (func(context.Context) error, func()) {
	s := client.New()
	for _, h := range hdr5 {
		s.SetHeader(h[0], h[1])
	}
	for _, p := range param5 {
		s.SetParam(p[0], p[1])
	}
	u := base + "/get"
	return func(ctx context.Context) error {
		r, err := s.Get(u).Param(callParams[0][0], callParams[0][1]).
			Param(callParams[1][0], callParams[1][1]).
			Param(callParams[2][0], callParams[2][1]).Do(ctx)
		if err != nil {
			return err
		}
		return expectBody(r.Bytes(), fixture.GetBody)
	}, func() { _ = s.Close() }
}

func rHeaders(base string) (func(context.Context) error, func()) {
	rc := restyv2.New()
	for _, h := range hdr5 {
		rc.SetHeader(h[0], h[1])
	}
	for _, p := range param5 {
		rc.SetQueryParam(p[0], p[1])
	}
	u := base + "/get"
	return func(ctx context.Context) error {
		r, err := rc.R().SetContext(ctx).SetQueryParam(callParams[0][0], callParams[0][1]).
			SetQueryParam(callParams[1][0], callParams[1][1]).
			SetQueryParam(callParams[2][0], callParams[2][1]).Get(u)
		if err != nil {
			return err
		}
		return expectBody(r.Body(), fixture.GetBody)
	}, rc.GetClient().CloseIdleConnections
}

// --- cookies: 10 cookies in the session jar, the response sets 3 -----------

func cookieNames() (names, values []string) {
	for i := range 10 {
		names = append(names, fmt.Sprintf("sess_%02d", i))
		values = append(values, fmt.Sprintf("value-%02d-abcdef", i))
	}
	return
}

func stdJar(base string) *cookiejar.Jar {
	j, _ := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
	names, values := cookieNames()
	var cks []*http.Cookie
	for i := range names {
		cks = append(cks, &http.Cookie{Name: names[i], Value: values[i], Path: "/"})
	}
	u, _ := url.Parse(base)
	j.SetCookies(u, cks)
	return j
}

// The cookies and redirects scenarios are the same GET of a path with 10
// cookies in the jar; the redirects one goes through two 302s that each
// set a cookie, and tether's checks its history.

func nhCookies(base string) (func(context.Context) error, func()) { return nhJarGet(base + "/cookies") }
func tCookies(base string) (func(context.Context) error, func())  { return tJarGet(base+"/cookies", 0) }
func rCookies(base string) (func(context.Context) error, func())  { return rJarGet(base + "/cookies") }

// --- redirects: 302 → 302 → 200, each redirect sets a cookie, 10 in the jar --

func nhRedirects(base string) (func(context.Context) error, func()) {
	return nhJarGet(base + "/redir/1")
}
func tRedirects(base string) (func(context.Context) error, func()) {
	return tJarGet(base+"/redir/1", 2)
}
func rRedirects(base string) (func(context.Context) error, func()) { return rJarGet(base + "/redir/1") }

func nhJarGet(u string) (func(context.Context) error, func()) {
	cl := newHTTPClient()
	cl.Jar = stdJar(u)
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return err
		}
		body, _, err := nhDo(cl, req)
		if err != nil {
			return err
		}
		return expectBody(body, fixture.GetBody)
	}, cl.CloseIdleConnections
}

// tJarGet also checks that the response's history holds hops redirects.
func tJarGet(u string, hops int) (func(context.Context) error, func()) {
	s := client.New()
	names, values := cookieNames()
	for i := range names {
		s.SetCookie(names[i], values[i])
	}
	return func(ctx context.Context) error {
		r, err := s.Get(u).Do(ctx)
		if err != nil {
			return err
		}
		if len(r.History()) != hops {
			return fmt.Errorf("history %d, want %d", len(r.History()), hops)
		}
		return expectBody(r.Bytes(), fixture.GetBody)
	}, func() { _ = s.Close() }
}

func rJarGet(u string) (func(context.Context) error, func()) {
	rc := restyv2.New()
	rc.SetCookieJar(stdJar(u))
	return func(ctx context.Context) error {
		r, err := rc.R().SetContext(ctx).Get(u)
		if err != nil {
			return err
		}
		return expectBody(r.Body(), fixture.GetBody)
	}, rc.GetClient().CloseIdleConnections
}

// --- form: POST 10 fields urlencoded ----------------------------------------

var form10 = func() url.Values {
	v := url.Values{}
	for i := range 10 {
		v.Set(fmt.Sprintf("field%02d", i), fmt.Sprintf("value %d & more", i))
	}
	return v
}()

func nhForm(base string) (func(context.Context) error, func()) {
	cl := newHTTPClient()
	u := base + "/sink"
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form10.Encode()))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		body, _, err := nhDo(cl, req)
		if err != nil {
			return err
		}
		return expectBody(body, okBody)
	}, cl.CloseIdleConnections
}

func tForm(base string) (func(context.Context) error, func()) {
	s := client.New()
	u := base + "/sink"
	return func(ctx context.Context) error {
		r, err := s.Post(u).Form(form10).Do(ctx)
		if err != nil {
			return err
		}
		return expectBody(r.Bytes(), okBody)
	}, func() { _ = s.Close() }
}

func rForm(base string) (func(context.Context) error, func()) {
	rc := restyv2.New()
	u := base + "/sink"
	return func(ctx context.Context) error {
		r, err := rc.R().SetContext(ctx).SetFormDataFromValues(form10).Post(u)
		if err != nil {
			return err
		}
		return expectBody(r.Body(), okBody)
	}, rc.GetClient().CloseIdleConnections
}

// --- multipart: 2 text fields and a 1 KiB file from a reader ---------------

var file1k = bytes.Repeat([]byte("0123456789abcdef"), 64)

func nhMultipart(base string) (func(context.Context) error, func()) {
	cl := newHTTPClient()
	u := base + "/sink"
	return func(ctx context.Context) error {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("title", "report")
		_ = mw.WriteField("kind", "daily")
		fw, _ := mw.CreateFormFile("file", "report.txt")
		_, _ = io.Copy(fw, bytes.NewReader(file1k))
		_ = mw.Close()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, &buf)
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", mw.FormDataContentType())
		body, _, err := nhDo(cl, req)
		if err != nil {
			return err
		}
		return expectBody(body, okBody)
	}, cl.CloseIdleConnections
}

var formFields = url.Values{"title": {"report"}, "kind": {"daily"}}

func tMultipart(base string) (func(context.Context) error, func()) {
	s := client.New()
	u := base + "/sink"
	return func(ctx context.Context) error {
		r, err := s.Post(u).Form(formFields).File("file", "report.txt", bytes.NewReader(file1k)).Do(ctx)
		if err != nil {
			return err
		}
		return expectBody(r.Bytes(), okBody)
	}, func() { _ = s.Close() }
}

func rMultipart(base string) (func(context.Context) error, func()) {
	rc := restyv2.New()
	u := base + "/sink"
	return func(ctx context.Context) error {
		r, err := rc.R().SetContext(ctx).SetFormData(map[string]string{"title": "report", "kind": "daily"}).
			SetFileReader("file", "report.txt", bytes.NewReader(file1k)).Post(u)
		if err != nil {
			return err
		}
		return expectBody(r.Body(), okBody)
	}, rc.GetClient().CloseIdleConnections
}

// --- json64k: GET a 64 KiB JSON body decoded into a struct ------------------

func checkDoc(d *Doc) error {
	if d.Count == 0 || len(d.Items) != d.Count {
		return fmt.Errorf("doc: count %d, %d items", d.Count, len(d.Items))
	}
	return nil
}

func nhJSON(base string) (func(context.Context) error, func()) {
	cl := newHTTPClient()
	u := base + "/json64"
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return err
		}
		body, _, err := nhDo(cl, req)
		if err != nil {
			return err
		}
		var d Doc
		if err := json.Unmarshal(body, &d); err != nil {
			return err
		}
		return checkDoc(&d)
	}, cl.CloseIdleConnections
}

func tJSON(base string) (func(context.Context) error, func()) {
	s := client.New()
	u := base + "/json64"
	return func(ctx context.Context) error {
		r, err := s.Get(u).Do(ctx)
		if err != nil {
			return err
		}
		var d Doc
		if err := r.JSON(&d); err != nil {
			return err
		}
		return checkDoc(&d)
	}, func() { _ = s.Close() }
}

func rJSON(base string) (func(context.Context) error, func()) {
	rc := restyv2.New()
	u := base + "/json64"
	return func(ctx context.Context) error {
		var d Doc
		_, err := rc.R().SetContext(ctx).SetResult(&d).Get(u)
		if err != nil {
			return err
		}
		return checkDoc(&d)
	}, rc.GetClient().CloseIdleConnections
}

// --- text256k: r.Text of a 256 KiB text/html; charset=utf-8 -----------------

func checkText(s string) error {
	if len(s) != len(html256) || !strings.HasSuffix(s, "</html>\n") {
		return fmt.Errorf("text: %d bytes", len(s))
	}
	return nil
}

var sinkString string

func nhText(base string) (func(context.Context) error, func()) {
	cl := newHTTPClient()
	u := base + "/html256"
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return err
		}
		body, _, err := nhDo(cl, req)
		if err != nil {
			return err
		}
		sinkString = string(body)
		return checkText(sinkString)
	}, cl.CloseIdleConnections
}

func tText(base string) (func(context.Context) error, func()) {
	s := client.New()
	u := base + "/html256"
	return func(ctx context.Context) error {
		r, err := s.Get(u).Do(ctx)
		if err != nil {
			return err
		}
		sinkString = r.Text()
		return checkText(sinkString)
	}, func() { _ = s.Close() }
}

func rText(base string) (func(context.Context) error, func()) {
	rc := restyv2.New()
	u := base + "/html256"
	return func(ctx context.Context) error {
		r, err := rc.R().SetContext(ctx).Get(u)
		if err != nil {
			return err
		}
		sinkString = string(r.Body())
		return checkText(sinkString)
	}, rc.GetClient().CloseIdleConnections
}

// --- head ---------------------------------------------------------------------

func nhHead(base string) (func(context.Context) error, func()) {
	cl := newHTTPClient()
	u := base + "/get"
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodHead, u, nil)
		if err != nil {
			return err
		}
		resp, err := cl.Do(req)
		if err != nil {
			return err
		}
		_ = resp.Body.Close()
		if resp.ContentLength != int64(len(fixture.GetBody)) {
			return fmt.Errorf("content-length %d", resp.ContentLength)
		}
		return expect200(resp.StatusCode)
	}, cl.CloseIdleConnections
}

func tHead(base string) (func(context.Context) error, func()) {
	s := client.New()
	u := base + "/get"
	return func(ctx context.Context) error {
		r, err := s.Head(u).Do(ctx)
		if err != nil {
			return err
		}
		if r.Header().Get("Content-Length") != strconv.Itoa(len(fixture.GetBody)) {
			return errors.New("content-length")
		}
		return expect200(r.StatusCode())
	}, func() { _ = s.Close() }
}

func rHead(base string) (func(context.Context) error, func()) {
	rc := restyv2.New()
	u := base + "/get"
	return func(ctx context.Context) error {
		r, err := rc.R().SetContext(ctx).Head(u)
		if err != nil {
			return err
		}
		if r.Header().Get("Content-Length") != strconv.Itoa(len(fixture.GetBody)) {
			return errors.New("content-length")
		}
		return expect200(r.StatusCode())
	}, rc.GetClient().CloseIdleConnections
}

// --- basicauth: a call with BasicAuth on a plain session --------------------

func nhBasic(base string) (func(context.Context) error, func()) {
	cl := newHTTPClient()
	u := base + "/get"
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return err
		}
		req.SetBasicAuth(fixture.User, fixture.Password)
		body, _, err := nhDo(cl, req)
		if err != nil {
			return err
		}
		return expectBody(body, fixture.GetBody)
	}, cl.CloseIdleConnections
}

func tBasic(base string) (func(context.Context) error, func()) {
	s := client.New()
	u := base + "/get"
	return func(ctx context.Context) error {
		r, err := s.Get(u).BasicAuth(fixture.User, fixture.Password).Do(ctx)
		if err != nil {
			return err
		}
		return expectBody(r.Bytes(), fixture.GetBody)
	}, func() { _ = s.Close() }
}

func rBasic(base string) (func(context.Context) error, func()) {
	rc := restyv2.New().SetDisableWarn(true)
	u := base + "/get"
	return func(ctx context.Context) error {
		r, err := rc.R().SetContext(ctx).SetBasicAuth(fixture.User, fixture.Password).Get(u)
		if err != nil {
			return err
		}
		return expectBody(r.Body(), fixture.GetBody)
	}, rc.GetClient().CloseIdleConnections
}

// --- digest: the session's second call, the challenge known ----------------

// nhDigestState is a hand-rolled digest client: the challenge's HA1 is
// computed once, each request counts nc on and hashes its own answer.
type nhDigestState struct {
	mu  sync.Mutex
	nc  uint64
	ha1 string
}

func (d *nhDigestState) authorization(method, uri string) string {
	d.mu.Lock()
	d.nc++
	nc := d.nc
	d.mu.Unlock()
	var raw [8]byte
	_, _ = rand.Read(raw[:])
	cnonce := hex.EncodeToString(raw[:])
	ncs := fmt.Sprintf("%08x", nc)
	ha2 := md5hex(method + ":" + uri)
	resp := md5hex(d.ha1 + ":" + digestNonce + ":" + ncs + ":" + cnonce + ":auth:" + ha2)
	return `Digest username="` + digestUser + `", realm="` + digestRealm + `", nonce="` + digestNonce +
		`", uri="` + uri + `", response="` + resp + `", opaque="` + digestOpaque +
		`", algorithm="MD5", qop="auth", nc=` + ncs + `, cnonce="` + cnonce + `"`
}

func nhDigest(base string) (func(context.Context) error, func()) {
	cl := newHTTPClient()
	u := base + "/digest"
	d := &nhDigestState{ha1: md5hex(digestUser + ":" + digestRealm + ":" + digestPass)}
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", d.authorization(req.Method, req.URL.RequestURI()))
		body, code, err := nhDo(cl, req)
		if err != nil {
			return err
		}
		if err := expect200(code); err != nil {
			return err
		}
		return expectBody(body, fixture.GetBody)
	}, cl.CloseIdleConnections
}

func tDigest(base string) (func(context.Context) error, func()) {
	s := client.New().SetAuth(request.DigestAuth{Username: digestUser, Password: digestPass})
	u := base + "/digest"
	return func(ctx context.Context) error {
		r, err := s.Get(u).Do(ctx)
		if err != nil {
			return err
		}
		if err := expect200(r.StatusCode()); err != nil {
			return err
		}
		return expectBody(r.Bytes(), fixture.GetBody)
	}, func() { _ = s.Close() }
}

// --- parallel8: the Get fixture session shared by 8 goroutines ---------------

func nhParallel(base string) (func(context.Context) error, func()) {
	return wantGetBody(nethttpGet(base))
}
func tParallel(base string) (func(context.Context) error, func()) {
	return wantGetBody(tetherGet(base))
}
func rParallel(base string) (func(context.Context) error, func()) {
	return wantGetBody(restyV2Get(base))
}

// wantGetBody checks that each of send's bodies is the Get fixture's.
func wantGetBody(send func(context.Context) ([]byte, error), done func()) (func(context.Context) error, func()) {
	return func(ctx context.Context) error {
		body, err := send(ctx)
		if err != nil {
			return err
		}
		return expectBody(body, fixture.GetBody)
	}, done
}

// --- netrc: a plain GET while $NETRC names a file of 20 entries, none for
// the host (requests, and tether, look the host up there on every call
// without credentials; the peers do not read netrc at all) ----------------

func withNetrc(send func(context.Context) error, done func()) (func(context.Context) error, func()) {
	dir, err := os.MkdirTemp("", "netrc")
	if err != nil {
		panic(err)
	}
	var b strings.Builder
	for i := range 20 {
		fmt.Fprintf(&b, "machine host%02d.example.com\n  login user%02d\n  password secret-%02d\n", i, i, i)
	}
	path := filepath.Join(dir, "netrc")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		panic(err)
	}
	aged := time.Now().Add(-24 * time.Hour) // as a ~/.netrc is: not written a moment ago
	if err := os.Chtimes(path, aged, aged); err != nil {
		panic(err)
	}
	old, had := os.LookupEnv("NETRC")
	os.Setenv("NETRC", path)
	return send, func() {
		done()
		if had {
			os.Setenv("NETRC", old)
		} else {
			os.Unsetenv("NETRC")
		}
		os.RemoveAll(dir)
	}
}

func nhNetrc(base string) (func(context.Context) error, func()) { return withNetrc(nhPlain(base)) }
func tNetrc(base string) (func(context.Context) error, func())  { return withNetrc(tPlain(base)) }
func rNetrc(base string) (func(context.Context) error, func())  { return withNetrc(rPlain(base)) }

// --- proxyenv: a plain GET with a proxy in the environment that NO_PROXY
// bypasses for the host, as on a machine behind a corporate proxy calling
// an internal service (tether reads the environment on every request, as
// requests does; Go's transport reads it once per process and never
// proxies loopback) ----------------------------------------------------------

func withProxyEnv(send func(context.Context) error, done func()) (func(context.Context) error, func()) {
	vars := map[string]string{
		"HTTP_PROXY":  "http://proxy.invalid:3128",
		"HTTPS_PROXY": "http://proxy.invalid:3128",
		"NO_PROXY":    "localhost,127.0.0.1,.corp.example",
	}
	old := map[string]*string{}
	for k, v := range vars {
		if o, ok := os.LookupEnv(k); ok {
			old[k] = &o
		} else {
			old[k] = nil
		}
		os.Setenv(k, v)
	}
	return send, func() {
		done()
		for k, v := range old {
			if v != nil {
				os.Setenv(k, *v)
			} else {
				os.Unsetenv(k)
			}
		}
	}
}

func nhProxyEnv(base string) (func(context.Context) error, func()) {
	return withProxyEnv(nhPlain(base))
}
func tProxyEnv(base string) (func(context.Context) error, func()) { return withProxyEnv(tPlain(base)) }
func rProxyEnv(base string) (func(context.Context) error, func()) { return withProxyEnv(rPlain(base)) }

// nhPlain, tPlain and rPlain are a plain GET /get, which the netrc and
// proxyenv scenarios send with their files or variables in place.
func nhPlain(base string) (func(context.Context) error, func()) {
	cl := newHTTPClient()
	u := base + "/get"
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return err
		}
		body, _, err := nhDo(cl, req)
		if err != nil {
			return err
		}
		return expectBody(body, fixture.GetBody)
	}, cl.CloseIdleConnections
}

func tPlain(base string) (func(context.Context) error, func()) {
	s := client.New()
	u := base + "/get"
	return func(ctx context.Context) error {
		r, err := s.Get(u).Do(ctx)
		if err != nil {
			return err
		}
		return expectBody(r.Bytes(), fixture.GetBody)
	}, func() { _ = s.Close() }
}

func rPlain(base string) (func(context.Context) error, func()) {
	rc := restyv2.New()
	u := base + "/get"
	return func(ctx context.Context) error {
		r, err := rc.R().SetContext(ctx).Get(u)
		if err != nil {
			return err
		}
		return expectBody(r.Body(), fixture.GetBody)
	}, rc.GetClient().CloseIdleConnections
}
