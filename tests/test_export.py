"""`export` writes files the tools people use read with the right types: days as DATE, times as
TIMESTAMP, flags as BOOLEAN, custom wellness values as numbers; every table and view; read
back here with DuckDB and compared with the store itself."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from intervals_mirror.analytics.export import export_store
from intervals_mirror.cli import main


@pytest.fixture(scope="module")
def exported(analytics_template: Path, tmp_path_factory: pytest.TempPathFactory
             ) -> tuple[Path, dict[str, Any]]:
    """The generated store exported once as Parquet for this module (export only reads)."""
    out = tmp_path_factory.mktemp("export")
    return out, export_store(analytics_template, out, "parquet").data


@pytest.fixture
def reader() -> Iterator[duckdb.DuckDBPyConnection]:
    conn = duckdb.connect()
    conn.execute("SET TimeZone = 'UTC'")
    yield conn
    conn.close()


def store_rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def types(reader: duckdb.DuckDBPyConnection, path: Path) -> dict[str, str]:
    return {row[0]: row[1] for row in reader.execute(f"DESCRIBE SELECT * FROM '{path}'").fetchall()}


EXPECTED_TYPES = {
    "activities": {"id": "VARCHAR", "date": "DATE", "start_date_local": "TIMESTAMP",
                   "start_date": "TIMESTAMP WITH TIME ZONE", "is_stub": "BOOLEAN",
                   "trainer": "BOOLEAN", "commute": "BOOLEAN", "race": "BOOLEAN",
                   "moving_time": "BIGINT", "distance": "DOUBLE", "rpe": "BIGINT",
                   "icu_sync_date": "TIMESTAMP WITH TIME ZONE",
                   "synced_at": "TIMESTAMP WITH TIME ZONE", "raw": "VARCHAR"},
    "wellness": {"id": "VARCHAR", "date": "DATE", "hrv": "DOUBLE", "sleep_secs": "BIGINT",
                 "updated": "TIMESTAMP WITH TIME ZONE"},
    "wellness_custom": {"date": "DATE", "field": "VARCHAR", "value": "DOUBLE",
                        "value_text": "VARCHAR"},
    "events": {"date": "DATE", "start_date_local": "TIMESTAMP", "end_date_local": "TIMESTAMP",
               "indoor": "BOOLEAN", "moving_time": "BIGINT"},
    "sync_state": {"covered_from": "DATE", "last_ok_at": "TIMESTAMP WITH TIME ZONE"},
    "sync_runs": {"started_at": "TIMESTAMP WITH TIME ZONE", "requests": "BIGINT"},
    "fitness": {"date": "DATE", "ctl": "DOUBLE"},
    "real_activities": {"date": "DATE", "is_stub": "BOOLEAN", "moving_time": "BIGINT"},
    "work_intervals": {"date": "DATE", "activity_type": "VARCHAR", "average_watts": "DOUBLE"},
}


def test_parquet_files_of_every_table_and_view_have_real_types(
        analytics_template: Path, exported: tuple[Path, dict[str, Any]],
        reader: duckdb.DuckDBPyConnection) -> None:
    out, data = exported
    store_path = analytics_template
    objects = {r[0] for r in store_rows(store_path, "SELECT name FROM sqlite_master WHERE type "
                                        "IN ('table', 'view') AND name NOT LIKE 'sqlite_%'")}
    assert {f["table"] for f in data["files"]} == objects
    assert {"fitness", "real_activities", "work_intervals"} <= objects
    for name in objects:
        path = out / f"{name}.parquet"
        (rows,) = reader.execute(f"SELECT count(*) FROM '{path}'").fetchone() or (None,)
        assert rows == store_rows(store_path, f'SELECT count(*) FROM "{name}"')[0][0], name
        written = types(reader, path)
        for column, kind in EXPECTED_TYPES.get(name, {}).items():
            assert written[column] == kind, (name, column)


def test_parquet_values_are_the_stores_values(analytics_template: Path,
                                              exported: tuple[Path, dict[str, Any]],
                                              reader: duckdb.DuckDBPyConnection) -> None:
    out, store_path = exported[0], analytics_template
    store = {r[0]: r[1:] for r in store_rows(
        store_path, "SELECT id, date, start_date_local, start_date, is_stub, trainer "
        "FROM activities")}
    exported = reader.execute("SELECT id, date, start_date_local, start_date, is_stub, trainer "
                              f"FROM '{out / 'activities.parquet'}'").fetchall()
    assert len(exported) == len(store)
    for aid, day, local, utc, stub, trainer in exported:
        s_day, s_local, s_utc, s_stub, s_trainer = store[aid]
        assert day == dt.date.fromisoformat(s_day)
        assert local == dt.datetime.fromisoformat(s_local)
        if s_utc is not None:
            assert utc == dt.datetime.fromisoformat(s_utc.replace("Z", "+00:00"))
        assert stub is bool(s_stub)
        assert trainer is (None if s_trainer is None else bool(s_trainer))
    days = reader.execute(f"SELECT id, date FROM '{out / 'wellness.parquet'}'").fetchall()
    assert days and all(day == dt.date.fromisoformat(wid) for wid, day in days)


def test_custom_wellness_values_are_numbers_with_text_values_beside_them(
        analytics_template: Path, exported: tuple[Path, dict[str, Any]],
        reader: duckdb.DuckDBPyConnection) -> None:
    store_path, tmp_path = analytics_template, exported[0]
    in_store = store_rows(store_path, "SELECT date, field, value FROM wellness_custom")
    numbers = {(d, f, float(v)) for d, f, v in in_store if isinstance(v, int | float)}
    texts = {(d, f, v) for d, f, v in in_store if isinstance(v, str)}
    assert numbers and texts  # the demo athlete has both kinds of custom field
    rows = reader.execute("SELECT strftime(date, '%Y-%m-%d'), field, value, value_text "
                          f"FROM '{tmp_path / 'wellness_custom.parquet'}'").fetchall()
    assert {(d, f, v) for d, f, v, t in rows if v is not None} == numbers
    assert {(d, f, t) for d, f, v, t in rows if t is not None} == texts
    assert all((v is None) != (t is None) for _, _, v, t in rows)


def test_a_value_that_is_not_a_date_keeps_its_column_as_text(
        store_path: Path, tmp_path: Path, reader: duckdb.DuckDBPyConnection) -> None:
    conn = sqlite3.connect(store_path)
    with conn:
        (aid,) = conn.execute("SELECT id FROM activities LIMIT 1").fetchone()
        conn.execute("UPDATE activities SET date = 'someday' WHERE id = ?", (aid,))
    conn.close()
    export_store(store_path, tmp_path, "parquet")
    path = tmp_path / "activities.parquet"
    assert types(reader, path)["date"] == "VARCHAR"
    assert reader.execute(f"SELECT date FROM '{path}' WHERE id = ?", [aid]).fetchone() == (
        "someday",)
    assert types(reader, path)["start_date_local"] == "TIMESTAMP"  # the others stay typed


def test_csv_export_reads_back_typed_with_utc_times(analytics_template: Path, tmp_path: Path,
                                                    reader: duckdb.DuckDBPyConnection,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    store_path = analytics_template
    out = tmp_path / "csv"
    assert main(["--db", str(store_path), "export", "--format", "csv", "--out", str(out)]) == 0
    assert "work_intervals: " in capsys.readouterr().out
    path = out / "activities.csv"
    written = types(reader, path)
    assert written["date"] == "DATE" and written["is_stub"] == "BOOLEAN"
    first = store_rows(store_path, "SELECT id, start_date FROM activities "
                       "WHERE start_date IS NOT NULL ORDER BY id LIMIT 1")[0]
    text = path.read_text(encoding="utf-8")
    utc = dt.datetime.fromisoformat(first[1].replace("Z", "+00:00"))
    assert f"{utc:%Y-%m-%d %H:%M:%S}+00" in text


def test_an_out_that_is_a_file_is_named_as_the_flag(analytics_template: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    taken = tmp_path / "taken"
    taken.write_text("not a folder", encoding="utf-8")
    assert main(["--db", str(analytics_template), "export", "--out", str(taken)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"intervals-mirror: --out: cannot create {taken}: "), err
    assert "Errno" not in err and taken.read_text(encoding="utf-8") == "not a folder"
