"""Dates and times as the API writes them (Europe/Berlin wall clock), and a dataset's span."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

TIMEZONE = "Europe/Berlin"


def _last_sunday(year: int, month: int) -> dt.date:
    d = dt.date(year, month + 1, 1) - dt.timedelta(days=1) if month < 12 else dt.date(year, 12, 31)
    return d - dt.timedelta(days=(d.weekday() + 1) % 7)


def berlin_utc_offset(local: dt.datetime) -> dt.timedelta:
    """Europe/Berlin's offset for a local wall-clock time (EU DST rule; no tzdata needed)."""
    start = dt.datetime.combine(_last_sunday(local.year, 3), dt.time(2))
    stop = dt.datetime.combine(_last_sunday(local.year, 10), dt.time(3))
    return dt.timedelta(hours=2 if start <= local < stop else 1)


def athlete_today() -> dt.date:
    """Today on the athlete's wall clock, which dates their data (and the store's "today"),
    whatever the machine's own time zone: the two differ for hours every day."""
    utc = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return (utc + berlin_utc_offset(utc + dt.timedelta(hours=1))).date()


def local_to_utc(local: dt.datetime) -> dt.datetime:
    return local - berlin_utc_offset(local)


def fmt_local(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S")


def fmt_utc_z(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def fmt_instant(t: dt.datetime) -> str:
    """Audit timestamps as the API writes them: millis and ``+00:00``."""
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}+00:00"


def to_day(value: dt.date | str) -> dt.date:
    """A date from a date, a datetime or an ISO string (the fake API passes all three)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def midnight(day: dt.date) -> str:
    """A calendar day as events write it: local midnight, no offset."""
    return f"{day.isoformat()}T00:00:00"


def winter(day: dt.date) -> bool:
    """The months when rides move indoors and temperatures drop."""
    return day.month in (11, 12, 1, 2, 3)


@dataclass(frozen=True)
class Span:
    """The days one dataset covers, and the tag its random streams are seeded from."""

    tag: str
    start: dt.date  # the first day of history
    end: dt.date  # "today": the last day of history
    horizon: dt.date  # the last day of the calendar

    def stream(self, name: str = "") -> random.Random:
        """The random stream of one stage; the unnamed one drives the training history."""
        return random.Random(f"{self.tag}:{name}" if name else self.tag)
