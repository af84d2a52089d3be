-- Views over the store, recreated on every open (so a new release can change them freely).
-- describe_schema reads this file: the comment above a view describes it; a column keeps
-- the comment of the table column it comes from (schema.sql) unless it has its own here,
-- and a comment line "-- column: meaning" under an `alias.*` gives one of those columns its
-- meaning in the view.

DROP VIEW IF EXISTS fitness;
-- wellness reduced to the fitness columns, one row per day
CREATE VIEW fitness AS
    SELECT id AS date,                  -- local day YYYY-MM-DD (wellness.id)
           athlete_id,
           ctl,
           atl,
           form,
           ramp_rate,
           ctl_load,
           atl_load
    FROM wellness;

DROP VIEW IF EXISTS real_activities;
-- activities with data: the Strava stubs (which the API hides) left out
CREATE VIEW real_activities AS
    SELECT *                            -- every column of activities
           -- is_stub: always 0 (the stubs are left out)
    FROM activities WHERE is_stub = 0;

DROP VIEW IF EXISTS work_intervals;
-- the WORK intervals, each with its activity's day and sport
CREATE VIEW work_intervals AS
    SELECT i.*,                         -- every column of intervals
           -- type: always WORK (the view keeps the work intervals only)
           a.date,                      -- the activity's local day YYYY-MM-DD
           a.type AS activity_type      -- the activity's sport: Ride, Run, Swim, ...
    FROM intervals AS i JOIN activities AS a ON a.id = i.activity_id
    WHERE i.type = 'WORK';

DROP VIEW IF EXISTS custom_fields;
-- the custom items with the columns releases before custom_items stored (every type, as then)
CREATE VIEW custom_fields AS
    SELECT id,                          -- the custom item's id
           athlete_id,
           type AS item_type,           -- INPUT_FIELD (wellness), ACTIVITY_FIELD, INTERVAL_FIELD, or a chart
           code,
           name,
           field_type,
           aggregate,
           raw,
           fingerprint,
           synced_at
    FROM custom_items;

DROP VIEW IF EXISTS power_curve;
-- each activity's best power per duration (its power curve), with W/kg and its sport
CREATE VIEW power_curve AS
    SELECT p.activity_id,
           p.date,
           a.type AS activity_type,     -- the activity's sport: Ride, VirtualRide, ...
           p.secs_or_distance AS secs,  -- the duration, s
           p.value AS watts,            -- the best average power held that long, W
           round(p.value / c.weight, 2) AS watts_per_kg,  -- W/kg with that activity's weight
           c.weight                     -- kg, the athlete's weight for that activity
    FROM curve_points AS p
    JOIN activities AS a ON a.id = p.activity_id
    LEFT JOIN activity_curves AS c ON c.id = p.activity_id || ':power'
    WHERE p.kind = 'power';

DROP VIEW IF EXISTS hr_curve;
-- each activity's best heart rate per duration, with its sport
CREATE VIEW hr_curve AS
    SELECT p.activity_id,
           p.date,
           a.type AS activity_type,     -- the activity's sport: Ride, Run, ...
           p.secs_or_distance AS secs,  -- the duration, s
           p.value AS bpm               -- the highest average heart rate held that long, bpm
    FROM curve_points AS p
    JOIN activities AS a ON a.id = p.activity_id
    WHERE p.kind = 'hr';

DROP VIEW IF EXISTS pace_curve;
-- each activity's best time per distance, with its speed and sport
CREATE VIEW pace_curve AS
    SELECT p.activity_id,
           p.date,
           a.type AS activity_type,     -- the activity's sport: Run, Swim, ...
           p.secs_or_distance AS distance,  -- the distance, m
           p.value AS secs,             -- the fastest time over that distance, s
           round(p.secs_or_distance / p.value, 3) AS speed  -- m/s over it (pace = 1000 / speed s/km)
    FROM curve_points AS p
    JOIN activities AS a ON a.id = p.activity_id
    WHERE p.kind = 'pace';
