"""Wellness days as a table: fitness, recovery, sleep, body, subjective scores, custom fields,
each column with its unit in the header, one line per day."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .budget import ANSWER_CHARS, within
from .table import Cell, column, table
from .units import QUANTITIES, count, has, number, plain

SUBJECTIVE = ("soreness", "fatigue", "stress", "mood", "motivation", "injury")


def _shown(name: str) -> Cell:
    """The column's value as every answer shows that quantity, its unit left to the header."""
    quantity = QUANTITIES[name]
    return column(name, lambda v: quantity(v, with_unit=False))


# (header with the unit, cell); the units are those QUANTITIES appends elsewhere
WELLNESS_COLUMNS: tuple[tuple[str, Cell], ...] = (
    ("CTL", _shown("ctl")), ("ATL", _shown("atl")), ("form", _shown("form")),
    ("ramp", _shown("ramp_rate")), ("HRV ms", _shown("hrv")), ("HRV SDNN ms", _shown("hrv_sdnn")),
    ("rest HR bpm", _shown("resting_hr")), ("sleep HR bpm", _shown("avg_sleeping_hr")),
    ("SpO2 %", _shown("spo2")), ("resp /min", _shown("respiration")),
    ("sleep h", _shown("sleep_secs")), ("sleep score /100", _shown("sleep_score")),
    # a day's score is a whole number on its scale (averages in trends have a decimal)
    ("sleep quality 1-4", column("sleep_quality", number)),
    ("readiness", _shown("readiness")), ("weight kg", _shown("weight")),
    ("body fat %", _shown("body_fat")), ("VO2max ml/kg/min", _shown("vo2max")),
    ("steps", _shown("steps")), ("eaten kcal", _shown("kcal_consumed")),
    *((name, column(name, number)) for name in SUBJECTIVE),
)


def _legend(lines: Sequence[str], projected: int) -> str:
    header = lines[0]
    parts = ["form = CTL - ATL"]
    if "sleep quality" in header:
        parts.append("sleep quality 1 great .. 4 poor")
    if any(name in header.split(" | ") for name in SUBJECTIVE):
        parts.append("soreness .. injury 1-4, 1 the best")
    if projected:
        parts.append("days marked (projected) lie after today: Intervals.icu's projection "
                     "from planned workouts, not measurements")
    return "; ".join(parts)


def wellness_table(days: Sequence[dict[str, Any]]) -> list[str]:
    """The header and one line per day (custom fields by name, comments last)."""
    names = list(dict.fromkeys(name for day in days for name, value in
                               (day.get("custom") or {}).items() if has(value)))
    columns: list[tuple[str, Cell]] = [
        ("date", lambda d: f"{d['date']}{' (projected)' if d.get('projected') else ''}"),
        *WELLNESS_COLUMNS,
        *((name, _custom(name)) for name in names),
        ("comments", column("comments")),
    ]
    return table(columns, days)


def _custom(name: str) -> Cell:
    def cell(day: dict[str, Any]) -> str:
        value = (day.get("custom") or {}).get(name)
        return plain(value) if has(value) else ""  # "" also for "Infinity" (no value)

    return cell


def wellness_text(data: dict[str, Any]) -> str:
    span = f"{data['start_date']} to {data['end_date']}"
    days = data["days"]
    outside = [f"Note: {data['outside']}"] if data.get("outside") else []
    if not days:
        return "\n".join([f"No wellness records from {span}.", *outside, data["freshness"]])
    head = f"Wellness {span}: {count(data['total'], 'day')} with data"
    if data["capped"]:
        head += f", the newest {data['count']:,} shown (narrow the range for the rest)"
    lines = wellness_table(days)
    projected = sum(1 for d in days if d.get("projected"))
    return within([f"{head} ({_legend(lines, projected)}):", lines[0]], lines[1:],
                  [*outside, data["freshness"]], limit=ANSWER_CHARS, left_out=lambda n: (
                      f"({count(n, 'earlier day')} left out to keep this answer short: narrow "
                      "the range, include_custom_fields=false, or query_sql on wellness and "
                      "wellness_custom)"))
