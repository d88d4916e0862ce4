#!/usr/bin/env bash
# Runs the C# example against the local API double with the demo credentials:
#   examples/csharp/run.sh [DEVICE_NAME SERVICE_NAME]     (default: lab-pi ssh)
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

source tests/start_double.sh
start_api_double examples/demo/credentials

if [ $# -eq 0 ]; then
  set -- lab-pi ssh
fi
LD_LIBRARY_PATH="$PWD/target/release${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
  mono "$out/remoteit-example.exe" --api-url "$api_url" examples/demo/credentials "$@"
