package request

import (
	"io"
	"time"
)

// progressEvery is the least time between two calls of a progress
// function, but for the last.
const progressEvery = 100 * time.Millisecond

// progress counts the bytes read through it and reports them to fn.
type progress struct {
	r     io.ReadCloser
	fn    func(done, total int64)
	total int64
	done  int64
	last  time.Time
	ended bool
}

func newProgress(r io.ReadCloser, total int64, fn func(done, total int64)) *progress {
	return &progress{r: r, fn: fn, total: total, last: time.Now()}
}

func (p *progress) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.done += int64(n)
	switch {
	case err != nil:
		p.end()
	case n > 0:
		if now := time.Now(); now.Sub(p.last) >= progressEvery {
			p.last = now
			p.fn(p.done, p.total)
		}
	}
	return n, err
}

// end makes the final call, once.
func (p *progress) end() {
	if !p.ended {
		p.ended = true
		p.fn(p.done, p.total)
	}
}

// Close makes the final call if reading did not, and closes the reader.
func (p *progress) Close() error {
	p.end()
	return p.r.Close()
}
