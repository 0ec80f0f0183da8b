package client_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/request"
)

// TestCallProxies: a call's Proxies map (requests' proxies= on a call)
// decides every URL one of its keys matches, over the session's proxies
// and the environment; a URL none matches goes by the session's, then the
// environment's; its "no_proxy" replaces NO_PROXY, as in requests.
func TestCallProxies(t *testing.T) {
	clearProxyEnv(t)
	clearCAEnv(t)
	r := newProxyRig(t)
	m := func(kv ...string) map[string]string {
		out := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	proxies := func(p map[string]string) func(request.Builder) request.Builder {
		return func(b request.Builder) request.Builder { return b.Proxies(p) }
	}
	tests := map[string]struct {
		env       map[string]string
		session   func(s *client.Session)
		b         func(request.Builder) request.Builder
		noSession bool
		tls       bool
		want      string // forward, connect, socks or direct
	}{
		"scheme key":                 {b: proxies(m("http", r.proxyURL)), want: "forward"},
		"scheme key, https":          {b: proxies(m("https", r.proxyURL)), tls: true, want: "connect"},
		"all key, socks5":            {b: proxies(m("all", r.socksURL)), want: "socks"},
		"host key":                   {b: proxies(m("http://127.0.0.1", r.socksURL, "http", r.proxyURL)), want: "socks"},
		"all://host key":             {b: proxies(m("all://127.0.0.1", r.socksURL, "all", r.proxyURL)), want: "socks"},
		"host key with a port never": {b: proxies(m("http://127.0.0.1:1", r.socksURL)), want: "direct"},
		"no session":                 {noSession: true, b: proxies(m("http", r.proxyURL)), want: "forward"},
		"no key matches: direct":     {b: proxies(m("https", r.proxyURL)), want: "direct"},
		// Where no key of the call matches, the session's and the
		// environment's apply, as in requests.
		"other scheme leaves the session's":         {session: func(s *client.Session) { s.SetProxy(r.socksURL) }, b: proxies(m("https", r.proxyURL)), want: "socks"},
		"other host leaves the session's":           {session: func(s *client.Session) { s.SetProxies(m("http", r.socksURL)) }, b: proxies(m("http://localhost", r.proxyURL)), want: "socks"},
		"other scheme leaves the environment's":     {env: m("HTTP_PROXY", r.proxyURL), b: proxies(m("https", r.socksURL)), want: "forward"},
		"other scheme, session beats environment":   {env: m("HTTP_PROXY", r.proxyURL), session: func(s *client.Session) { s.SetProxies(m("http", r.socksURL)) }, b: proxies(m("https", r.proxyURL)), want: "socks"},
		"other scheme, trust_env off":               {env: m("HTTP_PROXY", r.proxyURL), session: func(s *client.Session) { s.SetTrustEnv(false) }, b: proxies(m("https", r.socksURL)), want: "direct"},
		"empty value beats the session":             {session: func(s *client.Session) { s.SetProxy(r.proxyURL) }, b: proxies(m("http", "")), want: "direct"},
		"empty value beats the environment":         {env: m("HTTP_PROXY", r.proxyURL), b: proxies(m("http", "", "https", r.socksURL)), want: "direct"},
		"scheme key beats the session's all":        {session: func(s *client.Session) { s.SetProxy(r.socksURL) }, b: proxies(m("http", r.proxyURL)), want: "forward"},
		"scheme key beats the environment's scheme": {env: m("HTTP_PROXY", r.socksURL), b: proxies(m("http", r.proxyURL)), want: "forward"},
		// Where a key matches, it is the call's: requests lets the
		// session's or the environment's more specific key win.
		"all beats the session's scheme key":      {session: func(s *client.Session) { s.SetProxies(m("http", r.socksURL)) }, b: proxies(m("all", r.proxyURL)), want: "forward"},
		"scheme key beats the session's host key": {session: func(s *client.Session) { s.SetProxies(m("http://127.0.0.1", r.socksURL)) }, b: proxies(m("http", r.proxyURL)), want: "forward"},
		"all beats the environment's scheme":      {env: m("HTTP_PROXY", r.socksURL), b: proxies(m("all", r.proxyURL)), want: "forward"},
		"all empty is NoProxy":                    {env: m("ALL_PROXY", r.socksURL), session: func(s *client.Session) { s.SetProxies(m("http://127.0.0.1", r.proxyURL)) }, b: proxies(m("all", "")), want: "direct"},
		// "no_proxy" replaces NO_PROXY for the environment's proxies only,
		// as requests reads it.
		"no_proxy bypasses the environment":          {env: m("HTTP_PROXY", r.proxyURL), b: proxies(m("no_proxy", "127.0.0.1")), want: "direct"},
		"no_proxy as a CIDR block":                   {env: m("ALL_PROXY", r.proxyURL), b: proxies(m("no_proxy", "example.com, 127.0.0.0/8")), want: "direct"},
		"no_proxy replaces NO_PROXY":                 {env: m("HTTP_PROXY", r.proxyURL, "NO_PROXY", "127.0.0.1"), b: proxies(m("no_proxy", "example.com")), want: "forward"},
		"empty no_proxy turns NO_PROXY off":          {env: m("HTTP_PROXY", r.proxyURL, "NO_PROXY", "127.0.0.1"), b: proxies(m("no_proxy", "")), want: "forward"},
		"no_proxy leaves the call's own keys":        {b: proxies(m("http", r.proxyURL, "no_proxy", "127.0.0.1")), want: "forward"},
		"no_proxy leaves the session's keys":         {session: func(s *client.Session) { s.SetProxies(m("http", r.proxyURL)) }, b: proxies(m("no_proxy", "127.0.0.1")), want: "forward"},
		"no_proxy with a port holds hosts, not URLs": {env: m("HTTP_PROXY", r.proxyURL), b: proxies(m("no_proxy", "localhost:1")), want: "forward"},
		// The builder's last proxy step wins; an empty map undoes the
		// earlier ones.
		"empty map keeps the session's": {session: func(s *client.Session) { s.SetProxy(r.socksURL) }, b: proxies(nil), want: "socks"},
		"empty map undoes NoProxy": {session: func(s *client.Session) { s.SetProxy(r.socksURL) },
			b: func(b request.Builder) request.Builder { return b.NoProxy().Proxies(map[string]string{}) }, want: "socks"},
		"Proxy after Proxies": {b: func(b request.Builder) request.Builder { return b.Proxies(m("http", r.socksURL)).Proxy(r.proxyURL) }, want: "forward"},
		"Proxies after Proxy": {b: func(b request.Builder) request.Builder { return b.Proxy(r.socksURL).Proxies(m("http", r.proxyURL)) }, want: "forward"},
		"Proxies after NoProxy": {session: func(s *client.Session) { s.SetProxy(r.socksURL) },
			b: func(b request.Builder) request.Builder { return b.NoProxy().Proxies(m("https", r.proxyURL)) }, want: "socks"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			clearProxyEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			u := r.origin.URL
			if tc.tls {
				u = r.tlsOrigin.URL
			}
			bundle := certPEM(t, r.tlsOrigin)
			b := request.Get(u).CABundle(bundle)
			if !tc.noSession {
				s := client.New().SetCABundle(bundle)
				defer s.Close()
				if tc.session != nil {
					tc.session(s)
				}
				b = s.Get(u)
			} else {
				request.CloseIdleConnections()
			}
			before := r.snapshot()
			resp, err := tc.b(b).Do(context.Background())
			if err != nil || resp.Text() != "origin" {
				t.Fatalf("Do: %v %v", resp, err)
			}
			if diff := cmp.Diff(tc.want, r.route(before)); diff != "" {
				t.Errorf("route (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCallProxiesEveryHop: a call's Proxies map is read again for every
// redirect hop's URL, as is what it leaves to the session and the
// environment.
func TestCallProxiesEveryHop(t *testing.T) {
	clearProxyEnv(t)
	clearCAEnv(t)
	r := newProxyRig(t)
	bundle := certPEM(t, r.tlsOrigin)
	localhost := strings.Replace(r.origin.URL, "127.0.0.1", "localhost", 1)
	type routes struct{ Forward, Connect, Socks, Direct int64 }
	tests := map[string]struct {
		env     map[string]string
		proxies map[string]string
		to      string // where the first hop redirects
		want    routes
	}{
		"http proxied, https direct": {
			proxies: map[string]string{"http": r.proxyURL, "https": ""}, to: r.tlsOrigin.URL,
			want: routes{Forward: 1, Direct: 1},
		},
		"http direct, https tunnelled": {
			proxies: map[string]string{"http": "", "https": r.proxyURL}, to: r.tlsOrigin.URL,
			want: routes{Connect: 1, Direct: 1},
		},
		"a host key for the first host only, the environment for the next": {
			env:     map[string]string{"HTTP_PROXY": r.socksURL},
			proxies: map[string]string{"http://127.0.0.1": r.proxyURL}, to: localhost,
			want: routes{Forward: 1, Socks: 1},
		},
		"no_proxy read for every hop": {
			env:     map[string]string{"HTTP_PROXY": r.proxyURL},
			proxies: map[string]string{"no_proxy": "localhost"}, to: localhost,
			want: routes{Forward: 1, Direct: 1},
		},
		// requests' rebuild_proxies would take HTTP_PROXY again for the
		// second hop of {'http': None}; an empty value here is the call's
		// for every hop.
		"an empty value for every hop": {
			env:     map[string]string{"HTTP_PROXY": r.proxyURL},
			proxies: map[string]string{"http": "", "no_proxy": ""}, to: localhost,
			want: routes{Direct: 2},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			clearProxyEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			s := client.New().SetCABundle(bundle)
			defer s.Close()
			before := r.snapshot()
			resp, err := s.Get(r.origin.URL + "/to-tls?u=" + url.QueryEscape(tc.to+"/end")).Proxies(tc.proxies).Do(context.Background())
			if err != nil || resp.Text() != "origin" || len(resp.History()) != 1 {
				t.Fatalf("Do: %v %v", resp, err)
			}
			after := r.snapshot()
			got := routes{Forward: after[0] - before[0], Connect: after[1] - before[1], Socks: after[2] - before[2]}
			// Every hop opened one connection to an origin: the proxy's
			// upstream (it keeps none), the tunnel, the SOCKS server's, or
			// tether's own.
			got.Direct = after[3] - before[3] - got.Forward - got.Connect - got.Socks
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("routes of the two hops (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCallProxiesErrors: a value that is not a proxy URL is an
// ErrInvalidOption error that names its key, and nothing is sent; a
// "no_proxy" value is hosts, never read as a URL.
func TestCallProxiesErrors(t *testing.T) {
	clearProxyEnv(t)
	r := newProxyRig(t)
	s := client.New()
	defer s.Close()
	tests := map[string]struct {
		proxies map[string]string
		wantMsg string // "": no error
	}{
		"ftp scheme":             {map[string]string{"http": "ftp://127.0.0.1:21"}, `proxies["http"]: tether: invalid option: proxy "ftp://127.0.0.1:21"`},
		"socks4 unspoken":        {map[string]string{"all": "socks4://127.0.0.1:1080"}, `proxies["all"]: tether: invalid option: proxy "socks4://127.0.0.1:1080": scheme "socks4"`},
		"no host":                {map[string]string{"https": "http://"}, `proxies["https"]: tether: invalid option: proxy "http://"`},
		"bad port":               {map[string]string{"http://h": "http://127.0.0.1:99999"}, `proxies["http://h"]: tether: invalid option: proxy "http://127.0.0.1:99999"`},
		"credentials redacted":   {map[string]string{"http": "ftp://user:secret@127.0.0.1"}, `proxy "ftp://127.0.0.1"`},
		"first bad key, sorted":  {map[string]string{"https": "ftp://b", "all": "ftp://a"}, `proxies["all"]`},
		"no_proxy is not a URL":  {map[string]string{"no_proxy": "::,localhost:1"}, ""},
		"an empty value is fine": {map[string]string{"http": ""}, ""},
	}
	for name, tc := range tests {
		for _, where := range []string{"session", "no session"} {
			t.Run(name+", "+where, func(t *testing.T) {
				b := s.Get(r.origin.URL)
				if where == "no session" {
					b = request.Get(r.origin.URL)
				}
				before := r.snapshot()
				_, err := b.Proxies(tc.proxies).Do(context.Background())
				if tc.wantMsg == "" {
					if err != nil {
						t.Fatal(err)
					}
					return
				}
				if !errors.Is(err, request.ErrInvalidOption) || !strings.Contains(err.Error(), tc.wantMsg) {
					t.Errorf("Do error = %v, want ErrInvalidOption with %q", err, tc.wantMsg)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Errorf("the error shows the proxy's password: %v", err)
				}
				if after := r.snapshot(); after != before {
					t.Errorf("something was dialled: %v, then %v", before, after)
				}
			})
		}
	}
}

// TestCallProxiesCopied: the builder keeps its own copy of the map.
func TestCallProxiesCopied(t *testing.T) {
	clearProxyEnv(t)
	r := newProxyRig(t)
	s := client.New()
	defer s.Close()
	p := map[string]string{"http": r.proxyURL}
	b := s.Get(r.origin.URL).Proxies(p)
	p["http"] = r.socksURL
	before := r.snapshot()
	if _, err := b.Do(context.Background()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("forward", r.route(before)); diff != "" {
		t.Errorf("route (-want +got):\n%s", diff)
	}
}
