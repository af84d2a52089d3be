"""Planned workouts: calendar events with a structured ``workout_doc``, from the session plans.

``planned_workouts`` draws from its own stream (``:events``); a done workout pairs with the
activity that carried out the same plan. Not every plan is kept: now and then the athlete
planned more than they did (the plan repeats its main set, the activity does it once: partly
done), and the sessions planned for sick days were missed (streams ``:ambition`` and
``:missed``, so the other events stay as they were).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random

from .clock import Span
from .events import Pending, event, updated_before
from .fitness import Fitness
from .life_calendar import Life
from .physiology import (
    P_MAX,
    POWER_ZONES,
    RIDE_TYPES,
    W_PRIME,
    ftp,
    sport_ftp,
    zone_of,
)
from .plans import Plan, plan_session
from .shapes import Obj
from .workout_steps import plan_steps, planned_distance, planned_secs, workout_text

_ZONE_NAMES = ["Recovery", "Endurance", "Tempo", "Threshold"]
NOTHING_PLANNED = "Strength circuit: squats, lunges, core"
CUT_SHORT = 0.12  # of the done plans with a main set: planned twice over, done once
SICK_DAY_PLANS = (1, 3, 5)  # weekdays whose planned ride a cold made the athlete miss


def planned_workouts(span: Span, athlete_id: str, ftp_base: int,
                     plans_by_day: dict[dt.date, list[tuple[Plan, str | None]]],
                     series: dict[dt.date, Fitness], life: Life) -> list[Pending]:
    """Some past sessions were planned (most structured and long ones); most future ones are;
    the rides planned on sick days were missed."""
    rng, ambition = span.stream("events"), span.stream("ambition")
    pending: list[Pending] = []
    for day, day_plans in plans_by_day.items():
        for plan, aid in day_plans:
            if not _planned(plan, day, span.end, rng):
                continue
            fit = series.get(day)
            planned = plan
            if aid is not None and len(plan.segments) > 2 and ambition.random() < CUT_SHORT:
                planned = dataclasses.replace(plan, segments=plan.segments[:-1]
                                              + plan.segments[1:])
            ev = workout_event(
                planned, athlete_id, ftp(day, span.start, ftp_base), rng,
                (round(fit[0], 1), round(fit[1], 1)) if fit else None,
            )
            pending.append((day, ev, aid))
    return pending + _missed(span, athlete_id, ftp_base, series, life)


def _missed(span: Span, athlete_id: str, ftp_base: int, series: dict[dt.date, Fitness],
            life: Life) -> list[Pending]:
    """The structured rides planned for the days a cold took: never done."""
    rng = span.stream("missed")
    pending: list[Pending] = []
    for day in sorted(d for d in life.sick if span.start <= d <= span.end):
        if day.weekday() not in SICK_DAY_PLANS:
            continue
        start = dt.datetime.combine(day, dt.time(18))
        plan = plan_session(rng.choice(["Ride", "VirtualRide"]), "structured", start, rng)
        fit = series.get(day)
        ev = workout_event(plan, athlete_id, ftp(day, span.start, ftp_base), rng,
                           (round(fit[0], 1), round(fit[1], 1)) if fit else None)
        pending.append((day, ev, None))
    return pending


def _planned(plan: Plan, day: dt.date, end: dt.date, rng: random.Random) -> bool:
    plannable = plan.kind in ("structured", "long", "race") or (
        plan.kind in ("steady", "laps")
        and plan.sport in RIDE_TYPES | {"Run", "WeightTraining"}
        and rng.random() < (0.4 if day <= end else 0.8)
    )
    if plan.kind == "race" or not plannable:
        return False
    if day <= end and rng.random() > 0.6:
        return False
    return not (day > end + dt.timedelta(days=28) and rng.random() > 0.15)


def workout_event(plan: Plan, athlete_id: str, ftp: int, rng: random.Random,
                  fitness: tuple[float, float] | None) -> Obj:
    """The planned workout for ``plan``; ``fitness`` is (ctl, atl) on its day, when known.

    Its description is the workout text its steps were parsed from; a session with nothing
    planned (strength) has a plain note, no steps and a planned distance of 0.0, as in real
    responses. ``ftp`` is the bike's; a rowing plan is set from the rowing FTP."""
    ftp = sport_ftp(plan.sport, ftp)
    day, secs = plan.start.date(), plan.secs
    if_ = math.sqrt(sum(s.secs * s.pct**2 for s in plan.segments) / secs)
    is_ride = plan.sport in RIDE_TYPES
    load = round(secs / 3600 * if_**2 * 100)
    steps = plan_steps(plan, ftp)
    doc = _workout_doc(plan, ftp, steps, if_, load)
    return event(
        athlete_id,
        day,
        "WORKOUT",
        updated_before(day, rng),
        icu_training_load=load,
        icu_ctl=fitness[0] if fitness else None,
        icu_atl=fitness[1] if fitness else None,
        type=plan.sport,
        name=plan.name or f"{plan.sport} workout",
        description=workout_text(steps) if steps else NOTHING_PLANNED,
        indoor=plan.sport in ("VirtualRide", "Swim", "WeightTraining", "Rowing"),
        moving_time=secs,
        icu_ftp=ftp if is_ride else None,
        w_prime=W_PRIME if is_ride else None,
        p_max=P_MAX if is_ride else None,
        target=_target(plan.sport),
        joules=int(ftp * if_ * secs) if is_ride else None,
        joules_above_ftp=0 if is_ride else None,
        workout_doc=doc,
        carbs_per_hour=70 if secs > 7200 else None,
        sub_type="NONE",
        distance=doc["distance"] if doc["distance"] or not steps else None,
        icu_intensity=round(if_ * 100, 1),
    )


def _target(sport: str) -> str:
    if sport in RIDE_TYPES or sport == "Rowing":
        return "POWER"
    return "PACE" if sport in ("Run", "Swim") else "HR"


def _workout_doc(plan: Plan, ftp: int, steps: list[Obj], if_: float, load: int) -> Obj:
    """The keys real responses carry, in their order."""
    is_ride = plan.sport in RIDE_TYPES
    avg_pct = sum(s.secs * s.pct for s in plan.segments) / plan.secs
    zone_secs = [0, 0, 0, 0]
    for s in plan.segments:
        zone_secs[min(3, zone_of(s.pct * 100, POWER_ZONES) - 1)] += s.secs
    return {
        "steps": steps,
        "locales": [],
        "options": {},
        "distance": planned_distance(steps),
        "duration": planned_secs(steps),
        "zoneTimes": [
            {"id": f"Z{n + 1}", "name": name, "secs": zone_secs[n]}
            for n, name in enumerate(_ZONE_NAMES)
        ] if steps else [],
        "strain_score": round(load * 1.1, 1) if steps else None,
        "average_watts": round(avg_pct * ftp) if is_ride and steps else None,
        "normalized_power": round(if_ * ftp) if is_ride and steps else None,
        "variability_index": round(if_ / avg_pct, 2) if is_ride and steps else None,
        "polarization_index": round(if_ / avg_pct - 0.2, 2) if steps else None,
    }
