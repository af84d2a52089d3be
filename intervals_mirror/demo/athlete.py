"""The athlete object: profile, gear, sport settings, and the custom items it defines (fields,
charts, a custom stream, zones, a panel)."""

from __future__ import annotations

import copy
from typing import Any

from .clock import TIMEZONE
from .physiology import (
    HR_ZONES,
    LTHR,
    MAX_HR,
    P_MAX,
    POWER_ZONES,
    RUN_HR_ZONES,
    RUN_LTHR,
    RUN_PACE_ZONES,
    RUN_THRESHOLD_PACE,
    SWIM_PACE_ZONES,
    SWIM_THRESHOLD_PACE,
    W_PRIME,
    sport_ftp,
)
from .shapes import Obj

BIKES = [("b390001", "Cube Attain"), ("b412877", "Canyon Endurace"), ("b412878", "Trainer bike")]
SHOES = [("g455120", "Pegasus 40"), ("g455121", "Speedgoat 5")]

# (id, type, name, description, content, index, updated) of each custom item.
_CUSTOM_ITEMS: tuple[tuple[int, str, str, str | None, Obj, int, str], ...] = (
    (51230, "FITNESS_CHART", "Fitness vs HRV", "CTL, ATL and HRV over time",
     {"type": "line", "series": [{"field": "ctl"}, {"field": "atl"}, {"field": "hrv"}],
      "days": 180},
     0, "2023-02-11T18:02:33.117+00:00"),
    (51234, "INPUT_FIELD", "Caffeine (mg)", "Total caffeine for the day",
     {"code": "CaffeineMg", "type": "numeric", "aggregate": "SUM"},
     3, "2026-03-02T08:44:10.512+00:00"),
    (51235, "INPUT_FIELD", "Alcohol (units)", None,
     {"code": "Alcohol", "type": "numeric", "aggregate": "SUM"},
     4, "2026-03-02T08:45:03.001+00:00"),
    (51236, "INPUT_FIELD", "Travel", "Travelling today?",
     {"code": "Travel", "type": "select", "aggregate": None,
      "options": ["no", "train", "car", "flight"]},
     5, "2026-03-02T08:46:40.210+00:00"),
    (51237, "INPUT_FIELD", "Sleep notes", None,
     {"code": "SleepNotes", "type": "text", "aggregate": None},
     6, "2026-03-02T08:47:12.804+00:00"),
    (51240, "ACTIVITY_FIELD", "Bike weight", "Bike weight incl. bottles (kg)",
     {"code": "BikeWeight", "type": "numeric", "aggregate": "AVERAGE"},
     7, "2026-03-02T08:49:30.771+00:00"),
    (51241, "ACTIVITY_FIELD", "SWOLF", "Seconds + strokes per 25 m length",
     {"code": "SWOLF", "type": "numeric", "aggregate": "AVERAGE"},
     8, "2026-04-11T16:20:05.332+00:00"),
    (51242, "INTERVAL_FIELD", "SWOLF", "Seconds + strokes per 25 m length",
     {"code": "SWOLF", "type": "numeric", "aggregate": "AVERAGE"},
     9, "2026-04-11T16:21:40.118+00:00"),
    # Items that are not fields: a custom stream, activity charts, zones, a panel.
    (51250, "ACTIVITY_STREAM", "W/kg", "Power per kg of body weight",
     {"code": "WattsPerKg", "type": "numeric", "units": "W/kg",
      "script": "data = icu.streams.watts.map(w => w / icu.activity.icu_weight)"},
     10, "2024-09-14T19:12:02.411+00:00"),
    (51251, "ACTIVITY_CHART", "Power vs heart rate", "Decoupling at a glance",
     {"type": "scatter", "x": "watts", "y": "heartrate"},
     11, "2024-09-14T19:20:45.090+00:00"),
    (51252, "ZONES", "Seiler 3 zones", "Three heart-rate zones from LTHR",
     {"type": "HR", "basis": "LTHR", "zones": [{"name": "Easy", "max": 82},
                                               {"name": "Moderate", "max": 100},
                                               {"name": "Hard", "max": 999}]},
     12, "2025-01-05T07:55:31.620+00:00"),
    (51253, "TRACE_CHART", "Weekly hours by sport", None,
     {"type": "bar", "period": "week", "field": "moving_time", "group_by": "type"},
     1, "2023-02-11T18:05:10.004+00:00"),
    (51254, "ACTIVITY_PANEL", "Race summary", "What to check after a race",
     {"fields": ["icu_training_load", "icu_intensity", "decoupling", "WattsPerKg"]},
     13, "2025-05-20T20:02:17.733+00:00"),
)
_HR_ZONE_NAMES = ["Recovery", "Aerobic", "Tempo", "SubThreshold", "SuperThreshold",
                  "Aerobic Capacity", "Anaerobic"]
_POWER_ZONE_NAMES = ["Active Recovery", "Endurance", "Tempo", "Threshold", "VO2 Max",
                     "Anaerobic", "Neuromuscular"]
_PACE_ZONE_NAMES = ["Recovery", "Aerobic", "Tempo", "Threshold", "VO2 Max", "Anaerobic",
                    "Sprint"]
_WELLNESS_KEYS_SHOWN = ["weight", "restingHR", "hrv", "sleepSecs", "sleepScore", "sleepQuality",
                        "soreness", "fatigue", "stress", "mood", "motivation", "readiness",
                        "steps", "CaffeineMg", "Alcohol", "Travel", "SleepNotes"]


def custom_items(athlete_id: str) -> list[Obj]:
    """Wellness and activity fields of the athlete's own, and items of the other kinds, as
    the API lists them."""
    return [custom_item(athlete_id, iid, typ, name, desc, content, index, updated)
            for iid, typ, name, desc, content, index, updated in _CUSTOM_ITEMS]


def custom_item(athlete_id: str, iid: int, typ: str, name: str, desc: str | None,
                content: Obj, index: int, updated: str) -> Obj:
    """One custom item in the CustomItem schema's key order."""
    return {
        "id": iid,
        "athlete_id": athlete_id,
        "type": typ,
        "visibility": "PRIVATE",
        "name": name,
        "description": desc,
        "image": None,
        "content": copy.deepcopy(content),
        "usage_count": 1,
        "index": index,
        "hide_script": None,
        "hidden_by_id": None,
        "updated": updated,
        "from_athlete": None,
        "from_id": None,
    }


def athlete(athlete_id: str, ftp: int, weight: float, items: list[Obj], bike: str) -> Obj:
    """The athlete as of the last day of the history (FTP and weight of that day)."""
    kg = round(weight, 1)
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
        "weight": kg,
        "icu_weight": kg,
        "icu_resting_hr": 47,
        "icu_date_of_birth": "1988-03-09",
        "height": 1.81,
        "icu_wellness_keys": list(_WELLNESS_KEYS_SHOWN),
        "private_wellness_keys": [],
        "icu_form_as_percent": False,
        "icu_type_settings": None,
        "plan": "SUPPORTER",
        "icu_activated": "2019-02-01T12:00:00.000+00:00",
        "status": "ACTIVE",
        "visibility": "PRIVATE",
        "bikes": _gear(BIKES, bike),
        "shoes": _gear(SHOES, "g455120"),
        **_connections(),
        "sportSettings": _sports(athlete_id, ftp, bike),
        "custom_items": [dict(c) for c in items],
    }


def _gear(items: list[tuple[str, str]], primary: str) -> list[Obj]:
    return [{"id": gid, "name": name, "primary": gid == primary, "distance": None,
             "retired": None} for gid, name in items]


def _connections() -> Obj:
    return {
        "garmin_connect_connected": True,
        "zwift_connected": True,
        "strava_connected": True,
        "wahoo_connected": False,
        "polar_connected": False,
        "suunto_connected": False,
        "coros_connected": False,
        "concept2_connected": True,
    }


def _sports(athlete_id: str, ftp: int, bike: str) -> list[Obj]:
    return [
        sport_settings(athlete_id, 1201, ["Ride", "VirtualRide", "GravelRide", "MountainBikeRide"],
                       ftp=ftp, indoor_ftp=ftp - 7, w_prime=W_PRIME, p_max=P_MAX,
                       power_zones=list(POWER_ZONES), power_zone_names=list(_POWER_ZONE_NAMES),
                       default_gear_id=bike),
        sport_settings(athlete_id, 1202, ["Run", "TrailRun", "VirtualRun"],
                       lthr=RUN_LTHR, hr_zones=list(RUN_HR_ZONES),
                       threshold_pace=RUN_THRESHOLD_PACE, pace_units="MINS_KM",
                       pace_zones=list(RUN_PACE_ZONES), pace_zone_names=list(_PACE_ZONE_NAMES),
                       load_order="PACE_HR_POWER", warmup_time=600, cooldown_time=300,
                       default_gear_id="g455120"),
        sport_settings(athlete_id, 1203, ["Swim", "OpenWaterSwim"],
                       threshold_pace=SWIM_THRESHOLD_PACE, pace_units="SECS_100M",
                       pace_zones=list(SWIM_PACE_ZONES), pace_zone_names=list(_PACE_ZONE_NAMES),
                       load_order="PACE_HR_POWER", warmup_time=300, cooldown_time=300),
        sport_settings(athlete_id, 1204, ["Rowing"], ftp=sport_ftp("Rowing", ftp), w_prime=W_PRIME,
                       p_max=800, power_zones=list(POWER_ZONES)),
        sport_settings(athlete_id, 1205, ["Other", "WeightTraining", "Walk", "Hike", "Workout"],
                       load_order="HR_PACE_POWER", warmup_time=0, cooldown_time=0),
    ]


def sport_settings(athlete_id: str, sid: int, types: list[str], **settings: Any) -> Obj:
    """One sport's settings: the shared defaults, then what differs for this sport."""
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
        "lthr": LTHR,
        "max_hr": MAX_HR,
        "hr_zones": list(HR_ZONES),
        "hr_zone_names": list(_HR_ZONE_NAMES),
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
    base.update(settings)
    return base
