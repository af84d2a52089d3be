"""The wellness tool through a real MCP client session, on a store synced from the fake API:
each day with units and custom fields by name, projected days marked."""

from __future__ import annotations

import datetime as dt

import pytest

from intervals_mirror.config import Settings
from intervals_mirror.sync import run_sync

from fake_api import FakeIntervals
from server_helpers import (
    SyncedStore,
    answer,
    ask,
    ask_text,
    half_up,
    text_of,
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


async def test_one_stored_value_reads_the_same_in_every_tool(
        live: tuple[FakeIntervals, Settings], template: SyncedStore) -> None:
    """Rounded once, at rendering, with one number of decimals per quantity: a CTL of 30.445
    is 30.4 in the wellness days and in the fitness trend (not 30.45 -> 30.5), a form of -13
    reads -13.0 beside -13.2, a ramp of -0.04 reads 0.0 (never -0.0), HRV has no decimals."""
    fake, settings = live
    day = max(d for d, r in template.dataset.wellness.items() if d <= str(fake.today)
              and r.get("hrv") is not None)
    fake.edit_wellness(day, ctl=30.445, atl=43.445, rampRate=-0.04, hrv=68.8)
    assert run_sync(settings).status == "ok"
    days = {"start_date": day, "end_date": day}
    wellness = await ask_text(settings, "get_wellness_data", days)
    trend = await ask_text(settings, "get_fitness_trend", {**days, "group_by": "day"})
    trends = await ask_text(settings, "get_wellness_trends", {**days, "fields": "hrv, form, ctl"})
    ctl, form, hrv = half_up(30.445, 1), f"{30.445 - 43.445:.1f}", half_up(68.8)
    assert (ctl, form, hrv) == ("30.4", "-13.0", "69")   # the inputs' meaning, checked apart
    assert f"{day}: CTL {ctl}, ATL 43.4, form {form}, ramp 0.0 | HRV {hrv} ms" in wellness
    assert f"\n{day}: CTL {ctl}, ATL 43.4, form {form}, ramp 0.0" in trend
    assert f"on {day}: CTL {ctl}, ATL 43.4, form {form}; CTL +0.0 since {day} ({ctl})" in trend
    assert f"\nhrv: avg {hrv} ms ({hrv} ms to {hrv} ms, 1 day)" in trends
    assert f"\nform: avg {form} ({form} to {form}, 1 day)" in trends
    assert f"\nctl: avg {ctl} ({ctl} to {ctl}, 1 day)" in trends
    assert "-0.0" not in wellness + trend + trends


async def test_a_custom_value_that_is_no_number_is_hidden_and_left_out_of_trends(
        live: tuple[FakeIntervals, Settings], template: SyncedStore) -> None:
    """Custom fields the server computes can hold "Infinity" (a string, as real responses
    write it): no day shows it, and the trend averages the days that have a number."""
    fake, settings = live
    days = sorted(d for d, r in template.dataset.wellness.items()
                  if isinstance(r.get("CaffeineMg"), int) and d <= str(fake.today))[-4:]
    fake.edit_wellness(days[-1], CaffeineMg="Infinity")
    assert run_sync(settings).status == "ok"
    span = {"start_date": days[0], "end_date": days[-1]}
    shown = await ask_text(settings, "get_wellness_data", span)
    line = next(x for x in shown.splitlines() if x.startswith(f"{days[-1]}:"))
    assert "Caffeine" not in line and "Infinity" not in shown and "inf" not in line.lower()
    assert f"Caffeine (mg) {template.dataset.wellness[days[0]]['CaffeineMg']}" in shown
    trends = await ask_text(settings, "get_wellness_trends", {**span, "fields": "CaffeineMg"})
    numbers = [template.dataset.wellness[d]["CaffeineMg"] for d in days[:-1]]
    assert (f"\nCaffeine (mg): avg {half_up(sum(numbers) / len(numbers), 1)} "
            f"({half_up(min(numbers), 1)} to {half_up(max(numbers), 1)}, 3 days)") in trends


@pytest.mark.parametrize("field", ["Travel", "Sleep notes", "sleepnotes"])
async def test_trends_of_a_text_custom_field_say_it_holds_no_numbers(
        offline: Settings, field: str) -> None:
    result = await ask(offline, "get_wellness_trends", {"fields": field})
    assert result.is_error
    assert f"fields: {field!r} is a custom field holding text, not numbers" in text_of(result)
    assert "unknown wellness field" not in text_of(result)
