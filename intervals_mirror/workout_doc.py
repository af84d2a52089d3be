"""A planned workout's steps (``workout_doc``) checked before anything is sent, and written as
Intervals.icu's own workout text, which is what the API reads.

The API builds an event's ``workout_doc`` from the native text in its ``description``; it does
not take a ``workout_doc`` (the developer, on the API forum). So the tools take the steps as
JSON in the shape the API returns them (``get_event_by_id`` shows them), check them here with
an error naming the step (``workout_doc.steps[2].power.units: expected one of ...``), and send
the text. Pure: no I/O.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from .errors import QueryError, shown

ROOT = "workout_doc"
MAX_STEPS = 300
MAX_REPS = 100
MAX_TEXT = 200

# Keys of the API's own workout_doc that it computes from the text: accepted (a doc copied from
# get_event_by_id works) and not sent.
_COMPUTED = frozenset({
    "duration", "distance", "zoneTimes", "zone_times", "locales", "options", "strain_score",
    "average_watts", "normalized_power", "variability_index", "polarization_index", "ftp",
    "lthr", "threshold_pace", "pace_units", "sport_settings", "sportSettings", "category",
    "target", "description_locale"})
_STEP_COMPUTED = frozenset({"_power", "_hr", "_pace", "_distance", "_cadence", "text_locale"})
_FLAGS = ("warmup", "cooldown", "ramp", "freeride", "maxeffort", "hidepower", "until_lap_press")
_TARGETS = ("power", "hr", "pace", "cadence")
STEP_KEYS = ("text", "duration", "distance", "reps", "steps", "intensity", *_TARGETS, *_FLAGS)
_BLOCK_KEYS = frozenset({"reps", "steps", "text", "duration", "distance"})
INTENSITIES = ("active", "rest", "warmup", "cooldown", "recovery", "interval", "other")

# units -> (the target kinds taking it, the largest value, how the text writes it)
UNITS: dict[str, tuple[tuple[str, ...], float, str]] = {
    "%ftp": (("power",), 500, "{}%"),
    "w": (("power",), 3000, "{}w"),
    "%mmp": (("power",), 500, "{}% MMP"),
    "power_zone": (("power",), 10, "Z{}"),
    "%hr": (("hr",), 150, "{}% HR"),
    "%lthr": (("hr",), 150, "{}% LTHR"),
    "hr_zone": (("hr",), 10, "Z{} HR"),
    "%pace": (("pace",), 300, "{}% Pace"),
    "pace_zone": (("pace",), 10, "Z{} Pace"),
    "rpm": (("cadence",), 250, "{}rpm"),
    "cadence": (("cadence",), 250, "{}rpm"),  # the live-API server's name for rpm
}
_VALUE_KEYS = frozenset({"value", "start", "end", "units", "target"})
MAX_SECONDS = 24 * 3600
MAX_METRES = 1_000_000


def parse(value: Any) -> dict[str, Any]:
    """The workout_doc as given (an object, or the same as a JSON string), checked; raises
    ``QueryError`` naming the first bad place. Returns a clean copy."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise QueryError(f"{ROOT}: expected an object like {{\"steps\": [{{\"duration\": "
                             f"600, \"power\": {{\"value\": 60, \"units\": \"%ftp\"}}}}]}}, "
                             f"got {shown(value)}") from None
    if not isinstance(value, dict):
        raise QueryError(f"{ROOT}: expected an object with steps, got {shown(value)}")
    unknown = [k for k in value if k not in ("steps", "description") and k not in _COMPUTED]
    if unknown:
        raise QueryError(f"{ROOT}.{unknown[0]}: unknown key; expected steps and description")
    description = _description(value.get("description"))
    steps = value.get("steps")
    if steps is None and description:
        return {"description": description, "steps": []}
    if not isinstance(steps, list) or not steps:
        raise QueryError(f"{ROOT}.steps: expected a list of steps (or a description alone), "
                         f"got {shown(steps)}")
    clean = [_step(step, f"{ROOT}.steps[{i}]", nested=False) for i, step in enumerate(steps)]
    if _count(clean) > MAX_STEPS:
        raise QueryError(f"{ROOT}.steps: expected at most {MAX_STEPS} steps in all")
    return {"description": description, "steps": clean}


def _description(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 4000:
        raise QueryError(f"{ROOT}.description: expected text of at most 4,000 characters, "
                         f"got {shown(value)}")
    if any(line.lstrip().startswith("-") for line in value.splitlines()):
        raise QueryError(f"{ROOT}.description: a line starting with '-' would be read as a "
                         "step; put steps in steps")
    return value.strip() or None


def _count(steps: list[dict[str, Any]]) -> int:
    return sum(len(s["steps"]) if "steps" in s else 1 for s in steps)


def _step(step: Any, where: str, *, nested: bool) -> dict[str, Any]:
    if not isinstance(step, dict):
        raise QueryError(f"{where}: expected a step (an object), got {shown(step)}")
    unknown = [k for k in step if k not in STEP_KEYS and k not in _STEP_COMPUTED]
    if unknown:
        raise QueryError(f"{where}.{unknown[0]}: unknown key; expected some of "
                         f"{', '.join(STEP_KEYS)}")
    if "reps" in step or "steps" in step:
        if nested:
            raise QueryError(f"{where}: a repeat inside a repeat; Intervals.icu's workout text "
                             "has no nested repeats")
        return _block(step, where)
    clean: dict[str, Any] = {}
    for flag in _FLAGS:
        if step.get(flag) not in (None, False, True):
            raise QueryError(f"{where}.{flag}: expected true or false, got {shown(step[flag])}")
        if step.get(flag):
            clean[flag] = True
    if clean.get("warmup") and clean.get("cooldown"):
        raise QueryError(f"{where}: a step is a warmup or a cooldown, not both")
    if step.get("distance") is not None:
        clean["distance"] = _number(step["distance"], f"{where}.distance", MAX_METRES, "metres")
    elif step.get("duration") is not None:
        clean["duration"] = round(_number(step["duration"], f"{where}.duration", MAX_SECONDS,
                                          "seconds"))
    elif not clean.get("until_lap_press"):
        raise QueryError(f"{where}: expected a duration (seconds), a distance (metres) or "
                         "until_lap_press: true")
    if step.get("text") is not None:
        clean["text"] = _text(step["text"], f"{where}.text")
    if step.get("intensity") is not None:
        if step["intensity"] not in INTENSITIES:
            raise QueryError(f"{where}.intensity: expected one of {', '.join(INTENSITIES)}, "
                             f"got {shown(step['intensity'])}")
        clean["intensity"] = step["intensity"]
    for kind in _TARGETS:
        if step.get(kind) is not None:
            clean[kind] = _target(step[kind], f"{where}.{kind}", kind)
    _check_targets(clean, where)
    return clean


def _block(step: dict[str, Any], where: str) -> dict[str, Any]:
    extra = [k for k in step if k not in _BLOCK_KEYS and k not in _STEP_COMPUTED]
    if extra:
        raise QueryError(f"{where}.{extra[0]}: not on a repeat (reps and steps); put it on "
                         "its steps")
    reps = step.get("reps")
    if isinstance(reps, bool) or not isinstance(reps, int) or not 1 <= reps <= MAX_REPS:
        raise QueryError(f"{where}.reps: expected a whole number from 1 to {MAX_REPS}, "
                         f"got {shown(reps)}")
    inner = step.get("steps")
    if not isinstance(inner, list) or not inner:
        raise QueryError(f"{where}.steps: expected the steps to repeat (a list), "
                         f"got {shown(inner)}")
    clean: dict[str, Any] = {"reps": reps}
    text = step.get("text")
    if text is not None and str(text).strip() != f"{reps}x":  # real blocks say "4x"
        clean["text"] = _text(text, f"{where}.text")
    clean["steps"] = [_step(s, f"{where}.steps[{i}]", nested=True) for i, s in enumerate(inner)]
    return clean


def _check_targets(step: dict[str, Any], where: str) -> None:
    main = [kind for kind in ("power", "hr", "pace") if kind in step]
    if len(main) > 1:
        raise QueryError(f"{where}: one target of power, hr or pace per step (cadence may "
                         f"go beside it), got {' and '.join(main)}")
    if step.get("ramp") and not (main and "start" in step[main[0]]):
        raise QueryError(f"{where}.ramp: a ramp needs a range (start and end) on power, hr "
                         "or pace")
    if step.get("freeride") and "power" in step:
        raise QueryError(f"{where}.freeride: a free ride has no power target")


def _target(value: Any, where: str, kind: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise QueryError(f"{where}: expected an object like {{\"value\": 80, \"units\": "
                         f"\"{_units_for(kind)[0]}\"}}, got {shown(value)}")
    unknown = [k for k in value if k not in _VALUE_KEYS]
    if unknown:
        raise QueryError(f"{where}.{unknown[0]}: unknown key; expected value, or start and "
                         "end, and units")
    allowed = _units_for(kind)
    units = value.get("units")
    units = units.strip().lower() if isinstance(units, str) else units
    if units not in allowed:
        raise QueryError(f"{where}.units: expected one of {', '.join(allowed)}, "
                         f"got {shown(value.get('units'))}")
    largest, zone = UNITS[units][1], units.endswith("_zone")
    if "value" in value and "start" not in value and "end" not in value:
        return {"value": _number(value["value"], f"{where}.value", largest, units, zone),
                "units": units}
    if "value" in value or "start" not in value or "end" not in value:
        raise QueryError(f"{where}: expected value, or start and end (a range), not both")
    return {"start": _number(value["start"], f"{where}.start", largest, units, zone),
            "end": _number(value["end"], f"{where}.end", largest, units, zone), "units": units}


def _units_for(kind: str) -> list[str]:
    return [units for units, (kinds, _, _) in UNITS.items() if kind in kinds]


def _number(value: Any, where: str, largest: float, unit: str, whole: bool = False) -> float:
    ok = (not isinstance(value, bool) and isinstance(value, int | float)
          and math.isfinite(value) and 0 < value <= largest
          and (not whole or float(value).is_integer()))
    if not ok:
        kind = "a whole number" if whole else "a number"
        raise QueryError(f"{where}: expected {kind} above 0 and at most {largest:g} ({unit}), "
                         f"got {shown(value)}")
    return int(value) if float(value).is_integer() else float(value)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or "\n" in value or len(value) > MAX_TEXT:
        raise QueryError(f"{where}: expected one line of at most {MAX_TEXT} characters, "
                         f"got {shown(value)}")
    return value.strip()


# -- the workout text ------------------------------------------------------------------------


def render(doc: dict[str, Any]) -> str:
    """A checked doc (``parse``) as Intervals.icu's workout text: the description first, then
    sections (Warmup, repeats as "Main set 4x", Cooldown) separated by blank lines."""
    blocks: list[list[str]] = []
    if doc.get("description"):
        blocks.append([doc["description"]])
    section: str | None = None
    for step in doc["steps"]:
        if "steps" in step:
            head = f"{step['text']} {step['reps']}x" if step.get("text") else f"{step['reps']}x"
            blocks.append([head, *(step_line(s) for s in step["steps"])])
            section = "repeat"
            continue
        kind = "Warmup" if step.get("warmup") else "Cooldown" if step.get("cooldown") else ""
        if kind != section:
            header = kind or ("Main set" if section in ("Warmup", "Cooldown") else "")
            blocks.append([header] if header else [])
            section = kind
        blocks[-1].append(step_line(step))
    return "\n\n".join("\n".join(block) for block in blocks if block)


def step_line(step: dict[str, Any]) -> str:
    """One step: ``- cue 10m ramp 50-75% 90rpm press lap``."""
    parts = ["-"]
    if step.get("text"):
        parts.append(step["text"])
    if "distance" in step:
        parts.append(distance_text(step["distance"]))
    elif "duration" in step:
        parts.append(duration_text(step["duration"]))
    if step.get("ramp"):
        parts.append("ramp")
    parts += [_target_text(step[kind]) for kind in _TARGETS if kind in step]
    parts += [flag for flag in ("freeride", "maxeffort", "hidepower") if step.get(flag)]
    if step.get("intensity"):
        parts.append(f"intensity={step['intensity']}")
    if step.get("until_lap_press"):
        parts.append("press lap")
    return " ".join(parts)


def duration_text(seconds: float) -> str:
    """3,700 s -> ``1h1m40s``; 90 -> ``1m30s``; 600 -> ``10m``."""
    hours, rest = divmod(round(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "") + (
        f"{secs}s" if secs or not (hours or minutes) else "")


def distance_text(metres: float) -> str:
    """``m`` means minutes in workout text: 400 -> ``400mtr``, 2,000 -> ``2km``."""
    if metres >= 1000:
        return f"{_plain(metres / 1000)}km"
    return f"{_plain(metres)}mtr"


def _target_text(target: dict[str, Any]) -> str:
    form = UNITS[target["units"]][2]
    if "start" in target:
        if target["units"].endswith("_zone"):
            low, high = form.format(_plain(target["start"])), form.format(_plain(target["end"]))
            return f"{low.split(' ')[0]}-{high}"  # Z2-Z3 HR
        return form.format(f"{_plain(target['start'])}-{_plain(target['end'])}")
    return form.format(_plain(target["value"]))


def _plain(number: float) -> str:
    return f"{round(number, 3):g}" if abs(number) < 1e6 else str(round(number))


def sport_from_name(name: str) -> str:
    """The sport a workout's name suggests (as the live-API server infers it), else Ride."""
    words = set(re.findall(r"[a-z]+", name.lower()))
    for sport, hints in _SPORT_WORDS:
        if words & hints:
            return sport
    return "Ride"


_SPORT_WORDS = (
    ("Ride", {"bike", "cycle", "cycling", "ride", "riding"}),
    ("Run", {"run", "running", "jog", "jogging"}),
    ("Swim", {"swim", "swimming", "pool"}),
    ("Walk", {"walk", "walking", "hike", "hiking"}),
    ("Row", {"row", "rowing"}),
)
