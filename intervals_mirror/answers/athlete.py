"""The athlete's profile and, per group of sports, thresholds and zones with their bounds in
watts, bpm and pace, compact: one line per sport and one per kind of zone.

A sport's settings are the plain dict of ``queries.athlete.SportSettings``; its zones are
dicts with ``number``, ``name``, ``low`` and ``high`` (W, bpm or m/s; None: no bound) and
``upper`` (the API's bound: % of FTP, bpm, % of threshold pace).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .units import bpm, half_up, join, number, pace, pace_unit, plain, watts

Settings = dict[str, Any]
Zone = dict[str, Any]
SEXES = {"M": "male", "F": "female"}
ZONES_NOTE = ("Each zone runs from just above the previous zone's top to its own top; "
              "activities and intervals number them Z1, Z2, ... as here.")


def profile_line(athlete: dict[str, Any]) -> str:
    """Who: name, id, where, time zone, body."""
    weight = athlete.get("icu_weight") or athlete.get("weight")
    height, resting = athlete.get("height"), athlete.get("icu_resting_hr")
    born, zone = athlete.get("icu_date_of_birth"), athlete.get("timezone")
    parts = [
        join([athlete.get("city"), athlete.get("country")]),
        f"time zone {zone}" if zone else "",
        SEXES.get(str(athlete.get("sex")), ""),
        f"born {born}" if born else "",
        f"height {number(height, 2)} m" if _num(height) else "",
        f"weight {number(weight, 1)} kg" if _num(weight) else "",
        f"resting HR {bpm(resting)}" if _num(resting) else "",
    ]
    name = athlete.get("name") or "The athlete"
    return f"{name} (athlete {athlete.get('id')}): {join(parts, '; ') or 'no profile details'}"


def thresholds_line(s: Settings, eftp: tuple[float, str] | None) -> str:
    """One group of sports and its thresholds."""
    ftp, indoor, w_prime = s["ftp"], s["indoor_ftp"], s["w_prime"]
    extra = join([f"indoor {watts(indoor)}" if _num(indoor) else "",
                  f"wellness eFTP {watts(eftp[0])} on {eftp[1]}" if eftp else ""], "; ")
    shown_ftp = f"FTP {watts(ftp)}" if _num(ftp) else ""
    threshold = s["threshold_pace"]
    parts = [
        f"{shown_ftp} ({extra})" if shown_ftp and extra else shown_ftp,
        f"W' {number(w_prime / 1000, 1)} kJ" if _num(w_prime) else "",
        f"Pmax {watts(s['p_max'])}" if _num(s["p_max"]) else "",
        f"threshold pace {_pace(s, threshold)}" if _num(threshold) else "",
        f"LTHR {bpm(s['lthr'])}" if _num(s["lthr"]) else "",
        f"max HR {bpm(s['max_hr'])}" if _num(s["max_hr"]) else "",
        f"default gear {s['default_gear']}" if s["default_gear"] else "",
    ]
    sports = ", ".join(s["types"]) or "Other sports"
    return f"{sports}: {join(parts) or 'no thresholds set'}"


def zones_line(s: Settings, kind: str) -> str:
    """One kind of zone of one group of sports, e.g. '  power zones (...): Z1 Recovery 0-146 W,
    ...'; '' when the sport has none."""
    zones: list[Zone] = s["zones"].get(kind) or []
    if not zones:
        return ""
    tops = ", ".join(plain(z["upper"]) for z in zones if z["high"] is not None)
    if kind == "power":
        head = f"power zones (tops at {tops}% of FTP {watts(s['ftp'])})"
    elif kind == "hr":
        head = "HR zones"
    else:
        head = (f"pace zones (tops at {tops}% of threshold pace "
                f"{_pace(s, s['threshold_pace'])})")
    shown = [zone_range(z, kind, s["pace_units"], _sport(s)) for z in zones]
    named = [f"Z{z['number']} {z['name']} {text}" if z["name"] else f"Z{z['number']} {text}"
             for z, text in zip(zones, shown, strict=True)]
    return f"  {head}: {', '.join(named)}"


def profile_text(athlete: dict[str, Any], sports: Sequence[Settings],
                 eftps: dict[str, tuple[float, str]], freshness: str) -> str:
    """``eftps``: sport settings id -> the newest eFTP estimate for its sports."""
    lines = [profile_line(athlete)]
    if not sports:
        lines.append("No sport settings are mirrored (Intervals.icu sent none).")
    for s in sports:
        lines.append(thresholds_line(s, eftps.get(s["id"])))
        lines += [line for kind in ("power", "hr", "pace") if (line := zones_line(s, kind))]
    if any(s["zones"].get(kind) for s in sports for kind in s["zones"]):
        lines.append(ZONES_NOTE)
    lines.append(freshness)
    return "\n".join(lines)


def zone_range(z: Zone, kind: str, pace_units: str | None = None, sport: str | None = None
               ) -> str:
    """A zone's bounds: '147-199 W', '152-160 bpm', '5:27-4:49 /km' (``pace_units`` and
    ``sport`` say how a pace is written)."""
    if kind == "power":
        return _whole_range(z, "W")
    if kind == "hr":
        return _whole_range(z, "bpm")
    return _pace_range(z, {"pace_units": pace_units, "types": [sport] if sport else []})


def _whole_range(z: Zone, unit: str) -> str:
    """Whole watts or bpm: '0-146 W', '147-199 W', '399+ W'."""
    low = 0 if z["low"] is None else int(half_up(z["low"], 0)) + 1
    if z["high"] is None:
        return f"{low}+ {unit}"
    return f"{low}-{int(half_up(z['high'], 0))} {unit}"


def _pace_range(z: Zone, s: Settings) -> str:
    """Slowest first: 'slower than 5:27 /km', '5:27-4:49 /km', 'faster than 3:47 /km'."""
    low, high = z["low"], z["high"]
    if low is None:
        return f"slower than {_pace(s, high)}" if high is not None else "any pace"
    if high is None:
        return f"faster than {_pace(s, low)}"
    label = pace_unit(s["pace_units"], _sport(s))[1]
    return f"{_pace(s, low, with_unit=False)}-{_pace(s, high, with_unit=False)} {label}"


def _pace(s: Settings, metres_per_s: float, *, with_unit: bool = True) -> str:
    return pace(metres_per_s, s["pace_units"], _sport(s), with_unit=with_unit)


def _sport(s: Settings) -> str | None:
    """The sport that names the group (paces default by it: swims per 100 m)."""
    return s["types"][0] if s["types"] else None


def _num(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
