// Command demo runs the snippets of requests' "Session Objects" section
// (../shared/spec/seed-sessions.txt) with tether and prints what they print.
// By default it starts tether's embedded go-httpbin on loopback; -url points
// it at another httpbin, e.g. make demo URL=http://localhost:8080.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
)

func main() {
	target := flag.String("url", "", "httpbin base URL (default: an embedded go-httpbin)")
	flag.Parse()
	httpbin := *target
	if httpbin == "" {
		srv := testserver.Start()
		defer srv.Close()
		httpbin = srv.URL
	}
	fmt.Printf("tether demo against %s\n", httpbin)
	if err := run(os.Stdout, httpbin); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

type snippet struct {
	title string
	run   func(ctx context.Context, w io.Writer, httpbin string) error
}

var snippets = []snippet{
	{"Persist cookies across requests", persistCookies},
	{"Session defaults merged with method values", sessionDefaults},
	{"Method-level cookies are not persisted", methodCookies},
	{"defer s.Close() for the context manager", closeSession},
	{"Remove a session value for one request", removeValue},
	{"All values a session holds", sessionValues},
}

func run(w io.Writer, httpbin string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, sn := range snippets {
		fmt.Fprintf(w, "\n== %s ==\n", sn.title)
		if err := sn.run(ctx, w, httpbin); err != nil {
			return fmt.Errorf("%s: %w", sn.title, err)
		}
	}
	return nil
}

func persistCookies(ctx context.Context, w io.Writer, httpbin string) error {
	s := client.New()
	defer s.Close()
	if _, err := s.Get(httpbin + "/cookies/set/sessioncookie/123456789").Do(ctx); err != nil {
		return err
	}
	r, err := s.Get(httpbin + "/cookies").Do(ctx)
	if err != nil {
		return err
	}
	fmt.Fprint(w, r.Text())
	return nil
}

func sessionDefaults(ctx context.Context, w io.Writer, httpbin string) error {
	s := client.New().
		SetBasicAuth("user", "pass").
		SetHeaders(map[string]string{"x-test": "true"})
	defer s.Close()
	// both 'x-test' and 'x-test2' are sent
	r, err := s.Get(httpbin+"/headers").Header("x-test2", "true").Do(ctx)
	if err != nil {
		return err
	}
	var got struct{ Headers map[string]any }
	if err := r.JSON(&got); err != nil {
		return err
	}
	for _, name := range []string{"X-Test", "X-Test2", "Authorization"} {
		fmt.Fprintln(w, name+":", got.Headers[name])
	}
	return nil
}

func methodCookies(ctx context.Context, w io.Writer, httpbin string) error {
	s := client.New()
	defer s.Close()
	r, err := s.Get(httpbin+"/cookies").Cookie("from-my", "browser").Do(ctx)
	if err != nil {
		return err
	}
	fmt.Fprint(w, r.Text())
	if r, err = s.Get(httpbin + "/cookies").Do(ctx); err != nil {
		return err
	}
	fmt.Fprint(w, r.Text())
	return nil
}

func closeSession(ctx context.Context, w io.Writer, httpbin string) error {
	s := client.New()
	defer s.Close()
	if _, err := s.Get(httpbin + "/cookies/set/sessioncookie/123456789").Do(ctx); err != nil {
		return err
	}
	fmt.Fprintln(w, s.Jar().Map())
	return nil
}

func removeValue(ctx context.Context, w io.Writer, httpbin string) error {
	s := client.New().SetHeader("x-test", "true").SetParam("page", "1")
	defer s.Close()
	for _, b := range []struct {
		label string
		del   bool
	}{{"removed for one request", true}, {"next request", false}} {
		req := s.Get(httpbin + "/get")
		if b.del {
			req = req.DelHeader("x-test").DelParam("page")
		}
		r, err := req.Do(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: x-test sent: %t, query: %q\n", b.label, r.Request().Header.Get("X-Test") != "", r.Request().URL.RawQuery)
	}
	return nil
}

func sessionValues(_ context.Context, w io.Writer, _ string) error {
	s := client.New().
		SetBaseURL("https://api.example.com/v1").
		SetHeader("x-test", "true").
		SetParam("lang", "en").
		SetBasicAuth("user", "pass").
		SetCookie("theme", "dark")
	defer s.Close()
	fmt.Fprintln(w, "base URL:", s.BaseURL())
	fmt.Fprintln(w, "headers:", s.Headers())
	fmt.Fprintln(w, "params:", s.Params())
	fmt.Fprintln(w, "auth:", s.Auth())
	fmt.Fprintln(w, "cookies:", s.Jar().Map())
	fmt.Fprintln(w, "max redirects:", s.MaxRedirects())
	return s.Err()
}
