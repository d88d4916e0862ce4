"""Request signing helpers: the schemes, argument conversion, the headers object, the signing string."""

from __future__ import annotations

import ctypes
import enum
import operator
from typing import Any, List, Optional, Tuple, Union

from ._native import NOW, lib
from ._text import decode, encode, encode_optional, read_buffer
from .errors import Result, check, invalid_argument


class Scheme(enum.IntEnum):
    """A request signing scheme (``REMOTEIT_SCHEME_*``)."""

    CAVAGE = 0
    """draft-cavage HTTP Signatures (``Authorization: Signature ...``): the default."""
    RFC9421 = 1
    """RFC 9421 HTTP Message Signatures (``Signature-Input`` and ``Signature``)."""


#: The 0.1 name of :class:`Scheme`, kept for existing callers.
SigningScheme = Scheme

Body = Union[bytes, bytearray, memoryview, str]
Headers = List[Tuple[str, str]]
#: A :class:`Scheme`, or the plain number of one.
SchemeArg = Union[Scheme, int]

# ctypes wraps integers that do not fit an argument's C type without a word: check them first.
_SIZE_MAX = 2 ** (8 * ctypes.sizeof(ctypes.c_size_t)) - 1
_INT64_MAX = 2**63 - 1
_UINT32_MAX = 2**32 - 1


def uint32_arg(value: int, argument: str) -> int:
    """``value`` checked to fit a ``uint32_t``."""
    number = operator.index(value)
    if not 0 <= number <= _UINT32_MAX:
        raise invalid_argument(f"{argument} must be between 0 and {_UINT32_MAX}, got {number}")
    return number


def scheme_arg(scheme: SchemeArg) -> int:
    """``scheme`` for the library: any number a ``uint32_t`` holds is passed through, so the
    library itself rejects one it does not know (``INVALID_ARGUMENT``)."""
    if scheme.__class__ is Scheme:  # the common case, on every signature's path
        return scheme
    return uint32_arg(scheme, "scheme")


def body_bytes(body: Optional[Body]) -> bytes:
    """A request body as bytes: ``str`` is encoded as UTF-8 (NUL characters are fine in a body);
    None is an empty body."""
    if body is None:
        return b""
    if body.__class__ is bytes:
        return body
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    if not isinstance(body, str):
        raise TypeError(f"body must be bytes or str, not {type(body).__name__}")
    try:
        return body.encode("utf-8")
    except UnicodeEncodeError as error:
        raise invalid_argument(f"body is not valid Unicode text: {error}") from None


def unix_time_arg(unix_time: Optional[int]) -> int:
    """``unix_time`` for the library: seconds since the epoch; None or a negative number (as in
    C, ``REMOTEIT_NOW``) means now."""
    if unix_time is None:
        return NOW
    seconds = operator.index(unix_time)
    if seconds < 0:
        return NOW
    if seconds > _INT64_MAX:
        raise invalid_argument(f"unix_time must be at most {_INT64_MAX} (None means now), got {seconds}")
    return seconds


def body_arg(body: bytes) -> Any:
    """``body`` as the ``const uint8_t *`` argument: NULL when empty."""
    if not body:
        return None
    return (ctypes.c_uint8 * len(body)).from_buffer_copy(body)


# Room for the header block of any usual signature (RFC 9421 with a body: about 450 bytes);
# a larger one (a long key id) is asked for again at its size.
_HeadersText = ctypes.c_char * 1024


def take_headers(headers: Any) -> Headers:
    """The name/value pairs of a ``remoteit_headers`` handle, which is then freed.

    One call (``remoteit_headers_text``) rather than one per header: through ctypes each call
    costs about as much as the signature itself.
    """
    try:
        length = ctypes.c_size_t(0)
        buf: Any = _HeadersText()
        code = lib.remoteit_headers_text(headers, buf, len(buf), ctypes.byref(length))
        if code == Result.ERR_BUFFER_TOO_SMALL:
            buf = ctypes.create_string_buffer(length.value + 1)
            code = lib.remoteit_headers_text(headers, buf, length.value + 1, ctypes.byref(length))
        if code:
            check(code)
        lines = buf.raw[: length.value].decode("utf-8").split("\r\n")
        # Every line is "Name: value" (no name has ": "); the block ends with CRLF.
        return [(name, value) for name, _, value in (line.partition(": ") for line in lines[:-1])]
    finally:
        lib.remoteit_headers_free(headers)


def signing_string(
    method: str,
    url: str,
    content_type: Optional[str],
    content_length: int,
    unix_time: Optional[int] = None,
) -> str:
    """The draft-cavage signing string that :meth:`Credentials.sign_request` would sign.

    Needs no credentials: use it to see what a server that rejects a signature should have
    computed. ``content_type`` None leaves ``content-type`` out; ``content_length`` is the
    body's length in bytes; ``unix_time`` None means now.
    """
    method_arg = encode(method, "method")
    url_arg = encode(url, "url")
    content_type_arg = encode_optional(content_type, "content_type")
    length = operator.index(content_length)
    if not 0 <= length <= _SIZE_MAX:
        raise invalid_argument(f"content_length must be between 0 and {_SIZE_MAX}, got {length}")
    time_arg = unix_time_arg(unix_time)
    return read_buffer(
        lambda buf, buf_len, out_len: lib.remoteit_signing_string(
            method_arg, url_arg, content_type_arg, length, time_arg, buf, buf_len, out_len
        )
    )
