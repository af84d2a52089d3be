-- Version 8: an index on the activity's side of the pairing of planned workouts and
-- activities (the workout_activities view: an activity names its plan in paired_event_id),
-- so get_events finds what was done for the plans it lists, on any day, in an index lookup.
CREATE INDEX IF NOT EXISTS activities_paired_event ON activities (paired_event_id);
