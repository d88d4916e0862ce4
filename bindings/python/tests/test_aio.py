"""remoteit.aio.AsyncClient against the API double: calls in threads, the loop keeps running."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
import unittest
from typing import Any, Coroutine, List

import support

import remoteit
from remoteit.aio import AsyncClient

EMAIL_QUERY = "{ login { email } }"
EMAIL_DATA = {"login": {"email": "demo@example.com"}}


class AsyncClientTest(support.DoubleTestCase):
    credentials: remoteit.Credentials

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.credentials = remoteit.Credentials.load(support.CREDENTIALS)
        cls.addClassCleanup(cls.credentials.close)

    def setUp(self) -> None:
        self.addCleanup(self.double.control, "DELETE", "fault")
        self.double.control("POST", "reset", {"connections": True})

    def run_async(self, coroutine: Coroutine[Any, Any, None]) -> None:
        asyncio.run(coroutine)

    def test_50_concurrent_connects_all_succeed_while_the_loop_keeps_running(self) -> None:
        # All 50 native calls at once: the double's listen backlog (128) takes 50 TCP connections
        # opened at the same instant (with socketserver's default of 5 the kernel reset some).
        executor = concurrent.futures.ThreadPoolExecutor(max_workers=50)
        self.addCleanup(executor.shutdown)
        # Each API answer takes 200 ms: one after the other, 50 connects would take 10 s.
        self.double.fault("slow", count=50, delay_ms=200)
        threads: List[str] = []

        async def scenario() -> None:
            ticks = 0
            stop = asyncio.Event()

            async def ticker() -> None:
                nonlocal ticks
                while not stop.is_set():
                    ticks += 1
                    await asyncio.sleep(0.01)

            async with AsyncClient(self.credentials, self.double.url, executor=executor) as client:
                client.client.set_logger(lambda level, message: threads.append(threading.current_thread().name))
                ticking = asyncio.ensure_future(ticker())
                started = time.monotonic()
                connections = await asyncio.gather(
                    *(client.connect(support.PORT_PROXY_SERVICE) for _ in range(50))
                )
                elapsed = time.monotonic() - started
                ticks_during = ticks
                stop.set()
                await ticking
                self.assertEqual(len(connections), 50)
                self.assertTrue(all(isinstance(c, remoteit.Connection) and c.port for c in connections))
                self.assertEqual(len({c.id for c in connections}), 50)
                self.assertEqual(self.double.stats()["active_connections"], 50)
                # The loop ran all along: about one tick per 10 ms of the wait.
                self.assertGreaterEqual(ticks_during, int(elapsed / 0.01 / 4), (ticks_during, elapsed))
                self.assertGreater(ticks_during, 5)
                self.assertLess(elapsed, 8, "the connects did not run concurrently")
                await asyncio.gather(*(client.disconnect(c.id) for c in connections))
            self.assertTrue(client.closed)

        self.run_async(scenario())
        self.assertEqual(self.double.stats()["active_connections"], 0)
        self.assertNotIn(threading.main_thread().name, threads)

    def test_50_concurrent_connects_on_the_default_executor(self) -> None:
        async def scenario() -> None:
            async with AsyncClient(self.credentials, self.double.url) as client:
                connections = await asyncio.gather(
                    *(client.connect(support.PORT_PROXY_SERVICE) for _ in range(50))
                )
                self.assertEqual(len({c.id for c in connections}), 50)
                await asyncio.gather(*(client.disconnect(c.id) for c in connections))

        self.run_async(scenario())
        self.assertEqual(self.double.stats()["active_connections"], 0)

    def test_graphql_and_errors_come_back_through_the_coroutines(self) -> None:
        async def scenario() -> None:
            async with AsyncClient(self.credentials, self.double.url, max_retries=0) as client:
                self.assertEqual(await client.graphql(EMAIL_QUERY), EMAIL_DATA)
                with self.assertRaises(remoteit.GraphQLError):
                    await client.connect(support.UNKNOWN_SERVICE)
                self.assertEqual(client.client.max_retries, 0)

        self.run_async(scenario())

    def test_a_cancelled_connect_leaves_no_connection_open(self) -> None:
        self.double.fault("slow", count=1, delay_ms=500)

        async def scenario() -> None:
            async with AsyncClient(self.credentials, self.double.url) as client:
                task = asyncio.ensure_future(client.connect(support.PORT_PROXY_SERVICE))
                await asyncio.sleep(0.1)
                task.cancel()
                with self.assertRaises(asyncio.CancelledError):
                    await task
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline:
                    stats = self.double.stats()
                    if stats["requests"] >= 2 and stats["active_connections"] == 0:
                        break
                    await asyncio.sleep(0.05)

        self.run_async(scenario())
        stats = self.double.stats()
        self.assertEqual((stats["requests"], stats["active_connections"]), (2, 0))

    def test_list_devices_find_service_and_rest_come_back_through_the_coroutines(self) -> None:
        async def scenario() -> None:
            async with AsyncClient(self.credentials, self.double.url, max_retries=0) as client:
                listed = await client.list_devices()
                self.assertEqual([d.name for d in listed], ["office-gateway", "lab-pi", "old-nas"])
                self.assertEqual(listed, client.client.list_devices())
                self.assertEqual([d.name for d in await client.list_devices("PI")], ["lab-pi"])
                org = await client.list_devices(account_id="0a9e0000-0000-4000-8000-000000000042")
                self.assertEqual(org[0].name, "org-d000001-garage-pi")
                service = await client.find_service("LAB-PI", "vnc")
                self.assertEqual((service.id, service.port), ("80:00:00:00:01:00:00:22", 5900))
                info = await client.rest("GET", "/user/info")
                self.assertEqual(info["email"], "demo@example.com")
                with self.assertRaises(remoteit.InvalidArgumentError):
                    await client.list_devices("")
                with self.assertRaisesRegex(remoteit.InvalidArgumentError, '"lab-pi"'):
                    await client.find_service("garage", "SSH")
                with self.assertRaisesRegex(remoteit.RestApiError, "NOT_FOUND"):
                    await client.rest("GET", "/no/such/endpoint", {"a": 1})

        self.run_async(scenario())

    def test_a_slow_listing_leaves_the_loop_running(self) -> None:
        self.double.fault("slow", count=1, delay_ms=500)

        async def scenario() -> None:
            ticks = 0

            async def ticker() -> None:
                nonlocal ticks
                while True:
                    ticks += 1
                    await asyncio.sleep(0.01)

            async with AsyncClient(self.credentials, self.double.url) as client:
                ticking = asyncio.ensure_future(ticker())
                listed = await client.list_devices()
                ticking.cancel()
                self.assertEqual(len(listed), 3)
                self.assertGreater(ticks, 10, "the loop was blocked while the devices were listed")

        self.run_async(scenario())

    def test_use_after_close_raises_value_error(self) -> None:
        async def scenario() -> None:
            client = AsyncClient(self.credentials, self.double.url)
            await client.aclose()
            with self.assertRaises(ValueError):
                await client.graphql(EMAIL_QUERY)

        self.run_async(scenario())


if __name__ == "__main__":
    unittest.main()
