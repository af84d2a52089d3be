"""What the athlete sets out to do each day: a session's sport, kind, and timed segments.

Both an activity and its planned calendar workout derive from one ``Plan``. The planners draw
from the caller's random stream in a fixed order, which the seeded output depends on.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from .clock import winter
from .life_calendar import Life
from .physiology import RIDE_TYPES, RUN_TYPES, swim_set_metres


@dataclass
class Segment:
    secs: int
    pct: float  # fraction of threshold (power for rides/rowing, speed/HR otherwise)
    kind: str | None  # "WORK", "RECOVERY" or None (warm-up, cool-down: a RECOVERY interval)
    label: str | None = None
    group: bool = False  # part of a repeated set (gets an icu_groups entry)


@dataclass
class Plan:
    sport: str
    kind: str  # structured, steady, long, recovery, commute, race, laps
    start: dt.datetime  # local wall clock
    segments: list[Segment]
    name: str | None
    race_name: str | None = None

    @property
    def secs(self) -> int:
        return sum(s.secs for s in self.segments)


# Weekly template: (weekday) -> [(sport, kind, hour, probability)]. Tuned for ~430/year.
_WEEK: dict[int, list[tuple[str, str, int, float]]] = {
    0: [("Swim", "steady", 12, 0.3), ("Walk", "steady", 13, 0.35), ("Rowing", "steady", 18, 0.04)],
    1: [
        ("Ride", "commute", 7, 0.2),
        ("WeightTraining", "steady", 6, 0.35),
        ("BIKE", "structured", 18, 0.9),
    ],
    2: [("Run", "run", 7, 0.85), ("Walk", "steady", 12, 0.2), ("Swim", "steady", 19, 0.35)],
    3: [
        ("Ride", "commute", 7, 0.25),
        ("WeightTraining", "steady", 6, 0.2),
        ("BIKE", "steady", 18, 0.85),
    ],
    4: [("Swim", "steady", 7, 0.5), ("Walk", "steady", 12, 0.3), ("Run", "recovery", 18, 0.3)],
    5: [("BIKE", "long", 9, 0.88), ("Walk", "steady", 16, 0.25), ("Run", "steady", 15, 0.2)],
    6: [("RUNLONG", "long", 9, 0.8), ("Walk", "steady", 15, 0.4)],
}
_HOLIDAY_WEEK = [
    ("Hike", "steady", 10, 0.35),
    ("Walk", "steady", 16, 0.4),
    ("Run", "steady", 8, 0.3),
    ("Swim", "steady", 17, 0.15),
]
_STRUCTURED_RIDES = ("Ride", "VirtualRide", "GravelRide")


def day_sessions(day: dt.date, life: Life, rng: random.Random) -> list[tuple[str, str, int]]:
    """The day's (sport, kind, hour) sessions, earliest first; sports may still be generic."""
    sessions: list[tuple[str, str, int]] = []
    if day in life.sick:
        return sessions
    if day in life.races:
        return [(life.races[day].sport, "race", 9)]
    template = _HOLIDAY_WEEK if day in life.holiday else _WEEK[day.weekday()]
    for sport, kind, hour, p in template:
        if rng.random() < p:
            sessions.append((sport, kind, hour))
    return sorted(sessions, key=lambda s: s[2])


def resolve_sport(sport: str, kind: str, day: dt.date, rng: random.Random) -> str:
    """Turn the template's generic BIKE and RUNLONG into a concrete activity type."""
    if sport == "BIKE":
        indoor = 0.75 if winter(day) else 0.15
        if kind == "long":
            indoor = 0.35 if winter(day) else 0.0
        return "VirtualRide" if rng.random() < indoor else "Ride"
    if sport == "RUNLONG":
        r = rng.random()
        if not winter(day) and r < 0.08:
            return "TrailRun"
        if r < 0.11:
            return "Hike"
        return "Run"
    return sport


@dataclass
class _Draft:
    """A plan being drawn: its segments, and its name when it has one (a planned workout's
    text is written from its steps, ``workout_steps``)."""

    rng: random.Random
    kind: str
    segs: list[Segment] = field(default_factory=list)
    name: str | None = None

    def steady(self, total: int, pct: float, warm: int = 300, cool: int = 300) -> None:
        self.segs.append(Segment(warm, pct * 0.8, None))
        self.segs.append(Segment(max(300, total - warm - cool), pct, "WORK"))
        self.segs.append(Segment(cool, pct * 0.75, None))

    def reps(self, n: int, work: int, wpct: float, rec: int, label: str, warm: int,
             cool: int) -> None:
        self.segs.append(Segment(warm, 0.6, None))
        self.repeats(n, work, wpct, rec, label, 0.5)
        self.segs.append(Segment(cool, 0.5, None))

    def repeats(self, n: int, work: int, wpct: float, rec: int, label: str,
                rec_pct: float) -> None:
        """``n`` grouped work efforts with recoveries between them (none after the last)."""
        for i in range(n):
            pct = wpct * self.rng.uniform(0.98, 1.02)
            self.segs.append(Segment(work, pct, "WORK", f"{label} {i + 1}", True))
            if i < n - 1:
                self.segs.append(Segment(rec, rec_pct, "RECOVERY"))


def plan_session(sport: str, kind: str, start: dt.datetime, rng: random.Random) -> Plan:
    """Choose durations and intensities; both the activity and its planned event derive from it."""
    draft = _Draft(rng, kind)
    _planner(sport)(sport, draft)
    segs = [s for s in draft.segs if s.secs > 0]
    return Plan(sport, draft.kind, start, segs, draft.name)


def _planner(sport: str) -> Callable[[str, _Draft], None]:
    if sport in RIDE_TYPES:
        return _plan_ride
    if sport in RUN_TYPES:
        return _plan_run
    return _OTHER_PLANNERS.get(sport, _plan_walk)


def _plan_ride(sport: str, d: _Draft) -> None:
    rng = d.rng
    if sport in _STRUCTURED_RIDES and d.kind == "structured":
        _ride_intervals(d)
    elif sport in _STRUCTURED_RIDES and d.kind == "long":
        _long_ride(sport, d)
    elif d.kind == "commute":
        d.steady(rng.randint(20, 40) * 60, rng.uniform(0.55, 0.65), 120, 120)
    elif d.kind == "race":
        d.steady(rng.randint(160, 330) * 60, rng.uniform(0.80, 0.86), 600, 300)
    else:
        d.steady(rng.randint(60, 120) * 60, rng.uniform(0.63, 0.74), 600, 300)
        d.name = "Endurance"


def _ride_intervals(d: _Draft) -> None:
    rng = d.rng
    work, pct, rec, label = rng.choice([
        (720, 0.90, 300, "Sweet spot"),
        (480, 0.99, 240, "Threshold"),
        (300, 1.14, 300, "VO2"),
        (1200, 0.88, 300, "Sweet spot"),
    ])
    n = rng.randint(3, 6) if work <= 720 else rng.randint(2, 3)
    d.reps(n, work, pct, rec, label, rng.randint(10, 20) * 60, 600)
    d.name = f"{n}x{work // 60} {label.lower()}"


def _long_ride(sport: str, d: _Draft) -> None:
    rng = d.rng
    total = rng.randint(150, 300 if sport == "Ride" else 150) * 60
    if rng.random() >= 0.5:
        d.steady(total, rng.uniform(0.66, 0.74), 900, 600)
        d.name = "Long endurance ride"
        return
    n = rng.randint(2, 3)
    d.segs.append(Segment(1200, 0.6, None))
    d.segs.append(Segment(total // 3, 0.68, "WORK", "Endurance"))
    d.repeats(n, 720, 0.86, 300, "Tempo", 0.5)
    rest = max(600, total - sum(s.secs for s in d.segs) - 600)
    d.segs.append(Segment(rest, 0.67, "WORK", "Endurance"))
    d.segs.append(Segment(600, 0.5, None))
    d.name = f"Endurance + {n}x12 tempo"


def _plan_run(sport: str, d: _Draft) -> None:
    rng = d.rng
    if d.kind == "run" and rng.random() < 0.4:
        _run_intervals(d)
    elif d.kind == "race":
        dist_secs = rng.choice([2700, 5900])
        d.steady(dist_secs, 1.0 if dist_secs < 3000 else 0.93, 60, 60)
    elif d.kind == "long":
        d.kind = "laps" if rng.random() < 0.4 else "long"
        d.steady(rng.randint(80, 130) * 60, rng.uniform(0.74, 0.8), 600, 300)
        d.name = "Long run"
    elif d.kind == "recovery":
        d.steady(rng.randint(25, 40) * 60, rng.uniform(0.68, 0.72), 300, 120)
    else:
        d.kind = "laps" if rng.random() < 0.3 else "steady"
        d.steady(rng.randint(35, 70) * 60, rng.uniform(0.74, 0.82), 300, 300)
        d.name = "Easy run"


def _run_intervals(d: _Draft) -> None:
    rng = d.rng
    work, pct, rec, label = rng.choice([
        (180, 1.08, 120, "Interval"),
        (600, 1.0, 180, "Threshold"),
        (1200, 0.94, 240, "Tempo"),
    ])
    n = {180: rng.randint(4, 6), 600: rng.randint(3, 4), 1200: 2}[work]
    d.reps(n, work, pct, rec, label, 900, 600)
    d.name = f"{n}x{work // 60}min {label.lower()}"
    d.kind = "structured"


def _plan_swim(sport: str, d: _Draft) -> None:
    rng = d.rng
    if rng.random() < 0.5:
        n = rng.randint(4, 6)
        work = rng.choice([120, 180, 240])
        d.reps(n, work, 0.95, 30, "Set", 600, 300)
        d.kind = "structured"
        d.name = f"{n}x{swim_set_metres(work, 0.95)} swim"
    else:
        d.steady(rng.randint(30, 55) * 60, rng.uniform(0.8, 0.88), 300, 300)


def _plan_strength(sport: str, d: _Draft) -> None:
    rng = d.rng
    total = rng.randint(30, 60) * 60
    d.segs.append(Segment(total, rng.uniform(0.5, 0.6), "WORK" if rng.random() < 0.5 else None))
    d.name = "Strength"


def _plan_row(sport: str, d: _Draft) -> None:
    if d.rng.random() < 0.5:
        d.reps(4, 300, 1.0, 120, "Row", 600, 300)
        d.kind = "structured"
    else:
        d.steady(d.rng.randint(30, 45) * 60, 0.72, 300, 300)


def _plan_hike(sport: str, d: _Draft) -> None:
    d.steady(d.rng.randint(120, 300) * 60, d.rng.uniform(0.55, 0.65), 0, 0)


def _plan_walk(sport: str, d: _Draft) -> None:
    """Walks and any sport without a planner of its own."""
    total = d.rng.randint(20, 90) * 60
    d.segs.append(Segment(total, d.rng.uniform(0.45, 0.55), "WORK"))


_OTHER_PLANNERS: dict[str, Callable[[str, _Draft], None]] = {
    "Swim": _plan_swim,
    "WeightTraining": _plan_strength,
    "Rowing": _plan_row,
    "Hike": _plan_hike,
}
