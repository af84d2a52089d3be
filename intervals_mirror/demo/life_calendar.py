"""The athlete's year around training: holidays, sick spells and race days.

Drawn year by year for a fixed span (to the year after ``end``), so the history does not
depend on how far ahead the calendar is shown.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import NamedTuple


class Race(NamedTuple):
    category: str
    sport: str
    name: str
    description: str
    distance: float  # m
    secs: int
    load: int
    month: int
    day: int  # of the month; the race is on the Sunday on or after it


RACES = [
    Race("RACE_A", "Ride", "Dreiländergiro", "168 km / 3,300 m", 168000.0, 23400, 310, 8, 30),
    Race("RACE_B", "Run", "Berlin Half Marathon", "21.1 km", 21100.0, 5900, 120, 4, 6),
    Race("RACE_B", "Ride", "Velothon Berlin", "120 km", 120000.0, 11400, 190, 6, 14),
    Race("RACE_C", "Run", "Parkrun 5k", "5 km", 5000.0, 1200, 35, 3, 20),
    Race("RACE_C", "Run", "Grunewald 10k", "10 km", 10000.0, 2700, 60, 9, 19),
]


class Spell(NamedTuple):
    """A run of days off training, shown as one calendar event."""

    category: str  # HOLIDAY or SICK
    first: dt.date
    last: dt.date
    name: str


@dataclass
class Life:
    holiday: dict[dt.date, str] = field(default_factory=dict)  # day -> the Travel field
    sick: set[dt.date] = field(default_factory=set)
    races: dict[dt.date, Race] = field(default_factory=dict)
    spells: list[Spell] = field(default_factory=list)


def plan_life(start: dt.date, end: dt.date, rng: random.Random) -> Life:
    life = Life()
    for year in range(start.year, end.year + 2):  # fixed span: history ignores future_days
        _holidays(life, year, rng)
        _colds(life, year, rng)
        _races(life, year)
    return life


def _days(first: dt.date, length: int) -> list[dt.date]:
    return [first + dt.timedelta(days=k) for k in range(length)]


def _holidays(life: Life, year: int, rng: random.Random) -> None:
    for month, lo, hi, name in ((7, 5, 12, "Family holiday"), (12, 8, 12, "Christmas")):
        first = dt.date(year, month, 1) + dt.timedelta(
            days=rng.randint(0, 20 if month == 7 else 14)
        )
        days = _days(first, rng.randint(lo, hi))
        life.spells.append(Spell("HOLIDAY", first, days[-1], name))
        for k, day in enumerate(days):
            life.holiday[day] = "flight" if k in (0, len(days) - 1) else "no"


def _colds(life: Life, year: int, rng: random.Random) -> None:
    for _ in range(rng.randint(1, 2)):
        month = rng.choice([1, 2, 3, 10, 11, 12])
        first = dt.date(year, month, rng.randint(1, 25))
        days = _days(first, rng.randint(3, 6))
        if any(day in life.holiday for day in days):
            continue
        life.spells.append(Spell("SICK", first, days[-1], "Cold"))
        life.sick.update(days)


def _races(life: Life, year: int) -> None:
    for race in RACES:
        day = dt.date(year, race.month, min(race.day, 28))
        day += dt.timedelta(days=(6 - day.weekday()) % 7)  # races are on Sundays
        if day not in life.holiday and day not in life.sick:
            life.races[day] = race
