"""The store's schema described: tables, views, columns, types and one-line meanings, read
from the shipped schema files, so query_sql can be written without guessing."""

from __future__ import annotations

import re
import sqlite3
from functools import cache
from typing import Any

from ..answers.schema import schema_text
from ..sqlfiles import sql_text
from .common import Answer

TABLE_NOTES: dict[str, str] = {
    "activities": "one row per activity; Strava imports are stubs (is_stub = 1) with only a "
                  "date, because Intervals.icu does not share them over its API",
    "intervals": "the intervals of each activity (type WORK or RECOVERY), in order",
    "interval_groups": "repeated-interval groups of each activity (the group's JSON in raw)",
    "wellness": "one row per day: fitness (CTL/ATL/form), HRV, resting HR, sleep, weight, "
                "subjective scores",
    "wellness_custom": "the athlete's custom wellness fields, one row per day and field",
    "events": "the calendar: planned workouts, races, notes, holidays",
    "athlete": "the mirrored athlete",
    "custom_fields": "the athlete's custom field definitions (codes used in wellness_custom)",
    "sync_runs": "one row per sync run: when, status, counts, requests, error",
    "sync_state": "what sync has fully listed, per resource",
    "fitness": "view: wellness reduced to the fitness columns, date = the day",
    "real_activities": "view: activities without the Strava stubs",
    "work_intervals": "view: WORK intervals with their activity's date and activity_type",
}
COLUMN_NOTES: dict[str, str] = {
    "id": "the API's own id (primary key)",
    "athlete_id": "the athlete's id, e.g. i104233",
    "raw": "the API's JSON object verbatim; read it with json_extract(raw, '$.key')",
    "fingerprint": "hash of raw, used by sync",
    "intervals_fingerprint": "fingerprint the intervals were fetched for",
    "synced_at": "UTC ISO time of the last write",
    "description": "free text", "activity_type": "the activity's sport",
    "date": "local day YYYY-MM-DD", "timezone": "IANA time zone, e.g. Europe/Berlin",
    "device_name": "recording device", "trainer": "1: indoor trainer",
    "commute": "1: commute", "race": "1: race",
}
SCHEMA_NOTES = (
    "SQLite, queried with SQLite SQL (one SELECT per call, read-only).",
    "Days are TEXT 'YYYY-MM-DD' in the athlete's local time (wellness.id is the day); "
    "compare them as text: date BETWEEN '2026-01-01' AND '2026-03-31'.",
    "Booleans are 0/1. Units: seconds, metres, m/s, bpm, W, kg; intensity is % of threshold.",
    "Fields without a column are in raw: json_extract(raw, '$.icu_zone_times').",
    "Custom wellness fields: SELECT date, value FROM wellness_custom WHERE field = 'CODE'.",
    "Columns of a table: PRAGMA table_info(activities), or "
    "SELECT name FROM pragma_table_info('activities').",
    "JSON arrays in raw: SELECT a.id, z.value FROM activities a, "
    "json_each(a.raw, '$.icu_hr_zone_times') z.",
)
_CREATE_RE = re.compile(r"CREATE TABLE IF NOT EXISTS (\w+)\s*\((.*?)\n\);", re.S)
_COLUMN_RE = re.compile(r"^\s+(\w+)\b[^\n]*?--\s*(.+)$", re.M)


@cache
def describe_schema() -> Answer:
    """Tables, views, columns, types and one-line meanings, from the shipped schema files."""
    schema = sql_text("schema.sql")
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(schema)
        db.executescript(sql_text("views.sql"))
        tables = _tables(db, _column_comments(schema))
    finally:
        db.close()
    data = {"notes": list(SCHEMA_NOTES), "tables": tables}
    return Answer(schema_text(data), data)


def _column_comments(schema: str) -> dict[tuple[str, str], str]:
    """(table, column) -> the comment beside the column in schema.sql."""
    comments: dict[tuple[str, str], str] = {}
    for table, body in _CREATE_RE.findall(schema):
        for column, note in _COLUMN_RE.findall(body):
            comments[(table, column)] = note.strip()
    return comments


def _tables(db: sqlite3.Connection, comments: dict[tuple[str, str], str]
            ) -> list[dict[str, Any]]:
    objects = db.execute(
        "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') "
        "AND name NOT LIKE 'sqlite_%' ORDER BY type, rowid").fetchall()
    tables = []
    for name, kind in objects:
        columns = []
        for _, column, decl, _, _, pk in db.execute(f'PRAGMA table_info("{name}")'):
            note = (comments.get((name, column))
                    or next((v for (t, c), v in comments.items()
                             if c == column and kind == "view" and t in _VIEW_BASES[name]),
                            None)
                    or COLUMN_NOTES.get(column, ""))
            columns.append({"name": column, "type": decl or "ANY", "primary_key": bool(pk),
                            "description": note})
        tables.append({"name": name, "kind": kind,
                       "description": TABLE_NOTES.get(name, ""), "columns": columns})
    return tables


_VIEW_BASES = {"fitness": ("wellness",), "real_activities": ("activities",),
               "work_intervals": ("intervals", "activities")}
