# libremoteit: one entry point for building, testing, installing and the demo.
#
#   make                      the library (target/release), the header, the CLI (build/remoteit)
#   make test                 installs what the tests need, then runs every suite
#   make demo                 a signed connect and disconnect against the local API double
#   make install PREFIX=...   library (with SONAME), header and pkg-config file
#   make header               regenerates include/remoteit.h with cbindgen
#   make fuzz                 each fuzz target in fuzz/ for FUZZ_SECONDS (needs nightly; installs cargo-fuzz)
#   make stress               16 threads x 10,000 signed calls, 100,000 load/sign/connect/free cycles

PREFIX     ?= /usr/local
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DESTDIR    ?=
CARGO      ?= cargo
CC         ?= cc
FUZZ_SECONDS ?= 60

VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
MAJOR   := $(firstword $(subst ., ,$(VERSION)))
STRICT_CFLAGS := -std=c11 -Wall -Wextra -Wpedantic -Werror

.PHONY: all lib header cli test fuzz stress demo install uninstall clean

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

fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh

stress: lib
	bash tests/c/run_stress.sh

demo: lib cli
	bash scripts/demo.sh

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
