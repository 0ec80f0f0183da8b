package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/decode"
	"github.com/tether-http/tether/request"
)

// TetherDefaults are the values tether sends by default that normalisation
// replaces by DefaultValue: its User-Agent and its Accept-Encoding (every
// coding it decodes).
var TetherDefaults = map[string]string{
	"user-agent":      "tether/" + request.Version,
	"accept-encoding": decode.AcceptEncoding,
}

// RunTether runs c (with concrete URLs) with a tether session against the
// rig, marking each step on its servers and proxy, and returns each step's
// facts. It needs the rig to itself while it runs.
func RunTether(ctx context.Context, c *Case, rig *Rig) ([]Facts, error) {
	s := client.New()
	defer s.Close()
	sess := c.Session
	s.SetTrustEnv(sess.trustEnv())
	if len(sess.Proxies) == 1 && sess.Proxies[0].Name == "all" && sess.Proxies[0].Value != nil {
		s.SetProxy(*sess.Proxies[0].Value)
	} else if sess.Proxies != nil {
		m := map[string]string{}
		for _, kv := range sess.Proxies {
			m[kv.Name] = *kv.Value // LoadCases rejects null
		}
		s.SetProxies(m)
	}
	for _, kv := range sess.Headers {
		if kv.Null() {
			s.DelHeader(kv.Name)
		} else {
			s.SetHeader(kv.Name, kv.Values()...)
		}
	}
	for _, kv := range sess.Params {
		if kv.Null() {
			s.DelParam(kv.Name)
		} else {
			s.SetParam(kv.Name, kv.Values()...)
		}
	}
	if len(sess.Auth) == 2 {
		s.SetBasicAuth(sess.Auth[0], sess.Auth[1])
	}
	for _, kv := range sess.Cookies {
		s.SetCookie(kv.Name, *kv.Value)
	}
	if sess.MaxRedirects != nil {
		s.SetMaxRedirects(*sess.MaxRedirects)
	}
	if len(sess.Digest) == 2 {
		s.SetAuth(request.DigestAuth{Username: sess.Digest[0], Password: sess.Digest[1]})
	}
	hooks := &hookLog{}
	for _, name := range sess.Hooks {
		s.OnResponse(hooks.hook(name))
	}
	if sess.Retry != nil {
		s.SetRetry(sess.Retry.tether())
	}
	if err := s.Err(); err != nil {
		return nil, fmt.Errorf("session setup: %w", err)
	}
	dir, err := os.MkdirTemp("", "conformance-files-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	facts := make([]Facts, len(c.Steps))
	for i, st := range c.Steps {
		files, err := writeFiles(filepath.Join(dir, strconv.Itoa(i)), st.Files)
		if err != nil {
			return nil, err
		}
		rig.mark(label(c, i))
		if st.CloseBefore {
			_ = s.Close()
		}
		f := Facts{}
		hooks.reset()
		b := builder(s, st, files)
		for _, name := range st.Hooks {
			b = b.OnResponse(hooks.hook(name))
		}
		resp, err := b.Do(ctx)
		if rerr := (*request.RedirectError)(nil); errors.As(err, &rerr) {
			resp, f.Error = rerr.Response, ErrTooManyRedirects
		} else if errors.Is(err, request.ErrHook) && errors.Is(err, errHookFailed) {
			f.Error = ErrHookFailed
		} else if errors.Is(err, request.ErrBodyNotReplayable) {
			f.Error = ErrBodyNotReplayable
		} else if err != nil {
			f.Error = err.Error()
		}
		f.Hooks = hooks.runs()
		if resp != nil {
			f.Status = resp.StatusCode()
			f.URL = resp.URL().String()
			for _, h := range resp.History() {
				f.History = append(f.History, fmt.Sprintf("%d %s", h.StatusCode(), h.URL()))
			}
			if next := resp.Next(); next != nil {
				f.Next = next.String()
			}
			if st.Encoding {
				f.Encoding = resp.Encoding()
			}
			f.Attempts = resp.Attempts()
			if st.RequestFraming {
				for _, r := range append(resp.History(), resp) {
					f.RequestFraming = append(f.RequestFraming, framingLines(r.Request().Header))
				}
			}
			if st.Text || st.TextJSON {
				f.Text = resp.Text()
			}
			if st.Content {
				f.Content = resp.Bytes()
			}
			if f.Error == "" {
				if err := iterate(resp, st, &f); err != nil {
					f.Error = err.Error()
				}
			}
			_ = resp.Close() // a streamed body not read to its end
		}
		for _, ck := range s.Jar().All() {
			v := ck.Value
			if ck.Quoted {
				v = `"` + v + `"`
			}
			f.Jar = append(f.Jar, JarCookie{Name: ck.Name, Value: v, Domain: ck.Domain, Path: ck.Path})
		}
		facts[i] = f
	}
	rig.mark("")
	return facts, nil
}

// framingLines are the Content-Length and Transfer-Encoding lines of h.
func framingLines(h http.Header) []string {
	var out []string
	for _, k := range []string{"Content-Length", "Transfer-Encoding"} {
		for _, v := range h.Values(k) {
			out = append(out, k+": "+v)
		}
	}
	return out
}

// writeFiles writes the contents of a step's file_path parts to files named
// by their filenames in a new directory dir, and returns each part's path
// ("" for parts sent from memory).
func writeFiles(dir string, parts []FilePart) ([]string, error) {
	paths := make([]string, len(parts))
	for k, p := range parts {
		if !p.FilePath {
			continue
		}
		if err := os.MkdirAll(filepath.Join(dir, strconv.Itoa(k)), 0o700); err != nil {
			return nil, err
		}
		paths[k] = filepath.Join(dir, strconv.Itoa(k), *p.Filename)
		if err := os.WriteFile(paths[k], p.Bytes(), 0o600); err != nil {
			return nil, err
		}
	}
	return paths, nil
}

// iterate records what Lines, LinesDelim, TextLines (as UTF-8) or Chunks
// yield, copied.
func iterate(resp *request.Response, st *Step, f *Facts) error {
	var seq iter.Seq2[[]byte, error]
	switch {
	case st.IterLines != nil && st.IterLines.DecodeUnicode:
		seq = func(yield func([]byte, error) bool) {
			for line, err := range resp.TextLines() {
				if !yield([]byte(line), err) {
					return
				}
			}
		}
	case st.IterLines != nil && st.IterLines.Delimiter != nil:
		seq = resp.LinesDelim([]byte(*st.IterLines.Delimiter))
	case st.IterLines != nil:
		seq = resp.Lines()
	case st.IterContent != nil:
		seq = resp.Chunks(st.IterContent.ChunkSize)
	default:
		return nil
	}
	items := [][]byte{}
	for b, err := range seq {
		if err != nil {
			return err
		}
		items = append(items, bytes.Clone(b))
	}
	if st.IterLines != nil {
		f.Lines = items
	} else {
		f.Chunks = items
	}
	return nil
}

// builder translates a step into tether's request builder; paths are the
// files written for the step's file_path parts.
func builder(s *client.Session, st *Step, paths []string) request.Builder {
	b := s.Request(st.Method, st.URL)
	if st.Method == http.MethodHead && !st.ViaRequest {
		b = s.Head(st.URL) // the oracle calls s.head, which does not follow redirects
	}
	for _, kv := range st.Headers {
		if kv.Null() {
			b = b.DelHeader(kv.Name)
		} else {
			b = b.Header(kv.Name, kv.Values()...)
		}
	}
	for _, kv := range st.Params {
		// A null removes the key; a list with no non-null value keeps it,
		// sending nothing, as requests does.
		if kv.Null() {
			b = b.DelParam(kv.Name)
		} else {
			b = b.Param(kv.Name, kv.Values()...)
		}
	}
	if st.ParamsList != nil {
		b = b.ClearParams()
		var keys []string
		vals := map[string][]string{}
		for _, p := range st.ParamsList {
			if _, ok := vals[p[0]]; !ok {
				keys = append(keys, p[0])
			}
			vals[p[0]] = append(vals[p[0]], p[1])
		}
		for _, k := range keys {
			b = b.Param(k, vals[k]...)
		}
	}
	for _, kv := range st.Cookies {
		if kv.Null() {
			b = b.DelCookie(kv.Name)
		} else {
			b = b.Cookie(kv.Name, *kv.Value)
		}
	}
	if st.Auth != nil {
		if a := *st.Auth; len(a) == 2 {
			b = b.BasicAuth(a[0], a[1])
		} else {
			b = b.NoAuth()
		}
	}
	if st.Data != nil && st.DataStream {
		b = b.Body(io.MultiReader(strings.NewReader(*st.Data))) // neither a seeker nor bytes: one-shot
	} else if st.Data != nil {
		b = b.BodyBytes([]byte(*st.Data))
	}
	if st.DataB64 != nil {
		b = b.BodyBytes(st.DataB64)
	}
	if st.Form != nil {
		form := url.Values{}
		for _, p := range st.Form {
			form.Add(p[0], p[1])
		}
		b = b.Form(form)
	}
	for k, p := range st.Files {
		var opts []request.PartOption
		if p.ContentType != "" {
			opts = append(opts, request.PartContentType(p.ContentType))
		}
		for _, name := range slices.Sorted(maps.Keys(p.Headers)) {
			opts = append(opts, request.PartHeader(name, p.Headers[name]))
		}
		if p.FilePath {
			b = b.FileFromPath(p.Field, paths[k], opts...)
		} else {
			// LoadCases rejects a null filename, which File cannot express.
			b = b.File(p.Field, *p.Filename, bytes.NewReader(p.Bytes()), opts...)
		}
	}
	if st.Stream {
		b = b.Stream()
	}
	if st.JSON != nil {
		var v any
		_ = json.Unmarshal(st.JSON, &v) // valid JSON: LoadCases decoded it
		b = b.JSON(v)
	}
	if len(st.Digest) == 2 {
		b = b.Auth(request.DigestAuth{Username: st.Digest[0], Password: st.Digest[1]})
	}
	if st.Retry != nil {
		b = b.Retry(st.Retry.tether())
	}
	if st.NoRetry {
		b = b.NoRetry()
	}
	switch {
	case st.ProxyOne() && st.Proxies[0].Null():
		b = b.NoProxy()
	case st.ProxyOne():
		b = b.Proxy(*st.Proxies[0].Value)
	case len(st.Proxies) > 0:
		m := map[string]string{}
		for _, kv := range st.Proxies {
			m[kv.Name] = *kv.Value
		}
		b = b.Proxies(m)
	}
	if st.AllowRedirects != nil {
		if *st.AllowRedirects {
			b = b.FollowRedirects()
		} else {
			b = b.NoRedirects()
		}
	}
	return b
}

// tether returns the policy as tether's Retry, without backoff.
func (r *Retry) tether() request.Retry {
	return request.Retry{Attempts: r.Attempts, Statuses: slices.Clone(r.Statuses), Methods: slices.Clone(r.Methods)}
}

// errHookFailed is what a hook whose name ends in "!" returns.
var errHookFailed = errors.New("conformance: hook failed on purpose")

// hookLog records the runs of a case's hooks, step by step.
type hookLog struct {
	mu  sync.Mutex
	log []string
}

// hook returns a hook that records "name status path" and, when name ends
// in "!", fails.
func (l *hookLog) hook(name string) func(*request.Response) error {
	return func(r *request.Response) error {
		l.mu.Lock()
		l.log = append(l.log, fmt.Sprintf("%s %d %s", name, r.StatusCode(), r.URL().EscapedPath()))
		l.mu.Unlock()
		if strings.HasSuffix(name, "!") {
			return errHookFailed
		}
		return nil
	}
}

func (l *hookLog) reset() {
	l.mu.Lock()
	l.log = nil
	l.mu.Unlock()
}

func (l *hookLog) runs() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.log)
}
