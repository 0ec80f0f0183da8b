package request

import (
	"context"
	"io"
	"net/http"

	"github.com/tether-http/tether/internal/curlcmd"
)

// Prepare returns the first hop of the call exactly as Do would send it:
// the URL with the merged query, the merged headers, the cookies from the
// jar, the credentials and the body, like requests' prepare_request.
// Nothing is sent and nothing is stored. A body that can be sent again is
// attached (req.GetBody gives another copy); a one-shot body is not (Body is
// nil), so Prepare never uses it up. A digest answer needs the server's
// challenge and is not included. The header holds Content-Length or
// Transfer-Encoding as [Response.Request] describes, as requests'
// prepare_request does, a left-out one-shot body's Transfer-Encoding:
// chunked included.
func (b Builder) Prepare(ctx context.Context) (*http.Request, error) {
	ctx, s, err := b.start(ctx)
	if err != nil {
		return nil, err
	}
	s.dry = true
	return s.prepare(ctx, s.firstHop(), false)
}

// CurlCommand returns a shell-quoted curl command line that sends what
// [Builder.Prepare] returns: run by curl, it puts the same request on the
// wire. A one-shot body is left out, as Prepare leaves it. A request curl
// cannot send as Go does (CONNECT, a HEAD with a body, ...) is an
// [ErrInvalidOption] error.
func (b Builder) CurlCommand(ctx context.Context) (string, error) {
	req, err := b.Prepare(ctx)
	if err != nil {
		return "", err
	}
	var body []byte
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return "", err
		}
		body, err = io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			return "", kindError(ErrBody, "reading the body: %w", err)
		}
	}
	closeBody(req)
	cmd, err := curlcmd.Command(req, body)
	if err != nil {
		return "", kindError(ErrInvalidOption, "no curl command for %s %s: %w", req.Method, redacted(req.URL), err)
	}
	return cmd, nil
}
