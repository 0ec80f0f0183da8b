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
