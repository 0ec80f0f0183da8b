package core

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestParamsCopyOnWrite checks that Set and Del never write into the
// receiver's backing array, even when it has spare capacity.
func TestParamsCopyOnWrite(t *testing.T) {
	base := make(Params, 0, 8)
	base = append(base, Param{"a", []string{"1"}}, Param{"b", []string{"2"}})
	tests := map[string]struct {
		do   func(Params) Params
		want Params
	}{
		"set existing keeps slot": {func(p Params) Params { return p.Set("a", []string{"x"}) }, Params{{"a", []string{"x"}}, {"b", []string{"2"}}}},
		"set new appends":         {func(p Params) Params { return p.Set("c", []string{"3"}) }, Params{{"a", []string{"1"}}, {"b", []string{"2"}}, {"c", []string{"3"}}}},
		"set is case-sensitive":   {func(p Params) Params { return p.Set("A", []string{"u"}) }, Params{{"a", []string{"1"}}, {"b", []string{"2"}}, {"A", []string{"u"}}}},
		"del":                     {func(p Params) Params { return p.Del("a") }, Params{{"b", []string{"2"}}}},
		"del missing":             {func(p Params) Params { return p.Del("zz") }, Params{{"a", []string{"1"}}, {"b", []string{"2"}}}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := tc.do(base)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
			orig := Params{{"a", []string{"1"}}, {"b", []string{"2"}}}
			if diff := cmp.Diff(orig, base); diff != "" {
				t.Errorf("receiver changed (-want +got):\n%s", diff)
			}
			// A second derivation must not see the first one's append.
			other := base.Set("d", []string{"4"})
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("result changed by a sibling's Set (-want +got):\n%s\nsibling: %v", diff, other)
			}
		})
	}
}

func TestWithErr(t *testing.T) {
	e1 := errors.New("one")
	m1 := WithErr(nil, "k", e1)
	m2 := WithErr(m1, "k", nil)
	if len(m1) != 1 || m1["k"] != e1 {
		t.Errorf("m1 = %v", m1)
	}
	if len(m2) != 0 {
		t.Errorf("clearing gave %v", m2)
	}
	if m1["k"] != e1 {
		t.Error("clearing changed the original map")
	}
	if got := WithErr(nil, "k", nil); got != nil {
		t.Errorf("clearing a missing key allocated %v", got)
	}
}

func TestOwnValues(t *testing.T) {
	tests := map[string]struct {
		own  func([]string) []string
		in   []string
		want []string
	}{
		"header: nil is one empty value":   {OwnValues, nil, []string{""}},
		"header: empty is one empty value": {OwnValues, []string{}, []string{""}},
		"header: values are copied":        {OwnValues, append(make([]string, 0, 8), "a", "b"), []string{"a", "b"}},
		"param: nil is no value":           {OwnParamValues, nil, nil},
		"param: empty is no value":         {OwnParamValues, []string{}, []string{}},
		"param: values are copied":         {OwnParamValues, append(make([]string, 0, 8), "a", "b"), []string{"a", "b"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := tc.own(tc.in)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("OwnValues (-want +got):\n%s", diff)
			}
			if cap(got) != len(got) {
				t.Errorf("cap %d > len %d: an append would write past what was given", cap(got), len(got))
			}
			if len(tc.in) > 0 {
				tc.in[0] = "changed"
				if got[0] == "changed" {
					t.Error("the copy shares the caller's array")
				}
			}
		})
	}
}
