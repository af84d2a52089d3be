"""Lookups of an activity's kept streams and comments, and of what was fetched when."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .. import stream_codec
from ..activity_parts import Fetch, last_fetch
from ..store import Store
from .common import dicts

__all__ = ["Fetch", "KeptStream", "activity_head", "activity_messages", "custom_stream_codes",
           "kept_streams", "last_fetch"]


@dataclass(frozen=True)
class KeptStream:
    type: str
    data: list[Any]  # the samples (nulls where the API sent null)
    data2: list[Any] | None  # latlng: the longitudes
    raw: dict[str, Any]  # the rest of the API's object (name, anomalies, custom, ...)
    fetched_at: str


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


def custom_stream_codes(store: Store) -> list[str]:
    """The codes of the athlete's own stream types (custom items of type ACTIVITY_STREAM)."""
    return [code for (code,) in store.db.conn.execute(
        "SELECT code FROM custom_fields WHERE item_type = 'ACTIVITY_STREAM' "
        "AND code IS NOT NULL ORDER BY code")]


def activity_messages(store: Store, activity_id: str) -> list[dict[str, Any]]:
    """The kept comments on an activity, oldest first."""
    return dicts(store.db.conn.execute(
        "SELECT id, author, author_id, created, type, content, deleted, fetched_at "
        "FROM activity_messages WHERE activity_id = ? ORDER BY created, id", (activity_id,)))
