package netrc

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// oracleScript runs requests.utils.get_netrc_auth(url) for each case, in
// one process. Input (stdin, JSON): [{"env": {...}, "url": "..."}]; the
// environment is replaced by env for NETRC and HOME before each call.
// Output: [{"auth": [login, password] or null, "raised": exception name}].
const oracleScript = `
import json, os, sys
import requests.utils

out = []
for c in json.load(sys.stdin):
    for k in ('NETRC', 'HOME'):
        os.environ.pop(k, None)
    os.environ.update(c['env'])
    try:
        r = requests.utils.get_netrc_auth(c['url'])
        out.append({'auth': list(r) if r is not None else None})
    except Exception as e:
        out.append({'raised': type(e).__name__})
json.dump(out, sys.stdout)
`

type oracleIn struct {
	Env map[string]string `json:"env"`
	URL string            `json:"url"`
}

type oracleOut struct {
	Auth   []string `json:"auth"`
	Raised string   `json:"raised"`
}

// requireRequests skips the test when python3 cannot import requests.
func requireRequests(t *testing.T) {
	t.Helper()
	if out, err := exec.Command("python3", "-c", "import requests").CombinedOutput(); err != nil {
		t.Skipf("skipping the comparison with requests: python3 -c 'import requests' failed: %v %s", err, out)
	}
}

// TestLookupMatchesRequests runs every lookup case through requests 2.34.2
// and through Path+Lookup with url.URL.Hostname(), on the same files.
func TestLookupMatchesRequests(t *testing.T) {
	requireRequests(t)
	cases := lookupCases()
	envs := make([]map[string]string, len(cases))
	in := make([]oracleIn, len(cases))
	for i, c := range cases {
		envs[i] = c.setup(t)
		in[i] = oracleIn{Env: envs[i], URL: c.url}
	}
	body, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("python3", "-c", oracleScript)
	cmd.Stdin = bytes.NewReader(body)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle: %v\n%s", err, stderr.String())
	}
	var outs []oracleOut
	if err := json.Unmarshal(raw, &outs); err != nil {
		t.Fatalf("oracle output: %v\n%s", err, raw)
	}
	if len(outs) != len(cases) {
		t.Fatalf("oracle gave %d results for %d cases", len(outs), len(cases))
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			py := outs[i]
			if diff := cmp.Diff(c.pythonRaises, py.Raised); diff != "" {
				t.Fatalf("requests raising for %q (-want +got):\n%s", c.url, diff)
			}
			var pyCreds creds
			if py.Auth != nil {
				pyCreds = auth(py.Auth[0], py.Auth[1])
			}
			wantPy := c.want
			if c.python != nil {
				wantPy = *c.python
			}
			if diff := cmp.Diff(wantPy, pyCreds); diff != "" {
				t.Errorf("requests for %q (-want +got):\n%s", c.url, diff)
			}
			got, err := goLookup(t, envs[i], c.url)
			if c.urlErr {
				if err == nil {
					t.Errorf("url.Parse(%q) succeeded, want an error", c.url)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.python == nil && c.pythonRaises == "" {
				if diff := cmp.Diff(pyCreds, got); diff != "" {
					t.Errorf("Lookup vs requests for %q (-requests +Lookup):\n%s", c.url, diff)
				}
			}
		})
	}
}
