"""asyncio surface: :class:`AsyncClient`, whose coroutines run the native calls in threads.

A native call blocks its thread until the API answers (at most the client's timeout), so an
asyncio program must not make one on its event loop. Each coroutine of :class:`AsyncClient`
hands its call to an executor thread and awaits it; the loop keeps running meanwhile::

    import asyncio, remoteit
    from remoteit.aio import AsyncClient

    async def main():
        with remoteit.Credentials.load() as credentials:
            async with AsyncClient(credentials) as client:
                connections = await asyncio.gather(*(client.connect(s) for s in service_ids))

Calls in flight at once are bounded by the executor's threads: the loop's default executor
(as for ``asyncio.to_thread``), or the ``executor`` given.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
from types import TracebackType
from typing import Any, Callable, Dict, List, Mapping, Optional, Type, TypeVar

from .client import Client, Connection, ProxyTypeArg, RestBody
from .credentials import Credentials
from .devices import Device, Service

_T = TypeVar("_T")


class AsyncClient:
    """A :class:`remoteit.Client` for asyncio programs.

    ``AsyncClient(credentials, api_url=None, timeout_ms=None, *, executor=None, **options)``
    makes a :class:`Client` with the same arguments (``options``: ``ca_file``,
    ``signing_scheme``, ``max_retries``, ``clock_correction``, ``user_agent``); its settings and
    :meth:`Client.set_logger` are on :attr:`client`, and may be changed at any time. Each
    coroutine runs its native call on ``executor`` (a ``concurrent.futures.Executor``; None: the
    running loop's default executor), so the event loop is never blocked, and many calls may
    run at once on one client.

    Cancelling a coroutine abandons the wait, not the native call: that finishes in its thread,
    bounded by the client's timeout. A connection opened by a cancelled :meth:`connect` is
    closed again (``disconnect``) when the call finishes, so it does not stay open on the API.

    Close it with ``await client.aclose()`` or ``async with``; ``aclose`` waits (in a thread) for
    the calls in flight. The log callback of :meth:`Client.set_logger` runs on the executor's
    threads, not on the event loop.
    """

    def __init__(
        self,
        credentials: Credentials,
        api_url: Optional[str] = None,
        timeout_ms: Optional[int] = None,
        *,
        executor: Optional[concurrent.futures.Executor] = None,
        **options: Any,
    ) -> None:
        self._client = Client(credentials, api_url, timeout_ms, **options)
        self._executor = executor

    @property
    def client(self) -> Client:
        """The blocking :class:`Client` underneath: its settings, ``set_logger``, blocking calls."""
        return self._client

    @property
    def closed(self) -> bool:
        """Whether the client was closed."""
        return self._client.closed

    def _submit(self, function: Callable[..., _T], *args: Any) -> "asyncio.Future[_T]":
        loop = asyncio.get_running_loop()
        return loop.run_in_executor(self._executor, functools.partial(function, *args))

    async def _run(self, function: Callable[..., _T], *args: Any) -> _T:
        return await self._submit(function, *args)

    async def connect(
        self,
        service_id: str,
        host_ip: Optional[str] = None,
        proxy_type: Optional[ProxyTypeArg] = None,
    ) -> Connection:
        """:meth:`Client.connect` in a thread."""
        future = self._submit(self._client.connect, service_id, host_ip, proxy_type)
        try:
            # shield: a cancellation reaches this coroutine, not the future, whose outcome is
            # then still known to _close_if_opened.
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            future.add_done_callback(self._close_if_opened)
            raise

    def _close_if_opened(self, future: "asyncio.Future[Connection]") -> None:
        """Disconnect, in a thread, a connection whose ``connect`` was cancelled."""
        if future.cancelled() or future.exception() is not None:
            return
        connection = future.result()

        def disconnect() -> None:
            try:
                self._client.disconnect(connection.id)
            except Exception:  # noqa: BLE001 - best effort: the caller is gone, the API expires it
                pass

        asyncio.get_running_loop().run_in_executor(self._executor, disconnect)

    async def disconnect(self, connection_id: str) -> None:
        """:meth:`Client.disconnect` in a thread."""
        await self._run(self._client.disconnect, connection_id)

    async def graphql(self, query: str, variables: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        """:meth:`Client.graphql` in a thread."""
        return await self._run(self._client.graphql, query, variables)

    async def list_devices(self, name: Optional[str] = None, account_id: Optional[str] = None) -> List[Device]:
        """:meth:`Client.list_devices` in a thread (every page of it)."""
        return await self._run(self._client.list_devices, name, account_id)

    async def find_service(self, device_name: str, service_name: str, account_id: Optional[str] = None) -> Service:
        """:meth:`Client.find_service` in a thread."""
        return await self._run(self._client.find_service, device_name, service_name, account_id)

    async def rest(self, method: str, path: str, body: Optional[RestBody] = None) -> Dict[str, Any]:
        """:meth:`Client.rest` in a thread."""
        return await self._run(self._client.rest, method, path, body)

    async def aclose(self) -> None:
        """Close the client once the calls in flight are done (waits in a thread)."""
        await self._run(self._client.close)

    def close(self) -> None:
        """Close the client, blocking until the calls in flight are done (not on the loop)."""
        self._client.close()

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        state = " (closed)" if self.closed else ""
        return f"<remoteit.aio.AsyncClient{state}>"
