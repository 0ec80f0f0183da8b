package core

import (
	"errors"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/tether-http/tether/internal/decode"
	"github.com/tether-http/tether/jar"
)

// Authorizer is the method set of request.Auth. It is repeated here so that
// the snapshot can hold an Auth without importing package request.
type Authorizer interface {
	Apply(req *http.Request) error
}

// Param is one query parameter with all its values, in the order it was set.
type Param struct {
	Key    string
	Values []string
}

// Params is an ordered list of query parameters. Keys are case-sensitive and
// unique; a key set again keeps its slot.
type Params []Param

// Index returns the position of key, or -1.
func (p Params) Index(key string) int {
	for i := range p {
		if p[i].Key == key {
			return i
		}
	}
	return -1
}

// Set returns p with key set to values: in place of an existing key, at the
// end for a new one. It never changes p's backing array.
func (p Params) Set(key string, values []string) Params {
	return slices.Clone(p).Put(key, values)
}

// Put is Set on a p the caller owns: it changes p in place, and may append.
func (p Params) Put(key string, values []string) Params {
	if i := p.Index(key); i >= 0 {
		p[i] = Param{Key: key, Values: values}
		return p
	}
	return append(p, Param{Key: key, Values: values})
}

// OwnValues copies values so that neither the caller nor a later append can
// change what is stored (the copy has no spare capacity); no values means
// one empty value. It is the rule for header values.
func OwnValues(values []string) []string {
	if len(values) == 0 {
		return []string{""}
	}
	return OwnParamValues(values)
}

// OwnParamValues is OwnValues for query parameters: no values stay no
// values, a key that sends nothing (requests' params={key: []}).
func OwnParamValues(values []string) []string {
	return slices.Clip(slices.Clone(values))
}

// Del returns p without key. It never changes p's backing array.
func (p Params) Del(key string) Params {
	i := p.Index(key)
	if i < 0 {
		return p
	}
	return slices.Delete(slices.Clone(p), i, i+1)
}

// Snapshot is the state of a session at one moment. It is immutable once
// published: whoever changes a session builds a new Snapshot.
type Snapshot struct {
	// BaseURL is joined with relative request URLs. Nil means none.
	BaseURL *url.URL
	// Header holds the default headers, canonical keys.
	Header http.Header
	// Params holds the default query parameters in the order they were set.
	Params Params
	// Auth is the default authentication; nil means none.
	Auth Authorizer
	// Jar is the live cookie jar. Nil means a throwaway jar per call.
	Jar *jar.Jar
	// Timeout bounds a whole call; zero means none.
	Timeout time.Duration
	// ConnectTimeout and ReadTimeout bound a call's phases; zero: none.
	ConnectTimeout, ReadTimeout time.Duration
	// Retry is the default retry policy, a *request.Retry, or nil.
	Retry any
	// Hooks are the response hooks, a []func(*request.Response) error.
	Hooks any
	// MaxRedirects is how many redirects a call may follow.
	MaxRedirects int
	// RedirectCheck decides whether a call follows each redirect, a
	// func(request.Redirect) error, or nil: every redirect is followed.
	RedirectCheck any
	// MaxBodySize is the most decoded bytes a call reads into memory;
	// zero means no limit.
	MaxBodySize int64
	// Transport sends every hop: the session's transport (see
	// NewTransport) under the middleware of its Use calls. Package request
	// follows redirects and stores cookies itself, so it calls RoundTrip
	// rather than an http.Client.
	Transport http.RoundTripper
	// Base is the transport under the middleware, which Close reaches.
	Base http.RoundTripper
	// Middleware is what Use added, outermost first.
	Middleware []func(http.RoundTripper) http.RoundTripper
	// NoTrustEnv is requests' trust_env=False: no proxy, CA bundle or
	// netrc from the environment.
	NoTrustEnv bool
	// TLS is the session's explicit TLS choice (SetVerify, SetCABundle,
	// SetRootCAs, SetClientCert), or nil.
	TLS *TLSChoice
	// Proxies are the session's explicit proxies, keyed like requests'
	// proxies ("http", "https", "all", "scheme://host"), or nil.
	Proxies map[string]string
	// Mounts are the session's mounted transports, longest prefix first.
	Mounts []Mount
	// Logger gets one Debug record per hop; nil: none.
	Logger *slog.Logger
	// Sensitive are the canonical names of headers that, like
	// Authorization, are dropped on a redirect that leaves the host and
	// redacted in the Logger's records; sorted, never changed once set.
	Sensitive []string
	// Trace fills Response.Timings.
	Trace bool
	// Shared is the session's mutable state that every snapshot of it
	// shares (digest auth nonces); nil for the package-level API.
	Shared *Shared
	// Errs holds what the session's setters rejected, by setter and key; a
	// later valid call to the same setter clears its entry.
	Errs map[string]error
}

// Err returns what the session's setters rejected, joined in key order so
// the message is stable, or nil.
func (s *Snapshot) Err() error {
	if len(s.Errs) == 0 {
		return nil
	}
	errs := make([]error, 0, len(s.Errs))
	for _, k := range slices.Sorted(maps.Keys(s.Errs)) {
		errs = append(errs, s.Errs[k])
	}
	return errors.Join(errs...)
}

// DefaultMaxRedirects is requests' default.
const DefaultMaxRedirects = 30

// WithErr returns a copy of errs with key set to err, or removed when err is nil.
func WithErr(errs map[string]error, key string, err error) map[string]error {
	if err == nil {
		if _, ok := errs[key]; !ok {
			return errs
		}
	}
	out := make(map[string]error, len(errs)+1)
	for k, v := range errs {
		out[k] = v
	}
	if err == nil {
		delete(out, key)
	} else {
		out[key] = err
	}
	return out
}

// Version is tether's version, sent in the default User-Agent.
const Version = "0.1.0"

// DefaultHeader returns the headers every session starts with, like
// requests' default_headers: the Accept-Encoding names every coding package
// request decodes.
func DefaultHeader() http.Header {
	return http.Header{
		"User-Agent":      {"tether/" + Version},
		"Accept":          {"*/*"},
		"Accept-Encoding": {decode.AcceptEncoding},
	}
}

// Shared is state a session keeps across calls that is not a setting: it
// lives as long as the session, and every snapshot points at the same one.
type Shared struct {
	// Digest holds the digest-auth state per credentials and host, keyed
	// by package request.
	Digest sync.Map
}
