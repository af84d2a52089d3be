"""The API objects' key sets in spec order, so generated objects list their keys as the API does.

Each list comes from ``/work/shared/intervals-api-reference.md``; generated objects start from
``dict.fromkeys`` of these, so nulls are present and the key order is the API's.
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]

STRAVA_NOTE = "STRAVA activities are not available via the API"

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

# The Event schema's 60 keys in spec order (§3.6), then the two that real responses carry
# beyond the spec (``plan_name``, ``paired_activity_id``: intervals-api.md, confirmed section).
EVENT_KEYS: tuple[str, ...] = tuple(
    """id start_date_local icu_training_load icu_atl icu_ctl type carbs_used ss_p_max
    ss_w_prime ss_cp calendar_id uid athlete_id category end_date_local name description
    indoor color moving_time icu_ftp w_prime p_max atl_days ctl_days updated
    not_on_fitness_chart show_as_note show_on_ctl_line for_week target joules
    joules_above_ftp workout_doc push_errors athlete_cannot_edit hide_from_athlete
    structure_read_only created_by_id shared_event_id entered carbs_per_hour sub_type
    distance tags attachments oauth_client_id external_id load_target time_target
    distance_target training_availability max_training_time can_train_sports plan_athlete_id
    plan_folder_id plan_workout_id plan_applied icu_intensity strain_score plan_name
    paired_activity_id""".split()  # noqa: SIM905
)
