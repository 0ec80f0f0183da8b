// Package core holds the state that package client and package request share
// without exposing it: the immutable session snapshot a request builder reads.
//
// A [Snapshot] is never changed after it is published. Package client makes a
// new one (copy-on-write) for every setter call; package request reads it
// without locks. Only the cookie jar is live and shared.
package core
