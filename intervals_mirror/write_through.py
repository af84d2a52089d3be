"""Writes: to Intervals.icu first, then, only when it accepted them, to the store.

Every write sends its request, and when the API answers with the object (or the deletion),
stores that answer in one transaction, so the next read shows it, offline too, without a
sync. When the API refuses or cannot be reached, nothing changes in the store and the error
says in one line what the API said. There is no queue: offline, a write fails.

Calendar events (workouts, notes) and custom items. A write holds the writer lock that sync
holds for a whole run, so a sync never lists a window before a write and stores that older
listing after it (which would undo the write); a write waits up to ``WRITE_WAIT`` seconds
for a running sync, then says to try again. A deleted object keeps its last JSON in the
``deleted`` table (``how = 'tool'``).

With ``--demo`` the API is ``demo.writes.DemoWrites``: the same answers, no network.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from . import records
from .config import Settings
from .demo.writes import DemoNotFound, DemoWrites
from .errors import (
    ApiError,
    AuthError,
    LockTimeoutError,
    NetworkError,
    NotFoundError,
    QueryError,
    RateLimitedError,
    StoreError,
)
from .store import Store, utc_now
from .sync.lock import writer_lock
from .sync.plan import horizon
from .validate import today_in

WRITE_WAIT = 15.0  # seconds a write waits for a running sync
UNCHANGED = "nothing was changed"
Obj = dict[str, Any]


@dataclass(frozen=True)
class Saved:
    """An object as the API returned it and as it is now stored."""

    raw: Obj
    row: Obj  # the stored columns (``records.event_row``, ``custom_item_row``)
    created: bool
    demo: bool
    horizon: str | None = None  # events: the last day sync keeps; later ones leave the mirror
    also: tuple[Obj, ...] = ()  # custom items: the rows of items the API made with it


@dataclass(frozen=True)
class _Kind:
    """What deleting differs in between events and custom items."""

    table: str
    noun: str
    make_row: Callable[[Obj, str, str], Obj]
    fetch: str  # the API client's method for one object
    remove: str  # and for deleting it


EVENT = _Kind("events", "event", records.event_row, "event", "delete_event")
CUSTOM_ITEM = _Kind("custom_items", "custom item", records.custom_item_row, "custom_item",
                    "delete_custom_item")
_KINDS = {kind.table: kind for kind in (EVENT, CUSTOM_ITEM)}


@dataclass
class Deletions:
    """What a deletion did: the rows deleted (their columns, as stored before), those already
    gone upstream, and ``(id, why)`` for each that failed or was not tried."""

    deleted: list[Obj] = field(default_factory=list)
    already_gone: list[Obj] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    demo: bool = False


@dataclass
class _Session:
    settings: Settings
    store: Store
    api: Any  # IntervalsClient, or DemoWrites for the demo store
    athlete_id: str

    @property
    def demo(self) -> bool:
        return self.settings.demo


# -- events ------------------------------------------------------------------------------


def save_event(settings: Settings, body: Obj, event_id: str | None = None, *,
               category: str) -> Saved:
    """Create (no ``event_id``) or change an event of ``category`` (WORKOUT, NOTE): ``body``
    holds only the fields to send, so a change never blanks what it does not name."""
    with _session(settings) as session:
        if event_id is not None:
            _check_category(session.store, event_id, category)
        what = f"the {category.lower()}"
        with _api_errors(what, f"event {event_id}"):
            answer = (session.api.update_event(session.athlete_id, event_id, body)
                      if event_id is not None
                      else session.api.create_event(session.athlete_id, body))
        row = records.event_row(answer, session.athlete_id, utc_now())
        with _storing(f"the {category.lower()} {answer.get('id')}"), \
                session.store.transaction():
            session.store.save_rows("events", [row], [answer], session.athlete_id)
        return Saved(answer, row, created=event_id is None, demo=session.demo,
                     horizon=_horizon(session))


def delete_events(settings: Settings, event_ids: list[str]) -> Deletions:
    """Delete events one by one, each from the store as soon as the API has deleted it; stop
    at the first failure that would fail the rest too (unreachable, rate limited)."""
    return _delete(settings, EVENT, event_ids)


# -- custom items --------------------------------------------------------------------------


def save_custom_item(settings: Settings, body: Obj, item_id: str | None = None) -> Saved:
    """Create (no ``item_id``) or change a custom item; ``body`` holds only what to send.
    The items a new one needed, which the API makes with it, are stored too."""
    with _session(settings) as session:
        with _api_errors("the custom item", f"custom item {item_id}"):
            answer = (session.api.update_custom_item(session.athlete_id, item_id, body)
                      if item_id is not None
                      else session.api.create_custom_item(session.athlete_id, body))
        items = _with_required(answer)
        now = utc_now()
        rows = [records.custom_item_row(item, session.athlete_id, now) for item in items]
        with _storing(f"the custom item {answer.get('id')}"), session.store.transaction():
            session.store.save_rows("custom_items", rows, items, session.athlete_id)
        return Saved(items[0], rows[0], created=item_id is None, demo=session.demo,
                     also=tuple(rows[1:]))


def delete_custom_item(settings: Settings, item_id: str) -> Deletions:
    return _delete(settings, CUSTOM_ITEM, [item_id])


def _with_required(answer: Obj) -> list[Obj]:
    """A NewCustomItem and the items made with it (``required_items_created``, nested), each
    as the list endpoint shows it (without that key)."""
    found = [{k: v for k, v in answer.items() if k != "required_items_created"}]
    for made in answer.get("required_items_created") or []:
        if isinstance(made, dict) and made.get("id") is not None:
            found += _with_required(made)
    return found


# -- deleting ------------------------------------------------------------------------------


def _delete(settings: Settings, kind: _Kind, ids: list[str]) -> Deletions:
    done = Deletions(demo=settings.demo)
    with _session(settings) as session:
        for position, ident in enumerate(ids):
            try:
                gone = _delete_one(session, kind, ident)
            except ApiError as exc:
                done.failed.append((ident, str(exc)))
                if isinstance(exc, NetworkError | RateLimitedError | AuthError):
                    done.failed += [(i, "not tried") for i in ids[position + 1:]]
                    break
                continue
            (done.already_gone if gone["how"] == "sync" else done.deleted).append(gone)
    return done


def _delete_one(session: _Session, kind: _Kind, ident: str) -> Obj:
    """One object: its stored columns (with ``how``), kept in ``deleted`` with its JSON."""
    store, athlete_id, thing = session.store, session.athlete_id, f"{kind.noun} {ident}"
    row = _stored_row(store, kind.table, ident)
    fetched = None
    if row is None:  # not mirrored (beyond the range, or new): fetch it, so it can be kept
        with _api_errors(f"the {kind.noun}", thing):
            fetched = getattr(session.api, kind.fetch)(athlete_id, ident)
        row = kind.make_row(fetched, athlete_id, utc_now())
    how = "tool"
    try:
        with _api_errors("the deletion", thing):
            getattr(session.api, kind.remove)(athlete_id, ident)
    except NotFoundError:
        how = "sync"  # already deleted upstream: the store catches up
    with _storing(f"the deletion of {thing}"), store.transaction():
        if fetched is not None:
            store.save_rows(kind.table, [row], [fetched], athlete_id)
        store.delete_ids(kind.table, [ident], how=how)
    return {**{k: v for k, v in row.items() if k not in ("raw", "fingerprint")}, "how": how}


def _horizon(session: _Session) -> str:
    zone = session.store.db.conn.execute("SELECT timezone FROM athlete").fetchone()
    return horizon(session.settings, "events", today_in(zone[0] if zone else None))


def _stored_row(store: Store, table: str, ident: str) -> Obj | None:
    cursor = store.db.conn.execute(f"SELECT * FROM {_KINDS[table].table} WHERE id = ?",
                                   (ident,))
    found = cursor.fetchone()
    return dict(zip([d[0] for d in cursor.description], found, strict=True)) if found else None


def _check_category(store: Store, event_id: str, category: str) -> None:
    """add_or_update_event changes workouts, add_or_update_note notes: never one into the
    other by mistake."""
    row = _stored_row(store, "events", event_id)
    if row is not None and row["category"] != category:
        tool = "add_or_update_note" if row["category"] == "NOTE" else (
            "add_or_update_event" if row["category"] == "WORKOUT" else None)
        hint = f"; {tool} changes it" if tool else ""
        raise QueryError(f"event_id: {event_id} is a {row['category']}, not a "
                         f"{category}{hint}; {UNCHANGED}")


@contextmanager
def _storing(what: str) -> Iterator[None]:
    """The API has made the change: a store that cannot take it must not read as a refusal."""
    try:
        yield
    except (StoreError, sqlite3.Error) as exc:
        raise StoreError(f"Intervals.icu made {what}, but the mirror could not store it "
                         f"({exc}); the next sync brings it") from None


# -- the session: lock, store, API -------------------------------------------------------


@contextmanager
def _session(settings: Settings) -> Iterator[_Session]:
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
                yield _Session(settings, store, api, str(found[0]))
    except LockTimeoutError:
        raise LockTimeoutError(f"a sync is writing the mirror right now; {UNCHANGED}: try "
                               "again in a minute") from None


@contextmanager
def _api(settings: Settings, store: Store) -> Iterator[Any]:
    if settings.demo:
        yield DemoWrites(lambda table, ident: _stored_raw(store, table, ident),
                         lambda table: _largest_id(store, table))
        return
    from .api import IntervalsClient  # httpx loads with the first write, not with the server

    # A tool call should not hang for minutes: two retries, a 20 s timeout.
    quick = replace(settings, max_retries=min(settings.max_retries, 2),
                    timeout=min(settings.timeout, 20.0))
    with IntervalsClient(quick) as client:
        yield client


def _stored_raw(store: Store, table: str, ident: str) -> Obj | None:
    row = _stored_row(store, table, ident) if table in _KINDS else None
    return json.loads(row["raw"]) if row else None


def _largest_id(store: Store, table: str) -> int | None:
    if table not in _KINDS:
        return None
    found = store.db.conn.execute(
        f"SELECT max(CAST(id AS INTEGER)) FROM {_KINDS[table].table}").fetchone()
    return int(found[0]) if found and found[0] is not None else None


# -- what the API said, in one line --------------------------------------------------------


@contextmanager
def _api_errors(what: str, thing: str) -> Iterator[None]:
    """The API's refusal as one line that says nothing was changed (or that it may have
    been, when the answer was lost after the request went out)."""
    try:
        yield
    except DemoNotFound:
        raise NotFoundError(f"there is no {thing} (404); {UNCHANGED}", status=404) from None
    except ApiError as exc:
        raise _refusal(exc, what, thing) from None


def _refusal(exc: ApiError, what: str, thing: str) -> ApiError:
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
        message = f"Intervals.icu has no {thing} (404{': ' + said if said else ''}); {UNCHANGED}"
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
