"""Bad tool and command parameters: named, explained, and echoed short, never a crash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from intervals_mirror import validate
from intervals_mirror.errors import QueryError

from server_helpers import SyncedStore, dead_base_url, mirror_settings, text_of

HUGE_ID = "9" * 5000


@pytest.mark.parametrize(("check", "value", "name"), [
    (validate.activity_id, HUGE_ID, "activity_id"),
    (validate.activity_id, int(HUGE_ID[:4000]), "activity_id"),
    (validate.activity_id, "i" + "1" * 200_000, "activity_id"),
    (validate.event_id, HUGE_ID, "event_id"),
    (validate.event_id, int(HUGE_ID[:4000]), "event_id"),
    (lambda v: validate.athlete_id(v, ["i104233"]), int(HUGE_ID[:4000]), "athlete_id"),
    (lambda v: validate.athlete_id(v, ["i104233"]), "i" + "7" * 100_000, "athlete_id"),
    (lambda v: validate.parse_date("start_date", v), "2026-01-01" * 20_000, "start_date"),
    (lambda v: validate.choices("category", v, ["RACE", "NOTE"]), "x" * 100_000, "category"),
    (lambda v: validate.limit("limit", v, maximum=50), "9" * 100_000, "limit"),
    (validate.activity_type, "Ride" * 25_000, "activity_type"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 30 else "")
def test_an_overlong_value_is_refused_naming_the_parameter_and_echoed_short(
        check: Any, value: Any, name: str) -> None:
    with pytest.raises(QueryError) as info:
        check(value)
    message = str(info.value)
    assert message.startswith(f"{name}: ") and "expected" in message
    assert len(message) < 300, len(message)


def test_ids_up_to_64_bits_still_pass() -> None:
    assert validate.activity_id("i" + "9" * 19) == "i" + "9" * 19
    assert validate.activity_id(2**63 - 1) == str(2**63 - 1)
    assert validate.event_id(" 41234567 ") == "41234567"
    with pytest.raises(QueryError, match="activity_id: expected an activity id"):
        validate.activity_id("i" + "9" * 20)


def test_activity_type_is_text_of_at_most_100_characters() -> None:
    assert validate.activity_type("  VirtualRide ") == "VirtualRide"
    assert validate.activity_type("") is None and validate.activity_type(None) is None
    assert validate.activity_type("x" * 100) == "x" * 100
    with pytest.raises(QueryError, match="activity_type: expected at most 100 characters, "
                                         "got 'xxx"):
        validate.activity_type("x" * 101)
    with pytest.raises(QueryError, match="activity_type: expected text, got 5"):
        validate.activity_type(5)
    with pytest.raises(QueryError, match="sql: expected at most 100,000 characters"):
        validate.text("sql", "SELECT 1 " + " " * 100_000, 100_000)


@pytest.mark.anyio
async def test_a_5000_digit_id_is_a_tool_error_naming_the_parameter(
        template: SyncedStore, tmp_path: Path) -> None:
    from mcp import Client

    from intervals_mirror.server import create_server

    settings = mirror_settings(template.copy_to(tmp_path), dead_base_url(),
                               template.athlete_id)
    async with Client(create_server(settings)) as client:
        results = {tool: await client.call_tool(tool, {key: HUGE_ID}) for tool, key in (
            ("get_activity_details", "activity_id"), ("get_activity_intervals", "activity_id"),
            ("get_event_by_id", "event_id"))}
    for tool, result in results.items():
        text = text_of(result)
        assert result.is_error and "expected" in text and "(5,000 characters)" in text, tool
        assert "digits" not in text and "bug" not in text and len(text) < 400, tool
