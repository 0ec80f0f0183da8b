package request_test

import (
	"context"
	"fmt"
	"log"

	"github.com/tether-http/tether/client"
)

// Prepare shows the first hop exactly as Do would send it, like requests'
// s.prepare_request(req); nothing is sent.
func ExampleBuilder_Prepare() {
	s := client.New().SetBaseURL("https://api.example.com/v1").SetBearerToken("t0k3n").SetParam("lang", "en")
	defer s.Close()
	req, err := s.Get("users/../items").Param("q", "go lang").Prepare(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(req.Method, req.URL)
	fmt.Println(req.Header.Get("Authorization"))
	// Output:
	// GET https://api.example.com/v1/items?lang=en&q=go+lang
	// Bearer t0k3n
}

// CurlCommand writes a curl command line that sends the same request.
func ExampleBuilder_CurlCommand() {
	s := client.New().SetHeader("User-Agent", "tether-example")
	defer s.Close()
	cmd, err := s.Post("http://api.example.com/items").JSON(map[string]int{"n": 1}).CurlCommand(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cmd)
	// Output:
	// curl -q --http1.1 --path-as-is -g --request POST -H 'User-Agent: tether-example' -H 'Accept: */*' -H 'Accept-Encoding: gzip, deflate, br, zstd' -H 'Content-Type: application/json' -H Expect: --compressed --data-raw '{"n":1}' http://api.example.com/items
}
