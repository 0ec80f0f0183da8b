// Package bench measures tether against raw net/http and the libraries a Go
// developer would pick instead (resty v2 and v3, carlmjohnson/requests,
// sling), all against one in-process loopback server (package fixture).
//
// It is a module of its own so that the peers never become tether's
// dependencies. Sub-benchmarks are named lib=<peer> so that
//
//	benchstat -col /lib results.txt
//
// puts the peers side by side, net/http first as the base. Besides ns/op,
// B/op and allocs/op, every benchmark reports
//
//   - cpu-ns/op: CPU time (user + system, from getrusage) the process used
//     per op, client and in-process server together. On a shared machine
//     other processes stretch wall time (ns/op) but not this.
//   - dials/run (request benchmarks): TCP connections the server accepted
//     during one run of the benchmark function.
package bench

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/tether-http/tether/internal/bench/fixture"
)

var srv *fixture.Server

func TestMain(m *testing.M) {
	srv = fixture.Start()
	code := m.Run()
	srv.Close()
	closeScen()
	if code == 0 {
		// Every peer's done() closed its idle connections, and the server
		// is closed: anything left running is a leak.
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// templateValues are the 1,000 values of the Template benchmark's varying
// query parameter, made once so that formatting them is not measured.
var templateValues = func() (vs [1000]string) {
	for i := range vs {
		vs[i] = strconv.Itoa(i)
	}
	return vs
}()

// meter takes the counters at the start of a run; report adds the metrics.
type meter struct {
	dials int64
	cpu   time.Duration
	cpuOK bool
}

func startMeter() meter {
	m := meter{dials: srv.Dials()}
	m.cpu, m.cpuOK = processCPU()
	return m
}

func (m meter) report(b *testing.B, dials bool) {
	if cpu, ok := processCPU(); ok && m.cpuOK && b.N > 0 {
		b.ReportMetric(float64(cpu-m.cpu)/float64(b.N), "cpu-ns/op")
	}
	if dials {
		b.ReportMetric(float64(srv.Dials()-m.dials), "dials/run")
	}
}

// BenchmarkGet: the fixture session sends GET /get with one more header and
// reads the small JSON body, one request at a time. One op is one request.
func BenchmarkGet(b *testing.B) {
	ctx := context.Background()
	for _, p := range peers {
		b.Run("lib="+p.name, func(b *testing.B) {
			m := startMeter()
			send, done := p.get(srv.URL)
			defer done()
			b.ReportAllocs()
			for b.Loop() {
				body, err := send(ctx)
				if err != nil || len(body) != len(fixture.GetBody) {
					b.Fatalf("%d bytes, %v", len(body), err)
				}
			}
			m.report(b, true)
		})
	}
}

// BenchmarkGetParallel is BenchmarkGet from GOMAXPROCS goroutines sharing
// one session. ns/op is wall time per request across all goroutines.
func BenchmarkGetParallel(b *testing.B) {
	ctx := context.Background()
	for _, p := range peers {
		b.Run("lib="+p.name, func(b *testing.B) {
			send, done := p.get(srv.URL)
			defer done()
			b.ReportAllocs()
			m := startMeter()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					body, err := send(ctx)
					if err != nil || len(body) != len(fixture.GetBody) {
						b.Errorf("%d bytes, %v", len(body), err)
						return
					}
				}
			})
			b.StopTimer()
			m.report(b, true)
		})
	}
}

// BenchmarkGetParallel64 is BenchmarkGet from 64 goroutines sharing one
// session, more than most pools keep idle per host. dials/run shows
// whether the connections are reused (at most 64) or dialled anew.
func BenchmarkGetParallel64(b *testing.B) {
	ctx := context.Background()
	const goroutines = 64
	for _, p := range peers {
		b.Run("lib="+p.name, func(b *testing.B) {
			send, done := p.get(srv.URL)
			defer done()
			b.ReportAllocs()
			b.SetParallelism((goroutines + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
			m := startMeter()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					body, err := send(ctx)
					if err != nil || len(body) != len(fixture.GetBody) {
						b.Errorf("%d bytes, %v", len(body), err)
						return
					}
				}
			})
			b.StopTimer()
			m.report(b, true)
		})
	}
}

// BenchmarkSpawn: a session holding n headers and n query parameters
// derives a request and sets one more header, without sending. One op is
// one spawn plus one builder step.
func BenchmarkSpawn(b *testing.B) {
	for _, n := range []int{1, 100} {
		b.Run("defaults="+strconv.Itoa(n), func(b *testing.B) {
			for _, p := range peers {
				b.Run("lib="+p.name, func(b *testing.B) {
					step, done := p.spawn(srv.URL, n)
					defer done()
					b.ReportAllocs()
					m := startMeter()
					for b.Loop() {
						step()
					}
					m.report(b, false)
				})
			}
		})
	}
}

// BenchmarkTemplate: a template request (the fixture session plus the
// method header) is built once and reused; each request adds the query
// parameter i, cycling over 1,000 values. One op is one request.
func BenchmarkTemplate(b *testing.B) {
	ctx := context.Background()
	for _, p := range peers {
		b.Run("lib="+p.name, func(b *testing.B) {
			m := startMeter()
			send, done := p.template(srv.URL)
			defer done()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				body, err := send(ctx, templateValues[i])
				if err != nil || len(body) != len(fixture.GetBody) {
					b.Fatalf("%d bytes, %v", len(body), err)
				}
				if i++; i == len(templateValues) {
					i = 0
				}
			}
			m.report(b, true)
		})
	}
}

// BenchmarkPostJSON: a plain session sends a small struct as JSON to /post,
// which echoes it, and decodes the reply. One op is one request.
func BenchmarkPostJSON(b *testing.B) {
	ctx := context.Background()
	in := fixture.NewPayload()
	for _, p := range peers {
		b.Run("lib="+p.name, func(b *testing.B) {
			m := startMeter()
			send, done := p.post(srv.URL)
			defer done()
			b.ReportAllocs()
			for b.Loop() {
				out, err := send(ctx, in)
				if err != nil || out.ID != in.ID {
					b.Fatalf("%+v, %v", out, err)
				}
			}
			m.report(b, true)
		})
	}
}
