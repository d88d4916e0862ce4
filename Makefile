# libremoteit: one entry point for building, testing, installing and the demo.
#
#   make                      the library (target/release), the header, the CLI (build/remoteit)
#   make test                 installs what the tests need, then runs every suite
#   make demo                 a signed connect and disconnect against the local API double
#   make install PREFIX=...   library (with SONAME), header and pkg-config file
#   make header               regenerates include/remoteit.h with cbindgen
#   make bench                every table of BENCHMARKS.md (not part of make test; about 2 min;
#                             BENCH_ROUNDS=7 and BENCH_SCALE=1 set rounds and iteration counts)

PREFIX     ?= /usr/local
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DESTDIR    ?=
CARGO      ?= cargo
CC         ?= cc

VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
MAJOR   := $(firstword $(subst ., ,$(VERSION)))
STRICT_CFLAGS := -std=c11 -Wall -Wextra -Wpedantic -Werror

.PHONY: all lib header cli test demo bench install uninstall clean

all: lib header cli

# The SONAME is libremoteit.so.$(MAJOR): programs linked here look for that name.
lib:
	$(CARGO) build --release
	ln -sf libremoteit.so target/release/libremoteit.so.$(MAJOR)

header:
	REMOTEIT_BLESS=1 $(CARGO) test --quiet --test header

cli: build/remoteit

build/remoteit: lib examples/c/remoteit.c include/remoteit.h
	@mkdir -p build
	$(CC) $(STRICT_CFLAGS) -Iinclude examples/c/remoteit.c -Ltarget/release -lremoteit \
		-Wl,-rpath,'$$ORIGIN/../target/release' -o $@

test:
	bash scripts/test.sh

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

install: lib
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)
	install -m 0755 target/release/libremoteit.so $(DESTDIR)$(LIBDIR)/libremoteit.so.$(VERSION)
	ln -sf libremoteit.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libremoteit.so.$(MAJOR)
	ln -sf libremoteit.so.$(MAJOR) $(DESTDIR)$(LIBDIR)/libremoteit.so
	install -m 0644 target/release/libremoteit.a $(DESTDIR)$(LIBDIR)/libremoteit.a
	install -m 0644 include/remoteit.h $(DESTDIR)$(INCLUDEDIR)/remoteit.h
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(VERSION)|g' \
		remoteit.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/remoteit.pc

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libremoteit.so* $(DESTDIR)$(LIBDIR)/libremoteit.a \
		$(DESTDIR)$(INCLUDEDIR)/remoteit.h $(DESTDIR)$(LIBDIR)/pkgconfig/remoteit.pc

clean:
	$(CARGO) clean
	rm -rf build
