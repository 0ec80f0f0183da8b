package conformance

import (
	"strings"

	"github.com/tether-http/tether/internal/testserver"
)

// Rig is what a run sends to: S1 (H1 and H2), S3 (H3) and, where a case
// needs them, IPv6 (H6) and Proxy (P).
type Rig struct {
	S1, S3 *testserver.Server
	// IPv6 is nil where the host has no IPv6 loopback or no case needs it;
	// a case that uses {H6} then cannot run.
	IPv6 *testserver.Server
	// Proxy is nil when no case needs it.
	Proxy *testserver.Proxy
}

// Hosts returns the rig's host:port values.
func (r *Rig) Hosts() Hosts {
	h := Hosts{
		H1: strings.TrimPrefix(r.S1.URL, "http://"),
		H2: strings.TrimPrefix(r.S1.LocalhostURL(), "http://"),
		H3: strings.TrimPrefix(r.S3.URL, "http://"),
	}
	if r.IPv6 != nil {
		h.H6 = strings.TrimPrefix(r.IPv6.URL, "http://")
	}
	if r.Proxy != nil {
		h.P = strings.TrimPrefix(r.Proxy.URL, "http://")
	}
	return h
}

// Runnable reports whether the rig has what c needs.
func (r *Rig) Runnable(c *Case) bool {
	ipv6, proxy := c.needs()
	return (!ipv6 || r.IPv6 != nil) && (!proxy || r.Proxy != nil)
}

// servers returns the rig's recording servers in a fixed order.
func (r *Rig) servers() []*testserver.Server {
	out := []*testserver.Server{r.S1, r.S3}
	if r.IPv6 != nil {
		out = append(out, r.IPv6)
	}
	return out
}

// urls returns the URLs of every server and the proxy, for the oracle's
// marks.
func (r *Rig) urls() []string {
	var out []string
	for _, s := range r.servers() {
		out = append(out, s.URL)
	}
	if r.Proxy != nil {
		out = append(out, r.Proxy.URL)
	}
	return out
}

// mark labels what every server and the proxy receive from now on.
func (r *Rig) mark(label string) {
	for _, s := range r.servers() {
		s.Mark(label)
	}
	if r.Proxy != nil {
		r.Proxy.Mark(label)
	}
}

// proxyEntries returns what the proxy received, or nothing.
func (r *Rig) proxyEntries() []testserver.ProxyEntry {
	if r.Proxy == nil {
		return nil
	}
	return r.Proxy.Entries()
}
