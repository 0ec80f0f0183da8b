package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/tether-http/tether/internal/testserver"
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
// (script is oracle.py) against srv1 (H1, H2) and srv3 (H3), and returns
// the normalised result of each case by name. It returns an error matching
// ErrNoOracle if python3 or requests is missing, and the requests version
// it ran so that the caller can refuse another.
func RunOracle(ctx context.Context, script string, cases []*Case, srv1, srv3 *testserver.Server) (map[string]*Result, string, error) {
	hosts := hostsOf(srv1, srv3)
	plan := oraclePlan{Marks: []string{srv1.URL, srv3.URL}}
	for _, c := range cases {
		plan.Cases = append(plan.Cases, c.concrete(hosts))
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
	recorded := entries(srv1, srv3)
	results := map[string]*Result{}
	for _, c := range cases {
		facts, ok := out.Cases[c.Name]
		if !ok || len(facts) != len(c.Steps) {
			return nil, out.Requests, fmt.Errorf("conformance: oracle gave %d step results for %s, want %d", len(facts), c.Name, len(c.Steps))
		}
		results[c.Name] = n.result(c, facts, recorded)
	}
	return results, out.Requests, nil
}

// RunTetherResult runs c with tether against its own two servers and
// returns the normalised result.
func RunTetherResult(ctx context.Context, c *Case, srv1, srv3 *testserver.Server) (*Result, error) {
	hosts := hostsOf(srv1, srv3)
	facts, err := RunTether(ctx, c.concrete(hosts), srv1, srv3)
	if err != nil {
		return nil, err
	}
	return newNormalizer(hosts, TetherDefaults).result(c, facts, entries(srv1, srv3)), nil
}

func hostsOf(srv1, srv3 *testserver.Server) Hosts {
	return Hosts{
		H1: strings.TrimPrefix(srv1.URL, "http://"),
		H2: strings.TrimPrefix(srv1.LocalhostURL(), "http://"),
		H3: strings.TrimPrefix(srv3.URL, "http://"),
	}
}
