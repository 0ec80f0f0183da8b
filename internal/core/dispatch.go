package core

import (
	"crypto/tls"
	"net/http"

	"github.com/go-resty/resty/v2"
)

// NewResty builds the resty client that one session (or the package-level
// API) dispatches through. Package request sends every hop with the
// RoundTrip of its pooled transport, because it follows redirects and
// stores cookies itself, hop by hop, with requests' rules (and
// http.Client.Do would reject a Location it cannot parse before package
// request could requote it). A non-nil tlsConfig is cloned into the
// transport here, before any request, and never changed after.
func NewResty(tlsConfig *tls.Config) *resty.Client {
	rc := resty.New()
	if tlsConfig != nil {
		rc.SetTLSClientConfig(tlsConfig.Clone())
	}
	return rc
}

// CloseIdle closes rt's idle connections, if it pools any.
func CloseIdle(rt http.RoundTripper) {
	if c, ok := rt.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
