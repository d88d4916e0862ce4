#!/usr/bin/env bash
# Builds tests/c/stress.c against target/release/libremoteit.so and runs it against a local
# API double (tests/api_double.py).
#
#   tests/c/run_stress.sh           16 threads x 10,000 calls; 100,000 rounds (make stress)
#   STRESS_SHORT=1 tests/c/run_stress.sh     4 threads x 250 calls; 2,000 rounds (make test)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
[ -f target/release/libremoteit.so ] || { echo "run_stress: build the library first (make lib)" >&2; exit 2; }
source tests/start_double.sh
start_api_double tests/data/credentials
if [ "${STRESS_SHORT:-0}" = 1 ]; then
  set -- 4 250 2000
else
  set -- 16 10000 100000
fi
gcc -std=c11 -Wall -Wextra -Wpedantic -Werror -D_POSIX_C_SOURCE=200809L -O2 -Iinclude \
  tests/c/stress.c -Ltarget/release -lremoteit -pthread -o "$scratch/stress"
LD_LIBRARY_PATH=target/release "$scratch/stress" "$api_url" tests/data/credentials "$@"
