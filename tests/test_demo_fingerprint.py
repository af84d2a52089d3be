"""Pins the demo generator's output: the same arguments must give the same athlete.

The fake API, the benchmarks and users' demo stores all rely on a seed always meaning the same
data (ids, values and key order), so any change to what the generator draws, or in which
order, fails here. Change the hashes only for a deliberate change of the generated data, and
say so in the commit (last: streams spend the activity's time in each zone; heart rate time
in zones centred on the average heart rate).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from intervals_mirror.demo.build import DEMO_PARTS_DAYS, build_demo_store, load_dataset
from intervals_mirror.demo.clock import athlete_today
from intervals_mirror.demo.dataset import Dataset, generate
from intervals_mirror.demo.edits import make_activity, make_event, make_strava_stub, make_wellness
from intervals_mirror.demo.streams import activity_streams
from intervals_mirror.demo.wellness import recompute_fitness
from intervals_mirror.store import Store
from intervals_mirror.stream_codec import decode

END = dt.date(2026, 6, 30)
# Tables that keep an API object verbatim in ``raw``; ``synced_at`` and the sync log change per
# run, so they are left out.
RAW_TABLES = ("athlete", "custom_fields", "activities", "intervals", "interval_groups",
              "wellness", "events", "sport_settings", "custom_items", "gear", "activity_curves")


def _sha(value: Any) -> str:
    # Key order is kept, not sorted: the generator promises the API's key order too.
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()


def dataset_fingerprint(ds: Dataset) -> str:
    return _sha({
        "end": ds.end.isoformat(),
        "seed": ds.seed,
        "athlete": ds.athlete,
        "custom_items": ds.custom_items,
        "activities": ds.activities,
        "intervals": ds.intervals,
        "wellness": ds.wellness,
        "events": {str(k): v for k, v in ds.events.items()},
        "gear": ds.gear,
    })


def parts_fingerprint(ds: Dataset, newest: int = 12) -> str:
    """The comments, and the streams of the newest activities (made on request)."""
    recent = sorted(ds.activities.values(), key=lambda a: a["start_date_local"])[-newest:]
    return _sha({"messages": ds.messages, "streams": {
        a["id"]: activity_streams(a, ds.intervals.get(a["id"], {}).get("icu_intervals") or [])
        for a in recent}})


def store_fingerprint(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        tables = {table: conn.execute(f"SELECT id, raw FROM {table} ORDER BY id").fetchall()
                  for table in RAW_TABLES}
        tables["curve_points"] = conn.execute(
            "SELECT activity_id, kind, secs_or_distance, value FROM curve_points "
            "ORDER BY activity_id, kind, secs_or_distance").fetchall()
    finally:
        conn.close()
    return _sha(tables)


def store_parts_fingerprint(path: Path) -> str:
    """A store's streams (samples packed beside raw), comments and what was fetched."""
    conn = sqlite3.connect(path)
    try:
        return _sha({
            "streams": [(i, raw, decode(data), decode(data2)) for i, raw, data, data2 in
                        conn.execute("SELECT id, raw, data, data2 FROM streams ORDER BY id")],
            "messages": conn.execute("SELECT id, raw FROM activity_messages ORDER BY id"
                                     ).fetchall(),
            "fetched": conn.execute("SELECT id, asked, fingerprint FROM activity_fetches "
                                    "ORDER BY id").fetchall(),
        })
    finally:
        conn.close()


@pytest.mark.parametrize(("years", "seed", "end", "expected"), [
    (2, 7, END, "ca9d3ebb990f7e3892f1c875df475a2cc0094d4218a94f8b1ad935ca775a440c"),
    (1, 11, END, "d041369570ba23a9d6835000245aac7ffc49b68da09d308f0426b3bdb232ae36"),
    # half years, ending on a DST change day
    (1.5, 3, dt.date(2025, 3, 30),
     "48c875e9a6c082b1d3f4f3edab7ba79a5a954245b4d853244de3d5c7b7959414"),
])
def test_generated_dataset_is_unchanged_for_a_seed(
        years: float, seed: int, end: dt.date, expected: str) -> None:
    assert dataset_fingerprint(generate(years=years, seed=seed, end=end)) == expected


def test_a_longer_horizon_adds_events_but_keeps_the_history() -> None:
    short = generate(years=1, seed=11, end=END, future_days=10)
    assert dataset_fingerprint(short) == (
        "c4096a853174bf53d410e9c15bd7e03b150e65cb1c28bb3ab629383cf082e51a")
    assert short.activities == generate(years=1, seed=11, end=END).activities


def test_the_fake_apis_edits_give_the_same_objects() -> None:
    ds = generate(years=1, seed=11, end=END, future_days=20)
    made: list[Any] = [
        make_activity(ds, "2026-06-29"),
        make_activity(ds, END, sport="Run"),
        make_activity(ds, "2026-06-30", sport="VirtualRide"),
        make_strava_stub(ds, "2026-06-28"),
        make_wellness(ds, END),
    ]
    for category in ("WORKOUT", "RACE_B", "HOLIDAY", "TARGET", "NOTE", "SET_EFTP"):
        made.append(make_event(ds, "2026-07-03", category))
    made.append(make_event(ds, "2026-07-05", "WORKOUT", sport="Run", name="Fartlek"))
    for event in made[-7:]:
        if event["category"] == "WORKOUT":
            event["updated"] = None  # stamped with the current time, as the server does
    recompute_fitness(ds)
    assert _sha(made) == "0d0427030859ef3acffac9ec44ca21c1458909308b23424e40921d93f87e401e"
    assert dataset_fingerprint(ds) == (
        "372bce80457d21b39d72bd6ea4f59ca9875961c24fcc137521d29e0e7eda72ce")


def test_comments_and_streams_are_unchanged_for_a_seed() -> None:
    """Pinned apart from the dataset: the streams and comments came later (issue 9)."""
    assert parts_fingerprint(generate(years=1, seed=11, end=END)) == (
        "84e01377593e7e5e8634b3c68cffb828f303e8222a605ecf696d30f9ee9c7a39")


def test_a_demo_store_holds_the_generated_objects_verbatim(tmp_path: Path) -> None:
    path = tmp_path / "pinned.sqlite"
    with Store.open(path) as store:
        load_dataset(store, generate(years=1, seed=11, end=END), parts_days=DEMO_PARTS_DAYS)
    assert store_fingerprint(path) == (
        "5f07e02486bfaefe799c21eb5fa54afdd522cea38be288e34c975257b162ea5e")
    assert store_parts_fingerprint(path) == (
        "d73d41047b5f5d6b1a8f7f861073e9a1891216d6c8d1ccbd7e0c08f360c6c2f1")


def test_the_demo_command_builds_the_generated_athlete_up_to_today(tmp_path: Path) -> None:
    today = athlete_today()
    built = tmp_path / "demo.sqlite"
    counts = build_demo_store(built, years=1, seed=11)
    if athlete_today() != today:
        pytest.skip("the date changed while the store was built")
    expected = generate(years=1, seed=11, end=today)
    loaded = tmp_path / "loaded.sqlite"
    with Store.open(loaded) as store:
        load_dataset(store, expected, parts_days=DEMO_PARTS_DAYS)
    assert store_fingerprint(built) == store_fingerprint(loaded)
    assert store_parts_fingerprint(built) == store_parts_fingerprint(loaded)
    assert counts["activities"] == len(expected.activities)
    assert counts["events"] == len(expected.events)
    assert counts["streams"] > 0
