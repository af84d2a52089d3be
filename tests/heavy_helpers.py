"""A heavy athlete for the answer budgets: the generated ten years (``build_ten_years``) made
as wide as a real athlete's data gets, written with the store code sync uses.

Real athletes add dozens of custom wellness fields, keep many gear items and custom charts,
plan two sessions a day, and write long names, descriptions, plans and comments; the demo
athlete does none of that. What is added (``HEAVY``) is deterministic, and costs a second or
two on top of a copy of the ten-year store.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intervals_mirror import records
from intervals_mirror.activity_parts import save_messages, save_streams
from intervals_mirror.demo.streams import activity_streams
from intervals_mirror.store import Store, utc_now
from intervals_mirror.sync.whole import save_whole

from analytics_helpers import TEN_YEARS_END, copy_store


@dataclass(frozen=True)
class Heavy:
    """How wide the heavy athlete is."""

    wellness_fields: int = 60  # custom wellness fields, a value on each of the last year's days
    activity_fields: int = 40  # custom activity fields, all set on the newest ride
    charts: int = 40  # custom charts and panels, each with a long description
    gear: int = 80  # items, each with 3 reminders
    plans_per_day: int = 2  # planned workouts on every day of the ten years and 4 months ahead
    laps: int = 300  # intervals of one activity (a lap every kilometre of a long ride)
    comments: int = 60  # long comments on the newest activity
    description_chars: int = 30_000  # the newest ride's description and one plan's


HEAVY = Heavy()
YEAR_START = (TEN_YEARS_END - dt.timedelta(days=364)).isoformat()  # the last year's first day
SPORTS = ("NordicSki", "Rowing", "Hike", "WeightTraining", "Yoga", "Kayaking", "AlpineSki",
          "Elliptical", "RockClimbing", "Walk", "Swim", "TrailRun", "Snowshoe", "IceSkate")
WORDS = ("tempo", "threshold", "recovery", "endurance", "hills", "intervals", "sweet", "spot",
         "long", "steady", "easy", "club", "river", "pass", "headwind", "legs", "heavy", "after",
         "work", "cadence", "drills", "sprints", "strong", "calm")


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def build_heavy(ten_years: Path, path: Path) -> Path:
    """A copy of the ten-year store with ``HEAVY`` added."""
    copy_store(ten_years, path)
    rng = random.Random(18)
    now = utc_now()
    with Store.open(path) as store:
        athlete_id = store.db.conn.execute("SELECT id FROM athlete").fetchone()[0]
        with store.transaction():
            _lists(store, athlete_id, rng, now)
            _wellness(store, athlete_id, rng, now)
            newest = _activities(store, athlete_id, rng, now)
            _plans(store, athlete_id, rng, now)
            _laps(store, athlete_id)
            _parts(store, athlete_id, newest, rng, now)
    return path


def raws(store: Store, sql: str, *params: Any) -> list[dict[str, Any]]:
    return [json.loads(r[0]) for r in store.db.conn.execute(sql, params)]


def _item(athlete_id: str, item_id: int, kind: str, name: str, description: str | None,
          content: dict[str, Any], index: int) -> dict[str, Any]:
    return {"id": item_id, "athlete_id": athlete_id, "type": kind, "visibility": "PRIVATE",
            "name": name, "description": description, "image": None, "content": content,
            "usage_count": 1, "index": index, "hide_script": None, "hidden_by_id": None,
            "updated": "2024-01-05T08:00:00.000+00:00", "from_athlete": None, "from_id": None}


def wellness_code(i: int) -> str:
    return f"Morning{i:02d}"


def _lists(store: Store, athlete_id: str, rng: random.Random, now: str) -> None:
    """Custom wellness and activity fields, charts with long descriptions, and gear."""
    items = raws(store, "SELECT raw FROM custom_items")
    for i in range(HEAVY.wellness_fields):
        kind = "text" if i % 6 == 0 else "numeric"
        items.append(_item(athlete_id, 70_000 + i, "INPUT_FIELD",
                           f"Morning check {i:02d} {words(rng, 2)}", words(rng, 20),
                           {"code": wellness_code(i), "type": kind,
                            "aggregate": "AVERAGE" if kind == "numeric" else None}, 20 + i))
    for i in range(HEAVY.activity_fields):
        items.append(_item(athlete_id, 71_000 + i, "ACTIVITY_FIELD", f"Ride metric {i:02d}",
                           None, {"code": f"RideMetric{i:02d}", "type": "numeric",
                                  "aggregate": "AVERAGE"}, 100 + i))
    for i in range(HEAVY.charts):
        items.append(_item(athlete_id, 72_000 + i, "FITNESS_CHART", f"Chart {i:02d} "
                           f"{words(rng, 5)}", words(rng, 50),
                           {"type": "line", "script": words(rng, 300)}, 200 + i))
    save_whole(store, athlete_id, {"custom_items": items, "gear": [
        *raws(store, "SELECT raw FROM gear"),
        *(_gear(athlete_id, i, rng) for i in range(HEAVY.gear))]}, now)


def _gear(athlete_id: str, i: int, rng: random.Random) -> dict[str, Any]:
    gear_id = f"g{800_000 + i}"
    return {"id": gear_id, "athlete_id": athlete_id, "type": ("Bike", "Shoes", "Chain")[i % 3],
            "name": f"Gear {i:02d} {words(rng, 4)}", "purchased": "2016-03-01",
            "notes": words(rng, 30), "distance": 1_000.0 * (i + 1) * 97, "time": 3_600.0 * i,
            "activities": i * 3, "use_elapsed_time": False,
            "retired": "2021-05-01" if i % 4 == 0 else None, "component_ids": [],
            "reminders": [{"id": 90_000 + 3 * i + k, "gear_id": gear_id,
                           "name": f"Service {k} {words(rng, 3)}", "distance": 3e6,
                           "time": 360_000.0, "activities": 100, "days": 365,
                           "last_reset": "2024-06-01T00:00:00Z", "starting_distance": 0.0,
                           "starting_time": 0.0, "starting_activities": 0,
                           "snoozed_until": None, "percent_used": 40.0 + k,
                           "distance_used": 1.2e6, "time_used": 140_000.0,
                           "activities_used": 40, "days_used": 150} for k in range(3)],
            "activity_filters": None, "component": i % 3 == 2}


def _wellness(store: Store, athlete_id: str, rng: random.Random, now: str) -> None:
    """Every custom field and a long comment on each of the last year's days."""
    days = raws(store, "SELECT raw FROM wellness WHERE id >= ?", YEAR_START)
    for day in days:
        for i in range(HEAVY.wellness_fields):
            day[wellness_code(i)] = (words(rng, 6) if i % 6 == 0
                                     else round(rng.uniform(1, 999), 1))
        day["comments"] = words(rng, 30)
    store.save_wellness(days, athlete_id, now)


def _activities(store: Store, athlete_id: str, rng: random.Random, now: str) -> str:
    """The last year's activities with long names, a third in other sports; the newest ride
    with a very long description and every custom field. Returns the newest activity's id."""
    rows = raws(store, "SELECT raw FROM activities WHERE date >= ? AND is_stub = 0 "
                "ORDER BY start_date_local", YEAR_START)
    ride = next(a for a in reversed(rows) if a["type"] == "Ride")
    for activity in rows:
        activity["name"] = f"{activity.get('name') or 'Session'} {words(rng, 16)}"[:150]
        if activity is not ride and rng.random() < 0.3:
            activity["type"] = rng.choice(SPORTS)
    ride["description"] = _long_text(rng)
    ride.update({f"RideMetric{i:02d}": round(rng.uniform(1, 999), 2)
                 for i in range(HEAVY.activity_fields)})
    store.save_activities([records.activity_row(a, athlete_id, now) for a in rows])
    return str(rows[-1]["id"])


def _long_text(rng: random.Random) -> str:
    text = ""
    while len(text) < HEAVY.description_chars:
        text += words(rng, 40) + ".\n"
    return text.strip()


def _plans(store: Store, athlete_id: str, rng: random.Random, now: str) -> None:
    """Two planned workouts on every day (morning and evening), the newest with a long
    description."""
    template = raws(store, "SELECT raw FROM events WHERE category = 'WORKOUT' AND "
                    "json_type(raw, '$.workout_doc') = 'object' LIMIT 1")[0]
    first = store.db.conn.execute("SELECT min(date) FROM activities").fetchone()[0]
    day, last = dt.date.fromisoformat(first), TEN_YEARS_END + dt.timedelta(days=120)
    events, next_id = [], 60_000_000
    while day <= last:
        for hour in (6, 18)[:HEAVY.plans_per_day]:
            events.append({**template, "id": next_id, "paired_activity_id": None,
                           "start_date_local": f"{day}T{hour:02d}:00:00",
                           "end_date_local": f"{day + dt.timedelta(days=1)}T00:00:00",
                           "name": f"{('Ride', 'Run')[hour > 12]} {words(rng, 8)}",
                           "type": ("Ride", "Run")[hour > 12],
                           "description": words(rng, 40)})
            next_id += 1
        day += dt.timedelta(days=1)
    events[-1]["description"] = _long_text(rng)
    store.upsert("events", [records.event_row(e, athlete_id, now) for e in events])


def _laps(store: Store, athlete_id: str) -> None:
    """The longest ride of the last year gets a lap per kilometre."""
    activity_id = store.db.conn.execute(
        "SELECT id FROM activities WHERE type = 'Ride' AND date >= ? ORDER BY distance DESC "
        "LIMIT 1", (YEAR_START,)).fetchone()[0]
    lap = json.loads(store.db.conn.execute("SELECT raw FROM intervals WHERE activity_id = ? "
                                           "LIMIT 1", (activity_id,)).fetchone()[0])
    laps = [{**lap, "id": k + 1, "type": "RECOVERY" if k % 2 else "WORK", "label": f"Lap {k + 1}",
             "start_index": 120 * k, "end_index": 120 * k + 119}
            for k in range(HEAVY.laps)]
    store.save_intervals(activity_id, athlete_id, {"icu_intervals": laps, "icu_groups": []})


def _parts(store: Store, athlete_id: str, activity_id: str, rng: random.Random,
           now: str) -> None:
    """The newest activity's every stream and many long comments, kept as fetched now."""
    activity = raws(store, "SELECT raw FROM activities WHERE id = ?", activity_id)[0]
    laps = raws(store, "SELECT raw FROM intervals WHERE activity_id = ? ORDER BY position",
                activity_id)
    fingerprint = store.db.conn.execute("SELECT fingerprint FROM activities WHERE id = ?",
                                        (activity_id,)).fetchone()[0]
    streams = activity_streams(activity, laps)
    save_streams(store, activity_id, athlete_id, streams, [s["type"] for s in streams],
                 fingerprint, now)
    save_messages(store, activity_id, athlete_id, _comments(activity_id, athlete_id, rng),
                  fingerprint, now)


def _comments(activity_id: str, athlete_id: str, rng: random.Random) -> list[dict[str, Any]]:
    return [{"id": 9_000_000 + i, "athlete_id": athlete_id, "name": "Coach Example",
             "created": f"2025-03-30T{i // 60 + 6:02d}:{i % 60:02d}:00.000+00:00",
             "type": "TEXT", "content": words(rng, 250), "activity_id": activity_id,
             "start_index": None, "end_index": None, "answer": None, "activity": None,
             "attachment_url": None, "attachment_mime_type": None, "deleted": None,
             "deleted_by_id": None, "join_group_id": None, "accept_coaching_group_id": None,
             "seen": False} for i in range(HEAVY.comments)]
