package conformance

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCheckBodies checks that LoadCases rejects body steps that cannot run
// or would not mean what they say.
func TestCheckBodies(t *testing.T) {
	for name, tc := range map[string]struct {
		step    string
		wantErr string // "" for a valid step
	}{
		"files":              {`{"method": "POST", "url": "{H1}/echo", "form": [["a", "1"]], "files": [{"field": "f", "filename": "", "content": "x"}]}`, ""},
		"body route":         {`{"method": "GET", "url": "{H1}/_testserver/body", "respond": {"body": "x"}, "stream": true, "iter_lines": {"delimiter": null}}`, ""},
		"null filename":      {`{"method": "POST", "url": "{H1}/echo", "files": [{"field": "f", "filename": null, "content": "x"}]}`, "cannot be expressed"},
		"files and data":     {`{"method": "POST", "url": "{H1}/echo", "data": "x", "files": [{"field": "f", "filename": "a", "content": "x"}]}`, "exclusive"},
		"both contents":      {`{"method": "POST", "url": "{H1}/echo", "files": [{"field": "f", "filename": "a", "content": "x", "content_b64": "eA=="}]}`, "exclusive"},
		"path filename":      {`{"method": "POST", "url": "{H1}/echo", "files": [{"field": "f", "filename": "../a", "content": "x", "file_path": true}]}`, "plain file name"},
		"lines and text":     {`{"method": "GET", "url": "{H1}/get", "iter_lines": {"delimiter": null}, "text": true}`, "consume the body"},
		"lines and chunks":   {`{"method": "GET", "url": "{H1}/get", "iter_lines": {"delimiter": null}, "iter_content": {"chunk_size": 1}}`, "exclusive"},
		"chunk size 0":       {`{"method": "GET", "url": "{H1}/get", "iter_content": {"chunk_size": 0}}`, "positive"},
		"empty delimiter":    {`{"method": "GET", "url": "{H1}/get", "iter_lines": {"delimiter": ""}}`, "empty delimiter"},
		"body off the route": {`{"method": "GET", "url": "{H1}/get", "respond": {"body": "x"}}`, "need the URL path"},
		"body with a status": {`{"method": "GET", "url": "{H1}/_testserver/body", "respond": {"body": "x", "status": 302}}`, "without status"},
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
