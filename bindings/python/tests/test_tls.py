"""Client over HTTPS against the API double with a certificate from a private test CA."""

from __future__ import annotations

import tempfile
import unittest
from pathlib import Path

import support

import remoteit

EMAIL_QUERY = "{ login { email } }"


@unittest.skipUnless(support.have_openssl(), "openssl is not installed: tests/gen_test_certs.sh needs it")
class HttpsTest(unittest.TestCase):
    certs: Path
    double: support.ApiDouble
    credentials: remoteit.Credentials

    @classmethod
    def setUpClass(cls) -> None:
        directory = tempfile.TemporaryDirectory(prefix="remoteit-certs-")
        cls.addClassCleanup(directory.cleanup)
        cls.certs = support.make_certs(directory.name)
        cls.double = support.ApiDouble(tls_dir=cls.certs)
        cls.addClassCleanup(cls.double.stop)
        cls.credentials = remoteit.Credentials.load(support.CREDENTIALS)
        cls.addClassCleanup(cls.credentials.close)

    def test_an_untrusted_certificate_raises_tls_error(self) -> None:
        with remoteit.Client(self.credentials, self.double.url) as client:
            with self.assertRaises(remoteit.TLSError) as caught:
                client.graphql(EMAIL_QUERY)
        self.assertEqual(caught.exception.code, remoteit.Result.ERR_TLS)

    def test_trusting_an_unrelated_ca_still_raises_tls_error(self) -> None:
        with remoteit.Client(self.credentials, self.double.url) as client:
            client.set_ca_file(self.certs / "other-ca.pem")
            with self.assertRaises(remoteit.TLSError):
                client.graphql(EMAIL_QUERY)

    def test_set_ca_file_with_the_test_ca_makes_https_work(self) -> None:
        with remoteit.Client(self.credentials, self.double.url) as client:
            client.set_ca_file(str(self.certs / "ca.pem"))
            self.assertEqual(client.graphql(EMAIL_QUERY), {"login": {"email": "demo@example.com"}})

    def test_the_ca_file_keyword_makes_https_work(self) -> None:
        with remoteit.Client(self.credentials, self.double.url, ca_file=self.certs / "ca.pem") as client:
            connection = client.connect(support.PORT_PROXY_SERVICE)
            client.disconnect(connection.id)

    def test_a_missing_ca_file_raises_invalid_argument(self) -> None:
        with self.assertRaises(remoteit.InvalidArgumentError):
            remoteit.Client(self.credentials, self.double.url, ca_file=self.certs / "missing.pem")


if __name__ == "__main__":
    unittest.main()
