"""Calendar events: by date and category, and one in full with its workout."""

from __future__ import annotations

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
        f"SELECT {columns(EVENT_FIELDS)}, {TARGETS} FROM events WHERE {clause} "
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
    """Each planned workout's ``done_by``: the activities done for it, earliest first, and
    ``partly``: true when they did less than PARTLY_BELOW of the plan. Both come from the
    views get_plan_compliance reads too (workout_activities pairs them as Intervals.icu does,
    on any day; workout_progress has the share done)."""
    workouts = {str(r["id"]): r for r in rows if r["category"] == "WORKOUT"}
    for row in workouts.values():
        row["done_by"] = []
    if not workouts:
        return
    conn, marks = store.db.conn, ",".join("?" * len(workouts))
    for event_id, activity_id in conn.execute(
            "SELECT w.event_id, w.activity_id FROM workout_activities AS w "
            f"JOIN activities AS a ON a.id = w.activity_id WHERE w.event_id IN ({marks}) "
            "ORDER BY a.start_date_local, a.id", list(workouts)):
        workouts[event_id]["done_by"].append(activity_id)
    for event_id, share in conn.execute(
            f"SELECT event_id, done_share FROM workout_progress WHERE event_id IN ({marks})",
            list(workouts)):
        workouts[event_id]["partly"] = share is not None and share < PARTLY_BELOW


def event(store: Store, event_id: str) -> dict[str, Any] | None:
    """One event in full: typed columns and ``raw`` (the workout steps live there)."""
    return row_with_raw(store, "events", EVENT_FIELDS, event_id)
