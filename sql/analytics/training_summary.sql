-- Training summary: per bucket (week from Monday, month, quarter, year or sport) and per sport
-- in it. Parameters: $start, $end (DATE, inclusive); $group_by: 'week' | 'month' | 'quarter' |
-- 'year' | 'sport'; $types: the activity types of the sport asked for (its family, sports.py),
-- or NULL for all; $cells: also return the (bucket, sport) cells (false when the answer has no
-- room to show them). paced_time_s / paced_distance_m: time and distance of the activities
-- with both, whose ratio is the average pace of runs and swims (a treadmill run without a
-- distance would make it look slow).
-- Runs on DuckDB over the in-memory copy of `activities`. Strava stubs count as activities
-- (and as stubs); their missing fields add nothing to the sums and averages.
-- GROUPING SETS give the (bucket, sport) cells, the bucket totals, the sport totals and the
-- grand total in one pass; all_buckets / all_sports = 1 mark the total rows.
WITH picked AS (
    SELECT
        CASE $group_by
            WHEN 'sport' THEN coalesce(type, 'Unknown')
            ELSE bucket_of(date, $group_by)
        END AS bucket,
        coalesce(type, 'Unknown') AS sport,
        is_stub,
        moving_time,
        distance,
        elevation_gain,
        training_load,
        intensity
    FROM activities
    WHERE date BETWEEN $start AND $end
      AND ($types IS NULL OR list_contains($types, type))
)
SELECT
    bucket,
    sport,
    grouping(bucket) AS all_buckets,
    grouping(sport) AS all_sports,
    count(*) AS activities,
    count(*) FILTER (WHERE is_stub = 1) AS stubs,
    sum(moving_time) AS moving_time_s,
    sum(distance) AS distance_m,
    sum(moving_time) FILTER (WHERE distance > 0 AND moving_time > 0) AS paced_time_s,
    sum(distance) FILTER (WHERE distance > 0 AND moving_time > 0) AS paced_distance_m,
    sum(elevation_gain) AS elevation_m,
    sum(training_load) AS training_load,
    avg(intensity) AS avg_intensity
FROM picked
GROUP BY GROUPING SETS ((bucket, sport), (bucket), (sport), ())
HAVING $cells OR grouping(bucket) = 1 OR grouping(sport) = 1
ORDER BY all_buckets, bucket, all_sports, sport;
