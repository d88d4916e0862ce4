"""The lifetime of a native handle: borrowed by calls, freed exactly once."""

from __future__ import annotations

import threading
import weakref
from types import TracebackType
from typing import Any, Callable, Optional, Type, TypeVar


class NativeHandle:
    """Owns one native handle on behalf of a Python object (its owner).

    The handle is freed exactly once: by :meth:`close`, or when the owner is garbage
    collected, or at interpreter exit, whichever comes first. Calls, setters included, use the
    handle through :meth:`borrow` (many threads at once); :meth:`close` waits for the calls in
    flight, so a handle is never freed while a call uses it. Using a closed handle raises
    ``ValueError``. :meth:`keep_until_idle` keeps an object (a replaced log callback) alive
    until no call that might still use it is in flight.
    """

    def __init__(self, owner: object, pointer: Any, free: Callable[[Any], None], kind: str) -> None:
        self._pointer = pointer
        self._kind = kind
        # The calls in flight, one entry each: list append and pop are atomic, so borrowing
        # (on every call's path) takes no lock. The lock and its condition are for close()
        # and keep_until_idle(), which are rare.
        self._calls: list = []
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._closed = False
        self._kept: list = []
        self._finalizer = weakref.finalize(owner, free, pointer)
        # Not at interpreter exit: a daemon thread may still be inside a call then, and the
        # process is ending anyway.
        self._finalizer.atexit = False

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called (or the handle was freed otherwise)."""
        return self._closed or not self._finalizer.alive

    def borrow(self) -> "NativeHandle":
        """Use the handle for one call (``with handle.borrow() as pointer:``); other threads
        may use it at the same time. The handle is its own context manager: nothing is
        allocated per call, which is on every call's path."""
        return self

    def __enter__(self) -> Any:
        # Counted first, then checked: a close() that starts now waits for this entry, and
        # one that has already freed the handle set _closed before, which is seen here. The
        # entry is this call's own token, so that an exception at any point (a
        # KeyboardInterrupt between two bytecodes) takes back exactly what was counted.
        token = object()
        try:
            self._calls.append(token)
            if self._closed:
                raise ValueError(f"this {self._kind} is closed")
        except BaseException:
            if token in self._calls:
                self._calls.remove(token)
                self._leave(popped=True)
            raise
        return self._pointer

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self._leave()

    def _leave(self, popped: bool = False) -> None:
        if not popped:
            self._calls.pop()  # the entries only count: which one goes does not matter
        if not self._calls and (self._kept or self._closed):
            with self._lock:
                if not self._calls:
                    self._kept.clear()
                self._idle.notify_all()  # close() waits for the last call in flight

    def keep_until_idle(self, value: Any) -> None:
        """Keep ``value`` alive until no borrowed call is in flight (at once when none is).

        For what the native object may still use in calls that started before it was replaced,
        such as a log callback: a call in flight keeps the settings it started with.
        """
        with self._lock:
            if self._calls:
                self._kept.append(value)

    def close(self) -> None:
        """Free the handle once the calls in flight are done; later calls do nothing."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            # A short timeout: a call interrupted between its count and its notification
            # (a KeyboardInterrupt) cannot leave close() waiting for a wake-up that never comes.
            while self._calls:
                self._idle.wait(0.05)
        self._finalizer()


_Self = TypeVar("_Self", bound="NativeOwner")


class NativeOwner:
    """Base of the public classes that own a :class:`NativeHandle` (``self._handle``):
    ``closed``, ``close()`` and the context-manager protocol."""

    _handle: NativeHandle

    @property
    def closed(self) -> bool:
        """Whether the native object was freed."""
        return self._handle.closed

    def close(self) -> None:
        """Free the native object once the calls in flight are done. Calling it again does nothing."""
        self._handle.close()

    def __enter__(self: _Self) -> _Self:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.close()
