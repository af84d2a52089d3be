"""Calendar events as text, with a planned workout's steps in one line."""

from __future__ import annotations

from typing import Any

from .budget import ANSWER_CHARS, clip, within
from .units import count, distance, duration, fields, join, number, plain

MAX_DESCRIPTION = 8_000  # characters of an event's description (a plan's notes) in full


def event_line(row: dict[str, Any], today: str | None = None) -> str:
    """One event: its day (first..last day for a span of days), kind, name, what is planned
    (time, distance, load), a target's goals, and whether a past workout was done (with
    which activity) or missed (``today``: the athlete's date; ``done_by``: paired
    activities)."""
    day = row.get("date") or "?"
    end = row.get("end_date") or ""  # the last day, inclusive
    span = f"{day}..{end}" if end > day else day
    kind = join([row.get("category") or "EVENT", row.get("type") or ""], " ")
    name = f' "{row["name"]}"' if row.get("name") else ""
    parts = fields(row, [  # a planned time or distance of 0 is nothing planned
        ("moving_time", "", lambda v: duration(v) if v else ""),
        ("distance", "", lambda v: distance(v, row.get("type")) if v else ""),
        ("training_load", "load", number),
        ("indoor", "indoor", lambda v: "" if not v else "yes"),
        ("load_target", "target load", number),
        ("time_target", "target time", duration),
        ("distance_target", "target distance", lambda v: distance(v, row.get("type"))),
    ])
    tail = f": {join(parts)}" if parts else ""
    return f"{span} {kind}{name} (id {row['id']}){tail}{_done(row, today)}"


def _done(row: dict[str, Any], today: str | None) -> str:
    """' - done (i123)', ' - partly done (i123)' or ' - missed' for a planned workout before
    today."""
    if row.get("category") != "WORKOUT" or "done_by" not in row:
        return ""
    if row["done_by"]:
        return f" - {'partly done' if row.get('partly') else 'done'} ({', '.join(row['done_by'])})"
    return " - missed" if today and (row.get("date") or today) < today else ""


def event_details(row: dict[str, Any]) -> str:
    raw = row.get("raw") or {}
    lines = [event_line(row)]
    if row.get("description"):
        lines.append("Description:\n" + clip(
            row["description"], MAX_DESCRIPTION,
            f"query_sql SELECT description FROM events WHERE id = '{row['id']}'"))
    steps = workout_steps(raw.get("workout_doc"), row.get("type"))
    if steps:
        lines.append(f"Workout steps: {steps}")
    extra = fields(raw, [
        ("target", "target", str),
        ("load_target", "load target", number),
        ("time_target", "time target", duration),
        ("distance_target", "distance target", lambda v: distance(v, row.get("type"))),
        ("training_availability", "availability", str),
        ("paired_activity_id", "done as activity", str),
        ("plan_name", "from plan", str),
        ("color", "colour", str),
    ])
    if extra:
        lines.append(join(extra))
    return "\n".join(lines)


def workout_steps(doc: Any, sport: str | None = None) -> str:
    """A planned workout's steps in one line, as a coach writes them: 'warmup 15m ramp
    130-180 W; 4x (12m 220-230 W 85-95 rpm, 5m Z1 power); cooldown 10m Z1 power'."""
    if not isinstance(doc, dict) or not isinstance(doc.get("steps"), list):
        return ""
    return "; ".join(filter(None, (_step(s, sport) for s in doc["steps"])))


def _step(step: Any, sport: str | None) -> str:
    if not isinstance(step, dict):
        return ""
    if isinstance(step.get("steps"), list):
        inner = ", ".join(filter(None, (_step(s, sport) for s in step["steps"])))
        text = str(step.get("text") or "")
        reps = step.get("reps") or (text[:-1] if text[:-1].isdigit() and text[-1:] == "x"
                                    else 1)  # real blocks also say it as "text": "4x"
        return f"{reps}x ({inner})"
    parts = [word for flag, word in (("warmup", "warmup"), ("cooldown", "cooldown"))
             if step.get(flag)]
    if step.get("until_lap_press"):
        pass  # no length: said at the end
    elif step.get("distance"):  # a distance step: its duration is the server's estimate
        parts.append(distance(step["distance"], sport))
    elif step.get("duration"):
        parts.append(_coach_time(step["duration"]))
    targets = [_target(key, step[key]) for key in ("power", "hr", "pace", "cadence")
               if isinstance(step.get(key), dict)]
    if targets and step.get("ramp"):
        targets[0] = f"ramp {targets[0]}"
    parts += [t for t in targets if t]
    if step.get("text"):
        parts.append(str(step["text"]))
    if step.get("until_lap_press"):
        parts.append("until lap press")
    return " ".join(parts)


_ZONES = {"power_zone": "power", "hr_zone": "HR", "pace_zone": "pace"}
_UNITS = {"w": " W", "%ftp": "% FTP", "%hr": "% HR", "%lthr": "% LTHR", "%pace": "% pace",
          "%mmp": "% MMP", "bpm": " bpm", "rpm": " rpm", "cadence": " rpm"}


def _target(key: str, target: dict[str, Any]) -> str:
    """'Z1 power', 'Z3 HR', '130-220 W', '88-92% FTP', '90 rpm'."""
    units = str(target.get("units") or "").lower()
    if "start" in target and "end" in target:
        value = f"{_num(target['start'])}-{_num(target['end'])}"
    elif "value" in target:
        value = _num(target["value"])
    else:
        return ""
    if units in _ZONES:
        return f"Z{value.replace('-', '-Z')} {_ZONES[units]}"
    unit = _UNITS.get(units, f" {units}" if units else "")
    return f"{value}{unit}" if unit or key != "hr" else f"{value} bpm"


def _num(value: Any) -> str:
    return plain(value) if not isinstance(value, str) else value


def _coach_time(seconds: float) -> str:
    """12m, 1h30m, 30s, 2m30s: how a workout's steps are written."""
    hours, rest = divmod(round(seconds), 3600)
    mins, secs = divmod(rest, 60)
    return (f"{hours}h" if hours else "") + (f"{mins}m" if mins else "") + (
        f"{secs}s" if secs or not (hours or mins) else "")


def events_text(data: dict[str, Any]) -> str:
    span = f"{data['start_date']} to {data['end_date']}"
    which = f" ({', '.join(data['categories'])})" if data.get("categories") else ""
    rows = data["events"]
    if not rows:
        return f"No calendar events{which} from {span}.\n{data['freshness']}"
    head = f"{count(data['total'], 'event')}{which} from {span}"
    if data["capped"]:
        head += f", the first {data['count']:,} shown (narrow the range for the rest)"
    today = data.get("today")
    return within([head + ":"], [f"- {event_line(r, today)}" for r in rows], [data["freshness"]],
                  keep="first", limit=ANSWER_CHARS, left_out=lambda n: (
                      f"- ({n:,} more not shown: narrow the range or pick categories)"))
