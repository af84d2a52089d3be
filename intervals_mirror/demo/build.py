"""The demo store: a generated athlete written with the same store code as sync, no account."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .. import records
from ..activity_parts import DEFAULT_STREAM_TYPES, save_messages, save_streams
from ..config import Settings
from ..curves import curve_point_rows, curve_row, mark_curves_current, save_curves
from ..resources import CURVE_KINDS
from ..store import RESOURCES, Coverage, Store, utc_now

if TYPE_CHECKING:  # the generator and sync load when a store is built, not for `--demo`
    from .dataset import Dataset

DEMO_DB_NAME = "demo.sqlite"
# The demo store holds the streams and comments of the last weeks' activities, as a user's
# store does with [sync] streams_days = 30 after asking about their comments.
DEMO_PARTS_DAYS = 30


def demo_settings(settings: Settings) -> Settings:
    """The demo store beside the real one, with no credentials (so the real account's data can
    never be written into it) and no sync schedule."""
    return dataclasses.replace(settings, db_path=settings.db_path.with_name(DEMO_DB_NAME),
                               interval_minutes=0, api_key="", athlete_id="", demo=True)


def build_demo_store(
    path: Path,
    *,
    years: float = 3,
    seed: int = 1,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """(Re)build ``path`` from a generated athlete; returns row counts per table."""
    from .dataset import generate

    say = progress or (lambda message: None)
    say(f"generating {years:g} years of training for a demo athlete")
    dataset = generate(years=years, seed=seed)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    say(f"writing {len(dataset.activities)} activities to {path}")
    with Store.open(path) as store:
        load_dataset(store, dataset, parts_days=DEMO_PARTS_DAYS)
        return {table: store.row_count(table)
                for table in ("activities", "intervals", "wellness", "events", "streams")}


def load_dataset(store: Store, dataset: Dataset, *, parts_days: int = 0) -> None:
    """Write a whole dataset as a completed full sync would leave it; with ``parts_days``,
    also the streams and comments of the activities of that many last days."""
    from ..sync.whole import save_whole

    now = utc_now()
    athlete_id = str(dataset.athlete["id"])
    with store.transaction():
        store.replace_all("athlete", athlete_id, [records.athlete_row(dataset.athlete, now)])
        save_whole(store, athlete_id, {
            "sport_settings": dataset.athlete.get("sportSettings") or [],
            "custom_items": dataset.custom_items, "gear": dataset.gear}, now)
        rows = [records.activity_row(a, athlete_id, now) for a in dataset.activities.values()]
        store.save_activities(rows)
        for activity_id, dto in dataset.intervals.items():
            store.save_intervals(activity_id, athlete_id, dto)
        _load_parts(store, dataset, rows, parts_days, now)
        real = _save_curves(store, dataset, now)
        store.save_wellness(list(dataset.wellness.values()), athlete_id, now)
        store.upsert("events", [records.event_row(e, athlete_id, now)
                                for e in dataset.events.values()])
        days = {
            "activities": [a["start_date_local"][:10] for a in dataset.activities.values()],
            "wellness": list(dataset.wellness),
            "events": [e["start_date_local"][:10] for e in dataset.events.values()],
        }
        for resource in RESOURCES:
            first = min(days[resource], default=dataset.end.isoformat())
            last = max(days[resource], default=dataset.end.isoformat())
            store.set_coverage(athlete_id, Coverage(resource, first, last, first, now, now))
        run_id = store.start_run(athlete_id, "demo", RESOURCES)
    store.finish_run(run_id, status="ok", counts={
        "activities_added": len(dataset.activities),
        "wellness_added": len(dataset.wellness),
        "events_added": len(dataset.events),
        "intervals_fetched": len(dataset.intervals),
        "curves_fetched": real,
    }, requests=0, duration_s=0.0, error=None, athlete_id=athlete_id, mode="demo")


def _load_parts(store: Store, dataset: Dataset, rows: list[records.Row], days: int,
                now: str) -> None:
    """The streams (the default types and the rest recorded) and comments of the recent
    real activities, as fetched for each activity's current version."""
    from .streams import activity_streams

    first = (dataset.end - dt.timedelta(days=days - 1)).isoformat()
    athlete_id = str(dataset.athlete["id"])
    for row in rows:
        if days <= 0 or row["is_stub"] or not row["date"] or row["date"] < first:
            continue
        activity = dataset.activities[row["id"]]
        intervals = dataset.intervals.get(row["id"], {}).get("icu_intervals") or []
        streams = activity_streams(activity, intervals)
        asked = dict.fromkeys([*DEFAULT_STREAM_TYPES, *(s["type"] for s in streams)])
        save_streams(store, row["id"], athlete_id, streams, list(asked), row["fingerprint"],
                     now)
        save_messages(store, row["id"], athlete_id, dataset.messages.get(row["id"], []),
                      row["fingerprint"], now)


def _save_curves(store: Store, dataset: Dataset, now: str) -> int:
    """Every activity's best-effort curves, as sync would store what the API serves; returns
    how many real activities they cover."""
    from .curves import curve_element

    athlete_id = str(dataset.athlete["id"])
    real = [a for a in dataset.activities.values() if a.get("source") != "STRAVA"]
    for kind in CURVE_KINDS:
        curves, points = [], []
        for activity in real:
            dto = dataset.intervals.get(activity["id"]) or {}
            element = curve_element(kind.name, activity, dto.get("icu_intervals") or [],
                                    kind.points)
            if element is not None:
                curves.append(curve_row(kind.name, element, athlete_id, now))
                points += curve_point_rows(kind.name, element, list(kind.points),
                                           kind.values_key, athlete_id)
        save_curves(store, kind.name, [a["id"] for a in real], curves, points)
    mark_curves_current(store, [a["id"] for a in real])
    return len(real)
