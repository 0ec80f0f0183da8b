package request

// StripAuth is stripAuth, requests' should_strip_auth, for the tests of
// package request_test.
var StripAuth = stripAuth

// Requote is requote, requests' requote_uri for one part of a URL.
var Requote = requote
