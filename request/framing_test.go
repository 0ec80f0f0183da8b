package request_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"io"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// framing is the body's framing lines of a header or of a request head on
// the wire: "Content-Length: n", "Transfer-Encoding: chunked", in order.
// bodyLength stands for the length of the body that was sent.
type framing []string

const bodyLength = "Content-Length: <body length>"

func headerFraming(h map[string][]string) framing {
	var out framing
	for _, k := range []string{"Content-Length", "Transfer-Encoding"} {
		for _, v := range h[k] {
			out = append(out, k+": "+v)
		}
	}
	return out
}

func wireFraming(head string) framing {
	var out framing
	for _, line := range strings.Split(head, "\r\n") {
		name, _, _ := strings.Cut(line, ":")
		if strings.EqualFold(name, "Content-Length") || strings.EqualFold(name, "Transfer-Encoding") {
			out = append(out, line)
		}
	}
	return out
}

// withLength replaces bodyLength in want by the length of body.
func withLength(want framing, body []byte) framing {
	var out framing
	for _, w := range want {
		if w == bodyLength {
			w = "Content-Length: " + strconv.Itoa(len(body))
		}
		out = append(out, w)
	}
	return out
}

func (w *wireRecorder) all() []wireRequest {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]wireRequest(nil), w.reqs...)
}

// oneShot is a reader of unknown length that can be read once.
func oneShot(s string) io.Reader { return iotest.HalfReader(strings.NewReader(s)) }

// TestRequestFraming: Request().Header (for every response, redirects
// included) and Prepare's header show the body's Content-Length or
// Transfer-Encoding as requests' r.request.headers and prepare_request
// show them, and the wire carries exactly one such line, the one net/http
// writes from ContentLength (the header's copy is not sent again). The
// requests values in the comments come from requests 2.34.2.
func TestRequestFraming(t *testing.T) {
	t.Parallel()
	cl := func(n int) string { return "Content-Length: " + strconv.Itoa(n) }
	const chunked = "Transfer-Encoding: chunked"
	type want struct {
		prepared framing   // Prepare's header
		sent     []framing // Request().Header of each response: history, then the final one
		wire     []framing // each hop's head on the wire
	}
	tests := map[string]struct {
		b    func(u string) request.Builder
		want want
	}{
		// requests: {} everywhere.
		"GET":  {func(u string) request.Builder { return request.Get(u) }, want{nil, []framing{nil}, []framing{nil}}},
		"HEAD": {func(u string) request.Builder { return request.Head(u) }, want{nil, []framing{nil}, []framing{nil}}},
		// requests: Content-Length: 3.
		"POST form": {
			func(u string) request.Builder { return request.Post(u).Form(url.Values{"a": {"1"}}) },
			want{framing{cl(3)}, []framing{{cl(3)}}, []framing{{cl(3)}}},
		},
		// requests: Content-Length: 8 (it writes {"a": 1}).
		"POST JSON": {
			func(u string) request.Builder { return request.Post(u).JSON(map[string]int{"a": 1}) },
			want{framing{cl(7)}, []framing{{cl(7)}}, []framing{{cl(7)}}},
		},
		// requests: Content-Length: 7.
		"POST bytes": {
			func(u string) request.Builder { return request.Post(u).BodyBytes([]byte("payload")) },
			want{framing{cl(7)}, []framing{{cl(7)}}, []framing{{cl(7)}}},
		},
		// requests: Content-Length: 0, for data='' too, and for PUT and PATCH.
		"POST empty": {
			func(u string) request.Builder { return request.Post(u) },
			want{framing{cl(0)}, []framing{{cl(0)}}, []framing{{cl(0)}}},
		},
		"POST empty bytes": {
			func(u string) request.Builder { return request.Post(u).BodyBytes(nil) },
			want{framing{cl(0)}, []framing{{cl(0)}}, []framing{{cl(0)}}},
		},
		"PUT empty": {
			func(u string) request.Builder { return request.Put(u) },
			want{framing{cl(0)}, []framing{{cl(0)}}, []framing{{cl(0)}}},
		},
		"PATCH empty": {
			func(u string) request.Builder { return request.Patch(u) },
			want{framing{cl(0)}, []framing{{cl(0)}}, []framing{{cl(0)}}},
		},
		// requests: Content-Length: 0, shown and sent; net/http sends none
		// (README, deliberate differences), and the header says so.
		"DELETE without body": {
			func(u string) request.Builder { return request.Delete(u) },
			want{nil, []framing{nil}, []framing{nil}},
		},
		"OPTIONS without body": {
			func(u string) request.Builder { return request.New("OPTIONS", u) },
			want{nil, []framing{nil}, []framing{nil}},
		},
		// The caller's Content-Length: 0 is sent, as requests sends it.
		"DELETE with the caller's Content-Length: 0": {
			func(u string) request.Builder { return request.Delete(u).Header("Content-Length", "0") },
			want{framing{cl(0)}, []framing{{cl(0)}}, []framing{{cl(0)}}},
		},
		// requests: Content-Length: 1.
		"GET with a body": {
			func(u string) request.Builder { return request.Get(u).BodyBytes([]byte("x")) },
			want{framing{cl(1)}, []framing{{cl(1)}}, []framing{{cl(1)}}},
		},
		// requests: the length of the body, as here.
		"multipart": {
			func(u string) request.Builder {
				return request.Post(u).Form(url.Values{"a": {"1"}}).File("f", "a.txt", strings.NewReader("hello"))
			},
			want{framing{bodyLength}, []framing{{bodyLength}}, []framing{{bodyLength}}},
		},
		// requests builds such a body in memory and sends its length
		// (README, deliberate differences); tether streams it.
		"multipart with a part of unknown size": {
			func(u string) request.Builder { return request.Post(u).File("f", "a.txt", oneShot("hello")) },
			want{framing{chunked}, []framing{{chunked}}, []framing{{chunked}}},
		},
		// requests (data=a generator): Transfer-Encoding: chunked, from
		// prepare_request too. Prepare leaves a one-shot body out but says
		// how Do sends it.
		"POST reader of unknown size": {
			func(u string) request.Builder { return request.Post(u).Body(oneShot("abcd")) },
			want{framing{chunked}, []framing{{chunked}}, []framing{{chunked}}},
		},
		"GET reader of unknown size": {
			func(u string) request.Builder { return request.Get(u).Body(oneShot("abcd")) },
			want{framing{chunked}, []framing{{chunked}}, []framing{{chunked}}},
		},
		// requests: the header's 5 is replaced by the body's length.
		"the caller's wrong Content-Length": {
			func(u string) request.Builder {
				return request.Post(u).BodyBytes([]byte("abc")).Header("Content-Length", "5")
			},
			want{framing{cl(3)}, []framing{{cl(3)}}, []framing{{cl(3)}}},
		},
		// requests: Content-Length: 7 on both, history and final.
		"307 re-send": {
			func(u string) request.Builder {
				return request.Post(u + "?status=307&location=/echo").BodyBytes([]byte("payload"))
			},
			want{framing{cl(7)}, []framing{{cl(7)}, {cl(7)}}, []framing{{cl(7)}, {cl(7)}}},
		},
		"307 re-send of an empty POST": {
			func(u string) request.Builder { return request.Post(u + "?status=307&location=/echo") },
			want{framing{cl(0)}, []framing{{cl(0)}, {cl(0)}}, []framing{{cl(0)}, {cl(0)}}},
		},
		// requests: Content-Length: 7, then nothing on the GET.
		"302 after POST": {
			func(u string) request.Builder {
				return request.Post(u + "?status=302&location=/echo").BodyBytes([]byte("payload"))
			},
			want{framing{cl(7)}, []framing{{cl(7)}, nil}, []framing{{cl(7)}, nil}},
		},
		// A 301 keeps a PUT without its body: both send Content-Length: 0
		// (requests' r.request.headers leaves it out; http.client adds it).
		"301 PUT": {
			func(u string) request.Builder {
				return request.Put(u + "?status=301&location=/echo").BodyBytes([]byte("xx"))
			},
			want{framing{cl(2)}, []framing{{cl(2)}, {cl(0)}}, []framing{{cl(2)}, {cl(0)}}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := newWireRecorder(t)
			req, err := tc.b(rec.URL).Prepare(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if req.Body != nil {
				_ = req.Body.Close()
			}
			r, err := tc.b(rec.URL).Do(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			hops := rec.all()
			if len(hops) == 0 {
				t.Fatal("no request arrived")
			}
			body := hops[0].body
			if diff := cmp.Diff(withLength(tc.want.prepared, body), headerFraming(req.Header)); diff != "" {
				t.Errorf("Prepare's header (-want +got):\n%s", diff)
			}
			var sent []framing
			for _, h := range append(r.History(), r) {
				sent = append(sent, headerFraming(h.Request().Header))
			}
			var wantSent, wantWire []framing
			for _, f := range tc.want.sent {
				wantSent = append(wantSent, withLength(f, body))
			}
			if diff := cmp.Diff(wantSent, sent); diff != "" {
				t.Errorf("Request().Header of each response (-want +got):\n%s", diff)
			}
			var wire []framing
			for _, h := range hops {
				wire = append(wire, wireFraming(h.head))
			}
			for _, f := range tc.want.wire {
				wantWire = append(wantWire, withLength(f, body))
			}
			if diff := cmp.Diff(wantWire, wire); diff != "" {
				t.Errorf("framing lines on the wire (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRequestFramingRetried: a retried hop shows and sends the same
// Content-Length as its first try.
func TestRequestFramingRetried(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	r, err := request.Post(srv.URL + testserver.FlakyPath + "?key=framing&fail=1").
		BodyBytes([]byte("payload")).
		Retry(request.Retry{Attempts: 2, Methods: []string{"POST"}}).
		Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r.StatusCode() != 200 || r.Attempts() != 2 {
		t.Fatalf("status %d after %d tries, want 200 after 2", r.StatusCode(), r.Attempts())
	}
	if diff := cmp.Diff(framing{"Content-Length: 7"}, headerFraming(r.Request().Header)); diff != "" {
		t.Errorf("Request().Header (-want +got):\n%s", diff)
	}
	var got [][]string
	for _, rec := range srv.Requests() {
		got = append(got, rec.Header.Values("Content-Length"))
	}
	if diff := cmp.Diff([][]string{{"7"}, {"7"}}, got); diff != "" {
		t.Errorf("Content-Length received on each try (-want +got):\n%s", diff)
	}
}

// TestRequestFramingHTTP2: over HTTP/2 (TLS, ALPN) the header's framing
// lines are what requests would show, and what the server receives is
// net/http's own framing: one content-length for a body of known length
// (and an empty POST), none for GET or a body of unknown length, and no
// Transfer-Encoding, which HTTP/2 forbids (the server would refuse the
// request).
func TestRequestFramingHTTP2(t *testing.T) {
	t.Parallel()
	srv := testserver.NewHTTP2(t)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	s := client.New().SetRootCAs(pool)
	t.Cleanup(func() { _ = s.Close() })
	tests := map[string]struct {
		b        request.Builder
		header   framing  // Request().Header
		received []string // Content-Length values the server got
		body     string
	}{
		"GET":                 {s.Get(srv.URL + "/get"), nil, nil, ""},
		"POST bytes":          {s.Post(srv.URL + "/post").BodyBytes([]byte("payload")), framing{"Content-Length: 7"}, []string{"7"}, "payload"},
		"POST empty":          {s.Post(srv.URL + "/post"), framing{"Content-Length: 0"}, []string{"0"}, ""},
		"POST unknown length": {s.Post(srv.URL + "/post").Body(oneShot("abcd")), framing{"Transfer-Encoding: chunked"}, nil, "abcd"},
		"307 re-send": {
			s.Post(srv.URL + "/post?status=307&location=/echo").BodyBytes(bytes.Repeat([]byte("x"), 300)),
			framing{"Content-Length: 300"}, []string{"300"}, strings.Repeat("x", 300),
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv.Reset()
			r, err := tc.b.Do(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if r.Proto() != "HTTP/2.0" {
				t.Fatalf("Proto %q, want HTTP/2.0", r.Proto())
			}
			if diff := cmp.Diff(tc.header, headerFraming(r.Request().Header)); diff != "" {
				t.Errorf("Request().Header (-want +got):\n%s", diff)
			}
			recs := srv.Requests()
			rec := recs[len(recs)-1]
			if diff := cmp.Diff(tc.received, rec.Header.Values("Content-Length")); diff != "" {
				t.Errorf("Content-Length received (-want +got):\n%s", diff)
			}
			if got := rec.Header.Values("Transfer-Encoding"); len(got) != 0 {
				t.Errorf("Transfer-Encoding received: %q", got)
			}
			if diff := cmp.Diff(tc.body, rec.Body); diff != "" {
				t.Errorf("body received (-want +got):\n%s", diff)
			}
		})
	}
}
