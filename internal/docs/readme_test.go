package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var goBlock = regexp.MustCompile("(?s)```go\n(.*?)```")

// lines returns s's non-blank lines with surrounding white space removed.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// containsRun reports whether want appears in have as consecutive lines.
func containsRun(have, want []string) bool {
	for i := 0; i+len(want) <= len(have); i++ {
		match := true
		for j := range want {
			if have[i+j] != want[j] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// TestReadmeSnippetsAreExamples checks every ```go block of README.md
// against the Example files, which go test runs.
func TestReadmeSnippetsAreExamples(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("../../*/*example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	var examples [][]string
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		examples = append(examples, lines(string(src)))
	}
	if len(examples) == 0 {
		t.Fatal("no *example_test.go files found")
	}
	blocks := goBlock.FindAllStringSubmatch(string(readme), -1)
	if len(blocks) == 0 {
		t.Fatal("README.md has no ```go snippet: this test would check nothing")
	}
	for i, b := range blocks {
		want := lines(b[1])
		found := false
		for _, ex := range examples {
			if containsRun(ex, want) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("README snippet %d is in no Example file (client, request, jar *example_test.go):\n%s", i+1, b[1])
		}
	}
}
