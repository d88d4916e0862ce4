"""The client's log: levels, and the ctypes callback that hands each line to Python.

The library calls the callback on the thread that makes the call, so on several threads at
once when a client is shared; ctypes takes the GIL for it. Whatever the user's function
raises is caught here and reported as a :class:`RuntimeWarning` (nothing may unwind into C).
"""

from __future__ import annotations

import enum
import logging
import operator
import warnings
from typing import Any, Callable, Optional, Tuple, Union

from ._native import log_callback_t
from .errors import invalid_argument


class LogLevel(enum.IntEnum):
    """The level of a log line (``REMOTEIT_LOG_*``); a higher number is more detail."""

    ERROR = 1
    """A call failed."""
    WARN = 2
    """Each retry and its reason, each clock correction, each ``X-R3-Warning`` of the API."""
    INFO = 3
    """Each attempt: method, URL, status and duration (``<n> ms``)."""
    DEBUG = 4
    """The signing string (or RFC 9421 signature base) of each request; never the secret or a
    signature value."""


#: The ``logging`` level of each :class:`LogLevel`.
LOGGING_LEVELS = {
    LogLevel.ERROR: logging.ERROR,
    LogLevel.WARN: logging.WARNING,
    LogLevel.INFO: logging.INFO,
    LogLevel.DEBUG: logging.DEBUG,
}

LogFunction = Callable[[LogLevel, str], Any]
LogTarget = Union[LogFunction, logging.Logger]
LevelArg = Union[LogLevel, int, str]


def level_for_logger(logger: logging.Logger) -> LogLevel:
    """The most detailed :class:`LogLevel` that ``logger`` would not drop, from its effective
    level: DEBUG for ``logging.DEBUG`` (or NOTSET) and below, INFO up to ``logging.INFO``, WARN
    up to ``logging.WARNING``, otherwise ERROR."""
    effective = logger.getEffectiveLevel()
    if effective <= logging.DEBUG:
        return LogLevel.DEBUG
    if effective <= logging.INFO:
        return LogLevel.INFO
    if effective <= logging.WARNING:
        return LogLevel.WARN
    return LogLevel.ERROR


def level_arg(level: LevelArg) -> int:
    """``level`` for the library: a :class:`LogLevel`, its name (``"DEBUG"``, any case) or a
    number. A number outside 1..4 goes to the library as it is, which rejects it
    (``INVALID_ARGUMENT``)."""
    if isinstance(level, str):
        try:
            return LogLevel[level.upper()]
        except KeyError:
            names = ", ".join(member.name for member in LogLevel)
            raise invalid_argument(f"level must be one of {names}, got {level!r}") from None
    number = operator.index(level)
    if not 0 <= number <= 2**32 - 1:
        raise invalid_argument(f"level must be between 1 and 4, got {number}")
    return number


def _as_level(level: int) -> Union[LogLevel, int]:
    try:
        return LogLevel(level)
    except ValueError:
        return level


def _report(function: Any, error: BaseException) -> None:
    """Tell about an exception the user's log function raised, without raising."""
    try:
        warnings.warn(
            f"the remoteit log function {function!r} raised {type(error).__name__}: {error}; "
            "the line was dropped and the call goes on",
            RuntimeWarning,
            stacklevel=2,
        )
    except BaseException:  # noqa: BLE001 - e.g. warnings turned into errors: nothing may reach C
        pass


def logger_function(logger: logging.Logger) -> LogFunction:
    """A log function that passes each line to ``logger`` at the matching ``logging`` level."""

    def log(level: LogLevel, message: str) -> None:
        logger.log(LOGGING_LEVELS.get(level, logging.DEBUG), "%s", message)

    return log


def make_callback(target: LogTarget, level: Optional[LevelArg]) -> Tuple[Any, int]:
    """The ctypes callback for ``target`` (a function ``(level, message)`` or a
    ``logging.Logger``) and the maximum level to register it with.

    ``level`` None means: from the Logger's effective level (see :func:`level_for_logger`), or
    :attr:`LogLevel.INFO` for a function.
    """
    if isinstance(target, logging.Logger):
        function = logger_function(target)
        default = level_for_logger(target)
    elif callable(target):
        function = target
        default = LogLevel.INFO
    else:
        raise TypeError(f"the logger must be callable or a logging.Logger, not {type(target).__name__}")
    max_level = default if level is None else level_arg(level)

    def on_line(_userdata: Any, line_level: int, message: Optional[bytes]) -> None:
        try:
            text = "" if message is None else message.decode("utf-8", errors="replace")
            function(_as_level(line_level), text)
        except BaseException as error:  # noqa: BLE001 - never into C
            _report(target, error)

    return log_callback_t(on_line), max_level
