"""describe_schema tells the truth about every table and view: each described column exists in
a synced store, and a view's column means what it says (a model that reads "type: the sport"
writes WHERE type = 'Ride' and silently gets nothing)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from intervals_mirror.analytics.schema import describe_schema
from intervals_mirror.config import Settings

from server_helpers import SyncedStore, connected, text_of

# Each view: the table it takes its rows from, how a view row finds its table row, and the
# columns that the view defines itself (all others are the table's, meaning the same).
VIEWS = {
    "work_intervals": ("intervals", "t.id = v.id", {"type", "date", "activity_type"}),
    "real_activities": ("activities", "t.id = v.id", {"is_stub"}),
    "fitness": ("wellness", "t.id = v.date", {"date"}),
    "power_curve": ("curve_points", "t.activity_id = v.activity_id AND t.kind = 'power' "
                    "AND t.secs_or_distance = v.secs",
                    {"activity_type", "secs", "watts", "watts_per_kg", "weight"}),
    "hr_curve": ("curve_points", "t.activity_id = v.activity_id AND t.kind = 'hr' "
                 "AND t.secs_or_distance = v.secs", {"activity_type", "secs", "bpm"}),
    "pace_curve": ("curve_points", "t.activity_id = v.activity_id AND t.kind = 'pace' "
                   "AND t.secs_or_distance = v.distance",
                   {"activity_type", "distance", "secs", "speed"}),
}


@pytest.fixture
def db(template: SyncedStore, tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(template.copy_to(tmp_path))
    yield conn
    conn.close()


def described() -> dict[str, dict[str, str]]:
    return {t["name"]: {c["name"]: c["description"] for c in t["columns"]}
            for t in describe_schema().data["tables"]}


def test_every_described_table_view_and_column_exists_in_a_synced_store(
        db: sqlite3.Connection) -> None:
    objects = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
        "AND name NOT LIKE 'sqlite_%'")]
    schema = described()
    assert sorted(schema) == sorted(objects)
    for name, columns in schema.items():
        in_store = [r[1] for r in db.execute(f'PRAGMA table_info("{name}")')]
        assert list(columns) == in_store, name


def test_view_columns_mean_what_their_description_says(db: sqlite3.Connection) -> None:
    schema = described()
    work = schema["work_intervals"]
    assert work["type"].startswith("always WORK")
    assert {r[0] for r in db.execute("SELECT DISTINCT type FROM work_intervals")} == {"WORK"}
    assert "sport" in work["activity_type"] and "sport" not in work["type"]
    wrong_sport = db.execute(
        "SELECT count(*) FROM work_intervals w JOIN activities a ON a.id = w.activity_id "
        "WHERE w.activity_type IS NOT a.type OR w.date IS NOT a.date").fetchone()[0]
    assert wrong_sport == 0
    sports = {r[0] for r in db.execute("SELECT DISTINCT activity_type FROM work_intervals")}
    assert {"Ride", "Run"} <= sports
    assert work["id"] == schema["intervals"]["id"] and "<activity_id>:" in work["id"]
    assert work["date"].startswith("the activity's local day")
    assert schema["real_activities"]["is_stub"].startswith("always 0")
    assert db.execute("SELECT count(*) FROM real_activities WHERE is_stub != 0").fetchone() == (0,)
    assert schema["fitness"]["date"].startswith("local day")


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_a_view_column_from_a_table_is_described_and_valued_as_the_table_column(
        db: sqlite3.Connection, view: str) -> None:
    table, join, own = VIEWS[view]
    schema = described()
    rows = db.execute(f"SELECT count(*) FROM {view}").fetchone()[0]
    assert rows > 0
    for column, note in schema[view].items():
        if column in own:
            continue
        assert note == schema[table][column], (view, column)
        differ = db.execute(f'SELECT count(*) FROM {view} v JOIN {table} t ON {join} '
                            f'WHERE v."{column}" IS NOT t."{column}"').fetchone()[0]
        assert differ == 0, (view, column)


@pytest.mark.anyio
async def test_the_tool_shows_each_view_columns_meaning(offline: Settings) -> None:
    async with connected(offline) as client:
        text = text_of(await client.call_tool("describe_schema", {}))
    work = text[text.index("work_intervals"):]
    assert "always WORK (the view keeps the work intervals only)" in work
    for column in ("type", "activity_type", "date"):
        assert described()["work_intervals"][column] in work, column
    assert "Ride, Run, Swim" not in work.split("activity_type")[0]  # not before its line


def test_the_curve_views_name_the_points_with_their_units(db: sqlite3.Connection) -> None:
    wrong = db.execute(
        "SELECT count(*) FROM power_curve v JOIN activities a ON a.id = v.activity_id "
        "JOIN curve_points p ON p.activity_id = v.activity_id AND p.kind = 'power' "
        "AND p.secs_or_distance = v.secs JOIN activity_curves c ON c.id = v.activity_id || "
        "':power' WHERE v.watts IS NOT p.value OR v.activity_type IS NOT a.type "
        "OR v.watts_per_kg IS NOT round(p.value / c.weight, 2)").fetchone()[0]
    assert wrong == 0
    assert db.execute("SELECT count(*) FROM pace_curve WHERE abs(speed - distance / secs) > "
                      "0.001").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM hr_curve").fetchone()[0] == db.execute(
        "SELECT count(*) FROM curve_points WHERE kind = 'hr'").fetchone()[0]
    schema = described()
    assert "W/kg" in schema["power_curve"]["watts_per_kg"]
    assert schema["pace_curve"]["distance"].endswith(", m")
    assert schema["pace_curve"]["secs"].endswith(", s")


def test_a_view_with_a_tables_columns_names_the_table_instead_of_repeating_them() -> None:
    """Every column of every view can be read from the text: listed under the view, or, where
    the view says it has every column of a table, under that table with the same meaning."""
    answer = describe_schema()
    blocks = {b.split(":", 1)[0]: b for b in answer.text.split("\n\n")[1:]}
    schema = described()
    shortened = set()
    for table in answer.data["tables"]:
        if table["kind"] != "view":
            continue
        block = blocks[f"view {table['name']}"]
        source = re.search(r"\n  every column of (\w+), as described there", block)
        for column, note in schema[table["name"]].items():
            if f"\n  {column} " in block:
                continue
            assert source, (table["name"], column)
            assert schema[source.group(1)][column] == note, (table["name"], column)
            assert f"\n  {column} " in blocks[f"table {source.group(1)}"]
            shortened.add(table["name"])
    assert {"real_activities", "work_intervals"} <= shortened
    assert "moving_time" not in blocks["view real_activities"]
    assert "is_stub INTEGER: always 0" in blocks["view real_activities"]
