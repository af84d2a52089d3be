"""get_custom_items and get_custom_item_by_id through a real MCP client session, on a store
synced from the fake API: every type, in the athlete's order, one item's definition in full,
new items after a refresh, and bad ids as tool errors naming item_id."""

from __future__ import annotations

import json

import pytest

from intervals_mirror.config import Settings

from fake_api import FakeIntervals
from server_helpers import SyncedStore, ask, ask_text, connected, text_of

pytestmark = pytest.mark.anyio


async def test_custom_items_lists_every_type_in_the_athletes_order(
        offline: Settings, template: SyncedStore) -> None:
    text = await ask_text(offline, "get_custom_items")
    items = sorted(template.dataset.custom_items, key=lambda i: (i["index"], i["id"]))
    assert text.startswith(f"{len(items)} custom items (")
    lines = [line for line in text.splitlines() if line.startswith("- ")]
    assert [line.split()[1] for line in lines] == [str(i["id"]) for i in items]
    for item, line in zip(items, lines, strict=True):
        assert line.startswith(f'- {item["id"]} {item["type"]} (')
        assert f'"{item["name"]}"' in line
        if item["type"].endswith("_FIELD"):
            assert f"code {item['content']['code']}, {item['content']['type']}" in line
    assert len({i["type"] for i in items}) >= 6


async def test_one_custom_item_in_full_with_where_its_values_are(
        offline: Settings, template: SyncedStore) -> None:
    field = next(i for i in template.dataset.custom_items if i["type"] == "INPUT_FIELD")
    code = field["content"]["code"]
    days = sum(1 for r in template.dataset.wellness.values() if r.get(code) is not None)
    text = await ask_text(offline, "get_custom_item_by_id", {"item_id": field["id"]})
    assert text.startswith(f'Custom item {field["id"]}: INPUT_FIELD (wellness field) '
                           f'"{field["name"]}"')
    assert f"wellness_custom, field = '{code}' ({days} days with a value)" in text
    content = json.dumps(field["content"], ensure_ascii=False, separators=(",", ":"))
    assert f"Content: {content}" in text
    zones = next(i for i in template.dataset.custom_items if i["type"] == "ZONES")
    text = await ask_text(offline, "get_custom_item_by_id", {"item_id": str(zones["id"])})
    assert f"Content: {json.dumps(zones['content'], separators=(',', ':'))}" in text
    assert "Field:" not in text  # a chart's content.type is not a value type


async def test_bad_item_ids_are_tool_errors_naming_item_id(offline: Settings,
                                                           template: SyncedStore) -> None:
    ids = sorted(i["id"] for i in template.dataset.custom_items)
    async with connected(offline) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        for bad in (ids[-1] + 1, "abc", 0, -5, 2.5):
            result = await client.call_tool("get_custom_item_by_id", {"item_id": bad})
            assert result.is_error and text_of(result).startswith("item_id: "), bad
        missing = await client.call_tool("get_custom_item_by_id", {"item_id": ids[-1] + 1})
        other = await client.call_tool("get_custom_items", {"athlete_id": "i7"})
    assert f"ids {ids[0]} to {ids[-1]}" in text_of(missing)
    assert other.is_error and text_of(other).startswith("athlete_id: ")
    schema = tools["get_custom_item_by_id"].input_schema
    assert schema["properties"]["item_id"]["type"] == "integer"
    assert schema["required"] == ["item_id"]
    for name in ("get_custom_items", "get_custom_item_by_id"):
        assert tools[name].output_schema is None
        assert tools[name].annotations is not None
        assert tools[name].annotations.read_only_hint is True


async def test_new_and_deleted_items_show_after_a_refresh(
        live: tuple[FakeIntervals, Settings]) -> None:
    fake, settings = live
    new = fake.add_custom_item("ACTIVITY_HISTOGRAM", "Cadence histogram",
                               content={"stream": "cadence", "bucket": 5})
    gone = fake.dataset.custom_items[0]["id"]
    fake.delete_custom_item(gone)
    fake.reset_log()
    before = await ask(settings, "get_custom_item_by_id", {"item_id": new["id"]})
    assert before.is_error and fake.count() == 0
    async with connected(settings) as client:
        assert not (await client.call_tool("refresh", {"resources": ["events"]})).is_error
        listed = text_of(await client.call_tool("get_custom_items", {}))
        after = text_of(await client.call_tool("get_custom_item_by_id", {"item_id": new["id"]}))
    assert f'{new["id"]} ACTIVITY_HISTOGRAM (activity histogram) "Cadence histogram"' in listed
    assert f"- {gone} " not in listed
    assert 'Content: {"stream":"cadence","bucket":5}' in after
