package digest

import (
	"errors"
	"fmt"
	"strings"
)

// Challenge is a parsed WWW-Authenticate: Digest challenge.
//
// Parameter names are matched case-insensitively; values are unquoted
// (quoted-pair escapes removed). QOP holds the qop-options list split on
// commas with the blanks around each option trimmed, Domain the
// space-separated URIs of the domain parameter. Stale and Userhash are true
// when their parameter is "true" in any case.
type Challenge struct {
	Realm, Nonce, Opaque, Algorithm string
	QOP                             []string
	Stale                           bool
	Charset                         string
	Userhash                        bool
	Domain                          []string
}

// ErrNoNonce is the error ParseChallenge returns for a Digest
// challenge without a nonce (or with an empty one): nothing can be computed
// without it. requests raises KeyError('nonce') in that case.
var ErrNoNonce = errors.New("digest: challenge has no nonce")

// ParseChallenge finds the Digest challenge among a response's
// WWW-Authenticate values (there can be several headers and several
// challenges in one header, e.g. `Basic realm="x", Digest realm="y",
// nonce="z"`); ok false if there is none.
//
// When several Digest challenges are offered (RFC 7616 §3.7: one per
// algorithm, the server's preferred first) the first one a Client can answer
// is returned; failing that, the first well-formed one (Client.Challenge then
// reports false). err is non-nil, and ok false, only when Digest challenges
// were present but none was well-formed: a missing nonce (ErrNoNonce) or a
// syntax error inside it. A syntax error in another scheme's challenge ends
// the parsing of that header value but is not reported.
func ParseChallenge(values []string) (Challenge, bool, error) {
	var (
		fallback    Challenge
		hasFallback bool
		firstErr    error
	)
	for _, v := range values {
		for _, raw := range parseAuthenticate(v) {
			if !strings.EqualFold(raw.scheme, "Digest") {
				continue
			}
			ch, err := raw.digest()
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			if answerable(ch) {
				return ch, true, nil
			}
			if !hasFallback {
				fallback, hasFallback = ch, true
			}
		}
	}
	if hasFallback {
		return fallback, true, nil
	}
	return Challenge{}, false, firstErr
}

// rawChallenge is one challenge of a WWW-Authenticate value: its scheme, its
// auth-params in order (names lower-cased) or its token68, and the syntax
// error that ended it, if any.
type rawChallenge struct {
	scheme  string
	params  []param
	token68 string
	err     error
}

type param struct{ name, value string }

// digest turns a Digest challenge's parameters into a Challenge. A parameter
// given twice takes its last value, as requests' parse_dict_header does;
// unknown parameters are ignored.
func (r rawChallenge) digest() (Challenge, error) {
	if r.err != nil {
		return Challenge{}, r.err
	}
	var ch Challenge
	for _, p := range r.params {
		switch p.name {
		case "realm":
			ch.Realm = p.value
		case "nonce":
			ch.Nonce = p.value
		case "opaque":
			ch.Opaque = p.value
		case "algorithm":
			ch.Algorithm = p.value
		case "qop":
			ch.QOP = nil
			for opt := range strings.SplitSeq(p.value, ",") {
				if opt = strings.Trim(opt, " \t"); opt != "" {
					ch.QOP = append(ch.QOP, opt)
				}
			}
		case "stale":
			ch.Stale = strings.EqualFold(p.value, "true")
		case "charset":
			ch.Charset = p.value
		case "userhash":
			ch.Userhash = strings.EqualFold(p.value, "true")
		case "domain":
			ch.Domain = strings.Fields(p.value)
		}
	}
	if ch.Nonce == "" {
		return Challenge{}, ErrNoNonce
	}
	return ch, nil
}

// parseAuthenticate splits one WWW-Authenticate value into its challenges
// (RFC 9110 §11.6.1):
//
//	challenge  = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
//	auth-param = token BWS "=" BWS ( token / quoted-string )
//
// A token after a comma that is not followed by "=" starts the next
// challenge. Unquoted values are read leniently, up to the next comma or
// blank, as requests reads them (servers send base64 nonces unquoted). On a
// syntax error the challenge being read carries the error and parsing stops.
func parseAuthenticate(s string) []rawChallenge {
	var out []rawChallenge
	i := 0
	for {
		i = skipSeparators(s, i)
		if i >= len(s) {
			return out
		}
		scheme, j := readToken(s, i)
		if scheme == "" {
			return append(out, rawChallenge{err: fmt.Errorf("digest: WWW-Authenticate: expected an auth-scheme at offset %d of %q", i, s)})
		}
		raw := rawChallenge{scheme: scheme}
		i = raw.readParams(s, j)
		out = append(out, raw)
		if raw.err != nil {
			return out
		}
	}
}

// readParams reads the token68 or auth-params after a challenge's scheme,
// starting at i, and returns where the next challenge (or the end) is.
func (r *rawChallenge) readParams(s string, i int) int {
	if i < len(s) && s[i] != ' ' && s[i] != '\t' && s[i] != ',' {
		r.err = fmt.Errorf("digest: WWW-Authenticate: unexpected %q after auth-scheme %q", s[i], r.scheme)
		return len(s)
	}
	first := true
	for {
		i = skipBlanks(s, i)
		if i >= len(s) {
			return i
		}
		if s[i] == ',' {
			first = false
			i++
			continue
		}
		if first {
			if end := token68End(s, i); end > i {
				if k := skipBlanks(s, end); k >= len(s) || s[k] == ',' {
					r.token68 = s[i:end]
					i, first = k, false
					continue
				}
			}
		}
		first = false
		start := i
		name, j := readToken(s, i)
		if name == "" {
			r.err = fmt.Errorf("digest: WWW-Authenticate: unexpected %q at offset %d of %q", s[i], i, s)
			return len(s)
		}
		k := skipBlanks(s, j)
		if k >= len(s) || s[k] != '=' {
			// Not an auth-param: the scheme of the next challenge.
			return start
		}
		k = skipBlanks(s, k+1)
		var value string
		var err error
		if k < len(s) && s[k] == '"' {
			value, k, err = readQuoted(s, k)
			if err != nil {
				r.err = err
				return len(s)
			}
		} else {
			end := k
			for end < len(s) && s[end] != ',' && s[end] != ' ' && s[end] != '\t' {
				end++
			}
			value, k = s[k:end], end
		}
		r.params = append(r.params, param{name: strings.ToLower(name), value: value})
		k = skipBlanks(s, k)
		if k < len(s) && s[k] != ',' {
			r.err = fmt.Errorf("digest: WWW-Authenticate: expected ',' after parameter %q at offset %d of %q", name, k, s)
			return len(s)
		}
		i = k
	}
}

// readQuoted reads the quoted-string that starts at s[i] == '"' and returns
// its value with quoted-pairs resolved and the offset after the closing
// quote.
func readQuoted(s string, i int) (string, int, error) {
	var b strings.Builder
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; c {
		case '"':
			return b.String(), j + 1, nil
		case '\\':
			j++
			if j == len(s) {
				break
			}
			b.WriteByte(s[j])
		default:
			b.WriteByte(c)
		}
	}
	return "", len(s), fmt.Errorf("digest: WWW-Authenticate: unterminated quoted-string at offset %d of %q", i, s)
}

func skipBlanks(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

func skipSeparators(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == ',') {
		i++
	}
	return i
}

// readToken returns the token (RFC 9110 tchar run) at s[i:] and its end.
func readToken(s string, i int) (string, int) {
	j := i
	for j < len(s) && isTchar(s[j]) {
		j++
	}
	return s[i:j], j
}

// token68End returns the end of the token68 at s[i:], or i if there is none.
func token68End(s string, i int) int {
	j := i
	for j < len(s) && (isAlnum(s[j]) || strings.IndexByte("-._~+/", s[j]) >= 0) {
		j++
	}
	if j == i {
		return i
	}
	for j < len(s) && s[j] == '=' {
		j++
	}
	return j
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isTchar(c byte) bool {
	return isAlnum(c) || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}
