"""Shared fixtures: a fake Intervals.icu API over real HTTP, and settings pointing at it."""

from __future__ import annotations

import datetime as dt
import logging
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from intervals_mirror.config import Settings, load_settings
from intervals_mirror.demo.clock import athlete_today
from intervals_mirror.demo.dataset import Dataset, generate

from fake_api import FakeIntervals

if TYPE_CHECKING:
    from server_helpers import SyncedStore

API_KEY = "test-key-5f3b9c1e7a"
ENV_NAMES = ("API_KEY", "ATHLETE_ID", "INTERVALS_API_KEY", "INTERVALS_ATHLETE_ID",
             "INTERVALS_API_BASE_URL", "INTERVALS_MIRROR_DB", "INTERVALS_MIRROR_CONFIG",
             "INTERVALS_MIRROR_TOKEN", "MCP_API_KEY", "ALLOWED_ORIGINS", "ENFORCE_HTTPS",
             "TRUSTED_PROXIES", "INTERVALS_MIRROR_WRITES")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's credentials, config file or store."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


_GENERATED: dict[tuple[float, int, dt.date], bytes] = {}


def generated(years: float, seed: int) -> Dataset:
    """A private copy of the athlete ``generate`` makes for these arguments, ending today.

    Generating takes seconds, unpickling a kept copy a fraction of that; the tests that use
    the fake API (over a hundred) may each edit their copy."""
    key = (years, seed, athlete_today())
    if key not in _GENERATED:
        _GENERATED[key] = pickle.dumps(generate(years=years, seed=seed, end=key[2]))
    return pickle.loads(_GENERATED[key])


@pytest.fixture
def dataset() -> Dataset:
    """A fresh copy per test, since tests edit the fake's data."""
    return generated(years=2, seed=7)


@pytest.fixture
def fake_api(dataset: Dataset) -> Iterator[FakeIntervals]:
    with FakeIntervals(dataset, api_key=API_KEY) as fake:
        yield fake


def settings_for(fake: FakeIntervals, db_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "api_key": API_KEY,
        "athlete_id": str(fake.dataset.athlete["id"]),
        "base_url": fake.base_url,
        "db_path": db_path,
        "requests_per_second": 1000,
        "lock_timeout": 2,
        "max_retries": 3,
    }
    values.update(overrides)
    return load_settings(overrides=values, environ={})


@pytest.fixture
def settings(fake_api: FakeIntervals, tmp_path: Path) -> Settings:
    return settings_for(fake_api, tmp_path / "mirror.sqlite")


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> SyncedStore:
    """A store synced once from the fake API; tests take copies (``template.copy_to``)."""
    from server_helpers import synced_template  # imported here: it imports this module

    return synced_template(tmp_path_factory.mktemp("synced"))


@pytest.fixture
def offline(template: SyncedStore, tmp_path: Path) -> Settings:
    """A private copy of the synced store; the API address answers nothing."""
    from server_helpers import dead_base_url, mirror_settings

    return mirror_settings(template.copy_to(tmp_path), dead_base_url(), template.athlete_id)


@pytest.fixture
def live(template: SyncedStore, tmp_path: Path) -> Iterator[tuple[FakeIntervals, Settings]]:
    """A running fake with the data the store was synced from, and settings pointing at it."""
    from server_helpers import make_dataset, mirror_settings

    with FakeIntervals(make_dataset(), api_key=API_KEY) as fake:
        yield fake, mirror_settings(template.copy_to(tmp_path), fake.base_url,
                                    template.athlete_id)


@pytest.fixture(scope="session")
def analytics_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated store with the edge cases the aggregates must get right."""
    from analytics_helpers import build_store

    return build_store(tmp_path_factory.mktemp("analytics") / "template.sqlite")


@pytest.fixture(scope="session")
def ten_years(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """A generated 10-year store, read-only for tests: built once per run (about 5 s) and
    shared by every xdist worker, which wait for the first to finish it."""
    from analytics_helpers import build_ten_years

    return built_once(tmp_path_factory, worker_id, "ten-years", build_ten_years)


@pytest.fixture(scope="session")
def heavy(tmp_path_factory: pytest.TempPathFactory, worker_id: str, ten_years: Path) -> Path:
    """The ten years made as wide as a real athlete's data (tests/heavy_helpers.py), read-only
    for tests: built once per run (a second or two after ``ten_years``), shared likewise."""
    from heavy_helpers import build_heavy

    return built_once(tmp_path_factory, worker_id, "heavy",
                      lambda path: build_heavy(ten_years, path))


def built_once(tmp_path_factory: pytest.TempPathFactory, worker_id: str, name: str,
               build: Callable[[Path], object]) -> Path:
    """``<name>.sqlite`` in the run's folder, built by the first worker that asks for it."""
    from filelock import FileLock

    root = tmp_path_factory.getbasetemp()
    root = root if worker_id == "master" else root.parent  # the run's folder, not a worker's
    path, ready = root / f"{name}.sqlite", root / f"{name}.ready"
    with FileLock(str(root / f"{name}.lock")):
        if not ready.exists():
            for stale in root.glob(f"{name}.sqlite*"):
                stale.unlink()
            build(path)
            ready.touch()
    return path


@pytest.fixture
def store_path(analytics_template: Path, tmp_path: Path) -> Path:
    """This test's own copy of the analytics store, free to be written."""

    from analytics_helpers import copy_store

    path = tmp_path / "store" / "mirror.sqlite"
    path.parent.mkdir()
    copy_store(analytics_template, path)
    return path


@pytest.fixture
def anyio_backend() -> str:
    """MCP tests run on asyncio (the SDK's stdio and HTTP transports are asyncio-only)."""
    return "asyncio"


@pytest.fixture(autouse=True)
def restore_root_logging() -> Iterator[None]:
    """``cli.main`` points the root logger at the (captured) stderr; undo that after each test,
    so a later test never logs into a closed capture stream."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
