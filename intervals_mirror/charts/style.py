"""What every chart shares: its size, fonts, the x axis of days, and the spec around a view.

Sizes are those of the plotting area; with titles, axes and legend a chart comes out about
1000 x 500 pixels, readable as it is in a chat window and in the HTML report.
"""

from __future__ import annotations

from typing import Any

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"  # a name only: never fetched
PLOT_WIDTH = 840  # the legend takes the rest of about 1000 pixels
PLOT_HEIGHT = 400
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
    scale: dict[str, Any] = {"type": "utc"}
    if domain:
        scale["domain"] = [f"{domain[0]}T00:00:00Z", f"{domain[1]}T23:59:59Z"]
    return {"field": field, "type": "temporal", "scale": scale,
            "title": title,
            "axis": {"format": "%d %b %Y", "labelOverlap": True, "labels": labels,
                     "ticks": labels, "tickCount": 8}}


def period(start: str, end: str) -> str:
    """'2026-09-01 to 2026-11-30'."""
    return f"{start} to {end}"
