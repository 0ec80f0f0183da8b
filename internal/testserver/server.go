package testserver

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/mccutchen/go-httpbin/v2/httpbin"
)

// Recorded is one request as the server received it.
type Recorded struct {
	Method   string `json:"method"`
	Host     string `json:"host"`
	Path     string `json:"path"`
	RawQuery string `json:"raw_query"`
	// RequestURI is the request target as sent on the request line,
	// escapes and all (Path is decoded).
	RequestURI string `json:"request_uri"`
	// Proto is the protocol the request came over: "HTTP/1.1", or
	// "HTTP/2.0" from [StartHTTP2]'s and [StartH2C]'s servers.
	Proto  string      `json:"proto"`
	Header http.Header `json:"headers"`
	// Cookies are the Cookie header's pairs in the order sent, "name=value".
	Cookies []string `json:"cookies"`
	Body    string   `json:"body"`
}

// Entry is a recorded request with when, on which connection and under
// which label it arrived.
type Entry struct {
	Recorded
	// Label is the label of the last [Server.Mark] before the request, or
	// "" if none.
	Label string `json:"label,omitempty"`
	// Seq orders requests across every server of the process: a request
	// that arrived later has a larger Seq, whichever server it reached.
	Seq uint64 `json:"seq"`
	// Conn is the number of the TCP connection the request came on, from 1,
	// counted per server.
	Conn int64 `json:"conn"`
}

// seq numbers recorded requests across servers.
var seq atomic.Uint64

// MarkPath is the path of the route that sets the server's label, for
// clients that cannot call [Server.Mark]: a request to MarkPath?label=L is
// answered 204 and not recorded.
const MarkPath = "/_testserver/mark"

// Server is a running test server.
type Server struct {
	*httptest.Server

	mu    sync.Mutex
	log   []Entry
	label string
	flaky map[string]int // requests seen per key of the flaky route
	conns atomic.Int64
}

type connKey struct{}

// Start starts a plain HTTP server on 127.0.0.1; call Close when done.
func Start() *Server { return start(false) }

// StartTLS starts an HTTPS server on 127.0.0.1 with httptest's certificate;
// use its Client().Transport's TLS config, or skip verification, to reach it.
func StartTLS() *Server { return start(true) }

// StartHTTP2 starts an HTTPS server on 127.0.0.1, like StartTLS, that
// offers HTTP/2 by ALPN (and HTTP/1.1 to clients that do not ask for it).
func StartHTTP2() *Server { return startOn(nil, modeHTTP2) }

// StartTLSWithoutALPN starts an HTTPS server on 127.0.0.1, like StartTLS,
// that ignores the protocols a client offers by ALPN and chooses none, as
// servers without ALPN support do; it speaks HTTP/1.1.
func StartTLSWithoutALPN() *Server { return startOn(nil, modeTLSWithoutALPN) }

// StartH2C starts a plain HTTP server on 127.0.0.1 that also speaks
// HTTP/2 with prior knowledge (h2c) to clients that open with it.
func StartH2C() *Server { return startOn(nil, modeH2C) }

// New starts a plain HTTP server that is closed when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	return closedAtEnd(t, Start())
}

// NewTLS starts an HTTPS server that is closed when the test ends.
func NewTLS(t testing.TB) *Server {
	t.Helper()
	return closedAtEnd(t, StartTLS())
}

// NewHTTP2 starts a server as StartHTTP2 does that is closed when the test
// ends.
func NewHTTP2(t testing.TB) *Server {
	t.Helper()
	return closedAtEnd(t, StartHTTP2())
}

// NewTLSWithoutALPN starts a server as StartTLSWithoutALPN does that is
// closed when the test ends.
func NewTLSWithoutALPN(t testing.TB) *Server {
	t.Helper()
	return closedAtEnd(t, StartTLSWithoutALPN())
}

// NewH2C starts a server as StartH2C does that is closed when the test
// ends.
func NewH2C(t testing.TB) *Server {
	t.Helper()
	return closedAtEnd(t, StartH2C())
}

// closedAtEnd closes s when the test ends, and returns it.
func closedAtEnd(t testing.TB, s *Server) *Server {
	t.Helper()
	t.Cleanup(s.Close)
	return s
}

// StartIPv6 starts a plain HTTP server on the IPv6 loopback address
// ([::1]); it fails where the host has no IPv6 loopback. Call Close when
// done.
func StartIPv6() (*Server, error) {
	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		return nil, err
	}
	return startOn(ln, modePlain), nil
}

// NewIPv6 starts a plain HTTP server on [::1] that is closed when the test
// ends, or returns StartIPv6's error.
func NewIPv6(t testing.TB) (*Server, error) {
	t.Helper()
	s, err := StartIPv6()
	if err != nil {
		return nil, err
	}
	return closedAtEnd(t, s), nil
}

// StartUnix starts a plain HTTP server on a Unix socket at path, for
// clients that dial it themselves (its URL field names no host to reach).
// Call Close when done; it removes the socket.
func StartUnix(path string) (*Server, error) {
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	return startOn(ln, modePlain), nil
}

// NewUnix starts a server as StartUnix does, on a socket in a new
// temporary directory, that is closed when the test ends, and returns it
// with the socket's path.
func NewUnix(t testing.TB) (*Server, string) {
	t.Helper()
	// Not t.TempDir: a socket's path is limited to about 100 bytes, and a
	// test's name can be long.
	dir, err := os.MkdirTemp("", "ts")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	path := filepath.Join(dir, "s.sock")
	s, err := StartUnix(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s, path
}

func start(tls bool) *Server {
	if tls {
		return startOn(nil, modeTLS)
	}
	return startOn(nil, modePlain)
}

// mode is how a server speaks: plain HTTP/1.1, HTTPS with HTTP/1.1 only,
// HTTPS that offers HTTP/2 too, HTTPS with HTTP/1.1 and no ALPN, or plain
// HTTP/1.1 and h2c.
type mode int

const (
	modePlain mode = iota
	modeTLS
	modeHTTP2
	modeTLSWithoutALPN
	modeH2C
)

// startOn starts a server on ln, or on httptest's 127.0.0.1 listener if ln
// is nil.
func startOn(ln net.Listener, m mode) *Server {
	s := &Server{}
	s.Server = httptest.NewUnstartedServer(s.handler())
	if ln != nil {
		_ = s.Listener.Close()
		s.Listener = ln
	}
	// Handshake failures are what TLS tests provoke; keep them off stderr.
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.Config.ConnContext = func(ctx context.Context, _ net.Conn) context.Context {
		return context.WithValue(ctx, connKey{}, s.conns.Add(1))
	}
	switch m {
	case modePlain:
		s.Start()
	case modeHTTP2:
		s.EnableHTTP2 = true
		s.StartTLS()
	case modeTLSWithoutALPN:
		// Not nil, which httptest would replace with "http/1.1": with no
		// protocols of its own, crypto/tls chooses none.
		s.TLS = &tls.Config{NextProtos: []string{}}
		s.StartTLS()
	case modeH2C:
		s.Config.Protocols = new(http.Protocols)
		s.Config.Protocols.SetHTTP1(true)
		s.Config.Protocols.SetUnencryptedHTTP2(true)
		s.Start()
	default:
		s.StartTLS()
	}
	return s
}

func (s *Server) handler() http.Handler {
	bin := httpbin.New()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /cookies/set/{name}/{value}", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: r.PathValue("name"), Value: r.PathValue("value"), Path: "/"})
		http.Redirect(w, r, "/cookies", http.StatusFound)
	})
	mux.HandleFunc("/redirect-loop", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", r.URL.RequestURI())
		w.WriteHeader(http.StatusFound)
	})
	mux.HandleFunc(BodyPath, serveBody)
	mux.HandleFunc("/echo", echo)
	mux.HandleFunc("/echo/", echo)
	mux.Handle("/", bin)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == MarkPath {
			s.Mark(r.URL.Query().Get("label"))
			w.WriteHeader(http.StatusNoContent)
			return
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		s.record(r, body)
		if r.URL.Path == FlakyPath {
			s.serveFlaky(w, r, body)
			return
		}
		q := r.URL.Query()
		if q.Has("status") || q.Has("location") || q.Has("set-cookie") {
			scripted(w, r, q, body)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func (s *Server) record(r *http.Request, body []byte) {
	rec := Recorded{
		Method:   r.Method,
		Host:     r.Host,
		Path:     r.URL.Path,
		RawQuery: r.URL.RawQuery,
		Header:   r.Header.Clone(),
		Body:     string(body),

		RequestURI: r.RequestURI,
		Proto:      r.Proto,
	}
	for _, c := range r.Cookies() {
		rec.Cookies = append(rec.Cookies, c.Name+"="+c.Value)
	}
	conn, _ := r.Context().Value(connKey{}).(int64)
	s.mu.Lock()
	s.log = append(s.log, Entry{Recorded: rec, Label: s.label, Seq: seq.Add(1), Conn: conn})
	s.mu.Unlock()
}

// scripted answers with the status, Location and Set-Cookie headers the
// query asks for.
func scripted(w http.ResponseWriter, r *http.Request, q url.Values, body []byte) {
	for _, c := range q["set-cookie"] {
		w.Header().Add("Set-Cookie", c)
	}
	if loc := q.Get("location"); loc != "" {
		w.Header().Set("Location", loc)
	}
	status := http.StatusOK
	if v, err := strconv.Atoi(q.Get("status")); err == nil && v >= 100 && v <= 999 {
		status = v
	}
	writeEcho(w, r, body, status)
}

func echo(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	writeEcho(w, r, body, http.StatusOK)
}

func writeEcho(w http.ResponseWriter, r *http.Request, body []byte, status int) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if r.Method == http.MethodHead || status == http.StatusNotModified || status == http.StatusNoContent {
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"method":  r.Method,
		"path":    r.URL.Path,
		"query":   r.URL.RawQuery,
		"headers": r.Header,
		"body":    string(body),
	})
}

// BodyPath is the path of the route that answers 200 with a body the query
// chooses, for tests of how a client reads, splits and decodes bodies:
//
//   - body=TEXT is the body, or hex=HEX gives its bytes in hexadecimal
//     (hex wins); neither is an empty body;
//   - ct=TYPE is the Content-Type; without ct there is none (the server
//     does not sniff one);
//   - ce=gzip or ce=deflate (zlib, as RFC 9110 means it) compresses the
//     body and says so in Content-Encoding; any other ce is a 400.
//
// Content-Length is always set. Every method gets the same answer, HEAD
// without the body. Requests to it are recorded like any other.
const BodyPath = "/_testserver/body"

func serveBody(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	data := []byte(q.Get("body"))
	if q.Has("hex") {
		var err error
		if data, err = hex.DecodeString(q.Get("hex")); err != nil {
			http.Error(w, "hex: "+err.Error(), http.StatusBadRequest)
			return
		}
	}
	if ce := q.Get("ce"); ce != "" {
		var buf bytes.Buffer
		var zw io.WriteCloser
		switch ce {
		case "gzip":
			zw = gzip.NewWriter(&buf)
		case "deflate":
			zw = zlib.NewWriter(&buf)
		default:
			http.Error(w, "ce: want gzip or deflate", http.StatusBadRequest)
			return
		}
		_, _ = zw.Write(data)
		_ = zw.Close()
		data = buf.Bytes()
		w.Header().Set("Content-Encoding", ce)
	}
	if q.Has("ct") {
		w.Header().Set("Content-Type", q.Get("ct"))
	} else {
		w.Header()["Content-Type"] = nil // no sniffing
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(data)
	}
}

// FlakyPath is the path of the route that fails a given number of times
// per key before it succeeds, for tests of retries:
//
//	/_testserver/flaky?key=K&fail=N&status=S&retry_after=A&cookie=C
//
// The first N requests (default 1) with key K answer status S (default
// 503), with Retry-After: A when retry_after is given and Set-Cookie: C
// when cookie is given; every later one answers 200. Both answers are a
// JSON echo of the request. Requests are counted per key and per server
// (H1 and H2 of the conformance suite are one server), whatever their
// method, so a key must be unique to the test that uses it; [Server.Reset]
// forgets the counts. A request without key, or with a bad fail or status,
// is a 400. Requests to it are recorded like any other; the route wins
// over the status, location and set-cookie scripting.
const FlakyPath = "/_testserver/flaky"

func (s *Server) serveFlaky(w http.ResponseWriter, r *http.Request, body []byte) {
	q := r.URL.Query()
	key := q.Get("key")
	fail, status := 1, http.StatusServiceUnavailable
	var err error
	if v := q.Get("fail"); v != "" {
		if fail, err = strconv.Atoi(v); err != nil || fail < 0 {
			http.Error(w, "fail: want a count", http.StatusBadRequest)
			return
		}
	}
	if v := q.Get("status"); v != "" {
		if status, err = strconv.Atoi(v); err != nil || status < 200 || status > 999 {
			http.Error(w, "status: want 200-999", http.StatusBadRequest)
			return
		}
	}
	if key == "" {
		http.Error(w, "key is required", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	if s.flaky == nil {
		s.flaky = map[string]int{}
	}
	s.flaky[key]++
	n := s.flaky[key]
	s.mu.Unlock()
	if n > fail {
		writeEcho(w, r, body, http.StatusOK)
		return
	}
	if q.Has("retry_after") {
		w.Header().Set("Retry-After", q.Get("retry_after"))
	}
	if q.Has("cookie") {
		w.Header().Add("Set-Cookie", q.Get("cookie"))
	}
	writeEcho(w, r, body, status)
}

// Requests returns a copy of every request received so far, oldest first.
func (s *Server) Requests() []Recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Recorded, len(s.log))
	for i := range s.log {
		out[i] = s.log[i].Recorded
	}
	return out
}

// Entries returns a copy of every request received so far with its label,
// sequence and connection numbers, oldest first.
func (s *Server) Entries() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log)
}

// Last returns the last request received; ok is false if there is none.
func (s *Server) Last() (rec Recorded, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.log) == 0 {
		return Recorded{}, false
	}
	return s.log[len(s.log)-1].Recorded, true
}

// Mark labels the requests that arrive from now on (see [Entry.Label]), so
// that a test can tell which of its steps sent which request. Requests of
// one label must not overlap those of another: Mark is for tests that send
// one step at a time.
func (s *Server) Mark(label string) {
	s.mu.Lock()
	s.label = label
	s.mu.Unlock()
}

// Reset forgets the requests received so far, the label and the flaky
// route's counts.
func (s *Server) Reset() {
	s.mu.Lock()
	s.log, s.label, s.flaky = nil, "", nil
	s.mu.Unlock()
}

// Conns returns how many TCP connections the server has accepted.
func (s *Server) Conns() int64 { return s.conns.Load() }

// LocalhostURL is the server's URL with the host name "localhost" in place
// of 127.0.0.1: the same server under another host name, for cross-host
// tests.
func (s *Server) LocalhostURL() string {
	return strings.Replace(s.URL, "127.0.0.1", "localhost", 1)
}
