package core

import "reflect"

// IsNil reports whether v is a typed nil: an interface holding a nil
// pointer, func, map, slice or channel. Such a value (a nil *bytes.Buffer
// given as an io.Reader, a nil AuthFunc given as an Auth) would panic when
// used; the builder and the session turn it into an error instead.
func IsNil(v any) bool {
	if v == nil {
		return false
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Func, reflect.Map, reflect.Slice, reflect.Chan, reflect.Interface:
		return rv.IsNil()
	}
	return false
}
