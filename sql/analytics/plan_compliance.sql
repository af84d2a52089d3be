-- Planned vs done: each planned workout (a WORKOUT event) with the activities done for it,
-- and per week (from Monday) and over the range the planned and the done load and time.
-- Parameters: $start, $end (DATE, inclusive: the plans' days); $today (DATE: plans before it
-- that nothing was done for are missed, from it on still ahead); $partly (DOUBLE: a plan whose
-- activities reach less than this share of its planned load, or of its planned time when it
-- has no load, is partly done); $group_by: 'week' | 'month' | 'quarter' | 'year'.
-- An activity is done for a plan when either names the other (the activity's paired_event_id,
-- the event's paired_activity_id); a plan may have several. Activities in the range paired
-- with no plan at all are "unplanned". TARGET events give each bucket its load and time
-- targets. Strava stubs have no data and are left out.
-- Rows: row_kind 'plan' (one per planned workout, with its status and what was done) and
-- 'bucket' (per bucket; whole_range = 1 for the range).
WITH workouts AS (
    SELECT id, date, type, name, moving_time, distance, training_load, paired_activity_id
    FROM plans
    WHERE category = 'WORKOUT'
),
pairs AS (
    SELECT w.id AS plan_id, e.id AS activity_id
    FROM workouts AS w
    JOIN activity_extras AS e ON e.paired_event_id = w.id
    UNION
    SELECT w.id, w.paired_activity_id
    FROM workouts AS w
    JOIN activity_extras AS e ON e.id = w.paired_activity_id
),
done AS (
    SELECT
        p.plan_id,
        count(*) AS done_activities,
        sum(a.moving_time) AS done_time_s,
        sum(a.training_load) AS done_load,
        sum(a.distance) AS done_distance_m,
        list(struct_pack(id := a.id, name := e.name, type := a.type,
                         moving_time := a.moving_time, training_load := a.training_load,
                         compliance := e.compliance) ORDER BY e.start_date_local, a.id)
            AS done_as
    FROM pairs AS p
    JOIN activities AS a ON a.id = p.activity_id
    JOIN activity_extras AS e ON e.id = a.id
    GROUP BY p.plan_id
),
judged AS (
    SELECT
        w.*,
        d.done_activities, d.done_time_s, d.done_load, d.done_distance_m, d.done_as,
        CASE
            WHEN w.training_load > 0 THEN coalesce(d.done_load, 0) / w.training_load
            WHEN w.moving_time > 0 THEN coalesce(d.done_time_s, 0) / w.moving_time
        END AS done_share,
        bucket_of(w.date, $group_by) AS bucket
    FROM workouts AS w
    LEFT JOIN done AS d ON d.plan_id = w.id
    WHERE w.date BETWEEN $start AND $end
),
planned AS (
    SELECT
        *,
        CASE
            WHEN done_activities IS NULL AND date < $today THEN 'missed'
            WHEN done_activities IS NULL THEN 'ahead'
            WHEN done_share < $partly THEN 'partly done'
            ELSE 'done'
        END AS status
    FROM judged
),
unplanned AS (
    SELECT bucket_of(a.date, $group_by) AS bucket, a.moving_time, a.training_load
    FROM activities AS a
    WHERE a.date BETWEEN $start AND $end
      AND a.is_stub = 0
      AND a.id NOT IN (SELECT activity_id FROM pairs)
),
targets AS (
    SELECT bucket_of(date, $group_by) AS bucket, load_target, time_target, distance_target
    FROM plans
    WHERE category = 'TARGET' AND date BETWEEN $start AND $end
),
facts AS (
    SELECT bucket, 1 AS plans, status, training_load AS planned_load,
           moving_time AS planned_time_s, done_load, done_time_s, NULL AS unplanned,
           NULL AS unplanned_load, NULL AS unplanned_time_s, NULL AS load_target,
           NULL AS time_target
    FROM planned
    UNION ALL
    SELECT bucket, 0, NULL, NULL, NULL, NULL, NULL, 1, training_load, moving_time, NULL, NULL
    FROM unplanned
    UNION ALL
    SELECT bucket, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, load_target, time_target
    FROM targets
)
SELECT
    'plan' AS row_kind, bucket, 0 AS whole_range, id, strftime(date, '%Y-%m-%d') AS date,
    type, name, status, training_load AS planned_load, moving_time AS planned_time_s,
    distance AS planned_distance_m, done_load, done_time_s, done_distance_m, done_share,
    done_as, NULL AS plans, NULL AS done, NULL AS partly, NULL AS missed, NULL AS ahead,
    NULL AS unplanned, NULL AS unplanned_load, NULL AS unplanned_time_s, NULL AS load_target,
    NULL AS time_target
FROM planned
UNION ALL
SELECT
    'bucket', bucket, grouping(bucket), NULL, NULL, NULL, NULL, NULL, sum(planned_load),
    sum(planned_time_s), NULL, sum(done_load), sum(done_time_s), NULL, NULL, NULL,
    sum(plans), count(*) FILTER (WHERE status = 'done'),
    count(*) FILTER (WHERE status = 'partly done'), count(*) FILTER (WHERE status = 'missed'),
    count(*) FILTER (WHERE status = 'ahead'), sum(unplanned), sum(unplanned_load),
    sum(unplanned_time_s), sum(load_target), sum(time_target)
FROM facts
GROUP BY GROUPING SETS ((bucket), ())
ORDER BY row_kind DESC, whole_range, bucket, date, id;
