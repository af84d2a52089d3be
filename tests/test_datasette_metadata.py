"""`intervals-mirror datasette-metadata`: every table, view and column of a real store is
described, numeric columns carry their units, the canned queries answer what they say, and
Datasette itself (when it happens to be installed; it is not a test dependency) serves them."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from intervals_mirror.analytics.schema import describe_schema
from intervals_mirror.cli import main
from intervals_mirror.config import Settings

from server_helpers import SyncedStore


def metadata(capsys: pytest.CaptureFixture[str], db: Path) -> dict[str, Any]:
    assert main(["--db", str(db), "datasette-metadata"]) == 0
    return json.loads(capsys.readouterr().out)


def weekly_load(template: SyncedStore, since: str) -> dict[tuple[str, str], float]:
    """Training load per (Monday, sport) from the dataset the fake served, stubs left out."""
    load: dict[tuple[str, str], float] = defaultdict(float)
    for a in template.dataset.activities.values():
        day = a["start_date_local"][:10]
        if day >= since and "_note" not in a:
            monday = dt.date.fromisoformat(day) - dt.timedelta(days=dt.date.fromisoformat(
                day).weekday())
            load[(monday.isoformat(), a["type"])] += a.get("icu_training_load") or 0
    return dict(load)


def test_every_table_view_and_column_of_the_store_is_described(
        offline: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    found = metadata(capsys, offline.db_path)
    database = found["databases"]["mirror"]  # Datasette names it after the file
    conn = sqlite3.connect(offline.db_path)
    objects = conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                           "AND name NOT LIKE 'sqlite_%'").fetchall()
    for (name,) in objects:
        described = database["tables"][name]
        assert described["title"] and described["description"], name
        columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')]
        assert sorted(described["columns"]) == sorted(columns), name
        assert all(described["columns"].values()), name
        for table in describe_schema().data["tables"]:  # the same words as describe_schema
            if table["name"] == name:
                for c in table["columns"]:
                    assert described["columns"][c["name"]] == (
                        c["description"] or c["name"].replace("_", " "))
    conn.close()
    units = database["tables"]["activities"]["units"]
    assert units["distance"] == "m" and units["average_watts"] == "W"
    assert units["average_heartrate"] == "bpm" and units["average_speed"] == "m/s"
    assert database["tables"]["wellness"]["units"]["hrv"] == "ms"
    assert "bpm = " in " ".join(found["custom_units"])  # Pint learns bpm
    assert "moving_time" not in units  # seconds stay plain ("3.3 ks" reads badly)


def test_the_canned_queries_answer_what_they_say(
        offline: Settings, template: SyncedStore, capsys: pytest.CaptureFixture[str]) -> None:
    queries = metadata(capsys, offline.db_path)["databases"]["mirror"]["queries"]
    assert {"weekly_load_by_sport", "monthly_hours_by_sport", "fitness_last_90_days"} <= \
        set(queries)
    conn = sqlite3.connect(f"file:{offline.db_path}?mode=ro", uri=True)
    try:
        for query in queries.values():  # each one runs
            conn.execute(query["sql"], {"since": "", "code": "CaffeineMg"}).fetchall()
        since = "2000-01-01"
        rows = conn.execute(queries["weekly_load_by_sport"]["sql"], {"since": since}).fetchall()
    finally:
        conn.close()
    expected = weekly_load(template, since)
    assert {(week, sport): load for week, sport, _, _, _, load in rows} == pytest.approx(
        {k: round(v) for k, v in expected.items()})


@pytest.mark.anyio
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
async def test_datasette_serves_a_canned_query_and_units(
        offline: Settings, template: SyncedStore, capsys: pytest.CaptureFixture[str]) -> None:
    datasette = pytest.importorskip(
        "datasette.app", reason="Datasette is not installed (it is not a test dependency: "
                                "pip install datasette to check the metadata with it)")
    found = metadata(capsys, offline.db_path)
    ds = datasette.Datasette([str(offline.db_path)], metadata=found)
    await ds.invoke_startup()
    since = "2000-01-01"
    response = await ds.client.get(
        f"/mirror/weekly_load_by_sport.json?since={since}&_shape=array")
    assert response.status_code == 200, response.text
    rows = response.json()
    assert {(r["week"], r["sport"]): r["load"] for r in rows} == pytest.approx(
        {k: round(v) for k, v in weekly_load(template, since).items()})
    page = await ds.client.get("/mirror/activities?type=Ride&_size=5")
    assert page.status_code == 200
    assert "&nbsp;W<" in page.text and "&nbsp;bpm<" in page.text  # watts and heart rate
    assert "local day YYYY-MM-DD" in page.text  # a column's description
    title = await ds.client.get("/mirror/weekly_load_by_sport")
    assert "Weekly training load by sport" in title.text
