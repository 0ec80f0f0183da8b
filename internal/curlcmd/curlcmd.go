// Package curlcmd writes the curl command line that sends the same request
// as an *http.Request.
//
// "The same request" is what an http.Transport with DisableCompression set
// writes for req over HTTP/1.1: the same method, request target, Host and
// other header fields with the same names, values and number of lines
// (wire order aside), and the same body with the same framing
// (Content-Length, or chunked). What the Transport adds by itself is
// reproduced: User-Agent: Go-http-client/1.1 when req has no User-Agent,
// Content-Length: 0 for an empty POST, PUT or PATCH, chunked framing for a
// body of unknown length, Connection: close for req.Close. What curl would
// add by itself is taken out: its User-Agent and Accept, the Content-Type
// that --data gives, and Expect: 100-continue.
//
// Not reproduced: the Accept-Encoding: gzip that a Transport without
// DisableCompression adds (set it in req.Header to get it), the
// Connection: close of DisableKeepAlives, the Authorization that
// http.Client (not the Transport) makes from userinfo in the URL (the
// userinfo is left out of curl's URL), proxies, TLS settings, and the sizes
// of the chunks of a chunked body (the decoded body is the same).
//
// The command is for a POSIX shell (sh, dash, bash, zsh): every argument
// that is not made of plainly safe characters is single-quoted, which
// passes any byte but NUL unchanged. A body is passed inline, with
// --data-raw 'bytes', when it has no NUL and is small; otherwise, since no
// argument can hold a NUL byte, the body is written by the shell's printf
// builtin with octal escapes and piped to curl, which reads it with
// --data-binary @-. The command stays self-contained either way. ANSI-C
// quoting ($'...') is not used: dash, Debian's /bin/sh, does not know it,
// and it could not carry a NUL into an argument either.
package curlcmd

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"golang.org/x/net/http/httpguts"
	"golang.org/x/net/idna"

	"github.com/tether-http/tether/internal/wire"
)

// defaultUserAgent is what http.Transport sends when a request has no
// User-Agent.
const defaultUserAgent = "Go-http-client/1.1"

// maxInline is the largest quoted body passed as an argument. Linux limits
// one argument to 128 KiB; this leaves room for the rest of a `sh -c`
// script.
const maxInline = 64 << 10

// printfChunk is how many body bytes one printf call writes.
const printfChunk = 16 << 10

// Command returns a POSIX-shell-quoted curl command line that, run by real
// curl (7.55 or later), sends what req would send through an
// http.Transport with DisableCompression (see the package documentation).
// body is req's body; its framing comes from req as the Transport decides
// it: Content-Length when req.ContentLength is positive (it must equal
// len(body)), chunked when the length is unknown (ContentLength -1, or 0
// with a non-nil, non-empty Body), nothing when req.Body is nil or
// http.NoBody (body must then be empty).
//
// The URL is curl's URL with req.URL's host and Request-URI, with
// --path-as-is so that curl keeps dot segments and -g so that it does not
// glob [] and {}. When curl would still change the Request-URI (a raw
// non-ASCII byte in the path, a space, '#', or one that does not start with
// "/", like "*"), the exact Request-URI goes in --request-target. The
// header fields are passed with -H in the Transport's order; Host only
// when curl would write it differently from the URL. curl's own defaults
// are removed with -H 'Name:' and an empty field is sent with -H 'Name;'.
// --compressed (which changes nothing that is sent) is added when the
// request's Accept-Encoding names a coding curl can decode. -q comes first
// so that no .curlrc adds anything.
//
// The errors are those http.Transport would give for req (a missing or
// non-HTTP URL, an invalid method, header field, or control byte in the
// URL), inconsistencies between req and body, and what curl cannot send:
// CONNECT, trailers, HEAD with a body, a Transfer-Encoding other than
// chunked, and header fields that curl would merge with its own (a
// non-canonical spelling of Host, User-Agent, Content-Length,
// Transfer-Encoding or Trailer, or of Connection when req.Close, that Go
// sends beside its own line).
func Command(req *http.Request, body []byte) (string, error) {
	if req == nil || req.URL == nil {
		return "", errors.New("curlcmd: nil request or URL")
	}
	if req.Header == nil {
		return "", errors.New("curlcmd: nil Request.Header")
	}
	u := req.URL
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("curlcmd: unsupported protocol scheme %q", u.Scheme)
	}
	if u.Host == "" {
		return "", errors.New("curlcmd: no Host in request URL")
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	if !isToken(method) {
		return "", fmt.Errorf("curlcmd: invalid method %q", method)
	}
	if method == http.MethodConnect {
		return "", errors.New("curlcmd: CONNECT is not supported")
	}
	if err := validateHeaders(req.Header); err != nil {
		return "", err
	}

	var args []string
	add := func(a ...string) { args = append(args, a...) }
	add("curl", "-q", "--http1.1", "--path-as-is", "-g")

	// The request target and the URL curl connects to.
	ruri := u.RequestURI()
	if !wire.NoCTL(ruri) {
		return "", errors.New("curlcmd: control character in Request.URL")
	}
	hostname := u.Hostname()
	if !isASCII(hostname) {
		h, err := idna.Lookup.ToASCII(hostname)
		if err != nil {
			return "", fmt.Errorf("curlcmd: %w", err)
		}
		hostname = h
	}
	port := u.Port()
	authority := hostname
	zone := ""
	if strings.Contains(hostname, ":") {
		addr, z, _ := strings.Cut(hostname, "%")
		zone = z
		authority = "[" + addr + "]"
	}
	curlHost := authority // the Host curl derives from the URL
	if zone != "" {
		authority = strings.TrimSuffix(authority, "]") + "%25" + url.PathEscape(zone) + "]"
	}
	if port != "" {
		authority += ":" + port
		if !(u.Scheme == "http" && port == "80" || u.Scheme == "https" && port == "443") {
			curlHost += ":" + port
		}
	}
	curlURL := u.Scheme + "://" + authority + "/"
	if curlKeepsTarget(ruri) {
		curlURL = u.Scheme + "://" + authority + ruri
	}

	// Host, as Request.write cleans it.
	host := req.Host
	if host == "" {
		host = u.Host
	}
	host, err := httpguts.PunycodeHostPort(host)
	if err != nil {
		return "", fmt.Errorf("curlcmd: %w", err)
	}
	if !httpguts.ValidHostHeader(host) {
		host = ""
	}
	host = removeZone(host)

	// Body framing, as newTransferWriter decides it.
	f, err := framing(req, method, body)
	if err != nil {
		return "", err
	}

	// The method.
	switch {
	case method == http.MethodHead:
		if f.sendData {
			return "", errors.New("curlcmd: curl cannot send HEAD with a body")
		}
		add("--head")
	case method == http.MethodGet && !f.sendData:
	default:
		add("--request", method)
	}

	// Header fields, in the order Request.write writes them.
	var fields []field
	// curl rewrites IP literals in the Host it derives ([0:0::1] to [::1],
	// 127.1 and 0x7f.0.0.1 to 127.0.0.1), so those always get an explicit
	// Host, as do zones and ports with leading zeros.
	if host != curlHost || zone != "" || strings.HasPrefix(port, "0") || mayBeRewrittenIP(hostname) {
		fields = append(fields, field{name: "Host", value: host})
	}
	// An empty User-Agent is not sent, a blank one is sent empty.
	userAgent := defaultUserAgent
	if _, ok := req.Header["User-Agent"]; ok {
		userAgent = req.Header.Get("User-Agent")
	}
	fields = append(fields, field{name: "User-Agent", value: trim(userAgent), remove: userAgent == ""})
	if req.Close && !hasToken(first(req.Header["Connection"]), "close") {
		for k := range req.Header {
			if k != "Connection" && strings.EqualFold(k, "Connection") {
				return "", fmt.Errorf("curlcmd: header field %q: Go sends it beside its own Connection line, curl would merge them", k)
			}
		}
		fields = append(fields, field{name: "Connection", value: "close"})
	}
	if f.chunked {
		fields = append(fields, field{name: "Transfer-Encoding", value: "chunked"})
	}
	keys := make([]string, 0, len(req.Header))
	for k := range req.Header {
		switch k {
		case "Host", "User-Agent", "Content-Length", "Transfer-Encoding", "Trailer":
			continue // Request.write leaves these out
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range req.Header[k] {
			fields = append(fields, field{name: k, value: trim(v)})
		}
	}
	// curl's own fields, taken out unless req gives them.
	removals := []string{"Accept"}
	if f.sendData {
		removals = append(removals, "Content-Type", "Expect")
	}
	for _, name := range removals {
		if !hasField(fields, name) {
			fields = append(fields, field{name: name, remove: true})
		}
	}
	for _, fl := range fields {
		add("-H", fl.arg())
	}
	if wantsCompressed(req.Header) {
		add("--compressed")
	}

	pipe := ""
	if f.sendData {
		quoted := quote(string(body))
		if bytes.IndexByte(body, 0) < 0 && len(quoted) <= maxInline {
			args = append(args, "--data-raw", string(body))
		} else {
			pipe = printfPipe(body)
			add("--data-binary", "@-")
		}
	}
	if !curlKeepsTarget(ruri) {
		add("--request-target", ruri)
	}
	add(curlURL)

	var b strings.Builder
	b.WriteString(pipe)
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(quote(a))
	}
	return b.String(), nil
}

// field is one -H argument.
type field struct {
	name, value string
	remove      bool // -H 'Name:': curl leaves the field out
}

func (f field) arg() string {
	switch {
	case f.remove:
		return f.name + ":"
	case f.value == "":
		return f.name + ";"
	}
	return f.name + ": " + f.value
}

func hasField(fields []field, name string) bool {
	for _, f := range fields {
		if strings.EqualFold(f.name, name) {
			return true
		}
	}
	return false
}

// bodyFraming is how the Transport frames the body.
type bodyFraming struct {
	sendData bool // curl must be given data (possibly empty)
	chunked  bool
}

func framing(req *http.Request, method string, body []byte) (bodyFraming, error) {
	hasBody := req.Body != nil && req.Body != http.NoBody
	if req.ContentLength != 0 && req.Body == nil {
		return bodyFraming{}, fmt.Errorf("curlcmd: Request.ContentLength=%d with nil Body", req.ContentLength)
	}
	if !hasBody && len(body) > 0 {
		return bodyFraming{}, errors.New("curlcmd: body given for a request without Body")
	}
	if req.ContentLength > 0 && req.ContentLength != int64(len(body)) {
		return bodyFraming{}, fmt.Errorf("curlcmd: Request.ContentLength=%d but the body has %d bytes", req.ContentLength, len(body))
	}
	te := req.TransferEncoding
	// ["identity"] on an empty body is how a caller has net/http write
	// Content-Length: 0 where it would write none (a DELETE, say); net/http
	// does so for a NoBody body, not for a nil one.
	identity := len(te) == 1 && te[0] == "identity" && !hasBody
	if len(te) > 1 || len(te) == 1 && te[0] != "chunked" && !identity {
		return bodyFraming{}, fmt.Errorf("curlcmd: unsupported TransferEncoding %q", te)
	}
	length := int64(0) // outgoingLength
	if hasBody {
		length = req.ContentLength
		if length == 0 {
			length = -1
		}
	}
	chunked := hasBody && len(te) == 1
	if length < 0 && !chunked {
		// shouldSendChunkedRequestBody: the methods that usually have
		// no body are probed, and an empty one is sent as no body.
		if requestMethodUsuallyLacksBody(method) && len(body) == 0 {
			length = 0
		} else {
			chunked = true
		}
	}
	if chunked && len(req.Trailer) > 0 {
		return bodyFraming{}, errors.New("curlcmd: curl cannot send trailers")
	}
	if chunked {
		return bodyFraming{sendData: true, chunked: true}, nil
	}
	if length > 0 {
		return bodyFraming{sendData: true}, nil
	}
	// shouldSendContentLength for a zero length.
	zero := method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch ||
		identity && req.Body != nil && method != http.MethodGet && method != http.MethodHead
	return bodyFraming{sendData: zero}, nil
}

func requestMethodUsuallyLacksBody(method string) bool {
	switch method {
	case "GET", "HEAD", "DELETE", "OPTIONS", "PROPFIND", "SEARCH":
		return true
	}
	return false
}

// validateHeaders is the Transport's check, plus the fields curl would
// merge with its own.
func validateHeaders(h http.Header) error {
	for k, vv := range h {
		if !httpguts.ValidHeaderFieldName(k) {
			return fmt.Errorf("curlcmd: invalid header field name %q", k)
		}
		for _, v := range vv {
			if !httpguts.ValidHeaderFieldValue(v) {
				return fmt.Errorf("curlcmd: invalid header field value for %q", k)
			}
		}
		canon := http.CanonicalHeaderKey(k)
		if canon != k {
			switch canon {
			case "Host", "User-Agent", "Content-Length", "Transfer-Encoding", "Trailer":
				return fmt.Errorf("curlcmd: header field %q: Go sends it beside its own %s line, curl would merge them", k, canon)
			}
		}
	}
	return nil
}

// curlKeepsTarget reports whether curl, given ruri in its URL with
// --path-as-is and -g, sends it unchanged: curl refuses spaces, ends the
// URL at '#', and percent-encodes raw non-ASCII bytes in the path (but
// not in the query).
func curlKeepsTarget(ruri string) bool {
	if !strings.HasPrefix(ruri, "/") || strings.ContainsAny(ruri, " #") {
		return false
	}
	path, _, _ := strings.Cut(ruri, "?")
	return isASCII(path)
}

// wantsCompressed reports whether Accept-Encoding names a coding that
// curl --compressed decodes.
func wantsCompressed(h http.Header) bool {
	for k, vv := range h {
		if !strings.EqualFold(k, "Accept-Encoding") {
			continue
		}
		for _, v := range vv {
			for _, c := range strings.Split(v, ",") {
				c, _, _ = strings.Cut(c, ";")
				switch strings.ToLower(strings.TrimSpace(c)) {
				case "gzip", "x-gzip", "deflate", "br", "zstd":
					return true
				}
			}
		}
	}
	return false
}

// printfPipe writes body with printf builtins, in chunks, into a pipe.
func printfPipe(body []byte) string {
	var calls []string
	for len(body) > 0 || len(calls) == 0 {
		n := min(len(body), printfChunk)
		calls = append(calls, "printf '"+printfEscape(body[:n])+"'")
		body = body[n:]
	}
	if len(calls) == 1 {
		return calls[0] + " | "
	}
	return "{ " + strings.Join(calls, "; ") + "; } | "
}

// printfEscape writes b as a printf format that prints exactly b and needs
// no quoting inside single quotes.
func printfEscape(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		switch {
		case c == '%':
			s.WriteString("%%")
		case c == '\\':
			s.WriteString(`\\`)
		case c == '\'' || c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&s, `\%03o`, c)
		default:
			s.WriteByte(c)
		}
	}
	return s.String()
}

// quote quotes s for a POSIX shell.
func quote(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_-./:=,+@%", c) >= 0) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// trim is what Request.write does to a value: newlines to spaces, then
// textproto.TrimString.
func trim(v string) string {
	v = strings.NewReplacer("\n", " ", "\r", " ").Replace(v)
	return strings.Trim(v, " \t\n\r")
}

func first(v []string) string {
	if len(v) > 0 {
		return v[0]
	}
	return ""
}

// hasToken reports whether token appears in v as a comma- or
// space-separated token, ignoring ASCII case (net/http's hasToken).
func hasToken(v, token string) bool {
	for _, t := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if strings.EqualFold(t, token) {
			return true
		}
	}
	return false
}

func removeZone(host string) string {
	if !strings.HasPrefix(host, "[") {
		return host
	}
	i := strings.LastIndex(host, "]")
	if i < 0 {
		return host
	}
	j := strings.LastIndex(host[:i], "%")
	if j < 0 {
		return host
	}
	return host[:j] + host[i:]
}

// mayBeRewrittenIP reports whether curl might write hostname differently in
// Host: an IPv6 literal, or something that could be a numeric IPv4 form
// other than canonical dotted decimal.
func mayBeRewrittenIP(hostname string) bool {
	if strings.Contains(hostname, ":") {
		return true
	}
	for i := 0; i < len(hostname); i++ {
		if strings.IndexByte("0123456789abcdefABCDEFxX.", hostname[i]) < 0 {
			return false
		}
	}
	ip := net.ParseIP(hostname)
	return ip == nil || ip.To4() == nil || ip.String() != hostname
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !httpguts.IsTokenRune(rune(s[i])) {
			return false
		}
	}
	return true
}
