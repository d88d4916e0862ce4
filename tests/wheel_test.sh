#!/usr/bin/env bash
# The Python wheel (make wheel) as a user gets it: auditwheel confirms the manylinux tag in its
# name, it installs into a fresh venv, and examples/python/connect.py runs from there against
# the API double with the bundled libremoteit.so (no REMOTEIT_LIBRARY, PYTHONPATH or
# LD_LIBRARY_PATH; run from outside the source tree).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)

mkdir -p build
make --no-print-directory wheel >"$repo/build/wheel-build.log" 2>&1 || { cat build/wheel-build.log; exit 1; }
wheels=(dist/remoteit-"$version"-py3-none-manylinux_*_x86_64.whl)
[ "${#wheels[@]}" -eq 1 ] && [ -f "${wheels[0]}" ] || { echo "expected one manylinux wheel, found: ${wheels[*]}"; exit 1; }
wheel=${wheels[0]}
tag=$(basename "$wheel" .whl); tag=${tag##*-}
shown=$(.venv-build/bin/auditwheel show "$wheel" | tr -s '\n ' '  ')
grep -q "consistent with.*platform tag: \"$tag\"" <<<"$shown" ||
  { echo "auditwheel does not confirm $tag:"; echo "$shown"; exit 1; }
grep -qx 'remoteit/libremoteit\.so' <<<"$(unzip -Z1 "$wheel")" || { echo "no remoteit/libremoteit.so in $wheel"; exit 1; }
echo "wheel: $(basename "$wheel") (auditwheel: $tag)"

source tests/start_double.sh
start_api_double examples/demo/credentials
python3 -m venv "$scratch/venv"
"$scratch/venv/bin/pip" install --quiet --disable-pip-version-check --no-index "$repo/$wheel"

cd "$scratch"
run() { env -u REMOTEIT_LIBRARY -u PYTHONPATH -u LD_LIBRARY_PATH "$scratch/venv/bin/python" "$@"; }
loaded=$(run -c 'import remoteit; print(remoteit.library_path, remoteit.version())')
case $loaded in
  "$scratch"/venv/lib/python3*/site-packages/remoteit/libremoteit.so" $version") ;;
  *) echo "the installed package loaded: $loaded"; exit 1 ;;
esac
out=$(run "$repo/examples/python/connect.py" --credentials "$repo/examples/demo/credentials" \
  --api-url "$api_url" 80:00:00:00:01:00:00:11)
grep -Eq '^connected: host \S+ port [0-9]+$' <<<"$out" && grep -q '^disconnected: ' <<<"$out" ||
  { echo "unexpected example output:"; echo "$out"; exit 1; }
echo "example from the wheel's venv: $(head -n 1 <<<"$out")"
