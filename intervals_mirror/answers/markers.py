"""Fitness markers as text: where they stand and how they moved over the range, the activities
that set each new high, and one compact row per week or month."""

from __future__ import annotations

from typing import Any

from .aggregates import regrouped_line
from .budget import TEXT_CHARS, within
from .units import count, number, signed

MARKERS = ("eftp", "cp", "w_prime", "p_max", "weight", "vo2max")
HEAD_CHARS, BUCKET_CHARS = 4_000, 60
MOST_HIGHS = 20  # per marker: the latest new highs named; the count says how many in all


def most_buckets() -> int:
    return (TEXT_CHARS - HEAD_CHARS) // BUCKET_CHARS


# marker -> (label, unit, digits, scale): how one reads
SHOWN: dict[str, tuple[str, str, int, float]] = {
    "eftp": ("eFTP", " W", 0, 1.0), "cp": ("CP", " W", 0, 1.0),
    "w_prime": ("W'", " kJ", 1, 0.001), "p_max": ("Pmax", " W", 0, 1.0),
    "weight": ("weight", " kg", 1, 1.0), "wkg": ("W/kg", " W/kg", 2, 1.0),
    "vo2max": ("VO2max", " ml/kg/min", 1, 1.0),
}
ORDER = ("eftp", "cp", "w_prime", "p_max", "weight", "wkg", "vo2max")
# An activity's rolling eFTP and the day's wellness eFTP (the profile's) can differ: wellness
# keeps the unrounded value, and the day's eFTP decays while training eases.
SOURCES = ("eFTP, CP, W' and Pmax as Intervals.icu estimated them with each activity (its "
           "rolling values; wellness's per-sport day values, which can differ a little, only "
           "when no activity has them), weight and VO2max from wellness, W/kg = eFTP / weight")


def value(marker: str, figure: float | None, *, unit: bool = True) -> str:
    if figure is None:
        return "-"
    _, suffix, digits, scale = SHOWN[marker]
    return f"{number(figure * scale, digits)}{suffix if unit else ''}"


def markers_text(data: dict[str, Any]) -> str:
    span = f"{data['start_date']}..{data['end_date']}"
    head = f"Fitness markers {span} ({data['sport'] or 'all sports'})"
    notes = [f"Note: {n}" for n in data["notes"]]
    r = data["range"]
    if not any(r["last"][m] is not None for m in ORDER):
        return "\n".join([f"{head}: none in this range (no eFTP, CP, W', Pmax, weight or "
                          "VO2max).", *notes])
    lines = [f"{head}; {SOURCES}.", *notes, _now_line(r), *_high_lines(data["highs"])]
    if data["regrouped"]:
        lines.append(regrouped_line(data, len(data["buckets"])))
    group = data["group_by"]
    if not group:
        return "\n".join(lines)
    shown = [m for m in ORDER if any(b[m] is not None for b in data["buckets"])]
    lines.append(f"Last value per {group} (" + ", ".join(
        SHOWN[m][0] if m == "wkg" else f"{SHOWN[m][0]}{SHOWN[m][1]}" for m in shown) + "):")
    body = [f"{_when(group, b['bucket'])}: "
            + " | ".join(value(m, b[m], unit=False) for m in shown) for b in data["buckets"]]
    return within(lines, body, left_out=lambda n: (
        f"({count(n, f'earlier {group}')} left out: ask for a shorter range)"))


def _now_line(r: dict[str, Any]) -> str:
    parts = []
    for m in ORDER:
        if r["last"][m] is None:
            continue
        change = r["change"][m]
        scale, digits = SHOWN[m][3], SHOWN[m][2]
        moved = (f" ({signed(change * scale, digits, SHOWN[m][1])} since "
                 f"{value(m, r['first'][m])})" if change is not None else "")
        parts.append(f"{SHOWN[m][0]} {value(m, r['last'][m])}{moved}")
    return f"Latest ({r['last_day']}; change since {r['first_day']}): {', '.join(parts)}."


def _high_lines(highs: dict[str, list[dict[str, Any]]]) -> list[str]:
    lines = []
    for m in ("eftp", "cp", "w_prime", "p_max"):
        found = highs.get(m) or []
        if not found:
            continue
        named = ", ".join(f"{value(m, h['value'])} on {h['date']} by {h['activity_id']}"
                          + (f' "{h["name"]}"' if h.get("name") else "")
                          for h in found[-MOST_HIGHS:])
        earlier = (f" (the latest {MOST_HIGHS}; {len(found) - MOST_HIGHS:,} earlier)"
                   if len(found) > MOST_HIGHS else "")
        lines.append(f"New {SHOWN[m][0]} highs ({len(found):,}){earlier}: {named}")
    if not lines:
        lines.append("No new eFTP, CP, W' or Pmax high in this range.")
    return lines


def _when(group: str, bucket: str) -> str:
    return f"week of {bucket}" if group == "week" else bucket
