package request_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"time"

	"github.com/tether-http/tether/internal/testserver"
	"github.com/tether-http/tether/request"
)

// Condition retries what no status says: here a 200 whose body asks to
// try again, as resty's AddRetryCondition would. The rules still apply:
// a 503 is retried without asking, a POST only when Methods lists it.
func ExampleRetry_Condition() {
	var tries atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tries.Add(1) < 3 {
			io.WriteString(w, `{"error":"try_again"}`)
			return
		}
		io.WriteString(w, `{"ok":true}`)
	}))
	defer srv.Close()

	tryAgain := func(r *request.Response, err error) bool {
		var body struct{ Error string }
		return r != nil && r.JSON(&body) == nil && body.Error == "try_again"
	}
	r, err := request.Get(srv.URL).
		Retry(request.Retry{Attempts: 5, Condition: tryAgain}).
		Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.Attempts(), r.Text())
	// Output:
	// 200 3 {"ok":true}
}

// OnRetry sees each try that is retried, and the wait before the next,
// for metrics or logs.
func ExampleRetry_OnRetry() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	onRetry := func(attempt int, r *request.Response, err error, wait time.Duration) {
		if err != nil {
			fmt.Printf("try %d: %v, next in %v\n", attempt, err, wait)
			return
		}
		fmt.Printf("try %d: %d, next in %v\n", attempt, r.StatusCode(), wait)
	}
	r, err := request.Get(httpbin.URL + testserver.FlakyPath + "?key=onretry&fail=2").
		Retry(request.Retry{Attempts: 3, OnRetry: onRetry}).
		Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.Attempts())
	// Output:
	// try 1: 503, next in 0s
	// try 2: 503, next in 0s
	// 200 3
}

// Delay sets the waits between tries (here 1ms, then 2ms) instead of
// Backoff's doubling with jitter; a Retry-After would still come first.
func ExampleRetry_Delay() {
	httpbin := testserver.Start()
	defer httpbin.Close()

	linear := func(attempt int, r *request.Response, err error) time.Duration {
		return time.Duration(attempt) * time.Millisecond
	}
	onRetry := func(attempt int, r *request.Response, err error, wait time.Duration) {
		fmt.Printf("try %d: %d, next in %v\n", attempt, r.StatusCode(), wait)
	}
	r, err := request.Get(httpbin.URL + testserver.FlakyPath + "?key=delay&fail=2").
		Retry(request.Retry{Attempts: 3, Delay: linear, OnRetry: onRetry}).
		Do(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.Attempts())
	// Output:
	// try 1: 503, next in 1ms
	// try 2: 503, next in 2ms
	// 200 3
}
