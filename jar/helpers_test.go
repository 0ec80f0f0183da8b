package jar_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// epoch is the fake clock's start: a fixed instant so tests never depend
// on the real time.
var epoch = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// fakeClock is an injectable clock for jar.WithClock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: epoch} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatalf("url.Parse(%q): %v", s, err)
	}
	return u
}

// parseSetCookies parses Set-Cookie lines with net/http.
func parseSetCookies(t testing.TB, lines ...string) []*http.Cookie {
	t.Helper()
	var cs []*http.Cookie
	for _, l := range lines {
		c, err := http.ParseSetCookie(l)
		if err != nil {
			t.Fatalf("http.ParseSetCookie(%q): %v", l, err)
		}
		cs = append(cs, c)
	}
	return cs
}

// header renders cookies as a Cookie header would carry them.
func header(cs []*http.Cookie) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.String()
	}
	return strings.Join(parts, "; ")
}
