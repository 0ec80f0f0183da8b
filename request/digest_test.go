package request_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

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
