"""Finding and loading libremoteit, and the ctypes prototype of every function of its header.

The library is looked up, in this order:

1. ``REMOTEIT_LIBRARY``: when set, the exact file it names (nothing else is tried);
2. the package's own folder: ``libremoteit.so``, ``libremoteit.dylib`` or ``remoteit.dll``;
3. ``ctypes.util.find_library("remoteit")``;
4. the plain file name, resolved by the system loader (``LD_LIBRARY_PATH`` and the like).

Its ``remoteit_version()`` must have the major.minor this binding was written for.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from ctypes import POINTER, c_char, c_char_p, c_int32, c_int64, c_size_t, c_uint8, c_uint32, c_void_p
from typing import List, Optional, Tuple

#: The library version this binding was written for: ``remoteit_version()`` must match its
#: major and minor numbers.
EXPECTED_VERSION: Tuple[int, int] = (0, 2)

#: The environment variable that names the exact library file.
LIBRARY_ENV = "REMOTEIT_LIBRARY"

#: ``REMOTEIT_NOW``: sign with the current system clock.
NOW = -1


class credentials_t(ctypes.Structure):
    """The opaque ``remoteit_credentials``."""


class client_t(ctypes.Structure):
    """The opaque ``remoteit_client``."""


class headers_t(ctypes.Structure):
    """The opaque ``remoteit_headers``."""


class connection_t(ctypes.Structure):
    """The opaque ``remoteit_connection``."""


class device_list_t(ctypes.Structure):
    """The opaque ``remoteit_device_list`` (owns its devices and services)."""


class device_t(ctypes.Structure):
    """The opaque ``remoteit_device``, borrowed from its list."""


class service_t(ctypes.Structure):
    """The opaque ``remoteit_service``, borrowed from its list."""


CredentialsPtr = POINTER(credentials_t)
ClientPtr = POINTER(client_t)
HeadersPtr = POINTER(headers_t)
ConnectionPtr = POINTER(connection_t)
DeviceListPtr = POINTER(device_list_t)
DevicePtr = POINTER(device_t)
ServicePtr = POINTER(service_t)
#: A string the library allocated (``char **out``): freed with ``remoteit_string_free``.
#: Not ``c_char_p``, which ctypes would turn into ``bytes`` and so lose the pointer.
OwnedString = POINTER(c_char)
#: ``remoteit_log_callback``: ``void (*)(void *userdata, uint32_t level, const char *message)``.
log_callback_t = ctypes.CFUNCTYPE(None, c_void_p, c_uint32, c_char_p)

result_t = c_uint32

# name: (restype, argtypes), for every function of include/remoteit.h (tests/test_header.py
# checks both against the header), so that ``lib`` is a typed handle on the whole C ABI.
_PROTOTYPES = {
    "remoteit_version": (c_char_p, []),
    "remoteit_result_name": (c_char_p, [c_uint32]),
    "remoteit_last_error_message": (result_t, [POINTER(c_char), c_size_t, POINTER(c_size_t)]),
    "remoteit_string_free": (None, [OwnedString]),
    "remoteit_credentials_load": (result_t, [c_char_p, c_char_p, POINTER(CredentialsPtr)]),
    "remoteit_credentials_new": (result_t, [c_char_p, c_char_p, c_char_p, POINTER(CredentialsPtr)]),
    "remoteit_credentials_access_key_id": (
        result_t,
        [CredentialsPtr, POINTER(c_char), c_size_t, POINTER(c_size_t)],
    ),
    "remoteit_credentials_developer_key": (
        result_t,
        [CredentialsPtr, POINTER(c_char), c_size_t, POINTER(c_size_t)],
    ),
    "remoteit_credentials_warning": (
        result_t,
        [CredentialsPtr, POINTER(c_char), c_size_t, POINTER(c_size_t)],
    ),
    "remoteit_credentials_free": (None, [CredentialsPtr]),
    "remoteit_sign": (
        result_t,
        [CredentialsPtr, c_uint32, c_char_p, c_char_p, c_char_p, POINTER(c_uint8), c_size_t, c_int64,
         POINTER(HeadersPtr)],
    ),
    "remoteit_sign_request": (
        result_t,
        [CredentialsPtr, c_char_p, c_char_p, c_char_p, POINTER(c_uint8), c_size_t, c_int64,
         POINTER(HeadersPtr)],
    ),
    "remoteit_sign_request_rfc9421": (
        result_t,
        [CredentialsPtr, c_char_p, c_char_p, c_char_p, POINTER(c_uint8), c_size_t, c_int64,
         POINTER(HeadersPtr)],
    ),
    "remoteit_headers_count": (c_size_t, [HeadersPtr]),
    "remoteit_headers_get": (result_t, [HeadersPtr, c_size_t, POINTER(c_char_p), POINTER(c_char_p)]),
    "remoteit_headers_text": (result_t, [HeadersPtr, POINTER(c_char), c_size_t, POINTER(c_size_t)]),
    "remoteit_headers_free": (None, [HeadersPtr]),
    "remoteit_signing_string": (
        result_t,
        [c_char_p, c_char_p, c_char_p, c_size_t, c_int64, POINTER(c_char), c_size_t,
         POINTER(c_size_t)],
    ),
    "remoteit_client_new": (result_t, [CredentialsPtr, c_char_p, POINTER(ClientPtr)]),
    "remoteit_client_set_timeout_ms": (result_t, [ClientPtr, c_uint32]),
    "remoteit_client_set_ca_file": (result_t, [ClientPtr, c_char_p]),
    "remoteit_client_set_signing_scheme": (result_t, [ClientPtr, c_uint32]),
    "remoteit_client_set_max_retries": (result_t, [ClientPtr, c_uint32]),
    "remoteit_client_set_clock_correction": (result_t, [ClientPtr, c_uint32]),
    "remoteit_client_clock_offset": (result_t, [ClientPtr, POINTER(c_int64)]),
    "remoteit_client_set_log_callback": (result_t, [ClientPtr, c_uint32, log_callback_t, c_void_p]),
    "remoteit_client_set_user_agent": (result_t, [ClientPtr, c_char_p]),
    "remoteit_client_free": (None, [ClientPtr]),
    "remoteit_graphql": (result_t, [ClientPtr, c_char_p, c_char_p, POINTER(OwnedString)]),
    "remoteit_connect": (result_t, [ClientPtr, c_char_p, POINTER(ConnectionPtr)]),
    "remoteit_connect_with_options": (
        result_t,
        [ClientPtr, c_char_p, c_char_p, c_uint32, POINTER(ConnectionPtr)],
    ),
    "remoteit_disconnect": (result_t, [ClientPtr, c_char_p]),
    "remoteit_connection_id": (c_char_p, [ConnectionPtr]),
    "remoteit_connection_host": (c_char_p, [ConnectionPtr]),
    "remoteit_connection_url": (c_char_p, [ConnectionPtr]),
    "remoteit_connection_port": (c_int32, [ConnectionPtr]),
    "remoteit_connection_reverse_proxy": (c_int32, [ConnectionPtr]),
    "remoteit_connection_timeout": (c_int32, [ConnectionPtr]),
    "remoteit_connection_free": (None, [ConnectionPtr]),
    "remoteit_devices_list": (result_t, [ClientPtr, c_char_p, c_char_p, POINTER(DeviceListPtr)]),
    "remoteit_device_list_count": (c_size_t, [DeviceListPtr]),
    "remoteit_device_list_get": (DevicePtr, [DeviceListPtr, c_size_t]),
    "remoteit_device_id": (c_char_p, [DevicePtr]),
    "remoteit_device_name": (c_char_p, [DevicePtr]),
    "remoteit_device_state": (c_char_p, [DevicePtr]),
    "remoteit_device_online": (c_int32, [DevicePtr]),
    "remoteit_device_service_count": (c_size_t, [DevicePtr]),
    "remoteit_device_service_get": (ServicePtr, [DevicePtr, c_size_t]),
    "remoteit_service_id": (c_char_p, [ServicePtr]),
    "remoteit_service_name": (c_char_p, [ServicePtr]),
    "remoteit_service_application": (c_int32, [ServicePtr]),
    "remoteit_service_port": (c_int32, [ServicePtr]),
    "remoteit_device_list_free": (None, [DeviceListPtr]),
    "remoteit_service_find": (result_t, [DeviceListPtr, c_char_p, c_char_p, POINTER(ServicePtr)]),
    "remoteit_rest": (result_t, [ClientPtr, c_char_p, c_char_p, c_char_p, POINTER(OwnedString)]),
}


def _platform_file_name() -> str:
    """The library's file name on this platform."""
    if sys.platform == "win32":
        return "remoteit.dll"
    if sys.platform == "darwin":
        return "libremoteit.dylib"
    return "libremoteit.so"


def _candidates() -> List[Tuple[str, Optional[str]]]:
    """The places to try, in order: (description, what to hand to the loader or None)."""
    override = os.environ.get(LIBRARY_ENV)
    if override:
        return [(LIBRARY_ENV, os.path.abspath(override))]
    file_name = _platform_file_name()
    return [
        ("the package folder", os.path.join(os.path.dirname(os.path.abspath(__file__)), file_name)),
        ('ctypes.util.find_library("remoteit")', ctypes.util.find_library("remoteit")),
        ("the system loader", file_name),
    ]


def check_version(found: str, path: str) -> None:
    """Raise ImportError unless the version string ``found`` has the expected major.minor."""
    parts = found.split(".")
    try:
        major_minor = (int(parts[0]), int(parts[1]))
    except (IndexError, ValueError):
        major_minor = None
    if major_minor != EXPECTED_VERSION:
        expected = ".".join(str(n) for n in EXPECTED_VERSION)
        raise ImportError(
            f"libremoteit at {path} is version {found!r}, but this binding needs {expected}.x: "
            f"install a matching library or set {LIBRARY_ENV} to one"
        )


def _declare(library: ctypes.CDLL) -> None:
    """Set the exact restype and argtypes of every function the binding uses."""
    for name, (restype, argtypes) in _PROTOTYPES.items():
        function = getattr(library, name)
        function.restype = restype
        function.argtypes = argtypes


def load() -> Tuple[ctypes.CDLL, str]:
    """Load, check and declare the library; return it with the path or name it came from."""
    failures = []
    for description, name in _candidates():
        if name is None:
            failures.append(f"  {description}: found nothing")
            continue
        try:
            library = ctypes.CDLL(name)
        except OSError as error:
            failures.append(f"  {description}: {error}")
            continue
        try:
            _declare(library)
        except AttributeError as error:
            raise ImportError(f"{name} ({description}) is not a usable libremoteit: {error}") from None
        check_version(library.remoteit_version().decode("utf-8"), name)
        return library, name
    tried = "\n".join(failures)
    raise ImportError(
        "cannot load libremoteit. Tried:\n"
        f"{tried}\n"
        f"Set {LIBRARY_ENV} to the library file (e.g. target/release/{_platform_file_name()}), "
        "or copy the library into the remoteit package folder."
    )


lib, library_path = load()
