"""All the benchmarks in one command, printed as the Markdown table the README shows.

    python benchmarks/run.py            # 10-year athlete; a few minutes on 2 cores
    python benchmarks/run.py --years 2  # quicker, smaller

Against the tests' fake Intervals.icu API serving a generated athlete: sync at 0 ms and 100 ms
round trips, lookup tools through a real MCP stdio client and in-process, the same questions
the live-API way, every aggregate, the longest questions (answer sizes and first calls),
and the store's size. Nothing here is a pass/fail test;
the targets are in the README's benchmark section.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from intervals_mirror.demo.build import load_dataset  # noqa: E402
from intervals_mirror.store import Store  # noqa: E402

import bench_analytics  # noqa: E402
import bench_mcp  # noqa: E402
import bench_streams  # noqa: E402
import bench_sync  # noqa: E402


def machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores "
            f"{model}".rstrip() + f", Python {platform.python_version()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=float, default=10)
    parser.add_argument("--calls", type=int, default=200, help="calls per lookup tool")
    args = parser.parse_args()
    started = time.perf_counter()
    dataset = bench_sync.build_dataset(args.years)
    print(f"# intervals-mirror benchmark\n\n{machine()}; a generated {args.years:g}-year "
          f"athlete: {len(dataset.activities)} activities "
          f"({sum(len(v['icu_intervals']) for v in dataset.intervals.values())} intervals), "
          f"{len(dataset.wellness)} wellness days, {len(dataset.events)} events.\n")

    print("| sync | round trip | wall time | HTTP requests | rows written | peak RSS |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    store_mb = 0.0
    endpoints: dict[str, str] = {}
    for latency, rate in ((0.0, 1000.0), (0.1, 10.0)):
        for f in bench_sync.run(dataset, latency=latency, requests_per_second=rate):
            rows = f"{f.rows:,}" if f.rows is not None else ""
            rss = f"{f.peak_rss_mb:.0f} MB" if f.peak_rss_mb else ""
            print(f"| {f.label} | {f.latency_ms} ms | {f.seconds:.2f} s | {f.requests} | "
                  f"{rows} | {rss} |")
            store_mb = f.store_mb or store_mb
            endpoints[f.label] = f"{f.requests} ({f.endpoints()})"
    print(f"\n(0 ms: paced at 1,000 requests/s; 100 ms: at the real API's 10 requests/s.) "
          f"Store on disk after the first sync: {store_mb:.0f} MB. Requests by endpoint: "
          + "; ".join(f"{label}: {shown}" for label, shown in endpoints.items()) + ".\n")

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "mirror.sqlite"
        with Store.open(db) as store:
            load_dataset(store, dataset)
        figures = bench_mcp.run(db, dataset, calls=args.calls)
        print("| lookup tool | way | calls | p50 | p95 |")
        print("| --- | --- | ---: | ---: | ---: |")
        for lat in figures:
            print(f"| {lat.tool} | {lat.way} | {lat.calls} | {lat.p50_ms:.2f} ms | "
                  f"{lat.p95_ms:.2f} ms |")
        e2e = {x.tool: x.p50_ms for x in figures if x.way.startswith("end to end")}
        live = {x.tool: x.p50_ms for x in figures if x.way.startswith("live API")}
        ratios = ", ".join(f"{tool} {live[tool] / e2e[tool]:.0f}x" for tool in e2e)
        print(f"\nEnd to end over stdio vs the live-API way at 100 ms round trips (p50): "
              f"{ratios} faster.\n")

        print("| aggregate | first call | p50 of repeated calls |")
        print("| --- | ---: | ---: |")
        for name, cold, median, _worst, _chars in bench_analytics.bench_aggregates(db, runs=30):
            print(f"| {name} | {cold:.1f} ms | {median:.2f} ms |")
        print()
        bench_analytics.print_long_answers(bench_analytics.long_answers(db))
    print()
    bench_streams.report(dataset, calls=min(args.calls, 100))
    print(f"\n(total benchmark time {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
