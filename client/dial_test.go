package client_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// dialSetup is where one case of TestWithDialContext sends its call, and
// how its dial reaches the server.
type dialSetup struct {
	url        string
	proxy      string                                      // the session's SetProxy, or ""
	route      func(addr string) (network, address string) // where dial connects for addr
	srv        *testserver.Server                          // the server the call reaches
	wantDialed []string                                    // the addresses dial is given
	wantHost   string                                      // the Host the server records
	// dial, when set, runs before each connection is made, and fails it
	// with its error.
	dial func(ctx context.Context) error
}

// toLoopback routes host:port names to the same port on 127.0.0.1.
func toLoopback(addr string) (string, string) {
	_, port, _ := net.SplitHostPort(addr)
	return "tcp", net.JoinHostPort("127.0.0.1", port)
}

func portOf(t *testing.T, rawURL string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Port()
}

// TestWithDialContext: every connection of the session is opened by the
// caller's dial, given the host:port to reach (a proxy's, through one), and
// TLS, a call's Verify(false), proxies and ConnectTimeout apply above it.
func TestWithDialContext(t *testing.T) {
	t.Parallel()
	errNoRoute := errors.New("no route to that name")
	tests := map[string]struct {
		setup   func(t *testing.T) dialSetup
		post    bool // a POST, which is retried only for a connection never made
		call    func(request.Builder) request.Builder
		wantErr []error
	}{
		"a Unix socket": {
			setup: func(t *testing.T) dialSetup {
				srv, path := testserver.NewUnix(t)
				return dialSetup{
					url: "http://daemon/get", srv: srv,
					route:      func(string) (string, string) { return "unix", path },
					wantDialed: []string{"daemon:80"}, wantHost: "daemon",
				}
			},
		},
		"a fixed address for a host name": {
			setup: func(t *testing.T) dialSetup {
				srv := testserver.New(t)
				host := net.JoinHostPort("api.invalid", portOf(t, srv.URL))
				return dialSetup{
					url: "http://" + host + "/get", srv: srv, route: toLoopback,
					wantDialed: []string{host}, wantHost: host,
				}
			},
		},
		"TLS with a call's Verify(false)": {
			setup: func(t *testing.T) dialSetup {
				srv := testserver.NewTLS(t)
				host := net.JoinHostPort("tls.invalid", portOf(t, srv.URL))
				return dialSetup{
					url: "https://" + host + "/get", srv: srv, route: toLoopback,
					wantDialed: []string{host}, wantHost: host,
				}
			},
			call: func(b request.Builder) request.Builder { return b.Verify(false) },
		},
		"through a proxy, dial reaches the proxy": {
			setup: func(t *testing.T) dialSetup {
				srv, proxy := testserver.New(t), testserver.NewProxy(t)
				proxyHost := net.JoinHostPort("proxy.invalid", portOf(t, proxy.URL))
				return dialSetup{
					url: srv.URL + "/get", proxy: "http://" + proxyHost, srv: srv, route: toLoopback,
					wantDialed: []string{proxyHost}, wantHost: srv.Listener.Addr().String(),
				}
			},
		},
		"ConnectTimeout bounds dial": {
			setup: func(t *testing.T) dialSetup {
				srv := testserver.New(t)
				host := net.JoinHostPort("slow.invalid", portOf(t, srv.URL))
				return dialSetup{
					url: "http://" + host + "/get", srv: srv, route: toLoopback, wantDialed: []string{host},
					dial: func(ctx context.Context) error {
						<-ctx.Done() // a dial that hangs until the connect timeout ends it
						return ctx.Err()
					},
				}
			},
			// Long enough that a loaded machine reaches the dial before
			// the timeout ends the call; the dial waits it out anyway.
			call:    func(b request.Builder) request.Builder { return b.ConnectTimeout(250 * time.Millisecond) },
			wantErr: []error{request.ErrConnectTimeout, request.ErrConnection},
		},
		"dial's error is the cause": {
			setup: func(t *testing.T) dialSetup {
				srv := testserver.New(t)
				host := net.JoinHostPort("nowhere.invalid", portOf(t, srv.URL))
				return dialSetup{
					url: "http://" + host + "/get", srv: srv, route: toLoopback, wantDialed: []string{host},
					dial: func(context.Context) error { return errNoRoute },
				}
			},
			wantErr: []error{request.ErrConnection, errNoRoute},
		},
		"dial's error is retried as a connection never made": {
			setup: func(t *testing.T) dialSetup {
				srv := testserver.New(t)
				host := net.JoinHostPort("flaky.invalid", portOf(t, srv.URL))
				failed := false
				return dialSetup{
					url: "http://" + host + "/post", srv: srv, route: toLoopback,
					wantDialed: []string{host, host}, wantHost: host,
					dial: func(context.Context) error {
						if failed {
							return nil
						}
						failed = true
						return errNoRoute
					},
				}
			},
			post: true,
			call: func(b request.Builder) request.Builder { return b.Retry(request.Retry{Attempts: 2}) },
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			setup := tc.setup(t)
			var mu sync.Mutex
			var dialed []string
			dial := func(ctx context.Context, _, addr string) (net.Conn, error) {
				mu.Lock()
				dialed = append(dialed, addr)
				mu.Unlock()
				if setup.dial != nil {
					if err := setup.dial(ctx); err != nil {
						return nil, err
					}
				}
				network, address := setup.route(addr)
				var d net.Dialer
				return d.DialContext(ctx, network, address)
			}
			s := client.New(client.WithDialContext(dial)).SetTrustEnv(false).SetProxy(setup.proxy)
			defer s.Close()
			b := s.Get(setup.url)
			if tc.post {
				b = s.Post(setup.url)
			}
			if tc.call != nil {
				b = tc.call(b)
			}
			r, err := b.Do(context.Background())
			for _, want := range tc.wantErr {
				if !errors.Is(err, want) {
					t.Errorf("Do error = %v, want one matching %v", err, want)
				}
			}
			mu.Lock()
			if diff := cmp.Diff(setup.wantDialed, dialed); diff != "" {
				t.Errorf("addresses dialled (-want +got):\n%s", diff)
			}
			mu.Unlock()
			if tc.wantErr != nil {
				return
			}
			if err != nil || r.StatusCode() != http.StatusOK {
				t.Fatalf("Do: %v, %v", r, err)
			}
			last, ok := setup.srv.Last()
			if !ok || last.Host != setup.wantHost {
				t.Errorf("server got Host %q (any: %v), want %q", last.Host, ok, setup.wantHost)
			}
		})
	}
}

// TestWithDialContextAndTransport: a dial cannot apply to a transport the
// caller gave, which tether does not change: an ErrInvalidOption error
// from Err and Do, nothing sent.
func TestWithDialContextAndTransport(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	base := &http.Transport{}
	defer base.CloseIdleConnections()
	var d net.Dialer
	s := client.New(client.WithTransport(base), client.WithDialContext(d.DialContext))
	defer s.Close()
	if err := s.Err(); !errors.Is(err, request.ErrInvalidOption) {
		t.Errorf("Err() = %v, want ErrInvalidOption", err)
	}
	if _, err := s.Get(srv.URL + "/get").Do(context.Background()); !errors.Is(err, request.ErrInvalidOption) {
		t.Errorf("Do error = %v, want ErrInvalidOption", err)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent, want 0", n)
	}
}

// TestWithDialContextBadResult: a dial that breaks net.Dialer's contract,
// returning no connection and no error, or a connection with an error,
// fails the call with an ErrConnection error, through a session call and
// through Transport alike, and nothing is sent.
func TestWithDialContextBadResult(t *testing.T) {
	t.Parallel()
	tests := map[string]func(ctx context.Context, network, addr string) (net.Conn, error){
		"no connection and no error": func(context.Context, string, string) (net.Conn, error) { return nil, nil },
		"a typed nil connection and no error": func(context.Context, string, string) (net.Conn, error) {
			return (*net.TCPConn)(nil), nil
		},
		"a connection and an error": func(ctx context.Context, network, addr string) (net.Conn, error) {
			var d net.Dialer
			c, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return c, errors.New("refused after connecting")
		},
	}
	for name, dial := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testserver.New(t)
			s := client.New(client.WithDialContext(dial))
			defer s.Close()
			_, err := s.Get(srv.URL + "/get").NoRetry().Do(context.Background())
			req, rerr := http.NewRequest(http.MethodGet, srv.URL+"/get", nil)
			if rerr != nil {
				t.Fatal(rerr)
			}
			resp, terr := s.Transport().RoundTrip(req)
			if resp != nil {
				resp.Body.Close()
			}
			var op *net.OpError
			got := [3]bool{errors.Is(err, request.ErrConnection), errors.As(terr, &op), len(srv.Requests()) == 0}
			if diff := cmp.Diff([3]bool{true, true, true}, got); diff != "" {
				t.Errorf("[Do error is ErrConnection, Transport error is a *net.OpError, nothing sent] (-want +got):\n%s\nDo: %v\nTransport: %v", diff, err, terr)
			}
		})
	}
}
