"""Wellness days as text: fitness, recovery, sleep, body, subjective scores, custom fields."""

from __future__ import annotations

from typing import Any

from .units import bpm, count, fields, has, hours, join, number, percent, plain

SLEEP_QUALITY = {1: "great", 2: "good", 3: "average", 4: "poor"}
SUBJECTIVE = ("soreness", "fatigue", "stress", "mood", "motivation", "injury")
WELLNESS_LEGEND = ("form = CTL - ATL; sleep quality 1 great .. 4 poor; soreness, fatigue, "
                   "stress, mood, motivation, injury 1-4 with 1 the best")


def wellness_line(day: dict[str, Any]) -> str:
    """One day: fitness, recovery, sleep, body, subjective scores, custom fields."""
    sections = [
        fields(day, [("ctl", "CTL", lambda v: number(v, 1)),
                     ("atl", "ATL", lambda v: number(v, 1)),
                     ("form", "form", lambda v: number(v, 1)),
                     ("ramp_rate", "ramp", lambda v: number(v, 1))]),
        fields(day, [("hrv", "HRV", lambda v: f"{number(v, 1)} ms"),
                     ("hrv_sdnn", "HRV SDNN", lambda v: f"{number(v, 1)} ms"),
                     ("resting_hr", "resting HR", bpm),
                     ("avg_sleeping_hr", "sleeping HR", bpm),
                     ("spo2", "SpO2", percent),
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
        [f"{name} {plain(value)}" for name, value in (day.get("custom") or {}).items()
         if has(value)],
        [f'comments "{day["comments"]}"'] if day.get("comments") else [],
    ]
    body = join((join(s) for s in sections), " | ")
    projected = " (projected)" if day.get("projected") else ""
    return f"{day['date']}{projected}: {body or 'no values'}"


def wellness_text(data: dict[str, Any]) -> str:
    span = f"{data['start_date']} to {data['end_date']}"
    days = data["days"]
    if not days:
        return f"No wellness records from {span}.\n{data['freshness']}"
    head = f"Wellness {span}: {count(data['total'], 'day')} with data"
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
