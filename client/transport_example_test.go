package client_test

import (
	"crypto/x509"
	"encoding/json"
	"fmt"
	"log"
	"net/http"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
)

// Transport hands the session's connections, TLS settings and proxies to
// code that takes an *http.Client (an oauth2 client, a cloud SDK); the
// session's headers, cookies and auth stay with the session's own calls.
func ExampleSession_Transport() {
	httpbin := testserver.StartTLS()
	defer httpbin.Close()
	roots := x509.NewCertPool()
	roots.AddCert(httpbin.Certificate()) // a private CA, as SetCABundle would load it

	s := client.New().SetRootCAs(roots).SetBearerToken("session-token")
	defer s.Close()
	c := &http.Client{Transport: s.Transport()}

	resp, err := c.Get(httpbin.URL + "/headers")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var echo struct {
		Headers map[string][]string `json:"headers"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&echo); err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Status, "Authorization:", echo.Headers["Authorization"])
	// Output:
	// 200 OK Authorization: []
}
