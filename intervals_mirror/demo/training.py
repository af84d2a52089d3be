"""The training history: day by day, the sessions planned and (up to today) the activities done.

Owns the dataset's main random stream: it draws the athlete's FTP base, then the life
calendar, then every day's sessions and activities in date order.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from .activities import BuildContext, build_activity, strava_stub
from .clock import Span
from .fitness import Fitness, after_load
from .life_calendar import Life, plan_life
from .plans import Plan, day_sessions, plan_session, resolve_sport
from .shapes import Obj

STRAVA_STUBS_PER_YEAR = 4


@dataclass
class Training:
    ctx: BuildContext
    life: Life
    activities: dict[str, Obj] = field(default_factory=dict)
    intervals: dict[str, Obj] = field(default_factory=dict)
    # Every day with sessions, to the horizon; the activity id is None for a future session.
    plans_by_day: dict[dt.date, list[tuple[Plan, str | None]]] = field(default_factory=dict)
    loads: dict[dt.date, list[tuple[str, float]]] = field(default_factory=dict)

    @property
    def day_load(self) -> dict[dt.date, float]:
        return {day: sum(load for _, load in done) for day, done in self.loads.items()}


@dataclass
class _Ids:
    """The next activity and Strava ids; both grow in date order."""

    activity: int
    strava: int


def simulate_training(span: Span, athlete_id: str) -> Training:
    rng = span.stream()
    ctx = BuildContext(athlete_id, span.start, ftp_base=rng.randint(238, 252),
                       next_interval_id=5_000_000)
    training = Training(ctx, plan_life(span.start, span.end, rng))
    days_since_2000 = span.start.toordinal() - 730000
    ids = _Ids(rng.randint(1_000_000, 3_000_000) + int(days_since_2000) * 40_000,
               9_000_000_000 + days_since_2000 * 3_000_000)
    d = span.start
    while d <= span.horizon:
        _train(training, d, d <= span.end, ids, rng)
        d += dt.timedelta(days=1)
    # Activities are listed in start order; the API's own order is the fake's job.
    training.activities = dict(
        sorted(training.activities.items(), key=lambda kv: kv[1]["start_date_local"])
    )
    return training


def _train(training: Training, day: dt.date, done: bool, ids: _Ids,
           rng: random.Random) -> None:
    """Plan the day's sessions; up to today, also record them (and now and then a Strava
    import)."""
    day_plans: list[tuple[Plan, str | None]] = []
    for sport, kind, hour in day_sessions(day, training.life, rng):
        real = resolve_sport(sport, kind, day, rng)
        t = dt.datetime.combine(day, dt.time(hour)) + dt.timedelta(seconds=rng.randint(0, 3000))
        plan = plan_session(real, kind, t, rng)
        if kind == "race":
            plan.race_name = training.life.races[day].name
        aid = None
        if done:
            ids.activity += rng.randint(15_000, 60_000)
            aid = f"i{ids.activity}"
            act, ivs = build_activity(plan, aid, training.ctx, rng)
            training.activities[aid] = act
            training.intervals[aid] = ivs
            training.loads.setdefault(day, []).append((aid, float(act["icu_training_load"] or 0)))
        day_plans.append((plan, aid))
    if day_plans:
        training.plans_by_day[day] = day_plans
    if done and rng.random() < STRAVA_STUBS_PER_YEAR / 365:
        ids.strava += rng.randint(1_000_000, 90_000_000)
        t = dt.datetime.combine(
            day, dt.time(rng.randint(6, 20), rng.randint(0, 59), rng.randint(0, 59))
        )
        sid = str(ids.strava)
        training.activities[sid] = strava_stub(sid, training.ctx.athlete_id, t)


def stamp_fitness(training: Training, series: dict[dt.date, Fitness]) -> None:
    """Each activity's ``icu_ctl``/``icu_atl``: the day's fitness just after it."""
    for day in sorted(training.loads):
        base = series.get(day - dt.timedelta(days=1), (0.0, 0.0, 0.0))
        cum = 0.0
        for aid, load in training.loads[day]:
            cum += load
            ctl, atl = after_load(base[0], base[1], cum)
            training.activities[aid]["icu_ctl"] = round(ctl, 2)
            training.activities[aid]["icu_atl"] = round(atl, 2)
