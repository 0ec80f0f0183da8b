package core

import (
	"crypto/tls"
	"net/http"

	"github.com/go-resty/resty/v2"
)

// NewResty builds the resty client that one session (or the package-level
// API) dispatches through: resty's pooled transport, with resty's own cookie
// jar and redirect following switched off, because package request does both
// hop by hop with requests' rules. A non-nil tlsConfig is cloned into the
// transport; it is set here, before any request, and never changed after.
func NewResty(tlsConfig *tls.Config) *resty.Client {
	rc := resty.New()
	if tlsConfig != nil {
		rc.SetTLSClientConfig(tlsConfig.Clone())
	}
	rc.SetCookieJar(nil)
	rc.GetClient().CheckRedirect = func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}
	return rc
}
