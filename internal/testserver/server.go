package testserver

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
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
	Method   string      `json:"method"`
	Host     string      `json:"host"`
	Path     string      `json:"path"`
	RawQuery string      `json:"raw_query"`
	Header   http.Header `json:"headers"`
	// Cookies are the Cookie header's pairs in the order sent, "name=value".
	Cookies []string `json:"cookies"`
	Body    string   `json:"body"`
}

// Server is a running test server.
type Server struct {
	*httptest.Server

	mu    sync.Mutex
	log   []Recorded
	conns atomic.Int64
}

// Start starts a plain HTTP server on 127.0.0.1; call Close when done.
func Start() *Server { return start(false) }

// StartTLS starts an HTTPS server on 127.0.0.1 with httptest's certificate;
// use its Client().Transport's TLS config, or skip verification, to reach it.
func StartTLS() *Server { return start(true) }

// New starts a plain HTTP server that is closed when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	s := Start()
	t.Cleanup(s.Close)
	return s
}

// NewTLS starts an HTTPS server that is closed when the test ends.
func NewTLS(t testing.TB) *Server {
	t.Helper()
	s := StartTLS()
	t.Cleanup(s.Close)
	return s
}

func start(tls bool) *Server {
	s := &Server{}
	s.Server = httptest.NewUnstartedServer(s.handler())
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	if tls {
		s.StartTLS()
	} else {
		s.Start()
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
	mux.HandleFunc("/echo", echo)
	mux.HandleFunc("/echo/", echo)
	mux.Handle("/", bin)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		s.record(r, body)
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
	}
	for _, c := range r.Cookies() {
		rec.Cookies = append(rec.Cookies, c.Name+"="+c.Value)
	}
	s.mu.Lock()
	s.log = append(s.log, rec)
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

// Requests returns a copy of every request received so far, oldest first.
func (s *Server) Requests() []Recorded {
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
	return s.log[len(s.log)-1], true
}

// Reset forgets the requests received so far.
func (s *Server) Reset() {
	s.mu.Lock()
	s.log = nil
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
