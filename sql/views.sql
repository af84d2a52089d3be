-- Views over the store, recreated on every open (so a new release can change them freely).
DROP VIEW IF EXISTS fitness;
CREATE VIEW fitness AS
    SELECT id AS date, athlete_id, ctl, atl, form, ramp_rate, ctl_load, atl_load
    FROM wellness;

DROP VIEW IF EXISTS real_activities;
-- Activities with data: Strava stubs (which the API hides) left out.
CREATE VIEW real_activities AS
    SELECT * FROM activities WHERE is_stub = 0;

DROP VIEW IF EXISTS work_intervals;
CREATE VIEW work_intervals AS
    SELECT i.*, a.date, a.type AS activity_type
    FROM intervals AS i JOIN activities AS a ON a.id = i.activity_id
    WHERE i.type = 'WORK';
