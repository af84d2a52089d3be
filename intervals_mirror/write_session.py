"""What every write shares: the writer lock, the store, the API (or, for the demo store, its
stand-in), and the API's refusals said in one line.

A write holds the writer lock that sync holds for a whole run, so a sync never lists before
a write and stores that older listing after it (which would undo the write); it waits up to
``WRITE_WAIT`` seconds for a running sync, then says to try again.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from .config import Settings
from .demo.writes import DemoNotFound, DemoWrites
from .errors import (
    ApiError,
    AuthError,
    LockTimeoutError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    StoreError,
)
from .store import Store
from .sync.lock import writer_lock

WRITE_WAIT = 15.0  # seconds a write waits for a running sync
UNCHANGED = "nothing was changed"
WRITTEN_TABLES = ("events", "custom_items")  # what a write changes or deletes by id
Obj = dict[str, Any]


@dataclass
class Session:
    settings: Settings
    store: Store
    api: Any  # IntervalsClient, or DemoWrites for the demo store
    athlete_id: str

    @property
    def demo(self) -> bool:
        return self.settings.demo


@contextmanager
def writing(settings: Settings) -> Iterator[Session]:
    """The writer lock, the store, whose data it is, and the API (or the demo's stand-in)."""
    if not settings.db_path.exists():
        raise StoreError(f"nothing is mirrored yet, so there is nowhere to show a change: "
                         f"call refresh (or run `intervals-mirror sync`) first; {UNCHANGED}")
    if not settings.demo:
        settings.require_credentials()
    try:
        waiting = replace(settings, lock_timeout=min(settings.lock_timeout, WRITE_WAIT))
        with writer_lock(waiting), Store.open(settings.db_path) as store:
            found = store.db.conn.execute("SELECT id FROM athlete LIMIT 1").fetchone()
            if found is None:
                raise StoreError("nothing is mirrored yet: call refresh (or run "
                                 f"`intervals-mirror sync`) first; {UNCHANGED}")
            with _api(settings, store) as api:
                yield Session(settings, store, api, str(found[0]))
    except LockTimeoutError:
        raise LockTimeoutError(f"a sync is writing the mirror right now; {UNCHANGED}: try "
                               "again in a minute") from None


@contextmanager
def _api(settings: Settings, store: Store) -> Iterator[Any]:
    if settings.demo:
        yield DemoWrites(lambda table, ident: _stored_raw(store, table, ident),
                         lambda table: _largest_id(store, table),
                         lambda activity_id: _stored_messages(store, activity_id))
        return
    from .api import IntervalsClient  # httpx loads with the first write, not with the server

    # A tool call should not hang for minutes: two retries, a 20 s timeout.
    quick = replace(settings, max_retries=min(settings.max_retries, 2),
                    timeout=min(settings.timeout, 20.0))
    with IntervalsClient(quick) as client:
        yield client


def _stored_raw(store: Store, table: str, ident: str) -> Obj | None:
    if table == "athlete":
        found = store.db.conn.execute("SELECT raw FROM athlete LIMIT 1").fetchone()
        return json.loads(found[0]) if found else None
    row = stored_row(store, table, ident) if table in WRITTEN_TABLES else None
    return json.loads(row["raw"]) if row else None


def _stored_messages(store: Store, activity_id: str) -> list[Obj]:
    return [json.loads(raw) for (raw,) in store.db.conn.execute(
        "SELECT raw FROM activity_messages WHERE activity_id = ?", (activity_id,))]


def _largest_id(store: Store, table: str) -> int | None:
    if table not in (*WRITTEN_TABLES, "activity_messages"):
        return None
    found = store.db.conn.execute(
        f"SELECT max(CAST(id AS INTEGER)) FROM {table}").fetchone()
    return int(found[0]) if found and found[0] is not None else None


# -- what the API said, in one line --------------------------------------------------------


@contextmanager
def api_errors(what: str, thing: str, param: str) -> Iterator[None]:
    """The API's refusal as one line that says nothing was changed (or that it may have
    been, when the answer was lost after the request went out); an unknown id names the
    parameter (``param``) that gave it."""
    try:
        yield
    except DemoNotFound:
        raise NotFoundError(f"{param}: the demo mirror has no {thing}; {UNCHANGED}",
                            status=404) from None
    except ApiError as exc:
        raise _refusal(exc, what, thing, param) from None


def _refusal(exc: ApiError, what: str, thing: str, param: str) -> ApiError:
    said = " ".join((exc.detail or "").split())[:200]
    if exc.maybe_applied:
        message = (f"the connection to Intervals.icu failed after {what} was sent, so it may "
                   "or may not have been made; the mirror was not changed: refresh shows "
                   "what Intervals.icu has")
    elif isinstance(exc, NetworkError):
        message = f"Intervals.icu is unreachable; {UNCHANGED}"
    elif isinstance(exc, RateLimitedError):
        message = (f"Intervals.icu keeps answering 429 Too Many Requests; {UNCHANGED}: try "
                   "again in a minute")
    elif isinstance(exc, NotFoundError):
        message = (f"{param}: Intervals.icu has no {thing} (404{': ' + said if said else ''}); "
                   f"{UNCHANGED}")
    elif isinstance(exc, AuthError) and exc.status == 403:
        message = (f"Intervals.icu refused {what} (403 {said or 'Forbidden'}): the API key "
                   "must belong to the athlete or their coach, with permission to change "
                   "it (an OAuth token needs the write scope, e.g. CALENDAR:WRITE for the "
                   f"calendar); {UNCHANGED}")
    elif isinstance(exc, AuthError):
        message = f"{exc}; {UNCHANGED}"
    else:
        message = (f"Intervals.icu refused {what} ({exc.status}"
                   f"{': ' + said if said else ''}); {UNCHANGED}")
    error = type(exc)(message, status=exc.status) if not isinstance(exc, RateLimitedError) \
        else RateLimitedError(message)
    error.detail = exc.detail
    return error


def stored_row(store: Store, table: str, ident: str) -> Obj | None:
    cursor = store.db.conn.execute(f"SELECT * FROM {_written(table)} WHERE id = ?",
                                   (ident,))
    found = cursor.fetchone()
    return dict(zip([d[0] for d in cursor.description], found, strict=True)) if found else None


@contextmanager
def storing(what: str) -> Iterator[None]:
    """The API has made the change: a store that cannot take it must not read as a refusal."""
    with made(what, "storing it in the mirror", "the next sync brings it"):
        yield


@contextmanager
def made(what: str, failing: str, after: str = "get_activity_messages fetches them"
          ) -> Iterator[None]:
    """A step after the API made a change failed: say it was made, and what failed."""
    try:
        yield
    except (StoreError, sqlite3.Error, ApiError) as exc:
        raise StoreError(f"Intervals.icu made {what}, but {failing} failed ({exc}); "
                         f"{after}") from None


def _written(table: str) -> str:
    """Table names are interpolated into SQL, so only these pass."""
    if table not in WRITTEN_TABLES:
        raise StoreError(f"unknown table {table!r}")
    return table
