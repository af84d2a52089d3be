"""Wellness days as text: fitness, recovery, sleep, body, subjective scores, custom fields."""

from __future__ import annotations

from typing import Any

from .units import QUANTITIES, count, fields, join, number, plain

SLEEP_QUALITY = {1: "great", 2: "good", 3: "average", 4: "poor"}
SUBJECTIVE = ("soreness", "fatigue", "stress", "mood", "motivation", "injury")
WELLNESS_LEGEND = ("form = CTL - ATL; sleep quality 1 great .. 4 poor; soreness, fatigue, "
                   "stress, mood, motivation, injury 1-4 with 1 the best")


def wellness_line(day: dict[str, Any]) -> str:
    """One day: fitness, recovery, sleep, body, subjective scores, custom fields."""
    q = QUANTITIES
    sections = [
        fields(day, [("ctl", "CTL", q["ctl"]), ("atl", "ATL", q["atl"]),
                     ("form", "form", q["form"]), ("ramp_rate", "ramp", q["ramp_rate"])]),
        fields(day, [("hrv", "HRV", q["hrv"]), ("hrv_sdnn", "HRV SDNN", q["hrv_sdnn"]),
                     ("resting_hr", "resting HR", q["resting_hr"]),
                     ("avg_sleeping_hr", "sleeping HR", q["avg_sleeping_hr"]),
                     ("spo2", "SpO2", q["spo2"]), ("respiration", "respiration",
                                                   q["respiration"])]),
        fields(day, [("sleep_secs", "sleep", q["sleep_secs"]),
                     ("sleep_score", "score", q["sleep_score"]),
                     ("sleep_quality", "quality",
                      lambda v: f"{v} ({SLEEP_QUALITY.get(v, '?')})"),
                     ("readiness", "readiness", q["readiness"])]),
        fields(day, [("weight", "weight", q["weight"]), ("body_fat", "body fat", q["body_fat"]),
                     ("vo2max", "VO2max", q["vo2max"]), ("steps", "steps", q["steps"]),
                     ("kcal_consumed", "eaten", q["kcal_consumed"])]),
        # a day's score is a whole number on its scale (averages in trends have a decimal)
        fields(day, [(name, name, lambda v: number(v)) for name in SUBJECTIVE]),
        [f"{name} {shown}" for name, value in (day.get("custom") or {}).items()
         if value is not None and (shown := plain(value))],
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
