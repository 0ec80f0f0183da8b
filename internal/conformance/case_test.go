package conformance

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCheckBodies checks that LoadCases rejects body steps that cannot run
// or would not mean what they say.
func TestCheckBodies(t *testing.T) {
	for name, tc := range map[string]struct {
		step    string
		wantErr string // "" for a valid step
	}{
		"files":               {`{"method": "POST", "url": "{H1}/echo", "form": [["a", "1"]], "files": [{"field": "f", "filename": "", "content": "x"}]}`, ""},
		"body route":          {`{"method": "GET", "url": "{H1}/_testserver/body", "respond": {"body": "x"}, "stream": true, "iter_lines": {"delimiter": null}}`, ""},
		"null filename":       {`{"method": "POST", "url": "{H1}/echo", "files": [{"field": "f", "filename": null, "content": "x"}]}`, "cannot be expressed"},
		"files and data":      {`{"method": "POST", "url": "{H1}/echo", "data": "x", "files": [{"field": "f", "filename": "a", "content": "x"}]}`, "exclusive"},
		"both contents":       {`{"method": "POST", "url": "{H1}/echo", "files": [{"field": "f", "filename": "a", "content": "x", "content_b64": "eA=="}]}`, "exclusive"},
		"path filename":       {`{"method": "POST", "url": "{H1}/echo", "files": [{"field": "f", "filename": "../a", "content": "x", "file_path": true}]}`, "plain file name"},
		"lines and text":      {`{"method": "GET", "url": "{H1}/get", "iter_lines": {"delimiter": null}, "text": true}`, "consume the body"},
		"lines and chunks":    {`{"method": "GET", "url": "{H1}/get", "iter_lines": {"delimiter": null}, "iter_content": {"chunk_size": 1}}`, "exclusive"},
		"chunk size 0":        {`{"method": "GET", "url": "{H1}/get", "iter_content": {"chunk_size": 0}}`, "positive"},
		"empty delimiter":     {`{"method": "GET", "url": "{H1}/get", "iter_lines": {"delimiter": ""}}`, "empty delimiter"},
		"body off the route":  {`{"method": "GET", "url": "{H1}/get", "respond": {"body": "x"}}`, "need the URL path"},
		"body with a status":  {`{"method": "GET", "url": "{H1}/_testserver/body", "respond": {"body": "x", "status": 302}}`, "without status"},
		"data stream":         {`{"method": "POST", "url": "{H1}/post", "data": "x", "data_stream": true, "request_framing": true}`, ""},
		"stream without data": {`{"method": "POST", "url": "{H1}/post", "data_stream": true}`, "data_stream needs data"},
	} {
		t.Run(name, func(t *testing.T) {
			c := &Case{Name: "c", Ref: "r", Steps: []*Step{{}}}
			if err := json.Unmarshal([]byte(tc.step), c.Steps[0]); err != nil {
				t.Fatal(err)
			}
			err := c.check()
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("check: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("check: %v, want an error with %q", err, tc.wantErr)
			}
		})
	}
}

// TestCheckPipeline checks that LoadCases rejects hooks, retry policies
// and digest credentials that cannot run or would not mean what they say.
func TestCheckPipeline(t *testing.T) {
	for name, tc := range map[string]struct {
		session string
		step    string
		wantErr string // "" for a valid case
	}{
		"valid":              {`{"hooks": ["s1", "s2!"], "retry": {"attempts": 2, "statuses": [503]}, "digest": ["u", "p"]}`, `{"method": "GET", "url": "{H1}/get", "hooks": ["m1"], "no_retry": true, "attempts": true}`, ""},
		"step digest":        {`{}`, `{"method": "GET", "url": "{H1}/get", "digest": ["u", "p"], "retry": {"attempts": 1, "statuses": []}}`, ""},
		"digest and auth":    {`{"auth": ["u", "p"], "digest": ["u", "p"]}`, `{"method": "GET", "url": "{H1}/get"}`, "excludes auth"},
		"step digest arity":  {`{}`, `{"method": "GET", "url": "{H1}/get", "digest": ["u"]}`, "[user, password]"},
		"no attempts":        {`{"retry": {"attempts": 0, "statuses": [503]}}`, `{"method": "GET", "url": "{H1}/get"}`, "at least 1"},
		"no statuses":        {`{}`, `{"method": "GET", "url": "{H1}/get", "retry": {"attempts": 2}}`, "statuses are required"},
		"retry and no_retry": {`{}`, `{"method": "GET", "url": "{H1}/get", "retry": {"attempts": 2, "statuses": [503]}, "no_retry": true}`, "exclusive"},
		"bad hook name":      {`{"hooks": ["a b"]}`, `{"method": "GET", "url": "{H1}/get"}`, "hook name"},
		"bare bang":          {`{}`, `{"method": "GET", "url": "{H1}/get", "hooks": ["!"]}`, "hook name"},
	} {
		t.Run(name, func(t *testing.T) {
			c := &Case{Name: "c", Ref: "r", Steps: []*Step{{}}}
			if err := json.Unmarshal([]byte(tc.session), &c.Session); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(tc.step), c.Steps[0]); err != nil {
				t.Fatal(err)
			}
			err := c.check()
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("check: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("check: %v, want an error with %q", err, tc.wantErr)
			}
		})
	}
}

// TestCheckFlakyKeys checks that flaky URLs need keys and that a key
// belongs to one case, in the URL or a scripted Location.
func TestCheckFlakyKeys(t *testing.T) {
	step := func(u, loc string) *Step {
		st := &Step{Method: "GET", URL: u}
		if loc != "" {
			st.Respond = &Respond{Status: 302, Location: loc}
		}
		return st
	}
	used := map[string]string{}
	a := &Case{Name: "a", Steps: []*Step{
		step("{H1}/_testserver/flaky?key=k1", ""),
		step("{H1}/_testserver/flaky?key=k1&fail=2", ""), // one case may reuse its key
		step("{H1}/start", "/_testserver/flaky?key=k2"),
	}}
	if err := checkFlakyKeys(a, used); err != nil {
		t.Fatalf("case a: %v", err)
	}
	for name, tc := range map[string]struct {
		st      *Step
		wantErr string
	}{
		"other key":         {step("{H2}/_testserver/flaky?key=k3", ""), ""},
		"not flaky":         {step("{H1}/get?key=k1", ""), ""},
		"key of a":          {step("{H1}/_testserver/flaky?key=k1", ""), `already used by case a`},
		"location key of a": {step("{H1}/x", "{H1}/_testserver/flaky?key=k2"), `already used by case a`},
		"no key":            {step("{H1}/_testserver/flaky?fail=1", ""), "without key"},
		"location no key":   {step("{H1}/x", "/_testserver/flaky"), "without key"},
	} {
		t.Run(name, func(t *testing.T) {
			err := checkFlakyKeys(&Case{Name: "b-" + name, Steps: []*Step{tc.st}}, used)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("checkFlakyKeys: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("checkFlakyKeys: %v, want an error with %q", err, tc.wantErr)
			}
		})
	}
}

// TestCheckNetwork checks that LoadCases rejects environments, session
// proxies and call proxies that cannot run or would not mean what they say.
func TestCheckNetwork(t *testing.T) {
	for name, tc := range map[string]struct {
		c       string
		wantErr string // "" for a valid case
	}{
		"valid": {`{"env": [["HTTP_PROXY", "{P}"], ["no_proxy", "127.0.0.1"]], "netrc": "machine h login l password p\n",
			"session": {"trust_env": true, "proxies": [["http", "{P}"], ["all://localhost", "http://u:p@{Phost}"]]},
			"steps": [{"method": "GET", "url": "{H1}/get", "proxies": [["http", null]], "target": true}, {"method": "GET", "url": "{H1}/get", "proxies": [["all", "{P}"]]}]}`, ""},
		"env name":                  {`{"env": [["NETRC", "/x"]], "steps": [{"method": "GET", "url": "{H1}/get"}]}`, "env"},
		"env null":                  {`{"env": [["HTTP_PROXY", null]], "steps": [{"method": "GET", "url": "{H1}/get"}]}`, "env"},
		"session proxy null":        {`{"session": {"proxies": [["http", null]]}, "steps": [{"method": "GET", "url": "{H1}/get"}]}`, "session proxies"},
		"step proxies two":          {`{"steps": [{"method": "GET", "url": "{H1}/get", "proxies": [["http", "{P}"], ["all", ""]]}]}`, ""},
		"step proxies https":        {`{"steps": [{"method": "GET", "url": "{H1}/get", "proxies": [["https", "{P}"]]}]}`, ""},
		"step proxies no_proxy":     {`{"steps": [{"method": "GET", "url": "{H1}/get", "proxies": [["no_proxy", "localhost"]]}]}`, ""},
		"step proxies two, a null":  {`{"steps": [{"method": "GET", "url": "{H1}/get", "proxies": [["http", "{P}"], ["all", null]]}]}`, "one key"},
		"step proxies https null":   {`{"steps": [{"method": "GET", "url": "{H1}/get", "proxies": [["https", null]]}]}`, "one key"},
		"step proxies list":         {`{"steps": [{"method": "GET", "url": "{H1}/get", "proxies": [["http", ["{P}"]]]}]}`, "one key"},
		"step proxies list, https":  {`{"steps": [{"method": "GET", "url": "{H1}/get", "proxies": [["https", ["{P}"]]]}]}`, "one key"},
		"step proxies an empty key": {`{"steps": [{"method": "GET", "url": "{H1}/get", "proxies": [["", "{P}"], ["all", ""]]}]}`, "one key"},
		"step proxies not set":      {`{"steps": [{"method": "GET", "url": "{H1}/get"}]}`, ""},
	} {
		t.Run(name, func(t *testing.T) {
			c := &Case{Name: "c", Ref: "r"}
			if err := json.Unmarshal([]byte(tc.c), c); err != nil {
				t.Fatal(err)
			}
			err := c.check()
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("check: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("check: %v, want an error with %q", err, tc.wantErr)
			}
		})
	}
}

// TestNetworkSetup checks what a case needs, whether it runs alone, the
// environment it runs with and its concrete proxies.
func TestNetworkSetup(t *testing.T) {
	var c Case
	if err := json.Unmarshal([]byte(`{"name": "c", "ref": "r", "env": [["HTTP_PROXY", "http://u:p@{Phost}"]], "netrc": "machine 127.0.0.1 login l password p\n",
		"session": {"proxies": [["http", "{P}"]]},
		"steps": [{"method": "GET", "url": "{H6}/get", "proxies": [["http", "{P}"]]}, {"method": "GET", "url": "{H1}/get", "proxies": [["http", null]]}]}`), &c); err != nil {
		t.Fatal(err)
	}
	if ipv6, proxy := c.needs(); !ipv6 || !proxy {
		t.Errorf("needs = %v, %v; want true, true", ipv6, proxy)
	}
	if !c.isolated() {
		t.Error("a case with env is not isolated")
	}
	plain := Case{Steps: []*Step{{Method: "GET", URL: "{H1}/get"}}}
	if ipv6, proxy := plain.needs(); ipv6 || proxy || plain.isolated() {
		t.Errorf("a plain case: needs %v, %v, isolated %v", ipv6, proxy, plain.isolated())
	}
	trust := true
	plain.Session.TrustEnv = &trust
	if !plain.isolated() {
		t.Error("a trust_env case is not isolated")
	}

	h := Hosts{H1: "127.0.0.1:1", H2: "localhost:1", H3: "127.0.0.1:3", H6: "[::1]:6", P: "127.0.0.1:9"}
	dir := t.TempDir()
	env, err := c.environ(h, dir)
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]string{{"HTTP_PROXY", "http://u:p@127.0.0.1:9"}, {"NETRC", filepath.Join(dir, "netrc")}}
	if diff := cmp.Diff(want, env); diff != "" {
		t.Errorf("environ (-want +got):\n%s", diff)
	}
	if data, err := os.ReadFile(want[1][1]); err != nil || string(data) != c.Netrc {
		t.Errorf("netrc file: %q, %v", data, err)
	}
	if env, _ := plain.environ(h, dir); len(env) != 1 || env[0] != [2]string{"NETRC", filepath.Join(dir, "no-netrc")} {
		t.Errorf("environ without netrc = %v", env)
	}

	cc := c.concrete(h)
	if got := *cc.Session.Proxies[0].Value; got != "http://127.0.0.1:9" {
		t.Errorf("concrete session proxy %q", got)
	}
	if got := *cc.Env[0].Value; got != "http://u:p@127.0.0.1:9" {
		t.Errorf("concrete env %q", got)
	}
	if cc.Steps[0].URL != "http://[::1]:6/get" || *cc.Steps[0].Proxies[0].Value != "http://127.0.0.1:9" || !cc.Steps[1].Proxies[0].Null() {
		t.Errorf("concrete steps %q %v %v", cc.Steps[0].URL, cc.Steps[0].Proxies, cc.Steps[1].Proxies)
	}
	if *c.Session.Proxies[0].Value != "{P}" || *c.Steps[0].Proxies[0].Value != "{P}" {
		t.Error("concrete changed the case")
	}
}

func TestIsolatedEnviron(t *testing.T) {
	in := []string{"PATH=/bin", "HTTP_PROXY=http://x", "no_proxy=*", "NETRC=/home/n", "HOME=/h", "http_proxy_extra=1"}
	got := isolatedEnviron(in, "/tmp/none")
	want := []string{"PATH=/bin", "HOME=/h", "http_proxy_extra=1", "NETRC=/tmp/none"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("isolatedEnviron (-want +got):\n%s", diff)
	}
}
