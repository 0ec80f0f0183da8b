package request_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/tether-http/tether/request"
)

// TestFailureKinds asserts the README's table of failures tether classes
// otherwise than requests, each with requests' answer and the reason.
func TestFailureKinds(t *testing.T) {
	t.Parallel()
	silent := func(c net.Conn) { _, _ = io.Copy(io.Discard, c) } // reads, never answers
	tests := map[string]struct {
		b       func() request.Builder
		want    []error // all matched
		notWant []error // none matched
	}{
		// requests returns a 200 with what arrived: a response cut short
		// is not a response.
		"header block cut": {
			b:    func() request.Builder { return request.Get(rawServer(t, "HTTP/1.1 200 OK\r\nContent-Le")) },
			want: []error{request.ErrTransport},
		},
		"status line only": {
			b:    func() request.Builder { return request.Get(rawServer(t, "HTTP/1.1 200 OK\r\n")) },
			want: []error{request.ErrTransport, request.ErrConnection},
		},
		// requests raises InvalidHeader: net/http refuses the framing
		// before tether sees a header.
		"two Content-Length": {
			b: func() request.Builder {
				return request.Get(rawServer(t, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok!"))
			},
			want: []error{request.ErrTransport},
		},
		// requests raises urllib3's LocationParseError, not a
		// RequestException; the lookup fails here, nothing is sent.
		"empty host label": {
			b:    func() request.Builder { return request.Get("http://a..b/") },
			want: []error{request.ErrConnection},
		},
		// requests raises ReadTimeout after the connect timeout: the
		// connection was not yet made.
		"TLS handshake stalls": {
			b: func() request.Builder {
				return request.Get("https://" + loopback(t, silent) + "/").ConnectTimeout(50 * time.Millisecond)
			},
			want:    []error{request.ErrConnectTimeout, request.ErrConnection, request.ErrTimeout},
			notWant: []error{request.ErrReadTimeout},
		},
		// requests raises ConnectionError (MaxRetryError): the error says
		// what failed on the last try.
		"read timeouts until retries run out": {
			b: func() request.Builder {
				return request.Get("http://" + loopback(t, silent) + "/").
					ReadTimeout(50 * time.Millisecond).Retry(request.Retry{Attempts: 2})
			},
			want:    []error{request.ErrReadTimeout, request.ErrTimeout},
			notWant: []error{request.ErrConnection},
		},
		// requests sends it: net/http refuses a control byte in a value.
		"NUL in a header value": {
			b: func() request.Builder {
				return request.Get(rawServer(t, "HTTP/1.1 200 OK\r\n\r\n")).Header("X-A", "a\x00b")
			},
			want: []error{request.ErrInvalidHeader},
		},
		// requests raises InvalidURL: a bad proxy setting is an option.
		"proxy URL that does not parse": {
			b: func() request.Builder {
				return request.Get(rawServer(t, "HTTP/1.1 200 OK\r\n\r\n")).Proxy("http://[::1")
			},
			want: []error{request.ErrInvalidOption},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r, err := tc.b().Do(context.Background())
			if r != nil {
				t.Errorf("Do returned a response (%v) with %v", r, err)
			}
			for _, w := range tc.want {
				if !errors.Is(err, w) {
					t.Errorf("Do error %v does not match %v", err, w)
				}
			}
			for _, nw := range tc.notWant {
				if errors.Is(err, nw) {
					t.Errorf("Do error %v matches %v", err, nw)
				}
			}
		})
	}
}

// TestLongResponseHeaders: a header line over http.client's 64 KiB and more
// than its 100 header lines, which requests refuses with ConnectionError,
// are read, up to net/http's limits (a README row).
func TestLongResponseHeaders(t *testing.T) {
	t.Parallel()
	var many strings.Builder
	for i := range 150 {
		fmt.Fprintf(&many, "X-H%d: v\r\n", i)
	}
	tests := map[string]string{
		"a 100 KiB header line": "X-Long: " + strings.Repeat("a", 100<<10) + "\r\n",
		"150 header lines":      many.String(),
	}
	for name, headers := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r, err := request.Get(rawServer(t, "HTTP/1.1 200 OK\r\n"+headers+"Content-Length: 2\r\n\r\nok")).Do(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if r.Text() != "ok" {
				t.Errorf("body %q, want ok", r.Text())
			}
		})
	}
}
