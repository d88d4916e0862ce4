#!/usr/bin/env bash
# Runs the C# example against the local API double with the demo credentials:
#   examples/csharp/run.sh [SERVICE_ID]
# Builds libremoteit, compiles the binding (RemoteIt.dll) and the example with Mono's mcs into
# build/csharp/example, starts tests/api_double.py with examples/demo/credentials, runs the
# example against it and stops the double.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --quiet
out=build/csharp/example
mkdir -p "$out"
mcs -langversion:6 -warn:4 -warnaserror+ -target:library -out:"$out/RemoteIt.dll" bindings/csharp/src/*.cs
mcs -langversion:6 -warn:4 -warnaserror+ -target:exe -out:"$out/remoteit-example.exe" \
    -r:"$out/RemoteIt.dll" examples/csharp/RemoteItExample.cs

url_file=$(mktemp)
rm -f "$url_file"
python3 tests/api_double.py --credentials examples/demo/credentials --port 0 --url-file "$url_file" --quiet --exit-with-parent >/dev/null &
double=$!
trap 'kill "$double" 2>/dev/null; wait "$double" 2>/dev/null; rm -f "$url_file"' EXIT
for _ in $(seq 100); do
  [ -s "$url_file" ] && break
  kill -0 "$double" || { echo "the API double did not start" >&2; exit 1; }
  sleep 0.1
done
[ -s "$url_file" ] || { echo "the API double wrote no URL" >&2; exit 1; }

LD_LIBRARY_PATH="$PWD/target/release${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
  mono "$out/remoteit-example.exe" --api-url "$(cat "$url_file")" examples/demo/credentials "$@"
