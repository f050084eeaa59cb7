# The two commands a new machine needs: `make run` and `make test`.
SWIFT ?= swift
CONFIG ?= release
PREFIX ?= /usr/local
HERALD_DEBUG := .build/debug/herald
HERALD_RELEASE := .build/release/herald

.PHONY: run test build release install bench lint swift-test peer-test clean

build:
	@./scripts/bootstrap run
	$(SWIFT) build

release:
	@./scripts/bootstrap run
	$(SWIFT) build -c release

## Build the feeds of the example publication into public/example/ (installs only what running needs).
## A debug build: quick to compile, and what `make test` builds too; `make install` builds for release.
run: build
	$(HERALD_DEBUG) build feeds/example --out public/example

## Every test: Swift units, then the real peers (feedparser, xmllint, SMTP servers, …).
test:
	@./scripts/bootstrap test
	$(SWIFT) build --build-tests
	$(MAKE) lint swift-test peer-test

## The code's layout as .swift-format has it (swift-format ships with the toolchain).
lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests bench/SenderBench

## The state suite runs against SQLite and against a PostgreSQL cluster started for it.
swift-test:
	./scripts/test-postgres run $(SWIFT) test --skip-build

peer-test:
	HERALD_BIN=$(CURDIR)/$(HERALD_DEBUG) python3 -m pytest -q -rs Tests/peers

## The binary and its man page (made from the argument parser) under PREFIX; DESTDIR for packaging.
install:
	@./scripts/bootstrap run
	$(SWIFT) build -c $(CONFIG)
	$(SWIFT) package plugin generate-manual --configuration $(CONFIG)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 .build/$(CONFIG)/herald $(DESTDIR)$(PREFIX)/bin/herald
	install -m 0644 .build/plugins/GenerateManual/outputs/herald/herald.1 $(DESTDIR)$(PREFIX)/share/man/man1/herald.1

## Benchmarks against Hugo and smtp-source; results go in BENCHMARKS.md by hand.
bench:
	@./scripts/bootstrap bench
	$(SWIFT) build -c release
	./bench/run

clean:
	rm -rf .build public
