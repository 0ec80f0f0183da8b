package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/tether-http/tether/internal/testserver"
)

var update = flag.Bool("update", false, "rewrite testdata/conformance/golden from the live requests oracle")

const (
	caseDir   = "../../testdata/conformance"
	goldenDir = "../../testdata/conformance/golden"
	script    = "oracle.py"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Golden is one golden file: requests' normalised results for an area.
type Golden struct {
	Requests string             `json:"requests"`
	Cases    map[string]*Result `json:"cases"`
}

// TestConformance runs every case through requests (live, when python3
// and requests are installed) and through tether, and compares both with
// the golden files.
func TestConformance(t *testing.T) {
	files, err := LoadCases(caseDir)
	if err != nil {
		t.Fatal(err)
	}
	cases := allCases(files)
	checkCoverage(t, cases)
	isolateEnv(t)

	golden := map[string]*Result{}
	for _, f := range files {
		g, err := readGolden(f.Area)
		if err != nil && !*update {
			t.Fatalf("%v (run make golden)", err)
		}
		if g == nil {
			continue
		}
		if g.Requests != RequestsVersion && !*update {
			t.Fatalf("golden %s comes from requests %s, want %s (run make golden)", f.Area, g.Requests, RequestsVersion)
		}
		for name, r := range g.Cases {
			golden[name] = r
		}
	}

	t.Run("requests", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
		defer cancel()
		rig := newRig(t, true, true)
		live, version, err := RunOracle(ctx, script, cases, rig)
		if errors.Is(err, ErrNoOracle) {
			if *update {
				t.Fatalf("cannot update golden files: %v", err)
			}
			t.Skipf("live oracle skipped, golden files not checked against requests: %v", err)
		}
		if err != nil {
			t.Fatal(err)
		}
		if version != RequestsVersion {
			if *update {
				t.Fatalf("requests %s installed; golden files are for %s", version, RequestsVersion)
			}
			t.Skipf("live oracle skipped: requests %s installed, golden files are for %s", version, RequestsVersion)
		}
		for _, c := range cases {
			if !rig.Runnable(c) {
				t.Logf("%s: cannot run here (no IPv6 loopback), its golden result is kept", c.Name)
				if g, ok := golden[c.Name]; ok {
					live[c.Name] = g
				}
			}
		}
		if *update {
			for _, f := range files {
				g := &Golden{Requests: version, Cases: map[string]*Result{}}
				for _, c := range f.Cases {
					if r, ok := live[c.Name]; ok {
						g.Cases[c.Name] = r
					}
				}
				if err := writeGolden(f.Area, g); err != nil {
					t.Fatal(err)
				}
			}
			golden = live
			return
		}
		for _, c := range cases {
			want, ok := golden[c.Name]
			if !ok {
				t.Errorf("%s: no golden result (run make golden)", c.Name)
				continue
			}
			if diff := cmp.Diff(want, live[c.Name]); diff != "" {
				t.Errorf("%s: golden result is stale, requests now gives (-golden +live):\n%s\nrun make golden", c.Name, diff)
			}
		}
		for name := range golden {
			if _, ok := live[name]; !ok {
				t.Errorf("golden result for %s, which is no case (run make golden)", name)
			}
		}
	})

	t.Run("tether", func(t *testing.T) {
		for _, c := range cases {
			t.Run(c.Name, func(t *testing.T) {
				// A case that reads the environment sets it with t.Setenv,
				// so it runs alone, before the parallel cases resume.
				if !c.isolated() {
					t.Parallel()
				}
				g, ok := golden[c.Name]
				if !ok {
					t.Fatal("no golden result (run make golden)")
				}
				want, err := applyDifferences(g, c.Differences)
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				ipv6, proxy := c.needs()
				rig := newRig(t, ipv6, proxy)
				if !rig.Runnable(c) {
					t.Skip("no IPv6 loopback here")
				}
				if c.isolated() {
					env, err := c.environ(rig.Hosts(), t.TempDir())
					if err != nil {
						t.Fatal(err)
					}
					for _, kv := range env {
						t.Setenv(kv[0], kv[1])
					}
				}
				got, err := RunTetherResult(ctx, c, rig)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("tether differs from requests (-requests +tether):\n%s", diff)
				}
			})
		}
	})
}

// exempt are the numbered cases of requests-semantics.md §5 the suite does
// not cover: none since the network area covers netrc (22).
var exempt = map[int]bool{}

var refNumber = regexp.MustCompile(`§5\.([0-9]+)`)

// checkCoverage checks the suite's size and that every numbered case of
// §5 and the seed have cases.
func checkCoverage(t *testing.T, cases []*Case) {
	t.Helper()
	if len(cases) < 60 {
		t.Errorf("%d cases, want at least 60", len(cases))
	}
	covered := map[int]bool{}
	seed := false
	for _, c := range cases {
		for _, m := range refNumber.FindAllStringSubmatch(c.Ref, -1) {
			n, _ := strconv.Atoi(m[1])
			covered[n] = true
		}
		seed = seed || c.Ref == "seed"
	}
	for n := 1; n <= 47; n++ {
		if !covered[n] && !exempt[n] {
			t.Errorf("requests-semantics.md §5.%d has no case", n)
		}
	}
	if !seed {
		t.Error("the seed's snippets have no case")
	}
}

// newRig starts the servers of a run: two always, the IPv6 one (if the
// host has an IPv6 loopback) and the proxy when asked.
func newRig(t *testing.T, ipv6, proxy bool) *Rig {
	t.Helper()
	r := &Rig{S1: testserver.New(t), S3: testserver.New(t)}
	if ipv6 {
		srv, err := testserver.NewIPv6(t)
		if err != nil {
			t.Logf("no IPv6 loopback: %v", err)
		}
		r.IPv6 = srv
	}
	if proxy {
		r.Proxy = testserver.NewProxy(t)
	}
	return r
}

// isolateEnv removes the machine's proxy variables from the test process
// for the test's duration and points NETRC at a file that does not exist,
// as RunOracle does for the oracle: cases read only the environment they
// set.
func isolateEnv(t *testing.T) {
	t.Helper()
	for _, name := range ClearedEnv {
		t.Setenv(name, "") // restores the old value when the test ends
		if err := os.Unsetenv(name); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("NETRC", filepath.Join(t.TempDir(), "no-netrc"))
}

func readGolden(area string) (*Golden, error) {
	data, err := os.ReadFile(filepath.Join(goldenDir, area+".json"))
	if err != nil {
		return nil, err
	}
	g := &Golden{}
	if err := json.Unmarshal(data, g); err != nil {
		return nil, fmt.Errorf("golden %s: %w", area, err)
	}
	return g, nil
}

func writeGolden(area string, g *Golden) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(g); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(goldenDir, area+".json"), buf.Bytes(), 0o644)
}
