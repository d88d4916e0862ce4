"""Wheel tags for the remoteit package (the metadata is in pyproject.toml).

With a native library copied beside ``__init__.py`` (what ``make wheel`` does), the wheel is
``py3-none-<platform>``: any Python 3, no Python ABI (ctypes only), but only the platform that
library was built for. Without one it stays ``py3-none-any`` and finds the library at run time
(``REMOTEIT_LIBRARY``, or the system's search).
"""

from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.bdist_wheel import bdist_wheel

PACKAGE = Path(__file__).resolve().parent / "remoteit"
NATIVE_PATTERNS = ("*.so", "*.dylib", "*.dll")


def bundles_native_library() -> bool:
    """Whether a native library sits in the package folder."""
    return any(any(PACKAGE.glob(pattern)) for pattern in NATIVE_PATTERNS)


class NativeDistribution(Distribution):
    """Platform-specific (installed to platlib) iff it carries a native library."""

    def has_ext_modules(self) -> bool:
        return bundles_native_library()


class PlatformWheel(bdist_wheel):
    """A wheel tagged for the platform of the bundled library, for any Python 3."""

    def get_tag(self) -> tuple:
        python, abi, platform = super().get_tag()
        if self.root_is_pure:
            return python, abi, platform
        return "py3", "none", platform


setup(distclass=NativeDistribution, cmdclass={"bdist_wheel": PlatformWheel})
