"""Every mirrored resource, declared once: its table, how sync lists it, how rows are made.

Sync, the store and the status answers read these declarations instead of branching on a
resource's name, so a new resource is one declaration here, a ``records`` function and a
schema migration. Plain data: the API client is passed in (this module is imported by the
read side, which never imports the client).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import records
from .errors import NotFoundError

ApiObject = dict[str, Any]
Row = dict[str, Any]
# (client, athlete id, oldest day, newest day) -> what the API lists for those days
ListDays = Callable[[Any, str, str, str], list[Any]]


@dataclass(frozen=True)
class Child:
    """A table holding parts of a resource's rows, deleted with them."""

    table: str
    parent_key: str  # the column holding the parent row's id
    # The child rows made from the parent's API object at save time (athlete id given);
    # None: fetched apart (an activity's intervals come from another endpoint).
    rows: Callable[[ApiObject, str], list[Row]] | None = None


@dataclass(frozen=True)
class Lookup:
    """How sync asks whether objects a window no longer lists still exist (moved days)."""

    fetch: Callable[[Any, str, list[str]], list[Any]]  # (client, athlete id, ids) -> objects
    per_request: int
    most: int | None = None  # more vanished than this: a calendar cleared, not looked up


@dataclass(frozen=True)
class Resource:
    """A resource sync lists by date windows; ``name`` is what ``--only`` and
    ``sync_state.resource`` use, and prefixes its ``sync_runs`` counts."""

    name: str
    table: str
    day_column: str  # the column holding the local day (YYYY-MM-DD)
    day_of: Callable[[ApiObject], str | None]  # the same day, from the API object
    window_days: int  # big enough for few requests, small enough for flat memory
    list_days: ListDays
    make_row: Callable[[ApiObject, str, str], Row]  # (object, athlete id, synced at)
    # Days listed past today: None is the configured ``future_days``.
    days_ahead: int | None = None
    # A cheap listing of the days with data, to find where history begins; None: list the
    # objects older than the probed resources' start instead.
    probe_days: ListDays | None = None
    empty_probe_means_nothing: bool = False  # the probe saw all of history: none to list
    lookup: Lookup | None = None
    children: tuple[Child, ...] = ()
    with_intervals: bool = False  # sync fetches the intervals of new and changed rows


@dataclass(frozen=True)
class WholeList:
    """A small resource listed in full on every run (settings, gear, definitions): the table
    then holds exactly what the API listed. ``table`` is also its name in ``sync_state``."""

    table: str
    # (client, athlete id, the athlete object just fetched) -> objects
    list_all: Callable[[Any, str, ApiObject], list[Any]]
    make_row: Callable[[ApiObject, str, str], Row]


def _events_that_exist(api: Any, athlete_id: str, ids: list[str]) -> list[Any]:
    found = []
    for event_id in ids:
        try:
            found.append(api.event(athlete_id, event_id))
        except NotFoundError:
            continue
    return found


# Tables of an activity's parts fetched apart from sync's lists (on demand, or streams_days).
ACTIVITY_PARTS = ("streams", "activity_messages", "activity_fetches")


def _start_day(obj: ApiObject) -> str | None:
    return records.local_day(obj.get("start_date_local"))


ACTIVITIES = Resource(
    name="activities", table="activities", day_column="date", day_of=_start_day,
    window_days=182,
    list_days=lambda api, athlete_id, oldest, newest: api.activities(athlete_id, oldest, newest),
    make_row=records.activity_row,
    days_ahead=2,  # slack for athletes ahead of their profile's time zone
    probe_days=lambda api, athlete_id, oldest, newest: api.activity_days(
        athlete_id, oldest, newest),
    empty_probe_means_nothing=True,
    lookup=Lookup(lambda api, athlete_id, ids: api.activities_with_intervals(athlete_id, ids),
                  per_request=50),
    # Everything kept about an activity goes with it: its intervals, its best-effort curves,
    # and the parts fetched apart from the lists (streams, messages, and what was fetched
    # when).
    children=(Child("intervals", "activity_id"), Child("interval_groups", "activity_id"),
              Child("activity_curves", "activity_id"), Child("curve_points", "activity_id"),
              *(Child(table, "activity_id") for table in ACTIVITY_PARTS)),
    with_intervals=True,
)

WELLNESS = Resource(
    name="wellness", table="wellness", day_column="id", day_of=lambda obj: str(obj["id"]),
    window_days=366,
    list_days=lambda api, athlete_id, oldest, newest: api.wellness(athlete_id, oldest, newest),
    make_row=records.wellness_row,
    probe_days=lambda api, athlete_id, oldest, newest: api.wellness_days(
        athlete_id, oldest, newest),
    children=(Child("wellness_custom", "date", rows=records.wellness_custom_rows),),
)

EVENTS = Resource(
    name="events", table="events", day_column="date", day_of=_start_day, window_days=366,
    list_days=lambda api, athlete_id, oldest, newest: api.events(athlete_id, oldest, newest),
    make_row=records.event_row,
    # One request per event, so only for a few.
    lookup=Lookup(_events_that_exist, per_request=1, most=20),
)


def _sport_settings(api: Any, athlete_id: str, athlete: ApiObject) -> list[Any]:
    """The athlete object carries them (``sportSettings``): no request of their own, unless
    it came without them."""
    listed = athlete.get("sportSettings")
    return listed if isinstance(listed, list) else api.sport_settings(athlete_id)


SPORT_SETTINGS = WholeList(
    table="sport_settings", list_all=_sport_settings, make_row=records.sport_settings_row)

# The list endpoint, not the athlete's ``custom_items``: it is what the live-API tools read.
CUSTOM_ITEMS = WholeList(
    table="custom_items",
    list_all=lambda api, athlete_id, athlete: api.custom_items(athlete_id),
    make_row=records.custom_item_row,
)

GEAR = WholeList(
    table="gear",
    list_all=lambda api, athlete_id, athlete: api.gear(athlete_id),
    make_row=records.gear_row,
)

# -- per-activity best-effort curves ---------------------------------------------------------


@dataclass(frozen=True)
class CurveKind:
    """One per-activity best-effort endpoint (``/athlete/{id}/activity-<kind>-curves``): what
    sync asks it for, and where each activity's values sit in its answer."""

    name: str  # power | hr | pace: ``activity_curves.kind``
    path: str  # after /athlete/{id}/
    points_key: str  # secs | distances: the query parameter and the payload's list
    values_key: str  # watts | bpm | secs: each activity's values, parallel to the points
    points: tuple[float, ...]  # the durations (s) or distances (m) sync asks for
    higher_is_better: bool  # power and heart rate: the highest; pace: the shortest time


# Durations (s) and distances (m) mirrored for every activity: the tools answer for these.
CURVE_SECS: tuple[float, ...] = (
    1, 2, 3, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 300, 360, 480, 600, 720, 900,
    1200, 1500, 1800, 2400, 2700, 3600, 5400, 7200, 10800, 14400, 18000, 21600)
PACE_DISTANCES: tuple[float, ...] = (
    50, 100, 200, 400, 500, 800, 1000, 1500, 1609.34, 2000, 3000, 5000, 10000, 15000,
    20000, 21097.5, 30000, 42195)
POWER_CURVES = CurveKind("power", "activity-power-curves", "secs", "watts", CURVE_SECS, True)
HR_CURVES = CurveKind("hr", "activity-hr-curves", "secs", "bpm", CURVE_SECS, True)
PACE_CURVES = CurveKind("pace", "activity-pace-curves", "distances", "secs", PACE_DISTANCES,
                        False)
CURVE_KINDS: tuple[CurveKind, ...] = (POWER_CURVES, HR_CURVES, PACE_CURVES)
CURVES_BY_NAME = {kind.name: kind for kind in CURVE_KINDS}
# One request per kind covers at most this many days of activities whose curves are due:
# an activity's curves are a few hundred bytes, so a year is still a small answer.
CURVE_RANGE_DAYS = 366

ATHLETE_TABLE = "athlete"  # listed first on every run: it says whose data this is
DATED: tuple[Resource, ...] = (ACTIVITIES, WELLNESS, EVENTS)
WHOLE_LISTS: tuple[WholeList, ...] = (SPORT_SETTINGS, CUSTOM_ITEMS, GEAR)
WHOLE_BY_TABLE = {whole.table: whole for whole in WHOLE_LISTS}

RESOURCES = tuple(resource.name for resource in DATED)
MIRRORED_TABLES = (
    *(table for r in DATED for table in (r.table, *(child.table for child in r.children))),
    ATHLETE_TABLE,
    *(whole.table for whole in WHOLE_LISTS),
)
BY_NAME = {resource.name: resource for resource in DATED}
BY_TABLE = {resource.table: resource for resource in DATED}
