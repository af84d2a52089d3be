"""The activity object's fields, filled from a measured ``Session`` in the API's key order.

Each step draws from the session's random stream in the order the generator always has, so
steps must not be reordered.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
import random
from typing import TYPE_CHECKING

from .athlete import BIKES, SHOES
from .clock import TIMEZONE, fmt_instant, fmt_local, fmt_utc_z, local_to_utc, winter
from .physiology import (
    MAX_HR,
    P_MAX,
    POWER_ZONES,
    RUN_PACE_ZONES,
    RUN_THRESHOLD_PACE,
    RUN_TYPES,
    SWIM_PACE_ZONES,
    SWIM_THRESHOLD_PACE,
    W_PRIME,
    hr_zones_for,
    swolf,
    zone_of,
    zone_position,
    zone_weights,
)
from .plans import Segment
from .shapes import ACTIVITY_KEYS, Obj
from .streams import HR_DROPOUTS

if TYPE_CHECKING:
    from .activities import BuildContext, Session

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
    "power": ["time", "watts", "cadence", "heartrate", "distance", "altitude", "latlng",
              "velocity_smooth", "temp", "left_right_balance", "fixed_altitude"],
    "virtual": ["time", "watts", "cadence", "heartrate", "distance", "altitude", "velocity_smooth"],
    "run": ["time", "cadence", "heartrate", "distance", "altitude", "latlng", "velocity_smooth",
            "temp", "fixed_altitude"],
    "swim": ["time", "distance", "velocity_smooth", "cadence"],
    "plain": ["time", "heartrate", "distance", "altitude", "latlng", "velocity_smooth"],
    "gym": ["time", "heartrate"],
}


def activity(s: Session, aid: str, ctx: BuildContext, rng: random.Random) -> Obj:
    a: Obj = dict.fromkeys(ACTIVITY_KEYS)
    a["id"] = aid
    _power_model(a, s, rng)
    _summary(a, s, rng)
    _motion(a, s, rng)
    _equipment(a, s, ctx, rng)
    _thresholds(a, s)
    _streams_and_zones(a, s, rng)
    _analysis(a, s, rng)
    _outdoors(a, s, rng)
    _weather_and_fuel(a, s, rng)
    return a


def _power_model(a: Obj, s: Session, rng: random.Random) -> None:
    a["start_date_local"] = fmt_local(s.plan.start)
    a["type"] = s.sport
    a["icu_ignore_time"] = False
    a["icu_ignore_power"] = False
    if not s.has_power:
        return
    a.update(
        icu_pm_cp=int(s.ftp * 1.01),
        icu_pm_w_prime=W_PRIME - rng.randint(0, 600),
        icu_pm_p_max=P_MAX - rng.randint(0, 40),
        icu_pm_ftp=s.ftp - rng.randint(0, 5),
        icu_pm_ftp_secs=rng.randint(1800, 3600),
        icu_rolling_cp=round(s.ftp * 1.02, 1),
        # W' and Pmax follow FTP a little (no draw: the stream stays as it was)
        icu_rolling_w_prime=float(round(W_PRIME * s.ftp / 255, -2)),
        icu_rolling_p_max=float(round(P_MAX * math.sqrt(s.ftp / 255))),
        icu_rolling_ftp=s.ftp,
        icu_rolling_ftp_delta=rng.randint(-2, 3),
    )
    a["icu_pm_ftp_watts"] = a["icu_pm_ftp"]


def _summary(a: Obj, s: Session, rng: random.Random) -> None:
    """Load, work, time and the name; the kind of session (commute, race, trainer)."""
    sport, moving = s.sport, s.moving
    a["icu_training_load"] = s.load
    a["icu_ftp"] = s.ftp if s.is_ride or sport == "Rowing" else None
    a["icu_joules"] = s.avg_w * moving if s.avg_w is not None else None
    a["icu_recording_time"] = s.elapsed
    a["elapsed_time"] = s.elapsed
    a["icu_weighted_avg_watts"] = s.np_w
    a["carbs_used"] = int(s.calories * 0.55 / 4) if moving > 1800 and sport != "Walk" else None
    a["name"] = s.name
    a["description"] = rng.choice(_DESCRIPTIONS) if rng.random() < 0.15 else None
    a["start_date"] = fmt_utc_z(local_to_utc(s.plan.start))
    a["distance"] = s.distance
    a["icu_distance"] = s.distance
    a["moving_time"] = moving
    a["coasting_time"] = int(moving * rng.uniform(0.05, 0.12)) if sport == "Ride" else None
    a["total_elevation_gain"] = s.gain
    a["total_elevation_loss"] = round(s.gain * rng.uniform(0.97, 1.0), 1) if s.gain else s.gain
    a["timezone"] = TIMEZONE if s.source == "GARMIN_CONNECT" else None
    a["trainer"] = s.indoor and sport in ("VirtualRide", "Rowing")
    a["sub_type"] = {"commute": "COMMUTE", "race": "RACE"}.get(s.plan.kind, "NONE")
    a["commute"] = s.plan.kind == "commute"
    a["race"] = s.plan.kind == "race"


def _motion(a: Obj, s: Session, rng: random.Random) -> None:
    """Speed, heart rate, cadence, temperature and running dynamics."""
    sport, avg_speed, cadence = s.sport, s.avg_speed, s.cadence
    if avg_speed:
        a["max_speed"] = round(avg_speed * rng.uniform(1.5, 2.4), 2)
        # Real swims leave average_speed null and give the speed (m/s) in pace only.
        a["average_speed"] = avg_speed if sport != "Swim" else None
        a["pace"] = avg_speed
    a["device_watts"] = s.has_power
    a["has_heartrate"] = s.has_hr
    a["max_heartrate"] = s.max_hr
    a["average_heartrate"] = s.avg_hr
    a["average_cadence"] = cadence
    a["calories"] = s.calories
    if not s.indoor and s.device and s.device != "Zwift":
        a["average_temp"] = round(
            rng.uniform(2, 26) if not winter(s.day) else rng.uniform(-3, 10), 1
        )
        a["min_temp"] = int(a["average_temp"] - rng.uniform(1, 6))
        a["max_temp"] = int(a["average_temp"] + rng.uniform(1, 8))
    if s.has_power and sport != "Rowing" and rng.random() < 0.7:
        a["avg_lr_balance"] = round(rng.uniform(48, 52), 1)
    if sport in RUN_TYPES:
        a["average_stance_time"] = round(rng.uniform(235, 265), 1)
        a["average_vertical_oscillation"] = round(rng.uniform(8.2, 9.6), 1)
        a["average_vertical_ratio"] = round(rng.uniform(7.0, 8.5), 2)
        a["average_step_length"] = round((avg_speed or 3) / (cadence or 85) * 60 * 1000 / 2, 1)
        a["gap"] = round((avg_speed or 3) * rng.uniform(1.0, 1.04), 3)
        a["average_stride"] = round((avg_speed or 3) * 60 / (cadence or 85), 2)
    a["gap_model"] = "STRAVA_RUN" if sport in RUN_TYPES else "NONE"
    a["use_elevation_correction"] = False


def _equipment(a: Obj, s: Session, ctx: BuildContext, rng: random.Random) -> None:
    """Gear, device, power meter, the uploaded file and the audit stamps."""
    sport = s.sport
    if s.is_ride:
        bike = (
            BIKES[2]
            if sport == "VirtualRide"
            else (BIKES[0] if s.day < ctx.start + dt.timedelta(days=800) else BIKES[1])
        )
        a["gear"] = {"id": bike[0], "name": None, "distance": None, "primary": None}
    elif sport in RUN_TYPES:
        shoe = SHOES[1] if sport == "TrailRun" else SHOES[0]
        a["gear"] = {"id": shoe[0], "name": None, "distance": None, "primary": None}
    a["device_name"] = s.device
    if s.has_power and sport == "Ride":
        a["power_meter"] = "Favero Assioma"
        a["power_meter_serial"] = "1234567"
        a["power_meter_battery"] = "ok"
        a["crank_length"] = 172.5
    if s.source != "MANUAL":
        a["external_id"] = str(rng.randint(10**10, 2 * 10**10))
        a["file_sport_index"] = 0
        a["file_type"] = "fit"
    a["icu_athlete_id"] = ctx.athlete_id
    a["created"] = fmt_instant(s.created)
    a["icu_sync_date"] = fmt_instant(s.synced)
    a["analyzed"] = a["icu_sync_date"]


def _thresholds(a: Obj, s: Session) -> None:
    """The athlete's settings as the activity was analysed with them."""
    sport = s.sport
    if s.is_ride or sport == "Rowing":
        a["icu_w_prime"] = W_PRIME
        a["p_max"] = P_MAX
        a["icu_power_zones"] = list(POWER_ZONES)
        a["icu_sweet_spot_min"] = 84
        a["icu_sweet_spot_max"] = 97
        a["icu_power_spike_threshold"] = 1500
    if sport in RUN_TYPES:
        a["threshold_pace"] = RUN_THRESHOLD_PACE
        a["pace_zones"] = list(RUN_PACE_ZONES)
    elif sport == "Swim":
        a["threshold_pace"] = SWIM_THRESHOLD_PACE
        a["pace_zones"] = list(SWIM_PACE_ZONES)
    a["icu_hr_zones"] = list(hr_zones_for(s.lthr))
    a["lthr"] = s.lthr
    a["icu_resting_hr"] = 48
    a["icu_weight"] = s.weight
    if s.has_hr and s.avg_hr:
        a["trimp"] = round(s.moving / 60 * (s.avg_hr - 48) / (MAX_HR - 48) * 1.92, 1)
    a["icu_warmup_time"] = 1200 if s.is_ride else 600
    a["icu_cooldown_time"] = 600 if s.is_ride else 300
    a["icu_ignore_hr"] = False
    a["ignore_velocity"] = False
    a["ignore_pace"] = False
    a["icu_training_load_data"] = 100


def _stream_kind(s: Session) -> str:
    if s.sport == "VirtualRide":
        return "virtual"
    if s.has_power:
        return "power"
    if s.sport in RUN_TYPES:
        return "run"
    return {"Swim": "swim", "WeightTraining": "gym"}.get(s.sport, "plain")


def _streams_and_zones(a: Obj, s: Session, rng: random.Random) -> None:
    """Recorded streams, time in zones, achievements."""
    sport, moving = s.sport, s.moving
    streams = list(_STREAMS[_stream_kind(s)])
    if not s.has_hr and "heartrate" in streams:
        streams.remove("heartrate")
    a["stream_types"] = streams if s.source != "MANUAL" else None
    a["skyline_chart_bytes"] = base64.b64encode(rng.randbytes(14)).decode()
    a["has_weather"] = not s.indoor and sport != "WeightTraining"
    a["has_segments"] = sport in ("Ride", "Run") and rng.random() < 0.5
    if s.has_power:
        a["power_field_names"] = ["power"]
        a["power_field"] = "power"
        a["icu_zone_times"] = _power_zone_times(s.plan.segments, moving, rng)
    if s.has_hr:  # seconds with a reading: outdoors the strap's first few have none
        read = moving - (0 if a["trainer"] else min(HR_DROPOUTS, moving))
        centre = zone_position(s.avg_hr, hr_zones_for(s.lthr))
        a["icu_hr_zone_times"] = _split(read, zone_weights(centre), rng)
    if sport in RUN_TYPES:
        a["pace_zone_times"] = _split(moving, _hr_zone_weights(s.avg_pct), rng)
        a["gap_zone_times"] = _split(moving, _hr_zone_weights(s.avg_pct), rng)
    elif sport == "Swim":  # no draw: the stream (and every later activity) stays as it was
        a["pace_zone_times"] = _split(moving, _hr_zone_weights(s.avg_pct), None)
    a["use_gap_zone_times"] = False
    a["tiz_order"] = "POWER_HR_PACE" if s.is_ride else "PACE_HR_POWER"
    if s.has_power or s.has_hr:
        a["polarization_index"] = round(rng.uniform(0.4, 1.1), 2)
    if s.has_power and rng.random() < 0.05:
        a["icu_achievements"] = [_season_best(s.ftp, rng.choice([60, 300, 1200]))]
    a["icu_intervals_edited"] = False
    a["lock_intervals"] = False
    if s.has_power and s.np_w:
        a["icu_joules_above_ftp"] = int(max(0.0, s.intensity - 0.8) * moving * s.ftp * 0.3)
        a["icu_max_wbal_depletion"] = int(W_PRIME * min(0.9, max(0.05, s.intensity - 0.5)))


def _season_best(ftp: int, secs: int) -> Obj:
    return {
        "id": f"ps0_{secs}",
        "type": "BEST_POWER",
        "message": f"Season best {secs // 60}m power",
        "watts": int(ftp * {60: 1.9, 300: 1.2, 1200: 1.02}[secs]),
        "secs": secs,
        "value": None,
        "distance": None,
        "pace": None,
        "point": None,
    }


def _analysis(a: Obj, s: Session, rng: random.Random) -> None:
    """Efficiency, decoupling, effort ratings and the sport-specific extras."""
    sport, avg_hr, avg_w = s.sport, s.avg_hr, s.avg_w
    if s.has_power and s.has_hr and avg_hr and avg_w:
        a["icu_power_hr_z2"] = round(avg_w / avg_hr * rng.uniform(1.0, 1.05), 2)
        a["icu_power_hr_z2_mins"] = s.moving // 120
        a["icu_cadence_z2"] = int(s.cadence or 85)
        a["decoupling"] = round(rng.uniform(-2, 8), 1)
        a["icu_power_hr"] = round(avg_w / avg_hr, 2)
        a["icu_efficiency_factor"] = round((s.np_w or avg_w) / avg_hr, 3)
    elif s.has_hr and avg_hr and s.avg_speed and sport in RUN_TYPES:
        a["decoupling"] = round(rng.uniform(-2, 8), 1)
        a["icu_efficiency_factor"] = round(s.avg_speed * 60 / avg_hr, 3)
    if rng.random() < 0.35:
        a["icu_rpe"] = max(1, min(10, round(s.intensity * 8 + rng.uniform(-1, 1))))
        a["session_rpe"] = int(a["icu_rpe"] * s.moving / 60)
    if rng.random() < 0.3:
        a["feel"] = rng.randint(1, 4)
    if sport == "WeightTraining" and rng.random() < 0.3:
        a["kg_lifted"] = float(rng.randint(30, 90) * 100)
    a["icu_median_time_delta"] = 1
    a["p30s_exponent"] = 3 if s.has_power else None
    if s.source in ("GARMIN_CONNECT", "WAHOO") and rng.random() < 0.5:
        a["strava_id"] = str(rng.randint(10**10, 2 * 10**10))
    if sport == "Swim":
        a["pool_length"] = 25.0
        a["lengths"] = int((s.distance or 0) / 25)
    a["source"] = s.source


def _outdoors(a: Obj, s: Session, rng: random.Random) -> None:
    """Altitude, the load split by metric, tags and recording stops."""
    sport, load = s.sport, s.load
    if not s.indoor and sport not in ("Swim", "WeightTraining"):
        base_alt = (
            rng.uniform(30, 60) if sport not in ("Hike", "TrailRun") else rng.uniform(200, 700)
        )
        a["min_altitude"] = round(base_alt, 1)
        a["max_altitude"] = round(base_alt + (s.gain or 0) * rng.uniform(0.2, 0.5) + 5, 1)
        a["average_altitude"] = round((a["min_altitude"] + a["max_altitude"]) / 2, 1)
    if s.has_power:
        a["power_load"] = load
    if s.has_hr and s.avg_hr:
        a["hr_load"] = round(load * rng.uniform(0.85, 1.05))
        a["hr_load_type"] = "HRSS"
    if sport in ("Run", "TrailRun", "Swim"):
        a["pace_load"] = load
        a["pace_load_type"] = "SWIM" if sport == "Swim" else "RUN"
    if rng.random() < 0.08:
        a["tags"] = [rng.choice(["endurance", "tempo", "intervals", "with-friends", "fasted"])]
    if s.pauses > 0:  # where the paused time was spent (``pauses``): samples, in order
        a["recording_stops"] = sorted(
            rng.randint(60, s.moving - 1) for _ in range(rng.randint(1, 3))
        )


def _weather_and_fuel(a: Obj, s: Session, rng: random.Random) -> None:
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
    if s.moving > 7200 and s.sport not in ("Walk", "Hike"):
        a["carbs_ingested"] = int(s.moving / 3600 * rng.choice([40, 60, 80]))
    a["athlete_max_hr"] = MAX_HR
    a["group"] = f"{rng.getrandbits(32):08x}"
    a["icu_intensity"] = round(s.intensity * 100, 2)
    if s.has_power and s.avg_w and s.np_w:
        a["icu_average_watts"] = s.avg_w
        a["icu_variability_index"] = round(s.np_w / s.avg_w, 3)
    if s.sport == "Ride" and s.has_power and rng.random() < 0.45:
        a["BikeWeight"] = 8.1 if a["gear"] and a["gear"]["id"] == "b412877" else 8.9
    if s.sport == "Swim":
        # A watch that lost the stroke count: the field's formula divides by zero lengths.
        lost = int(a["id"].lstrip("i")) % 4 == 0
        a["SWOLF"] = "Infinity" if lost else swolf(s.avg_speed, s.cadence)



def _split(total: int, weights: list[float], rng: random.Random | None) -> list[int]:
    ws = [max(0.0, w * (rng.uniform(0.8, 1.2) if rng else 1.0)) for w in weights]
    s = sum(ws) or 1.0
    parts = [int(total * w / s) for w in ws]
    parts[0] += total - sum(parts)
    return parts


def _hr_zone_weights(pct: float) -> list[float]:
    return zone_weights(1 + max(0.0, min(5.0, (pct - 0.55) / 0.1)))


def _power_zone_times(segs: list[Segment], moving: int, rng: random.Random) -> list[Obj]:
    zs = [0] * 7
    for s in segs:
        z = zone_of(s.pct * 100, POWER_ZONES) - 1
        spill = int(s.secs * 0.25)
        zs[z] += s.secs - spill
        zs[max(0, z - 1)] += spill // 2
        zs[min(6, z + 1)] += spill - spill // 2
    zs[0] += moving - sum(zs)
    ss = int(sum(s.secs for s in segs if 0.84 <= s.pct <= 0.97) * rng.uniform(0.8, 1.0))
    out = [{"id": f"Z{i + 1}", "secs": v} for i, v in enumerate(zs)]
    out.append({"id": "SS", "secs": ss})
    return out
