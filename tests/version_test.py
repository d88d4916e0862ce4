"""Every place the version appears agrees with Cargo.toml: the header's macros, the library's
remoteit_version(), the Python package, the C# project and loader, the nuspec and man page
templates (and the man page made from it), the ABI list, the README and the CHANGELOG.

    python3 tests/version_test.py      (after a release build: make lib)

Run by scripts/test.sh; a version bump that misses a place fails here, naming it.
"""

import ctypes
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def read(relative: str) -> str:
    return (ROOT / relative).read_text(encoding="utf-8")


def one(pattern: str, relative: str, text: str = None) -> str:
    """The single group of the first match of pattern in a file (or text); '' when absent."""
    match = re.search(pattern, read(relative) if text is None else text, re.MULTILINE)
    return match.group(1) if match else ""


def main() -> int:
    version = one(r'^version = "(.*)"', "Cargo.toml")
    major, minor, _patch = version.split(".")
    major_minor = f"{major}.{minor}"
    library = ctypes.CDLL(str(ROOT / "target" / "release" / "libremoteit.so"))
    library.remoteit_version.restype = ctypes.c_char_p
    header = read("include/remoteit.h")
    subprocess.run(["make", "--no-print-directory", "-s", "build/remoteit.1"], cwd=ROOT, check=True)

    checks = [
        ("include/remoteit.h REMOTEIT_VERSION_MAJOR.MINOR.PATCH",
         ".".join(one(rf"^#define REMOTEIT_VERSION_{part} (\d+)$", "", header) for part in ("MAJOR", "MINOR", "PATCH")),
         version),
        ("remoteit_version() of target/release/libremoteit.so", library.remoteit_version().decode(), version),
        ("bindings/python/remoteit/__init__.py __version__", one(r'^__version__ = "(.*)"$', "bindings/python/remoteit/__init__.py"), version),
        ("bindings/python/pyproject.toml takes the version from __version__",
         one(r'^version = \{ attr = "(remoteit\.__version__)" \}$', "bindings/python/pyproject.toml"), "remoteit.__version__"),
        ("bindings/python/remoteit/_native.py EXPECTED_VERSION",
         ".".join(re.findall(r"\d+", one(r"^EXPECTED_VERSION: .* = \((.*)\)$", "bindings/python/remoteit/_native.py"))), major_minor),
        ("bindings/csharp/RemoteIt.csproj <Version>", one(r"<Version>(.*)</Version>", "bindings/csharp/RemoteIt.csproj"), version),
        ("bindings/csharp/src/Loader.cs Major.Minor",
         one(r"const int Major = (\d+);", "bindings/csharp/src/Loader.cs") + "." + one(r"const int Minor = (\d+);", "bindings/csharp/src/Loader.cs"),
         major_minor),
        ("bindings/csharp/README.md 'it is X.Y.x'", one(r"^  (\d+\.\d+)\.x \(the version it was written for\)", "bindings/csharp/README.md"), major_minor),
        ("packaging/nuget/RemoteIt.nuspec.in <version> (filled from Cargo.toml)",
         one(r"<version>(.*)</version>", "packaging/nuget/RemoteIt.nuspec.in"), "@VERSION@"),
        ("doc/remoteit.1.in .TH (filled from Cargo.toml)", one(r'^\.TH REMOTEIT 1 "" "libremoteit (\S+)"', "doc/remoteit.1.in"), "@VERSION@"),
        ("build/remoteit.1 .TH", one(r'^\.TH REMOTEIT 1 "" "libremoteit (\S+)"', "build/remoteit.1"), version),
        ("abi/exported-symbols.txt version line", one(r"^version (\S+)$", "abi/exported-symbols.txt"), major_minor),
        ("README.md installed file name lib/libremoteit.so.X.Y.Z", one(r"lib/libremoteit\.so\.(\d+\.\d+\.\d+)", "README.md"), version),
        ("README.md User-Agent", one(r"User-Agent: libremoteit/(\d+\.\d+\.\d+)", "README.md"), version),
        ("CHANGELOG.md has a section for this version", one(rf"^## \[?({re.escape(version)})\]?", "CHANGELOG.md"), version),
    ]
    failures = [(what, found, wanted) for what, found, wanted in checks if found != wanted]
    for what, found, wanted in failures:
        print(f"FAIL: {what} is {found!r}, expected {wanted!r} (Cargo.toml {version})")
    print(f"{len(checks) - len(failures)} passed, {len(failures)} failed (version {version})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
