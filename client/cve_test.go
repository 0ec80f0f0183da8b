package client_test

// Regression tests for the CVEs behind requests' proxies, verify and
// netrc handling (and the older redirect one), each on loopback with real
// servers: tether must not repeat them.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/request"
)

// CVE-2023-32681: requests leaked Proxy-Authorization to the origin of an
// https URL reached through a proxy (re-sent on a redirect). Proxy
// credentials go to the proxy, derived afresh for every hop, and never to
// an origin.
func TestCVE_2023_32681_ProxyAuthorizationNeverReachesAnOrigin(t *testing.T) {
	clearProxyEnv(t)
	clearCAEnv(t)
	r := newProxyRig(t)
	withCreds := strings.Replace(r.proxyURL, "http://", "http://puser:ppass@", 1)
	const pa = "Basic cHVzZXI6cHBhc3M=" // puser:ppass
	s := client.New().SetCABundle(certPEM(t, r.tlsOrigin)).SetProxy(withCreds)
	defer s.Close()

	tests := map[string]struct {
		b         request.Builder
		wantProxy []string
	}{
		"http through the proxy": {s.Get(r.origin.URL), []string{"GET " + pa}},
		"https through CONNECT":  {s.Get(r.tlsOrigin.URL), []string{"CONNECT " + pa}},
		"http redirected to https": {
			s.Get(r.origin.URL + "/to-tls?u=" + url.QueryEscape(r.tlsOrigin.URL+"/done")),
			[]string{"GET " + pa, "CONNECT " + pa},
		},
		"a caller's header, https": {s.Get(r.tlsOrigin.URL).Header("Proxy-Authorization", "Basic c3RvbGVu"), []string{"CONNECT " + pa}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s.Close() // a CONNECT per case
			r.mu.Lock()
			r.originAuth, r.proxyAuth = nil, nil
			r.mu.Unlock()
			if _, err := tc.b.Do(context.Background()); err != nil {
				t.Fatal(err)
			}
			for _, got := range r.originAuth {
				if got != "" {
					t.Errorf("an origin saw Proxy-Authorization %q", got)
				}
			}
			if diff := cmp.Diff(tc.wantProxy, r.proxyAuth); diff != "" {
				t.Errorf("the proxy saw (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("a caller's header with no proxy", func(t *testing.T) {
		r.mu.Lock()
		r.originAuth = nil
		r.mu.Unlock()
		direct := client.New()
		defer direct.Close()
		if _, err := direct.Get(r.origin.URL).Header("Proxy-Authorization", "Basic c3RvbGVu").Do(context.Background()); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{""}, r.originAuth); diff != "" {
			t.Errorf("the origin saw (-want +got):\n%s", diff)
		}
	})
}

// CVE-2024-35195: a requests session whose first call to a host had
// verify=False kept lending that unverified connection to later calls that
// verify. tether pools connections per TLS configuration.
func TestCVE_2024_35195_UnverifiedConnectionNotReused(t *testing.T) {
	clearCAEnv(t)
	srv := quietTLS(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	s := client.New()
	defer s.Close()
	if _, err := s.Get(srv.URL).Verify(false).Do(context.Background()); err != nil {
		t.Fatalf("Verify(false): %v", err)
	}
	_, err := s.Get(srv.URL).Do(context.Background())
	if !errors.Is(err, request.ErrTLS) {
		t.Fatalf("a verifying call after an unverified one: %v, want ErrTLS", err)
	}
	// And the other way round: a verified connection does not make an
	// unverified call verify (it simply gets its own connection).
	if _, err := s.Get(srv.URL).Verify(false).Do(context.Background()); err != nil {
		t.Errorf("Verify(false) again: %v", err)
	}
}

// CVE-2018-18074: requests sent Authorization on a redirect from https to
// http on the same host. The header is dropped when the scheme, host or
// port changes (except http to https on default ports).
func TestCVE_2018_18074_AuthorizationDroppedOnDowngrade(t *testing.T) {
	clearCAEnv(t)
	var seen []string
	plain := quietPlain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, "http "+r.Header.Get("Authorization"))
	}))
	defer plain.Close()
	tlsSrv := quietTLS(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, "https "+r.Header.Get("Authorization"))
		http.Redirect(w, r, plain.URL, http.StatusFound)
	}))
	defer tlsSrv.Close()
	s := client.New().SetVerify(false).SetBasicAuth("u", "p")
	defer s.Close()
	if _, err := s.Get(tlsSrv.URL).Do(context.Background()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"https Basic dTpw", "http "}, seen); diff != "" {
		t.Errorf("Authorization per hop (-want +got):\n%s", diff)
	}
}

// CVE-2024-47081: requests looked up netrc credentials for the wrong host
// given a crafted URL. tether looks up the exact host it dials: a URL that
// names a netrc machine before its real host, or a host that merely
// contains or ends with that machine's name, gets nothing from it.
func TestCVE_2024_47081_NetrcOnlyForTheExactHost(t *testing.T) {
	a := newAuthServer(t)
	port := a.URL[strings.LastIndexByte(a.URL, ':'):]
	path := filepath.Join(t.TempDir(), "netrc")
	if err := os.WriteFile(path, []byte("machine example.com login evil password leak\nmachine host login evil password leak\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("NETRC", path)
	s := client.New()
	defer s.Close()
	tests := map[string]struct{ url, want string }{
		// The URL's own userinfo "example.com:" is sent, as requests sends
		// it; example.com's netrc password is not.
		"machine name before the host": {"http://example.com:@localhost" + port + "/", "localhost Basic ZXhhbXBsZS5jb206"},
		"backslash trick":              {"http://localhost" + port + "\\@example.com/", ""},
		"host ending with the name":    {"http://localhost" + port + "/", "localhost "},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			a.take()
			_, err := s.Get(tc.url).Do(context.Background())
			got := a.take()
			for _, line := range got {
				if strings.Contains(line, "ZXZpbDpsZWFr") { // evil:leak
					t.Fatalf("netrc credentials of another host were sent: %v", got)
				}
			}
			if tc.want == "" {
				return // refused or sent elsewhere: what matters is no leak
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{tc.want}, got); diff != "" {
				t.Errorf("Authorization (-want +got):\n%s", diff)
			}
		})
	}
}

// CVE-2024-35195, per call: a call's CABundle or ClientCert gets
// connections of its own. A connection a server authorized by a client
// certificate never serves a call without it (or with another), one
// verified with some roots never serves a call that names others, and
// files that changed since a connection was made get new connections;
// calls that name the same, unchanged files share theirs. The same holds
// on a session and without one.
func TestCVE_2024_35195_PerCallTLSConnectionsApart(t *testing.T) {
	clearCAEnv(t)
	pool, certFile, keyFile := clientCertFiles(t)
	srv := newCertServer(t, pool)
	bundle := certPEM(t, srv.Server)
	other := otherCA(t)
	_, untrustedCert, untrustedKey := clientCertFiles(t)
	// Copies the test rewrites with the untrusted certificate at the end.
	dir := t.TempDir()
	cert, key := filepath.Join(dir, "c.pem"), filepath.Join(dir, "c.key")
	copyFile := func(from, to string) {
		t.Helper()
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	copyFile(certFile, cert)
	copyFile(keyFile, key)
	rotate := func() {
		copyFile(untrustedCert, cert)
		copyFile(untrustedKey, key)
	}

	type step struct {
		name string
		b    func(get request.Builder) request.Builder
		want string // the server's answer, or "ErrTLS"
		dial bool   // a new connection was made
	}
	steps := []step{
		{"certificate", func(g request.Builder) request.Builder { return g.ClientCert(cert, key) }, "tether client", true},
		{"none after a certificate", func(g request.Builder) request.Builder { return g }, "none", true},
		{"certificate again, another builder", func(g request.Builder) request.Builder { return g.ClientCert(cert, key) }, "tether client", false},
		{"none again", func(g request.Builder) request.Builder { return g }, "none", false},
		{"other roots after verified calls", func(g request.Builder) request.Builder { return g.CABundle(other) }, "ErrTLS", true},
		{"Verify(false)", func(g request.Builder) request.Builder { return g.Verify(false) }, "none", true},
		{"verifying after Verify(false)", func(g request.Builder) request.Builder { return g }, "none", false},
		{"the files changed", func(g request.Builder) request.Builder { rotate(); return g.ClientCert(cert, key) }, "ErrTLS", true},
	}
	run := func(t *testing.T, get func() request.Builder) {
		copyFile(certFile, cert)
		copyFile(keyFile, key)
		var got, want []string
		for _, st := range steps {
			before := srv.conns.Load()
			r, err := st.b(get()).Do(context.Background())
			answer := ""
			switch {
			case errors.Is(err, request.ErrTLS):
				answer = "ErrTLS"
			case err != nil:
				answer = err.Error()
			default:
				answer = r.Text()
			}
			got = append(got, fmt.Sprintf("%s: %s, dialled %v", st.name, answer, srv.conns.Load() > before))
			want = append(want, fmt.Sprintf("%s: %s, dialled %v", st.name, st.want, st.dial))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("calls in turn (-want +got):\n%s", diff)
		}
	}
	t.Run("session", func(t *testing.T) {
		s := client.New().SetCABundle(bundle)
		defer s.Close()
		run(t, func() request.Builder { return s.Get(srv.URL) })
	})
	t.Run("no session", func(t *testing.T) {
		request.CloseIdleConnections()
		run(t, func() request.Builder { return request.Get(srv.URL).CABundle(bundle) })
	})
	t.Run("session certificate set again after the files changed", func(t *testing.T) {
		copyFile(certFile, cert)
		copyFile(keyFile, key)
		s := client.New().SetCABundle(bundle).SetClientCert(cert, key)
		defer s.Close()
		if r, err := s.Get(srv.URL).Do(context.Background()); err != nil || r.Text() != "tether client" {
			t.Fatalf("first certificate: %v, %v", r, err)
		}
		rotate()
		s.SetClientCert(cert, key) // the untrusted certificate now
		if _, err := s.Get(srv.URL).Do(context.Background()); !errors.Is(err, request.ErrTLS) {
			t.Errorf("after SetClientCert with the new files: %v, want ErrTLS (the new certificate, refused)", err)
		}
	})
}
