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

DROP VIEW IF EXISTS workout_progress;
DROP VIEW IF EXISTS workout_activities;
-- planned workouts and the activities done for them, as Intervals.icu pairs them: either
-- names the other (paired_event_id, paired_activity_id), on any day
CREATE VIEW workout_activities AS
    SELECT e.id AS event_id,            -- events.id
           a.id AS activity_id          -- activities.id
    FROM events AS e
    JOIN activities AS a
      ON a.paired_event_id = e.id OR a.id = json_extract(e.raw, '$.paired_activity_id')
    WHERE +e.category = 'WORKOUT';  -- "+": a few plans asked by id are looked up by id

-- per planned workout done: its activities' sums and the share of the plan done
CREATE VIEW workout_progress AS
    SELECT w.event_id,                  -- events.id
           count(*) AS activities,      -- how many
           sum(a.moving_time) AS done_time_s,  -- s
           sum(a.training_load) AS done_load,  -- training load
           sum(a.distance) AS done_distance_m,  -- m
           iif(min(a.is_stub) = 1, NULL, iif(e.training_load > 0, total(a.training_load) / e.training_load, total(a.moving_time) / nullif(e.moving_time, 0))) AS done_share  -- of the planned load (else time); NULL: nothing to compare, or only stubs
    FROM workout_activities AS w
    JOIN events AS e ON e.id = w.event_id
    JOIN activities AS a ON a.id = w.activity_id
    GROUP BY w.event_id;

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
