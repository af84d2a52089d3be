"""One planned session done: what it measured (a ``Session``) and the API activity built from it.

The activity's 178 keys are filled in ``activity_fields``, its intervals in ``intervals``; all
three draw from one random stream in a fixed order, which the seeded output depends on.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from . import activity_fields
from .clock import fmt_local, local_to_utc
from .intervals import build_intervals, lap_summary
from .physiology import (
    LTHR,
    MAX_HR,
    RIDE_TYPES,
    RUN_LTHR,
    RUN_TYPES,
    ftp,
    hr_for,
    speed_for,
    sport_ftp,
    weight,
)
from .plans import Plan
from .shapes import STRAVA_NOTE, Obj

# "{part}" is the time of day the session started in, as devices name activities.
_DEFAULT_NAMES = {
    "Ride": ["Berlin Cycling", "{part} Ride", "{part} Ride", "Berlin Cycling", "{part} Ride"],
    "VirtualRide": [
        "Zwift - Watopia",
        "Zwift - Makuri Islands",
        "Zwift - London",
        "Zwift - Richmond",
        "Indoor Cycling",
    ],
    "Run": ["Berlin Running", "{part} Run", "{part} Run", "{part} Run"],
    "TrailRun": ["Trail Run", "Grunewald Trail Run"],
    "Swim": ["Pool Swim", "Lap Swimming", "{part} Swim"],
    "WeightTraining": ["Strength", "Gym", "Core + Strength"],
    "Walk": ["Walk", "Berlin Walking", "{part} Walk"],
    "Hike": ["Hike", "Harz Hike", "Saxon Switzerland Hike"],
    "Rowing": ["Indoor Rowing", "Concept2 Row"],
}
# Elevation gain per km by sport (m).
_HILLINESS = {
    "Ride": 9.0,
    "GravelRide": 8.0,
    "MountainBikeRide": 18.0,
    "TrailRun": 35.0,
    "Hike": 60.0,
    "Run": 4.0,
    "Walk": 3.0,
    "VirtualRide": 6.0,
}


@dataclass
class BuildContext:
    """What building an object needs besides the plan: athlete thresholds and id counters."""

    athlete_id: str
    start: dt.date
    ftp_base: int
    next_interval_id: int


@dataclass
class Session:
    """What the athlete brought to a session and what it measured, before it becomes JSON."""

    plan: Plan
    sport: str
    day: dt.date
    is_ride: bool
    ftp: int
    weight: float
    indoor: bool
    has_power: bool
    lthr: int
    has_hr: bool
    base_speed: float  # m/s at 70 % for rides; other sports use their thresholds
    moving: int = 0
    intensity: float = 0.0  # the intensity factor (IF)
    variability: float = 1.0  # IF squared over the segments' mean squared intensity
    segment_hr: list[float] = field(default_factory=list)  # each segment's mean heart rate
    avg_pct: float = 0.0
    load: int = 0
    pauses: int = 0
    distance: float | None = None
    avg_speed: float | None = None
    avg_hr: int | None = None
    max_hr: int | None = None
    np_w: int | None = None
    avg_w: int | None = None
    gain: float | None = None
    cadence: float | None = None
    calories: int = 0
    source: str = ""
    device: str | None = None
    created: dt.datetime = dt.datetime.min  # uploaded, UTC
    synced: dt.datetime = dt.datetime.min
    name: str | None = None

    @property
    def elapsed(self) -> int:
        return self.moving + self.pauses


def build_activity(plan: Plan, aid: str, ctx: BuildContext, rng: random.Random) -> tuple[Obj, Obj]:
    """One list-endpoint activity object plus its intervals DTO (empty lists for none)."""
    s = _equip(plan, ctx, rng)
    _effort(s, rng)
    _measure(s, rng)
    _provenance(s, rng)
    a = activity_fields.activity(s, aid, ctx, rng)
    ivs = build_intervals(s, a, ctx, rng)
    if ivs["icu_intervals"]:
        a["icu_lap_count"] = len(ivs["icu_intervals"])
        a["interval_summary"] = lap_summary(ivs, s.sport)
    return a, ivs


def strava_stub(sid: str, athlete_id: str, start_local: dt.datetime) -> Obj:
    """A Strava-imported activity as the API lists it: five keys and a note."""
    return {
        "id": sid,
        "icu_athlete_id": athlete_id,
        "start_date_local": fmt_local(start_local),
        "source": "STRAVA",
        "_note": STRAVA_NOTE,
    }


def _equip(plan: Plan, ctx: BuildContext, rng: random.Random) -> Session:
    """Thresholds on the day, and which sensors recorded."""
    sport = plan.sport
    day = plan.start.date()
    kg = round(weight(day, ctx.start) + rng.uniform(-0.4, 0.4), 1)
    indoor = sport == "VirtualRide" or sport in ("Swim", "WeightTraining", "Rowing")
    has_power = sport in ("VirtualRide", "Rowing") or (sport == "Ride" and rng.random() < 0.85)
    if sport == "Swim":
        has_hr = rng.random() < 0.3
    elif sport == "WeightTraining":
        has_hr = rng.random() < 0.7
    elif sport in RIDE_TYPES and not has_power:
        has_hr = True
    else:
        has_hr = rng.random() < 0.95
    base_speed = rng.uniform(7.2, 8.4) if sport == "Ride" else rng.uniform(8.0, 9.5)
    if sport == "MountainBikeRide":
        base_speed = 5.5
    if plan.kind == "commute":
        base_speed *= 0.85
    return Session(plan, sport, day, sport in RIDE_TYPES,
                   sport_ftp(sport, ftp(day, ctx.start, ctx.ftp_base)), kg, indoor, has_power,
                   RUN_LTHR if sport in RUN_TYPES else LTHR, has_hr, base_speed)


def _effort(s: Session, rng: random.Random) -> None:
    """Intensity and load from the segments, and the pauses that make elapsed time."""
    sport, segs = s.sport, s.plan.segments
    s.moving = moving = sum(seg.secs for seg in segs)
    sum_p2 = sum(seg.secs * seg.pct**2 for seg in segs)
    s.variability = 1.0 + (rng.uniform(0.01, 0.04) if s.indoor else rng.uniform(0.03, 0.12))
    s.intensity = if_ = math.sqrt(sum_p2 / moving * s.variability)
    s.avg_pct = sum(seg.secs * seg.pct for seg in segs) / moving
    s.load = round(moving / 3600 * if_**2 * 100)
    if sport == "WeightTraining":
        s.load = round(moving / 60 * rng.uniform(0.45, 0.8))
    elif sport in ("Walk", "Hike"):
        s.load = round(moving / 3600 * if_**2 * 70)
    if sport in ("Ride", "GravelRide", "MountainBikeRide"):
        s.pauses = int(moving * rng.uniform(0.02, 0.12))
    elif sport in ("Run", "TrailRun", "Walk", "Hike"):
        s.pauses = int(moving * rng.uniform(0.0, 0.05))
    elif sport == "Swim":
        s.pauses = int(moving * rng.uniform(0.1, 0.25))
    elif sport == "VirtualRide":
        s.pauses = rng.randint(0, 60)


def _measure(s: Session, rng: random.Random) -> None:
    """Distance, speed, heart rate, power, climbing, cadence and calories."""
    sport, segs, moving = s.sport, s.plan.segments, s.moving
    speeds = [speed_for(sport, seg.pct, s.base_speed) for seg in segs]
    distance_m = sum(v * seg.secs for v, seg in zip(speeds, segs, strict=True))
    s.distance = round(distance_m, 1) if sport != "WeightTraining" else None
    s.avg_speed = round(distance_m / moving, 3) if s.distance else None
    if sport == "Swim" and s.distance:
        s.distance = float(int(distance_m / 50) * 50 or 50)
        s.avg_speed = round(s.distance / moving, 3)
    s.segment_hr = hrs = [hr_for(seg.pct, s.lthr) + rng.uniform(-3, 3) for seg in segs]
    if s.has_hr:
        s.avg_hr = round(sum(h * seg.secs for h, seg in zip(hrs, segs, strict=True)) / moving)
        s.max_hr = min(MAX_HR, int(max(hrs) + rng.uniform(5, 18)))
    if s.has_power:
        s.np_w = round(s.intensity * s.ftp)
        s.avg_w = round(s.avg_pct * s.ftp)
    hilly = _HILLINESS.get(sport, 0.0)
    if hilly:
        s.gain = round((s.distance or 0) / 1000 * hilly * rng.uniform(0.5, 1.5), 1)
    s.cadence = _cadence(s, rng)
    s.calories = _calories(s, rng)


def _cadence(s: Session, rng: random.Random) -> float | None:
    sport = s.sport
    if s.is_ride:
        return round(rng.uniform(82, 92), 1) if s.has_power else None
    if sport in RUN_TYPES:
        return round(rng.uniform(82, 90), 1)
    if sport in ("Walk", "Hike"):
        return round(rng.uniform(52, 60), 1)
    if sport == "Rowing":
        return round(rng.uniform(22, 28), 1)
    if sport == "Swim":
        return round(rng.uniform(26, 32), 1)
    return None


def _calories(s: Session, rng: random.Random) -> int:
    if s.has_power and s.avg_w is not None:
        return int(s.avg_w * s.moving / 1000 * 1.08)
    if s.sport in ("Run", "TrailRun", "Walk", "Hike"):
        return int((s.distance or 0) / 1000 * s.weight * (1.0 if s.sport != "Hike" else 1.3))
    return int(s.moving / 3600 * rng.uniform(350, 550))


def _provenance(s: Session, rng: random.Random) -> None:
    """Which device and service recorded it, when it was uploaded, and what it is called."""
    s.source, s.device = _recorder(s, rng)
    utc_start = local_to_utc(s.plan.start)
    s.created = utc_start + dt.timedelta(
        seconds=s.elapsed + rng.randint(120, 5400), milliseconds=rng.randint(0, 999)
    )
    s.synced = s.created + dt.timedelta(
        seconds=rng.randint(1, 8), milliseconds=rng.randint(0, 999)
    )
    plan, names = s.plan, _DEFAULT_NAMES.get(s.sport, ["Workout"])
    if plan.kind == "race":
        s.name = plan.race_name
    elif s.source == "ZWIFT" or rng.random() < 0.55:
        s.name = rng.choice(names).format(part=_day_part(plan.start.hour))
    else:
        s.name = plan.name or rng.choice(names).format(part=_day_part(plan.start.hour))
    if rng.random() < 0.04 and plan.kind != "race":
        s.name = None  # unnamed activities exist (manual imports, some devices)


def _day_part(hour: int) -> str:
    """The time of day a device names an activity by, from its local start hour."""
    for part, until in (("Night", 5), ("Morning", 11), ("Lunch", 14), ("Afternoon", 18),
                        ("Evening", 22)):
        if hour < until:
            return part
    return "Night"


def _recorder(s: Session, rng: random.Random) -> tuple[str, str | None]:
    sport = s.sport
    if sport == "VirtualRide":
        return rng.choice(
            [("ZWIFT", "Zwift"), ("ZWIFT", "Zwift"), ("GARMIN_CONNECT", "Garmin Edge 840")]
        )
    if sport == "Rowing":
        return "CONCEPT2", "Concept2 PM5"
    if s.is_ride:
        return rng.choice(
            [("GARMIN_CONNECT", "Garmin Edge 840")] * 7
            + [("UPLOAD", "Garmin Edge 840"), ("WAHOO", "ELEMNT BOLT")]
        )
    if sport == "WeightTraining" and rng.random() < 0.2:
        return "MANUAL", None
    return rng.choice(
        [("GARMIN_CONNECT", "Garmin Forerunner 965")] * 9 + [("UPLOAD", "Garmin Forerunner 965")]
    )
