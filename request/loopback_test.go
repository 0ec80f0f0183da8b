package request_test

import (
	"net"
	"sync"
	"testing"
)

// loopback serves raw TCP on 127.0.0.1 for the tests that need exact
// bytes: serve runs for each connection, which is closed after it returns;
// the listener and every open connection are closed when the test ends,
// and loopback waits for every serve to return. It returns host:port.
func loopback(t *testing.T, serve func(c net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		conns []net.Conn
	)
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close() // pooled by a client, or held by a serve
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Go(func() {
				defer c.Close()
				serve(c)
			})
		}
	})
	return ln.Addr().String()
}
