"""The athlete's profile and sport settings: thresholds, and zones with their bounds in watts,
bpm and m/s, so any answer can say what a zone number means for this athlete.

The API keeps zones as upper bounds: power in % of FTP, heart rate in bpm, pace in % of
threshold pace (as a speed: faster is higher); 999 means the last zone has no upper bound.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..store import Store
from .common import dicts

OPEN_BOUND = 999  # the API's "no upper bound" on the last power and pace zone
ZONE_KINDS = ("power", "hr", "pace")


@dataclass(frozen=True)
class Zone:
    """One zone: ``low`` is the previous zone's upper bound (None for zone 1), ``high`` its
    own (None when open); watts, bpm or m/s. ``upper`` is the API's bound as it stores it."""

    number: int
    name: str | None
    low: float | None
    high: float | None
    upper: float


@dataclass(frozen=True)
class SportSettings:
    id: str
    types: list[str]
    ftp: float | None
    indoor_ftp: float | None
    w_prime: float | None
    p_max: float | None
    lthr: float | None
    max_hr: float | None
    threshold_pace: float | None  # m/s
    pace_units: str | None
    default_gear: str | None  # its name, else its id
    zones: dict[str, list[Zone]] = field(default_factory=dict)  # kind -> zones

    @property
    def sport(self) -> str:
        return self.types[0] if self.types else "Other"


def profile(store: Store) -> dict[str, Any] | None:
    """The athlete object as the API sent it (name, weight, time zone, ...)."""
    row = store.db.conn.execute("SELECT raw FROM athlete LIMIT 1").fetchone()
    return json.loads(row[0]) if row else None


def sport_settings(store: Store) -> list[SportSettings]:
    """Every group of sports, in the athlete's order (the API's)."""
    gear = dict(store.db.conn.execute("SELECT id, name FROM gear"))
    found = []
    for row in dicts(store.db.conn.execute("SELECT * FROM sport_settings ORDER BY rowid")):
        found.append(SportSettings(
            id=row["id"], types=(row["types"] or "").split(",") if row["types"] else [],
            ftp=row["ftp"], indoor_ftp=row["indoor_ftp"], w_prime=row["w_prime"],
            p_max=row["p_max"], lthr=row["lthr"], max_hr=row["max_hr"],
            threshold_pace=row["threshold_pace"], pace_units=row["pace_units"],
            default_gear=(gear.get(row["default_gear_id"]) or row["default_gear_id"]),
            zones={kind: zones_of(row, kind) for kind in ZONE_KINDS}))
    return found


def settings_for(store: Store, sport: str | None) -> SportSettings | None:
    """The settings that cover a sport (Ride, VirtualRide, Run ...), as Intervals.icu picks
    them for an activity of that sport."""
    if not sport:
        return None
    wanted = sport.lower()
    return next((s for s in sport_settings(store)
                 if wanted in (t.lower() for t in s.types)), None)


def zone_names(store: Store, sport: str | None, kind: str = "power") -> dict[int, str]:
    """zone number -> the athlete's name for it, for one sport (explains "zone 3")."""
    found = settings_for(store, sport)
    zones = found.zones.get(kind, []) if found else []
    return {z.number: z.name for z in zones if z.name}


def latest_eftp(store: Store, types: list[str], today: str) -> tuple[float, str] | None:
    """(eFTP in W, day): the newest estimate wellness carries (``sportInfo``) for these sports
    up to ``today``; future days are projections without one."""
    if not types:
        return None
    marks = ",".join("?" * len(types))
    row = store.db.conn.execute(
        "SELECT json_extract(info.value, '$.eftp'), w.id FROM wellness AS w, "
        "json_each(w.raw, '$.sportInfo') AS info "
        f"WHERE w.id <= ? AND json_extract(info.value, '$.type') IN ({marks}) "
        "AND json_extract(info.value, '$.eftp') IS NOT NULL "
        "ORDER BY w.id DESC LIMIT 1", (today, *types)).fetchone()
    return (float(row[0]), row[1]) if row else None


def zones_of(row: dict[str, Any], kind: str) -> list[Zone]:
    """The zones of a sport settings row (``<kind>_zones``, ``<kind>_zone_names``, ``ftp``,
    ``threshold_pace``). Heart-rate bounds are bpm already; power and pace ones are % of FTP
    and threshold pace, so without that threshold they have no bounds to show."""
    uppers = _numbers(row[f"{kind}_zones"])
    names = _json_list(row[f"{kind}_zone_names"])
    base = {"power": row["ftp"], "pace": row["threshold_pace"]}.get(kind)
    if not uppers or (kind != "hr" and not isinstance(base, (int, float))):
        return []
    zones, low = [], None
    for number, upper in enumerate(uppers, start=1):
        if kind == "hr":
            high: float | None = upper
        else:
            high = None if upper >= OPEN_BOUND else float(base) * upper / 100  # type: ignore[arg-type]
        name = names[number - 1] if number <= len(names) else None
        zones.append(Zone(number, str(name) if name else None, low, high, upper))
        low = high
    return zones


def _json_list(text: str | None) -> list[Any]:
    try:
        value = json.loads(text) if text else []
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _numbers(text: str | None) -> list[float]:
    return [float(v) for v in _json_list(text)
            if isinstance(v, (int, float)) and not isinstance(v, bool)]
