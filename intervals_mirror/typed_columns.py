"""The store contract's typed columns: which key of the API's object fills each column of
each mirrored table (snake_case names; the original spelling stays in ``raw``).

Apart from ``records`` (which builds the rows) because the read side lists the same columns:
one declaration, so a lookup never names a column sync does not write.
"""

from __future__ import annotations

# Wellness keys the API defines; any other top-level key is a custom field (by its code).
STANDARD_WELLNESS_KEYS = frozenset({
    "id", "ctl", "atl", "rampRate", "ctlLoad", "atlLoad", "sportInfo", "updated", "weight",
    "restingHR", "hrv", "hrvSDNN", "menstrualPhase", "menstrualPhasePredicted",
    "kcalConsumed", "sleepSecs", "sleepScore", "sleepQuality", "avgSleepingHR", "soreness",
    "fatigue", "stress", "mood", "motivation", "injury", "spO2", "systolic", "diastolic",
    "hydration", "hydrationVolume", "readiness", "baevskySI", "bloodGlucose", "lactate",
    "bodyFat", "abdomen", "vo2max", "comments", "steps", "respiration", "carbohydrates",
    "protein", "fatTotal", "locked", "tempWeight", "tempRestingHR",
})

# (column, API key) pairs: the column names are the store contract, snake_case.
ACTIVITY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("start_date_local", "start_date_local"),
    ("start_date", "start_date"),
    ("type", "type"),
    ("name", "name"),
    ("description", "description"),
    ("source", "source"),
    ("device_name", "device_name"),
    ("trainer", "trainer"),
    ("commute", "commute"),
    ("race", "race"),
    ("moving_time", "moving_time"),
    ("elapsed_time", "elapsed_time"),
    ("distance", "distance"),
    ("elevation_gain", "total_elevation_gain"),
    ("average_speed", "average_speed"),
    ("average_heartrate", "average_heartrate"),
    ("max_heartrate", "max_heartrate"),
    ("average_cadence", "average_cadence"),
    ("average_watts", "icu_average_watts"),
    ("weighted_average_watts", "icu_weighted_avg_watts"),
    ("ftp", "icu_ftp"),
    ("training_load", "icu_training_load"),
    ("intensity", "icu_intensity"),
    ("efficiency_factor", "icu_efficiency_factor"),
    ("calories", "calories"),
    ("rpe", "icu_rpe"),
    ("feel", "feel"),
    ("ctl", "icu_ctl"),
    ("atl", "icu_atl"),
    ("strava_id", "strava_id"),
    ("paired_event_id", "paired_event_id"),
    ("icu_sync_date", "icu_sync_date"),
)

INTERVAL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("type", "type"),
    ("label", "label"),
    ("group_id", "group_id"),
    ("start_time", "start_time"),
    ("end_time", "end_time"),
    ("elapsed_time", "elapsed_time"),
    ("moving_time", "moving_time"),
    ("distance", "distance"),
    ("average_watts", "average_watts"),
    ("max_watts", "max_watts"),
    ("weighted_average_watts", "weighted_average_watts"),
    ("intensity", "intensity"),
    ("training_load", "training_load"),
    ("average_heartrate", "average_heartrate"),
    ("max_heartrate", "max_heartrate"),
    ("average_cadence", "average_cadence"),
    ("average_speed", "average_speed"),
    ("zone", "zone"),
)

WELLNESS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("ctl", "ctl"),
    ("atl", "atl"),
    ("ramp_rate", "rampRate"),
    ("ctl_load", "ctlLoad"),
    ("atl_load", "atlLoad"),
    ("weight", "weight"),
    ("resting_hr", "restingHR"),
    ("hrv", "hrv"),
    ("hrv_sdnn", "hrvSDNN"),
    ("sleep_secs", "sleepSecs"),
    ("sleep_score", "sleepScore"),
    ("sleep_quality", "sleepQuality"),
    ("avg_sleeping_hr", "avgSleepingHR"),
    ("soreness", "soreness"),
    ("fatigue", "fatigue"),
    ("stress", "stress"),
    ("mood", "mood"),
    ("motivation", "motivation"),
    ("injury", "injury"),
    ("spo2", "spO2"),
    ("respiration", "respiration"),
    ("readiness", "readiness"),
    ("steps", "steps"),
    ("body_fat", "bodyFat"),
    ("vo2max", "vo2max"),
    ("kcal_consumed", "kcalConsumed"),
    ("comments", "comments"),
    ("updated", "updated"),
)

EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("start_date_local", "start_date_local"),
    ("end_date_local", "end_date_local"),
    ("category", "category"),
    ("type", "type"),
    ("name", "name"),
    ("description", "description"),
    ("moving_time", "moving_time"),
    ("distance", "distance"),
    ("training_load", "icu_training_load"),
    ("indoor", "indoor"),
    ("color", "color"),
    ("updated", "updated"),
)


# -- lists kept whole: sport settings, gear, custom items ------------------------------------

SPORT_SETTINGS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("ftp", "ftp"),
    ("indoor_ftp", "indoor_ftp"),
    ("w_prime", "w_prime"),
    ("p_max", "p_max"),
    ("lthr", "lthr"),
    ("max_hr", "max_hr"),
    ("threshold_pace", "threshold_pace"),
    ("pace_units", "pace_units"),
    ("load_order", "load_order"),
    ("warmup_time", "warmup_time"),
    ("cooldown_time", "cooldown_time"),
    ("default_gear_id", "default_gear_id"),
    ("created", "created"),
    ("updated", "updated"),
)
ZONE_LISTS = ("power_zones", "power_zone_names", "hr_zones", "hr_zone_names", "pace_zones",
              "pace_zone_names")

GEAR_COLUMNS: tuple[tuple[str, str], ...] = (
    ("type", "type"),
    ("name", "name"),
    ("purchased", "purchased"),
    ("notes", "notes"),
    ("distance", "distance"),
    ("time", "time"),
    ("activities", "activities"),
    ("retired", "retired"),
    ("component", "component"),
)

CUSTOM_ITEM_COLUMNS: tuple[tuple[str, str], ...] = (
    ("type", "type"),
    ("name", "name"),
    ("description", "description"),
    ("visibility", "visibility"),
    ("position", "index"),
    ("usage_count", "usage_count"),
    ("updated", "updated"),
)
