"""Calendar events: by date and category, and one in full with its workout."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .. import records
from ..store import Store
from .common import Page, columns, dicts

EVENT_FIELDS = ("id", "athlete_id", "date", "end_date",
                *(column for column, _ in records.EVENT_COLUMNS))


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
        f"SELECT {columns(EVENT_FIELDS)} FROM events WHERE {clause} "
        "ORDER BY start_date_local, id LIMIT ?", [*params, limit]))
    return Page(rows, total)


def event(store: Store, event_id: str) -> dict[str, Any] | None:
    """One event in full: typed columns and ``raw`` (the workout steps live there)."""
    rows = dicts(store.db.conn.execute(
        f"SELECT {columns(EVENT_FIELDS)}, raw FROM events WHERE id = ?", (event_id,)))
    if not rows:
        return None
    rows[0]["raw"] = json.loads(rows[0]["raw"])
    return rows[0]
