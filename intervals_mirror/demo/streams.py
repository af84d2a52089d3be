"""An activity's streams (one sample per moving second), shaped like ``GET /activity/{id}/streams``.

Made from the activity and its intervals, so they agree: mean power is the activity's
``icu_average_watts``, mean heart rate (the dropouts at the start left out) its
``average_heartrate``, mean non-zero cadence its ``average_cadence``, and distance ends at its
``distance``; power and heart rate spend the activity's time in each zone (``icu_zone_times``,
``icu_hr_zone_times``, to the second); each interval's stretch follows that interval's
averages; ``time`` counts the seconds since the start, so it jumps at each stop (``pauses``).
Generated on request (the fake API, the demo store's recent activities), not with the dataset:
ten years of them would take minutes. Deterministic for the activity's id; stdlib only.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable
from typing import Any

from .pauses import sample_times
from .shapes import Obj

STREAM_KEYS = ("type", "name", "data", "data2", "valueTypeIsArray", "anomalies", "custom",
               "allNull")
HR_DROPOUTS = 3  # outdoor sessions start with a few zeros while the strap gets contact
_BERLIN = (52.5163, 13.3777)
_METRES_PER_DEGREE = 111_320.0

Series = list[float]
Values = list[Any]


def activity_streams(activity: Obj, intervals: list[Obj]) -> list[Obj]:
    """Every stream the activity's ``stream_types`` lists, in that order."""
    n = int(activity.get("moving_time") or 0)
    types = activity.get("stream_types") or []
    if n <= 0 or not types:
        return []
    maker = _Maker(activity, intervals, n, random.Random(f"streams:{activity['id']}"))
    made: list[Obj] = []
    for stream_type in types:
        build = maker.builders.get(stream_type)
        if build is not None:
            data, data2 = build()
            made.append(_stream(stream_type, data, data2))
    return made


def _stream(stream_type: str, data: Values, data2: Values | None) -> Obj:
    out: Obj = dict.fromkeys(STREAM_KEYS)
    out.update(type=stream_type, data=data, data2=data2, valueTypeIsArray=False,
               custom=False, allNull=False)
    return out


class _Maker:
    """One activity's streams, each built once and shared (distance needs the speed)."""

    def __init__(self, activity: Obj, intervals: list[Obj], n: int, rng: random.Random) -> None:
        self.a, self.ivs, self.n, self.rng = activity, intervals, n, rng
        self._cache: dict[str, Values] = {}
        self.builders: dict[str, Callable[[], tuple[Values, Values | None]]] = {
            "time": lambda: (sample_times(activity, n), None),
            "watts": lambda: (self.watts(), None),
            "heartrate": lambda: (self._once("heartrate", self._heartrate), None),
            "cadence": lambda: (self._once("cadence", self._cadence), None),
            "velocity_smooth": lambda: (self.speed(), None),
            "distance": lambda: (self._once("distance", self._distance), None),
            "altitude": lambda: (self.altitude(), None),
            "fixed_altitude": lambda: ([round(v + 1.3, 1) for v in self.altitude()], None),
            "latlng": self._latlng,
            "temp": lambda: (self._temp(), None),
            "left_right_balance": lambda: (self._balance(), None),
        }

    def _once(self, key: str, make: Callable[[], Values]) -> Values:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def watts(self) -> Values:
        return self._once("watts", self._watts)

    def speed(self) -> Values:
        return self._once("velocity_smooth", self._speed)

    def altitude(self) -> Values:
        return self._once("altitude", self._altitude)

    # -- power, heart rate, cadence: interval shapes with noise, means made exact ---------

    def _watts(self) -> Values:
        mean = float(self.a.get("icu_average_watts") or 150)
        values = _noisy(_shape(self.n, self.ivs, "average_watts", mean), self.rng, 0.08)
        if self.a.get("type") == "Ride":  # coasting outdoors: short stretches of zeros
            for start in range(0, self.n, 300):
                if self.rng.random() < 0.5:
                    length = self.rng.randint(4, 15)
                    values[start:start + length] = [0.0] * len(values[start:start + length])
        values = [round(v) for v in values]
        uppers = _power_uppers(self.a)
        counts = _power_zone_counts(self.a.get("icu_zone_times"))
        bounds = _fit_zones(values, counts, uppers, list(range(self.n))) if uppers else None
        return _exact_mean(values, mean, self.rng, skip_zeros=True, total_samples=self.n,
                           bounds=bounds)

    def _heartrate(self) -> Values:
        mean = float(self.a.get("average_heartrate") or 130)
        target = _shape(self.n, self.ivs, "average_heartrate", mean)
        lagged, level = [], target[0] * 0.8
        for goal in target:
            level += (goal - level) / 25.0
            lagged.append(level)
        values = [round(v + self.rng.uniform(-1.5, 1.5)) for v in lagged]
        if not self.a.get("trainer"):
            values[:HR_DROPOUTS] = [0] * min(HR_DROPOUTS, self.n)
        uppers = [float(v) for v in self.a.get("icu_hr_zones") or []]
        counts = self.a.get("icu_hr_zone_times")
        live = [i for i, v in enumerate(values) if v]
        bounds = _fit_zones(values, counts, uppers, live) if uppers else None
        return _exact_mean(values, mean, self.rng, skip_zeros=True, bounds=bounds)

    def _cadence(self) -> Values:
        mean = float(self.a.get("average_cadence") or 80)
        values = [round(v) for v in _noisy(_shape(self.n, self.ivs, "average_cadence", mean),
                                           self.rng, 0.03)]
        if "watts" in (self.a.get("stream_types") or []) and self.a.get("type") == "Ride":
            values = [0 if w == 0 else c for w, c in zip(self.watts(), values, strict=True)]
        return _exact_mean(values, mean, self.rng, skip_zeros=True)

    # -- speed, distance, altitude, position ----------------------------------------------

    def _speed(self) -> Values:
        total = float(self.a.get("distance") or 0)
        mean = total / self.n if total else 0.0
        values = _noisy(_shape(self.n, self.ivs, "average_speed", mean), self.rng, 0.04)
        scale = mean / (sum(values) / self.n) if sum(values) else 0.0
        return [round(max(0.0, v * scale), 3) for v in values]

    def _distance(self) -> Values:
        total = float(self.a.get("distance") or 0)
        steps = [float(v) for v in self.speed()]
        cumulative = list(itertools.accumulate(steps[:-1], initial=0.0))
        end = cumulative[-1] or 1.0
        values = [round(total * c / end, 1) for c in cumulative]
        values[-1] = round(total, 1)
        return values

    def _altitude(self) -> Values:
        low = self.a.get("min_altitude")
        high = self.a.get("max_altitude")
        low = float(low) if low is not None else 40.0
        high = float(high) if high is not None else low + 30.0
        waves = [(self.rng.uniform(0.5, 4.0), self.rng.uniform(0, 2 * math.pi))
                 for _ in range(3)]
        coarse = [sum(math.sin(2 * math.pi * f * t / self.n + p) for f, p in waves)
                  for t in range(0, self.n + 10, 10)]  # every 10 s, straight lines between
        lo, hi = min(coarse), max(coarse)
        scale = (high - low) / ((hi - lo) or 1.0)
        return [round(low + scale * (coarse[t // 10] + (coarse[t // 10 + 1] - coarse[t // 10])
                                     * (t % 10) / 10 - lo), 1) for t in range(self.n)]

    def _latlng(self) -> tuple[Values, Values]:
        lat = _BERLIN[0] + self.rng.uniform(-0.05, 0.05)
        lng = _BERLIN[1] + self.rng.uniform(-0.05, 0.05)
        heading = self.rng.uniform(0, 2 * math.pi)
        north = east = 0.0
        lats, lngs = [], []
        for t, step in enumerate(self.speed()):
            if t % 10 == 0:  # a new bearing every 10 s
                heading += self.rng.uniform(-0.25, 0.25)
                north, east = math.cos(heading), math.sin(heading)
            lat += step * north / _METRES_PER_DEGREE
            lng += step * east / (_METRES_PER_DEGREE * 0.6088)  # cos(52.5°)
            lats.append(round(lat, 6))
            lngs.append(round(lng, 6))
        return lats, lngs

    def _temp(self) -> Values:
        base = float(self.a.get("average_temp") if self.a.get("average_temp") is not None
                     else 18.0)
        drift = self.rng.uniform(-3, 3)
        return [round(base + drift * (t / self.n - 0.5)) for t in range(self.n)]

    def _balance(self) -> Values:
        base = float(self.a.get("avg_lr_balance") or 50.0)
        return [round(base + self.rng.uniform(-1.5, 1.5), 1) for _ in range(self.n)]


def _shape(n: int, intervals: list[Obj], key: str, mean: float) -> Series:
    """Each interval's own average over its samples; the rest at the level that makes the
    whole come out at ``mean``."""
    level: list[float | None] = [None] * n
    for iv in intervals:
        value = iv.get(key)
        start, end = iv.get("start_index"), iv.get("end_index")
        if value is None or not isinstance(start, int) or not isinstance(end, int):
            continue
        for t in range(max(0, start), min(n, end)):
            level[t] = float(value)
    known = [v for v in level if v is not None]
    rest = n - len(known)
    filler = (mean * n - sum(known)) / rest if rest else mean
    filler = min(max(filler, 0.4 * mean), 1.3 * mean)
    return [filler if v is None else v for v in level]


def _noisy(values: Series, rng: random.Random, spread: float) -> Series:
    """Smooth noise (a slow random walk around each value), never below zero."""
    out, wobble, draw = [], 0.0, rng.random
    for v in values:
        wobble = 0.9 * wobble + (draw() - 0.5) * spread * 1.5
        out.append(max(0.0, v * (1 + wobble)))
    return out


def _power_uppers(a: Obj) -> list[float]:
    """The activity's power zone tops in W as the streams' time in zones reads them."""
    ftp, zones = a.get("icu_ftp"), a.get("icu_power_zones")
    return [float(ftp) * float(pct) / 100 for pct in zones] if ftp and zones else []


def _power_zone_counts(zone_times: list[Obj] | None) -> list[int] | None:
    """Seconds in Z1..Z7 of ``icu_zone_times`` (its sweet spot entry left out)."""
    if not zone_times:
        return None
    secs = {z["id"]: int(z["secs"]) for z in zone_times}
    return [secs.get(f"Z{k}", 0) for k in range(1, 8)]


Bounds = list[tuple[int, float]]


def _fit_zones(values: Values, counts: list[int] | None, uppers: list[float],
               live: list[int]) -> Bounds | None:
    """Move the ``live`` samples into the zones so each zone holds its ``counts`` (the
    activity's time in zones, one sample a second): the lowest samples fill Z1, the next Z2,
    ..., each clamped into its zone's whole-number range, so the shape is kept. Returns each
    sample's (lowest, highest) value inside its zone, for the mean to be made exact without
    leaving it; None (nothing moved) when the counts do not cover the samples."""
    if not counts or sum(counts) != len(live) or len(counts) != len(uppers):
        return None
    bounds: Bounds = [(1, math.inf)] * len(values)
    ranked = sorted(live, key=lambda i: values[i])
    floor = max(1, min((values[i] for i in live), default=1))  # none made lower than it was
    at = 0
    for zone, amount in enumerate(counts):
        low = math.floor(uppers[zone - 1]) + 1 if zone else 0
        high = math.floor(uppers[zone])  # the last: max HR, or 999 % of FTP
        for i in ranked[at:at + amount]:
            values[i] = min(max(values[i], low), high)
            bounds[i] = (max(low, floor), high)
        at += amount
    return bounds


def _exact_mean(values: Values, mean: float, rng: random.Random, *, skip_zeros: bool,
                total_samples: int | None = None, bounds: Bounds | None = None) -> Values:
    """Nudge non-zero samples by 1 until the mean is ``mean`` to the last whole unit, each
    within its ``bounds`` (its zone; without: 1 and up).

    The mean is over every sample when ``total_samples`` is given (power: zeros count), else
    over the non-zero ones (heart rate and cadence leave zeros out)."""
    live = [i for i, v in enumerate(values) if v or not skip_zeros]
    if not live:
        return values
    count = total_samples if total_samples is not None else len(live)
    gap = round(mean * count) - sum(values)
    while gap:
        step = 1 if gap > 0 else -1
        room = {i: (bounds[i][1] - values[i] if step > 0 else values[i] - bounds[i][0])
                if bounds else (math.inf if step > 0 else values[i] - 1) for i in live}
        movable = [i for i in live if room[i] > 0]
        if not movable:
            break  # every sample at its zone's edge: the nearest mean there is
        even, rest = divmod(abs(gap), len(movable))
        if even:
            for i in movable:
                moved = int(min(even, room[i]))
                values[i] += step * moved
                gap -= step * moved
        else:
            for i in rng.sample(movable, rest):
                values[i] += step
            gap = 0
    return values
