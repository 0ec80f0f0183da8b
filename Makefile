# tether's tasks. `make demo` and `make test` are all a newcomer needs.
GO          ?= go
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
BENCHSTAT   := golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
PKGS        := ./...
URL         ?=

.PHONY: all test fmt-check vet lint unit bench-check demo bench cover fuzz golden tidy

all: test

## test: everything CI checks (gofmt, go mod tidy, vet, staticcheck, race tests with shuffle,
## Examples, conformance, and the benchmark module's vet and same-work tests)
test: fmt-check tidy vet lint unit bench-check

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

## vet also type-checks every package for a 32-bit and a non-amd64 target, where the
## int size and the assembly-free files differ
vet:
	$(GO) vet $(PKGS)
	GOARCH=386 $(GO) vet $(PKGS)
	GOARCH=arm64 $(GO) vet $(PKGS)

lint:
	$(GO) run $(STATICCHECK) $(PKGS)

unit:
	$(GO) test -race -shuffle=on -count=1 $(PKGS)

## bench-check: the benchmark module (its own go.mod) vetted, and its tests (every peer
## puts the same request on the wire) run in short mode; no benchmark is timed
bench-check:
	cd internal/bench && $(GO) vet ./... && $(GO) test -short -count=1 ./...

## demo: the seed's snippets against an embedded go-httpbin (or URL=http://host)
demo:
	$(GO) run ./internal/demo $(if $(URL),-url $(URL))

## bench: tether vs net/http, resty v2/v3, carlmjohnson/requests, sling (interleaved passes,
## read with benchstat), then Python requests. Quick: make bench BENCH_COUNT=3 BENCH_TIME=300ms
BENCH_COUNT ?= 10
BENCH_TIME  ?= 1s
bench:
	cd internal/bench && $(GO) test -c -o bench.test .
	cd internal/bench && rm -f results.txt && for i in $$(seq $(BENCH_COUNT)); do \
		echo "bench: pass $$i/$(BENCH_COUNT), load $$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"; \
		./bench.test -test.run '^$$' -test.bench . -test.benchmem -test.count 1 -test.benchtime $(BENCH_TIME) >> results.txt || exit 1; \
	done
	cd internal/bench && $(GO) run $(BENCHSTAT) -col /lib -filter '-.name:(Download OR LineLength OR Upload)' results.txt
	cd internal/bench && $(GO) run $(BENCHSTAT) -col /how -filter '.name:Download' results.txt
	cd internal/bench && $(GO) run $(BENCHSTAT) -col /how -filter '.name:LineLength' results.txt
	cd internal/bench && $(GO) run $(BENCHSTAT) -col /how -filter '.name:Upload' results.txt
	@if python3 -c 'import requests' 2>/dev/null; then cd internal/bench && python3 requests_bench.py; \
	else echo "bench: python3 has no requests module; skipping requests_bench.py"; fi

## fuzz: each fuzz target for FUZZTIME (default 30s)
FUZZTIME ?= 30s
fuzz:
	$(GO) test -run='^$$' -fuzz='^FuzzSetCookies$$' -fuzztime=$(FUZZTIME) ./jar
	$(GO) test -run='^$$' -fuzz='^FuzzLoad$$' -fuzztime=$(FUZZTIME) ./jar
	$(GO) test -run='^$$' -fuzz='^FuzzPrepare$$' -fuzztime=$(FUZZTIME) ./internal/urls
	$(GO) test -run='^$$' -fuzz='^FuzzResolve$$' -fuzztime=$(FUZZTIME) ./internal/urls
	$(GO) test -run='^$$' -fuzz='^FuzzRedact$$' -fuzztime=$(FUZZTIME) ./internal/urls
	$(GO) test -run='^$$' -fuzz='^FuzzTarget$$' -fuzztime=$(FUZZTIME) ./internal/urls
	$(GO) test -run='^$$' -fuzz='^FuzzDecode$$' -fuzztime=$(FUZZTIME) ./internal/textenc
	$(GO) test -run='^$$' -fuzz='^FuzzSetCookieLines$$' -fuzztime=$(FUZZTIME) ./request
	$(GO) test -run='^$$' -fuzz='^FuzzLines$$' -fuzztime=$(FUZZTIME) ./internal/stream
	$(GO) test -run='^$$' -fuzz='^FuzzLinesLong$$' -fuzztime=$(FUZZTIME) ./internal/stream
	$(GO) test -run='^$$' -fuzz='^FuzzEvents$$' -fuzztime=$(FUZZTIME) ./internal/stream
	$(GO) test -run='^$$' -fuzz='^FuzzParseChallenge$$' -fuzztime=$(FUZZTIME) ./internal/digest

## cover: coverage profile and summary
cover:
	$(GO) test -coverprofile=coverage.out $(PKGS)
	$(GO) tool cover -func=coverage.out | tail -1

## tidy: go.mod and go.sum of both modules are what go mod tidy would make them
tidy:
	$(GO) mod tidy -diff
	cd internal/bench && $(GO) mod tidy -diff

## golden: regenerate testdata/conformance/golden from requests (python3 with requests 2.34.2)
golden:
	$(GO) test ./internal/conformance -run TestConformance -count=1 -update
