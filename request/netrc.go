package request

import (
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"github.com/tether-http/tether/internal/netrc"
)

// netrcFile is where the netrc file was found, for the environment it was
// looked up in.
type netrcFile struct {
	netrcVar, home string
	path           string
	exists         bool
	at             time.Time
}

// netrcFound caches the netrc file's location for a second, so that a call
// does not stat the file system every time (requests reads it per call).
var netrcFound atomic.Pointer[netrcFile]

// netrcPath returns the netrc file requests would read: $NETRC, else
// ~/.netrc, else ~/_netrc; exists is false when there is none.
func netrcPath() (string, bool) {
	n, h := os.Getenv("NETRC"), os.Getenv("HOME")
	if c := netrcFound.Load(); c != nil && c.netrcVar == n && c.home == h && time.Since(c.at) < time.Second {
		return c.path, c.exists
	}
	p, ok := netrc.Path(os.Getenv)
	netrcFound.Store(&netrcFile{netrcVar: n, home: h, path: p, exists: ok, at: time.Now()})
	return p, ok
}

// netrcAuth sets req's Authorization from the netrc entry for its host, as
// requests' get_netrc_auth under trust_env, and reports whether there was
// one. The entry is for that exact host name (or the file's default entry);
// it never reaches another host.
func (s *sender) netrcAuth(req *http.Request) bool {
	if s.snap.NoTrustEnv {
		return false
	}
	path, ok := netrcPath()
	if !ok {
		return false
	}
	login, password, ok := netrc.Lookup(path, req.URL.Hostname())
	if ok {
		req.SetBasicAuth(login, password)
	}
	return ok
}
