"""Client against the local API double (tests/api_double.py), over plain HTTP."""

from __future__ import annotations

import threading
import time
import unittest
from typing import Any, Callable, List

import support

import remoteit

DEVICES_QUERY = "query($size: Int) { login { devices(size: $size) { total items { id } } } }"
EMAIL_QUERY = "{ login { email } }"
EMAIL_DATA = {"login": {"email": "demo@example.com"}}

def wait_until(condition: Callable[[], bool], seconds: float = 10) -> None:
    """Poll ``condition`` until it holds; fail the test after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)


def run_in_threads(count: int, target: Callable[[], None]) -> None:
    """Run ``target`` in ``count`` threads at once and wait for them all."""
    threads = [threading.Thread(target=target) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


class ClientTestCase(support.DoubleTestCase):
    """A fresh client of the double per test; faults left pending are dropped after it."""

    credentials: remoteit.Credentials

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.credentials = remoteit.Credentials.load(support.CREDENTIALS)
        cls.addClassCleanup(cls.credentials.close)

    def setUp(self) -> None:
        self.client = remoteit.Client(self.credentials, self.double.url)
        self.addCleanup(self.client.close)
        self.addCleanup(self.double.control, "DELETE", "fault")

    def without_recovery(self, client: remoteit.Client) -> remoteit.Client:
        """``client`` with retries and clock correction off, so that a fault shows as it is."""
        client.max_retries = 0
        client.clock_correction = False
        return client


class ConnectTest(ClientTestCase):
    def test_a_port_proxy_gives_host_and_port(self) -> None:
        connection = self.client.connect(support.PORT_PROXY_SERVICE)
        self.assertTrue(connection.host)
        self.assertIsInstance(connection.port, int)
        self.assertFalse(connection.reverse_proxy)

    def test_a_reverse_proxy_gives_a_url_and_no_port(self) -> None:
        connection = self.client.connect(support.REVERSE_PROXY_SERVICE)
        self.assertIsNone(connection.port)
        self.assertTrue(connection.reverse_proxy)
        self.assertTrue(connection.url.startswith("https://"), connection.url)

    def test_the_connection_carries_the_api_timeout(self) -> None:
        self.assertIsInstance(self.client.connect(support.PORT_PROXY_SERVICE).timeout, int)

    def test_host_ip_and_port_proxy_give_a_port_for_a_web_service(self) -> None:
        connection = self.client.connect(support.REVERSE_PROXY_SERVICE, host_ip="192.0.2.10", proxy_type="PORT_PROXY")
        self.assertIsInstance(connection.port, int)
        self.assertFalse(connection.reverse_proxy)

    def test_proxy_type_accepts_the_enum(self) -> None:
        connection = self.client.connect(support.REVERSE_PROXY_SERVICE, proxy_type=remoteit.ProxyType.PORT_PROXY)
        self.assertFalse(connection.reverse_proxy)

    def test_an_unknown_proxy_type_raises_invalid_argument(self) -> None:
        with self.assertRaisesRegex(remoteit.InvalidArgumentError, "PORT_PROXY"):
            self.client.connect(support.PORT_PROXY_SERVICE, proxy_type="TUNNEL")

    def test_a_host_ip_that_is_not_an_address_raises_graphql_error(self) -> None:
        with self.assertRaises(remoteit.GraphQLError):
            self.client.connect(support.PORT_PROXY_SERVICE, host_ip="not-an-ip")

    def test_disconnect_closes_the_connection_on_the_api(self) -> None:
        connection = self.client.connect(support.PORT_PROXY_SERVICE)
        open_before = self.double.stats()["active_connections"]
        self.client.disconnect(connection.id)
        self.assertEqual(self.double.stats()["active_connections"], open_before - 1)

    def test_a_second_disconnect_raises_graphql_error(self) -> None:
        connection = self.client.connect(support.PORT_PROXY_SERVICE)
        self.client.disconnect(connection.id)
        with self.assertRaises(remoteit.GraphQLError) as caught:
            self.client.disconnect(connection.id)
        self.assertIn(connection.id, caught.exception.message)

    def test_an_unknown_service_raises_graphql_error_with_the_api_message(self) -> None:
        with self.assertRaises(remoteit.GraphQLError) as caught:
            self.client.connect(support.UNKNOWN_SERVICE)
        self.assertEqual(caught.exception.code, remoteit.Result.ERR_GRAPHQL)
        self.assertEqual(caught.exception.name, "REMOTEIT_ERR_GRAPHQL")
        self.assertIn(f"Service not found: {support.UNKNOWN_SERVICE}", caught.exception.message)


class GraphQLTest(ClientTestCase):
    def test_variables_are_sent_and_data_comes_back_as_a_dict(self) -> None:
        data = self.client.graphql(DEVICES_QUERY, {"size": 2})
        self.assertEqual(data["login"]["devices"]["total"], 3)
        self.assertEqual(len(data["login"]["devices"]["items"]), 2)

    def test_a_query_without_variables_returns_its_data(self) -> None:
        self.assertEqual(self.client.graphql(EMAIL_QUERY), EMAIL_DATA)

    def test_variables_that_are_not_a_mapping_raise_type_error(self) -> None:
        with self.assertRaises(TypeError):
            self.client.graphql(DEVICES_QUERY, '{"size": 2}')  # type: ignore[arg-type]

    def test_an_invalid_query_raises_graphql_error(self) -> None:
        with self.assertRaisesRegex(remoteit.GraphQLError, "nosuchfield"):
            self.client.graphql("{ login { nosuchfield } }")

    def test_every_graphql_error_message_is_in_the_exception(self) -> None:
        self.without_recovery(self.client)
        self.double.fault("graphql_error")
        with self.assertRaises(remoteit.GraphQLError) as caught:
            self.client.graphql(EMAIL_QUERY)
        self.assertIn("simulated error 1 of 2", caught.exception.message)
        self.assertIn("simulated error 2 of 2", caught.exception.message)

    def test_an_empty_query_raises_invalid_argument(self) -> None:
        with self.assertRaises(remoteit.InvalidArgumentError):
            self.client.graphql("")

    def test_rfc9421_signatures_are_accepted_by_the_api(self) -> None:
        with remoteit.Client(self.credentials, self.double.url, signing_scheme=remoteit.SigningScheme.RFC9421) as client:
            self.assertEqual(client.graphql(EMAIL_QUERY), EMAIL_DATA)

    def test_an_unknown_signing_scheme_raises_invalid_argument(self) -> None:
        with self.assertRaises(remoteit.InvalidArgumentError):
            self.client.set_signing_scheme(7)  # type: ignore[arg-type]


class ErrorFamilyTest(ClientTestCase):
    """Each fault of the double, seen without the library's recovery (retries, clock correction)."""

    def setUp(self) -> None:
        super().setUp()
        self.without_recovery(self.client)

    def test_a_wrong_secret_raises_auth_error(self) -> None:
        with remoteit.Credentials.load(support.WRONG_CREDENTIALS) as wrong, \
                self.without_recovery(remoteit.Client(wrong, self.double.url)) as client:
            with self.assertRaises(remoteit.AuthError) as caught:
                client.graphql(EMAIL_QUERY)
        self.assertEqual(caught.exception.code, remoteit.Result.ERR_UNAUTHORIZED)
        self.assertIn("401", caught.exception.message)

    def test_a_refused_port_raises_network_error(self) -> None:
        url = f"http://127.0.0.1:{support.refused_port()}/graphql/v1"
        with self.without_recovery(remoteit.Client(self.credentials, url)) as client:
            with self.assertRaises(remoteit.NetworkError) as caught:
                client.graphql(EMAIL_QUERY)
        self.assertEqual(caught.exception.code, remoteit.Result.ERR_NETWORK)

    def test_http_500_raises_api_error(self) -> None:
        self.double.fault("500")
        with self.assertRaises(remoteit.ApiError) as caught:
            self.client.graphql(EMAIL_QUERY)
        self.assertEqual(caught.exception.code, remoteit.Result.ERR_HTTP_STATUS)
        self.assertIn("500", caught.exception.message)

    def test_http_429_raises_rate_limited_error(self) -> None:
        self.double.fault("429")
        with self.assertRaises(remoteit.RateLimitedError):
            self.client.graphql(EMAIL_QUERY)

    def test_a_response_that_is_not_json_raises_api_error(self) -> None:
        self.double.fault("malformed_json")
        with self.assertRaises(remoteit.ApiError) as caught:
            self.client.graphql(EMAIL_QUERY)
        self.assertEqual(caught.exception.code, remoteit.Result.ERR_PROTOCOL)

    def test_an_answer_slower_than_timeout_ms_raises_request_timeout_error(self) -> None:
        self.double.fault("slow", delay_ms=3000)
        with self.without_recovery(remoteit.Client(self.credentials, self.double.url, timeout_ms=300)) as client:
            with self.assertRaises(remoteit.RequestTimeoutError):
                client.graphql(EMAIL_QUERY)

    def test_a_timeout_of_zero_means_the_library_default(self) -> None:
        with remoteit.Client(self.credentials, self.double.url, timeout_ms=0) as client:
            self.assertIn("login", client.graphql(EMAIL_QUERY))

    def test_a_negative_timeout_raises_invalid_argument(self) -> None:
        with self.assertRaises(remoteit.InvalidArgumentError):
            remoteit.Client(self.credentials, self.double.url, timeout_ms=-1)

    def test_a_timeout_past_uint32_is_rejected_rather_than_wrapped(self) -> None:
        with self.assertRaises(remoteit.InvalidArgumentError):
            remoteit.Client(self.credentials, self.double.url, timeout_ms=2**32 + 1000)

    def test_plain_http_to_a_remote_host_raises_invalid_argument(self) -> None:
        with self.assertRaises(remoteit.InvalidArgumentError):
            remoteit.Client(self.credentials, "http://api.remote.it/graphql/v1")


class ClientLifetimeTest(ClientTestCase):
    def test_close_twice_is_harmless(self) -> None:
        self.client.close()
        self.client.close()
        self.assertTrue(self.client.closed)

    def test_use_after_close_raises_value_error(self) -> None:
        self.client.close()
        with self.assertRaisesRegex(ValueError, "Client is closed"):
            self.client.graphql(EMAIL_QUERY)

    def test_the_context_manager_closes_on_exit(self) -> None:
        with self.client as client:
            self.assertIs(client, self.client)
        self.assertTrue(self.client.closed)

    def test_closing_the_client_leaves_its_credentials_open(self) -> None:
        self.client.close()
        self.assertFalse(self.credentials.closed)

    def test_the_client_keeps_working_after_its_credentials_are_closed(self) -> None:
        credentials = remoteit.Credentials.load(support.CREDENTIALS)
        with remoteit.Client(credentials, self.double.url) as client:
            credentials.close()
            self.assertEqual(client.graphql(EMAIL_QUERY), EMAIL_DATA)

    def test_the_client_refers_to_its_credentials(self) -> None:
        self.assertIs(self.client.credentials, self.credentials)

    def test_credentials_of_another_type_raise_type_error(self) -> None:
        with self.assertRaises(TypeError):
            remoteit.Client("credentials", self.double.url)  # type: ignore[arg-type]

    def test_eight_threads_sharing_one_client_all_succeed(self) -> None:
        results: List[Any] = []
        failures: List[BaseException] = []

        def call_25_times() -> None:
            for _ in range(25):
                try:
                    results.append(self.client.graphql(EMAIL_QUERY))
                except BaseException as error:  # noqa: BLE001 - reported below
                    failures.append(error)

        run_in_threads(8, call_25_times)
        self.assertEqual(failures, [])
        self.assertEqual(results, [EMAIL_DATA] * 200)

    def test_close_waits_for_a_call_in_flight_which_then_succeeds(self) -> None:
        self.double.fault("slow", delay_ms=1000)
        verified = self.double.stats()["verified"]
        outcome: List[Any] = []
        thread = threading.Thread(target=lambda: outcome.append(self.client.graphql(EMAIL_QUERY)))
        thread.start()
        wait_until(lambda: self.double.stats()["verified"] > verified)
        started = time.monotonic()
        self.client.close()
        waited = time.monotonic() - started
        thread.join()
        self.assertGreater(waited, 0.3)
        self.assertEqual(outcome, [EMAIL_DATA])


if __name__ == "__main__":
    unittest.main()
