"""Custom item writes: create, change and delete the athlete's custom fields, charts and other
items, as the live-API server's tools do; Intervals.icu first, then the mirror
(``write_through``). ``[server] writes`` decides which exist, as for the calendar writes."""

from __future__ import annotations

import json
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from pydantic import Field

from .. import validate
from ..answers.writes import item_deleted_text, item_saved_text
from ..config import Settings
from ..errors import QueryError, shown
from ..queries.custom_items import custom_item
from ._common import AppState, AthleteId, Deps, check_athlete, text_tool
from ._writes import CREATES, DELETES, UPDATES
from .readers import Readers

GROUP = "writes"  # for [server] tools
CUSTOM_ITEMS = ("custom_items",)
ITEM_TYPES = ("FITNESS_CHART", "FITNESS_TABLE", "TRACE_CHART", "INPUT_FIELD", "ACTIVITY_FIELD",
              "INTERVAL_FIELD", "ACTIVITY_STREAM", "ACTIVITY_CHART", "ACTIVITY_HISTOGRAM",
              "ACTIVITY_HEATMAP", "ACTIVITY_MAP", "ACTIVITY_PANEL", "ZONES")
FIELD_TYPES = ("INPUT_FIELD", "ACTIVITY_FIELD", "INTERVAL_FIELD")  # content.type: a value type
VALUE_TYPES = ("numeric", "text", "select")
AGGREGATES = ("MIN", "SUM", "MAX", "AVERAGE")
VISIBILITIES = ("PRIVATE", "FOLLOWERS", "PUBLIC")
MAX_CONTENT = 50_000  # characters of content JSON

ItemId = Annotated[int, Field(ge=1, description="Custom item id, e.g. 51234")]
# A name or description parameter says what it is: no words spent on it in tools/list.
Name = str | None
TYPES_HINT = "e.g. INPUT_FIELD (a wellness field), ACTIVITY_FIELD, FITNESS_CHART"
ItemType = Annotated[str | None, Field(description=TYPES_HINT)]
Description = str | None
Content = Annotated[dict[str, Any] | str | None, Field(description=(
    'e.g. a field\'s {"code": "CaffeineMg", "type": "numeric", "aggregate": "SUM"}'))]
Visibility = Annotated[str | None, Field(description="PRIVATE, FOLLOWERS or PUBLIC")]


def register(server: MCPServer[AppState], deps: Deps) -> None:
    settings, read = deps.settings, deps.read
    if settings.writes == "none":
        return

    @text_tool(server, title="Create a custom item", annotations=CREATES)
    def create_custom_item(name: str,
                           item_type: Annotated[str, Field(description=TYPES_HINT)],
                           description: Description = None, content: Content = None,
                           visibility: Visibility = None, athlete_id: AthleteId = None) -> str:
        """Create a custom field, chart or other item on Intervals.icu, then in the mirror."""
        body = _item_body(settings, read, athlete_id, None, name=name, item_type=item_type,
                          description=description, content=content, visibility=visibility)
        return _saved(settings, body, None)

    @text_tool(server, title="Change a custom item", annotations=UPDATES)
    def update_custom_item(item_id: ItemId, name: Name = None, item_type: ItemType = None,
                           description: Description = None, content: Content = None,
                           visibility: Visibility = None, athlete_id: AthleteId = None) -> str:
        """Change a custom item on Intervals.icu, then in the mirror: only the fields given
        (content is replaced whole)."""
        body = _item_body(settings, read, athlete_id, str(item_id), name=name, item_type=item_type,
                          description=description, content=content, visibility=visibility)
        return _saved(settings, body, str(item_id))

    if settings.writes != "all":
        return

    @text_tool(server, title="Delete a custom item", annotations=DELETES)
    def delete_custom_item(item_id: ItemId, athlete_id: AthleteId = None) -> str:
        """Delete a custom item on Intervals.icu and in the mirror; it stays in the deleted
        table."""
        with read(CUSTOM_ITEMS) as store:
            check_athlete(store, settings, athlete_id)
        from ..write_through import delete_custom_item as delete

        done = delete(settings, str(item_id))
        if done.failed:
            raise QueryError(done.failed[0][1])
        return item_deleted_text(vars(done))


def _item_body(settings: Settings, read: Readers, athlete_id: str | int | None,
               item_id: str | None, **given: Any) -> dict[str, Any]:
    """The fields to send, checked: all of a new item's, only the given ones of a change.
    A field's content is checked against the kind it has (or is given)."""
    with read(CUSTOM_ITEMS) as store:
        check_athlete(store, settings, athlete_id)
        stored = custom_item(store, item_id) if item_id is not None else None
    body: dict[str, Any] = {}
    name = validate.text("name", given["name"], 200)
    if name is not None:
        body["name"] = name
    elif item_id is None:
        raise QueryError("name: expected the item's name, got an empty one")
    if given["item_type"] is not None or item_id is None:
        body["type"] = _one_of("item_type", given["item_type"], ITEM_TYPES)
    description = validate.text("description", given["description"], 4000)
    if description is not None:
        body["description"] = description
    if given["content"] is not None:
        kind = body.get("type") or (stored or {}).get("type")
        body["content"] = _content(given["content"], kind)
    if given["visibility"] is not None:
        body["visibility"] = _one_of("visibility", given["visibility"], VISIBILITIES)
    if not body:
        raise QueryError("expected something to change: name, item_type, description, content "
                         "or visibility")
    return body


def _one_of(name: str, value: Any, allowed: tuple[str, ...]) -> str:
    key = value.strip().upper() if isinstance(value, str) else None
    if key not in allowed:
        raise QueryError(f"{name}: expected one of {', '.join(allowed)}, got {shown(value)}")
    return key


def _content(value: Any, kind: str | None) -> dict[str, Any]:
    """An object (or the same as a JSON string); a field's value type and aggregate are the
    API's words (numeric, not number; AVERAGE, not AVG)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise QueryError(f"content: expected a JSON object, got {shown(value)}") from None
    if not isinstance(value, dict):
        raise QueryError(f"content: expected an object, got {shown(value)}")
    if len(json.dumps(value)) > MAX_CONTENT:
        raise QueryError(f"content: expected at most {MAX_CONTENT:,} characters of JSON")
    if kind in FIELD_TYPES:
        for key, allowed in (("type", VALUE_TYPES), ("aggregate", AGGREGATES)):
            if key in value and value[key] not in allowed:
                raise QueryError(f"content.{key}: expected one of {', '.join(allowed)}, "
                                 f"got {shown(value[key])}")
    return value


def _saved(settings: Settings, body: dict[str, Any], item_id: str | None) -> str:
    from ..write_through import save_custom_item  # httpx loads with the first write

    saved = save_custom_item(settings, body, item_id)
    return item_saved_text(saved.row, saved.raw, list(saved.also), created=saved.created,
                                demo=saved.demo)
