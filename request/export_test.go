package request

import (
	"net/http"
	"time"
)

// StripAuth is stripAuth, requests' should_strip_auth, for the tests of
// package request_test.
var StripAuth = stripAuth

// RetryWait is Retry.wait, the policy's wait before try next.
func RetryWait(r *Retry, next int, resp *http.Response, now time.Time, rnd func(int64) int64) time.Duration {
	return r.wait(next, resp, nil, nil, now, rnd)
}

// RemoteAddr is remoteAddr, which fills Timings.RemoteAddr.
var RemoteAddr = remoteAddr
