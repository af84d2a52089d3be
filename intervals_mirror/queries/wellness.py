"""Wellness days, with the athlete's custom wellness fields by name."""

from __future__ import annotations

from typing import Any

from .. import typed_columns
from ..store import Store
from .common import Page, columns, custom_field_names, dicts

WELLNESS_FIELDS = ("id", "form",
                   *(column for column, _ in typed_columns.WELLNESS_COLUMNS))


def wellness(store: Store, start: str, end: str, *, include_custom: bool = True,
             limit: int, today: str | None = None) -> Page:
    """Wellness days in [start, end], oldest first; the newest ``limit`` days if more.

    Days after ``today`` are Intervals.icu's projection of fitness from planned workouts:
    they are marked ``projected``.
    """
    conn = store.db.conn
    total = conn.execute("SELECT count(*) FROM wellness WHERE id BETWEEN ? AND ?",
                         (start, end)).fetchone()[0]
    rows = dicts(conn.execute(
        f"SELECT {columns(WELLNESS_FIELDS)} FROM wellness WHERE id BETWEEN ? AND ? "
        "ORDER BY id DESC LIMIT ?", (start, end, limit)))
    rows.reverse()
    for row in rows:
        row["date"] = row.pop("id")
        row["projected"] = bool(today and row["date"] > today)
    names: dict[str, str] = {}
    if include_custom and rows:
        names = custom_field_names(store, "INPUT_FIELD")
        by_day: dict[str, dict[str, Any]] = {}
        for day, code, value in conn.execute(
                "SELECT date, field, value FROM wellness_custom WHERE date BETWEEN ? AND ? "
                "ORDER BY date, field", (rows[0]["date"], rows[-1]["date"])):
            by_day.setdefault(day, {})[names.get(code, code)] = value
        for row in rows:
            row["custom"] = by_day.get(row["date"], {})
    return Page(rows, total, {"custom_fields": names})
