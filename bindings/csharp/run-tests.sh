#!/usr/bin/env bash
# Builds libremoteit, compiles the .NET binding with its tests using Mono's mcs, and runs them
# with mono against the real library and the local API double (tests/api_double.py).
#   bindings/csharp/run-tests.sh        (from the repository root)
# The test process finds the library through LD_LIBRARY_PATH (DllImport probing); the loader
# tests start child processes without it and with REMOTEIT_LIBRARY instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --quiet
out=$(mktemp -d)    # this run's own: runs side by side do not collide
trap 'rm -rf "$out"' EXIT
mcs -langversion:6 -warn:4 -warnaserror+ -target:exe -out:"$out/RemoteIt.Tests.exe" \
    -r:System.dll -r:System.Core.dll \
    bindings/csharp/src/*.cs bindings/csharp/tests/*.cs
status=0
LD_LIBRARY_PATH="$PWD/target/release${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" mono --debug "$out/RemoteIt.Tests.exe" || status=$?
exit "$status"
