"""Request signing: the known-answer vectors, the RFC 9421 scheme, argument handling."""

from __future__ import annotations

import base64
import email.utils
import hashlib
import hmac
import ctypes
import time
import unittest
from typing import Any

import support

import remoteit
from remoteit import _native, signing

VECTORS = support.load_json(support.CAVAGE_VECTORS)


def vector_credentials(vector: dict) -> remoteit.Credentials:
    return remoteit.Credentials(vector["access_key_id"], vector["secret_access_key"])


class CavageVectorTest(unittest.TestCase):
    """Every case of tests/data/remoteit-cavage.json, byte for byte."""

    def setUp(self) -> None:
        # Guards the loops below: a file that lost its cases must fail them, not pass them empty.
        self.assertGreater(len(VECTORS), 0, f"{support.CAVAGE_VECTORS} has no cases")

    def test_sign_request_gives_the_vector_date_and_authorization(self) -> None:
        for vector in VECTORS:
            with self.subTest(vector["name"]), vector_credentials(vector) as credentials:
                headers = credentials.sign_request(
                    vector["method"], vector["url"], vector["content_type"], vector["body"], vector["unix_time"]
                )
                self.assertEqual(
                    headers, [("Date", vector["date"]), ("Authorization", vector["authorization"])]
                )

    def test_signing_string_gives_the_vector_signing_string(self) -> None:
        for vector in VECTORS:
            with self.subTest(vector["name"]):
                text = remoteit.signing_string(
                    vector["method"], vector["url"], vector["content_type"],
                    len(vector["body"].encode("utf-8")), vector["unix_time"],
                )
                self.assertEqual(text, vector["signing_string"])

    def test_bytes_body_signs_like_the_same_text(self) -> None:
        vector = next(v for v in VECTORS if v["name"] == "utf8-body")
        with vector_credentials(vector) as credentials:
            headers = credentials.sign_request(
                vector["method"], vector["url"], vector["content_type"],
                vector["body"].encode("utf-8"), vector["unix_time"],
            )
        self.assertEqual(headers[1], ("Authorization", vector["authorization"]))


def native_headers(function: Any, credentials: remoteit.Credentials, method: str, url: str,
                   content_type: str, body: bytes, unix_time: int) -> signing.Headers:
    """The headers of a per-scheme native signing function, called without the binding's wrappers."""
    out = _native.HeadersPtr()
    with credentials._handle.borrow() as native_credentials:
        code = function(native_credentials, method.encode(), url.encode(), content_type.encode(),
                        signing.body_arg(body), len(body), unix_time, ctypes.byref(out))
    remoteit.errors.check(code)
    return signing.take_headers(out)


class SignTest(unittest.TestCase):
    """Credentials.sign, the one entry point, and the per-scheme methods that wrap it."""

    REQUEST = ("POST", "https://api.remote.it/graphql/v1", "application/json", b'{"query":"{ login { id } }"}')
    TIME = 1700000000

    def setUp(self) -> None:
        self.credentials = remoteit.Credentials(support.ACCESS_KEY_ID, support.SECRET_ACCESS_KEY)
        self.addCleanup(self.credentials.close)

    def test_sign_with_cavage_matches_sign_request(self) -> None:
        self.assertEqual(
            self.credentials.sign(remoteit.Scheme.CAVAGE, *self.REQUEST, self.TIME),
            self.credentials.sign_request(*self.REQUEST, self.TIME),
        )

    def test_sign_with_rfc9421_matches_sign_request_rfc9421(self) -> None:
        self.assertEqual(
            self.credentials.sign(remoteit.Scheme.RFC9421, *self.REQUEST, self.TIME),
            self.credentials.sign_request_rfc9421(*self.REQUEST, self.TIME),
        )

    def test_sign_request_gives_what_the_native_remoteit_sign_request_gives(self) -> None:
        self.assertEqual(
            self.credentials.sign_request(*self.REQUEST, self.TIME),
            native_headers(_native.lib.remoteit_sign_request, self.credentials, *self.REQUEST, self.TIME),
        )

    def test_sign_request_rfc9421_gives_what_the_native_remoteit_sign_request_rfc9421_gives(self) -> None:
        self.assertEqual(
            self.credentials.sign_request_rfc9421(*self.REQUEST, self.TIME),
            native_headers(_native.lib.remoteit_sign_request_rfc9421, self.credentials, *self.REQUEST, self.TIME),
        )

    def test_sign_takes_the_scheme_as_a_plain_number(self) -> None:
        self.assertEqual(
            self.credentials.sign(1, *self.REQUEST, self.TIME),
            self.credentials.sign(remoteit.Scheme.RFC9421, *self.REQUEST, self.TIME),
        )

    def test_an_unknown_scheme_raises_invalid_argument_error_with_code_2(self) -> None:
        with self.assertRaises(remoteit.InvalidArgumentError) as caught:
            self.credentials.sign(2, *self.REQUEST, self.TIME)
        self.assertEqual(caught.exception.code, 2)
        self.assertEqual(caught.exception.name, "REMOTEIT_ERR_INVALID_ARGUMENT")

    def test_an_unknown_scheme_is_judged_by_the_library_not_the_binding(self) -> None:
        with self.assertRaises(remoteit.InvalidArgumentError):
            self.credentials.sign_request("GET", "/a-relative-url")  # another last error first
        with self.assertRaises(remoteit.InvalidArgumentError) as caught:
            self.credentials.sign(2, *self.REQUEST, self.TIME)
        self.assertTrue(caught.exception.message)
        self.assertEqual(caught.exception.message, remoteit.errors.last_error_message())

    def test_a_scheme_past_uint32_is_rejected_rather_than_wrapped(self) -> None:
        with self.assertRaises(remoteit.InvalidArgumentError):
            self.credentials.sign(2**32 + remoteit.Scheme.CAVAGE, *self.REQUEST, self.TIME)

    def test_signing_scheme_is_the_0_1_name_of_scheme(self) -> None:
        self.assertIs(remoteit.SigningScheme, remoteit.Scheme)


class SignRequestTest(unittest.TestCase):
    def setUp(self) -> None:
        self.credentials = remoteit.Credentials(support.ACCESS_KEY_ID, support.SECRET_ACCESS_KEY)
        self.addCleanup(self.credentials.close)

    def test_unix_time_none_signs_with_the_current_clock(self) -> None:
        before = time.time()
        date = dict(self.credentials.sign_request("GET", "https://api.remote.it/x"))["Date"]
        signed = email.utils.parsedate_to_datetime(date).timestamp()
        self.assertLessEqual(abs(signed - before), 5)

    def test_a_body_with_nul_bytes_is_passed_whole(self) -> None:
        body = b"a\0b"
        headers = dict(self.credentials.sign_request_rfc9421("POST", "https://a.example/", None, body, 0))
        digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
        self.assertEqual(headers["Content-Digest"], f"sha-256=:{digest}:")

    def test_negative_unix_time_means_now_as_in_c(self) -> None:
        now = dict(self.credentials.sign_request("GET", "https://api.remote.it/", unix_time=-5))["Date"]
        sent = email.utils.parsedate_to_datetime(now).timestamp()
        self.assertLess(abs(sent - time.time()), 60, now)

    def test_a_none_body_is_an_empty_body(self) -> None:
        self.assertEqual(
            self.credentials.sign_request("GET", "https://api.remote.it/", None, None, 0),
            self.credentials.sign_request("GET", "https://api.remote.it/", None, b"", 0),
        )

    def test_a_unix_time_past_int64_is_rejected_rather_than_wrapped(self) -> None:
        with self.assertRaises(remoteit.InvalidArgumentError):
            self.credentials.sign_request("GET", "https://api.remote.it/", unix_time=2**64 + 1)

    def test_a_relative_url_raises_invalid_argument_with_the_library_message(self) -> None:
        with self.assertRaises(remoteit.InvalidArgumentError) as caught:
            self.credentials.sign_request("GET", "/graphql/v1")
        self.assertEqual(caught.exception.code, remoteit.Result.ERR_INVALID_ARGUMENT)
        self.assertTrue(caught.exception.message)

    def test_a_body_that_is_not_bytes_or_text_raises_type_error(self) -> None:
        with self.assertRaises(TypeError):
            self.credentials.sign_request("POST", "https://api.remote.it/", body=42)  # type: ignore[arg-type]

    def test_a_nul_inside_the_url_is_rejected_before_the_library_truncates_it(self) -> None:
        with self.assertRaises(remoteit.InvalidArgumentError):
            self.credentials.sign_request("GET", "https://api.remote.it/a\0b")


class Rfc9421Test(unittest.TestCase):
    """sign_request_rfc9421, checked against the contract's signature base rebuilt here."""

    URL = "https://API.remote.it:8443/graphql/v1?x=1"
    BODY = '{"query":"{ login { email } }"}'
    TIME = 1700000000

    def setUp(self) -> None:
        with remoteit.Credentials(support.ACCESS_KEY_ID, support.SECRET_ACCESS_KEY) as credentials:
            self.headers = credentials.sign_request_rfc9421("post", self.URL, "application/json", self.BODY, self.TIME)

    def test_headers_come_in_the_documented_order(self) -> None:
        self.assertEqual([name for name, _ in self.headers], ["Date", "Content-Digest", "Signature-Input", "Signature"])

    def test_signature_input_lists_the_components_and_parameters(self) -> None:
        self.assertEqual(
            dict(self.headers)["Signature-Input"],
            'remoteit=("@method" "@authority" "@target-uri" "date" "content-digest")'
            f';keyid="{support.ACCESS_KEY_ID}";alg="hmac-sha256";created=1700000000;expires=1700000300',
        )

    def test_content_digest_is_the_sha256_of_the_body(self) -> None:
        digest = base64.b64encode(hashlib.sha256(self.BODY.encode()).digest()).decode()
        self.assertEqual(dict(self.headers)["Content-Digest"], f"sha-256=:{digest}:")

    def test_signature_is_the_hmac_of_the_signature_base(self) -> None:
        headers = dict(self.headers)
        params = headers["Signature-Input"][len("remoteit="):]
        base = "\n".join([
            '"@method": POST',
            '"@authority": api.remote.it:8443',
            '"@target-uri": https://api.remote.it:8443/graphql/v1?x=1',
            f'"date": {headers["Date"]}',
            f'"content-digest": {headers["Content-Digest"]}',
            f'"@signature-params": {params}',
        ])
        secret = base64.b64decode(support.SECRET_ACCESS_KEY)
        expected = base64.b64encode(hmac.new(secret, base.encode(), hashlib.sha256).digest()).decode()
        self.assertEqual(headers["Signature"], f"remoteit=:{expected}:")

    def test_an_empty_body_has_no_content_digest(self) -> None:
        with remoteit.Credentials(support.ACCESS_KEY_ID, support.SECRET_ACCESS_KEY) as credentials:
            headers = credentials.sign_request_rfc9421("GET", self.URL, unix_time=self.TIME)
        self.assertNotIn("Content-Digest", dict(headers))


if __name__ == "__main__":
    unittest.main()
