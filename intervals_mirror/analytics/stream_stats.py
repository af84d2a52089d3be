"""What a model needs of an activity's streams instead of thousands of samples: per stream its
range and mean, for power the normalized power and the time in each zone, and a series of at
most about 120 points (bucket means over whole seconds of the clock).

Pure Python over decoded samples (``queries.activity_parts``); the text is in
``answers.streams``.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

MAX_POINTS = 120
MAX_POINTS_IN_ALL = 960  # many streams at once share this, so an answer stays short
NP_WINDOW = 30  # seconds of the rolling mean in normalized power
# Zero is a missing reading in these (heart rate: a dropout; cadence: coasting), so their
# minimum, mean and series leave zeros out.
ZEROS_MISSING = frozenset({"heartrate", "cadence", "fixed_heartrate", "raw_heartrate"})
# Cumulative streams: their series is the value at the end of each bucket.
CUMULATIVE = frozenset({"distance", "time"})
_STEPS = (1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600, 7200)


@dataclass
class ZoneTime:
    zone: int  # 1-based
    low: float | None  # None: from zero
    high: float | None  # None: no upper bound
    secs: float


@dataclass
class Summary:
    type: str
    samples: int
    numeric: bool
    nulls: int = 0
    zeros_left_out: int = 0
    low: float | None = None
    mean: float | None = None
    high: float | None = None
    first: Any = None
    last: Any = None
    normalized_power: float | None = None
    zones: list[ZoneTime] = field(default_factory=list)
    series: list[float | None] = field(default_factory=list)
    box: tuple[float, float, float, float] | None = None  # latlng: south, west, north, east


@dataclass(frozen=True)
class Clock:
    """Seconds from the start of each sample, and how they fall into the series' points."""

    seconds: list[float]
    step: float  # the usual gap between samples (1 at 1 Hz)
    width: int  # seconds per series point
    points: int
    bounds: list[int] | None  # sample index where each point starts (None: time not sorted)


def clock(time: Sequence[Any] | None, samples: int, points: int) -> Clock:
    """From the time stream when there is one (pauses leave gaps), else one sample a second."""
    if time and {type(t) for t in time} <= {int, float}:
        start = time[0]
        seconds = [float(t - start) for t in time]
    else:
        seconds = [float(i) for i in range(samples)]
    gaps = sorted(b - a for a, b in zip(seconds, seconds[1:], strict=False))
    step = gaps[len(gaps) // 2] if gaps else 1.0
    span = (seconds[-1] + step) if seconds else 0.0
    width = next((s for s in _STEPS if span / s <= points), math.ceil(span / points) or 1)
    count = max(1, math.ceil(span / width)) if span else 0
    ordered = not gaps or gaps[0] >= 0
    bounds = [bisect.bisect_left(seconds, k * width) for k in range(count + 1)] \
        if ordered else None
    if bounds:
        bounds[-1] = len(seconds)
    return Clock(seconds, step, int(width), count, bounds)


def points_per_stream(streams: int) -> int:
    return max(12, min(MAX_POINTS, MAX_POINTS_IN_ALL // max(streams, 1)))


def summarise(stream_type: str, data: Sequence[Any], data2: Sequence[Any] | None,
              when: Clock) -> Summary:
    """Range, mean and series of one stream (latlng: where it starts, ends and spans)."""
    values = list(data)
    kinds = {type(v) for v in values}
    numbers = [v for v in values if v is not None] if kinds - {type(None)} <= {int, float} \
        else []
    nulls = len(values) - len(numbers) if numbers else values.count(None)
    summary = Summary(stream_type, len(values), bool(numbers), nulls=nulls,
                      first=next((v for v in values if v is not None), None),
                      last=next((v for v in reversed(values) if v is not None), None))
    if not summary.numeric:
        return summary
    if stream_type == "latlng" and data2 is not None:
        _position(summary, values, list(data2))
        return summary
    zeros_missing = stream_type in ZEROS_MISSING
    counted = [v for v in numbers if v] if zeros_missing else numbers
    summary.zeros_left_out = len(numbers) - len(counted)
    if counted:
        summary.low, summary.high = min(counted), max(counted)
        summary.mean = sum(counted) / len(counted)
    summary.series = _series(values, when, last=stream_type in CUMULATIVE,
                             skip=(None, 0) if zeros_missing else (None,))
    return summary


def normalized_power(watts: Sequence[Any]) -> float | None:
    """The 4th root of the mean 4th power of the 30-sample rolling mean (nulls as 0)."""
    values = [v or 0.0 for v in watts]
    if len(values) < NP_WINDOW:
        return None
    total = sum(values[:NP_WINDOW])
    rolled = [total]
    for old, new in zip(values, values[NP_WINDOW:], strict=False):
        total += new - old
        rolled.append(total)
    return (sum((r / NP_WINDOW) ** 4 for r in rolled) / len(rolled)) ** 0.25


def zone_times(values: Sequence[Any], uppers: Sequence[float], step: float,
               *, skip_zeros: bool = False) -> list[ZoneTime]:
    """Time in each zone; ``uppers`` are each zone's highest value (the last: no limit)."""
    last = len(uppers) - 1
    kept = [v for v in values if v] if skip_zeros else [v for v in values if v is not None]
    counts = Counter(map(functools.partial(bisect.bisect_left, uppers), kept))
    counts[last] += sum(n for i, n in counts.items() if i > last)  # above the last bound
    zones, low = [], None
    for i, top in enumerate(uppers):
        zones.append(ZoneTime(i + 1, low, None if i == last else top, counts[i] * step))
        low = top
    return zones


def _series(values: list[Any], when: Clock, *, last: bool, skip: tuple[Any, ...]
            ) -> list[float | None]:
    """Per point: the mean of its samples, or (cumulative streams) its last sample."""
    if when.bounds is None:
        return _series_unordered(values, when, last=last, skip=skip)
    out: list[float | None] = []
    for start, end in itertools.pairwise(when.bounds):
        chunk = values[start:end]
        if any(s in chunk for s in skip):
            chunk = [v for v in chunk if v not in skip]
        if not chunk:
            out.append(None)
        else:
            out.append(chunk[-1] if last else sum(chunk) / len(chunk))
    return out


def _series_unordered(values: list[Any], when: Clock, *, last: bool, skip: tuple[Any, ...]
                      ) -> list[float | None]:
    sums = [0.0] * when.points
    counts = [0] * when.points
    ends: list[float | None] = [None] * when.points
    for second, v in zip(when.seconds, values, strict=False):
        if v in skip:
            continue
        bucket = min(max(int(second // when.width), 0), when.points - 1)
        sums[bucket] += v
        counts[bucket] += 1
        ends[bucket] = v
    if last:
        return ends
    return [s / c if c else None for s, c in zip(sums, counts, strict=True)]


def _position(summary: Summary, lats: list[Any], lngs: list[Any]) -> None:
    points = [(a, b) for a, b in zip(lats, lngs, strict=False)
              if a is not None and b is not None]
    if points:
        summary.first, summary.last = points[0], points[-1]
        summary.box = (min(p[0] for p in points), min(p[1] for p in points),
                       max(p[0] for p in points), max(p[1] for p in points))
