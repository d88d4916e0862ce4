#!/usr/bin/env bash
# Builds tests/c/stress.c against target/release/libremoteit.so and runs it against local API
# doubles (tests/api_double.py).
#
#   tests/c/run_stress.sh                  make stress: 16 threads x 10,000 calls in each mode
#                                          below, then 100,000 rounds
#   STRESS_SHORT=1 tests/c/run_stress.sh   make test: 4 threads x 1,000 calls in each mode,
#                                          2,000 rounds
#   tests/c/run_stress.sh sanitizers       make test: the setters under load, a short run built
#                                          with AddressSanitizer + UndefinedBehaviorSanitizer
#   tests/c/run_stress.sh drd              make test: the same under valgrind's drd thread
#                                          checker, with the debug library built with the
#                                          `drd` feature (see tests/c/drd.supp for why)
#
# The modes: a double that keeps connections alive; one that closes every kept-alive connection
# after 10 answers, at once; one that closes it 10 ms later (both without "Connection: close",
# so the client may send on a connection being closed); the setters under load (every
# remoteit_client_set_* called again and again from one more thread) against the last one.
# After each closing mode the double's counts must show the closing happened (at most 10
# requests per TCP connection).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
[ -f target/release/libremoteit.so ] || { echo "run_stress: build the library first (make lib)" >&2; exit 2; }
source scripts/cflags.sh
source tests/start_double.sh
check=${1:-}
case "$check" in
  '' | sanitizers | drd) ;;
  *) echo "usage: $0 [sanitizers | drd]" >&2; exit 2 ;;
esac

close_after=10
start_api_double_as plain tests/data/credentials
start_api_double_as close_now tests/data/credentials
start_api_double_as close_later tests/data/credentials
api_double_control "$close_now_url" POST /_control/keepalive "{\"close_after\": $close_after, \"delay_ms\": 0}" >/dev/null
api_double_control "$close_later_url" POST /_control/keepalive "{\"close_after\": $close_after, \"delay_ms\": 10}" >/dev/null
tests/gen_test_certs.sh "$scratch/certs"    # a CA file for remoteit_client_set_ca_file
ca=$scratch/certs/ca.pem

# shellcheck disable=SC2206  # the flags are words
cflags=($STRICT_CFLAGS $POSIX_CFLAGS -Iinclude)
# shellcheck disable=SC2206
case "$check" in
  sanitizers) cflags+=($SANITIZE_CFLAGS) ;;
  drd) cflags+=(-g -O1) ;;
  *) cflags+=(-O2) ;;
esac
libdir=target/release
if [ "$check" = drd ]; then
  # The debug build: its frames are not inlined away, which the suppressions need.
  cargo build --quiet --features drd
  libdir=$scratch/lib    # with the SONAME link the program looks for
  mkdir -p "$libdir"
  ln -s "$PWD/target/debug/libremoteit.so" "$libdir/libremoteit.so"
  ln -s "$PWD/target/debug/libremoteit.so" "$libdir/libremoteit.so.0"
fi
"$CC" "${cflags[@]}" tests/c/stress.c -L"$libdir" -lremoteit -pthread -o "$scratch/stress"
export LD_LIBRARY_PATH=$libdir

# double_counts URL [closing]: prints how many requests the double at URL answered on how
# many TCP connections (this control request's own included); with "closing", fails unless
# it answered at most $close_after on each.
double_counts() {
  local stats requests connections
  stats=$(api_double_control "$1" GET /_control/stats)
  read -r requests connections < <("${PYTHON:-python3}" -c \
    'import json, sys; s = json.loads(sys.argv[1]); print(s["requests"], s["connections"])' "$stats")
  echo "  the double: $requests requests on $connections TCP connections"
  if [ "${2:-}" = closing ] && [ $((connections * close_after)) -lt "$requests" ]; then
    echo "run_stress: the double kept connections open longer than $close_after answers" >&2
    return 1
  fi
}

case "$check" in
  sanitizers)
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
      "$scratch/stress" setters "$close_later_url" tests/data/credentials 4 2000 "$ca"
    exit
    ;;
  drd)
    # Deep stacks: a suppression sees only the frames recorded (--num-callers).
    valgrind --tool=drd --quiet --error-exitcode=99 --num-callers=50 --suppressions=tests/c/drd.supp \
      "$scratch/stress" setters "$close_later_url" tests/data/credentials 4 400 "$ca"
    exit
    ;;
esac

if [ "${STRESS_SHORT:-0}" = 1 ]; then
  threads=4 calls=1000 rounds=2000
else
  threads=16 calls=10000 rounds=100000
fi
"$scratch/stress" calls "$plain_url" tests/data/credentials $threads $calls "connections kept alive"
double_counts "$plain_url"
"$scratch/stress" calls "$close_now_url" tests/data/credentials $threads $calls \
  "closed after $close_after answers, at once"
double_counts "$close_now_url" closing
"$scratch/stress" calls "$close_later_url" tests/data/credentials $threads $calls \
  "closed after $close_after answers, 10 ms later"
double_counts "$close_later_url" closing
api_double_control "$close_later_url" POST /_control/reset >/dev/null
"$scratch/stress" setters "$close_later_url" tests/data/credentials $threads $calls "$ca"
double_counts "$close_later_url" closing
"$scratch/stress" rounds "$plain_url" tests/data/credentials $rounds
