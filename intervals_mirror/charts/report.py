"""`intervals-mirror report --html`: one self-contained HTML page for a period (the training
summary, the fitness chart, the load chart and the power curve) that opens offline.

Nothing in it is fetched: no script, no font, no stylesheet from anywhere; each chart is an
SVG inside the page as a data URI (kept apart as images, so the ids inside one chart's SVG
cannot clash with another's), and a Content-Security-Policy forbids any request.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from typing import Any

from ..answers.units import count, duration, number
from . import Chart

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial,
       sans-serif; color: #222; margin: 24px auto; max-width: 1060px; padding: 0 16px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.sub, figcaption, .notes { color: #555; font-size: 14px; }
table { border-collapse: collapse; font-size: 14px; }
th, td { padding: 4px 12px; text-align: right; border-bottom: 1px solid #e4e4e4; }
th:first-child, td:first-child { text-align: left; }
tr.total td { font-weight: bold; border-top: 2px solid #bbb; }
figure { margin: 0; }
figure img { width: 100%; height: auto; display: block; }
"""


def report_page(*, title: str, subtitle: str, summary: dict[str, Any],
                charts: Sequence[tuple[str, Chart | str]]) -> str:
    """The page: ``summary`` is a training summary by sport (its data); ``charts`` are
    (heading, chart), or (heading, a sentence saying why there is no chart)."""
    parts = [f"<h1>{_e(title)}</h1>", f'<p class="sub">{_e(subtitle)}</p>',
             "<h2>Training summary</h2>", summary_table(summary)]
    for heading, drawn in charts:
        parts.append(f"<h2>{_e(heading)}</h2>")
        if isinstance(drawn, str):
            parts.append(f'<p class="notes">{_e(drawn)}</p>')
            continue
        image = base64.b64encode(drawn.svg().encode("utf-8")).decode("ascii")
        parts.append(f'<figure><img alt="{_e(drawn.caption)}" '
                     f'src="data:image/svg+xml;base64,{image}">'
                     f"<figcaption>{_e(drawn.caption)}</figcaption></figure>")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            + "\n".join(parts) + "\n</body>\n</html>\n")


def summary_table(summary: dict[str, Any]) -> str:
    """Per sport and in total: activities, moving time, distance, climbing, load, intensity."""
    head = ("<tr><th>sport</th><th>activities</th><th>moving time</th><th>distance</th>"
            "<th>climbing</th><th>training load</th><th>intensity</th></tr>")
    rows = [_row(s["sport"], s) for s in summary["by_sport"]]
    rows.append(_row("all sports", summary["totals"], total=True))
    notes = "".join(f'<p class="notes">{_e(n)}</p>' for n in summary.get("notes", []))
    return f"<table>{head}{''.join(rows)}</table>{notes}"


def _row(name: str, m: dict[str, Any], *, total: bool = False) -> str:
    activities = count(m["activities"], "activity")
    if m["stubs"]:
        activities += f" ({m['stubs']} from Strava)"
    cells = [name, activities, duration(m["moving_time_s"]) if m["moving_time_s"] else "-",
             f"{number(m['distance_km'], 1)} km" if m["distance_km"] else "-",
             f"{number(m['elevation_m'])} m" if m["elevation_m"] else "-",
             number(m["training_load"]) if m["training_load"] else "-",
             f"{number(m['avg_intensity'])} %" if m["avg_intensity"] is not None else "-"]
    tds = "".join(f"<td>{_e(c)}</td>" for c in cells)
    return f'<tr class="total">{tds}</tr>' if total else f"<tr>{tds}</tr>"


def _e(text: str) -> str:
    return html.escape(str(text), quote=True)
