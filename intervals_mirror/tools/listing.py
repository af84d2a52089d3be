"""What tools/list sends: every tool's input schema without what a model does not need.

Clients put tools/list into every conversation, so each character is paid again and again.
Pydantic's schemas carry a title per parameter ("Start Date" for start_date), a title for the
whole argument model, and spell an optional parameter as ``anyOf: [X, null]`` with
``default: null``. None of that tells a model anything the name and description do not; the
arguments are still validated by the full model on every call.
"""

from __future__ import annotations

from typing import Any


def compact_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The same schema, smaller: no titles; an optional parameter is its type (absent = null)."""
    out = {k: v for k, v in schema.items() if k != "title"}
    if "properties" in out:
        out["properties"] = {name: compact_schema(prop)
                             for name, prop in out["properties"].items()}
    if isinstance(out.get("items"), dict):
        out["items"] = compact_schema(out["items"])
    if "anyOf" in out:
        out = _fold_any_of(out)
    return out


def _fold_any_of(schema: dict[str, Any]) -> dict[str, Any]:
    """``anyOf: [string, null]`` with ``default: null`` -> ``type: string``; a union of plain
    types -> ``type: [string, integer]`` (an array among them keeps its ``items``)."""
    options = [compact_schema(o) for o in schema["anyOf"]]
    nullable = {"type": "null"} in options
    if nullable and schema.get("default", ...) is None:
        options.remove({"type": "null"})
        schema = {k: v for k, v in schema.items() if k != "default"}
    rest = {k: v for k, v in schema.items() if k != "anyOf"}
    if len(options) == 1:
        return {**options[0], **rest}
    items = [o["items"] for o in options if "items" in o]
    if len(items) <= 1 and all(set(o) <= {"type", "items"} and isinstance(o.get("type"), str)
                               for o in options):
        merged: dict[str, Any] = {"type": [o["type"] for o in options]}
        return {**merged, **({"items": items[0]} if items else {}), **rest}
    return {"anyOf": options, **rest}
