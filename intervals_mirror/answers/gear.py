"""The gear list as text: one line per item with its totals, state and reminders."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .budget import ANSWER_CHARS, within
from .units import count, has, join, number

# How a reminder's limit reads: (GearReminder key, its "used" key, format of an amount).
_LIMITS = (
    ("distance", "distance_used", lambda v: f"{number(v / 1000)} km"),
    ("time", "time_used", lambda v: f"{number(v / 3600)} h"),
    ("activities", "activities_used", lambda v: count(int(v), "activity")),
    ("days", "days_used", lambda v: count(int(v), "day")),
)


def reminder_text(reminder: dict[str, Any]) -> str:
    """'"Replace chain" every 3,000 km: 1,470 km used (49%)', 'due' from 100%."""
    name = f'"{reminder["name"]}"' if reminder.get("name") else "reminder"
    limits, used = [], []
    for key, used_key, fmt in _LIMITS:
        if _positive(reminder.get(key)):
            limits.append(fmt(reminder[key]))
            if has(reminder.get(used_key)):
                used.append(fmt(reminder[used_key]))
    percent = reminder.get("percent_used")
    state = ""
    if isinstance(percent, (int, float)):
        state = f"{number(percent)}%{', due' if percent >= 100 else ''}"
    snoozed = reminder.get("snoozed_until")
    details = join([join(used, " / ") + " used" if used else "", state,
                    f"snoozed until {str(snoozed)[:10]}" if snoozed else ""])
    every = f" every {' or '.join(limits)}" if limits else ""
    return f"{name}{every}{f': {details}' if details else ''}"


def gear_line(item: dict[str, Any]) -> str:
    name = f'"{item["name"]}"' if item.get("name") else "(no name)"
    head = f"{item.get('type') or 'Gear'} {name} ({item['id']})"
    if item.get("component_of"):
        head += f", component of {item['component_of']}"
    distance, time = item.get("distance"), item.get("time")
    parts = [
        f"retired {item['retired']}" if item.get("retired") else "",
        f"{number(distance / 1000, 1)} km" if isinstance(distance, (int, float)) else "",
        count(int(item["activities"]), "activity") if has(item.get("activities")) else "",
        f"{number(time / 3600, 1)} h" if _positive(time) else "",
        f"since {item['purchased']}" if item.get("purchased") else "",
        f"default for {', '.join(item['default_for'])}" if item.get("default_for") else "",
        f"components: {', '.join(item['components'])}" if item.get("components") else "",
    ]
    reminders = [reminder_text(r) for r in item.get("reminders") or []]
    if reminders:
        parts.append(f"{'reminder' if len(reminders) == 1 else 'reminders'} "
                     + "; ".join(reminders))
    return f"{head}: {join(parts)}" if join(parts) else head


def gear_text(items: Sequence[dict[str, Any]], freshness: str, note: str | None = None) -> str:
    """``note``: what happened to a refresh asked for (fetched, or why not)."""
    retired = sum(1 for item in items if item.get("retired"))
    if items:
        head = (f"{count(len(items), 'gear item')} ({retired:,} retired); distance and "
                "activities are Intervals.icu's totals:")
    else:
        head = "No gear: Intervals.icu lists none for this athlete."
    tail = [f"Note: {note}"] if note else []
    return within([head], [f"- {gear_line(item)}" for item in items], [*tail, freshness],
                  keep="first", limit=ANSWER_CHARS, left_out=lambda n: (
                      f"- ({count(n, 'more item')}, those used least and the retired, left out "
                      "to keep this answer short; query_sql: SELECT id, type, name, distance, "
                      "retired, raw FROM gear)"))


def _positive(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0
