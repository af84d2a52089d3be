-- intervals-mirror store: the full schema of the latest version, for new stores.
-- The store contract (see README "Schema"): users' SQL depends on these tables and columns;
-- change them through a new file in sql/migrations/ (which upgrades existing stores) and here.
-- Every mirrored table has a text primary key `id` with the API's own id, an `athlete_id`,
-- typed columns for the fields people query, and `raw`: the API's JSON object verbatim.
-- `fingerprint` is a hash of `raw`, used by sync to skip unchanged objects.

CREATE TABLE IF NOT EXISTS athlete (
    id              TEXT PRIMARY KEY,          -- e.g. i104233
    athlete_id      TEXT NOT NULL,
    name            TEXT,
    timezone        TEXT,
    weight          REAL,                      -- kg
    raw             TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    synced_at       TEXT NOT NULL              -- UTC ISO time of the last write
);

-- The athlete's sport settings (GET /athlete/{id} carries them as sportSettings), one row
-- per group of sports: thresholds and zones. Zone arrays are JSON text, read them with
-- json_each(power_zones).
CREATE TABLE IF NOT EXISTS sport_settings (
    id                  TEXT PRIMARY KEY,      -- the API's integer id, as text
    athlete_id          TEXT NOT NULL,
    types               TEXT,                  -- the sports these settings cover, comma list: Ride,VirtualRide
    ftp                 REAL,                  -- W
    indoor_ftp          REAL,                  -- W (FTP on a trainer)
    w_prime             REAL,                  -- J (W')
    p_max               REAL,                  -- W (peak power)
    lthr                REAL,                  -- bpm (threshold heart rate)
    max_hr              REAL,                  -- bpm
    threshold_pace      REAL,                  -- m/s (a speed, whatever pace_units shows)
    pace_units          TEXT,                  -- how paces are shown: MINS_KM, MINS_MILE, SECS_100M, SECS_100Y, SECS_500M, ...
    power_zones         TEXT,                  -- JSON array: each zone's upper bound in % of FTP (999: no bound)
    power_zone_names    TEXT,                  -- JSON array of names, zone 1 first
    hr_zones            TEXT,                  -- JSON array: each zone's upper bound in bpm (the last is max HR)
    hr_zone_names       TEXT,                  -- JSON array of names, zone 1 first
    pace_zones          TEXT,                  -- JSON array: each zone's upper bound in % of threshold pace, as a speed (999: no bound)
    pace_zone_names     TEXT,                  -- JSON array of names, zone 1 first
    load_order          TEXT,                  -- which training load is used first, e.g. POWER_HR_PACE
    warmup_time         INTEGER,               -- s
    cooldown_time       INTEGER,               -- s
    default_gear_id     TEXT,                  -- gear.id used for new activities of these sports
    created             TEXT,
    updated             TEXT,
    raw                 TEXT NOT NULL,
    fingerprint         TEXT NOT NULL,
    synced_at           TEXT NOT NULL
);

-- The athlete's gear (GET /athlete/{id}/gear): bikes, shoes and their components.
CREATE TABLE IF NOT EXISTS gear (
    id                  TEXT PRIMARY KEY,      -- the API's id, e.g. b412877
    athlete_id          TEXT NOT NULL,
    type                TEXT,                  -- Bike, Shoes, Wetsuit, Chain, Tyre, ... (API type)
    name                TEXT,
    purchased           TEXT,                  -- day YYYY-MM-DD, when given
    notes               TEXT,
    distance            REAL,                  -- m, all activities plus any starting distance
    time                REAL,                  -- s
    activities          INTEGER,               -- number of activities with this gear
    retired             TEXT,                  -- day it was retired; NULL while in use
    component           INTEGER,               -- 1: a component (chain, tyre) of other gear
    reminders           INTEGER,               -- number of service reminders (their details are in raw)
    raw                 TEXT NOT NULL,
    fingerprint         TEXT NOT NULL,
    synced_at           TEXT NOT NULL
);

-- The athlete's custom items, every type (GET /athlete/{id}/custom-item): fields (wellness
-- INPUT_FIELD, ACTIVITY_FIELD, INTERVAL_FIELD), charts, custom streams, zones, panels. The
-- view custom_fields shows them with the columns older releases stored.
CREATE TABLE IF NOT EXISTS custom_items (
    id                  TEXT PRIMARY KEY,      -- the API's integer id, as text
    athlete_id          TEXT NOT NULL,
    type                TEXT,                  -- INPUT_FIELD (wellness), ACTIVITY_FIELD, INTERVAL_FIELD, FITNESS_CHART, ACTIVITY_STREAM, ZONES, ...
    name                TEXT,                  -- display name, e.g. "Caffeine (mg)"
    description         TEXT,
    visibility          TEXT,                  -- PRIVATE | FOLLOWERS | PUBLIC
    code                TEXT,                  -- fields and streams: the key used in records, e.g. CaffeineMg
    field_type          TEXT,                  -- fields: numeric | text | select
    aggregate           TEXT,                  -- fields: SUM | AVERAGE | MIN | MAX
    position            INTEGER,               -- the API's index: order in the athlete's lists
    usage_count         INTEGER,
    updated             TEXT,
    raw                 TEXT NOT NULL,         -- the item verbatim; its definition is under content
    fingerprint         TEXT NOT NULL,
    synced_at           TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS activities (
    id                      TEXT PRIMARY KEY,  -- i123456789, or a Strava number for stubs
    athlete_id              TEXT NOT NULL,
    date                    TEXT,              -- local day YYYY-MM-DD (from start_date_local)
    start_date_local        TEXT,              -- local wall-clock start, no offset
    start_date              TEXT,              -- UTC start, ends in Z
    type                    TEXT,              -- Ride, Run, Swim, ...
    name                    TEXT,
    description             TEXT,
    source                  TEXT,              -- GARMIN_CONNECT, STRAVA, UPLOAD, ...
    is_stub                 INTEGER NOT NULL DEFAULT 0,  -- 1: Strava import the API does not share
    device_name             TEXT,
    trainer                 INTEGER,
    commute                 INTEGER,
    race                    INTEGER,
    moving_time             INTEGER,           -- s
    elapsed_time            INTEGER,           -- s
    distance                REAL,              -- m
    elevation_gain          REAL,              -- m (total_elevation_gain)
    average_speed           REAL,              -- m/s: average_speed, else pace (swims), else distance / moving_time
    average_heartrate       REAL,              -- bpm
    max_heartrate           REAL,              -- bpm
    average_cadence         REAL,              -- rpm (runs: per leg)
    average_watts           REAL,              -- W (icu_average_watts)
    weighted_average_watts  REAL,              -- W (icu_weighted_avg_watts)
    ftp                     REAL,              -- W (icu_ftp)
    training_load           REAL,              -- icu_training_load
    intensity               REAL,              -- percent of threshold (icu_intensity; 92.2 = IF 0.92)
    efficiency_factor       REAL,              -- icu_efficiency_factor
    calories                REAL,              -- kcal burned
    rpe                     INTEGER,           -- 1-10 (icu_rpe)
    feel                    INTEGER,           -- 1 strong .. 5 weak
    ctl                     REAL,              -- fitness after this activity (icu_ctl)
    atl                     REAL,              -- fatigue after this activity (icu_atl)
    gear_id                 TEXT,
    strava_id               TEXT,
    paired_event_id         TEXT,
    icu_sync_date           TEXT,
    raw                     TEXT NOT NULL,     -- the list endpoint's object, verbatim
    fingerprint             TEXT NOT NULL,
    intervals_fingerprint   TEXT,              -- fingerprint the intervals were fetched for
    synced_at               TEXT NOT NULL,
    curves_fingerprint      TEXT               -- fingerprint the best-effort curves were fetched for
);
CREATE INDEX IF NOT EXISTS activities_date ON activities (athlete_id, date);
CREATE INDEX IF NOT EXISTS activities_day ON activities (date, start_date_local);
CREATE INDEX IF NOT EXISTS activities_type_date ON activities (type, date);

CREATE TABLE IF NOT EXISTS intervals (
    id                      TEXT PRIMARY KEY,  -- <activity_id>:<interval id or position>
    activity_id             TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    athlete_id              TEXT NOT NULL,
    position                INTEGER NOT NULL,  -- 0-based order within the activity
    type                    TEXT,              -- WORK | RECOVERY
    label                   TEXT,
    group_id                TEXT,
    start_time              INTEGER,           -- s from activity start
    end_time                INTEGER,           -- s from activity start
    elapsed_time            INTEGER,           -- s
    moving_time             INTEGER,           -- s
    distance                REAL,              -- m
    average_watts           REAL,              -- W
    max_watts               REAL,              -- W
    weighted_average_watts  REAL,              -- W
    intensity               REAL,              -- percent of threshold
    training_load           REAL,
    average_heartrate       REAL,              -- bpm
    max_heartrate           REAL,              -- bpm
    average_cadence         REAL,              -- rpm
    average_speed           REAL,              -- m/s: average_speed, else pace, else distance / moving_time
    zone                    INTEGER,
    raw                     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS intervals_activity ON intervals (activity_id, position);

CREATE TABLE IF NOT EXISTS interval_groups (
    id                      TEXT PRIMARY KEY,  -- <activity_id>:<group id>
    activity_id             TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    athlete_id              TEXT NOT NULL,
    position                INTEGER NOT NULL,
    count                   INTEGER,
    raw                     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS interval_groups_activity ON interval_groups (activity_id, position);

-- Activity streams (the per-second samples), kept once fetched: by get_activity_streams, or by
-- sync for the last [sync] streams_days days. One row per activity and stream type.
CREATE TABLE IF NOT EXISTS streams (
    id              TEXT PRIMARY KEY,          -- <activity_id>:<type>
    activity_id     TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    athlete_id      TEXT NOT NULL,
    type            TEXT NOT NULL,             -- time (s), watts, heartrate, cadence, altitude (m), distance (m), velocity_smooth (m/s), latlng, ...
    samples         INTEGER NOT NULL,          -- values in data, nulls included (at 1 Hz: seconds)
    data            BLOB,                      -- the samples, packed: stream_json(data) gives them as a JSON array
    data2           BLOB,                      -- a second series packed the same way (latlng: longitudes, data holds latitudes)
    raw             TEXT NOT NULL,             -- the API's stream object without data and data2, verbatim
    fetched_at      TEXT NOT NULL              -- UTC ISO time it was fetched
);
CREATE INDEX IF NOT EXISTS streams_activity ON streams (activity_id);

-- Comments on activities (the API's messages), kept once fetched by get_activity_messages.
CREATE TABLE IF NOT EXISTS activity_messages (
    id              TEXT PRIMARY KEY,          -- the message's id
    activity_id     TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    athlete_id      TEXT NOT NULL,             -- the mirrored athlete, whose activity it is
    author_id       TEXT,                      -- who wrote it (the message's athlete_id)
    author          TEXT,                      -- their name
    created         TEXT,                      -- when it was written (UTC ISO)
    type            TEXT,                      -- TEXT, NOTE, ...
    content         TEXT,
    deleted         TEXT,                      -- when it was deleted, if it was
    raw             TEXT NOT NULL,
    fetched_at      TEXT NOT NULL              -- UTC ISO time it was fetched
);
CREATE INDEX IF NOT EXISTS activity_messages_activity ON activity_messages (activity_id, created);

-- What was fetched for an activity apart from sync's lists (streams, messages), and when.
CREATE TABLE IF NOT EXISTS activity_fetches (
    id              TEXT PRIMARY KEY,          -- <activity_id>:<part>
    activity_id     TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    athlete_id      TEXT NOT NULL,
    part            TEXT NOT NULL,             -- streams | messages
    asked           TEXT,                      -- streams: the types asked for, comma list (asked but not in streams: the activity has none)
    fingerprint     TEXT,                      -- the activity's fingerprint then (another one now: it changed since)
    fetched_at      TEXT NOT NULL              -- UTC ISO time of the fetch
);
CREATE INDEX IF NOT EXISTS activity_fetches_activity ON activity_fetches (activity_id);

CREATE TABLE IF NOT EXISTS wellness (
    id                  TEXT PRIMARY KEY,      -- the local date YYYY-MM-DD
    athlete_id          TEXT NOT NULL,
    ctl                 REAL,                  -- fitness
    atl                 REAL,                  -- fatigue
    form                REAL,                  -- ctl - atl (TSB)
    ramp_rate           REAL,
    ctl_load            REAL,
    atl_load            REAL,
    weight              REAL,                  -- kg
    resting_hr          REAL,                  -- bpm
    hrv                 REAL,                  -- ms (rMSSD)
    hrv_sdnn            REAL,                  -- ms
    sleep_secs          INTEGER,               -- s
    sleep_score         REAL,                  -- 0-100
    sleep_quality       INTEGER,               -- 1 great .. 4 poor
    avg_sleeping_hr     REAL,                  -- bpm
    soreness            INTEGER,
    fatigue             INTEGER,
    stress              INTEGER,
    mood                INTEGER,
    motivation          INTEGER,
    injury              INTEGER,
    spo2                REAL,                  -- %
    respiration         REAL,                  -- breaths/min
    readiness           REAL,
    steps               INTEGER,
    body_fat            REAL,                  -- %
    vo2max              REAL,                  -- ml/kg/min
    kcal_consumed       REAL,
    comments            TEXT,
    updated             TEXT,
    raw                 TEXT NOT NULL,
    fingerprint         TEXT NOT NULL,
    synced_at           TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS wellness_athlete_date ON wellness (athlete_id, id);

-- Custom wellness fields, one row per day and field, so they are queryable without JSON
-- functions: SELECT date, value FROM wellness_custom WHERE field = 'CaffeineMg'.
CREATE TABLE IF NOT EXISTS wellness_custom (
    date        TEXT NOT NULL REFERENCES wellness (id) ON DELETE CASCADE,
    athlete_id  TEXT NOT NULL,
    field       TEXT NOT NULL,                 -- the custom field's code
    value,                                     -- number or text, as the API sent it
    PRIMARY KEY (date, field)
);
CREATE INDEX IF NOT EXISTS wellness_custom_field ON wellness_custom (field, date);

CREATE TABLE IF NOT EXISTS events (
    id                  TEXT PRIMARY KEY,      -- the API's integer id, as text
    athlete_id          TEXT NOT NULL,
    date                TEXT,                  -- local day YYYY-MM-DD (from start_date_local)
    start_date_local    TEXT,                  -- local midnight of the first day
    end_date_local      TEXT,                  -- as the API sends it: exclusive, the midnight after the last day
    category            TEXT,                  -- WORKOUT, RACE_A, NOTE, HOLIDAY, ...
    type                TEXT,                  -- sport
    name                TEXT,
    description         TEXT,
    moving_time         INTEGER,               -- s
    distance            REAL,                  -- m
    training_load       REAL,
    indoor              INTEGER,
    color               TEXT,
    updated             TEXT,
    raw                 TEXT NOT NULL,
    fingerprint         TEXT NOT NULL,
    synced_at           TEXT NOT NULL,
    end_date            TEXT                   -- last day YYYY-MM-DD, inclusive (= date for a one-day event)
);
CREATE INDEX IF NOT EXISTS events_date ON events (athlete_id, date);
CREATE INDEX IF NOT EXISTS events_day ON events (date);

CREATE TABLE IF NOT EXISTS sync_runs (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    athlete_id          TEXT,
    started_at          TEXT NOT NULL,         -- UTC ISO
    finished_at         TEXT,
    status              TEXT NOT NULL,         -- running | ok | error | interrupted
    mode                TEXT NOT NULL,         -- incremental | full
    resources           TEXT NOT NULL,         -- comma list synced
    activities_added    INTEGER NOT NULL DEFAULT 0,
    activities_updated  INTEGER NOT NULL DEFAULT 0,
    activities_deleted  INTEGER NOT NULL DEFAULT 0,
    intervals_fetched   INTEGER NOT NULL DEFAULT 0,  -- activities whose intervals were stored
    streams_fetched     INTEGER NOT NULL DEFAULT 0,  -- activities whose streams were stored ([sync] streams_days)
    wellness_added      INTEGER NOT NULL DEFAULT 0,
    wellness_updated    INTEGER NOT NULL DEFAULT 0,
    wellness_deleted    INTEGER NOT NULL DEFAULT 0,
    events_added        INTEGER NOT NULL DEFAULT 0,
    events_updated      INTEGER NOT NULL DEFAULT 0,
    events_deleted      INTEGER NOT NULL DEFAULT 0,
    requests            INTEGER NOT NULL DEFAULT 0,
    duration_s          REAL,
    error               TEXT,
    curves_fetched      INTEGER NOT NULL DEFAULT 0   -- activities whose best-effort curves were stored
);

-- What has been mirrored, per resource: [covered_from, covered_to] is fully listed.
CREATE TABLE IF NOT EXISTS sync_state (
    athlete_id      TEXT NOT NULL,
    resource        TEXT NOT NULL,             -- activities | wellness | events; lists kept whole: sport_settings | custom_items | gear
    covered_from    TEXT,                      -- oldest local day fully listed
    covered_to      TEXT,                      -- newest local day fully listed
    history_start   TEXT,                      -- oldest day that has data (backfill stops here)
    last_ok_at      TEXT,                      -- UTC ISO of the last run that listed it
    last_full_at    TEXT,                      -- UTC ISO of the last full re-verify
    PRIMARY KEY (athlete_id, resource)
);

-- What was deleted, kept rather than lost: every object a write tool deleted, or sync found
-- deleted upstream, with the last JSON the store held. "What did I delete last week?":
-- SELECT resource, id, json_extract(raw, '$.name'), deleted_at FROM deleted
-- WHERE deleted_at >= date('now', '-7 days').
CREATE TABLE IF NOT EXISTS deleted (
    resource        TEXT NOT NULL,             -- the table it was in: events, activities, wellness, ...
    id              TEXT NOT NULL,             -- its id there (the API's id; wellness: the day)
    athlete_id      TEXT NOT NULL,
    raw             TEXT NOT NULL,             -- the API's JSON object as last stored
    deleted_at      TEXT NOT NULL,             -- UTC ISO time it left the store
    how             TEXT NOT NULL CHECK (how IN ('tool', 'sync'))  -- tool: a write tool deleted it; sync: found gone upstream (by sync, or a new listing)
);
CREATE INDEX IF NOT EXISTS deleted_when ON deleted (deleted_at);
CREATE INDEX IF NOT EXISTS deleted_object ON deleted (resource, id);

-- Best efforts per activity (GET /athlete/{id}/activity-{power,hr,pace}-curves): one row per
-- activity and kind, the API's object for that activity verbatim in raw; its points, typed,
-- in curve_points. The views power_curve, hr_curve and pace_curve read them with units.
CREATE TABLE IF NOT EXISTS activity_curves (
    id                  TEXT PRIMARY KEY,      -- <activity_id>:<kind>
    activity_id         TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    athlete_id          TEXT NOT NULL,
    kind                TEXT NOT NULL,         -- power | hr | pace
    date                TEXT,                  -- the activity's local day YYYY-MM-DD
    start_date_local    TEXT,                  -- the activity's local start, no offset
    weight              REAL,                  -- kg, the athlete's weight for that activity
    raw                 TEXT NOT NULL,         -- the API's curve of that activity, verbatim
    synced_at           TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS activity_curves_activity ON activity_curves (activity_id, kind);

-- One row per activity, kind and duration (distance for pace): "best 5-min power between two
-- days" reads one index range: WHERE kind = 'power' AND secs_or_distance = 300 AND date ...
CREATE TABLE IF NOT EXISTS curve_points (
    activity_id         TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    athlete_id          TEXT NOT NULL,
    kind                TEXT NOT NULL,         -- power | hr | pace
    date                TEXT,                  -- the activity's local day YYYY-MM-DD
    secs_or_distance    REAL NOT NULL,         -- power, hr: duration in s; pace: distance in m
    value               REAL NOT NULL,         -- power: W; hr: bpm; pace: time in s for the distance
    PRIMARY KEY (activity_id, kind, secs_or_distance)
);
CREATE INDEX IF NOT EXISTS curve_points_best
    ON curve_points (kind, secs_or_distance, date, value, activity_id);
-- What the curve tools filter on, read from indexes alone: an activity's sport, day and
-- trainer flag; the activities whose curves sync has still to fetch; the season starts.
CREATE INDEX IF NOT EXISTS activities_sport_day ON activities (type, date, trainer, id);
CREATE INDEX IF NOT EXISTS activities_curves_due ON activities (athlete_id, date)
    WHERE is_stub = 0 AND (curves_fingerprint IS NULL OR curves_fingerprint != fingerprint);
CREATE INDEX IF NOT EXISTS events_category ON events (category, date);
-- The activity's side of the pairing of planned workouts and activities (the view
-- workout_activities): what was done for a plan, found by the plan's id.
CREATE INDEX IF NOT EXISTS activities_paired_event ON activities (paired_event_id);
