"""Pins the demo generator's output: the same arguments must give the same athlete.

The fake API, the benchmarks and users' demo stores all rely on a seed always meaning the same
data (ids, values and key order), so any change to what the generator draws, or in which
order, fails here. The hashes were taken from the generator before it was split into modules;
change them only for a deliberate change of the generated data, and say so in the commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from intervals_mirror.demo.build import build_demo_store, load_dataset
from intervals_mirror.demo.dataset import Dataset, generate
from intervals_mirror.demo.edits import make_activity, make_event, make_strava_stub, make_wellness
from intervals_mirror.demo.wellness import recompute_fitness
from intervals_mirror.store import Store

END = dt.date(2026, 6, 30)
# Tables that keep an API object verbatim in ``raw``; ``synced_at`` and the sync log change per
# run, so they are left out.
RAW_TABLES = ("athlete", "custom_fields", "activities", "intervals", "interval_groups",
              "wellness", "events")


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
    })


def store_fingerprint(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        tables = {table: conn.execute(f"SELECT id, raw FROM {table} ORDER BY id").fetchall()
                  for table in RAW_TABLES}
    finally:
        conn.close()
    return _sha(tables)


@pytest.mark.parametrize(("years", "seed", "end", "expected"), [
    (2, 7, END, "ee1f18c829d097f0b2dd8d0ce2097ab9568f85ff967f441f777ccece92591393"),
    (1, 11, END, "5b6886b8e1d68ae00f6a4825c75d74d915e0efea1f7e753ae102b06fdbd6ef85"),
    # half years, ending on a DST change day
    (1.5, 3, dt.date(2025, 3, 30),
     "6dd21ca498dec479a5cdfe82d14f04cf20d800e8e9e0fbbe272f85efcb6f9b3b"),
])
def test_generated_dataset_is_unchanged_for_a_seed(
        years: float, seed: int, end: dt.date, expected: str) -> None:
    assert dataset_fingerprint(generate(years=years, seed=seed, end=end)) == expected


def test_a_longer_horizon_adds_events_but_keeps_the_history() -> None:
    short = generate(years=1, seed=11, end=END, future_days=10)
    assert dataset_fingerprint(short) == (
        "c54512aa277c03989cc8fe7e0e0db7827fa223cf94293a15d325af9d9dad180c")
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
    assert _sha(made) == "c8eb87e39dcd4248a3819f83601e4f26528cf931f2a34cccfb7c57af5747f841"
    assert dataset_fingerprint(ds) == (
        "3483c9e48a55c3a03f3e5c63159b0a29e17d3cde44465bd31e32816dba993997")


def test_a_demo_store_holds_the_generated_objects_verbatim(tmp_path: Path) -> None:
    path = tmp_path / "pinned.sqlite"
    with Store.open(path) as store:
        load_dataset(store, generate(years=1, seed=11, end=END))
    assert store_fingerprint(path) == (
        "e48314a878094cf26ee769fa60e089b641224bb6075b093067c0047db2e68c55")


def test_the_demo_command_builds_the_generated_athlete_up_to_today(tmp_path: Path) -> None:
    today = dt.date.today()
    built = tmp_path / "demo.sqlite"
    counts = build_demo_store(built, years=1, seed=11)
    if dt.date.today() != today:
        pytest.skip("the date changed while the store was built")
    expected = generate(years=1, seed=11, end=today)
    loaded = tmp_path / "loaded.sqlite"
    with Store.open(loaded) as store:
        load_dataset(store, expected)
    assert store_fingerprint(built) == store_fingerprint(loaded)
    assert counts["activities"] == len(expected.activities)
    assert counts["events"] == len(expected.events)
