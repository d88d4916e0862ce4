#!/usr/bin/env bash
# Builds and runs the programs written against tests/contract/api-contract.md alone (C, Python and,
# when Mono is present, C#) against a private API double.
set -euo pipefail
cd "$(dirname "$0")/../.."
python=${PYTHON:-python3}
source scripts/cflags.sh
source tests/start_double.sh
start_api_double tests/data/credentials
url=$api_url
work=$scratch

# shellcheck disable=SC2086  # the flags are words
"$CC" $STRICT_CFLAGS -Iinclude tests/contract/contract.c \
  -Ltarget/release -lremoteit -o "$work/contract"
LD_LIBRARY_PATH=target/release "$work/contract" "$url" tests/data/credentials
# A proxy named in the environment is never used for a loopback API.
ALL_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 http_proxy=http://127.0.0.1:9 \
  LD_LIBRARY_PATH=target/release "$work/contract" "$url" tests/data/credentials

REMOTEIT_LIBRARY="$PWD/target/release/libremoteit.so" PYTHONPATH=bindings/python \
  "$python" tests/contract/contract.py "$url" tests/data/credentials

if [ -f tests/contract/Contract.cs ]; then
  mcs -nologo -warnaserror+ -out:"$work/Contract.exe" tests/contract/Contract.cs bindings/csharp/src/*.cs
  REMOTEIT_LIBRARY="$PWD/target/release/libremoteit.so" mono "$work/Contract.exe" "$url" tests/data/credentials
fi
