package urls

import "errors"

// Sentinel errors, one per way requests refuses a URL. Every error this
// package returns is an *Error wrapping one of them; the sub-kinds of
// InvalidURL (ErrNoHost, ErrInvalidLabel, ErrParse) also match
// ErrInvalidURL under errors.Is.
var (
	// ErrMissingSchema: requests.exceptions.MissingSchema ("No scheme
	// supplied"), e.g. "example.com/x" or "//example.com/x".
	ErrMissingSchema = errors.New("no scheme supplied")
	// ErrInvalidSchema: requests.exceptions.InvalidSchema ("No connection
	// adapters were found"), raised when the URL is sent: the scheme is not
	// http or https ("ftp://x", "mailto:x", "localhost:8080", "httpx://x").
	ErrInvalidSchema = errors.New("no connection adapter for the URL's scheme")
	// ErrInvalidURL: requests.exceptions.InvalidURL.
	ErrInvalidURL = errors.New("invalid URL")
	// ErrNoHost: InvalidURL "No host supplied" (or urllib3's "No host
	// specified." when a redirect target without a host is sent).
	ErrNoHost = errors.New("no host supplied")
	// ErrInvalidLabel: InvalidURL from a host label: IDNA refused it, or an
	// ASCII host starts with '*' or '.'.
	ErrInvalidLabel = errors.New("invalid host label")
	// ErrParse: InvalidURL from urllib3's LocationParseError (a malformed
	// host or port, a port above 65535) or from a port urllib.parse refuses.
	ErrParse = errors.New("failed to parse URL")
	// ErrValue: a bare ValueError from urllib.parse (unbalanced brackets, a
	// bracketed host that is not an IPv6 address, a netloc that NFKC
	// changes into a delimiter). requests lets it propagate.
	ErrValue = errors.New("malformed network location")
	// ErrUnicode: UnicodeDecodeError / UnicodeEncodeError — a URL or a
	// Location header that is not UTF-8, or URL credentials that are not
	// Latin-1 (requests encodes Basic credentials as Latin-1).
	ErrUnicode = errors.New("text cannot be encoded as requests needs")
	// ErrEmptyLocation: the Location header is empty; requests does not
	// follow the redirect and returns the 3xx response.
	ErrEmptyLocation = errors.New("empty Location header")
)

// Error describes why requests would refuse a URL.
type Error struct {
	Op     string // "prepare", "redirect", "send" or "auth"
	URL    string // the input
	Err    error  // one of the sentinels
	Python string // the Python exception class requests raises: "InvalidURL", "ValueError", ...
}

func (e *Error) Error() string {
	return "urls: " + e.Op + " " + quoteForError(e.URL) + ": " + e.Err.Error() + " (requests: " + e.Python + ")"
}

// Unwrap returns the sentinel, and ErrInvalidURL for its sub-kinds.
func (e *Error) Unwrap() []error {
	switch e.Err {
	case ErrNoHost, ErrInvalidLabel, ErrParse:
		return []error{e.Err, ErrInvalidURL}
	}
	return []error{e.Err}
}

func quoteForError(s string) string {
	const max = 200
	if len(s) > max {
		s = s[:max] + "..."
	}
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < ' ' || c == 0x7f:
			b = append(b, '\\', 'x', hexUp[c>>4], hexUp[c&15])
		default:
			b = append(b, c)
		}
	}
	return string(append(b, '"'))
}

func newError(op, url string, kind error) *Error {
	py := "InvalidURL"
	switch kind {
	case ErrMissingSchema:
		py = "MissingSchema"
	case ErrInvalidSchema:
		py = "InvalidSchema"
	case ErrValue:
		py = "ValueError"
	case ErrUnicode:
		py = "UnicodeDecodeError"
	}
	return &Error{Op: op, URL: url, Err: kind, Python: py}
}
