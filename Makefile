# The two commands a new machine needs: `make run` and `make test`.
SWIFT ?= swift
CONFIG ?= release
PREFIX ?= /usr/local
HERALD_DEBUG := .build/debug/herald
HERALD_RELEASE := .build/release/herald
# Release binaries carry the Swift runtime and Foundation: the dynamic linker then binds
# libc, libcurl and libxml2 instead of some 15,000 Swift symbols, and every command starts
# about 8 ms sooner (a quarter of `herald --version`; BENCHMARKS.md). Debug builds stay dynamic.
STATIC_SWIFT := $(if $(filter release,$(CONFIG)),--static-swift-stdlib)

.PHONY: run test build release install install-files bench lint swift-test peer-test clean

build:
	@./scripts/bootstrap run
	$(SWIFT) build

release:
	@./scripts/bootstrap run
	$(SWIFT) build -c release --static-swift-stdlib

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

## The binary, its man page (made from the argument parser), the systemd units and the deploy
## examples under PREFIX; DESTDIR for packaging. The binary carries its templates: nothing else
## is needed at run time. The units name PREFIX's paths (/usr/local in deploy/, rewritten here).
install:
	@./scripts/bootstrap run
	$(SWIFT) build -c $(CONFIG) $(STATIC_SWIFT) --product herald
	$(SWIFT) build -c $(CONFIG) $(STATIC_SWIFT) --product generate-manual
	mkdir -p .build/$(CONFIG)/manual
	.build/$(CONFIG)/generate-manual .build/$(CONFIG)/herald --output-directory .build/$(CONFIG)/manual
	$(MAKE) install-files

UNITDIR ?= $(PREFIX)/lib/systemd/system
DOCDIR ?= $(PREFIX)/share/doc/herald
HERALD_BUILT ?= .build/$(CONFIG)/herald
MANPAGE ?= .build/$(CONFIG)/manual/herald.1
UNITS := herald@.service herald@.timer herald-serve@.service herald-alert@.service

## What `install` copies, without building (Tests/peers/test_deploy_units.py installs the debug
## binary this way, MANPAGE= leaving the man page out). The layouts' drop-ins and the nginx and
## Postfix snippets go with the documentation: deploy/README.md installs the ones a layout uses.
install-files:
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(UNITDIR) $(DESTDIR)$(DOCDIR)/deploy/postfix
	install -m 0755 $(HERALD_BUILT) $(DESTDIR)$(PREFIX)/bin/herald
	$(if $(MANPAGE),install -D -m 0644 $(MANPAGE) $(DESTDIR)$(PREFIX)/share/man/man1/herald.1)
	for unit in $(UNITS); do \
	  sed 's|/usr/local/|$(PREFIX)/|g' deploy/$$unit > $(DESTDIR)$(UNITDIR)/$$unit && chmod 0644 $(DESTDIR)$(UNITDIR)/$$unit || exit 1; \
	done
	cp -R deploy/*.service.d $(DESTDIR)$(DOCDIR)/deploy/
	install -m 0644 deploy/README.md deploy/EXACTLY-ONCE.md deploy/nginx-*.conf $(DESTDIR)$(DOCDIR)/deploy/
	install -m 0644 deploy/postfix/* $(DESTDIR)$(DOCDIR)/deploy/postfix/

## Benchmarks against Hugo and smtp-source; results go in BENCHMARKS.md by hand.
bench:
	@./scripts/bootstrap bench
	$(SWIFT) build -c release --static-swift-stdlib
	./bench/run

clean:
	rm -rf .build public
