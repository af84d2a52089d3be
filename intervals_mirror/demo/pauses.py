"""Where an activity stood still: its elapsed time beyond the moving time, at its stops.

The streams hold one sample per moving second, so an interval's ``start_index``/``end_index``
count moving seconds while its ``start_time``/``end_time`` (and the ``time`` stream) count the
seconds since the start, stops included. Both the intervals and the time stream take the stops
from here, so they agree. No random draws: everything follows from the activity.
"""

from __future__ import annotations

from .shapes import Obj


def stops(activity: Obj) -> list[tuple[int, int]]:
    """(sample, seconds stood still just before it), in order: the paused time split evenly
    over the ``recording_stops`` (samples), else all of it after the last sample."""
    moving = int(activity.get("moving_time") or 0)
    paused = int(activity.get("elapsed_time") or 0) - moving
    if paused <= 0 or moving <= 0:
        return []
    marks = sorted(k for k in activity.get("recording_stops") or []
                   if isinstance(k, int) and 0 < k <= moving) or [moving]
    even, extra = divmod(paused, len(marks))
    return [(k, even + (1 if i < extra else 0)) for i, k in enumerate(marks)]


def sample_times(activity: Obj, samples: int) -> list[int]:
    """Each sample's seconds since the start (the ``time`` stream)."""
    before: dict[int, int] = {}
    for k, secs in stops(activity):
        before[k] = before.get(k, 0) + secs
    shift, times = 0, []
    for i in range(samples):
        shift += before.get(i, 0)
        times.append(i + shift)
    return times


def paused_within(marks: list[tuple[int, int]], first: int, end: int) -> int:
    """Seconds stood still after sample ``first`` up to sample ``end`` (a part's own stops)."""
    return sum(secs for k, secs in marks if first < k <= end)


def paused_before(marks: list[tuple[int, int]], sample: int) -> int:
    """Seconds stood still before ``sample`` was recorded."""
    return sum(secs for k, secs in marks if k <= sample)
