"""The server's fitness model: CTL and ATL as exponential averages of daily load (42/7 days)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

from .clock import to_day
from .shapes import Obj

CTL_DAYS = 42
ATL_DAYS = 7
_K_CTL = 1 - math.exp(-1 / CTL_DAYS)
_K_ATL = 1 - math.exp(-1 / ATL_DAYS)

Fitness = tuple[float, float, float]  # ctl, atl, rampRate


def after_load(ctl: float, atl: float, load: float) -> tuple[float, float]:
    """CTL and ATL once ``load`` is added to a day that started at ``ctl``/``atl``."""
    return ctl + (load - ctl) * _K_CTL, atl + (load - atl) * _K_ATL


def fitness_series(
    loads: dict[dt.date, float], first: dt.date, last: dt.date
) -> dict[dt.date, Fitness]:
    """Per-day (ctl, atl, rampRate) after each day's load, exactly the server's model."""
    out: dict[dt.date, Fitness] = {}
    ctl = atl = 0.0
    history: list[float] = []
    d = first
    while d <= last:
        ctl, atl = after_load(ctl, atl, loads.get(d, 0.0))
        history.append(ctl)
        ramp = ctl - history[-8] if len(history) > 7 else ctl
        out[d] = (ctl, atl, ramp)
        d += dt.timedelta(days=1)
    return out


def activity_loads(activities: Iterable[Obj]) -> dict[dt.date, float]:
    """Load per day of the recorded activities (Strava stubs carry none)."""
    loads: dict[dt.date, float] = {}
    for a in activities:
        load = a.get("icu_training_load")
        if a.get("source") == "STRAVA" or not load:
            continue
        d = to_day(a["start_date_local"])
        loads[d] = loads.get(d, 0.0) + float(load)
    return loads


def add_planned_loads(loads: dict[dt.date, float], events: Iterable[Obj],
                      today: dt.date) -> dict[dt.date, float]:
    """Add planned workouts' load after ``today``: it feeds the projection only."""
    for e in events:
        if e.get("category") != "WORKOUT" or not e.get("icu_training_load"):
            continue
        d = to_day(e["start_date_local"])
        if d > today:
            loads[d] = loads.get(d, 0.0) + float(e["icu_training_load"])
    return loads
