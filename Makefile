# tether's tasks. `make demo` and `make test` are all a newcomer needs.
GO          ?= go
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
BENCHSTAT   := golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
PKGS        := ./...
URL         ?=

.PHONY: all test fmt-check vet lint unit demo bench cover fuzz golden tidy

all: test

## test: everything CI checks (gofmt, vet, staticcheck, race tests with shuffle, Examples, conformance)
test: fmt-check vet lint unit

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

lint:
	$(GO) run $(STATICCHECK) $(PKGS)

unit:
	$(GO) test -race -shuffle=on -count=1 $(PKGS)

## demo: the seed's snippets against an embedded go-httpbin (or URL=http://host)
demo:
	$(GO) run ./internal/demo $(if $(URL),-url $(URL))

## fuzz: each fuzz target for FUZZTIME (default 30s)
FUZZTIME ?= 30s
fuzz:
	$(GO) test -run='^$$' -fuzz='^FuzzSetCookies$$' -fuzztime=$(FUZZTIME) ./jar
	$(GO) test -run='^$$' -fuzz='^FuzzLoad$$' -fuzztime=$(FUZZTIME) ./jar

## cover: coverage profile and summary
cover:
	$(GO) test -coverprofile=coverage.out $(PKGS)
	$(GO) tool cover -func=coverage.out | tail -1

tidy:
	$(GO) mod tidy -diff

## golden: regenerate testdata/conformance/golden from requests (python3 with requests 2.34.2)
golden:
	$(GO) test ./internal/conformance -run TestConformance -count=1 -update
