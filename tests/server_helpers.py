"""Shared by the MCP server tests: one store synced from the fake API per test session, copied
per test, settings pointing at a running fake or at a dead port, an in-process client session,
and result helpers."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import socket
import sqlite3
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import uvicorn
from mcp import Client

from intervals_mirror.config import Settings, load_settings
from intervals_mirror.demo.dataset import Dataset
from intervals_mirror.server import MirrorServer, create_server
from intervals_mirror.sync import run_sync

from conftest import API_KEY, generated
from fake_api import FakeIntervals

YEARS = 1
SEED = 11


def make_dataset() -> Dataset:
    """The same athlete every time (deterministic for years, seed and end)."""
    return generated(years=YEARS, seed=SEED)


def free_port() -> int:
    """A 127.0.0.1 port nothing listens on (now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def dead_base_url() -> str:
    """An API address where nothing listens: the network is "down" (connection refused)."""
    return f"http://127.0.0.1:{free_port()}/api/v1"


def mirror_settings(db_path: Path, base_url: str, athlete_id: str, **overrides: Any
                    ) -> Settings:
    values: dict[str, Any] = {
        "api_key": API_KEY, "athlete_id": athlete_id, "base_url": base_url,
        "db_path": db_path, "requests_per_second": 1000, "lock_timeout": 2,
        "max_retries": 1, "interval_minutes": 0,
    }
    values.update(overrides)
    return load_settings(overrides=values, environ={})


@dataclass(frozen=True)
class SyncedStore:
    """A store after one full sync of ``make_dataset()``; copy it before a test writes."""

    path: Path
    dataset: Dataset

    @property
    def athlete_id(self) -> str:
        return self.dataset.athlete_id

    def copy_to(self, folder: Path) -> Path:
        """A private copy (SQLite's backup API, so a -wal file is never left behind)."""
        target = folder / "mirror.sqlite"
        source, copy = sqlite3.connect(self.path), sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            source.close()
            copy.close()
        return target


_TEMPLATE: dict[str, SyncedStore] = {}


def synced_template(folder: Path) -> SyncedStore:
    """Sync the fake once per test session; later calls return the same store."""
    if "store" not in _TEMPLATE:
        dataset = make_dataset()
        path = folder / "template.sqlite"
        with FakeIntervals(dataset, api_key=API_KEY) as fake:
            report = run_sync(mirror_settings(path, fake.base_url, dataset.athlete_id))
        assert report.status == "ok"
        _TEMPLATE["store"] = SyncedStore(path, dataset)
    return _TEMPLATE["store"]


def text_of(result: Any) -> str:
    """The text block of a tool result."""
    (block,) = result.content
    return str(block.text)


def newest_first(dataset: Dataset, start: str, end: str, *, with_stubs: bool = False
                 ) -> list[str]:
    """Activity ids with a local day in [start, end], newest first, as get_activities lists
    them: without the Strava stubs unless ``with_stubs`` (unnamed real ones are listed)."""
    rows = [(a["start_date_local"], a["id"]) for a in dataset.activities.values()
            if start <= a["start_date_local"][:10] <= end
            and (with_stubs or "_note" not in a)]
    return [i for _, i in sorted(rows, reverse=True)]


def half_up(value: float, digits: int = 0) -> str:
    """How the answers round: once, half up, from the shortest decimal form (83.55 -> 83.6)."""
    exact = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    return f"{exact:,.{digits}f}"


def duration_of(seconds: float) -> str:
    """h:mm:ss, as the answers show a time."""
    hours, rest = divmod(round(seconds), 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


def executable() -> str:
    """The installed console script, as a client config names it."""
    beside = Path(sys.executable).parent / "intervals-mirror"
    found = str(beside) if beside.exists() else shutil.which("intervals-mirror")
    assert found, "the intervals-mirror console script is not installed"
    return found


def server_env(folder: Path, **values: str) -> dict[str, str]:
    """Only what a client config would pass, plus folders that keep the user's config out."""
    return {"XDG_CONFIG_HOME": str(folder / "xdg-config"),
            "XDG_DATA_HOME": str(folder / "xdg-data"), **values}


# -- talking to a server in-process (the tool tests) ----------------------------------------


def server_over(db_path: Path) -> MirrorServer:
    """A server over a store with no API and no background sync, for tests that only read:
    made once per module, so an aggregate copies the store into DuckDB once."""
    return create_server(load_settings(overrides={"db_path": db_path}, environ={}),
                         scheduler=False)


@contextmanager
def read_only(db_path: Path) -> Iterator[sqlite3.Connection]:
    """Plain SQLite over a store, read-only: the tests' independent computation."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        yield conn
    finally:
        conn.close()


@asynccontextmanager
async def connected(settings: Settings) -> AsyncIterator[Client]:
    async with Client(create_server(settings, scheduler=False)) as client:
        yield client


async def ask(settings: Settings, tool: str, args: dict[str, Any] | None = None) -> Any:
    async with connected(settings) as client:
        return await client.call_tool(tool, args or {})


# -- reading facts back from an answer's text -------------------------------------------------

_SPAN = re.compile(r"(\d{4}-\d{2}-\d{2})(?: to |\.\.)(\d{4}-\d{2}-\d{2})")


def span_of(text: str) -> tuple[str, str]:
    """The date range an answer's first line names ("2026-01-01 to 2026-01-31" or "..")."""
    found = _SPAN.search(text.splitlines()[0])
    assert found, text.splitlines()[0]
    return found.group(1), found.group(2)


def listed_activities(text: str) -> list[str]:
    """The activity ids a list answer shows, in order ("... (i123): ..." per line)."""
    return [m.group(1) for m in re.finditer(r"^- .*?\((i?\d+)\):", text, re.MULTILINE)]


def listed_events(text: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"^- .*?\(id (\d+)\)", text, re.MULTILINE)]


def table_rows(text: str, first_header: str) -> list[dict[str, str]]:
    """The rows of the table whose header starts with ``first_header``, by column name."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{first_header} | "))
    header = lines[start].split(" | ")
    rows = []
    for line in lines[start + 1:]:
        if not line or line.startswith(("mirrored up to ", "Groups: ", "Note: ",
                                        "Power zones")):
            break
        cells = line.split(" | ")
        rows.append(dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True)))
    return rows


async def ask_text(settings: Settings, tool: str, args: dict[str, Any] | None = None) -> str:
    """A tool's text answer (all a model reads), failing the test on a tool error, and
    checking the text is the only thing the answer carries."""
    result = await ask(settings, tool, args)
    assert not result.is_error, text_of(result)
    assert result.structured_content is None
    return text_of(result)


def real_activity(dataset: Any, **wanted: Any) -> dict[str, Any]:
    """The newest real activity that has every key in ``wanted`` (value True: any value)."""
    for activity in sorted(dataset.activities.values(), key=lambda a: a["start_date_local"],
                           reverse=True):
        if "_note" in activity:
            continue
        if all(activity.get(k) is not None if v is True else activity.get(k) == v
               for k, v in wanted.items()):
            return activity
    raise AssertionError(f"no activity with {wanted}")


def mirrored_event_id(dataset: Any) -> int:
    """An event within the mirrored future (sync lists events up to future_days ahead)."""
    horizon = (dataset.end + dt.timedelta(days=60)).isoformat()
    return max(e["id"] for e in dataset.events.values() if e["start_date_local"] <= horizon)


def strip_intervals(db: Path, activity_id: str) -> None:
    """Make the store look as if sync had not fetched this activity's intervals yet."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("DELETE FROM intervals WHERE activity_id = ?", (activity_id,))
        conn.execute("DELETE FROM interval_groups WHERE activity_id = ?", (activity_id,))
        conn.execute("UPDATE activities SET intervals_fingerprint = NULL WHERE id = ?",
                     (activity_id,))
    conn.close()


def before_streams(conn: sqlite3.Connection) -> None:
    """Undo the streams migration in a store (inside the caller's transaction), so a test can
    make a store look as an older release left it: streams, comments and what was fetched
    go, and sync_runs.streams_fetched."""
    for table in ("streams", "activity_messages", "activity_fetches"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("ALTER TABLE sync_runs DROP COLUMN streams_fetched")


def execute(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        with conn:
            return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# -- serving over real HTTP on 127.0.0.1 (the HTTP tests) -----------------------------------

# What an MCP client sends first over streamable HTTP.
ACCEPT = {"Accept": "application/json, text/event-stream"}
INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "protocolVersion": "2025-11-25", "capabilities": {},
    "clientInfo": {"name": "test", "version": "0"}}}


class ThreadedUvicorn:
    """The app on a pre-bound 127.0.0.1 port in a thread, configured as `serve --http` runs
    it, stopped on exit. ``base``: http://127.0.0.1:PORT; ``url``: the /mcp endpoint."""

    def __init__(self, app: Any) -> None:
        from intervals_mirror.remote.app import uvicorn_config

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.base = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.url = f"{self.base}/mcp"
        self.server = uvicorn.Server(uvicorn_config(app))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       daemon=True)

    def __enter__(self) -> ThreadedUvicorn:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()
