"""Per-activity best efforts, derived from an activity and its intervals (no random draws).

What ``GET /athlete/{id}/activity-{power,hr,pace}-curves`` serves for one activity: its best
power (bpm) for each duration, its best time for each distance. A pure function of the
activity object, so an activity edited or added by the fake API has matching curves, and the
demo store and the fake always agree. The shapes hold what a real curve holds: the best over
the whole activity is its average, shorter efforts are at least as good as longer ones, a
work interval of a given length sets a floor for that duration, and nothing is given beyond
the activity's own length (the arrays stop there).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

Obj = dict[str, Any]

SPRINT_SECS = 20.0  # how fast the short-effort surplus fades with duration


def power_curve(activity: Obj, intervals: Sequence[Obj], secs: Sequence[int]
                ) -> list[int] | None:
    """Best watts per duration; None for an activity without power."""
    avg, moving = activity.get("icu_average_watts"), activity.get("moving_time") or 0
    if not avg or moving <= 0:
        return None
    normalised = activity.get("icu_weighted_avg_watts") or avg
    peak = max([float(iv["max_watts"]) for iv in intervals if iv.get("max_watts")]
               + [normalised * 2.6])

    def best(d: float) -> float:
        steady = avg + (normalised - avg) * max(0.0, 1 - d / moving)
        sprint = steady + (peak - steady) * math.exp(-(d - 1) / SPRINT_SECS)
        return max(sprint, _floor(intervals, "average_watts", "moving_time", d, 0.15))

    return _non_increasing([best(d) for d in secs if 0 < d <= moving])


def hr_curve(activity: Obj, intervals: Sequence[Obj], secs: Sequence[int]
             ) -> list[int] | None:
    """Best heart rate per duration; None for an activity without heart rate."""
    avg, top = activity.get("average_heartrate"), activity.get("max_heartrate")
    moving = activity.get("moving_time") or 0
    if not avg or moving <= 0:
        return None
    top = max(top or avg, avg)
    fade = max(60.0, moving / 8)

    def best(d: float) -> float:
        drift = avg + (top - avg) * math.exp(-(d - 1) / fade)
        return min(top, max(drift, _floor(intervals, "average_heartrate", "moving_time", d)))

    return _non_increasing([best(d) for d in secs if 0 < d <= moving])


def pace_curve(activity: Obj, intervals: Sequence[Obj], distances: Sequence[float]
               ) -> list[int] | None:
    """Best time (s) per distance; None for an activity without distance."""
    metres, moving = activity.get("distance") or 0, activity.get("moving_time") or 0
    if metres <= 0 or moving <= 0:
        return None
    mean_speed = metres / moving

    def best(x: float) -> float:
        kick = mean_speed * (1 + 0.12 * math.exp(-x / 500) * (1 - x / metres))
        return x / max(kick, _floor(intervals, "average_speed", "distance", x, 0.04))

    times: list[int] = []
    for x in (x for x in distances if 0 < x <= metres):
        times.append(max([round(best(x)), *times[-1:], 1]))
    return times


CurveOf = Callable[[Obj, Sequence[Obj], Sequence[Any]], list[int] | None]
# kind -> (its curve, the key of its values in an element, whether elements carry the weight)
KINDS: dict[str, tuple[CurveOf, str, bool]] = {
    "power": (power_curve, "watts", True),
    "hr": (hr_curve, "bpm", True),
    "pace": (pace_curve, "secs", False),
}


def curve_element(kind: str, activity: Obj, intervals: Sequence[Obj], points: Sequence[Any]
                  ) -> Obj | None:
    """The payload element for one activity (``{id, start_date_local, weight, watts}``; hr:
    ``bpm``; pace: ``secs``, no weight), or None when it has no data of that kind (and Strava
    stubs never have any)."""
    if activity.get("source") == "STRAVA":
        return None
    curve_of, values_key, weighted = KINDS[kind]
    values = curve_of(activity, intervals, points)
    if values is None:
        return None
    element: Obj = {"id": activity["id"], "start_date_local": activity["start_date_local"]}
    if weighted:
        element["weight"] = activity.get("icu_weight")
    element[values_key] = values
    return element


def _floor(intervals: Sequence[Obj], value_key: str, length_key: str, length: float,
           surge: float = 0.0) -> float:
    """The best effort of ``length`` inside an interval at least that long (0 without one):
    its average, plus up to ``surge`` of it for a stretch much shorter than the interval
    (no interval is ridden perfectly evenly)."""
    return max((float(iv[value_key]) * (1 + surge * (1 - length / iv[length_key]))
                for iv in intervals
                if iv.get(value_key) and (iv.get(length_key) or 0) >= length), default=0.0)


def _non_increasing(values: list[float]) -> list[int]:
    """Whole numbers, each at least the next: a shorter best is never below a longer one."""
    out = [round(v) for v in values]
    for i in range(len(out) - 2, -1, -1):
        out[i] = max(out[i], out[i + 1])
    return out
