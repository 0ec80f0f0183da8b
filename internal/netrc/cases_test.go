package netrc

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// creds is what a lookup gives: ok false means no credentials.
type creds struct {
	Login, Password string
	OK              bool
}

func auth(login, password string) creds { return creds{login, password, true} }

var none = creds{}

// lookupCase is one run of requests.utils.get_netrc_auth(url). Every case
// runs in a fresh temporary directory $DIR holding files; env is the whole
// environment the lookup sees ("$DIR" in a value is replaced), with HOME
// set to $DIR unless env sets it. netrc, when not empty, is written to
// $DIR/netrc and NETRC points at it.
type lookupCase struct {
	name  string
	netrc string
	files map[string]string
	env   map[string]string
	url   string
	want  creds
	// urlErr: Go's url.Parse rejects the URL, so tether never sends the
	// request and never looks anything up; want is then unused.
	urlErr bool
	// python, when set, is what requests 2.34.2 gives instead of want
	// (a deliberate difference, explained in the case's name and comment).
	python *creds
	// pythonRaises names the exception get_netrc_auth lets out, if any.
	pythonRaises string
}

const exampleNetrc = "machine example.com login u password p\n"

func lookupCases() []lookupCase {
	leaked := auth("u", "p")
	return []lookupCase{
		// Host matching.
		{name: "exact host", netrc: exampleNetrc, url: "http://example.com/", want: auth("u", "p")},
		{name: "exact host with path and query", netrc: exampleNetrc, url: "https://example.com/a/b?c=d#e", want: auth("u", "p")},
		{name: "other host without default", netrc: exampleNetrc, url: "http://example.org/", want: none},
		{name: "port is ignored", netrc: exampleNetrc, url: "http://example.com:8080/", want: auth("u", "p")},
		{name: "https default port", netrc: exampleNetrc, url: "https://example.com:443/", want: auth("u", "p")},
		{name: "machine with port never matches", netrc: "machine example.com:8080 login u password p\n", url: "http://example.com:8080/", want: none},
		{name: "host ending with machine name", netrc: exampleNetrc, url: "http://evilexample.com/", want: none},
		{name: "subdomain of machine name", netrc: exampleNetrc, url: "http://sub.example.com/", want: none},
		{name: "host containing machine name", netrc: exampleNetrc, url: "http://example.com.evil.com/", want: none},
		{name: "machine name is a suffix label", netrc: "machine com login u password p\n", url: "http://example.com/", want: none},
		{name: "trailing dot is another name", netrc: exampleNetrc, url: "http://example.com./", want: none},
		{name: "IPv4", netrc: "machine 127.0.0.1 login u password p\n", url: "http://127.0.0.1:9/", want: auth("u", "p")},
		{name: "IPv6 without brackets", netrc: "machine ::1 login u password p\n", url: "http://[::1]:8080/", want: auth("u", "p")},
		{name: "IPv6 with brackets never matches", netrc: "machine [::1] login u password p\n", url: "http://[::1]/", want: none},
		{name: "IPv6 upper case in URL", netrc: "machine fe80::1 login u password p\n", url: "http://[FE80::1]/", want: auth("u", "p")},
		{name: "IPv6 zone as written", netrc: "machine fe80::1%25eth0 login u password p\n", url: "http://[FE80::1%25eth0]/", want: auth("u", "p")},
		{name: "IPv6 zone case kept", netrc: "machine fe80::1%25ETH0 login u password p\n", url: "http://[fe80::1%25ETH0]/", want: auth("u", "p")},
		{name: "IPv6 zone decoded never matches", netrc: "machine fe80::1%eth0 login u password p\n", url: "http://[fe80::1%25eth0]/", want: none},

		// Case: the hostname is lowered, machine names are compared exactly.
		{name: "upper-case URL host", netrc: exampleNetrc, url: "http://EXAMPLE.Com/", want: auth("u", "p")},
		{name: "mixed-case machine never matches", netrc: "machine Example.com login u password p\n", url: "http://Example.com/", want: none},
		{name: "mixed-case machine falls to default", netrc: "machine Example.com login u password p\ndefault login d password dp\n", url: "http://Example.com/", want: auth("d", "dp")},
		{name: "non-ASCII host lowered", netrc: "machine bücher.de login u password p\n", url: "http://BÜCHER.de/", want: auth("u", "p")},
		{name: "final sigma", netrc: "machine ας login u password p\n", url: "http://ΑΣ/", want: auth("u", "p")},
		{name: "sigma before a dot is not final", netrc: "machine σασ.gr login u password p\n", url: "http://ΣΑΣ.gr/", want: auth("u", "p")},
		{name: "Kelvin sign lowers to k", netrc: "machine key.com login u password p\n", url: "http://\u212Aey.com/", want: auth("u", "p")},
		{name: "fullwidth letter is another name", netrc: exampleNetrc, url: "http://\uff45xample.com/", want: none},
		{name: "dotted capital I", netrc: "machine i\u0307.com login u password p\n", url: "http://İ.com/", want: auth("u", "p")},

		// The default entry.
		{name: "default entry for other host", netrc: "machine example.com login u password p\ndefault login d password dp\n", url: "http://example.org/", want: auth("d", "dp")},
		{name: "machine entry beats default", netrc: "default login d password dp\nmachine example.com login u password p\n", url: "http://example.com/", want: auth("u", "p")},
		{name: "default before machine still default", netrc: "default login d password dp\nmachine example.com login u password p\n", url: "http://example.org/", want: auth("d", "dp")},
		{name: "machine named default is the default", netrc: "machine default login md password mp\n", url: "http://example.org/", want: auth("md", "mp")},
		{name: "empty entry hides default", netrc: "machine example.com\ndefault login d password dp\n", url: "http://example.com/", want: none},
		{name: "empty default gives nothing", netrc: "default\n", url: "http://example.com/", want: none},
		{name: "host named default", netrc: "default login d password dp\n", url: "http://default/", want: auth("d", "dp")},

		// Fields.
		{name: "missing password", netrc: "machine example.com login u\n", url: "http://example.com/", want: auth("u", "")},
		{name: "password only", netrc: "machine example.com password p\n", url: "http://example.com/", want: auth("", "p")},
		{name: "account when no login", netrc: "machine example.com account acc password p\n", url: "http://example.com/", want: auth("acc", "p")},
		{name: "login beats account", netrc: "machine example.com login u account acc password p\n", url: "http://example.com/", want: auth("u", "p")},
		{name: "user is login", netrc: "machine example.com user u password p\n", url: "http://example.com/", want: auth("u", "p")},
		{name: "fields on several lines", netrc: "machine example.com\n\tlogin u\n\tpassword p\n", url: "http://example.com/", want: auth("u", "p")},
		{name: "later field wins", netrc: "machine example.com login u1 login u2 password p\n", url: "http://example.com/", want: auth("u2", "p")},
		{name: "keyword as a value", netrc: "machine example.com login default password machine\n", url: "http://example.com/", want: auth("default", "machine")},
		{name: "login at end of file", netrc: "machine example.com password p login", url: "http://example.com/", want: auth("", "p")},

		// Several entries for one machine: the last one wins, whole.
		{name: "last entry wins", netrc: "machine example.com login u1 password p1\nmachine example.com login u2 password p2\n", url: "http://example.com/", want: auth("u2", "p2")},
		{name: "last entry wins without password", netrc: "machine example.com login u1 password p1\nmachine example.com login u2\n", url: "http://example.com/", want: auth("u2", "")},
		{name: "last default wins", netrc: "default login d1 password p1\ndefault login d2 password p2\n", url: "http://example.com/", want: auth("d2", "p2")},

		// Quoting and escapes.
		{name: "quoted tokens", netrc: `machine "example.com" login "u x" password "p \"q\" \\ r"` + "\n", url: "http://example.com/", want: auth("u x", `p "q" \ r`)},
		{name: "backslash escapes unquoted", netrc: `machine example.com login u\ x password p\\q\"` + "\n", url: "http://example.com/", want: auth("u x", `p\q"`)},
		{name: "quote inside a token is kept", netrc: `machine example.com login u"v password p"` + "\n", url: "http://example.com/", want: auth(`u"v`, `p"`)},
		{name: "quoted token ends at the quote", netrc: `machine example.com login "u"password p` + "\n", url: "http://example.com/", want: auth("u", "p")},
		{name: "quoted keyword is a keyword", netrc: `"machine" example.com "login" u "password" p` + "\n", url: "http://example.com/", want: auth("u", "p")},
		{name: "unterminated quote runs to end", netrc: "machine example.com login u password \"p q\n", url: "http://example.com/", want: auth("u", "p q\n")},
		{name: "quoted empty token ends the file", netrc: `"" machine example.com login u password p` + "\n", url: "http://example.com/", want: none},
		{name: "quoted empty field ends the entry and file", netrc: `machine example.com login u "" password p` + "\n", url: "http://example.com/", want: auth("u", "")},
		{name: "quoted empty value", netrc: `machine example.com login "" password p` + "\n", url: "http://example.com/", want: auth("", "p")},
		{name: "non-ASCII password", netrc: "machine example.com login ü password pässwörd\u00a0x\n", url: "http://example.com/", want: auth("ü", "pässwörd\u00a0x")},

		// Comments, with Python's quirks.
		{name: "comment line first", netrc: "# my netrc\n" + exampleNetrc, url: "http://example.com/", want: auth("u", "p")},
		{name: "comment after entry", netrc: "machine example.com login u password p # old: q\n", url: "http://example.com/", want: auth("u", "p")},
		{name: "comment skips rest of line in entry", netrc: "machine example.com login u #password p\n", url: "http://example.com/", want: auth("u", "")},
		{name: "comment line inside entry", netrc: "machine example.com\n# note\nlogin u password p\n", url: "http://example.com/", want: auth("u", "p")},
		{name: "comment after blank line inside entry is an error", netrc: "machine example.com login u password p\n\n# note here\n", url: "http://example.com/", want: none},
		{name: "comment without space at top level is an error", netrc: "#my netrc\n" + exampleNetrc, url: "http://example.com/", want: none},
		{name: "one-word comment at top level", netrc: "#netrc\n" + exampleNetrc, url: "http://example.com/", want: auth("u", "p")},
		{name: "comment holding an entry", netrc: "# machine evil.com login u password p\n", url: "http://evil.com/", want: none},

		// macdef.
		{name: "macdef skipped", netrc: "macdef init\ncd /pub\nmachine evil.com login x password y\n\n" + exampleNetrc, url: "http://example.com/", want: auth("u", "p")},
		{name: "macdef body is not an entry", netrc: "macdef init\ncd /pub\nmachine evil.com login x password y\n\n" + exampleNetrc, url: "http://evil.com/", want: none},
		{name: "macdef ends an entry", netrc: "machine example.com login u\nmacdef init\nput x\n\npassword p\n", url: "http://example.com/", want: none},
		{name: "macdef after entry", netrc: exampleNetrc + "macdef init\nput x\n\n", url: "http://example.com/", want: auth("u", "p")},
		{name: "macdef without blank line", netrc: exampleNetrc + "macdef init\nput x\n", url: "http://example.com/", want: none},
		{name: "quoted macdef name ends at once", netrc: "macdef \"init\"\n" + exampleNetrc, url: "http://example.com/", want: auth("u", "p")},
		{name: "macdef with CRLF", netrc: "macdef init\r\nput x\r\n\r\n" + exampleNetrc, url: "http://example.com/", want: auth("u", "p")},

		// Line ends and encodings.
		{name: "CRLF", netrc: "machine example.com\r\nlogin u\r\npassword p\r\n", url: "http://example.com/", want: auth("u", "p")},
		{name: "lone CR", netrc: "machine example.com\rlogin u\rpassword p\r", url: "http://example.com/", want: auth("u", "p")},
		{name: "no final newline", netrc: "machine example.com login u password p", url: "http://example.com/", want: auth("u", "p")},
		{name: "tabs", netrc: "machine\texample.com\tlogin\tu\tpassword\tp", url: "http://example.com/", want: auth("u", "p")},
		{name: "NBSP is not a separator", netrc: "machine example.com login u\u00a0password p\n", url: "http://example.com/", want: none},
		{name: "byte order mark is a token", netrc: "\ufeff" + exampleNetrc, url: "http://example.com/", want: none},
		{name: "not UTF-8", netrc: "machine example.com login u password p\xff\n", url: "http://example.com/", want: none, pythonRaises: "UnicodeDecodeError"},

		// Malformed files.
		{name: "bad toplevel token", netrc: exampleNetrc + "bogus\n", url: "http://example.com/", want: none},
		{name: "bad follower token", netrc: "machine example.com login u secret p\n", url: "http://example.com/", want: none},
		{name: "machine without name", netrc: "machine", url: "http://example.com/", want: none},
		{name: "machine without name after entry", netrc: exampleNetrc + "machine\n", url: "http://example.com/", want: none},
		{name: "empty file", netrc: "\n", url: "http://example.com/", want: none},

		// Which file.
		{name: "NETRC missing: no fallback to home", files: map[string]string{".netrc": exampleNetrc}, env: map[string]string{"NETRC": "$DIR/nope"}, url: "http://example.com/", want: none},
		{name: "NETRC is a directory", files: map[string]string{".netrc": exampleNetrc}, env: map[string]string{"NETRC": "$DIR"}, url: "http://example.com/", want: none},
		{name: "NETRC with tilde", files: map[string]string{"custom": exampleNetrc}, env: map[string]string{"NETRC": "~/custom"}, url: "http://example.com/", want: auth("u", "p")},
		{name: "NETRC with tilde and HOME slash", files: map[string]string{"custom": exampleNetrc}, env: map[string]string{"NETRC": "~/custom", "HOME": "$DIR/"}, url: "http://example.com/", want: auth("u", "p")},
		{name: "NETRC tilde only names HOME", files: map[string]string{".netrc": exampleNetrc}, env: map[string]string{"NETRC": "~"}, url: "http://example.com/", want: none},
		{name: "home .netrc", files: map[string]string{".netrc": exampleNetrc}, url: "http://example.com/", want: auth("u", "p")},
		{name: "home _netrc", files: map[string]string{"_netrc": exampleNetrc}, url: "http://example.com/", want: auth("u", "p")},
		{name: "home .netrc before _netrc", files: map[string]string{".netrc": exampleNetrc, "_netrc": "machine example.com login other password other\n"}, url: "http://example.com/", want: auth("u", "p")},
		{name: "home .netrc directory hides _netrc", files: map[string]string{".netrc/x": "", "_netrc": exampleNetrc}, url: "http://example.com/", want: none},
		{name: "no file", url: "http://example.com/", want: none},

		// Crafted URLs: the host tether looks up, from url.URL.Hostname(),
		// is the host Go dials (see TestLookupHostIsDialedHost).
		{name: "CVE-2024-47081 colon before at", netrc: exampleNetrc, url: "http://example.com:@evil.com/", want: none},
		{name: "userinfo naming the machine", netrc: exampleNetrc, url: "http://example.com@evil.com/", want: none},
		{name: "userinfo with port naming the machine", netrc: exampleNetrc, url: "http://example.com:80@evil.com/", want: none},
		{name: "escaped slash in userinfo", netrc: exampleNetrc, url: "http://example.com%2F@evil.com/", want: none},
		{name: "userinfo on the machine", netrc: exampleNetrc, url: "http://x:y@example.com/", want: auth("u", "p")},
		{name: "machine after fragment", netrc: exampleNetrc, url: "http://evil.com#@example.com/", want: none},
		{name: "machine after query", netrc: exampleNetrc, url: "http://evil.com?@example.com/", want: none},
		{name: "machine after path", netrc: exampleNetrc, url: "http://evil.com/@example.com/", want: none},
		{name: "backslash then machine as host", netrc: exampleNetrc, url: `http://example.com\@evil.com/`, urlErr: true},
		// requests 2.34.2 looks up "example.com" (urllib.parse) but sends to
		// evil.com (urllib3 ends the authority at the backslash), with
		// example.com's credentials. Go refuses the URL.
		{name: "backslash leak in requests", netrc: exampleNetrc, url: `http://evil.com\@example.com/`, urlErr: true, python: &leaked},
		{name: "escaped dot in host", netrc: exampleNetrc, url: "http://example%2Ecom/", urlErr: true},
		{name: "no host", netrc: "default login d password dp\n", url: "http:///path", want: none},
		{name: "port only", netrc: "default login d password dp\n", url: "http://:80/", want: none},
	}
}

// setup lays out c's files in a new temporary directory and returns the
// environment the lookup sees.
func (c lookupCase) setup(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	env := map[string]string{"HOME": dir}
	if c.netrc != "" {
		write(t, filepath.Join(dir, "netrc"), c.netrc)
		env["NETRC"] = filepath.Join(dir, "netrc")
	}
	for name, content := range c.files {
		write(t, filepath.Join(dir, name), content)
	}
	for k, v := range c.env {
		env[k] = strings.ReplaceAll(v, "$DIR", dir)
	}
	return env
}

func write(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// goLookup is what tether does: the file from Path, the host from
// url.URL.Hostname().
func goLookup(t *testing.T, env map[string]string, rawURL string) (creds, error) {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		return none, err
	}
	p, _ := Path(func(k string) string { return env[k] })
	var c creds
	c.Login, c.Password, c.OK = Lookup(p, u.Hostname())
	return c, nil
}

func TestLookup(t *testing.T) {
	for _, c := range lookupCases() {
		t.Run(c.name, func(t *testing.T) {
			got, err := goLookup(t, c.setup(t), c.url)
			if c.urlErr {
				if err == nil {
					t.Fatalf("url.Parse(%q) succeeded, want an error", c.url)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("lookup for %q (-want +got):\n%s", c.url, diff)
			}
		})
	}
}
