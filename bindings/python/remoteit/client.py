"""Client: signed GraphQL calls to the Remote.It API, and the connections it opens."""

from __future__ import annotations

import ctypes
import dataclasses
import enum
import json
import operator
from typing import Any, Dict, Mapping, Optional, Union

from ._handle import NativeHandle, NativeOwner
from ._native import ClientPtr, ConnectionPtr, OwnedString, lib
from ._text import PathLike, decode, encode, encode_optional, encode_path, take_owned_string
from .credentials import Credentials
from .errors import check, invalid_argument
from .signing import SchemeArg, scheme_arg, uint32_arg

class ProxyType(enum.IntEnum):
    """The kind of connection ``connect`` asks for (the API's ``ProxyType``)."""

    AUTO_PROXY = 0
    """The API chooses (its default)."""
    REVERSE_PROXY = 1
    """An HTTPS reverse proxy: a URL, no port."""
    PORT_PROXY = 2
    """A TCP port on a proxy host."""


@dataclasses.dataclass(frozen=True)
class Connection:
    """A connection the API opened to a service (a plain value; nothing to free).

    Use ``host`` and ``port`` for a port proxy, ``url`` for a reverse proxy (``port`` is None
    there). Close it on the API's side with :meth:`Client.disconnect` and ``id``.
    """

    id: str
    """The connection id, for :meth:`Client.disconnect`."""
    host: str
    """The host to connect to."""
    port: Optional[int]
    """The port to connect to; None when the API gave none (a reverse proxy)."""
    url: str
    """``https://...`` for a reverse proxy, ``tcp://host:port`` or similar otherwise; may be empty."""
    reverse_proxy: bool
    """Whether the connection is an HTTPS reverse proxy (use ``url``)."""
    timeout: Optional[int]
    """Idle minutes before the API closes the connection; None when the API gave none."""


ProxyTypeArg = Union[ProxyType, str, int]


def _proxy_type(value: ProxyTypeArg) -> ProxyType:
    """A ``ProxyType`` from a member, its name (``"PORT_PROXY"``, any case) or its number."""
    try:
        if isinstance(value, str):
            return ProxyType[value.upper()]
        return ProxyType(operator.index(value))
    except (KeyError, ValueError, TypeError):
        names = ", ".join(member.name for member in ProxyType)
        raise invalid_argument(f"proxy_type must be one of {names}, got {value!r}") from None


def _take_connection(pointer: Any) -> Connection:
    """The values of a ``remoteit_connection``, which is then freed."""
    try:
        port = lib.remoteit_connection_port(pointer)
        timeout = lib.remoteit_connection_timeout(pointer)
        return Connection(
            id=decode(lib.remoteit_connection_id(pointer)),
            host=decode(lib.remoteit_connection_host(pointer)),
            port=None if port < 0 else port,
            url=decode(lib.remoteit_connection_url(pointer)),
            reverse_proxy=lib.remoteit_connection_reverse_proxy(pointer) != 0,
            timeout=None if timeout < 0 else timeout,
        )
    finally:
        lib.remoteit_connection_free(pointer)


class Client(NativeOwner):
    """A client of the Remote.It GraphQL API (``remoteit_client``).

    It signs every request with ``credentials`` and reuses its HTTP connections. Set its
    options (``timeout_ms``, ``ca_file``, ``signing_scheme``) when making it; then it may be
    shared by many threads. Free it with :meth:`close` or a ``with`` block (the garbage
    collector frees it otherwise); ``close`` waits for the calls in flight, and after it every
    method raises ``ValueError``.
    """

    def __init__(
        self,
        credentials: Credentials,
        api_url: Optional[str] = None,
        timeout_ms: Optional[int] = None,
        *,
        ca_file: Optional[PathLike] = None,
        signing_scheme: Optional[SchemeArg] = None,
    ) -> None:
        """Make a client of ``api_url`` (None: ``https://api.remote.it/graphql/v1``; plain
        ``http://`` only to loopback hosts).

        ``timeout_ms`` (None or 0: the library's 30 s) bounds each whole call; ``ca_file`` names a
        PEM file of extra CA certificates to trust; ``signing_scheme`` None means
        :attr:`Scheme.CAVAGE`. Raises :class:`InvalidArgumentError` for a malformed URL
        or option.
        """
        if not isinstance(credentials, Credentials):
            raise TypeError(f"credentials must be remoteit.Credentials, not {type(credentials).__name__}")
        url = encode_optional(api_url, "api_url")
        out = ClientPtr()
        with credentials._handle.borrow() as native_credentials:
            check(lib.remoteit_client_new(native_credentials, url, ctypes.byref(out)))
        self._handle = NativeHandle(self, out, lib.remoteit_client_free, "Client")
        # The native client holds its own reference; this one keeps the pairing visible.
        self._credentials = credentials
        try:
            if timeout_ms:  # None or 0: the library's default, as in the .NET binding
                timeout = uint32_arg(timeout_ms, "timeout_ms")
                with self._handle.exclusive() as client:
                    check(lib.remoteit_client_set_timeout_ms(client, timeout))
            if ca_file is not None:
                self.set_ca_file(ca_file)
            if signing_scheme is not None:
                self.set_signing_scheme(signing_scheme)
        except BaseException:
            self.close()
            raise

    @property
    def credentials(self) -> Credentials:
        """The credentials the client was made with (it keeps working if they are closed)."""
        return self._credentials

    def set_ca_file(self, path: PathLike) -> None:
        """Trust the CA certificates in the PEM file ``path`` too (private CAs, tests).

        May be called more than once. Raises :class:`InvalidArgumentError` for an unreadable
        file or one without a certificate. Waits for the calls in flight.
        """
        pem_path = encode_path(path, "path")
        with self._handle.exclusive() as client:
            check(lib.remoteit_client_set_ca_file(client, pem_path))

    def set_signing_scheme(self, scheme: SchemeArg) -> None:
        """Choose how the client signs its requests (a :class:`Scheme` or its number; an unknown
        one raises :class:`InvalidArgumentError`). Waits for the calls in flight."""
        value = scheme_arg(scheme)
        with self._handle.exclusive() as client:
            check(lib.remoteit_client_set_signing_scheme(client, value))

    def graphql(self, query: str, variables: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        """Send a GraphQL operation; return the response's ``data`` object.

        ``variables`` is a mapping sent as JSON. A response with GraphQL ``errors`` raises
        :class:`GraphQLError` with their messages; see :mod:`remoteit.errors` for the rest.
        """
        query_arg = encode(query, "query")
        if variables is not None and not isinstance(variables, Mapping):
            raise TypeError(f"variables must be a mapping, not {type(variables).__name__}")
        variables_arg = None if variables is None else encode(json.dumps(dict(variables)), "variables")
        out = OwnedString()
        with self._handle.borrow() as client:
            check(lib.remoteit_graphql(client, query_arg, variables_arg, ctypes.byref(out)))
        data: Dict[str, Any] = json.loads(take_owned_string(out))
        return data

    def connect(
        self,
        service_id: str,
        host_ip: Optional[str] = None,
        proxy_type: Optional[ProxyTypeArg] = None,
    ) -> Connection:
        """Open a connection to a service.

        ``host_ip`` None is the API's default (``255.255.255.255``: the first address to use
        the connection; ``0.0.0.0``: public). ``proxy_type`` is a :class:`ProxyType` or its
        name (``"AUTO_PROXY"``, ``"REVERSE_PROXY"``, ``"PORT_PROXY"``); None lets the API
        choose. An unknown service raises :class:`GraphQLError`.
        """
        service = encode(service_id, "service_id")
        out = ConnectionPtr()
        if host_ip is None and proxy_type is None:
            with self._handle.borrow() as client:
                check(lib.remoteit_connect(client, service, ctypes.byref(out)))
        else:
            host = encode_optional(host_ip, "host_ip")
            kind = ProxyType.AUTO_PROXY if proxy_type is None else _proxy_type(proxy_type)
            with self._handle.borrow() as client:
                check(lib.remoteit_connect_with_options(client, service, host, kind, ctypes.byref(out)))
        return _take_connection(out)

    def disconnect(self, connection_id: str) -> None:
        """Close a connection by its id. An unknown or already closed one raises :class:`GraphQLError`."""
        connection = encode(connection_id, "connection_id")
        with self._handle.borrow() as client:
            check(lib.remoteit_disconnect(client, connection))

    def __repr__(self) -> str:
        state = " (closed)" if self.closed else ""
        return f"<remoteit.Client{state}>"
