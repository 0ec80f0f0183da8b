package request

import (
	"encoding/base64"
	"net/http"
)

// Auth authenticates a request, like a requests auth callable. Apply is called
// once per call, on the first hop, after every header and cookie is set, so it
// wins over an Authorization header. It is not applied again on redirects.
//
// Apply may change req's header freely: it is the call's own copy; leaving
// req without a header or a URL (nil) is an [ErrAuth] error. The header
// already holds the body's Content-Length or Transfer-Encoding, as a
// requests auth callable sees them ([Response.Request] says which; net/http
// writes those lines from req.ContentLength, not from the header). A body
// that can be sent again is attached when Apply runs (read it through
// req.GetBody to sign it); a one-shot body is attached only after Apply
// succeeds, so a failing Auth leaves it unread. An error from Apply ends
// the call with an [ErrAuth] error that wraps it; nothing is sent.
type Auth interface {
	Apply(req *http.Request) error
}

// BasicAuth is HTTP Basic authentication, requests' auth=(user, pass).
type BasicAuth struct {
	Username, Password string
}

// Apply sets the Authorization header, as req.SetBasicAuth does.
func (a BasicAuth) Apply(req *http.Request) error {
	req.Header["Authorization"] = []string{a.value()}
	return nil
}

// value is the Authorization header's value: "Basic " and the base64 of
// "username:password".
func (a BasicAuth) value() string {
	var raw, out [128]byte // credentials that fit are encoded on the stack
	cred := append(append(append(raw[:0], a.Username...), ':'), a.Password...)
	return string(base64.StdEncoding.AppendEncode(append(out[:0], "Basic "...), cred))
}

// BearerAuth sends a bearer token.
type BearerAuth struct {
	Token string
}

// Apply sets the Authorization header.
func (a BearerAuth) Apply(req *http.Request) error {
	req.Header.Set("Authorization", "Bearer "+a.Token)
	return nil
}

// AuthFunc adapts a function to Auth.
type AuthFunc func(req *http.Request) error

// Apply calls f(req).
func (f AuthFunc) Apply(req *http.Request) error { return f(req) }

// String hides the password, its length too, as BearerAuth and
// DigestAuth hide theirs.
func (a BasicAuth) String() string { return "BasicAuth{" + a.Username + ":***}" }

// String hides the token.
func (a BearerAuth) String() string { return "BearerAuth{***}" }
