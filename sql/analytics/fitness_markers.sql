-- Fitness markers over time: eFTP, CP, W', Pmax, weight and VO2max, as their last value per
-- bucket (week from Monday, month, quarter, year) and over the range, their first and last
-- value in the range, and the activities that set each new high.
-- Parameters: $start, $end (DATE, inclusive); $types: the activity types of the sport (its
-- family, sports.py), or NULL for all; $group_by: 'week' | 'month' | 'quarter' | 'year' |
-- 'none'.
-- Sources: each activity carries Intervals.icu's estimates as of it (icu_rolling_ftp = eFTP,
-- icu_rolling_cp, icu_rolling_w_prime, icu_rolling_p_max; icu_weight), wellness the per-sport
-- estimates of each day (sportInfo: eftp, wPrime, pMax), weight and VO2max. One source per
-- marker, so a series never jumps between them: the activities for eFTP, CP, W' and Pmax
-- (wellness's sportInfo when no activity in the range has them), wellness for weight and
-- VO2max (the activities' icu_weight when no wellness day has one).
-- A new high: an activity whose value is above every earlier one in the range (the first
-- value is where the range starts, not a high).
-- Rows: row_kind 'bucket' (per bucket; whole_range = 1: the range), 'high' (one per new high).
WITH acts AS (
    SELECT a.id, a.date, e.start_date_local AS stamp, e.name, e.rolling_ftp, e.rolling_cp,
           e.rolling_w_prime, e.rolling_p_max, e.weight
    FROM activities AS a
    JOIN activity_extras AS e ON e.id = a.id
    WHERE a.date BETWEEN $start AND $end
      AND ($types IS NULL OR list_contains($types, a.type))
),
info AS (
    SELECT date, strftime(date, '%Y-%m-%d') || 'T23:59:59' AS stamp, eftp, w_prime, p_max
    FROM sport_info
    WHERE date BETWEEN $start AND $end
      AND ($types IS NULL OR list_contains($types, type))
),
days AS (
    SELECT id AS date, strftime(id, '%Y-%m-%d') || 'T23:59:59' AS stamp, weight, vo2max
    FROM wellness
    WHERE id BETWEEN $start AND $end
),
points AS (
    SELECT marker, date, stamp, value, source, id, name
    FROM (
        SELECT 'eftp' AS marker, date, stamp, rolling_ftp AS value, 1 AS source, id, name FROM acts
        UNION ALL SELECT 'cp', date, stamp, rolling_cp, 1, id, name FROM acts
        UNION ALL SELECT 'w_prime', date, stamp, rolling_w_prime, 1, id, name FROM acts
        UNION ALL SELECT 'p_max', date, stamp, rolling_p_max, 1, id, name FROM acts
        UNION ALL SELECT 'eftp', date, stamp, eftp, 2, NULL, NULL FROM info
        UNION ALL SELECT 'w_prime', date, stamp, w_prime, 2, NULL, NULL FROM info
        UNION ALL SELECT 'p_max', date, stamp, p_max, 2, NULL, NULL FROM info
        UNION ALL SELECT 'weight', date, stamp, weight, 1, NULL, NULL FROM days
        UNION ALL SELECT 'weight', date, stamp, weight, 2, id, name FROM acts
        UNION ALL SELECT 'vo2max', date, stamp, vo2max, 1, NULL, NULL FROM days
    )
    WHERE value IS NOT NULL
    QUALIFY source = min(source) OVER (PARTITION BY marker)
),
bucketed AS (
    SELECT *, CASE WHEN $group_by = 'none' THEN NULL ELSE bucket_of(date, $group_by) END
                  AS bucket
    FROM points
),
per_bucket AS (
    SELECT
        bucket,
        grouping(bucket) AS whole_range,
        arg_max(value, (stamp, id)) FILTER (WHERE marker = 'eftp') AS eftp,
        arg_max(value, (stamp, id)) FILTER (WHERE marker = 'cp') AS cp,
        arg_max(value, (stamp, id)) FILTER (WHERE marker = 'w_prime') AS w_prime,
        arg_max(value, (stamp, id)) FILTER (WHERE marker = 'p_max') AS p_max,
        arg_max(value, (stamp, id)) FILTER (WHERE marker = 'weight') AS weight,
        arg_max(value, (stamp, id)) FILTER (WHERE marker = 'vo2max') AS vo2max,
        arg_min(value, (stamp, id)) FILTER (WHERE marker = 'eftp') AS first_eftp,
        arg_min(value, (stamp, id)) FILTER (WHERE marker = 'cp') AS first_cp,
        arg_min(value, (stamp, id)) FILTER (WHERE marker = 'w_prime') AS first_w_prime,
        arg_min(value, (stamp, id)) FILTER (WHERE marker = 'p_max') AS first_p_max,
        arg_min(value, (stamp, id)) FILTER (WHERE marker = 'weight') AS first_weight,
        arg_min(value, (stamp, id)) FILTER (WHERE marker = 'vo2max') AS first_vo2max,
        strftime(min(date), '%Y-%m-%d') AS first_day,
        strftime(max(date), '%Y-%m-%d') AS last_day
    FROM bucketed
    GROUP BY GROUPING SETS ((bucket), ())
    HAVING $group_by != 'none' OR grouping(bucket) = 1
),
highs AS (
    SELECT marker, date, value, id, name,
           max(value) OVER (PARTITION BY marker ORDER BY stamp, id
                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
    FROM points
    WHERE id IS NOT NULL AND marker IN ('eftp', 'cp', 'w_prime', 'p_max')
)
SELECT 'bucket' AS row_kind, bucket, whole_range, NULL AS marker, NULL AS value,
       NULL AS before, NULL AS id, NULL AS name, first_day, last_day, eftp, cp, w_prime,
       p_max, weight, vo2max, first_eftp, first_cp, first_w_prime, first_p_max, first_weight,
       first_vo2max
FROM per_bucket
UNION ALL
SELECT 'high', NULL, 1, marker, value, before, id, name, strftime(date, '%Y-%m-%d'), NULL,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM highs
WHERE value > before
ORDER BY row_kind, whole_range, bucket, marker, first_day, id;
