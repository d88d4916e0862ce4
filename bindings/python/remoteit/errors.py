"""Result codes and the exceptions that carry them.

Every failing library call raises a :class:`RemoteItError` subclass chosen by the result
code's family, so a caller can write ``except remoteit.AuthError``. Each exception carries
``code`` (the number), ``name`` (``REMOTEIT_ERR_...``) and ``message`` (the library's last
error message for that call).
"""

from __future__ import annotations

import ctypes
import enum
from typing import Dict, Type

from ._native import lib


class Result(enum.IntEnum):
    """The library's result codes (``remoteit_result``), named without the ``REMOTEIT_`` prefix."""

    OK = 0
    ERR_NULL_ARGUMENT = 1
    ERR_INVALID_ARGUMENT = 2
    ERR_BUFFER_TOO_SMALL = 3
    ERR_PANIC = 4
    ERR_CREDENTIALS_NOT_FOUND = 100
    ERR_CREDENTIALS_INVALID = 101
    ERR_PROFILE_NOT_FOUND = 102
    ERR_CREDENTIALS_INCOMPLETE = 103
    ERR_SECRET_INVALID = 104
    ERR_NETWORK = 200
    ERR_TIMEOUT = 201
    ERR_TLS = 202
    ERR_UNAUTHORIZED = 300
    ERR_RATE_LIMITED = 301
    ERR_HTTP_STATUS = 302
    ERR_GRAPHQL = 303
    ERR_PROTOCOL = 304
    ERR_API = 305


class RemoteItError(Exception):
    """A failed library call: its result ``code``, the code's ``name`` and the ``message``.

    Raised as such for ``REMOTEIT_ERR_PANIC`` (an internal bug caught by the library) and for
    codes this binding does not know; every other code raises one of the subclasses.
    """

    def __init__(self, code: int, name: str, message: str) -> None:
        super().__init__(code, name, message)
        self.code = code
        self.name = name
        self.message = message

    def __str__(self) -> str:
        return f"{self.name} ({self.code}): {self.message}" if self.message else self.name


class InvalidArgumentError(RemoteItError, ValueError):
    """An argument the library (or this binding) rejects: NULL, bad UTF-8, a malformed URL,
    an unknown enum value, a number out of range (``NULL_ARGUMENT``, ``INVALID_ARGUMENT``,
    ``BUFFER_TOO_SMALL``)."""


class CredentialsError(RemoteItError):
    """The credentials file or its keys are unusable (``CREDENTIALS_NOT_FOUND``,
    ``CREDENTIALS_INVALID``, ``PROFILE_NOT_FOUND``, ``CREDENTIALS_INCOMPLETE``,
    ``SECRET_INVALID``)."""


class NetworkError(RemoteItError):
    """The API could not be reached or the exchange broke off (``NETWORK``; subclasses for
    ``TIMEOUT`` and ``TLS``)."""


class RequestTimeoutError(NetworkError):
    """The request did not finish within the client's timeout (``TIMEOUT``)."""


class TLSError(NetworkError):
    """The TLS handshake or the certificate verification failed (``TLS``)."""


class AuthError(RemoteItError):
    """The API refused the key or the signature: HTTP 401 or 403 (``UNAUTHORIZED``)."""


class GraphQLError(RemoteItError):
    """The API answered with a GraphQL ``errors`` array (``GRAPHQL``): an unknown service, a
    connection that is already closed, a bad query. The messages are in ``message``."""


class ApiError(RemoteItError):
    """The API answered, but not as expected: another HTTP status or a 2xx that is not the
    expected JSON (``HTTP_STATUS``, ``PROTOCOL``), or a REST reply that refused the request
    (``API``); subclasses for ``RATE_LIMITED`` and ``API``."""


class RateLimitedError(ApiError):
    """The API throttled the request: HTTP 429 (``RATE_LIMITED``)."""


class RestApiError(ApiError):
    """The REST API refused the request: a reply ``{"status": "false", "reason": ..., "code":
    ...}``, whatever its HTTP status (``API``). ``message`` holds the reason and the code, e.g.
    ``... the API refused: invalid developer key (code INVALID_DEVELOPER_KEY)``."""


_CLASSES: Dict[int, Type[RemoteItError]] = {
    Result.ERR_NULL_ARGUMENT: InvalidArgumentError,
    Result.ERR_INVALID_ARGUMENT: InvalidArgumentError,
    Result.ERR_BUFFER_TOO_SMALL: InvalidArgumentError,
    Result.ERR_CREDENTIALS_NOT_FOUND: CredentialsError,
    Result.ERR_CREDENTIALS_INVALID: CredentialsError,
    Result.ERR_PROFILE_NOT_FOUND: CredentialsError,
    Result.ERR_CREDENTIALS_INCOMPLETE: CredentialsError,
    Result.ERR_SECRET_INVALID: CredentialsError,
    Result.ERR_NETWORK: NetworkError,
    Result.ERR_TIMEOUT: RequestTimeoutError,
    Result.ERR_TLS: TLSError,
    Result.ERR_UNAUTHORIZED: AuthError,
    Result.ERR_RATE_LIMITED: RateLimitedError,
    Result.ERR_HTTP_STATUS: ApiError,
    Result.ERR_GRAPHQL: GraphQLError,
    Result.ERR_PROTOCOL: ApiError,
    Result.ERR_API: RestApiError,
}


def result_name(code: int) -> str:
    """The library's name for a result code, e.g. ``"REMOTEIT_ERR_PROFILE_NOT_FOUND"``."""
    name: bytes = lib.remoteit_result_name(code)
    return name.decode("utf-8")


def last_error_message() -> str:
    """This thread's last error message, read with the two-call buffer pattern."""
    length = ctypes.c_size_t(0)
    lib.remoteit_last_error_message(None, 0, ctypes.byref(length))
    while True:
        buffer = ctypes.create_string_buffer(length.value + 1)
        code = lib.remoteit_last_error_message(buffer, len(buffer), ctypes.byref(length))
        if code != Result.ERR_BUFFER_TOO_SMALL:
            return buffer.value.decode("utf-8", errors="replace") if code == Result.OK else ""


def error_for(code: int, message: str) -> RemoteItError:
    """The exception for a result code and message."""
    return _CLASSES.get(code, RemoteItError)(code, result_name(code), message)


def check(code: int) -> None:
    """Raise the exception for a failed call's result code; return quietly for ``OK``.

    Call it right after the call, on the same thread: it reads the last error message first,
    before any other library call can replace it.
    """
    if code != Result.OK:
        raise error_for(code, last_error_message())


def invalid_argument(message: str) -> InvalidArgumentError:
    """An :class:`InvalidArgumentError` for an argument this binding rejects before any call."""
    code = Result.ERR_INVALID_ARGUMENT
    return InvalidArgumentError(code, result_name(code), message)
