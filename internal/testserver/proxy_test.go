package testserver_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/internal/testserver"
)

// rawRequest writes req to addr on a new connection and returns the
// response's status line and headers as sent.
func rawRequest(t *testing.T, addr, req string) (string, http.Header) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.Status, resp.Header
}

// TestRequestURI checks that the recorder keeps the request target as
// sent, escapes and all, beside the decoded path.
func TestRequestURI(t *testing.T) {
	srv := testserver.New(t)
	addr := strings.TrimPrefix(srv.URL, "http://")
	const target = "/echo/a%2Fb/%7e/%C3%A9?q=%2f%20x&r=[]"
	status, _ := rawRequest(t, addr, "GET "+target+" HTTP/1.1\r\nHost: "+addr+"\r\nConnection: close\r\n\r\n")
	if status != "200 OK" {
		t.Fatalf("status %q", status)
	}
	rec, _ := srv.Last()
	if rec.RequestURI != target || rec.Path != "/echo/a/b/~/é" || rec.RawQuery != "q=%2f%20x&r=[]" {
		t.Errorf("recorded RequestURI %q, Path %q, RawQuery %q", rec.RequestURI, rec.Path, rec.RawQuery)
	}
}

// TestLocationBytes checks that the scripted location parameter carries
// any bytes, percent-encoded in the query, into the Location header as
// they are: raw UTF-8, and escapes such as %2F kept.
func TestLocationBytes(t *testing.T) {
	srv := testserver.New(t)
	addr := strings.TrimPrefix(srv.URL, "http://")
	loc := "/x/\xc3\xa9/a%2Fb?k=%zz"
	target := "/p?status=302&location=" + url.QueryEscape(loc)
	status, hdr := rawRequest(t, addr, "GET "+target+" HTTP/1.1\r\nHost: "+addr+"\r\nConnection: close\r\n\r\n")
	if status != "302 Found" {
		t.Fatalf("status %q", status)
	}
	if got := hdr.Get("Location"); got != loc {
		t.Errorf("Location = %q, want %q", got, loc)
	}
}

// TestIPv6 checks the server on [::1], where the host has one.
func TestIPv6(t *testing.T) {
	srv, err := testserver.NewIPv6(t)
	if err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	if !strings.HasPrefix(srv.URL, "http://[::1]:") {
		t.Fatalf("URL %q", srv.URL)
	}
	c := &http.Client{}
	defer c.CloseIdleConnections()
	get(t, c, http.MethodGet, srv.URL+"/echo?x=1", "", nil)
	rec, ok := srv.Last()
	if !ok || rec.Host != strings.TrimPrefix(srv.URL, "http://") || rec.RequestURI != "/echo?x=1" {
		t.Errorf("recorded %+v", rec)
	}
}

// TestProxy checks the forward proxy: it records each proxy request
// (method, target, Proxy-Authorization, label), forwards it to the origin
// without Proxy-Authorization and with Accept-Encoding, answers the mark
// route and refuses other requests in origin form.
func TestProxy(t *testing.T) {
	origin := testserver.New(t)
	p := testserver.NewProxy(t)
	paddr := strings.TrimPrefix(p.URL, "http://")
	oaddr := strings.TrimPrefix(origin.URL, "http://")

	status, _ := rawRequest(t, paddr, "GET "+testserver.MarkPath+"?label=one HTTP/1.1\r\nHost: "+paddr+"\r\nConnection: close\r\n\r\n")
	if status != "204 No Content" {
		t.Fatalf("mark: status %q", status)
	}
	target := origin.URL + "/echo/a%2Fb?q=1"
	status, _ = rawRequest(t, paddr, fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nProxy-Authorization: Basic cDpx\r\nAccept-Encoding: gzip, deflate\r\nUser-Agent: ua\r\nX-Keep: k\r\nConnection: close\r\n\r\n", target, oaddr))
	if status != "200 OK" {
		t.Fatalf("forward: status %q", status)
	}
	status, _ = rawRequest(t, paddr, "GET /get HTTP/1.1\r\nHost: "+paddr+"\r\nConnection: close\r\n\r\n")
	if status != "500 Internal Server Error" {
		t.Errorf("origin form: status %q, want 500", status)
	}

	got := p.Entries()
	for i := range got {
		got[i].Seq = 0
	}
	want := []testserver.ProxyEntry{{Method: "GET", Target: target, ProxyAuthorization: []string{"Basic cDpx"}, Label: "one"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("proxy entries (-want +got):\n%s", diff)
	}
	rec, ok := origin.Last()
	if !ok {
		t.Fatal("the origin saw nothing")
	}
	if rec.Host != oaddr || rec.RequestURI != "/echo/a%2Fb?q=1" {
		t.Errorf("origin saw Host %q, target %q", rec.Host, rec.RequestURI)
	}
	// Connection: close is the proxy's: one connection per forwarded request.
	wantHdr := http.Header{"Accept-Encoding": {"gzip, deflate"}, "Connection": {"close"}, "User-Agent": {"ua"}, "X-Keep": {"k"}}
	if diff := cmp.Diff(wantHdr, rec.Header); diff != "" {
		t.Errorf("origin headers (-want +got):\n%s", diff)
	}
}
