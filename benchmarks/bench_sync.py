"""Sync benchmark: a generated 10-year athlete served by the tests' fake API.

Measures the first full sync (wall time, HTTP requests, rows written, peak RSS), a sync with
nothing new, and one with 5 new activities, at a chosen round-trip latency; and which
endpoints the requests went to. Each sync runs as the real `intervals-mirror sync` command in
its own process, so peak RSS is the command's own.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from intervals_mirror.demo.dataset import Dataset, generate  # noqa: E402

from fake_api import FakeIntervals, Request  # noqa: E402

API_KEY = "bench-key-not-secret"


@dataclass(frozen=True)
class SyncFigures:
    label: str
    latency_ms: int
    seconds: float
    requests: int
    rows: int | None = None
    peak_rss_mb: float | None = None
    store_mb: float | None = None
    by_endpoint: dict[str, int] = field(default_factory=dict)  # endpoint -> requests

    def endpoints(self) -> str:
        """'athlete 1, custom-item 1, gear 1, activities 2, ...' in the order first asked."""
        return ", ".join(f"{name} {n}" for name, n in self.by_endpoint.items())


def endpoint(request: Request) -> str:
    """What a request asked for: the athlete, a list (gear, wellness, ...), the probe of
    where history begins (fields=), a batch by id (activities with intervals), one event."""
    parts = request.api_path.strip("/").split("/")
    if parts[0] != "athlete" or len(parts) < 2:
        return "/".join([parts[0], "{id}", *parts[2:]])
    if len(parts) == 2:
        return "athlete"
    name = parts[2]
    if len(parts) > 3:
        return f"{name} by id"
    return f"{name} (probe)" if request.query.get("fields") else name


def _by_endpoint(fake: FakeIntervals) -> dict[str, int]:
    return dict(Counter(endpoint(r) for r in fake.requests))


def executable() -> str:
    found = shutil.which("intervals-mirror") or str(Path(sys.executable).parent /
                                                    "intervals-mirror")
    if not Path(found).exists():
        raise SystemExit("intervals-mirror is not installed in this environment: pip install .")
    return found


def _env(fake: FakeIntervals, db: Path, config: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("INTERVALS_", "API_KEY", "ATHLETE_ID"))}
    env.update({"API_KEY": API_KEY, "ATHLETE_ID": str(fake.dataset.athlete["id"]),
                "INTERVALS_API_BASE_URL": fake.base_url, "INTERVALS_MIRROR_DB": str(db),
                "INTERVALS_MIRROR_CONFIG": str(config)})
    return env


# A small parent runs the sync and reports its children's peak RSS: measured from this (big)
# process, a forked child's peak would include our own memory from before its exec.
_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "r = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)\n"
    "print(r.returncode, time.perf_counter() - t, "
    "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def _sync(env: dict[str, str]) -> tuple[float, float]:
    """Run one sync command; its wall time and its own peak RSS in MB."""
    result = subprocess.run([sys.executable, "-c", _MEASURE, executable(), "sync"], env=env,
                            capture_output=True, text=True, check=False)
    code, seconds, peak_kb = result.stdout.split()
    if code != "0":
        raise SystemExit(f"sync failed: {result.stderr.strip()}")
    return float(seconds), int(peak_kb) / 1024


def _rows(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        tables = ("activities", "intervals", "interval_groups", "wellness", "wellness_custom",
                  "events", "athlete", "sport_settings", "custom_items", "gear",
                  "activity_curves", "curve_points")
        return sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables)
    finally:
        conn.close()


def _store_mb(db: Path) -> float:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 1e6


def run(dataset: Dataset, *, latency: float, requests_per_second: float = 10.0
        ) -> list[SyncFigures]:
    """Three syncs at one latency; the first in a fresh process so its peak RSS is its own."""
    ms = int(latency * 1000)
    dataset = copy.deepcopy(dataset)  # the run adds activities; keep the caller's intact
    with tempfile.TemporaryDirectory() as folder, FakeIntervals(dataset, api_key=API_KEY,
                                                                 latency=latency) as fake:
        db = Path(folder) / "mirror.sqlite"
        config = Path(folder) / "bench.toml"
        config.write_text(f"[http]\nrequests_per_second = {requests_per_second}\n",
                          encoding="utf-8")
        env = _env(fake, db, config)
        seconds, peak = _sync(env)
        figures = [SyncFigures("first full sync", ms, seconds, fake.count(), _rows(db), peak,
                               _store_mb(db), _by_endpoint(fake))]
        fake.reset_log()
        seconds, peak = _sync(env)
        figures.append(SyncFigures("sync, nothing new", ms, seconds, fake.count(),
                                   peak_rss_mb=peak, by_endpoint=_by_endpoint(fake)))
        for n in range(5):
            fake.add_activity(dt.date.today() - dt.timedelta(days=n))
        fake.reset_log()
        seconds, peak = _sync(env)
        figures.append(SyncFigures("sync, 5 new activities", ms, seconds, fake.count(),
                                   peak_rss_mb=peak, by_endpoint=_by_endpoint(fake)))
        return figures


def build_dataset(years: float) -> Dataset:
    return generate(years=years, seed=1, end=dt.date.today())


def main() -> None:
    dataset = build_dataset(10)
    print(f"dataset: {len(dataset.activities)} activities, {len(dataset.wellness)} wellness "
          f"days, {len(dataset.events)} events")
    for latency, rate in ((0.0, 1000.0), (0.1, 10.0)):
        for figure in run(dataset, latency=latency, requests_per_second=rate):
            print(figure.label, f"{figure.latency_ms} ms", f"{figure.seconds:.2f} s",
                  f"{figure.requests} requests: {figure.endpoints()}")


if __name__ == "__main__":
    main()
