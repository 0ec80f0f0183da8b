package core

// Spawn is set by package request in its init to its builder constructor,
// typed func(snap *Snapshot, method, url string, head bool) request.Builder,
// where head marks a builder spawned by a Head method (which, as requests'
// head, does not follow redirects). Package client asserts it once at
// start-up, so spawning a builder costs no allocation.
var Spawn any
