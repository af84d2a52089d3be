"""The athlete's gear: the list with totals and reminders, and gear names by id (activities
carry only the id)."""

from __future__ import annotations

import json
from typing import Any

from ..store import Store
from .athlete import profile
from .common import columns, dicts

GEAR_FIELDS = ("id", "type", "name", "purchased", "notes", "distance", "time", "activities",
               "retired", "component")


def gear_list(store: Store) -> list[dict[str, Any]]:
    """Every item: in use first (by distance), then retired; each with its reminders, the
    components it carries and the gear it is a component of, and the sports whose default it
    is (sport settings' default_gear_id)."""
    rows = dicts(store.db.conn.execute(
        f"SELECT {columns(GEAR_FIELDS)}, raw FROM gear "
        "ORDER BY retired IS NOT NULL, coalesce(distance, 0) DESC, id"))
    names = {r["id"]: r["name"] or r["id"] for r in rows}
    defaults: dict[str, list[str]] = {}
    for gear_id, types in store.db.conn.execute(
            "SELECT default_gear_id, types FROM sport_settings "
            "WHERE default_gear_id IS NOT NULL ORDER BY rowid"):
        defaults.setdefault(gear_id, []).append((types or "").split(",")[0] or "Other")
    parents = {}
    for row in rows:
        raw = json.loads(row.pop("raw"))
        row["reminders"] = [r for r in raw.get("reminders") or [] if isinstance(r, dict)]
        row["components"] = [names.get(str(c), str(c)) for c in raw.get("component_ids") or []]
        row["default_for"] = defaults.get(row["id"], [])
        parents.update({str(c): row["name"] or row["id"] for c in raw.get("component_ids") or []})
    for row in rows:
        row["component_of"] = parents.get(row["id"])
    return rows


def gear_names(store: Store) -> dict[str, str]:
    """gear id -> name: the mirrored gear list, else the profile's bikes and shoes (a store
    not synced since gear was mirrored)."""
    names = ({str(i): str(n or i) for i, n in store.db.conn.execute("SELECT id, name FROM gear")}
             if "gear" in store.db.table_names() else {})  # a store a sync has not upgraded
    athlete = profile(store) or {}
    listed = {str(g["id"]): str(g.get("name") or g["id"])
              for kind in ("bikes", "shoes") for g in athlete.get(kind) or []
              if isinstance(g, dict) and g.get("id")}
    return {**listed, **names}
