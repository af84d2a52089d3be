"""All the benchmarks in one command, printed as the Markdown tables the README shows.

    python benchmarks/run.py            # a few minutes on 2 cores
    python benchmarks/run.py --years 2  # quicker: a smaller athlete for sync and aggregates

Against the tests' fake Intervals.icu API serving generated athletes: our server against the
live-API server intervals-icu-mcp through the official 1.x client (a 3-year athlete: answer
sizes per client channel, initialize, lookups end to end, memory, tools/list), sync at 0 ms
and 100 ms round trips, lookups in-process, every aggregate and the longest questions (answer
sizes and first calls; a 10-year athlete), the charts, and the store's size. Nothing here is
a pass/fail test; the targets are in the README.
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
import bench_charts  # noqa: E402
import bench_clients  # noqa: E402
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


def load() -> str:
    """Other work on the machine slows every wall time here: say how much there was."""
    try:
        return f"load average {os.getloadavg()[0]:.1f}"
    except OSError:
        return "load average unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=float, default=10, help="sync and aggregates")
    parser.add_argument("--client-years", type=float, default=3, help="the client comparison")
    parser.add_argument("--calls", type=int, default=200, help="calls per lookup tool")
    args = parser.parse_args()
    started = time.perf_counter()
    print(f"# intervals-mirror benchmark\n\n{machine()}; {load()} at the start.\n")

    clients = bench_clients.run(args.client_years, repeat=args.calls // 2)
    print(f"Ours against intervals-icu-mcp {bench_clients.ICU_PACKAGE.split('==')[1]} (PyPI), "
          f"both through the official Python MCP client {clients.client_version} over stdio, "
          f"on a generated {args.client_years:g}-year athlete served by the fake API (its "
          f"round trips {bench_clients.LATENCY * 1000:.0f} ms):\n")
    print("\n".join(bench_clients.report(clients)) + "\n")

    dataset = bench_sync.build_dataset(args.years)
    print(f"A generated {args.years:g}-year athlete: {len(dataset.activities)} activities "
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
        figures = bench_mcp.run(db, calls=args.calls)
        print("| lookup tool, in-process client (no process boundary) | calls | p50 | p95 |")
        print("| --- | ---: | ---: | ---: |")
        for lat in figures:
            print(f"| {lat.tool} | {lat.calls} | {lat.p50_ms:.2f} ms | {lat.p95_ms:.2f} ms |")
        print()

        print("| aggregate | first call | p50 of repeated calls |")
        print("| --- | ---: | ---: |")
        for name, cold, median, _worst, _chars in bench_analytics.bench_aggregates(db, runs=30):
            print(f"| {name} | {cold:.1f} ms | {median:.2f} ms |")
        print()
        bench_analytics.print_long_answers(bench_analytics.long_answers(db))
        print()
        bench_charts.report(db, runs=10)
    print()
    bench_streams.report(dataset, calls=min(args.calls, 100))
    print(f"\n(total benchmark time {time.perf_counter() - started:.0f} s; {load()} at the end)")


if __name__ == "__main__":
    main()
