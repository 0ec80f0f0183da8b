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
	"slices"
	"strconv"
	"strings"
	"sync"
	"unsafe"
)

// algorithm is one hash a challenge's algorithm parameter can name, and
// whether it is the -sess form.
type algorithm struct {
	hash hashKind
	sess bool
}

// hashKind names one of the hashes; its digest is computed by appendHex
// with the hash package's one-shot function, which (unlike a hash.Hash
// behind an interface) allocates nothing.
type hashKind uint8

const (
	hashMD5 hashKind = iota
	hashSHA1
	hashSHA256
	hashSHA512
	hashSHA512_256
)

var hashes = map[string]hashKind{
	"MD5":         hashMD5,
	"SHA":         hashSHA1, // requests' extra, not in any RFC
	"SHA-256":     hashSHA256,
	"SHA-512":     hashSHA512, // requests' extra, not in RFC 7616
	"SHA-512-256": hashSHA512_256,
}

// lookupAlgorithm finds the algorithm a challenge names, case-insensitively;
// no algorithm parameter means MD5 (RFC 7616 §3.3, and requests).
func lookupAlgorithm(name string) (algorithm, bool) {
	if name == "" {
		return algorithm{hash: hashMD5}, true
	}
	upper := strings.ToUpper(name)
	base, sess := strings.CutSuffix(upper, "-SESS")
	h, ok := hashes[base]
	return algorithm{hash: h, sess: sess}, ok
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
	ha1       string // H(username:realm:password) for chal, computed once
	userhash  string // H(username:realm) for chal, when it asks for userhash
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
	// What does not change from one request to the next is hashed once.
	var buf [128]byte
	c.ha1 = string(appendHexHash(buf[:0], alg.hash, c.username, ch.Realm, c.password))
	c.userhash = ""
	if ch.Userhash {
		c.userhash = string(appendHexHash(buf[:0], alg.hash, c.username, ch.Realm))
	}
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

	var cnonceBuf [16]byte
	var cnonce string
	if c.cnonce != nil {
		cnonce = c.cnonce(nc, ch.Nonce)
	} else {
		cnonce = randomCnonce(&cnonceBuf)
	}
	var ncBuf [24]byte
	ncValue := appendNC(ncBuf[:0], nc)

	// Every digest is written into arrays on the stack: the header value
	// is the one allocation.
	alg := c.alg.hash
	var ha1Buf, ha2Buf, respBuf [128]byte
	ha1 := ha1Buf[:0]
	if c.alg.sess {
		// As requests does for MD5-sess, even without qop (when the cnonce
		// it hashed in is not sent).
		ha1 = appendHexHash(ha1, alg, c.ha1, ch.Nonce, cnonce)
	} else {
		ha1 = append(ha1, c.ha1...)
	}
	ha2 := appendHexHash(ha2Buf[:0], alg, method, uri)
	response := respBuf[:0]
	qop := len(ch.QOP) > 0
	if qop {
		response = appendHexHash(response, alg, bstr(ha1), ch.Nonce, bstr(ncValue), cnonce, "auth", bstr(ha2))
	} else {
		// RFC 2069 compatibility, as requests does when qop is absent.
		response = appendHexHash(response, alg, bstr(ha1), ch.Nonce, bstr(ha2))
	}

	var b strings.Builder
	b.Grow(160 + 2*len(c.username) + len(ch.Realm) + len(ch.Nonce) + len(uri) + len(response) +
		len(ch.Opaque) + len(ch.Algorithm) + len(ncValue) + len(cnonce) + len(c.userhash))
	b.WriteString("Digest ")
	switch {
	case ch.Userhash:
		b.WriteString("username=")
		writeQuoted(&b, c.userhash)
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
	writeQuoted(&b, bstr(response))
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
		b.Write(ncValue)
		b.WriteString(", cnonce=")
		writeQuoted(&b, cnonce)
	}
	if ch.Userhash {
		b.WriteString(", userhash=true")
	}
	return b.String(), true
}

// bstr views p as a string without a copy, for the hash input and the
// header builder, which copy it; p must not change while the view is used.
func bstr(p []byte) string { return unsafe.String(unsafe.SliceData(p), len(p)) }

// formatNC writes nc as requests does (f"{nc:08x}"): 8 lower-case hex
// digits, more past ffffffff.
func formatNC(nc uint64) string {
	var buf [24]byte
	return string(appendNC(buf[:0], nc))
}

// appendNC appends nc as formatNC formats it.
func appendNC(dst []byte, nc uint64) []byte {
	var hexBuf [16]byte
	digits := strconv.AppendUint(hexBuf[:0], nc, 16)
	for range 8 - len(digits) {
		dst = append(dst, '0')
	}
	return append(dst, digits...)
}

// randomCnonce returns 16 lower-case hex digits from crypto/rand: the shape
// of requests' cnonce (the first 16 hex digits of a SHA-1 over nc, nonce,
// time.ctime() and 8 bytes of os.urandom), whose only entropy is those 8
// bytes. The digits are written to buf, which the result views.
func randomCnonce(buf *[16]byte) string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails since Go 1.24
	hex.Encode(buf[:], b[:])
	return bstr(buf[:])
}

// appendHexHash appends to dst the lower-case hex digest, by the hash
// alg, of parts joined by ':'.
func appendHexHash(dst []byte, alg hashKind, parts ...string) []byte {
	var buf [512]byte // the longest input, SHA-512's response, is under 300 bytes
	in := buf[:0]
	for i, p := range parts {
		if i > 0 {
			in = append(in, ':')
		}
		in = append(in, p...)
	}
	switch alg {
	case hashSHA1:
		sum := sha1.Sum(in)
		return hex.AppendEncode(dst, sum[:])
	case hashSHA256:
		sum := sha256.Sum256(in)
		return hex.AppendEncode(dst, sum[:])
	case hashSHA512:
		sum := sha512.Sum512(in)
		return hex.AppendEncode(dst, sum[:])
	case hashSHA512_256:
		sum := sha512.Sum512_256(in)
		return hex.AppendEncode(dst, sum[:])
	}
	sum := md5.Sum(in)
	return hex.AppendEncode(dst, sum[:])
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
