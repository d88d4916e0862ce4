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

pids=()
# Everything this run writes (URL files, certificates, the test binary) is its own, so that
# runs side by side do not collide.
work=$(mktemp -d)
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "${SKIP_CARGO_BUILD:-0}" != 1 ]; then
  cargo build --release --quiet || die "cargo build --release failed"
fi
[ -f target/release/libremoteit.so ] || die "target/release/libremoteit.so is missing: run cargo build --release"

certs=$work/certs
tests/gen_test_certs.sh "$certs" || die "tests/gen_test_certs.sh failed"

# The doubles: --port 0 picks a free port; each writes its API URL to a file once listening.
http_url_file=$work/http.url
https_url_file=$work/https.url
python3 tests/api_double.py --port 0 --credentials tests/data/credentials \
  --url-file "$http_url_file" --quiet --exit-with-parent >/dev/null &
pids+=($!)
python3 tests/api_double.py --port 0 --credentials tests/data/credentials \
  --tls-cert "$certs/server.pem" --tls-key "$certs/server.key" \
  --url-file "$https_url_file" --quiet --exit-with-parent >/dev/null &
pids+=($!)

# Bounded wait (10 s) for both URL files; a double that exits early is reported at once.
for _ in $(seq 100); do
  [ -s "$http_url_file" ] && [ -s "$https_url_file" ] && break
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || die "an API double (pid $pid) exited during start-up"
  done
  sleep 0.1
done
[ -s "$http_url_file" ] || die "the http API double did not write $http_url_file within 10 s"
[ -s "$https_url_file" ] || die "the https API double did not write $https_url_file within 10 s"
http_url=$(head -n1 "$http_url_file")
https_url=$(head -n1 "$https_url_file")

cflags=(-std=c11 -Wall -Wextra -Wpedantic -Werror -D_POSIX_C_SOURCE=200809L -Iinclude)
run_env=(LD_LIBRARY_PATH=target/release)
binary=$work/test_client
if [ "${SANITIZE:-0}" = 1 ]; then
  cflags+=(-g -fsanitize=address,undefined -fno-omit-frame-pointer)
  run_env+=(ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
            UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}")
  binary=$work/test_client-sanitize
else
  cflags+=(-O2)
fi
gcc "${cflags[@]}" tests/c/test_client.c -o "$binary" -Ltarget/release -lremoteit -pthread \
  || die "compiling tests/c/test_client.c failed"

status=0
env "${run_env[@]}" "$binary" "$http_url" "$https_url" "$certs/ca.pem" "$certs/other-ca.pem" \
  tests/data || status=$?
exit "$status"
