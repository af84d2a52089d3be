"""Calendar events: races, holidays and sick spells, weekly targets, notes; ids and pairing.

Each kind draws from its own stream, consumed in date order, so past events do not depend on
how far ahead the calendar reaches. Planned workouts come from ``workouts``.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from .clock import Span, fmt_instant, midnight
from .life_calendar import Life, Race
from .shapes import EVENT_KEYS, Obj

# A calendar entry before it has an id: its day, the event, and the activity it pairs with.
Pending = tuple[dt.date, Obj, str | None]

NOTES = [
    ("Physio", "Left knee check, 17:30"),
    ("Bike service", "New chain and cassette"),
    ("Team dinner", None),
    ("Dentist", "08:30"),
    ("Bike fit", "Saddle 3 mm up"),
    ("Work trip", "Hotel gym only"),
    ("Blood test", "Fasted"),
    ("Massage", None),
]
_WEEKLY_LOADS = [450, 500, 550, 600, 650]
FIRST_EVENT_ID = 40_000_000
PLAN_NAME = "Road season base"  # the training plan the weekly targets were applied from
SEASON_IDS = 100  # ids kept below the first event's for the season starts


def event(athlete_id: str, day: dt.date, category: str, updated: dt.datetime,
          **values: Any) -> Obj:
    """An event with the API's keys: the defaults every event has, then ``values``.

    As in real responses, the end is exclusive: a one-day event ends at the next midnight.
    """
    e: Obj = dict.fromkeys(EVENT_KEYS)
    e["start_date_local"] = midnight(day)
    e["end_date_local"] = midnight(day + dt.timedelta(days=1))
    e["athlete_id"] = athlete_id
    e["category"] = category
    e["calendar_id"] = 1
    e["created_by_id"] = athlete_id
    e["updated"] = fmt_instant(updated)
    e.update(
        not_on_fitness_chart=False,
        show_as_note=False,
        show_on_ctl_line=False,
        for_week=False,
        athlete_cannot_edit=False,
        hide_from_athlete=False,
        structure_read_only=False,
        entered=False,
    )
    e.update(values)
    return e


def updated_before(day: dt.date, rng: random.Random,
                   days: tuple[int, int] = (1, 12)) -> dt.datetime:
    """When the athlete last edited an event: some days before it, in the daytime."""
    t = dt.datetime.combine(day - dt.timedelta(days=rng.randint(*days)), dt.time())
    return t + dt.timedelta(
        seconds=rng.randint(6 * 3600, 23 * 3600), milliseconds=rng.randint(0, 999)
    )


def race_event(athlete_id: str, day: dt.date, race: Race, updated: dt.datetime,
               sport: str) -> Obj:
    return event(athlete_id, day, race.category, updated, type=sport, name=race.name,
                 description=race.description, distance=race.distance, moving_time=race.secs,
                 icu_training_load=race.load, sub_type="NONE")


def spell_event(athlete_id: str, category: str, first: dt.date, last: dt.date,
                updated: dt.datetime, name: str | None = None) -> Obj:
    """Days off, ``first`` to ``last``: a holiday limits training, illness or injury stops it.
    The end is exclusive, as the API writes it: the midnight after ``last``."""
    return event(athlete_id, first, category, updated, name=name,
                 end_date_local=midnight(last + dt.timedelta(days=1)),
                 training_availability="LIMITED" if category == "HOLIDAY" else "UNAVAILABLE")


def target_event(athlete_id: str, day: dt.date, updated: dt.datetime, load_target: int,
                 **values: Any) -> Obj:
    """A week's load target, with its time target at 70 s per load point."""
    return event(athlete_id, day, "TARGET", updated, type="Ride", for_week=True,
                 load_target=load_target, time_target=load_target * 70, **values)


def calendar_events(span: Span, athlete_id: str, life: Life, workouts: list[Pending],
                    activities: dict[str, Obj]) -> dict[int, Obj]:
    """Every event in date order with its id; done workouts are paired with their activity."""
    pending = [
        *workouts,
        *_races(span, athlete_id, life),
        *_spells(span, athlete_id, life),
        *_targets(span, athlete_id, life),
        *_notes(span, athlete_id),
    ]
    pending.sort(key=lambda p: p[0])
    _no_edits_after_today(span, pending)
    events = _assign_ids(span, pending, activities)
    events.update(_season_starts(span, athlete_id))
    return events


def _races(span: Span, athlete_id: str, life: Life) -> list[Pending]:
    rng = span.stream("races")
    return [
        (day, race_event(athlete_id, day, race, updated_before(day, rng, (20, 120)), race.sport),
         None)
        for day, race in sorted(life.races.items())
        if span.start <= day <= span.horizon
    ]


def _spells(span: Span, athlete_id: str, life: Life) -> list[Pending]:
    rng = span.stream("ranged")
    out: list[Pending] = []
    for category, first, last, name in sorted(life.spells, key=lambda r: r[1]):
        if last < span.start or first > span.horizon:
            continue
        edited = updated_before(first, rng, (0, 40) if category == "HOLIDAY" else (0, 1))
        out.append((first, spell_event(athlete_id, category, first, last, edited, name), None))
    return out


def _targets(span: Span, athlete_id: str, life: Life) -> list[Pending]:
    """One load target a week, on Mondays; lower in holiday weeks."""
    rng = span.stream("targets")
    out: list[Pending] = []
    d = span.start + dt.timedelta(days=(7 - span.start.weekday()) % 7)
    while d <= span.horizon:
        load_target = int(rng.choice(_WEEKLY_LOADS) * (0.6 if d in life.holiday else 1))
        edited = updated_before(d, rng, (3, 30))
        applied = fmt_instant(updated_before(d, rng, (30, 60)))
        out.append((d, target_event(athlete_id, d, edited, load_target, name="Weekly load",
                                    plan_applied=applied, plan_name=PLAN_NAME), None))
        d += dt.timedelta(days=7)
    return out


def _notes(span: Span, athlete_id: str) -> list[Pending]:
    """About two notes a month."""
    rng = span.stream("notes")
    out: list[Pending] = []
    d = span.start
    while d <= span.horizon:
        if rng.random() < 2 / 30:
            name, note = rng.choice(NOTES)
            edited = updated_before(d, rng, (0, 14))
            out.append((d, event(athlete_id, d, "NOTE", edited, name=name, description=note,
                                 color="green"), None))
        d += dt.timedelta(days=1)
    return out


def _season_starts(span: Span, athlete_id: str) -> dict[int, Obj]:
    """A season starts every 1 November (the athlete set them all up long ago, so their ids
    are below every other event's, and adding them leaves the other events as they were)."""
    rng = span.stream("seasons")
    first_id = FIRST_EVENT_ID + (span.start.toordinal() - 730000) * 2_000 - SEASON_IDS
    out: dict[int, Obj] = {}
    for year in range(span.start.year, span.horizon.year + 1):
        day = dt.date(year, 11, 1)
        if span.start <= day <= span.horizon:
            eid = first_id + len(out)
            edited = min(updated_before(span.start, rng, (30, 90)),
                         dt.datetime.combine(span.end, dt.time(20)))
            out[eid] = {**event(athlete_id, day, "SEASON_START", edited,
                                name=f"Season {year + 1}"), "id": eid}
    return out


def _no_edits_after_today(span: Span, pending: list[Pending]) -> None:
    """Nothing can have been edited after "now" (the end of ``end``): pull future stamps back."""
    latest = dt.datetime.combine(span.end, dt.time(20))
    rng = span.stream("clamp")
    for _, ev, _ in pending:
        for key in ("updated", "plan_applied"):
            if ev[key] is not None and ev[key] > fmt_instant(latest):
                back = dt.timedelta(days=rng.randint(0, 45), seconds=rng.randint(0, 50000))
                ev[key] = fmt_instant(latest - back)


def _assign_ids(span: Span, pending: list[Pending],
                activities: dict[str, Obj]) -> dict[int, Obj]:
    events: dict[int, Obj] = {}
    eid = FIRST_EVENT_ID + (span.start.toordinal() - 730000) * 2_000
    rng = span.stream("ids")  # date order, so past ids ignore future_days
    for _, ev, aid in pending:
        eid += rng.randint(3, 400)
        ev["id"] = eid
        events[eid] = ev
        if aid is not None:
            ev["paired_activity_id"] = aid
            activities[aid]["paired_event_id"] = eid
            done = activities[aid]["moving_time"] / (ev["moving_time"] or 1)
            activities[aid]["compliance"] = round(rng.uniform(78, 104) * min(1.0, done), 1)
    return events
