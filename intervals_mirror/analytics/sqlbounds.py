"""What keeps ad-hoc SQL short in time and memory, whatever the SQL says.

SQLite checks for an interrupt only where a statement loops, so one call of a built-in
function runs to its end: ``printf('%.*c', 2147483647, 'x')`` loops two billion times
(about 20 s) even past the length limit, and ``instr``, ``replace``, ``trim``, ``LIKE``,
``GLOB`` and ``json_patch`` take time that grows with the product of their arguments'
lengths (minutes for two values of a few hundred KB). So:

- no string or blob may be longer than ``SQL_VALUE_BYTES`` (``SQLITE_LIMIT_LENGTH``, also
  what a stored value may be to be read); SQLite's own memory in this process stays under
  ``SQL_HEAP_BYTES`` (``PRAGMA hard_heap_limit``, which bounds a result row too);
- those functions are replaced on the connection by checks that refuse arguments that would
  take too long (or make a value too big) and otherwise hand the call to SQLite's own
  function on a private in-memory connection; each check also stops the statement once its
  time is up;
- a watchdog thread interrupts the connection at the deadline (the loops check that).
"""

from __future__ import annotations

import math
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

SQL_VALUE_BYTES = 250_000    # the longest string or blob ad-hoc SQL may read or make
SQL_HEAP_BYTES = 64_000_000  # SQLite's memory in this process (PRAGMA hard_heap_limit)

# name -> (argument counts, most len(first) * len(second) allowed): each limit keeps one call
# under about 0.2 s on a slow core (measured on SQLite 3.40 for the worst inputs).
_COSTLY: dict[str, tuple[tuple[int, ...], float]] = {
    "instr": ((2,), 2e9), "replace": ((3,), 2e9), "json_patch": ((2,), 2e9),
    "like": ((2, 3), 1e8), "glob": ((2,), 1e8),
    "trim": ((2,), 3e7), "ltrim": ((2,), 3e7), "rtrim": ((2,), 3e7),
}
_PRINTF_NAMES = ("printf", "format")
# printf conversions whose output is at least as long as their width or precision (for s, z,
# q, Q and w the precision only shortens the value).
_SIZED_CONVERSIONS = frozenset("cdiuxXopfeEgGn")
_SPEC_CHARS = frozenset("-+ #!0,l*.0123456789")
_NUMBER_PREFIX = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


class Stop(Exception):
    """Raised inside a replaced function: the reason is on the ``Bounds``."""


@dataclass
class Bounds:
    """The limits of one statement, and why it was stopped if it was."""

    deadline: float
    timed_out: bool = False
    refusal: str | None = None  # a function call refused, or failed, as the user will read it

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            self.timed_out = True
            raise Stop

    def refuse(self, message: str) -> Stop:
        self.refusal = message
        return Stop()


class Watchdog:
    """One thread for every running statement of the process: interrupts each connection at
    its deadline (a thread per statement would cost more than a short query)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._watched: dict[int, tuple[sqlite3.Connection, Bounds]] = {}
        self._thread: threading.Thread | None = None

    @contextmanager
    def watching(self, conn: sqlite3.Connection, bounds: Bounds) -> Iterator[None]:
        """Until the block ends; once it has, ``conn`` is never interrupted."""
        with self._changed:
            self._watched[id(bounds)] = (conn, bounds)
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name="sql-watchdog",
                                                daemon=True)
                self._thread.start()
            self._changed.notify()
        try:
            yield
        finally:
            with self._changed:
                del self._watched[id(bounds)]

    def _watch(self) -> None:
        with self._changed:
            while True:
                now = time.monotonic()
                for conn, bounds in self._watched.values():
                    if bounds.deadline <= now and not bounds.timed_out:
                        bounds.timed_out = True
                        conn.interrupt()
                pending = [b.deadline for _, b in self._watched.values() if not b.timed_out]
                self._changed.wait(min(pending) - now if pending else None)


WATCHDOG = Watchdog()


def limit_connection(conn: sqlite3.Connection) -> None:
    """The value and memory limits (before the authorizer, which refuses these PRAGMAs)."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, SQL_VALUE_BYTES)
    conn.execute(f"PRAGMA hard_heap_limit = {SQL_HEAP_BYTES}")


class CheckedFunctions:
    """The costly built-ins, replaced on a connection by checked calls of the originals."""

    def __init__(self, bounds: Bounds) -> None:
        self._bounds = bounds
        self._builtins: sqlite3.Connection | None = None  # opened on first use

    def install(self, conn: sqlite3.Connection) -> None:
        for name, (counts, budget) in _COSTLY.items():
            for count in counts:
                conn.create_function(name, count, self._costly(name, budget),
                                     deterministic=True)
        for name in _PRINTF_NAMES:
            conn.create_function(name, -1, self._printf(name), deterministic=True)

    def close(self) -> None:
        if self._builtins is not None:
            self._builtins.close()

    def _costly(self, name: str, budget: float) -> Callable[..., Any]:
        def checked(*args: Any) -> Any:
            self._bounds.check_time()
            first, second = _size(args[0]), _size(args[1])
            if first * second > budget:
                raise self._bounds.refuse(
                    f"{name}() on values this long ({first:,} and {second:,} characters) "
                    "could run for minutes; use shorter values (substr, json_extract)")
            return self._call(name, args)
        return checked

    def _printf(self, name: str) -> Callable[..., Any]:
        def checked(*args: Any) -> Any:
            self._bounds.check_time()
            if args and isinstance(args[0], str):
                largest = max(_printf_sizes(args[0], args[1:]), default=0)
                if largest > SQL_VALUE_BYTES:
                    raise self._bounds.refuse(
                        f"{name}() would make a value too big ({largest:,} characters): "
                        f"{too_big_words()}")
            return self._call(name, args)
        return checked

    def _call(self, name: str, args: Sequence[Any]) -> Any:
        """SQLite's own function, on a connection with the same length limit."""
        if self._builtins is None:
            self._builtins = sqlite3.connect(":memory:", check_same_thread=False)
            self._builtins.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, SQL_VALUE_BYTES)
        try:
            return self._builtins.execute(
                f"SELECT {name}({', '.join('?' * len(args))})", tuple(args)).fetchone()[0]
        except MemoryError:
            raise self._bounds.refuse(f"{name}() ran out of memory") from None
        except sqlite3.Error as exc:
            if "too big" in str(exc):
                raise self._bounds.refuse(
                    f"{name}() would make a value too big: {too_big_words()}") from None
            raise self._bounds.refuse(f"{name}(): {exc}") from None


def too_big_words() -> str:
    return (f"no string or blob may be longer than {SQL_VALUE_BYTES:,} bytes here; use "
            "substr(), length() or aggregate instead")


def _size(value: Any) -> int:
    if value is None:
        return 0
    return len(value) if isinstance(value, (str, bytes)) else 24


def _printf_sizes(fmt: str, args: Sequence[Any]) -> Iterator[int]:
    """The width and precision of each conversion whose output is at least that long, read
    as SQLite's printf reads them (``*`` takes the next argument as a 32-bit int)."""
    used, i = 0, 0
    while (i := fmt.find("%", i)) >= 0:
        i += 1
        sizes: list[int] = []
        while i < len(fmt) and fmt[i] in _SPEC_CHARS:
            if fmt[i] == "*":
                sizes.append(_as_int32(args[used]) if used < len(args) else 0)
                used += 1
                i += 1
            elif fmt[i].isdigit():
                end = i
                while end < len(fmt) and fmt[end].isdigit():
                    end += 1
                sizes.append(int(fmt[i:end]) & 0x7FFFFFFF)
                i = end
            else:
                i += 1
        conversion = fmt[i] if i < len(fmt) else ""
        if conversion and conversion != "%":
            used += 1
        if conversion in _SIZED_CONVERSIONS:
            yield from sizes
        i += 1


def _as_int32(value: Any) -> int:
    """The size SQLite's printf takes from a ``*`` argument (as an int, then its magnitude)."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        match = _NUMBER_PREFIX.match(value)
        value = float(match.group()) if match else 0
    if isinstance(value, float):
        value = int(value) if math.isfinite(value) else (2**63 - 1 if value > 0 else -2**63)
    number = max(-2**63, min(2**63 - 1, int(value or 0)))
    return abs(((number + 2**31) % 2**32) - 2**31)
