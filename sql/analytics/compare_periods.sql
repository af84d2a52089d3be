-- Two periods' training side by side: totals per period and per sport within each period.
-- Parameters: $a_start, $a_end, $b_start, $b_end (DATE, inclusive; the periods may overlap);
-- $types: the activity types of the sport asked for (its family, sports.py), or NULL for all.
-- The same measures as training_summary.sql, so the two tools always agree (paced_time_s /
-- paced_distance_m: the average pace of runs and swims, from the activities with both); the
-- differences (A - B) are worked out by the caller from these rows. all_sports = 1 marks a
-- period total.
WITH picked AS (
    SELECT 'a' AS period, coalesce(type, 'Unknown') AS sport, is_stub, moving_time, distance,
           elevation_gain, training_load, intensity
    FROM activities
    WHERE date BETWEEN $a_start AND $a_end
      AND ($types IS NULL OR list_contains($types, type))
    UNION ALL
    SELECT 'b' AS period, coalesce(type, 'Unknown') AS sport, is_stub, moving_time, distance,
           elevation_gain, training_load, intensity
    FROM activities
    WHERE date BETWEEN $b_start AND $b_end
      AND ($types IS NULL OR list_contains($types, type))
)
SELECT
    period,
    sport,
    grouping(sport) AS all_sports,
    count(*) AS activities,
    count(*) FILTER (WHERE is_stub = 1) AS stubs,
    sum(moving_time) AS moving_time_s,
    sum(distance) AS distance_m,
    sum(elevation_gain) AS elevation_m,
    sum(training_load) AS training_load,
    avg(intensity) AS avg_intensity,
    sum(moving_time) FILTER (WHERE distance > 0 AND moving_time > 0) AS paced_time_s,
    sum(distance) FILTER (WHERE distance > 0 AND moving_time > 0) AS paced_distance_m
FROM picked
GROUP BY GROUPING SETS ((period, sport), (period))
ORDER BY period, all_sports, sport;
