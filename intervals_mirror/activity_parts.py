"""An activity's parts that sync's lists do not bring (streams, messages): how they are kept
in the store once fetched, and the record of what was fetched when, for which version of the
activity.

Written by the on-demand fetches, by sync (``[sync] streams_days``) and by the demo store;
each call belongs inside the caller's transaction. No HTTP here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from . import records
from .store import Store

STREAMS, MESSAGES = "streams", "messages"
# What sync keeps (streams_days), and get_activity_streams' default, as the live-API server's.
DEFAULT_STREAM_TYPES = ("time", "watts", "heartrate", "cadence", "altitude", "distance",
                        "velocity_smooth")
# The types the API knows (besides the athlete's custom streams); others it refuses (422).
KNOWN_STREAM_TYPES = (
    *DEFAULT_STREAM_TYPES, "latlng", "grade_smooth", "temp", "torque", "moving", "fixed_watts",
    "raw_watts", "fixed_heartrate", "raw_heartrate", "fixed_altitude", "left_right_balance",
    "smo2", "thb", "smo2_2", "thb_2", "dfa_a1", "epoc", "hrv", "ga_velocity", "w_bal",
    "respiration", "core_temperature", "skin_temperature", "stride_length", "stance_time",
    "vertical_oscillation", "vertical_ratio", "step_length", "watts_alt", "watts_alt_acc",
    "corrupt_time")


@dataclass(frozen=True)
class Fetch:
    """One part of one activity as last fetched."""

    asked: tuple[str, ...]  # streams: the types asked for (those missing: the activity has none)
    fingerprint: str | None  # the activity's fingerprint then
    fetched_at: str


def last_fetch(store: Store, activity_id: str, part: str) -> Fetch | None:
    row = store.db.conn.execute(
        "SELECT asked, fingerprint, fetched_at FROM activity_fetches WHERE id = ?",
        (f"{activity_id}:{part}",)).fetchone()
    if row is None:
        return None
    asked = tuple(t for t in (row[0] or "").split(",") if t)
    return Fetch(asked, row[1], row[2])


def save_streams(store: Store, activity_id: str, athlete_id: str, streams: Iterable[Any],
                 asked: Sequence[str], fingerprint: str | None, fetched_at: str) -> int:
    """Keep the streams fetched for ``asked`` types; returns how many came.

    Streams fetched before for the same version of the activity stay (a later question may
    ask for other types); a changed activity's are all replaced.
    """
    before = last_fetch(store, activity_id, STREAMS)
    conn = store.db.conn
    if before is None or before.fingerprint != fingerprint:
        conn.execute("DELETE FROM streams WHERE activity_id = ?", (activity_id,))
        known: tuple[str, ...] = ()
    else:
        known = before.asked
    for stream_type in asked:
        conn.execute("DELETE FROM streams WHERE id = ?", (f"{activity_id}:{stream_type}",))
    rows = records.stream_rows(activity_id, athlete_id, streams, fetched_at)
    store.upsert("streams", rows)
    _record(store, activity_id, athlete_id, STREAMS, tuple(dict.fromkeys((*known, *asked))),
            fingerprint, fetched_at)
    return len(rows)


def save_messages(store: Store, activity_id: str, athlete_id: str, messages: Iterable[Any],
                  fingerprint: str | None, fetched_at: str) -> int:
    """Replace the activity's comments with those just fetched (a deleted one goes, kept in
    ``deleted`` as found deleted upstream)."""
    rows = [records.message_row(m, activity_id, athlete_id, fetched_at) for m in messages
            if isinstance(m, dict) and m.get("id") is not None]
    listed = {row["id"] for row in rows}
    gone = [i for (i,) in store.db.conn.execute(
        "SELECT id FROM activity_messages WHERE activity_id = ?", (activity_id,))
        if i not in listed]
    if gone:
        store.keep_deleted("activity_messages", gone, "sync")
    store.db.conn.execute("DELETE FROM activity_messages WHERE activity_id = ?",
                          (activity_id,))
    store.upsert("activity_messages", rows)
    _record(store, activity_id, athlete_id, MESSAGES, (), fingerprint, fetched_at)
    return len(rows)


def _record(store: Store, activity_id: str, athlete_id: str, part: str,
            asked: tuple[str, ...], fingerprint: str | None, fetched_at: str) -> None:
    store.upsert("activity_fetches", [{
        "id": f"{activity_id}:{part}", "activity_id": activity_id, "athlete_id": athlete_id,
        "part": part, "asked": ",".join(asked) or None, "fingerprint": fingerprint,
        "fetched_at": fetched_at}])
