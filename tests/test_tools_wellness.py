"""The wellness tool through a real MCP client session, on a store synced from the fake API:
each day with units and custom fields by name, projected days marked."""

from __future__ import annotations

import datetime as dt

import pytest

from intervals_mirror.config import Settings

from server_helpers import (
    SyncedStore,
    answer,
    half_up,
)

pytestmark = pytest.mark.anyio


async def test_get_wellness_data_shows_each_day_with_custom_fields_by_name(
        offline: Settings, template: SyncedStore) -> None:
    wellness = template.dataset.wellness
    days = sorted(d for d, r in wellness.items() if r.get("CaffeineMg") is not None)[-5:]
    start, end = days[0], days[-1]
    text, data = await answer(offline, "get_wellness_data", {"start_date": start,
                                                             "end_date": end})
    expected = sorted(d for d in wellness if start <= d <= end)
    assert [d["date"] for d in data["days"]] == expected
    assert data["custom_fields"]["CaffeineMg"] == "Caffeine (mg)"
    last = data["days"][-1]
    record = wellness[end]
    assert last["custom"]["Caffeine (mg)"] == record["CaffeineMg"]
    assert last["ctl"] == record["ctl"] and last["hrv"] == record["hrv"]
    assert last["form"] == pytest.approx(record["ctl"] - record["atl"])
    line = next(x for x in text.splitlines() if x.startswith(f"{end}:"))
    assert f"Caffeine (mg) {record['CaffeineMg']}" in line
    assert f"CTL {half_up(record['ctl'], 1)}" in line and "form " in line
    if record.get("sleepSecs"):
        assert f"sleep {record['sleepSecs'] / 3600:.1f} h" in line
    if record.get("restingHR"):
        assert f"resting HR {record['restingHR']} bpm" in line
    assert "form = CTL - ATL" in text.splitlines()[0]
    text, bare = await answer(offline, "get_wellness_data", {
        "start_date": start, "end_date": end, "include_custom_fields": False})
    assert "Caffeine" not in text and "custom" not in bare["days"][-1]


async def test_projected_days_are_marked(offline: Settings) -> None:
    _, trend = await answer(offline, "get_fitness_trend", {})
    today = dt.date.fromisoformat(trend["result"]["today"])
    ahead = (today + dt.timedelta(days=7)).isoformat()
    text, data = await answer(offline, "get_wellness_data", {
        "start_date": (today - dt.timedelta(days=2)).isoformat(), "end_date": ahead})
    future = [d for d in data["days"] if d["date"] > today.isoformat()]
    assert future and all(d["projected"] for d in future)
    assert not any(d["projected"] for d in data["days"] if d["date"] <= today.isoformat())
    assert data["projected_days"] == len(future)
    assert f"\n{future[0]['date']} (projected): CTL " in text
    assert f"\n{today.isoformat()}: " in text and "days marked projected lie ahead" in text
    text, trend = await answer(offline, "get_fitness_trend", {"end_date": ahead})
    points = trend["result"]["points"]
    assert [p["date"] > today.isoformat() for p in points] == [p["projected"] for p in points]
    assert trend["result"]["summary"]["projected"] is True
    assert f"\non {points[-1]['date']} (projected): CTL" in text
    assert f"values after today ({today.isoformat()}) are projected" in text


async def test_wellness_numbers_with_units_and_decimals(offline: Settings,
                                                        template: SyncedStore) -> None:
    day = max(d for d, r in template.dataset.wellness.items()
              if r.get("bodyFat") and not float(r["bodyFat"]).is_integer())
    text, _ = await answer(offline, "get_wellness_data", {"start_date": day, "end_date": day})
    assert f"body fat {half_up(template.dataset.wellness[day]['bodyFat'], 1)}%" in text
    assert "1 day with data" in text
