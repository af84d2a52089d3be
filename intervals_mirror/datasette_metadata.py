"""`intervals-mirror datasette-metadata`: Datasette metadata for the store, so
`datasette mirror.sqlite -m metadata.json` explains itself.

Every table, view and column of the store contract gets the title and description
describe_schema gives (the same source: the comments in sql/schema.sql and sql/views.sql;
a column whose name says it all, e.g. activities_added, its name in words), numeric columns
their unit, and the database a few canned queries people ask first.
"""

from __future__ import annotations

import re
from typing import Any

from .analytics.schema import describe_schema

# A column description that starts with one of these is in that unit (Pint's names, which
# Datasette uses; bpm is defined below, as Pint does not know it). Seconds are left plain:
# Datasette scales units for display, and 3.3 ks reads worse than 3300 with its "s" beside.
UNITS = {"m": "m", "m/s": "m/s", "W": "W", "bpm": "bpm", "rpm": "rpm", "kg": "kg",
         "ms": "ms", "J": "J", "kcal": "kcal", "%": "percent", "percent": "percent"}
CUSTOM_UNITS = ["bpm = 1 / minute"]
_LEADING = re.compile(r"^(\S+?)(?=$|[\s:(,;])")

QUERIES: dict[str, dict[str, str]] = {
    "weekly_load_by_sport": {
        "title": "Weekly training load by sport",
        "description": "Activities, hours, distance and training load per week (from "
                       "Monday) and sport, newest first; since the day given (default: the "
                       "last 12 weeks). Strava stubs, which have no data, are left out.",
        "sql": """SELECT date(date, '-6 days', 'weekday 1') AS week, type AS sport,
       count(*) AS activities, round(sum(moving_time) / 3600.0, 1) AS hours,
       round(sum(distance) / 1000.0, 1) AS km, round(sum(training_load)) AS load
FROM real_activities
WHERE date >= coalesce(nullif(:since, ''), date('now', '-84 days'))
GROUP BY week, sport
ORDER BY week DESC, load DESC""",
    },
    "monthly_hours_by_sport": {
        "title": "Monthly hours by sport",
        "description": "Hours, distance and training load per month and sport, newest "
                       "first.",
        "sql": """SELECT substr(date, 1, 7) AS month, type AS sport, count(*) AS activities,
       round(sum(moving_time) / 3600.0, 1) AS hours, round(sum(distance) / 1000.0, 1) AS km,
       round(sum(training_load)) AS load
FROM real_activities
GROUP BY month, sport
ORDER BY month DESC, hours DESC""",
    },
    "fitness_last_90_days": {
        "title": "Fitness, fatigue and form, last 90 days",
        "description": "CTL (fitness), ATL (fatigue), form (CTL - ATL) and ramp rate per "
                       "day; days after today are Intervals.icu's projection.",
        "sql": """SELECT date, round(ctl, 1) AS ctl, round(atl, 1) AS atl,
       round(form, 1) AS form, round(ramp_rate, 1) AS ramp_rate
FROM fitness
WHERE date >= date('now', '-90 days')
ORDER BY date""",
    },
    "hardest_activities": {
        "title": "The hardest activities",
        "description": "The 50 activities with the most training load, with duration, "
                       "distance, power and heart rate.",
        "sql": """SELECT id, date, type, name, round(moving_time / 3600.0, 2) AS hours,
       round(distance / 1000.0, 1) AS km, training_load, round(intensity) AS intensity_pct,
       weighted_average_watts AS np_w, average_heartrate AS avg_hr_bpm
FROM real_activities
WHERE training_load IS NOT NULL
ORDER BY training_load DESC
LIMIT 50""",
    },
    "custom_wellness_field": {
        "title": "A custom wellness field per day",
        "description": "The daily values of one custom wellness field, by its code (see "
                       "custom_items: type INPUT_FIELD), e.g. CaffeineMg.",
        "sql": """SELECT date, value
FROM wellness_custom
WHERE field = :code
ORDER BY date DESC""",
    },
}


def unit_of(description: str) -> str | None:
    """The unit a column's description starts with ('W (icu_average_watts)' -> 'W')."""
    found = _LEADING.match(description.strip())
    return UNITS.get(found.group(1)) if found else None


def datasette_metadata(database: str = "mirror") -> dict[str, Any]:
    """Metadata for the store served as ``database`` (Datasette names it after the file)."""
    tables: dict[str, Any] = {}
    for table in describe_schema().data["tables"]:
        columns = {c["name"]: c["description"] or c["name"].replace("_", " ")
                   for c in table["columns"]}
        units = {c["name"]: unit for c in table["columns"]
                 if c["type"].upper() in ("REAL", "INTEGER", "ANY")
                 and (unit := unit_of(c["description"]))}
        entry: dict[str, Any] = {
            "title": table["name"].replace("_", " ").capitalize()
                     + (" (view)" if table["kind"] == "view" else ""),
            "description": table["description"], "columns": columns}
        if units:
            entry["units"] = units
        tables[table["name"]] = entry
    return {
        "title": "Intervals.icu mirror",
        "description": "A local copy of an athlete's Intervals.icu data, kept by "
                       "intervals-mirror: one row per activity, interval, wellness day and "
                       "calendar event, each with the API's JSON in raw. Days are local "
                       "dates YYYY-MM-DD.",
        "custom_units": CUSTOM_UNITS,
        "databases": {database: {
            "description": "Units: seconds, metres, m/s, bpm, watts, kg; intensity in % of "
                           "threshold. Custom wellness fields are in wellness_custom.",
            "tables": tables,
            "queries": QUERIES,
        }},
    }
