-- Schema version 7: per-activity best-effort curves (power, heart rate, pace).
-- The activities already mirrored have none yet: their curves_fingerprint is NULL, so the next
-- sync fetches the curves of every one of them (a year of activities per request and kind).

ALTER TABLE activities ADD COLUMN curves_fingerprint TEXT;
ALTER TABLE sync_runs ADD COLUMN curves_fetched INTEGER NOT NULL DEFAULT 0;
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
