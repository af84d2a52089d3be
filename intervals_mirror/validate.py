"""Checks on tool and command parameters, shared by every read-side front-end.

Each check either returns the clean value or raises ``QueryError`` with a message that names
the parameter and the expected form ("start_date: expected a date YYYY-MM-DD, got
'2026-13-01'"), so the model (or user) can correct the call. No MCP here: the server
translates ``QueryError`` into a tool error at its edge.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import QueryError, shown

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Ids are 64-bit numbers upstream: at most 19 digits, so a longer one is a mistake, refused
# before anything turns it into an int (Python will not convert more than 4,300 digits).
_ACTIVITY_ID_RE = re.compile(r"^(i\d{1,19}|\d{1,19})$")
_EVENT_ID_RE = re.compile(r"^\d{1,19}$")
MAX_ACTIVITY_TYPE = 100


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of local days, start <= end."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def iso(self) -> tuple[str, str]:
        return self.start.isoformat(), self.end.isoformat()


def today_in(timezone: str | None) -> dt.date:
    """Today where the athlete lives: the store's dates are the athlete's local dates."""
    try:
        zone = zoneinfo.ZoneInfo(timezone) if timezone else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = None
    return dt.datetime.now(zone or dt.UTC).date()


def parse_date(name: str, value: Any) -> dt.date:
    """A strict ``YYYY-MM-DD`` (fromisoformat alone would also take 20260101 or 2026-W01-1)."""
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and _DATE_RE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise QueryError(f"{name}: expected a date YYYY-MM-DD, got {shown(value)}")


def date_range(
    start: str | None,
    end: str | None,
    *,
    today: dt.date,
    default_days_back: int,
    default_days_ahead: int = 0,
    start_name: str = "start_date",
    end_name: str = "end_date",
) -> DateRange:
    """Both ends parsed; a missing end (or start) is filled in with the default span.

    With neither, the range is the last ``default_days_back`` days up to
    ``default_days_ahead`` days ahead of ``today``. With only a start, it is that day plus the
    default span ("from 2026-12-01"); with only an end, the span before it ("up to
    2024-03-01"). Ranges stop at the calendar's ends (0001-01-01, 9999-12-31).
    """
    span = default_days_back + default_days_ahead
    first = parse_date(start_name, start) if start not in (None, "") else None
    last = parse_date(end_name, end) if end not in (None, "") else None
    if first is None:
        first = _shift(today, -default_days_back) if last is None else _shift(last, -span)
        last = last or _shift(today, default_days_ahead)
    elif last is None:
        last = _shift(first, span)
    if last < first:
        raise QueryError(
            f"{end_name}: expected a date on or after {start_name} ({first.isoformat()}), "
            f"got {last.isoformat()!r}")
    return DateRange(first, last)


def _shift(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days``, stopping at the first and last dates there are."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def limit(name: str, value: int, *, maximum: int) -> tuple[int, bool]:
    """A row limit of at least 1; above ``maximum`` it is capped (and the caller says so)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise QueryError(f"{name}: expected a whole number from 1 to {maximum}, "
                         f"got {shown(value)}")
    return (maximum, True) if value > maximum else (value, False)


def activity_id(value: Any, name: str = "activity_id") -> str:
    """An Intervals.icu activity id (i12345678) or a Strava-imported one (a plain number)."""
    text = _id_text(value)
    text = "i" + text[1:] if text[:1] == "I" else text  # as typed from a URL or by hand
    if not _ACTIVITY_ID_RE.match(text):
        raise QueryError(
            f"{name}: expected an activity id like i12345678 (or the number of a "
            f"Strava-imported activity), got {shown(value)}")
    return text


def event_id(value: Any, name: str = "event_id") -> str:
    text = _id_text(value)
    if not _EVENT_ID_RE.match(text):
        raise QueryError(f"{name}: expected a numeric event id like 41234567, "
                         f"got {shown(value)}")
    return text


def _id_text(value: Any) -> str:
    """An id as text; "" (refused by the caller) for anything that cannot be one."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return ""
    if isinstance(value, int):
        return str(value) if value.bit_length() <= 64 else ""
    return value.strip() if len(value) <= 40 else ""


def text(name: str, value: Any, max_len: int) -> str | None:
    """Free text (a sport, a name, an SQL statement) up to ``max_len`` characters; None and
    "" mean "not given"."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise QueryError(f"{name}: expected text, got {shown(value)}")
    if len(value) > max_len:
        raise QueryError(f"{name}: expected at most {max_len:,} characters, "
                         f"got {shown(value, 40)}")
    return value.strip() or None


def activity_type(value: Any, name: str = "activity_type") -> str | None:
    """A sport as Intervals.icu names it (Ride, Run, VirtualRide, NordicSki...)."""
    return text(name, value, MAX_ACTIVITY_TYPE)


def choices(
    name: str, value: str | Sequence[str] | None, allowed: Sequence[str], *,
    aliases: dict[str, Sequence[str]] | None = None,
) -> tuple[str, ...] | None:
    """A comma list (or list) of names from ``allowed``, case-insensitive; None means all."""
    if value is None:
        return None
    items: Iterable[str] = value.split(",") if isinstance(value, str) else value
    picked: list[str] = []
    aliases = aliases or {}
    for item in items:
        key = str(item).strip().upper()
        if not key:
            continue
        if key in aliases:
            picked.extend(aliases[key])
        elif key in {a.upper() for a in allowed}:
            picked.append(next(a for a in allowed if a.upper() == key))
        else:
            expected = ", ".join([*allowed, *aliases])
            raise QueryError(f"{name}: unknown value {shown(str(item).strip())}; expected "
                             f"one or more of {expected}")
    if not picked:
        raise QueryError(f"{name}: expected one or more of {', '.join(allowed)}, "
                         f"got {shown(value)}")
    return tuple(dict.fromkeys(picked))


def athlete_id(value: str | int | None, mirrored: Sequence[str]) -> None:
    """The live-API servers take ``athlete_id``; here it must name the mirrored athlete.

    ``0`` means "the key's own athlete", as in the API; ``104233`` and ``i104233`` match.
    """
    if value is None:
        return
    given = _id_text(value) if isinstance(value, int) else str(value).strip()
    if given == "0" or (given == "" and not isinstance(value, int)):
        return  # an int too long for any id gave "": refused below
    known = {m for m in mirrored if m}
    if given.lower().lstrip("i") in {m.lower().lstrip("i") for m in known}:
        return
    holds = ", ".join(sorted(known)) or "no athlete yet (never synced)"
    raise QueryError(f"athlete_id: this mirror holds {holds}; expected that id (or 0), "
                     f"got {shown(value)}")


# -- arguments the tool schemas refused (pydantic), in the same words -----------------------

_EXPECTED: dict[str, str] = {  # pydantic error type -> what was expected ({...}: its ctx)
    "greater_than_equal": "{ge} or more", "greater_than": "more than {gt}",
    "less_than_equal": "{le} or less", "less_than": "less than {lt}",
    "multiple_of": "a multiple of {multiple_of}",
    "int_type": "a whole number", "int_parsing": "a whole number",
    "int_from_float": "a whole number", "float_type": "a number", "float_parsing": "a number",
    "finite_number": "a finite number", "bool_type": "true or false",
    "bool_parsing": "true or false", "string_type": "text",
    "string_too_short": "at least {min_length} characters",
    "string_too_long": "at most {max_length} characters",
    "list_type": "a list", "too_short": "at least {min_length} items",
    "too_long": "at most {max_length} items", "literal_error": "one of {expected}",
    "enum": "one of {expected}", "dict_type": "an object", "model_type": "an object",
    "date_type": "a date YYYY-MM-DD", "date_parsing": "a date YYYY-MM-DD",
    "date_from_datetime_parsing": "a date YYYY-MM-DD", "none_required": "null",
}


def argument_problems(errors: Iterable[Mapping[str, Any]]) -> str:
    """Pydantic's errors for a tool's arguments as "param: expected ..., got ..." (the form
    of every other check here), one per parameter; a union's members are joined with "or"."""
    expected: dict[str, list[str]] = {}
    got: dict[str, str] = {}
    for err in errors:
        name = str(err["loc"][0]) if err.get("loc") else "arguments"
        if err["type"] == "missing":
            what, given = "a value (it is required)", "none"
        else:
            ctx = {k: f"{v:g}" if isinstance(v, float) else v  # a bound of 0, not 0.0
                   for k, v in (err.get("ctx") or {}).items()}
            what = _EXPECTED.get(err["type"], "").format(**ctx)
            what = what or str(err["msg"]).removeprefix("Input should be ")  # pydantic's words
            given = shown(err.get("input"))
        whats = expected.setdefault(name, [])
        if what not in whats:
            whats.append(what)
        got.setdefault(name, given)
    return "; ".join(f"{name}: expected {' or '.join(whats)}, got {got[name]}"
                     for name, whats in expected.items())
