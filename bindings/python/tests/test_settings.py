"""Client settings of 0.2 against the API double: retries, clock correction, User-Agent, the log."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import threading
import warnings
from typing import Any, List, Tuple

import support

import remoteit

EMAIL_QUERY = "{ login { email } }"
EMAIL_DATA = {"login": {"email": "demo@example.com"}}


class CollectingHandler(logging.Handler):
    """A logging handler that keeps every record."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: List[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class SettingsTestCase(support.DoubleTestCase):
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
        self.double.control("POST", "reset", {})

    def requests(self) -> int:
        """API requests the double has seen since the test's reset."""
        return int(self.double.stats()["requests"])


class RetryTest(SettingsTestCase):
    def test_the_defaults(self) -> None:
        self.assertEqual(self.client.max_retries, 2)
        self.assertIs(self.client.clock_correction, True)
        self.assertIsNone(self.client.user_agent)

    def test_a_transient_503_is_retried_and_invisible(self) -> None:
        self.double.fault("503", count=1)
        self.assertEqual(self.client.graphql(EMAIL_QUERY), EMAIL_DATA)
        self.assertEqual(self.requests(), 2)

    def test_max_retries_0_lets_the_503_through(self) -> None:
        self.client.max_retries = 0
        self.assertEqual(self.client.max_retries, 0)
        self.double.fault("503", count=1)
        with self.assertRaises(remoteit.ApiError) as caught:
            self.client.graphql(EMAIL_QUERY)
        self.assertIn("503", caught.exception.message)
        self.assertEqual(self.requests(), 1)

    def test_a_persistent_503_fails_after_every_attempt_saying_how_many(self) -> None:
        self.client.max_retries = 1
        self.double.fault("503", count=5)
        with self.assertRaises(remoteit.ApiError) as caught:
            self.client.graphql(EMAIL_QUERY)
        self.assertIn("2 attempts", caught.exception.message)
        self.assertEqual(self.requests(), 2)

    def test_the_constructor_takes_the_settings(self) -> None:
        with remoteit.Client(self.credentials, self.double.url, max_retries=0, clock_correction=False,
                             user_agent="tests/1") as client:
            self.assertEqual((client.max_retries, client.clock_correction, client.user_agent), (0, False, "tests/1"))
            self.double.fault("503", count=1)
            with self.assertRaises(remoteit.ApiError):
                client.graphql(EMAIL_QUERY)

    def test_a_negative_max_retries_raises_invalid_argument(self) -> None:
        with self.assertRaises(remoteit.InvalidArgumentError):
            self.client.max_retries = -1
        self.assertEqual(self.client.max_retries, 2)

    def test_setters_while_other_threads_make_calls(self) -> None:
        failures: List[BaseException] = []
        lines: List[str] = []

        def call() -> None:
            for _ in range(20):
                try:
                    self.client.graphql(EMAIL_QUERY)
                except BaseException as error:  # noqa: BLE001 - reported below
                    failures.append(error)

        threads = [threading.Thread(target=call) for _ in range(4)]
        for thread in threads:
            thread.start()
        count = 0
        while any(thread.is_alive() for thread in threads):
            count += 1
            self.client.max_retries = count % 3
            self.client.clock_correction = count % 2 == 0
            self.client.user_agent = None if count % 2 else f"setter/{count}"
            self.client.set_logger(None if count % 2 else (lambda level, message: lines.append(message)))
        for thread in threads:
            thread.join()
        self.assertEqual(failures, [])
        self.assertGreater(count, 1)


class ClockTest(SettingsTestCase):
    def test_the_clock_offset_is_0_by_default(self) -> None:
        self.assertEqual(self.client.clock_offset, 0)
        self.client.graphql(EMAIL_QUERY)
        self.assertEqual(self.client.clock_offset, 0)

    def test_clock_offset_is_read_only(self) -> None:
        with self.assertRaises(AttributeError):
            self.client.clock_offset = 5  # type: ignore[misc]

    def test_clock_correction_is_a_bool(self) -> None:
        self.client.clock_correction = False
        self.assertIs(self.client.clock_correction, False)
        self.client.clock_correction = 1  # type: ignore[assignment]
        self.assertIs(self.client.clock_correction, True)

    def test_clock_correction_other_than_0_or_1_raises_invalid_argument(self) -> None:
        with self.assertRaises(remoteit.InvalidArgumentError):
            self.client.clock_correction = 2  # type: ignore[assignment]
        self.assertIs(self.client.clock_correction, True)


class UserAgentTest(SettingsTestCase):
    def last_user_agent(self) -> str:
        return str(self.double.stats()["last_user_agent"])

    def test_the_product_comes_first_in_the_user_agent(self) -> None:
        self.client.user_agent = "home-assistant/2024.1"
        self.client.graphql(EMAIL_QUERY)
        self.assertRegex(self.last_user_agent(), r"^home-assistant/2024\.1 libremoteit/\d+\.\d+\.\d+$")
        self.assertEqual(self.client.user_agent, "home-assistant/2024.1")

    def test_none_restores_the_default(self) -> None:
        self.client.user_agent = "app"
        self.client.user_agent = None
        self.client.graphql(EMAIL_QUERY)
        self.assertRegex(self.last_user_agent(), r"^libremoteit/\d+\.\d+\.\d+$")
        self.assertIsNone(self.client.user_agent)

    def test_a_product_that_is_not_a_token_raises_invalid_argument(self) -> None:
        self.client.user_agent = "kept/1"
        for product in ("two words", "", "a\r\nX-Injected: 1", "caf\u00e9"):
            with self.subTest(product), self.assertRaises(remoteit.InvalidArgumentError):
                self.client.user_agent = product
        self.assertEqual(self.client.user_agent, "kept/1")


class LoggerTest(SettingsTestCase):
    def logger(self, level: int = logging.DEBUG) -> Tuple[logging.Logger, CollectingHandler]:
        """A private Logger at ``level`` that collects its records."""
        logger = logging.getLogger(f"remoteit.tests.{self.id()}")
        logger.propagate = False
        logger.setLevel(level)
        handler = CollectingHandler()
        logger.addHandler(handler)
        self.addCleanup(logger.removeHandler, handler)
        return logger, handler

    def test_a_logger_gets_an_info_line_per_attempt(self) -> None:
        logger, handler = self.logger(logging.INFO)
        self.client.set_logger(logger)
        self.double.fault("503", count=1)
        self.client.graphql(EMAIL_QUERY)
        info = [record.getMessage() for record in handler.records if record.levelno == logging.INFO]
        self.assertEqual(len(info), 2, info)
        self.assertIn("HTTP 503", info[0])
        self.assertIn("HTTP 200", info[1])
        for line in info:
            self.assertIn(f"POST {self.double.url}", line)
            self.assertRegex(line, r"\d+ ms")
        warnings_ = [record.getMessage() for record in handler.records if record.levelno == logging.WARNING]
        self.assertTrue(any("retrying" in line for line in warnings_), warnings_)
        self.assertFalse([record for record in handler.records if record.levelno == logging.DEBUG])

    def test_debug_shows_the_signing_string_never_the_secret_or_signature(self) -> None:
        logger, handler = self.logger(logging.DEBUG)
        self.client.set_logger(logger)
        self.client.graphql(EMAIL_QUERY)
        messages = [record.getMessage() for record in handler.records]
        debug = [record.getMessage() for record in handler.records if record.levelno == logging.DEBUG]
        self.assertEqual(len(debug), 1, messages)
        signing_string = debug[0].split("signed:\n", 1)[1]
        self.assertIn("(request-target): post /graphql/v1", signing_string)
        secret = base64.b64decode(support.SECRET_ACCESS_KEY)
        signature = base64.b64encode(
            hmac.new(secret, signing_string.encode("utf-8"), hashlib.sha256).digest()
        ).decode("ascii")
        for message in messages:
            self.assertNotIn(signature, message)
            self.assertNotIn(support.SECRET_ACCESS_KEY, message)
            self.assertNotIn(secret.decode("utf-8"), message)

    def test_a_function_gets_log_levels_and_text(self) -> None:
        lines: List[Tuple[Any, str]] = []
        self.client.set_logger(lambda level, message: lines.append((level, message)), level="debug")
        self.client.graphql(EMAIL_QUERY)
        levels = [level for level, _ in lines]
        self.assertIn(remoteit.LogLevel.DEBUG, levels)
        self.assertIn(remoteit.LogLevel.INFO, levels)
        self.assertTrue(all(isinstance(level, remoteit.LogLevel) for level in levels))
        self.assertTrue(all(isinstance(message, str) for _, message in lines))

    def test_a_function_gets_info_by_default(self) -> None:
        lines: List[Tuple[Any, str]] = []
        self.client.set_logger(lambda level, message: lines.append((level, message)))
        self.client.graphql(EMAIL_QUERY)
        self.assertEqual([level for level, _ in lines], [remoteit.LogLevel.INFO])

    def test_the_level_argument_overrides_the_logger_level(self) -> None:
        logger, handler = self.logger(logging.DEBUG)
        self.client.set_logger(logger, level=remoteit.LogLevel.INFO)
        self.client.graphql(EMAIL_QUERY)
        self.assertEqual([record.levelno for record in handler.records], [logging.INFO])

    def test_a_logger_at_warning_gets_no_info(self) -> None:
        logger, handler = self.logger(logging.WARNING)
        self.client.set_logger(logger)
        self.client.graphql(EMAIL_QUERY)
        self.assertEqual(handler.records, [])

    def test_an_error_line_at_error_level(self) -> None:
        logger, handler = self.logger(logging.ERROR)
        url = f"http://127.0.0.1:{support.refused_port()}/graphql/v1"
        with remoteit.Client(self.credentials, url, max_retries=0) as client:
            client.set_logger(logger)
            with self.assertRaises(remoteit.NetworkError):
                client.graphql(EMAIL_QUERY)
        self.assertEqual([record.levelno for record in handler.records], [logging.ERROR])

    def test_a_function_that_raises_does_not_break_the_call(self) -> None:
        calls: List[int] = []

        def broken(level: remoteit.LogLevel, message: str) -> None:
            calls.append(level)
            raise RuntimeError("broken logger")

        self.client.set_logger(broken, level=remoteit.LogLevel.DEBUG)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            self.assertEqual(self.client.graphql(EMAIL_QUERY), EMAIL_DATA)
        self.assertGreaterEqual(len(calls), 2)
        self.assertTrue(caught)
        self.assertTrue(all(issubclass(warning.category, RuntimeWarning) for warning in caught))
        self.assertIn("broken logger", str(caught[0].message))

    def test_warnings_as_errors_still_do_not_break_the_call(self) -> None:
        self.client.set_logger(lambda level, message: 1 / 0)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            self.assertEqual(self.client.graphql(EMAIL_QUERY), EMAIL_DATA)

    def test_set_logger_none_turns_the_log_off(self) -> None:
        lines: List[str] = []
        self.client.set_logger(lambda level, message: lines.append(message))
        self.client.graphql(EMAIL_QUERY)
        self.assertEqual(len(lines), 1)
        self.client.set_logger(None)
        self.assertIsNone(self.client.logger)
        self.client.graphql(EMAIL_QUERY)
        self.assertEqual(len(lines), 1)

    def test_replacing_the_logger_sends_to_the_new_one(self) -> None:
        first: List[str] = []
        second: List[str] = []
        self.client.set_logger(lambda level, message: first.append(message))
        self.client.set_logger(lambda level, message: second.append(message))
        self.client.graphql(EMAIL_QUERY)
        self.assertEqual((len(first), len(second)), (0, 1))

    def test_the_logger_may_be_replaced_from_inside_the_callback(self) -> None:
        lines: List[str] = []

        def replace_self(level: remoteit.LogLevel, message: str) -> None:
            lines.append(message)
            self.client.set_logger(lambda level, message: lines.append("second: " + message))

        self.client.set_logger(replace_self, level="DEBUG")
        self.client.graphql(EMAIL_QUERY)
        self.client.graphql(EMAIL_QUERY)
        self.assertTrue(any(line.startswith("second: ") for line in lines), lines)

    def test_the_log_comes_from_every_thread_sharing_the_client(self) -> None:
        lines: List[str] = []
        lock = threading.Lock()

        def collect(level: remoteit.LogLevel, message: str) -> None:
            with lock:
                lines.append(message)

        self.client.set_logger(collect)
        threads = [threading.Thread(target=lambda: [self.client.graphql(EMAIL_QUERY) for _ in range(5)])
                   for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(len(lines), 20)

    def test_an_invalid_level_raises_invalid_argument(self) -> None:
        for level in (0, 5, "verbose"):
            with self.subTest(level), self.assertRaises(remoteit.InvalidArgumentError):
                self.client.set_logger(print, level=level)  # type: ignore[arg-type]
        self.assertIsNone(self.client.logger)

    def test_something_not_callable_raises_type_error(self) -> None:
        with self.assertRaises(TypeError):
            self.client.set_logger("stderr")  # type: ignore[arg-type]

    def test_setters_after_close_raise_value_error(self) -> None:
        self.client.close()
        for change in (lambda: setattr(self.client, "max_retries", 1),
                       lambda: self.client.set_logger(print),
                       lambda: self.client.clock_offset):
            with self.assertRaises(ValueError):
                change()


if __name__ == "__main__":
    import unittest

    unittest.main()
