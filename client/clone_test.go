package client_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// cloneSent is what the server saw of one request: the headers a session sets
// and the cookies it sends.
type cloneSent struct {
	Tenant, Auth, Query string
	Cookies             []string
}

// sendFrom sends GET /get from s and returns what srv received.
func sendFrom(t *testing.T, srv *testserver.Server, s *client.Session) cloneSent {
	t.Helper()
	if _, err := s.Get(srv.URL + "/get").Do(context.Background()); err != nil {
		t.Fatal(err)
	}
	rec, ok := srv.Last()
	if !ok {
		t.Fatal("the server recorded nothing")
	}
	return cloneSent{Tenant: rec.Header.Get("X-Tenant"), Auth: rec.Header.Get("Authorization"), Query: rec.RawQuery, Cookies: rec.Cookies}
}

// TestClone: a clone starts with every setting of its session and a copy
// of its cookies, then each changes without the other seeing it, on the
// wire as in the getters.
func TestClone(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	s := client.New().
		SetHeader("X-Tenant", "a").
		SetParam("v", "1").
		SetBearerToken("token-a").
		SetCookie("c", "1").
		SetTimeout(5 * time.Second).
		SetMaxRedirects(3).
		SetSensitiveHeaders("X-Tenant")
	defer s.Close()
	c := s.Clone()
	defer c.Close()

	if diff := cmp.Diff(s.Headers(), c.Headers()); diff != "" {
		t.Errorf("clone's Headers() (-session +clone):\n%s", diff)
	}
	if diff := cmp.Diff(s.ParamList(), c.ParamList()); diff != "" {
		t.Errorf("clone's ParamList() (-session +clone):\n%s", diff)
	}
	if diff := cmp.Diff(s.Auth(), c.Auth()); diff != "" {
		t.Errorf("clone's Auth() (-session +clone):\n%s", diff)
	}
	if diff := cmp.Diff(s.SensitiveHeaders(), c.SensitiveHeaders()); diff != "" {
		t.Errorf("clone's SensitiveHeaders() (-session +clone):\n%s", diff)
	}
	if c.Timeout() != 5*time.Second || c.MaxRedirects() != 3 {
		t.Errorf("clone's Timeout() = %v, MaxRedirects() = %d, want 5s, 3", c.Timeout(), c.MaxRedirects())
	}
	if c.Jar() == s.Jar() {
		t.Error("the clone shares its session's jar")
	}

	same := cloneSent{Tenant: "a", Auth: "Bearer token-a", Query: "v=1", Cookies: []string{"c=1"}}
	tests := []struct {
		name         string
		change       func()
		session, cln cloneSent
	}{
		{name: "as cloned", change: func() {}, session: same, cln: same},
		{
			name: "the clone changed",
			change: func() {
				c.SetHeader("X-Tenant", "b").SetParam("v", "2").SetBearerToken("token-b").SetCookie("c", "2")
			},
			session: same,
			cln:     cloneSent{Tenant: "b", Auth: "Bearer token-b", Query: "v=2", Cookies: []string{"c=2"}},
		},
		{
			name: "the session changed too",
			change: func() {
				s.DelHeader("X-Tenant").DelParam("v").SetAuth(nil).SetCookie("d", "3")
			},
			session: cloneSent{Cookies: []string{"c=1", "d=3"}},
			cln:     cloneSent{Tenant: "b", Auth: "Bearer token-b", Query: "v=2", Cookies: []string{"c=2"}},
		},
	}
	for _, tt := range tests {
		tt.change()
		if diff := cmp.Diff(tt.session, sendFrom(t, srv, s)); diff != "" {
			t.Errorf("%s: the session sent (-want +got):\n%s", tt.name, diff)
		}
		if diff := cmp.Diff(tt.cln, sendFrom(t, srv, c)); diff != "" {
			t.Errorf("%s: the clone sent (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestCloneCookiesFromResponses: a cookie a server sets in answer to the
// clone goes to the clone's jar alone, and the other way round.
func TestCloneCookiesFromResponses(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	ctx := context.Background()
	s := client.New()
	defer s.Close()
	c := s.Clone()
	if _, err := c.Get(srv.URL + "/cookies/set/from/clone").Do(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(srv.URL + "/cookies/set/from/session").Do(ctx); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		sess *client.Session
		want string
	}{"session": {s, "session"}, "clone": {c, "clone"}} {
		if got, err := tc.sess.Jar().Get("from"); err != nil || got != tc.want {
			t.Errorf("%s's jar: from = %q, %v; want %q", name, got, err, tc.want)
		}
	}
}

// TestCloneSharesConnections: the clone sends over the connection its
// session opened.
func TestCloneSharesConnections(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	s := client.New()
	defer s.Close()
	sendFrom(t, srv, s)
	c := s.Clone().SetHeader("X-Tenant", "b")
	sendFrom(t, srv, c)
	sendFrom(t, srv, s)
	if got := srv.Conns(); got != 1 {
		t.Errorf("the server accepted %d connections, want 1", got)
	}
}

// TestCloneKeepsErrors: a setting the session refused stays refused in
// the clone, which sends nothing either.
func TestCloneKeepsErrors(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	s := client.New().SetHeader("Bad Name", "1")
	c := s.Clone()
	if err := c.Err(); err == nil {
		t.Fatal("the clone's Err() is nil, want the session's header error")
	}
	if _, err := c.Get(srv.URL + "/get").Do(context.Background()); err == nil {
		t.Fatal("the clone sent a call its session refuses")
	}
	if got := len(srv.Requests()); got != 0 {
		t.Errorf("the server got %d requests, want 0", got)
	}
}

// TestCloneWhileChanged: cloning while other goroutines change the session
// and send from it and from clones is safe (run with -race), and every
// clone has a cookie jar that SetCookie reached whole or not at all.
func TestCloneWhileChanged(t *testing.T) {
	t.Parallel()
	srv := testserver.New(t)
	s := client.New()
	defer s.Close()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 20 {
				v := fmt.Sprint(g, "-", i)
				s.SetHeader("X-Tenant", v).SetCookie(fmt.Sprint("c", g), v)
				c := s.Clone()
				if _, err := c.Get(srv.URL + "/get").Do(context.Background()); err != nil {
					t.Error(err)
					return
				}
				if got, err := c.Jar().Get(fmt.Sprint("c", g)); err != nil || got == "" {
					t.Errorf("clone's jar: c%d = %q, %v", g, got, err)
				}
			}
		})
	}
	wg.Wait()
}

// TestCloneZeroSession: the zero Session clones like a new one.
func TestCloneZeroSession(t *testing.T) {
	t.Parallel()
	var s client.Session
	c := s.Clone()
	if diff := cmp.Diff(client.New().Headers(), c.Headers()); diff != "" {
		t.Errorf("clone of the zero session: Headers() (-want +got):\n%s", diff)
	}
	if c.Auth() != request.Auth(nil) {
		t.Errorf("clone of the zero session: Auth() = %v", c.Auth())
	}
}
