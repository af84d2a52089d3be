"""Charts: how long a chart takes to draw (the series, the spec and the PNG), warm and in a new
process, how large its PNG is, and how much the drawing library adds to an install.

    python benchmarks/bench_charts.py                 # builds a 10-year demo store
    python benchmarks/bench_charts.py --db FILE --runs 30

"Warm" is a chart drawn again in the same process (the server's case after its first chart):
the DuckDB copy and the drawing engine are up. "New process" is `intervals-mirror chart` run
once, start-up, imports and the engine's start included. Times are wall / CPU of the process,
since other work may share the cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from intervals_mirror.analytics.aggregates import Analytics
from intervals_mirror.charts import chart
from intervals_mirror.demo.build import build_demo_store

TARGET_MS = 300


def cases(last: dt.date) -> list[tuple[str, str, dict[str, Any]]]:
    """(label, kind, arguments) of the charts people ask for, short and long."""
    year, ninety = last - dt.timedelta(days=364), last - dt.timedelta(days=89)
    return [
        ("fitness, 90 days", "fitness", {"start_date": ninety, "end_date": last}),
        ("fitness, 1 year", "fitness", {"start_date": year, "end_date": last}),
        ("fitness, 10 years", "fitness", {"start_date": last.replace(year=last.year - 10),
                                          "end_date": last}),
        ("load, 90 days by week", "load", {"start_date": ninety, "end_date": last}),
        ("load, 1 year by week", "load", {"start_date": year, "end_date": last}),
        ("power curve, this vs last season", "power_curve", {}),
        ("power curve, 10 years vs the 10 before", "power_curve", {
            "start_date": last.replace(year=last.year - 10), "end_date": last}),
        ("wellness, 90 days, 3 fields", "wellness", {"start_date": ninety, "end_date": last}),
        ("wellness, 1 year, 4 fields", "wellness", {
            "start_date": year, "end_date": last,
            "fields": ["hrv", "resting_hr", "weight", "Caffeine (mg)"]}),
    ]


def clocked(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall ms, CPU ms of the process, result)."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, out


def install_size(distribution: str) -> int:
    """Bytes on disk of an installed distribution's files."""
    files = importlib.metadata.distribution(distribution).files or []
    return sum(Path(f.locate()).stat().st_size for f in files if Path(f.locate()).exists())


def new_process(db: Path, kind: str, folder: Path) -> tuple[float, float]:
    """`intervals-mirror chart KIND` once: wall ms, and the child's CPU ms."""
    command = shutil.which("intervals-mirror") or str(Path(sys.executable).parent
                                                      / "intervals-mirror")
    before = os.times()
    wall = time.perf_counter()
    subprocess.run([command, "--db", str(db), "chart", kind, "--out",
                    str(folder / f"{kind}.png")], check=True, capture_output=True, timeout=120)
    after = os.times()
    child = (after.children_user - before.children_user
             + after.children_system - before.children_system)
    return (time.perf_counter() - wall) * 1000, child * 1000


def bench(db: Path, runs: int) -> list[dict[str, Any]]:
    rows = []
    with Analytics(db) as analytics:
        analytics.warm()
        last = dt.date.fromisoformat(analytics.fitness_days()["end_date"])
        chart(analytics, "fitness").png()  # the engine's start, paid once per process
        for label, kind, args in cases(last):
            walls, cpus, sizes, specs = [], [], [], []
            for _ in range(runs):
                spec_ms, spec_cpu, drawn = clocked(lambda k=kind, a=args: chart(analytics, k,
                                                                                 **a))
                wall, cpu, png = clocked(drawn.png)
                walls.append(spec_ms + wall)
                cpus.append(spec_cpu + cpu)
                specs.append(spec_ms)
                sizes.append(len(png))
            rows.append({"label": label, "p50": statistics.median(walls),
                         "p95": sorted(walls)[int(0.95 * (len(walls) - 1))],
                         "cpu": statistics.median(cpus), "series": statistics.median(specs),
                         "png_kb": statistics.median(sizes) / 1024})
    return rows


def report(db: Path, runs: int = 20) -> None:
    rows = bench(db, runs)
    print("| chart | warm p50, wall / CPU | warm p95, wall | of which series + spec | PNG |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['label']} | {r['p50']:.0f} / {r['cpu']:.0f} ms | {r['p95']:.0f} ms | "
              f"{r['series']:.1f} ms | {r['png_kb']:.0f} KB |")
    with tempfile.TemporaryDirectory() as folder:
        fresh = {kind: new_process(db, kind, Path(folder))
                 for kind in ("fitness", "load", "power_curve")}
    worst = max(r["p50"] for r in rows)
    worst_cpu = max(r["cpu"] for r in rows)
    size = install_size("vl-convert-python") / 1e6
    print("\nA new process (`intervals-mirror chart`, imports and the drawing engine's start "
          "included): " + ", ".join(f"{k} {w:.0f} ms wall / {c:.0f} ms CPU"
                                     for k, (w, c) in fresh.items())
          + f". Target: a chart under {TARGET_MS} ms warm; slowest p50 {worst:.0f} ms wall, "
          f"{worst_cpu:.0f} ms CPU. "
          f"vl-convert-python adds {size:.0f} MB to an install (one wheel, no dependencies).")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing store (default: build one)")
    parser.add_argument("--years", type=float, default=10)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if args.db:
        report(args.db, args.runs)
        return
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "mirror.sqlite"
        build_demo_store(db, years=args.years, seed=3)
        report(db, args.runs)


if __name__ == "__main__":
    main()
