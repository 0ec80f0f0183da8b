package request_test

import (
	"context"
	"crypto/x509"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
)

// TestLocationWhitespace: white space at the ends of a Location is not
// part of it (RFC 9110 §5.5), over HTTP/2 as over HTTP/1, where net/http's
// parser drops it. requests keeps a trailing space and requests "/get%20"
// (a README difference).
func TestLocationWhitespace(t *testing.T) {
	t.Parallel()
	plain := testserver.New(t)
	h2 := testserver.NewHTTP2(t)
	pool := x509.NewCertPool()
	pool.AddCert(h2.Certificate())
	s := client.New().SetRootCAs(pool)
	t.Cleanup(func() { _ = s.Close() })
	for name, base := range map[string]string{"HTTP/1.1": plain.URL, "HTTP/2": h2.URL} {
		for _, loc := range []string{"/get ", " /get", "/get\t"} {
			t.Run(name+"/"+url.QueryEscape(loc), func(t *testing.T) {
				r, err := s.Get(base + "/r?status=302&location=" + url.QueryEscape(loc)).Do(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff("/get", r.URL().Path); diff != "" {
					t.Errorf("followed to (-want +got):\n%s", diff)
				}
			})
		}
	}
}
