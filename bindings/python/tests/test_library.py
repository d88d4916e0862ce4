"""Finding, loading and checking the native library."""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from typing import Dict

import support

import remoteit
from remoteit import _native

IMPORT_AND_SHOW_PATH = "import remoteit; print(remoteit.library_path)"


def run_python(code: str, environment: Dict[str, str]) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter with ``environment``."""
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60)


class VersionTest(unittest.TestCase):
    def test_version_is_the_expected_major_minor(self) -> None:
        self.assertTrue(remoteit.version().startswith("0.2."), remoteit.version())

    def test_a_matching_patch_version_is_accepted(self) -> None:
        _native.check_version("0.2.99", "libremoteit.so")

    def test_another_minor_version_is_refused_with_both_versions(self) -> None:
        with self.assertRaisesRegex(ImportError, r"'0\.1\.0'.*needs 0\.2\.x"):
            _native.check_version("0.1.0", "libremoteit.so")

    def test_a_version_that_is_not_numbers_is_refused(self) -> None:
        with self.assertRaises(ImportError):
            _native.check_version("unknown", "libremoteit.so")


class LookupTest(unittest.TestCase):
    """Each case imports the package in a fresh interpreter from a copy without a library."""

    def setUp(self) -> None:
        directory = tempfile.TemporaryDirectory(prefix="remoteit-lookup-")
        self.addCleanup(directory.cleanup)
        self.package = Path(directory.name) / "remoteit"
        shutil.copytree(support.BINDING_ROOT / "remoteit", self.package,
                        ignore=shutil.ignore_patterns("*.so", "*.dylib", "*.dll", "__pycache__"))
        self.environment = {k: v for k, v in os.environ.items() if k != "REMOTEIT_LIBRARY"}
        self.environment["PYTHONPATH"] = directory.name
        self.library = Path(remoteit.library_path).resolve()

    def test_remoteit_library_names_the_file_to_load(self) -> None:
        result = run_python(IMPORT_AND_SHOW_PATH, {**self.environment, "REMOTEIT_LIBRARY": str(self.library)})
        self.assertEqual(result.stdout.strip(), str(self.library), result.stderr)

    def test_a_missing_remoteit_library_file_fails_naming_it(self) -> None:
        missing = "/nonexistent/libremoteit.so"
        result = run_python(IMPORT_AND_SHOW_PATH, {**self.environment, "REMOTEIT_LIBRARY": missing})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn(f"ImportError: cannot load libremoteit. Tried:\n  REMOTEIT_LIBRARY: {missing}", result.stderr)

    def test_the_library_beside_the_package_is_found(self) -> None:
        beside = self.package / self.library.name
        shutil.copy(self.library, beside)
        result = run_python(IMPORT_AND_SHOW_PATH, self.environment)
        self.assertEqual(result.stdout.strip(), str(beside), result.stderr)

    @unittest.skipIf(ctypes.util.find_library("remoteit"), "a libremoteit is installed system-wide")
    def test_without_a_library_the_error_lists_every_place_tried(self) -> None:
        result = run_python(IMPORT_AND_SHOW_PATH, self.environment)
        self.assertNotEqual(result.returncode, 0)
        for place in ("the package folder", 'ctypes.util.find_library("remoteit")', "the system loader"):
            self.assertIn(place, result.stderr)


if __name__ == "__main__":
    unittest.main()
