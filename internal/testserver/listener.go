package testserver

import (
	"net"
	"sync/atomic"
)

// CountingListener is a listener that counts the connections it accepts,
// for tests that check which route a request took.
type CountingListener struct {
	net.Listener
	accepts atomic.Int64
}

// Accept counts every connection it returns.
func (l *CountingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.accepts.Add(1)
	}
	return c, err
}

// Accepts returns how many connections were accepted so far.
func (l *CountingListener) Accepts() int64 { return l.accepts.Load() }
