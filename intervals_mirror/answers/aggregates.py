"""The date-range aggregates as text: training summary, period comparison, fitness trend,
wellness trends and interval stats (the figures come from ``analytics.aggregates``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .units import CUSTOM, QUANTITIES, count, hours, number_or_dash, quantity, signed

TEXT_DETAIL_BUCKETS = 60   # more buckets than this: the text leaves out each one's sports
SUBJECTIVE_NOTE = ("sleep_quality 1 great .. 4 poor; soreness, fatigue, stress, mood, "
                   "motivation, injury 1-4 with 1 the best")


def _total_hours(seconds: float) -> str:
    return hours(seconds, grouped=True)


def _measure_text(m: dict[str, Any], *, short: bool = False) -> str:
    parts = [f"{m['activities']:,} act." if short else count(m["activities"], "activity")]
    if m["stubs"]:
        parts[0] += f" ({count(m['stubs'], 'Strava stub')}, no data)"
    if m["moving_time_s"]:
        parts.append(_total_hours(m["moving_time_s"]))
    if m["distance_km"]:
        parts.append(f"{number_or_dash(m['distance_km'], 1)} km")
    if m["elevation_m"]:
        parts.append(f"{number_or_dash(m['elevation_m'])} m up")
    if m["training_load"]:
        parts.append(f"load {number_or_dash(m['training_load'])}")
    if m["avg_intensity"] is not None:
        parts.append(f"intensity {number_or_dash(m['avg_intensity'])}%")
    return ", ".join(parts)


def _scope(sport: str | None) -> str:
    return sport if sport else "all sports"


def summary_text(data: dict[str, Any]) -> str:
    head = (f"Training {data['start_date']}..{data['end_date']} ({_scope(data['activity_type'])})"
            f": {_measure_text(data['totals'])}.")
    notes = [f"Note: {n}" for n in data["notes"]]
    if not data["totals"]["activities"]:
        return "\n".join([head.replace(": 0 activities.", ": no activities."), *notes])
    lines = [head, *notes]
    if data["group_by"] != "sport" and len(data["by_sport"]) > 1:
        lines.append("By sport: " + "; ".join(
            f"{s['sport']} {_measure_text(s, short=True)}" for s in data["by_sport"]))
    label = {"week": "week of ", "month": "", "year": "", "sport": ""}[data["group_by"]]
    detail = len(data["buckets"]) <= TEXT_DETAIL_BUCKETS
    lines.append(f"Per {data['group_by']} (intensity = average of the activities' %"
                 + ("" if detail else "; per-sport detail of each bucket in the structured "
                    "result") + "):")
    for b in data["buckets"]:
        line = f"{label}{b['bucket']}: {_measure_text(b, short=True)}"
        sports = b.get("sports") or []
        if detail and len(sports) > 1:
            line += " | " + "; ".join(
                f"{s['sport']} {s['activities']:,}"
                + (f", {_total_hours(s['moving_time_s'])}" if s["moving_time_s"] else "")
                + (f", load {number_or_dash(s['training_load'])}" if s["training_load"] else "")
                for s in sports)
        lines.append(line)
    return "\n".join(lines)


def compare_text(data: dict[str, Any]) -> str:
    a, b = data["a"], data["b"]
    lines = [f"A {a['start_date']}..{a['end_date']} ({count(a['days'], 'day')}) vs "
             f"B {b['start_date']}..{b['end_date']} ({count(b['days'], 'day')}), "
             f"{_scope(data['activity_type'])}; differences are A - B.",
             *(f"Note: {n}" for n in data["notes"])]
    for row in data["rows"]:
        lines.append(f"{'Total' if row['sport'] == 'all' else row['sport']}: "
                     + "; ".join(_compare_parts(row)))
    return "\n".join(lines)


def _compare_parts(row: dict[str, Any]) -> list[str]:
    """'label A vs B (change, percent)' for each measure either period has."""
    one, other, diff, pct = row["a"], row["b"], row["diff"], row["pct"]

    def part(key: str, label: str, show: Callable[[float], str], unit: str = "",
             digits: int = 0) -> str:
        change = signed(diff[key] if key != "moving_time_s" or diff[key] is None
                        else diff[key] / 3600, digits, unit)
        share = f", {signed(pct[key], 0, '%')}" if pct[key] is not None else ""
        return f"{label} {show(one[key])} vs {show(other[key])} ({change}{share})"

    parts = [part("activities", "activities", lambda v: number_or_dash(v))]
    for key, label, show, unit, digits in (
        ("moving_time_s", "time", _total_hours, " h", 1),
        ("distance_km", "distance", lambda v: f"{number_or_dash(v, 1)} km", " km", 1),
        ("elevation_m", "climbing", lambda v: f"{number_or_dash(v)} m", " m", 0),
        ("training_load", "load", lambda v: number_or_dash(v), "", 0),
    ):
        if one[key] or other[key]:
            parts.append(part(key, label, show, unit, digits))
    if one["avg_intensity"] is not None or other["avg_intensity"] is not None:
        parts.append(part("avg_intensity", "intensity", lambda v: f"{number_or_dash(v)}%"
                          if v is not None else "-", "", 1))
    return parts


def fitness_text(data: dict[str, Any]) -> str:
    s = data["summary"]
    num = QUANTITIES["ctl"].or_dash  # CTL, ATL, form and ramp rate read the same way
    head = (f"Fitness {data['start_date']}..{data['end_date']} per {data['group_by']} "
            "(CTL fitness, ATL fatigue, form = CTL - ATL, ramp = CTL change per week)")
    notes = [f"Note: {n}" for n in data["notes"]]
    if not data["points"]:
        return "\n".join([head + ": no wellness data in this range.", *notes])
    if s["projected"]:
        notes.append(f"Note: values after today ({data['today']}) are projected by "
                     "Intervals.icu from planned workouts, not measured")
    lines = [head + ":", *notes,
             f"on {s['last_day']}{' (projected)' if s['projected'] else ''}: "
             f"CTL {num(s['ctl_end'])}, ATL {num(s['atl_end'])}, "
             f"form {num(s['form_end'])}; CTL {signed(s['ctl_change'], 1)} since "
             f"{s['first_day']} ({num(s['ctl_start'])}); peak CTL {num(s['max_ctl'])}; "
             f"lowest form {num(s['min_form'])}; negative form on "
             f"{s['negative_form_days']:,} of {count(s['days'], 'day')}"]
    for p in data["points"]:
        when = p.get("date") or f"week of {p['week']}"
        line = (f"{when}{' (projected)' if p['projected'] else ''}: "
                f"CTL {num(p['ctl'])}, ATL {num(p['atl'])}, "
                f"form {num(p['form'])}, ramp {num(p['ramp_rate'])}")
        if "week" in p:
            line += f" (lowest form {num(p['min_form'])})"
        lines.append(line)
    return "\n".join(lines)


def wellness_trends_text(data: dict[str, Any]) -> str:
    lines = [f"Wellness {data['start_date']}..{data['end_date']} per {data['group_by']} "
             "(avg, min-max over days with a value; trend = least-squares slope per week)",
             *(f"Note: {n}" for n in data["notes"])]
    missing = []
    for f in data["fields"]:
        name = f["field"]
        if not f["n"]:
            missing.append(f["name"])
            continue
        shown = QUANTITIES.get(name, CUSTOM)
        slope = f["slope_per_week"]
        trend = (f"trend {signed(slope * shown.scale, 2)}{shown.unit}/week"
                 if slope is not None else "trend -")
        buckets = ", ".join(f"{b['bucket']} {quantity(name, b['avg'], with_unit=False)}"
                            for b in f["buckets"])
        lines.append(f"{f['name']}: avg {quantity(name, f['avg'])} "
                     f"({quantity(name, f['min'])} to {quantity(name, f['max'])}, "
                     f"{count(f['n'], 'day')}), {trend}; by {data['group_by']}: {buckets}")
    if missing:
        lines.append(f"no data in this range: {', '.join(missing)}")
    lines.append(f"Scales: {SUBJECTIVE_NOTE}.")
    return "\n".join(lines)


def interval_stats_text(data: dict[str, Any]) -> str:
    t = data["totals"]
    num = number_or_dash
    head = (f"Work intervals {data['start_date']}..{data['end_date']} "
            f"({_scope(data['activity_type'])})")
    notes = [f"Note: {n}" for n in data["notes"]]
    if not t["intervals"]:
        return "\n".join([head + ": none.", *notes])
    lines = [f"{head}: {t['intervals']:,} in {count(t['activities'], 'activity')}"
             f", {_total_hours(t['time_s'])} of work.", *notes]
    for b in data["bands"]:
        parts = [count(b["intervals"], "interval"), _total_hours(b["time_s"])]
        if b["best_watts"] is not None:
            parts.append(f"best {num(b['best_watts'])} W ({b['best_watts_activity_id']}, "
                         f"{b['best_watts_date']}), avg {num(b['avg_watts'])} W")
        if b["best_hr"] is not None:
            parts.append(f"highest avg HR {num(b['best_hr'])} bpm, avg {num(b['avg_hr'])} bpm")
        lines.append(f"{b['band']}: {', '.join(parts)}")
    return "\n".join(lines)
