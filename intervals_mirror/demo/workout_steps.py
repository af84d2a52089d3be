"""A planned session's ``workout_doc`` steps as real responses carry them, and the workout text
(Intervals.icu's native syntax, the event's ``description``) that says the same: read back
as the server reads it, the text gives these steps.

Real step targets: ``power`` in ``w`` (most), ``%ftp`` or ``power_zone`` (the value is the
zone); ``hr`` in ``hr_zone`` or ``%hr``; ``cadence`` in ``rpm``; a target is a ``value`` or a
``start``/``end`` range; steps carry ``warmup``, ``cooldown``, ``ramp``, ``until_lap_press``;
a repeat block has ``reps``, nested ``steps`` and ``"text": "4x"``; a swim's sets are distance
steps (with the server's estimated ``duration`` beside the ``distance``). No random draws:
everything follows from the plan and the FTP.
"""

from __future__ import annotations

from .physiology import POWER_ZONES, RIDE_TYPES, RUN_TYPES, swim_set_metres, zone_of
from .plans import Plan, Segment
from .shapes import Obj

POWER_SPORTS = RIDE_TYPES | {"Rowing"}
LONG_RUN_SECS = 80 * 60  # runs this long are held by % of max HR, shorter ones by HR zone


def plan_steps(plan: Plan, ftp: int) -> list[Obj]:
    """One step per segment; a repeated set (with its recoveries) becomes one repeat block.
    Sessions without a structure of their own (strength) have no steps."""
    if plan.sport not in POWER_SPORTS | set(RUN_TYPES) | {"Swim"}:
        return []
    segs, steps, i = plan.segments, [], 0
    while i < len(segs):
        if segs[i].group:
            j = i
            while j < len(segs) and (segs[j].group or segs[j].kind == "RECOVERY"):
                j += 1
            steps.append(_repeat(plan, segs[i:j], ftp))
            i = j
            continue
        role = segs[i].kind or ("warmup" if i == 0 else "cooldown" if i == len(segs) - 1
                                else "WORK")
        steps.append(_step(plan, segs[i], role, ftp))
        i += 1
    return steps


def _repeat(plan: Plan, block: list[Segment], ftp: int) -> Obj:
    works = [s for s in block if s.group]
    rest = next((s for s in block if s.kind == "RECOVERY"), None)
    work = Segment(works[0].secs, sum(s.pct for s in works) / len(works), "WORK", group=True)
    inner = [_step(plan, work, "SET", ftp)]
    if rest:
        inner.append(_step(plan, rest, "RECOVERY", ftp))
    return {"text": f"{len(works)}x", "reps": len(works),
            "duration": sum(s.secs for s in block), "steps": inner}


def _step(plan: Plan, seg: Segment, role: str, ftp: int) -> Obj:
    """``role``: warmup, cooldown, WORK (a steady part), SET (a repeat's effort), RECOVERY."""
    step: Obj = {"warmup": True} if role == "warmup" else (
        {"cooldown": True} if role == "cooldown" else {})
    if plan.sport == "Swim":
        return {**step, **_swim(seg, role)}
    step["duration"] = seg.secs
    if plan.sport in POWER_SPORTS:
        step.update(_power(plan.sport, seg, role, ftp))
    else:
        step.update(_run(plan, seg, role))
    return step


def _power(sport: str, seg: Segment, role: str, ftp: int) -> Obj:
    pct = round(seg.pct * 100)
    if role == "warmup":
        return {"ramp": True, "power": {"start": _watts(0.5, ftp), "end": _watts(0.7, ftp),
                                        "units": "w"}}
    if role in ("cooldown", "RECOVERY"):
        return {"power": {"value": 1, "units": "power_zone"}}
    if role == "WORK":
        return {"power": {"value": zone_of(pct, POWER_ZONES), "units": "power_zone"}}
    if pct >= 105:
        target: Obj = {"power": {"start": pct - 2, "end": pct + 2, "units": "%ftp"}}
    else:
        watts = _watts(seg.pct, ftp)
        target = {"power": {"start": watts - 5, "end": watts + 5, "units": "w"}}
    if sport in RIDE_TYPES:
        target["cadence"] = ({"value": 100, "units": "rpm"} if pct >= 105
                             else {"start": 85, "end": 95, "units": "rpm"})
    return target


def _run(plan: Plan, seg: Segment, role: str) -> Obj:
    if role == "SET":
        return {"pace": {"value": round(seg.pct * 100), "units": "%pace"}}
    if role == "WORK" and seg.secs >= LONG_RUN_SECS:
        return {"hr": {"start": 70, "end": 80, "units": "%hr"}}
    zone = 2 if role in ("warmup", "WORK") else 1
    return {"hr": {"value": zone, "units": "hr_zone"}}


def _swim(seg: Segment, role: str) -> Obj:
    if role == "cooldown":
        return {"until_lap_press": True, "text": "easy"}
    if role == "warmup":
        return {"duration": seg.secs, "text": "easy"}
    if role == "RECOVERY":
        return {"duration": seg.secs, "text": "rest"}
    return {"distance": float(swim_set_metres(seg.secs, seg.pct)), "duration": seg.secs,
            "pace": {"value": round(seg.pct * 100), "units": "%pace"}}


def _watts(pct: float, ftp: int) -> int:
    return round(pct * ftp / 5) * 5


def planned_distance(steps: list[Obj]) -> float:
    """Metres planned by distance steps (0.0 when every step is timed, or there are none)."""
    return float(sum(s.get("reps", 1) * planned_distance(s["steps"]) if "steps" in s
                     else s.get("distance") or 0.0 for s in steps))


def planned_secs(steps: list[Obj]) -> int:
    return sum(s.get("reps", 1) * planned_secs(s["steps"]) if "steps" in s
               else s.get("duration") or 0 for s in steps)


# -- the workout text ------------------------------------------------------------------------

_UNITS = {"w": "w", "%ftp": "%", "rpm": "rpm", "%hr": "% HR", "%pace": "% Pace"}


def workout_text(steps: list[Obj]) -> str:
    """The steps in Intervals.icu's workout syntax, as the athlete or coach typed them."""
    blocks = []
    for step in steps:
        if "steps" in step:
            blocks.append(f"{step['text']}\n" + "\n".join(_line(s) for s in step["steps"]))
        else:
            head = "Warmup\n" if step.get("warmup") else (
                "Cooldown\n" if step.get("cooldown") else "")
            blocks.append(head + _line(step))
    return "\n\n".join(blocks)


def _line(step: Obj) -> str:
    parts = ["-"]
    if step.get("distance"):
        parts.append(f"{round(step['distance'])}mtr")
    elif step.get("duration"):
        parts.append(_time(step["duration"]))
    if step.get("ramp"):
        parts.append("ramp")
    for key in ("power", "hr", "pace", "cadence"):
        if key in step:
            parts.append(_target(key, step[key]))
    if step.get("text"):
        parts.append(step["text"])
    if step.get("until_lap_press"):
        parts.append("press lap")
    return " ".join(parts)


def _target(key: str, target: Obj) -> str:
    units = target["units"]
    value = (f"{target['start']}-{target['end']}" if "start" in target
             else str(target["value"]))
    if units == "power_zone":
        return f"Z{value}"
    if units == "hr_zone":
        return f"Z{value} HR"
    return f"{value}{_UNITS[units]}"


def _time(secs: int) -> str:
    hours, rest = divmod(secs, 3600)
    minutes, seconds = divmod(rest, 60)
    return (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "") + (
        f"{seconds}s" if seconds or not (hours or minutes) else "")
