"""Custom items of every type (fields, charts, streams, zones, panels): the list, and one in
full with its definition and where its values are kept."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from pydantic import Field

from ..answers.custom_items import item_details, items_text
from ..errors import QueryError
from ..queries import custom_items as lookup
from ..queries.status import freshness
from ._common import AppState, AthleteId, Deps, check_athlete, text_tool

CUSTOM_ITEMS = ("custom_items",)  # listed on every sync

GROUP = "lookups"  # for [server] tools


def register(server: MCPServer[AppState], deps: Deps) -> None:
    settings, read = deps.settings, deps.read

    @text_tool(server, title="Custom items")
    def get_custom_items(athlete_id: AthleteId = None) -> str:
        """The athlete's custom items of every type: wellness, activity and interval fields
        (with their codes), charts, custom streams, zones and panels."""
        with read(CUSTOM_ITEMS) as store:
            check_athlete(store, settings, athlete_id)
            items = lookup.custom_items(store)
            fresh = freshness(store, CUSTOM_ITEMS)
        return items_text(items, fresh)

    @text_tool(server, title="One custom item")
    def get_custom_item_by_id(
        item_id: Annotated[int, Field(ge=1, description="Custom item id, e.g. 51234")],
        athlete_id: AthleteId = None,
    ) -> str:
        """One custom item in full: its definition (content) and, for a field, where its
        values are kept."""
        with read(CUSTOM_ITEMS) as store:
            check_athlete(store, settings, athlete_id)
            item = lookup.custom_item(store, str(item_id))
            if item is None:
                known = lookup.item_ids(store)
                raise QueryError(
                    f"item_id: {item_id} is not among the {len(known):,} custom items mirrored"
                    f"{f' (ids {known[0]} to {known[-1]})' if known else ''}; "
                    "get_custom_items lists them, and refresh fetches new ones")
            days = (lookup.wellness_days_with(store, item["code"])
                    if item["type"] == "INPUT_FIELD" and item["code"] else None)
            fresh = freshness(store, CUSTOM_ITEMS)
        return item_details(item, days, fresh)
