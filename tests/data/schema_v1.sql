-- intervals-mirror store, schema version 1.
-- The store contract (see README "Schema"): users' SQL depends on these tables and columns;
-- change them only through a new file in sql/migrations/.
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

CREATE TABLE IF NOT EXISTS custom_fields (
    id              TEXT PRIMARY KEY,          -- the custom item's id
    athlete_id      TEXT NOT NULL,
    item_type       TEXT,                      -- INPUT_FIELD (wellness), ACTIVITY_FIELD, INTERVAL_FIELD, or a chart
    code            TEXT,                      -- the key used in records, e.g. CaffeineMg
    name            TEXT,                      -- display name, e.g. "Caffeine (mg)"
    field_type      TEXT,                      -- numeric | text | select
    aggregate       TEXT,                      -- SUM | AVERAGE | MIN | MAX
    raw             TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    synced_at       TEXT NOT NULL
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
    average_speed           REAL,              -- m/s
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
    synced_at               TEXT NOT NULL
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
    average_speed           REAL,              -- m/s
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
    start_date_local    TEXT,
    end_date_local      TEXT,
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
    synced_at           TEXT NOT NULL
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
    wellness_added      INTEGER NOT NULL DEFAULT 0,
    wellness_updated    INTEGER NOT NULL DEFAULT 0,
    wellness_deleted    INTEGER NOT NULL DEFAULT 0,
    events_added        INTEGER NOT NULL DEFAULT 0,
    events_updated      INTEGER NOT NULL DEFAULT 0,
    events_deleted      INTEGER NOT NULL DEFAULT 0,
    requests            INTEGER NOT NULL DEFAULT 0,
    duration_s          REAL,
    error               TEXT
);

-- What has been mirrored, per resource: [covered_from, covered_to] is fully listed.
CREATE TABLE IF NOT EXISTS sync_state (
    athlete_id      TEXT NOT NULL,
    resource        TEXT NOT NULL,             -- activities | wellness | events
    covered_from    TEXT,                      -- oldest local day fully listed
    covered_to      TEXT,                      -- newest local day fully listed
    history_start   TEXT,                      -- oldest day that has data (backfill stops here)
    last_ok_at      TEXT,                      -- UTC ISO of the last run that listed it
    last_full_at    TEXT,                      -- UTC ISO of the last full re-verify
    PRIMARY KEY (athlete_id, resource)
);
