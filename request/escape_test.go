package request

import (
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
)

// TestAppendQueryEscape: appendQueryEscape, writeQueryEscape and
// queryEscapedLen agree with
// url.QueryEscape on every byte and on random strings.
func TestAppendQueryEscape(t *testing.T) {
	check := func(s string) {
		t.Helper()
		want := url.QueryEscape(s)
		if got := string(appendQueryEscape([]byte("x"), s)); got != "x"+want {
			t.Errorf("appendQueryEscape(%q) = %q, want %q", s, got[1:], want)
		}
		var sb strings.Builder
		sb.WriteString("x")
		if writeQueryEscape(&sb, s); sb.String() != "x"+want {
			t.Errorf("writeQueryEscape(%q) = %q, want %q", s, sb.String()[1:], want)
		}
		if n := queryEscapedLen(s); n != len(want) {
			t.Errorf("queryEscapedLen(%q) = %d, want %d", s, n, len(want))
		}
	}
	for c := range 256 {
		check(string([]byte{byte(c)}))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		b := make([]byte, r.IntN(20))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		check(string(b))
	}
	check("")
	check("tether bench & a=b/c?d#e é")
}

// TestEncodeForm: formFields and encodeForm give url.Values.Encode's bytes,
// keys sorted and each key's values in their order.
func TestEncodeForm(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	keys := []string{"a", "b", "a b", "é", "z&", "", "A", "aa", "a.b"}
	vals := []string{"", "1", "x y", "&=+", "é", "%zz", "~-_."}
	for range 2000 {
		form := url.Values{}
		for range r.IntN(6) {
			k := keys[r.IntN(len(keys))]
			if r.IntN(5) == 0 {
				form[k] = nil // a key without values sends nothing
				continue
			}
			form[k] = append(form[k], vals[r.IntN(len(vals))])
		}
		if got, want := string(encodeForm(formFields(form))), form.Encode(); got != want {
			t.Fatalf("%v: encodeForm = %q, want %q", form, got, want)
		}
	}
}
