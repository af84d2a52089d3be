"""An activity's streams as text: per stream its range and mean (power: NP and time in zones)
and a short series, never the thousands of samples themselves."""

from __future__ import annotations

from typing import Any

from .activities import activity_title
from .units import RUN_TYPES, count, duration, join, local_time, number, utc_time

# type -> (unit shown, decimals, factor from the API's unit): distance in km, speed in km/h
_SHOWN: dict[str, tuple[str, int, float]] = {
    "watts": ("W", 0, 1), "raw_watts": ("W", 0, 1), "fixed_watts": ("W", 0, 1),
    "heartrate": ("bpm", 0, 1), "fixed_heartrate": ("bpm", 0, 1),
    "raw_heartrate": ("bpm", 0, 1), "cadence": ("rpm", 0, 1),
    "altitude": ("m", 0, 1), "fixed_altitude": ("m", 0, 1), "distance": ("km", 2, 0.001),
    "velocity_smooth": ("km/h", 1, 3.6), "temp": ("°C", 0, 1),
    "left_right_balance": ("% left", 1, 1), "grade_smooth": ("%", 1, 1),
    "torque": ("Nm", 1, 1), "respiration": ("breaths/min", 0, 1), "w_bal": ("J", 0, 1),
    "smo2": ("%", 0, 1), "hrv": ("ms", 0, 1),
}


def streams_text(data: dict[str, Any]) -> str:
    """``data``: activity (head), clock (samples, step, width, span, pauses), summaries (with
    the zones' source), notes, sql (how to read every sample), fetched_now or fetched_at."""
    head, when = data["activity"], data["clock"]
    lines = [_header(head, when, data)]
    sport = head.get("type")
    for summary in data["summaries"]:
        lines.extend(_stream_lines(summary, when, sport, summary.get("zones_from")))
    lines.extend(data.get("notes") or [])
    if data.get("sql"):
        lines.append(f"Every sample: query_sql with {data['sql']}")
    return "\n".join(lines)


def _header(head: dict[str, Any], when: dict[str, Any], data: dict[str, Any]) -> str:
    day = local_time(head.get("start_date_local")) or head.get("date") or "?"
    every = f"one every {number(when['step'], 1)} s" if when["samples"] else "no samples"
    fetched = ("fetched from Intervals.icu just now" if data.get("fetched_now")
               else f"fetched {utc_time(data.get('fetched_at'))}")
    return (f"Streams of {activity_title(head)} on {day}: {duration(when['span'])} recorded, "
            f"{count(when['samples'], 'sample')}, {every}; {fetched}, kept in the mirror.")


def _stream_lines(s: dict[str, Any], when: dict[str, Any], sport: str | None,
                  zones_from: str | None) -> list[str]:
    kind = s["type"]
    unit, digits, factor = _shown(kind, sport)
    name = f"{kind} ({unit})" if unit else kind
    if not s["numeric"]:
        return [f"{name}: {count(s['samples'], 'sample')}, not numbers (first "
                f"{str(s['first'])[:40]})"]
    if kind == "time":
        pauses = (count(when["pauses"], "pause") + f" (gaps over {number(2 * when['step'])} s)"
                  if when["pauses"] else "no pauses")
        return [f"time: {duration(s['first'])} to {duration(s['last'])}, {pauses}"]
    if kind == "latlng":
        return [_position(s)]

    def shown(value: float | None) -> str:
        return "-" if value is None else number(value * factor, digits)

    facts = [f"min {shown(s['low'])}", f"avg {shown(s['mean'])}", f"max {shown(s['high'])}"]
    if kind == "distance":
        facts = [f"{shown(s['first'])} to {shown(s['last'])} {unit}"]
    extra = [f"{count(s['nulls'], 'null')} left out" if s["nulls"] else "",
             f"{count(s['zeros_left_out'], 'zero')} left out" if s["zeros_left_out"] else "",
             "zeros included" if kind.endswith("watts") and s["low"] == 0 else ""]
    if s.get("normalized_power") is not None:
        extra.append(f"NP {number(s['normalized_power'])} W")
    lines = [f"{name}: {join(facts)}" + (f" ({join(extra)})" if join(extra) else "")]
    if s.get("zones"):
        lines.append("  time in zones" + (f" ({zones_from})" if zones_from else "") + ": "
                     + _zones(s["zones"], unit, when["span"]))
    if s["series"]:
        how = "at the end of" if kind == "distance" else "mean of"
        lines.append(f"  {how} each {_width(when['width'])}: "
                     + " ".join(shown(v) for v in s["series"]))
    return lines


def _shown(kind: str, sport: str | None) -> tuple[str, int, float]:
    if kind == "cadence" and sport in RUN_TYPES:
        return "steps/min", 0, 2.0  # the API counts one leg
    return _SHOWN.get(kind, ("", 1, 1.0))


def _zones(zones: list[dict[str, Any]], unit: str, span: float) -> str:
    total = sum(z["secs"] for z in zones) or span or 1
    parts = []
    for z in zones:
        bounds = (f"0-{number(z['high'])}" if z["low"] is None else
                  f">{number(z['low'])}" if z["high"] is None else
                  f"{number(z['low'])}-{number(z['high'])}")
        parts.append(f"Z{z['zone']} {bounds} {unit} {duration(z['secs'])} "
                     f"{number(100 * z['secs'] / total)}%")
    return " · ".join(parts)


def _position(s: dict[str, Any]) -> str:
    box = s.get("box")
    if not box:
        return f"latlng: {count(s['samples'], 'sample')}, no positions"
    south, west, north, east = box
    return (f"latlng: from {_point(s['first'])} to {_point(s['last'])}, within "
            f"{south:.5f}..{north:.5f} N, {west:.5f}..{east:.5f} E")


def _point(value: Any) -> str:
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return f"{value[0]:.5f},{value[1]:.5f}"
    return str(value)


def _width(seconds: int) -> str:
    if seconds % 60 == 0:
        return f"{seconds // 60} min"
    return f"{seconds} s"
