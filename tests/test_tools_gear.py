"""get_gear_list through a real MCP client session, on a store synced from the fake API:
totals, retired items and reminders as the fake serves them; refresh=true online and
offline; gear names in get_activity_details."""

from __future__ import annotations

from typing import Any

import pytest

from intervals_mirror.config import Settings

from fake_api import FakeIntervals
from server_helpers import (
    SyncedStore,
    ask,
    ask_text,
    connected,
    execute,
    half_up,
    real_activity,
    text_of,
)

pytestmark = pytest.mark.anyio


def line_of(text: str, gear_id: str) -> str:
    (line,) = [x for x in text.splitlines() if f"({gear_id})" in x]
    return line


async def test_gear_list_shows_totals_retired_items_and_reminders(
        offline: Settings, template: SyncedStore) -> None:
    text = await ask_text(offline, "get_gear_list")
    gear = template.dataset.gear
    retired = [g for g in gear if g["retired"]]
    assert retired and text.startswith(f"{len(gear)} gear items ({len(retired)} retired)")
    for item in gear:
        line = line_of(text, item["id"])
        assert line.startswith(f'- {item["type"]} "{item["name"]}" ({item["id"]})')
        assert f"{half_up(item['distance'] / 1000, 1)} km" in line
        assert f"{item['activities']} activit" in line
        assert (f"retired {item['retired']}" in line) == bool(item["retired"])
        for reminder in item["reminders"]:
            assert f'"{reminder["name"]}" every ' in line
            assert f"{half_up(reminder['percent_used'])}%" in line
            assert (", due" in line) == any(r["percent_used"] >= 100 for r in item["reminders"])
    in_use = [line for line in text.splitlines()[1:-1] if "retired " not in line]
    assert text.splitlines()[1:len(in_use) + 1] == in_use  # in use first, retired last
    chain = next(g for g in gear if g["component"])
    parent = next(g for g in gear if chain["id"] in g["component_ids"])
    assert f"component of {parent['name']}" in line_of(text, chain["id"])
    assert text.splitlines()[-1].startswith("mirrored up to ")


async def test_activity_details_name_the_activitys_gear(
        offline: Settings, template: SyncedStore) -> None:
    ride = real_activity(template.dataset, type="Ride", gear=True)
    names = {g["id"]: g["name"] for g in template.dataset.gear}
    text = await ask_text(offline, "get_activity_details", {"activity_id": ride["id"]})
    assert f"gear {names[ride['gear']['id']]}" in text


async def test_refresh_lists_the_gear_online_and_nothing_else(
        live: tuple[FakeIntervals, Settings], template: SyncedStore) -> None:
    fake, settings = live
    ride = real_activity(fake.dataset, type="Ride", gear=True)
    renamed = fake.edit_gear(ride["gear"]["id"], name="Renamed bike")
    added = fake.add_gear("Gravel bike", "Bike")
    gone = next(g for g in fake.dataset.gear if g["retired"])["id"]
    fake.delete_gear(gone)
    fake.reset_log()
    stale = await ask_text(settings, "get_gear_list")
    assert fake.count() == 0 and "Gravel bike" not in stale and f"({gone})" in stale
    text = await ask_text(settings, "get_gear_list", {"refresh": True})
    assert [r.api_path for r in fake.requests] == [f"/athlete/{template.athlete_id}/gear"]
    assert "Note: refreshed from Intervals.icu just now" in text
    assert f'"Gravel bike" ({added["id"]})' in text and f"({gone})" not in text
    details = await ask_text(settings, "get_activity_details", {"activity_id": ride["id"]})
    assert f"gear {renamed['name']}" in details


async def test_refresh_offline_answers_from_the_store_and_says_so(
        offline: Settings, template: SyncedStore) -> None:
    text = await ask_text(offline, "get_gear_list", {"refresh": True, "athlete_id": 0})
    assert "Note: refresh asked, but Intervals.icu is unreachable" in text
    assert "this is the gear as last mirrored" in text
    assert all(f"({g['id']})" in text for g in template.dataset.gear)


async def test_gear_list_is_text_only_read_only_and_checks_its_parameters(
        offline: Settings) -> None:
    async with connected(offline) as client:
        tool = next(t for t in (await client.list_tools()).tools if t.name == "get_gear_list")
        bad: dict[str, Any] = {}
        for args in ({"refresh": "maybe"}, {"athlete_id": "i1"}):
            result = await client.call_tool("get_gear_list", args)
            bad[next(iter(args))] = (result.is_error, text_of(result))
        ok = await client.call_tool("get_gear_list", {})
    assert set(tool.input_schema["properties"]) == {"athlete_id", "refresh"}
    assert tool.input_schema["properties"]["refresh"]["default"] is False
    assert tool.output_schema is None and ok.structured_content is None
    assert tool.annotations is not None and tool.annotations.read_only_hint is True
    for name, (is_error, text) in bad.items():
        assert is_error and text.startswith(f"{name}: "), text


async def test_gear_not_mirrored_yet_is_said_not_shown_empty(offline: Settings) -> None:
    execute(offline.db_path, "DELETE FROM sync_state WHERE resource = 'gear'")
    result = await ask(offline, "get_gear_list", {})
    assert result.is_error and "no gear mirrored yet" in text_of(result)
