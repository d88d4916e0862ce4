#!/usr/bin/env python3
"""A local double of the Remote.It GraphQL API, for tests and demos.

It checks request signatures the way the real service does (draft-cavage HTTP Signatures and
RFC 9421 HTTP Message Signatures, both HMAC-SHA256), answers part of the GraphQL schema from a
fixed fixture, and can be told to misbehave through unsigned control endpoints. Python standard
library only, and no code shared with libremoteit: it judges the library from the outside.

    tests/api_double.py --credentials examples/demo/credentials [--port 0] [--url-file PATH]

On start it prints one line, ``listening on http://127.0.0.1:PORT/graphql/v1`` (the API URL),
then serves until SIGTERM or SIGINT and exits with code 0.

Accounts: every section of the credentials file that has both R3_ACCESS_KEY_ID and
R3_SECRET_ACCESS_KEY is an accepted key, and every key sees the one fixture account
(email demo@example.com). The fixture (``FIXTURE`` below):

    device 80:00:00:00:01:00:00:01  office-gateway  active
        service 80:00:00:00:01:00:00:11  SSH        tcp    22   -> port proxy
        service 80:00:00:00:01:00:00:12  Web admin  http   80   -> reverse proxy (unless PORT_PROXY)
    device 80:00:00:00:01:00:00:02  lab-pi          active
        service 80:00:00:00:01:00:00:21  SSH        tcp    22   -> port proxy
        service 80:00:00:00:01:00:00:22  VNC        tcp  5900   -> port proxy
    device 80:00:00:00:01:00:00:03  old-nas         inactive
        service 80:00:00:00:01:00:00:31  NAS admin  https 443   -> reverse proxy (unless PORT_PROXY)

GraphQL schema (POST on the API path, body {"query", "variables", "operationName"}):

    type Query    { login: User }
    type Mutation {
      connect(serviceId: String!, hostIP: String! = "255.255.255.255",
              type: ProxyType! = AUTO_PROXY): Connection!
      disconnect(connectionId: String!, serviceId: String): Boolean!
    }
    enum ProxyType { AUTO_PROXY REVERSE_PROXY PORT_PROXY }
    type User       { id: ID! email: String! devices(size: Int = 100, from: Int = 0): DeviceList! }
    type DeviceList { total: Int! hasMore: Boolean! items: [Device!]! }
    type Device     { id: ID! name: String! state: String! created: DateTime! services: [Service!]! }
    type Service    { id: ID! name: String! protocol: String! port: Int! }
    type Connection { id: ID! host: String! port: Int reverseProxy: Boolean! url: String!
                      created: DateTime! timeout: Int! }

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
                {"id": "80:00:00:00:01:00:00:11", "name": "SSH", "protocol": "tcp", "port": 22},
                {"id": "80:00:00:00:01:00:00:12", "name": "Web admin", "protocol": "http", "port": 80},
            ],
        },
        {
            "id": "80:00:00:00:01:00:00:02",
            "name": "lab-pi",
            "state": "active",
            "created": "2023-06-01T17:02:11.000Z",
            "services": [
                {"id": "80:00:00:00:01:00:00:21", "name": "SSH", "protocol": "tcp", "port": 22},
                {"id": "80:00:00:00:01:00:00:22", "name": "VNC", "protocol": "tcp", "port": 5900},
            ],
        },
        {
            "id": "80:00:00:00:01:00:00:03",
            "name": "old-nas",
            "state": "inactive",
            "created": "2021-11-30T08:45:00.000Z",
            "services": [
                {"id": "80:00:00:00:01:00:00:31", "name": "NAS admin", "protocol": "https", "port": 443},
            ],
        },
    ],
}

CONTROL_HELP = """\
control endpoints (unsigned; not counted as API requests):
  GET    /_control/health  200 "ok"
  GET    /_control/stats   {"requests", "verified", "rejected", "connections",
                            "faults_served", "active_connections", "last_user_agent"}
         requests: requests on the API path; verified: their signatures that were accepted;
         rejected: 401 answers (the forced "401" fault too); connections: TCP connections
         accepted; active_connections: live Remote.It connections (connect minus disconnect);
         last_user_agent: the User-Agent of the latest API request (null before any)
  POST   /_control/reset   zero the counters; body {"connections": true} also drops the
                           live Remote.It connections
  POST   /_control/fault   {"kind": K, "count": N=1, "delay_ms": D, "retry_after": S=7}:
                           the next N verified API requests wait D ms (default 5000 for "slow",
                           else 0), then get fault K instead of the normal answer. Kinds:
                           500, 503, 429 (Retry-After: S), malformed_json, non_json, slow (answers
                           normally), reset (TCP RST, no answer), truncated (body shorter than
                           Content-Length), redirect (302 to the same URL), 401 (Date one hour
                           in the past), graphql_error (200 with two errors). Faults queue up.
  DELETE /_control/fault   drop every pending fault
"""

FAULT_KINDS = ("500", "503", "429", "malformed_json", "non_json", "slow", "reset", "truncated",
               "redirect", "401", "graphql_error")
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


def _find_service(service_id: str) -> Optional[dict]:
    for device in FIXTURE["devices"]:
        for service in device["services"]:
            if service["id"] == service_id:
                return service
    return None


def _resolve_login(context, parent, arguments):
    return FIXTURE["account"]


def _resolve_devices(context, account, arguments):
    size = DEFAULT_PAGE_SIZE if arguments["size"] is None else arguments["size"]
    start = 0 if arguments["from"] is None else arguments["from"]
    if not 0 <= size <= MAX_PAGE_SIZE:
        raise GraphQLError(f"size must be between 0 and {MAX_PAGE_SIZE}, got {size}")
    if start < 0:
        raise GraphQLError(f"from must not be negative, got {start}")
    devices = FIXTURE["devices"]
    return {"total": len(devices), "hasMore": start + size < len(devices), "items": devices[start:start + size]}


def _resolve_connect(context, parent, arguments):
    service = _find_service(arguments["serviceId"])
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
        "devices": _field("DeviceList!", _resolve_devices, {"size": ("Int", None), "from": ("Int", None)}),
    },
    "DeviceList": {"total": _field("Int!"), "hasMore": _field("Boolean!"), "items": _field("[Device!]!")},
    "Device": {
        "id": _field("ID!"),
        "name": _field("String!"),
        "state": _field("String!"),
        "created": _field("DateTime!"),
        "services": _field("[Service!]!"),
    },
    "Service": {"id": _field("ID!"), "name": _field("String!"), "protocol": _field("String!"), "port": _field("Int!")},
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
                    context: ExecutionContext) -> Tuple[int, dict]:
    """Run one GraphQL request; returns the HTTP status and the response object."""
    try:
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

Fault = namedtuple("Fault", "kind delay_seconds retry_after")
_COUNTERS = ("requests", "verified", "rejected", "connections", "faults_served")


class State:
    """Everything the connection threads share, behind one lock."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counters = dict.fromkeys(_COUNTERS, 0)
        self._connections = {}
        self._faults = []  # [Fault, remaining count], served first to last
        self._last_user_agent = None

    def count(self, counter: str):
        with self._lock:
            self._counters[counter] += 1

    def stats(self) -> dict:
        with self._lock:
            return dict(self._counters, active_connections=len(self._connections),
                        last_user_agent=self._last_user_agent)

    def saw_user_agent(self, user_agent: Optional[str]):
        with self._lock:
            self._last_user_agent = user_agent

    def reset(self, connections: bool):
        with self._lock:
            self._counters = dict.fromkeys(_COUNTERS, 0)
            if connections:
                self._connections.clear()

    def add_fault(self, fault: Fault, count: int) -> int:
        """Queue ``fault`` for the next ``count`` requests; returns the pending total."""
        with self._lock:
            self._faults.append([fault, count])
            return sum(remaining for _, remaining in self._faults)

    def clear_faults(self) -> int:
        """Drop every pending fault; returns how many were pending."""
        with self._lock:
            pending = sum(remaining for _, remaining in self._faults)
            self._faults.clear()
            return pending

    def take_fault(self) -> Optional[Fault]:
        """The fault for this request, if any is pending (counted as served)."""
        with self._lock:
            if not self._faults:
                return None
            entry = self._faults[0]
            entry[1] -= 1
            if entry[1] == 0:
                self._faults.pop(0)
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


class ApiDouble:
    """Turns each Request into a Response; knows nothing about sockets."""

    def __init__(self, verifier: Verifier, api_path: str, clock, log: Log):
        self.verifier = verifier
        self.api_path = api_path
        self.clock = clock
        self.log = log
        self.state = State()
        self._control_routes = {
            ("GET", "/_control/health"): lambda request: Response(200, b"ok", "text/plain"),
            ("GET", "/_control/stats"): lambda request: json_response(200, self.state.stats()),
            ("POST", "/_control/reset"): self._control_reset,
            ("POST", "/_control/fault"): self._control_add_fault,
            ("DELETE", "/_control/fault"): lambda request: json_response(
                200, {"cleared": self.state.clear_faults(), "pending_faults": 0}),
        }

    def handle(self, request: Request) -> Response:
        if request.path == self.api_path:
            return self._api(request)
        if request.path.startswith("/_control/"):
            return self._control(request)
        return json_response(404, {"message": f"no such path: {request.path}"})

    def _api(self, request: Request) -> Response:
        self.state.count("requests")
        self.state.saw_user_agent(request.header("user-agent"))
        try:
            key_id = self.verifier.verify(request)
        except AuthError as error:
            self.log.error(f"401 {request.method} {request.target}: {error}")
            return self._unauthorized(str(error))
        self.state.count("verified")
        fault = self.state.take_fault()
        if fault is not None:
            time.sleep(fault.delay_seconds)
            if fault.kind != "slow":
                self.log.request(f"fault {fault.kind} for {request.method} {request.target}")
                return self._fault_response(fault, request)
        return self._graphql(request, key_id)

    def _unauthorized(self, message: str, date_offset: float = 0.0) -> Response:
        self.state.count("rejected")
        return json_response(401, {"message": message}, date_offset=date_offset, headers=[
            ("WWW-Authenticate", 'Signature realm="remote.it",headers="(request-target) host date"')])

    def _fault_response(self, fault: Fault, request: Request) -> Response:
        kind = fault.kind
        if kind == "401":
            return self._unauthorized("invalid signature", date_offset=-3600)
        if kind == "429":
            return json_response(429, {"message": "rate limited"}, headers=[("Retry-After", str(fault.retry_after))])
        if kind in ("500", "503"):
            return json_response(int(kind), {"message": "internal error" if kind == "500" else "service unavailable"})
        if kind == "malformed_json":
            return Response(200, b'{"data": {"connect": ')
        if kind == "non_json":
            return Response(200, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")
        if kind == "redirect":
            location = f"{self.verifier.scheme}://{request.header('host') or 'localhost'}{request.target}"
            return json_response(302, {"message": "moved"}, headers=[("Location", location)])
        if kind == "graphql_error":
            return json_response(200, {"data": None, "errors": [
                {"message": "simulated error 1 of 2"}, {"message": "simulated error 2 of 2"}]})
        if kind == "truncated":
            return json_response(200, {"data": {"login": {"email": FIXTURE["account"]["email"]}}},
                                 abort="truncate")
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
        status, result = execute_graphql(payload["query"], variables or {}, operation_name, context)
        return json_response(status, result)

    def _control(self, request: Request) -> Response:
        route = self._control_routes.get((request.method, request.path))
        if route is not None:
            return route(request)
        if any(path == request.path for _, path in self._control_routes):
            return json_response(405, {"message": f"{request.method} is not allowed on {request.path}"})
        return json_response(404, {"message": f"no such control endpoint: {request.path}"})

    def _control_reset(self, request: Request) -> Response:
        options = _json_object(request.body)
        if options is None or set(options) - {"connections"}:
            return json_response(400, {"message": 'the body must be empty or {"connections": true|false}'})
        self.state.reset(connections=options.get("connections") is True)
        return json_response(200, self.state.stats())

    def _control_add_fault(self, request: Request) -> Response:
        options = _json_object(request.body)
        if options is None:
            return json_response(400, {"message": "the body must be a JSON object"})
        unknown = set(options) - {"kind", "count", "delay_ms", "retry_after"}
        kind = str(options.get("kind"))
        count = options.get("count", 1)
        delay_ms = options.get("delay_ms", 5000 if kind == "slow" else 0)
        retry_after = options.get("retry_after", 7)
        if unknown:
            message = f"unknown fields: {', '.join(sorted(unknown))}"
        elif kind not in FAULT_KINDS:
            message = f"kind must be one of {', '.join(FAULT_KINDS)}"
        elif not _is_natural(count) or count == 0:
            message = "count must be a positive integer"
        elif not _is_natural(delay_ms) or not _is_natural(retry_after):
            message = "delay_ms and retry_after must be non-negative integers"
        else:
            pending = self.state.add_fault(Fault(kind, delay_ms / 1000, retry_after), count)
            return json_response(200, {"pending_faults": pending})
        return json_response(400, {"message": message})


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


class _ConnectionHandler(socketserver.BaseRequestHandler):
    """Serves every request of one TCP connection, then closes it."""

    def handle(self):
        server = self.server
        server.app.state.count("connections")
        sock = self.request
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(IDLE_TIMEOUT_SECONDS)
        peer = "%s:%s" % self.client_address[:2]
        reset = False
        try:
            if server.tls_context is not None:
                sock = server.tls_context.wrap_socket(sock, server_side=True)
            reset = self._serve(sock, peer)
        except (socket.timeout, ConnectionError):
            pass  # an idle or vanished client is not an error
        except OSError as error:  # ssl.SSLError included: e.g. the client refused the certificate
            server.log.error(f"{peer}: {error}")
        finally:
            if reset:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            else:
                _shut_down_gently(sock)
            sock.close()

    def _serve(self, sock, peer: str) -> bool:
        """Answer requests until the connection should close; True to close it with a reset."""
        server = self.server
        reader = sock.makefile("rb")
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
                keep_alive = request.keep_alive and not response.close and response.abort is None
                data = serialize(response, http_date(server.clock() + response.date_offset),
                                 keep_alive, request.version == "HTTP/1.0")
                if response.abort == "truncate":
                    data = data[:len(data) - len(response.body) // 2]
                sock.sendall(data)  # one send: a second small one would meet the client's delayed ACK
                server.log.request(f'{peer} "{request.method} {request.target}" {response.status} '
                                   f"{len(response.body)} B {1000 * (time.monotonic() - started):.1f} ms")
                if not keep_alive:
                    return False
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
                    "answers connect, disconnect and login queries from a fixture.",
        epilog=CONTROL_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default 0: a free one)")
    parser.add_argument("--credentials", required=True, metavar="PATH",
                        help="INI credentials file: every section with R3_ACCESS_KEY_ID and "
                             "R3_SECRET_ACCESS_KEY is an accepted key")
    parser.add_argument("--max-skew", type=float, default=300, metavar="SECONDS",
                        help="accepted distance between a request's Date and the server clock (default 300)")
    parser.add_argument("--skew-offset", type=float, default=0, metavar="SECONDS",
                        help="pretend the server clock is off by this much (default 0)")
    parser.add_argument("--tls-cert", metavar="PEM", help="serve HTTPS with this certificate chain")
    parser.add_argument("--tls-key", metavar="PEM", help="the private key of --tls-cert")
    parser.add_argument("--path", default="/graphql/v1", help="the API path (default /graphql/v1)")
    parser.add_argument("--url-file", metavar="PATH", help="also write the API URL to this file (atomically)")
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

    def clock():
        return time.time() + args.skew_offset

    app = ApiDouble(Verifier(keys, clock, args.max_skew, scheme), args.path, clock, log)
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
