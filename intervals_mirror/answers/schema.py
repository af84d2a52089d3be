"""The store's schema as text, for a model about to write SQL."""

from __future__ import annotations

from typing import Any


def schema_text(data: dict[str, Any]) -> str:
    lines = ["intervals-mirror store schema", *(f"- {n}" for n in data["notes"])]
    for table in data["tables"]:
        lines.append(f"\n{table['kind']} {table['name']}: {table['description']}")
        for c in table["columns"]:
            key = " PK" if c["primary_key"] else ""
            note = f": {c['description']}" if c["description"] else ""
            lines.append(f"  {c['name']} {c['type']}{key}{note}")
    return "\n".join(lines)
