// Package netrc finds credentials for a host in a .netrc file the way
// requests' get_netrc_auth does.
//
// The file is parsed by this package's own port of the tokenizer and grammar
// of Python's netrc module (3.11), which is what requests 2.34.2 calls, and
// not by github.com/jdx/go-netrc: that parser cannot read quoted tokens or
// backslash escapes, takes macdef bodies for machine entries, keeps the
// first of two entries for a machine where Python keeps the last, loses the
// fields after a comment inside an entry, reports no syntax error at all,
// panics on a file that ends right after "machine", and runs gpg on a path
// ending in ".gpg".
//
// What is matched, with requests 2.34.2 on Python 3.11 as the oracle:
//
//   - The file: $NETRC if set (with ~ expanded, and nothing else tried, even
//     when it does not exist), else the first of ~/.netrc and ~/_netrc that
//     exists (see Path).
//   - The host: the URL's hostname as urllib.parse gives it, which is lower
//     case; Lookup lowers the host it is given the same way, so it can be
//     handed url.URL.Hostname(). Machine names are compared exactly (case
//     sensitive), so "machine Example.com" never matches. The port plays no
//     part: every port of a host gets that host's credentials.
//   - No entry for the host: the "default" entry, if any. An entry for the
//     host with no login, account or password gives no credentials, and the
//     default entry is not tried then.
//   - Several entries for one machine: the last one wins.
//   - login, else account, is the user name; a missing password is "".
//   - Comments, macdef blocks, quoted tokens and backslash escapes, and
//     every quirk of Python's tokenizer around them: a "#" token at top level
//     skips the rest of its line only when it is exactly "#" and on the same
//     line as the previous token, a "#..." token inside an entry skips the
//     rest of its line only when it is on the line the previous token ended
//     on, and anything else left over is a syntax error.
//   - A syntax error, or a file that cannot be read, gives no credentials
//     (requests swallows NetrcParseError and OSError).
//
// Known differences:
//
//   - A file that is not UTF-8: Python raises UnicodeDecodeError out of
//     get_netrc_auth (requests does not catch it, so the request fails);
//     Lookup gives no credentials.
//   - $NETRC or $HOME set to the empty string counts as unset here (a lookup
//     function cannot tell the two apart); requests then finds no file, or
//     expands ~ to "".
//   - An IPv6 zone is given back to Python percent-encoded ("%25eth0");
//     Lookup re-encodes only the "%" that url.URL.Hostname decodes, so a zone
//     with other escapes in the URL does not match what requests looks up.
package netrc

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/tether-http/tether/internal/urls"
)

// files are the names tried in the home directory when $NETRC is not set,
// in order (requests.utils.NETRC_FILES).
var files = [...]string{".netrc", "_netrc"}

// Path returns the file requests would read: $NETRC if set, else ~/.netrc,
// else ~/_netrc, and whether it exists. lookup reads the environment (nil
// means os.Getenv).
//
// As in requests, $NETRC is the only file tried when it is set, and it goes
// through os.path.expanduser: a leading "~" or "~/" is $HOME (or, when that
// is empty, the current user's home directory), "~name" is that user's home
// directory, and the path is left alone when the user is unknown. A file
// "exists" as os.path.exists says: a directory exists too (and then gives no
// credentials), a dangling symlink does not. When neither home file exists,
// the ~/.netrc path is returned with false.
func Path(lookup func(string) string) (string, bool) {
	if lookup == nil {
		lookup = os.Getenv
	}
	if v := lookup("NETRC"); v != "" {
		p := expandUser(v, lookup)
		return p, exists(p)
	}
	first := ""
	for i, name := range files {
		p := expandUser("~/"+name, lookup)
		if i == 0 {
			first = p
		}
		if exists(p) {
			return p, true
		}
	}
	return first, false
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// expandUser is Python's posixpath.expanduser.
func expandUser(p string, lookup func(string) string) string {
	if !strings.HasPrefix(p, "~") {
		return p
	}
	i := strings.IndexByte(p[1:], '/') + 1
	if i == 0 {
		i = len(p)
	}
	var home string
	if i == 1 {
		home = lookup("HOME")
		if home == "" {
			u, err := user.Current()
			if err != nil {
				return p
			}
			home = u.HomeDir
		}
	} else {
		u, err := user.Lookup(p[1:i])
		if err != nil {
			return p
		}
		home = u.HomeDir
	}
	out := strings.TrimRight(home, "/") + p[i:]
	if out == "" {
		return "/"
	}
	return out
}

// Lookup returns the login and password for host (a URL's hostname without
// port, as url.URL.Hostname gives it) from the netrc file at path, as
// requests' get_netrc_auth does: the entry whose machine name is exactly
// the lowered host, else the "default" entry. ok is false when there is no
// such entry, when the entry has no login, account or password, and when the
// file is missing, unreadable, not UTF-8 or malformed. The login is the
// entry's login, or its account when it has no login; a missing password is
// "".
func Lookup(path, host string) (login, password string, ok bool) {
	host = pythonHostname(host)
	if host == "" {
		return "", "", false // urlparse gives hostname None: no lookup
	}
	hosts := load(path)
	e, found := hosts[host]
	if !found {
		e, found = hosts["default"]
	}
	if !found || e == (entry{}) {
		return "", "", false
	}
	login = e.login
	if login == "" {
		login = e.account
	}
	return login, e.password, true
}

// parsed is a netrc file as it was last read: its entries (nil when it
// could not be read or parsed) and the file they were read from.
type parsed struct {
	path  string
	info  os.FileInfo
	hosts map[string]entry
}

// lastRead is the last file read, which Lookup reads again only when it
// changes: a call without credentials looks its host up there, and
// requests reads and parses the whole file for every such call.
var lastRead atomic.Pointer[parsed]

// load returns the entries of the netrc file at path, parsed once for as
// long as the file stays the same one (device and inode), with the same
// size, mode and modification time; nil when it cannot be read or parsed.
func load(path string) map[string]entry {
	fi, err := os.Stat(path)
	if err != nil {
		return nil
	}
	if p := lastRead.Load(); p != nil && p.path == path && same(p.info, fi) {
		return p.hosts
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil
	}
	p := &parsed{path: path, info: fi}
	data, err := io.ReadAll(f)
	if err == nil && utf8.Valid(data) {
		if hosts, err := parse(universalNewlines(string(data))); err == nil {
			p.hosts = hosts
		}
	}
	if err != nil {
		return nil // a read error is not kept: the next call tries again
	}
	if time.Since(fi.ModTime()) > racyWindow {
		lastRead.Store(p)
	}
	return p.hosts
}

// racyWindow: a file changed this recently is not kept, read again on the
// next call, because a change within the file system's timestamp
// granularity (a few milliseconds) that keeps the size would not show in
// its modification time (git's "racily clean" entries).
const racyWindow = time.Second

// same reports whether a and b describe one unchanged file.
func same(a, b os.FileInfo) bool {
	return os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime()) && a.Mode() == b.Mode()
}

// pythonHostname turns url.URL.Hostname() into what urlparse(url).hostname
// is for the same URL: lower case, and for an IPv6 literal with a zone, the
// address part lowered, the zone as written (percent-encoded) and not
// lowered.
func pythonHostname(h string) string {
	if strings.Contains(h, ":") {
		addr, zone, ok := strings.Cut(h, "%")
		if ok {
			return urls.PythonLower(addr) + "%25" + zone
		}
	}
	return urls.PythonLower(h)
}

// universalNewlines is what Python's text mode does to line ends.
func universalNewlines(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

type entry struct{ login, account, password string }

// lexer is Python's netrc._netrclex. Its delimiters are all ASCII, so
// working on bytes gives the tokens that working on code points gives.
type lexer struct {
	s      string
	pos    int
	line   int // counts the newlines read by next, not by readLine
	pushed []string
}

func (l *lexer) next() (byte, bool) {
	if l.pos >= len(l.s) {
		return 0, false
	}
	c := l.s[l.pos]
	l.pos++
	if c == '\n' {
		l.line++
	}
	return c, true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// token returns the next token, "" at the end of the file (and for a
// quoted empty token, which the parser then also takes for the end).
func (l *lexer) token() string {
	if len(l.pushed) > 0 {
		t := l.pushed[0]
		l.pushed = l.pushed[1:]
		return t
	}
	var b strings.Builder
	c, ok := l.next()
	for ok && isSpace(c) {
		c, ok = l.next()
	}
	if !ok {
		return ""
	}
	if c == '"' {
		for {
			c, ok = l.next()
			if !ok || c == '"' {
				return b.String()
			}
			if c == '\\' {
				if c, ok = l.next(); !ok {
					return b.String()
				}
			}
			b.WriteByte(c)
		}
	}
	for {
		if c == '\\' {
			if c, ok = l.next(); !ok {
				return b.String()
			}
		}
		b.WriteByte(c)
		if c, ok = l.next(); !ok || isSpace(c) {
			return b.String()
		}
	}
}

// readLine is fp.readline(): the rest of the line with its "\n", "" at the
// end of the file. It does not count the line.
func (l *lexer) readLine() string {
	end := len(l.s)
	if i := strings.IndexByte(l.s[l.pos:], '\n'); i >= 0 {
		end = l.pos + i + 1
	}
	line := l.s[l.pos:end]
	l.pos = end
	return line
}

var errMacro = errors.New("netrc: macro definition missing null line terminator")

// parse is netrc._parse: the entries by machine name ("default" for the
// default entry).
func parse(s string) (map[string]entry, error) {
	l := &lexer{s: s, line: 1}
	hosts := map[string]entry{}
	for {
		saved := l.line
		top := l.token()
		var name string
		switch {
		case top == "":
			return hosts, nil
		case top[0] == '#':
			if l.line == saved && len(top) == 1 {
				l.readLine()
			}
			continue
		case top == "machine":
			name = l.token()
		case top == "default":
			name = "default"
		case top == "macdef":
			l.token() // the macro's name
			for {
				line := l.readLine()
				if line == "" {
					return nil, errMacro
				}
				if line == "\n" {
					break
				}
			}
			continue
		default:
			return nil, fmt.Errorf("netrc: bad toplevel token %q (line %d)", top, l.line)
		}
		if name == "" {
			return nil, fmt.Errorf("netrc: missing %q name (line %d)", top, l.line)
		}
		var e entry
	fields:
		for {
			prev := l.line
			tt := l.token()
			if strings.HasPrefix(tt, "#") {
				if l.line == prev {
					l.readLine()
				}
				continue
			}
			switch tt {
			case "", "machine", "default", "macdef":
				hosts[name] = e
				l.pushed = append(l.pushed, tt)
				break fields
			case "login", "user":
				e.login = l.token()
			case "account":
				e.account = l.token()
			case "password":
				e.password = l.token()
			default:
				return nil, fmt.Errorf("netrc: bad follower token %q (line %d)", tt, l.line)
			}
		}
	}
}
