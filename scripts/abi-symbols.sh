#!/usr/bin/env bash
# The ABI check: the functions target/release/libremoteit.so exports (nm -D --defined-only)
# must be exactly those listed in abi/exported-symbols.txt, every one must be declared in
# include/remoteit.h, and the list's version line must carry Cargo.toml's major.minor.
#   scripts/abi-symbols.sh            check (the test suite)
#   scripts/abi-symbols.sh --write    rewrite the list from the built library (make abi-list)
# The rule: a symbol is never removed or changed within a major version; adding one is a minor
# release. So the list changes only together with the version: after adding functions, bump
# the minor version in Cargo.toml, then make abi-list, and commit both.
set -euo pipefail
cd "$(dirname "$0")/.."
list=abi/exported-symbols.txt
library=target/release/libremoteit.so
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
major_minor=${version%.*}

[ -f "$library" ] || { echo "abi: no $library (make lib)" >&2; exit 1; }
# Every dynamic symbol the library defines, whatever its type: functions (T), data (D, B, R),
# weak ones; only remoteit_* functions may be there.
defined=$(nm -D --defined-only "$library" | awk 'NF >= 3 {print $2, $3}' | sort -k2)
exported=$(awk '$1 == "T" {print $2}' <<<"$defined" | grep '^remoteit_' | sort || true)

if [ "${1:-}" = "--write" ]; then
  {
    echo "# libremoteit $major_minor: the exported functions (nm -D --defined-only, type T), one per line."
    echo "# Regenerate with make abi-list, only together with a minor (added) or major (removed) version bump."
    echo "version $major_minor"
    echo "$exported"
  } >"$list"
  echo "abi: wrote $(wc -l <<<"$exported") symbols for $major_minor to $list"
  exit 0
fi

status=0
listed_version=$(sed -n 's/^version //p' "$list")
if [ "$listed_version" != "$major_minor" ]; then
  echo "abi: $list is for version $listed_version, Cargo.toml is $version ($major_minor): review the symbols, then make abi-list"
  status=1
fi
listed=$(grep -v -e '^#' -e '^version ' "$list" | sort)
missing=$(comm -23 <(echo "$listed") <(echo "$exported"))
unlisted=$(comm -13 <(echo "$listed") <(echo "$exported"))
others=$(awk '!($1 == "T" && $2 ~ /^remoteit_/)' <<<"$defined")
[ -z "$missing" ] || { echo "abi: listed but no longer exported (an ABI break):"; echo "$missing"; status=1; }
[ -z "$unlisted" ] || { echo "abi: exported but not listed (a new symbol: bump the minor version, make abi-list):"; echo "$unlisted"; status=1; }
[ -z "$others" ] || { echo "abi: exported symbols other than remoteit_* functions:"; echo "$others"; status=1; }
undeclared=$(while read -r symbol; do
  grep -Eq "[ *]$symbol\(" include/remoteit.h || echo "$symbol"
done <<<"$exported")
[ -z "$undeclared" ] || { echo "abi: exported but not declared in include/remoteit.h:"; echo "$undeclared"; status=1; }
[ "$status" -ne 0 ] || echo "abi: $(wc -l <<<"$exported") exported symbols match $list ($major_minor)"
exit "$status"
