// Package digest answers HTTP Digest challenges (RFC 7616) the way requests'
// HTTPDigestAuth does, with SHA-512-256 and the -sess variants as well.
//
// The Authorization value is byte for byte the one requests 2.34.2 builds
// (parameter order, quoting, qop="auth" quoted, algorithm echoed as the
// server spelled it and quoted, nc as 8 lower-case hex digits, a cnonce of 16
// lower-case hex digits), with these additions and differences:
//
//   - Algorithms: requests answers MD5, MD5-sess, SHA, SHA-256 and SHA-512;
//     this package answers those and SHA-512-256 and the -sess form of every
//     one of them (RFC 7616 §3.4.2: A1 = H(user:realm:pass):nonce:cnonce).
//   - userhash=true (RFC 7616 §3.4.4) is honoured: username is
//     H(user:realm) and ", userhash=true" ends the value. requests ignores it.
//   - A username that cannot go in a quoted-string (non-ASCII or control
//     characters) is sent in username* as a UTF-8, percent-encoded RFC 8187
//     ext-value (RFC 7616 §3.4.4); requests writes it raw, which http.client
//     cannot send beyond Latin-1.
//   - A '"' or '\' inside a quoted value is escaped; requests writes it raw,
//     which breaks the header.
//   - qop-options are split on commas with blanks trimmed, so
//     qop="auth-int, auth" is answered; requests splits without trimming and
//     answers only when "auth" is first or the list has no blanks.
//   - Parameter names in the challenge are case-insensitive and several
//     challenges in one header are told apart (see ParseChallenge); requests
//     looks up lower-case names only and strips just the first "digest ".
//   - An nc is never sent twice for a nonce. requests resets its count when
//     it declines a challenge for want of qop "auth" without forgetting the
//     nonce it last answered, so when that nonce comes back it repeats nc
//     values already used.
package digest

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// algorithm is one hash a challenge's algorithm parameter can name, and
// whether it is the -sess form.
type algorithm struct {
	newHash func() hash.Hash
	sess    bool
}

var hashes = map[string]func() hash.Hash{
	"MD5":         md5.New,
	"SHA":         sha1.New, // requests' extra, not in any RFC
	"SHA-256":     sha256.New,
	"SHA-512":     sha512.New, // requests' extra, not in RFC 7616
	"SHA-512-256": sha512.New512_256,
}

// lookupAlgorithm finds the algorithm a challenge names, case-insensitively;
// no algorithm parameter means MD5 (RFC 7616 §3.3, and requests).
func lookupAlgorithm(name string) (algorithm, bool) {
	if name == "" {
		return algorithm{newHash: md5.New}, true
	}
	upper := strings.ToUpper(name)
	base, sess := strings.CutSuffix(upper, "-SESS")
	h, ok := hashes[base]
	return algorithm{newHash: h, sess: sess}, ok
}

// answerable reports whether a Client can answer ch: a nonce, a known
// algorithm and, when qop-options are offered, "auth" among them.
func answerable(ch Challenge) bool {
	if ch.Nonce == "" {
		return false
	}
	if _, ok := lookupAlgorithm(ch.Algorithm); !ok {
		return false
	}
	return len(ch.QOP) == 0 || offersAuth(ch.QOP)
}

// offersAuth reports whether "auth" is among the qop-options, compared
// case-sensitively as requests compares it.
func offersAuth(qop []string) bool {
	return slices.Contains(qop, "auth")
}

// Client keeps the state of one credential against one server across
// requests: the last challenge, the nonce count (nc) per nonce, so that a
// second request reuses the nonce without a new challenge (as requests'
// HTTPDigestAuth does with its thread-local state). Safe for concurrent use.
//
// Like requests, it remembers only the last nonce it answered: an
// Authorization for that nonce counts on (nc+1), one for any other nonce
// starts again at 00000001. Unlike requests, whose state is per thread, the
// state is shared by every goroutine, so concurrent requests get distinct nc
// values.
type Client struct {
	username, password string

	// cnonce returns the client nonce for the nc-th use of nonce; nil means
	// 8 bytes from crypto/rand in lower-case hex. Tests replace it.
	cnonce func(nc uint64, nonce string) string

	mu        sync.Mutex
	chal      *Challenge
	alg       algorithm
	lastNonce string
	nc        uint64
}

// NewClient returns a Client that answers challenges for username and
// password.
func NewClient(username, password string) *Client {
	return &Client{username: username, password: password}
}

// Challenge records a new challenge from a 401 (returns false if the
// challenge is not one it can answer).
//
// It returns false, and forgets any earlier challenge so that Authorization
// reports false until an answerable one is recorded, when:
//   - the algorithm is unknown (anything but MD5, SHA, SHA-256, SHA-512,
//     SHA-512-256 and their -sess forms, in any case). requests'
//     build_digest_header returns None for an algorithm it lacks (including
//     SHA-256-sess and SHA-512-256) and resends the request once unchanged
//     (with no Authorization, or the one for its old nonce), which draws
//     the 401 that it returns;
//   - qop-options are present without "auth" (e.g. only "auth-int"):
//     requests returns None there too ("XXX handle auth-int");
//   - the nonce is empty: requests raises KeyError when it is missing.
//
// The nonce count is not touched here: the next Authorization sends nc+1 if
// ch has the nonce last answered, 00000001 otherwise, exactly as requests
// decides it in build_digest_header. stale=true changes nothing in what is
// sent (requests ignores it too); a caller deciding whether to retry can
// read ch.Stale: true means the credentials were right and only the nonce
// had expired.
func (c *Client) Challenge(ch Challenge) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !answerable(ch) {
		c.chal = nil
		return false
	}
	alg, _ := lookupAlgorithm(ch.Algorithm)
	ch.QOP = append([]string(nil), ch.QOP...)
	ch.Domain = append([]string(nil), ch.Domain...)
	c.chal, c.alg = &ch, alg
	return true
}

// Authorization returns the Authorization header value for method and uri
// (the request-target, path?query as sent) and, when qop=auth-int is ever
// supported, the body; it increments nc. cnonce from crypto/rand
// (injectable for tests). It returns false when no challenge is known yet.
//
// requests derives uri from the URL as path (or "/" when empty) plus
// "?query" when the query is not empty; an empty uri is sent as "/" here.
func (c *Client) Authorization(method, uri string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.chal == nil {
		return "", false
	}
	ch := c.chal
	if ch.Nonce == c.lastNonce {
		c.nc++
	} else {
		c.nc = 1
	}
	c.lastNonce = ch.Nonce
	nc := c.nc
	if uri == "" {
		uri = "/"
	}

	var cnonce string
	if c.cnonce != nil {
		cnonce = c.cnonce(nc, ch.Nonce)
	} else {
		cnonce = randomCnonce()
	}
	ncValue := formatNC(nc)

	h := c.alg.newHash()
	ha1 := hexHash(h, c.username, ch.Realm, c.password)
	if c.alg.sess {
		// As requests does for MD5-sess, even without qop (when the cnonce
		// it hashed in is not sent).
		ha1 = hexHash(h, ha1, ch.Nonce, cnonce)
	}
	ha2 := hexHash(h, method, uri)
	var response string
	qop := len(ch.QOP) > 0
	if qop {
		response = hexHash(h, ha1, ch.Nonce, ncValue, cnonce, "auth", ha2)
	} else {
		// RFC 2069 compatibility, as requests does when qop is absent.
		response = hexHash(h, ha1, ch.Nonce, ha2)
	}

	var b strings.Builder
	b.WriteString("Digest ")
	switch {
	case ch.Userhash:
		b.WriteString("username=")
		writeQuoted(&b, hexHash(h, c.username, ch.Realm))
	case !quotable(c.username):
		b.WriteString("username*=UTF-8''")
		writeExtValue(&b, c.username)
	default:
		b.WriteString("username=")
		writeQuoted(&b, c.username)
	}
	b.WriteString(", realm=")
	writeQuoted(&b, ch.Realm)
	b.WriteString(", nonce=")
	writeQuoted(&b, ch.Nonce)
	b.WriteString(", uri=")
	writeQuoted(&b, uri)
	b.WriteString(", response=")
	writeQuoted(&b, response)
	if ch.Opaque != "" {
		b.WriteString(", opaque=")
		writeQuoted(&b, ch.Opaque)
	}
	if ch.Algorithm != "" {
		b.WriteString(", algorithm=")
		writeQuoted(&b, ch.Algorithm)
	}
	if qop {
		b.WriteString(`, qop="auth", nc=`)
		b.WriteString(ncValue)
		b.WriteString(", cnonce=")
		writeQuoted(&b, cnonce)
	}
	if ch.Userhash {
		b.WriteString(", userhash=true")
	}
	return b.String(), true
}

// formatNC writes nc as requests does (f"{nc:08x}"): 8 lower-case hex
// digits, more past ffffffff.
func formatNC(nc uint64) string {
	s := strconv.FormatUint(nc, 16)
	if len(s) < 8 {
		s = strings.Repeat("0", 8-len(s)) + s
	}
	return s
}

// randomCnonce returns 16 lower-case hex digits from crypto/rand: the shape
// of requests' cnonce (the first 16 hex digits of a SHA-1 over nc, nonce,
// time.ctime() and 8 bytes of os.urandom), whose only entropy is those 8
// bytes.
func randomCnonce() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails since Go 1.24
	return hex.EncodeToString(b[:])
}

// hexHash returns the lower-case hex digest of parts joined by ':'.
func hexHash(h hash.Hash, parts ...string) string {
	h.Reset()
	for i, p := range parts {
		if i > 0 {
			h.Write([]byte{':'})
		}
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// writeQuoted writes s as a quoted-string. Only '"' and '\' are escaped, so
// any other value comes out as requests writes it (f'"{s}"').
func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
}

// quotable reports whether s can be sent in a quoted-string as is: visible
// ASCII, space and tab only.
func quotable(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x7f || c < 0x20 && c != '\t' {
			return false
		}
	}
	return true
}

// writeExtValue percent-encodes s as the value-chars of an RFC 8187
// ext-value (attr-char kept, every other byte as %XX).
func writeExtValue(b *strings.Builder, s string) {
	const upperhex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlnum(c) || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperhex[c>>4])
		b.WriteByte(upperhex[c&15])
	}
}
