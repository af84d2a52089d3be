"""The mirror itself as text: what a refresh changed, and what the store holds."""

from __future__ import annotations

from typing import Any

from .activities import activity_line
from .units import count, join, utc_time


def refresh_text(data: dict[str, Any]) -> str:
    counts = "; ".join(f"{resource} {c['added']:,} new, {c['updated']:,} changed, "
                       f"{c['deleted']:,} deleted" for resource, c in data["counts"].items())
    lines = [f"Refreshed ({data['mode']}, {count(data['requests'], 'request')} in "
             f"{data['duration_s']:.1f} s): {counts or 'nothing to list'}; intervals for "
             f"{count(data['intervals_fetched'], 'activity')}; best-effort curves for "
             f"{count(data.get('curves_fetched', 0), 'activity')}."]
    new = data["new_activities"]
    if new:
        lines.append(f"New activities ({len(new):,}):")
        lines += [f"- {activity_line(r)}" for r in new[:20]]
        if len(new) > 20:
            lines.append(f"- and {len(new) - 20:,} more (get_activities lists them)")
    lines.append(data["freshness"])
    return "\n".join(lines)


def status_text(data: dict[str, Any]) -> str:
    status = data["status"]
    athlete = status.get("athlete") or {}
    lines = [data["freshness"],
             join([f"athlete {athlete.get('id') or '?'}", athlete.get("name") or ""], " ")
             + f"; store {status['store']}"]
    for resource, info in status["resources"].items():
        span = f"{info['first_day']} to {info['last_day']}" if info["rows"] else "nothing yet"
        listed = (f"; listed {info['covered_from']} to {info['covered_to']}, "
                  f"last {utc_time(info['last_synced_at'])}") if info["covered_from"] else ""
        lines.append(f"{resource}: {info['rows']:,} rows, {span}{listed}")
    if "curves" in status:
        due = f", {count(status['curves_due'], 'activity')} due" if status["curves_due"] else ""
        lines.append(f"best-effort curves: {status['curves']:,} (power, hr, pace){due}")
    lines.append(f"intervals: {status['intervals']:,} rows; Strava stubs: "
                 f"{status['strava_stubs']:,}; custom field definitions: "
                 f"{status['custom_fields']:,}")
    ok = status.get("last_ok_sync")
    if ok:
        lines.append(f"last good sync: run {ok['id']}, {ok['mode']}, finished "
                     f"{utc_time(ok['finished_at'])}, {count(ok['requests'], 'request')}")
    error = status.get("last_error")
    if error and (not ok or error["id"] > ok["id"]):
        lines.append(f"last failed sync: run {error['id']} at {utc_time(error['started_at'])}: "
                     f"{error['error']}")
    background = data["background_sync"]
    if background.get("running"):
        lines.append(f"background sync: every {background['interval_minutes']} min, next "
                     f"{utc_time(background.get('next_run'))}")
    else:
        lines.append(f"background sync: off ({background.get('off_reason') or 'disabled'})")
    return "\n".join(lines)
