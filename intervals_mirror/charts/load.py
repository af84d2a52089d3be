"""The load chart: training load (above) and hours (below) per week, stacked by sport; months
or years for long ranges, so every bar stays wide enough to read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..answers.units import count, hours, number
from .style import PLOT_WIDTH, chart_spec, day_axis, period

# Tableau 10, in the order sports are ranked (most load first), so the main sport is blue.
SPORT_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
                 "#ff9da7", "#9c755f", "#bab0ac")
BUCKET_WORD = {"week": "Weekly", "month": "Monthly", "year": "Yearly"}


def load_chart(data: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The spec and the one-line caption of ``Analytics.load_buckets``."""
    sports = [s for s in sorted(data["by_sport"], key=lambda s: (-s["training_load"],
                                                                  -s["moving_time_s"], s["sport"]))
              if s["training_load"] or s["moving_time_s"]]
    names = [s["sport"] for s in sports]
    rows = [{"first_day": b["first_day"], "after": _day_after(b["last_day"]),
             "sport": c["sport"], "load": c["training_load"] or 0,
             "hours": round(c["moving_time_s"] / 3600, 2)}
            for b in data["buckets"] for c in b.get("sports", []) if c["sport"] in names]
    colour = {"field": "sport", "type": "nominal", "title": "Sport",
              "scale": {"domain": names, "range": list(SPORT_COLOURS[:len(names)]) or None},
              "sort": names}
    order = {"field": "rank", "type": "quantitative"}
    rank = {name: i for i, name in enumerate(names)}
    for row in rows:
        row["rank"] = rank[row["sport"]]
    days = (data["start_date"], data["end_date"])
    shown = (data["shown"][0], data["shown"][1])  # whole weeks (months, years)
    word = BUCKET_WORD[data["group_by"]]

    def panel(measure: str, title: str, height: int, labels: bool) -> dict[str, Any]:
        return {"width": PLOT_WIDTH, "height": height,
                "mark": {"type": "bar", "stroke": "white", "strokeWidth": 0.6, "clip": True},
                "encoding": {
                    "x": day_axis("first_day", domain=shown, labels=labels),
                    "x2": {"field": "after"},
                    "y": {"field": measure, "type": "quantitative", "aggregate": "sum",
                          "stack": "zero", "title": title},
                    "color": colour, "order": order,
                    "tooltip": [{"field": "sport"}, {"field": measure}]}}

    spec = chart_spec(
        f"{word} training load and hours by sport"
        + (f" ({data['activity_type']})" if data["activity_type"] else ""),
        period(*days),
        {"data": {"values": rows},
         "vconcat": [panel("load", "Training load", 210, False),
                     panel("hours", "Hours", 170, True)]})
    return spec, _caption(data, sports, word)


def _day_after(day: str) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()


def _caption(data: dict[str, Any], sports: list[dict[str, Any]], word: str) -> str:
    totals = data["totals"]
    text = (f"{word} training load and hours by sport {data['start_date']}..{data['end_date']}"
            + (f" ({data['activity_type']})" if data["activity_type"] else "")
            + f": {count(totals['activities'], 'activity')}, load "
            f"{number(totals['training_load'])}, {hours(totals['moving_time_s'], grouped=True)}")
    if sports:
        text += "; " + ", ".join(
            f"{s['sport']} {number(s['training_load'])} ({hours(s['moving_time_s'])})"
            for s in sports[:4])
    return text + "".join(f"; {note}" for note in data["notes"])
