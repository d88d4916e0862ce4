#!/usr/bin/env python3
"""A local double of the Remote.It GraphQL API, for tests and demos.

It checks request signatures the way the real service does (draft-cavage HTTP Signatures and
RFC 9421 HTTP Message Signatures, both HMAC-SHA256), answers part of the GraphQL schema from a
fixed fixture, and can be told to misbehave through unsigned control endpoints. Python standard
library only, and no code shared with libremoteit: it judges the library from the outside.

    tests/api_double.py --credentials examples/demo/credentials [--port 0] [--url-file PATH]
                        [--devices N] [--org-devices M] [--skew-offset S] [--tls-cert PEM --tls-key PEM]

On start it prints one line, ``listening on http://127.0.0.1:PORT/graphql/v1`` (the API URL),
then serves until SIGTERM or SIGINT and exits with code 0.

Accounts: every section of the credentials file that has both R3_ACCESS_KEY_ID and
R3_SECRET_ACCESS_KEY is an accepted key, and every key sees the one fixture account
(id a1b2c3d4-0000-4000-8000-00000000d3m0, email demo@example.com). The fixture (``FIXTURE``):

    device 80:00:00:00:01:00:00:01  office-gateway  active
        service 80:00:00:00:01:00:00:11  SSH        tcp    22  app 28  -> port proxy
        service 80:00:00:00:01:00:00:12  Web admin  http   80  app 7   -> reverse proxy (unless PORT_PROXY)
    device 80:00:00:00:01:00:00:02  lab-pi          active
        service 80:00:00:00:01:00:00:21  SSH        tcp    22  app 28  -> port proxy
        service 80:00:00:00:01:00:00:22  VNC        tcp  5900  app 4   -> port proxy
    device 80:00:00:00:01:00:00:03  old-nas         inactive
        service 80:00:00:00:01:00:00:31  NAS admin  https 443  app 8   -> reverse proxy (unless PORT_PROXY)

``--devices N`` replaces it by N generated devices, in this order (n = 1 .. N):

    device 80:00:00:00:02:xx:xx:xx (xx:xx:xx = n in hex), name d<n, 6 digits>-<role>, the role
    cycling through garage-pi, Office-Gateway, lab-NAS, Kitchen-Cam, warehouse-router
    (d000001-garage-pi, d000002-Office-Gateway, ...); state inactive when n is a multiple of 4,
    else active; 1 + (n - 1) % 3 services, service j (0, 1, 2) with id 80:00:00:00:03:yy:yy:yy
    (yy:yy:yy = 4 n + j in hex): SSH tcp 22 app 28, Web admin http 80 app 7, VNC tcp 5900 app 4.

The organisation account (``login { account(id: "0a9e0000-0000-4000-8000-000000000042") }``,
email org@example.com) has ``--org-devices M`` (default 3) devices generated the same way with
ids 80:00:00:00:04:xx:xx:xx, services 80:00:00:00:05:yy:yy:yy, names org-d000001-garage-pi...
Another account id (or email) is a GraphQL error with its path. Both sizes can also be changed at
run time (``POST /_control/fixture``). Generated devices are made on demand: memory does not grow
with N (at most 1,000,000).

GraphQL schema (POST on the API path, body {"query", "variables", "operationName"}), a subset of
the real one (field names as there):

    type Query    { login: User }
    type Mutation {
      connect(serviceId: String!, hostIP: String! = "255.255.255.255",
              type: ProxyType! = AUTO_PROXY): Connection!
      disconnect(connectionId: String!, serviceId: String): Boolean!
    }
    enum ProxyType { AUTO_PROXY REVERSE_PROXY PORT_PROXY }
    type User       { id: ID! email: String! account(id: String, email: String): User
                      devices(size: Int = 100, from: Int = 0, name: String): DeviceList! }
    type DeviceList { total: Int! hasMore: Boolean! items: [Device!]! }
    type Device     { id: ID! name: String! state: String! online: Boolean! created: DateTime!
                      services: [Service!]! }
    type Service    { id: ID! name: String! protocol: String! application: Int port: Int! }
    type Connection { id: ID! host: String! port: Int reverseProxy: Boolean! url: String!
                      created: DateTime! timeout: Int! }

Paging as the real API: size at most 1000 (more, or a negative size or from, is a field error),
from a zero-based offset, total the number of devices matching, hasMore = from + size < total;
name keeps the devices whose name contains it, case-insensitively; online = (state == active).

REST (the older API): ``GET /apv/v27/user/info`` and ``GET /apv/v27/device/list/all`` on the same
origin, signed exactly like GraphQL requests (the request target is the REST path), plus a
``DeveloperKey`` header (name case-insensitive) that must equal the R3_DEVELOPER_API_KEY of a
section holding the signing access key. A bad signature is a 401 as for GraphQL; a missing or
wrong developer key is HTTP 200 ``{"status": "false", "reason": ..., "code":
"MISSING_DEVELOPER_KEY" | "INVALID_DEVELOPER_KEY"}``; another path (any method, any body) is 404
``{"status": "false", ..., "code": "NOT_FOUND"}``, another method on the two paths 405. Success:
``{"status": "true", "id", "email", "username", "devicecount"}`` and ``{"status": "true",
"devices": [{"deviceaddress", "devicealias", "devicestate", "servicetitle": "Bulk Service"},
then one entry per service with "devicetype" (application), "port" and "parentaddress"]}``
(at most the first 10,000 devices).

Control endpoints (unsigned, not counted as API requests): see ``CONTROL_HELP``.
"""

import argparse
import base64
import binascii
import configparser
import dataclasses
import datetime
import email.utils
import hashlib
import hmac
import http
import ipaddress
import json
import os
import random
import re
import signal
import socket
import socketserver
import ssl
import string
import struct
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
import uuid
from collections import namedtuple
from typing import List, Optional, Tuple

FIXTURE = {
    "account": {"id": "a1b2c3d4-0000-4000-8000-00000000d3m0", "email": "demo@example.com"},
    "devices": [
        {
            "id": "80:00:00:00:01:00:00:01",
            "name": "office-gateway",
            "state": "active",
            "created": "2023-03-14T09:26:53.000Z",
            "services": [
                {"id": "80:00:00:00:01:00:00:11", "name": "SSH", "protocol": "tcp", "application": 28, "port": 22},
                {"id": "80:00:00:00:01:00:00:12", "name": "Web admin", "protocol": "http", "application": 7,
                 "port": 80},
            ],
        },
        {
            "id": "80:00:00:00:01:00:00:02",
            "name": "lab-pi",
            "state": "active",
            "created": "2023-06-01T17:02:11.000Z",
            "services": [
                {"id": "80:00:00:00:01:00:00:21", "name": "SSH", "protocol": "tcp", "application": 28, "port": 22},
                {"id": "80:00:00:00:01:00:00:22", "name": "VNC", "protocol": "tcp", "application": 4, "port": 5900},
            ],
        },
        {
            "id": "80:00:00:00:01:00:00:03",
            "name": "old-nas",
            "state": "inactive",
            "created": "2021-11-30T08:45:00.000Z",
            "services": [
                {"id": "80:00:00:00:01:00:00:31", "name": "NAS admin", "protocol": "https", "application": 8,
                 "port": 443},
            ],
        },
    ],
}

# The organisation account reached through ``login { account(id: ...) }``; its devices are
# generated (``--org-devices``, default DEFAULT_ORG_DEVICES).
ORG_ACCOUNT = {"id": "0a9e0000-0000-4000-8000-000000000042", "email": "org@example.com"}
DEFAULT_ORG_DEVICES = 3
MAX_GENERATED_DEVICES = 1_000_000
# Generated devices: the role cycles with the index, mixed case on purpose (the name filter is
# case-insensitive); every 4th device is inactive; device n has 1 + (n - 1) % 3 services.
GENERATED_ROLES = ("garage-pi", "Office-Gateway", "lab-NAS", "Kitchen-Cam", "warehouse-router")
GENERATED_SERVICES = (  # name, protocol, application type id, port
    ("SSH", "tcp", 28, 22),
    ("Web admin", "http", 7, 80),
    ("VNC", "tcp", 4, 5900),
)


def _id_bytes(prefix: int, number: int) -> str:
    """``80:00:00:00:PP:xx:xx:xx`` with ``number`` in the last three bytes."""
    return f"80:00:00:00:{prefix:02x}:" + ":".join(f"{byte:02x}" for byte in number.to_bytes(3, "big"))


class DeviceSource:
    """One account's devices, in the API's (stable) order, with paging and the name filter."""

    def __len__(self) -> int:
        raise NotImplementedError

    def name(self, index: int) -> str:
        raise NotImplementedError

    def device(self, index: int) -> dict:
        raise NotImplementedError

    def find_service(self, service_id: str) -> Optional[dict]:
        raise NotImplementedError

    def matching(self, name: Optional[str]) -> range:
        """The indices of the devices whose name contains ``name`` (case-insensitive)."""
        if name is None:
            return range(len(self))
        needle = name.lower()
        return [index for index in range(len(self)) if needle in self.name(index).lower()]

    def page(self, start: int, size: int, name: Optional[str]) -> Tuple[int, list]:
        """(total, devices) of the page ``start .. start + size`` of the filtered list."""
        indices = self.matching(name)
        return len(indices), [self.device(index) for index in indices[start:start + size]]


class ListSource(DeviceSource):
    """A fixed list of device dicts (the small default fixture)."""

    def __init__(self, devices: list):
        self.devices = devices

    def __len__(self):
        return len(self.devices)

    def name(self, index):
        return self.devices[index]["name"]

    def device(self, index):
        return self.devices[index]

    def find_service(self, service_id):
        for device in self.devices:
            for service in device["services"]:
                if service["id"] == service_id:
                    return service
        return None


class GeneratedSource(DeviceSource):
    """``count`` devices made on demand from their index (memory does not grow with count).

    Device n (1-based) has id ``80:00:00:00:DD:xx:xx:xx`` (DD = ``device_prefix``, xx:xx:xx =
    n in hex), name ``<name_prefix>d<n:06d>-<role>``; its service j (0-based) has id
    ``80:00:00:00:SS:yy:yy:yy`` (SS = ``device_prefix + 1``, yy:yy:yy = 4 n + j in hex).
    """

    def __init__(self, count: int, device_prefix: int, name_prefix: str, created_base: int):
        self.count = count
        self.device_prefix = device_prefix
        self.name_prefix = name_prefix
        self.created_base = created_base

    def __len__(self):
        return self.count

    def name(self, index):
        return f"{self.name_prefix}d{index + 1:06d}-{GENERATED_ROLES[index % len(GENERATED_ROLES)]}"

    def device(self, index):
        number = index + 1
        created = datetime.datetime.fromtimestamp(self.created_base + 3600 * index, datetime.timezone.utc)
        return {
            "id": _id_bytes(self.device_prefix, number),
            "name": self.name(index),
            "state": "inactive" if number % 4 == 0 else "active",
            "created": created.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "services": [self._service(number, j) for j in range(1 + index % 3)],
        }

    def _service(self, number: int, j: int) -> dict:
        name, protocol, application, port = GENERATED_SERVICES[j]
        return {"id": _id_bytes(self.device_prefix + 1, 4 * number + j), "name": name, "protocol": protocol,
                "application": application, "port": port}

    def find_service(self, service_id):
        match = re.fullmatch(r"80:00:00:00:([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2})",
                             service_id.lower())
        if not match or int(match.group(1), 16) != self.device_prefix + 1:
            return None
        value = int("".join(match.group(2, 3, 4)), 16)
        number, j = divmod(value, 4)
        if not 1 <= number <= self.count or j >= 1 + (number - 1) % 3:
            return None
        return self._service(number, j)


def own_devices(count: Optional[int]) -> DeviceSource:
    """The key's own account: FIXTURE's devices, or ``count`` generated ones (prefix 02)."""
    if count is None:
        return ListSource(FIXTURE["devices"])
    return GeneratedSource(count, 0x02, "", 1_672_531_200)  # created from 2023-01-01


def org_devices(count: int) -> DeviceSource:
    """The organisation account's ``count`` generated devices (prefix 04, names ``org-...``)."""
    return GeneratedSource(count, 0x04, "org-", 1_675_209_600)  # created from 2023-02-01


CONTROL_HELP = """\
control endpoints (unsigned; not counted as API requests):
  GET    /_control/health  200 "ok"
  GET    /_control/stats   {"requests", "verified", "rejected", "connections",
                            "faults_served", "active_connections", "last_user_agent",
                            "last_signature", "attempts"}
         requests: requests on the API path and the REST base (/apv/v27/); verified: their
         signatures that were accepted; rejected: 401 answers (the forced "401" fault too);
         connections: TCP connections accepted; active_connections: live Remote.It
         connections (connect minus disconnect); last_user_agent: the User-Agent of the
         latest API request (null before any); last_signature: the signature value (base64)
         of the latest API request, from its Authorization, or its Signature header (both
         schemes), null when it had none: for tests that check a client never shows it;
         attempts: the same number as requests
  GET    /_control/attempts          {"total": N, "keys": {KEY: N, ...}}
  GET    /_control/attempts?key=KEY  {"key": KEY, "attempts": N}
         API requests (rejected and unparsable ones too) counted by key. A GraphQL request's
         keys: kind:query or kind:mutation, op:NAME (its operation name, when it has one) and
         field:NAME for each root field (field:connect, field:disconnect, field:login); a body
         that is not GraphQL: kind:invalid. A REST request's: kind:rest and path:PATH
         (path:/apv/v27/user/info). Zeroed by /_control/reset.
  POST   /_control/reset   zero the counters and attempts; body {"connections": true} also drops
                           the live Remote.It connections, {"settings": true} also drops every
                           fault and restores the start-up clock offset, keep-alive, warning,
                           paging and fixture settings
  POST   /_control/fault   {"kind": K, "count": N=1, "delay_ms": D, "retry_after": S, ...}:
                           the next N verified API requests (or every one, with "always": true
                           instead of "count") wait D ms (default 5000 for "slow", else 0),
                           then get fault K instead of the normal answer. Faults queue up; each
                           request gets the first pending fault that applies to it.
         which requests: "on": "query" | "mutation" | "rest" (shorthand for the key
                kind:query, ...), "key": KEY (one of the request's keys, see attempts);
                both may be given (both must match); neither: every API request
         kinds: 500, 502, 503, 504 (JSON {"message"}; Retry-After only when retry_after is
                given), 429 (Retry-After: S, default 7; S an integer or a text sent verbatim,
                e.g. an HTTP date), malformed_json, non_json, slow (answers normally), reset
                (TCP RST, no answer), truncated (body shorter than Content-Length, then close),
                redirect (302 to the same URL), 401 (Date one hour in the past), graphql_error
                (200 with two errors)
         hostile kinds (options in brackets):
                deep_errors [depth=200]   200, {"data": null, "errors": [[[...{"message"}...]]]}
                deep_data [depth=200]     200, {"data": {"a": {"a": ... 1}}}
                huge_body [size=20 MiB, status=200]  JSON body with Content-Length, streamed
                huge_body_close [size, status]       no Content-Length, ends by closing
                huge_body_chunked [size, status]     Transfer-Encoding: chunked
                huge_error [size=20 MiB, status=503] huge_body with a non-2xx status
                drip [interval_ms=100]    the normal answer, one byte every interval, then close
                short_body_hang           Content-Length 1000 more than sent; then silence,
                                          the connection open until the client closes it
                two_content_lengths       Content-Length: L and Content-Length: L+5
                continue_100              "100 Continue", then the normal answer
                early_hints_103           "103 Early Hints" (with a Link), then the normal answer
                redirect_301, redirect_307 [location=the same URL]
                huge_header [size=1 MiB]  the normal answer plus X-Filler: aaaa... (size bytes)
                invalid_utf8              200 JSON whose string has invalid UTF-8 bytes
                reset_mid_body [size=65536]  full Content-Length, half the body, then TCP RST
                signature_in_body         200 text/plain quoting the request's own signature:
                                          standard base64, URL-safe base64 (no padding), and
                                          split by spaces every 8 characters
                signature_in_error_path   200 {"data": null, "errors": [{"message", "path":
                                          ["login", standard, url-safe, spaced signature]}]}
                429_huge_retry_after [size=4096]  Retry-After: 999... (size digits)
                429_control_retry_after   Retry-After: "7" ESC "[31m" BEL BS DEL " " + signature
  DELETE /_control/fault   drop every pending fault (the "always" ones too)
  GET    /_control/clock   {"offset": S, "time": the double's clock, unix seconds}
  POST   /_control/clock   {"offset": S}: the double's clock runs S seconds ahead (negative:
                           behind) of the true time, for its Date header and its freshness
                           checks (Date, RFC 9421 created and expires); starts at --skew-offset
  GET    /_control/keepalive  {"close_after": N, "delay_ms": D}
  POST   /_control/keepalive  {"close_after": N, "delay_ms": D=0}: after its Nth answer a TCP
                           connection is closed, at once or D ms later, although that answer
                           had no "Connection: close" (a request the client sends meanwhile is
                           not read: the close resets it). N = 0: never (the default)
  POST   /_control/warning {"text": T, "count": N=1}: the next N API answers (REST ones and
                           401s too) carry the header X-R3-Warning: T
  DELETE /_control/warning drop a pending warning
  GET    /_control/fixture {"devices", "org_devices", "own_total", "org_account"}
  POST   /_control/fixture {"devices": N | null, "org_devices": M}: the key's own account gets
                           N generated devices (null: the small fixture), the organisation M
  GET    /_control/paging  {"mode": M | null}
  POST   /_control/paging  {"mode": M}: devices pages misbehave until DELETE (or mode null):
                           repeat_page     a page with from > 0 holds the page before it again
                                           (needs more than one page: --devices 1500)
                           changing_total  total grows by one with every page answered
                           empty_page      every page is empty with hasMore true
  DELETE /_control/paging  normal paging again
"""

FAULT_KINDS = ("500", "503", "429", "malformed_json", "non_json", "slow", "reset", "truncated",
               "redirect", "401", "graphql_error",
               # added in 0.2: transient gateway errors (issue 10)
               "502", "504",
               # added in 0.2: hostile servers (issue 9)
               "deep_errors", "deep_data", "huge_body", "huge_body_close", "huge_body_chunked", "huge_error",
               "drip", "short_body_hang", "two_content_lengths", "continue_100", "early_hints_103",
               "redirect_301", "redirect_307", "huge_header", "invalid_utf8", "reset_mid_body",
               "signature_in_body", "signature_in_error_path", "429_huge_retry_after",
               "429_control_retry_after")
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
CONNECTION_TIMEOUT_MINUTES = 15
PROXY_PORTS = range(30000, 40000)

IDLE_TIMEOUT_SECONDS = 60
MAX_LINE_BYTES = 16 * 1024
MAX_HEADERS = 100
MAX_BODY_BYTES = 1024 * 1024
MAX_QUERY_DEPTH = 32


# --------------------------------------------------------------------------------------------
# Credentials


class CredentialsError(Exception):
    """The credentials file cannot be used; the message names the file and the section."""


# configparser treats its default section as inherited by all others; a name no file can
# contain keeps [DEFAULT] an ordinary section.
_NO_INHERITED_SECTION = "\n(inherited)"
_TOP_LEVEL_SECTION = "(keys before any section)"


def load_keys(path: str) -> dict:
    """Return {access key id: raw secret bytes} for every section having both keys."""
    parser = _parse_credentials_file(path)
    keys = {}
    for name in parser.sections():
        section = parser[name]
        key_id = section.get("r3_access_key_id", "").strip()
        secret = section.get("r3_secret_access_key", "").strip()
        if not key_id or not secret:
            continue
        try:
            raw = _decode_base64(secret)
        except ValueError:
            raise CredentialsError(f"{path} [{name}]: R3_SECRET_ACCESS_KEY is not base64") from None
        if keys.get(key_id, raw) != raw:
            raise CredentialsError(f"{path} [{name}]: key id {key_id} appears twice with different secrets")
        keys[key_id] = raw
    if not keys:
        raise CredentialsError(f"{path}: no section has both R3_ACCESS_KEY_ID and R3_SECRET_ACCESS_KEY")
    return keys


def load_developer_keys(path: str) -> dict:
    """{access key id: {R3_DEVELOPER_API_KEY, ...}} over the sections having both a complete key
    and a developer key (the REST API accepts a section's developer key with that section's
    access key only). Call after load_keys, which reports the file's errors."""
    parser = _parse_credentials_file(path)
    keys = {}
    for name in parser.sections():
        section = parser[name]
        key_id = section.get("r3_access_key_id", "").strip()
        developer_key = section.get("r3_developer_api_key", "").strip()
        if key_id and section.get("r3_secret_access_key", "").strip() and developer_key:
            keys.setdefault(key_id, set()).add(developer_key)
    return keys


def _parse_credentials_file(path: str) -> configparser.ConfigParser:
    """The credentials file as sections (keys before any section form a section of their own);
    CredentialsError when it cannot be read."""
    parser = configparser.ConfigParser(interpolation=None, default_section=_NO_INHERITED_SECTION,
                                       strict=False, comment_prefixes=("#", ";"))
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
        try:
            parser.read_string(text, source=path)
        except configparser.MissingSectionHeaderError:
            parser.read_string(f"[{_TOP_LEVEL_SECTION}]\n{text}", source=path)
    except (OSError, UnicodeDecodeError, configparser.Error) as error:
        raise CredentialsError(f"cannot read {path}: {error}") from None
    return parser


def _decode_base64(text: str) -> bytes:
    """Decode standard (or URL-safe) base64, padding optional; raise ValueError otherwise."""
    padded = text + "=" * (-len(text) % 4)
    for altchars in (None, b"-_"):
        try:
            raw = base64.b64decode(padded, altchars=altchars, validate=True)
        except binascii.Error:
            continue
        if raw:
            return raw
    raise ValueError("not base64")


# --------------------------------------------------------------------------------------------
# HTTP requests and responses


@dataclasses.dataclass
class Request:
    """One parsed HTTP request; header names keep their case, values are trimmed."""

    method: str
    target: str
    version: str
    headers: List[Tuple[str, str]]
    body: bytes = b""
    parsed: Optional[tuple] = None  # (query text, its operations), once parsed

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]

    @property
    def query(self) -> str:
        return self.target.partition("?")[2]

    def header(self, name: str) -> Optional[str]:
        """All values of a header (name case-insensitive) joined by ", ", or None."""
        values = self.header_values(name)
        return ", ".join(values) if values else None

    def header_values(self, name: str) -> List[str]:
        return [value for key, value in self.headers if key.lower() == name]

    @property
    def keep_alive(self) -> bool:
        tokens = {token.strip().lower() for token in (self.header("connection") or "").split(",")}
        if self.version == "HTTP/1.1":
            return "close" not in tokens
        return "keep-alive" in tokens


@dataclasses.dataclass
class Response:
    """An answer; ``abort`` replaces it with a broken one ("reset" or "truncate")."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: List[Tuple[str, str]] = dataclasses.field(default_factory=list)
    close: bool = False
    date_offset: float = 0.0
    abort: Optional[str] = None
    informational: bytes = b""  # 1xx responses sent before this one
    # Writes the whole answer itself: raw(socket, date) -> "keep", "close" or "reset".
    raw: Optional[object] = None


def json_response(status: int, value, **kwargs) -> Response:
    return Response(status, json.dumps(value).encode("utf-8"), **kwargs)


class HttpError(Exception):
    """A request that cannot be read; the connection answers ``status`` and closes."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


_HTTP_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_ORIGIN_FORM = re.compile(r"/[\x21-\x7e]*")
_HTTP_VERSION = re.compile(r"HTTP/[0-9]\.[0-9]")
_DECIMAL = re.compile(r"[0-9]+")


def read_request(reader, send_continue) -> Optional[Request]:
    """Read one request from a binary file; None when the client closed the connection.

    Raises HttpError for anything malformed. ``send_continue`` is called before reading the
    body of a request that sent ``Expect: 100-continue``.
    """
    line = reader.readline(MAX_LINE_BYTES + 1)
    while line in (b"\r\n", b"\n"):  # RFC 9112 2.2: ignore empty lines before a request line
        line = reader.readline(MAX_LINE_BYTES + 1)
    if len(line) > MAX_LINE_BYTES:
        raise HttpError(414, "request line too long")
    if not line.endswith(b"\n"):
        return None
    parts = line.decode("latin-1").rstrip("\r\n").split(" ")
    if len(parts) != 3:
        raise HttpError(400, "malformed request line")
    method, target, version = parts
    if not _HTTP_TOKEN.fullmatch(method) or not _HTTP_VERSION.fullmatch(version):
        raise HttpError(400, "malformed request line")
    if not _ORIGIN_FORM.fullmatch(target):
        raise HttpError(400, "the request target must be a path")
    if version not in ("HTTP/1.0", "HTTP/1.1"):
        raise HttpError(505, f"{version} is not supported")

    headers = []
    while True:
        line = reader.readline(MAX_LINE_BYTES + 1)
        if len(line) > MAX_LINE_BYTES or len(headers) > MAX_HEADERS:
            raise HttpError(431, "request headers too large")
        if not line.endswith(b"\n"):
            return None
        if line in (b"\r\n", b"\n"):
            break
        name, colon, value = line.decode("latin-1").rstrip("\r\n").partition(":")
        if not colon or not _HTTP_TOKEN.fullmatch(name):
            raise HttpError(400, "malformed header line")
        headers.append((name, value.strip(" \t")))
    request = Request(method, target, version, headers)

    if request.header("transfer-encoding") is not None:
        raise HttpError(411, "Transfer-Encoding is not supported: send Content-Length")
    lengths = {value.strip() for value in request.header_values("content-length")
               for value in value.split(",")}
    if len(lengths) > 1 or not all(_DECIMAL.fullmatch(value) for value in lengths):
        raise HttpError(400, "invalid Content-Length")
    if not lengths and method in ("POST", "PUT", "PATCH"):
        raise HttpError(411, "Content-Length required")
    length = int(lengths.pop()) if lengths else 0
    if length > MAX_BODY_BYTES:
        raise HttpError(413, f"request body larger than {MAX_BODY_BYTES} bytes")
    if length:
        if version == "HTTP/1.1" and (request.header("expect") or "").lower() == "100-continue":
            send_continue()
        request.body = reader.read(length)
        if len(request.body) < length:
            return None
    return request


def serialize(response: Response, date: str, keep_alive: bool, http10: bool) -> bytes:
    """Status line, headers and body as one byte string, to be written with one send."""
    lines = [
        f"HTTP/1.1 {response.status} {http.HTTPStatus(response.status).phrase}",
        f"Date: {date}",
        "Server: remoteit-api-double",
        f"Content-Type: {response.content_type}",
        f"Content-Length: {len(response.body)}",
    ]
    lines += [f"{name}: {value}" for name, value in response.headers]
    if not keep_alive:
        lines.append("Connection: close")
    elif http10:
        lines.append("Connection: keep-alive")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + response.body


def http_date(unix_time: float) -> str:
    """IMF-fixdate in GMT: ``Sun, 06 Nov 1994 08:49:37 GMT``."""
    return email.utils.formatdate(unix_time, usegmt=True)


# --------------------------------------------------------------------------------------------
# Request signatures


class AuthError(Exception):
    """The request's signature or date was not accepted; the message is sent to the client."""


class _StructuredToken(str):
    """A structured-field token, as opposed to a string (RFC 8941)."""


class _StructuredFields:
    """Just enough RFC 8941 for the Signature-Input, Signature and Content-Digest headers."""

    _KEY = re.compile(r"[a-z*][a-z0-9_\-.*]*")
    _NUMBER = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,3})?")
    _TOKEN_ITEM = re.compile(r"[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*")
    _BYTES = re.compile(r":([A-Za-z0-9+/=]*):")

    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    def dictionary(self) -> dict:
        """{key: (value, parameters, raw text of value and parameters)}; ValueError if malformed."""
        members = {}
        self._skip_spaces(" \t")
        while self.pos < len(self.text):
            key = self._match(self._KEY).group()
            start = self.pos + 1
            if self._take("="):
                value = self._inner_list() if self._peek() == "(" else self._bare_item()
            else:
                start, value = self.pos, True
            parameters = self._parameters()
            members[key] = (value, parameters, self.text[start:self.pos])
            self._skip_spaces(" \t")
            if self.pos < len(self.text):
                if not self._take(","):
                    raise ValueError("expected ','")
                self._skip_spaces(" \t")
                if self.pos == len(self.text):
                    raise ValueError("trailing ','")
        return members

    def _inner_list(self) -> list:
        self._take("(")
        items = []
        while True:
            self._skip_spaces(" ")
            if self._take(")"):
                return items
            items.append((self._bare_item(), self._parameters()))
            if self._peek() not in (" ", ")"):
                raise ValueError("expected ' ' or ')' in an inner list")

    def _parameters(self) -> dict:
        parameters = {}
        while self._take(";"):
            self._skip_spaces(" ")
            key = self._match(self._KEY).group()
            parameters[key] = self._bare_item() if self._take("=") else True
        return parameters

    def _bare_item(self):
        char = self._peek()
        if char == '"':
            return self._string()
        if char == ":":
            return base64.b64decode(self._match(self._BYTES).group(1), validate=True)
        if char == "?":
            return self._match(re.compile(r"\?[01]")).group() == "?1"
        if char == "-" or char.isdigit():
            number = self._match(self._NUMBER)
            return float(number.group()) if number.group(1) else int(number.group())
        return _StructuredToken(self._match(self._TOKEN_ITEM).group())

    def _string(self) -> str:
        self.pos += 1
        chars = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            self.pos += 1
            if char == '"':
                return "".join(chars)
            if char == "\\":
                char = self.text[self.pos:self.pos + 1]
                if char not in ('"', "\\"):
                    raise ValueError("bad escape in a string")
                self.pos += 1
            elif not " " <= char <= "~":
                raise ValueError("bad character in a string")
            chars.append(char)
        raise ValueError("unterminated string")

    def _peek(self) -> str:
        return self.text[self.pos:self.pos + 1]

    def _take(self, char: str) -> bool:
        if self._peek() == char:
            self.pos += 1
            return True
        return False

    def _skip_spaces(self, spaces: str):
        while self._peek() and self._peek() in spaces:
            self.pos += 1

    def _match(self, pattern):
        match = pattern.match(self.text, self.pos)
        if not match:
            raise ValueError(f"unexpected {self._peek()!r} at {self.pos}")
        self.pos = match.end()
        return match


_CAVAGE_PARAMETER = re.compile(r'\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*"([^"]*)"\s*(?:,|$)')
_CAVAGE_REQUIRED = ("(request-target)", "host", "date")
_RFC9421_REQUIRED = ("@method", "@authority", "@target-uri", "date")
_DIGESTS = {"sha-256": hashlib.sha256, "sha-512": hashlib.sha512}


class Verifier:
    """Checks a request's signature (either scheme) and its Date against the server clock."""

    def __init__(self, keys: dict, clock, max_skew: float, scheme: str):
        self.keys = keys
        self.clock = clock
        self.max_skew = max_skew
        self.scheme = scheme

    def verify(self, request: Request) -> str:
        """Return the key id that signed ``request``, or raise AuthError."""
        if request.header("signature-input") is not None:
            return self._verify_rfc9421(request)
        authorizations = request.header_values("authorization")
        if len(authorizations) > 1:
            raise AuthError("more than one Authorization header")
        if authorizations:
            scheme, _, parameters = authorizations[0].partition(" ")
            if scheme.lower() != "signature":
                raise AuthError("the Authorization header does not use the Signature scheme")
        else:
            parameters = request.header("signature")
            if parameters is None:
                raise AuthError("missing Authorization header")
        return self._verify_cavage(request, parameters)

    def _verify_cavage(self, request: Request, text: str) -> str:
        parameters = {}
        text = text.strip()
        pos = 0
        while pos < len(text):
            match = _CAVAGE_PARAMETER.match(text, pos)
            if not match:
                raise AuthError("malformed signature parameters")
            if match.group(1) in parameters:
                raise AuthError(f"signature parameter {match.group(1)} appears twice")
            parameters[match.group(1)] = match.group(2)
            pos = match.end()
        for name in ("keyId", "signature"):
            if name not in parameters:
                raise AuthError(f"the signature has no {name} parameter")
        algorithm = parameters.get("algorithm")
        if algorithm is not None and algorithm.lower() != "hmac-sha256":
            raise AuthError(f"unsupported algorithm {algorithm!r}: expected hmac-sha256")
        names = parameters.get("headers", "date").lower().split()
        missing = [name for name in _CAVAGE_REQUIRED if name not in names]
        if missing:
            raise AuthError("the signed headers must include " + " ".join(missing))
        secret = self._secret(parameters["keyId"])

        lines = []
        for name in names:
            if name == "(request-target)":
                value = f"{request.method.lower()} {request.target}"
            else:
                value = self._signed_header(request, name)
                if name == "content-length" and value != str(len(request.body)):
                    raise AuthError("the signed content-length is not the body's length")
            lines.append(f"{name}: {value}")
        try:
            signature = base64.b64decode(parameters["signature"], validate=True)
        except binascii.Error:
            raise AuthError("the signature is not base64") from None
        self._check_hmac(secret, "\n".join(lines), signature)
        self._check_date(request)
        return parameters["keyId"]

    def _verify_rfc9421(self, request: Request) -> str:
        signature_header = request.header("signature")
        if signature_header is None:
            raise AuthError("Signature-Input without a Signature header")
        inputs = self._parse_dictionary(request.header("signature-input"), "Signature-Input")
        signatures = self._parse_dictionary(signature_header, "Signature")
        label = next((label for label in inputs if label in signatures), None)
        if label is None:
            raise AuthError("no Signature-Input label has a Signature")
        components, parameters, signature_parameters = inputs[label]
        signature = signatures[label][0]
        if not isinstance(components, list) or not isinstance(signature, bytes):
            raise AuthError(f"malformed signature {label!r}")
        if any(type(item) is not str or item_parameters for item, item_parameters in components):
            raise AuthError("covered components must be plain strings")
        names = [item for item, _ in components]
        missing = [name for name in _RFC9421_REQUIRED if name not in names]
        if request.body and "content-digest" not in names:
            missing.append("content-digest")
        if missing:
            raise AuthError("the covered components must include " + " ".join(missing))
        key_id = parameters.get("keyid")
        if type(key_id) is not str:
            raise AuthError("Signature-Input has no keyid parameter")
        algorithm = parameters.get("alg")
        if algorithm is not None and algorithm != "hmac-sha256":
            raise AuthError(f"unsupported algorithm {algorithm!r}: expected hmac-sha256")
        secret = self._secret(key_id)

        lines = [f'"{name}": {self._component(request, name)}' for name in names]
        lines.append(f'"@signature-params": {signature_parameters}')
        self._check_hmac(secret, "\n".join(lines), signature)
        if "content-digest" in names:
            self._check_content_digest(request)
        self._check_date(request)
        now = self.clock()
        created, expires = parameters.get("created"), parameters.get("expires")
        if type(created) is int and abs(created - now) > self.max_skew:
            raise AuthError(f"created out of range (skew {round(created - now):+d} s, "
                            f"allowed ±{self.max_skew:g} s)")
        if type(expires) is int and expires < now:
            raise AuthError(f"the signature expired {round(now - expires)} s ago")
        return key_id

    def _component(self, request: Request, name: str) -> str:
        if not name.startswith("@"):
            return self._signed_header(request, name)
        authority = self._signed_header(request, "host").lower()
        derived = {
            "@method": lambda: request.method,
            "@authority": lambda: authority,
            "@scheme": lambda: self.scheme,
            "@target-uri": lambda: f"{self.scheme}://{authority}{request.target}",
            "@request-target": lambda: request.target,
            "@path": lambda: request.path,
            "@query": lambda: "?" + request.query,
        }
        if name not in derived:
            raise AuthError(f"unsupported derived component {name}")
        return derived[name]()

    def _check_content_digest(self, request: Request):
        members = self._parse_dictionary(request.header("content-digest") or "", "Content-Digest")
        known = {name: member[0] for name, member in members.items() if name in _DIGESTS}
        if not known:
            raise AuthError("Content-Digest has no sha-256 or sha-512 value")
        for name, digest in known.items():
            if not isinstance(digest, bytes) or not hmac.compare_digest(digest, _DIGESTS[name](request.body).digest()):
                raise AuthError("Content-Digest does not match the body")

    @staticmethod
    def _parse_dictionary(text: str, header: str) -> dict:
        try:
            return _StructuredFields(text).dictionary()
        except (ValueError, binascii.Error):
            raise AuthError(f"malformed {header} header") from None

    @staticmethod
    def _signed_header(request: Request, name: str) -> str:
        value = request.header(name)
        if value is None:
            raise AuthError(f"the signed header {name!r} is missing from the request")
        return value

    def _secret(self, key_id: str) -> bytes:
        secret = self.keys.get(key_id)
        if secret is None:
            raise AuthError("unknown key id")
        return secret

    @staticmethod
    def _check_hmac(secret: bytes, signed_text: str, signature: bytes):
        # Header values were decoded as latin-1, so this gives back the bytes on the wire.
        expected = hmac.new(secret, signed_text.encode("latin-1"), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, signature):
            raise AuthError("invalid signature")

    def _check_date(self, request: Request):
        value = request.header("date")
        if value is None:
            raise AuthError("missing Date header")
        if not value.endswith(" GMT"):
            raise AuthError(f"the Date header must be in GMT: {value!r}")
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            raise AuthError(f"the Date header is not an HTTP date: {value!r}") from None
        skew = round(when.timestamp() - self.clock())
        if abs(skew) > self.max_skew:
            raise AuthError(f"date out of range (skew {skew:+d} s, allowed ±{self.max_skew:g} s)")


# --------------------------------------------------------------------------------------------
# GraphQL: parsing


class GraphQLSyntaxError(Exception):
    def __init__(self, message: str, line: int, column: int):
        super().__init__(f"Syntax Error: {message}")
        self.line = line
        self.column = column


class GraphQLError(Exception):
    """A field error (with a path) or a request error, reported in the "errors" array."""


Token = namedtuple("Token", "kind value text pos")
Operation = namedtuple("Operation", "kind name variables selections")
VariableDefinition = namedtuple("VariableDefinition", "name type default")
Field = namedtuple("Field", "alias name arguments selections")  # selections is None for leaves
# Types are ("named", name), ("list", type) or ("non_null", type); values are (kind, value)
# with kind variable, int, float, string, boolean, null, enum, list or object.

_GRAPHQL_TOKEN = re.compile(r"""
    (?P<ignored> [\s,\ufeff]+ | \#[^\n\r]* )
  | (?P<punct> \.\.\. | [!$&():=@\[\]{}|] )
  | (?P<number> -?(?:0|[1-9][0-9]*) (?P<fraction>\.[0-9]+)? (?P<exponent>[eE][+-]?[0-9]+)? )
    (?![_A-Za-z0-9.])
  | (?P<name> [_A-Za-z][_0-9A-Za-z]* )
  | (?P<string> "(?!"") (?: [^"\\\n\r] | \\["\\/bfnrt] | \\u[0-9A-Fa-f]{4} )* " )
""", re.VERBOSE)


class _Parser:
    """Recursive descent over the executable subset of GraphQL that this double serves."""

    def __init__(self, source: str):
        self.source = source
        self.tokens = self._tokenize(source)
        self.index = 0
        self.depth = 0

    def document(self) -> List[Operation]:
        operations = [self._operation()]
        while self._peek().kind != "eof":
            operations.append(self._operation())
        return operations

    def type_reference(self):
        """Parse the whole source as a type, e.g. ``[Device!]!``."""
        type_ = self._type()
        self._expect("eof")
        return type_

    def _tokenize(self, source: str) -> List[Token]:
        tokens = []
        pos = 0
        while pos < len(source):
            match = _GRAPHQL_TOKEN.match(source, pos)
            if match is None:
                if source.startswith('"""', pos):
                    raise self._error("Block strings are not supported.", pos)
                if source.startswith('"', pos):
                    raise self._error("Unterminated string or invalid escape sequence.", pos)
                if source[pos] in "-0123456789":
                    raise self._error("Invalid number.", pos)
                raise self._error(f"Unexpected character {source[pos]!r}.", pos)
            kind, text = match.lastgroup, match.group()
            if kind == "number":
                is_float = match.group("fraction") or match.group("exponent")
                tokens.append(Token("float" if is_float else "int", (float if is_float else int)(text), text, pos))
            elif kind == "string":
                tokens.append(Token(kind, json.loads(text, strict=False), text, pos))
            elif kind != "ignored":
                tokens.append(Token(kind, text, text, pos))
            pos = match.end()
        tokens.append(Token("eof", None, "<EOF>", len(source)))
        return tokens

    def _operation(self) -> Operation:
        if self._at("punct", "{"):
            return Operation("query", None, [], self._selection_set())
        token = self._expect("name")
        if token.value == "fragment":
            raise self._error("Fragments are not supported by this double.", token.pos)
        if token.value not in ("query", "mutation", "subscription"):
            raise self._unexpected(token)
        name = self._next().value if self._at("name") else None
        variables = self._variable_definitions() if self._at("punct", "(") else []
        return Operation(token.value, name, variables, self._selection_set())

    def _variable_definitions(self) -> List[VariableDefinition]:
        self._expect("punct", "(")
        definitions = []
        while True:
            self._expect("punct", "$")
            name = self._expect("name").value
            self._expect("punct", ":")
            type_ = self._type()
            default = self._value(const=True) if self._skip("punct", "=") else None
            definitions.append(VariableDefinition(name, type_, default))
            if self._skip("punct", ")"):
                return definitions

    def _type(self):
        if self._skip("punct", "["):
            type_ = ("list", self._type())
            self._expect("punct", "]")
        else:
            type_ = ("named", self._expect("name").value)
        return ("non_null", type_) if self._skip("punct", "!") else type_

    def _selection_set(self) -> List[Field]:
        self._enter(self._expect("punct", "{"))
        fields = []
        while True:
            if self._at("punct", "..."):
                raise self._error("Fragments are not supported by this double.", self._peek().pos)
            fields.append(self._field())
            if self._skip("punct", "}"):
                self.depth -= 1
                return fields

    def _field(self) -> Field:
        name = self._expect("name").value
        alias = None
        if self._skip("punct", ":"):
            alias, name = name, self._expect("name").value
        arguments = self._arguments() if self._at("punct", "(") else {}
        selections = self._selection_set() if self._at("punct", "{") else None
        return Field(alias, name, arguments, selections)

    def _arguments(self) -> dict:
        self._expect("punct", "(")
        arguments = {}
        while True:
            token = self._expect("name")
            if token.value in arguments:
                raise self._error(f'There can be only one argument named "{token.value}".', token.pos)
            self._expect("punct", ":")
            arguments[token.value] = self._value(const=False)
            if self._skip("punct", ")"):
                return arguments

    def _value(self, const: bool):
        token = self._next()
        if token.kind in ("int", "float", "string"):
            return (token.kind, token.value)
        if token.kind == "name":
            if token.value in ("true", "false"):
                return ("boolean", token.value == "true")
            if token.value == "null":
                return ("null", None)
            return ("enum", token.value)
        if token.kind == "punct" and token.value == "$" and not const:
            return ("variable", self._expect("name").value)
        if token.kind == "punct" and token.value == "[":
            self._enter(token)
            items = []
            while not self._skip("punct", "]"):
                items.append(self._value(const))
            self.depth -= 1
            return ("list", items)
        if token.kind == "punct" and token.value == "{":
            self._enter(token)
            fields = {}
            while not self._skip("punct", "}"):
                name = self._expect("name").value
                self._expect("punct", ":")
                fields[name] = self._value(const)
            self.depth -= 1
            return ("object", fields)
        raise self._unexpected(token)

    def _enter(self, token: Token):
        """Count one more level of nesting; deep enough to be abuse is a syntax error."""
        self.depth += 1
        if self.depth > MAX_QUERY_DEPTH:
            raise self._error(f"Nested deeper than {MAX_QUERY_DEPTH} levels.", token.pos)

    def _peek(self) -> Token:
        return self.tokens[self.index]

    def _next(self) -> Token:
        token = self.tokens[self.index]
        if token.kind != "eof":
            self.index += 1
        return token

    def _at(self, kind: str, value=None) -> bool:
        token = self._peek()
        return token.kind == kind and (value is None or token.value == value)

    def _skip(self, kind: str, value=None) -> bool:
        if self._at(kind, value):
            self._next()
            return True
        return False

    def _expect(self, kind: str, value=None) -> Token:
        if self._at(kind, value):
            return self._next()
        expected = f'"{value}"' if value else {"name": "Name", "eof": "<EOF>"}[kind]
        raise self._error(f"Expected {expected}, found {self._describe(self._peek())}.", self._peek().pos)

    def _unexpected(self, token: Token) -> GraphQLSyntaxError:
        return self._error(f"Unexpected {self._describe(token)}.", token.pos)

    @staticmethod
    def _describe(token: Token) -> str:
        labels = {"name": "Name ", "int": "Int ", "float": "Float ", "string": "String "}
        if token.kind == "eof":
            return "<EOF>"
        if token.kind == "string":
            return f"String {token.text}"
        return f'{labels.get(token.kind, "")}"{token.text}"'

    def _error(self, message: str, pos: int) -> GraphQLSyntaxError:
        line = self.source.count("\n", 0, pos) + 1
        column = pos - (self.source.rfind("\n", 0, pos) + 1) + 1
        return GraphQLSyntaxError(message, line, column)


def _type_name(type_) -> str:
    """The type as written: ``[Device!]!``."""
    if type_[0] == "non_null":
        return _type_name(type_[1]) + "!"
    if type_[0] == "list":
        return f"[{_type_name(type_[1])}]"
    return type_[1]


def _named_type(type_) -> str:
    return type_[1] if type_[0] == "named" else _named_type(type_[1])


def _print_value(node) -> str:
    """A value AST node back as GraphQL text, for error messages."""
    kind, value = node
    if kind == "variable":
        return f"${value}"
    if kind in ("string", "int", "float"):
        return json.dumps(value)
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "null":
        return "null"
    if kind == "list":
        return "[" + ", ".join(_print_value(item) for item in value) + "]"
    if kind == "object":
        return "{" + ", ".join(f"{name}: {_print_value(item)}" for name, item in value.items()) + "}"
    return value


# --------------------------------------------------------------------------------------------
# GraphQL: schema and resolvers

FieldDefinition = namedtuple("FieldDefinition", "type arguments resolve")
ExecutionContext = namedtuple("ExecutionContext", "state clock key_id")
_REQUIRED = object()

SCALARS = {"String", "Int", "Float", "Boolean", "ID", "DateTime"}
ENUMS = {"ProxyType": ("AUTO_PROXY", "REVERSE_PROXY", "PORT_PROXY")}
# Which literal kinds each scalar accepts; enums accept "enum" (a JSON string in variables).
_SCALAR_KINDS = {"String": ("string",), "Int": ("int",), "Float": ("int", "float"),
                 "Boolean": ("boolean",), "ID": ("string", "int"), "DateTime": ("string",)}


def _field(type_sdl: str, resolve=None, arguments=None) -> FieldDefinition:
    """A schema field: its type as written, a resolver(context, parent, arguments) and its
    arguments {name: (type as written, default or _REQUIRED)}. Without a resolver the value
    is ``parent[name]``."""
    return FieldDefinition(
        _Parser(type_sdl).type_reference(),
        {name: (_Parser(sdl).type_reference(), default) for name, (sdl, default) in (arguments or {}).items()},
        resolve,
    )


def _resolve_login(context, parent, arguments):
    return dict(FIXTURE["account"], source="own")


def _resolve_account(context, user, arguments):
    """``account(id, email)``: the organisation account (or the key's own one) by id or email."""
    wanted_id, wanted_email = arguments["id"], arguments["email"]
    if wanted_id is None and wanted_email is None:
        raise GraphQLError("account needs an id or an email")
    for account, source in ((FIXTURE["account"], "own"), (ORG_ACCOUNT, "org")):
        if wanted_id in (None, account["id"]) and wanted_email in (None, account["email"]):
            return dict(account, source=source)
    raise GraphQLError(f"Account not found: {wanted_id if wanted_id is not None else wanted_email}")


def _resolve_devices(context, account, arguments):
    size = DEFAULT_PAGE_SIZE if arguments["size"] is None else arguments["size"]
    start = 0 if arguments["from"] is None else arguments["from"]
    if not 0 <= size <= MAX_PAGE_SIZE:
        raise GraphQLError(f"size must be between 0 and {MAX_PAGE_SIZE}, got {size}")
    if start < 0:
        raise GraphQLError(f"from must not be negative, got {start}")
    source = context.state.devices(account["source"])
    name = arguments["name"]
    mode, pages_served = context.state.paging_step()
    total, items = source.page(start, size, name)
    has_more = start + size < total
    if mode == "empty_page":
        items, has_more = [], True
    elif mode == "repeat_page" and start > 0:
        items = source.page(max(0, start - size), size, name)[1]
    elif mode == "changing_total":
        total += pages_served
    return {"total": total, "hasMore": has_more, "items": items}


def _resolve_online(context, device, arguments):
    return device["state"] == "active"


def _resolve_connect(context, parent, arguments):
    service = context.state.find_service(arguments["serviceId"])
    if service is None:
        raise GraphQLError(f"Service not found: {arguments['serviceId']}")
    try:
        ipaddress.IPv4Address(arguments["hostIP"])
    except ValueError:
        raise GraphQLError(f"Invalid hostIP: {arguments['hostIP']!r} is not an IPv4 address") from None
    reverse_proxy = service["protocol"] in ("http", "https") and arguments["type"] != "PORT_PROXY"
    return context.state.open_connection(service["id"], reverse_proxy, context.clock())


def _resolve_disconnect(context, parent, arguments):
    if not context.state.close_connection(arguments["connectionId"]):
        raise GraphQLError(f"Connection not found: {arguments['connectionId']}")
    return True


SCHEMA = {
    "Query": {"login": _field("User", _resolve_login)},
    "Mutation": {
        "connect": _field("Connection!", _resolve_connect, {
            "serviceId": ("String!", _REQUIRED),
            "hostIP": ("String!", "255.255.255.255"),
            "type": ("ProxyType!", "AUTO_PROXY"),
        }),
        "disconnect": _field("Boolean!", _resolve_disconnect, {
            "connectionId": ("String!", _REQUIRED),
            "serviceId": ("String", None),
        }),
    },
    "User": {
        "id": _field("ID!"),
        "email": _field("String!"),
        "devices": _field("DeviceList!", _resolve_devices,
                          {"size": ("Int", None), "from": ("Int", None), "name": ("String", None)}),
        "account": _field("User", _resolve_account, {"id": ("String", None), "email": ("String", None)}),
    },
    "DeviceList": {"total": _field("Int!"), "hasMore": _field("Boolean!"), "items": _field("[Device!]!")},
    "Device": {
        "id": _field("ID!"),
        "name": _field("String!"),
        "state": _field("String!"),
        "online": _field("Boolean!", _resolve_online),
        "created": _field("DateTime!"),
        "services": _field("[Service!]!"),
    },
    "Service": {"id": _field("ID!"), "name": _field("String!"), "protocol": _field("String!"),
                "application": _field("Int"), "port": _field("Int!")},
    "Connection": {
        "id": _field("ID!"),
        "host": _field("String!"),
        "port": _field("Int"),
        "reverseProxy": _field("Boolean!"),
        "url": _field("String!"),
        "created": _field("DateTime!"),
        "timeout": _field("Int!"),
    },
}
_TYPENAME = _field("String!")
_ROOT_TYPES = {"query": "Query", "mutation": "Mutation"}


def _field_definition(type_name: str, field_name: str) -> Optional[FieldDefinition]:
    if field_name == "__typename":
        return _TYPENAME
    return SCHEMA[type_name].get(field_name)


# --------------------------------------------------------------------------------------------
# GraphQL: validation, input coercion and execution


def _validate(operation: Operation) -> List[str]:
    """Static checks of an operation against SCHEMA; returns error messages."""
    root = _ROOT_TYPES.get(operation.kind)
    if root is None:
        return [f"Schema is not configured to execute {operation.kind} operation."]
    errors = []
    defined = set()
    for definition in operation.variables:
        if definition.name in defined:
            errors.append(f'There can be only one variable named "${definition.name}".')
        defined.add(definition.name)
        named = _named_type(definition.type)
        if named in SCHEMA:
            errors.append(f'Variable "${definition.name}" cannot be non-input type "{_type_name(definition.type)}".')
        elif named not in SCALARS and named not in ENUMS:
            errors.append(f'Unknown type "{named}".')
    _validate_selections(root, operation.selections, defined, errors)
    return errors


def _validate_selections(type_name: str, selections: List[Field], defined: set, errors: List[str]):
    for field in selections:
        definition = _field_definition(type_name, field.name)
        if definition is None:
            errors.append(f'Cannot query field "{field.name}" on type "{type_name}".')
            continue
        for name, node in field.arguments.items():
            if name not in definition.arguments:
                errors.append(f'Unknown argument "{name}" on field "{type_name}.{field.name}".')
            errors.extend(f'Variable "${variable}" is not defined.'
                          for variable in _variables_in(node) if variable not in defined)
        for name, (type_, default) in definition.arguments.items():
            if default is _REQUIRED and name not in field.arguments:
                errors.append(f'Field "{field.name}" argument "{name}" of type "{_type_name(type_)}" '
                              "is required, but it was not provided.")
        named = _named_type(definition.type)
        if named in SCHEMA and field.selections is None:
            errors.append(f'Field "{field.name}" of type "{_type_name(definition.type)}" '
                          "must have a selection of subfields.")
        elif named in SCHEMA:
            _validate_selections(named, field.selections, defined, errors)
        elif field.selections is not None:
            errors.append(f'Field "{field.name}" must not have a selection since type '
                          f'"{_type_name(definition.type)}" has no subfields.')


def _variables_in(node):
    kind, value = node
    if kind == "variable":
        yield value
    elif kind == "list":
        for item in value:
            yield from _variables_in(item)
    elif kind == "object":
        for item in value.values():
            yield from _variables_in(item)


def _coerce_leaf(type_name: str, value, kind: str):
    """Check a scalar or enum value of the given literal kind; ValueError with the reason."""
    allowed = ("enum",) if type_name in ENUMS else _SCALAR_KINDS[type_name]
    if kind not in allowed:
        raise ValueError(f'expected a value of type "{type_name}"')
    if type_name in ENUMS and value not in ENUMS[type_name]:
        raise ValueError(f'value "{value}" does not exist in "{type_name}" enum')
    if type_name == "Int" and not -2 ** 31 <= value < 2 ** 31:
        raise ValueError(f"Int cannot represent non 32-bit signed integer value: {value}")
    if type_name == "Float":
        return float(value)
    if type_name == "ID":
        return str(value)
    return value


def _coerce_literal(type_, node, variables: dict):
    """A value AST node as a Python value of ``type_`` (variables already coerced)."""
    kind, value = node
    if type_[0] == "non_null":
        result = _coerce_literal(type_[1], node, variables)
        if result is None:
            raise ValueError(f'expected a value of non-null type "{_type_name(type_)}", found null')
        return result
    if kind == "variable":
        return variables.get(value)
    if kind == "null":
        return None
    if type_[0] == "list":
        items = value if kind == "list" else [node]
        return [_coerce_literal(type_[1], item, variables) for item in items]
    return _coerce_leaf(type_[1], value, kind)


def _json_kind(value, type_name: str) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "enum" if type_name in ENUMS else "string"
    return "other"


def _coerce_json(type_, value):
    """A JSON variable value as a Python value of ``type_``."""
    if type_[0] == "non_null":
        if value is None:
            raise ValueError(f'expected a value of non-null type "{_type_name(type_)}", found null')
        return _coerce_json(type_[1], value)
    if value is None:
        return None
    if type_[0] == "list":
        items = value if isinstance(value, list) else [value]
        return [_coerce_json(type_[1], item) for item in items]
    return _coerce_leaf(type_[1], value, _json_kind(value, type_[1]))


def _coerce_variables(definitions: List[VariableDefinition], provided: dict) -> dict:
    """The operation's variable values; raises GraphQLError listing every bad one."""
    values = {}
    errors = []
    for definition in definitions:
        try:
            if definition.name in provided:
                values[definition.name] = _coerce_json(definition.type, provided[definition.name])
            elif definition.default is not None:
                values[definition.name] = _coerce_literal(definition.type, definition.default, {})
            elif definition.type[0] == "non_null":
                errors.append(f'Variable "${definition.name}" of required type '
                              f'"{_type_name(definition.type)}" was not provided.')
        except ValueError as error:
            shown = json.dumps(provided[definition.name]) if definition.name in provided \
                else _print_value(definition.default)
            errors.append(f'Variable "${definition.name}" got invalid value {shown}; {error}.')
    if errors:
        raise GraphQLError(*errors)
    return values


class _NullBubble(Exception):
    """A non-null position got null: its parent becomes null (GraphQL spec 6.4.4)."""


class _Execution:
    """Executes one operation's selections and collects field errors with their paths."""

    def __init__(self, context: ExecutionContext, variables: dict):
        self.context = context
        self.variables = variables
        self.errors = []

    def run(self, root_type: str, selections: List[Field]) -> Optional[dict]:
        try:
            return self._object(root_type, None, selections, [])
        except _NullBubble:
            return None

    def _object(self, type_name: str, parent, selections: List[Field], path: list) -> dict:
        result = {}
        bubbled = False
        for field in selections:  # every field runs, even after a sibling failed
            key = field.alias or field.name
            try:
                result[key] = self._field(type_name, parent, field, path + [key])
            except _NullBubble:
                bubbled = True
        if bubbled:
            raise _NullBubble
        return result

    def _field(self, type_name: str, parent, field: Field, path: list):
        if field.name == "__typename":
            return type_name
        definition = SCHEMA[type_name][field.name]
        try:
            arguments = self._arguments(definition, field)
            value = (definition.resolve(self.context, parent, arguments) if definition.resolve
                     else parent.get(field.name))
        except GraphQLError as error:
            self.errors.append({"message": str(error), "path": path})
            value = None
        return self._complete(definition.type, value, field, path)

    def _complete(self, type_, value, field: Field, path: list):
        if type_[0] == "non_null":
            result = self._complete(type_[1], value, field, path)
            if result is None:
                raise _NullBubble
            return result
        if value is None:
            return None
        if type_[0] == "list":
            try:
                return [self._complete(type_[1], item, field, path + [index]) for index, item in enumerate(value)]
            except _NullBubble:
                return None
        if type_[1] in SCHEMA:
            try:
                return self._object(type_[1], value, field.selections, path)
            except _NullBubble:
                return None
        return value

    def _arguments(self, definition: FieldDefinition, field: Field) -> dict:
        values = {}
        for name, (type_, default) in definition.arguments.items():
            node = field.arguments.get(name)
            if node is not None and node[0] == "variable" and node[1] not in self.variables:
                node = None  # a variable that was not provided leaves the argument unset
            if node is None:
                if default is _REQUIRED:
                    raise GraphQLError(f'Argument "{name}" of required type "{_type_name(type_)}" was not provided.')
                values[name] = default
                continue
            try:
                values[name] = _coerce_literal(type_, node, self.variables)
            except ValueError as error:
                raise GraphQLError(f'Argument "{name}" has invalid value {_print_value(node)}: {error}.') from None
        return values


def execute_graphql(query: str, variables: dict, operation_name: Optional[str],
                    context: ExecutionContext, operations: Optional[List[Operation]] = None) -> Tuple[int, dict]:
    """Run one GraphQL request; returns the HTTP status and the response object.
    ``operations``: the query already parsed, if it was."""
    try:
        if operations is None:
            operations = _Parser(query).document()
    except GraphQLSyntaxError as error:
        return 400, {"errors": [{"message": str(error),
                                 "locations": [{"line": error.line, "column": error.column}]}]}
    if operation_name is not None:
        operation = next((op for op in operations if op.name == operation_name), None)
        if operation is None:
            return 200, {"errors": [{"message": f'Unknown operation named "{operation_name}".'}]}
    elif len(operations) > 1:
        return 200, {"errors": [{"message": "Must provide operation name if query contains multiple operations."}]}
    else:
        operation = operations[0]
    errors = _validate(operation)
    if errors:
        return 200, {"errors": [{"message": message} for message in errors]}
    try:
        values = _coerce_variables(operation.variables, variables)
    except GraphQLError as error:
        return 200, {"errors": [{"message": message} for message in error.args]}
    execution = _Execution(context, values)
    result = {"data": execution.run(_ROOT_TYPES[operation.kind], operation.selections)}
    if execution.errors:
        result["errors"] = execution.errors
    return 200, result


# --------------------------------------------------------------------------------------------
# Shared state: counters, live Remote.It connections, pending faults

@dataclasses.dataclass(frozen=True)
class Fault:
    """One queued fault: its kind, options, and which requests it applies to (``match``: the
    request keys it needs, see ``request_keys``)."""

    kind: str
    delay_seconds: float = 0.0
    retry_after: object = None  # int seconds or a raw header text; None: no Retry-After
    status: Optional[int] = None
    size: int = 0
    depth: int = 200
    interval_seconds: float = 0.1
    location: Optional[str] = None
    match: frozenset = frozenset()


@dataclasses.dataclass
class Settings:
    """What the control endpoints change at run time (POST /_control/reset {"settings": true}
    restores the start-up values)."""

    clock_offset: float = 0.0
    close_after: int = 0  # 0: keep connections open
    close_delay_seconds: float = 0.0
    warning: Optional[str] = None
    warning_count: int = 0
    paging_mode: Optional[str] = None
    pages_served: int = 0  # since the paging mode was set
    devices: Optional[int] = None  # None: the small FIXTURE
    org_devices: int = DEFAULT_ORG_DEVICES


_COUNTERS = ("requests", "verified", "rejected", "connections", "faults_served")
MAX_ATTEMPT_KEYS = 10_000
PAGING_MODES = ("repeat_page", "changing_total", "empty_page")


class State:
    """Everything the connection threads share, behind one lock."""

    def __init__(self, settings: Optional[Settings] = None):
        self._lock = threading.Lock()
        self._counters = dict.fromkeys(_COUNTERS, 0)
        self._attempts = {}  # request key -> attempts
        self._connections = {}
        self._faults = []  # [Fault, remaining count or None (always)], served first to last
        self._last_user_agent = None
        self._last_signature = None
        self._initial = dataclasses.replace(settings or Settings())
        self._settings = dataclasses.replace(self._initial)
        self._sources = {}
        self._rebuild_sources()

    def count(self, counter: str):
        with self._lock:
            self._counters[counter] += 1

    def count_attempt(self, keys: frozenset):
        """One more request on the API path or the REST base, under each of its keys."""
        with self._lock:
            for key in keys:
                if key in self._attempts or len(self._attempts) < MAX_ATTEMPT_KEYS:
                    self._attempts[key] = self._attempts.get(key, 0) + 1

    def attempts(self, key: Optional[str] = None):
        with self._lock:
            if key is not None:
                return self._attempts.get(key, 0)
            return dict(sorted(self._attempts.items()))

    def stats(self) -> dict:
        with self._lock:
            return dict(self._counters, attempts=self._counters["requests"],
                        active_connections=len(self._connections), last_user_agent=self._last_user_agent,
                        last_signature=self._last_signature)

    def saw_request(self, user_agent: Optional[str], signature: Optional[str]):
        with self._lock:
            self._last_user_agent = user_agent
            self._last_signature = signature

    def reset(self, connections: bool, settings: bool = False):
        with self._lock:
            self._counters = dict.fromkeys(_COUNTERS, 0)
            self._attempts.clear()
            if connections:
                self._connections.clear()
            if settings:
                self._faults.clear()
                self._settings = dataclasses.replace(self._initial)
                self._rebuild_sources()

    # Run-time settings

    def settings(self) -> Settings:
        with self._lock:
            return dataclasses.replace(self._settings)

    def update(self, **changes) -> Settings:
        """Change some settings; a new paging mode restarts its page count."""
        with self._lock:
            if "paging_mode" in changes:
                changes["pages_served"] = 0
            self._settings = dataclasses.replace(self._settings, **changes)
            if "devices" in changes or "org_devices" in changes:
                self._rebuild_sources()
            return dataclasses.replace(self._settings)

    def _rebuild_sources(self):
        self._sources = {"own": own_devices(self._settings.devices),
                         "org": org_devices(self._settings.org_devices)}

    def clock_offset(self) -> float:
        return self._settings.clock_offset  # one attribute read: atomic under the GIL

    def take_warning(self) -> Optional[str]:
        """The X-R3-Warning text for this API answer, if one is pending."""
        with self._lock:
            if self._settings.warning_count <= 0:
                return None
            self._settings.warning_count -= 1
            return self._settings.warning

    def paging_step(self) -> Tuple[Optional[str], int]:
        """(paging mode, devices pages answered before this one in that mode)."""
        with self._lock:
            served = self._settings.pages_served
            self._settings.pages_served += 1
            return self._settings.paging_mode, served

    def devices(self, source: str) -> DeviceSource:
        with self._lock:
            return self._sources[source]

    def find_service(self, service_id: str) -> Optional[dict]:
        with self._lock:
            sources = list(self._sources.values())
        return next((service for source in sources
                     if (service := source.find_service(service_id)) is not None), None)

    # Faults

    def add_fault(self, fault: Fault, count: Optional[int]) -> int:
        """Queue ``fault`` for the next ``count`` matching requests (None: every one);
        returns the pending total (not counting faults that are always served)."""
        with self._lock:
            self._faults.append([fault, count])
            return self._pending()

    def _pending(self) -> int:
        return sum(remaining for _, remaining in self._faults if remaining is not None)

    def clear_faults(self) -> int:
        """Drop every pending fault; returns how many were pending (finite counts)."""
        with self._lock:
            pending = self._pending()
            self._faults.clear()
            return pending

    def take_fault(self, keys: frozenset = frozenset()) -> Optional[Fault]:
        """The first pending fault that applies to a request with ``keys`` (counted as served)."""
        with self._lock:
            for position, entry in enumerate(self._faults):
                if entry[0].match <= keys:
                    break
            else:
                return None
            if entry[1] is not None:
                entry[1] -= 1
                if entry[1] == 0:
                    self._faults.pop(position)
            self._counters["faults_served"] += 1
            return entry[0]

    def open_connection(self, service_id: str, reverse_proxy: bool, now: float) -> dict:
        """Create a live connection to a service; port proxies get a port no other has."""
        with self._lock:
            if reverse_proxy:
                label = "".join(random.choices(string.ascii_lowercase + string.digits, k=6))
                host, port = f"{label}.p18.rt3.io", None
                url = f"https://{host}"
            else:
                used = {connection["port"] for connection in self._connections.values()}
                free = [port for port in PROXY_PORTS if port not in used]
                if not free:
                    raise GraphQLError("no free proxy port")
                host, port = f"proxy{random.randint(10, 99)}.rt3.io", random.choice(free)
                url = f"tcp://{host}:{port}"
            created = datetime.datetime.fromtimestamp(now, datetime.timezone.utc)
            connection = {
                "id": str(uuid.uuid4()),
                "host": host,
                "port": port,
                "reverseProxy": reverse_proxy,
                "url": url,
                "created": created.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "timeout": CONNECTION_TIMEOUT_MINUTES,
                "serviceId": service_id,
            }
            self._connections[connection["id"]] = connection
            return connection

    def close_connection(self, connection_id: str) -> bool:
        with self._lock:
            return self._connections.pop(connection_id, None) is not None


# --------------------------------------------------------------------------------------------
# The application: routing, the API endpoint, faults and control endpoints


class Log:
    """Level 0: nothing; 1: errors (the default); 2: also one line per request."""

    def __init__(self, level: int):
        self.level = level

    def error(self, message: str):
        if self.level >= 1:
            print(f"api_double: {message}", file=sys.stderr, flush=True)

    def request(self, message: str):
        if self.level >= 2:
            print(f"api_double: {message}", file=sys.stderr, flush=True)


REST_BASE = "/apv/v27/"
MAX_REST_DEVICES = 10_000


_CAVAGE_SIGNATURE = re.compile(r'(?:^|[\s,])signature\s*=\s*"([^"]*)"', re.IGNORECASE)
_RFC9421_SIGNATURE = re.compile(r'=\s*:([A-Za-z0-9+/=]*):')


def signature_value(request: Request) -> Optional[str]:
    """The base64 signature a request carries (draft-cavage: the ``signature`` parameter of its
    Authorization or Signature header; RFC 9421: the first byte sequence of its Signature
    header), or None."""
    for header in ("authorization", "signature"):
        value = request.header(header)
        match = value and (_CAVAGE_SIGNATURE.search(value) or _RFC9421_SIGNATURE.search(value))
        if match:
            return match.group(1)
    return None


def request_keys(request: Request, rest: bool) -> frozenset:
    """The keys under which a request's attempts are counted and faults match it.

    REST: ``kind:rest`` and ``path:<path>``. GraphQL: ``kind:query`` or ``kind:mutation``,
    ``op:<operation name>`` when the operation has one, and ``field:<name>`` for each root field
    (``field:connect``, ``field:login``); a body that is not a GraphQL request: ``kind:invalid``.
    """
    if rest:
        return frozenset({"kind:rest", f"path:{request.path}"})
    try:
        payload = json.loads(request.body.decode("utf-8"))
        operations = _Parser(payload["query"]).document()
        request.parsed = (payload["query"], operations)
        name = payload.get("operationName")
        if name is not None:
            operation = next(op for op in operations if op.name == name)
        elif len(operations) == 1:
            operation = operations[0]
        else:
            return frozenset({"kind:invalid"})
    except Exception:  # anything unparsable, however odd: a key, never an error
        return frozenset({"kind:invalid"})
    keys = {f"kind:{operation.kind}"} | {f"field:{field.name}" for field in operation.selections}
    if operation.name:
        keys.add(f"op:{operation.name}")
    return frozenset(keys)


def _request_signature(request: Request) -> bytes:
    """The raw signature bytes the request carried (either scheme), or 32 zero bytes."""
    try:
        if request.header("signature-input") is not None:
            for value, _, _ in _StructuredFields(request.header("signature") or "").dictionary().values():
                if isinstance(value, bytes):
                    return value
        match = re.search(r'signature="([^"]*)"', request.header("authorization") or request.header("signature") or "")
        if match:
            return base64.b64decode(match.group(1), validate=True)
    except (ValueError, binascii.Error):
        pass
    return bytes(32)


def signature_forms(request: Request) -> Tuple[str, str, str]:
    """The request's signature as standard base64, URL-safe base64 (no padding), and standard
    base64 split by spaces every 8 characters: the shapes a redactor must recognise."""
    raw = _request_signature(request)
    standard = base64.b64encode(raw).decode()
    urlsafe = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    spaced = " ".join(standard[i:i + 8] for i in range(0, len(standard), 8))
    return standard, urlsafe, spaced


_FILLER = b"a" * 65536


def _status_line(status: int) -> str:
    return f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}"


def _huge_body_writer(status: int, size: int, framing: str):
    """A raw writer sending a JSON body of ``size`` bytes in 64 KiB pieces (never all in
    memory), framed by Content-Length ("length"), chunked encoding or the connection's close."""
    if 200 <= status < 300:
        prefix, suffix = b'{"data": {"login": {"email": "', b'"}}}'
    else:
        prefix, suffix = b'{"message": "', b'"}'
    size = max(size, len(prefix) + len(suffix))

    def pieces():
        yield prefix
        remaining = size - len(prefix) - len(suffix)
        while remaining:
            piece = _FILLER[:min(remaining, len(_FILLER))]
            remaining -= len(piece)
            yield piece
        yield suffix

    def write(sock, date: str) -> str:
        lines = [_status_line(status), f"Date: {date}", "Server: remoteit-api-double",
                 "Content-Type: application/json"]
        lines.append({"length": f"Content-Length: {size}", "chunked": "Transfer-Encoding: chunked",
                      "close": "Connection: close"}[framing])
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        for piece in pieces():
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if framing == "chunked" else piece)
        if framing == "chunked":
            sock.sendall(b"0\r\n\r\n")
        return "close" if framing == "close" else "keep"

    return write


def _drip_writer(response: Response, interval: float):
    """A raw writer sending ``response`` (then closing) one byte every ``interval`` seconds."""

    def write(sock, date: str) -> str:
        for byte in serialize(response, date, False, False):
            sock.sendall(bytes((byte,)))
            time.sleep(interval)
        return "close"

    return write


def _short_body_hang_writer(response: Response):
    """Content-Length 1000 bytes larger than the body sent; the connection then stays open
    (nothing more is sent) until the client closes it or the idle timeout."""

    def write(sock, date: str) -> str:
        data = serialize(response, date, True, False)
        data = data.replace(f"Content-Length: {len(response.body)}\r\n".encode(),
                            f"Content-Length: {len(response.body) + 1000}\r\n".encode(), 1)
        sock.sendall(data)
        sock.settimeout(IDLE_TIMEOUT_SECONDS)
        try:
            while sock.recv(65536):
                pass
        except OSError:
            pass
        return "close"

    return write


def _two_content_lengths_writer(response: Response):
    """Two Content-Length headers that disagree (the body's length, and 5 more)."""

    def write(sock, date: str) -> str:
        data = serialize(response, date, False, False)
        length = f"Content-Length: {len(response.body)}\r\n"
        sock.sendall(data.replace(length.encode(), (length + f"Content-Length: {len(response.body) + 5}\r\n")
                                  .encode(), 1))
        return "close"

    return write


def _reset_mid_body_writer(size: int):
    """Headers with the full Content-Length, half of a ``size``-byte JSON body, then a TCP RST."""

    def write(sock, date: str) -> str:
        prefix, suffix = b'{"data": {"login": {"email": "', b'"}}}'
        body = prefix + b"a" * max(0, size - len(prefix) - len(suffix)) + suffix
        data = serialize(Response(200, body), date, True, False)
        sock.sendall(data[:len(data) - len(body) // 2])
        time.sleep(0.05)  # let the bytes leave before the reset discards what is still queued
        return "reset"

    return write


class SignatureLog:
    """Appends every signature header the double receives, and the signature it carries, to a
    file, one ``NAME<TAB>VALUE`` line each (``authorization``, ``signature``,
    ``signature-input``, and ``value`` for the signature as standard base64): what the secrets
    scan (tests/secrets_scan.py) looks for in the tests' transcripts."""

    HEADERS = ("authorization", "signature", "signature-input")

    def __init__(self, path: str):
        self._file = open(path, "a", encoding="utf-8")
        self._lock = threading.Lock()

    def record(self, request: Request):
        lines = [f"{name}\t{value}" for name in self.HEADERS for value in request.header_values(name)]
        if not lines:
            return
        raw = _request_signature(request)
        if raw != bytes(32):
            lines.append(f"value\t{base64.b64encode(raw).decode()}")
        text = "".join(line.replace("\n", " ") + "\n" for line in lines)
        with self._lock:
            self._file.write(text)
            self._file.flush()


def signature_log_path(option: Optional[str]) -> Optional[str]:
    """Where to record signatures: ``--record-signatures``, else a file of this process in
    ``$REMOTEIT_TEST_TRANSCRIPT`` (set by scripts/test.sh), else nowhere."""
    if option:
        return option
    folder = os.environ.get("REMOTEIT_TEST_TRANSCRIPT")
    if folder and os.path.isdir(folder):
        return os.path.join(folder, f"double-signatures.{os.getpid()}.txt")
    return None


class ApiDouble:
    """Turns each Request into a Response; knows nothing about sockets."""

    def __init__(self, verifier: Verifier, api_path: str, clock, log: Log, state: Optional[State] = None,
                 developer_keys: Optional[dict] = None, signature_log: Optional[SignatureLog] = None):
        self.signature_log = signature_log
        self.verifier = verifier
        self.api_path = api_path
        self.clock = clock
        self.log = log
        self.state = state or State()
        self.developer_keys = developer_keys or {}  # access key id -> {R3_DEVELOPER_API_KEY, ...}
        self._control_routes = {
            ("GET", "/_control/health"): lambda request: Response(200, b"ok", "text/plain"),
            ("GET", "/_control/stats"): lambda request: json_response(200, self.state.stats()),
            ("GET", "/_control/attempts"): self._control_attempts,
            ("POST", "/_control/reset"): self._control_reset,
            ("POST", "/_control/fault"): self._control_add_fault,
            ("DELETE", "/_control/fault"): lambda request: json_response(
                200, {"cleared": self.state.clear_faults(), "pending_faults": 0}),
            ("GET", "/_control/clock"): self._control_clock,
            ("POST", "/_control/clock"): self._control_clock,
            ("GET", "/_control/keepalive"): self._control_keepalive,
            ("POST", "/_control/keepalive"): self._control_keepalive,
            ("POST", "/_control/warning"): self._control_warning,
            ("DELETE", "/_control/warning"): self._control_warning,
            ("GET", "/_control/fixture"): self._control_fixture,
            ("POST", "/_control/fixture"): self._control_fixture,
            ("GET", "/_control/paging"): self._control_paging,
            ("POST", "/_control/paging"): self._control_paging,
            ("DELETE", "/_control/paging"): self._control_paging,
        }

    def handle(self, request: Request) -> Response:
        if self.signature_log is not None:
            self.signature_log.record(request)
        if request.path == self.api_path:
            return self._api(request, rest=False)
        if request.path.startswith(REST_BASE):
            return self._api(request, rest=True)
        if request.path.startswith("/_control/"):
            return self._control(request)
        return json_response(404, {"message": f"no such path: {request.path}"})

    def _api(self, request: Request, rest: bool) -> Response:
        self.state.count("requests")
        keys = request_keys(request, rest)
        self.state.count_attempt(keys)
        self.state.saw_request(request.header("user-agent"), signature_value(request))
        response = None
        try:
            key_id = self.verifier.verify(request)
        except AuthError as error:
            self.log.error(f"401 {request.method} {request.target}: {error}")
            response = self._unauthorized(str(error))
        else:
            self.state.count("verified")
            fault = self.state.take_fault(keys)
            if fault is not None:
                time.sleep(fault.delay_seconds)
                if fault.kind != "slow":
                    self.log.request(f"fault {fault.kind} for {request.method} {request.target}")
                    response = self._fault_response(fault, request, key_id, rest)
            if response is None:
                response = self._answer(request, key_id, rest)
        warning = self.state.take_warning()
        if warning is not None and response.raw is None:
            response.headers.append(("X-R3-Warning", warning))
        return response

    def _answer(self, request: Request, key_id: str, rest: bool) -> Response:
        return self._rest(request, key_id) if rest else self._graphql(request, key_id)

    def _unauthorized(self, message: str, date_offset: float = 0.0) -> Response:
        self.state.count("rejected")
        return json_response(401, {"message": message}, date_offset=date_offset, headers=[
            ("WWW-Authenticate", 'Signature realm="remote.it",headers="(request-target) host date"')])

    def _same_url(self, request: Request) -> str:
        return f"{self.verifier.scheme}://{request.header('host') or 'localhost'}{request.target}"

    def _fault_response(self, fault: Fault, request: Request, key_id: str, rest: bool) -> Response:
        kind = fault.kind
        retry_after = [] if fault.retry_after is None else [("Retry-After", str(fault.retry_after))]
        if kind == "401":
            return self._unauthorized("invalid signature", date_offset=-3600)
        if kind == "429":
            return json_response(429, {"message": "rate limited"}, headers=retry_after)
        if kind in _STATUS_FAULTS:
            return json_response(int(kind), {"message": _STATUS_FAULTS[kind]}, headers=retry_after)
        if kind == "429_huge_retry_after":
            return json_response(429, {"message": "rate limited"}, headers=[("Retry-After", "9" * fault.size)])
        if kind == "429_control_retry_after":
            return json_response(429, {"message": "rate limited"}, headers=[
                ("Retry-After", "7\x1b[31m\x07\x08\x7f " + signature_forms(request)[0])])
        if kind == "malformed_json":
            return Response(200, b'{"data": {"connect": ')
        if kind == "non_json":
            return Response(200, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")
        if kind in ("redirect", "redirect_301", "redirect_307"):
            status = {"redirect": 302, "redirect_301": 301, "redirect_307": 307}[kind]
            return json_response(status, {"message": "moved"},
                                 headers=[("Location", fault.location or self._same_url(request))])
        if kind == "graphql_error":
            return json_response(200, {"data": None, "errors": [
                {"message": "simulated error 1 of 2"}, {"message": "simulated error 2 of 2"}]})
        if kind == "truncated":
            return json_response(200, {"data": {"login": {"email": FIXTURE["account"]["email"]}}},
                                 abort="truncate")
        if kind == "deep_errors":
            body = '{"data": null, "errors": ' + "[" * fault.depth + '{"message": "deep"}' + "]" * fault.depth + "}"
            return Response(200, body.encode())
        if kind == "deep_data":
            body = '{"data": ' + '{"a": ' * fault.depth + "1" + "}" * fault.depth + "}"
            return Response(200, body.encode())
        if kind in ("huge_body", "huge_body_close", "huge_body_chunked", "huge_error"):
            framing = {"huge_body_close": "close", "huge_body_chunked": "chunked"}.get(kind, "length")
            status = fault.status or (503 if kind == "huge_error" else 200)
            return Response(status, raw=_huge_body_writer(status, fault.size, framing))
        if kind == "reset_mid_body":
            return Response(200, raw=_reset_mid_body_writer(fault.size))
        if kind == "invalid_utf8":
            return Response(200, b'{"data": {"login": {"email": "demo\xff\xfe\xc3(@example.com"}}}')
        if kind == "signature_in_body":
            standard, urlsafe, spaced = signature_forms(request)
            text = (f"upstream rejected the request\nAuthorization: Signature keyId=\"{key_id}\",signature=\"{standard}\"\n"
                    f"Signature: sig1=:{standard}:\nurl-safe: {urlsafe}\nspaced: {spaced}\n")
            return Response(200, text.encode(), "text/plain")
        if kind == "signature_in_error_path":
            standard, urlsafe, spaced = signature_forms(request)
            return json_response(200, {"data": None, "errors": [
                {"message": "simulated field error", "path": ["login", standard, urlsafe, spaced]}]})
        normal = self._answer(request, key_id, rest)
        if kind == "huge_header":
            normal.headers.append(("X-Filler", "a" * fault.size))
            return normal
        if kind == "continue_100":
            normal.informational = b"HTTP/1.1 100 Continue\r\n\r\n"
            return normal
        if kind == "early_hints_103":
            normal.informational = b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
            return normal
        if kind == "drip":
            return Response(normal.status, raw=_drip_writer(normal, fault.interval_seconds))
        if kind == "short_body_hang":
            return Response(normal.status, raw=_short_body_hang_writer(normal))
        if kind == "two_content_lengths":
            return Response(normal.status, raw=_two_content_lengths_writer(normal))
        return Response(0, abort="reset")  # kind == "reset": no answer at all

    def _graphql(self, request: Request, key_id: str) -> Response:
        if request.method != "POST":
            return json_response(405, {"message": "use POST"}, headers=[("Allow", "POST")])
        content_type = (request.header("content-type") or "").partition(";")[0].strip().lower()
        if content_type != "application/json":
            return json_response(415, {"message": "Content-Type must be application/json"})
        try:
            payload = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return json_response(400, {"errors": [{"message": "the request body is not valid JSON"}]})
        if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
            return json_response(400, {"errors": [{"message": 'the body must be a JSON object with a string "query"'}]})
        variables = payload.get("variables")
        operation_name = payload.get("operationName")
        if not isinstance(variables, (dict, type(None))) or not isinstance(operation_name, (str, type(None))):
            return json_response(400, {"errors": [{"message": '"variables" must be an object and '
                                                              '"operationName" a string'}]})
        context = ExecutionContext(self.state, self.clock, key_id)
        parsed = request.parsed[1] if request.parsed and request.parsed[0] == payload["query"] else None
        status, result = execute_graphql(payload["query"], variables or {}, operation_name, context, parsed)
        return json_response(status, result)

    # REST (the older API): same signatures, plus the developer key

    def _rest(self, request: Request, key_id: str) -> Response:
        given = request.header("developerkey")
        if given is None:
            return _rest_failure(200, "missing DeveloperKey header", "MISSING_DEVELOPER_KEY")
        if not any(hmac.compare_digest(given.encode("latin-1"), known.encode("latin-1"))
                   for known in self.developer_keys.get(key_id, ())):
            return _rest_failure(200, "invalid developer key for this access key", "INVALID_DEVELOPER_KEY")
        routes = {"/apv/v27/user/info": self._rest_user_info, "/apv/v27/device/list/all": self._rest_device_list}
        route = routes.get(request.path)
        if route is None:
            return _rest_failure(404, f"no such REST endpoint: {request.path[:200]}", "NOT_FOUND")
        if request.method != "GET":
            return _rest_failure(405, f"use GET on {request.path}", "METHOD_NOT_ALLOWED", headers=[("Allow", "GET")])
        return json_response(200, route())

    def _rest_user_info(self) -> dict:
        account = FIXTURE["account"]
        return {"status": "true", "id": account["id"], "email": account["email"], "username": account["email"],
                "devicecount": len(self.state.devices("own"))}

    def _rest_device_list(self) -> dict:
        source = self.state.devices("own")
        entries = []
        for index in range(min(len(source), MAX_REST_DEVICES)):
            device = source.device(index)
            entries.append({"deviceaddress": device["id"], "devicealias": device["name"],
                            "devicestate": device["state"], "servicetitle": "Bulk Service"})
            entries += [{"deviceaddress": service["id"], "devicealias": service["name"],
                         "devicestate": device["state"], "servicetitle": service["name"],
                         "devicetype": str(service["application"]), "port": service["port"],
                         "parentaddress": device["id"]} for service in device["services"]]
        return {"status": "true", "devices": entries}

    # Control endpoints

    def _control(self, request: Request) -> Response:
        route = self._control_routes.get((request.method, request.path))
        if route is not None:
            return route(request)
        if any(path == request.path for _, path in self._control_routes):
            return json_response(405, {"message": f"{request.method} is not allowed on {request.path}"})
        return json_response(404, {"message": f"no such control endpoint: {request.path}"})

    def _control_reset(self, request: Request) -> Response:
        options = _json_object(request.body)
        if options is None or set(options) - {"connections", "settings"}:
            return json_response(400, {"message": 'the body must be empty or {"connections": true|false, '
                                                  '"settings": true|false}'})
        self.state.reset(connections=options.get("connections") is True, settings=options.get("settings") is True)
        return json_response(200, self.state.stats())

    def _control_attempts(self, request: Request) -> Response:
        query = urllib.parse.parse_qs(request.query)
        if set(query) - {"key"}:
            return json_response(400, {"message": "the only parameter is key"})
        if "key" in query:
            key = query["key"][0]
            return json_response(200, {"key": key, "attempts": self.state.attempts(key)})
        return json_response(200, {"total": self.state.stats()["requests"], "keys": self.state.attempts()})

    def _control_clock(self, request: Request) -> Response:
        if request.method == "POST":
            options = _json_object(request.body)
            offset = (options or {}).get("offset")
            if options is None or set(options) != {"offset"} or not _is_number(offset) or abs(offset) > 10 ** 9:
                return json_response(400, {"message": 'the body must be {"offset": seconds} (a number, '
                                                      'positive: the double runs ahead)'})
            self.state.update(clock_offset=float(offset))
        return json_response(200, {"offset": self.state.clock_offset(), "time": self.clock()})

    def _control_keepalive(self, request: Request) -> Response:
        if request.method == "POST":
            options = _json_object(request.body)
            close_after = (options or {}).get("close_after")
            delay_ms = (options or {}).get("delay_ms", 0)
            if options is None or set(options) - {"close_after", "delay_ms"} or not _is_natural(close_after) \
                    or not _is_natural(delay_ms) or delay_ms > 60_000:
                return json_response(400, {"message": 'the body must be {"close_after": N, "delay_ms": D}: '
                                                      "N >= 0 (0: never close), 0 <= D <= 60000"})
            self.state.update(close_after=close_after, close_delay_seconds=delay_ms / 1000)
        settings = self.state.settings()
        return json_response(200, {"close_after": settings.close_after,
                                   "delay_ms": round(settings.close_delay_seconds * 1000)})

    def _control_warning(self, request: Request) -> Response:
        if request.method == "DELETE":
            self.state.update(warning=None, warning_count=0)
            return json_response(200, {"text": None, "remaining": 0})
        options = _json_object(request.body)
        text = (options or {}).get("text")
        count = (options or {}).get("count", 1)
        if options is None or set(options) - {"text", "count"} or not isinstance(text, str) \
                or not _is_natural(count) or count == 0:
            return json_response(400, {"message": 'the body must be {"text": T, "count": N>=1}'})
        if any(char in text for char in "\r\n\0") or len(text) > 65536 or not all(ord(c) < 256 for c in text):
            return json_response(400, {"message": "text must be Latin-1, at most 65536 characters, "
                                                  "without CR, LF or NUL"})
        self.state.update(warning=text, warning_count=count)
        return json_response(200, {"text": text, "remaining": count})

    def _control_fixture(self, request: Request) -> Response:
        if request.method == "POST":
            options = _json_object(request.body)
            changes = dict(options or {})
            valid = options is not None and not set(changes) - {"devices", "org_devices"} and all(
                (value is None and name == "devices") or (_is_natural(value) and value <= MAX_GENERATED_DEVICES)
                for name, value in changes.items())
            if not valid:
                return json_response(400, {"message": '{"devices": N or null (the small fixture), '
                                                      f'"org_devices": M}}, each at most {MAX_GENERATED_DEVICES}'})
            self.state.update(**changes)
        settings = self.state.settings()
        return json_response(200, {"devices": settings.devices, "org_devices": settings.org_devices,
                                   "own_total": len(self.state.devices("own")), "org_account": ORG_ACCOUNT["id"]})

    def _control_paging(self, request: Request) -> Response:
        if request.method == "DELETE":
            self.state.update(paging_mode=None)
        elif request.method == "POST":
            options = _json_object(request.body)
            mode = (options or {}).get("mode")
            if options is None or set(options) != {"mode"} or (mode is not None and mode not in PAGING_MODES):
                return json_response(400, {"message": f'the body must be {{"mode": M}}, M one of '
                                                      f'{", ".join(PAGING_MODES)} or null'})
            self.state.update(paging_mode=mode)
        return json_response(200, {"mode": self.state.settings().paging_mode})

    def _control_add_fault(self, request: Request) -> Response:
        options = _json_object(request.body)
        if options is None:
            return json_response(400, {"message": "the body must be a JSON object"})
        message = _fault_options_error(options)
        if message is not None:
            return json_response(400, {"message": message})
        kind = options["kind"]
        match = set()
        if "key" in options:
            match.add(options["key"])
        if "on" in options:
            match.add(f"kind:{options['on']}")
        fault = Fault(
            kind,
            delay_seconds=options.get("delay_ms", 5000 if kind == "slow" else 0) / 1000,
            retry_after=options.get("retry_after", 7 if kind == "429" else None),
            status=options.get("status"),
            size=options.get("size", _DEFAULT_SIZES.get(kind, 0)),
            depth=options.get("depth", 200),
            interval_seconds=options.get("interval_ms", 100) / 1000,
            location=options.get("location"),
            match=frozenset(match),
        )
        count = None if options.get("always") is True else options.get("count", 1)
        pending = self.state.add_fault(fault, count)
        return json_response(200, {"pending_faults": pending})


_STATUS_FAULTS = {"500": "internal error", "502": "bad gateway", "503": "service unavailable",
                  "504": "gateway timeout"}
_DEFAULT_SIZES = {"huge_body": 20 * 1024 * 1024, "huge_body_close": 20 * 1024 * 1024,
                  "huge_body_chunked": 20 * 1024 * 1024, "huge_error": 20 * 1024 * 1024,
                  "huge_header": 1024 * 1024, "reset_mid_body": 65536, "429_huge_retry_after": 4096}
_FAULT_OPTIONS = {"kind", "count", "always", "delay_ms", "retry_after", "key", "on", "status", "size", "depth",
                  "interval_ms", "location"}
MAX_FAULT_SIZE = 1024 * 1024 * 1024


def _fault_options_error(options: dict) -> Optional[str]:
    """Why a POST /_control/fault body is not acceptable, or None."""
    unknown = set(options) - _FAULT_OPTIONS
    kind = options.get("kind")
    retry_after = options.get("retry_after", 7)
    if unknown:
        return f"unknown fields: {', '.join(sorted(unknown))}"
    if kind not in FAULT_KINDS:
        return f"kind must be one of {', '.join(FAULT_KINDS)}"
    if not _is_natural(options.get("count", 1)) or options.get("count", 1) == 0:
        return "count must be a positive integer"
    if "count" in options and "always" in options:
        return "give count or always, not both"
    if options.get("always", True) is not True:
        return "always must be true"
    if not _is_natural(options.get("delay_ms", 0)):
        return "delay_ms and retry_after must be non-negative integers"
    if isinstance(retry_after, str):
        if any(char in retry_after for char in "\r\n\0") or len(retry_after) > 1024 * 1024 \
                or not all(ord(c) < 256 for c in retry_after):
            return "a retry_after text must be Latin-1, at most 1 MiB, without CR, LF or NUL"
    elif not _is_natural(retry_after):
        return "delay_ms and retry_after must be non-negative integers"
    if "key" in options and not isinstance(options["key"], str):
        return "key must be a string such as field:connect, op:Name, kind:query or path:/apv/v27/user/info"
    if options.get("on", "query") not in ("query", "mutation", "rest"):
        return 'on must be "query", "mutation" or "rest"'
    status = options.get("status", 200)
    if not _is_natural(status) or status not in http.HTTPStatus._value2member_map_ or status < 200:
        return "status must be a known HTTP status code of 200 or more"
    if not _is_natural(options.get("size", 0)) or options.get("size", 0) > MAX_FAULT_SIZE:
        return f"size must be an integer from 0 to {MAX_FAULT_SIZE}"
    if not _is_natural(options.get("depth", 1)) or not 1 <= options.get("depth", 1) <= 100_000:
        return "depth must be an integer from 1 to 100000"
    if not _is_natural(options.get("interval_ms", 0)) or options.get("interval_ms", 0) > 60_000:
        return "interval_ms must be an integer from 0 to 60000"
    location = options.get("location", "")
    if not isinstance(location, str) or any(char in location for char in "\r\n\0") \
            or not all(ord(c) < 256 for c in location):
        return "location must be a Latin-1 string without CR, LF or NUL"
    return None


def _rest_failure(status: int, reason: str, code: str, **kwargs) -> Response:
    """A REST failure as the real API reports it: ``{"status": "false", "reason", "code"}``."""
    return json_response(status, {"status": "false", "reason": reason, "code": code}, **kwargs)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


def _json_object(body: bytes) -> Optional[dict]:
    """The body as a JSON object ({} when empty), or None when it is not one."""
    if not body.strip():
        return {}
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _is_natural(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


# --------------------------------------------------------------------------------------------
# The server: one thread per connection, HTTP/1.1 keep-alive, optional TLS

_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


class _CloseAbruptly(Exception):
    """The keep-alive mode closes this connection now, without draining it."""


class _ConnectionHandler(socketserver.BaseRequestHandler):
    """Serves every request of one TCP connection, then closes it."""

    def handle(self):
        server = self.server
        server.app.state.count("connections")
        sock = self.request
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(IDLE_TIMEOUT_SECONDS)
        peer = "%s:%s" % self.client_address[:2]
        reset = abrupt = False
        try:
            if server.tls_context is not None:
                sock = server.tls_context.wrap_socket(sock, server_side=True)
            reset = self._serve(sock, peer)
        except _CloseAbruptly:
            abrupt = True
        except (socket.timeout, ConnectionError):
            pass  # an idle or vanished client is not an error
        except OSError as error:  # ssl.SSLError included: e.g. the client refused the certificate
            server.log.error(f"{peer}: {error}")
        finally:
            if reset:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            elif not abrupt:
                _shut_down_gently(sock)
            sock.close()

    def _serve(self, sock, peer: str) -> bool:
        """Answer requests until the connection should close; True to close it with a reset."""
        server = self.server
        reader = sock.makefile("rb")
        answers = 0
        try:
            while True:
                try:
                    request = read_request(reader, lambda: sock.sendall(_CONTINUE))
                except HttpError as error:
                    server.log.error(f"{peer}: {error.status} {error}")
                    response = json_response(error.status, {"message": str(error)})
                    sock.sendall(serialize(response, http_date(server.clock()), False, False))
                    return False
                if request is None:
                    return False
                started = time.monotonic()
                response = self._respond(request, peer)
                if response.abort == "reset":
                    return True
                date = http_date(server.clock() + response.date_offset)
                if response.raw is not None:
                    outcome = response.raw(sock, date)
                    server.log.request(f'{peer} "{request.method} {request.target}" {response.status} '
                                       f"(raw, {outcome}) {1000 * (time.monotonic() - started):.1f} ms")
                    if outcome == "reset":
                        return True
                    keep_alive = outcome == "keep" and request.keep_alive
                else:
                    keep_alive = request.keep_alive and not response.close and response.abort is None
                    data = serialize(response, date, keep_alive, request.version == "HTTP/1.0")
                    if response.abort == "truncate":
                        data = data[:len(data) - len(response.body) // 2]
                    # one send: a second small one would meet the client's delayed ACK
                    sock.sendall(response.informational + data)
                    server.log.request(f'{peer} "{request.method} {request.target}" {response.status} '
                                       f"{len(response.body)} B {1000 * (time.monotonic() - started):.1f} ms")
                if not keep_alive:
                    return False
                answers += 1
                settings = server.app.state.settings()
                if settings.close_after and answers >= settings.close_after:
                    # Close a connection the client believes kept alive (no "Connection: close"),
                    # as servers and middleboxes do; unread request bytes turn it into a reset.
                    time.sleep(settings.close_delay_seconds)
                    raise _CloseAbruptly
        finally:
            reader.close()

    def _respond(self, request: Request, peer: str) -> Response:
        try:
            return self.server.app.handle(request)
        except Exception as error:  # a bug in the double: answer 500, keep serving others
            self.server.log.error(f"{peer}: internal error on {request.method} {request.target}: {error!r}")
            if self.server.log.level >= 2:
                traceback.print_exc()
            return json_response(500, {"message": f"internal error in the API double: {error!r}"}, close=True)


def _shut_down_gently(sock):
    """Send FIN, then drain what the client still sends, so that unread request bytes do not
    turn the close into a reset that could destroy the last response in flight."""
    deadline = time.monotonic() + 1
    try:
        sock.shutdown(socket.SHUT_WR)
        while time.monotonic() < deadline:
            sock.settimeout(max(deadline - time.monotonic(), 0.001))
            if not sock.recv(65536):
                break
    except OSError:
        pass


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True  # idle keep-alive connections must not delay the exit
    allow_reuse_address = True
    # socketserver's default listen backlog is 5: 50 clients connecting at the same instant
    # (the async tests, make stress) had some of their new connections reset. Servers use hundreds.
    request_queue_size = 128

    def __init__(self, address, app: ApiDouble, tls_context: Optional[ssl.SSLContext], clock, log: Log):
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.app = app
        self.tls_context = tls_context
        self.clock = clock
        self.log = log
        super().__init__(address, _ConnectionHandler)

    def shutdown_request(self, request):
        request.close()  # the handler has already shut the connection down its own way

    def handle_error(self, request, client_address):
        self.log.error(f"{client_address}: unexpected error: {sys.exc_info()[1]!r}")


# --------------------------------------------------------------------------------------------
# Command line


def _parse_args(argv):
    parser = argparse.ArgumentParser(
        description="A local double of the Remote.It GraphQL API: verifies HTTP signatures and "
                    "answers connect, disconnect and login queries (devices, organisation account) "
                    "from a fixture, and the REST user/info and device/list/all with the developer key.",
        epilog=CONTROL_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default 0: a free one)")
    parser.add_argument("--credentials", required=True, metavar="PATH",
                        help="INI credentials file: every section with R3_ACCESS_KEY_ID and "
                             "R3_SECRET_ACCESS_KEY is an accepted key")
    parser.add_argument("--max-skew", type=float, default=300, metavar="SECONDS",
                        help="accepted distance between a request's Date and the server clock (default 300)")
    parser.add_argument("--skew-offset", type=float, default=0, metavar="SECONDS",
                        help="pretend the server clock is off by this much (default 0; "
                             "changeable at run time: POST /_control/clock)")
    parser.add_argument("--tls-cert", metavar="PEM", help="serve HTTPS with this certificate chain")
    parser.add_argument("--tls-key", metavar="PEM", help="the private key of --tls-cert")
    parser.add_argument("--path", default="/graphql/v1", help="the API path (default /graphql/v1)")
    parser.add_argument("--url-file", metavar="PATH", help="also write the API URL to this file (atomically)")
    parser.add_argument("--devices", type=int, metavar="N",
                        help="serve N generated devices (ids 80:00:00:00:02:xx:xx:xx) instead of the small "
                             f"fixture; 0 to {MAX_GENERATED_DEVICES}")
    parser.add_argument("--org-devices", type=int, default=DEFAULT_ORG_DEVICES, metavar="M",
                        help=f"devices of the organisation account {ORG_ACCOUNT['id']} "
                             f"(ids 80:00:00:00:04:xx:xx:xx; default {DEFAULT_ORG_DEVICES})")
    parser.add_argument("--record-signatures", metavar="PATH",
                        help="append every signature header received, and its signature, to PATH "
                             "(default: a file in $REMOTEIT_TEST_TRANSCRIPT when that is a folder)")
    parser.add_argument("--exit-with-parent", action="store_true",
                        help="stop when the process that started this one ends (for test runners "
                             "that may be killed before they can stop it)")
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("--verbose", action="store_true", help="log one line per request to stderr")
    verbosity.add_argument("--quiet", action="store_true", help="log nothing, not even errors")
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    if not args.path.startswith("/"):
        parser.error("--path must start with /")
    for name, value in (("--devices", args.devices), ("--org-devices", args.org_devices)):
        if value is not None and not 0 <= value <= MAX_GENERATED_DEVICES:
            parser.error(f"{name} must be from 0 to {MAX_GENERATED_DEVICES}")
    return args


def _write_atomically(path: str, text: str):
    """Write a temporary file beside ``path`` and rename it, so readers see all or nothing."""
    fd, temporary = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), prefix=".api-double-")
    with os.fdopen(fd, "w") as file:
        file.write(text)
    os.replace(temporary, path)


def _stop_when_orphaned(server, parent: int):
    """Shuts ``server`` down once the process ``parent`` is no longer this one's parent (it
    ended, and this process was re-parented)."""

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        server.shutdown()

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main(argv=None) -> int:
    parent = os.getppid()  # first thing, before the parent has had time to go
    args = _parse_args(argv)
    log = Log(0 if args.quiet else 2 if args.verbose else 1)
    try:
        keys = load_keys(args.credentials)
        developer_keys = load_developer_keys(args.credentials)
    except CredentialsError as error:
        print(f"api_double: error: {error}", file=sys.stderr)
        return 2
    tls_context = None
    if args.tls_cert:
        tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls_context.set_alpn_protocols(["http/1.1"])
        try:
            tls_context.load_cert_chain(args.tls_cert, args.tls_key)
        except (OSError, ssl.SSLError) as error:
            print(f"api_double: error: cannot load {args.tls_cert} / {args.tls_key}: {error}", file=sys.stderr)
            return 2
    scheme = "https" if tls_context else "http"

    state = State(Settings(clock_offset=args.skew_offset, devices=args.devices, org_devices=args.org_devices))

    def clock():
        return time.time() + state.clock_offset()

    record_path = signature_log_path(args.record_signatures)
    signature_log = SignatureLog(record_path) if record_path else None
    app = ApiDouble(Verifier(keys, clock, args.max_skew, scheme), args.path, clock, log, state, developer_keys,
                    signature_log)
    try:
        server = Server((args.host, args.port), app, tls_context, clock, log)
    except OSError as error:
        print(f"api_double: error: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 2
    host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"{scheme}://{host}:{server.server_address[1]}{args.path}"

    def stop(signum, frame):
        # shutdown() waits for serve_forever to return, so it cannot run on this (its) thread;
        # raising here instead could be swallowed by socketserver's own "except Exception".
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.exit_with_parent:
        _stop_when_orphaned(server, parent)
    try:
        print(f"listening on {url}", flush=True)
        if args.url_file:
            _write_atomically(args.url_file, url + "\n")
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
