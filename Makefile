# libremoteit: one entry point for building, testing, installing and the demo.
#
#   make                      the library (target/release), the header, the CLI (build/remoteit)
#   make test                 installs what the tests need, then runs every suite
#   make demo                 a signed connect and disconnect against the local API double
#   make install PREFIX=...   library (with SONAME), header, pkg-config file, the CLI
#                             (bin/remoteit) and its man page (share/man/man1/remoteit.1)
#   make header               regenerates include/remoteit.h with cbindgen
#   make wheel                dist/remoteit-<version>-py3-none-manylinux_*.whl (library inside)
#   make nupkg                dist/RemoteIt.<version>.nupkg (Mono's mcs; no .NET SDK needed)
#   make docs                 Rust API docs (target/doc) and the C header reference (build/doc/c)
#   make abi-list             rewrites abi/exported-symbols.txt from the built library
#   make -s print-cflags      the strict C flags (defined in scripts/cflags.sh)
#   make fuzz                 each fuzz target in fuzz/ for FUZZ_SECONDS (needs nightly; installs cargo-fuzz)
#   make stress               16 threads x 10,000 signed calls, 100,000 load/sign/connect/free cycles
#   make bench                every table of BENCHMARKS.md (not part of make test; about 2 min;
#                             BENCH_ROUNDS=7 and BENCH_SCALE=1 set rounds and iteration counts)

PREFIX     ?= /usr/local
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
DESTDIR    ?=
CARGO      ?= cargo
CC         ?= cc
FUZZ_SECONDS ?= 60

VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
MAJOR   := $(firstword $(subst ., ,$(VERSION)))
# One definition for the Makefile and the scripts: scripts/cflags.sh.
STRICT_CFLAGS := $(shell sed -n 's/^STRICT_CFLAGS="\(.*\)"$$/\1/p' scripts/cflags.sh)
# The CLI: remoteit.c (options, commands), cli_print.c (its output), cli_log.c (--verbose, --debug).
CLI_SOURCES := examples/c/remoteit.c examples/c/cli_print.c examples/c/cli_log.c
CLI_HEADERS := examples/c/cli_print.h examples/c/cli_log.h

.PHONY: all lib header cli test fuzz stress demo install uninstall clean print-cflags wheel nupkg docs  abi-list bench

all: lib header cli

# The SONAME is libremoteit.so.$(MAJOR): programs linked here look for that name.
lib:
	$(CARGO) build --release
	ln -sf libremoteit.so target/release/libremoteit.so.$(MAJOR)

header:
	REMOTEIT_BLESS=1 $(CARGO) test --quiet --test header

cli: build/remoteit

build/remoteit: lib $(CLI_SOURCES) $(CLI_HEADERS) include/remoteit.h
	@mkdir -p build
	$(CC) $(STRICT_CFLAGS) -Iinclude $(CLI_SOURCES) -Ltarget/release -lremoteit \
		-Wl,-rpath,'$$ORIGIN/../target/release' -o $@

test:
	bash scripts/test.sh

print-cflags:
	@echo $(STRICT_CFLAGS)

fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh

stress: lib
	bash tests/c/run_stress.sh

demo: lib cli
	bash scripts/demo.sh

# The comparison packages go into their own venv, pinned: the seed's Python signing.
BENCH_PIP := requests==2.34.2 requests-http-signature==0.7.1 http-message-signatures==0.4.4

bench: lib
	$(CARGO) build --release --quiet --example sign_floor --example bare_ureq
	@mkdir -p build/bench
	$(CC) $(STRICT_CFLAGS) -D_POSIX_C_SOURCE=200809L -O2 -Iinclude bench/sign_c.c \
		-Ltarget/release -lremoteit -o build/bench/sign_c
	$(CC) $(STRICT_CFLAGS) -O2 -Iinclude bench/e2e_c.c -Ltarget/release -lremoteit -pthread \
		-o build/bench/e2e_c
	mcs -langversion:6 -warn:4 -warnaserror+ -target:exe -out:build/bench/sign-bench.exe \
		-r:System.dll -r:System.Core.dll bindings/csharp/src/*.cs bench/SignBench.cs
	[ -x .venv-bench/bin/python ] || python3 -m venv .venv-bench
	.venv-bench/bin/pip install --quiet --disable-pip-version-check $(BENCH_PIP)
	.venv-bench/bin/python bench/run.py

# The installed CLI finds the installed library through its rpath ($(LIBDIR)), so it runs
# without LD_LIBRARY_PATH once the build tree is gone.
install: lib build/remoteit.1
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR) \
		$(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 target/release/libremoteit.so $(DESTDIR)$(LIBDIR)/libremoteit.so.$(VERSION)
	ln -sf libremoteit.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libremoteit.so.$(MAJOR)
	ln -sf libremoteit.so.$(MAJOR) $(DESTDIR)$(LIBDIR)/libremoteit.so
	install -m 0644 target/release/libremoteit.a $(DESTDIR)$(LIBDIR)/libremoteit.a
	install -m 0644 include/remoteit.h $(DESTDIR)$(INCLUDEDIR)/remoteit.h
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(VERSION)|g' \
		remoteit.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/remoteit.pc
	@mkdir -p build/installed
	$(CC) $(STRICT_CFLAGS) -Iinclude $(CLI_SOURCES) -Ltarget/release -lremoteit \
		-Wl,-rpath,'$(LIBDIR)' -o build/installed/remoteit
	install -m 0755 build/installed/remoteit $(DESTDIR)$(BINDIR)/remoteit
	install -m 0644 build/remoteit.1 $(DESTDIR)$(MANDIR)/man1/remoteit.1

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libremoteit.so* $(DESTDIR)$(LIBDIR)/libremoteit.a \
		$(DESTDIR)$(INCLUDEDIR)/remoteit.h $(DESTDIR)$(LIBDIR)/pkgconfig/remoteit.pc \
		$(DESTDIR)$(BINDIR)/remoteit $(DESTDIR)$(MANDIR)/man1/remoteit.1

# The man page carries the version of Cargo.toml.
build/remoteit.1: doc/remoteit.1.in Cargo.toml
	@mkdir -p build
	sed -e 's|@VERSION@|$(VERSION)|g' doc/remoteit.1.in > $@

wheel: lib
	bash packaging/python/build-wheel.sh

nupkg: lib
	bash packaging/nuget/build-nupkg.sh

# Warnings are errors in both: rustdoc (-D warnings) and Doxygen (WARN_AS_ERROR in the Doxyfile).
docs:
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps
	@mkdir -p build/doc
	( cat doc/Doxyfile; echo "PROJECT_NUMBER = $(VERSION)" ) | doxygen -
	@echo "docs: target/doc/remoteit/index.html, build/doc/c/html/index.html"

abi-list: lib
	bash scripts/abi-symbols.sh --write

clean:
	$(CARGO) clean
	rm -rf build dist
