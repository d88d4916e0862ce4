"""Device and Service: what :meth:`Client.list_devices` finds, copied out of the library.

The native ``remoteit_device_list`` owns every device, service and string reached through it;
the functions here copy them into plain frozen dataclasses, so nothing is left to free and the
values stay valid after the list is gone.
"""

from __future__ import annotations

import dataclasses
from typing import Any, List, Optional, Tuple

from ._native import lib
from ._text import decode


def optional_number(value: int) -> Optional[int]:
    """An ``int32_t`` getter's value, None for the library's ``-1`` (absent)."""
    return None if value < 0 else value


@dataclasses.dataclass(frozen=True)
class Service:
    """A service of a :class:`Device`: what :meth:`Client.connect` connects to, by ``id``."""

    id: str
    """The service id, for :meth:`Client.connect`."""
    name: str
    """The service name (``SSH``, ``Web admin``...); empty when the API gave none."""
    application: Optional[int]
    """The application type id (28 is SSH, 8 HTTPS...); None when the API gave none."""
    port: Optional[int]
    """The service's port on its device; None when the API gave none."""


@dataclasses.dataclass(frozen=True)
class Device:
    """A device of an account, with its services, as :meth:`Client.list_devices` found it."""

    id: str
    """The device id, e.g. ``80:00:00:00:01:00:00:01``."""
    name: str
    """The device name; empty when the API gave none."""
    state: str
    """The device state as the API gives it: ``active`` or ``inactive``."""
    online: bool
    """Whether the device is online."""
    services: Tuple[Service, ...]
    """The device's services, in the API's order."""


def copy_service(pointer: Any) -> Service:
    """The values of a borrowed ``remoteit_service``."""
    return Service(
        id=decode(lib.remoteit_service_id(pointer)),
        name=decode(lib.remoteit_service_name(pointer)),
        application=optional_number(lib.remoteit_service_application(pointer)),
        port=optional_number(lib.remoteit_service_port(pointer)),
    )


def copy_device(pointer: Any) -> Device:
    """The values of a borrowed ``remoteit_device`` and of its services."""
    count = lib.remoteit_device_service_count(pointer)
    return Device(
        id=decode(lib.remoteit_device_id(pointer)),
        name=decode(lib.remoteit_device_name(pointer)),
        state=decode(lib.remoteit_device_state(pointer)),
        online=lib.remoteit_device_online(pointer) == 1,
        services=tuple(copy_service(lib.remoteit_device_service_get(pointer, i)) for i in range(count)),
    )


def copy_devices(device_list: Any) -> List[Device]:
    """Every device of a ``remoteit_device_list``, in its order (the list is not freed here)."""
    count = lib.remoteit_device_list_count(device_list)
    return [copy_device(lib.remoteit_device_list_get(device_list, i)) for i in range(count)]
