"""Aggregate result rows shaped for reading: figures as computed, zeros for no activities.

Figures are not rounded here: the text rounds each one once, with the formatter of its
quantity (``answers.units``), so a stored CTL of 30.445 reads 30.4 in the fitness trend as
in the wellness days (rounding to 2 decimals first would give 30.45, then 30.5).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from .grouping import bucket_days


def value(figure: float | None) -> float | None:
    """A figure as computed; None for a missing or non-finite one."""
    if figure is None or (isinstance(figure, float) and not math.isfinite(figure)):
        return None
    return figure


def minus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def notes(*found: str | None) -> list[str]:
    return [n for n in found if n]


def label(field_name: str) -> str:
    return "sleep" if field_name == "sleep_secs" else field_name


def measures(row: dict[str, Any] | None) -> dict[str, Any]:
    """The training measures of one result row; zeros for no activities."""
    row = row or {}
    return {
        "activities": int(row.get("activities") or 0),
        "stubs": int(row.get("stubs") or 0),
        "moving_time_s": int(round(row.get("moving_time_s") or 0)),
        "distance_km": value((row.get("distance_m") or 0) / 1000),
        "elevation_m": value(row.get("elevation_m") or 0),
        "training_load": value(row.get("training_load") or 0),
        "avg_intensity": value(row.get("avg_intensity")),
        "pace_s_per_m": value(row["paced_time_s"] / row["paced_distance_m"])
        if row.get("paced_distance_m") else None,
    }


def differences(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    diff: dict[str, Any] = {}
    pct: dict[str, Any] = {}
    for key in ("activities", "moving_time_s", "distance_km", "elevation_m", "training_load",
                "avg_intensity"):
        d = minus(a[key], b[key])
        diff[key] = None if d is None else (int(d) if isinstance(d, int) else value(d))
        pct[key] = (value(100 * d / b[key]) if d is not None and b[key] else None)
    return {"diff": diff, "pct": pct}


def fitness_point(row: dict[str, Any], group: str, today: str) -> dict[str, Any]:
    """One day, or one week, month, ... as on its last day; ``projected``: its (last) day is
    after today, so the values are Intervals.icu's projection from planned workouts."""
    point: dict[str, Any] = {
        "date" if group == "day" else group: row["bucket"],
        "ctl": value(row["ctl"]), "atl": value(row["atl"]),
        "form": value(row["form"]), "ramp_rate": value(row["ramp_rate"]),
        "projected": row["last_day"] > today,
    }
    if group != "day":
        point.update({"last_day": row["last_day"], "days": row["days"],
                      "min_form": value(row["min_form"]),
                      "max_ctl": value(row["max_ctl"]),
                      "negative_form_days": row["negative_form_days"]})
    return point


def fitness_summary(rows: list[dict[str, Any]], today: str) -> dict[str, Any]:
    """The whole range of a fitness trend: start and end, change, peak CTL and lowest form
    (with their days)."""
    summary: dict[str, Any] = {"days": sum(r["days"] for r in rows)}
    if rows:
        first, last = rows[0], rows[-1]
        peak = max((r for r in rows if r["max_ctl"] is not None),
                   key=lambda r: (r["max_ctl"], r["max_ctl_day"]), default=None)
        low = min((r for r in rows if r["min_form"] is not None),
                  key=lambda r: (r["min_form"], _later_first(r["min_form_day"])), default=None)
        summary.update({
            "first_day": first["first_day"], "last_day": last["last_day"],
            "ctl_start": value(first["first_ctl"]), "ctl_end": value(last["ctl"]),
            "ctl_change": value(minus(last["ctl"], first["first_ctl"])),
            "atl_end": value(last["atl"]), "form_end": value(last["form"]),
            "max_ctl": value(peak["max_ctl"]) if peak else None,
            "max_ctl_day": peak["max_ctl_day"] if peak else None,
            "min_form": value(low["min_form"]) if low else None,
            "min_form_day": low["min_form_day"] if low else None,
            "negative_form_days": sum(r["negative_form_days"] for r in rows),
            "projected": last["last_day"] > today,
        })
    return summary


def _later_first(day: str) -> tuple[int, ...]:
    """A sort key putting later ISO days first (ties for the lowest go to the latest day)."""
    return tuple(-int(part) for part in day.split("-"))


def stats(row: dict[str, Any] | None) -> dict[str, Any]:
    row = row or {}
    return {"n": int(row.get("n") or 0), "avg": value(row.get("avg")),
            "min": value(row.get("min")), "max": value(row.get("max"))}


def slopes(row: dict[str, Any] | None) -> dict[str, Any]:
    """A field's least-squares trend per week, and per year (long ranges are read by year)."""
    slope = value((row or {}).get("slope_per_week"))
    return {"slope_per_week": slope,
            "slope_per_year": None if slope is None else slope * 365.25 / 7}


def band(row: dict[str, Any] | None) -> dict[str, Any]:
    row = row or {}
    best_w = row.get("best_watts_at") or {}
    best_hr = row.get("best_hr_at") or {}
    best_speed = row.get("best_speed_at") or {}
    return {
        "intervals": int(row.get("intervals") or 0),
        "activities": int(row.get("activities") or 0),
        "time_s": int(round(row.get("time_s") or 0)),
        "with_power": int(row.get("with_power") or 0),
        "best_watts": value(row.get("best_watts")),
        "best_watts_activity_id": best_w.get("activity_id"),
        "best_watts_date": best_w.get("day"),
        "avg_watts": value(row.get("avg_watts")),
        "with_hr": int(row.get("with_hr") or 0),
        "best_hr": value(row.get("best_hr")),
        "best_hr_activity_id": best_hr.get("activity_id"),
        "best_hr_date": best_hr.get("day"),
        "avg_hr": value(row.get("avg_hr")),
        "avg_speed": value(row["paced_distance_m"] / row["paced_time_s"])
        if row.get("paced_time_s") else None,
        "best_speed": value(row.get("best_speed")),
        "best_speed_activity_id": best_speed.get("activity_id"),
        "best_speed_date": best_speed.get("day"),
        "avg_gap": value(row.get("avg_gap")),
        "best_gap": value(row.get("best_gap")),
    }


def summary_parts(rows: list[dict[str, Any]], group: str) -> dict[str, Any]:
    """A training summary's rows (ROLLUP over bucket and sport) as totals, per sport and per
    bucket; each bucket with its sports when the rows hold the (bucket, sport) cells."""
    totals = measures(next((r for r in rows if r["all_buckets"] and r["all_sports"]), None))
    by_sport = [{"sport": r["sport"], **measures(r)}
                for r in rows if r["all_buckets"] and not r["all_sports"]]
    cells: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if not r["all_buckets"] and not r["all_sports"]:
            cells.setdefault(r["bucket"], []).append({"sport": r["sport"], **measures(r)})
    buckets = []
    for r in rows:
        if r["all_buckets"] or not r["all_sports"]:
            continue
        bucket: dict[str, Any] = {"bucket": r["bucket"], **measures(r)}
        if cells and group != "sport":
            bucket["sports"] = cells.get(r["bucket"], [])
        buckets.append(bucket)
    return {"totals": totals, "by_sport": by_sport, "buckets": buckets}


def per_bucket(rows: list[dict[str, Any]], buckets: int) -> dict[str, Any]:
    """The average of ``buckets`` buckets (empty ones included) over a training summary's
    total row."""
    total = next((r for r in rows if r["all_buckets"] and r["all_sports"]), None) or {}
    share = 1 / buckets if buckets else 0
    return {"moving_time_s": int(round((total.get("moving_time_s") or 0) * share)),
            "distance_km": value((total.get("distance_m") or 0) / 1000 * share),
            "training_load": value((total.get("training_load") or 0) * share)}


def extremes(rows: list[dict[str, Any]], group: str, first: dt.date, last: dt.date
             ) -> dict[str, Any]:
    """The peak bucket (most training load, then moving time) and the lowest of a training
    summary's rows. Buckets wholly inside ``first``..``last`` come first, so a week cut by the
    range's ends is not its lowest; ties go to the latest bucket."""
    buckets = [r for r in rows if not r["all_buckets"] and r["all_sports"]]

    def inside(r: dict[str, Any]) -> bool:
        start, end = bucket_days(r["bucket"], group)
        return first <= start and end <= last

    def size(r: dict[str, Any]) -> tuple[float, float]:
        return (r["training_load"] or 0, r["moving_time_s"] or 0)

    if not buckets:
        return {"peak": None, "lowest": None}
    peak = max(buckets, key=lambda r: (inside(r), size(r), r["bucket"]))
    low = max(buckets, key=lambda r: (inside(r), tuple(-x for x in size(r)), r["bucket"]))
    return {"peak": {"bucket": peak["bucket"], **measures(peak)},
            "lowest": {"bucket": low["bucket"], **measures(low)}}
