"""The athlete's gear as ``GET /athlete/{id}/gear`` lists it, totalled from the activities
that carry each item (``gear.id``), with service reminders, a component and a retired item.

Keys in the spec's order (Gear, GearReminder); distances in metres, times in seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from .athlete import BIKES, SHOES
from .clock import Span, to_day
from .shapes import Obj

GEAR_KEYS = ("id", "athlete_id", "type", "name", "purchased", "notes", "distance", "time",
             "activities", "use_elapsed_time", "retired", "component_ids", "reminders",
             "activity_filters", "component")
REMINDER_KEYS = ("id", "gear_id", "name", "distance", "time", "activities", "days",
                 "last_reset", "starting_distance", "starting_time", "starting_activities",
                 "snoozed_until", "percent_used", "distance_used", "time_used",
                 "activities_used", "days_used")
CHAIN_ID = "c500001"
OLD_SHOES_ID = "g455119"
# The road bike changes on this day of the history (demo/activity_fields.py picks it).
NEW_BIKE_AFTER_DAYS = 800


def road_bike(span: Span) -> str:
    """The road bike in use at the end of the history: the Canyon once it has come."""
    switch = span.start + dt.timedelta(days=NEW_BIKE_AFTER_DAYS)
    return BIKES[1][0] if switch <= span.end else BIKES[0][0]


def gear_list(athlete_id: str, activities: Iterable[Obj], span: Span) -> list[Obj]:
    """Every item in use by the end of the history, oldest purchase first."""
    rides: dict[str, list[Obj]] = {}
    for activity in activities:
        gear = activity.get("gear")
        if isinstance(gear, dict) and gear.get("id"):
            rides.setdefault(str(gear["id"]), []).append(activity)
    switch = span.start + dt.timedelta(days=NEW_BIKE_AFTER_DAYS)
    chain_from = max(span.start, span.end - dt.timedelta(days=200))
    trainer, (old_bike, new_bike) = BIKES[2], BIKES[:2]
    items = [
        gear_item(athlete_id, OLD_SHOES_ID, "Shoes", "Pegasus 39", span.start - dt.timedelta(400),
              [], starting=742_000.0, retired=span.start - dt.timedelta(days=1),
              notes="Worn out before this history began"),
        gear_item(athlete_id, old_bike[0], "Bike", old_bike[1], span.start - dt.timedelta(500),
              rides.get(old_bike[0], []), starting=3_200_000.0,
              retired=switch if switch <= span.end else None,
              notes="Sold when the Canyon came" if switch <= span.end else None),
        gear_item(athlete_id, trainer[0], "Bike", trainer[1], span.start - dt.timedelta(200),
              rides.get(trainer[0], []), notes="Kickr Core, Zwift",
              component_ids=[CHAIN_ID],
              reminders=[_reminder(9101, trainer[0], "Clean the drivetrain", span,
                                   rides.get(trainer[0], []), days=90,
                                   last_reset=span.end - dt.timedelta(days=100))]),
        gear_item(athlete_id, CHAIN_ID, "Chain", "KMC X11 chain", chain_from,
              [a for a in rides.get(trainer[0], []) if to_day(a["start_date_local"]) >= chain_from],
              component=True,
              reminders=[_reminder(9102, CHAIN_ID, "Replace chain", span,
                                   rides.get(trainer[0], []), distance=3_000_000.0,
                                   last_reset=chain_from)]),
        *_shoes(athlete_id, span, rides),
    ]
    if switch <= span.end:
        items.append(gear_item(athlete_id, new_bike[0], "Bike", new_bike[1], switch,
                           rides.get(new_bike[0], []),
                           reminders=[_reminder(9103, new_bike[0], "Full service", span,
                                                rides.get(new_bike[0], []), days=365,
                                                last_reset=switch)]))
    return sorted(items, key=lambda g: (g["purchased"], g["id"]))


def _shoes(athlete_id: str, span: Span, rides: dict[str, list[Obj]]) -> list[Obj]:
    """Road shoes whose reminder was reset some months ago, trail shoes counted from new."""
    road, trail = SHOES
    reset = max(span.start, span.end - dt.timedelta(days=120))
    return [
        gear_item(athlete_id, gid, "Shoes", name, span.start - dt.timedelta(days=20),
              rides.get(gid, []),
              reminders=[_reminder(reminder_id, gid, "Replace shoes", span, rides.get(gid, []),
                                   distance=limit, last_reset=last_reset)])
        for reminder_id, (gid, name), limit, last_reset in (
            (9104, road, 800_000.0, reset), (9105, trail, 700_000.0, None))
    ]


def gear_item(athlete_id: str, gid: str, kind: str, name: str, purchased: dt.date,
          used: list[Obj], *, starting: float = 0.0, retired: dt.date | None = None,
          notes: str | None = None, component: bool = False,
          component_ids: list[str] | None = None, reminders: list[Obj] | None = None) -> Obj:
    """One item in the Gear schema's key order, totalled from the activities ``used``."""
    item: Obj = dict.fromkeys(GEAR_KEYS)
    item.update({
        "id": gid, "athlete_id": athlete_id, "type": kind, "name": name,
        "purchased": purchased.isoformat(), "notes": notes,
        "distance": round(starting + _total(used, "distance"), 1),
        "time": float(_total(used, "moving_time")),
        "activities": len(used), "use_elapsed_time": False,
        "retired": retired.isoformat() if retired else None,
        "component_ids": component_ids or [], "reminders": reminders or [],
        "activity_filters": None, "component": component,
    })
    return item


def _reminder(rid: int, gid: str, name: str, span: Span, used: list[Obj], *,
              distance: float | None = None, days: int | None = None,
              last_reset: dt.date | None = None) -> Obj:
    """A service reminder, with what has been used since it was last reset."""
    since = [a for a in used
             if last_reset is None or to_day(a["start_date_local"]) >= last_reset]
    reminder: Obj = dict.fromkeys(REMINDER_KEYS)
    distance_used = round(_total(since, "distance"), 1)
    days_used = (span.end - last_reset).days if last_reset else None
    percent = (100 * distance_used / distance if distance
               else 100 * days_used / days if days and days_used is not None else None)
    reminder.update({
        "id": rid, "gear_id": gid, "name": name, "distance": distance, "days": days,
        "last_reset": f"{last_reset.isoformat()}T00:00:00Z" if last_reset else None,
        "starting_distance": 0.0, "starting_time": 0.0, "starting_activities": 0,
        "percent_used": round(percent, 1) if percent is not None else None,
        "distance_used": distance_used, "time_used": float(_total(since, "moving_time")),
        "activities_used": len(since), "days_used": days_used,
    })
    return reminder


def _total(activities: list[Obj], key: str) -> Any:
    return sum(a.get(key) or 0 for a in activities)
