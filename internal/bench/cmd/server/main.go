// Command server runs the benchmark server (package fixture) for clients in
// other processes, such as requests_bench.py. It prints its base URL on the
// first line of stdout, answers each "dials" line on stdin with the number
// of connections accepted so far, and exits when stdin is closed.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/tether-http/tether/internal/bench/fixture"
)

func main() {
	srv := fixture.Start()
	defer srv.Close()
	fmt.Println(srv.URL)
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		switch strings.TrimSpace(in.Text()) {
		case "dials":
			fmt.Println(srv.Dials())
		case "":
		default:
			fmt.Println("?")
		}
	}
}
