"""Lookup-tool latency: server side (in-process MCP client) and end to end (stdio client to
`intervals-mirror serve`), against a 10-year store; and the live-API way as the baseline
(the same questions answered by fetching from the fake API at a given round-trip latency).
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import httpx
from mcp import Client, StdioServerParameters

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from intervals_mirror.config import load_settings  # noqa: E402
from intervals_mirror.demo.dataset import Dataset  # noqa: E402
from intervals_mirror.server import create_server  # noqa: E402

from bench_sync import API_KEY, executable  # noqa: E402
from fake_api import FakeIntervals  # noqa: E402


@dataclass(frozen=True)
class Latency:
    tool: str
    way: str
    calls: int
    p50_ms: float
    p95_ms: float


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def questions(db: Path, count: int, seed: int = 3) -> dict[str, list[dict[str, Any]]]:
    """The same random questions for every way of answering: a month, an activity, a range."""
    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    ids = [i for (i,) in conn.execute(
        "SELECT id FROM activities WHERE is_stub = 0 AND id IN "
        "(SELECT DISTINCT activity_id FROM intervals)")]
    days = [d for (d,) in conn.execute("SELECT id FROM wellness ORDER BY id")]
    conn.close()

    def month() -> dict[str, Any]:
        start = rng.choice(days[:-31])
        end = days[min(len(days) - 1, days.index(start) + 30)]
        return {"start_date": start, "end_date": end}

    return {
        "get_activities": [{**month(), "limit": 30} for _ in range(count)],
        "get_activity_details": [{"activity_id": rng.choice(ids)} for _ in range(count)],
        "get_activity_intervals": [{"activity_id": rng.choice(ids)} for _ in range(count)],
        "get_wellness_data": [month() for _ in range(count)],
    }


async def _time_calls(call: Callable[[str, dict[str, Any]], Awaitable[Any]],
                      asked: dict[str, list[dict[str, Any]]], way: str) -> list[Latency]:
    results = []
    for tool, argument_sets in asked.items():
        await call(tool, argument_sets[0])  # warm-up
        timings = []
        for arguments in argument_sets:
            started = time.perf_counter()
            result = await call(tool, arguments)
            timings.append((time.perf_counter() - started) * 1000)
            if getattr(result, "is_error", False):
                raise SystemExit(f"{tool} failed: {result.content}")
        results.append(Latency(tool, way, len(timings), statistics.median(timings),
                               percentile(timings, 0.95)))
    return results


async def server_side(db: Path, asked: dict[str, list[dict[str, Any]]]) -> list[Latency]:
    settings = load_settings(overrides={"db_path": db, "interval_minutes": 0}, environ={})
    async with Client(create_server(settings, scheduler=False)) as client:
        return await _time_calls(client.call_tool, asked, "server side (in-process client)")


async def end_to_end(db: Path, asked: dict[str, list[dict[str, Any]]]) -> list[Latency]:
    env = {"INTERVALS_MIRROR_DB": str(db), "PATH": os.environ.get("PATH", ""),
           "HOME": os.environ.get("HOME", "")}
    params = StdioServerParameters(command=executable(), args=["serve"], env=env)
    async with Client(params) as client:
        return await _time_calls(client.call_tool, asked, "end to end (stdio client)")


def live_api(dataset: Dataset, asked: dict[str, list[dict[str, Any]]], *, latency: float
             ) -> list[Latency]:
    """What a live-API MCP server does per question: one HTTP round trip to Intervals.icu."""
    athlete = dataset.athlete["id"]

    def request(tool: str, args: dict[str, Any]) -> tuple[str, dict[str, str]]:
        if tool == "get_activities":
            return (f"/athlete/{athlete}/activities",
                    {"oldest": args["start_date"], "newest": args["end_date"]})
        if tool == "get_activity_details":
            return f"/activity/{args['activity_id']}", {}
        if tool == "get_activity_intervals":
            return f"/activity/{args['activity_id']}/intervals", {}
        return (f"/athlete/{athlete}/wellness",
                {"oldest": args["start_date"], "newest": args["end_date"]})

    results = []
    with FakeIntervals(dataset, api_key=API_KEY, latency=latency) as fake, httpx.Client(
            base_url=fake.base_url, auth=("API_KEY", API_KEY),
            headers={"User-Agent": "bench"}) as http:
        for tool, argument_sets in asked.items():
            timings = []
            for arguments in argument_sets:
                path, params = request(tool, arguments)
                started = time.perf_counter()
                http.get(path, params=params).raise_for_status()
                timings.append((time.perf_counter() - started) * 1000)
            results.append(Latency(tool, f"live API ({latency * 1000:.0f} ms round trip)",
                                   len(timings), statistics.median(timings),
                                   percentile(timings, 0.95)))
    return results


def run(db: Path, dataset: Dataset, *, calls: int = 200, baseline_calls: int = 20,
        latency: float = 0.1) -> list[Latency]:
    asked = questions(db, calls)
    figures = anyio.run(server_side, db, asked)
    figures += anyio.run(end_to_end, db, asked)
    few = {tool: argument_sets[:baseline_calls] for tool, argument_sets in asked.items()}
    figures += live_api(dataset, few, latency=latency)
    return figures
