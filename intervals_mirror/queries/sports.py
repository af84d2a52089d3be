"""The sport an ``activity_type`` stands for in this store: its family as the athlete's sport
settings and Intervals.icu group it (``sports.resolve``), the types the store holds."""

from __future__ import annotations

from .. import validate
from ..sports import Sport, resolve
from ..store import Store


def held_types(store: Store) -> list[str]:
    """The activity types in the store, most activities first."""
    return [t for (t,) in store.db.conn.execute(
        "SELECT type FROM activities WHERE type IS NOT NULL GROUP BY type "
        "ORDER BY count(*) DESC, type")]


def settings_groups(store: Store) -> list[list[str]]:
    """The athlete's sport settings groups, as ordered types (``Ride,VirtualRide,...``)."""
    return [types.split(",") for (types,) in store.db.conn.execute(
        "SELECT types FROM sport_settings WHERE types IS NOT NULL AND types != '' "
        "ORDER BY rowid")]


def sport(store: Store, activity_type: object, *, exact: bool = False,
          name: str = "activity_type") -> Sport | None:
    """The checked ``activity_type`` (None: every sport), or a tool error naming ``name``."""
    asked = validate.activity_type(activity_type, name)
    if asked is None:
        return None
    return resolve(asked, held_types(store), settings_groups(store), exact=exact, name=name)
