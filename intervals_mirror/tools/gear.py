"""Gear: bikes, shoes and components with their totals and service reminders."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from ..answers.gear import gear_text
from ..queries.gear import gear_list
from ..queries.status import freshness
from ._common import AppState, AthleteId, Deps, check_athlete, text_tool

GEAR = ("gear",)  # listed on every sync
# Read-only for the user's Intervals.icu data; refresh=true reaches the API (open world).
READ_ONLY_ONLINE = ToolAnnotations(read_only_hint=True, open_world_hint=True)

GROUP = "lookups"  # for [server] tools


def register(server: MCPServer[AppState], deps: Deps) -> None:
    settings, read = deps.settings, deps.read

    @text_tool(server, title="Gear", annotations=READ_ONLY_ONLINE)
    def get_gear_list(
        athlete_id: AthleteId = None,
        refresh: Annotated[bool, Field(description=(
            "List it from Intervals.icu first (online only)"))] = False,
    ) -> str:
        """The athlete's gear: bikes, shoes and components with distance, activities,
        retired or not, and service reminders."""
        with read() as store:
            check_athlete(store, settings, athlete_id)
        fetched = None
        if refresh:
            from ..on_demand import refresh_gear  # the sync machinery, when asked for

            fetched = refresh_gear(settings)
        with read(GEAR) as store:
            items = gear_list(store)
            fresh = freshness(store, GEAR)
        note = ("refreshed from Intervals.icu just now" if fetched and fetched.fetched
                else fetched.why_not if fetched else None)
        return gear_text(items, fresh, note)
