// Package typednil tells a typed nil from a value, for every tether
// package that takes interfaces from callers (the jar included, which
// internal/core imports and so cannot import it back).
package typednil

import "reflect"

// Is reports whether v is a typed nil: an interface holding a nil
// pointer, func, map, slice or channel. Such a value (a nil *bytes.Buffer
// given as an io.Reader, a nil AuthFunc given as an Auth) would panic when
// used; tether turns it into an error instead. An untyped nil is not one.
func Is(v any) bool {
	if v == nil {
		return false
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Func, reflect.Map, reflect.Slice, reflect.Chan, reflect.Interface:
		return rv.IsNil()
	}
	return false
}
