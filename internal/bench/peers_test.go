package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"

	cjrequests "github.com/carlmjohnson/requests"
	"github.com/dghubble/sling"
	restyv2 "github.com/go-resty/resty/v2"
	restyv3 "resty.dev/v3"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/bench/fixture"
	"github.com/tether-http/tether/request"
)

// A peer is one HTTP library configured the idiomatic way for it. Each
// constructor takes the server's base URL and returns the operation to
// measure and a function that releases the peer's connections.
type peer struct {
	name string
	// get: the fixture session (3 headers, 2 params, 1 cookie, basic auth)
	// sends GET /get with one more header and returns the whole body.
	get func(base string) (send func(context.Context) ([]byte, error), done func())
	// template: the same session; a template with the method header is
	// built once and each send adds the query parameter i=v.
	template func(base string) (send func(ctx context.Context, v string) ([]byte, error), done func())
	// post: a plain session sends p as JSON to /post and decodes the echo.
	post func(base string) (send func(context.Context, *fixture.Payload) (*fixture.Payload, error), done func())
	// spawn: a session holding n headers and n query parameters (besides
	// the library's own defaults); step derives a request from it and sets
	// one more header, without sending.
	spawn func(base string, n int) (step func(), done func())
}

// peers, net/http first: benchstat -col /lib takes the first column as the
// base of its comparisons.
var peers = []peer{
	{"nethttp", nethttpGet, nethttpTemplate, nethttpPost, nethttpSpawn},
	{"tether", tetherGet, tetherTemplate, tetherPost, tetherSpawn},
	{"restyv2", restyV2Get, restyV2Template, restyV2Post, restyV2Spawn},
	{"restyv3", restyV3Get, restyV3Template, restyV3Post, restyV3Spawn},
	{"carlmjohnson", cjGet, cjTemplate, cjPost, cjSpawn},
	{"sling", slingGet, slingTemplate, slingPost, slingSpawn},
}

// Sinks keep spawned builders alive so the compiler cannot drop the work.
var (
	sinkTether  request.Builder
	sinkReq     *http.Request
	sinkRestyV2 *restyv2.Request
	sinkRestyV3 *restyv3.Request
	sinkCJ      *cjrequests.Builder
	sinkSling   *sling.Sling
)

// spawnDefaults returns n header and n parameter names/values for Spawn.
func spawnDefaults(n int) (names, values []string) {
	for i := range n {
		names = append(names, fmt.Sprintf("X-Default-%03d", i))
		values = append(values, fmt.Sprintf("v%03d", i))
	}
	return names, values
}

// newHTTPClient is a fresh client with net/http's default transport settings
// and its own connection pool, so that each run's dials are its own.
func newHTTPClient() *http.Client {
	return &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
}

// ---- net/http: the physical limit ----------------------------------------
//
// A hand-rolled session: everything that does not change between requests
// (URL with its encoded query, the header set with Authorization and Cookie)
// is computed once; each request clones the header and adds its own.

func nethttpSession(base string) (u string, hdr http.Header) {
	q := url.Values{}
	for _, p := range fixture.Params {
		q.Set(p[0], p[1])
	}
	hdr = http.Header{}
	for _, h := range fixture.Headers {
		hdr.Set(h[0], h[1])
	}
	tmp := &http.Request{Header: hdr}
	tmp.SetBasicAuth(fixture.User, fixture.Password)
	tmp.AddCookie(&http.Cookie{Name: fixture.CookieName, Value: fixture.CookieVal})
	return base + "/get?" + q.Encode(), hdr
}

func nethttpDo(cl *http.Client, ctx context.Context, u string, hdr http.Header) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header = hdr.Clone()
	req.Header.Set(fixture.MethodHeader, fixture.MethodHeaderVal)
	resp, err := cl.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

func nethttpGet(base string) (func(context.Context) ([]byte, error), func()) {
	cl := newHTTPClient()
	u, hdr := nethttpSession(base)
	return func(ctx context.Context) ([]byte, error) { return nethttpDo(cl, ctx, u, hdr) }, cl.CloseIdleConnections
}

func nethttpTemplate(base string) (func(context.Context, string) ([]byte, error), func()) {
	cl := newHTTPClient()
	u, hdr := nethttpSession(base)
	return func(ctx context.Context, v string) ([]byte, error) {
		return nethttpDo(cl, ctx, u+"&i="+url.QueryEscape(v), hdr)
	}, cl.CloseIdleConnections
}

func nethttpPost(base string) (func(context.Context, *fixture.Payload) (*fixture.Payload, error), func()) {
	cl := newHTTPClient()
	u := base + "/post"
	return func(ctx context.Context, in *fixture.Payload) (*fixture.Payload, error) {
		data, err := json.Marshal(in)
		if err != nil {
			return nil, err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := cl.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return nil, err
		}
		out := new(fixture.Payload)
		return out, json.Unmarshal(body, out)
	}, cl.CloseIdleConnections
}

func nethttpSpawn(base string, n int) (func(), func()) {
	names, values := spawnDefaults(n)
	q := url.Values{}
	hdr := http.Header{}
	for i := range names {
		q.Set(names[i], values[i])
		hdr.Set(names[i], values[i])
	}
	u := base + "/get?" + q.Encode()
	ctx := context.Background()
	return func() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		req.Header = hdr.Clone()
		req.Header.Set(fixture.MethodHeader, fixture.MethodHeaderVal)
		sinkReq = req
	}, func() {}
}

// ---- tether ----------------------------------------------------------------

func tetherGet(base string) (func(context.Context) ([]byte, error), func()) {
	s := fixture.TetherSession()
	u := base + "/get"
	return func(ctx context.Context) ([]byte, error) {
		resp, err := s.Get(u).Header(fixture.MethodHeader, fixture.MethodHeaderVal).Do(ctx)
		if err != nil {
			return nil, err
		}
		return resp.Bytes(), nil
	}, func() { _ = s.Close() }
}

func tetherTemplate(base string) (func(context.Context, string) ([]byte, error), func()) {
	s := fixture.TetherSession()
	tpl := s.Get(base+"/get").Header(fixture.MethodHeader, fixture.MethodHeaderVal)
	return func(ctx context.Context, v string) ([]byte, error) {
		resp, err := tpl.Param("i", v).Do(ctx)
		if err != nil {
			return nil, err
		}
		return resp.Bytes(), nil
	}, func() { _ = s.Close() }
}

func tetherPost(base string) (func(context.Context, *fixture.Payload) (*fixture.Payload, error), func()) {
	s := client.New()
	u := base + "/post"
	return func(ctx context.Context, in *fixture.Payload) (*fixture.Payload, error) {
		resp, err := s.Post(u).JSON(in).Do(ctx)
		if err != nil {
			return nil, err
		}
		out := new(fixture.Payload)
		return out, resp.JSON(out)
	}, func() { _ = s.Close() }
}

func tetherSpawn(base string, n int) (func(), func()) {
	s := client.New()
	names, values := spawnDefaults(n)
	for i := range names {
		s.SetHeader(names[i], values[i]).SetParam(names[i], values[i])
	}
	u := base + "/get"
	return func() {
		sinkTether = s.Get(u).Header(fixture.MethodHeader, fixture.MethodHeaderVal)
	}, func() { _ = s.Close() }
}

// ---- resty v2 --------------------------------------------------------------

// resty warns on every request that sends credentials over plain HTTP; a
// real client would be on HTTPS, so the benchmark turns the warning off.
func restyV2Session() *restyv2.Client {
	rc := restyv2.New().SetDisableWarn(true)
	for _, h := range fixture.Headers {
		rc.SetHeader(h[0], h[1])
	}
	for _, p := range fixture.Params {
		rc.SetQueryParam(p[0], p[1])
	}
	return rc.SetCookie(&http.Cookie{Name: fixture.CookieName, Value: fixture.CookieVal}).
		SetBasicAuth(fixture.User, fixture.Password)
}

func restyV2Get(base string) (func(context.Context) ([]byte, error), func()) {
	rc := restyV2Session()
	u := base + "/get"
	return func(ctx context.Context) ([]byte, error) {
		resp, err := rc.R().SetContext(ctx).SetHeader(fixture.MethodHeader, fixture.MethodHeaderVal).Get(u)
		if err != nil {
			return nil, err
		}
		return resp.Body(), nil
	}, rc.GetClient().CloseIdleConnections
}

func restyV2Template(base string) (func(context.Context, string) ([]byte, error), func()) {
	// resty has no immutable request template: the client is the template.
	rc := restyV2Session()
	u := base + "/get"
	return func(ctx context.Context, v string) ([]byte, error) {
		resp, err := rc.R().SetContext(ctx).SetHeader(fixture.MethodHeader, fixture.MethodHeaderVal).
			SetQueryParam("i", v).Get(u)
		if err != nil {
			return nil, err
		}
		return resp.Body(), nil
	}, rc.GetClient().CloseIdleConnections
}

func restyV2Post(base string) (func(context.Context, *fixture.Payload) (*fixture.Payload, error), func()) {
	rc := restyv2.New()
	u := base + "/post"
	return func(ctx context.Context, in *fixture.Payload) (*fixture.Payload, error) {
		resp, err := rc.R().SetContext(ctx).SetBody(in).SetResult(&fixture.Payload{}).Post(u)
		if err != nil {
			return nil, err
		}
		return resp.Result().(*fixture.Payload), nil
	}, rc.GetClient().CloseIdleConnections
}

func restyV2Spawn(_ string, n int) (func(), func()) {
	rc := restyv2.New()
	names, values := spawnDefaults(n)
	for i := range names {
		rc.SetHeader(names[i], values[i]).SetQueryParam(names[i], values[i])
	}
	return func() {
		sinkRestyV2 = rc.R().SetHeader(fixture.MethodHeader, fixture.MethodHeaderVal)
	}, rc.GetClient().CloseIdleConnections
}

// ---- resty v3 --------------------------------------------------------------

func restyV3Session() *restyv3.Client {
	rc := restyv3.New().SetLoggerWarnLevel(true)
	for _, h := range fixture.Headers {
		rc.SetHeader(h[0], h[1])
	}
	for _, p := range fixture.Params {
		rc.SetQueryParam(p[0], p[1])
	}
	return rc.SetCookie(&http.Cookie{Name: fixture.CookieName, Value: fixture.CookieVal}).
		SetBasicAuth(fixture.User, fixture.Password)
}

func restyV3Get(base string) (func(context.Context) ([]byte, error), func()) {
	rc := restyV3Session()
	u := base + "/get"
	return func(ctx context.Context) ([]byte, error) {
		resp, err := rc.R().SetContext(ctx).SetHeader(fixture.MethodHeader, fixture.MethodHeaderVal).Get(u)
		if err != nil {
			return nil, err
		}
		return resp.Bytes(), nil
	}, func() { _ = rc.Close() }
}

func restyV3Template(base string) (func(context.Context, string) ([]byte, error), func()) {
	rc := restyV3Session()
	u := base + "/get"
	return func(ctx context.Context, v string) ([]byte, error) {
		resp, err := rc.R().SetContext(ctx).SetHeader(fixture.MethodHeader, fixture.MethodHeaderVal).
			SetQueryParam("i", v).Get(u)
		if err != nil {
			return nil, err
		}
		return resp.Bytes(), nil
	}, func() { _ = rc.Close() }
}

func restyV3Post(base string) (func(context.Context, *fixture.Payload) (*fixture.Payload, error), func()) {
	rc := restyv3.New()
	u := base + "/post"
	return func(ctx context.Context, in *fixture.Payload) (*fixture.Payload, error) {
		resp, err := rc.R().SetContext(ctx).SetBody(in).SetResult(&fixture.Payload{}).Post(u)
		if err != nil {
			return nil, err
		}
		return resp.Result().(*fixture.Payload), nil
	}, func() { _ = rc.Close() }
}

func restyV3Spawn(_ string, n int) (func(), func()) {
	rc := restyv3.New()
	names, values := spawnDefaults(n)
	for i := range names {
		rc.SetHeader(names[i], values[i]).SetQueryParam(names[i], values[i])
	}
	return func() {
		sinkRestyV3 = rc.R().SetHeader(fixture.MethodHeader, fixture.MethodHeaderVal)
	}, func() { _ = rc.Close() }
}

// ---- github.com/carlmjohnson/requests ----------------------------------------
//
// Its builder is mutable: the idiom for a shared base is Clone per request.

func cjSession(base string, cl *http.Client) *cjrequests.Builder {
	rb := cjrequests.URL(base + "/get").Client(cl)
	for _, h := range fixture.Headers {
		rb.Header(h[0], h[1])
	}
	for _, p := range fixture.Params {
		rb.Param(p[0], p[1])
	}
	return rb.Cookie(fixture.CookieName, fixture.CookieVal).BasicAuth(fixture.User, fixture.Password)
}

func cjGet(base string) (func(context.Context) ([]byte, error), func()) {
	cl := newHTTPClient()
	rb := cjSession(base, cl)
	return func(ctx context.Context) ([]byte, error) {
		var buf bytes.Buffer
		err := rb.Clone().Header(fixture.MethodHeader, fixture.MethodHeaderVal).ToBytesBuffer(&buf).Fetch(ctx)
		return buf.Bytes(), err
	}, cl.CloseIdleConnections
}

func cjTemplate(base string) (func(context.Context, string) ([]byte, error), func()) {
	cl := newHTTPClient()
	tpl := cjSession(base, cl).Header(fixture.MethodHeader, fixture.MethodHeaderVal)
	return func(ctx context.Context, v string) ([]byte, error) {
		var buf bytes.Buffer
		err := tpl.Clone().Param("i", v).ToBytesBuffer(&buf).Fetch(ctx)
		return buf.Bytes(), err
	}, cl.CloseIdleConnections
}

func cjPost(base string) (func(context.Context, *fixture.Payload) (*fixture.Payload, error), func()) {
	cl := newHTTPClient()
	rb := cjrequests.URL(base + "/post").Client(cl)
	return func(ctx context.Context, in *fixture.Payload) (*fixture.Payload, error) {
		out := new(fixture.Payload)
		err := rb.Clone().BodyJSON(in).ToJSON(out).Fetch(ctx)
		return out, err
	}, cl.CloseIdleConnections
}

func cjSpawn(base string, n int) (func(), func()) {
	rb := cjrequests.URL(base + "/get")
	names, values := spawnDefaults(n)
	for i := range names {
		rb.Header(names[i], values[i]).Param(names[i], values[i])
	}
	return func() {
		sinkCJ = rb.Clone().Header(fixture.MethodHeader, fixture.MethodHeaderVal)
	}, func() {}
}

// ---- github.com/dghubble/sling -----------------------------------------------
//
// Query parameters are url-tagged structs; sling has no cookie setter, so the
// session sets the Cookie header. Its Receive decodes JSON; bytesDecoder, a
// ResponseDecoder, returns the raw body instead, as the other peers do. sling
// takes no context (http.NewRequest), so its sends ignore ctx.

type slingQuery struct {
	Page string `url:"page"`
	Q    string `url:"q"`
}

type slingI struct {
	I string `url:"i"`
}

type bytesDecoder struct{}

func (bytesDecoder) Decode(resp *http.Response, v any) error {
	b, err := io.ReadAll(resp.Body)
	*v.(*[]byte) = b
	return err
}

func slingSession(base string, cl *http.Client) *sling.Sling {
	s := sling.New().Client(cl).Base(base + "/").ResponseDecoder(bytesDecoder{})
	for _, h := range fixture.Headers {
		s.Set(h[0], h[1])
	}
	return s.Set("Cookie", fixture.CookieName+"="+fixture.CookieVal).
		SetBasicAuth(fixture.User, fixture.Password).
		QueryStruct(&slingQuery{Page: fixture.Params[0][1], Q: fixture.Params[1][1]})
}

func slingGet(base string) (func(context.Context) ([]byte, error), func()) {
	cl := newHTTPClient()
	s := slingSession(base, cl)
	return func(context.Context) ([]byte, error) {
		var body []byte
		_, err := s.New().Set(fixture.MethodHeader, fixture.MethodHeaderVal).Get("get").ReceiveSuccess(&body)
		return body, err
	}, cl.CloseIdleConnections
}

func slingTemplate(base string) (func(context.Context, string) ([]byte, error), func()) {
	cl := newHTTPClient()
	tpl := slingSession(base, cl).Set(fixture.MethodHeader, fixture.MethodHeaderVal).Get("get")
	return func(_ context.Context, v string) ([]byte, error) {
		var body []byte
		_, err := tpl.New().QueryStruct(&slingI{I: v}).ReceiveSuccess(&body)
		return body, err
	}, cl.CloseIdleConnections
}

func slingPost(base string) (func(context.Context, *fixture.Payload) (*fixture.Payload, error), func()) {
	cl := newHTTPClient()
	s := sling.New().Client(cl).Base(base + "/")
	return func(_ context.Context, in *fixture.Payload) (*fixture.Payload, error) {
		out := new(fixture.Payload)
		_, err := s.New().Post("post").BodyJSON(in).ReceiveSuccess(out)
		return out, err
	}, cl.CloseIdleConnections
}

func slingSpawn(base string, n int) (func(), func()) {
	s := sling.New().Base(base + "/")
	names, values := spawnDefaults(n)
	for i := range names {
		s.Set(names[i], values[i])
	}
	// sling's query parameters are url-tagged structs, encoded only when the
	// request is built: New copies one pointer however many fields the
	// struct has, so the n parameters cost nothing here and are left out.
	s.QueryStruct(&slingQuery{Page: "1", Q: "x"})
	return func() {
		sinkSling = s.New().Set(fixture.MethodHeader, fixture.MethodHeaderVal).Get("get")
	}, func() {}
}
