"""Planned workouts: calendar events with a structured ``workout_doc``, from the session plans.

``planned_workouts`` draws from its own stream (``:events``); a done workout pairs with the
activity that carried out the same plan.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from .clock import Span
from .events import Pending, event, updated_before
from .fitness import Fitness
from .physiology import (
    LTHR,
    P_MAX,
    POWER_ZONES,
    RIDE_TYPES,
    RUN_LTHR,
    RUN_THRESHOLD_PACE,
    W_PRIME,
    ftp,
    zone_of,
)
from .plans import Plan, Segment
from .shapes import Obj

_UNITS = {"POWER": "%ftp", "PACE": "%pace", "HR": "%lthr"}
_STEP_KEY = {"POWER": "power", "PACE": "pace", "HR": "hr"}
_ZONE_NAMES = ["Recovery", "Endurance", "Tempo", "Threshold"]


def planned_workouts(span: Span, athlete_id: str, ftp_base: int,
                     plans_by_day: dict[dt.date, list[tuple[Plan, str | None]]],
                     series: dict[dt.date, Fitness]) -> list[Pending]:
    """Some past sessions were planned (most structured and long ones); most future ones are."""
    rng = span.stream("events")
    pending: list[Pending] = []
    for day, day_plans in plans_by_day.items():
        for plan, aid in day_plans:
            if not _planned(plan, day, span.end, rng):
                continue
            fit = series.get(day)
            ev = workout_event(
                plan, athlete_id, ftp(day, span.start, ftp_base), rng,
                (round(fit[0], 1), round(fit[1], 1)) if fit else None,
            )
            pending.append((day, ev, aid))
    return pending


def _planned(plan: Plan, day: dt.date, end: dt.date, rng: random.Random) -> bool:
    plannable = plan.kind in ("structured", "long", "race") or (
        plan.kind in ("steady", "laps")
        and plan.sport in RIDE_TYPES | {"Run"}
        and rng.random() < (0.4 if day <= end else 0.8)
    )
    if plan.kind == "race" or not plannable:
        return False
    if day <= end and rng.random() > 0.6:
        return False
    return not (day > end + dt.timedelta(days=28) and rng.random() > 0.15)


def workout_event(plan: Plan, athlete_id: str, ftp: int, rng: random.Random,
                  fitness: tuple[float, float] | None) -> Obj:
    """The planned workout for ``plan``; ``fitness`` is (ctl, atl) on its day, when known."""
    day, secs = plan.start.date(), plan.secs
    if_ = math.sqrt(sum(s.secs * s.pct**2 for s in plan.segments) / secs)
    is_ride = plan.sport in RIDE_TYPES
    target = _target(plan.sport)
    return event(
        athlete_id,
        day,
        "WORKOUT",
        updated_before(day, rng),
        icu_training_load=round(secs / 3600 * if_**2 * 100),
        icu_ctl=fitness[0] if fitness else None,
        icu_atl=fitness[1] if fitness else None,
        type=plan.sport,
        name=plan.name or f"{plan.sport} workout",
        description=plan.workout_text,
        indoor=plan.sport in ("VirtualRide", "Swim", "WeightTraining", "Rowing"),
        moving_time=secs,
        icu_ftp=ftp if is_ride else None,
        w_prime=W_PRIME if is_ride else None,
        p_max=P_MAX if is_ride else None,
        target=target,
        joules=int(ftp * if_ * secs) if is_ride else None,
        joules_above_ftp=0 if is_ride else None,
        workout_doc=_workout_doc(plan, ftp, target),
        carbs_per_hour=70 if secs > 7200 else None,
        sub_type="NONE",
        icu_intensity=round(if_ * 100, 1),
    )


def _target(sport: str) -> str:
    if sport in RIDE_TYPES or sport == "Rowing":
        return "POWER"
    return "PACE" if sport in ("Run", "Swim") else "HR"


def _workout_doc(plan: Plan, ftp: int, target: str) -> Obj:
    is_ride = plan.sport in RIDE_TYPES
    zone_secs = [0, 0, 0, 0]
    for s in plan.segments:
        zone_secs[min(3, zone_of(s.pct * 100, POWER_ZONES) - 1)] += s.secs
    return {
        "description": plan.name,
        "duration": plan.secs,
        "distance": None,
        "ftp": ftp if is_ride else None,
        "lthr": RUN_LTHR if not is_ride else LTHR,
        "threshold_pace": RUN_THRESHOLD_PACE if plan.sport == "Run" else None,
        "target": target,
        "steps": _steps(plan.segments, _STEP_KEY[target], _UNITS[target]),
        "zoneTimes": [
            {"id": f"Z{n + 1}", "name": name, "secs": zone_secs[n]}
            for n, name in enumerate(_ZONE_NAMES)
        ],
    }


def _steps(segs: list[Segment], key: str, units: str) -> list[Obj]:
    """One step per segment; a repeated set (with its recoveries) becomes one reps step."""
    steps: list[Obj] = []
    i = 0
    while i < len(segs):
        s = segs[i]
        if s.group:
            j = i
            while j < len(segs) and (segs[j].group or segs[j].kind == "RECOVERY"):
                j += 1
            steps.append(_repeat_step(segs[i:j], key, units))
            i = j
            continue
        step: Obj = {"duration": s.secs, key: {"value": int(s.pct * 100), "units": units}}
        if i == 0 and s.kind is None:
            step.update(text="Warmup", warmup=True)
        elif i == len(segs) - 1 and s.kind is None:
            step.update(text="Cooldown", cooldown=True)
        steps.append(step)
        i += 1
    return steps


def _repeat_step(block: list[Segment], key: str, units: str) -> Obj:
    work = next(b for b in block if b.group)
    rec = next((b for b in block if b.kind == "RECOVERY"), None)
    n = sum(1 for b in block if b.group)
    pct = int(work.pct * 100)
    inner: list[Obj] = [
        {"duration": work.secs, key: {"start": pct - 2, "end": pct + 2, "units": units}}
    ]
    if rec:
        inner.append({"duration": rec.secs, key: {"value": int(rec.pct * 100), "units": units}})
    return {
        "reps": n,
        "text": "Main set",
        "duration": n * work.secs + (n - 1) * (rec.secs if rec else 0),
        "steps": inner,
    }
