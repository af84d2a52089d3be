"""Calendar events: by date and category, and one in full with its workout."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from .. import typed_columns
from ..store import Store
from .common import Page, columns, dicts, row_with_raw

EVENT_FIELDS = ("id", "athlete_id", "date", "end_date",
                *(column for column, _ in typed_columns.EVENT_COLUMNS))


def events(store: Store, start: str, end: str, *, categories: Sequence[str] | None = None,
           limit: int) -> Page:
    """Events on days in [start, end] (multi-day ones that overlap it too), earliest first.

    ``end_date`` is the last day an event covers (the API's end is the midnight after it).
    """
    where = ["date <= ?", "coalesce(end_date, date) >= ?"]
    params: list[Any] = [end, start]
    if categories:
        where.append(f"category IN ({','.join('?' * len(categories))})")
        params.extend(categories)
    conn = store.db.conn
    clause = " AND ".join(where)
    total = conn.execute(f"SELECT count(*) FROM events WHERE {clause}", params).fetchone()[0]
    rows = dicts(conn.execute(
        f"SELECT {columns(EVENT_FIELDS)}, {TARGETS}, json_extract(raw, '$.paired_activity_id') "
        f"AS paired_activity_id FROM events WHERE {clause} "
        "ORDER BY start_date_local, id LIMIT ?", [*params, limit]))
    _done_by(store, rows)
    return Page(rows, total)


# A TARGET event's goals (a week's load, time and distance): in the list, not only in full.
TARGETS = ", ".join(f"json_extract(raw, '$.{key}') AS {key}"
                    for key in ("load_target", "time_target", "distance_target"))


# Under this share of its planned load (of its planned time when it plans no load), the
# activities done for a plan leave it partly done; get_plan_compliance uses the same share.
PARTLY_BELOW = 0.7


def _done_by(store: Store, rows: list[dict[str, Any]]) -> None:
    """Each planned workout's ``done_by``: the activities paired with it (either names the
    other), looked up around the workouts' days (a plan is done on its day); and
    ``partly``: true when they did less than PARTLY_BELOW of what was planned."""
    workouts = {str(r["id"]): r for r in rows if r["category"] == "WORKOUT"}
    for row in workouts.values():
        row["done_by"] = []
    if not workouts:
        return
    days = [r["date"] for r in workouts.values() if r["date"]]
    first = (dt.date.fromisoformat(min(days)) - dt.timedelta(days=1)).isoformat()
    last = (dt.date.fromisoformat(max(days)) + dt.timedelta(days=1)).isoformat()
    for activity_id, event_id in store.db.conn.execute(
            "SELECT id, paired_event_id FROM activities WHERE date BETWEEN ? AND ? "
            "AND paired_event_id IS NOT NULL ORDER BY start_date_local, id", (first, last)):
        if str(event_id) in workouts:
            workouts[str(event_id)]["done_by"].append(activity_id)
    known = {a for (a,) in store.db.conn.execute(
        f"SELECT id FROM activities WHERE id IN ({','.join('?' * len(workouts))})",
        [str(r["paired_activity_id"]) for r in workouts.values()])}
    for row in workouts.values():
        paired = str(row["paired_activity_id"])
        if paired in known and paired not in row["done_by"]:
            row["done_by"].append(paired)
    _partly(store, [r for r in workouts.values() if r["done_by"]])


def _partly(store: Store, done: list[dict[str, Any]]) -> None:
    """Mark the plans whose activities reached less than PARTLY_BELOW of the plan, as
    plan_compliance.sql does: by load when the plan has one, else by time."""
    ids = sorted({a for row in done for a in row["done_by"]})
    if not ids:
        return
    did = {a: (load or 0, secs or 0) for a, load, secs in store.db.conn.execute(
        "SELECT id, training_load, moving_time FROM activities "
        f"WHERE id IN ({','.join('?' * len(ids))})", ids)}
    for row in done:
        load = sum(did.get(a, (0, 0))[0] for a in row["done_by"])
        secs = sum(did.get(a, (0, 0))[1] for a in row["done_by"])
        if (row.get("training_load") or 0) > 0:
            row["partly"] = load < PARTLY_BELOW * row["training_load"]
        elif (row.get("moving_time") or 0) > 0:
            row["partly"] = secs < PARTLY_BELOW * row["moving_time"]


def event(store: Store, event_id: str) -> dict[str, Any] | None:
    """One event in full: typed columns and ``raw`` (the workout steps live there)."""
    return row_with_raw(store, "events", EVENT_FIELDS, event_id)
