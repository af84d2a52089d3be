"""What the damage check at the start of every sync (and in `status`) costs on a 10-year store.

    python benchmarks/bench_health.py                 # builds a 10-year demo store
    python benchmarks/bench_health.py --db FILE --runs 20

``Store.check_health()`` reads the schema and walks every page (``PRAGMA quick_check``).
Warm: the file in the OS page cache, as when syncs run every hour. Cold: the file's pages
dropped from the cache first (``posix_fadvise(DONTNEED)``), as after a reboot; this measures
the disk more than SQLite. ``integrity_check`` (what `doctor` runs) is shown for comparison.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from intervals_mirror.demo.build import build_demo_store
from intervals_mirror.store import Store


def drop_from_cache(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
        os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(descriptor)


def timed_ms(path: Path, *, cold: bool, thorough: bool = False) -> float:
    if cold:
        drop_from_cache(path)
    with Store.open(path, readonly=True) as store:
        started = time.perf_counter()
        store.check_health(thorough=thorough)
        return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing store (default: build a demo)")
    parser.add_argument("--years", type=float, default=10)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "demo.sqlite"
        if args.db is None:
            build_demo_store(path, years=args.years, seed=1)
        with contextlib.closing(sqlite3.connect(path)) as conn:
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
        print(f"store: {path.stat().st_size / 1e6:.1f} MB, {pages} pages")
        print("| check | median ms | max ms |\n| --- | ---: | ---: |")
        for label, cold, thorough in (("quick_check, warm", False, False),
                                      ("quick_check, cold", True, False),
                                      ("integrity_check (doctor), warm", False, True)):
            times = [timed_ms(path, cold=cold, thorough=thorough) for _ in range(args.runs)]
            print(f"| {label} | {statistics.median(times):.0f} | {max(times):.0f} |")


if __name__ == "__main__":
    main()
