"""Activities and their intervals as text: one line per activity, every field in details."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .budget import ANSWER_CHARS, clip, within
from .units import (
    QUANTITIES,
    RUN_TYPES,
    SWIM_TYPES,
    Fmt,
    bpm,
    cadence,
    count,
    distance,
    duration,
    fields,
    has,
    join,
    local_time,
    number,
    percent,
    plain,
    speed,
    watts,
    yes_no,
)
from .zones import activity_zone_line

FEEL_SCALE = "1 strong … 5 weak"
MAX_DESCRIPTION = 4_000  # characters of an activity's description in its details


def activity_title(row: dict[str, Any]) -> str:
    name = f' "{row["name"]}"' if row.get("name") else ""
    return f"{row.get('type') or 'Activity'}{name} ({row['id']})"


def activity_line(row: dict[str, Any]) -> str:
    """One activity on one line: when, what, and the numbers people compare."""
    when = local_time(row.get("start_date_local")) or row.get("date") or "?"
    if row.get("is_stub"):
        return (f"{when} · Strava import ({row['id']}): no data, Intervals.icu does not "
                "share Strava-imported activities over its API")
    sport = row.get("type")
    parts = fields(row, [
        ("moving_time", "", duration),
        ("distance", "", lambda v: distance(v, sport)),
        ("average_speed", "", lambda v: speed(v, sport)),
        ("training_load", "load", number),
        ("intensity", "intensity", percent),
        ("average_heartrate", "avg HR", bpm),
        ("average_watts", "avg", watts),
        ("weighted_average_watts", "NP", watts),
    ])
    return f"{when} · {activity_title(row)}: {join(parts) or 'no metrics'}"


ACTIVITY_GROUPS: tuple[tuple[str, Sequence[tuple[str, str, Fmt]]], ...] = (
    ("Overview", [
        ("source", "source", str), ("device_name", "device", str),
        ("gear_name", "gear", str), ("trainer", "indoor trainer", yes_no),
        ("commute", "commute", yes_no), ("race", "race", yes_no),
    ]),
    ("Time and distance", [
        ("moving_time", "moving", duration), ("elapsed_time", "elapsed", duration),
        ("distance", "distance", distance), ("elevation_gain", "elevation gain",
                                             lambda v: f"{number(v)} m"),
    ]),
    ("Heart rate", [("average_heartrate", "avg", bpm), ("max_heartrate", "max", bpm)]),
    ("Power", [
        ("average_watts", "avg", watts), ("weighted_average_watts", "normalized", watts),
        ("ftp", "FTP", watts),
    ]),
    ("Load and fitness", [
        ("training_load", "training load", number), ("intensity", "intensity", percent),
        ("efficiency_factor", "efficiency factor", lambda v: number(v, 2)),
        ("ctl", "fitness (CTL) after", QUANTITIES["ctl"]),
        ("atl", "fatigue (ATL) after", QUANTITIES["atl"]),
    ]),
    ("How it felt", [
        ("rpe", "RPE", lambda v: f"{v}/10"),
        ("feel", "feel", lambda v: f"{v}/5 ({FEEL_SCALE})"),
    ]),
    ("Other", [("calories", "calories", lambda v: f"{number(v)} kcal")]),
)


def activity_details(row: dict[str, Any]) -> str:
    """Every mirrored field of one activity, grouped, each with its unit."""
    when = local_time(row.get("start_date_local")) or row.get("date")
    if row.get("is_stub"):
        return (f"Strava-imported activity {row['id']} on {when}: Intervals.icu does not share "
                "Strava-imported activities over its API, so only its date is known. Connect "
                "the device to Intervals.icu directly (or upload the file) to see its data.")
    sport = row.get("type")
    lines = [f"{activity_title(row)} on {when} (local time)"]
    if row.get("description"):
        lines.append("Description: " + clip(
            row["description"], MAX_DESCRIPTION,
            f"query_sql SELECT description FROM activities WHERE id = '{row['id']}'"))
    for label, spec in ACTIVITY_GROUPS:
        spec = [(c, lab, _sport_aware(c, fmt, sport)) for c, lab, fmt in spec]
        parts = fields(row, spec)
        if label == "Time and distance" and has(row.get("average_speed")):
            parts.append(f"{'avg pace' if sport in RUN_TYPES | SWIM_TYPES else 'avg speed'} "
                         f"{speed(row['average_speed'], sport)}")
        if label == "Other" and has(row.get("average_cadence")):
            parts.insert(0, f"avg cadence {cadence(row['average_cadence'], sport)}")
        if parts:
            lines.append(f"{label}: {join(parts)}")
    lines += [activity_zone_line(z["kind"], z["times"], z["model"])
              for z in row.get("zones") or []]
    custom = join(f"{k} {shown}" for k, v in (row.get("custom") or {}).items()
                  if (shown := plain(v)))  # "Infinity" (SWOLF of no length) is no value
    if custom:
        lines.append(f"Custom fields: {custom}")
    return "\n".join(lines)


def _sport_aware(column: str, fmt: Fmt, sport: str | None) -> Fmt:
    return (lambda v: distance(v, sport)) if column == "distance" else fmt


def activities_text(data: dict[str, Any], activity_type: str | None = None) -> str:
    """``activity_type``: the sport asked for, with the types its family includes."""
    what = f"{activity_type} activities" if activity_type else "activities"
    span = f"{data['start_date']} to {data['end_date']}"
    rows, stubs = data["activities"], data["hidden_strava_stubs"]
    stub_note = (f"{count(stubs, 'Strava-imported activity')} left out: Intervals.icu does "
                 "not share Strava-imported activities over its API (include_unnamed=true "
                 "lists their dates)")
    notes = [data["outside"]] if data.get("outside") else []
    if rows:
        head = f"{data['total']:,} {what} from {span}"
        if data["count"] < data["total"]:
            head += f", newest {data['count']:,} shown"
        head += ":"
    elif stubs:
        head = f"No {what} with data from {span}: {stub_note}."
        stubs = 0
    else:
        head = f"No {what} from {span}."
    if data["capped"]:
        notes.append(f"limit capped at {data['limit']}")
    if stubs:
        notes.append(stub_note)
    return within([head], [f"- {activity_line(r)}" for r in rows],
                  [*(f"Note: {n}" for n in notes), data["freshness"]], keep="first",
                  limit=ANSWER_CHARS, left_out=lambda n: (
                      f"- ({count(n, 'older activity')} of these left out to keep this answer "
                      "short: narrow the range or pick a sport, or use query_sql)"))
