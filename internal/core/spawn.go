package core

// Spawn is set by package request in its init to its builder constructor,
// typed func(*Snapshot, method, url string) request.Builder. Package client
// asserts it once at start-up, so spawning a builder costs no allocation.
var Spawn any
