"""Python binding of libremoteit: Remote.It credentials, request signing, signed GraphQL and
REST calls, typed device listing.

A thin ``ctypes`` layer over the library's C ABI::

    import remoteit

    with remoteit.Credentials.load(profile="DEFAULT") as credentials, \\
            remoteit.Client(credentials) as client:
        for device in client.list_devices():
            print(device.name, [service.name for service in device.services])
        service = client.find_service("lab-pi", "SSH")
        connection = client.connect(service.id)
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
from .devices import Device, Service
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
    RestApiError,
    Result,
    TLSError,
)
from .signing import Scheme, SigningScheme, signing_string

__version__ = "0.2.0"

__all__ = [
    "ApiError",
    "AuthError",
    "Client",
    "Connection",
    "Credentials",
    "CredentialsError",
    "Device",
    "EXPECTED_VERSION",
    "GraphQLError",
    "InvalidArgumentError",
    "LogLevel",
    "NetworkError",
    "ProxyType",
    "RateLimitedError",
    "RemoteItError",
    "RequestTimeoutError",
    "RestApiError",
    "Result",
    "Scheme",
    "Service",
    "SigningScheme",
    "TLSError",
    "library_path",
    "signing_string",
    "version",
]


def version() -> str:
    """The native library's version, e.g. ``"0.2.0"``."""
    text: bytes = lib.remoteit_version()
    return text.decode("utf-8")
