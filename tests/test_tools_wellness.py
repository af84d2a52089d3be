"""The wellness tool through a real MCP client session, on a store synced from the fake API:
each day as a table row with units in the header, custom fields by name, projected days
marked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from intervals_mirror.config import Settings
from intervals_mirror.sync import run_sync

from fake_api import FakeIntervals
from server_helpers import (
    SyncedStore,
    ask,
    ask_text,
    half_up,
    span_of,
    table_rows,
    text_of,
)

pytestmark = pytest.mark.anyio




def dec(value: float, digits: int = 0) -> str:
    """``digits`` decimals, half up, as every answer shows a quantity; never "-0.0"."""
    shown = half_up(value, digits)
    return shown[1:] if shown.startswith("-") and not shown.strip("-0.,") else shown


def one(value: float) -> str:
    return dec(value, 1)


def plain(value: float) -> str:
    """A custom field: a whole number as it is, others to one decimal."""
    return dec(value) if float(value).is_integer() else dec(value, 1)


# header -> (API field, how the value is shown), from the API's wellness object
SHOWN: dict[str, tuple[str, Any]] = {
    "CTL": ("ctl", one), "ATL": ("atl", one), "ramp": ("rampRate", one),
    "HRV ms": ("hrv", dec), "HRV SDNN ms": ("hrvSDNN", dec),
    "rest HR bpm": ("restingHR", dec), "sleep HR bpm": ("avgSleepingHR", dec),
    "SpO2 %": ("spO2", dec), "resp /min": ("respiration", one),
    "sleep h": ("sleepSecs", lambda v: dec(v / 3600, 1)),
    "sleep score /100": ("sleepScore", dec), "sleep quality 1-4": ("sleepQuality", dec),
    "readiness": ("readiness", dec), "weight kg": ("weight", one),
    "body fat %": ("bodyFat", one), "VO2max ml/kg/min": ("vo2max", one),
    "steps": ("steps", dec), "eaten kcal": ("kcalConsumed", dec),
    **{name: (name, dec) for name in ("soreness", "fatigue", "stress", "mood", "motivation",
                                      "injury")},
}


def expected_cell(record: dict[str, Any], header: str) -> str:
    field, fmt = SHOWN[header]
    value = record.get(field)
    return "" if value is None else fmt(value)


async def test_get_wellness_data_shows_each_day_with_units_and_custom_fields_by_name(
        offline: Settings, template: SyncedStore) -> None:
    wellness = template.dataset.wellness
    days = sorted(d for d, r in wellness.items() if r.get("CaffeineMg") is not None)[-20:]
    start, end = days[0], days[-1]
    text = await ask_text(offline, "get_wellness_data", {"start_date": start, "end_date": end})
    expected = sorted(d for d in wellness if start <= d <= end)
    rows = table_rows(text, "date")
    assert [r["date"] for r in rows] == expected
    shown = set(rows[0]) - {"date", "form", "comments"}
    assert {"CTL", "ATL", "HRV ms", "rest HR bpm", "sleep h", "Caffeine (mg)"} <= shown
    for row in rows:
        record = wellness[row["date"]]
        for header in shown & set(SHOWN):
            assert row[header] == expected_cell(record, header), (row["date"], header)
        assert row["form"] == one(round(record["ctl"] - record["atl"], 9))
        caffeine = record.get("CaffeineMg")
        assert row["Caffeine (mg)"] == ("" if caffeine is None else plain(caffeine))
    for header in set(SHOWN) - shown:   # a column is left out only when no day has a value
        assert all(wellness[d].get(SHOWN[header][0]) is None for d in expected), header
    head = text.splitlines()[0]
    assert head.startswith(f"Wellness {start} to {end}: {len(expected)} days with data")
    assert "form = CTL - ATL" in head
    assert "None" not in text and "N/A" not in text
    bare = await ask_text(offline, "get_wellness_data", {
        "start_date": start, "end_date": end, "include_custom_fields": False})
    assert "Caffeine" not in bare and len(table_rows(bare, "date")) == len(expected)


async def test_projected_days_are_marked(offline: Settings) -> None:
    today = dt.date.fromisoformat(span_of(await ask_text(offline, "get_wellness_data"))[1])
    ahead = (today + dt.timedelta(days=7)).isoformat()
    text = await ask_text(offline, "get_wellness_data", {
        "start_date": (today - dt.timedelta(days=2)).isoformat(), "end_date": ahead})
    rows = table_rows(text, "date")
    future = [r["date"] for r in rows if r["date"][:10] > today.isoformat()]
    assert future and all(d.endswith(" (projected)") for d in future)
    assert not any(r["date"].endswith("(projected)") for r in rows
                   if r["date"][:10] <= today.isoformat())
    assert any(r["date"] == today.isoformat() for r in rows)
    assert "days marked (projected) lie after today" in text.splitlines()[0]
    text = await ask_text(offline, "get_fitness_trend", {"end_date": ahead})
    assert f"values after today ({today.isoformat()}) are projected" in text
    assert f"\non {ahead} (projected): CTL" in text


async def test_a_long_comment_stays_on_its_row(offline: Settings,
                                               template: SyncedStore) -> None:
    from server_helpers import execute

    day = max(template.dataset.wellness)
    execute(offline.db_path, "UPDATE wellness SET comments = ? WHERE id = ?",
            "legs heavy | slept badly\nhot night", day)
    text = await ask_text(offline, "get_wellness_data", {"start_date": day, "end_date": day})
    (row,) = table_rows(text, "date")
    assert row["comments"] == "legs heavy / slept badly hot night"


async def test_wellness_numbers_with_units_and_decimals(offline: Settings,
                                                        template: SyncedStore) -> None:
    day = max(d for d, r in template.dataset.wellness.items()
              if r.get("bodyFat") and not float(r["bodyFat"]).is_integer())
    text = await ask_text(offline, "get_wellness_data", {"start_date": day, "end_date": day})
    (row,) = table_rows(text, "date")
    assert row["body fat %"] == one(template.dataset.wellness[day]["bodyFat"])
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
    (row,) = table_rows(wellness, "date")
    assert (row["CTL"], row["ATL"], row["form"], row["ramp"], row["HRV ms"]) == (
        ctl, "43.4", form, "0.0", hrv)
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
    rows = {r["date"]: r for r in table_rows(shown, "date")}
    assert rows[days[-1]]["Caffeine (mg)"] == ""
    assert "Infinity" not in shown
    assert rows[days[0]]["Caffeine (mg)"] == str(template.dataset.wellness[days[0]]["CaffeineMg"])
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
