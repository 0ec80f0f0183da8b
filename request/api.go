package request

import (
	"net/http"
	"sync"

	"github.com/tether-http/tether/internal/core"
)

// Version is tether's version, sent in the default User-Agent.
const Version = core.Version

// defaultSnapshot is the package-level API's snapshot: the default headers,
// no jar (each call gets its own when a response sets a cookie) and one
// pooled transport shared by every call.
var defaultSnapshot = sync.OnceValue(func() *core.Snapshot {
	rt := core.NewRouter(core.NewTransport(core.TransportConfig{Proxy: EnvProxy}), true)
	return &core.Snapshot{
		Header:       core.DefaultHeader(),
		MaxRedirects: core.DefaultMaxRedirects,
		Transport:    rt,
		Base:         rt,
	}
})

// New starts a request without a session: nothing persists between calls
// (a call's redirect hops still share its cookies), but connections are
// pooled in one transport shared by the package-level API.
//
// As requests.request, it follows redirects whatever the method, HEAD
// included; only [Head] does not.
func New(method, url string) Builder { return spawn(defaultSnapshot(), method, url, false) }

// Get starts a GET request without a session.
func Get(url string) Builder { return New(http.MethodGet, url) }

// Post starts a POST request without a session.
func Post(url string) Builder { return New(http.MethodPost, url) }

// Put starts a PUT request without a session.
func Put(url string) Builder { return New(http.MethodPut, url) }

// Patch starts a PATCH request without a session.
func Patch(url string) Builder { return New(http.MethodPatch, url) }

// Delete starts a DELETE request without a session.
func Delete(url string) Builder { return New(http.MethodDelete, url) }

// Head starts a HEAD request without a session. Like requests' head, it
// does not follow redirects unless asked with [Builder.FollowRedirects].
func Head(url string) Builder { return spawn(defaultSnapshot(), http.MethodHead, url, true) }

// Options starts an OPTIONS request without a session.
func Options(url string) Builder { return New(http.MethodOptions, url) }

// CloseIdleConnections closes the idle connections of the package-level API's
// transport. Later calls open new ones.
func CloseIdleConnections() { core.CloseIdle(defaultSnapshot().Base) }
