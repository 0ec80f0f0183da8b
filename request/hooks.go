package request

import "fmt"

// OnResponse adds a response hook for this call, like requests'
// hooks={'response': [...]}: fn runs on every hop's response, redirects
// included, in the order added, before the next hop is sent, and after that
// hop's retries (it sees the response that is kept). Hooks given on a
// builder replace the session's hooks for the call, as requests merges
// them. An error from fn ends Do with an error that wraps it (and
// ErrHook); nothing further is sent. A nil fn is an ErrInvalidOption error
// from Do.
func (b Builder) OnResponse(fn func(*Response) error) Builder {
	if fn == nil {
		return b.fail(kindError(ErrInvalidOption, "OnResponse with a nil hook"))
	}
	return b.with(&op{kind: opHook, hook: fn})
}

// runHooks runs the call's hooks on resp.
func (s *sender) runHooks(resp *Response) error {
	for i, h := range s.c.hooks {
		if err := h(resp); err != nil {
			return fmt.Errorf("%w %d of %d on %s: %w", ErrHook, i+1, len(s.c.hooks), resp, err)
		}
	}
	return nil
}
