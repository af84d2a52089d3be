"""The store's schema as text, for a model about to write SQL."""

from __future__ import annotations

from typing import Any


def schema_text(data: dict[str, Any]) -> str:
    lines = ["intervals-mirror store schema", *(f"- {n}" for n in data["notes"])]
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in data["tables"]:
        lines.append(f"\n{table['kind']} {table['name']}: {table['description']}")
        columns = table["columns"]
        if table["kind"] == "table":
            tables[table["name"]] = columns
        else:
            source = _columns_from(columns, tables)
            if source:  # its columns once, not again for every view (they mean the same)
                lines.append(f"  every column of {source}, as described there, with these:")
                same = {(c["name"], c["type"], c["description"]) for c in tables[source]}
                columns = [c for c in columns
                           if (c["name"], c["type"], c["description"]) not in same]
        for c in columns:
            key = " PK" if c["primary_key"] else ""
            note = f": {c['description']}" if c["description"] else ""
            lines.append(f"  {c['name']} {c['type']}{key}{note}")
    return "\n".join(lines)


def _columns_from(columns: list[dict[str, Any]], tables: dict[str, list[dict[str, Any]]]
                  ) -> str | None:
    """The table whose columns a view starts with (``SELECT t.*``), if any."""
    names = [c["name"] for c in columns]
    return next((name for name, of in tables.items()
                 if len(of) > 2 and names[:len(of)] == [c["name"] for c in of]), None)
