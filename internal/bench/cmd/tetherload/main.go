// Command tetherload sends the Get benchmark's request (package fixture's
// session plus one method header, body read fully) n times in a row with
// tether, after a warm-up, and prints one line: requests, seconds, req/s.
// requests_bench.py runs it against the same server as Python's requests.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/tether-http/tether/internal/bench/fixture"
)

func main() {
	base := flag.String("url", "", "benchmark server base URL")
	n := flag.Int("n", 2000, "timed requests")
	warm := flag.Int("warmup", 100, "untimed requests first")
	flag.Parse()
	if *base == "" || *n <= 0 {
		fmt.Fprintln(os.Stderr, "usage: tetherload -url URL [-n N] [-warmup N]")
		os.Exit(2)
	}
	s := fixture.TetherSession()
	defer s.Close()
	ctx := context.Background()
	u := *base + "/get"
	send := func() {
		resp, err := s.Get(u).Header(fixture.MethodHeader, fixture.MethodHeaderVal).Do(ctx)
		if err != nil || len(resp.Bytes()) != len(fixture.GetBody) {
			fmt.Fprintln(os.Stderr, "tetherload:", err)
			os.Exit(1)
		}
	}
	for range *warm {
		send()
	}
	start := time.Now()
	for range *n {
		send()
	}
	secs := time.Since(start).Seconds()
	fmt.Printf("%d %.6f %.1f\n", *n, secs, float64(*n)/secs)
}
