"""Shared by the write tools' tests: a refused call that sent and stored nothing, and a demo
store copied from the synced template."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from intervals_mirror.config import Settings
from intervals_mirror.demo.build import demo_settings

from fake_api import FakeIntervals
from mirror_helpers import row_stamps
from server_helpers import SyncedStore, ask, dead_base_url, mirror_settings, text_of


async def assert_refused(fake: FakeIntervals, settings: Settings, tool: str,
                         args: dict[str, Any], error: str) -> None:
    """The call is a tool error starting with ``error``; no write reached the API and the
    store did not change."""
    before = row_stamps(settings.db_path)
    fake.reset_log()
    result = await ask(settings, tool, args)
    assert result.is_error and text_of(result).startswith(error), text_of(result)
    assert [r for r in fake.requests if r.method != "GET"] == []
    assert row_stamps(settings.db_path) == before


def demo_copy(template: SyncedStore, folder: Path) -> Settings:
    """Settings for a demo store holding the synced template's data (no network)."""
    copy = template.copy_to(folder)
    settings = demo_settings(mirror_settings(copy, dead_base_url(), template.athlete_id))
    copy.rename(settings.db_path)
    return settings
