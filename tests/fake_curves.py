"""The fake API's per-activity best-effort curves: ``GET /athlete/{id}/activity-power-curves``,
``activity-hr-curves`` and ``activity-pace-curves``, shaped as the official spec and the
peers' captures describe them.

``oldest`` and ``newest`` are required; ``type`` narrows to the sport whose settings list that
type (as the server reads the athlete's sport settings), all sports without it; ``secs``
(``distances`` for pace, snapped up to the server's ladder of distances) picks the points,
a default set without. One element per matching activity that has the data (Strava stubs
never, activities without power not in power curves), its values parallel to the payload's
points and stopping at the activity's own length. The ``0`` alias is refused by the caller
(``FakeIntervals``). Fatigued curves (``fatigue``) are not modelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from intervals_mirror.demo.curves import curve_element
from intervals_mirror.demo.dataset import Dataset

Obj = dict[str, Any]

DEFAULT_SECS = (1, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200)
# The server snaps a requested distance up to the next of these (1609 -> 1609.34).
DISTANCE_LADDER = (25.0, 50.0, 100.0, 200.0, 400.0, 500.0, 800.0, 1000.0, 1500.0, 1609.34,
                   2000.0, 3000.0, 3218.69, 5000.0, 10000.0, 15000.0, 16093.4, 20000.0,
                   21097.5, 30000.0, 42195.0, 50000.0, 100000.0)
DEFAULT_DISTANCES = (400.0, 1000.0, 1609.34, 5000.0, 10000.0, 21097.5, 42195.0)


class CurveQueryError(Exception):
    """A parameter the server would refuse: becomes a 422 with this message."""


def parse_points(kind: str, query: dict[str, str]) -> list[float]:
    """The durations (s) or distances (m) asked for, as the server reads them."""
    key = "distances" if kind == "pace" else "secs"
    raw = [p.strip() for p in query.get(key, "").split(",") if p.strip()]
    if not raw:
        return list(DEFAULT_DISTANCES if kind == "pace" else DEFAULT_SECS)
    wanted = "float[]" if kind == "pace" else "int[]"
    try:
        points = [float(p) if kind == "pace" else int(p) for p in raw]
    except ValueError:
        bad = next(p for p in raw if not _number(p, kind == "pace"))
        raise CurveQueryError(
            f"Failed to convert value of type 'java.lang.String' to required type "
            f"'{wanted}'; For input string: \"{bad}\"") from None
    if kind != "pace":
        return points
    snapped = [next((rung for rung in DISTANCE_LADDER if rung >= d - 1e-6), d) for d in points]
    return list(dict.fromkeys(snapped))


def _number(text: str, decimal: bool) -> bool:
    try:
        float(text) if decimal else int(text)
    except ValueError:
        return False
    return True


def sport_types(dataset: Dataset, sport: str | None) -> set[str] | None:
    """The types a ``type`` parameter stands for: those of the sport settings that list it
    (Ride: Ride, VirtualRide, GravelRide, ...); None (every type) without one."""
    if not sport:
        return None
    for settings in dataset.athlete.get("sportSettings") or []:
        if sport in (settings.get("types") or []):
            return set(settings["types"])
    return {sport}


class CurveMaker:
    """Builds payloads, keeping each activity's curve until the activity object changes."""

    def __init__(self) -> None:
        self._made: dict[tuple[str, str, tuple[float, ...]], tuple[Obj, Any, Obj | None]] = {}

    def payload(self, dataset: Dataset, kind: str, lo: str, hi: str, types: set[str] | None,
                points: Sequence[float]) -> Obj:
        curves = []
        for act in sorted(dataset.activities.values(), key=lambda a: a["start_date_local"]):
            if not lo <= act["start_date_local"] <= hi:
                continue
            if types is not None and act.get("type") not in types:
                continue
            element = self._element(dataset, kind, act, tuple(points))
            if element is not None:
                curves.append(element)
        if kind == "pace":
            return {"distances": list(points), "gap": False, "curves": curves}
        head: Obj = {"after_kj": 0} if kind == "power" else {}
        return {**head, "secs": [int(p) for p in points], "curves": curves}

    def _element(self, dataset: Dataset, kind: str, act: Obj, points: tuple[float, ...]
                 ) -> Obj | None:
        ivs = dataset.intervals.get(act["id"]) or {}
        key = (kind, act["id"], points)
        made = self._made.get(key)
        if made is not None and made[0] is act and made[1] is ivs:
            return made[2]
        element = curve_element(kind, act, ivs.get("icu_intervals") or [], points)
        self._made[key] = (act, ivs, element)
        return element
