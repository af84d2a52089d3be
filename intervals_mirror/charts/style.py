"""What every chart shares: its size, fonts, the x axis of days, and the spec around a view.

Sizes are those of the plotting area; with titles, axes and legend a chart comes out about
1000 x 500 pixels, readable as it is in a chat window and in the HTML report.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"  # a name only: never fetched
PLOT_WIDTH = 840  # the legend takes the rest of about 1000 pixels
PLOT_HEIGHT = 400
# Points per line: more than about one per pixel and a half adds drawing time, not detail
# (ten years of days drawn whole take twice as long).
MOST_POINTS = 600
FONT = "Liberation Sans, Helvetica, Arial, sans-serif"  # vl-convert ships Liberation Sans

CONFIG: dict[str, Any] = {
    "font": FONT,
    "view": {"stroke": "#d0d0d0"},
    "axis": {"labelFontSize": 12, "titleFontSize": 13, "titleFontWeight": "normal",
             "gridColor": "#ececec"},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "right"},
    "title": {"fontSize": 17, "subtitleFontSize": 13, "anchor": "start",
              "subtitleColor": "#555555"},
    "concat": {"spacing": 14},
}


def chart_spec(title: str, subtitle: str, body: dict[str, Any]) -> dict[str, Any]:
    """A whole chart: the title, one line under it, white background, the shared config."""
    return {"$schema": SCHEMA, "background": "white", "padding": 10,
            "title": {"text": title, "subtitle": subtitle}, "config": CONFIG, **body}


def day_axis(field: str = "date", *, domain: tuple[str, str] | None = None,
             title: str | None = None, labels: bool = True) -> dict[str, Any]:
    """The x encoding of days ("YYYY-MM-DD" text), read in UTC so no time zone shifts a day;
    ``domain``: the first and last day shown (the range asked for, data or not)."""
    # Each label costs the drawing a few milliseconds: six ticks, not Vega's ten or more.
    scale: dict[str, Any] = {"type": "utc"}
    label = "%d %b %Y"
    if domain:
        scale["domain"] = [f"{domain[0]}T00:00:00Z", f"{domain[1]}T23:59:59Z"]
        days = (dt.date.fromisoformat(domain[1]) - dt.date.fromisoformat(domain[0])).days
        label = "%b %Y" if days > 200 else label
    return {"field": field, "type": "temporal", "scale": scale,
            "title": title,
            "axis": {"format": label, "labelOverlap": True, "labels": labels,
                     "ticks": labels, "tickCount": 6}}


def every_nth(count: int, most: int = MOST_POINTS) -> int:
    """Draw every n-th point of ``count`` so at most ``most`` remain (1: all of them)."""
    return max(1, -(-count // most))


def period(start: str, end: str) -> str:
    """'2026-09-01 to 2026-11-30'."""
    return f"{start} to {end}"
