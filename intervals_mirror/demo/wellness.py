"""Daily wellness records: fitness from the loads, body and sleep metrics, custom fields.

``history_wellness`` draws from its own stream (``:wellness``), so the history does not depend
on how far ahead the calendar reaches; ``recompute_fitness`` redoes ctl/atl as the server does.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .clock import Span, fmt_instant, local_to_utc, to_day
from .fitness import Fitness, activity_loads, add_planned_loads, fitness_series
from .life_calendar import Life
from .physiology import P_MAX, RIDE_TYPES, W_PRIME, ftp, weight
from .shapes import WELLNESS_KEYS, Obj

if TYPE_CHECKING:
    from .dataset import Dataset

_CUSTOM_WELLNESS_CODES = ("CaffeineMg", "Alcohol", "Travel", "SleepNotes")
_COMMENTS = ["Slept well, legs fine.", "Busy day at work.", "Heavy legs.", "Late dinner.",
             "Travel day."]
_SLEEP_NOTES = ["Woke up at 3 am.", "Noisy neighbours.", "Slept like a log.",
                "Late screen time."]


def history_wellness(span: Span, *, ftp_base: int, day_load: dict[dt.date, float],
                     series: dict[dt.date, Fitness], ride_eftps: dict[dt.date, int | None],
                     life: Life) -> dict[str, Obj]:
    """A record for every active, sick or last day and about 60 % of the rest.
    ``ride_eftps``: per day with a ride, the rolling eFTP its last ride with power carries
    (None: no ride that day had power, so the model's FTP for the day stands)."""
    wellness: dict[str, Obj] = {}
    rng = span.stream("wellness")  # own stream: history independent of the horizon
    start, d = span.start, span.start
    while d <= span.end:
        if d in day_load or d in life.sick or rng.random() > 0.4 or d == span.end:
            day_ftp = ftp(d, start, ftp_base)
            eftp = day_eftp(ride_eftps, d, day_ftp)
            wellness[d.isoformat()] = wellness_record(
                d, series[d], day_load.get(d, 0.0), rng,
                eftp=eftp, ftp=day_ftp, weight=weight(d, start),
                travel=life.holiday.get(d), sick=d in life.sick,
            )
        d += dt.timedelta(days=1)
    return wellness


def ride_eftps(activities: Iterable[Obj]) -> dict[dt.date, int | None]:
    """Per day with a ride, the rolling eFTP of its last ride with power (None: none had)."""
    found: dict[dt.date, int | None] = {}
    for a in sorted(activities, key=lambda a: a["start_date_local"]):
        if a.get("type") in RIDE_TYPES:
            day = to_day(a["start_date_local"])
            found[day] = a.get("icu_rolling_ftp") or found.get(day)
    return found


def day_eftp(rides: dict[dt.date, int | None], day: dt.date, day_ftp: int) -> int | None:
    """The day's Ride eFTP: its last ride's with power, the FTP of the day when no ride had
    power, None on a day without a ride."""
    return (rides[day] or day_ftp) if day in rides else None


def wellness_record(day: dt.date, fitness: Fitness, load: float, rng: random.Random, *,
                    eftp: int | None, ftp: int, weight: float, travel: str | None = None,
                    sick: bool = False) -> Obj:
    """``eftp``: the day's Ride eFTP, as the day's last ride carries it (``icu_rolling_ftp``:
    Intervals.icu updates eFTP ride by ride, and wellness shows the day's value); None on a
    day without a ride."""
    w = _fitness_record(day, fitness, load)
    if eftp is not None:
        rng.random()  # the draw an old ±2 % jitter took: the rest of the day stays as it was
        w["sportInfo"] = [{
            "type": "Ride",
            "eftp": float(eftp),
            "wPrime": float(W_PRIME - rng.randint(0, 400)),
            "pMax": float(P_MAX - rng.randint(0, 30)),
        }]
    strain = max(-15.0, min(25.0, fitness[1] - fitness[0]))
    if rng.random() < 0.65:
        w["weight"] = round(weight + rng.uniform(-0.5, 0.5), 1)
        if rng.random() < 0.8:
            w["bodyFat"] = round(12.8 + rng.uniform(-0.8, 0.8), 1)
    if rng.random() < 0.9:
        _watch(w, strain, sick, rng)
    if rng.random() < 0.3:
        _how_it_felt(w, strain, sick, rng)
    _occasional(w, rng, vo2max=10.8 * 1.2 * ftp / weight + 7)
    if sick:
        w["comments"] = rng.choice(["Sick, stayed home.", "Cold, no training.", "Fever."])
    elif rng.random() < 0.04:
        w["comments"] = rng.choice(_COMMENTS)
    w["tempWeight"] = False
    w["tempRestingHR"] = False
    if w["soreness"] is not None or w["comments"] is not None:
        t = dt.datetime.combine(day, dt.time(rng.randint(6, 21), rng.randint(0, 59),
                                             rng.randint(0, 59), rng.randint(0, 999) * 1000))
        w["updated"] = fmt_instant(local_to_utc(t))
    _custom_fields(w, travel, rng)
    return w


def _watch(w: Obj, strain: float, sick: bool, rng: random.Random) -> None:
    """What the watch measured overnight and over the day; strain and illness show in it."""
    w["restingHR"] = round(47 + strain * 0.12 + rng.uniform(-2, 2) + (6 if sick else 0))
    w["hrv"] = round(max(30.0, 68 - strain * 0.6 + rng.uniform(-8, 8) - (15 if sick else 0)), 1)
    w["sleepSecs"] = int(rng.gauss(26800, 2400))
    w["sleepScore"] = float(max(40, min(98, int(rng.gauss(80, 8)))))
    w["avgSleepingHR"] = float(w["restingHR"] + rng.randint(2, 6))
    w["readiness"] = float(max(10, min(100, int(78 - strain + rng.uniform(-10, 10)))))
    w["steps"] = int(rng.gauss(9500, 3000)) if rng.random() < 0.95 else None
    w["respiration"] = round(rng.uniform(13.5, 15.5), 1)
    if rng.random() < 0.3:
        w["spO2"] = float(rng.randint(94, 99))


def _how_it_felt(w: Obj, strain: float, sick: bool, rng: random.Random) -> None:
    """The athlete's own 1-4 ratings."""
    w["sleepQuality"] = rng.randint(1, 3) if not sick else 4
    w["soreness"] = max(1, min(4, round(1.5 + strain / 12 + rng.uniform(-0.5, 1))))
    w["fatigue"] = max(1, min(4, round(1.5 + strain / 10 + rng.uniform(-0.5, 1))))
    w["stress"] = rng.randint(1, 3)
    w["mood"] = rng.randint(1, 3)
    w["motivation"] = rng.randint(1, 3)
    if rng.random() < 0.05:
        w["injury"] = rng.randint(1, 3)


def _occasional(w: Obj, rng: random.Random, *, vo2max: float) -> None:
    """Fields logged now and then: blood pressure, hydration, nutrition, VO2max (``vo2max``:
    the estimate from FTP and weight, so it rises and falls with them)."""
    if rng.random() < 0.05:
        w["systolic"] = rng.randint(112, 126)
        w["diastolic"] = rng.randint(70, 80)
    if rng.random() < 0.1:
        w["hydration"] = rng.randint(1, 3)
        w["hydrationVolume"] = round(rng.uniform(2.0, 3.8), 1)
    if rng.random() < 0.08:
        w["kcalConsumed"] = rng.randint(2300, 3600)
        w["carbohydrates"] = float(rng.randint(280, 480))
        w["protein"] = float(rng.randint(110, 160))
        w["fatTotal"] = float(rng.randint(70, 120))
    if rng.random() < 0.02:
        w["vo2max"] = round(vo2max + (rng.randint(55, 60) - 57.5) * 0.2, 1)


def _custom_fields(w: Obj, travel: str | None, rng: random.Random) -> None:
    """The athlete's own wellness fields, by code: sometimes absent, sometimes null."""
    r = rng.random()
    if r < 0.8:
        w["CaffeineMg"] = rng.choice([0, 80, 160, 160, 240, 240, 320])
    elif r < 0.9:
        w["CaffeineMg"] = None
    if rng.random() < 0.5:
        w["Alcohol"] = 0 if rng.random() < 0.8 else rng.randint(1, 4)
    if travel is not None:
        w["Travel"] = travel
    elif rng.random() < 0.4:
        w["Travel"] = "no" if rng.random() < 0.9 else rng.choice(["train", "car"])
    elif rng.random() < 0.1:
        w["Travel"] = None
    if rng.random() < 0.03:
        w["SleepNotes"] = rng.choice(_SLEEP_NOTES)


def projected_wellness(day: dt.date, fitness: Fitness, load: float) -> Obj:
    """A future day as the server projects it: ctl/atl from planned load, nothing measured."""
    w = _fitness_record(day, fitness, load)
    for code in _CUSTOM_WELLNESS_CODES:
        w[code] = None
    return w


def recompute_fitness(ds: Dataset) -> None:
    """Recompute every wellness day's ctl/atl/rampRate/loads from the activities, as the
    server does after an activity is added, edited or deleted. Changed records are replaced
    (not mutated in place), so a reader holding the old object is never torn."""
    if not ds.wellness:
        return
    loads = day_loads(ds)
    days = [to_day(k) for k in ds.wellness]
    series = fitness_series(loads, min([*days, *loads.keys()]), max(days))
    for key, rec in list(ds.wellness.items()):
        day = to_day(key)
        new = _fitness_fields(series[day], loads.get(day, 0.0))
        if any(rec.get(k) != v for k, v in new.items()):
            ds.wellness[key] = {**rec, **new}


def day_loads(ds: Dataset) -> dict[dt.date, float]:
    """Load per day as the server counts it: activities, then planned workouts after today."""
    return add_planned_loads(activity_loads(ds.activities.values()), ds.events.values(), ds.end)


def _fitness_record(day: dt.date, fitness: Fitness, load: float) -> Obj:
    w: Obj = dict.fromkeys(WELLNESS_KEYS)
    w["id"] = day.isoformat()
    w.update(_fitness_fields(fitness, load))
    return w


def _fitness_fields(fitness: Fitness, load: float) -> Obj:
    ctl, atl, ramp = fitness
    return {
        "ctl": round(ctl, 2),
        "atl": round(atl, 2),
        "rampRate": round(ramp, 2),
        "ctlLoad": round(load, 1),
        "atlLoad": round(load, 1),
    }
