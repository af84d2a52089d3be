"""`intervals-mirror serve` as Claude Desktop runs it: a subprocess spoken to over stdio by the
SDK's client, with only the environment the client passes."""

from __future__ import annotations

import json
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from mcp import Client, StdioServerParameters, stdio_client

from intervals_mirror.cli import main
from intervals_mirror.demo.clock import athlete_today

from conftest import API_KEY
from fake_api import FakeIntervals
from server_helpers import (
    SyncedStore,
    dead_base_url,
    executable,
    listed_activities,
    make_dataset,
    newest_first,
    server_env,
    span_of,
    table_rows,
    text_of,
)

pytestmark = pytest.mark.anyio


@asynccontextmanager
async def stdio_server(command: str, args: list[str], env: dict[str, str]
                       ) -> AsyncIterator[Client]:
    params = StdioServerParameters(command=command, args=args, env=env)
    with tempfile.TemporaryFile("w+") as errlog:
        try:
            async with Client(stdio_client(params, errlog=errlog)) as client:
                yield client
        finally:
            errlog.seek(0)
            logged = errlog.read()
            assert API_KEY not in logged
            assert "Traceback" not in logged, logged


async def test_stdio_server_lists_the_tools_and_answers_with_the_api_unreachable(
        template: SyncedStore, tmp_path: Path) -> None:
    env = server_env(tmp_path, INTERVALS_MIRROR_DB=str(template.copy_to(tmp_path)),
                     API_KEY=API_KEY, ATHLETE_ID=template.athlete_id,
                     INTERVALS_API_BASE_URL=dead_base_url())
    async with stdio_server(executable(), ["serve"], env) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        assert set(tools) >= {"get_activities", "get_activity_details",
                              "get_activity_intervals", "get_wellness_data", "get_events",
                              "get_event_by_id", "refresh", "get_sync_status"}
        assert set(tools["get_activities"].input_schema["properties"]) == {
            "start_date", "end_date", "limit", "include_unnamed", "activity_type", "athlete_id",
            "exact_type"}
        listed = await client.call_tool("get_activities", {"limit": 5})
        expected = newest_first(template.dataset, *span_of(text_of(listed)))[:5]
        assert listed_activities(text_of(listed)) == expected
        details = await client.call_tool("get_activity_details", {"activity_id": expected[0]})
        activity = template.dataset.activities[expected[0]]
        named = f' "{activity["name"]}"' if activity.get("name") else ""  # unnamed are listed
        assert text_of(details).startswith(f"{activity['type']}{named} ({expected[0]})")
        wellness = await client.call_tool("get_wellness_data", {})
        assert len(table_rows(text_of(wellness), "date")) >= 25
        status = await client.call_tool("get_sync_status", {})
        assert "background sync: every 60 min" in text_of(status)
        refused = await client.call_tool("refresh", {})
        assert refused.is_error and "cannot reach Intervals.icu" in text_of(refused)
        for result in (listed, details, wellness, status):
            assert not result.is_error
            assert "mirrored up to " in text_of(result)


async def test_stdio_refresh_brings_in_new_activities(template: SyncedStore,
                                                      tmp_path: Path) -> None:
    with FakeIntervals(make_dataset(), api_key=API_KEY) as fake:
        env = server_env(tmp_path, INTERVALS_MIRROR_DB=str(template.copy_to(tmp_path)),
                         API_KEY=API_KEY, ATHLETE_ID=template.athlete_id,
                         INTERVALS_API_BASE_URL=fake.base_url)
        async with stdio_server(executable(), ["serve"], env) as client:
            added = fake.add_activity(athlete_today(), name="Evening ride by the lake")
            refreshed = await client.call_tool("refresh", {"resources": ["activities"]})
            assert not refreshed.is_error, text_of(refreshed)
            assert listed_activities(text_of(refreshed)) == [added["id"]]
            assert "Evening ride by the lake" in text_of(refreshed)
            details = await client.call_tool("get_activity_details",
                                             {"activity_id": added["id"]})
            assert "Evening ride by the lake" in text_of(details)


def claude_entry(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main([*args, "claude-config"]) == 0
    return json.loads(capsys.readouterr().out)


async def test_the_claude_config_entry_starts_a_working_server(
        template: SyncedStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    db = template.copy_to(tmp_path)
    config = tmp_path / "config.toml"
    config.write_text(f'[intervals]\napi_key = "{API_KEY}"\nathlete_id = '
                      f'"{template.athlete_id}"\nbase_url = "{dead_base_url()}"\n'
                      f'[store]\npath = "{db}"\n', encoding="utf-8")
    monkeypatch.setenv("INTERVALS_MIRROR_CONFIG", str(config))
    entry = claude_entry(capsys)["mcpServers"]["intervals-mirror"]
    assert entry["env"] == {"INTERVALS_MIRROR_CONFIG": str(config)}
    env = server_env(tmp_path, **entry["env"])
    async with stdio_server(entry["command"], entry["args"], env) as client:
        result = await client.call_tool("get_activities", {})
        assert not result.is_error and listed_activities(text_of(result))
