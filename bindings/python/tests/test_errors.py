"""Result codes and the exception raised for each."""

from __future__ import annotations

import threading
import unittest

import support  # noqa: F401  (puts the source tree on sys.path and finds the built library)

import remoteit
from remoteit import errors

FAMILIES = {
    remoteit.Result.ERR_NULL_ARGUMENT: remoteit.InvalidArgumentError,
    remoteit.Result.ERR_INVALID_ARGUMENT: remoteit.InvalidArgumentError,
    remoteit.Result.ERR_BUFFER_TOO_SMALL: remoteit.InvalidArgumentError,
    remoteit.Result.ERR_PANIC: remoteit.RemoteItError,
    remoteit.Result.ERR_CREDENTIALS_NOT_FOUND: remoteit.CredentialsError,
    remoteit.Result.ERR_CREDENTIALS_INVALID: remoteit.CredentialsError,
    remoteit.Result.ERR_PROFILE_NOT_FOUND: remoteit.CredentialsError,
    remoteit.Result.ERR_CREDENTIALS_INCOMPLETE: remoteit.CredentialsError,
    remoteit.Result.ERR_SECRET_INVALID: remoteit.CredentialsError,
    remoteit.Result.ERR_NETWORK: remoteit.NetworkError,
    remoteit.Result.ERR_TIMEOUT: remoteit.RequestTimeoutError,
    remoteit.Result.ERR_TLS: remoteit.TLSError,
    remoteit.Result.ERR_UNAUTHORIZED: remoteit.AuthError,
    remoteit.Result.ERR_RATE_LIMITED: remoteit.RateLimitedError,
    remoteit.Result.ERR_HTTP_STATUS: remoteit.ApiError,
    remoteit.Result.ERR_GRAPHQL: remoteit.GraphQLError,
    remoteit.Result.ERR_PROTOCOL: remoteit.ApiError,
    remoteit.Result.ERR_API: remoteit.RestApiError,
}


class ResultTest(unittest.TestCase):
    def test_the_library_names_every_code_like_result(self) -> None:
        for member in remoteit.Result:
            with self.subTest(member.name):
                self.assertEqual(errors.result_name(member), f"REMOTEIT_{member.name}")


class ExceptionTest(unittest.TestCase):
    def test_every_error_code_raises_its_family(self) -> None:
        for code, family in FAMILIES.items():
            with self.subTest(code.name):
                self.assertIs(type(errors.error_for(code, "message")), family)

    def test_every_error_code_has_a_family(self) -> None:
        self.assertEqual(set(FAMILIES), set(remoteit.Result) - {remoteit.Result.OK})

    def test_an_unknown_code_raises_the_base_class_named_unknown(self) -> None:
        error = errors.error_for(9999, "message")
        self.assertIs(type(error), remoteit.RemoteItError)
        self.assertEqual(error.name, "REMOTEIT_ERR_UNKNOWN")

    def test_the_error_text_shows_name_code_and_message(self) -> None:
        error = errors.error_for(remoteit.Result.ERR_GRAPHQL, "Service not found")
        self.assertEqual(str(error), "REMOTEIT_ERR_GRAPHQL (303): Service not found")

    def test_invalid_argument_error_is_a_value_error(self) -> None:
        self.assertTrue(issubclass(remoteit.InvalidArgumentError, ValueError))

    def test_timeout_and_tls_errors_are_network_errors(self) -> None:
        self.assertTrue(issubclass(remoteit.RequestTimeoutError, remoteit.NetworkError))
        self.assertTrue(issubclass(remoteit.TLSError, remoteit.NetworkError))

    def test_rate_limited_error_is_an_api_error(self) -> None:
        self.assertTrue(issubclass(remoteit.RateLimitedError, remoteit.ApiError))

    def test_rest_api_error_is_an_api_error(self) -> None:
        self.assertTrue(issubclass(remoteit.RestApiError, remoteit.ApiError))

    def test_each_thread_gets_the_message_of_its_own_failure(self) -> None:
        mismatches = []

        def fail(index: int) -> None:
            path = f"/nonexistent/thread-{index}/credentials"
            for _ in range(20):
                try:
                    remoteit.Credentials.load(path)
                except remoteit.CredentialsError as error:
                    if path not in error.message:
                        mismatches.append(error.message)

        threads = [threading.Thread(target=fail, args=(index,)) for index in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(mismatches, [])


if __name__ == "__main__":
    unittest.main()
