"""Zone models: what Z1, Z2, ... mean in watts, bpm or pace, so time in zones can be read.

Names come from the athlete's sport settings. Bounds come from the zones an activity was
analysed with (its own ``icu_power_zones`` with its FTP then, ``icu_hr_zones``, ``pace_zones``
with its threshold pace), since those are what its zone times were counted with; for a period,
from the sport settings, else from the newest activity that carries them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ..store import Store
from .athlete import SportSettings, Zone, settings_for, zones_of

# kind -> (the activity's zone bounds, its threshold the % bounds refer to, the threshold
# a second threshold is read against)
ACTIVITY_ZONES = {"power": ("icu_power_zones", "icu_ftp", "icu_ftp"),
                  "hr": ("icu_hr_zones", None, "lthr"),
                  "pace": ("pace_zones", "threshold_pace", "threshold_pace")}
KIND_OF = {"power": "power", "hr": "hr", "pace": "pace", "gap": "pace"}  # GAP: pace zones


@dataclass(frozen=True)
class ZoneModel:
    kind: str  # power, hr, pace
    zones: list[Zone]
    threshold: float | None  # FTP (W), LTHR (bpm), threshold pace (m/s)
    source: str  # where the bounds come from, as the answer says it
    sport: str | None  # the sport whose pace units apply (Run: /km, Swim: /100 m)
    pace_units: str | None

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``answers`` (zones as dicts: number, name, low, high, upper)."""
        return {"kind": self.kind, "source": self.source, "threshold": self.threshold,
                "sport": self.sport, "pace_units": self.pace_units,
                "zones": [asdict(z) for z in self.zones]}


def settings_model(store: Store, sport: str | None, kind: str) -> ZoneModel | None:
    """The zones a sport's settings define (None: no settings, or none of this kind)."""
    return _model_of(settings_for(store, sport), kind)


def _model_of(found: SportSettings | None, kind: str) -> ZoneModel | None:
    kind = KIND_OF[kind]
    if found is None or not found.zones.get(kind):
        return None
    return ZoneModel(kind, found.zones[kind], _threshold(found, kind),
                     f"the {found.sport} settings", found.sport, found.pace_units)


def activity_model(raw: dict[str, Any], kind: str, names: Sequence[str | None] = (),
                   settings: SportSettings | None = None) -> ZoneModel | None:
    """The zones one activity was analysed with; ``names`` from the sport settings."""
    kind = KIND_OF[kind]
    bounds, base, threshold = ACTIVITY_ZONES[kind]
    zones = zones_of({f"{kind}_zones": json.dumps(raw.get(bounds)),
                      f"{kind}_zone_names": json.dumps(list(names)),
                      "ftp": raw.get("icu_ftp"), "threshold_pace": raw.get("threshold_pace")},
                     kind)
    if not zones:
        return None
    value = raw.get(threshold)
    sport = raw.get("type")
    return ZoneModel(kind, zones, float(value) if _number(value) else None,
                     "its zones then", settings.sport if settings else sport,
                     settings.pace_units if settings else None)


def latest_activity_model(store: Store, types: Sequence[str] | None, end: str, kind: str
                          ) -> ZoneModel | None:
    """The zones of the newest activity (of these types) up to ``end`` that carries them."""
    key = ACTIVITY_ZONES[KIND_OF[kind]][0]
    where = ["date <= ?", "is_stub = 0", f"json_extract(raw, '$.{key}') IS NOT NULL"]
    params: list[Any] = [end]
    if types is not None:
        where.append(f"type IN ({','.join('?' * len(types))})")
        params += types
    row = store.db.conn.execute(
        f"SELECT raw FROM activities WHERE {' AND '.join(where)} "
        "ORDER BY date DESC, start_date_local DESC LIMIT 1", params).fetchone()
    if row is None:
        return None
    raw = json.loads(row[0])
    settings = settings_for(store, raw.get("type"))
    names = [z.name for z in settings.zones.get(KIND_OF[kind], [])] if settings else []
    model = activity_model(raw, kind, names, settings)
    if model is None:
        return None
    return ZoneModel(model.kind, model.zones, model.threshold,
                     f"the zones of {raw.get('id')} ({str(raw.get('start_date_local'))[:10]})",
                     model.sport, model.pace_units)


def period_model(store: Store, sport: str | None, types: Sequence[str] | None, end: str,
                 kind: str) -> ZoneModel | None:
    """The zones a period's answer reads with: the sport's settings, else the newest
    activity's own."""
    return (settings_model(store, sport, kind)
            or latest_activity_model(store, types, end, kind))


# kind -> the activity's seconds per zone: power's [{"id": "Z1", "secs": 310}, ..., "SS"],
# the others [310, ...] by zone number
ZONE_TIMES = {"power": "icu_zone_times", "hr": "icu_hr_zone_times", "pace": "pace_zone_times",
              "gap": "gap_zone_times"}


def time_in_zones(store: Store, raw: dict[str, Any]) -> list[dict[str, Any]]:
    """One activity's time in zones, per kind it has: {"kind", "times": [{"zone", "secs"}],
    "model"} with the zones it was analysed with (names from the sport settings)."""
    settings = settings_for(store, raw.get("type"))
    found = []
    for kind, key in ZONE_TIMES.items():
        times = _times(raw.get(key))
        if not any(t["secs"] for t in times):
            continue
        names = [z.name for z in settings.zones.get(KIND_OF[kind], [])] if settings else []
        model = activity_model(raw, kind, names, settings) or _model_of(settings, kind)
        found.append({"kind": kind, "times": times,
                      "model": model.as_dict() if model else None})
    return found


def _times(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    times = []
    for n, item in enumerate(value, start=1):
        if isinstance(item, dict) and _number(item.get("secs")):
            times.append({"zone": str(item.get("id") or f"Z{n}"), "secs": item["secs"]})
        elif _number(item):
            times.append({"zone": f"Z{n}", "secs": item})
    return times


def _threshold(settings: SportSettings, kind: str) -> float | None:
    value = {"power": settings.ftp, "hr": settings.lthr, "pace": settings.threshold_pace}[kind]
    return float(value) if _number(value) else None


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
