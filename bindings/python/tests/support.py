"""Shared test helpers: paths, the package import, the local API double, TLS material.

Importing this module puts ``bindings/python`` first on ``sys.path`` (so the tests run the
source tree without installing it) and, when ``REMOTEIT_LIBRARY`` is not set, points it at
``target/release`` of the repository when the library was built there.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request
from pathlib import Path
from typing import Any, List, Optional
from urllib.parse import urlsplit

BINDING_ROOT = Path(__file__).resolve().parents[1]
REPO_ROOT = BINDING_ROOT.parents[1]
DATA = REPO_ROOT / "tests" / "data"
CREDENTIALS = DATA / "credentials"
WRONG_CREDENTIALS = DATA / "wrong-credentials"
CAVAGE_VECTORS = DATA / "remoteit-cavage.json"
API_DOUBLE = REPO_ROOT / "tests" / "api_double.py"
GEN_TEST_CERTS = REPO_ROOT / "tests" / "gen_test_certs.sh"

# The keys of tests/data/credentials.
ACCESS_KEY_ID = "TESTKEYID0000000001"
SECRET_ACCESS_KEY = "dGVzdC1zZWNyZXQta2V5LWZvci1saWJyZW1vdGVpdCE="

PORT_PROXY_SERVICE = "80:00:00:00:01:00:00:11"
REVERSE_PROXY_SERVICE = "80:00:00:00:01:00:00:12"
UNKNOWN_SERVICE = "80:00:00:00:01:00:00:99"

sys.path.insert(0, str(BINDING_ROOT))
_BUILT_LIBRARY = REPO_ROOT / "target" / "release" / "libremoteit.so"
if "REMOTEIT_LIBRARY" not in os.environ and _BUILT_LIBRARY.is_file():
    os.environ["REMOTEIT_LIBRARY"] = str(_BUILT_LIBRARY)


# --------------------------------------------------------------------------------------------
# The transcript the secrets scan reads (tests/secrets_scan.py)

_TRANSCRIPT_LOCK = threading.Lock()


def record(kind: str, text: str) -> None:
    """Append ``kind<TAB>text`` (newlines made spaces) to this process's transcript,
    ``$REMOTEIT_TEST_TRANSCRIPT/python.<pid>.log``, when scripts/test.sh set that folder.
    Kinds: ``error`` (an exception's message and str), ``repr`` (an object's or exception's
    repr), ``log`` (a line the library logged)."""
    folder = os.environ.get("REMOTEIT_TEST_TRANSCRIPT")
    if not folder:
        return
    line = kind + "\t" + str(text).replace("\n", " ").replace("\r", " ") + "\n"
    with _TRANSCRIPT_LOCK, open(os.path.join(folder, f"python.{os.getpid()}.log"), "a", encoding="utf-8",
                                errors="backslashreplace") as file:
        file.write(line)


def _install_transcript() -> None:
    """Wraps the binding where what it shows is made, without changing what it does: every
    RemoteItError records its message, str and repr when made; every log target given to a
    client records each line; every Credentials, Client and AsyncClient made, and every
    Connection a client returns, records its repr."""
    import functools

    import remoteit
    from remoteit import _log, errors

    original_error_init = errors.RemoteItError.__init__

    def error_init(self, *args, **kwargs):
        original_error_init(self, *args, **kwargs)
        record("error", getattr(self, "message", ""))
        record("error", str(self))
        record("repr", repr(self))

    errors.RemoteItError.__init__ = error_init

    original_make_callback = _log.make_callback

    def make_callback(target, level=None):
        if isinstance(target, logging.Logger):
            _, max_level = original_make_callback(target, level)
            forward = _log.logger_function(target)
        else:
            max_level, forward = level, target

        def function(line_level, message):
            record("log", message)
            return forward(line_level, message)

        callback, chosen = original_make_callback(function if callable(forward) else target, max_level)
        return callback, chosen

    for module in (_log, sys.modules.get("remoteit.client"), sys.modules.get("remoteit.aio")):
        if module is not None and getattr(module, "make_callback", None) is original_make_callback:
            module.make_callback = make_callback

    def shown(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            result = function(*args, **kwargs)
            if isinstance(result, remoteit.Connection):
                record("repr", repr(result))
            return result
        return wrapper

    def shown_after_init(cls):
        original_init = cls.__init__

        @functools.wraps(original_init)
        def init(self, *args, **kwargs):
            original_init(self, *args, **kwargs)
            record("repr", repr(self))

        cls.__init__ = init

    for cls in (remoteit.Credentials, remoteit.Client):
        shown_after_init(cls)
    load = remoteit.Credentials.load.__func__

    @functools.wraps(load)
    def load_and_show(cls, *args, **kwargs):
        credentials = load(cls, *args, **kwargs)
        record("repr", repr(credentials))
        return credentials

    remoteit.Credentials.load = classmethod(load_and_show)
    remoteit.Client.connect = shown(remoteit.Client.connect)
    try:
        from remoteit import aio
    except ImportError:
        aio = None
    if aio is not None:
        shown_after_init(aio.AsyncClient)


def load_json(path: Path) -> Any:
    """A JSON data file."""
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def refused_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_certs(directory: str) -> Path:
    """Run tests/gen_test_certs.sh into ``directory``; returns it as a Path."""
    subprocess.run(["bash", str(GEN_TEST_CERTS), directory], check=True, capture_output=True)
    return Path(directory)


def have_openssl() -> bool:
    """Whether the openssl command that gen_test_certs.sh needs is installed."""
    return shutil.which("openssl") is not None


class ApiDouble:
    """tests/api_double.py run as a subprocess on a free port, with its control endpoints."""

    def __init__(self, credentials: Path = CREDENTIALS, tls_dir: Optional[Path] = None) -> None:
        self._workdir = tempfile.TemporaryDirectory(prefix="remoteit-double-")
        url_file = Path(self._workdir.name) / "url"
        command: List[str] = [
            sys.executable, str(API_DOUBLE), "--port", "0", "--credentials", str(credentials),
            "--url-file", str(url_file), "--quiet", "--exit-with-parent",
        ]
        self._ssl_context: Optional[ssl.SSLContext] = None
        if tls_dir is not None:
            command += ["--tls-cert", str(tls_dir / "server.pem"), "--tls-key", str(tls_dir / "server.key")]
            self._ssl_context = ssl.create_default_context(cafile=str(tls_dir / "ca.pem"))
        self._process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=str(REPO_ROOT)
        )
        self.url = self._wait_for_url(url_file)
        parts = urlsplit(self.url)
        self.base = f"{parts.scheme}://{parts.netloc}"

    def _wait_for_url(self, url_file: Path) -> str:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if url_file.exists():
                return url_file.read_text(encoding="utf-8").strip()
            if self._process.poll() is not None:
                error = self._process.stderr.read().decode("utf-8", "replace") if self._process.stderr else ""
                self._workdir.cleanup()
                raise RuntimeError(f"the API double exited with {self._process.returncode}: {error}")
            time.sleep(0.02)
        self.stop()
        raise RuntimeError("the API double did not write its URL within 20 s")

    def control(self, method: str, path: str, body: Optional[dict] = None) -> Any:
        """Call a /_control/ endpoint; returns its JSON answer (or text)."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(f"{self.base}/_control/{path}", data=data, method=method)
        # Straight to the double, whatever proxy the environment names.
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=self._ssl_context)
        )
        with opener.open(request, timeout=10) as response:
            text = response.read().decode("utf-8")
        try:
            return json.loads(text)
        except ValueError:
            return text

    def fault(self, kind: str, **options: Any) -> None:
        """Make the next verified API request get fault ``kind`` (see api_double.py --help)."""
        self.control("POST", "fault", {"kind": kind, **options})

    def stats(self) -> dict:
        """The double's counters."""
        return self.control("GET", "stats")

    def stop(self) -> None:
        """Terminate the double and remove its files."""
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._process.stderr:
            self._process.stderr.close()
        self._workdir.cleanup()


class DoubleTestCase(unittest.TestCase):
    """A test case class with its own API double (``cls.double``), started once for the class."""

    double_credentials: Path = CREDENTIALS
    double: ApiDouble

    @classmethod
    def setUpClass(cls) -> None:
        cls.double = ApiDouble(credentials=cls.double_credentials)
        cls.addClassCleanup(cls.double.stop)


class CredentialsTestCase(DoubleTestCase):
    """A :class:`DoubleTestCase` with tests/data/credentials loaded once for the class
    (``cls.credentials``, a ``remoteit.Credentials``), closed after its tests."""

    credentials: Any

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        import remoteit  # here: importing this module first puts the source tree on sys.path

        cls.credentials = remoteit.Credentials.load(CREDENTIALS)
        cls.addClassCleanup(cls.credentials.close)


if os.environ.get("REMOTEIT_TEST_TRANSCRIPT"):
    _install_transcript()
