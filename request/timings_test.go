package request_test

import (
	"net"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/request"
)

// TestRemoteAddr: Timings.RemoteAddr is what net.Addr.String gives, for
// the TCP addresses it formats itself too.
func TestRemoteAddr(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		addr net.Addr
		want string
	}{
		{"no address", nil, ""},
		{"nil *net.TCPAddr", (*net.TCPAddr)(nil), ""},
		{"IPv4 in 4 bytes", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1).To4(), Port: 8080}, "127.0.0.1:8080"},
		{"IPv4 in 16 bytes", &net.TCPAddr{IP: net.IPv4(10, 1, 2, 3), Port: 80}, "10.1.2.3:80"},
		{"IPv6", &net.TCPAddr{IP: net.IPv6loopback, Port: 443}, "[::1]:443"},
		{"IPv6 with a zone", &net.TCPAddr{IP: net.ParseIP("fe80::1"), Port: 443, Zone: "eth0"}, "[fe80::1%eth0]:443"},
		{"Unix socket", &net.UnixAddr{Name: "/run/docker.sock", Net: "unix"}, "/run/docker.sock"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := request.RemoteAddr(tt.addr)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("RemoteAddr (-want +got):\n%s", diff)
			}
			if tt.addr != nil && tt.want != "" && got != tt.addr.String() {
				t.Errorf("RemoteAddr = %q, net.Addr.String = %q", got, tt.addr.String())
			}
		})
	}
}
