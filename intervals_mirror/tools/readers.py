"""Read-only store connections, kept open between tool calls.

Opening a connection makes SQLite parse the schema on its first query: about 0.5 ms, more
than most lookups' own queries. So a server keeps a few read-only connections and hands one
to each call. WAL readers see every commit without reopening; a store file that was replaced
(a rebuilt demo, a store moved away) is noticed by its inode and reopened. Figures that change
only when the store does (the status counts) are remembered per connection until SQLite's
``data_version`` says another connection committed.

Until a sync has listed what a tool answers about, the call fails with the cause and what to
do (``not_mirrored``), so an empty mirror never reads as an athlete who did not train.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..config import Settings
from ..errors import ConfigError, StoreError
from ..queries.status import never_listed
from ..store import Store

log = logging.getLogger(__name__)
T = TypeVar("T")
KEEP = 4  # idle connections kept; more calls at once open more, closed when they finish


@dataclass
class _Open:
    store: Store
    identity: tuple[int, int]
    remembered: dict[str, tuple[int, Any]] = field(default_factory=dict)


class Readers:
    """``with readers(resources) as store``: a read-only store for one call about
    ``resources`` (safe across threads)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._idle: list[_Open] = []
        self._lent: dict[int, _Open] = {}
        self._lock = threading.Lock()

    @contextmanager
    def __call__(self, resources: Sequence[str] = ()) -> Iterator[Store]:
        current = self._take(self._identity())
        with self._lock:
            self._lent[id(current.store)] = current
        try:
            why = never_listed(current.store, resources) if resources else None
            if why:
                raise not_mirrored(self._settings, why)
            yield current.store
        finally:
            with self._lock:
                del self._lent[id(current.store)]
                keep = len(self._idle) < KEEP
                if keep:
                    self._idle.append(current)
            if not keep:
                current.store.close()

    def remember(self, store: Store, name: str, compute: Callable[[], T]) -> T:
        """``compute()``, or its last value while nothing was committed to the store since."""
        with self._lock:
            current = self._lent[id(store)]
        version = store.db.conn.execute("PRAGMA data_version").fetchone()[0]
        known = current.remembered.get(name)
        if known is not None and known[0] == version:
            return known[1]  # type: ignore[no-any-return]
        value = compute()
        current.remembered[name] = (version, value)
        return value

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for entry in idle:
            entry.store.close()

    def _identity(self) -> tuple[int, int]:
        path = self._settings.db_path
        try:
            found = os.stat(path)
        except FileNotFoundError:
            raise not_mirrored(self._settings, None) from None
        return found.st_dev, found.st_ino

    def _take(self, identity: tuple[int, int]) -> _Open:
        stale: list[_Open] = []
        chosen = None
        with self._lock:
            while self._idle and chosen is None:
                entry = self._idle.pop()
                if entry.identity == identity:
                    chosen = entry
                else:
                    stale.append(entry)
        for entry in stale:
            entry.store.close()
        if chosen is None:
            chosen = _Open(self._open(), identity)
        return chosen

    def _open(self) -> Store:
        """A read-only store; one an older release wrote is upgraded first (its migrations
        run once, as the next sync would run them), so every tool meets this release's
        schema even before that sync."""
        path = self._settings.db_path
        store = Store.open(path, readonly=True)
        if not store.behind():
            return store
        store.close()
        try:
            Store.open(path).close()
        except StoreError as exc:  # a read-only folder, or a sync migrating at this moment
            log.warning("could not upgrade %s to this release's schema: %s", path, exc)
        return Store.open(path, readonly=True)


def not_mirrored(settings: Settings, why: str | None) -> StoreError:
    """There is nothing to answer from: why, and the one thing that helps."""
    from ..sync import sync_running  # the sync machinery, only for this message

    if sync_running(settings):
        return StoreError("the first sync is mirroring the history right now: ask again "
                          "in a minute (the most recent days come first)")
    if settings.demo:
        return StoreError(f"there is no demo store at {settings.db_path}: build it with "
                          "`intervals-mirror demo` (no account needed), then ask again")
    try:
        settings.require_credentials()
    except ConfigError as exc:
        return StoreError(
            f"{why or 'nothing is mirrored yet'}, and no sync can run. {exc} For Claude "
            "Desktop, put API_KEY and ATHLETE_ID in the env of this server's entry in "
            "claude_desktop_config.json and restart it (`intervals-mirror claude-config` "
            "prints the entry)")
    if why is None:
        return StoreError(f"nothing is mirrored yet (no store at {settings.db_path}): call "
                          "the refresh tool, or run `intervals-mirror sync`")
    return StoreError(f"{why}. There is no data to answer from until a sync succeeds: call "
                      "refresh (or run `intervals-mirror sync`)")
