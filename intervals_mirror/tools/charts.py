"""get_chart: a picture of fitness, training load or wellness, drawn from the store as a PNG,
with one line of text saying what it shows (for a model that cannot see images, and for
the reader of a transcript)."""

from __future__ import annotations

import base64
from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult, ImageContent, TextContent
from pydantic import Field

from ..analytics.common import choice
from ..charts import KINDS, chart
from ..queries.status import freshness
from ._common import (
    ACTIVITIES,
    READ_ONLY,
    WELLNESS,
    AppState,
    AthleteId,
    Deps,
    EndDate,
    StartDate,
    check_athlete,
)

GROUP = "analytics"  # for [server] tools: a picture of the aggregates

DESCRIPTION = (
    "A chart as a PNG image (about 1000x500) with one line saying what it shows (default the "
    "last 90 days): fitness (CTL, ATL, form over its zones; projected days dashed), load "
    "(training load and hours per week, stacked by sport) or wellness (fields per day).")


def register(server: MCPServer[AppState], deps: Deps) -> None:
    settings, read, mirror = deps.settings, deps.read, deps.analytics

    # Not text_tool: the answer is an image beside its line of text.
    @server.tool(title="Chart", description=DESCRIPTION, annotations=READ_ONLY,
                 structured_output=False)
    def get_chart(
        kind: Annotated[str, Field(description=", ".join(KINDS))],
        start_date: StartDate = None,
        end_date: EndDate = None,
        activity_type: Annotated[str | None, Field(
            description="load: only this sport, e.g. Ride")] = None,
        fields: Annotated[list[str] | str | None, Field(description=(
            "wellness: 1-4 fields, e.g. [\"hrv\", \"weight\", \"Caffeine (mg)\"] "
            "(default hrv, resting_hr, sleep_secs)"))] = None,
        athlete_id: AthleteId = None,
    ) -> CallToolResult:
        picked = choice("kind", kind, KINDS)
        resources = ACTIVITIES if picked == "load" else WELLNESS
        with read(resources) as store:
            check_athlete(store, settings, athlete_id)
            drawn = chart(mirror, picked, start_date, end_date, activity_type=activity_type,
                          fields=fields)
            fresh = freshness(store, resources)
        image = base64.b64encode(drawn.png()).decode("ascii")
        return CallToolResult(content=[
            TextContent(type="text", text=f"{drawn.caption}. {fresh}"),
            ImageContent(type="image", data=image, mime_type="image/png")])
