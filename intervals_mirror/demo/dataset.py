"""The generated athlete as one ``Dataset``, and ``generate``, which runs the stages in order.

Each stage draws from its own seeded stream (see ``Span.stream``), so the same
``(years, end, seed)`` always gives the same dataset (ids, values, key order), and the history
does not depend on ``future_days``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .athlete import athlete, custom_items
from .clock import Span, athlete_today
from .events import calendar_events
from .fitness import add_planned_loads, fitness_series
from .gear import gear_list, road_bike
from .messages import activity_messages
from .physiology import ftp, weight
from .shapes import Obj
from .training import simulate_training, stamp_fitness
from .wellness import history_wellness, projected_wellness, ride_eftps
from .workouts import planned_workouts

PROJECTED_DAYS = 7


@dataclass
class Dataset:
    """One athlete's API-shaped data, keyed like the API (activity ids, dates, event ids)."""

    athlete: Obj
    custom_items: list[Obj]
    activities: dict[str, Obj]
    intervals: dict[str, Obj]
    wellness: dict[str, Obj]
    events: dict[int, Obj]
    end: dt.date = field(default_factory=athlete_today)
    seed: int = 1
    gear: list[Obj] = field(default_factory=list)  # GET /athlete/{id}/gear
    messages: dict[str, list[Obj]] = field(default_factory=dict)  # activity id -> comments

    @property
    def athlete_id(self) -> str:
        return str(self.athlete["id"])


def generate(
    *,
    years: float = 3,
    end: dt.date | None = None,
    seed: int = 1,
    athlete_id: str = "i104233",
    future_days: int = 120,
) -> Dataset:
    """Build ``years`` of history ending on ``end`` (default today), plus calendar events up
    to ``future_days`` ahead and projected wellness for 7 days. Deterministic for the
    arguments; activities and wellness do not depend on ``future_days``."""
    end = end or athlete_today()
    span = Span(
        tag=f"intervals-mirror:{seed}:{years}:{end.isoformat()}",
        start=end - dt.timedelta(days=max(1, round(years * 365.25)) - 1),
        end=end,
        horizon=end + dt.timedelta(days=max(0, future_days)),
    )
    training = simulate_training(span, athlete_id)
    day_load = training.day_load
    series = fitness_series(day_load, span.start, end)
    stamp_fitness(training, series)
    wellness = history_wellness(span, ftp_base=training.ctx.ftp_base, day_load=day_load,
                                series=series, life=training.life,
                                ride_eftps=ride_eftps(training.activities.values()))
    workouts = planned_workouts(span, athlete_id, training.ctx.ftp_base, training.plans_by_day,
                                series, training.life)
    events = calendar_events(span, athlete_id, training.life, workouts, training.activities)
    _project_wellness(wellness, day_load, events, span)
    custom = custom_items(athlete_id)
    ftp_now = ftp(end, span.start, training.ctx.ftp_base)
    profile = athlete(athlete_id, ftp_now, weight(end, span.start), custom, road_bike(span))
    gear = gear_list(athlete_id, training.activities.values(), span)
    messages = activity_messages(span, profile, training.activities)
    return Dataset(profile, custom, training.activities, training.intervals, wellness, events,
                   end=end, seed=seed, gear=gear, messages=messages)



def _project_wellness(wellness: dict[str, Obj], day_load: dict[dt.date, float],
                      events: dict[int, Obj], span: Span) -> None:
    """The next week's ctl/atl as the server projects them from the planned workouts."""
    planned = add_planned_loads({}, events.values(), span.end)
    last = span.end + dt.timedelta(days=PROJECTED_DAYS)
    projection = fitness_series({**day_load, **planned}, span.start, last)
    for k in range(1, PROJECTED_DAYS + 1):
        day = span.end + dt.timedelta(days=k)
        wellness[day.isoformat()] = projected_wellness(day, projection[day],
                                                       planned.get(day, 0.0))
