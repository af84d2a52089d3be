-- Version 5: activity streams and messages (comments), kept once fetched, what was fetched
-- when, and the count of activities whose streams a sync run stored.

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

ALTER TABLE sync_runs ADD COLUMN streams_fetched INTEGER NOT NULL DEFAULT 0;
