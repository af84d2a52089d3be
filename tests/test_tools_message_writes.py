"""add_activity_message through a real MCP client session, against the fake API: the comment
is posted, the activity's comments listed again into the mirror (the API answers only the new
id), a comment gone upstream meanwhile is kept in the deleted table, and every failure says
what happened."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from intervals_mirror.config import Settings

from fake_api import FakeIntervals
from mirror_helpers import row_stamps
from server_helpers import (
    SyncedStore,
    ask,
    ask_text,
    connected,
    execute,
    text_of,
)
from write_helpers import demo_copy

pytestmark = pytest.mark.anyio


def commented(dataset: object) -> str:
    """The newest activity that has comments."""
    threads = dataset.messages  # type: ignore[attr-defined]
    acts = dataset.activities  # type: ignore[attr-defined]
    return max((a for a in threads if threads[a]), key=lambda a: acts[a]["start_date_local"])


def kept_messages(db: Path, activity_id: str) -> dict[str, dict]:
    return {i: json.loads(raw) for i, raw in execute(
        db, "SELECT id, raw FROM activity_messages WHERE activity_id = ?", activity_id)}


async def test_a_comment_is_posted_and_the_thread_kept_as_the_api_lists_it(
        live: tuple[FakeIntervals, Settings]) -> None:
    fake, settings = live
    activity = commented(fake.dataset)
    await ask_text(settings, "get_activity_messages", {"activity_id": activity})
    dropped = fake.dataset.messages[activity].pop(0)  # deleted upstream since it was kept

    answer = await ask_text(settings, "add_activity_message", {
        "activity_id": activity, "content": "Strong finish, well paced."})

    thread = fake.dataset.messages[activity]
    new = thread[-1]
    assert new["content"] == "Strong finish, well paced."
    assert new["athlete_id"] == fake.athlete_id
    assert answer.startswith(f"Added message {new['id']} on Intervals.icu and in the mirror.")
    assert "Strong finish, well paced." in answer
    assert kept_messages(settings.db_path, activity) == {str(m["id"]): m for m in thread}
    kept = execute(settings.db_path, "SELECT raw, how FROM deleted WHERE resource = "
                                     "'activity_messages'")
    assert [(json.loads(raw), how) for raw, how in kept] == [(dropped, "sync")]
    fake.reset_log()
    again = await ask_text(settings, "get_activity_messages", {"activity_id": activity})
    assert "Strong finish, well paced." in again and fake.requests == []


async def test_a_comment_on_an_activity_the_mirror_cannot_show_is_refused(
        live: tuple[FakeIntervals, Settings]) -> None:
    fake, settings = live
    stub = next(a["id"] for a in fake.dataset.activities.values() if "_note" in a)
    before = row_stamps(settings.db_path)
    fake.reset_log()
    for args, error in [
        ({"activity_id": stub, "content": "x"}, f"activity_id: {stub} is a Strava import"),
        ({"activity_id": "i1", "content": "x"}, "activity_id: i1 is not in the store"),
        ({"activity_id": commented(fake.dataset), "content": " "},
         "content: expected the comment's text"),
        ({"activity_id": "bad id", "content": "x"}, "activity_id: expected an activity id"),
    ]:
        result = await ask(settings, "add_activity_message", args)
        assert result.is_error and text_of(result).startswith(error), text_of(result)
    assert [r for r in fake.requests if r.method == "POST"] == []
    assert row_stamps(settings.db_path) == before


async def test_when_the_listing_fails_the_answer_says_the_comment_was_made(
        live: tuple[FakeIntervals, Settings]) -> None:
    fake, settings = live
    activity = commented(fake.dataset)
    fake.inject(path=rf"/activity/{activity}/messages\?limit", status=500, times=10)
    result = await ask(settings, "add_activity_message", {
        "activity_id": activity, "content": "Nice"})
    posted = fake.dataset.messages[activity][-1]
    assert posted["content"] == "Nice"
    assert result.is_error and text_of(result).startswith(
        f"Intervals.icu made the message {posted['id']}, but listing the activity's messages "
        "failed (")
    assert text_of(result).endswith("get_activity_messages fetches them")


async def test_offline_a_comment_is_refused_in_one_line(offline: Settings,
                                                        template: SyncedStore) -> None:
    result = await ask(offline, "add_activity_message", {
        "activity_id": commented(template.dataset), "content": "x"})
    assert result.is_error
    assert text_of(result) == "Intervals.icu is unreachable; nothing was changed"


@pytest.mark.parametrize(("writes", "listed"), [("all", True), ("no-delete", True),
                                                 ("none", False)])
async def test_the_writes_setting_decides_whether_it_is_listed(
        offline: Settings, writes: str, listed: bool) -> None:
    async with connected(dataclasses.replace(offline, writes=writes)) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    assert ("add_activity_message" in tools) is listed
    if listed:
        hints = tools["add_activity_message"].annotations
        assert (hints.read_only_hint, hints.destructive_hint, hints.idempotent_hint,
                hints.open_world_hint) == (False, False, False, True)


async def test_the_demo_keeps_a_comment_without_a_network(template: SyncedStore,
                                                          tmp_path: Path) -> None:
    settings = demo_copy(template, tmp_path)
    activity = commented(template.dataset)
    before = len(kept_messages(settings.db_path, activity))
    answer = await ask_text(settings, "add_activity_message", {
        "activity_id": activity, "content": "Demo comment"})
    assert "Demo comment" in answer and "demo store" in answer
    assert answer.startswith("Added message ") and " in the demo mirror." in answer.splitlines()[0]
    assert "(as the demo mirror holds them now)" in answer.splitlines()[1]
    assert "Intervals.icu just now" not in answer  # the demo asked nothing of it
    mine = [m for m in kept_messages(settings.db_path, activity).values()
            if m["content"] == "Demo comment"]
    assert [m["athlete_id"] for m in mine] == [template.athlete_id]
    assert len(kept_messages(settings.db_path, activity)) == before + 1
