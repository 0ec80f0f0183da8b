package textenc

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// pythonAvailable reports why the python3 oracle cannot be used, or nil.
var pythonAvailable = sync.OnceValue(func() error {
	out, err := exec.Command("python3", "-c", "import requests").CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v: %s", err, bytes.TrimSpace(out))
	}
	return nil
})

// pythonPrelude is prepended to every oracle script. Byte strings travel as
// base64 in both directions (Go's encoding/json encodes []byte so): b()
// decodes one (null, a nil slice, is empty); latin1() encodes a str that came
// from a header, where http.client read each byte as one Latin-1 character,
// and utf8() encodes decoded text (lone surrogates passed through).
const pythonPrelude = `
import base64, json, sys
import requests, requests.models, requests.utils
from requests.structures import CaseInsensitiveDict

def b(s):
    return base64.b64decode(s or "")

def latin1(s):
    return base64.b64encode(s.encode("latin-1")).decode("ascii")

def utf8(s):
    return base64.b64encode(s.encode("utf-8", "surrogatepass")).decode("ascii")

cases = json.load(sys.stdin)
`

// runPython runs the oracle script in one python3 process, with in as JSON
// on its standard input, and decodes the JSON it prints into out. The test
// is skipped when python3 cannot import requests.
func runPython(t *testing.T, script string, in, out any) {
	t.Helper()
	if err := pythonAvailable(); err != nil {
		t.Skipf("skipping differential test: python3 with requests is not available: %v", err)
	}
	input, err := json.Marshal(in)
	if err != nil {
		t.Fatalf("encoding oracle input: %v", err)
	}
	cmd := exec.Command("python3", "-c", pythonPrelude+script)
	cmd.Stdin = bytes.NewReader(input)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("python3 oracle: %v\n%s", err, strings.TrimSpace(stderr.String()))
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		t.Fatalf("decoding oracle output %q: %v", stdout.String(), err)
	}
}

// unbase64 decodes a base64 string the oracle used where JSON needs a string
// (a map key) rather than a []byte.
func unbase64(t *testing.T, s string) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("oracle output %q is not base64: %v", s, err)
	}
	return string(b)
}
