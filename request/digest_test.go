package request_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/mccutchen/go-httpbin/v2/httpbin"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/request"
)

// countingHandler counts the requests h serves.
type countingHandler struct {
	h http.Handler
	n atomic.Int64
}

func (c *countingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.n.Add(1)
	c.h.ServeHTTP(w, r)
}

// TestDigestAuthHTTPBin: against go-httpbin, a call answers the challenge
// once (two requests), the session's next call reuses the nonce (one
// request), a wrong password ends in the 401.
func TestDigestAuthHTTPBin(t *testing.T) {
	t.Parallel()
	for _, alg := range []string{"MD5", "SHA-256"} {
		t.Run(alg, func(t *testing.T) {
			t.Parallel()
			h := &countingHandler{h: httpbin.New()}
			srv := httptest.NewServer(h)
			defer srv.Close()
			s := client.New().SetAuth(request.DigestAuth{Username: "user", Password: "pass"})
			defer s.Close()
			u := srv.URL + "/digest-auth/auth/user/pass/" + alg
			var hooks []int
			for i, want := range []int64{2, 1, 1} {
				before := h.n.Load()
				r, err := s.Get(u).OnResponse(func(r *request.Response) error {
					hooks = append(hooks, r.StatusCode())
					return nil
				}).Do(context.Background())
				if err != nil || r.StatusCode() != 200 {
					t.Fatalf("call %d: %v %v", i, r, err)
				}
				if got := h.n.Load() - before; got != want {
					t.Errorf("call %d sent %d requests, want %d", i, got, want)
				}
				if i == 0 && (len(r.History()) != 1 || r.History()[0].StatusCode() != 401) {
					t.Errorf("call 0: history %v, want the 401", r.History())
				}
			}
			if diff := cmp.Diff([]int{200, 200, 200}, hooks); diff != "" {
				t.Errorf("hooks saw (-want +got):\n%s", diff)
			}
			r, err := request.Get(u).Auth(request.DigestAuth{Username: "user", Password: "wrong"}).Do(context.Background())
			if err != nil || r.StatusCode() != 401 {
				t.Errorf("wrong password: %v %v", r, err)
			}
		})
	}
}

// TestDigestAuthReplaysBody: the answer re-sends the body; each algorithm
// of RFC 7616 reaches the server in the answer.
func TestDigestAuthReplaysBody(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		alg := r.URL.Query().Get("alg")
		auth := r.Header.Get("Authorization")
		mu.Lock()
		got = append(got, string(body)+" "+strings.Fields(auth + " none")[0])
		mu.Unlock()
		if !strings.Contains(auth, `algorithm=`+alg) && !strings.Contains(auth, `algorithm="`+alg+`"`) {
			w.Header().Set("WWW-Authenticate", `Digest realm="r", nonce="n1", qop="auth", algorithm=`+alg)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	for _, alg := range []string{"MD5", "MD5-sess", "SHA-256", "SHA-256-sess", "SHA-512-256", "SHA-512-256-sess"} {
		mu.Lock()
		got = nil
		mu.Unlock()
		r, err := request.Post(srv.URL + "/p?alg=" + alg).BodyBytes([]byte("payload")).
			Auth(request.DigestAuth{Username: "u", Password: "p"}).Do(context.Background())
		if err != nil || r.StatusCode() != 200 {
			t.Fatalf("%s: %v %v", alg, r, err)
		}
		if diff := cmp.Diff([]string{"payload none", "payload Digest"}, got); diff != "" {
			t.Errorf("%s: requests (-want +got):\n%s", alg, diff)
		}
	}
}

// TestDigestAuthOneShotBody: a challenge to a hop whose body cannot be
// sent again is ErrBodyNotReplayable, as for a redirect (requests re-sends
// an empty body); the challenge is kept, so the session's next call
// answers at once.
func TestDigestAuthOneShotBody(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		auth := r.Header.Get("Authorization")
		mu.Lock()
		got = append(got, r.Method+" "+string(body)+" "+strings.Fields(auth + " none")[0])
		mu.Unlock()
		if !strings.HasPrefix(auth, "Digest ") {
			w.Header().Set("WWW-Authenticate", `Digest realm="r", nonce="n1", qop="auth"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	s := client.New().SetAuth(request.DigestAuth{Username: "u", Password: "p"})
	defer s.Close()
	_, err := s.Post(srv.URL).Body(iotest.HalfReader(strings.NewReader("payload"))).Do(context.Background())
	if !errors.Is(err, request.ErrBodyNotReplayable) {
		t.Fatalf("Do error = %v, want ErrBodyNotReplayable", err)
	}
	r, err := s.Post(srv.URL).Body(iotest.HalfReader(strings.NewReader("again"))).Do(context.Background())
	if err != nil || r.StatusCode() != 200 {
		t.Fatalf("next call: %v %v", r, err)
	}
	if diff := cmp.Diff([]string{"POST payload none", "POST again Digest"}, got); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

// TestDigestNotAheadOverHTTP: a challenge learnt over https is not
// answered ahead on a redirect to http at the same host and port
// (requests strips the header there and answers the new challenge).
func TestDigestNotAheadOverHTTP(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var plain []string // the Authorization scheme each plain-http request had
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		if r.TLS == nil {
			mu.Lock()
			plain = append(plain, strings.Fields(auth + " none")[0])
			mu.Unlock()
		}
		if !strings.HasPrefix(auth, "Digest ") {
			w.Header().Set("WWW-Authenticate", `Digest realm="r", nonce="n1", qop="auth"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if r.TLS != nil && r.URL.Path == "/down" {
			http.Redirect(w, r, "http://"+r.Host+"/x", http.StatusFound)
			return
		}
		io.WriteString(w, "ok")
	})
	// One port, both schemes: the listener tells a TLS ClientHello from a
	// plain request by its first byte.
	certs := httptest.NewTLSServer(http.NotFoundHandler())
	serverTLS, clientTLS := certs.TLS, certs.Client().Transport.(*http.Transport).TLSClientConfig
	certs.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: handler, ErrorLog: log.New(io.Discard, "", 0)}
	go srv.Serve(bothSchemes{Listener: ln, cfg: serverTLS})
	t.Cleanup(func() { _ = srv.Close() })
	host := ln.Addr().String()

	s := client.New(client.WithTLSConfig(clientTLS)).SetAuth(request.DigestAuth{Username: "u", Password: "p"})
	defer s.Close()
	if r, err := s.Get("https://" + host + "/learn").Do(context.Background()); err != nil || r.StatusCode() != 200 {
		t.Fatalf("learning call: %v %v", r, err)
	}
	r, err := s.Get("https://" + host + "/down").Do(context.Background())
	if err != nil || r.StatusCode() != 200 {
		t.Fatalf("Do: %v %v", r, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if diff := cmp.Diff([]string{"none", "Digest"}, plain); diff != "" {
		t.Errorf("the http hop's Authorization (-want +got):\n%s", diff)
	}
}

// bothSchemes accepts TLS and plain connections on one listener.
type bothSchemes struct {
	net.Listener
	cfg *tls.Config
}

func (l bothSchemes) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	br := bufio.NewReader(c)
	first, err := br.Peek(1)
	pc := peekedConn{Conn: c, r: br}
	if err == nil && first[0] == 0x16 { // a TLS handshake record
		return tls.Server(pc, l.cfg), nil
	}
	return pc, nil
}

type peekedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c peekedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// TestDigestOnlyWhereCalled: requests' HTTPDigestAuth answers a 401 from
// any host a redirect leads to; tether answers only on the host and port
// the call was made to, as it strips Basic credentials there.
func TestDigestOnlyWhereCalled(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var other []string
	otherSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		other = append(other, strings.Fields(r.Header.Get("Authorization") + " none")[0])
		mu.Unlock()
		w.Header().Set("WWW-Authenticate", `Digest realm="r", nonce="n2", qop="auth"`)
		w.WriteHeader(http.StatusUnauthorized)
	}))
	t.Cleanup(otherSrv.Close)
	start := httptest.NewServer(http.RedirectHandler(otherSrv.URL+"/d", http.StatusFound))
	t.Cleanup(start.Close)
	r, err := request.Get(start.URL).Auth(request.DigestAuth{Username: "u", Password: "p"}).Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r.StatusCode() != http.StatusUnauthorized || len(r.History()) != 1 {
		t.Errorf("got %v with %d responses before it, want the other host's 401 after the 302", r, len(r.History()))
	}
	mu.Lock()
	defer mu.Unlock()
	if diff := cmp.Diff([]string{"none"}, other); diff != "" {
		t.Errorf("the other host got (-want +got):\n%s", diff)
	}
}
