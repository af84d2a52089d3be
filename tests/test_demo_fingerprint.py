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
    (2, 7, END, "7d1c1b6bb9d62b572da7a7e6cae98106568650721041aeec2d76a9c38b3a5c01"),
    (1, 11, END, "6dc964f08dc7e8e042e90380e4640a5f65d5819a7367422cb98ad2682981de0f"),
    # half years, ending on a DST change day
    (1.5, 3, dt.date(2025, 3, 30),
     "84e8e7697ebbb29d94532e058906cb9223bb1ec622c545e56e59d18384b9ccaa"),
])
def test_generated_dataset_is_unchanged_for_a_seed(
        years: float, seed: int, end: dt.date, expected: str) -> None:
    assert dataset_fingerprint(generate(years=years, seed=seed, end=end)) == expected


def test_a_longer_horizon_adds_events_but_keeps_the_history() -> None:
    short = generate(years=1, seed=11, end=END, future_days=10)
    assert dataset_fingerprint(short) == (
        "32c65e99fcc832896119e79ba176605199d30e0fcc9d2f09625f5fe08e41495e")
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
    assert _sha(made) == "0f6c78f6c41c103cd758b785e4a6d3644c57ca249905c54aadd7dbeaeb0667ee"
    assert dataset_fingerprint(ds) == (
        "793c1cb4d03379b99650f84ee9903bb8e25682d479e033ac1bf4166cad1ec0b5")


def test_a_demo_store_holds_the_generated_objects_verbatim(tmp_path: Path) -> None:
    path = tmp_path / "pinned.sqlite"
    with Store.open(path) as store:
        load_dataset(store, generate(years=1, seed=11, end=END))
    assert store_fingerprint(path) == (
        "c5de0ab20802a6740ff80ca558bd7e6f7da5fbf504098edee33c468a364a299e")


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
