package docs

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// exportedAPI returns the exported functions and the exported methods of
// exported types declared in the non-test files of dir, spelt as their
// Examples are named: "F" and "T_M".
func exportedAPI(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var names []string
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || !fn.Name.IsExported() {
				continue
			}
			if fn.Recv == nil {
				names = append(names, fn.Name.Name)
				continue
			}
			typ := fn.Recv.List[0].Type
			if star, ok := typ.(*ast.StarExpr); ok {
				typ = star.X
			}
			if id, ok := typ.(*ast.Ident); ok && id.IsExported() {
				names = append(names, id.Name+"_"+fn.Name.Name)
			}
		}
	}
	sort.Strings(names)
	return names
}

// examples returns the names of the Example functions in dir's test files,
// without "Example" and without a lower-case suffix ("_second").
func examples(t *testing.T, dir string) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	fset := token.NewFileSet()
	for _, path := range files {
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Example") {
				continue
			}
			name := strings.TrimPrefix(fn.Name.Name, "Example")
			if i := strings.LastIndex(name, "_"); i >= 0 && i+1 < len(name) && 'a' <= name[i+1] && name[i+1] <= 'z' {
				name = name[:i] // a suffix: Example_suffix, ExampleF_suffix
			}
			have[name] = true
		}
	}
	return have
}

// TestEveryExportedFunctionHasAnExample checks README's promise: every
// exported function and method of client, request and jar has an Example
// (which godoc shows beside it, and which runs with its // Output:).
func TestEveryExportedFunctionHasAnExample(t *testing.T) {
	for _, pkg := range []string{"client", "request", "jar"} {
		dir := filepath.Join("..", "..", pkg)
		have := examples(t, dir)
		var missing []string
		for _, name := range exportedAPI(t, dir) {
			if !have[name] {
				missing = append(missing, "Example"+name)
			}
		}
		if len(missing) > 0 {
			t.Errorf("%s: %d exported functions and methods have no Example:\n%s", pkg, len(missing), strings.Join(missing, "\n"))
		}
	}
}
