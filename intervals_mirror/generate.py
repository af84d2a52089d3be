"""A deterministic synthetic athlete, shaped like the Intervals.icu API's objects.

The fake API in the tests, the benchmarks and the offline ``demo`` command all need years of
realistic data without a network or a real account. Everything here is stdlib only and seeded,
so the same ``(years, end, seed)`` always gives the same dataset (ids, values, key order).

Objects follow ``/work/shared/intervals-api-samples.md``: activities carry the full 178-key set
(nulls included) plus the custom ``BikeWeight`` field on some rides, Strava-imported activities
are five-key stubs, wellness records use camelCase keys plus custom fields by code, events carry
the full 60-key set. CTL/ATL use the server's exponential model (42/7 days), so wellness, the
activities' ``icu_ctl``/``icu_atl`` and the loads agree.

History runs ``years`` back from ``end`` (default today); calendar events continue
``future_days`` (default 120) ahead and wellness has 7 projected days (ctl/atl only) after
``end``. About 440 activities a year: 10 years take about 1 s and 100 MB.

The ``make_*`` helpers create one more object *and insert it into the dataset* (new ids are
always greater than the existing ones), so the fake API and tests can mutate data realistically;
``recompute_fitness`` then redoes wellness CTL/ATL the way the server would.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
import random
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ACTIVITY_KEYS",
    "EVENT_KEYS",
    "GROUP_KEYS",
    "INTERVAL_KEYS",
    "STRAVA_NOTE",
    "WELLNESS_KEYS",
    "Dataset",
    "berlin_utc_offset",
    "generate",
    "make_activity",
    "make_event",
    "make_strava_stub",
    "make_wellness",
    "recompute_fitness",
]

Obj = dict[str, Any]

STRAVA_NOTE = "STRAVA activities are not available via the API"
TIMEZONE = "Europe/Berlin"

# The Activity schema's 178 keys in spec order (intervals-api-reference.md §3.1.3).
ACTIVITY_KEYS: tuple[str, ...] = tuple(
    """id start_date_local type icu_ignore_time icu_pm_cp icu_pm_w_prime icu_pm_p_max
    icu_pm_ftp icu_pm_ftp_secs icu_pm_ftp_watts icu_ignore_power icu_rolling_cp
    icu_rolling_w_prime icu_rolling_p_max icu_rolling_ftp icu_rolling_ftp_delta
    icu_training_load icu_atl icu_ctl ss_p_max ss_w_prime ss_cp paired_event_id icu_ftp
    icu_joules icu_recording_time elapsed_time icu_weighted_avg_watts carbs_used name
    description start_date distance icu_distance moving_time coasting_time
    total_elevation_gain total_elevation_loss timezone trainer sub_type commute race
    max_speed average_speed device_watts has_heartrate max_heartrate average_heartrate
    average_cadence calories average_temp min_temp max_temp avg_lr_balance
    average_stance_time average_vertical_oscillation average_vertical_ratio
    average_step_length gap gap_model use_elevation_correction gear perceived_exertion
    device_name power_meter power_meter_serial power_meter_battery crank_length external_id
    file_sport_index file_type icu_athlete_id created icu_sync_date analyzed icu_w_prime
    p_max threshold_pace icu_hr_zones pace_zones lthr icu_resting_hr icu_weight
    icu_power_zones icu_sweet_spot_min icu_sweet_spot_max icu_power_spike_threshold trimp
    icu_warmup_time icu_cooldown_time icu_chat_id icu_ignore_hr ignore_velocity ignore_pace
    ignore_parts icu_training_load_data interval_summary skyline_chart_bytes stream_types
    has_weather has_segments power_field_names power_field icu_zone_times icu_hr_zone_times
    pace_zone_times gap_zone_times use_gap_zone_times custom_zones tiz_order
    polarization_index icu_achievements icu_intervals_edited lock_intervals icu_lap_count
    icu_joules_above_ftp icu_max_wbal_depletion icu_hrr icu_sync_error icu_color
    icu_power_hr_z2 icu_power_hr_z2_mins icu_cadence_z2 icu_rpe feel kg_lifted decoupling
    icu_median_time_delta p30s_exponent workout_shift_secs strava_id lengths pool_length
    compliance coach_tick source oauth_client_id oauth_client_name average_altitude
    min_altitude max_altitude power_load hr_load pace_load hr_load_type pace_load_type tags
    attachments recording_stops average_weather_temp min_weather_temp max_weather_temp
    average_feels_like min_feels_like max_feels_like average_wind_speed average_wind_gust
    prevailing_wind_deg headwind_percent tailwind_percent average_clouds max_rain max_snow
    carbs_ingested route_id analysis_issues pace athlete_max_hr group icu_intensity
    icu_efficiency_factor icu_power_hr session_rpe average_stride icu_average_watts
    icu_variability_index strain_score""".split()  # noqa: SIM905
)

# The Interval schema's 79 keys in spec order (§3.3).
INTERVAL_KEYS: tuple[str, ...] = tuple(
    """start_index distance moving_time elapsed_time average_watts average_watts_alt
    average_watts_alt_acc min_watts max_watts average_watts_kg max_watts_kg intensity
    w5s_variability weighted_average_watts training_load joules joules_above_ftp decoupling
    avg_lr_balance average_dfa_a1 average_epoc wbal_start wbal_end average_respiration
    average_tidal_volume average_tidal_volume_min zone zone_min_watts zone_max_watts
    average_speed min_speed max_speed gap average_heartrate min_heartrate max_heartrate
    average_cadence min_cadence max_cadence average_torque min_torque max_torque
    total_elevation_gain min_altitude max_altitude average_gradient average_smo2 average_thb
    average_smo2_2 average_thb_2 average_lactate min_lactate max_lactate average_stance_time
    average_vertical_oscillation average_vertical_ratio average_step_length average_temp
    average_weather_temp average_feels_like average_wind_speed average_wind_gust
    prevailing_wind_deg average_yaw headwind_percent tailwind_percent strain_score ss_p_max
    ss_w_prime ss_cp id type end_index group_id segment_effort_ids start_time end_time label
    average_stride""".split()  # noqa: SIM905
)
_NOT_IN_GROUP = {
    "type",
    "end_index",
    "group_id",
    "segment_effort_ids",
    "start_time",
    "end_time",
    "label",
}
# IntervalGroup: the interval metrics, then ``id`` (a string), ``average_stride``, ``count``.
GROUP_KEYS: tuple[str, ...] = tuple(
    k for k in INTERVAL_KEYS if k not in _NOT_IN_GROUP and k not in ("id", "average_stride")
) + ("id", "average_stride", "count")

# Wellness keys in the order of the samples; custom field codes follow them.
WELLNESS_KEYS: tuple[str, ...] = tuple(
    """id ctl atl rampRate ctlLoad atlLoad sportInfo updated weight restingHR hrv hrvSDNN
    menstrualPhase menstrualPhasePredicted kcalConsumed sleepSecs sleepScore sleepQuality
    avgSleepingHR soreness fatigue stress mood motivation injury spO2 systolic diastolic
    hydration hydrationVolume readiness baevskySI bloodGlucose lactate bodyFat abdomen
    vo2max comments steps respiration carbohydrates protein fatTotal locked tempWeight
    tempRestingHR""".split()  # noqa: SIM905
)

# The Event schema's 60 keys in spec order (§3.6).
EVENT_KEYS: tuple[str, ...] = tuple(
    """id start_date_local icu_training_load icu_atl icu_ctl type carbs_used ss_p_max
    ss_w_prime ss_cp calendar_id uid athlete_id category end_date_local name description
    indoor color moving_time icu_ftp w_prime p_max atl_days ctl_days updated
    not_on_fitness_chart show_as_note show_on_ctl_line for_week target joules
    joules_above_ftp workout_doc push_errors athlete_cannot_edit hide_from_athlete
    structure_read_only created_by_id shared_event_id entered carbs_per_hour sub_type
    distance tags attachments oauth_client_id external_id load_target time_target
    distance_target training_availability max_training_time can_train_sports plan_athlete_id
    plan_folder_id plan_workout_id plan_applied icu_intensity strain_score""".split()  # noqa: SIM905
)

CTL_DAYS = 42
ATL_DAYS = 7
_K_CTL = 1 - math.exp(-1 / CTL_DAYS)
_K_ATL = 1 - math.exp(-1 / ATL_DAYS)

# Athlete constants (thresholds that do not drift).
_LTHR = 168
_MAX_HR = 194
_RUN_LTHR = 172
_W_PRIME = 18000
_P_MAX = 1000
_RUN_THRESHOLD_PACE = 3.95  # m/s, about 4:13 min/km
_SWIM_THRESHOLD_PACE = 1.18  # m/s, about 1:25 min/100 m
_POWER_ZONES = [55, 75, 90, 105, 120, 150, 999]
_HR_ZONES = [134, 151, 160, 168, 173, 178, 194]
_RUN_HR_ZONES = [138, 154, 163, 172, 177, 182, 194]
_RUN_PACE_ZONES = [77.5, 87.7, 94.3, 100.0, 103.4, 111.5, 999.0]
_BIKES = [("b390001", "Cube Attain"), ("b412877", "Canyon Endurace"), ("b412878", "Trainer bike")]
_SHOES = [("g455120", "Pegasus 40"), ("g455121", "Speedgoat 5")]

RIDE_TYPES = frozenset({"Ride", "VirtualRide", "GravelRide", "MountainBikeRide"})
_POWER_SPORTS = frozenset({"Ride", "VirtualRide", "Rowing"})


@dataclass
class Dataset:
    """One athlete's API-shaped data, keyed like the API (activity ids, dates, event ids)."""

    athlete: Obj
    custom_items: list[Obj]
    activities: dict[str, Obj]
    intervals: dict[str, Obj]
    wellness: dict[str, Obj]
    events: dict[int, Obj]
    end: dt.date = field(default_factory=dt.date.today)
    seed: int = 1

    @property
    def athlete_id(self) -> str:
        return str(self.athlete["id"])


# --------------------------------------------------------------------------- time helpers


def _last_sunday(year: int, month: int) -> dt.date:
    d = dt.date(year, month + 1, 1) - dt.timedelta(days=1) if month < 12 else dt.date(year, 12, 31)
    return d - dt.timedelta(days=(d.weekday() + 1) % 7)


def berlin_utc_offset(local: dt.datetime) -> dt.timedelta:
    """Europe/Berlin's offset for a local wall-clock time (EU DST rule; no tzdata needed)."""
    start = dt.datetime.combine(_last_sunday(local.year, 3), dt.time(2))
    stop = dt.datetime.combine(_last_sunday(local.year, 10), dt.time(3))
    return dt.timedelta(hours=2 if start <= local < stop else 1)


def _local_to_utc(local: dt.datetime) -> dt.datetime:
    return local - berlin_utc_offset(local)


def _fmt_local(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S")


def _fmt_utc_z(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _fmt_instant(t: dt.datetime) -> str:
    """Audit timestamps as the API writes them: millis and ``+00:00``."""
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}+00:00"


def _day(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


# --------------------------------------------------------------------------- physiology


def _ftp(day: dt.date, start: dt.date, base: int) -> int:
    """FTP drifts up over the years and peaks each summer."""
    years = (day - start).days / 365.25
    season = math.sin(2 * math.pi * (day.timetuple().tm_yday - 110) / 365.25)
    return round(base + 18 * (1 - math.exp(-years / 3)) + 7 * season)


def _weight(day: dt.date, start: dt.date) -> float:
    season = math.cos(2 * math.pi * (day.timetuple().tm_yday - 20) / 365.25)
    return 72.8 + 1.1 * season - 0.15 * ((day - start).days / 365.25)


@dataclass
class _Segment:
    secs: int
    pct: float  # fraction of threshold (power for rides/rowing, speed/HR otherwise)
    kind: str | None  # "WORK", "RECOVERY" or None (warm-up, cool-down: not an interval)
    label: str | None = None
    group: bool = False  # part of a repeated set (gets an icu_groups entry)


@dataclass
class _Plan:
    sport: str
    kind: str  # structured, steady, long, recovery, commute, race, laps
    start: dt.datetime  # local wall clock
    segments: list[_Segment]
    name: str | None
    workout_text: str | None = None
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


def _winter(day: dt.date) -> bool:
    return day.month in (11, 12, 1, 2, 3)


def _resolve_sport(sport: str, kind: str, day: dt.date, rng: random.Random) -> str:
    if sport == "BIKE":
        indoor = 0.75 if _winter(day) else 0.15
        if kind == "long":
            indoor = 0.35 if _winter(day) else 0.0
        return "VirtualRide" if rng.random() < indoor else "Ride"
    if sport == "RUNLONG":
        r = rng.random()
        if not _winter(day) and r < 0.08:
            return "TrailRun"
        if r < 0.11:
            return "Hike"
        return "Run"
    return sport


def _plan_session(sport: str, kind: str, start: dt.datetime, rng: random.Random) -> _Plan:
    """Choose durations and intensities; both the activity and its planned event derive from it."""
    segs: list[_Segment] = []
    name: str | None = None
    text: str | None = None

    def steady(total: int, pct: float, warm: int = 300, cool: int = 300) -> None:
        segs.append(_Segment(warm, pct * 0.8, None))
        segs.append(_Segment(max(300, total - warm - cool), pct, "WORK"))
        segs.append(_Segment(cool, pct * 0.75, None))

    def reps(n: int, work: int, wpct: float, rec: int, label: str, warm: int, cool: int) -> None:
        segs.append(_Segment(warm, 0.6, None))
        for i in range(n):
            segs.append(
                _Segment(work, wpct * rng.uniform(0.98, 1.02), "WORK", f"{label} {i + 1}", True)
            )
            if i < n - 1:
                segs.append(_Segment(rec, 0.5, "RECOVERY"))
        segs.append(_Segment(cool, 0.5, None))

    if sport in ("Ride", "VirtualRide", "GravelRide") and kind == "structured":
        work, pct, rec, label = rng.choice(
            [
                (720, 0.90, 300, "Sweet spot"),
                (480, 0.99, 240, "Threshold"),
                (300, 1.14, 300, "VO2"),
                (1200, 0.88, 300, "Sweet spot"),
            ]
        )
        n = rng.randint(3, 6) if work <= 720 else rng.randint(2, 3)
        reps(n, work, pct, rec, label, rng.randint(10, 20) * 60, 600)
        pct_txt = round(pct * 100)
        name = f"{n}x{work // 60} {label.lower()}"
        text = (
            f"Warmup\n- {segs[0].secs // 60}m ramp 50-70%\n\nMain set {n}x\n"
            f"- {work // 60}m {pct_txt - 2}-{pct_txt + 2}%\n- {rec // 60}m 50%\n\n"
            f"Cooldown\n- 10m 50%"
        )
    elif sport in ("Ride", "VirtualRide", "GravelRide") and kind == "long":
        total = rng.randint(150, 300 if sport == "Ride" else 150) * 60
        if rng.random() < 0.5:
            n = rng.randint(2, 3)
            segs.append(_Segment(1200, 0.6, None))
            segs.append(_Segment(total // 3, 0.68, "WORK", "Endurance"))
            for i in range(n):
                segs.append(
                    _Segment(720, 0.86 * rng.uniform(0.98, 1.02), "WORK", f"Tempo {i + 1}", True)
                )
                if i < n - 1:
                    segs.append(_Segment(300, 0.5, "RECOVERY"))
            rest = total - sum(s.secs for s in segs) - 600
            segs.append(_Segment(max(600, rest), 0.67, "WORK", "Endurance"))
            segs.append(_Segment(600, 0.5, None))
            name = f"Endurance + {n}x12 tempo"
            text = (
                f"Warmup\n- 20m ramp 50-70%\n\nMain set {n}x\n- 12m 84-88%\n- 5m 55%\n\n"
                f"- {max(600, rest) // 60}m 65-72%\n\nCooldown\n- 10m 50%"
            )
        else:
            steady(total, rng.uniform(0.66, 0.74), 900, 600)
            name = "Long endurance ride"
            text = f"- {total // 60}m 65-75%"
    elif sport in ("Ride", "VirtualRide", "GravelRide", "MountainBikeRide"):
        if kind == "commute":
            steady(rng.randint(20, 40) * 60, rng.uniform(0.55, 0.65), 120, 120)
        elif kind == "race":
            steady(rng.randint(160, 330) * 60, rng.uniform(0.80, 0.86), 600, 300)
        else:
            steady(rng.randint(60, 120) * 60, rng.uniform(0.63, 0.74), 600, 300)
            name = "Endurance"
            text = f"- {segs[1].secs // 60}m 65-75%"
    elif sport in ("Run", "TrailRun"):
        if kind == "run" and rng.random() < 0.4:
            work, pct, rec, label = rng.choice(
                [
                    (180, 1.08, 120, "Interval"),
                    (600, 1.0, 180, "Threshold"),
                    (1200, 0.94, 240, "Tempo"),
                ]
            )
            n = {180: rng.randint(4, 6), 600: rng.randint(3, 4), 1200: 2}[work]
            reps(n, work, pct, rec, label, 900, 600)
            name = f"{n}x{work // 60}min {label.lower()}"
            text = (
                f"Warmup\n- 15m Z2 HR\n\nMain set {n}x\n- {work // 60}m {int(pct * 100)}% pace"
                f"\n- {rec // 60}m Z1 HR\n\nCooldown\n- 10m Z1 HR"
            )
            kind = "structured"
        elif kind == "race":
            dist_secs = rng.choice([2700, 5900])
            steady(dist_secs, 1.0 if dist_secs < 3000 else 0.93, 60, 60)
        elif kind == "long":
            kind = "laps" if rng.random() < 0.4 else "long"
            steady(rng.randint(80, 130) * 60, rng.uniform(0.74, 0.8), 600, 300)
            name = "Long run"
            text = f"- {segs[1].secs // 60}m Z2 HR"
        elif kind == "recovery":
            steady(rng.randint(25, 40) * 60, rng.uniform(0.68, 0.72), 300, 120)
        else:
            kind = "laps" if rng.random() < 0.3 else "steady"
            steady(rng.randint(35, 70) * 60, rng.uniform(0.74, 0.82), 300, 300)
            name = "Easy run"
            text = f"- {segs[1].secs // 60}m Z2 HR"
    elif sport == "Swim":
        if rng.random() < 0.5:
            n = rng.randint(4, 6)
            reps(n, rng.choice([120, 180, 240]), 0.95, 30, "Set", 600, 300)
            kind = "structured"
            name = f"{n}x200 swim"
            text = f"- 10m easy\n\n{n}x\n- 200mtr 95% pace\n- 30s rest\n\n- 5m easy"
        else:
            steady(rng.randint(30, 55) * 60, rng.uniform(0.8, 0.88), 300, 300)
    elif sport == "WeightTraining":
        total = rng.randint(30, 60) * 60
        segs.append(_Segment(total, rng.uniform(0.5, 0.6), "WORK" if rng.random() < 0.5 else None))
        name = "Strength"
        text = "- 45m strength circuit"
    elif sport == "Rowing":
        if rng.random() < 0.5:
            reps(4, 300, 1.0, 120, "Row", 600, 300)
            kind = "structured"
        else:
            steady(rng.randint(30, 45) * 60, 0.72, 300, 300)
    elif sport == "Hike":
        steady(rng.randint(120, 300) * 60, rng.uniform(0.55, 0.65), 0, 0)
        segs[:] = [s for s in segs if s.secs > 0]
    else:  # Walk and anything else
        total = rng.randint(20, 90) * 60
        segs.append(_Segment(total, rng.uniform(0.45, 0.55), "WORK"))
    segs = [s for s in segs if s.secs > 0]
    return _Plan(sport, kind, start, segs, name, text)


# --------------------------------------------------------------------------- activity builder

_DEFAULT_NAMES = {
    "Ride": ["Berlin Cycling", "Morning Ride", "Afternoon Ride", "Evening Ride", "Lunch Ride"],
    "VirtualRide": [
        "Zwift - Watopia",
        "Zwift - Makuri Islands",
        "Zwift - London",
        "Zwift - Richmond",
        "Indoor Cycling",
    ],
    "Run": ["Berlin Running", "Morning Run", "Evening Run", "Lunch Run"],
    "TrailRun": ["Trail Run", "Grunewald Trail Run"],
    "Swim": ["Pool Swim", "Lap Swimming", "Morning Swim"],
    "WeightTraining": ["Strength", "Gym", "Core + Strength"],
    "Walk": ["Walk", "Berlin Walking", "Evening Walk"],
    "Hike": ["Hike", "Harz Hike", "Saxon Switzerland Hike"],
    "Rowing": ["Indoor Rowing", "Concept2 Row"],
}
_DESCRIPTIONS = [
    "Windy on the way back.",
    "Legs felt heavy.",
    "Good session, felt strong.",
    "Hot day, lots of fluids.",
    "Rain for the last hour.",
    "Easy spin with friends.",
    "New shoes.",
    "Felt tired, cut it short.",
    "Strong headwind.",
    "Great weather!",
]
_STREAMS = {
    "power": [
        "time",
        "watts",
        "cadence",
        "heartrate",
        "distance",
        "altitude",
        "latlng",
        "velocity_smooth",
        "temp",
        "left_right_balance",
        "fixed_altitude",
    ],
    "virtual": ["time", "watts", "cadence", "heartrate", "distance", "altitude", "velocity_smooth"],
    "run": [
        "time",
        "cadence",
        "heartrate",
        "distance",
        "altitude",
        "latlng",
        "velocity_smooth",
        "temp",
        "fixed_altitude",
    ],
    "swim": ["time", "distance", "velocity_smooth", "cadence"],
    "plain": ["time", "heartrate", "distance", "altitude", "latlng", "velocity_smooth"],
    "gym": ["time", "heartrate"],
}


def _hr_for(pct: float, lthr: int) -> float:
    return lthr * (0.50 + 0.48 * pct)


def _speed_for(sport: str, pct: float, base: float) -> float:
    if sport in ("Run", "TrailRun"):
        return _RUN_THRESHOLD_PACE * pct * (0.85 if sport == "TrailRun" else 1.0)
    if sport == "Swim":
        return _SWIM_THRESHOLD_PACE * pct
    if sport == "Walk":
        return 1.35 + 0.2 * (pct - 0.5)
    if sport == "Hike":
        return 1.05
    if sport == "Rowing":
        return 4.1 * math.pow(pct / 0.8, 1 / 3)
    if sport == "WeightTraining":
        return 0.0
    return base * math.pow(pct / 0.7, 1 / 3)


def _zone_of(pct100: float, zones: list[int] | list[float]) -> int:
    for i, top in enumerate(zones):
        if pct100 <= top:
            return i + 1
    return len(zones)


def _dur_text(secs: int) -> str:
    h, rem = divmod(secs, 3600)
    m, s = divmod(rem, 60)
    out = (f"{h}h" if h else "") + (f"{m}m" if m else "") + (f"{s}s" if s else "")
    return out or "0s"


@dataclass
class _Ctx:
    """What building an object needs besides the plan: athlete thresholds and id counters."""

    athlete_id: str
    start: dt.date
    ftp_base: int
    next_interval_id: int


def _build_activity(plan: _Plan, aid: str, ctx: _Ctx, rng: random.Random) -> tuple[Obj, Obj | None]:
    """One list-endpoint activity object plus its intervals DTO (None for no intervals)."""
    sport = plan.sport
    day = plan.start.date()
    ftp = _ftp(day, ctx.start, ctx.ftp_base)
    weight = round(_weight(day, ctx.start) + rng.uniform(-0.4, 0.4), 1)
    indoor = sport == "VirtualRide" or sport in ("Swim", "WeightTraining", "Rowing")
    is_ride = sport in RIDE_TYPES
    has_power = sport in ("VirtualRide", "Rowing") or (sport == "Ride" and rng.random() < 0.85)
    lthr = _RUN_LTHR if sport in ("Run", "TrailRun") else _LTHR
    if sport == "Swim":
        has_hr = rng.random() < 0.3
    elif sport == "WeightTraining":
        has_hr = rng.random() < 0.7
    elif is_ride and not has_power:
        has_hr = True
    else:
        has_hr = rng.random() < 0.95
    base_speed = rng.uniform(7.2, 8.4) if sport == "Ride" else rng.uniform(8.0, 9.5)
    if sport == "MountainBikeRide":
        base_speed = 5.5
    if plan.kind == "commute":
        base_speed *= 0.85

    # Timeline: per-second aggregates from segments.
    segs = plan.segments
    moving = sum(s.secs for s in segs)
    sum_p = sum(s.secs * s.pct for s in segs)
    sum_p2 = sum(s.secs * s.pct**2 for s in segs)
    variability = 1.0 + (rng.uniform(0.01, 0.04) if indoor else rng.uniform(0.03, 0.12))
    if_ = math.sqrt(sum_p2 / moving) * (variability**0.5)
    avg_pct = sum_p / moving
    load = round(moving / 3600 * if_**2 * 100)
    if sport == "WeightTraining":
        load = round(moving / 60 * rng.uniform(0.45, 0.8))
    elif sport in ("Walk", "Hike"):
        load = round(moving / 3600 * if_**2 * 70)

    pauses = 0
    if sport in ("Ride", "GravelRide", "MountainBikeRide"):
        pauses = int(moving * rng.uniform(0.02, 0.12))
    elif sport in ("Run", "TrailRun", "Walk", "Hike"):
        pauses = int(moving * rng.uniform(0.0, 0.05))
    elif sport == "Swim":
        pauses = int(moving * rng.uniform(0.1, 0.25))
    elif sport == "VirtualRide":
        pauses = rng.randint(0, 60)
    elapsed = moving + pauses

    speeds = [_speed_for(sport, s.pct, base_speed) for s in segs]
    distance_m = sum(v * s.secs for v, s in zip(speeds, segs, strict=True))
    distance: float | None = round(distance_m, 1) if sport != "WeightTraining" else None
    avg_speed = round(distance_m / moving, 3) if distance else None
    if sport == "Swim" and distance:
        distance = float(int(distance_m / 50) * 50 or 50)
        avg_speed = round(distance / moving, 3)

    hrs = [_hr_for(s.pct, lthr) + rng.uniform(-3, 3) for s in segs]
    avg_hr = (
        round(sum(h * s.secs for h, s in zip(hrs, segs, strict=True)) / moving) if has_hr else None
    )
    max_hr = min(_MAX_HR, int(max(hrs) + rng.uniform(5, 18))) if has_hr else None

    np_w = round(if_ * ftp) if has_power else None
    avg_w = round(avg_pct * ftp) if has_power else None
    if sport == "Rowing" and has_power:
        np_w = round(np_w * 0.85) if np_w else None
        avg_w = round(avg_w * 0.85) if avg_w else None

    hilly = {
        "Ride": 9.0,
        "GravelRide": 8.0,
        "MountainBikeRide": 18.0,
        "TrailRun": 35.0,
        "Hike": 60.0,
        "Run": 4.0,
        "Walk": 3.0,
        "VirtualRide": 6.0,
    }.get(sport, 0.0)
    gain = round((distance or 0) / 1000 * hilly * rng.uniform(0.5, 1.5), 1) if hilly else None
    if sport == "Swim":
        gain = None

    cadence: float | None
    if is_ride:
        cadence = round(rng.uniform(82, 92), 1) if has_power else None
    elif sport in ("Run", "TrailRun"):
        cadence = round(rng.uniform(82, 90), 1)
    elif sport == "Walk" or sport == "Hike":
        cadence = round(rng.uniform(52, 60), 1)
    elif sport == "Rowing":
        cadence = round(rng.uniform(22, 28), 1)
    elif sport == "Swim":
        cadence = round(rng.uniform(26, 32), 1)
    else:
        cadence = None

    if has_power and avg_w is not None:
        calories = int(avg_w * moving / 1000 * 1.08)
    elif sport in ("Run", "TrailRun", "Walk", "Hike"):
        calories = int((distance or 0) / 1000 * weight * (1.0 if sport != "Hike" else 1.3))
    else:
        calories = int(moving / 3600 * rng.uniform(350, 550))

    # Provenance.
    if sport == "VirtualRide":
        source, device = rng.choice(
            [("ZWIFT", "Zwift"), ("ZWIFT", "Zwift"), ("GARMIN_CONNECT", "Garmin Edge 840")]
        )
    elif sport == "Rowing":
        source, device = "CONCEPT2", "Concept2 PM5"
    elif is_ride:
        source, device = rng.choice(
            [("GARMIN_CONNECT", "Garmin Edge 840")] * 7
            + [("UPLOAD", "Garmin Edge 840"), ("WAHOO", "ELEMNT BOLT")]
        )
    elif sport == "WeightTraining" and rng.random() < 0.2:
        source, device = "MANUAL", None
    else:
        source, device = rng.choice(
            [("GARMIN_CONNECT", "Garmin Forerunner 965")] * 9
            + [("UPLOAD", "Garmin Forerunner 965")]
        )
    utc_start = _local_to_utc(plan.start)
    created = utc_start + dt.timedelta(
        seconds=elapsed + rng.randint(120, 5400), milliseconds=rng.randint(0, 999)
    )
    synced = created + dt.timedelta(seconds=rng.randint(1, 8), milliseconds=rng.randint(0, 999))

    if plan.kind == "race":
        name: str | None = plan.race_name
    elif source == "ZWIFT" or rng.random() < 0.55:
        name = rng.choice(_DEFAULT_NAMES.get(sport, ["Workout"]))
    else:
        name = plan.name or rng.choice(_DEFAULT_NAMES.get(sport, ["Workout"]))
    if rng.random() < 0.04 and plan.kind != "race":
        name = None  # unnamed activities exist (manual imports, some devices)

    a: Obj = dict.fromkeys(ACTIVITY_KEYS)
    a["id"] = aid
    a["start_date_local"] = _fmt_local(plan.start)
    a["type"] = sport
    a["icu_ignore_time"] = False
    a["icu_ignore_power"] = False
    if has_power:
        a.update(
            icu_pm_cp=int(ftp * 1.01),
            icu_pm_w_prime=_W_PRIME - rng.randint(0, 600),
            icu_pm_p_max=_P_MAX - rng.randint(0, 40),
            icu_pm_ftp=ftp - rng.randint(0, 5),
            icu_pm_ftp_secs=rng.randint(1800, 3600),
            icu_rolling_cp=round(ftp * 1.02, 1),
            icu_rolling_w_prime=float(_W_PRIME),
            icu_rolling_p_max=float(_P_MAX),
            icu_rolling_ftp=ftp,
            icu_rolling_ftp_delta=rng.randint(-2, 3),
        )
        a["icu_pm_ftp_watts"] = a["icu_pm_ftp"]
    a["icu_training_load"] = load
    a["icu_ftp"] = ftp if is_ride or sport == "Rowing" else None
    a["icu_joules"] = avg_w * moving if avg_w is not None else None
    a["icu_recording_time"] = elapsed
    a["elapsed_time"] = elapsed
    a["icu_weighted_avg_watts"] = np_w
    a["carbs_used"] = int(calories * 0.55 / 4) if moving > 1800 and sport != "Walk" else None
    a["name"] = name
    a["description"] = rng.choice(_DESCRIPTIONS) if rng.random() < 0.15 else None
    a["start_date"] = _fmt_utc_z(utc_start)
    a["distance"] = distance
    a["icu_distance"] = distance
    a["moving_time"] = moving
    a["coasting_time"] = int(moving * rng.uniform(0.05, 0.12)) if sport == "Ride" else None
    a["total_elevation_gain"] = gain
    a["total_elevation_loss"] = round(gain * rng.uniform(0.97, 1.0), 1) if gain else gain
    a["timezone"] = TIMEZONE if source == "GARMIN_CONNECT" else None
    a["trainer"] = indoor and sport in ("VirtualRide", "Rowing")
    a["sub_type"] = {"commute": "COMMUTE", "race": "RACE"}.get(plan.kind, "NONE")
    a["commute"] = plan.kind == "commute"
    a["race"] = plan.kind == "race"
    if avg_speed:
        a["max_speed"] = round(avg_speed * rng.uniform(1.5, 2.4), 2)
        a["average_speed"] = avg_speed
        a["pace"] = avg_speed
    a["device_watts"] = has_power
    a["has_heartrate"] = has_hr
    a["max_heartrate"] = max_hr
    a["average_heartrate"] = avg_hr
    a["average_cadence"] = cadence
    a["calories"] = calories
    if not indoor and device and device != "Zwift":
        a["average_temp"] = round(
            rng.uniform(2, 26) if not _winter(day) else rng.uniform(-3, 10), 1
        )
        a["min_temp"] = int(a["average_temp"] - rng.uniform(1, 6))
        a["max_temp"] = int(a["average_temp"] + rng.uniform(1, 8))
    if has_power and sport != "Rowing" and rng.random() < 0.7:
        a["avg_lr_balance"] = round(rng.uniform(48, 52), 1)
    if sport in ("Run", "TrailRun"):
        a["average_stance_time"] = round(rng.uniform(235, 265), 1)
        a["average_vertical_oscillation"] = round(rng.uniform(8.2, 9.6), 1)
        a["average_vertical_ratio"] = round(rng.uniform(7.0, 8.5), 2)
        a["average_step_length"] = round((avg_speed or 3) / (cadence or 85) * 60 * 1000 / 2, 1)
        a["gap"] = round((avg_speed or 3) * rng.uniform(1.0, 1.04), 3)
        a["average_stride"] = round((avg_speed or 3) * 60 / (cadence or 85), 2)
    a["gap_model"] = "STRAVA_RUN" if sport in ("Run", "TrailRun") else "NONE"
    a["use_elevation_correction"] = False
    if is_ride:
        bike = (
            _BIKES[2]
            if sport == "VirtualRide"
            else (_BIKES[0] if day < ctx.start + dt.timedelta(days=800) else _BIKES[1])
        )
        a["gear"] = {"id": bike[0], "name": None, "distance": None, "primary": None}
    elif sport in ("Run", "TrailRun"):
        shoe = _SHOES[1] if sport == "TrailRun" else _SHOES[0]
        a["gear"] = {"id": shoe[0], "name": None, "distance": None, "primary": None}
    a["device_name"] = device
    if has_power and sport == "Ride":
        a["power_meter"] = "Favero Assioma"
        a["power_meter_serial"] = "1234567"
        a["power_meter_battery"] = "ok"
        a["crank_length"] = 172.5
    if source != "MANUAL":
        a["external_id"] = str(rng.randint(10**10, 2 * 10**10))
        a["file_sport_index"] = 0
        a["file_type"] = "fit"
    a["icu_athlete_id"] = ctx.athlete_id
    a["created"] = _fmt_instant(created)
    a["icu_sync_date"] = _fmt_instant(synced)
    a["analyzed"] = a["icu_sync_date"]
    if is_ride or sport == "Rowing":
        a["icu_w_prime"] = _W_PRIME
        a["p_max"] = _P_MAX
        a["icu_power_zones"] = list(_POWER_ZONES)
        a["icu_sweet_spot_min"] = 84
        a["icu_sweet_spot_max"] = 97
        a["icu_power_spike_threshold"] = 1500
    if sport in ("Run", "TrailRun"):
        a["threshold_pace"] = _RUN_THRESHOLD_PACE
        a["pace_zones"] = list(_RUN_PACE_ZONES)
    elif sport == "Swim":
        a["threshold_pace"] = _SWIM_THRESHOLD_PACE
    a["icu_hr_zones"] = list(_RUN_HR_ZONES if lthr == _RUN_LTHR else _HR_ZONES)
    a["lthr"] = lthr
    a["icu_resting_hr"] = 48
    a["icu_weight"] = weight
    if has_hr and avg_hr:
        a["trimp"] = round(moving / 60 * (avg_hr - 48) / (_MAX_HR - 48) * 1.92, 1)
    a["icu_warmup_time"] = 1200 if is_ride else 600
    a["icu_cooldown_time"] = 600 if is_ride else 300
    a["icu_ignore_hr"] = False
    a["ignore_velocity"] = False
    a["ignore_pace"] = False
    a["icu_training_load_data"] = 100
    stream_kind = (
        "virtual"
        if sport == "VirtualRide"
        else "power"
        if has_power
        else "run"
        if sport in ("Run", "TrailRun")
        else "swim"
        if sport == "Swim"
        else "gym"
        if sport == "WeightTraining"
        else "plain"
    )
    streams = list(_STREAMS[stream_kind])
    if not has_hr and "heartrate" in streams:
        streams.remove("heartrate")
    a["stream_types"] = streams if source != "MANUAL" else None
    a["skyline_chart_bytes"] = base64.b64encode(rng.randbytes(14)).decode()
    a["has_weather"] = not indoor and sport != "WeightTraining"
    a["has_segments"] = sport in ("Ride", "Run") and rng.random() < 0.5
    if has_power:
        a["power_field_names"] = ["power"]
        a["power_field"] = "power"
        a["icu_zone_times"] = _power_zone_times(segs, moving, rng)
    if has_hr:
        a["icu_hr_zone_times"] = _split(moving, _hr_zone_weights(if_), rng)
    if sport in ("Run", "TrailRun"):
        a["pace_zone_times"] = _split(moving, _hr_zone_weights(avg_pct), rng)
        a["gap_zone_times"] = _split(moving, _hr_zone_weights(avg_pct), rng)
    a["use_gap_zone_times"] = False
    a["tiz_order"] = "POWER_HR_PACE" if is_ride else "PACE_HR_POWER"
    if has_power or has_hr:
        a["polarization_index"] = round(rng.uniform(0.4, 1.1), 2)
    if has_power and rng.random() < 0.05:
        secs = rng.choice([60, 300, 1200])
        watts = int(ftp * {60: 1.9, 300: 1.2, 1200: 1.02}[secs])
        a["icu_achievements"] = [
            {
                "id": f"ps0_{secs}",
                "type": "BEST_POWER",
                "message": f"Season best {secs // 60}m power",
                "watts": watts,
                "secs": secs,
                "value": None,
                "distance": None,
                "pace": None,
                "point": None,
            }
        ]
    a["icu_intervals_edited"] = False
    a["lock_intervals"] = False
    if has_power and np_w:
        a["icu_joules_above_ftp"] = int(max(0.0, if_ - 0.8) * moving * ftp * 0.3)
        a["icu_max_wbal_depletion"] = int(_W_PRIME * min(0.9, max(0.05, if_ - 0.5)))
    if has_power and has_hr and avg_hr and avg_w:
        a["icu_power_hr_z2"] = round(avg_w / avg_hr * rng.uniform(1.0, 1.05), 2)
        a["icu_power_hr_z2_mins"] = moving // 120
        a["icu_cadence_z2"] = int(cadence or 85)
        a["decoupling"] = round(rng.uniform(-2, 8), 1)
        a["icu_power_hr"] = round(avg_w / avg_hr, 2)
        a["icu_efficiency_factor"] = round((np_w or avg_w) / avg_hr, 3)
    elif has_hr and avg_hr and avg_speed and sport in ("Run", "TrailRun"):
        a["decoupling"] = round(rng.uniform(-2, 8), 1)
        a["icu_efficiency_factor"] = round(avg_speed * 60 / avg_hr, 3)
    if rng.random() < 0.35:
        a["icu_rpe"] = max(1, min(10, round(if_ * 8 + rng.uniform(-1, 1))))
        a["session_rpe"] = int(a["icu_rpe"] * moving / 60)
    if rng.random() < 0.3:
        a["feel"] = rng.randint(1, 4)
    if sport == "WeightTraining" and rng.random() < 0.3:
        a["kg_lifted"] = float(rng.randint(30, 90) * 100)
    a["icu_median_time_delta"] = 1
    a["p30s_exponent"] = 3 if has_power else None
    if source in ("GARMIN_CONNECT", "WAHOO") and rng.random() < 0.5:
        a["strava_id"] = str(rng.randint(10**10, 2 * 10**10))
    if sport == "Swim":
        a["pool_length"] = 25.0
        a["lengths"] = int((distance or 0) / 25)
    a["source"] = source
    if not indoor and sport not in ("Swim", "WeightTraining"):
        base_alt = (
            rng.uniform(30, 60) if sport not in ("Hike", "TrailRun") else rng.uniform(200, 700)
        )
        a["min_altitude"] = round(base_alt, 1)
        a["max_altitude"] = round(base_alt + (gain or 0) * rng.uniform(0.2, 0.5) + 5, 1)
        a["average_altitude"] = round((a["min_altitude"] + a["max_altitude"]) / 2, 1)
    if has_power:
        a["power_load"] = load
    if has_hr and avg_hr:
        a["hr_load"] = round(load * rng.uniform(0.85, 1.05))
        a["hr_load_type"] = "HRSS"
    if sport in ("Run", "TrailRun", "Swim"):
        a["pace_load"] = load
        a["pace_load_type"] = "SWIM" if sport == "Swim" else "RUN"
    if rng.random() < 0.08:
        a["tags"] = [rng.choice(["endurance", "tempo", "intervals", "with-friends", "fasted"])]
    if pauses > 60 and not indoor:
        a["recording_stops"] = sorted(rng.randint(60, moving) for _ in range(rng.randint(1, 3)))
    if a["has_weather"]:
        t = a["average_temp"] if a["average_temp"] is not None else rng.uniform(5, 22)
        a.update(
            average_weather_temp=round(t - 0.7, 1),
            min_weather_temp=round(t - 4, 1),
            max_weather_temp=round(t + 4, 1),
            average_feels_like=round(t - 1.5, 1),
            min_feels_like=round(t - 5, 1),
            max_feels_like=round(t + 4, 1),
            average_wind_speed=round(rng.uniform(1, 7), 1),
            average_wind_gust=round(rng.uniform(4, 12), 1),
            prevailing_wind_deg=rng.randint(0, 359),
            headwind_percent=round(rng.uniform(20, 45), 1),
            tailwind_percent=round(rng.uniform(20, 45), 1),
            average_clouds=rng.randint(0, 100),
            max_rain=0.0,
            max_snow=0.0,
        )
    if moving > 7200 and sport not in ("Walk", "Hike"):
        a["carbs_ingested"] = int(moving / 3600 * rng.choice([40, 60, 80]))
    a["athlete_max_hr"] = _MAX_HR
    a["group"] = f"{rng.getrandbits(32):08x}"
    a["icu_intensity"] = round(if_ * 100, 2)
    if has_power and avg_w and np_w:
        a["icu_average_watts"] = avg_w
        a["icu_variability_index"] = round(np_w / avg_w, 3)
    if sport == "Ride" and has_power and rng.random() < 0.45:
        a["BikeWeight"] = 8.1 if a["gear"] and a["gear"]["id"] == "b412877" else 8.9

    ivs = _build_intervals(plan, a, ftp, has_power, has_hr, lthr, base_speed, ctx, rng)
    if ivs is not None and ivs["icu_intervals"]:
        a["icu_lap_count"] = len(ivs["icu_intervals"])
        sets = [
            (
                g["count"],
                g["elapsed_time"],
                g["average_watts"],
                g["average_heartrate"],
                g["average_speed"],
            )
            for g in ivs["icu_groups"]
        ]
        if not sets:
            works = [iv for iv in ivs["icu_intervals"] if iv["type"] == "WORK"]
            n = len(works)

            def avg(key: str) -> Any:
                vals = [w[key] for w in works if w[key] is not None]
                return round(sum(vals) / len(vals)) if vals else None

            sets = [
                (
                    n,
                    sum(w["elapsed_time"] for w in works) // n,
                    avg("average_watts"),
                    avg("average_heartrate"),
                    works[0]["average_speed"],
                )
            ]
        a["interval_summary"] = [_summary(*s, sport=sport) for s in sets]
    return a, ivs


def _summary(
    count: int, secs: int, watts: int | None, hr: int | None, speed: float | None, *, sport: str
) -> str:
    """Like the web UI's ``"3x 12m2s 229w"``: power, else heart rate, else pace."""
    out = f"{count}x {_dur_text(secs)}"
    if watts:
        return f"{out} {watts}w"
    if hr:
        return f"{out} {hr}bpm"
    if speed and sport == "Swim":
        m, s = divmod(round(100 / speed), 60)
        return f"{out} {m}:{s:02d}/100m"
    if speed:
        m, s = divmod(round(1000 / speed), 60)
        return f"{out} {m}:{s:02d}/km"
    return out


def _split(total: int, weights: list[float], rng: random.Random) -> list[int]:
    ws = [max(0.0, w * rng.uniform(0.8, 1.2)) for w in weights]
    s = sum(ws) or 1.0
    parts = [int(total * w / s) for w in ws]
    parts[0] += total - sum(parts)
    return parts


def _hr_zone_weights(pct: float) -> list[float]:
    centre = 1 + max(0.0, min(5.0, (pct - 0.55) / 0.1))
    return [math.exp(-((i + 1 - centre) ** 2) / 1.5) for i in range(7)]


def _power_zone_times(segs: list[_Segment], moving: int, rng: random.Random) -> list[Obj]:
    zs = [0] * 7
    for s in segs:
        z = _zone_of(s.pct * 100, _POWER_ZONES) - 1
        spill = int(s.secs * 0.25)
        zs[z] += s.secs - spill
        zs[max(0, z - 1)] += spill // 2
        zs[min(6, z + 1)] += spill - spill // 2
    zs[0] += moving - sum(zs)
    ss = int(sum(s.secs for s in segs if 0.84 <= s.pct <= 0.97) * rng.uniform(0.8, 1.0))
    out = [{"id": f"Z{i + 1}", "secs": v} for i, v in enumerate(zs)]
    out.append({"id": "SS", "secs": ss})
    return out


def _build_intervals(
    plan: _Plan,
    a: Obj,
    ftp: int,
    has_power: bool,
    has_hr: bool,
    lthr: int,
    base_speed: float,
    ctx: _Ctx,
    rng: random.Random,
) -> Obj | None:
    """The IntervalsDTO for an activity: typed segments become intervals, repeats a group."""
    sport = plan.sport
    ivs: list[Obj] = []
    grouped: list[Obj] = []
    t = 0
    laps = plan.kind == "laps"
    for seg in plan.segments:
        if seg.kind is None:
            t += seg.secs
            continue
        pieces = [seg.secs]
        if laps and seg.kind == "WORK":  # auto-lap every km, at most 12 intervals in all
            per_km = int(1000 / max(0.5, _speed_for(sport, seg.pct, base_speed)))
            n = max(1, min(12, seg.secs // per_km))
            pieces = [seg.secs // n] * n
            pieces[-1] += seg.secs - sum(pieces)
        for j, secs in enumerate(pieces):
            pct = seg.pct * (rng.uniform(0.97, 1.03) if len(pieces) > 1 else 1.0)
            label = f"Lap {j + 1}" if len(pieces) > 1 else seg.label
            iv = _interval(
                sport,
                seg,
                pct,
                t,
                secs,
                a,
                ftp,
                has_power,
                has_hr,
                lthr,
                base_speed,
                ctx,
                rng,
                label,
            )
            ivs.append(iv)
            if seg.group:
                grouped.append(iv)
            t += secs
    if not ivs:
        return {"icu_intervals": [], "icu_groups": []}
    # A repeated set shares one group; a lone steady WORK interval is a group of one.
    works = [iv for iv in ivs if iv["type"] == "WORK"]
    if not grouped and len(works) == 1:
        grouped = works
    groups: list[Obj] = []
    if grouped:
        g = _group(grouped, has_power)
        for iv in grouped:
            iv["group_id"] = g["id"]
        groups.append(g)
    return {"icu_intervals": ivs, "icu_groups": groups}


def _interval(
    sport: str,
    seg: _Segment,
    pct: float,
    t: int,
    secs: int,
    a: Obj,
    ftp: int,
    has_power: bool,
    has_hr: bool,
    lthr: int,
    base_speed: float,
    ctx: _Ctx,
    rng: random.Random,
    label: str | None,
) -> Obj:
    iv: Obj = dict.fromkeys(INTERVAL_KEYS)
    speed = _speed_for(sport, pct, base_speed) * rng.uniform(0.98, 1.02)
    weight = a["icu_weight"] or 72.0
    iv["start_index"] = t
    iv["distance"] = round(speed * secs, 1) if sport != "WeightTraining" else None
    iv["moving_time"] = secs
    iv["elapsed_time"] = secs
    if has_power:
        w = round(pct * ftp * (0.85 if sport == "Rowing" else 1.0))
        np_w = round(w * rng.uniform(1.0, 1.03))
        mx = int(w * rng.uniform(1.2, 1.5))
        iv.update(
            average_watts=w,
            min_watts=int(w * rng.uniform(0.3, 0.75)),
            max_watts=mx,
            average_watts_kg=round(w / weight, 2),
            max_watts_kg=round(mx / weight, 2),
            w5s_variability=round(rng.uniform(0.03, 0.12), 2),
            weighted_average_watts=np_w,
            joules=w * secs,
            joules_above_ftp=max(0, (w - ftp) * secs),
            wbal_start=_W_PRIME,
            wbal_end=int(
                _W_PRIME - max(0, (w - ftp)) * secs * 0.5
                if w > ftp
                else _W_PRIME - rng.randint(0, 2000)
            ),
            average_torque=round(w / ((a["average_cadence"] or 88) * 2 * math.pi / 60), 1),
            min_torque=0.0,
            max_torque=round(mx / 10, 1),
        )
        iv["wbal_end"] = max(iv["wbal_end"], 0)
        zone = _zone_of(pct * 100, _POWER_ZONES)
        iv["zone"] = zone
        lo = [0] + _POWER_ZONES[:-1]
        iv["zone_min_watts"] = int(lo[zone - 1] / 100 * ftp)
        iv["zone_max_watts"] = int(_POWER_ZONES[zone - 1] / 100 * ftp) if zone < 7 else None
        if a["avg_lr_balance"] is not None:
            iv["avg_lr_balance"] = round(rng.uniform(48, 52), 1)
        if seg.kind == "WORK" and secs >= 600:
            iv["decoupling"] = round(rng.uniform(-1, 5), 1)
    iv["intensity"] = round(pct * 100)
    iv["training_load"] = round(secs / 3600 * pct**2 * 100, 1)
    if sport != "WeightTraining":
        iv["average_speed"] = round(speed, 3)
        iv["min_speed"] = round(speed * rng.uniform(0.4, 0.8), 2)
        iv["max_speed"] = round(speed * rng.uniform(1.2, 1.7), 2)
    if sport in ("Run", "TrailRun"):
        iv["gap"] = round(speed * rng.uniform(1.0, 1.04), 3)
        iv["average_stance_time"] = a["average_stance_time"]
        iv["average_vertical_oscillation"] = a["average_vertical_oscillation"]
        iv["average_vertical_ratio"] = a["average_vertical_ratio"]
        iv["average_step_length"] = a["average_step_length"]
        iv["average_stride"] = a["average_stride"]
    if has_hr:
        hr = round(_hr_for(pct, lthr) + rng.uniform(-3, 3))
        iv.update(
            average_heartrate=hr,
            min_heartrate=hr - rng.randint(6, 16),
            max_heartrate=min(_MAX_HR, hr + rng.randint(4, 12)),
        )
        if not has_power:
            iv["zone"] = _zone_of(hr, _RUN_HR_ZONES if lthr == _RUN_LTHR else _HR_ZONES)
    cad = a["average_cadence"]
    if cad:
        c = round(cad * rng.uniform(0.96, 1.05), 1)
        iv.update(average_cadence=c, min_cadence=0, max_cadence=int(c * 1.2))
    if a["total_elevation_gain"]:
        iv["total_elevation_gain"] = round(a["total_elevation_gain"] * secs / a["moving_time"], 1)
        base = a["min_altitude"] or 40.0
        iv["min_altitude"] = round(base + rng.uniform(0, 20), 1)
        iv["max_altitude"] = round(iv["min_altitude"] + iv["total_elevation_gain"], 1)
        iv["average_gradient"] = round(rng.uniform(-0.01, 0.02), 3)
    if a["average_temp"] is not None:
        iv["average_temp"] = a["average_temp"]
    if a["has_weather"]:
        iv.update(
            average_weather_temp=a["average_weather_temp"],
            average_feels_like=a["average_feels_like"],
            average_wind_speed=a["average_wind_speed"],
            average_wind_gust=a["average_wind_gust"],
            prevailing_wind_deg=a["prevailing_wind_deg"],
            headwind_percent=round(rng.uniform(10, 50), 1),
            tailwind_percent=round(rng.uniform(10, 50), 1),
        )
    iv["id"] = ctx.next_interval_id
    ctx.next_interval_id += 1
    iv["type"] = seg.kind
    iv["end_index"] = t + secs
    iv["start_time"] = t
    iv["end_time"] = t + secs
    iv["label"] = label
    return iv


def _group(members: list[Obj], has_power: bool) -> Obj:
    g: Obj = dict.fromkeys(GROUP_KEYS)
    first = members[0]
    n = len(members)

    def mean(key: str, digits: int | None = None) -> Any:
        vals = [m[key] for m in members if m[key] is not None]
        if not vals:
            return None
        v = sum(vals) / len(vals)
        return round(v) if digits is None else round(v, digits)

    for k in GROUP_KEYS:
        if k in first and k not in ("id", "count"):
            g[k] = first[k]
    g["start_index"] = first["start_index"]
    g["distance"] = round(sum(m["distance"] or 0 for m in members), 1) or None
    g["moving_time"] = sum(m["moving_time"] for m in members)
    g["elapsed_time"] = round(sum(m["elapsed_time"] for m in members) / n)
    g["training_load"] = round(sum(m["training_load"] or 0 for m in members), 1)
    for k in (
        "average_watts",
        "weighted_average_watts",
        "average_heartrate",
        "intensity",
        "joules",
    ):
        g[k] = mean(k)
    for k in ("max_watts", "max_heartrate"):
        vals = [m[k] for m in members if m[k] is not None]
        g[k] = max(vals) if vals else None
    g["average_speed"] = mean("average_speed", 3)
    g["average_cadence"] = mean("average_cadence", 1)
    cad = round(g["average_cadence"] or 0)
    if has_power and g["average_watts"] is not None:
        gid = f"{g['elapsed_time']}s@{g['average_watts']}w{cad}rpm"
    elif g["average_heartrate"] is not None:
        gid = f"{g['elapsed_time']}s@{g['average_heartrate']}bpm{cad}rpm"
    else:
        gid = f"{g['elapsed_time']}s@{cad}rpm"
    g["id"] = gid
    g["count"] = n
    return g


# --------------------------------------------------------------------------- events


def _event(
    athlete_id: str, day: dt.date, category: str, updated: dt.datetime, **values: Any
) -> Obj:
    e: Obj = dict.fromkeys(EVENT_KEYS)
    e["start_date_local"] = f"{day.isoformat()}T00:00:00"
    e["athlete_id"] = athlete_id
    e["category"] = category
    e["calendar_id"] = 1
    e["created_by_id"] = athlete_id
    e["updated"] = _fmt_instant(updated)
    e.update(
        not_on_fitness_chart=False,
        show_as_note=False,
        show_on_ctl_line=False,
        for_week=False,
        athlete_cannot_edit=False,
        hide_from_athlete=False,
        structure_read_only=False,
        entered=False,
    )
    e.update(values)
    return e


def _updated_before(
    day: dt.date, rng: random.Random, days: tuple[int, int] = (1, 12)
) -> dt.datetime:
    t = dt.datetime.combine(day - dt.timedelta(days=rng.randint(*days)), dt.time())
    return t + dt.timedelta(
        seconds=rng.randint(6 * 3600, 23 * 3600), milliseconds=rng.randint(0, 999)
    )


def _workout_event(
    plan: _Plan, athlete_id: str, ftp: int, rng: random.Random, fitness: tuple[float, float] | None
) -> Obj:
    day = plan.start.date()
    secs = plan.secs
    sum_p2 = sum(s.secs * s.pct**2 for s in plan.segments)
    if_ = math.sqrt(sum_p2 / secs)
    load = round(secs / 3600 * if_**2 * 100)
    is_ride = plan.sport in RIDE_TYPES
    target = (
        "POWER"
        if is_ride or plan.sport == "Rowing"
        else ("PACE" if plan.sport in ("Run", "Swim") else "HR")
    )
    units = {"POWER": "%ftp", "PACE": "%pace", "HR": "%lthr"}[target]
    key = {"POWER": "power", "PACE": "pace", "HR": "hr"}[target]
    steps: list[Obj] = []
    segs = plan.segments
    i = 0
    while i < len(segs):
        s = segs[i]
        if s.group:  # collapse a repeated set into one reps step
            j = i
            block: list[_Segment] = []
            while j < len(segs) and (segs[j].group or segs[j].kind == "RECOVERY"):
                block.append(segs[j])
                j += 1
            work = next(b for b in block if b.group)
            rec = next((b for b in block if b.kind == "RECOVERY"), None)
            n = sum(1 for b in block if b.group)
            inner = [
                {
                    "duration": work.secs,
                    key: {
                        "start": int(work.pct * 100) - 2,
                        "end": int(work.pct * 100) + 2,
                        "units": units,
                    },
                }
            ]
            if rec:
                inner.append(
                    {"duration": rec.secs, key: {"value": int(rec.pct * 100), "units": units}}
                )
            steps.append(
                {
                    "reps": n,
                    "text": "Main set",
                    "duration": n * work.secs + (n - 1) * (rec.secs if rec else 0),
                    "steps": inner,
                }
            )
            i = j
            continue
        step: Obj = {"duration": s.secs, key: {"value": int(s.pct * 100), "units": units}}
        if i == 0 and s.kind is None:
            step.update(text="Warmup", warmup=True)
        elif i == len(segs) - 1 and s.kind is None:
            step.update(text="Cooldown", cooldown=True)
        steps.append(step)
        i += 1
    zone_secs = [0, 0, 0, 0]
    for s in segs:
        zone_secs[min(3, _zone_of(s.pct * 100, _POWER_ZONES) - 1)] += s.secs
    doc = {
        "description": plan.name,
        "duration": secs,
        "distance": None,
        "ftp": ftp if is_ride else None,
        "lthr": _RUN_LTHR if not is_ride else _LTHR,
        "threshold_pace": _RUN_THRESHOLD_PACE if plan.sport == "Run" else None,
        "target": target,
        "steps": steps,
        "zoneTimes": [
            {"id": f"Z{n + 1}", "name": nm, "secs": zone_secs[n]}
            for n, nm in enumerate(["Recovery", "Endurance", "Tempo", "Threshold"])
        ],
    }
    return _event(
        athlete_id,
        day,
        "WORKOUT",
        _updated_before(day, rng),
        icu_training_load=load,
        icu_ctl=fitness[0] if fitness else None,
        icu_atl=fitness[1] if fitness else None,
        type=plan.sport,
        name=plan.name or f"{plan.sport} workout",
        description=plan.workout_text,
        indoor=plan.sport in ("VirtualRide", "Swim", "WeightTraining", "Rowing"),
        moving_time=secs,
        icu_ftp=ftp if is_ride else None,
        w_prime=_W_PRIME if is_ride else None,
        p_max=_P_MAX if is_ride else None,
        target=target,
        joules=int(ftp * if_ * secs) if is_ride else None,
        joules_above_ftp=0 if is_ride else None,
        workout_doc=doc,
        carbs_per_hour=70 if secs > 7200 else None,
        sub_type="NONE",
        icu_intensity=round(if_ * 100, 1),
    )


_NOTES = [
    ("Physio", "Left knee check, 17:30"),
    ("Bike service", "New chain and cassette"),
    ("Team dinner", None),
    ("Dentist", "08:30"),
    ("Bike fit", "Saddle 3 mm up"),
    ("Work trip", "Hotel gym only"),
    ("Blood test", "Fasted"),
    ("Massage", None),
]
_RACES = [
    ("RACE_A", "Ride", "Dreiländergiro", "168 km / 3,300 m", 168000.0, 23400, 310, 8, 30),
    ("RACE_B", "Run", "Berlin Half Marathon", "21.1 km", 21100.0, 5900, 120, 4, 6),
    ("RACE_B", "Ride", "Velothon Berlin", "120 km", 120000.0, 11400, 190, 6, 14),
    ("RACE_C", "Run", "Parkrun 5k", "5 km", 5000.0, 1200, 35, 3, 20),
    ("RACE_C", "Run", "Grunewald 10k", "10 km", 10000.0, 2700, 60, 9, 19),
]


# --------------------------------------------------------------------------- fitness model


def _fitness_series(
    loads: dict[dt.date, float], first: dt.date, last: dt.date
) -> dict[dt.date, tuple[float, float, float]]:
    """Per-day (ctl, atl, rampRate) after each day's load, exactly the server's model."""
    out: dict[dt.date, tuple[float, float, float]] = {}
    ctl = atl = 0.0
    history: list[float] = []
    d = first
    while d <= last:
        load = loads.get(d, 0.0)
        ctl += (load - ctl) * _K_CTL
        atl += (load - atl) * _K_ATL
        history.append(ctl)
        ramp = ctl - history[-8] if len(history) > 7 else ctl
        out[d] = (ctl, atl, ramp)
        d += dt.timedelta(days=1)
    return out


def _day_loads(ds: Dataset) -> dict[dt.date, float]:
    loads: dict[dt.date, float] = {}
    for a in ds.activities.values():
        load = a.get("icu_training_load")
        if a.get("source") == "STRAVA" or not load:
            continue
        d = _day(a["start_date_local"])
        loads[d] = loads.get(d, 0.0) + float(load)
    for e in ds.events.values():
        if e.get("category") != "WORKOUT" or not e.get("icu_training_load"):
            continue
        d = _day(e["start_date_local"])
        if d > ds.end:  # planned load feeds the projection only after today
            loads[d] = loads.get(d, 0.0) + float(e["icu_training_load"])
    return loads


def recompute_fitness(ds: Dataset) -> None:
    """Recompute every wellness day's ctl/atl/rampRate/loads from the activities, as the
    server does after an activity is added, edited or deleted. Changed records are replaced
    (not mutated in place), so a reader holding the old object is never torn."""
    if not ds.wellness:
        return
    loads = _day_loads(ds)
    days = [_day(k) for k in ds.wellness]
    first = min([*days, *loads.keys()])
    last = max(days)
    series = _fitness_series(loads, first, last)
    for key, rec in list(ds.wellness.items()):
        d = _day(key)
        ctl, atl, ramp = series[d]
        load = round(loads.get(d, 0.0), 1)
        new = {
            "ctl": round(ctl, 2),
            "atl": round(atl, 2),
            "rampRate": round(ramp, 2),
            "ctlLoad": load,
            "atlLoad": load,
        }
        if any(rec.get(k) != v for k, v in new.items()):
            ds.wellness[key] = {**rec, **new}


# --------------------------------------------------------------------------- wellness


def _custom_items(athlete_id: str) -> list[Obj]:
    def item(
        iid: int, typ: str, name: str, desc: str | None, content: Obj, index: int, updated: str
    ) -> Obj:
        return {
            "id": iid,
            "athlete_id": athlete_id,
            "type": typ,
            "visibility": "PRIVATE",
            "name": name,
            "description": desc,
            "image": None,
            "content": content,
            "usage_count": 1,
            "index": index,
            "hide_script": None,
            "hidden_by_id": None,
            "updated": updated,
            "from_athlete": None,
            "from_id": None,
        }

    return [
        item(
            51230,
            "FITNESS_CHART",
            "Fitness vs HRV",
            "CTL, ATL and HRV over time",
            {
                "type": "line",
                "series": [{"field": "ctl"}, {"field": "atl"}, {"field": "hrv"}],
                "days": 180,
            },
            0,
            "2023-02-11T18:02:33.117+00:00",
        ),
        item(
            51234,
            "INPUT_FIELD",
            "Caffeine (mg)",
            "Total caffeine for the day",
            {"code": "CaffeineMg", "type": "numeric", "aggregate": "SUM"},
            3,
            "2026-03-02T08:44:10.512+00:00",
        ),
        item(
            51235,
            "INPUT_FIELD",
            "Alcohol (units)",
            None,
            {"code": "Alcohol", "type": "numeric", "aggregate": "SUM"},
            4,
            "2026-03-02T08:45:03.001+00:00",
        ),
        item(
            51236,
            "INPUT_FIELD",
            "Travel",
            "Travelling today?",
            {
                "code": "Travel",
                "type": "select",
                "aggregate": None,
                "options": ["no", "train", "car", "flight"],
            },
            5,
            "2026-03-02T08:46:40.210+00:00",
        ),
        item(
            51237,
            "INPUT_FIELD",
            "Sleep notes",
            None,
            {"code": "SleepNotes", "type": "text", "aggregate": None},
            6,
            "2026-03-02T08:47:12.804+00:00",
        ),
        item(
            51240,
            "ACTIVITY_FIELD",
            "Bike weight",
            "Bike weight incl. bottles (kg)",
            {"code": "BikeWeight", "type": "numeric", "aggregate": "AVERAGE"},
            7,
            "2026-03-02T08:49:30.771+00:00",
        ),
    ]


_CUSTOM_WELLNESS_CODES = ("CaffeineMg", "Alcohol", "Travel", "SleepNotes")


def _wellness_record(
    day: dt.date,
    fitness: tuple[float, float, float],
    load: float,
    rides: bool,
    ftp: int,
    weight: float,
    atl_minus_ctl: float,
    rng: random.Random,
    travel: str | None = None,
    sick: bool = False,
) -> Obj:
    w: Obj = dict.fromkeys(WELLNESS_KEYS)
    ctl, atl, ramp = fitness
    w["id"] = day.isoformat()
    w["ctl"] = round(ctl, 2)
    w["atl"] = round(atl, 2)
    w["rampRate"] = round(ramp, 2)
    w["ctlLoad"] = round(load, 1)
    w["atlLoad"] = round(load, 1)
    if rides:
        w["sportInfo"] = [
            {
                "type": "Ride",
                "eftp": round(ftp * rng.uniform(0.98, 1.02), 1),
                "wPrime": float(_W_PRIME - rng.randint(0, 400)),
                "pMax": float(_P_MAX - rng.randint(0, 30)),
            }
        ]
    strain = max(-15.0, min(25.0, atl_minus_ctl))
    if rng.random() < 0.65:
        w["weight"] = round(weight + rng.uniform(-0.5, 0.5), 1)
        if rng.random() < 0.8:
            w["bodyFat"] = round(12.8 + rng.uniform(-0.8, 0.8), 1)
    if rng.random() < 0.9:
        w["restingHR"] = round(47 + strain * 0.12 + rng.uniform(-2, 2) + (6 if sick else 0))
        w["hrv"] = round(max(30.0, 68 - strain * 0.6 + rng.uniform(-8, 8) - (15 if sick else 0)), 1)
        w["sleepSecs"] = int(rng.gauss(26800, 2400))
        w["sleepScore"] = float(max(40, min(98, int(rng.gauss(80, 8)))))
        w["avgSleepingHR"] = float(w["restingHR"] + rng.randint(2, 6))
        w["readiness"] = float(max(10, min(100, int(78 - strain + rng.uniform(-10, 10)))))
        w["steps"] = int(rng.gauss(9500, 3000)) if rng.random() < 0.95 else None
        w["respiration"] = round(rng.uniform(13.5, 15.5), 1)
        if rng.random() < 0.3:
            w["spO2"] = float(rng.randint(94, 99))
    if rng.random() < 0.3:
        w["sleepQuality"] = rng.randint(1, 3) if not sick else 4
        w["soreness"] = max(1, min(4, round(1.5 + strain / 12 + rng.uniform(-0.5, 1))))
        w["fatigue"] = max(1, min(4, round(1.5 + strain / 10 + rng.uniform(-0.5, 1))))
        w["stress"] = rng.randint(1, 3)
        w["mood"] = rng.randint(1, 3)
        w["motivation"] = rng.randint(1, 3)
        if rng.random() < 0.05:
            w["injury"] = rng.randint(1, 3)
    if rng.random() < 0.05:
        w["systolic"] = rng.randint(112, 126)
        w["diastolic"] = rng.randint(70, 80)
    if rng.random() < 0.1:
        w["hydration"] = rng.randint(1, 3)
        w["hydrationVolume"] = round(rng.uniform(2.0, 3.8), 1)
    if rng.random() < 0.08:
        w["kcalConsumed"] = rng.randint(2300, 3600)
        w["carbohydrates"] = float(rng.randint(280, 480))
        w["protein"] = float(rng.randint(110, 160))
        w["fatTotal"] = float(rng.randint(70, 120))
    if rng.random() < 0.02:
        w["vo2max"] = float(rng.randint(55, 60))
    if sick:
        w["comments"] = rng.choice(["Sick, stayed home.", "Cold, no training.", "Fever."])
    elif rng.random() < 0.04:
        w["comments"] = rng.choice(
            [
                "Slept well, legs fine.",
                "Busy day at work.",
                "Heavy legs.",
                "Late dinner.",
                "Travel day.",
            ]
        )
    w["tempWeight"] = False
    w["tempRestingHR"] = False
    if w["soreness"] is not None or w["comments"] is not None:
        t = dt.datetime.combine(
            day,
            dt.time(
                rng.randint(6, 21),
                rng.randint(0, 59),
                rng.randint(0, 59),
                rng.randint(0, 999) * 1000,
            ),
        )
        w["updated"] = _fmt_instant(_local_to_utc(t))
    # Custom wellness fields: sometimes absent, sometimes null.
    r = rng.random()
    if r < 0.8:
        w["CaffeineMg"] = rng.choice([0, 80, 160, 160, 240, 240, 320])
    elif r < 0.9:
        w["CaffeineMg"] = None
    if rng.random() < 0.5:
        w["Alcohol"] = 0 if rng.random() < 0.8 else rng.randint(1, 4)
    if travel is not None:
        w["Travel"] = travel
    elif rng.random() < 0.4:
        w["Travel"] = "no" if rng.random() < 0.9 else rng.choice(["train", "car"])
    elif rng.random() < 0.1:
        w["Travel"] = None
    if rng.random() < 0.03:
        w["SleepNotes"] = rng.choice(
            ["Woke up at 3 am.", "Noisy neighbours.", "Slept like a log.", "Late screen time."]
        )
    return w


def _projected_wellness(day: dt.date, fitness: tuple[float, float, float], load: float) -> Obj:
    w: Obj = dict.fromkeys(WELLNESS_KEYS)
    w["id"] = day.isoformat()
    w["ctl"] = round(fitness[0], 2)
    w["atl"] = round(fitness[1], 2)
    w["rampRate"] = round(fitness[2], 2)
    w["ctlLoad"] = round(load, 1)
    w["atlLoad"] = round(load, 1)
    for code in _CUSTOM_WELLNESS_CODES:
        w[code] = None
    return w


# --------------------------------------------------------------------------- athlete


def _athlete(athlete_id: str, ftp: int, weight: float, custom_items: list[Obj]) -> Obj:
    def sport(sid: int, types: list[str], **kw: Any) -> Obj:
        base: Obj = {
            "id": sid,
            "athlete_id": athlete_id,
            "types": types,
            "ftp": None,
            "indoor_ftp": None,
            "w_prime": None,
            "p_max": None,
            "power_zones": None,
            "power_zone_names": None,
            "lthr": _LTHR,
            "max_hr": _MAX_HR,
            "hr_zones": list(_HR_ZONES),
            "hr_zone_names": [
                "Recovery",
                "Aerobic",
                "Tempo",
                "SubThreshold",
                "SuperThreshold",
                "Aerobic Capacity",
                "Anaerobic",
            ],
            "threshold_pace": None,
            "pace_units": None,
            "pace_zones": None,
            "pace_zone_names": None,
            "load_order": "POWER_HR_PACE",
            "warmup_time": 1200,
            "cooldown_time": 600,
            "default_gear_id": None,
            "custom_field_ids": None,
            "custom_field_values": None,
            "created": "2023-01-04T10:11:12.000+00:00",
            "updated": "2026-05-28T17:03:00.000+00:00",
        }
        base.update(kw)
        return base

    return {
        "id": athlete_id,
        "name": "Alex Example",
        "firstname": "Alex",
        "lastname": "Example",
        "email": None,
        "sex": "M",
        "city": "Berlin",
        "state": "Berlin",
        "country": "Germany",
        "timezone": TIMEZONE,
        "locale": "en",
        "measurement_preference": "meters",
        "fahrenheit": False,
        "weight": round(weight, 1),
        "icu_weight": round(weight, 1),
        "icu_resting_hr": 47,
        "icu_date_of_birth": "1988-03-09",
        "height": 1.81,
        "icu_wellness_keys": [
            "weight",
            "restingHR",
            "hrv",
            "sleepSecs",
            "sleepScore",
            "sleepQuality",
            "soreness",
            "fatigue",
            "stress",
            "mood",
            "motivation",
            "readiness",
            "steps",
            "CaffeineMg",
            "Alcohol",
            "Travel",
            "SleepNotes",
        ],
        "private_wellness_keys": [],
        "icu_form_as_percent": False,
        "icu_type_settings": None,
        "plan": "SUPPORTER",
        "icu_activated": "2019-02-01T12:00:00.000+00:00",
        "status": "ACTIVE",
        "visibility": "PRIVATE",
        "bikes": [
            {"id": b, "name": n, "primary": b == "b412877", "distance": None, "retired": None}
            for b, n in _BIKES
        ],
        "shoes": [
            {"id": s, "name": n, "primary": s == "g455120", "distance": None, "retired": None}
            for s, n in _SHOES
        ],
        "garmin_connect_connected": True,
        "zwift_connected": True,
        "strava_connected": True,
        "wahoo_connected": False,
        "polar_connected": False,
        "suunto_connected": False,
        "coros_connected": False,
        "concept2_connected": True,
        "sportSettings": [
            sport(
                1201,
                ["Ride", "VirtualRide", "GravelRide", "MountainBikeRide"],
                ftp=ftp,
                indoor_ftp=ftp - 7,
                w_prime=_W_PRIME,
                p_max=_P_MAX,
                power_zones=list(_POWER_ZONES),
                power_zone_names=[
                    "Active Recovery",
                    "Endurance",
                    "Tempo",
                    "Threshold",
                    "VO2 Max",
                    "Anaerobic",
                    "Neuromuscular",
                ],
                default_gear_id="b412877",
            ),
            sport(
                1202,
                ["Run", "TrailRun", "VirtualRun"],
                lthr=_RUN_LTHR,
                hr_zones=list(_RUN_HR_ZONES),
                threshold_pace=_RUN_THRESHOLD_PACE,
                pace_units="MINS_KM",
                pace_zones=list(_RUN_PACE_ZONES),
                load_order="PACE_HR_POWER",
                warmup_time=600,
                cooldown_time=300,
                default_gear_id="g455120",
            ),
            sport(
                1203,
                ["Swim", "OpenWaterSwim"],
                threshold_pace=_SWIM_THRESHOLD_PACE,
                pace_units="SECS_100M",
                load_order="PACE_HR_POWER",
                warmup_time=300,
                cooldown_time=300,
            ),
            sport(
                1204,
                ["Rowing"],
                ftp=int(ftp * 0.85),
                w_prime=_W_PRIME,
                p_max=800,
                power_zones=list(_POWER_ZONES),
            ),
            sport(
                1205,
                ["Other", "WeightTraining", "Walk", "Hike", "Workout"],
                load_order="HR_PACE_POWER",
                warmup_time=0,
                cooldown_time=0,
            ),
        ],
        "custom_items": [dict(c) for c in custom_items],
    }


# --------------------------------------------------------------------------- generate


def generate(
    *,
    years: float = 3,
    end: dt.date | None = None,
    seed: int = 1,
    athlete_id: str = "i104233",
    future_days: int = 120,
) -> Dataset:
    """Build ``years`` of history ending on ``end`` (default today), plus calendar events up
    to ``future_days`` ahead and projected wellness for 7 days. Deterministic for the
    arguments; activities and wellness do not depend on ``future_days``."""
    end = end or dt.date.today()
    tag = f"intervals-mirror:{seed}:{years}:{end.isoformat()}"
    rng = random.Random(tag)
    start = end - dt.timedelta(days=max(1, round(years * 365.25)) - 1)
    horizon = end + dt.timedelta(days=max(0, future_days))
    ctx = _Ctx(athlete_id, start, ftp_base=rng.randint(238, 252), next_interval_id=5_000_000)
    custom = _custom_items(athlete_id)

    # Life calendar: holidays, sick spells, races (also in the future, for events).
    holiday: dict[dt.date, str] = {}
    sick: set[dt.date] = set()
    races: dict[dt.date, tuple[Any, ...]] = {}
    ranged: list[tuple[str, dt.date, dt.date, str]] = []
    for year in range(start.year, end.year + 2):  # fixed span: history ignores future_days
        for month, lo, hi, nm in ((7, 5, 12, "Family holiday"), (12, 8, 12, "Christmas")):
            first = dt.date(year, month, 1) + dt.timedelta(
                days=rng.randint(0, 20 if month == 7 else 14)
            )
            length = rng.randint(lo, hi)
            last = first + dt.timedelta(days=length - 1)
            ranged.append(("HOLIDAY", first, last, nm))
            for k in range(length):
                holiday[first + dt.timedelta(days=k)] = "flight" if k in (0, length - 1) else "no"
        for _ in range(rng.randint(1, 2)):
            month = rng.choice([1, 2, 3, 10, 11, 12])
            first = dt.date(year, month, rng.randint(1, 25))
            length = rng.randint(3, 6)
            last = first + dt.timedelta(days=length - 1)
            if any(first + dt.timedelta(days=k) in holiday for k in range(length)):
                continue
            ranged.append(("SICK", first, last, "Cold"))
            sick.update(first + dt.timedelta(days=k) for k in range(length))
        for race in _RACES:
            month, dom = race[7], race[8]
            d = dt.date(year, month, min(dom, 28))
            d += dt.timedelta(days=(6 - d.weekday()) % 7)  # races are on Sundays
            if d not in holiday and d not in sick:
                races[d] = race

    activities: dict[str, Obj] = {}
    intervals: dict[str, Obj] = {}
    plans_by_day: dict[dt.date, list[tuple[_Plan, str | None]]] = {}
    next_aid = rng.randint(1_000_000, 3_000_000) + int(start.toordinal() - 730000) * 40_000
    next_strava = 9_000_000_000 + (start.toordinal() - 730000) * 3_000_000
    loads: dict[dt.date, list[tuple[str, float]]] = {}

    d = start
    while d <= horizon:
        sessions: list[tuple[str, str, int]] = []
        if d in sick:
            pass
        elif d in races:
            race = races[d]
            sessions.append((race[1], "race", 9))
        else:
            template = _HOLIDAY_WEEK if d in holiday else _WEEK[d.weekday()]
            for sport, kind, hour, p in template:
                if rng.random() < p:
                    sessions.append((sport, kind, hour))
        day_plans: list[tuple[_Plan, str | None]] = []
        for sport, kind, hour in sorted(sessions, key=lambda s: s[2]):
            real = _resolve_sport(sport, kind, d, rng)
            t = dt.datetime.combine(d, dt.time(hour)) + dt.timedelta(seconds=rng.randint(0, 3000))
            plan = _plan_session(real, kind, t, rng)
            if kind == "race":
                plan.race_name = races[d][2]
            aid = None
            if d <= end:
                next_aid += rng.randint(15_000, 60_000)
                aid = f"i{next_aid}"
                act, ivs = _build_activity(plan, aid, ctx, rng)
                activities[aid] = act
                if ivs is not None:
                    intervals[aid] = ivs
                loads.setdefault(d, []).append((aid, float(act["icu_training_load"] or 0)))
            day_plans.append((plan, aid))
        if day_plans:
            plans_by_day[d] = day_plans
        if d <= end and rng.random() < 4 / 365:
            next_strava += rng.randint(1_000_000, 90_000_000)
            t = dt.datetime.combine(
                d, dt.time(rng.randint(6, 20), rng.randint(0, 59), rng.randint(0, 59))
            )
            sid = str(next_strava)
            activities[sid] = _stub(sid, athlete_id, t)
        d += dt.timedelta(days=1)
    # Activities are listed in start order; the API's own order is the fake's job.
    activities = dict(sorted(activities.items(), key=lambda kv: kv[1]["start_date_local"]))

    # Fitness: ctl/atl per day (and after each activity), then wellness records.
    day_load = {k: sum(x for _, x in v) for k, v in loads.items()}
    series = _fitness_series(day_load, start, end)
    for day in sorted(loads):
        base = series.get(day - dt.timedelta(days=1), (0.0, 0.0, 0.0))
        cum = 0.0
        for aid, load in loads[day]:
            cum += load
            a = activities[aid]
            a["icu_ctl"] = round(base[0] + (cum - base[0]) * _K_CTL, 2)
            a["icu_atl"] = round(base[1] + (cum - base[1]) * _K_ATL, 2)

    ride_days = {
        _day(a["start_date_local"]) for a in activities.values() if a.get("type") in RIDE_TYPES
    }
    wellness: dict[str, Obj] = {}
    rng = random.Random(tag + ":wellness")  # own stream: history independent of the horizon
    d = start
    while d <= end:
        active = d in day_load
        if active or d in sick or rng.random() > 0.4 or d == end:
            f = series[d]
            wellness[d.isoformat()] = _wellness_record(
                d,
                f,
                day_load.get(d, 0.0),
                d in ride_days,
                _ftp(d, start, ctx.ftp_base),
                _weight(d, start),
                f[1] - f[0],
                rng,
                holiday.get(d),
                d in sick,
            )
        d += dt.timedelta(days=1)

    # Events: planned workouts (paired with the activity when done), races, notes, ranges,
    # weekly targets; ids assigned in date order afterwards.
    pending: list[tuple[dt.date, Obj, str | None]] = []
    rng = random.Random(tag + ":events")
    for day, day_plans in plans_by_day.items():
        for plan, aid in day_plans:
            plannable = plan.kind in ("structured", "long", "race") or (
                plan.kind in ("steady", "laps")
                and plan.sport in RIDE_TYPES | {"Run"}
                and rng.random() < (0.4 if day <= end else 0.8)
            )
            if plan.kind == "race" or not plannable:
                continue
            if day <= end and rng.random() > 0.6:
                continue
            if day > end + dt.timedelta(days=28) and rng.random() > 0.15:
                continue
            fit = series.get(day)
            ev = _workout_event(
                plan,
                athlete_id,
                _ftp(day, start, ctx.ftp_base),
                rng,
                (round(fit[0], 1), round(fit[1], 1)) if fit else None,
            )
            pending.append((day, ev, aid))
        if day <= end and not day_plans and rng.random() < 0.05:  # planned but skipped
            plan = _plan_session("Ride", "steady", dt.datetime.combine(day, dt.time(18)), rng)
            pending.append(
                (
                    day,
                    _workout_event(plan, athlete_id, _ftp(day, start, ctx.ftp_base), rng, None),
                    None,
                )
            )
    # One stream per kind, each consumed in date order: past events ignore future_days.
    rng = random.Random(tag + ":races")
    for day, race in sorted(races.items()):
        if start <= day <= horizon:
            category, sport, name, desc, dist, secs, load = race[:7]
            pending.append(
                (
                    day,
                    _event(
                        athlete_id,
                        day,
                        category,
                        _updated_before(day, rng, (20, 120)),
                        type=sport,
                        name=name,
                        description=desc,
                        distance=dist,
                        moving_time=secs,
                        icu_training_load=load,
                        sub_type="NONE",
                    ),
                    None,
                )
            )
    rng = random.Random(tag + ":ranged")
    for category, first, last, name in sorted(ranged, key=lambda r: r[1]):
        if last < start or first > horizon:
            continue
        pending.append(
            (
                first,
                _event(
                    athlete_id,
                    first,
                    category,
                    _updated_before(first, rng, (0, 40) if category == "HOLIDAY" else (0, 1)),
                    name=name,
                    end_date_local=f"{last.isoformat()}T00:00:00",
                    training_availability="LIMITED" if category == "HOLIDAY" else "UNAVAILABLE",
                ),
                None,
            )
        )
    rng = random.Random(tag + ":targets")
    d = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    while d <= horizon:
        load_target = int(rng.choice([450, 500, 550, 600, 650]) * (0.6 if d in holiday else 1))
        pending.append(
            (
                d,
                _event(
                    athlete_id,
                    d,
                    "TARGET",
                    _updated_before(d, rng, (3, 30)),
                    name="Weekly load",
                    type="Ride",
                    for_week=True,
                    load_target=load_target,
                    time_target=load_target * 70,
                    plan_applied=_fmt_instant(_updated_before(d, rng, (30, 60))),
                ),
                None,
            )
        )
        d += dt.timedelta(days=7)
    rng = random.Random(tag + ":notes")
    d = start
    while d <= horizon:
        if rng.random() < 2 / 30:
            nm, note = rng.choice(_NOTES)
            pending.append(
                (
                    d,
                    _event(
                        athlete_id,
                        d,
                        "NOTE",
                        _updated_before(d, rng, (0, 14)),
                        name=nm,
                        description=note,
                        color="green",
                    ),
                    None,
                )
            )
        d += dt.timedelta(days=1)
    pending.sort(key=lambda p: p[0])
    # Nothing can have been edited after "now" (the end of ``end``): pull future stamps back.
    latest = dt.datetime.combine(end, dt.time(20))
    clamp_rng = random.Random(tag + ":clamp")
    for _, ev, _ in pending:
        for key in ("updated", "plan_applied"):
            if ev[key] is not None and ev[key] > _fmt_instant(latest):
                back = dt.timedelta(
                    days=clamp_rng.randint(0, 45), seconds=clamp_rng.randint(0, 50000)
                )
                ev[key] = _fmt_instant(latest - back)
    events: dict[int, Obj] = {}
    eid = 40_000_000 + (start.toordinal() - 730000) * 2_000
    rng = random.Random(tag + ":ids")  # date order, so past ids ignore future_days
    for _, ev, aid in pending:
        eid += rng.randint(3, 400)
        ev["id"] = eid
        events[eid] = ev
        if aid is not None:
            act = activities[aid]
            act["paired_event_id"] = eid
            act["compliance"] = round(rng.uniform(78, 104), 1)

    # Projected wellness for the next week, from the planned workouts.
    planned = {k: v for k, v in _day_loads_from_events(events, end).items()}
    proj = _fitness_series({**day_load, **planned}, start, end + dt.timedelta(days=7))
    for k in range(1, 8):
        day = end + dt.timedelta(days=k)
        wellness[day.isoformat()] = _projected_wellness(day, proj[day], planned.get(day, 0.0))

    ftp_now = _ftp(end, start, ctx.ftp_base)
    athlete = _athlete(athlete_id, ftp_now, _weight(end, start), custom)
    return Dataset(athlete, custom, activities, intervals, wellness, events, end=end, seed=seed)


def _day_loads_from_events(events: dict[int, Obj], end: dt.date) -> dict[dt.date, float]:
    out: dict[dt.date, float] = {}
    for e in events.values():
        if e["category"] == "WORKOUT" and e["icu_training_load"]:
            d = _day(e["start_date_local"])
            if d > end:
                out[d] = out.get(d, 0.0) + float(e["icu_training_load"])
    return out


def _stub(sid: str, athlete_id: str, start_local: dt.datetime) -> Obj:
    return {
        "id": sid,
        "icu_athlete_id": athlete_id,
        "start_date_local": _fmt_local(start_local),
        "source": "STRAVA",
        "_note": STRAVA_NOTE,
    }


# --------------------------------------------------------------------------- mutation helpers


def _max_activity_number(ds: Dataset) -> int:
    return max(
        (int(k[1:]) for k in ds.activities if k.startswith("i") and k[1:].isdigit()),
        default=1_000_000,
    )


def _max_interval_id(ds: Dataset) -> int:
    return max(
        (
            iv["id"]
            for dto in ds.intervals.values()
            for iv in dto["icu_intervals"]
            if isinstance(iv.get("id"), int)
        ),
        default=5_000_000,
    )


def make_activity(
    ds: Dataset, day: dt.date | str, *, sport: str | None = None, rng: random.Random | None = None
) -> tuple[Obj, Obj]:
    """Create an activity on ``day`` with a fresh id above every existing one, insert it and
    its intervals into ``ds`` and return both. Does not recompute wellness (see
    ``recompute_fitness``); the fake API does that to mimic the server."""
    day = _day(day)
    rng = rng or random.Random(f"make_activity:{ds.seed}:{len(ds.activities)}:{day}")
    if sport is None:
        sport = rng.choice(["Ride", "Ride", "VirtualRide", "Run", "Run", "Swim", "Walk"])
    kind = {"Ride": "steady", "VirtualRide": "structured", "Run": "run"}.get(sport, "steady")
    start = dt.datetime.combine(day, dt.time(rng.randint(6, 19))) + dt.timedelta(
        seconds=rng.randint(0, 3000)
    )
    plan = _plan_session(sport, kind, start, rng)
    start_day = _day(
        min((a["start_date_local"] for a in ds.activities.values()), default=day.isoformat())
    )
    ctx = _Ctx(
        ds.athlete_id,
        start_day,
        ftp_base=_ftp_base_guess(ds),
        next_interval_id=_max_interval_id(ds) + 1,
    )
    aid = f"i{_max_activity_number(ds) + rng.randint(1_000, 50_000)}"
    act, ivs = _build_activity(plan, aid, ctx, rng)
    ivs = ivs if ivs is not None else {"icu_intervals": [], "icu_groups": []}
    prev = ds.wellness.get((day - dt.timedelta(days=1)).isoformat())
    if prev and prev.get("ctl") is not None:
        load = float(act["icu_training_load"] or 0)
        act["icu_ctl"] = round(prev["ctl"] + (load - prev["ctl"]) * _K_CTL, 2)
        act["icu_atl"] = round(prev["atl"] + (load - prev["atl"]) * _K_ATL, 2)
    ds.activities[aid] = act
    ds.intervals[aid] = ivs
    return act, ivs


def _ftp_base_guess(ds: Dataset) -> int:
    for s in ds.athlete.get("sportSettings") or []:
        if "Ride" in (s.get("types") or []) and s.get("ftp"):
            return int(s["ftp"]) - 18
    return 245


def make_strava_stub(ds: Dataset, day: dt.date | str) -> Obj:
    """Insert a five-key Strava stub on ``day`` with a numeric id above existing numeric ids."""
    day = _day(day)
    top = max((int(k) for k in ds.activities if k.isdigit()), default=9_000_000_000)
    rng = random.Random(f"make_strava_stub:{ds.seed}:{top}:{day}")
    sid = str(top + rng.randint(1_000_000, 50_000_000))
    t = dt.datetime.combine(
        day, dt.time(rng.randint(6, 20), rng.randint(0, 59), rng.randint(0, 59))
    )
    stub = _stub(sid, ds.athlete_id, t)
    ds.activities[sid] = stub
    return stub


def make_wellness(ds: Dataset, day: dt.date | str) -> Obj:
    """Insert (or replace) a plausible wellness record for ``day``, with ctl/atl consistent
    with the activities, and return it."""
    day = _day(day)
    rng = random.Random(f"make_wellness:{ds.seed}:{day}:{len(ds.wellness)}")
    loads = _day_loads(ds)
    first = min([day, *loads.keys()])
    series = _fitness_series(loads, first, day)
    f = series[day]
    rides = any(
        a.get("type") in RIDE_TYPES and _day(a["start_date_local"]) == day
        for a in ds.activities.values()
    )
    ftp = _ftp_base_guess(ds) + 18
    rec = _wellness_record(day, f, loads.get(day, 0.0), rides, ftp, 72.8, f[1] - f[0], rng)
    ds.wellness[day.isoformat()] = rec
    return rec


def make_event(
    ds: Dataset,
    day: dt.date | str,
    category: str = "WORKOUT",
    *,
    sport: str | None = None,
    name: str | None = None,
    rng: random.Random | None = None,
) -> Obj:
    """Insert a calendar event with a fresh int id above every existing one and return it."""
    day = _day(day)
    rng = rng or random.Random(f"make_event:{ds.seed}:{len(ds.events)}:{day}:{category}")
    eid = max(ds.events, default=40_000_000) + rng.randint(3, 400)
    aid = ds.athlete_id
    if category == "WORKOUT":
        sport = sport or rng.choice(["Ride", "VirtualRide", "Run"])
        kind = {"Run": "run"}.get(sport, "structured")
        plan = _plan_session(sport, kind, dt.datetime.combine(day, dt.time(18)), rng)
        ev = _workout_event(plan, aid, _ftp_base_guess(ds) + 18, rng, None)
        ev["updated"] = _fmt_instant(dt.datetime.now(dt.UTC).replace(tzinfo=None))
    elif category in ("RACE_A", "RACE_B", "RACE_C"):
        race = next(r for r in _RACES if r[0] == category)
        ev = _event(
            aid,
            day,
            category,
            _updated_before(day, rng),
            type=sport or race[1],
            name=race[2],
            description=race[3],
            distance=race[4],
            moving_time=race[5],
            icu_training_load=race[6],
            sub_type="NONE",
        )
    elif category in ("HOLIDAY", "SICK", "INJURED"):
        ev = _event(
            aid,
            day,
            category,
            _updated_before(day, rng),
            end_date_local=f"{(day + dt.timedelta(days=4)).isoformat()}T00:00:00",
            training_availability="LIMITED" if category == "HOLIDAY" else "UNAVAILABLE",
        )
    elif category == "TARGET":
        ev = _event(
            aid,
            day,
            category,
            _updated_before(day, rng),
            type="Ride",
            for_week=True,
            load_target=550,
            time_target=38500,
        )
    else:
        nm, desc = rng.choice(_NOTES)
        ev = _event(
            aid,
            day,
            category,
            _updated_before(day, rng),
            description=desc,
            color="green" if category == "NOTE" else None,
        )
        ev["name"] = nm
    if name is not None:
        ev["name"] = name
    if ev["name"] is None:
        ev["name"] = category.replace("_", " ").title()
    ev["id"] = eid
    ds.events[eid] = ev
    return ev
