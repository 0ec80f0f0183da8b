package jar

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/tether-http/tether/internal/wire"
)

// The Netscape cookies.txt format, as curl reads and writes it: one cookie
// a line, seven fields separated by tabs:
//
//	domain  include-subdomains  path  secure  expires  name  value
//
// A domain cookie's domain starts with a dot and include-subdomains is
// TRUE; a host-only cookie has FALSE. expires is in Unix seconds, 0 for a
// session cookie; Python's MozillaCookieJar leaves it empty for one, and
// Load reads that too, as it reads Python's line for a cookie without a
// domain (an empty domain and FALSE) as a session-wide cookie. A line
// starting with "#HttpOnly_" holds an HttpOnly cookie; other lines
// starting with "#" are comments.
//
// Session-wide cookies, which the format has no place for, are written
// with the prefix "#SessionWide_" and an empty domain. curl and browsers
// read such lines as comments; [Jar.Load] restores them.
const (
	httpOnlyPrefix    = "#HttpOnly_"
	sessionWidePrefix = "#SessionWide_"
	fileHeader        = "# Netscape HTTP Cookie File\n" +
		"# https://curl.se/docs/http-cookies.html\n" +
		"# Written by github.com/tether-http/tether/jar. Edit at your own risk.\n\n"
	maxLoadErrors = 10
)

// A SaveOption configures [Jar.Save] and [Jar.SaveFile]. A nil SaveOption
// is ignored.
type SaveOption func(*saveConfig)

type saveConfig struct{ session bool }

// WithSessionCookies makes [Jar.Save] and [Jar.SaveFile] also write session
// cookies (those without an expiry), with expires 0. By default they are
// left out, as a browser forgets them when it closes.
func WithSessionCookies() SaveOption {
	return func(c *saveConfig) { c.session = true }
}

// Save writes the jar's unexpired cookies to w in the Netscape cookies.txt
// format that curl (-b, -c) and browser extensions read. Session cookies
// are written only [WithSessionCookies]. Cookies are written in creation
// order, which the format has no field for, so that a jar loaded from the
// file sends them in the same order.
//
// Save never writes a line that [Jar.Load] would refuse or read as another
// cookie. The jar stores no such cookie, but should one be there, Save
// leaves it out, writes the others and returns a [*CookieError] for each
// left out (joined), matching [ErrInvalidCookie]. A nil w, typed nils
// included, is an [ErrNilArgument] error.
func (j *Jar) Save(w io.Writer, opts ...SaveOption) error {
	if err := nilArgument("Save", "io.Writer", w); err != nil {
		return err
	}
	werr, skipped := j.save(w, opts)
	if werr != nil {
		return fmt.Errorf("jar: save: %w", werr)
	}
	return skipped
}

// save writes the jar to w. It returns the error of w, and the joined
// errors of the cookies it left out.
func (j *Jar) save(w io.Writer, opts []SaveOption) (werr, skipped error) {
	var cfg saveConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	var (
		b    strings.Builder
		errs []error
	)
	b.WriteString(fileHeader)
	for _, c := range j.copies(creationOrder) {
		if c.Expires.IsZero() && !cfg.session {
			continue
		}
		line := netscapeLine(&c)
		if err := j.readBack(&c, line); err != nil {
			errs = append(errs, err)
			continue
		}
		b.WriteString(line)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err, nil
	}
	return nil, errors.Join(errs...)
}

// readBack checks that Load reads line, written for c, as c: the same
// name, value on the wire, domain, path, flags and expiry to the second.
// It returns a [*CookieError] naming the field that would change.
func (j *Jar) readBack(c *Cookie, line string) error {
	fail := func(field string, err error) error {
		return &CookieError{Name: c.Name, Field: field, Err: fmt.Errorf("not saved, cookies.txt cannot hold it: %w", err)}
	}
	for _, f := range [...]struct{ field, v string }{
		{"name", c.Name}, {"value", c.wireValue()}, {"domain", c.Domain}, {"path", c.Path},
	} {
		if !wire.NoCTL(f.v) {
			return fail(f.field, fmt.Errorf("control byte in %q", f.v))
		}
	}
	e, serr := j.parseLine(strings.TrimSuffix(line, "\n"), time.Time{})
	if serr != nil {
		var ce *CookieError
		if errors.As(serr.Err, &ce) {
			return fail(ce.Field, ce.Err)
		}
		if strings.HasPrefix(serr.Msg, "expires") {
			return fail("expires", serr)
		}
		return fail("domain", serr)
	}
	switch {
	case e == nil:
		return fail("domain", errors.New("the line would read as a comment"))
	case e.Name != c.Name:
		return fail("name", fmt.Errorf("would read as %q", e.Name))
	case e.wireValue() != c.wireValue():
		return fail("value", fmt.Errorf("would read as %q", e.wireValue()))
	case e.Domain != c.Domain || e.HostOnly != c.HostOnly || e.SessionWide != c.SessionWide:
		return fail("domain", fmt.Errorf("would read as %q", e.place()))
	case e.Path != c.Path:
		return fail("path", fmt.Errorf("would read as %q", e.Path))
	case e.Secure != c.Secure || e.HttpOnly != c.HttpOnly:
		return fail("name", errors.New("would lose its Secure or HttpOnly flag"))
	case e.Expires.IsZero() != c.Expires.IsZero() || e.Expires.Unix() != c.Expires.Unix():
		return fail("expires", fmt.Errorf("would read as %v", e.Expires))
	}
	return nil
}

func netscapeLine(c *Cookie) string {
	var b strings.Builder
	if c.SessionWide {
		b.WriteString(sessionWidePrefix)
	}
	if c.HttpOnly {
		b.WriteString(httpOnlyPrefix)
	}
	sub := "FALSE"
	if !c.SessionWide && !c.HostOnly {
		b.WriteByte('.')
		sub = "TRUE"
	}
	var expires int64
	if !c.Expires.IsZero() {
		expires = clampExpiry(c.Expires).Unix()
	}
	fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n",
		c.Domain, sub, c.Path, strings.ToUpper(strconv.FormatBool(c.Secure)), expires, c.Name, c.wireValue())
	return b.String()
}

// Load reads cookies in the Netscape cookies.txt format from r, as curl -c
// writes them, and adds them to the jar, replacing cookies with the same
// name, domain and path. It also reads the files Python's
// http.cookiejar.MozillaCookieJar writes, whose session cookies have an
// empty expires field. Cookies that have already expired are skipped; an
// expiry after the end of year 9999, up to 2^63-1, is clamped to
// 9999-12-31 23:59:59 UTC. If a line is malformed, Load returns errors
// ([*SyntaxError], joined) naming up to ten bad lines and adds nothing.
//
// Load reads any domain and path [Jar.SetCookies] stores, such as the
// host "my_service" or the path "/a;b", which [Jar.Set] refuses. A nil r,
// typed nils included, is an [ErrNilArgument] error; a nil j is an
// [ErrNilJar] error.
func (j *Jar) Load(r io.Reader) error {
	if j == nil {
		return ErrNilJar
	}
	if err := nilArgument("Load", "io.Reader", r); err != nil {
		return err
	}
	return j.load(r, "cookies.txt")
}

func (j *Jar) load(r io.Reader, file string) error {
	now := j.clock()
	br := bufio.NewReader(r)
	var (
		es   []*entry
		errs []error
	)
	for n := 1; ; n++ {
		line, err := br.ReadString('\n')
		if err != nil && err != io.EOF {
			return fmt.Errorf("jar: load %s: %w", file, err)
		}
		if line != "" {
			e, perr := j.parseLine(strings.TrimRight(line, "\r\n"), now)
			if perr != nil {
				perr.File, perr.Line = file, n
				if len(errs) < maxLoadErrors {
					errs = append(errs, perr)
				}
			} else if e != nil {
				es = append(es, e)
			}
		}
		if err == io.EOF {
			break
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, e := range es {
		j.put(e, now)
	}
	return nil
}

// parseLine parses one line. It returns nil, nil for blank lines, comments
// and expired cookies.
func (j *Jar) parseLine(line string, now time.Time) (*entry, *SyntaxError) {
	if strings.TrimSpace(line) == "" {
		return nil, nil
	}
	var wide, httpOnly bool
	if rest, ok := strings.CutPrefix(line, sessionWidePrefix); ok {
		wide, line = true, rest
	}
	if rest, ok := strings.CutPrefix(line, httpOnlyPrefix); ok {
		httpOnly, line = true, rest
	} else if !wide && strings.HasPrefix(line, "#") {
		return nil, nil
	}
	f := strings.Split(line, "\t")
	if len(f) == 6 {
		f = append(f, "") // curl writes a cookie with an empty value so
	}
	if len(f) != 7 {
		return nil, &SyntaxError{Msg: fmt.Sprintf("want 7 tab-separated fields, got %d", len(f))}
	}
	domain, subdomains, path, secure, expires, name, value := f[0], f[1], f[2], f[3], f[4], f[5], f[6]
	sub, err := parseBool(subdomains)
	if err != nil {
		return nil, &SyntaxError{Msg: "include-subdomains field", Err: err}
	}
	s := cookieSpec{domain: domain, hasDomain: true, path: path, hasPath: true, httpOnly: httpOnly, serverValue: true}
	if s.secure, err = parseBool(secure); err != nil {
		return nil, &SyntaxError{Msg: "secure field", Err: err}
	}
	var exp int64 // 0, or empty as Python's MozillaCookieJar writes it: a session cookie
	if expires != "" {
		exp, err = strconv.ParseInt(expires, 10, 64)
		if err != nil || exp < 0 {
			return nil, &SyntaxError{Msg: fmt.Sprintf("expires field %q is not a Unix time", expires)}
		}
		// time.Unix overflows into the past for the largest values.
		exp = min(exp, maxExpires.Unix())
	}
	if exp > 0 {
		s.expires, s.hasExpires = time.Unix(exp, 0).UTC(), true
	}
	if !wide && domain == "" && !sub {
		// Python's MozillaCookieJar writes a cookie set without a domain
		// (requests' s.cookies.set(k, v), sent to every host) so.
		wide = true
	}
	switch {
	case wide && (domain != "" || sub):
		return nil, &SyntaxError{Msg: "a session-wide cookie has an empty domain and FALSE include-subdomains"}
	case !wide && strings.TrimPrefix(domain, ".") == "":
		return nil, &SyntaxError{Msg: "empty domain"}
	}
	e, cerr := j.newEntry(name, value, s)
	if cerr != nil {
		return nil, &SyntaxError{Msg: "bad cookie", Err: cerr}
	}
	if !sub && !wide {
		e.HostOnly = true
	}
	if e.expired(now) {
		return nil, nil
	}
	return e, nil
}

func parseBool(s string) (bool, error) {
	switch strings.ToUpper(s) {
	case "TRUE":
		return true, nil
	case "FALSE":
		return false, nil
	}
	return false, fmt.Errorf("%q is neither TRUE nor FALSE", s)
}

// SaveFile writes the jar to the file name like [Jar.Save], atomically: it
// writes a temporary file in the same directory with permissions 0600,
// syncs it and renames it over name, so readers see the old file or the
// new one, never a part. If some cookies cannot be written (see
// [Jar.Save]), the file is replaced with the others and the error names
// them.
func (j *Jar) SaveFile(name string, opts ...SaveOption) error {
	var skipped error
	err := writeAtomic(name, func(w io.Writer) (werr error) {
		werr, skipped = j.save(w, opts)
		return werr
	})
	if err != nil {
		return fmt.Errorf("jar: save %s: %w", name, err)
	}
	return skipped
}

// writeAtomic writes the file name with write, through a temporary file
// renamed over it, as [Jar.SaveFile] describes.
func writeAtomic(name string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(name)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err = write(w); err != nil {
		return err
	}
	if err = w.Flush(); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}

// LoadFile reads the file name like [Jar.Load]; errors name the file. A
// nil j is an [ErrNilJar] error.
func (j *Jar) LoadFile(name string) error {
	if j == nil {
		return ErrNilJar
	}
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("jar: load: %w", err)
	}
	defer f.Close()
	return j.load(f, name)
}
