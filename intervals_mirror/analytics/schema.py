"""The store's schema described: tables, views, columns, types and one-line meanings, read
from the shipped schema files, so query_sql can be written without guessing.

A table column's meaning is its comment in schema.sql; a view column's is its comment in
views.sql or else that of the table column it comes from, so a view never borrows the
meaning of a same-named column of another table.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
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
    "sport_settings": "thresholds (FTP, W', LTHR, max HR, threshold pace) and zones, one row "
                      "per group of sports",
    "gear": "bikes, shoes and components: distance, activities, retired; reminders in raw",
    "custom_items": "the athlete's custom items of every type: fields (codes used in "
                    "wellness_custom and in activities' raw), charts, streams, zones",
    "sync_runs": "one row per sync run: when, status, counts, requests, error",
    "sync_state": "what sync has fully listed, per resource",
    "streams": "an activity's per-second streams, one row per type, kept once fetched "
               "(get_activity_streams, [sync] streams_days); samples packed: stream_json(data)",
    "activity_messages": "the comments on activities, kept once fetched "
                         "(get_activity_messages)",
    "activity_fetches": "what was fetched of an activity apart from sync's lists (streams, "
                        "comments), when, and for which version of it",
    "deleted": "everything deleted (by a write tool, or upstream as sync found), with its last "
               "raw JSON: what was deleted when, and the fields to re-create it",
    "activity_curves": "each activity's best-effort curve per kind (power, hr, pace), the API's "
                       "object in raw; the points are in curve_points",
    "curve_points": "best efforts: one row per activity, kind and duration (pace: distance); "
                    "the views power_curve, hr_curve, pace_curve name them with units",
}
COLUMN_NOTES: dict[str, str] = {
    "id": "the API's own id (primary key)",
    "athlete_id": "the athlete's id, e.g. i104233",
    "raw": "the API's JSON object verbatim; read it with json_extract(raw, '$.key')",
    "fingerprint": "hash of raw, used by sync",
    "intervals_fingerprint": "fingerprint the intervals were fetched for",
    "synced_at": "UTC ISO time of the last write",
    "activity_id": "the activity's id (activities.id)", "description": "free text",
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
    "Stream samples are packed: stream_json(data [, first, count]) gives them as a JSON "
    "array, e.g. SELECT j.key AS sample, j.value FROM streams s, "
    "json_each(stream_json(s.data)) j WHERE s.id = 'i123:watts'.",
)
_CREATE_RE = re.compile(r"CREATE TABLE IF NOT EXISTS (\w+)\s*\((.*?)\n\);", re.S)
_COLUMN_RE = re.compile(r"^\s+(\w+)\b[^\n]*?--\s*(.+)$", re.M)
# views.sql: the comment lines above CREATE VIEW, its name, select list and FROM clause
_VIEW_RE = re.compile(r"((?:^--[^\n]*\n)*)CREATE VIEW (\w+) AS\s+SELECT\b(.*?)^\s*(FROM\b.*?);",
                      re.S | re.M)
_FROM_RE = re.compile(r"(?:FROM|JOIN)\s+(\w+)(?:\s+AS\s+(\w+))?", re.I)
_STAR_RE = re.compile(r"(?:(\w+)\.)?\*")
_ITEM_RE = re.compile(r"(?:(\w+)\.)?(\w+)(?:\s+AS\s+(\w+))?", re.I)
_OVERRIDE_RE = re.compile(r"(\w+):\s*(.+)")


@cache
def describe_schema() -> Answer:
    """Tables, views, columns, types and one-line meanings, from the shipped schema files."""
    schema, views = sql_text("schema.sql"), sql_text("views.sql")
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(schema)
        db.executescript(views)
        tables = _tables(db, _column_comments(schema), _view_sources(views))
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


@dataclass
class _View:
    """A view as views.sql writes it: its comment, its select items, its tables by alias."""

    note: str
    tables: dict[str, str]
    items: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)

    def describe(self, described: dict[str, dict[str, str]]) -> dict[str, str]:
        """Column -> meaning: the item's own comment, else its table column's meaning."""
        notes: dict[str, str] = {}
        for code, comment, overrides in self.items:
            star = _STAR_RE.fullmatch(code)
            if star:
                for column, note in described[self._table(star.group(1))].items():
                    notes[column] = overrides.get(column, note)
                continue
            plain = _ITEM_RE.fullmatch(code)
            alias, column, name = plain.groups() if plain else (None, None, None)
            name = name or column or code.rsplit(None, 1)[-1]
            # A computed column (round(...) AS x) has its own comment and no table column.
            notes[name] = comment or described[self._table(alias)].get(column or "", "")
        return notes

    def _table(self, alias: str | None) -> str:
        if alias:
            return self.tables[alias]
        (table,) = set(self.tables.values())  # no alias: the view reads one table
        return table


def _view_sources(views: str) -> dict[str, _View]:
    """Each view in views.sql, read from its SELECT (one item per line, comments beside)."""
    found: dict[str, _View] = {}
    for note, name, select, source in _VIEW_RE.findall(views):
        tables = {}
        for table, alias in _FROM_RE.findall(source):
            tables[table] = tables[alias or table] = table
        view = found[name] = _View(" ".join(line.lstrip("- ").strip()
                                             for line in note.splitlines()), tables)
        for line in select.splitlines():
            code, _, comment = (part.strip() for part in line.partition("--"))
            override = _OVERRIDE_RE.fullmatch(comment)
            if code:
                view.items.append((code.rstrip(","), comment, {}))
            elif override and view.items:  # a "-- column: meaning" line under alias.*
                view.items[-1][2][override.group(1)] = override.group(2)
    return found


def _tables(db: sqlite3.Connection, comments: dict[tuple[str, str], str],
            views: dict[str, _View]) -> list[dict[str, Any]]:
    objects = db.execute(
        "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') "
        "AND name NOT LIKE 'sqlite_%' ORDER BY type, rowid").fetchall()
    described: dict[str, dict[str, str]] = {}  # tables first: the views build on them
    tables = []
    for name, kind in objects:
        info = db.execute(f'PRAGMA table_info("{name}")').fetchall()
        if kind == "view":
            notes = views[name].describe(described)
            description = views[name].note
        else:
            notes = {c[1]: comments.get((name, c[1])) or COLUMN_NOTES.get(c[1], "")
                     for c in info}
            description = TABLE_NOTES.get(name, "")
        described[name] = notes
        tables.append({"name": name, "kind": kind, "description": description, "columns": [
            {"name": column, "type": decl or "ANY", "primary_key": bool(pk),
             "description": notes[column]} for _, column, decl, _, _, pk in info]})
    return tables
