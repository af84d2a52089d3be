"""Lookups of an activity's kept streams and comments, and of what was fetched when."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import stream_codec
from ..activity_parts import Fetch, last_fetch
from ..store import Store
from .athlete import OPEN_BOUND, settings_for
from .common import dicts

__all__ = ["Fetch", "KeptStream", "Zones", "activity_head", "activity_messages",
           "activity_zones", "custom_stream_codes", "kept_streams", "last_fetch"]


@dataclass(frozen=True)
class KeptStream:
    type: str
    data: list[Any]  # the samples (nulls where the API sent null)
    data2: list[Any] | None  # latlng: the longitudes
    raw: dict[str, Any]  # the rest of the API's object (name, anomalies, custom, ...)
    fetched_at: str


@dataclass(frozen=True)
class Zones:
    """The zones a stream's time in zones uses: each zone's top (watts or bpm; the last one
    unbounded), where they come from, and the athlete's names for them."""

    uppers: list[float]
    source: str
    names: dict[int, str] = field(default_factory=dict)


def activity_head(store: Store, activity_id: str) -> dict[str, Any] | None:
    """What the answers about an activity's parts need of it: name, sport, day, version,
    and the thresholds its zones were analysed with."""
    rows = dicts(store.db.conn.execute(
        "SELECT id, type, name, date, start_date_local, is_stub, fingerprint, moving_time, "
        "ftp, json_extract(raw, '$.icu_power_zones') AS power_zones, "
        "json_extract(raw, '$.icu_hr_zones') AS hr_zones, "
        "json_extract(raw, '$.stream_types') AS stream_types "
        "FROM activities WHERE id = ?", (activity_id,)))
    if not rows:
        return None
    row = rows[0]
    for key in ("power_zones", "hr_zones", "stream_types"):
        value = json.loads(row[key]) if isinstance(row[key], str) else None
        row[key] = value if isinstance(value, list) else None
    return row


def kept_streams(store: Store, activity_id: str, types: Sequence[str]) -> list[KeptStream]:
    """The kept streams of these types, decoded, in the order asked."""
    found = {}
    for stream_type, data, data2, raw, fetched_at in store.db.conn.execute(
            f"SELECT type, data, data2, raw, fetched_at FROM streams WHERE activity_id = ? "
            f"AND type IN ({','.join('?' * len(types))})", (activity_id, *types)):
        found[stream_type] = KeptStream(stream_type, stream_codec.decode(data) or [],
                                        stream_codec.decode(data2), json.loads(raw),
                                        fetched_at)
    return [found[t] for t in types if t in found]


def activity_zones(store: Store, head: dict[str, Any]) -> dict[str, Zones]:
    """Power and heart-rate zones for an activity's streams: those it was analysed with (its
    FTP and icu_power_zones, its icu_hr_zones), else the sport settings of its sport; named
    as in the sport settings."""
    settings = settings_for(store, head.get("type"))
    names = {kind: {z.number: z.name for z in settings.zones.get(kind, []) if z.name}
             for kind in ("power", "hr")} if settings else {"power": {}, "hr": {}}
    found: dict[str, Zones] = {}
    ftp, percents = head.get("ftp"), _numbers(head.get("power_zones"))
    if ftp and percents:
        found["watts"] = Zones([math.inf if p >= OPEN_BOUND else ftp * p / 100
                                for p in percents],
                               f"FTP {round(ftp)} W, the activity's power zones",
                               names["power"])
    elif settings and settings.zones.get("power") and settings.ftp:
        found["watts"] = Zones(_tops(settings.zones["power"]),
                               f"FTP {round(settings.ftp)} W, the {settings.sport} sport "
                               "settings' power zones", names["power"])
    if _numbers(head.get("hr_zones")):
        found["heartrate"] = Zones(_numbers(head.get("hr_zones")),
                                   "the activity's heart rate zones", names["hr"])
    elif settings and settings.zones.get("hr"):
        found["heartrate"] = Zones(_tops(settings.zones["hr"]),
                                   f"the {settings.sport} sport settings' heart rate zones",
                                   names["hr"])
    return found


def custom_stream_codes(store: Store) -> list[str]:
    """The codes of the athlete's own stream types (custom items of type ACTIVITY_STREAM)."""
    return [code for (code,) in store.db.conn.execute(
        "SELECT code FROM custom_items WHERE type = 'ACTIVITY_STREAM' "
        "AND code IS NOT NULL ORDER BY code")]


def activity_messages(store: Store, activity_id: str) -> list[dict[str, Any]]:
    """The kept comments on an activity, oldest first."""
    return dicts(store.db.conn.execute(
        "SELECT id, author, author_id, created, type, content, deleted, fetched_at "
        "FROM activity_messages WHERE activity_id = ? ORDER BY created, id", (activity_id,)))


def _tops(zones: Sequence[Any]) -> list[float]:
    return [z.high if z.high is not None else math.inf for z in zones]


def _numbers(value: Any) -> list[float]:
    if not isinstance(value, list):
        return []
    return [float(v) for v in value if isinstance(v, (int, float)) and not isinstance(v, bool)]
