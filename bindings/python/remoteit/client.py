"""Client: signed GraphQL and REST calls to the Remote.It API, the devices it lists and the
connections it opens."""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import enum
import json
import operator
import threading
from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple, Union

from ._handle import NativeHandle, NativeOwner
from ._log import LevelArg, LogTarget, make_callback
from ._native import ClientPtr, ConnectionPtr, DeviceListPtr, OwnedString, ServicePtr, lib, log_callback_t
from ._text import PathLike, decode, encode, encode_optional, encode_path, take_owned_string
from .credentials import Credentials
from .devices import Device, Service, copy_devices, copy_service, optional_number
from .errors import Result, check, error_for, invalid_argument
from .signing import SchemeArg, scheme_arg, uint32_arg

#: The library's default of :attr:`Client.max_retries`.
DEFAULT_MAX_RETRIES = 2


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

#: The body of :meth:`Client.rest`: a mapping or a list sent as JSON, or a str of JSON text.
RestBody = Union[Mapping[str, Any], List[Any], Tuple[Any, ...], str]


def _proxy_type(value: ProxyTypeArg) -> ProxyType:
    """A ``ProxyType`` from a member, its name (``"PORT_PROXY"``, any case) or its number."""
    try:
        if isinstance(value, str):
            return ProxyType[value.upper()]
        return ProxyType(operator.index(value))
    except (KeyError, ValueError, TypeError):
        names = ", ".join(member.name for member in ProxyType)
        raise invalid_argument(f"proxy_type must be one of {names}, got {value!r}") from None


#: What a JSON value that is not an object is, by its Python type, for messages.
_JSON_TYPES = {list: "an array", str: "a string", bool: "true or false", type(None): "null"}


def _rest_body(body: Optional[RestBody]) -> Optional[bytes]:
    """The JSON text of a :meth:`Client.rest` body, as UTF-8 (None: no body)."""
    if body is None:
        return None
    if isinstance(body, str):
        return encode(body, "body")  # JSON text as it is: the library checks it
    if isinstance(body, Mapping):
        return encode(json.dumps(dict(body)), "body")
    if isinstance(body, (list, tuple)):
        return encode(json.dumps(list(body)), "body")
    raise TypeError(f"body must be a mapping, a list or a str of JSON, not {type(body).__name__}")


def _take_connection(pointer: Any) -> Connection:
    """The values of a ``remoteit_connection``, which is then freed."""
    try:
        return Connection(
            id=decode(lib.remoteit_connection_id(pointer)),
            host=decode(lib.remoteit_connection_host(pointer)),
            port=optional_number(lib.remoteit_connection_port(pointer)),
            url=decode(lib.remoteit_connection_url(pointer)),
            reverse_proxy=lib.remoteit_connection_reverse_proxy(pointer) != 0,
            timeout=optional_number(lib.remoteit_connection_timeout(pointer)),
        )
    finally:
        lib.remoteit_connection_free(pointer)


class Client(NativeOwner):
    """A client of the Remote.It GraphQL API (``remoteit_client``).

    It signs every request with ``credentials`` and reuses its HTTP connections. It may be
    shared by many threads, and its settings (``set_ca_file``, ``set_signing_scheme``,
    ``max_retries``, ``clock_correction``, ``user_agent``, ``set_logger``) changed at any time,
    from any thread, also while other threads make calls: a call in flight finishes with the
    settings it started with. Free it with :meth:`close` or a ``with`` block (the garbage
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
        max_retries: Optional[int] = None,
        clock_correction: Optional[bool] = None,
        user_agent: Optional[str] = None,
    ) -> None:
        """Make a client of ``api_url`` (None: ``https://api.remote.it/graphql/v1``; plain
        ``http://`` only to loopback hosts).

        ``timeout_ms`` (None or 0: the library's 30 s) bounds each whole call; ``ca_file`` names a
        PEM file of extra CA certificates to trust; ``signing_scheme`` None means
        :attr:`Scheme.CAVAGE`; ``max_retries``, ``clock_correction`` and ``user_agent`` (None:
        the library's defaults) set the properties of those names. Raises
        :class:`InvalidArgumentError` for a malformed URL or option.
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
        # The library has no getters for these: the values last set, kept in step with the
        # native settings under this lock (setters on several threads at once).
        self._settings_lock = threading.Lock()
        self._max_retries = DEFAULT_MAX_RETRIES
        self._clock_correction = True
        self._user_agent: Optional[str] = None
        self._log_callback: Any = None  # the registered ctypes callback, kept alive here
        self._logger: Optional[LogTarget] = None
        try:
            if timeout_ms:  # None or 0: the library's default, as in the .NET binding
                timeout = uint32_arg(timeout_ms, "timeout_ms")
                with self._handle.borrow() as client:
                    check(lib.remoteit_client_set_timeout_ms(client, timeout))
            if ca_file is not None:
                self.set_ca_file(ca_file)
            if signing_scheme is not None:
                self.set_signing_scheme(signing_scheme)
            if max_retries is not None:
                self.max_retries = max_retries
            if clock_correction is not None:
                self.clock_correction = clock_correction
            if user_agent is not None:
                self.user_agent = user_agent
        except BaseException:
            self.close()
            raise

    @property
    def credentials(self) -> Credentials:
        """The credentials the client was made with (it keeps working if they are closed)."""
        return self._credentials

    def set_ca_file(self, path: PathLike) -> None:
        """Trust the CA certificates in the PEM file ``path`` too (private CAs, tests).

        May be called more than once, at any time (the pool of kept-alive connections starts
        anew). Raises :class:`InvalidArgumentError` for an unreadable file or one without a
        certificate.
        """
        pem_path = encode_path(path, "path")
        with self._handle.borrow() as client:
            check(lib.remoteit_client_set_ca_file(client, pem_path))

    def set_signing_scheme(self, scheme: SchemeArg) -> None:
        """Choose how the client signs its requests (a :class:`Scheme` or its number; an unknown
        one raises :class:`InvalidArgumentError`)."""
        value = scheme_arg(scheme)
        with self._handle.borrow() as client:
            check(lib.remoteit_client_set_signing_scheme(client, value))

    @property
    def max_retries(self) -> int:
        """How many further attempts a call makes after a transient failure (default 2; 0: none).

        Retried, with exponential backoff from 250 ms and full jitter, never past the client's
        timeout, honouring ``Retry-After``: HTTP 429 and 503; 502 and 504 for queries (not for
        a GraphQL ``mutation`` such as ``connect``); a refused connection or a failed DNS
        lookup. The final error's message says how many attempts were made. A number below 0
        or past ``uint32_t`` raises :class:`InvalidArgumentError`.
        """
        return self._max_retries

    @max_retries.setter
    def max_retries(self, value: int) -> None:
        number = uint32_arg(value, "max_retries")
        with self._settings_lock, self._handle.borrow() as client:
            check(lib.remoteit_client_set_max_retries(client, number))
            self._max_retries = number

    @property
    def clock_correction(self) -> bool:
        """Whether the client corrects for a skewed clock (default True).

        When on, the client measures the server's time from the ``Date`` of every response and,
        once it differs from this machine's by more than 5 s, signs with the server's time (see
        :attr:`clock_offset`); a 401/403 that reveals such a difference is signed again and sent
        once more. When off, such a 401 raises :class:`AuthError` whose message names the
        difference. Set it to a bool (or 0 / 1; another number raises
        :class:`InvalidArgumentError`).
        """
        return self._clock_correction

    @clock_correction.setter
    def clock_correction(self, value: bool) -> None:
        number = uint32_arg(value, "clock_correction")
        with self._settings_lock, self._handle.borrow() as client:
            check(lib.remoteit_client_set_clock_correction(client, number))
            self._clock_correction = bool(number)

    @property
    def clock_offset(self) -> int:
        """The clock offset in use, in seconds: the server's time minus this machine's (0 until
        one beyond 5 s was measured with :attr:`clock_correction` on). Read-only."""
        seconds = ctypes.c_int64(0)
        with self._handle.borrow() as client:
            check(lib.remoteit_client_clock_offset(client, ctypes.byref(seconds)))
        return seconds.value

    @property
    def user_agent(self) -> Optional[str]:
        """The product sent in ``User-Agent: <product> libremoteit/<version>``, e.g.
        ``"myapp/1.2"`` (an RFC 9110 token with an optional ``/version``; anything else raises
        :class:`InvalidArgumentError`). None (the default) sends ``libremoteit/<version>``."""
        return self._user_agent

    @user_agent.setter
    def user_agent(self, product: Optional[str]) -> None:
        value = encode_optional(product, "user_agent")
        with self._settings_lock, self._handle.borrow() as client:
            check(lib.remoteit_client_set_user_agent(client, value))
            self._user_agent = product

    @property
    def logger(self) -> Optional[LogTarget]:
        """What :meth:`set_logger` last registered (None: no log)."""
        return self._logger

    def set_logger(self, logger: Optional[LogTarget], level: Optional[LevelArg] = None) -> None:
        """Receive the client's log lines, up to ``level``; None turns the log off.

        ``logger`` is a function ``logger(level, message)`` (``level`` a :class:`LogLevel`) or a
        ``logging.Logger``, which gets each line at the matching ``logging`` level (ERROR,
        WARNING, INFO, DEBUG). ``level`` (a :class:`LogLevel`, its name or number) is the most
        detailed level sent; None means the Logger's effective level at this call (so call
        ``set_logger`` again after changing it), or :attr:`LogLevel.INFO` for a function.

        INFO: each attempt's method, URL, status and duration; WARN: each retry and its reason,
        each clock correction, each ``X-R3-Warning`` of the API; DEBUG: the signing string of
        each request. Never the secret, never a signature value. Lines arrive on the thread
        making the call (on several threads at once when the client is shared). An exception
        the function raises is reported as a :class:`RuntimeWarning` and the call goes on.
        """
        if logger is None:
            callback, max_level = None, 0
        else:
            callback, max_level = make_callback(logger, level)
        with self._settings_lock:
            with self._handle.borrow() as client:
                if callback is None:
                    check(lib.remoteit_client_set_log_callback(client, 1, log_callback_t(), None))  # NULL: off
                else:
                    check(lib.remoteit_client_set_log_callback(client, max_level, callback, None))
            replaced, self._log_callback, self._logger = self._log_callback, callback, logger
        # Calls that started before the change may still call the replaced callback.
        if replaced is not None:
            self._handle.keep_until_idle(replaced)

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

    @contextlib.contextmanager
    def _device_list(self, name: Optional[str], account_id: Optional[str]) -> Iterator[Any]:
        """A native ``remoteit_device_list`` (``remoteit_devices_list``), freed on leaving."""
        name_arg = encode_optional(name, "name")
        account_arg = encode_optional(account_id, "account_id")
        out = DeviceListPtr()
        with self._handle.borrow() as client:
            check(lib.remoteit_devices_list(client, name_arg, account_arg, ctypes.byref(out)))
        # The list owns what it holds and needs no client: read and freed outside the borrow.
        try:
            yield out
        finally:
            lib.remoteit_device_list_free(out)

    def list_devices(self, name: Optional[str] = None, account_id: Optional[str] = None) -> List[Device]:
        """The devices of the key's own account, or of the organisation account ``account_id``,
        with their services, as :class:`Device` values (copies: nothing to free).

        ``name`` keeps only the devices whose name contains it (the API's case-insensitive
        ``name`` argument); None lists every device. Every page of the API is followed (1000
        devices per request), and each device comes once, in the API's order.

        An empty ``name`` or ``account_id`` raises :class:`InvalidArgumentError`; an account the
        key cannot see :class:`GraphQLError`; pages that contradict each other (a changing
        total, an empty page while more are announced, a repeated page) :class:`ApiError`
        (``PROTOCOL``); otherwise as :meth:`graphql`.
        """
        with self._device_list(name, account_id) as device_list:
            return copy_devices(device_list)

    def find_service(self, device_name: str, service_name: str, account_id: Optional[str] = None) -> Service:
        """The service ``service_name`` of the device ``device_name``, as people name them
        ("the SSH service of garage-pi"): lists the account's devices (:meth:`list_devices`),
        then, for each name, takes an exact match first, else a case-insensitive one.

        ``account_id`` is an organisation account id; None: the key's own account. No device or
        service of that name, or several, raises :class:`InvalidArgumentError` whose message
        names what was not found and the candidates (at most 10); otherwise as
        :meth:`list_devices`. The rule is the library's own (``remoteit_service_find``).
        """
        device_arg = encode(device_name, "device_name")
        service_arg = encode(service_name, "service_name")
        with self._device_list(None, account_id) as device_list:
            found = ServicePtr()
            check(lib.remoteit_service_find(device_list, device_arg, service_arg, ctypes.byref(found)))
            return copy_service(found)

    def rest(self, method: str, path: str, body: Optional[RestBody] = None) -> Dict[str, Any]:
        """Call the Remote.It REST API (the older API, which needs the developer key,
        ``R3_DEVELOPER_API_KEY``): ``method`` on ``<origin of the API URL>/apv/v27`` followed by
        ``path`` (which starts with ``/``: ``"/user/info"``), signed like every other call,
        with the ``DeveloperKey`` header. Returns the reply's JSON object as a dict.

        ``body`` is a mapping or a list, sent as JSON, or a str of JSON text sent as it is;
        None sends none. A malformed method, a path that does not start with ``/`` or holds
        characters a URL cannot carry, or a body that is not JSON raises
        :class:`InvalidArgumentError`; credentials without a developer key
        :class:`CredentialsError` (``CREDENTIALS_INCOMPLETE``, nothing is sent); a reply
        ``{"status": "false", ...}`` :class:`RestApiError` with its reason and code, whatever
        its HTTP status; a reply that is not a JSON object :class:`ApiError` (``PROTOCOL``);
        otherwise as :meth:`graphql`.
        """
        method_arg = encode(method, "method")
        path_arg = encode(path, "path")
        body_arg = _rest_body(body)
        out = OwnedString()
        with self._handle.borrow() as client:
            check(lib.remoteit_rest(client, method_arg, path_arg, body_arg, ctypes.byref(out)))
        reply = json.loads(take_owned_string(out))
        if not isinstance(reply, dict):
            raise error_for(
                Result.ERR_PROTOCOL,
                f"{method} {path}: the reply is JSON but not an object ({_JSON_TYPES.get(type(reply), 'a number')})",
            )
        return reply

    def __repr__(self) -> str:
        state = " (closed)" if self.closed else ""
        return f"<remoteit.Client{state}>"
