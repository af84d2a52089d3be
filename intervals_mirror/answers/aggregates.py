"""The date-range aggregates as text: training summary, period comparison, fitness trend,
wellness trends and interval stats (the figures come from ``analytics.aggregates``).

Each answer fits ``budget.TEXT_CHARS``: the ``most_*`` and ``*_size`` functions estimate, from
line lengths measured on generated years, how many buckets fit, so the aggregates can pick a
coarser grouping before anything is rendered; ``budget.within`` is the exact guard after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from .budget import TEXT_CHARS, within
from .units import (
    CUSTOM,
    QUANTITIES,
    RUN_TYPES,
    SWIM_TYPES,
    count,
    hours,
    number_or_dash,
    quantity,
    signed,
    speed,
)

SUBJECTIVE_NOTE = ("sleep_quality 1 great .. 4 poor; soreness, fatigue, stress, mood, "
                   "motivation, injury 1-4 with 1 the best")
YEARLY_TREND_AFTER = 366  # days: a longer wellness trend shows its slope per year, not week
DETAIL = {"day": "daily", "week": "weekly", "month": "monthly", "quarter": "quarterly",
          "year": "yearly"}

# Usual line lengths (characters, a little over those of generated years), for the estimates.
SUMMARY_HEAD, SUMMARY_SPORT, SUMMARY_BUCKET, SUMMARY_CELL = 1_000, 90, 92, 30
FITNESS_HEAD, FITNESS_DAY, FITNESS_BUCKET = 800, 52, 84  # a day's line, another bucket's
WELLNESS_HEAD, WELLNESS_FIELD = 600, 150
WELLNESS_VALUE = {"week": 18, "month": 14, "quarter": 14, "year": 11}


def summary_size(buckets: int, cells: int, sports: int) -> int:
    """About how long a training summary of ``buckets`` lines is (``cells``: the per-sport
    parts shown inside them; 0 when left out)."""
    return SUMMARY_HEAD + sports * SUMMARY_SPORT + buckets * SUMMARY_BUCKET + cells * SUMMARY_CELL


def most_summary_buckets(sports: int) -> int:
    """The most buckets (without their sports) a training summary can show."""
    return max(0, (TEXT_CHARS - summary_size(0, 0, sports)) // SUMMARY_BUCKET)


def most_fitness_points(grain: str) -> int:
    return (TEXT_CHARS - FITNESS_HEAD) // (FITNESS_DAY if grain == "day" else FITNESS_BUCKET)


def most_wellness_buckets(grain: str, fields: int) -> int:
    """The most buckets per field a wellness trend of ``fields`` fields can show."""
    room = (TEXT_CHARS - WELLNESS_HEAD) // max(1, fields) - WELLNESS_FIELD
    return max(0, room // WELLNESS_VALUE[grain])


def regrouped_line(data: dict[str, Any], shown: int, *, also: str = "") -> str:
    """'522 weeks do not fit in one answer, so this is per month (120 months); ...'."""
    r, group = data["regrouped"], data["group_by"]
    asked = r["requested"]
    per = (f"per {group} ({count(shown, group)})" if group
           else "each field over the whole range only")
    hint = (f"for {DETAIL[asked]} detail ask for at most {count(r['most'], asked)}{also}"
            if r["most"] else f"for {DETAIL[asked]} detail ask for a shorter range{also}")
    return (f"{count(r['buckets'], asked)} do not fit in one answer, so this is {per}; "
            f"{hint}, or use query_sql.")


def _left_out(noun: str, how: str = "ask for a shorter range") -> Callable[[int], str]:
    return lambda n: f"({count(n, noun)} left out to keep this answer short: {how})"


def _when(grain: str, bucket: str, partial: dict[str, int] | None = None) -> str:
    """'week of 2026-08-31', flagged '(6 of 7 days)' when the range cuts it."""
    label = f"week of {bucket}" if grain == "week" else bucket
    return f"{label} ({partial['days']} of {partial['of']} days)" if partial else label


def _total_hours(seconds: float) -> str:
    return hours(seconds, grouped=True)


def _measure_text(m: dict[str, Any], *, short: bool = False, pace: str | None = None) -> str:
    """``pace``: the sport whose average pace to show (runs per km, swims per 100 m)."""
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
    if pace and m.get("pace_s_per_m"):
        parts.append(f"avg pace {speed(1 / m['pace_s_per_m'], pace)}")
    if m["avg_intensity"] is not None:
        parts.append(f"intensity {number_or_dash(m['avg_intensity'])}%")
    return ", ".join(parts)


def _paced(sport: str) -> str | None:
    return sport if sport in RUN_TYPES | SWIM_TYPES else None


def _sport_pace(group: str, bucket: dict[str, Any]) -> str | None:
    """A summary by sport shows each running or swimming sport's pace."""
    return _paced(bucket["bucket"]) if group == "sport" else None


def _scope(sport: str | None) -> str:
    return sport if sport else "all sports"


def summary_text(data: dict[str, Any]) -> str:
    pace = data.get("pace_sport")
    head = (f"Training {data['start_date']}..{data['end_date']} ({_scope(data['activity_type'])})"
            f": {_measure_text(data['totals'], pace=pace)}.")
    notes = [f"Note: {n}" for n in data["notes"]]
    if not data["totals"]["activities"]:
        return "\n".join([head.replace(": 0 activities.", ": no activities."), *notes])
    group = data["group_by"]
    lines = [head, *notes]
    if group != "sport" and len(data["by_sport"]) > 1:
        lines.append("By sport: " + "; ".join(
            f"{s['sport']} {_measure_text(s, short=True, pace=_paced(s['sport']))}"
            for s in data["by_sport"]))
    if data["regrouped"]:
        lines += [regrouped_line(data, len(data["buckets"])), _requested_text(data)]
    lines.append(f"Per {group} (intensity = average of the activities' %):")
    body = []
    for b in data["buckets"]:
        line = (f"{_when(group, b['bucket'], b.get('partial'))}: "
                f"{_measure_text(b, short=True, pace=pace or _sport_pace(group, b))}")
        sports = b.get("sports") or []
        if len(sports) > 1:
            line += " | " + "; ".join(
                f"{s['sport']} {s['activities']:,}"
                + (f", {_total_hours(s['moving_time_s'])}" if s["moving_time_s"] else "")
                + (f", load {number_or_dash(s['training_load'])}" if s["training_load"] else "")
                for s in sports)
        body.append(line)
    return within(lines, body, left_out=_left_out(f"earlier {group}"))


def _requested_text(data: dict[str, Any]) -> str:
    """The grouping asked for, in one line: how many buckets had activities, the average one,
    the peak and the lowest."""
    r = data["regrouped"]
    asked, avg = r["requested"], r["average"]
    parts = [f"{asked.capitalize()}s: {r['buckets']:,} of {r['periods']:,} with activities; "
             f"on average {_total_hours(avg['moving_time_s'])}"
             + (f", {number_or_dash(avg['distance_km'], 1)} km" if avg["distance_km"] else "")
             + (f", load {number_or_dash(avg['training_load'])}" if avg["training_load"] else "")
             + f" per {asked}"]
    for key in ("peak", "lowest"):
        if r[key]:
            b = r[key]
            parts.append(f"{key} {asked}: {_when(asked, b['bucket'])}, "
                         f"{_measure_text(b, short=True)}")
    return "; ".join(parts) + "."


def compare_text(data: dict[str, Any]) -> str:
    a, b = data["a"], data["b"]
    lines = [f"A {a['start_date']}..{a['end_date']} ({count(a['days'], 'day')}) vs "
             f"B {b['start_date']}..{b['end_date']} ({count(b['days'], 'day')}), "
             f"{_scope(data['activity_type'])}; differences are A - B.",
             *(f"Note: {n}" for n in data["notes"])]
    for row in data["rows"]:
        total = row["sport"] == "all"
        pace = data.get("pace_sport") if total else _paced(row["sport"])
        lines.append(f"{'Total' if total else row['sport']}: "
                     + "; ".join(_compare_parts(row, pace)))
    return "\n".join(lines)


def _compare_parts(row: dict[str, Any], pace: str | None = None) -> list[str]:
    """'label A vs B (change, percent)' for each measure either period has; ``pace``: the
    sport whose average pace to compare (runs per km, swims per 100 m)."""
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
    if pace and one.get("pace_s_per_m") and other.get("pace_s_per_m"):
        parts.append(_pace_change(one["pace_s_per_m"], other["pace_s_per_m"], pace))
    return parts


def _pace_change(a_s_per_m: float, b_s_per_m: float, sport: str) -> str:
    """'avg pace 5:31 /km vs 5:40 /km (9 s /km faster)': A against B, per km or 100 m."""
    shown = speed(1 / a_s_per_m, sport)
    unit = shown.partition(" ")[2]  # '/km' or '/100 m'
    per = 100 if unit == "/100 m" else 1000
    change = round(a_s_per_m * per) - round(b_s_per_m * per)
    how = "same" if not change else f"{abs(change)} s {unit} {'faster' if change < 0 else 'slower'}"
    return f"avg pace {shown} vs {speed(1 / b_s_per_m, sport)} ({how})"


def fitness_text(data: dict[str, Any]) -> str:
    s = data["summary"]
    num = QUANTITIES["ctl"].or_dash  # CTL, ATL, form and ramp rate read the same way
    group = data["group_by"]
    head = (f"Fitness {data['start_date']}..{data['end_date']} per {group} "
            "(CTL fitness, ATL fatigue, form = CTL - ATL, ramp = CTL change per week"
            + ("" if group == "day" else f"; each {group} as on its last day") + ")")
    notes = [f"Note: {n}" for n in data["notes"]]
    if not data["points"]:
        return "\n".join([head + ": no wellness data in this range.", *notes])
    if data["regrouped"]:
        notes.insert(0, regrouped_line(data, len(data["points"])))
    if s["projected"]:
        notes.append(f"Note: values after today ({data['today']}) are projected by "
                     "Intervals.icu from planned workouts, not measured")
    lines = [head + ":", *notes,
             f"on {s['last_day']}{' (projected)' if s['projected'] else ''}: "
             f"CTL {num(s['ctl_end'])}, ATL {num(s['atl_end'])}, "
             f"form {num(s['form_end'])}; CTL {signed(s['ctl_change'], 1)} since "
             f"{s['first_day']} ({num(s['ctl_start'])}); peak CTL {num(s['max_ctl'])}"
             f"{_on(s['max_ctl_day'])}; lowest form {num(s['min_form'])}"
             f"{_on(s['min_form_day'])}; negative form on "
             f"{s['negative_form_days']:,} of {count(s['days'], 'day')}"]
    body = []
    for p in data["points"]:
        when = p["date"] if group == "day" else _when(group, p[group])
        line = (f"{when}{' (projected)' if p['projected'] else ''}: "
                f"CTL {num(p['ctl'])}, ATL {num(p['atl'])}, "
                f"form {num(p['form'])}, ramp {num(p['ramp_rate'])}")
        if group != "day":
            line += f" (lowest form {num(p['min_form'])})"
        body.append(line)
    return within(lines, body, left_out=_left_out(f"earlier {group}"))


def _days(data: dict[str, Any]) -> int:
    return (dt.date.fromisoformat(data["end_date"])
            - dt.date.fromisoformat(data["start_date"])).days + 1


def _on(day: str | None) -> str:
    return f" on {day}" if day else ""


def wellness_trends_text(data: dict[str, Any]) -> str:
    group = data["group_by"]
    per = "year" if _days(data) > YEARLY_TREND_AFTER else "week"
    lines = [f"Wellness {data['start_date']}..{data['end_date']} "
             + (f"per {group} " if group else "")
             + f"(avg, min-max over days with a value; trend = least-squares slope per {per})",
             *(f"Note: {n}" for n in data["notes"])]
    if data["regrouped"]:
        shown = max((len(f["buckets"]) for f in data["fields"]), default=0)
        lines.insert(1, regrouped_line(data, shown, also=" or fewer fields"))
    body, missing = [], []
    for f in data["fields"]:
        name = f["field"]
        if not f["n"]:
            missing.append(f["name"])
            continue
        shown_as = QUANTITIES.get(name, CUSTOM)
        slope = f[f"slope_per_{per}"]
        trend = (f"trend {signed(slope * shown_as.scale, 2)}{shown_as.unit}/{per}"
                 if slope is not None else "trend -")
        line = (f"{f['name']}: avg {quantity(name, f['avg'])} "
                f"({quantity(name, f['min'])} to {quantity(name, f['max'])}, "
                f"{count(f['n'], 'day')}), {trend}")
        if group:
            line += f"; by {group}: " + ", ".join(
                f"{b['bucket']} {quantity(name, b['avg'], with_unit=False)}"
                for b in f["buckets"])
        body.append(line)
    tail = [f"no data in this range: {', '.join(missing)}"] if missing else []
    tail.append(f"Scales: {SUBJECTIVE_NOTE}.")
    return within(lines, body, tail, keep="first",
                  left_out=_left_out("more field", "ask for fewer fields"))


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
        if data.get("pace_sport"):
            parts += _pace_parts(b, data["pace_sport"])
        lines.append(f"{b['band']}: {', '.join(parts)}")
    return "\n".join(lines)


def _pace_parts(band: dict[str, Any], sport: str) -> list[str]:
    """A band's pace: the fastest interval (and where), the average; GAP for runs."""
    parts = []
    if band["best_speed"]:
        parts.append(f"fastest {speed(band['best_speed'], sport)} "
                     f"({band['best_speed_activity_id']}, {band['best_speed_date']})")
    if band["avg_speed"]:
        parts.append(f"avg pace {speed(band['avg_speed'], sport)}")
    if band["best_gap"]:
        parts.append(f"GAP best {speed(band['best_gap'], sport)}, "
                     f"avg {speed(band['avg_gap'], sport)}")
    return parts
