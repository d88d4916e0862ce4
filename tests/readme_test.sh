#!/usr/bin/env bash
# The README's C quick start is a complete program: this takes the first ```c block after
# "## C quick start" out of README.md, compiles it with the strict flags and runs it against
# the API double (signed headers, a GraphQL query, a connect and a disconnect).
set -euo pipefail
cd "$(dirname "$0")/.."
source tests/start_double.sh
start_api_double tests/data/credentials
awk '/^## C quick start/ {section = 1} section && /^```c$/ {inside = 1; next}
     inside && /^```$/ {exit} inside {print}' README.md >"$scratch/quickstart.c"
[ -s "$scratch/quickstart.c" ] || { echo "no C quick start block in README.md"; exit 1; }
gcc -std=c11 -Wall -Wextra -Wpedantic -Werror -Iinclude "$scratch/quickstart.c" \
  -Ltarget/release -lremoteit -o "$scratch/quickstart"
out=$(LD_LIBRARY_PATH=target/release "$scratch/quickstart" tests/data/credentials "$api_url" 80:00:00:00:01:00:00:11)
for line in '^Date: ' '^Authorization: Signature keyId="TESTKEYID0000000001"' '"total": 3' '^[^ ]+:[0-9]+$'; do
  grep -Eq "$line" <<<"$out" || { echo "quick start output lacks /$line/:"; echo "$out"; exit 1; }
done
code=0
LD_LIBRARY_PATH=target/release "$scratch/quickstart" "$scratch/none" "$api_url" >/dev/null 2>"$scratch/err" || code=$?
[ "$code" -eq 1 ] && grep -q "credentials: REMOTEIT_ERR_CREDENTIALS_NOT_FOUND" "$scratch/err" ||
  { echo "a missing file: exit $code, $(cat "$scratch/err")"; exit 1; }
echo "README C quick start: compiles, runs, reports a failure"
