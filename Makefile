# The two commands a new machine needs: `make run` and `make test`.
SWIFT ?= swift
CONFIG ?= debug
HERALD_DEBUG := .build/debug/herald
HERALD_RELEASE := .build/release/herald

.PHONY: run test build release bootstrap bench swift-test peer-test clean

bootstrap:
	@./scripts/bootstrap

build: bootstrap
	$(SWIFT) build

release: bootstrap
	$(SWIFT) build -c release

## Build the feeds of the example publication into public/example/.
run: release
	$(HERALD_RELEASE) build feeds/example --out public/example

## Every test: Swift units, then the real peers (feedparser, xmllint, SMTP servers).
test: bootstrap
	$(SWIFT) build --build-tests
	$(MAKE) swift-test peer-test

swift-test:
	$(SWIFT) test --skip-build

peer-test:
	HERALD_BIN=$(CURDIR)/$(HERALD_DEBUG) python3 -m pytest -q Tests/peers

## Benchmarks against Hugo and smtp-source; results go in BENCHMARKS.md by hand.
bench:
	@HERALD_BOOTSTRAP_BENCH=1 ./scripts/bootstrap
	$(SWIFT) build -c release
	./bench/run

clean:
	rm -rf .build public state
