"""Pure functions from an API object to a store row: typed columns beside the verbatim JSON.

No I/O here, so the mapping is testable by feeding JSON straight in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Iterable
from typing import Any

from . import stream_codec
from .typed_columns import (
    ACTIVITY_COLUMNS,
    CUSTOM_ITEM_COLUMNS,
    EVENT_COLUMNS,
    GEAR_COLUMNS,
    INTERVAL_COLUMNS,
    SPORT_SETTINGS_COLUMNS,
    STANDARD_WELLNESS_KEYS,
    WELLNESS_COLUMNS,
    ZONE_LISTS,
)

Row = dict[str, Any]

STRAVA_NOTE_KEY = "_note"


def canonical_json(obj: Any) -> str:
    """The API object as text, byte-stable for the same content (key order kept as sent)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def fingerprint(raw: str) -> str:
    return hashlib.blake2b(raw.encode("utf-8"), digest_size=16).hexdigest()


def local_day(value: Any) -> str | None:
    """The YYYY-MM-DD part of a local date-time such as 2026-06-14T08:05:12."""
    return value[:10] if isinstance(value, str) and len(value) >= 10 else None


def is_strava_stub(activity: dict[str, Any]) -> bool:
    return STRAVA_NOTE_KEY in activity or (
        activity.get("source") == "STRAVA" and activity.get("type") is None
    )


def _scalar(value: Any) -> Any:
    """SQLite takes numbers and text; anything structured, and numbers that are not finite,
    stay only in ``raw``."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (dict, list)) or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value


def _finite(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def average_speed(obj: dict[str, Any]) -> float | None:
    """Speed in m/s: ``average_speed``; where the API leaves it null (swims) the speed it gives
    in ``pace``; else distance / moving time. ``sql/migrations/0003_average_speed.sql`` fills
    stored rows the same way."""
    speed = _finite(obj.get("average_speed"))
    if speed is not None:
        return speed
    pace = _finite(obj.get("pace"))
    if pace is not None and pace > 0:
        return pace
    metres, secs = _finite(obj.get("distance")), _finite(obj.get("moving_time"))
    return metres / secs if metres and secs and metres > 0 and secs > 0 else None


def _columns(obj: dict[str, Any], mapping: Iterable[tuple[str, str]]) -> Row:
    return {column: _scalar(obj.get(key)) for column, key in mapping}


def _base(obj: dict[str, Any], athlete_id: str, synced_at: str) -> Row:
    raw = canonical_json(obj)
    return {"id": str(obj["id"]), "athlete_id": athlete_id, "raw": raw,
            "fingerprint": fingerprint(raw), "synced_at": synced_at}


def activity_row(activity: dict[str, Any], athlete_id: str, synced_at: str) -> Row:
    row = _base(activity, athlete_id, synced_at)
    row.update(_columns(activity, ACTIVITY_COLUMNS))
    row["date"] = local_day(activity.get("start_date_local"))
    row["average_speed"] = average_speed(activity)
    row["is_stub"] = int(is_strava_stub(activity))
    gear = activity.get("gear")
    row["gear_id"] = gear.get("id") if isinstance(gear, dict) else None
    for key in ("strava_id", "paired_event_id"):
        if row[key] is not None:
            row[key] = str(row[key])
    return row


def interval_rows(
    activity_id: str, athlete_id: str, intervals: list[dict[str, Any]]
) -> list[Row]:
    rows = []
    for position, interval in enumerate(intervals):
        key = interval.get("id")
        row = _columns(interval, INTERVAL_COLUMNS)
        row["average_speed"] = average_speed(interval)
        row.update({
            "id": f"{activity_id}:{key if key is not None else position}",
            "activity_id": activity_id,
            "athlete_id": athlete_id,
            "position": position,
            "raw": canonical_json(interval),
        })
        rows.append(row)
    return _unique_ids(rows)


def interval_group_rows(
    activity_id: str, athlete_id: str, groups: list[dict[str, Any]]
) -> list[Row]:
    rows = []
    for position, group in enumerate(groups):
        key = group.get("id")
        rows.append({
            "id": f"{activity_id}:{key if key is not None else position}",
            "activity_id": activity_id,
            "athlete_id": athlete_id,
            "position": position,
            "count": _scalar(group.get("count")),
            "raw": canonical_json(group),
        })
    return _unique_ids(rows)


def _unique_ids(rows: list[Row]) -> list[Row]:
    """Ids the API repeats within one activity fall back to their position, so none is lost."""
    seen: set[str] = set()
    for row in rows:
        if row["id"] in seen:
            row["id"] = f"{row['activity_id']}:#{row['position']}"
        seen.add(row["id"])
    return rows


def wellness_row(record: dict[str, Any], athlete_id: str, synced_at: str) -> Row:
    row = _base(record, athlete_id, synced_at)
    row.update(_columns(record, WELLNESS_COLUMNS))
    ctl, atl = row["ctl"], row["atl"]
    row["form"] = (
        round(ctl - atl, 4)
        if isinstance(ctl, (int, float)) and isinstance(atl, (int, float))
        else None
    )
    return row


def wellness_custom_rows(record: dict[str, Any], athlete_id: str) -> list[Row]:
    """One row per custom field that has a value that day."""
    date = str(record["id"])
    return [
        {"date": date, "athlete_id": athlete_id, "field": key,
         "value": _scalar(value) if not isinstance(value, (dict, list)) else canonical_json(value)}
        for key, value in record.items()
        if key not in STANDARD_WELLNESS_KEYS and value is not None
    ]


def event_row(event: dict[str, Any], athlete_id: str, synced_at: str) -> Row:
    row = _base(event, athlete_id, synced_at)
    row.update(_columns(event, EVENT_COLUMNS))
    row["date"] = local_day(event.get("start_date_local"))
    row["end_date"] = event_last_day(event.get("start_date_local"), event.get("end_date_local"))
    return row


def event_last_day(start: Any, end: Any) -> str | None:
    """The last day an event covers (inclusive). The API's ``end_date_local`` is exclusive: a
    one-day event on the 28th ends at midnight on the 29th, so an end at midnight means the
    day before; an end later in a day means that day; no end means the start day.
    ``sql/migrations/0002_event_end_date.sql`` applies the same rule to stored rows."""
    first, last = local_day(start), local_day(end)
    if first is None or last is None:
        return first
    if not str(end)[11:].strip("0:."):  # midnight (or a date alone)
        try:
            last = (dt.date.fromisoformat(last) - dt.timedelta(days=1)).isoformat()
        except ValueError:
            return first
    return max(first, last)


def athlete_row(athlete: dict[str, Any], synced_at: str) -> Row:
    row = _base(athlete, str(athlete["id"]), synced_at)
    row["name"] = athlete.get("name")
    row["timezone"] = athlete.get("timezone")
    row["weight"] = _scalar(athlete.get("icu_weight"))
    return row


# -- lists kept whole: sport settings, gear, custom items ------------------------------------


def sport_settings_row(settings: dict[str, Any], athlete_id: str, synced_at: str) -> Row:
    """Thresholds as columns; the zone lists as JSON text (SQLite has no arrays)."""
    row = _base(settings, athlete_id, synced_at)
    row.update(_columns(settings, SPORT_SETTINGS_COLUMNS))
    types = settings.get("types")
    row["types"] = (",".join(str(t) for t in types) if isinstance(types, list)
                    else _scalar(types))
    for key in ZONE_LISTS:
        value = settings.get(key)
        row[key] = canonical_json(value) if isinstance(value, list) else None
    if row["default_gear_id"] is not None:
        row["default_gear_id"] = str(row["default_gear_id"])
    return row


def gear_row(gear: dict[str, Any], athlete_id: str, synced_at: str) -> Row:
    row = _base(gear, athlete_id, synced_at)
    row.update(_columns(gear, GEAR_COLUMNS))
    reminders = gear.get("reminders")
    row["reminders"] = len(reminders) if isinstance(reminders, list) else 0
    return row


def custom_item_row(item: dict[str, Any], athlete_id: str, synced_at: str) -> Row:
    """Fields and streams carry their code, value type and aggregate under ``content``."""
    row = _base(item, athlete_id, synced_at)
    row.update(_columns(item, CUSTOM_ITEM_COLUMNS))
    content = item.get("content")
    if not isinstance(content, dict):
        content = {}
    row.update({"code": _scalar(content.get("code")), "field_type": _scalar(content.get("type")),
                "aggregate": _scalar(content.get("aggregate"))})
    return row


# -- an activity's parts fetched apart from the lists: streams and messages --------------------

STREAM_SERIES = ("data", "data2")  # kept packed in their own columns, not in raw


def stream_rows(activity_id: str, athlete_id: str, streams: Iterable[Any], fetched_at: str
                ) -> list[Row]:
    """One row per stream type (the last of a type the API repeats): the samples packed,
    the rest of the API's object verbatim in ``raw``."""
    rows: dict[str, Row] = {}
    for stream in streams:
        if not isinstance(stream, dict) or not isinstance(stream.get("type"), str):
            continue
        data = stream.get("data")
        data = data if isinstance(data, list) else None
        data2 = stream.get("data2")
        rows[stream["type"]] = {
            "id": f"{activity_id}:{stream['type']}",
            "activity_id": activity_id,
            "athlete_id": athlete_id,
            "type": stream["type"],
            "samples": len(data) if data is not None else 0,
            "data": stream_codec.encode(data),
            "data2": stream_codec.encode(data2) if isinstance(data2, list) else None,
            "raw": canonical_json({k: v for k, v in stream.items() if k not in STREAM_SERIES}),
            "fetched_at": fetched_at,
        }
    return list(rows.values())


def message_row(message: dict[str, Any], activity_id: str, athlete_id: str,
                fetched_at: str) -> Row:
    """An activity comment; ``athlete_id`` is the mirrored athlete, the author is apart."""
    author_id = message.get("athlete_id")
    return {
        "id": str(message["id"]),
        "activity_id": activity_id,
        "athlete_id": athlete_id,
        "author_id": str(author_id) if author_id is not None else None,
        "author": _scalar(message.get("name")),
        "created": _scalar(message.get("created")),
        "type": _scalar(message.get("type")),
        "content": _scalar(message.get("content")),
        "deleted": _scalar(message.get("deleted")),
        "raw": canonical_json(message),
        "fetched_at": fetched_at,
    }
