"""write_through as a plain module against the fake API (no MCP): the API first, then the
store with what it answered; nothing stored when the API refuses or cannot be reached; a sync
running at the same time never undoes a write; deletions are kept in the deleted table."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import threading
from pathlib import Path
from typing import Any

import pytest

from intervals_mirror.config import Settings
from intervals_mirror.demo.clock import athlete_today
from intervals_mirror.errors import ApiError, LockTimeoutError, NetworkError
from intervals_mirror.sync import run_sync
from intervals_mirror.write_through import delete_events, save_event

from fake_api import FakeIntervals
from mirror_helpers import assert_store_equals_api, row_stamps
from server_helpers import SyncedStore, dead_base_url, execute

DAY = (athlete_today() + dt.timedelta(days=9)).isoformat()
WORKOUT = {"category": "WORKOUT", "name": "Threshold 3x10", "type": "Ride",
           "start_date_local": f"{DAY}T00:00:00",
           "description": "Warmup\n- 15m ramp 50-70%\n\n3x\n- 10m 95-100%\n- 5m Z1\n\n"
                          "Cooldown\n- 10m 50%"}


def stored(db: Path, event_id: Any) -> dict[str, Any] | None:
    rows = execute(db, "SELECT raw FROM events WHERE id = ?", str(event_id))
    return json.loads(rows[0][0]) if rows else None


def posts(fake: FakeIntervals) -> int:
    return sum(1 for r in fake.requests if r.method == "POST")


def test_a_created_workout_is_stored_as_the_api_returned_it_and_sync_agrees(
        live: tuple[FakeIntervals, Settings]) -> None:
    fake, settings = live
    saved = save_event(settings, WORKOUT, category="WORKOUT")
    upstream = fake.dataset.events[saved.raw["id"]]
    assert saved.created and not saved.demo
    assert stored(settings.db_path, upstream["id"]) == upstream == saved.raw
    assert upstream["workout_doc"]["duration"] == 15 * 60 + 3 * 15 * 60 + 10 * 60
    assert_store_equals_api(settings.db_path, fake.dataset)
    report = run_sync(settings)
    counts = report.counts["events"]
    assert (counts.added, counts.updated, counts.deleted) == (0, 0, 0)
    assert_store_equals_api(settings.db_path, fake.dataset)


def test_an_update_sends_only_the_fields_given(live: tuple[FakeIntervals, Settings]) -> None:
    fake, settings = live
    created = save_event(settings, {**WORKOUT, "moving_time": 4500}, category="WORKOUT").raw
    saved = save_event(settings, {"name": "Threshold, shorter"}, str(created["id"]),
                       category="WORKOUT")
    upstream = fake.dataset.events[created["id"]]
    assert not saved.created and upstream["name"] == "Threshold, shorter"
    for kept in ("description", "workout_doc", "moving_time", "start_date_local", "type"):
        assert upstream[kept] == created[kept], kept
    assert stored(settings.db_path, created["id"]) == upstream
    assert_store_equals_api(settings.db_path, fake.dataset)


def test_a_workout_is_not_turned_into_a_note(live: tuple[FakeIntervals, Settings]) -> None:
    fake, settings = live
    workout = save_event(settings, WORKOUT, category="WORKOUT").raw
    fake.reset_log()
    with pytest.raises(Exception, match=f"event_id: {workout['id']} is a WORKOUT, not a NOTE"):
        save_event(settings, {"name": "x"}, str(workout["id"]), category="NOTE")
    assert fake.requests == []


@pytest.mark.parametrize(("fault", "said"), [
    ({"status": 422, "body": '{"status":422,"error":"Name is too long"}'},
     "Intervals.icu refused the workout (422: Name is too long); nothing was changed"),
    ({"status": 403, "body": '{"status":403,"error":"Missing scope CALENDAR:WRITE"}'},
     "Intervals.icu refused the workout (403 Missing scope CALENDAR:WRITE): the API key must "
     "belong to the athlete or their coach"),
    ({"status": 429, "times": 5},
     "Intervals.icu keeps answering 429 Too Many Requests; nothing was changed"),
])
def test_a_refusal_says_what_the_api_said_and_changes_nothing(
        live: tuple[FakeIntervals, Settings], fault: dict[str, Any], said: str) -> None:
    fake, settings = live
    before, events = row_stamps(settings.db_path), dict(fake.dataset.events)
    fake.inject(path="/events", **fault)
    with pytest.raises(ApiError) as caught:
        save_event(settings, WORKOUT, category="WORKOUT")
    message = str(caught.value)
    assert message.startswith(said) and "\n" not in message
    assert row_stamps(settings.db_path) == before and fake.dataset.events == events


def test_an_unknown_event_is_a_404_naming_it(live: tuple[FakeIntervals, Settings]) -> None:
    _, settings = live
    with pytest.raises(ApiError, match=r"^event_id: Intervals.icu has no event 123 \(404: "
                                       r"Event not found\); nothing was changed$"):
        save_event(settings, {"name": "x"}, "123", category="WORKOUT")


def test_offline_a_write_fails_at_once_and_changes_nothing(offline: Settings) -> None:
    before = row_stamps(offline.db_path)
    with pytest.raises(NetworkError, match="^Intervals.icu is unreachable; nothing was "
                                           "changed$"):
        save_event(offline, WORKOUT, category="WORKOUT")
    assert row_stamps(offline.db_path) == before


def test_a_post_whose_answer_was_lost_is_not_sent_again(
        live: tuple[FakeIntervals, Settings]) -> None:
    fake, settings = live
    before = row_stamps(settings.db_path)
    fake.inject(path="/events", drop=True)
    fake.reset_log()
    with pytest.raises(NetworkError, match="may or may not have been made; the mirror was "
                                           "not changed"):
        save_event(settings, WORKOUT, category="WORKOUT")
    assert posts(fake) == 1 and row_stamps(settings.db_path) == before


def test_a_sync_that_listed_before_a_write_does_not_undo_it(
        live: tuple[FakeIntervals, Settings]) -> None:
    """The sync lists the events (held by the fake) before the write; without the writer
    lock it would store that older listing after the write and delete the new event."""
    fake, settings = live
    settings = dataclasses.replace(settings, lock_timeout=30)
    held = fake.hold(r"/events\?oldest")
    syncing = threading.Thread(target=run_sync, args=(settings,))
    syncing.start()
    assert held.arrived.wait(10)
    saved: list[Any] = []
    writing = threading.Thread(target=lambda: saved.append(
        save_event(settings, WORKOUT, category="WORKOUT")))
    writing.start()
    writing.join(0.5)
    assert writing.is_alive() and posts(fake) == 0  # waits for the sync to finish
    held.release()
    syncing.join(30)
    writing.join(30)
    event_id = saved[0].raw["id"]
    assert stored(settings.db_path, event_id) == fake.dataset.events[event_id]
    assert execute(settings.db_path, "SELECT count(*) FROM deleted") == [(0,)]
    report = run_sync(settings)
    assert report.counts["events"].changed == 0
    assert_store_equals_api(settings.db_path, fake.dataset)


def test_a_write_during_a_long_sync_says_to_try_again(
        live: tuple[FakeIntervals, Settings]) -> None:
    fake, settings = live
    held = fake.hold(r"/events\?oldest")
    syncing = threading.Thread(target=run_sync, args=(settings,))
    syncing.start()
    try:
        assert held.arrived.wait(10)
        quick = dataclasses.replace(settings, lock_timeout=0.3)
        with pytest.raises(LockTimeoutError, match="^a sync is writing the mirror right "
                                                   "now; nothing was changed: try again"):
            save_event(quick, WORKOUT, category="WORKOUT")
        assert posts(fake) == 0
    finally:
        held.release()
        syncing.join(30)


def test_deleted_events_are_kept_with_their_last_json(
        live: tuple[FakeIntervals, Settings], template: SyncedStore) -> None:
    fake, settings = live
    mine = save_event(settings, WORKOUT, category="WORKOUT").raw
    far = fake.add_event(athlete_today() + dt.timedelta(days=200), "NOTE", name="Far")
    assert stored(settings.db_path, far["id"]) is None  # beyond future_days
    done = delete_events(settings, [str(mine["id"]), str(far["id"]), "999"])
    assert [r["id"] for r in done.deleted] == [str(mine["id"]), str(far["id"])]
    assert done.failed == [("999", "event_id: Intervals.icu has no event 999 (404: Event not "
                                   "found); nothing was changed")]
    assert mine["id"] not in fake.dataset.events and far["id"] not in fake.dataset.events
    kept = {i: (json.loads(raw), how, athlete) for i, raw, how, athlete in execute(
        settings.db_path, "SELECT id, raw, how, athlete_id FROM deleted "
                          "WHERE resource = 'events'")}
    assert kept == {str(mine["id"]): (mine, "tool", template.athlete_id),
                    str(far["id"]): (far, "tool", template.athlete_id)}
    assert_store_equals_api(settings.db_path, fake.dataset)


def test_an_event_already_deleted_upstream_leaves_the_mirror_too(
        live: tuple[FakeIntervals, Settings]) -> None:
    fake, settings = live
    mine = save_event(settings, WORKOUT, category="WORKOUT").raw
    fake.delete_event(mine["id"])
    done = delete_events(settings, [str(mine["id"])])
    assert [r["id"] for r in done.already_gone] == [str(mine["id"])] and not done.failed
    assert execute(settings.db_path, "SELECT how FROM deleted") == [("sync",)]
    assert stored(settings.db_path, mine["id"]) is None


def test_offline_a_range_deletion_stops_at_the_first_event(offline: Settings) -> None:
    ids = [r[0] for r in execute(offline.db_path, "SELECT id FROM events LIMIT 3")]
    before = row_stamps(offline.db_path)
    done = delete_events(offline, ids)
    assert [i for i, _ in done.failed] == ids and not done.deleted
    assert done.failed[0][1] == "Intervals.icu is unreachable; nothing was changed"
    assert {why for _, why in done.failed[1:]} == {"not tried"}
    assert row_stamps(offline.db_path) == before


def test_writes_need_a_mirror_to_show_them(fake_api: FakeIntervals, settings: Settings
                                           ) -> None:
    with pytest.raises(Exception, match="nothing is mirrored yet"):
        save_event(settings, WORKOUT, category="WORKOUT")
    assert fake_api.requests == [] and not settings.db_path.exists()


def test_dead_api_address_is_not_mistaken_for_a_lost_answer(template: SyncedStore,
                                                            tmp_path: Path) -> None:
    from server_helpers import mirror_settings

    settings = mirror_settings(template.copy_to(tmp_path), dead_base_url(),
                               template.athlete_id, max_retries=2)
    with pytest.raises(NetworkError) as caught:
        save_event(settings, WORKOUT, category="WORKOUT")
    assert not caught.value.maybe_applied


def test_a_change_the_store_cannot_take_is_not_reported_as_refused(
        live: tuple[FakeIntervals, Settings], monkeypatch: pytest.MonkeyPatch) -> None:
    from intervals_mirror.errors import DiskFullError
    from intervals_mirror.store import Store

    fake, settings = live

    def full(*args: Any, **kwargs: Any) -> None:
        raise DiskFullError("the disk is full")

    monkeypatch.setattr(Store, "save_rows", full)
    with pytest.raises(Exception, match=r"^Intervals.icu made the workout (\d+), but storing "
                                        r"it in the mirror failed \(the disk is full\); the "
                                        r"next sync brings it$") as caught:
        save_event(settings, WORKOUT, category="WORKOUT")
    event_id = int(re.search(r"workout (\d+)", str(caught.value)).group(1))
    assert event_id in fake.dataset.events and stored(settings.db_path, event_id) is None
