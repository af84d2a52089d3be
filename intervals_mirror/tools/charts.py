"""get_chart: a picture of fitness, training load, the power curve or wellness, drawn from the
store as a PNG (about 1000x500), with one line of text saying what it shows (for a model that
cannot see images, and for the reader of a transcript)."""

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

# tools/list is in every conversation: what each kind draws and which parameter it takes is
# said once here, the parameters' own descriptions stay short.
DESCRIPTION = (
    "A PNG and a line saying what it shows. fitness: CTL, ATL, form zones; load: weekly, by "
    "sport; power_curve: this vs last season, or the dates vs the days before; wellness: "
    "fields by day. Default: the last 90 days.")


def register(server: MCPServer[AppState], deps: Deps) -> None:
    settings, read, mirror = deps.settings, deps.read, deps.analytics

    # Not text_tool: the answer is an image beside its line of text.
    @server.tool(title="Chart", description=DESCRIPTION, annotations=READ_ONLY,
                 structured_output=False)
    def get_chart(
        kind: Annotated[str, Field(description=" | ".join(KINDS))],
        start_date: StartDate = None,
        end_date: EndDate = None,
        activity_type: Annotated[str | None, Field(
            description='load, power_curve (default Ride, "" all): e.g. Run')] = None,
        fields: Annotated[list[str] | str | None, Field(
            description="wellness: 1-4, e.g. hrv, weight, a custom field's name")] = None,
        athlete_id: AthleteId = None,
    ) -> CallToolResult:
        picked = choice("kind", kind, KINDS)
        resources = ACTIVITIES if picked in ("load", "power_curve") else WELLNESS
        with read(resources) as store:
            check_athlete(store, settings, athlete_id)
            drawn = chart(mirror, picked, start_date, end_date, activity_type=activity_type,
                          fields=fields)
            fresh = freshness(store, resources)
        image = base64.b64encode(drawn.png()).decode("ascii")
        return CallToolResult(content=[
            TextContent(type="text", text=f"{drawn.caption}. {fresh}"),
            ImageContent(type="image", data=image, mime_type="image/png")])
