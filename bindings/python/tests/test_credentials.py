"""Credentials: loading, making, their errors and their lifetime."""

from __future__ import annotations

import gc
import os
import tempfile
import threading
import unittest
from pathlib import Path
from unittest import mock

import support

import remoteit


class LoadTest(unittest.TestCase):
    def test_load_reads_the_default_profile_of_a_file(self) -> None:
        with remoteit.Credentials.load(support.CREDENTIALS) as credentials:
            self.assertEqual(credentials.access_key_id, support.ACCESS_KEY_ID)

    def test_load_reads_a_named_profile(self) -> None:
        with remoteit.Credentials.load(str(support.CREDENTIALS), "second") as credentials:
            self.assertEqual(credentials.access_key_id, "TESTKEYID0000000002")

    def test_load_without_a_path_prefers_the_environment_keys(self) -> None:
        environment = {"R3_ACCESS_KEY_ID": "ENVKEYID", "R3_SECRET_ACCESS_KEY": support.SECRET_ACCESS_KEY}
        with mock.patch.dict(os.environ, environment), remoteit.Credentials.load() as credentials:
            self.assertEqual(credentials.access_key_id, "ENVKEYID")

    def test_a_missing_file_raises_credentials_not_found(self) -> None:
        with self.assertRaises(remoteit.CredentialsError) as caught:
            remoteit.Credentials.load("/nonexistent/remoteit/credentials")
        self.assertEqual(caught.exception.code, remoteit.Result.ERR_CREDENTIALS_NOT_FOUND)
        self.assertEqual(caught.exception.name, "REMOTEIT_ERR_CREDENTIALS_NOT_FOUND")
        self.assertIn("/nonexistent/remoteit/credentials", caught.exception.message)

    def test_a_folder_instead_of_a_file_raises_credentials_invalid(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            with self.assertRaises(remoteit.CredentialsError) as caught:
                remoteit.Credentials.load(directory)
        self.assertEqual(caught.exception.code, remoteit.Result.ERR_CREDENTIALS_INVALID)

    def test_an_unknown_profile_raises_profile_not_found(self) -> None:
        with self.assertRaises(remoteit.CredentialsError) as caught:
            remoteit.Credentials.load(support.CREDENTIALS, "nosuchprofile")
        self.assertEqual(caught.exception.code, remoteit.Result.ERR_PROFILE_NOT_FOUND)
        self.assertIn("nosuchprofile", caught.exception.message)

    def test_error_messages_come_back_as_utf8_text(self) -> None:
        with self.assertRaises(remoteit.CredentialsError) as caught:
            remoteit.Credentials.load(support.CREDENTIALS, "Küche ☕")
        self.assertIn("Küche ☕", caught.exception.message)

    def test_a_profile_without_a_secret_raises_credentials_incomplete(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "credentials"
            path.write_text("[DEFAULT]\nR3_ACCESS_KEY_ID=ONLYID\n", encoding="utf-8")
            with self.assertRaises(remoteit.CredentialsError) as caught:
                remoteit.Credentials.load(path)
        self.assertEqual(caught.exception.code, remoteit.Result.ERR_CREDENTIALS_INCOMPLETE)

    def test_a_profile_name_with_a_dot_raises_invalid_argument(self) -> None:
        with self.assertRaises(remoteit.InvalidArgumentError):
            remoteit.Credentials.load(support.CREDENTIALS, "a.b")


class WarningTest(unittest.TestCase):
    def load_with_mode(self, mode: int) -> remoteit.Credentials:
        """The test credentials, loaded from a copy whose permissions are ``mode``."""
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        path = Path(directory.name) / "credentials"
        path.write_bytes(support.CREDENTIALS.read_bytes())
        os.chmod(path, mode)
        self.path = path
        credentials = remoteit.Credentials.load(path)
        self.addCleanup(credentials.close)
        return credentials

    def test_a_file_others_may_read_loads_with_a_warning_naming_it_mode_and_fix(self) -> None:
        credentials = self.load_with_mode(0o644)
        self.assertEqual(credentials.access_key_id, support.ACCESS_KEY_ID)
        warning = credentials.warning
        assert warning is not None
        self.assertIn(f"credentials file {self.path} is readable", warning)
        self.assertIn(f"(mode 0644): chmod 600 {self.path}", warning)
        self.assertNotIn(support.SECRET_ACCESS_KEY, warning)

    def test_a_file_only_its_owner_may_read_has_no_warning(self) -> None:
        self.assertIsNone(self.load_with_mode(0o600).warning)

    def test_credentials_from_their_parts_or_the_environment_have_no_warning(self) -> None:
        with remoteit.Credentials("KEYID", support.SECRET_ACCESS_KEY) as credentials:
            self.assertIsNone(credentials.warning)
        environment = {"R3_ACCESS_KEY_ID": "ENVKEYID", "R3_SECRET_ACCESS_KEY": support.SECRET_ACCESS_KEY}
        with mock.patch.dict(os.environ, environment), remoteit.Credentials.load() as credentials:
            self.assertIsNone(credentials.warning)

    def test_the_warning_of_closed_credentials_raises_value_error(self) -> None:
        credentials = self.load_with_mode(0o644)
        credentials.close()
        with self.assertRaises(ValueError):
            credentials.warning


class NewTest(unittest.TestCase):
    def test_new_keeps_the_access_key_id(self) -> None:
        with remoteit.Credentials("KEY-ID-1", support.SECRET_ACCESS_KEY, "DEVKEY") as credentials:
            self.assertEqual(credentials.access_key_id, "KEY-ID-1")

    def test_developer_key_is_returned_or_none(self) -> None:
        with remoteit.Credentials("KEY-ID-1", support.SECRET_ACCESS_KEY, "DEVKEY") as credentials:
            self.assertEqual(credentials.developer_key, "DEVKEY")
        with remoteit.Credentials("KEY-ID-1", support.SECRET_ACCESS_KEY) as credentials:
            self.assertIsNone(credentials.developer_key)

    def test_a_secret_that_is_not_base64_raises_secret_invalid(self) -> None:
        with self.assertRaises(remoteit.CredentialsError) as caught:
            remoteit.Credentials("KEYID", "not base64 !!")
        self.assertEqual(caught.exception.code, remoteit.Result.ERR_SECRET_INVALID)

    def test_the_secret_is_not_in_the_error_message(self) -> None:
        secret = "not-base64-secret-value!!"
        with self.assertRaises(remoteit.CredentialsError) as caught:
            remoteit.Credentials("KEYID", secret)
        self.assertNotIn(secret, str(caught.exception))

    def test_an_empty_key_id_raises_invalid_argument(self) -> None:
        with self.assertRaises(remoteit.InvalidArgumentError):
            remoteit.Credentials("", support.SECRET_ACCESS_KEY)

    def test_a_key_id_that_is_not_text_raises_type_error(self) -> None:
        with self.assertRaises(TypeError):
            remoteit.Credentials(b"KEYID", support.SECRET_ACCESS_KEY)  # type: ignore[arg-type]

    def test_access_key_id_is_read_only(self) -> None:
        with remoteit.Credentials("KEYID", support.SECRET_ACCESS_KEY) as credentials:
            with self.assertRaises(AttributeError):
                credentials.access_key_id = "OTHER"  # type: ignore[misc]


class LifetimeTest(unittest.TestCase):
    def setUp(self) -> None:
        self.credentials = remoteit.Credentials("KEYID", support.SECRET_ACCESS_KEY)

    def tearDown(self) -> None:
        self.credentials.close()

    def test_close_twice_is_harmless(self) -> None:
        self.credentials.close()
        self.credentials.close()
        self.assertTrue(self.credentials.closed)

    def test_use_after_close_raises_value_error(self) -> None:
        self.credentials.close()
        with self.assertRaisesRegex(ValueError, "Credentials is closed"):
            self.credentials.sign_request("GET", "https://api.remote.it/")

    def test_the_context_manager_closes_on_exit(self) -> None:
        with self.credentials as credentials:
            self.assertIs(credentials, self.credentials)
        self.assertTrue(self.credentials.closed)

    def test_garbage_collection_frees_the_handle(self) -> None:
        credentials = remoteit.Credentials("KEYID", support.SECRET_ACCESS_KEY)
        finalizer = credentials._handle._finalizer
        del credentials
        gc.collect()
        self.assertFalse(finalizer.alive)

    def test_close_from_many_threads_at_once_frees_once(self) -> None:
        barrier = threading.Barrier(8)
        errors = []

        def close() -> None:
            try:
                barrier.wait()
                self.credentials.close()
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)

        threads = [threading.Thread(target=close) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        self.assertTrue(self.credentials.closed)

    def test_threads_can_sign_with_one_credentials_object(self) -> None:
        results = []

        def sign() -> None:
            for _ in range(50):
                results.append(self.credentials.sign_request("GET", "https://api.remote.it/", unix_time=0))

        threads = [threading.Thread(target=sign) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(len(results), 400)
        self.assertEqual(len({tuple(headers) for headers in results}), 1)


if __name__ == "__main__":
    unittest.main()
