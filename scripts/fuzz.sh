#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ (cargo fuzz, libFuzzer, under AddressSanitizer) for
# $FUZZ_SECONDS seconds each, one process at a time, starting from the committed seeds in
# fuzz/corpus/<target>/ (what it adds goes to fuzz/work/<target>/, not committed). Installs
# cargo-fuzz when it is missing; needs a nightly toolchain. Prints, per target, the runs made,
# the coverage reached and what was found (fuzz/artifacts/<target>/); exits non-zero when a
# target found something.
#
#   scripts/fuzz.sh [TARGET...]      FUZZ_SECONDS=60 by default
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
toolchain=${FUZZ_TOOLCHAIN:-nightly}

if ! cargo "+$toolchain" --version >/dev/null 2>&1; then
  echo "fuzz: the $toolchain toolchain is missing (rustup toolchain install $toolchain)" >&2
  exit 2
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz from crates.io"
  cargo install cargo-fuzz --locked || { echo "fuzz: installing cargo-fuzz failed" >&2; exit 2; }
fi

cd fuzz
# The one leak report that is not the library's: see fuzz/lsan.supp.
export LSAN_OPTIONS="suppressions=$PWD/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo "+$toolchain" fuzz list)
if ! built=$(cargo "+$toolchain" fuzz build 2>&1); then
  echo "$built" | tail -n 30
  echo "fuzz: building the targets failed" >&2
  exit 2
fi

found=0
summary=()
for target in "${targets[@]}"; do
  mkdir -p "work/$target" "artifacts/$target"
  log=work/$target.log
  before=$(ls "artifacts/$target" | wc -l)
  echo "=== fuzz $target for ${seconds}s (log: fuzz/$log)"
  cargo "+$toolchain" fuzz run "$target" "work/$target" "corpus/$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 >"$log" 2>&1
  status=$?
  after=$(ls "artifacts/$target" | wc -l)
  runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' "$log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*/[0-9a-zA-Z]*' "$log" | tail -n 1)
  if [ "$status" -ne 0 ] || [ "$after" -gt "$before" ]; then
    found=$((found + 1))
    summary+=("$target: FOUND something (exit $status): see fuzz/$log and fuzz/artifacts/$target/")
    grep -m 3 -E 'panicked at|ERROR: (AddressSanitizer|libFuzzer)|SUMMARY' "$log" | sed 's/^/    /'
  else
    summary+=("$target: ${runs:-? runs}, ${cov:-no coverage line}, nothing found")
  fi
done

echo
echo "=== fuzz summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
[ "$found" -eq 0 ]
