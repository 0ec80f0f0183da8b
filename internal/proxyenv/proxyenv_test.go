package proxyenv

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// envResult is what one envCase gives, from Go or from requests.
type envResult struct {
	Environ Map     `json:"environ_proxies"`
	Bypass  bool    `json:"bypass"`
	Select  *string `json:"select"`
	Resolve Map     `json:"resolve"`
}

func (c envCase) run(t *testing.T) envResult {
	t.Helper()
	u, err := url.Parse(c.url)
	if err != nil {
		t.Fatalf("url.Parse(%q): %v", c.url, err)
	}
	e := ReadEnv(c.env)
	if c.noProxy != nil {
		e = e.WithNoProxy(*c.noProxy)
	}
	var r envResult
	r.Environ = e.Proxies(u)
	r.Bypass = e.Bypass(u)
	if v, ok := c.proxies.Lookup(u); ok {
		r.Select = &v
	}
	// resolve_proxies reads no_proxy from the map, never from an argument.
	r.Resolve = ReadEnv(c.env).Resolve(u, c.proxies)
	return r
}

func TestStated(t *testing.T) {
	for _, c := range envCases {
		t.Run(c.name, func(t *testing.T) {
			got := c.run(t)
			if c.bypass != nil {
				if diff := cmp.Diff(*c.bypass, got.Bypass); diff != "" {
					t.Errorf("Bypass (-want +got):\n%s", diff)
				}
			}
			if c.environ != nil {
				if diff := cmp.Diff(c.environ, got.Environ); diff != "" {
					t.Errorf("Proxies (-want +got):\n%s", diff)
				}
			}
			if c.selects != nil {
				want := c.selects
				if *want == *none {
					want = nil
				}
				if diff := cmp.Diff(want, got.Select); diff != "" {
					t.Errorf("Lookup (-want +got):\n%s", diff)
				}
			}
			if c.resolve != nil {
				if diff := cmp.Diff(c.resolve, got.Resolve); diff != "" {
					t.Errorf("Resolve (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestParseProxyURL(t *testing.T) {
	for _, c := range proxyURLCases {
		t.Run(c.value, func(t *testing.T) {
			u, err := ParseProxyURL(c.value)
			got := "error"
			if err == nil {
				got = u.String()
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("ParseProxyURL(%q) (-want +got):\n%s\nerr: %v", c.value, diff, err)
			}
		})
	}
}

func TestSelect(t *testing.T) {
	u := func(s string) *url.URL {
		v, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name    string
		m       Map
		url     string
		want    string // the proxy's String(), "" for none
		wantErr error
	}{
		{name: "scheme", m: Map{"http": "proxy.test:3128"}, url: "http://a.test/", want: "http://proxy.test:3128"},
		{name: "none", m: Map{"https": "proxy.test:3128"}, url: "http://a.test/"},
		{name: "nil map", url: "http://a.test/"},
		{name: "empty value is direct", m: Map{"http": "", "all": "proxy.test"}, url: "http://a.test/"},
		{name: "host without a scheme reads as a scheme", m: Map{"all": "localhost:3128"}, url: "http://a.test/", wantErr: ErrInvalidProxyURL},
		{name: "unknown scheme", m: Map{"all": "ftp://proxy.test"}, url: "http://a.test/", wantErr: ErrProxySchemeUnknown},
		{name: "socks5h", m: Map{"all": "socks5h://u:p@proxy.test:1080"}, url: "https://a.test/", want: "socks5h://u:p@proxy.test:1080"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := tt.m.Select(u(tt.url))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Select error = %v, want %v", err, tt.wantErr)
			}
			got := ""
			if p != nil {
				got = p.String()
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Select (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadEnv(t *testing.T) {
	tests := []struct {
		name    string
		environ []string
		want    Map
	}{
		{name: "empty", want: Map{}},
		{name: "first of a repeated name counts", environ: []string{"HTTP_PROXY=a", "HTTP_PROXY=b"}, want: Map{"http": "a"}},
		{name: "a string without = is ignored", environ: []string{"HTTP_PROXY", "HTTPS_PROXY=b"}, want: Map{"https": "b"}},
		{name: "a value may hold =", environ: []string{"HTTP_PROXY=http://p/?a=b"}, want: Map{"http": "http://p/?a=b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, ReadEnv(tt.environ).ProxyVars()); diff != "" {
				t.Errorf("ProxyVars (-want +got):\n%s", diff)
			}
		})
	}
	var zero Env
	if diff := cmp.Diff(Map{}, zero.ProxyVars()); diff != "" {
		t.Errorf("zero Env (-want +got):\n%s", diff)
	}
}

func TestInetAton(t *testing.T) {
	tests := []struct {
		in   string
		want string // dotted quad or "-"
	}{
		{"127.0.0.1", "127.0.0.1"},
		{"127.1", "127.0.0.1"},
		{"10.1.2", "10.1.0.2"},
		{"2130706433", "127.0.0.1"},
		{"0x7f.0.0.1", "127.0.0.1"},
		{"0X7F.1", "127.0.0.1"},
		{"0177.1", "127.0.0.1"},
		{"1.2.3.4 trailing", "1.2.3.4"},
		{"1.2.3.4\tx", "1.2.3.4"},
		{"08.1.1.1", "-"},
		{"0x.1.1.1", "-"},
		{"256.1.1.1", "-"},
		{"1.2.3.256", "-"},
		{"1.2.65536", "-"},
		{"1.2.65535", "1.2.255.255"},
		{"4294967296", "-"},
		{"4294967295", "255.255.255.255"},
		{"1.2.3.4.5", "-"},
		{"1..2", "-"},
		{"1.2.3.", "-"},
		{"", "-"},
		{" 1.2.3.4", "-"},
		{"+1.2.3.4", "-"},
		{"1.2.3.4x", "-"},
		{"::1", "-"},
		{"99999999999999999999999", "-"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := "-"
			if a, ok := inetAton(tt.in); ok {
				got = strings.Join([]string{itoa(int(a >> 24)), itoa(int(a >> 16 & 0xff)), itoa(int(a >> 8 & 0xff)), itoa(int(a & 0xff))}, ".")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("inetAton(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// oracleResult is what testdata/oracle.py writes.
type oracleResult struct {
	EnvCases []struct {
		Environ attempt[Map]     `json:"environ_proxies"`
		Bypass  attempt[bool]    `json:"bypass"`
		Select  attempt[*string] `json:"select"`
		Resolve attempt[Map]     `json:"resolve"`
	} `json:"env_cases"`
	ProxyURLs []attempt[*pyProxyURL] `json:"proxy_urls"`
}

type attempt[T any] struct {
	Value T      `json:"value"`
	Error string `json:"error"`
}

type pyProxyURL struct {
	Scheme   string `json:"scheme"`
	Host     string `json:"host"`
	User     string `json:"user"`
	Password string `json:"password"`
}

// runOracle asks requests about every case in one python3 process.
func runOracle(t *testing.T) oracleResult {
	t.Helper()
	if out, err := exec.Command("python3", "-c", "import requests").CombinedOutput(); err != nil {
		t.Skipf("no python3 with requests to compare against: %v: %s", err, out)
	}
	type pyEnvCase struct {
		Env     [][2]string `json:"env"`
		URL     string      `json:"url"`
		NoProxy *string     `json:"no_proxy"`
		Proxies Map         `json:"proxies"`
	}
	var in struct {
		EnvCases  []pyEnvCase `json:"env_cases"`
		ProxyURLs []string    `json:"proxy_urls"`
	}
	for _, c := range envCases {
		pc := pyEnvCase{URL: c.url, NoProxy: c.noProxy, Proxies: c.proxies, Env: [][2]string{}}
		for _, kv := range c.env {
			k, v, _ := strings.Cut(kv, "=")
			pc.Env = append(pc.Env, [2]string{k, v})
		}
		in.EnvCases = append(in.EnvCases, pc)
	}
	for _, c := range proxyURLCases {
		in.ProxyURLs = append(in.ProxyURLs, c.value)
	}
	stdin, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("python3", "testdata/oracle.py")
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle: %v\n%s", err, stderr.String())
	}
	var res oracleResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("oracle output: %v\n%s", err, out)
	}
	if len(res.EnvCases) != len(envCases) || len(res.ProxyURLs) != len(proxyURLCases) {
		t.Fatalf("oracle answered %d+%d cases, want %d+%d", len(res.EnvCases), len(res.ProxyURLs), len(envCases), len(proxyURLCases))
	}
	return res
}

func TestDifferential(t *testing.T) {
	res := runOracle(t)
	t.Run("env", func(t *testing.T) {
		for i, c := range envCases {
			py := res.EnvCases[i]
			t.Run(c.name, func(t *testing.T) {
				for what, e := range map[string]string{"get_environ_proxies": py.Environ.Error, "should_bypass_proxies": py.Bypass.Error, "select_proxy": py.Select.Error, "resolve_proxies": py.Resolve.Error} {
					if e != "" {
						t.Fatalf("requests raised in %s: %s", what, e)
					}
				}
				want := envResult{Environ: py.Environ.Value, Bypass: py.Bypass.Value, Select: py.Select.Value, Resolve: py.Resolve.Value}
				if diff := cmp.Diff(want, c.run(t)); diff != "" {
					t.Errorf("env %q url %q no_proxy %v proxies %v (-requests +tether):\n%s", c.env, c.url, c.noProxy, c.proxies, diff)
				}
			})
		}
	})
	t.Run("proxy_url", func(t *testing.T) {
		for i, c := range proxyURLCases {
			py := res.ProxyURLs[i]
			t.Run(c.value, func(t *testing.T) {
				var want *pyProxyURL
				if py.Error == "" {
					want = py.Value
				}
				var got *pyProxyURL
				if u, err := ParseProxyURL(c.value); err == nil {
					got = &pyProxyURL{Scheme: u.Scheme, Host: u.Host}
					if u.User != nil {
						got.User = u.User.Username()
						got.Password, _ = u.User.Password()
					}
				}
				if want != nil {
					// net/url holds an IPv6 zone unescaped; urllib3
					// unescapes it for http and https only.
					want.Host = strings.Replace(want.Host, "%25", "%", 1)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("ParseProxyURL(%q) (-requests +tether):\n%s\nrequests error: %s", c.value, diff, py.Error)
				}
			})
		}
	})
}
