package request_test

import (
	"context"
	"fmt"
	"log"

	"github.com/tether-http/tether/client"
	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// DigestAuth answers a server's digest challenge, as requests'
// HTTPDigestAuth; the session's next call answers at once.
func ExampleDigestAuth() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	s := client.New().SetAuth(request.DigestAuth{Username: "user", Password: "pass"})
	defer s.Close()
	for range 2 {
		r, err := s.Get(httpbin.URL + "/digest-auth/auth/user/pass/SHA-256").Do(context.Background())
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(r.StatusCode(), "after", len(r.History()), "challenge(s)")
	}
	// Output:
	// 200 after 1 challenge(s)
	// 200 after 0 challenge(s)
}

// Retry and NoRetry set or turn off the retry policy for one call.
func ExampleBuilder_Retry() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	r, err := request.Get(httpbin.URL + "/status/503").Retry(request.Retry{Attempts: 2}).Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.Attempts())
	r, err = request.Get(httpbin.URL + "/status/503").Retry(request.Retry{Attempts: 2}).NoRetry().Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.Attempts())
	// Output:
	// 503 2
	// 503 1
}

// A streamed body that ends early says why in BodyErr.
func ExampleResponse_BodyErr() {
	httpbin := testserver.Start()
	defer httpbin.Close()
	r, err := request.Get(httpbin.URL + "/bytes/16").Stream().Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(r.Bytes()), r.BodyErr())
	// Output:
	// 16 <nil>
}
