"""Helpers the lookups share: rows as dicts, column lists, the athlete, custom field names."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..store import Store


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    total: int
    extra: dict[str, Any] = field(default_factory=dict)


def dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def columns(fields: Sequence[str], alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return ", ".join(f"{prefix}{name}" for name in fields)


def row_with_raw(store: Store, table: str, fields: Sequence[str], row_id: str
                 ) -> dict[str, Any] | None:
    """One row by id: its typed columns and ``raw`` parsed (the full record)."""
    rows = dicts(store.db.conn.execute(
        f"SELECT {columns(fields)}, raw FROM {table} WHERE id = ?", (row_id,)))
    if not rows:
        return None
    rows[0]["raw"] = json.loads(rows[0]["raw"])
    return rows[0]


def athlete(store: Store) -> dict[str, Any] | None:
    """The mirrored athlete (id, name, timezone), or None before the first sync."""
    rows = dicts(store.db.conn.execute("SELECT id, name, timezone FROM athlete LIMIT 1"))
    return rows[0] if rows else None


def custom_field_names(store: Store, item_type: str) -> dict[str, str]:
    """code -> display name of the athlete's custom fields of one kind (INPUT_FIELD: wellness)."""
    return {code: name or code for code, name in store.db.conn.execute(
        "SELECT code, name FROM custom_fields WHERE item_type = ? AND code IS NOT NULL "
        "ORDER BY code", (item_type,))}


def text_custom_fields(store: Store) -> dict[str, str]:
    """code -> name of the custom wellness fields that hold text: defined as text or select,
    or (not defined any more) with only text values stored."""
    return {code: name or code for code, name in store.db.conn.execute(
        "SELECT code, name FROM custom_fields WHERE item_type = 'INPUT_FIELD' "
        "AND code IS NOT NULL AND coalesce(field_type, '') != 'numeric' "
        "UNION SELECT field, field FROM wellness_custom GROUP BY field "
        "HAVING max(typeof(value) IN ('integer', 'real')) = 0 "
        "AND field NOT IN (SELECT code FROM custom_fields WHERE code IS NOT NULL)")}
