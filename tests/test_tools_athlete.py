"""get_athlete_profile through a real MCP client session, on a store synced from the fake API:
the profile, thresholds and zone bounds computed here from the settings the fake serves,
offline and online, text only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from intervals_mirror.config import Settings, load_settings
from intervals_mirror.demo.build import build_demo_store, demo_settings
from intervals_mirror.demo.clock import athlete_today

from fake_api import FakeIntervals
from server_helpers import SyncedStore, ask, ask_text, connected, execute, half_up, text_of

pytestmark = pytest.mark.anyio


def pace(metres_per_s: float, per: float) -> str:
    """m:ss per ``per`` metres, rounded to the second."""
    seconds = int(half_up(per / metres_per_s))
    return f"{seconds // 60}:{seconds % 60:02d}"


def sports(dataset: Any) -> dict[str, dict[str, Any]]:
    return {s["types"][0]: s for s in dataset.athlete["sportSettings"]}


async def test_profile_gives_thresholds_and_every_zone_in_watts_bpm_and_pace(
        offline: Settings, template: SyncedStore) -> None:
    text = await ask_text(offline, "get_athlete_profile")
    athlete = template.dataset.athlete
    assert text.startswith(f"{athlete['name']} (athlete {athlete['id']})")
    assert f"time zone {athlete['timezone']}" in text
    assert f"weight {half_up(athlete['icu_weight'], 1)} kg" in text
    ride, run, swim = (sports(template.dataset)[k] for k in ("Ride", "Run", "Swim"))
    ftp = ride["ftp"]
    assert f"{', '.join(ride['types'])}: FTP {ftp} W (indoor {ride['indoor_ftp']} W" in text
    assert f"W' {half_up(ride['w_prime'] / 1000, 1)} kJ" in text
    tops = [int(half_up(ftp * p / 100)) for p in ride["power_zones"][:-1]]
    names = ride["power_zone_names"]
    assert f"Z1 {names[0]} 0-{tops[0]} W" in text
    for k in range(1, len(tops)):
        assert f"Z{k + 1} {names[k]} {tops[k - 1] + 1}-{tops[k]} W" in text
    assert f"Z{len(tops) + 1} {names[-1]} {tops[-1] + 1}+ W" in text  # 999: no top
    hr = run["hr_zones"]
    assert f"LTHR {run['lthr']} bpm" in text
    assert f"Z2 {run['hr_zone_names'][1]} {hr[0] + 1}-{hr[1]} bpm" in text
    threshold = run["threshold_pace"]
    assert f"threshold pace {pace(threshold, 1000)} /km" in text
    slowest, fastest = run["pace_zones"][0], run["pace_zones"][-2]
    assert f"Z1 {run['pace_zone_names'][0]} slower than " \
           f"{pace(threshold * slowest / 100, 1000)} /km" in text
    assert f"faster than {pace(threshold * fastest / 100, 1000)} /km" in text
    assert f"threshold pace {pace(swim['threshold_pace'], 100)} /100 m" in text
    assert f"slower than {pace(swim['threshold_pace'] * swim['pace_zones'][0] / 100, 100)}" \
           f" /100 m" in text
    eftp = newest_eftp(template.dataset, ride["types"])
    # the day's value from wellness, named so: an activity's rolling eFTP can differ
    assert f"wellness eFTP {half_up(eftp[0])} W on {eftp[1]}" in text
    assert text.splitlines()[-1].startswith("mirrored up to ")


def newest_eftp(dataset: Any, types: list[str]) -> tuple[float, str]:
    today = athlete_today().isoformat()
    return next((info["eftp"], day) for day, record in sorted(dataset.wellness.items(),
                                                               reverse=True)
                if day <= today for info in record.get("sportInfo") or []
                if info.get("type") in types and info.get("eftp") is not None)


async def test_profile_answers_from_the_store_and_a_refresh_brings_new_settings(
        live: tuple[FakeIntervals, Settings]) -> None:
    fake, settings = live
    ride = sports(fake.dataset)["Ride"]
    fake.edit_sport_settings(ride["id"], ftp=301)
    fake.reset_log()
    before = await ask_text(settings, "get_athlete_profile")
    assert fake.count() == 0 and f"FTP {ride['ftp']} W" in before
    async with connected(settings) as client:
        refreshed = await client.call_tool("refresh", {"resources": "events"})
        assert not refreshed.is_error, text_of(refreshed)
        result = await client.call_tool("get_athlete_profile", {"athlete_id": 0})
    assert "FTP 301 W" in text_of(result)
    assert f"Z7 {ride['power_zone_names'][-1]} {int(half_up(301 * 1.5)) + 1}+ W" in text_of(
        result)


async def test_profile_is_text_only_and_read_only(offline: Settings) -> None:
    async with connected(offline) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        result = await client.call_tool("get_athlete_profile", {})
    tool = tools["get_athlete_profile"]
    assert tool.output_schema is None and result.structured_content is None
    assert tool.annotations is not None and tool.annotations.read_only_hint is True
    assert set(tool.input_schema["properties"]) == {"athlete_id"}


async def test_profile_refuses_another_athlete_and_says_when_never_mirrored(
        offline: Settings) -> None:
    result = await ask(offline, "get_athlete_profile", {"athlete_id": "i999"})
    assert result.is_error and text_of(result).startswith("athlete_id: ")
    execute(offline.db_path, "DELETE FROM sync_state WHERE resource = 'sport_settings'")
    result = await ask(offline, "get_athlete_profile", {})
    assert result.is_error and "no sport_settings mirrored yet" in text_of(result)
    assert "refresh" in text_of(result)


async def test_the_demo_store_shows_the_profile_gear_and_custom_items(tmp_path: Path) -> None:
    """`serve --demo` needs no account: the demo athlete's lists are in its store."""
    real = load_settings(overrides={"db_path": tmp_path / "mirror.sqlite"}, environ={})
    settings = demo_settings(real)
    build_demo_store(settings.db_path, years=0.5)
    async with connected(settings) as client:
        answers = {name: await client.call_tool(name, args) for name, args in (
            ("get_athlete_profile", {}), ("get_gear_list", {"refresh": True}),
            ("get_custom_items", {}))}
    for name, result in answers.items():
        assert not result.is_error, (name, text_of(result))
    assert "power zones" in text_of(answers["get_athlete_profile"])
    assert "retired" in text_of(answers["get_gear_list"])
    assert "demo store of a generated athlete" in text_of(answers["get_gear_list"])
    assert "ZONES (custom zones)" in text_of(answers["get_custom_items"])
