package testserver

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"github.com/elazarl/goproxy"
)

// ProxyEntry is one request an HTTP proxy received.
type ProxyEntry struct {
	// Method is the request's method (CONNECT for a tunnel).
	Method string `json:"method"`
	// Target is the request target as sent: an absolute URL for a
	// forwarded request, host:port for CONNECT.
	Target string `json:"target"`
	// ProxyAuthorization holds the Proxy-Authorization values the proxy
	// received (it never forwards them).
	ProxyAuthorization []string `json:"proxy_authorization,omitempty"`
	// Label is the label of the last [Proxy.Mark] before the request.
	Label string `json:"label,omitempty"`
	// Seq orders the request among every request recorded by the servers
	// and proxies of the process (see [Entry.Seq]).
	Seq uint64 `json:"seq"`
}

// Proxy is a running HTTP forward proxy on loopback (goproxy, which also
// tunnels CONNECT) that records every proxy request it receives. Forwarded
// requests reach the origin without Proxy-Authorization and
// Proxy-Connection (goproxy drops them as hop-by-hop), with Connection:
// close (the proxy opens a connection per forwarded request and pools
// none), but otherwise as the client sent them: Accept-Encoding is kept,
// nothing such as Via or X-Forwarded-For is added, and nothing is
// decompressed.
//
// A request in origin form to [MarkPath]?label=L sets the proxy's label,
// as on [Server]; any other request in origin form is a 500.
type Proxy struct {
	*httptest.Server

	mu       sync.Mutex
	log      []ProxyEntry
	label    string
	upstream *http.Transport
}

// StartProxy starts a forward proxy on 127.0.0.1; call Close when done.
func StartProxy() *Proxy {
	p := &Proxy{upstream: &http.Transport{Proxy: nil, DisableKeepAlives: true, DisableCompression: true}}
	gp := goproxy.NewProxyHttpServer()
	gp.Logger = log.New(io.Discard, "", 0)
	gp.Tr = p.upstream
	gp.KeepAcceptEncoding = true
	gp.NonproxyHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == MarkPath {
			p.Mark(r.URL.Query().Get("label"))
			w.WriteHeader(http.StatusNoContent)
			return
		}
		http.Error(w, "testserver: a proxy; send requests in absolute form", http.StatusInternalServerError)
	})
	p.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodConnect || r.URL.IsAbs() {
			p.record(r)
		}
		gp.ServeHTTP(w, r)
	}))
	p.Config.ErrorLog = log.New(io.Discard, "", 0)
	p.Start()
	return p
}

// NewProxy starts a forward proxy that is closed when the test ends.
func NewProxy(t testing.TB) *Proxy {
	t.Helper()
	p := StartProxy()
	t.Cleanup(p.Close)
	return p
}

func (p *Proxy) record(r *http.Request) {
	e := ProxyEntry{Method: r.Method, Target: r.RequestURI, ProxyAuthorization: slices.Clone(r.Header.Values("Proxy-Authorization"))}
	p.mu.Lock()
	e.Label, e.Seq = p.label, seq.Add(1)
	p.log = append(p.log, e)
	p.mu.Unlock()
}

// Close shuts the proxy down, with its connections to origins.
func (p *Proxy) Close() {
	p.Server.Close()
	p.upstream.CloseIdleConnections()
}

// Mark labels the proxy requests that arrive from now on, as
// [Server.Mark] does.
func (p *Proxy) Mark(label string) {
	p.mu.Lock()
	p.label = label
	p.mu.Unlock()
}

// Entries returns a copy of every proxy request received so far, oldest
// first.
func (p *Proxy) Entries() []ProxyEntry {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]ProxyEntry, len(p.log))
	for i, e := range p.log {
		e.ProxyAuthorization = slices.Clone(e.ProxyAuthorization)
		out[i] = e
	}
	return out
}
