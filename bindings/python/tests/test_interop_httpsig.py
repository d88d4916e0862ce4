"""Interoperability: the PyPI ``httpsig`` package verifies the signatures the library makes.

Skipped, with a message saying so, when ``httpsig`` is not installed.
"""

from __future__ import annotations

import base64
import os
import unittest
from typing import List, Optional, Tuple
from urllib.parse import urlsplit

import support

import remoteit

try:
    from httpsig.verify import HeaderVerifier  # type: ignore[import-untyped]
except ImportError:
    if os.environ.get("REMOTEIT_REQUIRE_HTTPSIG"):
        raise  # the test command installs it: a skip there would hide a missing check
    HeaderVerifier = None

WRONG_SECRET = base64.b64decode("d3Jvbmctc2VjcmV0LWtleS1mb3ItbGlicmVtb3RlaXQ=")

# method, url, content type, body
REQUESTS: List[Tuple[str, str, Optional[str], bytes]] = [
    ("POST", "https://api.remote.it/graphql/v1", "application/json", b'{"query":"{ login { email } }"}'),
    ("GET", "https://api.remote.it/apv/v27/user/info", "application/json", b""),
    ("GET", "https://api.remote.it/apv/v27/device/list/all?size=10&from=20", None, b""),
    ("DELETE", "https://API.Remote.IT/apv/v27/device/x", None, b""),
    ("POST", "http://127.0.0.1:8080/graphql/v1?trace=1&x=y", "application/json", b'{"query":"{ login { id } }"}'),
    ("PUT", "https://example.com:8443/a/b", "text/plain; charset=utf-8", "Küche – Überwachung ☕".encode()),
    ("PATCH", "https://example.com:443/", "application/octet-stream", bytes(range(256))),
    ("POST", "https://example.com", None, b"no content type"),
]


def expected_host(url: str) -> str:
    """The ``host`` a verifier expects: lower-cased, with a port only when not the default."""
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}[parts.scheme]
    host = (parts.hostname or "").lower()
    return host if parts.port in (None, default) else f"{host}:{parts.port}"


def path_and_query(url: str) -> str:
    """The request target: the path (``/`` when empty) and the query."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


@unittest.skipIf(HeaderVerifier is None, "PyPI httpsig is not installed (pip install httpsig): interop not checked")
class HttpsigInteropTest(unittest.TestCase):
    def setUp(self) -> None:
        self.credentials = remoteit.Credentials(support.ACCESS_KEY_ID, support.SECRET_ACCESS_KEY)
        self.addCleanup(self.credentials.close)

    def verify(self, request: Tuple[str, str, Optional[str], bytes], secret: bytes) -> bool:
        method, url, content_type, body = request
        signed = dict(self.credentials.sign_request(method, url, content_type, body))
        headers = {"Host": expected_host(url), "Date": signed["Date"], "Content-Length": str(len(body)),
                   "Authorization": signed["Authorization"]}
        required = ["(request-target)", "host", "date", "content-length"]
        if content_type is not None:
            headers["Content-Type"] = content_type
            required.append("content-type")
        verifier = HeaderVerifier(headers=headers, secret=secret, method=method, path=path_and_query(url),
                                  host=expected_host(url), required_headers=required)
        return verifier.verify()

    def test_httpsig_accepts_every_signature(self) -> None:
        secret = base64.b64decode(support.SECRET_ACCESS_KEY)
        for request in REQUESTS:
            with self.subTest(method=request[0], url=request[1]):
                self.assertIs(self.verify(request, secret), True)

    def test_httpsig_rejects_every_signature_with_a_wrong_secret(self) -> None:
        for request in REQUESTS:
            with self.subTest(method=request[0], url=request[1]):
                self.assertIs(self.verify(request, WRONG_SECRET), False)


if __name__ == "__main__":
    unittest.main()
