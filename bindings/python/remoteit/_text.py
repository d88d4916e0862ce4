"""Strings across the boundary: UTF-8 in, UTF-8 out, the buffer convention, owned strings."""

from __future__ import annotations

import ctypes
import os
from typing import Any, Callable, Optional, Union

from ._native import lib
from .errors import Result, check, invalid_argument

PathLike = Union[str, "os.PathLike[str]"]


def encode(value: str, argument: str) -> bytes:
    """``value`` as NUL-terminable UTF-8; rejects non-strings, NUL characters and lone surrogates."""
    if not isinstance(value, str):
        raise TypeError(f"{argument} must be a str, not {type(value).__name__}")
    if "\0" in value:
        raise invalid_argument(f"{argument} contains a NUL character")
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise invalid_argument(f"{argument} is not valid Unicode text: {error}") from None


def encode_optional(value: Optional[str], argument: str) -> Optional[bytes]:
    """:func:`encode`, with None passed through (NULL for the library)."""
    return None if value is None else encode(value, argument)


def encode_path(path: PathLike, argument: str) -> bytes:
    """A file path (``str`` or ``os.PathLike``) as UTF-8."""
    return encode(os.fspath(path), argument)


def decode(value: Optional[bytes]) -> str:
    """A borrowed C string as ``str`` (NULL as the empty string)."""
    return "" if value is None else value.decode("utf-8")


def read_buffer(call: Callable[..., int]) -> str:
    """Run a buffer-convention function: ask for the length, then fetch into a big enough buffer.

    ``call(buf, buf_len, out_len)`` calls the library function with the other arguments bound.
    """
    length = ctypes.c_size_t(0)
    code = call(None, 0, ctypes.byref(length))
    while code == Result.ERR_BUFFER_TOO_SMALL:
        buffer = ctypes.create_string_buffer(length.value + 1)
        code = call(buffer, len(buffer), ctypes.byref(length))
        if code == Result.OK:
            return buffer.value.decode("utf-8")
    check(code)
    raise AssertionError("libremoteit broke the buffer convention: a zero-length buffer was enough")


def take_owned_string(pointer: Any) -> str:
    """The text of a library-allocated string (an ``OwnedString``), which is then freed."""
    try:
        return ctypes.string_at(pointer).decode("utf-8")
    finally:
        lib.remoteit_string_free(pointer)
