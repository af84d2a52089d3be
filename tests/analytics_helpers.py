"""Shared by the analytics tests: a generated store with edge cases, copies of it, a
snapshot of everything a write could change, and the statements that try to write."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

from intervals_mirror.demo.build import load_dataset
from intervals_mirror.demo.dataset import generate
from intervals_mirror.demo.edits import make_activity, make_strava_stub
from intervals_mirror.store import Store

END = dt.date(2025, 3, 31)
LEAP_DAY = "2024-02-29"
FULL = ("2023-04-01", "2025-03-31")


def build_store(path: Path) -> Path:
    """Two years ending 2025-03-31 (so 2024-02-29 is inside), with the edge cases added."""
    dataset = generate(years=2, seed=5, end=END)
    ride, _ = make_activity(dataset, LEAP_DAY, sport="Ride")
    for key in ("icu_average_watts", "icu_weighted_avg_watts", "average_heartrate",
                "max_heartrate", "icu_intensity"):
        ride[key] = None
    run, _ = make_activity(dataset, LEAP_DAY, sport="Run")
    run["average_heartrate"] = None
    make_strava_stub(dataset, LEAP_DAY)
    make_strava_stub(dataset, "2024-03-04")
    with Store.open(path) as store:
        load_dataset(store, dataset)
    return path


TEN_YEARS_END = dt.date(2025, 3, 31)


def build_ten_years(path: Path) -> Path:
    """Ten generated years ending 2025-03-31: the longest history the answer budgets face
    (about 4,300 activities, 13,000 intervals, 3,650 wellness days, 2,000 events)."""
    with Store.open(path) as store:
        load_dataset(store, generate(years=10, seed=3, end=TEN_YEARS_END))
    return path


def copy_store(source: Path, target: Path) -> None:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def snapshot(path: Path) -> dict[str, object]:
    """Everything a write could change: the bytes (main file and WAL), schema, row counts."""
    digest = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
              for p in sorted(path.parent.iterdir())
              if not p.name.endswith("-shm") and p.stat().st_size}  # readers leave empty WALs
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        schema = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
        counts = {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                  for _, name, _ in schema if _ == "table"}
        pragmas = [conn.execute(f"PRAGMA {p}").fetchone()[0]
                   for p in ("user_version", "journal_mode", "application_id")]
    finally:
        conn.close()
    return {"files": digest, "schema": schema, "counts": counts, "pragmas": pragmas}


ATTEMPTS = {
    "insert": "INSERT INTO activities (id, athlete_id, raw, fingerprint, synced_at) "
              "VALUES ('x', 'i1', '{}', 'f', 'now')",
    "update": "UPDATE wellness SET hrv = 1",
    "delete": "DELETE FROM activities",
    "drop": "DROP TABLE activities",
    "create": "CREATE TABLE notes (x)",
    "create temp": "CREATE TEMP TABLE notes (x)",
    "create view": "CREATE VIEW v AS SELECT 1",
    "alter": "ALTER TABLE activities ADD COLUMN x",
    "attach": "ATTACH DATABASE '{dir}/other.sqlite' AS other",
    "vacuum into": "VACUUM INTO '{dir}/copy.sqlite'",
    "copy to": "COPY activities TO '{dir}/out.csv'",
    "read_csv": "SELECT * FROM read_csv('/etc/passwd')",
    "load_extension": "SELECT load_extension('{dir}/evil')",
    "two statements": "SELECT 1; DROP TABLE activities",
    "pragma query_only": "PRAGMA query_only = 0",
    "pragma journal_mode": "PRAGMA journal_mode = DELETE",
    "pragma user_version": "PRAGMA user_version = 99",
    "pragma writable_schema": "PRAGMA writable_schema = 1",
    "pragma wal_checkpoint": "PRAGMA wal_checkpoint(TRUNCATE)",
    "pragma optimize": "PRAGMA optimize",
    "begin": "BEGIN IMMEDIATE",
    "savepoint": "SAVEPOINT s",
    "reindex": "REINDEX",
    "analyze": "ANALYZE",
    "replace": "REPLACE INTO sync_state (athlete_id, resource) VALUES ('i1', 'activities')",
    "with delete": "WITH x AS (SELECT 1) DELETE FROM wellness",
    # SQLite asks for UPDATE on sqlite_master when json_each is first used; that is allowed,
    # but the schema table itself still cannot be changed.
    "update sqlite_master": "UPDATE sqlite_master SET sql = 'x'",
    "update sqlite_master after json_each":
        "WITH j AS (SELECT * FROM json_each('[1]')) UPDATE sqlite_master SET sql = 'x' "
        "WHERE name IN (SELECT value FROM j)",
    "delete sqlite_master": "DELETE FROM sqlite_master",
    "update sqlite_temp_master": "UPDATE sqlite_temp_master SET sql = 'x'",
}
