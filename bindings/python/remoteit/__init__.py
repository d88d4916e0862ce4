"""Python binding of libremoteit: Remote.It credentials, request signing and signed GraphQL calls.

A thin ``ctypes`` layer over the library's C ABI::

    import remoteit

    with remoteit.Credentials.load(profile="DEFAULT") as credentials, \\
            remoteit.Client(credentials) as client:
        connection = client.connect("80:00:00:00:01:00:00:11")
        print(connection.host, connection.port)
        client.disconnect(connection.id)

Failures raise :class:`RemoteItError` subclasses (see :mod:`remoteit.errors`). Using a closed
``Credentials`` or ``Client`` raises ``ValueError``. The native library is found as described
in :mod:`remoteit._native` (``REMOTEIT_LIBRARY`` names the exact file).
"""

from __future__ import annotations

from ._log import LogLevel
from ._native import EXPECTED_VERSION, lib, library_path
from .client import Client, Connection, ProxyType
from .credentials import Credentials
from .errors import (
    ApiError,
    AuthError,
    CredentialsError,
    GraphQLError,
    InvalidArgumentError,
    NetworkError,
    RateLimitedError,
    RemoteItError,
    RequestTimeoutError,
    Result,
    TLSError,
)
from .signing import Scheme, SigningScheme, signing_string

__version__ = "0.1.0"

__all__ = [
    "ApiError",
    "AuthError",
    "Client",
    "Connection",
    "Credentials",
    "CredentialsError",
    "EXPECTED_VERSION",
    "GraphQLError",
    "InvalidArgumentError",
    "LogLevel",
    "NetworkError",
    "ProxyType",
    "RateLimitedError",
    "RemoteItError",
    "RequestTimeoutError",
    "Result",
    "Scheme",
    "SigningScheme",
    "TLSError",
    "library_path",
    "signing_string",
    "version",
]


def version() -> str:
    """The native library's version, e.g. ``"0.1.0"``."""
    text: bytes = lib.remoteit_version()
    return text.decode("utf-8")
