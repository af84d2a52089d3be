"""The athlete's custom items of every type: the list, one in full, and where a field's
values are kept."""

from __future__ import annotations

from typing import Any

from ..store import Store
from .common import columns, dicts, row_with_raw

ITEM_FIELDS = ("id", "type", "name", "description", "visibility", "code", "field_type",
               "aggregate", "position", "usage_count", "updated")


def custom_items(store: Store) -> list[dict[str, Any]]:
    """Every item in the athlete's order (the API's index), then by id."""
    return dicts(store.db.conn.execute(
        f"SELECT {columns(ITEM_FIELDS)} FROM custom_items "
        "ORDER BY position IS NULL, position, CAST(id AS INTEGER)"))


def custom_item(store: Store, item_id: str) -> dict[str, Any] | None:
    """One item: its columns and ``raw`` (its definition is under ``content``)."""
    return row_with_raw(store, "custom_items", ITEM_FIELDS, item_id)


def wellness_days_with(store: Store, code: str) -> int:
    """How many days carry a value of a custom wellness field (indexed by field)."""
    return int(store.db.conn.execute(
        "SELECT count(*) FROM wellness_custom WHERE field = ?", (code,)).fetchone()[0])


def item_ids(store: Store) -> list[str]:
    return [r[0] for r in store.db.conn.execute(
        "SELECT id FROM custom_items ORDER BY CAST(id AS INTEGER)")]
