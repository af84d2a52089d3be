"""The resource declarations match the schema: a declaration without its migration fails here,
before any sync writes a row."""

from __future__ import annotations

from pathlib import Path

from intervals_mirror.resources import DATED, MIRRORED_TABLES, WHOLE_LISTS
from intervals_mirror.store import Store


def _columns(store: Store, table: str) -> set[str]:
    return {row[1] for row in store.db.conn.execute(f"PRAGMA table_info({table})")}


def test_every_declared_table_and_column_exists_in_a_new_store(tmp_path: Path) -> None:
    with Store.open(tmp_path / "m.sqlite") as store:
        for table in MIRRORED_TABLES:
            assert _columns(store, table), f"{table} is declared but not in the schema"
        mirrored = {"id", "athlete_id", "raw", "fingerprint", "synced_at"}
        for resource in DATED:
            assert {resource.day_column, *mirrored} <= _columns(store, resource.table)
            for child in resource.children:
                assert child.parent_key in _columns(store, child.table)
        for whole in WHOLE_LISTS:
            assert mirrored <= _columns(store, whole.table)
