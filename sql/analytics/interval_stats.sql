-- Work intervals by duration band: how many, time spent in them, best and average power and
-- heart rate, and which activity holds the best power.
-- Parameters: $start, $end (DATE, inclusive; the activity's local day); $types: the activity
-- types of the sport asked for (its family, sports.py), or NULL for all.
-- A band holds intervals with lo <= elapsed_time < hi (seconds). Intervals without power or
-- heart rate count in `intervals` and `time_s` but not in the power or HR figures.
-- all_bands = 1 marks the total over every band. A tie for the best goes to the earliest
-- activity to reach it (its start, then its id), as a record book keeps the first.
-- Pace (for runs and swims): paced_time_s / paced_distance_m over the intervals with both is
-- the average; best_speed the fastest interval (m/s) and where. GAP (grade-adjusted speed,
-- runs only): its time-weighted average and best.
WITH bands (band, position, lo, hi) AS (
    VALUES ('under 1 min', 1, 0, 60),
           ('1-5 min', 2, 60, 300),
           ('5-10 min', 3, 300, 600),
           ('10-20 min', 4, 600, 1200),
           ('20-40 min', 5, 1200, 2400),
           ('40 min or more', 6, 2400, NULL)
),
work AS (
    SELECT i.activity_id, a.date, a.start_date_local, i.elapsed_time, i.average_watts,
           i.average_heartrate, i.moving_time, i.distance, i.average_speed, i.gap
    FROM intervals AS i
    JOIN activities AS a ON a.id = i.activity_id
    WHERE i.type = 'WORK'
      AND a.date BETWEEN $start AND $end
      AND ($types IS NULL OR list_contains($types, a.type))
),
banded AS (
    SELECT w.*, coalesce(b.band, 'unknown length') AS band, coalesce(b.position, 7) AS position
    FROM work AS w
    LEFT JOIN bands AS b
      ON w.elapsed_time >= b.lo AND (b.hi IS NULL OR w.elapsed_time < b.hi)
)
SELECT
    band,
    min(position) AS position,
    grouping(band) AS all_bands,
    count(*) AS intervals,
    count(DISTINCT activity_id) AS activities,
    sum(elapsed_time) AS time_s,
    count(average_watts) AS with_power,
    max(average_watts) AS best_watts,
    arg_min(struct_pack(activity_id, day := strftime(date, '%Y-%m-%d')),
            (-average_watts, start_date_local, activity_id))
        FILTER (WHERE average_watts IS NOT NULL) AS best_watts_at,
    avg(average_watts) AS avg_watts,
    count(average_heartrate) AS with_hr,
    max(average_heartrate) AS best_hr,
    arg_min(struct_pack(activity_id, day := strftime(date, '%Y-%m-%d')),
            (-average_heartrate, start_date_local, activity_id))
        FILTER (WHERE average_heartrate IS NOT NULL) AS best_hr_at,
    avg(average_heartrate) AS avg_hr,
    sum(moving_time) FILTER (WHERE distance > 0 AND moving_time > 0) AS paced_time_s,
    sum(distance) FILTER (WHERE distance > 0 AND moving_time > 0) AS paced_distance_m,
    max(average_speed) AS best_speed,
    arg_min(struct_pack(activity_id, day := strftime(date, '%Y-%m-%d')),
            (-average_speed, start_date_local, activity_id))
        FILTER (WHERE average_speed IS NOT NULL) AS best_speed_at,
    sum(gap * moving_time) FILTER (WHERE gap > 0 AND moving_time > 0)
        / sum(moving_time) FILTER (WHERE gap > 0 AND moving_time > 0) AS avg_gap,
    max(gap) FILTER (WHERE gap > 0) AS best_gap
FROM banded
GROUP BY GROUPING SETS ((band), ())
ORDER BY all_bands, position;
