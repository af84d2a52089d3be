"""The demo athlete's body: thresholds, zones, and how FTP and weight drift over the years."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

# Thresholds that do not drift.
LTHR = 168
MAX_HR = 194
RUN_LTHR = 172
W_PRIME = 18000
P_MAX = 1000
ROWING_FTP_SHARE = 0.85
RUN_THRESHOLD_PACE = 3.95  # m/s, about 4:13 min/km
SWIM_THRESHOLD_PACE = 1.18  # m/s, about 1:25 min/100 m
POWER_ZONES = [55, 75, 90, 105, 120, 150, 999]
OPEN_ZONE = 999  # a zone top this high has none
HR_ZONES = [134, 151, 160, 168, 173, 178, 194]
RUN_HR_ZONES = [138, 154, 163, 172, 177, 182, 194]
RUN_PACE_ZONES = [77.5, 87.7, 94.3, 100.0, 103.4, 111.5, 999.0]
SWIM_PACE_ZONES = [80.0, 90.0, 95.0, 100.0, 104.0, 110.0, 999.0]

RIDE_TYPES = frozenset({"Ride", "VirtualRide", "GravelRide", "MountainBikeRide"})
RUN_TYPES = ("Run", "TrailRun")


def ftp(day: dt.date, start: dt.date, base: int) -> int:
    """FTP drifts up over the years and peaks each summer."""
    years = (day - start).days / 365.25
    season = math.sin(2 * math.pi * (day.timetuple().tm_yday - 110) / 365.25)
    return round(base + 18 * (1 - math.exp(-years / 3)) + 7 * season)


def sport_ftp(sport: str, ride_ftp: int) -> int:
    """The FTP of the sport's settings: rowing has its own, below the bike's."""
    return int(ride_ftp * ROWING_FTP_SHARE) if sport == "Rowing" else ride_ftp


def weight(day: dt.date, start: dt.date) -> float:
    season = math.cos(2 * math.pi * (day.timetuple().tm_yday - 20) / 365.25)
    return 72.8 + 1.1 * season - 0.15 * ((day - start).days / 365.25)


def hr_for(pct: float, lthr: int) -> float:
    return lthr * (0.50 + 0.48 * pct)


def swolf(speed: float | None, stroke_rate: float | None) -> float | str:
    """The athlete's SWOLF field: seconds plus strokes per 25 m length. Like real responses it
    can be the string "Infinity" (a custom field is computed by a formula the server writes
    out as is) where no length was swum, e.g. a rest at the wall."""
    if not speed or not stroke_rate:
        return "Infinity"
    secs = 25 / speed
    return round(secs + stroke_rate * secs / 60, 2)


def swim_set_metres(secs: int, pct: float) -> int:
    """A timed swim effort as the distance a coach sets for it (whole 50 m)."""
    return max(50, round(SWIM_THRESHOLD_PACE * pct * secs / 50) * 50)


def speed_for(sport: str, pct: float, base: float) -> float:
    """Speed (m/s) at a fraction of threshold; ``base`` is the ride's speed at 70 %."""
    if sport in RUN_TYPES:
        return RUN_THRESHOLD_PACE * pct * (0.85 if sport == "TrailRun" else 1.0)
    if sport == "Swim":
        return SWIM_THRESHOLD_PACE * pct
    if sport == "Walk":
        return 1.35 + 0.2 * (pct - 0.5)
    if sport == "Hike":
        return 1.05
    if sport == "Rowing":
        return 4.1 * math.pow(pct / 0.8, 1 / 3)
    if sport == "WeightTraining":
        return 0.0
    return base * math.pow(pct / 0.7, 1 / 3)


def power_zone_tops(ftp: int) -> list[float]:
    """Each power zone's top in whole W, as the athlete's zones read everywhere (the top of
    ``POWER_ZONES`` % of FTP, rounded half up; the next zone starts a watt above); the last
    zone is open (inf)."""
    return [math.inf if pct >= OPEN_ZONE else
            int(Decimal(repr(ftp * float(pct) / 100)).quantize(Decimal(1), ROUND_HALF_UP))
            for pct in POWER_ZONES]


def zone_of(pct100: float, zones: list[int] | list[float]) -> int:
    for i, top in enumerate(zones):
        if pct100 <= top:
            return i + 1
    return len(zones)


def zone_weights(centre: float) -> list[float]:
    """Time in 7 zones around ``centre`` (1 = the middle of Z1)."""
    return [math.exp(-((i + 1 - centre) ** 2) / 1.5) for i in range(7)]


def zone_position(value: float, tops: list[int]) -> float:
    """Where ``value`` sits on the zones, 1 = the middle of Z1 (so the heart rate's time in
    zones centres on its average, and the streams can keep both); Z1, open below, counts as
    wide as Z2."""
    low = float(2 * tops[0] - tops[1])
    for k, top in enumerate(tops, start=1):
        if value <= top or k == len(tops):
            return k - 0.5 + min(1.0, (value - low) / ((top - low) or 1))
        low = float(top)
    return float(len(tops))


def hr_zones_for(lthr: int) -> list[int]:
    return RUN_HR_ZONES if lthr == RUN_LTHR else HR_ZONES
