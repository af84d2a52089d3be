"""The power curve: the best watts held for each duration, 1 s to 6 h, in two periods (this
season and the last, or a range and the period before it), on a log time axis as athletes
read it, from the mirrored per-activity curves."""

from __future__ import annotations

from typing import Any

from ..answers.units import count, short_duration, watts
from .style import PLOT_HEIGHT, chart_spec

WIDTH = 900  # the legend sits inside the plot, top right, where a curve never is
COLOURS = ("#2a6fdb", "#e07b1f")  # the period asked about, the one it is compared with
# Durations labelled on the time axis (those people quote), each one that is mirrored.
TICKS = (1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 10800, 21600)
CAPTION_SECS = (5, 60, 300, 1200, 3600)  # the figures the caption gives per period
LEGEND = {"orient": "top-right", "labelFontSize": 13, "labelLimit": 400, "fillColor": "white",
          "padding": 6, "symbolStrokeWidth": 3, "symbolType": "stroke", "symbolSize": 400}
# Vega's expression for a tick: 5 -> 5s, 300 -> 5m, 3600 -> 1h (every tick is a whole one).
TICK_LABEL = ("datum.value < 60 ? datum.value + 's' : datum.value < 3600 ? "
              "datum.value / 60 + 'm' : datum.value / 3600 + 'h'")


def period_name(period: dict[str, Any]) -> str:
    """'This season, 2026-01-05 to 2026-11-30': the legend's name of a period."""
    return f"{period['label']}, {period['start']} to {period['end']}"


def power_curve_chart(data: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The spec and the one-line caption of ``Analytics.power_curves``."""
    names = [period_name(p) for p in data["periods"]]
    rows = [{"secs": secs, "watts": best["value"], "period": name,
             "activity": f"{best['date']} {best.get('name') or ''} ({best['activity_id']})"}
            for period, name in zip(data["periods"], names, strict=True)
            for secs, best in sorted(period["best"].items())]
    longest = max(r["secs"] for r in rows) if rows else 3600.0
    sport = data["activity_type"] or "all sports"
    layers: list[dict[str, Any]] = [{
        "mark": {"type": "line", "strokeWidth": 2.4, "interpolate": "monotone",
                 "point": {"filled": True, "size": 30}},
        "encoding": {
            "x": {"field": "secs", "type": "quantitative", "title": "Duration",
                  "scale": {"type": "log", "domain": [1, longest], "nice": False},
                  "axis": {"values": [t for t in TICKS if t <= longest],
                           "labelExpr": TICK_LABEL, "grid": True}},
            "y": {"field": "watts", "type": "quantitative", "title": "Power (W)",
                  "scale": {"zero": True, **({} if rows else {"domain": [0, 500]})}},
            "color": {"field": "period", "type": "nominal", "title": None,
                      "scale": {"domain": names, "range": list(COLOURS[:len(names)])},
                      "legend": LEGEND},
            # The period compared with is dashed, drawn over the first: where both are equal,
            # both colours show.
            "strokeDash": {"field": "period", "type": "nominal", "title": None,
                           "scale": {"domain": names, "range": [[1, 0], [7, 4]][:len(names)]},
                           "legend": LEGEND},
            "tooltip": [{"field": "period"}, {"field": "secs", "title": "seconds"},
                        {"field": "watts", "title": "W"}, {"field": "activity"}]}}]
    if not rows:  # say so in the picture, not only in the caption
        layers.append({"data": {"values": [{}]},
                       "mark": {"type": "text", "fontSize": 16, "color": "#555555",
                                "x": WIDTH / 2, "y": PLOT_HEIGHT / 2,
                                "text": f"No {sport} activity with power in either period"}})
    spec = chart_spec(
        f"Power curve: {sport}", "Best power held for each duration (log time axis)",
        {"width": WIDTH, "height": PLOT_HEIGHT, "data": {"values": rows}, "layer": layers})
    return spec, _caption(data, names)


def _caption(data: dict[str, Any], names: list[str]) -> str:
    sport = data["activity_type"] or "all sports"
    parts = []
    for period, name in zip(data["periods"], names, strict=True):
        best = period["best"]
        figures = [f"{short_duration(s)} {watts(best[s]['value'])}" for s in CAPTION_SECS
                   if s in best]
        parts.append(f"{name}: " + (", ".join(figures) if figures
                                    else "no activity with power"))
    text = f"Power curve, {sport}, best watts by duration: " + "; ".join(parts)
    # Where a period's bounds come from, unless its first day already says it.
    notes = dict.fromkeys(p["note"] for p in data["periods"]
                          if p["note"] and not p["note"].startswith("from the SEASON_START"))
    text += "".join(f" ({note})" for note in notes)
    if not any(p["best"] for p in data["periods"]) and data["other_sports"]:
        text += f"; sports with power curves: {', '.join(data['other_sports'][:8])}"
    if data["pending"]:
        text += f"; the curves of {count(data['pending'], 'activity')} are not mirrored yet"
    return text
