"""The fitness chart: CTL and ATL above, form below over the form zones Intervals.icu shows
(transition, fresh, grey zone, optimal, high risk); projected days (after today) dashed."""

from __future__ import annotations

from typing import Any

from ..answers.units import quantity, signed
from .style import PLOT_WIDTH, chart_spec, day_axis, every_nth, period

# (zone, lowest form, highest form, colour); None: no bound.
FORM_ZONES: tuple[tuple[str, float | None, float | None, str], ...] = (
    ("transition", 25, None, "#f4c15d"),
    ("fresh", 5, 25, "#7db9ea"),
    ("grey zone", -10, 5, "#c9c9c9"),
    ("optimal", -30, -10, "#7fcc7f"),
    ("high risk", None, -30, "#ef8f8f"),
)
LINES = (("ctl", "Fitness (CTL)", "#2a6fdb"), ("atl", "Fatigue (ATL)", "#c8459a"))
FORM_COLOUR = "#333333"
DASH = {"domain": ["done", "projected"], "range": [[1, 0], [6, 4]]}


def form_zone(form: float) -> str:
    """The zone a form value is in (a bound belongs to the zone above it, as 5 is fresh)."""
    for name, low, _, _ in FORM_ZONES:
        if low is None or form >= low:
            return name
    return FORM_ZONES[-1][0]


def fitness_chart(data: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The spec and the one-line caption of ``Analytics.fitness_days``."""
    points = [p for p in data["points"] if p["ctl"] is not None]
    step = every_nth(len(points))
    rows = _rows(_thinned(points, step))
    forms = [p["form"] for p in points if p["form"] is not None]
    low, high = min([-40.0, *forms]) - 5, max([30.0, *forms]) + 5
    zones = [{"zone": name, "low": max(low, lo) if lo is not None else low,
              "high": min(high, hi) if hi is not None else high}
             for name, lo, hi, _ in FORM_ZONES]
    days = (data["start_date"], data["end_date"])
    x = day_axis(labels=False, domain=days)
    top = {"width": PLOT_WIDTH, "height": 230,
           "data": {"values": [r for r in rows if r["series"] != "Form"]},
           "mark": {"type": "line", "strokeWidth": 2.2, "clip": True},
           "encoding": {
               "x": x,
               "y": {"field": "value", "type": "quantitative", "title": "CTL / ATL"},
               "color": {"field": "series", "type": "nominal", "title": None,
                         "scale": {"domain": [n for _, n, _ in LINES],
                                   "range": [c for _, _, c in LINES]}},
               "strokeDash": {"field": "part", "type": "nominal", "title": None,
                              "scale": DASH,
                              **({} if any(p["projected"] for p in points)
                                 else {"legend": None})}}}
    bottom = {"width": PLOT_WIDTH, "height": 150, "layer": [
        {"data": {"values": zones}, "mark": {"type": "rect", "opacity": 0.55},
         "encoding": {
             "y": {"field": "low", "type": "quantitative", "title": "Form (CTL - ATL)",
                   "scale": {"domain": [low, high], "nice": False, "zero": False}},
             "y2": {"field": "high"},
             "color": {"field": "zone", "type": "nominal", "title": "Form zones",
                       "scale": {"domain": [z[0] for z in FORM_ZONES],
                                 "range": [z[3] for z in FORM_ZONES]}}}},
        {"data": {"values": [r for r in rows if r["series"] == "Form"]},
         "mark": {"type": "line", "strokeWidth": 2, "color": FORM_COLOUR, "clip": True},
         "encoding": {"x": day_axis(domain=days), "y": {"field": "value", "type": "quantitative"},
                      "strokeDash": {"field": "part", "type": "nominal", "scale": DASH,
                                     "legend": None}}},
    ]}
    spec = chart_spec("Fitness, fatigue and form", period(data["start_date"], data["end_date"]),
                      {"vconcat": [top, bottom],
                       "resolve": {"scale": {"color": "independent"},
                                   "legend": {"strokeDash": "independent"}}})
    return spec, _caption(data, points, step)


def _thinned(points: list[dict[str, Any]], step: int) -> list[dict[str, Any]]:
    """Every ``step``-th day counted back from the last day done (so today is drawn), and
    every projected day: CTL and ATL are smooth enough that the line reads the same."""
    done = [p for p in points if not p["projected"]]
    return [*done[::-1][::step][::-1], *points[len(done):]]


def _rows(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per day and line; the last day done starts the projected part too, so the
    dashed line continues the solid one."""
    rows: list[dict[str, Any]] = []
    done = [p for p in points if not p["projected"]]
    joint = done[-1:] if len(done) < len(points) else []
    for point in points:
        for part in (["done", "projected"] if point in joint
                     else ["projected" if point["projected"] else "done"]):
            for key, name, _ in (*LINES, ("form", "Form", "")):
                if point[key] is not None:
                    rows.append({"date": point["date"], "series": name, "value": point[key],
                                 "part": part})
    return rows


def _caption(data: dict[str, Any], points: list[dict[str, Any]], step: int) -> str:
    span = f"Fitness chart {data['start_date']}..{data['end_date']}"
    if not points:
        return f"{span}: no fitness values mirrored in this range"
    first, last = points[0], points[-1]
    done = [p for p in points if not p["projected"]]
    now = done[-1] if done else last
    form = now["form"]
    text = (f"{span}: CTL {quantity('ctl', first['ctl'])} on {first['date']} -> "
            f"{quantity('ctl', now['ctl'])} on {now['date']}, ATL {quantity('atl', now['atl'])}")
    if form is not None:
        text += f", form {signed(form, 1)} ({form_zone(form)})"
    projected = len(points) - len(done)
    if projected:
        text += (f"; {projected} projected days after {data['today']} dashed (CTL "
                 f"{quantity('ctl', last['ctl'])} on {last['date']})")
    if step > 1:
        text += f"; every {_nth(step)} day drawn"
    return text + "".join(f"; {note}" for note in data["notes"])


def _nth(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
