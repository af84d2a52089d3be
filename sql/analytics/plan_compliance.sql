-- Planned vs done: each planned workout (a WORKOUT event) with the activities done for it,
-- and per week (from Monday) and over the range the planned and the done load and time.
-- Parameters: $start, $end (DATE, inclusive: the plans' days); $today (DATE: plans before it
-- that nothing was done for are missed, from it on still ahead); $partly (DOUBLE: a plan whose
-- done_share is under it is partly done); $group_by: 'week' | 'month' | 'quarter' | 'year'.
-- What was done for a plan and its done_share come from the store's views
-- workout_activities and workout_progress (get_events reads them too): an activity is done
-- for a plan when either names the other, on any day; a plan may have several. Real
-- activities in the range done for no plan at all are "unplanned". TARGET events give each
-- bucket its load and time targets, and its distance target per sport.
-- Rows: row_kind 'plan' (one per planned workout, with its status and what was done) and
-- 'bucket' (per bucket; whole_range = 1 for the range).
WITH workouts AS (
    SELECT id, date, type, name, moving_time, distance, training_load
    FROM plans
    WHERE category = 'WORKOUT'
),
done_as AS (
    SELECT
        w.event_id AS plan_id,
        list(struct_pack(id := w.activity_id, name := e.name, type := a.type,
                         moving_time := a.moving_time, training_load := a.training_load,
                         compliance := e.compliance, is_stub := a.is_stub)
             ORDER BY a.start_date_local, a.id)
            AS done_as
    FROM workout_activities AS w
    JOIN activities AS a ON a.id = w.activity_id
    LEFT JOIN activity_extras AS e ON e.id = w.activity_id
    GROUP BY w.event_id
),
judged AS (
    SELECT
        w.*,
        g.activities AS done_activities, g.done_time_s, g.done_load, g.done_distance_m,
        g.done_share, d.done_as,
        bucket_of(w.date, $group_by) AS bucket
    FROM workouts AS w
    LEFT JOIN workout_progress AS g ON g.event_id = w.id
    LEFT JOIN done_as AS d ON d.plan_id = w.id
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
      AND a.id NOT IN (SELECT activity_id FROM workout_activities)
),
targets AS (
    SELECT bucket_of(date, $group_by) AS bucket, type, load_target, time_target,
           distance_target
    FROM plans
    WHERE category = 'TARGET' AND date BETWEEN $start AND $end
),
-- Distance targets per sport (a run's kilometres do not add to a ride's), per bucket and,
-- with bucket NULL, over the range.
distance_targets AS (
    SELECT bucket, list(struct_pack(type := type, metres := metres) ORDER BY type)
               AS distance_targets
    FROM (
        SELECT bucket, type, sum(distance_target) AS metres
        FROM targets
        WHERE distance_target > 0
        GROUP BY GROUPING SETS ((bucket, type), (type))
    )
    GROUP BY bucket
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
),
buckets AS (
    SELECT
        bucket, grouping(bucket) AS whole_range, sum(planned_load) AS planned_load,
        sum(planned_time_s) AS planned_time_s, sum(done_load) AS done_load,
        sum(done_time_s) AS done_time_s, sum(plans) AS plans,
        count(*) FILTER (WHERE status = 'done') AS done,
        count(*) FILTER (WHERE status = 'partly done') AS partly,
        count(*) FILTER (WHERE status = 'missed') AS missed,
        count(*) FILTER (WHERE status = 'ahead') AS ahead, sum(unplanned) AS unplanned,
        sum(unplanned_load) AS unplanned_load, sum(unplanned_time_s) AS unplanned_time_s,
        sum(load_target) AS load_target, sum(time_target) AS time_target
    FROM facts
    GROUP BY GROUPING SETS ((bucket), ())
)
SELECT
    'plan' AS row_kind, bucket, 0 AS whole_range, id, strftime(date, '%Y-%m-%d') AS date,
    type, name, status, training_load AS planned_load, moving_time AS planned_time_s,
    distance AS planned_distance_m, done_load, done_time_s, done_distance_m, done_share,
    done_as, NULL AS plans, NULL AS done, NULL AS partly, NULL AS missed, NULL AS ahead,
    NULL AS unplanned, NULL AS unplanned_load, NULL AS unplanned_time_s, NULL AS load_target,
    NULL AS time_target, NULL AS distance_targets
FROM planned
UNION ALL
SELECT
    'bucket', b.bucket, b.whole_range, NULL, NULL, NULL, NULL, NULL, b.planned_load,
    b.planned_time_s, NULL, b.done_load, b.done_time_s, NULL, NULL, NULL, b.plans, b.done,
    b.partly, b.missed, b.ahead, b.unplanned, b.unplanned_load, b.unplanned_time_s,
    b.load_target, b.time_target, d.distance_targets
FROM buckets AS b
LEFT JOIN distance_targets AS d ON d.bucket IS NOT DISTINCT FROM b.bucket
ORDER BY row_kind DESC, whole_range, bucket, date, id;
