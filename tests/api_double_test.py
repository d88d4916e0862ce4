#!/usr/bin/env python3
"""Tests of the local Remote.It API double (tests/api_double.py), run as a subprocess.

    python3 tests/api_double_test.py -v

Requests are signed by signers written here, which first reproduce the known-answer vectors of
tests/data, and, when it is installed, by PyPI's httpsig; only the httpsig test is skipped
without it. The HTTPS test needs the openssl command. The double's verifier is also run in
process on the vectors' requests.
"""

import base64
import email.utils
import hashlib
import hmac
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

try:
    import httpsig
except ImportError:
    if os.environ.get("REMOTEIT_REQUIRE_HTTPSIG"):
        raise  # the test command installs it: a skip there would hide a missing check
    httpsig = None

HERE = os.path.dirname(os.path.abspath(__file__))
DOUBLE = os.path.join(HERE, "api_double.py")
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # importing the double must leave no __pycache__ in tests/
import api_double  # noqa: E402  (its fixture, and its verifier for the known-answer vectors)

VECTORS = os.path.join(HERE, "data")

KEY_ID = "TESTKEYID0000000001"
SECRET = b"api-double-test-secret-32-bytes!"
LAB_KEY_ID = "TESTLABKEY000000002"
LAB_SECRET = b"\x00\xff" * 16
TOP_LEVEL_KEY_ID = "TOPLEVELKEY00000003"
TOP_LEVEL_SECRET = b"written before any section"
DEVELOPER_KEY = "TESTDEVELOPERKEY-DEFAULT"
CREDENTIALS = f"""\
R3_ACCESS_KEY_ID = {TOP_LEVEL_KEY_ID}
R3_SECRET_ACCESS_KEY = {base64.b64encode(TOP_LEVEL_SECRET).decode()}
# test@example.com
[DEFAULT]
R3_ACCESS_KEY_ID={KEY_ID}
R3_SECRET_ACCESS_KEY={base64.b64encode(SECRET).decode()}
R3_DEVELOPER_API_KEY={DEVELOPER_KEY}
; a profile with one key only is not an accepted key
[incomplete]
R3_ACCESS_KEY_ID=INCOMPLETEKEY000000
[lab]
r3_access_key_id={LAB_KEY_ID}
r3_secret_access_key={base64.b64encode(LAB_SECRET).decode()}
"""

TCP_SERVICE = "80:00:00:00:01:00:00:11"
HTTP_SERVICE = "80:00:00:00:01:00:00:12"
HTTPS_SERVICE = "80:00:00:00:01:00:00:31"
FULL_HEADERS = ["(request-target)", "host", "date", "content-type", "content-length"]
CONNECT = ("mutation Connect($id: String!) "
           "{ connect(serviceId: $id) { id host port reverseProxy url created timeout __typename } }")


# ---------------------------------------------------------------------------------------------
# Independent signers


def cavage_signature(secret, method, target, host, date, content_type, content_length, signed):
    """The draft-cavage signing string and base64 HMAC-SHA256 signature."""
    values = {"(request-target)": f"{method.lower()} {target}", "host": host, "date": date,
              "content-type": content_type, "content-length": str(content_length)}
    signing_string = "\n".join(f"{name}: {values[name]}" for name in signed)
    digest = hmac.new(secret, signing_string.encode(), hashlib.sha256).digest()
    return signing_string, base64.b64encode(digest).decode()


def cavage_parameters(key_id, signed, signature, algorithm="hmac-sha256"):
    """The parameters of ``Authorization: Signature <parameters>``."""
    return f'keyId="{key_id}",algorithm="{algorithm}",headers="{" ".join(signed)}",signature="{signature}"'


def cavage_headers(method, target, host, body, key_id=KEY_ID, secret=SECRET, signed=FULL_HEADERS,
                   date=None, signed_length=None, signed_target=None, algorithm="hmac-sha256",
                   header="Authorization"):
    """Request headers signed with draft-cavage; ``signed_*`` put another value in the signing
    string than the request carries."""
    date = date or email.utils.formatdate(usegmt=True)
    _, signature = cavage_signature(secret, method, signed_target or target, host, date, "application/json",
                                    len(body) if signed_length is None else signed_length, signed)
    parameters = cavage_parameters(key_id, signed, signature, algorithm)
    value = f"Signature {parameters}" if header == "Authorization" else parameters
    return {"Date": date, "Content-Type": "application/json", header: value}


def rfc9421_signature(secret, components, signature_params):
    """The RFC 9421 signature base for [(component, value)] and its base64 HMAC-SHA256."""
    lines = [f'"{name}": {value}' for name, value in components]
    lines.append(f'"@signature-params": {signature_params}')
    base = "\n".join(lines)
    return base, base64.b64encode(hmac.new(secret, base.encode(), hashlib.sha256).digest()).decode()


def rfc9421_headers(method, target, authority, body, label="remoteit", created=None, lifetime=300,
                    digest=True, scheme="http"):
    """Request headers signed with RFC 9421 the way Remote.It's tools sign."""
    created = int(time.time()) if created is None else created
    date = email.utils.formatdate(created, usegmt=True)
    headers = {"Date": date, "Content-Type": "application/json"}
    components = [("@method", method), ("@authority", authority),
                  ("@target-uri", f"{scheme}://{authority}{target}"), ("date", date)]
    if body and digest:
        headers["Content-Digest"] = f"sha-256=:{base64.b64encode(hashlib.sha256(body).digest()).decode()}:"
        components.append(("content-digest", headers["Content-Digest"]))
    params = ("(" + " ".join(f'"{name}"' for name, _ in components) + ")"
              f';keyid="{KEY_ID}";alg="hmac-sha256";created={created};expires={created + lifetime}')
    _, signature = rfc9421_signature(SECRET, components, params)
    headers["Signature-Input"] = f"{label}={params}"
    headers["Signature"] = f"{label}=:{signature}:"
    return headers


def read_vectors(name):
    with open(os.path.join(VECTORS, name)) as file:
        return json.load(file)


def remoteit_vectors():
    """remoteit-cavage.json cases with the request target, host, signed list and body bytes."""
    for case in read_vectors("remoteit-cavage.json"):
        url = urllib.parse.urlsplit(case["url"])
        target = url.path + (f"?{url.query}" if url.query else "")
        signed = [name for name in FULL_HEADERS if name != "content-type" or case["content_type"] is not None]
        yield case, target, url.netloc.lower(), signed, case["body"].encode()


class SignerVectorTest(unittest.TestCase):
    """The in-test signers reproduce the known answers, so the double is judged by good ones."""

    def test_cavage_signer_matches_every_remoteit_vector(self):
        for case, target, host, signed, body in remoteit_vectors():
            with self.subTest(case["name"]):
                signing_string, signature = cavage_signature(
                    base64.b64decode(case["secret_access_key"]), case["method"], target, host, case["date"],
                    case["content_type"], len(body), signed)
                self.assertEqual(signing_string, case["signing_string"])
                self.assertEqual(f"Signature {cavage_parameters(case['access_key_id'], signed, signature)}",
                                 case["authorization"])

    def test_rfc9421_signer_matches_rfc_appendix_b25(self):
        vector = read_vectors("rfc9421-b25.json")
        headers = {name.lower(): value for name, value in vector["request"]["headers"]}
        values = {"@authority": headers["host"], **headers}
        label, _, params = vector["signature_input"].partition("=")
        base, signature = rfc9421_signature(
            base64.b64decode(vector["shared_secret_base64"]),
            [(name, values[name]) for name in vector["covered_components"]], params)
        self.assertEqual(base, vector["signature_base"])
        self.assertEqual(f"{label}=:{signature}:", vector["signature"])


class VerifierVectorTest(unittest.TestCase):
    """The double's own verifier, in process, on the known-answer requests."""

    @staticmethod
    def verify(key_id, secret, date, method, target, headers, body):
        unix_time = email.utils.parsedate_to_datetime(date).timestamp()
        verifier = api_double.Verifier({key_id: secret}, lambda: unix_time, 300, "https")
        return verifier.verify(api_double.Request(method, target, "HTTP/1.1", headers, body))

    def test_accepts_every_remoteit_vector(self):
        for case, target, host, _, body in remoteit_vectors():
            with self.subTest(case["name"]):
                headers = [("Host", host), ("Date", case["date"]), ("Content-Length", str(len(body))),
                           ("Authorization", case["authorization"])]
                if case["content_type"] is not None:
                    headers.append(("Content-Type", case["content_type"]))
                self.assertEqual(self.verify(case["access_key_id"], base64.b64decode(case["secret_access_key"]),
                                             case["date"], case["method"], target, headers, body),
                                 case["access_key_id"])

    def test_appendix_c_is_accepted_only_when_it_signs_target_host_and_date(self):
        vector = read_vectors("cavage-appendix-c-hmac.json")
        request = vector["request"]
        date = dict(request["headers"])["Date"]
        for case in vector["cases"]:
            with self.subTest(case["name"]):
                headers = request["headers"] + [("Authorization", "Signature " + cavage_parameters(
                    vector["key_id"], case["headers"].split(), case["signature"]))]
                arguments = (vector["key_id"], vector["key_ascii"].encode(), date, request["method"],
                             request["path_and_query"], headers, request["body"].encode())
                if case["headers"] == "date":
                    with self.assertRaisesRegex(api_double.AuthError, "must include \\(request-target\\) host"):
                        self.verify(*arguments)
                else:
                    self.assertEqual(self.verify(*arguments), vector["key_id"])


# ---------------------------------------------------------------------------------------------
# The double as a subprocess


class Double:
    """tests/api_double.py running in a subprocess with CREDENTIALS, until stop()."""

    def __init__(self, *options, credentials=CREDENTIALS):
        self.dir = tempfile.mkdtemp(prefix="api-double-test-")
        credentials_path = os.path.join(self.dir, "credentials")
        with open(credentials_path, "w") as file:
            file.write(credentials)
        url_file = os.path.join(self.dir, "url")
        self.stderr = open(os.path.join(self.dir, "stderr"), "w+")
        self.process = subprocess.Popen(
            [sys.executable, DOUBLE, "--port", "0", "--credentials", credentials_path, "--url-file", url_file,
             *options], stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        deadline = time.monotonic() + 10
        while not os.path.exists(url_file):
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = self.log()
                self.stop()
                raise RuntimeError(f"the double did not start: {log}")
            time.sleep(0.01)
        with open(url_file) as file:
            self.url = file.read().strip()
        self.first_line = self.process.stdout.readline().rstrip("\n")
        parts = urllib.parse.urlsplit(self.url)
        self.scheme, self.authority, self.path, self.port = parts.scheme, parts.netloc, parts.path, parts.port
        self.tls_context = None

    def connection(self, timeout=5):
        if self.scheme == "https":
            return http.client.HTTPSConnection(self.authority, timeout=timeout, context=self.tls_context)
        return http.client.HTTPConnection(self.authority, timeout=timeout)

    def log(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read()

    def stop(self, sig=signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        self.stderr.close()
        shutil.rmtree(self.dir, ignore_errors=True)
        return self.process.returncode


class DoubleTestCase(unittest.TestCase):
    """Shares one double per class; each test starts with zero counters, connections and faults."""

    options = ()

    @classmethod
    def setUpClass(cls):
        cls.double = Double(*cls.options)

    @classmethod
    def tearDownClass(cls):
        cls.double.stop()

    def setUp(self):
        self.control("DELETE", "/_control/fault")
        self.control("POST", "/_control/reset", {"connections": True})

    def exchange(self, method, target, body=b"", headers=None, conn=None):
        """One request; returns (response, body bytes). Uses ``conn`` or a fresh connection."""
        own = conn is None
        conn = conn or self.double.connection()
        try:
            conn.request(method, target, body=body, headers=headers or {})
            response = conn.getresponse()
            return response, response.read()
        finally:
            if own:
                conn.close()

    def control(self, method, path, value=None, conn=None):
        body = b"" if value is None else json.dumps(value).encode()
        response, data = self.exchange(method, path, body, conn=conn)
        return response.status, (json.loads(data) if response.getheader("Content-Type") == "application/json" else data)

    def stats(self, conn=None):
        return self.control("GET", "/_control/stats", conn=conn)[1]

    def post(self, body, conn=None, signer=cavage_headers, target=None, **sign_options):
        """POST ``body`` to the API path, signed by ``signer``."""
        target = target or self.double.path
        headers = signer("POST", target, self.double.authority, body, **sign_options)
        return self.exchange("POST", target, body, headers, conn)

    def graphql(self, query, variables=None, conn=None, **sign_options):
        """(HTTP status, response object) of a signed GraphQL request."""
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        response, data = self.post(body, conn=conn, **sign_options)
        return response.status, json.loads(data)

    def data(self, query, variables=None, **sign_options):
        """The "data" of a GraphQL request that must succeed."""
        status, result = self.graphql(query, variables, **sign_options)
        self.assertEqual(status, 200, result)
        self.assertNotIn("errors", result)
        return result["data"]

    def assert_unauthorized(self, response, data, message_part):
        self.assertEqual(response.status, 401, data)
        self.assertIsNotNone(email.utils.parsedate_to_datetime(response.getheader("Date")))
        self.assertIn(message_part, json.loads(data)["message"])
        self.assertNotIn(base64.b64encode(SECRET).decode(), data.decode())


LOGIN = b'{"query": "{ login { email } }"}'


# ---------------------------------------------------------------------------------------------
# Process, CLI and HTTP behaviour


def _running(pid):
    """Whether ``pid`` is a live process (an exited one waiting to be reaped is not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


class ProcessTest(unittest.TestCase):
    def test_prints_one_listening_line_with_the_api_url(self):
        double = Double()
        try:
            self.assertRegex(double.url, r"^http://127\.0\.0\.1:[0-9]+/graphql/v1$")
            self.assertEqual(double.first_line, f"listening on {double.url}")
        finally:
            self.assertEqual(double.stop(), 0)

    def test_sigterm_and_sigint_exit_cleanly_with_an_idle_connection_open(self):
        for sig in (signal.SIGTERM, signal.SIGINT):
            double = Double()
            idle = socket.create_connection(("127.0.0.1", double.port))
            try:
                started = time.monotonic()
                self.assertEqual(double.stop(sig), 0, sig)
                self.assertLess(time.monotonic() - started, 3)
            finally:
                idle.close()

    def test_exit_with_parent_stops_when_the_parent_is_killed(self):
        with tempfile.TemporaryDirectory() as tmp:
            creds = os.path.join(tmp, "credentials")
            with open(creds, "w") as f:
                f.write(CREDENTIALS)
            url_file = os.path.join(tmp, "url")
            # A shell parent that starts the double, reports its pid, then waits to be killed.
            parent = subprocess.Popen(
                ["sh", "-c", f'"$0" "{DOUBLE}" --credentials "{creds}" --url-file "{url_file}" '
                             '--quiet --exit-with-parent >/dev/null & echo $!; sleep 60', sys.executable],
                stdout=subprocess.PIPE, text=True)
            child = int(parent.stdout.readline())
            deadline = time.monotonic() + 10
            while not os.path.exists(url_file) and time.monotonic() < deadline:
                time.sleep(0.05)
            parent.kill()
            parent.wait()
            parent.stdout.close()
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                if not _running(child):
                    return
                time.sleep(0.1)
            os.kill(child, signal.SIGKILL)
            self.fail("the double outlived its parent by 5 s")

    def test_help_describes_the_control_endpoints(self):
        result = subprocess.run([sys.executable, DOUBLE, "--help"], capture_output=True, text=True, timeout=10)
        self.assertEqual(result.returncode, 0)
        self.assertIn("/_control/fault", result.stdout)
        self.assertIn("--credentials", result.stdout)

    def test_help_describes_the_endpoints_and_kinds_added_in_0_2(self):
        result = subprocess.run([sys.executable, DOUBLE, "--help"], capture_output=True, text=True, timeout=10)
        for word in ("/_control/clock", "/_control/keepalive", "/_control/warning", "/_control/attempts",
                     "/_control/fixture", "/_control/paging", "--devices", "--org-devices", *api_double.FAULT_KINDS,
                     *api_double.PAGING_MODES):
            self.assertIn(word, result.stdout)
        self.assertIn(api_double.ORG_ACCOUNT["id"], api_double.__doc__)

    def test_credentials_without_any_complete_key_are_refused(self):
        with self.assertRaises(RuntimeError) as raised:
            Double(credentials="[DEFAULT]\nR3_ACCESS_KEY_ID=ONLYANID\n")
        self.assertIn("no section has both", str(raised.exception))

    def test_secret_that_is_not_base64_is_refused_naming_the_section(self):
        with self.assertRaises(RuntimeError) as raised:
            Double(credentials="[work]\nR3_ACCESS_KEY_ID=X\nR3_SECRET_ACCESS_KEY=not*base64\n")
        self.assertIn("[work]", str(raised.exception))
        self.assertNotIn("not*base64", str(raised.exception))


class HttpTest(DoubleTestCase):
    def raw(self, payload: bytes) -> bytes:
        """Send raw bytes; everything the double answers until it closes the connection."""
        with socket.create_connection(("127.0.0.1", self.double.port), timeout=5) as sock:
            sock.sendall(payload)
            chunks = []
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    return b"".join(chunks)
                chunks.append(chunk)

    def test_health_answers_ok(self):
        response, data = self.exchange("GET", "/_control/health")
        self.assertEqual((response.status, data), (200, b"ok"))

    def test_bad_request_line_gets_400_and_the_double_keeps_serving(self):
        answer = self.raw(b"NOT A VALID REQUEST LINE\r\n\r\n")
        self.assertTrue(answer.startswith(b"HTTP/1.1 400 "), answer)
        self.assertIn(b"\r\nConnection: close\r\n", answer)
        self.assertEqual(self.raw(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n")[:13], b"HTTP/1.1 400 ")
        self.assertEqual(self.exchange("GET", "/_control/health")[1], b"ok")

    def test_chunked_post_gets_411(self):
        answer = self.raw(b"POST /graphql/v1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        self.assertTrue(answer.startswith(b"HTTP/1.1 411 "), answer)

    def test_post_without_content_length_gets_411(self):
        answer = self.raw(b"POST /graphql/v1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertTrue(answer.startswith(b"HTTP/1.1 411 "), answer)

    def test_every_response_has_date_content_type_and_content_length(self):
        answer = self.raw(b"GET /_control/stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        head, _, body = answer.partition(b"\r\n\r\n")
        self.assertRegex(head, rb"\r\nDate: [A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} GMT\r\n")
        self.assertIn(b"\r\nContent-Type: application/json\r\n", head)
        self.assertIn(b"\r\nContent-Length: %d\r\n" % len(body), head + b"\r\n")

    def test_connection_close_is_honoured(self):
        answer = self.raw(b"GET /_control/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertTrue(answer.endswith(b"\r\n\r\nok"), answer)  # and then the double closed

    def test_keep_alive_serves_many_requests_on_one_connection(self):
        conn = self.double.connection()
        try:
            for _ in range(5):
                self.assertEqual(self.post(LOGIN, conn=conn)[0].status, 200)
            stats = self.stats(conn=conn)
        finally:
            conn.close()
        self.assertEqual(stats["connections"], 1)
        self.assertEqual((stats["requests"], stats["verified"]), (5, 5))

    def test_keep_alive_requests_do_not_stall_on_delayed_ack(self):
        conn = self.double.connection()
        try:
            started = time.monotonic()
            for _ in range(30):
                self.post(LOGIN, conn=conn)
            elapsed = time.monotonic() - started
        finally:
            conn.close()
        self.assertLess(elapsed, 0.8, "about 40 ms per request means responses are written in two sends")

    def test_unknown_path_gets_404_and_is_not_an_api_request(self):
        self.assertEqual(self.exchange("GET", "/nowhere")[0].status, 404)
        self.assertEqual(self.stats()["requests"], 0)

    def test_control_rejects_unknown_fault_kind(self):
        status, result = self.control("POST", "/_control/fault", {"kind": "meteor"})
        self.assertEqual(status, 400)
        self.assertIn("kind must be one of", result["message"])


# ---------------------------------------------------------------------------------------------
# Signatures


class SignatureTest(DoubleTestCase):
    def test_request_signed_by_the_in_test_signer_is_accepted(self):
        response, data = self.post(LOGIN)
        self.assertEqual(response.status, 200, data)
        self.assertEqual(json.loads(data), {"data": {"login": {"email": "demo@example.com"}}})
        stats = self.stats()
        self.assertEqual((stats["requests"], stats["verified"], stats["rejected"]), (1, 1, 0))

    @unittest.skipIf(httpsig is None, "PyPI httpsig is not installed: cannot cross-check with another signer")
    def test_request_signed_by_httpsig_is_accepted(self):
        signer = httpsig.HeaderSigner(KEY_ID, SECRET, algorithm="hmac-sha256", headers=FULL_HEADERS)
        headers = signer.sign({"Date": email.utils.formatdate(usegmt=True), "Host": self.double.authority,
                               "Content-Type": "application/json", "Content-Length": str(len(LOGIN))},
                              host=self.double.authority, method="POST", path=self.double.path)
        response, data = self.exchange("POST", self.double.path, LOGIN, dict(headers))
        self.assertEqual(response.status, 200, data)

    def test_every_complete_profile_key_is_accepted_including_keys_before_any_section(self):
        for key_id, secret in ((LAB_KEY_ID, LAB_SECRET), (TOP_LEVEL_KEY_ID, TOP_LEVEL_SECRET)):
            self.assertEqual(self.post(LOGIN, key_id=key_id, secret=secret)[0].status, 200, key_id)

    def test_profile_with_only_a_key_id_is_not_a_key(self):
        self.assert_unauthorized(*self.post(LOGIN, key_id="INCOMPLETEKEY000000", secret=b""), "unknown key id")

    def test_minimal_header_list_is_accepted(self):
        response, data = self.post(LOGIN, signed=["(request-target)", "host", "date"])
        self.assertEqual(response.status, 200, data)

    def test_parameters_in_a_signature_header_are_accepted(self):
        self.assertEqual(self.post(LOGIN, header="Signature")[0].status, 200)

    def test_unknown_key_id_gets_401_with_date(self):
        self.assert_unauthorized(*self.post(LOGIN, key_id="NOSUCHKEY"), "unknown key id")
        self.assertEqual(self.stats()["rejected"], 1)

    def test_wrong_secret_gets_401(self):
        self.assert_unauthorized(*self.post(LOGIN, secret=b"wrong"), "invalid signature")

    def test_missing_authorization_gets_401(self):
        response, data = self.exchange("POST", self.double.path, LOGIN, {"Content-Type": "application/json"})
        self.assert_unauthorized(response, data, "missing Authorization header")

    def test_stale_date_gets_401_naming_the_skew(self):
        stale = email.utils.formatdate(time.time() - 600, usegmt=True)
        self.assert_unauthorized(*self.post(LOGIN, date=stale), "skew -60")  # -600 or -601 s

    def test_date_not_in_gmt_gets_401(self):
        self.assert_unauthorized(*self.post(LOGIN, date=email.utils.formatdate(time.time())), "GMT")

    def test_content_length_other_than_the_body_in_signing_string_gets_401(self):
        self.assert_unauthorized(*self.post(LOGIN, signed_length=len(LOGIN) + 1), "invalid signature")

    def test_signature_for_another_target_gets_401(self):
        self.assert_unauthorized(*self.post(LOGIN, signed_target="/graphql/v2"), "invalid signature")

    def test_header_list_without_host_gets_401(self):
        self.assert_unauthorized(*self.post(LOGIN, signed=["(request-target)", "date"]), "must include host")

    def test_algorithm_other_than_hmac_sha256_gets_401(self):
        self.assert_unauthorized(*self.post(LOGIN, algorithm="rsa-sha256"), "unsupported algorithm")

    def test_rfc9421_signature_is_accepted_with_any_label(self):
        for label in ("remoteit", "pyhms"):
            response, data = self.post(LOGIN, signer=rfc9421_headers, label=label)
            self.assertEqual(response.status, 200, data)

    def test_rfc9421_body_not_matching_content_digest_gets_401(self):
        headers = rfc9421_headers("POST", self.double.path, self.double.authority, LOGIN)
        tampered = LOGIN.replace(b"email", b"EMAIL")
        self.assert_unauthorized(*self.exchange("POST", self.double.path, tampered, headers), "Content-Digest")

    def test_rfc9421_body_without_content_digest_gets_401(self):
        self.assert_unauthorized(*self.post(LOGIN, signer=rfc9421_headers, digest=False), "content-digest")

    def test_stats_show_the_latest_requests_user_agent_and_signature_in_either_scheme(self):
        for signer, options, field in ((cavage_headers, {}, "Authorization"),
                                       (cavage_headers, {"header": "Signature"}, "Signature"),
                                       (rfc9421_headers, {}, "Signature")):
            headers = dict(signer("POST", self.double.path, self.double.authority, LOGIN, **options),
                           **{"User-Agent": f"probe/{field}"})
            self.assertEqual(self.exchange("POST", self.double.path, LOGIN, headers)[0].status, 200)
            sent = re.search(r'signature="([^"]*)"|=:([^:]*):', headers[field])
            stats = self.stats()
            self.assertEqual(stats["last_signature"], sent.group(1) or sent.group(2), signer)
            self.assertEqual(stats["last_user_agent"], f"probe/{field}")
        self.exchange("POST", self.double.path, LOGIN, {"Content-Type": "application/json"})
        self.assertIsNone(self.stats()["last_signature"])

    def test_rfc9421_expired_signature_gets_401(self):
        self.assert_unauthorized(*self.post(LOGIN, signer=rfc9421_headers, created=int(time.time()) - 100,
                                            lifetime=50), "expired")


class SignatureLogTest(DoubleTestCase):
    """--record-signatures: every signature header received, and the signature, one line each."""

    record = os.path.join(tempfile.mkdtemp(prefix="api-double-signatures-"), "signatures.txt")
    options = ("--record-signatures", record)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(os.path.dirname(cls.record), ignore_errors=True)

    def recorded(self):
        with open(self.record, encoding="utf-8") as file:
            return [line.rstrip("\n").split("\t", 1) for line in file]

    def test_both_schemes_and_rejected_signatures_are_recorded(self):
        open(self.record, "w").close()
        headers = cavage_headers("POST", self.double.path, self.double.authority, LOGIN)
        self.assertEqual(self.exchange("POST", self.double.path, LOGIN, headers)[0].status, 200)
        cavage = headers["Authorization"].rsplit('signature="', 1)[1].rstrip('"')
        wrong = cavage_headers("POST", self.double.path, self.double.authority, LOGIN, secret=b"w" * 32)
        self.assertEqual(self.exchange("POST", self.double.path, LOGIN, wrong)[0].status, 401)
        rejected = wrong["Authorization"].rsplit('signature="', 1)[1].rstrip('"')
        headers = rfc9421_headers("POST", self.double.path, self.double.authority, LOGIN)
        self.assertEqual(self.exchange("POST", self.double.path, LOGIN, headers)[0].status, 200)
        rfc9421 = headers["Signature"].split("=:", 1)[1].rstrip(":")
        self.stats()  # a control request: nothing to record
        lines = self.recorded()
        self.assertEqual([value for name, value in lines if name == "value"], [cavage, rejected, rfc9421])
        self.assertIn(["authorization", wrong["Authorization"]], lines)
        self.assertIn(["signature-input", headers["Signature-Input"]], lines)
        self.assertEqual(len(lines), 7, lines)


class ClockTest(DoubleTestCase):
    options = ("--skew-offset", "3600", "--max-skew", "30")

    def test_response_date_follows_the_offset_clock(self):
        response, _ = self.exchange("GET", "/_control/health")
        offset = email.utils.parsedate_to_datetime(response.getheader("Date")).timestamp() - time.time()
        self.assertAlmostEqual(offset, 3600, delta=5)

    def test_request_dated_by_the_true_clock_is_rejected_by_the_offset_server(self):
        self.assert_unauthorized(*self.post(LOGIN), "skew -360")  # -3600 or -3601 s

    def test_request_dated_within_max_skew_of_the_server_clock_is_accepted(self):
        date = email.utils.formatdate(time.time() + 3600 - 20, usegmt=True)
        self.assertEqual(self.post(LOGIN, date=date)[0].status, 200)


class HttpsTest(unittest.TestCase):
    @unittest.skipIf(shutil.which("openssl") is None, "the openssl command is not installed")
    def test_serves_https_with_the_given_certificate(self):
        directory = tempfile.mkdtemp(prefix="api-double-tls-")
        cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
        try:
            subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                            "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                            "-keyout", key, "-out", cert], check=True, capture_output=True, timeout=20)
            double = Double("--tls-cert", cert, "--tls-key", key)
            try:
                self.assertRegex(double.url, r"^https://127\.0\.0\.1:[0-9]+/graphql/v1$")
                double.tls_context = ssl.create_default_context(cafile=cert)
                conn = double.connection()
                headers = cavage_headers("POST", double.path, double.authority, LOGIN)
                conn.request("POST", double.path, LOGIN, headers)
                response = conn.getresponse()
                self.assertEqual((response.status, json.loads(response.read())["data"]),
                                 (200, {"login": {"email": "demo@example.com"}}))
                conn.request("GET", "/_control/stats")
                self.assertEqual(json.loads(conn.getresponse().read())["connections"], 1)
                conn.close()
            finally:
                self.assertEqual(double.stop(), 0)
        finally:
            shutil.rmtree(directory, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# GraphQL


class GraphQLTest(DoubleTestCase):
    def connect(self, service_id, **variables):
        return self.data(CONNECT, {"id": service_id, **variables})["connect"]

    def test_connect_to_a_tcp_service_gives_a_port_proxy(self):
        connection = self.connect(TCP_SERVICE)
        self.assertRegex(connection["host"], r"^proxy[0-9]{2}\.rt3\.io$")
        self.assertTrue(30000 <= connection["port"] <= 39999)
        self.assertIs(connection["reverseProxy"], False)
        self.assertEqual(connection["url"], f"tcp://{connection['host']}:{connection['port']}")
        self.assertEqual((connection["timeout"], connection["__typename"]), (15, "Connection"))
        self.assertRegex(connection["created"], r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$")
        self.assertEqual(self.stats()["active_connections"], 1)

    def test_connect_to_an_http_service_gives_a_reverse_proxy(self):
        connection = self.connect(HTTP_SERVICE)
        self.assertRegex(connection["host"], r"^[a-z0-9]+\.p18\.rt3\.io$")
        self.assertIsNone(connection["port"])
        self.assertIs(connection["reverseProxy"], True)
        self.assertEqual(connection["url"], f"https://{connection['host']}")

    def test_connect_with_host_ip_and_port_proxy_literals(self):
        data = self.data(f'mutation {{ connect(serviceId: "{HTTP_SERVICE}", hostIP: "192.0.2.7", '
                         "type: PORT_PROXY) { port reverseProxy } }")
        self.assertIs(data["connect"]["reverseProxy"], False)
        self.assertIsInstance(data["connect"]["port"], int)

    def test_connect_type_from_a_string_variable(self):
        data = self.data("mutation ($id: String!, $t: ProxyType) "
                         "{ connect(serviceId: $id, type: $t) { reverseProxy } }",
                         {"id": HTTPS_SERVICE, "t": "PORT_PROXY"})
        self.assertIs(data["connect"]["reverseProxy"], False)

    def test_connect_with_a_host_ip_that_is_not_ipv4_is_an_error(self):
        status, result = self.graphql(f'mutation {{ connect(serviceId: "{TCP_SERVICE}", hostIP: "::1") {{ id }} }}')
        self.assertEqual(status, 200)
        self.assertIsNone(result["data"])
        self.assertIn("hostIP", result["errors"][0]["message"])

    def test_enum_argument_given_as_a_string_literal_is_an_error(self):
        _, result = self.graphql(f'mutation {{ connect(serviceId: "{TCP_SERVICE}", type: "PORT_PROXY") {{ id }} }}')
        self.assertIn('Argument "type" has invalid value', result["errors"][0]["message"])

    def test_connect_to_an_unknown_service_is_an_error_with_path(self):
        status, result = self.graphql(CONNECT, {"id": "80:00:00:00:00:00:99:99"})
        self.assertEqual(status, 200)
        self.assertEqual(result, {"data": None, "errors": [
            {"message": "Service not found: 80:00:00:00:00:00:99:99", "path": ["connect"]}]})

    def test_disconnect_removes_the_connection_and_a_second_one_is_an_error(self):
        connection_id = self.connect(TCP_SERVICE)["id"]
        disconnect = "mutation ($c: String!) { disconnect(connectionId: $c, serviceId: \"%s\") }" % TCP_SERVICE
        self.assertEqual(self.data(disconnect, {"c": connection_id}), {"disconnect": True})
        self.assertEqual(self.stats()["active_connections"], 0)
        _, result = self.graphql(disconnect, {"c": connection_id})
        self.assertEqual(result, {"data": None, "errors": [
            {"message": f"Connection not found: {connection_id}", "path": ["disconnect"]}]})

    def test_root_fields_resolve_independently_with_unique_ports(self):
        _, result = self.graphql(f'mutation {{ a: connect(serviceId: "{TCP_SERVICE}") {{ port }} '
                                 f'b: connect(serviceId: "80:00:00:00:01:00:00:22") {{ port }} '
                                 'c: connect(serviceId: "nope") { port } }')
        self.assertIsNone(result["data"])  # connect is non-null: one failure nulls the data
        self.assertEqual(result["errors"], [{"message": "Service not found: nope", "path": ["c"]}])
        self.assertEqual(self.stats()["active_connections"], 2)
        ports = {self.connect(TCP_SERVICE)["port"] for _ in range(20)}
        self.assertEqual(len(ports), 20)

    def test_login_lists_the_fixture_devices_by_default(self):
        data = self.data("query { login { email devices { total hasMore "
                         "items { id name state services { id name } } } } }")
        devices = data["login"]["devices"]
        self.assertEqual((devices["total"], devices["hasMore"]), (3, False))
        self.assertEqual(devices["items"], [
            {"id": d["id"], "name": d["name"], "state": d["state"],
             "services": [{"id": s["id"], "name": s["name"]} for s in d["services"]]}
            for d in api_double.FIXTURE["devices"]])

    def test_devices_paging_by_size_and_from(self):
        query = ("query Page($size: Int, $from: Int) "
                 "{ login { devices(size: $size, from: $from) { total hasMore items { id } } } }")
        first = self.data(query, {"size": 2, "from": 0})["login"]["devices"]
        rest = self.data(query, {"size": 2, "from": 2})["login"]["devices"]
        self.assertEqual((first["total"], first["hasMore"], len(first["items"])), (3, True, 2))
        self.assertEqual((rest["total"], rest["hasMore"]), (3, False))
        self.assertEqual(rest["items"], [{"id": "80:00:00:00:01:00:00:03"}])

    def test_devices_size_out_of_range_is_an_error(self):
        for size in (-1, 1001):
            _, result = self.graphql("{ login { devices(size: %d) { total } } }" % size)
            self.assertEqual(result["data"], {"login": None})
            self.assertEqual(result["errors"][0]["path"], ["login", "devices"])

    def test_aliases_literal_arguments_and_comments(self):
        data = self.data('# a comment\n{ me: login { mail: email, first: devices(size: 1) { items { id } } '
                         "later: devices(size: 5, from: 1) { items { n: name } } } }")
        self.assertEqual(list(data["me"]), ["mail", "first", "later"])
        self.assertEqual(data["me"]["first"]["items"], [{"id": "80:00:00:00:01:00:00:01"}])
        self.assertEqual(data["me"]["later"]["items"], [{"n": "lab-pi"}, {"n": "old-nas"}])

    def test_variable_defaults_apply(self):
        data = self.data("query ($n: Int = 1) { login { devices(size: $n) { items { id } } } }")
        self.assertEqual(len(data["login"]["devices"]["items"]), 1)

    def test_operation_name_picks_the_operation(self):
        body = json.dumps({"query": "query A { login { email } } query B { __typename }",
                           "operationName": "B"}).encode()
        _, data = self.post(body)
        self.assertEqual(json.loads(data), {"data": {"__typename": "Query"}})

    def test_unknown_field_is_an_error(self):
        _, result = self.graphql("{ login { password } }")
        self.assertEqual(result["errors"][0]["message"], 'Cannot query field "password" on type "User".')
        self.assertNotIn("data", result)

    def test_missing_required_variable_is_an_error(self):
        _, result = self.graphql(CONNECT)
        self.assertIn('Variable "$id" of required type "String!" was not provided.', result["errors"][0]["message"])

    def test_syntax_error_gets_400_with_a_location(self):
        status, result = self.graphql("{ login { email }")
        self.assertEqual(status, 400)
        self.assertTrue(result["errors"][0]["message"].startswith("Syntax Error: "), result)
        self.assertEqual(result["errors"][0]["locations"], [{"line": 1, "column": 18}])

    def test_query_nested_too_deeply_gets_400(self):
        status, result = self.graphql("{ login " + "{ a " * 40 + "}" * 41)
        self.assertEqual(status, 400)
        self.assertIn("Nested deeper than", result["errors"][0]["message"])

    def test_body_that_is_not_json_gets_400(self):
        response, data = self.post(b"query { login { email } }")
        self.assertEqual(response.status, 400)
        self.assertIn("not valid JSON", json.loads(data)["errors"][0]["message"])


# ---------------------------------------------------------------------------------------------
# Faults


class FaultTest(DoubleTestCase):
    def fault(self, kind, **options):
        status, _ = self.control("POST", "/_control/fault", {"kind": kind, **options})
        self.assertEqual(status, 200)

    def test_status_faults(self):
        for kind, status, message in (("500", 500, "internal error"), ("503", 503, "service unavailable"),
                                      ("429", 429, "rate limited")):
            self.fault(kind)
            response, data = self.post(LOGIN)
            self.assertEqual((response.status, json.loads(data)["message"]), (status, message))
        self.assertEqual(response.getheader("Retry-After"), "7")

    def test_429_carries_the_given_retry_after(self):
        self.fault("429", retry_after=30)
        self.assertEqual(self.post(LOGIN)[0].getheader("Retry-After"), "30")

    def test_malformed_json(self):
        self.fault("malformed_json")
        response, data = self.post(LOGIN)
        self.assertEqual((response.status, response.getheader("Content-Type")), (200, "application/json"))
        with self.assertRaises(ValueError):
            json.loads(data)

    def test_non_json(self):
        self.fault("non_json")
        response, data = self.post(LOGIN)
        self.assertEqual((response.status, response.getheader("Content-Type")), (200, "text/html"))
        self.assertTrue(data.startswith(b"<html>"))

    def test_slow_answers_normally_after_the_delay(self):
        self.fault("slow", delay_ms=300)
        started = time.monotonic()
        response, data = self.post(LOGIN)
        self.assertGreaterEqual(time.monotonic() - started, 0.3)
        self.assertEqual((response.status, json.loads(data)["data"]["login"]["email"]), (200, "demo@example.com"))

    def test_reset_closes_the_connection_without_an_answer(self):
        self.fault("reset")
        with self.assertRaises(ConnectionError):
            self.post(LOGIN)

    def test_truncated_body_is_shorter_than_content_length(self):
        self.fault("truncated")
        with self.assertRaises(http.client.IncompleteRead):
            self.post(LOGIN)

    def test_redirect_points_at_the_same_url(self):
        self.fault("redirect")
        response, _ = self.post(LOGIN)
        self.assertEqual((response.status, response.getheader("Location")), (302, self.double.url))

    def test_forced_401_has_a_date_an_hour_in_the_past(self):
        self.fault("401")
        response, data = self.post(LOGIN)
        self.assert_unauthorized(response, data, "invalid signature")
        offset = email.utils.parsedate_to_datetime(response.getheader("Date")).timestamp() - time.time()
        self.assertAlmostEqual(offset, -3600, delta=5)
        self.assertEqual(self.stats()["rejected"], 1)

    def test_graphql_error_returns_two_errors(self):
        self.fault("graphql_error")
        response, data = self.post(LOGIN)
        result = json.loads(data)
        self.assertEqual((response.status, result["data"], len(result["errors"])), (200, None, 2))

    def test_count_serves_the_fault_that_many_times_then_normal_answers(self):
        self.fault("503", count=2)
        self.assertEqual([self.post(LOGIN)[0].status for _ in range(3)], [503, 503, 200])
        self.assertEqual(self.stats()["faults_served"], 2)

    def test_faults_apply_only_to_verified_requests(self):
        self.fault("500")
        self.assertEqual(self.post(LOGIN, secret=b"wrong")[0].status, 401)
        self.assertEqual(self.post(LOGIN)[0].status, 500)

    def test_delete_clears_pending_faults(self):
        self.fault("500", count=3)
        self.assertEqual(self.control("DELETE", "/_control/fault")[1]["cleared"], 3)
        self.assertEqual(self.post(LOGIN)[0].status, 200)

    def test_reset_zeroes_counters_and_keeps_connections_unless_asked(self):
        self.data(CONNECT, {"id": TCP_SERVICE})
        stats = self.control("POST", "/_control/reset")[1]
        self.assertEqual((stats["requests"], stats["active_connections"]), (0, 1))
        self.assertEqual(self.control("POST", "/_control/reset", {"connections": True})[1]["active_connections"], 0)


# ---------------------------------------------------------------------------------------------
# Added in 0.2: run-time clock, keyed faults and attempts, keep-alive closing, X-R3-Warning


MINIMAL_HEADERS = ["(request-target)", "host", "date"]
LIST_QUERY = ("query List($size: Int, $from: Int, $name: String) { login { devices(size: $size, from: $from, "
              "name: $name) { total hasMore items { id name state online services { id name application port } } } } }")


def http_response_head(sock, buffer=b""):
    """Read from ``sock`` until the end of a response head; returns (head text, rest)."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed after {buffer[:200]!r}")
        buffer += chunk
    head, _, rest = buffer.partition(b"\r\n\r\n")
    return head.decode("latin-1"), rest


def signed_raw_request(double, body=LOGIN, target=None, headers=None):
    """A signed POST as bytes, for raw sockets."""
    target = target or double.path
    all_headers = {"Host": double.authority, "Content-Length": str(len(body)),
                   **cavage_headers("POST", target, double.authority, body), **(headers or {})}
    head = f"POST {target} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in all_headers.items()) + "\r\n"
    return head.encode("latin-1") + body


class RunTimeClockTest(DoubleTestCase):
    options = ("--max-skew", "30")

    def tearDown(self):
        self.control("POST", "/_control/clock", {"offset": 0})

    def test_clock_offset_moves_the_date_header_and_the_freshness_check(self):
        for offset in (600, -600):
            with self.subTest(offset=offset):
                status, result = self.control("POST", "/_control/clock", {"offset": offset})
                self.assertEqual((status, result["offset"]), (200, offset))
                response, _ = self.exchange("GET", "/_control/health")
                shown = email.utils.parsedate_to_datetime(response.getheader("Date")).timestamp() - time.time()
                self.assertAlmostEqual(shown, offset, delta=5)
                self.assert_unauthorized(*self.post(LOGIN), f"skew {'-' if offset > 0 else '+'}")
                date = email.utils.formatdate(time.time() + offset, usegmt=True)
                self.assertEqual(self.post(LOGIN, date=date)[0].status, 200)

    def test_clock_offset_applies_to_rfc9421_created(self):
        self.control("POST", "/_control/clock", {"offset": 600})
        response, data = self.post(LOGIN, signer=rfc9421_headers)
        self.assertEqual(response.status, 401)
        response, _ = self.post(LOGIN, signer=rfc9421_headers, created=int(time.time()) + 600)
        self.assertEqual(response.status, 200)

    def test_get_clock_and_bad_bodies(self):
        self.control("POST", "/_control/clock", {"offset": -12.5})
        status, result = self.control("GET", "/_control/clock")
        self.assertEqual((status, result["offset"]), (200, -12.5))
        self.assertAlmostEqual(result["time"], time.time() - 12.5, delta=2)
        for body in ({}, {"offset": "10"}, {"offset": True}, {"offset": 1, "x": 2}):
            self.assertEqual(self.control("POST", "/_control/clock", body)[0], 400, body)

    def test_reset_with_settings_restores_the_start_up_clock(self):
        self.control("POST", "/_control/clock", {"offset": 900})
        self.control("POST", "/_control/reset")
        self.assertEqual(self.control("GET", "/_control/clock")[1]["offset"], 900)
        self.control("POST", "/_control/reset", {"settings": True})
        self.assertEqual(self.control("GET", "/_control/clock")[1]["offset"], 0)


class KeyedFaultTest(DoubleTestCase):
    def fault(self, **options):
        status, result = self.control("POST", "/_control/fault", options)
        self.assertEqual(status, 200, result)
        return result

    def attempts(self, key=None):
        if key is None:
            return self.control("GET", "/_control/attempts")[1]
        return self.control("GET", "/_control/attempts?key=" + urllib.parse.quote(key))[1]["attempts"]

    def test_502_and_504(self):
        for kind, message in (("502", "bad gateway"), ("504", "gateway timeout")):
            self.fault(kind=kind)
            response, data = self.post(LOGIN)
            self.assertEqual((response.status, json.loads(data)["message"]), (int(kind), message))
            self.assertIsNone(response.getheader("Retry-After"))

    def test_503_once_then_success_is_two_attempts(self):
        self.fault(kind="503")
        self.assertEqual([self.post(LOGIN)[0].status for _ in range(2)], [503, 200])
        self.assertEqual(self.attempts("field:login"), 2)
        self.assertEqual(self.attempts("kind:query"), 2)
        self.assertEqual(self.stats()["attempts"], 2)

    def test_503_always_until_cleared(self):
        self.assertEqual(self.fault(kind="503", always=True)["pending_faults"], 0)
        self.assertEqual([self.post(LOGIN)[0].status for _ in range(4)], [503] * 4)
        self.control("DELETE", "/_control/fault")
        self.assertEqual(self.post(LOGIN)[0].status, 200)

    def test_always_and_count_together_are_refused(self):
        self.assertEqual(self.control("POST", "/_control/fault", {"kind": "503", "always": True, "count": 2})[0], 400)
        self.assertEqual(self.control("POST", "/_control/fault", {"kind": "503", "always": False})[0], 400)

    def test_429_with_retry_after_once(self):
        self.fault(kind="429", retry_after=2)
        response, _ = self.post(LOGIN)
        self.assertEqual((response.status, response.getheader("Retry-After")), (429, "2"))
        self.assertEqual(self.post(LOGIN)[0].status, 200)

    def test_retry_after_on_503_only_when_asked_and_as_text(self):
        self.fault(kind="503", retry_after=3)
        self.assertEqual(self.post(LOGIN)[0].getheader("Retry-After"), "3")
        self.fault(kind="429", retry_after="Wed, 21 Oct 2015 07:28:00 GMT")
        self.assertEqual(self.post(LOGIN)[0].getheader("Retry-After"), "Wed, 21 Oct 2015 07:28:00 GMT")
        self.assertEqual(self.control("POST", "/_control/fault", {"kind": "429", "retry_after": "1\r\nX: y"})[0], 400)

    def test_502_once_on_a_mutation_leaves_queries_alone(self):
        self.fault(kind="502", on="mutation")
        self.assertEqual(self.post(LOGIN)[0].status, 200)
        status, result = self.graphql(CONNECT, {"id": TCP_SERVICE})
        self.assertEqual(status, 502)
        self.assertEqual(self.graphql(CONNECT, {"id": TCP_SERVICE})[0], 200)
        self.assertEqual((self.attempts("kind:mutation"), self.attempts("field:connect"), self.attempts("op:Connect")),
                         (2, 2, 2))
        self.assertEqual(self.attempts("kind:query"), 1)

    def test_502_once_on_a_query_leaves_mutations_alone(self):
        self.fault(kind="502", on="query")
        self.assertEqual(self.graphql(CONNECT, {"id": TCP_SERVICE})[0], 200)
        self.assertEqual(self.post(LOGIN)[0].status, 502)
        self.assertEqual(self.post(LOGIN)[0].status, 200)

    def test_fault_by_key_and_attempts_listing(self):
        self.fault(kind="500", key="field:connect", count=2)
        self.assertEqual(self.post(LOGIN)[0].status, 200)
        self.assertEqual([self.graphql(CONNECT, {"id": TCP_SERVICE})[0] for _ in range(3)], [500, 500, 200])
        listing = self.attempts()
        self.assertEqual(listing["total"], 4)
        self.assertEqual(listing["keys"]["field:connect"], 3)
        self.assertEqual(listing["keys"]["field:login"], 1)
        self.assertEqual(self.attempts("op:Nothing"), 0)

    def test_rejected_and_unparsable_requests_are_attempts_too(self):
        self.post(LOGIN, secret=b"wrong")
        self.post(b"not json")
        self.assertEqual((self.attempts("field:login"), self.attempts("kind:invalid")), (1, 1))
        self.assertEqual(self.stats()["rejected"], 1)

    def test_reset_zeroes_the_attempts(self):
        self.post(LOGIN)
        self.control("POST", "/_control/reset")
        self.assertEqual(self.attempts(), {"total": 0, "keys": {}})

    def test_bad_fault_options_are_refused(self):
        for body in ({"kind": "502", "on": "subscription"}, {"kind": "502", "key": 3}, {"kind": "huge_body", "size": -1},
                     {"kind": "huge_error", "status": 99}, {"kind": "deep_data", "depth": 0},
                     {"kind": "drip", "interval_ms": "x"}, {"kind": "redirect_301", "location": "/a\r\nb"}):
            self.assertEqual(self.control("POST", "/_control/fault", body)[0], 400, body)


class KeepAliveCloseTest(DoubleTestCase):
    def tearDown(self):
        self.control("POST", "/_control/keepalive", {"close_after": 0})

    def answers_on_one_connection(self, count):
        """Send up to ``count`` requests on one socket; the heads answered, and whether the
        double then closed the connection."""
        heads = []
        with socket.create_connection(("127.0.0.1", self.double.port), timeout=5) as sock:
            for _ in range(count):
                try:
                    sock.sendall(signed_raw_request(self.double))
                    head, rest = http_response_head(sock)
                except (ConnectionError, OSError):
                    return heads, True
                length = int(next(line.split(":")[1] for line in head.split("\r\n")
                                  if line.lower().startswith("content-length:")))
                while len(rest) < length:
                    rest += sock.recv(65536)
                heads.append(head)
            sock.settimeout(2)
            try:
                return heads, sock.recv(1) == b""
            except socket.timeout:
                return heads, False

    def test_closes_after_n_answers_without_connection_close(self):
        self.assertEqual(self.control("POST", "/_control/keepalive", {"close_after": 2})[1],
                         {"close_after": 2, "delay_ms": 0})
        heads, closed = self.answers_on_one_connection(2)
        self.assertEqual(len(heads), 2)
        self.assertTrue(closed)
        self.assertFalse(any("connection: close" in head.lower() for head in heads))

    def test_a_third_request_on_the_connection_gets_no_answer(self):
        self.control("POST", "/_control/keepalive", {"close_after": 2})
        heads, closed = self.answers_on_one_connection(3)
        self.assertEqual((len(heads), closed), (2, True))

    def test_delay_keeps_the_connection_open_that_long(self):
        self.control("POST", "/_control/keepalive", {"close_after": 1, "delay_ms": 300})
        with socket.create_connection(("127.0.0.1", self.double.port), timeout=5) as sock:
            sock.sendall(signed_raw_request(self.double))
            http_response_head(sock)
            started = time.monotonic()
            sock.settimeout(5)
            while sock.recv(65536):
                pass
            self.assertGreaterEqual(time.monotonic() - started, 0.2)

    def test_off_by_default_and_with_zero(self):
        heads, closed = self.answers_on_one_connection(5)
        self.assertEqual((len(heads), closed), (5, False))
        self.assertEqual(self.control("POST", "/_control/keepalive", {"close_after": -1})[0], 400)


class WarningTest(DoubleTestCase):
    def test_the_next_n_api_answers_carry_the_warning(self):
        status, result = self.control("POST", "/_control/warning", {"text": "API v1 is deprecated", "count": 2})
        self.assertEqual((status, result), (200, {"text": "API v1 is deprecated", "remaining": 2}))
        self.assertIsNone(self.exchange("GET", "/_control/health")[0].getheader("X-R3-Warning"))
        warnings = [self.post(LOGIN)[0].getheader("X-R3-Warning") for _ in range(3)]
        self.assertEqual(warnings, ["API v1 is deprecated", "API v1 is deprecated", None])

    def test_delete_clears_and_bad_text_is_refused(self):
        self.control("POST", "/_control/warning", {"text": "x"})
        self.control("DELETE", "/_control/warning")
        self.assertIsNone(self.post(LOGIN)[0].getheader("X-R3-Warning"))
        for body in ({"text": "a\r\nb"}, {"count": 1}, {"text": "x", "count": 0}):
            self.assertEqual(self.control("POST", "/_control/warning", body)[0], 400, body)


# ---------------------------------------------------------------------------------------------
# Added in 0.2: generated fixtures, paging, organisation account, paging misbehaviour, REST


class GeneratedFixtureTest(DoubleTestCase):
    options = ("--devices", "2500")

    def page(self, **variables):
        return self.data(LIST_QUERY, variables)["login"]["devices"]

    def test_pages_of_1000_cover_every_device_once_in_order(self):
        seen, start = [], 0
        while True:
            page = self.page(size=1000, **{"from": start})
            self.assertEqual(page["total"], 2500)
            seen += page["items"]
            start += len(page["items"])
            if not page["hasMore"]:
                break
        self.assertEqual(len(seen), 2500)
        self.assertEqual([device["id"] for device in seen][:2], ["80:00:00:00:02:00:00:01", "80:00:00:00:02:00:00:02"])
        self.assertEqual(seen[-1]["id"], "80:00:00:00:02:00:09:c4")
        self.assertEqual(len({device["id"] for device in seen}), 2500)

    def test_default_size_is_100_and_more_than_1000_is_an_error(self):
        page = self.page()
        self.assertEqual((len(page["items"]), page["hasMore"]), (100, True))
        _, result = self.graphql(LIST_QUERY, {"size": 1001})
        self.assertIn("size must be between 0 and 1000", result["errors"][0]["message"])
        self.assertEqual(self.page(size=1000, **{"from": 2000})["hasMore"], False)
        self.assertEqual(self.page(size=10, **{"from": 5000})["items"], [])

    def test_devices_have_state_online_and_one_to_three_services(self):
        devices = self.page(size=8)["items"]
        self.assertEqual(devices[0]["name"], "d000001-garage-pi")
        self.assertEqual(devices[1]["name"], "d000002-Office-Gateway")
        self.assertEqual([device["state"] for device in devices[:4]], ["active", "active", "active", "inactive"])
        self.assertEqual([device["online"] for device in devices[:4]], [True, True, True, False])
        self.assertEqual([len(device["services"]) for device in devices[:4]], [1, 2, 3, 1])
        self.assertEqual(devices[2]["services"], [
            {"id": "80:00:00:00:03:00:00:0c", "name": "SSH", "application": 28, "port": 22},
            {"id": "80:00:00:00:03:00:00:0d", "name": "Web admin", "application": 7, "port": 80},
            {"id": "80:00:00:00:03:00:00:0e", "name": "VNC", "application": 4, "port": 5900}])

    def test_name_filter_is_a_case_insensitive_substring(self):
        page = self.page(size=1000, name="GARAGE")
        self.assertEqual(page["total"], 500)
        self.assertTrue(all("garage" in device["name"] for device in page["items"]))
        self.assertEqual(self.page(name="d000002-office")["items"][0]["id"], "80:00:00:00:02:00:00:02")
        self.assertEqual(self.page(name="no such device")["total"], 0)

    def test_connect_to_a_generated_service(self):
        connection = self.data(CONNECT, {"id": "80:00:00:00:03:00:00:0e"})["connect"]
        self.assertIs(connection["reverseProxy"], False)
        _, result = self.graphql(CONNECT, {"id": "80:00:00:00:03:00:00:0f"})  # device 3 has 3 services
        self.assertIn("Service not found", result["errors"][0]["message"])

    def test_fixture_can_be_changed_at_run_time(self):
        try:
            self.assertEqual(self.control("POST", "/_control/fixture", {"devices": 1})[1]["own_total"], 1)
            self.assertEqual(self.page()["total"], 1)
            self.control("POST", "/_control/fixture", {"devices": None})
            self.assertEqual([d["id"] for d in self.page()["items"]], [d["id"] for d in api_double.FIXTURE["devices"]])
            self.assertEqual(self.control("POST", "/_control/fixture", {"devices": -1})[0], 400)
        finally:
            self.control("POST", "/_control/reset", {"settings": True})
        self.assertEqual(self.page()["total"], 2500)


class SmallFixtureTest(DoubleTestCase):
    def test_default_fixture_has_online_and_application(self):
        devices = self.data(LIST_QUERY)["login"]["devices"]["items"]
        self.assertEqual([device["online"] for device in devices], [True, True, False])
        self.assertEqual(devices[0]["services"][0], {"id": TCP_SERVICE, "name": "SSH", "application": 28, "port": 22})
        self.assertEqual(self.data(LIST_QUERY, {"name": "LAB"})["login"]["devices"]["items"][0]["name"], "lab-pi")


ORG_QUERY = ("query Org($id: String, $size: Int, $from: Int, $name: String) { login { account(id: $id) { id email "
             "devices(size: $size, from: $from, name: $name) { total hasMore items { id name services { id } } } } } }")


class OrganisationTest(DoubleTestCase):
    options = ("--org-devices", "1200")

    def test_the_organisation_account_has_its_own_devices(self):
        account = self.data(ORG_QUERY, {"id": api_double.ORG_ACCOUNT["id"], "size": 1000})["login"]["account"]
        self.assertEqual((account["id"], account["email"]), (api_double.ORG_ACCOUNT["id"], "org@example.com"))
        devices = account["devices"]
        self.assertEqual((devices["total"], devices["hasMore"], len(devices["items"])), (1200, True, 1000))
        self.assertEqual(devices["items"][0], {"id": "80:00:00:00:04:00:00:01", "name": "org-d000001-garage-pi",
                                               "services": [{"id": "80:00:00:00:05:00:00:04"}]})
        rest = self.data(ORG_QUERY, {"id": api_double.ORG_ACCOUNT["id"], "size": 1000, "from": 1000})
        self.assertEqual(len(rest["login"]["account"]["devices"]["items"]), 200)
        self.assertEqual(self.data(ORG_QUERY, {"id": api_double.ORG_ACCOUNT["id"], "name": "ORG-D000007"})
                         ["login"]["account"]["devices"]["total"], 1)

    def test_an_unknown_account_is_a_graphql_error(self):
        status, result = self.graphql(ORG_QUERY, {"id": "no-such-account"})
        self.assertEqual(status, 200)
        self.assertEqual(result["data"], {"login": {"account": None}})
        self.assertEqual(result["errors"][0]["path"], ["login", "account"])
        self.assertIn("Account not found: no-such-account", result["errors"][0]["message"])

    def test_own_account_by_id_and_connect_to_an_org_service(self):
        own = self.data(ORG_QUERY, {"id": api_double.FIXTURE["account"]["id"]})["login"]["account"]
        self.assertEqual(own["devices"]["total"], 3)
        self.assertEqual(self.data(CONNECT, {"id": "80:00:00:00:05:00:00:04"})["connect"]["reverseProxy"], False)


class PagingMisbehaviourTest(DoubleTestCase):
    options = ("--devices", "2500")

    def tearDown(self):
        self.control("DELETE", "/_control/paging")

    def page(self, start):
        return self.data(LIST_QUERY, {"size": 1000, "from": start})["login"]["devices"]

    def test_repeat_page_answers_the_previous_page_again(self):
        self.assertEqual(self.control("POST", "/_control/paging", {"mode": "repeat_page"})[1], {"mode": "repeat_page"})
        first, second = self.page(0), self.page(1000)
        self.assertEqual(first["items"], second["items"])
        self.assertTrue(second["hasMore"])

    def test_changing_total_grows_with_every_page(self):
        self.control("POST", "/_control/paging", {"mode": "changing_total"})
        self.assertEqual([self.page(start)["total"] for start in (0, 1000, 2000)], [2500, 2501, 2502])

    def test_empty_page_while_has_more(self):
        self.control("POST", "/_control/paging", {"mode": "empty_page"})
        page = self.page(0)
        self.assertEqual((page["items"], page["hasMore"], page["total"]), ([], True, 2500))

    def test_delete_restores_normal_paging_and_bad_modes_are_refused(self):
        self.control("POST", "/_control/paging", {"mode": "empty_page"})
        self.assertEqual(self.control("DELETE", "/_control/paging")[1], {"mode": None})
        self.assertEqual(len(self.page(0)["items"]), 1000)
        self.assertEqual(self.control("POST", "/_control/paging", {"mode": "loop"})[0], 400)


class RestTest(DoubleTestCase):
    def rest(self, method, path, developer_key=DEVELOPER_KEY, header="DeveloperKey", body=b"", key_id=KEY_ID,
             secret=SECRET):
        target = "/apv/v27" + path
        signed = MINIMAL_HEADERS + (["content-type", "content-length"] if body else [])
        headers = cavage_headers(method, target, self.double.authority, body, key_id=key_id, secret=secret,
                                 signed=signed)
        if developer_key is not None:
            headers[header] = developer_key
        response, data = self.exchange(method, target, body or None, headers)
        return response.status, json.loads(data)

    def test_user_info_with_the_right_developer_key(self):
        status, result = self.rest("GET", "/user/info")
        self.assertEqual((status, result["status"], result["email"]), (200, "true", "demo@example.com"))
        self.assertEqual(self.stats()["verified"], 1)

    def test_developer_key_header_name_is_case_insensitive(self):
        self.assertEqual(self.rest("GET", "/user/info", header="developerkey")[1]["status"], "true")

    def test_wrong_or_missing_developer_key_is_status_false_with_http_200(self):
        status, result = self.rest("GET", "/user/info", developer_key="WRONG")
        self.assertEqual((status, result["status"], result["code"]), (200, "false", "INVALID_DEVELOPER_KEY"))
        self.assertIn("invalid developer key", result["reason"])
        status, result = self.rest("GET", "/user/info", developer_key=None)
        self.assertEqual((status, result["status"], result["code"]), (200, "false", "MISSING_DEVELOPER_KEY"))

    def test_a_key_without_a_developer_key_in_its_section_is_refused(self):
        status, result = self.rest("GET", "/user/info", key_id=LAB_KEY_ID, secret=LAB_SECRET)
        self.assertEqual((status, result["status"]), (200, "false"))

    def test_device_list_all(self):
        status, result = self.rest("GET", "/device/list/all")
        self.assertEqual((status, result["status"]), (200, "true"))
        addresses = [entry["deviceaddress"] for entry in result["devices"]]
        self.assertIn("80:00:00:00:01:00:00:01", addresses)
        self.assertIn(TCP_SERVICE, addresses)

    def test_signature_is_checked_on_the_rest_path(self):
        status, result = self.rest("GET", "/user/info", secret=b"wrong")
        self.assertEqual((status, result["message"]), (401, "invalid signature"))
        # The request target is signed: a signature for another path is refused.
        target = "/apv/v27/user/info"
        headers = cavage_headers("GET", target, self.double.authority, b"", signed=MINIMAL_HEADERS,
                                 signed_target="/apv/v27/device/list/all")
        headers["DeveloperKey"] = DEVELOPER_KEY
        self.assertEqual(self.exchange("GET", target, None, headers)[0].status, 401)

    def test_post_to_another_path_is_a_404_json(self):
        status, result = self.rest("POST", "/device/connect", body=b'{"deviceaddress": "x", "wait": "true"}')
        self.assertEqual((status, result["status"], result["code"]), (404, "false", "NOT_FOUND"))
        self.assertEqual(self.rest("POST", "/user/info", body=b"{}")[0], 405)

    def test_rest_attempts_and_faults(self):
        self.control("POST", "/_control/fault", {"kind": "503", "on": "rest"})
        self.assertEqual(self.post(LOGIN)[0].status, 200)
        self.assertEqual(self.rest("GET", "/user/info")[0], 503)
        self.assertEqual(self.rest("GET", "/user/info")[0], 200)
        key = urllib.parse.quote("path:/apv/v27/user/info")
        self.assertEqual(self.control("GET", f"/_control/attempts?key={key}")[1]["attempts"], 2)


# ---------------------------------------------------------------------------------------------
# Added in 0.2: hostile servers


class HostileServerTest(DoubleTestCase):
    def fault(self, kind, **options):
        status, result = self.control("POST", "/_control/fault", {"kind": kind, **options})
        self.assertEqual(status, 200, result)

    def raw_exchange(self, timeout=10, limit=64 * 1024 * 1024):
        """Send a signed login request on a raw socket; (bytes until close or ``limit``, reset?)."""
        data, reset = b"", False
        with socket.create_connection(("127.0.0.1", self.double.port), timeout=timeout) as sock:
            sock.sendall(signed_raw_request(self.double, headers={"Connection": "close"}))
            try:
                while len(data) < limit:
                    chunk = sock.recv(1 << 20)
                    if not chunk:
                        break
                    data += chunk
            except ConnectionResetError:
                reset = True
        return data, reset

    def test_deep_errors_and_deep_data(self):
        self.fault("deep_errors")
        _, data = self.post(LOGIN)
        self.assertTrue(data.startswith(b'{"data": null, "errors": ' + b"[" * 200 + b"{"))
        self.fault("deep_data", depth=300)
        _, data = self.post(LOGIN)
        self.assertEqual(data.count(b'{"a": '), 300)

    def test_huge_body_with_content_length_is_streamed(self):
        self.fault("huge_body", size=3 * 1024 * 1024)
        response, data = self.post(LOGIN)
        self.assertEqual((response.status, int(response.getheader("Content-Length")), len(data)),
                         (200, 3 * 1024 * 1024, 3 * 1024 * 1024))
        self.assertEqual(len(json.loads(data)["data"]["login"]["email"]), 3 * 1024 * 1024 - 34)
        self.assertEqual(self.post(LOGIN)[0].status, 200)  # the connection pool and double are fine

    def test_huge_body_without_content_length_is_close_delimited(self):
        self.fault("huge_body_close", size=1024 * 1024)
        data, _ = self.raw_exchange()
        head, _, body = data.partition(b"\r\n\r\n")
        self.assertNotIn(b"content-length", head.lower())
        self.assertIn(b"Connection: close", head)
        self.assertEqual(len(body), 1024 * 1024)

    def test_huge_chunked_body(self):
        self.fault("huge_body_chunked", size=2 * 1024 * 1024)
        response, data = self.post(LOGIN)
        self.assertEqual((response.getheader("Transfer-Encoding"), len(data)), ("chunked", 2 * 1024 * 1024))

    def test_huge_error_is_a_503_with_a_20_mb_body_by_default(self):
        self.fault("huge_error")
        response, data = self.post(LOGIN)
        self.assertEqual((response.status, len(data)), (503, 20 * 1024 * 1024))
        self.fault("huge_body", status=500, size=100)
        response, data = self.post(LOGIN)
        self.assertEqual((response.status, len(data)), (500, 100))

    def test_the_double_stays_small_while_serving_a_huge_body(self):
        self.fault("huge_body", size=200 * 1024 * 1024)
        with socket.create_connection(("127.0.0.1", self.double.port), timeout=10) as sock:
            sock.sendall(signed_raw_request(self.double))
            received = 0
            while received < 150 * 1024 * 1024:
                received += len(sock.recv(1 << 20))
            with open(f"/proc/{self.double.process.pid}/status") as status:
                rss_kb = int(next(line.split()[1] for line in status if line.startswith("VmRSS:")))
        self.assertLess(rss_kb, 100 * 1024)

    def test_drip_sends_one_byte_at_a_time(self):
        self.fault("drip", interval_ms=1)
        started = time.monotonic()
        response, data = self.post(LOGIN)
        self.assertEqual((response.status, json.loads(data)["data"]["login"]["email"]), (200, "demo@example.com"))
        self.assertGreater(time.monotonic() - started, 0.1)

    def test_short_body_then_the_connection_stays_open(self):
        self.fault("short_body_hang")
        with socket.create_connection(("127.0.0.1", self.double.port), timeout=1) as sock:
            sock.sendall(signed_raw_request(self.double))
            head, rest = http_response_head(sock)
            length = int(next(line.split(":")[1] for line in head.split("\r\n") if line.startswith("Content-Length")))
            while len(rest) < length - 1000:
                rest += sock.recv(65536)
            self.assertEqual(length, len(rest) + 1000)
            with self.assertRaises(socket.timeout):
                sock.recv(1)

    def test_two_content_lengths_that_disagree(self):
        self.fault("two_content_lengths")
        data, _ = self.raw_exchange()
        lengths = [line for line in data.split(b"\r\n\r\n")[0].split(b"\r\n") if line.startswith(b"Content-Length")]
        self.assertEqual(len(lengths), 2)
        self.assertNotEqual(lengths[0], lengths[1])

    def test_informational_responses_before_the_answer(self):
        for kind, status in (("continue_100", b"100 Continue"), ("early_hints_103", b"103 Early Hints")):
            self.fault(kind)
            data, _ = self.raw_exchange()
            self.assertTrue(data.startswith(b"HTTP/1.1 " + status + b"\r\n"), data[:100])
            self.assertIn(b"\r\n\r\nHTTP/1.1 200 OK\r\n", data)
            self.assertTrue(data.endswith(b'{"data": {"login": {"email": "demo@example.com"}}}'))

    def test_redirects_301_and_307(self):
        self.fault("redirect_301")
        response, _ = self.post(LOGIN)
        self.assertEqual((response.status, response.getheader("Location")), (301, self.double.url))
        self.fault("redirect_307", location="http://example.invalid/graphql/v1")
        response, _ = self.post(LOGIN)
        self.assertEqual((response.status, response.getheader("Location")), (307, "http://example.invalid/graphql/v1"))

    def test_a_one_megabyte_header(self):
        self.fault("huge_header")
        data, _ = self.raw_exchange()
        head = data.partition(b"\r\n\r\n")[0]
        self.assertGreater(len(head), 1024 * 1024)
        self.assertIn(b"X-Filler: aaaa", head)

    def test_invalid_utf8_in_a_json_string(self):
        self.fault("invalid_utf8")
        _, data = self.post(LOGIN)
        with self.assertRaises(UnicodeDecodeError):
            data.decode("utf-8")

    def test_reset_mid_body(self):
        self.fault("reset_mid_body")
        data, reset = self.raw_exchange()
        self.assertTrue(reset)
        head, _, body = data.partition(b"\r\n\r\n")
        self.assertIn(b"Content-Length: 65536", head)
        self.assertLess(len(body), 65536)

    def test_signature_shapes_in_a_non_json_body(self):
        self.fault("signature_in_body")
        body = LOGIN
        headers = cavage_headers("POST", self.double.path, self.double.authority, body)
        response, data = self.exchange("POST", self.double.path, body, headers)
        signature = headers["Authorization"].rsplit('signature="', 1)[1].rstrip('"')
        text = data.decode()
        self.assertEqual(response.getheader("Content-Type"), "text/plain")
        self.assertIn(signature, text)
        self.assertIn(base64.urlsafe_b64encode(base64.b64decode(signature)).decode().rstrip("="), text)
        self.assertIn(" ".join(signature[i:i + 8] for i in range(0, len(signature), 8)), text)

    def test_signature_in_the_path_of_a_graphql_error(self):
        self.fault("signature_in_error_path")
        body = LOGIN
        headers = rfc9421_headers("POST", self.double.path, self.double.authority, body)
        response, data = self.exchange("POST", self.double.path, body, headers)
        signature = headers["Signature"].split("=:", 1)[1].rstrip(":")
        self.assertEqual(json.loads(data)["errors"][0]["path"][:2], ["login", signature])

    def test_429_with_hostile_retry_after(self):
        self.fault("429_huge_retry_after")
        data, _ = self.raw_exchange()
        self.assertIn(b"Retry-After: " + b"9" * 4096 + b"\r\n", data)
        self.fault("429_control_retry_after")
        data, _ = self.raw_exchange()
        self.assertIn(b"Retry-After: 7\x1b[31m\x07", data)


if __name__ == "__main__":
    unittest.main()
