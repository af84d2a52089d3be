"""Compact text for the answers the tools give: units on every number, nothing for nulls.

An LLM reads these, so each line carries only what is known ("2:01:33, 62.4 km, 185 W"),
never walls of "N/A". The full records travel beside the text as structured content; this
module only shapes text from plain dicts, so it is tested without a server.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

RUN_TYPES = frozenset({"Run", "VirtualRun", "TrailRun", "Walk", "Hike"})
SWIM_TYPES = frozenset({"Swim", "OpenWaterSwim"})
SLEEP_QUALITY = {1: "great", 2: "good", 3: "average", 4: "poor"}
FEEL_SCALE = "1 strong … 5 weak"
SUBJECTIVE = ("soreness", "fatigue", "stress", "mood", "motivation", "injury")


# -- numbers with units --------------------------------------------------------------------


def _has(value: Any) -> bool:
    return value is not None and value != ""


def number(value: float, digits: int = 0) -> str:
    """1234.5 -> '1,235' (digits=0) or '1,234.5'; whole floats lose their '.0'.

    Rounded once, half up, as people round (142.5 bpm -> 143), from the shortest decimal
    form of the value (2.675 -> 2.68), never from an already rounded figure.
    """
    if not math.isfinite(value):
        return str(value)
    if digits and float(value).is_integer():
        digits = 0
    exact = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    return f"{exact:,.{digits}f}"


def duration(seconds: float | None) -> str:
    """Seconds as h:mm:ss (always with hours, so 0:45:10 is never read as 45 hours)."""
    if seconds is None:
        return ""
    total = round(seconds)
    sign = "-" if total < 0 else ""
    hours, rest = divmod(abs(total), 3600)
    return f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"


def distance(metres: float, sport: str | None = None) -> str:
    if sport in SWIM_TYPES or metres < 1000:
        return f"{number(metres)} m"
    return f"{metres / 1000:,.2f} km"


def speed(metres_per_s: float, sport: str | None = None) -> str:
    """km/h for rides; pace for runs (min/km) and swims (min/100 m)."""
    if metres_per_s <= 0:
        return ""
    if sport in RUN_TYPES:
        return f"{_minutes(1000 / metres_per_s)} /km"
    if sport in SWIM_TYPES:
        return f"{_minutes(100 / metres_per_s)} /100 m"
    return f"{metres_per_s * 3.6:.1f} km/h"


def _minutes(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def cadence(rpm: float, sport: str | None = None) -> str:
    """Run cadence is stored per leg; people think in steps per minute."""
    if sport in RUN_TYPES:
        return f"{number(rpm * 2)} spm"
    return f"{number(rpm)} rpm"


def hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h"


def local_time(stamp: str | None) -> str:
    """2026-11-24T17:02:11 -> 2026-11-24 17:02."""
    if not stamp:
        return ""
    return stamp.replace("T", " ")[:16]


def utc_time(stamp: str | None) -> str:
    return f"{local_time(stamp.rstrip('Z') if stamp else stamp)} UTC" if stamp else "never"


def yes_no(value: Any) -> str:
    return "yes" if value else "no"


def join(parts: Iterable[str], sep: str = ", ") -> str:
    return sep.join(p for p in parts if p)


Fmt = Callable[[Any], str]


def fields(row: dict[str, Any], spec: Sequence[tuple[str, str, Fmt]]) -> list[str]:
    """'label value' for each (column, label, format) whose value is known."""
    out = []
    for column, label, fmt in spec:
        value = row.get(column)
        if _has(value):
            shown = fmt(value)
            if shown:
                out.append(f"{label} {shown}".strip())
    return out


def _w(v: float) -> str:
    return f"{number(v)} W"


def _bpm(v: float) -> str:
    return f"{number(v)} bpm"


def _pct(v: float) -> str:
    return f"{number(v)}%"


def _plain(v: Any) -> str:
    return number(v, 1) if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)


# -- activities ------------------------------------------------------------------------------


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
        ("intensity", "intensity", _pct),
        ("average_heartrate", "avg HR", _bpm),
        ("average_watts", "avg", _w),
        ("weighted_average_watts", "NP", _w),
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
    ("Heart rate", [("average_heartrate", "avg", _bpm), ("max_heartrate", "max", _bpm)]),
    ("Power", [
        ("average_watts", "avg", _w), ("weighted_average_watts", "normalized", _w),
        ("ftp", "FTP", _w),
    ]),
    ("Load and fitness", [
        ("training_load", "training load", number), ("intensity", "intensity", _pct),
        ("efficiency_factor", "efficiency factor", lambda v: number(v, 2)),
        ("ctl", "fitness (CTL) after", lambda v: number(v, 1)),
        ("atl", "fatigue (ATL) after", lambda v: number(v, 1)),
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
        lines.append(f"Description: {row['description']}")
    for label, spec in ACTIVITY_GROUPS:
        spec = [(c, lab, _sport_aware(c, fmt, sport)) for c, lab, fmt in spec]
        parts = fields(row, spec)
        if label == "Time and distance" and _has(row.get("average_speed")):
            parts.append(f"{'avg pace' if sport in RUN_TYPES | SWIM_TYPES else 'avg speed'} "
                         f"{speed(row['average_speed'], sport)}")
        if label == "Other" and _has(row.get("average_cadence")):
            parts.insert(0, f"avg cadence {cadence(row['average_cadence'], sport)}")
        if parts:
            lines.append(f"{label}: {join(parts)}")
    custom = row.get("custom") or {}
    if custom:
        lines.append("Custom fields: " + join(f"{k} {_plain(v)}" for k, v in custom.items()))
    return "\n".join(lines)


def _sport_aware(column: str, fmt: Fmt, sport: str | None) -> Fmt:
    return (lambda v: distance(v, sport)) if column == "distance" else fmt


# -- intervals ------------------------------------------------------------------------------


def interval_line(row: dict[str, Any], sport: str | None) -> str:
    label = f' "{row["label"]}"' if row.get("label") else ""
    parts = fields(row, [
        ("moving_time", "", duration),
        ("distance", "", lambda v: distance(v, sport)),
        ("average_watts", "avg", _w),
        ("max_watts", "max", _w),
        ("weighted_average_watts", "NP", _w),
        ("intensity", "intensity", _pct),
        ("average_heartrate", "avg HR", _bpm),
        ("max_heartrate", "max HR", _bpm),
        ("average_cadence", "cadence", lambda v: cadence(v, sport)),
        ("average_speed", "", lambda v: speed(v, sport)),
        ("training_load", "load", lambda v: number(v, 1)),
        ("zone", "", lambda v: f"Z{v}"),
    ])
    return f"{row['position'] + 1}. {row.get('type') or 'INTERVAL'}{label}: {join(parts)}"


def group_line(group: dict[str, Any], sport: str | None) -> str:
    parts = fields(group, [
        ("elapsed_time", "", duration),
        ("average_watts", "avg", _w),
        ("average_heartrate", "avg HR", _bpm),
        ("average_speed", "", lambda v: speed(v, sport)),
    ])
    return f"{group.get('count') or '?'}x {join(parts)}"


# -- wellness -------------------------------------------------------------------------------


def wellness_line(day: dict[str, Any]) -> str:
    """One day: fitness, recovery, sleep, body, subjective scores, custom fields."""
    sections = [
        fields(day, [("ctl", "CTL", lambda v: number(v, 1)),
                     ("atl", "ATL", lambda v: number(v, 1)),
                     ("form", "form", lambda v: number(v, 1)),
                     ("ramp_rate", "ramp", lambda v: number(v, 1))]),
        fields(day, [("hrv", "HRV", lambda v: f"{number(v, 1)} ms"),
                     ("hrv_sdnn", "HRV SDNN", lambda v: f"{number(v, 1)} ms"),
                     ("resting_hr", "resting HR", _bpm),
                     ("avg_sleeping_hr", "sleeping HR", _bpm),
                     ("spo2", "SpO2", _pct),
                     ("respiration", "respiration", lambda v: f"{number(v, 1)}/min")]),
        fields(day, [("sleep_secs", "sleep", hours),
                     ("sleep_score", "score", lambda v: f"{number(v)}/100"),
                     ("sleep_quality", "quality",
                      lambda v: f"{v} ({SLEEP_QUALITY.get(v, '?')})"),
                     ("readiness", "readiness", number)]),
        fields(day, [("weight", "weight", lambda v: f"{number(v, 1)} kg"),
                     ("body_fat", "body fat", lambda v: f"{number(v, 1)}%"),
                     ("vo2max", "VO2max", lambda v: f"{number(v, 1)} ml/kg/min"),
                     ("steps", "steps", number),
                     ("kcal_consumed", "eaten", lambda v: f"{number(v)} kcal")]),
        fields(day, [(name, name, str) for name in SUBJECTIVE]),
        [f"{name} {_plain(value)}" for name, value in (day.get("custom") or {}).items()
         if _has(value)],
        [f'comments "{day["comments"]}"'] if day.get("comments") else [],
    ]
    body = join((join(s) for s in sections), " | ")
    projected = " (projected)" if day.get("projected") else ""
    return f"{day['date']}{projected}: {body or 'no values'}"


WELLNESS_LEGEND = ("form = CTL - ATL; sleep quality 1 great .. 4 poor; soreness, fatigue, "
                   "stress, mood, motivation, injury 1-4 with 1 the best")


# -- events ---------------------------------------------------------------------------------


def event_line(row: dict[str, Any]) -> str:
    day = row.get("date") or "?"
    end = (row.get("end_date_local") or "")[:10]
    span = f"{day}..{end}" if end and end > day else day
    kind = join([row.get("category") or "EVENT", row.get("type") or ""], " ")
    name = f' "{row["name"]}"' if row.get("name") else ""
    parts = fields(row, [
        ("moving_time", "", duration),
        ("distance", "", lambda v: distance(v, row.get("type"))),
        ("training_load", "load", number),
        ("indoor", "indoor", lambda v: "" if not v else "yes"),
    ])
    tail = f": {join(parts)}" if parts else ""
    return f"{span} {kind}{name} (id {row['id']}){tail}"


def event_details(row: dict[str, Any]) -> str:
    raw = row.get("raw") or {}
    lines = [event_line(row)]
    if row.get("description"):
        lines.append(f"Description:\n{row['description']}")
    steps = workout_steps(raw.get("workout_doc"))
    if steps:
        lines.append(f"Workout steps: {steps}")
    extra = fields(raw, [
        ("target", "target", str),
        ("load_target", "load target", number),
        ("time_target", "time target", duration),
        ("training_availability", "availability", str),
        ("paired_activity_id", "done as activity", str),
        ("color", "colour", str),
    ])
    if extra:
        lines.append(join(extra))
    return "\n".join(lines)


def workout_steps(doc: Any) -> str:
    """A planned workout's steps in one line: '10:00 55%; 3x (12:00 90%, 4:00 55%)'."""
    if not isinstance(doc, dict) or not isinstance(doc.get("steps"), list):
        return ""
    return "; ".join(filter(None, (_step(s) for s in doc["steps"])))


def _step(step: Any) -> str:
    if not isinstance(step, dict):
        return ""
    if isinstance(step.get("steps"), list):
        inner = ", ".join(filter(None, (_step(s) for s in step["steps"])))
        return f"{step.get('reps') or 1}x ({inner})"
    parts = []
    if step.get("duration"):
        secs = step["duration"]
        parts.append(duration(secs) if secs >= 3600 else _minutes(secs))
    if step.get("distance"):
        parts.append(distance(step["distance"]))
    for key in ("power", "hr", "pace", "cadence"):
        target = step.get(key)
        if isinstance(target, dict):
            parts.append(_target(key, target))
    text = step.get("text")
    if text:
        parts.append(str(text))
    return " ".join(parts)


def _target(key: str, target: dict[str, Any]) -> str:
    units = str(target.get("units") or "")
    if "start" in target and "end" in target:
        value = f"{target['start']}-{target['end']}"
    else:
        value = str(target.get("value", ""))
    unit = {"%ftp": "%", "%lthr": "% LTHR", "%hr": "% HR", "%pace": "% pace",
            "w": " W", "bpm": " bpm", "rpm": " rpm"}.get(units.lower(), f" {units}")
    return f"{value}{unit}".strip() if key == "power" or units else value


# -- whole answers (from the tools' structured content) --------------------------------------


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"1 {word}"
    consonant_y = word.endswith("y") and word[-2:-1] not in tuple("aeiou")
    return f"{n:,} {word[:-1] + 'ies' if consonant_y else word + 's'}"


def activities_text(data: dict[str, Any], activity_type: str | None = None,
                    known_types: Sequence[str] = ()) -> str:
    """``known_types``: the store's sports, given when nothing at all matched the sport."""
    what = f"{activity_type} activities" if activity_type else "activities"
    span = f"{data['start_date']} to {data['end_date']}"
    rows, stubs = data["activities"], data["hidden_strava_stubs"]
    stub_note = (f"{_plural(stubs, 'Strava-imported activity')} left out: Intervals.icu does "
                 "not share Strava-imported activities over its API (include_unnamed=true "
                 "lists their dates)")
    notes = []
    if rows:
        head = f"{data['total']:,} {what} from {span}"
        if data["count"] < data["total"]:
            head += f", newest {data['count']:,} shown"
        head += ":"
    elif stubs:
        head = f"No {what} with data from {span}: {stub_note}."
        stubs = 0
    else:
        head = f"No {what} from {span}"
        if activity_type and known_types:
            head += f" (sports in the store: {', '.join(known_types[:12])})"
        head += "."
    if data["capped"]:
        notes.append(f"limit capped at {data['limit']}")
    if stubs:
        notes.append(stub_note)
    lines = [head, *(f"- {activity_line(r)}" for r in rows), *(f"Note: {n}" for n in notes)]
    lines.append(data["freshness"])
    return "\n".join(lines)


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
        lines = [f"{head}: {_plural(len(rows), 'interval')} ({work:,} work, "
                 f"{len(rows) - work:,} other){' (fetched now)' if data['fetched_now'] else ''}:"]
        lines += [interval_line(r, sport) for r in rows]
        if data["groups"]:
            lines.append("Groups: " + "; ".join(group_line(g, sport) for g in data["groups"]))
        if data.get("note"):
            lines.append(f"Note: {data['note']}")
    lines.append(data["freshness"])
    return "\n".join(lines)


def wellness_text(data: dict[str, Any]) -> str:
    span = f"{data['start_date']} to {data['end_date']}"
    days = data["days"]
    if not days:
        return f"No wellness records from {span}.\n{data['freshness']}"
    head = f"Wellness {span}: {_plural(data['total'], 'day')} with data"
    if data["capped"]:
        head += f", the newest {data['count']:,} shown (narrow the range for the rest)"
    projected = sum(1 for d in days if d.get("projected"))
    legend = WELLNESS_LEGEND + ("; days marked projected lie ahead: Intervals.icu's fitness "
                                "projection from planned workouts, not measurements"
                                if projected else "")
    lines = [head + f" ({legend}):"]
    lines += [wellness_line(d) for d in days]
    lines.append(data["freshness"])
    return "\n".join(lines)


def events_text(data: dict[str, Any]) -> str:
    span = f"{data['start_date']} to {data['end_date']}"
    which = f" ({', '.join(data['categories'])})" if data.get("categories") else ""
    rows = data["events"]
    if not rows:
        return f"No calendar events{which} from {span}.\n{data['freshness']}"
    head = f"{_plural(data['total'], 'event')}{which} from {span}"
    if data["capped"]:
        head += f", the first {data['count']:,} shown"
    lines = [head + ":", *(f"- {event_line(r)}" for r in rows), data["freshness"]]
    return "\n".join(lines)


def refresh_text(data: dict[str, Any]) -> str:
    counts = "; ".join(f"{resource} {c['added']:,} new, {c['updated']:,} changed, "
                       f"{c['deleted']:,} deleted" for resource, c in data["counts"].items())
    lines = [f"Refreshed ({data['mode']}, {_plural(data['requests'], 'request')} in "
             f"{data['duration_s']:.1f} s): {counts or 'nothing to list'}; intervals for "
             f"{_plural(data['intervals_fetched'], 'activity')}."]
    new = data["new_activities"]
    if new:
        lines.append(f"New activities ({len(new):,}):")
        lines += [f"- {activity_line(r)}" for r in new[:20]]
        if len(new) > 20:
            lines.append(f"- and {len(new) - 20:,} more (get_activities lists them)")
    lines.append(data["freshness"])
    return "\n".join(lines)


def status_text(data: dict[str, Any]) -> str:
    status = data["status"]
    athlete = status.get("athlete") or {}
    lines = [data["freshness"],
             join([f"athlete {athlete.get('id') or '?'}", athlete.get("name") or ""], " ")
             + f"; store {status['store']}"]
    for resource, info in status["resources"].items():
        span = f"{info['first_day']} to {info['last_day']}" if info["rows"] else "nothing yet"
        listed = (f"; listed {info['covered_from']} to {info['covered_to']}, "
                  f"last {utc_time(info['last_synced_at'])}") if info["covered_from"] else ""
        lines.append(f"{resource}: {info['rows']:,} rows, {span}{listed}")
    lines.append(f"intervals: {status['intervals']:,} rows; Strava stubs: "
                 f"{status['strava_stubs']:,}; custom field definitions: "
                 f"{status['custom_fields']:,}")
    ok = status.get("last_ok_sync")
    if ok:
        lines.append(f"last good sync: run {ok['id']}, {ok['mode']}, finished "
                     f"{utc_time(ok['finished_at'])}, {_plural(ok['requests'], 'request')}")
    error = status.get("last_error")
    if error and (not ok or error["id"] > ok["id"]):
        lines.append(f"last failed sync: run {error['id']} at {utc_time(error['started_at'])}: "
                     f"{error['error']}")
    background = data["background_sync"]
    if background.get("running"):
        lines.append(f"background sync: every {background['interval_minutes']} min, next "
                     f"{utc_time(background.get('next_run'))}")
    else:
        lines.append(f"background sync: off ({background.get('off_reason') or 'disabled'})")
    return "\n".join(lines)
