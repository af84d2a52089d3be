"""An activity's intervals as a table (the sport decides speed or pace, rpm or spm), and its
interval groups on one line."""

from __future__ import annotations

from typing import Any

from .activities import activity_title
from .budget import ANSWER_CHARS, within
from .table import Cell, column, table
from .units import bpm, cadence, count, distance, duration, join, number, speed, watts


def _value_and_unit(formatted: str) -> tuple[str, str]:
    """'5:45 /km' -> ('5:45', '/km'): the unit goes to the header once."""
    value, _, unit = formatted.partition(" ")
    return value, unit


def interval_columns(sport: str | None) -> list[tuple[str, Cell]]:
    pace_unit = _value_and_unit(speed(1.0, sport))[1]
    speed_header = f"{'speed' if pace_unit == 'km/h' else 'pace'} {pace_unit}"
    cadence_header = f"cadence {_value_and_unit(cadence(1.0, sport))[1]}"
    return [
        ("#", lambda r: str(r["position"] + 1)),
        ("type", column("type")),
        ("label", column("label")),
        ("time", column("moving_time", duration)),
        ("distance", column("distance", lambda v: distance(v, sport))),
        ("avg W", column("average_watts", number)),
        ("max W", column("max_watts", number)),
        ("NP W", column("weighted_average_watts", number)),
        ("intensity %", column("intensity", number)),
        ("avg HR bpm", column("average_heartrate", number)),
        ("max HR bpm", column("max_heartrate", number)),
        (cadence_header, column("average_cadence",
                                lambda v: _value_and_unit(cadence(v, sport))[0])),
        (speed_header, column("average_speed", lambda v: _value_and_unit(speed(v, sport))[0])),
        ("load", column("training_load", lambda v: number(v, 1))),
        ("zone", column("zone", lambda v: f"Z{v}")),
    ]


def group_line(group: dict[str, Any], sport: str | None) -> str:
    """'3x 0:12:00, avg 221 W, avg HR 155 bpm, 29.5 km/h'; only a count: '8 repeats'."""
    parts = [duration(group["elapsed_time"]) if group.get("elapsed_time") is not None else "",
             f"avg {watts(group['average_watts'])}" if group.get("average_watts") else "",
             f"avg HR {bpm(group['average_heartrate'])}" if group.get("average_heartrate")
             else "",
             speed(group["average_speed"], sport) if group.get("average_speed") else ""]
    shown = join(parts)
    times = group.get("count")
    if not shown:
        return f"{count(times, 'repeat')}" if times else "a group without figures"
    return f"{times or '?'}x {shown}"


def zones_line(zones: list[dict[str, Any]], sport: str | None) -> str:
    """'Power zones (names: the Ride settings): Z2 Endurance 142-192 W, Z3 Tempo 193-231 W'."""
    parts = []
    for z in zones:
        top = f"-{number(z['high'])} W" if z.get("high") is not None else "+ W"
        name = f" {z['name']}" if z.get("name") else ""
        parts.append(f"Z{z['number']}{name} {number(z['low'])}{top}")
    named = any(z.get("name") for z in zones)
    return (f"Power zones{f' (names: the {sport} settings)' if named and sport else ''}: "
            + ", ".join(parts))


def intervals_text(data: dict[str, Any]) -> str:
    act = data["activity"]
    sport = act.get("type")
    when = act.get("date") or "?"
    if act.get("is_stub"):
        return (f"Strava-imported activity {act['id']} on {when}: no intervals. "
                f"{data['note']}\n{data['freshness']}")
    rows = data["intervals"]
    head = f"{activity_title(act)} on {when}"
    if not data["mirrored"]:
        lines = [f"{head}: {data['note']}."]
    elif not rows:
        lines = [f"{head}: no intervals (Intervals.icu found none in this activity)."]
    else:
        work = sum(1 for r in rows if r.get("type") == "WORK")
        header, *body = table(interval_columns(sport), rows)
        tail = []
        if data["groups"]:
            tail.append("Groups: " + "; ".join(group_line(g, sport) for g in data["groups"]))
        if data.get("zones"):
            tail.append(zones_line(data["zones"], sport))
        if data.get("note"):
            tail.append(f"Note: {data['note']}")
        every = ("SELECT position + 1 AS n, type, label, moving_time, distance, "
                 "average_watts, average_heartrate, average_cadence, average_speed, "
                 f"training_load, zone FROM intervals WHERE activity_id = '{act['id']}' "
                 "ORDER BY position")
        return within([f"{head}: {count(len(rows), 'interval')} ({work:,} work, "
                       f"{len(rows) - work:,} other)"
                       f"{' (fetched now)' if data['fetched_now'] else ''}:", header], body,
                      [*tail, data["freshness"]], keep="first", limit=ANSWER_CHARS,
                      left_out=lambda n: (f"({count(n, 'later interval')} left out to keep "
                                          f"this answer short; query_sql: {every})"))
    lines.append(data["freshness"])
    return "\n".join(lines)
