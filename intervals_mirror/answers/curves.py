"""Best efforts as text: per period, the best value per duration (distance) and the activity
that holds it, with units."""

from __future__ import annotations

from typing import Any

from .units import (
    bpm,
    count,
    duration,
    minutes,
    number,
    short_duration,
    speed,
    watts,
)

TITLES = {"power": "Best power", "hr": "Best heart rate", "pace": "Best times"}
WHAT = {"power": "with power", "hr": "with heart rate", "pace": "with distance"}
NAMED_DISTANCES = {1609.34: "1 mile", 21097.5: "half marathon", 42195.0: "marathon"}


def curves_text(data: dict[str, Any]) -> str:
    """``data``: kind, sport (label, exact), indoor_outdoor, points, periods (label,
    start, end, note, best: point -> holder), include_normalised, other_sports, pending,
    freshness."""
    kind = data["kind"]
    lines = [f"{TITLES[kind]}, {_sport(data['sport'])}{_where(data['indoor_outdoor'])}:"]
    for period in data["periods"]:
        note = f" ({period['note']})" if period["note"] else ""
        lines.append(f"\n{period['label']}, {period['start']} to {period['end']}{note}:")
        if not period["best"]:
            lines.append(f"  no activity {WHAT[kind]} in this period")
            continue
        for point in data["points"]:
            holder = period["best"].get(point)
            label = point_label(kind, point)
            if holder is None:
                lines.append(f"  {label}: none that long")
                continue
            lines.append(f"  {label}: {_value(data, point, holder)} - {_activity(holder)}")
    if not any(p["best"] for p in data["periods"]) and data.get("other_sports"):
        lines.append(f"\nSports with these curves: {', '.join(data['other_sports'][:12])}.")
    if data.get("pending"):
        lines.append(f"\nThe curves of {count(data['pending'], 'activity')} are not mirrored "
                     "yet: the next sync (or refresh) fetches them.")
    lines.append(data["freshness"])
    return "\n".join(lines)


def point_label(kind: str, point: float) -> str:
    """'5s', '2m30s' for durations; '400 m', '1 mile', '10 km', 'marathon' for distances."""
    if kind != "pace":
        return short_duration(point)
    if point in NAMED_DISTANCES:
        return NAMED_DISTANCES[point]
    km = point / 1000
    if point < 1000:
        return f"{number(point)} m"
    return f"{number(km, 0 if float(km).is_integer() else 1)} km"


def _value(data: dict[str, Any], point: float, holder: dict[str, Any]) -> str:
    kind, value = data["kind"], holder["value"]
    if kind == "power":
        weight = holder.get("weight")
        per_kg = (f", {number(value / weight, 2)} W/kg"
                  if data["include_normalised"] and weight else "")
        return f"{watts(value)}{per_kg}"
    if kind == "hr":
        return bpm(value)
    taken = duration(value) if value >= 3600 else minutes(value)
    # as the holder's sport reads it: runs /km, swims /100 m, rides (and the rest) km/h
    return f"{taken} ({speed(point / value, holder.get('type') or 'Run')})"


def _activity(holder: dict[str, Any]) -> str:
    name = f' "{holder["name"]}"' if holder.get("name") else ""
    return f"{holder['date']}{name} {holder.get('type') or ''} {holder['activity_id']}".replace(
        "  ", " ")


def _sport(sport: dict[str, Any]) -> str:
    """'Ride family (Ride, VirtualRide)' (sports.Sport.label), 'VirtualRide only' (exact)."""
    if not sport.get("label"):
        return "all sports"
    return f"{sport['label']} only" if sport.get("exact") else str(sport["label"])


def _where(indoor_outdoor: str | None) -> str:
    return f", {indoor_outdoor} only" if indoor_outdoor else ", indoor and outdoor"
