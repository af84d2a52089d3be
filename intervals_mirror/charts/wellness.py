"""The wellness chart: one panel per field (HRV, resting HR, sleep, a custom field, ...), each
day's value over time, each with its own scale and unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..answers.units import CUSTOM, QUANTITIES, Quantity, count, number
from .style import PLOT_HEIGHT, PLOT_WIDTH, chart_spec, day_axis, every_nth, period

DEFAULT_FIELDS = ("hrv", "resting_hr", "sleep_secs")
MOST_FIELDS = 4  # panels in one chart of about 500 pixels
TITLES = {"hrv": "HRV", "hrv_sdnn": "HRV SDNN", "resting_hr": "Resting HR",
          "avg_sleeping_hr": "Sleeping HR", "sleep_secs": "Sleep", "sleep_score": "Sleep score",
          "sleep_quality": "Sleep quality", "ctl": "Fitness (CTL)", "atl": "Fatigue (ATL)",
          "form": "Form", "ramp_rate": "Ramp rate", "spo2": "SpO2", "vo2max": "VO2max",
          "kcal_consumed": "Eaten", "body_fat": "Body fat"}
COLOURS = ("#2a6fdb", "#c8459a", "#2e9e5b", "#e07b1f")


def field_title(field: dict[str, Any]) -> str:
    """'HRV (ms)', 'Sleep (h)', 'Caffeine (mg)' (a custom field's name says its unit)."""
    if field["custom"]:
        return str(field["name"])
    name = TITLES.get(field["field"], field["field"].replace("_", " ").capitalize())
    unit = QUANTITIES.get(field["field"], CUSTOM).unit.strip()
    return f"{name} ({unit})" if unit else name


def wellness_chart(data: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The spec and the one-line caption of ``Analytics.wellness_days``."""
    fields = data["fields"]
    days = (data["start_date"], data["end_date"])
    first = dt.date.fromisoformat(days[0])
    size = every_nth((dt.date.fromisoformat(days[1]) - first).days + 1)
    height = max(90, (PLOT_HEIGHT - 16 * (len(fields) - 1)) // max(1, len(fields)))
    panels = []
    for i, field in enumerate(fields):
        quantity = QUANTITIES.get(field["field"], CUSTOM)
        values = [{"date": day, "value": _shown(quantity, value)}
                  for day, value in _averaged(field["points"], first, size)]
        colour = COLOURS[i % len(COLOURS)]
        last = i == len(fields) - 1
        panels.append({
            "width": PLOT_WIDTH, "height": height, "data": {"values": values},
            "mark": {"type": "line", "color": colour, "strokeWidth": 1.8, "clip": True,
                     "point": {"filled": True, "size": 14 if len(values) <= 200 else 0,
                               "color": colour}},
            "encoding": {"x": day_axis(domain=days, labels=last),
                         "y": {"field": "value", "type": "quantitative", "zero": False,
                               "scale": {"zero": False, "padding": 6},  # no point on the frame
                               "title": field_title(field)}}})
    spec = chart_spec("Wellness", period(*days), {"vconcat": panels})
    return spec, _caption(data, size)


def _averaged(points: list[dict[str, Any]], first: dt.date, size: int
              ) -> list[tuple[str, float]]:
    """Each day's value, or for long ranges the mean of each ``size`` days (drawn at the
    middle day), so a line keeps about one point per pixel and a half."""
    if size == 1:
        return [(p["date"], p["value"]) for p in points if p["value"] is not None]
    bins: dict[int, list[float]] = {}
    for p in points:
        if p["value"] is not None:
            index = (dt.date.fromisoformat(p["date"]) - first).days // size
            bins.setdefault(index, []).append(p["value"])
    return [((first + dt.timedelta(days=i * size + size // 2)).isoformat(), sum(v) / len(v))
            for i, v in sorted(bins.items())]


def _shown(quantity: Quantity, value: float) -> float:
    """As the answers show it: sleep in hours, everything else as stored."""
    return round(value * quantity.scale, 3)


def _caption(data: dict[str, Any], size: int) -> str:
    parts = []
    for field in data["fields"]:
        quantity = QUANTITIES.get(field["field"], CUSTOM)
        values = [p["value"] for p in field["points"] if p["value"] is not None]
        title = field_title(field)
        if values:
            average = number(sum(values) / len(values) * quantity.scale, quantity.digits or 1)
            parts.append(f"{title} average {average} over {count(len(values), 'day')}")
        else:
            parts.append(f"{title}: no values")
    drawn = "daily" if size == 1 else f"{size}-day averages drawn"
    text = f"Wellness chart {data['start_date']}..{data['end_date']}, {drawn}: " \
        + "; ".join(parts)
    return text + "".join(f"; {note}" for note in data["notes"])
