"""Streams: what they take in the store, how fast a kept one is answered, and what sync pays
for ``[sync] streams_days``.

    python benchmarks/bench_streams.py            # a generated 1-year athlete; about a minute

- **storage**: the demo athlete's outdoor rides with eight channels (time, watts, heartrate,
  cadence, altitude, distance, velocity_smooth, latlng) kept through the same code as a
  fetch: bytes per hour of 1 Hz data for the packed samples, for whole rows (``raw`` too), for
  the store file's growth, and for the API's JSON of the same streams.
- **latency**: ``get_activity_streams`` (default types) on kept streams through the SDK's
  in-process client, p50/p95; the first ask of an activity, fetched from the fake API at a
  100 ms round trip; ``get_activity_messages`` answered from the store.
- **sync**: a sync with ``streams_days = 30`` after a full one (at the real API's pace and
  100 ms round trips), and a sync with nothing new after it.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import anyio
from mcp import Client

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from intervals_mirror import records  # noqa: E402
from intervals_mirror.activity_parts import save_messages, save_streams  # noqa: E402
from intervals_mirror.config import Settings, load_settings  # noqa: E402
from intervals_mirror.demo.build import load_dataset  # noqa: E402
from intervals_mirror.demo.dataset import Dataset, generate  # noqa: E402
from intervals_mirror.demo.streams import activity_streams  # noqa: E402
from intervals_mirror.server import create_server  # noqa: E402
from intervals_mirror.store import Store  # noqa: E402
from intervals_mirror.sync import run_sync  # noqa: E402

from bench_mcp import percentile  # noqa: E402
from bench_sync import API_KEY  # noqa: E402
from fake_api import FakeIntervals  # noqa: E402

CHANNELS = ("time", "watts", "heartrate", "cadence", "altitude", "distance", "velocity_smooth",
            "latlng")


def outdoor_rides(dataset: Dataset, count: int) -> list[dict[str, Any]]:
    rides = [a for a in dataset.activities.values() if a.get("type") == "Ride"
             and "latlng" in (a.get("stream_types") or []) and "watts" in a["stream_types"]]
    return sorted(rides, key=lambda a: a["start_date_local"])[-count:]


def eight_channels(dataset: Dataset, ride: dict[str, Any]) -> list[dict[str, Any]]:
    intervals = dataset.intervals.get(ride["id"], {}).get("icu_intervals") or []
    return [s for s in activity_streams(ride, intervals) if s["type"] in CHANNELS]


def storage(dataset: Dataset, folder: Path, rides: list[dict[str, Any]]) -> dict[str, float]:
    """Bytes per hour of 1 Hz data, kept the way a fetch keeps them."""
    db = folder / "storage.sqlite"
    with Store.open(db) as store:
        load_dataset(store, dataset)
    before = _file_bytes(db)
    seconds = packed = rows_bytes = api_json = 0
    with Store.open(db) as store, store.transaction():
        fingerprints = dict(store.db.conn.execute("SELECT id, fingerprint FROM activities"))
        for ride in rides:
            streams = eight_channels(dataset, ride)
            seconds += ride["moving_time"]
            api_json += len(json.dumps(streams, separators=(",", ":")))
            for row in records.stream_rows(ride["id"], dataset.athlete_id, streams, "t"):
                packed += len(row["data"] or b"") + len(row["data2"] or b"")
                rows_bytes += sum(len(v) if isinstance(v, (str, bytes)) else 8
                                  for v in row.values())
            save_streams(store, ride["id"], dataset.athlete_id, streams, CHANNELS,
                         fingerprints[ride["id"]], "2026-01-01T00:00:00Z")
    grown = _file_bytes(db) - before
    hours = seconds / 3600
    return {"hours": hours, "packed": packed / hours, "rows": rows_bytes / hours,
            "file": grown / hours, "api_json": api_json / hours}


def _file_bytes(db: Path) -> int:
    with Store.open(db) as store:
        store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db.stat().st_size


async def kept_latency(settings: Settings, ids: list[str], calls: int
                       ) -> dict[str, tuple[float, float]]:
    """p50/p95 ms of answers from the store (every stream and comment already kept)."""
    out = {}
    async with Client(create_server(settings, scheduler=False)) as client:
        for tool in ("get_activity_streams", "get_activity_messages"):
            timings = []
            for k in range(calls + 1):
                started = time.perf_counter()
                result = await client.call_tool(tool, {"activity_id": ids[k % len(ids)]})
                if result.is_error:
                    raise SystemExit(f"{tool}: {result.content}")
                if k:  # the first call warms up
                    timings.append((time.perf_counter() - started) * 1000)
            out[tool] = (statistics.median(timings), percentile(timings, 0.95))
    return out


async def first_ask(settings: Settings, ids: list[str]) -> float:
    """Median ms of the first ask of an activity's streams: one fetch, then the answer."""
    timings = []
    async with Client(create_server(settings, scheduler=False)) as client:
        for activity_id in ids:
            started = time.perf_counter()
            result = await client.call_tool("get_activity_streams", {"activity_id": activity_id})
            timings.append((time.perf_counter() - started) * 1000)
            if result.is_error:
                raise SystemExit(f"first ask: {result.content}")
    return statistics.median(timings)


def sync_costs(dataset: Dataset, folder: Path) -> list[tuple[str, int, float, int]]:
    """(label, requests, seconds, activities whose streams were kept) at 100 ms, 10/s."""
    db = folder / "sync.sqlite"
    out = []
    with FakeIntervals(dataset, api_key=API_KEY) as fake:
        base = load_settings(overrides={
            "api_key": API_KEY, "athlete_id": dataset.athlete_id, "base_url": fake.base_url,
            "db_path": db, "requests_per_second": 1000}, environ={})
        run_sync(base)
        fake.set_latency(0.1)
        paced = dataclasses.replace(base, requests_per_second=10.0, streams_days=30)
        for label in ("sync with streams_days = 30, after a full sync",
                      "sync with streams_days = 30, nothing new"):
            started = time.perf_counter()
            report = run_sync(paced)
            out.append((label, report.requests, time.perf_counter() - started,
                        report.streams_fetched))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=float, default=1)
    parser.add_argument("--rides", type=int, default=20)
    parser.add_argument("--calls", type=int, default=100)
    args = parser.parse_args()
    report(generate(years=args.years, seed=1, end=dt.date.today()), rides=args.rides,
           calls=args.calls)


def report(dataset: Dataset, *, rides: int = 20, calls: int = 100) -> None:
    """The three tables, in Markdown (run.py prints them after the others)."""
    chosen = outdoor_rides(dataset, rides)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        size = storage(dataset, folder, chosen)
        print(f"Streams of {len(chosen)} outdoor rides, {size['hours']:.1f} h of 1 Hz data, "
              f"8 channels ({', '.join(CHANNELS)}):\n")
        print("| kept as | bytes per hour |\n| --- | ---: |")
        for label, key in (("packed samples (data, data2)", "packed"),
                           ("whole rows (with raw, ids, times)", "rows"),
                           ("store file growth", "file"),
                           ("the API's JSON, for comparison", "api_json")):
            print(f"| {label} | {size[key] / 1000:,.1f} KB |")
        print()
        print_latencies(dataset, folder, chosen, calls)
        print("\n| sync (100 ms round trip, 10 requests/s) | requests | wall time | streams "
              "kept |\n| --- | ---: | ---: | ---: |")
        for label, requests, seconds, kept in sync_costs(dataset, folder):
            print(f"| {label} | {requests} | {seconds:.2f} s | {kept} |")


def print_latencies(dataset: Dataset, folder: Path, rides: list[dict[str, Any]],
                    calls: int) -> None:
    db = folder / "latency.sqlite"
    with Store.open(db) as store:
        load_dataset(store, dataset)
        with store.transaction():
            fingerprints = dict(store.db.conn.execute("SELECT id, fingerprint FROM activities"))
            for ride in rides[:-5]:
                intervals = dataset.intervals.get(ride["id"], {}).get("icu_intervals") or []
                streams = activity_streams(ride, intervals)
                save_streams(store, ride["id"], dataset.athlete_id, streams,
                             [s["type"] for s in streams], fingerprints[ride["id"]],
                             "2030-01-01T00:00:00Z")
                save_messages(store, ride["id"], dataset.athlete_id,
                              dataset.messages.get(ride["id"], []), fingerprints[ride["id"]],
                              "2030-01-01T00:00:00Z")  # "fresh": no refetch in the run
    kept = [r["id"] for r in rides[:-5]]
    with FakeIntervals(dataset, api_key=API_KEY, latency=0.1) as fake:
        settings = load_settings(overrides={
            "api_key": API_KEY, "athlete_id": dataset.athlete_id, "base_url": fake.base_url,
            "db_path": db, "interval_minutes": 0}, environ={})
        figures = anyio.run(kept_latency, settings, kept, calls)
        for ride in rides[-5:]:
            fake.streams_of(ride["id"])  # the fake makes streams on request: not ours to time
        first = anyio.run(first_ask, settings, [r["id"] for r in rides[-5:]])
    hours = statistics.mean(r["moving_time"] for r in rides[:-5]) / 3600
    print(f"| tool (in-process client; rides of {hours:.1f} h on average) | p50 | p95 |\n"
          "| --- | ---: | ---: |")
    for tool, (p50, p95) in figures.items():
        print(f"| {tool}, kept | {p50:.1f} ms | {p95:.1f} ms |")
    print(f"| get_activity_streams, first ask (fetched at 100 ms round trip) | {first:.0f} ms "
          "| |")


if __name__ == "__main__":
    main()
