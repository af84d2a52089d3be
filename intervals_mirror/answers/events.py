"""Calendar events as text, with a planned workout's steps in one line."""

from __future__ import annotations

from typing import Any

from .units import count, distance, duration, fields, join, minutes, number


def event_line(row: dict[str, Any]) -> str:
    """One event: its day (first..last day for a span of days), kind, name and plan."""
    day = row.get("date") or "?"
    end = row.get("end_date") or ""  # the last day, inclusive
    span = f"{day}..{end}" if end > day else day
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
        ("plan_name", "from plan", str),
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
        parts.append(duration(secs) if secs >= 3600 else minutes(secs))
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


def events_text(data: dict[str, Any]) -> str:
    span = f"{data['start_date']} to {data['end_date']}"
    which = f" ({', '.join(data['categories'])})" if data.get("categories") else ""
    rows = data["events"]
    if not rows:
        return f"No calendar events{which} from {span}.\n{data['freshness']}"
    head = f"{count(data['total'], 'event')}{which} from {span}"
    if data["capped"]:
        head += f", the first {data['count']:,} shown"
    lines = [head + ":", *(f"- {event_line(r)}" for r in rows), data["freshness"]]
    return "\n".join(lines)
