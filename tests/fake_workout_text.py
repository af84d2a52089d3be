"""The fake API's reading of Intervals.icu workout text (an event's ``description``) into the
``workout_doc`` the real API returns, for the syntax the write tools send.

Written from the workout builder's documented syntax, not from our renderer, so a test that
sends a doc and reads back the parsed one checks the text says what the doc said:
- sections are separated by blank lines; a section may start with a header line (not a
  step): ``4x`` or ``Main set 4x`` repeat the section's steps; ``Warmup`` and ``Cooldown``
  mark its steps; free text before any step is the workout's description;
- a step is ``- [cue] (1h2m30s | 400mtr | 2km) [ramp] [target] [90rpm] [flags] [press lap]``;
  targets ``80%`` / ``80-90%`` (FTP), ``200w``, ``Z2`` / ``Z2-Z3`` (power zones), ``70% MMP``,
  ``70% HR``, ``95% LTHR``, ``Z2 HR``, ``90% Pace``, ``Z2 Pace``; flags ``freeride``,
  ``maxeffort``, ``hidepower``, ``intensity=recovery``.
"""

from __future__ import annotations

import re
from typing import Any

Obj = dict[str, Any]

_REPEAT = re.compile(r"^(?:(.*?)\s+)?(\d+)x$", re.I)
_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_DISTANCE = re.compile(r"^(\d+(?:\.\d+)?)(km|mtr|mi)$")
_NUM = r"(\d+(?:\.\d+)?)"
_PERCENT = re.compile(rf"^{_NUM}(?:-{_NUM})?%$")
_WATTS = re.compile(rf"^{_NUM}(?:-{_NUM})?w$", re.I)
_ZONE = re.compile(r"^Z(\d+)(?:-Z(\d+))?$")
_RPM = re.compile(rf"^{_NUM}(?:-{_NUM})?rpm$", re.I)
_PERCENT_OF = {"hr": ("hr", "%hr"), "lthr": ("hr", "%lthr"), "pace": ("pace", "%pace"),
               "mmp": ("power", "%mmp")}
_ZONE_OF = {"hr": ("hr", "hr_zone"), "pace": ("pace", "pace_zone")}
_METRES = {"km": 1000.0, "mtr": 1.0, "mi": 1609.344}


def parse_workout_text(text: str) -> Obj:
    """The ``workout_doc`` for a description: steps, their total duration and distance."""
    description: list[str] = []
    steps: list[Obj] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        head = lines[0] if lines and not lines[0].startswith("-") else None
        body = [_step(line[1:].split()) for line in lines if line.startswith("-")]
        if not body:
            description.extend(lines)
            continue
        repeat = _REPEAT.match(head) if head else None
        if repeat:
            steps.append({"text": head, "reps": int(repeat.group(2)), "steps": body,
                          "duration": sum(s.get("duration", 0) for s in body)})
            continue
        mark = (head or "").lower().replace(" ", "")
        for step in body:
            if mark in ("warmup", "cooldown"):
                step[mark] = True
            steps.append(step)
    doc: Obj = {"steps": steps, "locales": [], "options": {},
                "distance": _total(steps, "distance"), "duration": int(_total(steps, "duration"))}
    if description:
        doc = {"description": "\n".join(description), **doc}
    return doc


def _total(steps: list[Obj], key: str) -> float:
    return float(sum(s["reps"] * _total(s["steps"], key) if "reps" in s else s.get(key, 0)
                     for s in steps))


def _step(words: list[str]) -> Obj:
    step: Obj = {}
    cue: list[str] = []
    i = 0
    while i < len(words):
        word, after = words[i], words[i + 1].lower() if i + 1 < len(words) else ""
        used = _length(word, step) or _flag(word, after, step)
        if not used:
            used = _target(word, after, step)
        if used:
            i += used
        else:
            cue.append(word)
            i += 1
    if cue:
        step = {"text": " ".join(cue), **step}
    return step


def _length(word: str, step: Obj) -> int:
    if "duration" in step or "distance" in step:
        return 0
    distance = _DISTANCE.match(word)
    if distance:
        step["distance"] = float(distance.group(1)) * _METRES[distance.group(2)]
        return 1
    duration = _DURATION.match(word)
    if duration and any(duration.groups()):
        hours, minutes, secs = (int(g or 0) for g in duration.groups())
        step["duration"] = hours * 3600 + minutes * 60 + secs
        return 1
    return 0


def _flag(word: str, after: str, step: Obj) -> int:
    low = word.lower()
    if low in ("ramp", "freeride", "maxeffort", "hidepower"):
        step[low] = True
        return 1
    if low.startswith("intensity="):
        step["intensity"] = low.split("=", 1)[1]
        return 1
    if low == "press" and after == "lap":
        step["until_lap_press"] = True
        return 2
    return 0


def _target(word: str, after: str, step: Obj) -> int:
    percent, zone = _PERCENT.match(word), _ZONE.match(word)
    if percent:
        kind, units = _PERCENT_OF.get(after, ("power", "%ftp"))
        step[kind] = _value(percent.groups(), units)
        return 2 if after in _PERCENT_OF else 1
    if zone:
        kind, units = _ZONE_OF.get(after, ("power", "power_zone"))
        step[kind] = _value(zone.groups(), units)
        return 2 if after in _ZONE_OF else 1
    for pattern, kind, units in ((_WATTS, "power", "w"), (_RPM, "cadence", "rpm")):
        found = pattern.match(word)
        if found:
            step[kind] = _value(found.groups(), units)
            return 1
    return 0


def _value(groups: tuple[str | None, ...], units: str) -> Obj:
    low, high = (_number(g) for g in groups)
    if high is None:
        return {"value": low, "units": units}
    return {"start": low, "end": high, "units": units}


def _number(text: str | None) -> float | int | None:
    if text is None:
        return None
    number = float(text)
    return int(number) if number.is_integer() else number
