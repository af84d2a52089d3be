"""Writes: to Intervals.icu first, then, only when it accepted them, to the store.

Every write sends its request, and when the API answers with the object (or the deletion),
stores that answer in one transaction, so the next read shows it, offline too, without a
sync. When the API refuses or cannot be reached, nothing changes in the store and the error
says in one line what the API said. There is no queue: offline, a write fails.

Calendar events (workouts, notes), custom items and activity messages. Each write runs in
``write_session.writing``: under sync's writer lock (a sync never undoes it), with the API, or
for the demo store ``demo.writes.DemoWrites`` (the same answers, no network). A deleted
object keeps its last JSON in the ``deleted`` table (``how = 'tool'``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import records
from .activity_parts import save_messages
from .config import Settings
from .errors import ApiError, AuthError, NetworkError, NotFoundError, QueryError, RateLimitedError
from .store import Store, utc_now
from .sync.plan import horizon
from .validate import today_in
from .write_session import (
    UNCHANGED,
    Session,
    api_errors,
    made,
    stored_row,
    storing,
    writing,
)

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
    param: str  # the tools' parameter that names one


EVENT = _Kind("events", "event", records.event_row, "event", "delete_event", "event_id")
CUSTOM_ITEM = _Kind("custom_items", "custom item", records.custom_item_row, "custom_item",
                    "delete_custom_item", "item_id")


@dataclass
class Deletions:
    """What a deletion did: the rows deleted (their columns, as stored before), those already
    gone upstream, and ``(id, why)`` for each that failed or was not tried."""

    deleted: list[Obj] = field(default_factory=list)
    already_gone: list[Obj] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    demo: bool = False


# -- events ------------------------------------------------------------------------------


def save_event(settings: Settings, body: Obj, event_id: str | None = None, *,
               category: str) -> Saved:
    """Create (no ``event_id``) or change an event of ``category`` (WORKOUT, NOTE): ``body``
    holds only the fields to send, so a change never blanks what it does not name."""
    with writing(settings) as session:
        if event_id is not None:
            _check_category(session.store, event_id, category)
        what = f"the {category.lower()}"
        with api_errors(what, f"event {event_id}", "event_id"):
            answer = (session.api.update_event(session.athlete_id, event_id, body)
                      if event_id is not None
                      else session.api.create_event(session.athlete_id, body))
        row = records.event_row(answer, session.athlete_id, utc_now())
        with storing(f"the {category.lower()} {answer.get('id')}"), \
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
    with writing(settings) as session:
        with api_errors("the custom item", f"custom item {item_id}", "item_id"):
            answer = (session.api.update_custom_item(session.athlete_id, item_id, body)
                      if item_id is not None
                      else session.api.create_custom_item(session.athlete_id, body))
        items = _with_required(answer)
        now = utc_now()
        rows = [records.custom_item_row(item, session.athlete_id, now) for item in items]
        with storing(f"the custom item {answer.get('id')}"), session.store.transaction():
            session.store.save_rows("custom_items", rows, items, session.athlete_id)
        return Saved(items[0], rows[0], created=item_id is None, demo=session.demo,
                     also=tuple(rows[1:]))


def delete_custom_item(settings: Settings, item_id: str) -> Deletions:
    return _delete(settings, CUSTOM_ITEM, [item_id])


def _with_required(answer: Obj) -> list[Obj]:
    """A NewCustomItem and the items made with it (``required_items_created``, nested), each
    as the list endpoint shows it (without that key)."""
    found = [{k: v for k, v in answer.items() if k != "required_items_created"}]
    for extra in answer.get("required_items_created") or []:
        if isinstance(extra, dict) and extra.get("id") is not None:
            found += _with_required(extra)
    return found


# -- activity messages --------------------------------------------------------------------


def add_activity_message(settings: Settings, activity_id: str, content: str) -> Saved:
    """Post a comment on an activity. The API answers only the new message's id, so the
    activity's messages are listed again (one request) and stored, the new one with them."""
    with writing(settings) as session:
        store = session.store
        activity = store.db.conn.execute(
            "SELECT athlete_id, fingerprint, is_stub FROM activities WHERE id = ?",
            (activity_id,)).fetchone()
        if activity is None or activity[2]:
            why = ("is a Strava import, which Intervals.icu does not share over its API"
                   if activity else "is not in the mirror: get_activities lists the activities")
            raise QueryError(f"activity_id: {activity_id} {why}; {UNCHANGED}")
        with api_errors("the message", f"activity {activity_id}", "activity_id"):
            posted = session.api.add_activity_message(activity_id, content)
        new_id = str(posted.get("id"))
        with made(f"the message {new_id}", "listing the activity's messages"):
            with api_errors("the listing", f"activity {activity_id}", "activity_id"):
                messages = session.api.activity_messages(activity_id)
            with store.transaction():
                save_messages(store, activity_id, activity[0], messages, activity[1],
                              utc_now())
        new = next((m for m in messages if isinstance(m, dict) and str(m.get("id")) == new_id),
                   {"id": posted.get("id"), "content": content})
        return Saved(new, records.message_row(new, activity_id, activity[0], utc_now()),
                     created=True, demo=session.demo)


# -- deleting ------------------------------------------------------------------------------


def _delete(settings: Settings, kind: _Kind, ids: list[str]) -> Deletions:
    done = Deletions(demo=settings.demo)
    with writing(settings) as session:
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


def _delete_one(session: Session, kind: _Kind, ident: str) -> Obj:
    """One object: its stored columns (with ``how``), kept in ``deleted`` with its JSON."""
    store, athlete_id, thing = session.store, session.athlete_id, f"{kind.noun} {ident}"
    row = stored_row(store, kind.table, ident)
    fetched = None
    if row is None:  # not mirrored (beyond the range, or new): fetch it, so it can be kept
        with api_errors(f"the {kind.noun}", thing, kind.param):
            fetched = getattr(session.api, kind.fetch)(athlete_id, ident)
        row = kind.make_row(fetched, athlete_id, utc_now())
    how = "tool"
    try:
        with api_errors("the deletion", thing, kind.param):
            getattr(session.api, kind.remove)(athlete_id, ident)
    except NotFoundError:
        how = "sync"  # already deleted upstream: the store catches up
    with storing(f"the deletion of {thing}"), store.transaction():
        if fetched is not None:
            store.save_rows(kind.table, [row], [fetched], athlete_id)
        store.delete_ids(kind.table, [ident], how=how)
    return {**{k: v for k, v in row.items() if k not in ("raw", "fingerprint")}, "how": how}


def _horizon(session: Session) -> str:
    zone = session.store.db.conn.execute("SELECT timezone FROM athlete").fetchone()
    return horizon(session.settings, "events", today_in(zone[0] if zone else None))


def _check_category(store: Store, event_id: str, category: str) -> None:
    """add_or_update_event changes workouts, add_or_update_note notes: never one into the
    other by mistake."""
    row = stored_row(store, "events", event_id)
    if row is not None and row["category"] != category:
        tool = "add_or_update_note" if row["category"] == "NOTE" else (
            "add_or_update_event" if row["category"] == "WORKOUT" else None)
        hint = f"; {tool} changes it" if tool else ""
        raise QueryError(f"event_id: {event_id} is a {row['category']}, not a "
                         f"{category}{hint}; {UNCHANGED}")
