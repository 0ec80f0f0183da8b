package urls

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFastWire: wherever fastWire decides, it gives forWire's answer.
func TestFastWire(t *testing.T) {
	inputs := []string{
		"http://127.0.0.1:8080/get?q=1", "https://example.com/", "http://example.com", "http://a.b-c.d:1/x#f",
		"http://example.com.:80/p", "http://ex.com:65535/", "http://ex.com:65536/", "http://ex.com:0/", "http://ex.com:080/",
		"http://Example.com/", "http://u:p@h/", "http://[::1]:80/", "http://h:/", "http://.h/", "http://a..b/", "HTTP://h/",
		"http://h\\\\x/", "http://h:8a/", "http://127.1/", "http://xn--nxasmq6b.com/", "http://h?x", "http://h#x", "http://h:99999999/",
	}
	for _, c := range prepareCases {
		inputs = append(inputs, c.raw)
	}
	checked := 0
	for _, in := range inputs {
		prepared, err := Prepare(in, "")
		if err != nil {
			prepared = in
		}
		for _, u := range []string{in, prepared} {
			fw, fn, ok := fastWire(u)
			if !ok {
				continue
			}
			checked++
			w, n, err := forWire(u, false)
			if err != nil {
				t.Errorf("fastWire(%q) accepted what forWire refuses: %v", u, err)
				continue
			}
			if diff := cmp.Diff([]any{w.Scheme, w.Host, w.Port, w.Target, n}, []any{fw.Scheme, fw.Host, fw.Port, fw.Target, fn}); diff != "" {
				t.Errorf("fastWire(%q) (-forWire +fastWire):\n%s", u, diff)
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d inputs took the fast path", checked)
	}
}
