"""Changes to a dataset as the server would make them, for the tests' fake API.

Each ``make_*`` creates one more object *and inserts it into the dataset*, with an id above
every existing one, so the fake API can add data realistically; ``recompute_fitness`` (in
``wellness``) then redoes wellness CTL/ATL the way the server would.
"""

from __future__ import annotations

import datetime as dt
import random

from .activities import BuildContext, build_activity, strava_stub
from .clock import fmt_instant, to_day
from .dataset import Dataset
from .events import (
    FIRST_EVENT_ID,
    NOTES,
    event,
    race_event,
    spell_event,
    target_event,
    updated_before,
)
from .fitness import after_load, fitness_series
from .life_calendar import RACES
from .plans import plan_session
from .shapes import Obj
from .wellness import day_eftp, day_loads, ride_eftps, wellness_record
from .workouts import workout_event

# The FTP base is the FTP the athlete's ride settings show, less its growth over the years.
_FTP_GROWTH = 18


def make_activity(
    ds: Dataset, day: dt.date | str, *, sport: str | None = None, rng: random.Random | None = None
) -> tuple[Obj, Obj]:
    """Create an activity on ``day`` with a fresh id above every existing one, insert it and
    its intervals into ``ds`` and return both. Does not recompute wellness (see
    ``recompute_fitness``); the fake API does that to mimic the server."""
    day = to_day(day)
    rng = rng or random.Random(f"make_activity:{ds.seed}:{len(ds.activities)}:{day}")
    if sport is None:
        sport = rng.choice(["Ride", "Ride", "VirtualRide", "Run", "Run", "Swim", "Walk"])
    kind = {"Ride": "steady", "VirtualRide": "structured", "Run": "run"}.get(sport, "steady")
    start = dt.datetime.combine(day, dt.time(rng.randint(6, 19))) + dt.timedelta(
        seconds=rng.randint(0, 3000)
    )
    plan = plan_session(sport, kind, start, rng)
    start_day = to_day(
        min((a["start_date_local"] for a in ds.activities.values()), default=day.isoformat())
    )
    ctx = BuildContext(ds.athlete_id, start_day, ftp_base=_ftp_base_guess(ds),
              next_interval_id=_max_interval_id(ds) + 1)
    aid = f"i{_max_activity_number(ds) + rng.randint(1_000, 50_000)}"
    act, ivs = build_activity(plan, aid, ctx, rng)
    prev = ds.wellness.get((day - dt.timedelta(days=1)).isoformat())
    if prev and prev.get("ctl") is not None:
        ctl, atl = after_load(prev["ctl"], prev["atl"], float(act["icu_training_load"] or 0))
        act["icu_ctl"] = round(ctl, 2)
        act["icu_atl"] = round(atl, 2)
    ds.activities[aid] = act
    ds.intervals[aid] = ivs
    return act, ivs


def make_strava_stub(ds: Dataset, day: dt.date | str) -> Obj:
    """Insert a five-key Strava stub on ``day`` with a numeric id above existing numeric ids."""
    day = to_day(day)
    top = max((int(k) for k in ds.activities if k.isdigit()), default=9_000_000_000)
    rng = random.Random(f"make_strava_stub:{ds.seed}:{top}:{day}")
    sid = str(top + rng.randint(1_000_000, 50_000_000))
    t = dt.datetime.combine(
        day, dt.time(rng.randint(6, 20), rng.randint(0, 59), rng.randint(0, 59))
    )
    stub = strava_stub(sid, ds.athlete_id, t)
    ds.activities[sid] = stub
    return stub


def make_wellness(ds: Dataset, day: dt.date | str) -> Obj:
    """Insert (or replace) a plausible wellness record for ``day``, with ctl/atl consistent
    with the activities, and return it."""
    day = to_day(day)
    key = day.isoformat()
    rng = random.Random(f"make_wellness:{ds.seed}:{day}:{len(ds.wellness)}")
    loads = day_loads(ds)
    series = fitness_series(loads, min([day, *loads.keys()]), day)
    day_ftp = _ftp_base_guess(ds) + _FTP_GROWTH
    rides = ride_eftps(a for a in ds.activities.values() if a["start_date_local"][:10] == key)
    rec = wellness_record(day, series[day], loads.get(day, 0.0), rng,
                          eftp=day_eftp(rides, day, day_ftp),
                          ftp=day_ftp, weight=72.8)
    ds.wellness[key] = rec
    return rec


def make_event(
    ds: Dataset,
    day: dt.date | str,
    category: str = "WORKOUT",
    *,
    sport: str | None = None,
    name: str | None = None,
    rng: random.Random | None = None,
) -> Obj:
    """Insert a calendar event with a fresh int id above every existing one and return it."""
    day = to_day(day)
    rng = rng or random.Random(f"make_event:{ds.seed}:{len(ds.events)}:{day}:{category}")
    eid = max(ds.events, default=FIRST_EVENT_ID) + rng.randint(3, 400)
    ev = _new_event(ds, day, category, sport, rng)
    if name is not None:
        ev["name"] = name
    if ev["name"] is None:
        ev["name"] = category.replace("_", " ").title()
    ev["id"] = eid
    ds.events[eid] = ev
    return ev


def _new_event(ds: Dataset, day: dt.date, category: str, sport: str | None,
               rng: random.Random) -> Obj:
    aid = ds.athlete_id
    if category == "WORKOUT":
        sport = sport or rng.choice(["Ride", "VirtualRide", "Run"])
        kind = {"Run": "run"}.get(sport, "structured")
        plan = plan_session(sport, kind, dt.datetime.combine(day, dt.time(18)), rng)
        ev = workout_event(plan, aid, _ftp_base_guess(ds) + _FTP_GROWTH, rng, None)
        ev["updated"] = fmt_instant(dt.datetime.now(dt.UTC).replace(tzinfo=None))
        return ev
    if category in ("RACE_A", "RACE_B", "RACE_C"):
        race = next(r for r in RACES if r.category == category)
        return race_event(aid, day, race, updated_before(day, rng), sport or race.sport)
    if category in ("HOLIDAY", "SICK", "INJURED"):
        last = day + dt.timedelta(days=4)
        return spell_event(aid, category, day, last, updated_before(day, rng))
    if category == "TARGET":
        return target_event(aid, day, updated_before(day, rng), 550)
    note_name, description = rng.choice(NOTES)
    return event(aid, day, category, updated_before(day, rng), name=note_name,
                 description=description, color="green" if category == "NOTE" else None)


def _max_activity_number(ds: Dataset) -> int:
    return max(
        (int(k[1:]) for k in ds.activities if k.startswith("i") and k[1:].isdigit()),
        default=1_000_000,
    )


def _max_interval_id(ds: Dataset) -> int:
    return max(
        (
            iv["id"]
            for dto in ds.intervals.values()
            for iv in dto["icu_intervals"]
            if isinstance(iv.get("id"), int)
        ),
        default=5_000_000,
    )


def _ftp_base_guess(ds: Dataset) -> int:
    for s in ds.athlete.get("sportSettings") or []:
        if "Ride" in (s.get("types") or []) and s.get("ftp"):
            return int(s["ftp"]) - _FTP_GROWTH
    return 245
