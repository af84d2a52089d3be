"""Planned vs done as text: the totals, each week's planned and done load and time, and each
planned workout with what was done for it (latest last; the earliest left out if too many)."""

from __future__ import annotations

from typing import Any

from .budget import TEXT_CHARS, within
from .units import count, distance, duration, hours, join, number, percent

HEAD_CHARS, BUCKET_CHARS = 1_800, 170
MOST_BUCKETS = 60  # weeks shown one per line; more, and the answer is per month


def most_buckets() -> int:
    return min(MOST_BUCKETS, (TEXT_CHARS // 2 - HEAD_CHARS) // BUCKET_CHARS)


def definitions(partly_below: float) -> str:
    share = percent(100 * partly_below)
    return (f"Done: an activity is paired with the plan (as Intervals.icu pairs them); partly "
            f"done: its activities reached under {share} of the planned load (of the planned "
            "time when no load was planned); missed: nothing done by its day; ahead: today or "
            "later.")


def compliance_text(data: dict[str, Any]) -> str:
    t = data["totals"]
    span = f"{data['start_date']}..{data['end_date']} (today {data['today']})"
    notes = [f"Note: {n}" for n in data["notes"]]
    if not t["plans"]:
        unplanned = (f"; {count(t['unplanned'], 'activity')} without a plan "
                     f"({_load_time(t['unplanned_load'], t['unplanned_time_s'])})"
                     if t["unplanned"] else "")
        return "\n".join([f"Planned vs done {span}: no planned workouts{unplanned}.", *notes])
    lines = [f"Planned vs done {span}: {_totals(t)}", *notes, definitions(data["partly_below"])]
    group = data["group_by"]
    lines.append(f"Per {group}:")
    lines += [_bucket_line(b, group) for b in data["buckets"]]
    lines.append("Planned workouts:")
    body = [f"- {_plan_line(p)}" for p in data["plans"]]
    return within(lines, body, left_out=lambda n: f"({count(n, 'earlier planned workout')} "
                  "left out to keep this answer short; the totals above count them)")


def _totals(t: dict[str, Any]) -> str:
    statuses = join([f"{t['done']:,} done" if t["done"] else "",
                     f"{t['partly']:,} partly done" if t["partly"] else "",
                     f"{t['missed']:,} missed" if t["missed"] else "",
                     f"{t['ahead']:,} ahead" if t["ahead"] else ""])
    text = (f"{count(t['plans'], 'planned workout')} ({statuses}); planned "
            f"{_load_time(t['planned_load'], t['planned_time_s'])}, done for the plans "
            f"{_load_time(t['done_load'], t['done_time_s'], t['planned_load'])}")
    if t["unplanned"]:
        text += (f"; besides, {count(t['unplanned'], 'activity')} without a plan "
                 f"({_load_time(t['unplanned_load'], t['unplanned_time_s'])})")
    return text + "."


def _load_time(load: float | None, secs: float | None, of: float | None = None) -> str:
    share = f" ({percent(100 * load / of)})" if load and of else ""
    return f"load {number(load or 0)}{share}, {hours(secs or 0, grouped=True)}"


def _bucket_line(b: dict[str, Any], group: str) -> str:
    label = f"week of {b['bucket']}" if group == "week" else b["bucket"]
    if b.get("partial"):
        label += f" ({b['partial']['days']} of {b['partial']['of']} days)"
    parts = []
    if b["plans"]:
        parts.append(f"planned {b['plans']} ({_load_time(b['planned_load'], b['planned_time_s'])})")
        done = join([f"{b['done']} done" if b["done"] else "",
                     f"{b['partly']} partly" if b["partly"] else "",
                     f"{b['missed']} missed" if b["missed"] else "",
                     f"{b['ahead']} ahead" if b["ahead"] else ""])
        parts.append(f"{done}: {_load_time(b['done_load'], b['done_time_s'], b['planned_load'])}")
    if b["unplanned"]:
        parts.append(f"unplanned {b['unplanned']} "
                     f"({_load_time(b['unplanned_load'], b['unplanned_time_s'])})")
    if b["load_target"] or b["time_target"] or b["distance_targets"]:
        parts.append("target " + join([
            f"load {number(b['load_target'])}" if b["load_target"] else "",
            hours(b["time_target"], grouped=True) if b["time_target"] else "",
            *(f"{t['type'] or 'any sport'} {distance(t['metres'], t['type'])}"
              for t in b["distance_targets"])]))
    return f"{label}: {'; '.join(parts) or 'nothing planned or done'}"


def _plan_line(p: dict[str, Any]) -> str:
    name = f' "{p["name"]}"' if p.get("name") else ""
    head = f"{p['date']} {p.get('type') or 'Workout'}{name} (event {p['id']})"
    planned = join([f"load {number(p['planned_load'])}" if p["planned_load"] else "",
                    duration(p["planned_time_s"]) if p["planned_time_s"] else "",
                    distance(p["planned_distance_m"], p.get("type"))
                    if p["planned_distance_m"] else ""])
    if p["status"] in ("missed", "ahead"):
        return f"{head}: {p['status']}" + (f" (planned {planned})" if planned else "")
    acts = " + ".join(f"{a['id']}" + (f' "{a["name"]}"' if a.get("name") else "")
                      + (" (a Strava import: no data)" if a.get("is_stub") else "")
                      for a in p["done_as"])
    compared = "" if all(a.get("is_stub") for a in p["done_as"]) else join([
        _against("load", p["done_load"], p["planned_load"], number),
        _against("", p["done_time_s"], p["planned_time_s"], duration),
    ])
    compliance = [f"{a['compliance']:.0f}%" for a in p["done_as"] if a.get("compliance")]
    tail = f", Intervals.icu compliance {', '.join(compliance)}" if compliance else ""
    return f"{head}: {p['status']} as {acts}: {compared or 'nothing to compare'}{tail}"


def _against(label: str, done: float | None, planned: float | None, show: Any) -> str:
    """'load 85 of 80 (106%)', '1:02:10 of 1:00:00'."""
    if not planned:
        return f"{label} {show(done)}".strip() if done else ""
    share = f" ({percent(100 * (done or 0) / planned)})" if label else ""
    return f"{label} {show(done or 0)} of {show(planned)}{share}".strip()
