package netrc

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/idna"
)

type pathResult struct {
	Path   string
	Exists bool
}

func TestPath(t *testing.T) {
	dir := t.TempDir()
	both := filepath.Join(dir, "both")
	underscore := filepath.Join(dir, "underscore")
	empty := filepath.Join(dir, "empty")
	for _, name := range []string{"both/.netrc", "both/_netrc", "underscore/_netrc", "custom", "empty/.keep"} {
		write(t, filepath.Join(dir, name), "")
	}
	if err := os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, "dangling")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  map[string]string
		want pathResult
	}{
		{"NETRC", map[string]string{"NETRC": filepath.Join(dir, "custom"), "HOME": both}, pathResult{filepath.Join(dir, "custom"), true}},
		{"NETRC missing", map[string]string{"NETRC": filepath.Join(dir, "nope"), "HOME": both}, pathResult{filepath.Join(dir, "nope"), false}},
		{"NETRC dangling symlink", map[string]string{"NETRC": filepath.Join(dir, "dangling")}, pathResult{filepath.Join(dir, "dangling"), false}},
		{"NETRC directory", map[string]string{"NETRC": dir}, pathResult{dir, true}},
		{"NETRC tilde", map[string]string{"NETRC": "~/custom", "HOME": dir}, pathResult{filepath.Join(dir, "custom"), true}},
		{"NETRC tilde only", map[string]string{"NETRC": "~", "HOME": dir + "//"}, pathResult{dir, true}},
		{"NETRC tilde in the middle", map[string]string{"NETRC": "a/~/b", "HOME": dir}, pathResult{"a/~/b", false}},
		{"NETRC unknown user", map[string]string{"NETRC": "~no-such-user-here/x", "HOME": dir}, pathResult{"~no-such-user-here/x", false}},
		{"HOME root", map[string]string{"NETRC": "~", "HOME": "/"}, pathResult{"/", true}},
		{".netrc first", map[string]string{"HOME": both}, pathResult{filepath.Join(both, ".netrc"), true}},
		{"_netrc second", map[string]string{"HOME": underscore}, pathResult{filepath.Join(underscore, "_netrc"), true}},
		{"neither", map[string]string{"HOME": empty}, pathResult{filepath.Join(empty, ".netrc"), false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got pathResult
			got.Path, got.Exists = Path(func(k string) string { return tt.env[k] })
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Path (-want +got):\n%s", diff)
			}
		})
	}
}

func TestExpandUserNamed(t *testing.T) {
	me, err := user.Current()
	if err != nil || me.Username == "" || me.HomeDir == "" {
		t.Skipf("no current user to expand: %v", err)
	}
	noHome := func(string) string { return "" }
	tests := []struct{ name, in, want string }{
		{"named user", "~" + me.Username + "/x", filepath.Clean(me.HomeDir) + "/x"},
		{"named user alone", "~" + me.Username, filepath.Clean(me.HomeDir)},
		{"no HOME falls back to the user database", "~/x", filepath.Clean(me.HomeDir) + "/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, expandUser(tt.in, noHome)); diff != "" {
				t.Errorf("expandUser(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestPathNilLookup(t *testing.T) {
	t.Setenv("NETRC", filepath.Join(t.TempDir(), "x"))
	got, _ := Path(nil)
	if diff := cmp.Diff(os.Getenv("NETRC"), got); diff != "" {
		t.Errorf("Path(nil) (-want +got):\n%s", diff)
	}
}

func TestLookupUnreadable(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "netrc")
	write(t, p, exampleNetrc)
	tests := []struct {
		name, path, host string
		want             creds
	}{
		{"readable", p, "example.com", auth("u", "p")},
		{"missing", filepath.Join(dir, "nope"), "example.com", none},
		{"directory", dir, "example.com", none},
		{"empty host", p, "", none},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got creds
			got.Login, got.Password, got.OK = Lookup(tt.path, tt.host)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Lookup (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPythonHostname(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"ASCII", "ExAmple.COM", "example.com"},
		{"IPv6", "FE80::AB", "fe80::ab"},
		{"IPv6 zone", "FE80::1%EN0", "fe80::1%25EN0"},
		{"percent outside IPv6", "A%B", "a%b"},
		{"final sigma", "ΑΣ", "ας"},
		{"final sigma before case-ignorable", "ΑΣ'", "ας'"},
		{"sigma before letter after dot", "ΑΣ.Β", "ασ.β"},
		{"lone sigma", "Σ", "σ"},
		{"sigma after ignorable only", ".Σ", ".σ"},
		{"dotted I", "İ", "i\u0307"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, pythonHostname(tt.in)); diff != "" {
				t.Errorf("pythonHostname(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// TestLookupHostIsDialedHost checks, for the crafted URLs that Go parses,
// that the host tether looks credentials up for (url.URL.Hostname) is the
// host that http.Transport dials and names in Host. Nothing is dialled:
// the dialer records the address and fails.
func TestLookupHostIsDialedHost(t *testing.T) {
	errNoDial := errors.New("not dialling")
	for _, c := range lookupCases() {
		u, err := url.Parse(c.url)
		if err != nil || u.Hostname() == "" {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			var dialed string
			tr := &http.Transport{
				Proxy: nil,
				DialContext: func(_ context.Context, _, addr string) (net.Conn, error) {
					dialed = addr
					return nil, errNoDial
				},
				DialTLSContext: func(_ context.Context, _, addr string) (net.Conn, error) {
					dialed = addr
					return nil, errNoDial
				},
			}
			defer tr.CloseIdleConnections()
			req, err := http.NewRequest(http.MethodGet, c.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tr.RoundTrip(req); !errors.Is(err, errNoDial) {
				t.Fatalf("RoundTrip: %v, want the dialer's error", err)
			}
			host, _, err := net.SplitHostPort(dialed)
			if err != nil {
				t.Fatal(err)
			}
			// Go dials the IDNA form of a non-ASCII name (and an ASCII
			// one as it is).
			want := u.Hostname()
			if strings.ContainsFunc(want, func(r rune) bool { return r >= utf8.RuneSelf }) {
				if want, err = idna.Lookup.ToASCII(want); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(want, host); diff != "" {
				t.Errorf("dialled host vs Hostname() for %q (-hostname +dialled):\n%s", c.url, diff)
			}
		})
	}
}

// TestLookupRereadsChangedFile: the parsed file is kept only while it is
// unchanged: a rewrite (in place, same size, within the same second) and
// a replacement (rename) are both seen by the next Lookup.
func TestLookupRereadsChangedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "netrc")
	write := func(pass string) {
		t.Helper()
		if err := os.WriteFile(path, []byte("machine h login u password "+pass+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	check := func(want string) {
		t.Helper()
		if _, got, ok := Lookup(path, "h"); !ok || got != want {
			t.Fatalf("Lookup = %q %v, want %q", got, ok, want)
		}
	}
	write("aaaa")
	check("aaaa")
	write("bbbb") // same size, same timestamp tick
	check("bbbb")
	// An old file is kept parsed; changing it is still seen.
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	check("bbbb")
	check("bbbb")
	tmp := path + ".new"
	if err := os.WriteFile(tmp, []byte("machine h login u password cccc\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(tmp, old, old); err != nil { // same size, same times: only the inode differs
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	check("cccc")
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := Lookup(path, "h"); ok {
		t.Fatal("Lookup found credentials in a removed file")
	}
}
