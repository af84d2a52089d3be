"""Time in zones as text: one activity's line per kind ('Power zones: Z1 12:05, Z2 41:30, ...')
and a period's hours and shares per zone, with the polarization, per week or month."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .aggregates import regrouped_line
from .athlete import zone_range
from .budget import TEXT_CHARS, within
from .units import count, duration, hours, minutes, number, pace, percent, watts

KIND_NAMES = {"power": "power", "hr": "HR", "pace": "pace", "gap": "GAP (grade-adjusted pace)"}
LINE_NAMES = {"power": "Power", "hr": "HR", "pace": "Pace", "gap": "GAP"}
THRESHOLDS = {"power": "FTP", "hr": "LTHR", "pace": "threshold pace", "gap": "threshold pace"}
SWEET_SPOT = "SS"
HEAD_CHARS, BUCKET_CHARS = 2_500, 125  # a period answer's head, and each bucket's line at most


def most_buckets() -> int:
    """The most buckets a period answer can show, one line each."""
    return (TEXT_CHARS - HEAD_CHARS) // BUCKET_CHARS


def clock(seconds: float) -> str:
    """12:05 under an hour, 1:41:30 from an hour: how time in a zone reads."""
    return minutes(seconds) if seconds < 3600 else duration(seconds)


def zone_label(zone: dict[str, Any] | None, zone_id: str, model: dict[str, Any] | None
               ) -> str:
    """'Z2 Endurance (143-194 W)', or the id alone when the model does not know the zone."""
    if zone is None or model is None:
        return "SS sweet spot" if zone_id == SWEET_SPOT else zone_id
    bounds = zone_range(zone, model["kind"], model.get("pace_units"), model.get("sport"))
    name = f" {zone['name']}" if zone.get("name") else ""
    return f"{zone_id}{name} ({bounds})"


def activity_zone_line(kind: str, times: Sequence[dict[str, Any]],
                       model: dict[str, Any] | None) -> str:
    """'Power zones (bounds of ...): Z1 Recovery (0-142 W) 12:05, ..., SS sweet spot 20:10'.
    ``times``: {"zone", "secs"} in the activity's order."""
    by_number = {z["number"]: z for z in (model or {}).get("zones", [])}
    parts = []
    for t in times:
        if not t["secs"]:
            continue
        number_ = int(t["zone"][1:]) if t["zone"][1:].isdigit() else None
        label = zone_label(by_number.get(number_), t["zone"], model)
        parts.append(f"{label} {clock(t['secs'])}")
    source = f" ({model['source']}{_threshold(model)})" if model else ""
    return f"{LINE_NAMES[kind]} zones{source}: {', '.join(parts)}"


def zones_text(data: dict[str, Any]) -> str:
    """A period's time in zones: totals, each zone, the polarization, each bucket."""
    kind, t = data["kind"], data["totals"]
    what = KIND_NAMES[kind]
    scope = data["sport"] or "all sports"
    head = f"Time in {what} zones {data['start_date']}..{data['end_date']} ({scope})"
    notes = [f"Note: {n}" for n in data["notes"]]
    missing = t["activities"] - t["with_times"]
    without = (f"{count(missing, 'activity')} without {what} zone times (no sensor, or no "
               "zones set for the sport)") if missing else ""
    zone_s = sum(z["secs"] for z in data["zones"] if z["number"] is not None)
    if not zone_s:
        return "\n".join([f"{head}: no {what} zone times"
                          + (f" ({without})." if without else "."), *notes,
                          _other_kinds(kind)])
    types = ", ".join(f"{r['type']} {r['activities']:,}" for r in sorted(
        data["types"], key=lambda r: (-r["activities"], r["type"])))
    lines = [f"{head}: {hours(zone_s, grouped=True)} in zones over "
             f"{count(t['with_times'], 'activity')} ({types})"
             + (f"; {without}" if without else "") + ".", *notes]
    lines.append(_zones_line(data, zone_s))
    lines.append(_polarization_line(data, zone_s))
    if data["regrouped"]:
        lines.append(regrouped_line(data, len(data["buckets"])))
    if data["group_by"]:
        numbers = sorted({z["number"] for z in data["zones"] if z["number"] is not None})
        lines.append(f"Per {data['group_by']} (share of the time in zones "
                     f"Z{numbers[0]}..Z{numbers[-1]}; below/between/above):")
        body = [_bucket_line(b, data["group_by"], numbers) for b in data["buckets"]]
        return within(lines, body, left_out=lambda n: f"({count(n, 'earlier bucket')} left "
                      "out to keep this answer short: ask for a shorter range)")
    return "\n".join(lines)


def _zones_line(data: dict[str, Any], zone_s: float) -> str:
    model = data["model"]
    by_number = {z["number"]: z for z in (model or {}).get("zones", [])}
    parts = []
    sweet = None
    for z in data["zones"]:
        if z["number"] is None:
            sweet = z if z["zone"] == SWEET_SPOT else sweet
            continue
        label = zone_label(by_number.get(z["number"]), z["zone"], model)
        parts.append(f"{label} {_hours(z['secs'])} ({percent(100 * z['secs'] / zone_s)})")
    if sweet and sweet["secs"]:
        parts.append(f"SS sweet spot {_hours(sweet['secs'])} (inside Z3-Z4, not in the "
                     "shares)")
    source = (f"bounds: {model['source']}{_threshold(model)}" if model
              else "no zone model mirrored: bounds unknown")
    if not data["sport"] and len(data["types"]) > 1:
        source += "; each activity counted in its own sport's zones"
    return f"Zones ({source}): {'; '.join(parts)}"


def _hours(seconds: float) -> str:
    return hours(seconds, grouped=True)


def _polarization_line(data: dict[str, Any], zone_s: float) -> str:
    t, cut, model = data["totals"], data["split"], data["model"]
    low, high = cut["low"], cut["high"]
    paced = bool(model) and model["kind"] == "pace"  # a faster pace is a smaller number
    up_to, over = ("slower than", "faster than") if paced else ("up to", "over")
    first = f" ({up_to} {_bound(cut['first'], model)})" if cut["first"] is not None else ""
    second = f" ({over} {_bound(cut['second'], model)})" if cut["second"] is not None else ""
    threshold = THRESHOLDS[data["kind"]]  # the kind asked for, with a zone model or not
    share = {key: number(100 * t[key] / zone_s) for key in ("below_s", "between_s", "above_s")}
    line = (f"Polarization (the first threshold is the top of Z{low}, the second where the "
            f"zones at or above {threshold} begin): below: Z1-Z{low}{first} "
            f"{share['below_s']}%, between: Z{low + 1}-Z{high - 1} {share['between_s']}%, "
            f"above: Z{high}+{second} {share['above_s']}%.")
    if cut["assumed"]:
        line += " No zone model is mirrored: Intervals.icu's default 7 zones are assumed."
    return line


def _bucket_line(bucket: dict[str, Any], group: str, numbers: list[int]) -> str:
    label = f"week of {bucket['bucket']}" if group == "week" else bucket["bucket"]
    partial = bucket.get("partial")
    if partial:
        label += f" ({partial['days']} of {partial['of']} days)"
    zone_s = sum(bucket["zones"].get(f"Z{n}", 0) for n in numbers)
    if not zone_s:
        return f"{label}: no zone times ({count(bucket['activities'], 'activity')})"
    shares = " ".join(number(100 * bucket["zones"].get(f"Z{n}", 0) / zone_s) for n in numbers)
    split = "/".join(number(100 * bucket[k] / zone_s) for k in ("below_s", "between_s",
                                                                 "above_s"))
    return f"{label}: {_hours(zone_s)} | {shares} | {split}"


def _threshold(model: dict[str, Any]) -> str:
    value = model.get("threshold")
    if value is None:
        return ""
    name = THRESHOLDS[model["kind"]]
    return f", {name} {_bound(value, model)}"


def _bound(value: float, model: dict[str, Any] | None) -> str:
    kind = model["kind"] if model else "power"
    if kind == "power":
        return watts(value)
    if kind == "hr":
        return f"{number(value)} bpm"
    return pace(value, model.get("pace_units") if model else None,
                model.get("sport") if model else None)


def _other_kinds(kind: str) -> str:
    others = [k for k in ("power", "hr", "pace") if k != kind and k != "gap"]
    return f"Try kind={' or '.join(others)}, or another sport or range."
