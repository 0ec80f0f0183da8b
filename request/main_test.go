package request_test

import (
	"fmt"
	"os"
	"testing"

	"go.uber.org/goleak"

	"github.com/tether-http/tether/request"
)

func TestMain(m *testing.M) {
	code := m.Run()
	// The package-level API pools connections in a shared transport; close
	// them so that their goroutines do not count as leaks.
	request.CloseIdleConnections()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	os.Exit(code)
}
