"""The custom item write tools through a real MCP client session, against the fake API:
create, change, delete (kept in the deleted table), the store equal to the API after each,
and bad input refused before anything is sent."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest

from intervals_mirror.config import Settings
from intervals_mirror.sync import run_sync

from fake_api import FakeIntervals
from mirror_helpers import assert_store_equals_api
from server_helpers import (
    SyncedStore,
    ask,
    ask_text,
    connected,
    execute,
    text_of,
)
from write_helpers import assert_refused, demo_copy

pytestmark = pytest.mark.anyio

FIELD = {"name": "Caffeine (mg)", "item_type": "INPUT_FIELD", "description": "per day",
         "content": {"code": "CaffeineMg", "type": "numeric", "aggregate": "SUM"}}
ITEM_TOOLS = {"create_custom_item", "update_custom_item", "delete_custom_item"}


def item_id(text: str) -> int:
    found = re.search(r"^(?:Created|Updated) custom item (\d+) "
                      r"(?:on Intervals.icu|in the demo mirror)", text)
    assert found, text
    return int(found.group(1))


def upstream(fake: FakeIntervals, ident: int) -> dict[str, Any] | None:
    return next((i for i in fake.dataset.custom_items if i["id"] == ident), None)


def stored(db: Path, ident: int) -> dict[str, Any] | None:
    rows = execute(db, "SELECT raw FROM custom_items WHERE id = ?", str(ident))
    return json.loads(rows[0][0]) if rows else None


async def test_create_change_and_delete_a_custom_field(
        live: tuple[FakeIntervals, Settings]) -> None:
    fake, settings = live
    created = await ask_text(settings, "create_custom_item", FIELD)
    ident = item_id(created)
    item = upstream(fake, ident)
    assert item and item["type"] == "INPUT_FIELD" and item["content"] == FIELD["content"]
    assert 'INPUT_FIELD (wellness field) "Caffeine (mg)": code CaffeineMg, numeric, SUM' \
        in created
    assert stored(settings.db_path, ident) == item
    assert_store_equals_api(settings.db_path, fake.dataset)
    listed = await ask_text(settings, "get_custom_items")
    assert f'{ident} INPUT_FIELD (wellness field) "Caffeine (mg)"' in listed
    assert run_sync(settings).whole_lists["custom_items"].changed == 0

    changed = await ask_text(settings, "update_custom_item", {
        "item_id": ident, "name": "Caffeine", "visibility": "followers"})
    assert changed.startswith(f"Updated custom item {ident} ")
    item = upstream(fake, ident)
    assert item and (item["name"], item["visibility"]) == ("Caffeine", "FOLLOWERS")
    assert item["content"] == FIELD["content"] and item["description"] == "per day"
    assert_store_equals_api(settings.db_path, fake.dataset)

    gone = await ask_text(settings, "delete_custom_item", {"item_id": ident})
    assert gone.startswith(f"Deleted custom item {ident} ") and "deleted table" in gone
    assert upstream(fake, ident) is None and stored(settings.db_path, ident) is None
    kept = execute(settings.db_path, "SELECT raw, how FROM deleted WHERE resource = "
                                     "'custom_items' AND id = ?", str(ident))
    assert [(json.loads(raw), how) for raw, how in kept] == [(item, "tool")]
    missing = await ask(settings, "get_custom_item_by_id", {"item_id": ident})
    assert missing.is_error
    assert_store_equals_api(settings.db_path, fake.dataset)


@pytest.mark.parametrize(("tool", "args", "error"), [
    ("create_custom_item", {**FIELD, "item_type": "WELLNESS"},
     "item_type: expected one of FITNESS_CHART, FITNESS_TABLE"),
    ("create_custom_item", {**FIELD, "content": {"code": "X", "type": "number"}},
     "content.type: expected one of numeric, text, select, got 'number'"),
    ("create_custom_item", {**FIELD, "content": {"code": "X", "aggregate": "AVG"}},
     "content.aggregate: expected one of MIN, SUM, MAX, AVERAGE, got 'AVG'"),
    ("create_custom_item", {**FIELD, "content": "{code: X}"},
     "content: expected a JSON object, got '{code: X}'"),
    ("create_custom_item", {**FIELD, "visibility": "everyone"},
     "visibility: expected one of PRIVATE, FOLLOWERS, PUBLIC, got 'everyone'"),
    ("create_custom_item", {**FIELD, "name": "  "}, "name: expected the item's name"),
    ("update_custom_item", {"item_id": 1}, "expected something to change: name, item_type"),
    ("update_custom_item", {"item_id": 0, "name": "x"}, "item_id:"),
    ("delete_custom_item", {"item_id": "abc"}, "item_id:"),
    ("update_custom_item", {"item_id": 1, "name": "x", "athlete_id": "i5"},
     "athlete_id: this mirror holds"),
])
async def test_bad_input_is_refused_before_anything_is_sent(
        live: tuple[FakeIntervals, Settings], tool: str, args: dict[str, Any],
        error: str) -> None:
    await assert_refused(*live, tool, args, error)


async def test_a_field_keeps_its_kind_when_only_its_content_changes(
        live: tuple[FakeIntervals, Settings], template: SyncedStore) -> None:
    """The content of a stored wellness field is checked as a field's, though item_type is
    not given."""
    _, settings = live
    field = next(i for i in template.dataset.custom_items if i["type"] == "INPUT_FIELD")
    result = await ask(settings, "update_custom_item", {
        "item_id": field["id"], "content": {"type": "number"}})
    assert result.is_error and text_of(result).startswith("content.type: expected one of")


async def test_an_unknown_item_is_the_apis_404(live: tuple[FakeIntervals, Settings]) -> None:
    _, settings = live
    result = await ask(settings, "update_custom_item", {"item_id": 999, "name": "x"})
    assert result.is_error and text_of(result) == (
        "item_id: Intervals.icu has no custom item 999 (404: Custom item not found); nothing "
        "was changed")


@pytest.mark.parametrize(("writes", "listed"), [
    ("all", ITEM_TOOLS), ("no-delete", ITEM_TOOLS - {"delete_custom_item"}), ("none", set())])
async def test_the_writes_setting_decides_which_item_tools_exist(
        offline: Settings, writes: str, listed: set[str]) -> None:
    async with connected(dataclasses.replace(offline, writes=writes)) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    assert set(tools) & ITEM_TOOLS == listed
    hints = {name: (tools[name].annotations.destructive_hint,
                    tools[name].annotations.idempotent_hint) for name in listed}
    expected = {"create_custom_item": (False, False), "update_custom_item": (True, True),
                "delete_custom_item": (True, True)}
    assert hints == {name: expected[name] for name in listed}
    assert all(tools[n].annotations.read_only_hint is False
               and tools[n].annotations.open_world_hint is True for n in listed)


async def test_the_demo_makes_items_without_a_network(template: SyncedStore,
                                                      tmp_path: Path) -> None:
    settings = demo_copy(template, tmp_path)
    largest = max(int(i) for (i,) in execute(settings.db_path, "SELECT id FROM custom_items"))
    created = await ask_text(settings, "create_custom_item", FIELD)
    assert item_id(created) == largest + 1 and "demo store" in created
    assert created.startswith(f"Created custom item {largest + 1} in the demo mirror:")
    assert execute(settings.db_path, "SELECT name, code FROM custom_items WHERE id = ?",
                   str(largest + 1)) == [("Caffeine (mg)", "CaffeineMg")]
