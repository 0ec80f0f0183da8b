package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// RequestsVersion is the requests release the golden files come from.
const RequestsVersion = "2.34.2"

// ErrNoOracle means python3 or requests is missing: the live comparison
// cannot run.
var ErrNoOracle = errors.New("conformance: python3 with requests is not available")

// OracleOutput is what oracle.py writes.
type OracleOutput struct {
	Requests string             `json:"requests"`
	Defaults map[string]string  `json:"defaults"`
	Cases    map[string][]Facts `json:"cases"`
}

type oraclePlan struct {
	Marks []string `json:"marks"`
	Cases []*Case  `json:"cases"`
}

// RunOracle runs every case through requests in one python3 process
// (script is oracle.py) against the rig, and returns the normalised result
// of each case by name; a case the rig cannot run (see [Rig.Runnable]) is
// left out. It returns an error matching ErrNoOracle if python3 or
// requests is missing, and the requests version it ran so that the caller
// can refuse another.
//
// The process runs without the machine's proxy variables and with NETRC
// naming a file that does not exist; each case's [Case.Env] and netrc file
// are set in its os.environ while the case runs.
func RunOracle(ctx context.Context, script string, cases []*Case, rig *Rig) (map[string]*Result, string, error) {
	hosts := rig.Hosts()
	dir, err := os.MkdirTemp("", "conformance-oracle-")
	if err != nil {
		return nil, "", err
	}
	defer os.RemoveAll(dir)
	plan := oraclePlan{Marks: rig.urls()}
	var ran []*Case
	for i, c := range cases {
		if !rig.Runnable(c) {
			continue
		}
		cc := c.concrete(hosts)
		if c.isolated() {
			caseDir := filepath.Join(dir, strconv.Itoa(i))
			if err := os.Mkdir(caseDir, 0o700); err != nil {
				return nil, "", err
			}
			env, err := c.environ(hosts, caseDir)
			if err != nil {
				return nil, "", err
			}
			cc.Env = nil
			for _, kv := range env {
				v := kv[1]
				cc.Env = append(cc.Env, KV{Name: kv[0], Value: &v})
			}
		}
		plan.Cases = append(plan.Cases, cc)
		ran = append(ran, c)
	}
	in, err := json.Marshal(plan)
	if err != nil {
		return nil, "", err
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		return nil, "", fmt.Errorf("%w: %w", ErrNoOracle, err)
	}
	cmd := exec.CommandContext(ctx, python, script)
	cmd.Env = isolatedEnviron(os.Environ(), filepath.Join(dir, "no-netrc"))
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ee := (*exec.ExitError)(nil); errors.As(err, &ee) && ee.ExitCode() == 3 {
			return nil, "", fmt.Errorf("%w: %s", ErrNoOracle, strings.TrimSpace(stderr.String()))
		}
		return nil, "", fmt.Errorf("conformance: oracle: %w\n%s", err, stderr.String())
	}
	var out OracleOutput
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		return nil, "", fmt.Errorf("conformance: oracle output: %w", err)
	}
	n := newNormalizer(hosts, out.Defaults)
	recorded := entries(rig.servers()...)
	proxied := rig.proxyEntries()
	results := map[string]*Result{}
	for _, c := range ran {
		facts, ok := out.Cases[c.Name]
		if !ok || len(facts) != len(c.Steps) {
			return nil, out.Requests, fmt.Errorf("conformance: oracle gave %d step results for %s, want %d", len(facts), c.Name, len(c.Steps))
		}
		results[c.Name] = n.result(c, facts, recorded, proxied)
	}
	return results, out.Requests, nil
}

// ClearedEnv are the variables the suite removes from both sides'
// environment: every proxy variable and NETRC (which then names a file
// that does not exist).
var ClearedEnv = append(slices.Clone(EnvNames), "NETRC")

// isolatedEnviron returns environ without ClearedEnv and with NETRC set to
// netrc.
func isolatedEnviron(environ []string, netrc string) []string {
	var out []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(ClearedEnv, name) {
			out = append(out, kv)
		}
	}
	return append(out, "NETRC="+netrc)
}

// RunTetherResult runs c with tether against the rig, which it needs to
// itself while it runs, and returns the normalised result. The caller sets
// the environment of a case that reads it (Case.environ).
func RunTetherResult(ctx context.Context, c *Case, rig *Rig) (*Result, error) {
	hosts := rig.Hosts()
	facts, err := RunTether(ctx, c.concrete(hosts), rig)
	if err != nil {
		return nil, err
	}
	return newNormalizer(hosts, TetherDefaults).result(c, facts, entries(rig.servers()...), rig.proxyEntries()), nil
}
