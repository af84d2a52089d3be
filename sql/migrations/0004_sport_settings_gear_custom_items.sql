-- Version 4: the athlete's sport settings, gear and custom items of every type, mirrored by
-- sync on every run (the tables as schema.sql creates them for new stores). custom_fields,
-- until now a table of every custom item, becomes a view over custom_items with the same
-- columns and rows: its rows move into custom_items, their new columns read from raw exactly
-- as records.custom_item_row fills them, so the next sync finds them unchanged.

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

INSERT INTO custom_items (id, athlete_id, type, name, description, visibility, code, field_type,
                          aggregate, position, usage_count, updated, raw, fingerprint,
                          synced_at)
    SELECT id, athlete_id, item_type, name,
           CASE WHEN json_type(raw, '$.description') NOT IN ('object', 'array')
                THEN json_extract(raw, '$.description') END,
           CASE WHEN json_type(raw, '$.visibility') NOT IN ('object', 'array')
                THEN json_extract(raw, '$.visibility') END,
           code, field_type, aggregate,
           CASE WHEN json_type(raw, '$.index') NOT IN ('object', 'array')
                THEN json_extract(raw, '$.index') END,
           CASE WHEN json_type(raw, '$.usage_count') NOT IN ('object', 'array')
                THEN json_extract(raw, '$.usage_count') END,
           CASE WHEN json_type(raw, '$.updated') NOT IN ('object', 'array')
                THEN json_extract(raw, '$.updated') END,
           raw, fingerprint, synced_at
    FROM custom_fields;

DROP TABLE custom_fields;
