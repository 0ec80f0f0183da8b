package request

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/tether-http/tether/internal/digest"
)

// DigestAuth is HTTP Digest authentication (RFC 7616), requests'
// HTTPDigestAuth: a call answers the server's 401 challenge once, re-sending
// the request (its body replayed) with the answer; MD5, SHA-256 and
// SHA-512-256, their -sess forms, and qop=auth. A session keeps the
// challenge and the nonce count per credentials and host, so its next calls
// answer at once, without a new challenge. Give it to [Builder.Auth] or a
// session's SetAuth.
type DigestAuth struct {
	Username, Password string
}

// Apply does nothing: a digest answer depends on the server's challenge,
// which the call answers itself (see DigestAuth).
func (DigestAuth) Apply(*http.Request) error { return nil }

// String hides the password.
func (a DigestAuth) String() string { return "DigestAuth{" + a.Username + ":***}" }

// digestClient returns the digest state for the call's credentials at u's
// scheme and host, kept by the session (or, without one, by the call): a
// challenge learnt over https is never answered ahead over http.
func (s *sender) digestClient(a DigestAuth, u *url.URL) *digest.Client {
	key := digestKey{user: a.Username, pass: a.Password, scheme: strings.ToLower(u.Scheme), host: u.Host}
	if s.snap.Shared == nil {
		if s.digests == nil {
			s.digests = map[digestKey]*digest.Client{}
		}
		c, ok := s.digests[key]
		if !ok {
			c = digest.NewClient(a.Username, a.Password)
			s.digests[key] = c
		}
		return c
	}
	if c, ok := s.snap.Shared.Digest.Load(key); ok {
		return c.(*digest.Client) // a known host: nothing allocated
	}
	stored := key // boxed apart, so that the lookup above does not escape
	c, _ := s.snap.Shared.Digest.LoadOrStore(stored, digest.NewClient(a.Username, a.Password))
	return c.(*digest.Client)
}

// digestKey is what a digest state is kept by: the credentials and the
// scheme (lower case) and host:port they answer.
type digestKey struct{ user, pass, scheme, host string }

// digestAuthorize sets the hop's Authorization from a known challenge.
func (s *sender) digestAuthorize(req *http.Request, h *hop) {
	a, ok := s.c.auth.(DigestAuth)
	if !ok || s.c.noAuth || !h.sameAuthority {
		return
	}
	if v, ok := s.digestClient(a, req.URL).Authorization(req.Method, req.URL.RequestURI()); ok {
		req.Header["Authorization"] = []string{v}
	}
}

// digestChallenged reports whether resp is a 401 whose digest challenge the
// call can answer by sending the hop again; it records the challenge. A
// hop whose body cannot be sent again is an ErrBodyNotReplayable error, as
// for a redirect (the challenge is kept for the session's next calls).
func (s *sender) digestChallenged(h *hop, resp *Response) (bool, error) {
	a, ok := s.c.auth.(DigestAuth)
	if !ok || s.c.noAuth || h.digestAnswered || resp.StatusCode() != http.StatusUnauthorized || !h.sameAuthority {
		return false, nil
	}
	ch, found, err := digest.ParseChallenge(resp.Header().Values("WWW-Authenticate"))
	if err != nil || !found {
		return false, nil
	}
	if !s.digestClient(a, h.url).Challenge(ch) {
		return false, nil
	}
	if h.body != nil && !h.body.replayable {
		return false, kindError(ErrBodyNotReplayable, "answering the digest challenge of %s: %w", redacted(h.url), errConsumed)
	}
	return true, nil
}
