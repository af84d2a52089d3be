"""An activity's streams as text: per stream its range and mean (power: NP and time in zones)
and a short series, never the thousands of samples themselves."""

from __future__ import annotations

from typing import Any

from .activities import activity_title
from .athlete import zone_range
from .budget import within
from .units import (
    RUN_TYPES,
    SWIM_TYPES,
    Quantity,
    count,
    duration,
    join,
    local_time,
    number,
    pace,
    pace_unit,
    utc_time,
)

_WATTS, _BPM, _METRES = Quantity(0, " W"), Quantity(0, " bpm"), Quantity(0, " m")
# One formatter per stream type, from the API's unit: distance in km, speed in km/h.
STREAM_QUANTITIES: dict[str, Quantity] = {
    "watts": _WATTS, "raw_watts": _WATTS, "fixed_watts": _WATTS,
    "heartrate": _BPM, "fixed_heartrate": _BPM, "raw_heartrate": _BPM,
    "cadence": Quantity(0, " rpm"), "altitude": _METRES, "fixed_altitude": _METRES,
    "distance": Quantity(2, " km", 0.001), "velocity_smooth": Quantity(1, " km/h", 3.6),
    "temp": Quantity(0, " °C"), "left_right_balance": Quantity(1, " % left"),
    "grade_smooth": Quantity(1, " %"), "torque": Quantity(1, " Nm"),
    "respiration": Quantity(0, " breaths/min"), "w_bal": Quantity(0, " J"),
    "smo2": Quantity(0, " %"), "hrv": Quantity(0, " ms"),
}
_RUN_CADENCE = Quantity(0, " steps/min", 2.0)  # the API counts one leg
_OTHER = Quantity(1)


def streams_text(data: dict[str, Any]) -> str:
    """``data``: activity (head), clock (samples, step, width, span, pauses), summaries (with
    the zones' source), notes, sql (how to read every sample), fetched_now or fetched_at."""
    head, when = data["activity"], data["clock"]
    sport = head.get("type")
    lines = [line for summary in data["summaries"]
             for line in _stream_lines(summary, when, sport, summary.get("zones_from"))]
    tail = list(data.get("notes") or [])
    if data.get("sql"):
        tail.append(f"Every sample: query_sql with {data['sql']}")
    return within([_header(head, when, data)], lines, tail, keep="first", left_out=lambda n: (
        f"({count(n, 'line')} left out to keep this short: ask for fewer stream_types)"))


def _header(head: dict[str, Any], when: dict[str, Any], data: dict[str, Any]) -> str:
    day = local_time(head.get("start_date_local")) or head.get("date") or "?"
    every = f"one every {_seconds(when['step'])} s" if when["samples"] else "no samples"
    if when["pauses"]:
        every += f", {_pauses(when)}"
    fetched = ("fetched from Intervals.icu just now" if data.get("fetched_now")
               else f"fetched {utc_time(data.get('fetched_at'))}")
    return (f"Streams of {activity_title(head)} on {day}: {duration(when['span'])} recorded, "
            f"{count(when['samples'], 'sample')}, {every}; {fetched}, kept in the mirror.")


def _stream_lines(s: dict[str, Any], when: dict[str, Any], sport: str | None,
                  zones_from: str | None) -> list[str]:
    kind = s["type"]
    quantity = _RUN_CADENCE if kind == "cadence" and sport in RUN_TYPES \
        else STREAM_QUANTITIES.get(kind, _OTHER)
    unit = quantity.unit.strip()
    name = f"{kind} ({unit})" if unit else kind
    if not s["numeric"]:
        return [f"{name}: {count(s['samples'], 'sample')}, not numbers (first "
                f"{str(s['first'])[:40]})"]
    if kind == "time":
        return [f"time: {duration(s['first'])} to {duration(s['last'])}, "
                f"{_pauses(when) if when['pauses'] else 'no pauses'}"]
    if kind == "latlng":
        return [_position(s)]
    if kind == "velocity_smooth" and sport in RUN_TYPES | SWIM_TYPES:
        return _pace_lines(s, when, sport)

    def shown(value: float | None) -> str:
        return "-" if value is None else quantity(value, with_unit=False)

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


def _pace_lines(s: dict[str, Any], when: dict[str, Any], sport: str | None) -> list[str]:
    """A run's or swim's speed as its athletes read it: pace (/km, /100 m), slowest first."""

    def shown(value: float | None) -> str:
        return (pace(value, sport=sport, with_unit=False) if value else "") or "-"

    label = pace_unit(None, sport)[1]
    lines = [f"velocity_smooth (pace {label}): slowest {shown(s['low'])}, "
             f"avg {shown(s['mean'])}, fastest {shown(s['high'])}"]
    if s["series"]:
        lines.append(f"  mean of each {_width(when['width'])}: "
                     + " ".join(shown(v) for v in s["series"]))
    return lines


def _zones(zones: list[dict[str, Any]], unit: str, span: float) -> str:
    """Bounds in whole W or bpm as the profile writes them ('142-193 W', '387+ W')."""
    total = sum(z["secs"] for z in zones) or span or 1
    kind = "power" if unit == "W" else "hr"
    parts = []
    for z in zones:
        name = f" {z['name']}" if z.get("name") else ""
        parts.append(f"Z{z['zone']}{name} {zone_range(z, kind)} {duration(z['secs'])} "
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


def _seconds(value: float) -> str:
    """1 s, 0.5 s: a sample interval, with a decimal only when it has one."""
    return number(value, 0 if float(value).is_integer() else 1)


def _pauses(when: dict[str, Any]) -> str:
    return f"{count(when['pauses'], 'pause')} (gaps over {_seconds(2 * when['step'])} s)"
