#!/usr/bin/env bash
# Runs every test suite: Rust (unit, vectors, header, client against the API double), C (core
# and client, plain and under AddressSanitizer + UndefinedBehaviorSanitizer, and valgrind; the
# ABI abuse test under the sanitizers; a short stress run; the setters under load under the
# sanitizers and under valgrind's drd thread checker), the API double's own tests, the
# Python and C# bindings, make install + pkg-config, the demo, the ABI list, the version
# mentions, the README's C program, the wheel, the NuGet package, docs; last, the secrets scan
# of what all of them showed (tests/secrets_scan.py).
# Installs what it needs first (scripts/install-deps.sh). Ends with a line "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || { echo "test: installing dependencies failed"; exit 1; }

export PYTHON="$PWD/.venv/bin/python"
export REMOTEIT_REQUIRE_HTTPSIG=1    # installed by install-deps.sh: its interop tests may not skip
source scripts/cflags.sh    # STRICT_CFLAGS, POSIX_CFLAGS, SANITIZE_CFLAGS, CC
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
passed=0 failed=0 failures=()
work=$(mktemp -d)    # this run's binaries: runs side by side do not collide
trap 'rm -rf "$work"' EXIT
# Every suite's test helpers append the messages, log lines and Debug/ToString/repr output they
# see to files here, and every API double the signatures it receives: the secrets scan reads them.
export REMOTEIT_TEST_TRANSCRIPT=$work/transcript
mkdir -p "$REMOTEIT_TEST_TRANSCRIPT"

suite() {
  local name=$1; shift
  echo
  echo "=== $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); failures+=("$name")
    echo "=== FAILED: $name"
  fi
}

build_c() { # build_c OUT SOURCE [extra flags...]
  local out=$1 src=$2; shift 2
  # shellcheck disable=SC2086  # the flags are words
  "$CC" $STRICT_CFLAGS $POSIX_CFLAGS "$@" -Iinclude "$src" -Ltarget/release -lremoteit -pthread -o "$out"
}

c_core() {
  build_c "$work/test_core" tests/c/test_core.c && LD_LIBRARY_PATH=target/release "$work/test_core" tests/data
}
c_core_sanitized() {
  build_c "$work/test_core_san" tests/c/test_core.c $SANITIZE_CFLAGS && LD_LIBRARY_PATH=target/release "$work/test_core_san" tests/data
}
c_core_valgrind() {
  build_c "$work/test_core_vg" tests/c/test_core.c -g &&
  LD_LIBRARY_PATH=target/release valgrind --quiet --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite "$work/test_core_vg" tests/data
}
c_abi_abuse_sanitized() {
  local missing
  missing=$(comm -23 <(grep -o 'remoteit_[a-z0-9_]*(' include/remoteit.h | tr -d '(' | sort -u) \
                     <(grep -ow 'remoteit_[a-z0-9_]*' tests/c/test_abuse.c | sort -u))
  [ -z "$missing" ] || { echo "tests/c/test_abuse.c never calls:" $missing; return 1; }
  build_c "$work/test_abuse_san" tests/c/test_abuse.c $SANITIZE_CFLAGS && LD_LIBRARY_PATH=target/release "$work/test_abuse_san"
}
stress_short() { STRESS_SHORT=1 bash tests/c/run_stress.sh; }
setters_sanitized() { bash tests/c/run_stress.sh sanitizers; }
setters_drd() { bash tests/c/run_stress.sh drd; }
c_client() { bash tests/c/run_client_tests.sh; }
c_client_sanitized() { SANITIZE=1 bash tests/c/run_client_tests.sh; }
cli() { bash tests/cli_test.sh; }
api_double() { "$PYTHON" tests/api_double_test.py; }
python_binding() {
  REMOTEIT_LIBRARY="$PWD/target/release/libremoteit.so" "$PYTHON" -m unittest discover -s bindings/python/tests
}
csharp_binding() { bash bindings/csharp/run-tests.sh; }
contract_programs() { bash tests/contract/run.sh; }
install_pkgconfig() {
  local prefix=$work/prefix version
  version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
  # Each step says what failed. No `grep -q` after a pipe: under pipefail, grep exiting at its
  # first match can kill the writer with SIGPIPE and fail a step that matched.
  step() { local what=$1; shift; "$@" || { echo "install + pkg-config: $what failed" >&2; return 1; }; }
  step "make install" make --no-print-directory install PREFIX="$prefix" >/dev/null &&
  step "building a program with pkg-config's flags" env PKG_CONFIG_PATH="$prefix/lib/pkgconfig" sh -c \
    '"$2" $3 tests/c/pkgconfig_smoke.c $(pkg-config --cflags --libs remoteit) -o "$1/smoke"' \
    _ "$prefix" "$CC" "$STRICT_CFLAGS" &&
  step "running it" env LD_LIBRARY_PATH="$prefix/lib" "$prefix/smoke" &&
  step "the SONAME" sh -c 'readelf -d "$1" | grep "SONAME.*libremoteit.so.0" >/dev/null' _ "$prefix/lib/libremoteit.so" &&
  # The README's flags: an rpath to pkg-config's libdir, and the program runs without LD_LIBRARY_PATH.
  step "building with the README's rpath flags" env PKG_CONFIG_PATH="$prefix/lib/pkgconfig" sh -c \
    'cc -std=c11 -Wall -Wextra -Wpedantic -Werror tests/c/pkgconfig_smoke.c $(pkg-config --cflags --libs remoteit) -Wl,-rpath,$(pkg-config --variable=libdir remoteit) -o "$1/smoke-rpath"' _ "$prefix" &&
  step "running it without LD_LIBRARY_PATH" env -u LD_LIBRARY_PATH "$prefix/smoke-rpath" &&
  # The installed CLI finds the installed library (its RUNPATH is the prefix's lib, nothing in
  # the build tree) and its man page is there and well-formed.
  step "the CLI's RUNPATH" test "$(readelf -d "$prefix/bin/remoteit" | sed -n 's/.*R\(UN\)\{0,1\}PATH.*\[\(.*\)\]/\2/p')" = "$prefix/lib" &&
  step "remoteit --version" sh -c 'env -u LD_LIBRARY_PATH "$1" --version | grep -x "libremoteit $2 (loaded at run time)" >/dev/null' _ "$prefix/bin/remoteit" "$version" &&
  step "the CLI loads the installed library" sh -c 'env -u LD_LIBRARY_PATH ldd "$1/bin/remoteit" | grep "libremoteit.so.0 => $1/lib/libremoteit.so.0" >/dev/null' _ "$prefix" &&
  step "the man page's version" grep -q "^\.TH REMOTEIT 1 .*libremoteit $version" "$prefix/share/man/man1/remoteit.1" &&
  step "the man page (groff -ww)" groff -man -ww -z "$prefix/share/man/man1/remoteit.1"
}
demo() { bash scripts/demo.sh >/dev/null; }
csharp_example() { bash examples/csharp/run.sh >/dev/null; }
abi_symbols() { bash scripts/abi-symbols.sh; }
versions_agree() { "$PYTHON" tests/version_test.py; }
readme_quick_start() { bash tests/readme_test.sh; }
python_wheel() { bash tests/wheel_test.sh; }
nuget_package() { bash tests/nupkg_test.sh; }
secrets_scan() { "$PYTHON" tests/secrets_scan.py --self-test && "$PYTHON" tests/secrets_scan.py "$REMOTEIT_TEST_TRANSCRIPT"; }
docs() { make --no-print-directory docs >"$work/docs.log" 2>&1 || { cat "$work/docs.log"; return 1; }; }

mkdir -p build
suite "cargo fmt --check" cargo fmt --check
suite "cargo clippy" cargo clippy --quiet --all-targets -- -D warnings
suite "build (library, CLI)" make --no-print-directory lib cli
suite "Rust tests (unit, vectors, header, client)" cargo test --quiet
suite "C core tests" c_core
suite "C core tests under ASan+UBSan" c_core_sanitized
suite "C core tests under valgrind" c_core_valgrind
suite "C ABI abuse test under ASan+UBSan (every function)" c_abi_abuse_sanitized
suite "stress, short (4 threads x 1,000 calls kept alive, closed at once, closed later, with setters; 2,000 rounds)" stress_short
suite "setters under load under ASan+UBSan (4 threads x 2,000 calls)" setters_sanitized
suite "setters under load under valgrind drd (4 threads x 400 calls)" setters_drd
suite "C client tests" c_client
suite "C client tests under ASan+UBSan" c_client_sanitized
suite "CLI example (commands, exit codes)" cli
suite "API double tests" api_double
suite "Python binding tests" python_binding
suite "C# binding tests (Mono)" csharp_binding
suite "programs written against the contract alone (C, Python, C#)" contract_programs
suite "make install + pkg-config" install_pkgconfig
suite "demo" demo
suite "C# example against the demo double" csharp_example
suite "ABI: exported symbols = abi/exported-symbols.txt" abi_symbols
suite "every version mention agrees with Cargo.toml" versions_agree
suite "README C quick start compiles and runs" readme_quick_start
suite "Python wheel (manylinux, fresh venv, example)" python_wheel
suite "NuGet package (layout, metadata, C# example)" nuget_package
suite "make docs (rustdoc, Doxygen; warnings are errors)" docs
suite "secrets scan (no secret, no signature in any message, log line or Debug/ToString/repr)" secrets_scan

echo
for f in "${failures[@]}"; do echo "failed suite: $f"; done
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
