package request_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/request"
)

// wireRecorder is a loopback HTTP/1.1 server that keeps each request's
// head as it came over the wire (name case, bytes and all) and its body
// (chunked or not), and answers 200 with an empty body, or, for a request
// with status and location query parameters, that status and Location.
type wireRecorder struct {
	URL  string
	mu   sync.Mutex
	reqs []wireRequest
}

type wireRequest struct {
	head string // the request line and headers, CRLFs included
	body []byte
}

func newWireRecorder(t *testing.T) *wireRecorder {
	t.Helper()
	w := &wireRecorder{}
	w.URL = "http://" + loopback(t, w.serve)
	return w
}

func (w *wireRecorder) serve(c net.Conn) {
	br := bufio.NewReader(c)
	for {
		var head bytes.Buffer
		for {
			line, err := br.ReadString('\n')
			head.WriteString(line)
			if err != nil {
				return
			}
			if line == "\r\n" {
				break
			}
		}
		req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(head.Bytes())))
		if err != nil {
			return
		}
		var body []byte
		switch {
		case len(req.TransferEncoding) > 0:
			if body, err = io.ReadAll(httputil.NewChunkedReader(br)); err != nil {
				return
			}
			for { // the trailer section, empty here, ends with an empty line
				if line, err := br.ReadString('\n'); err != nil || line == "\r\n" {
					break
				}
			}
		case req.ContentLength > 0:
			body = make([]byte, req.ContentLength)
			if _, err := io.ReadFull(br, body); err != nil {
				return
			}
		}
		w.mu.Lock()
		w.reqs = append(w.reqs, wireRequest{head: head.String(), body: body})
		w.mu.Unlock()
		answer := "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
		if q := req.URL.Query(); q.Has("status") {
			answer = "HTTP/1.1 " + q.Get("status") + " Redirect\r\nLocation: " + q.Get("location") + "\r\nContent-Length: 0\r\n\r\n"
		}
		if _, err := io.WriteString(c, answer); err != nil {
			return
		}
	}
}

func (w *wireRecorder) last(t *testing.T) wireRequest {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.reqs) == 0 {
		t.Fatal("no request arrived")
	}
	return w.reqs[len(w.reqs)-1]
}

// TestDeliberateDifferences asserts the rows of README's "Deliberate
// differences from requests" table that no conformance case covers, each
// with requests' behaviour and the reason beside it.
func TestDeliberateDifferences(t *testing.T) {
	t.Parallel()
	rec := newWireRecorder(t)
	tests := map[string]struct {
		b request.Builder
		// The head must hold every one of has and none of hasNot.
		has, hasNot []string
		body        string
	}{
		// requests encodes str header values as latin-1 (and raises
		// beyond it); Go strings are UTF-8 and go out as their bytes.
		"header values are UTF-8": {b: request.Get(rec.URL).Header("X-Name", "é"), has: []string{"X-Name: \xc3\xa9\r\n"}},
		// requests keeps an explicit Authorization header under auth=();
		// NoAuth means no credentials at all.
		"NoAuth drops an explicit Authorization": {
			b:      request.Get(rec.URL).Header("Authorization", "Bearer t").NoAuth(),
			hasNot: []string{"Authorization"},
		},
		// requests sends trailing whitespace and an empty User-Agent;
		// net/http trims the one and leaves the other out.
		"trailing whitespace is trimmed": {b: request.Get(rec.URL).Header("X-T", "v  "), has: []string{"X-T: v\r\n"}},
		"an empty User-Agent is not sent": {
			b:      request.Get(rec.URL).Header("User-Agent", ""),
			hasNot: []string{"User-Agent"},
		},
		// requests keeps a header name's case; net/http canonicalises it.
		"header names are canonical": {b: request.Get(rec.URL).Header("x-lower-case", "1"), has: []string{"X-Lower-Case: 1\r\n"}},
		// requests lets data= win over json=; a builder's last call wins.
		"the last body method wins": {
			b:    request.Post(rec.URL).Form(url.Values{"a": {"1"}}).JSON(map[string]int{"b": 2}),
			has:  []string{"Content-Type: application/json\r\n"},
			body: `{"b":2}`,
		},
		// json=None sends no body; nil is a JSON value.
		"JSON(nil) sends null": {b: request.Post(rec.URL).JSON(nil), body: "null"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			// The recorder serves one request at a time per test: no
			// t.Parallel, so last() is this case's request.
			if _, err := tc.b.Do(context.Background()); err != nil {
				t.Fatal(err)
			}
			got := rec.last(t)
			for _, h := range tc.has {
				if !strings.Contains(got.head, h) {
					t.Errorf("the head lacks %q:\n%s", h, got.head)
				}
			}
			for _, h := range tc.hasNot {
				if strings.Contains(strings.ToLower(got.head), strings.ToLower(h)+":") {
					t.Errorf("the head has %q:\n%s", h, got.head)
				}
			}
			if diff := cmp.Diff(tc.body, string(got.body)); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTimeoutSpansHops: requests' timeout bounds each socket operation, so
// a chain of hops that are each quick enough passes however long it is;
// tether's Timeout bounds the whole call.
func TestTimeoutSpansHops(t *testing.T) {
	t.Parallel()
	const d = 300 * time.Millisecond
	srv := http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // each hop is slow, but well within d
		case <-time.After(d / 2):
		case <-r.Context().Done():
			return
		}
		http.Redirect(w, r, "/next", http.StatusFound)
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { _ = srv.Close() })
	start := time.Now()
	_, err = request.Get("http://" + ln.Addr().String() + "/").Timeout(d).Do(context.Background())
	if !errors.Is(err, request.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Do error = %v, want the call's deadline", err)
	}
	if took := time.Since(start); took > 2*d {
		t.Errorf("took %v, want at most 2×%v", took, d)
	}
}

// TestKeepAliveResend: when a reused keep-alive connection turns out to be
// closed before any answer, net/http sends an idempotent request again on a
// new connection (requests raises ConnectionError); the re-send is below
// the session and not counted in Attempts.
func TestKeepAliveResend(t *testing.T) {
	t.Parallel()
	var (
		mu    sync.Mutex
		conns int
		seen  int
	)
	addr := loopback(t, func(c net.Conn) {
		mu.Lock()
		conns++
		first := conns == 1
		mu.Unlock()
		br := bufio.NewReader(c)
		for n := 1; ; n++ {
			if _, err := http.ReadRequest(br); err != nil {
				return
			}
			mu.Lock()
			seen++
			mu.Unlock()
			if first && n == 2 {
				return // the second request on the first connection: closed unanswered
			}
			if _, err := io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"); err != nil {
				return
			}
		}
	})
	s := client.New()
	defer s.Close()
	u := "http://" + addr + "/"
	for i := range 2 {
		r, err := s.Get(u).Do(context.Background())
		if err != nil || r.Text() != "ok" || r.Attempts() != 1 {
			t.Fatalf("call %d: %v %v (attempts %d)", i+1, r, err, r.Attempts())
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if conns != 2 || seen != 3 {
		t.Errorf("%d connections and %d requests at the server, want 2 and 3 (the re-send)", conns, seen)
	}
}

// TestControlByteInResponseHeader: requests reads a response header with
// a control byte in its value (http.client is lenient) and follows such a
// Location; net/http refuses the response, and tether's call fails with
// an ErrTransport error rather than reading a header it cannot trust.
func TestControlByteInResponseHeader(t *testing.T) {
	t.Parallel()
	for name, header := range map[string]string{
		"DEL in a Location":    "HTTP/1.1 302 Found\r\nLocation: /a\x7fb\r\nContent-Length: 0\r\n\r\n",
		"SOH in a Set-Cookie":  "HTTP/1.1 200 OK\r\nSet-Cookie: a=b\x01c\r\nContent-Length: 0\r\n\r\n",
		"NUL in another value": "HTTP/1.1 200 OK\r\nX-A: a\x00b\r\nContent-Length: 0\r\n\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			addr := loopback(t, func(c net.Conn) {
				br := bufio.NewReader(c)
				if _, err := http.ReadRequest(br); err != nil {
					return
				}
				_, _ = io.WriteString(c, header)
			})
			_, err := request.Get("http://" + addr + "/").NoRetry().Do(context.Background())
			if !errors.Is(err, request.ErrTransport) {
				t.Errorf("Do = %v, want an ErrTransport error", err)
			}
		})
	}
}
