#!/usr/bin/env bash
# Runs the C client tests (tests/c/test_client.c) against the real shared library and two
# local API doubles (tests/api_double.py): one plain http, one https.
#
#   tests/c/run_client_tests.sh            # from anywhere; works in the repository root
#   SANITIZE=1 tests/c/run_client_tests.sh # with AddressSanitizer (leaks too) and UBSan
#   SKIP_CARGO_BUILD=1 ...                 # use target/release/libremoteit.so as it is
#
# Exit code: the test program's (non-zero when a test failed), or 2 when the setup failed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

die() {
  echo "run_client_tests: $*" >&2
  exit 2
}

source scripts/cflags.sh
source tests/start_double.sh
# Everything this run writes (certificates, the test binary) is its own, so that runs side by
# side do not collide; the doubles' URL files are in start_double.sh's $scratch.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT   # kept by start_double.sh, which stops the doubles first
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "${SKIP_CARGO_BUILD:-0}" != 1 ]; then
  cargo build --release --quiet || die "cargo build --release failed"
fi
[ -f target/release/libremoteit.so ] || die "target/release/libremoteit.so is missing: run cargo build --release"

certs=$work/certs
tests/gen_test_certs.sh "$certs" || die "tests/gen_test_certs.sh failed"

# The doubles: each on a free port, both waited for (at most 10 s each).
start_api_double_as http tests/data/credentials || die "the http API double did not start"
start_api_double_as https tests/data/credentials --tls-cert "$certs/server.pem" --tls-key "$certs/server.key" \
  || die "the https API double did not start"

# shellcheck disable=SC2206  # the flags are words
cflags=($STRICT_CFLAGS $POSIX_CFLAGS -Iinclude)
run_env=(LD_LIBRARY_PATH=target/release)
binary=$work/test_client
if [ "${SANITIZE:-0}" = 1 ]; then
  # shellcheck disable=SC2206
  cflags+=($SANITIZE_CFLAGS)
  run_env+=(ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
            UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}")
  binary=$work/test_client-sanitize
else
  cflags+=(-O2)
fi
"$CC" "${cflags[@]}" tests/c/test_client.c -o "$binary" -Ltarget/release -lremoteit -pthread \
  || die "compiling tests/c/test_client.c failed"

status=0
env "${run_env[@]}" "$binary" "$http_url" "$https_url" "$certs/ca.pem" "$certs/other-ca.pem" \
  tests/data || status=$?
exit "$status"
