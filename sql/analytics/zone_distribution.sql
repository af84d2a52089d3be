-- Time in zones per bucket (week from Monday, month, quarter, year) and over the whole range,
-- from the seconds Intervals.icu counted per zone on each activity, and the polarization a
-- coach reads from it.
-- Parameters: $start, $end (DATE, inclusive); $types: the activity types of the sport asked
-- for (its family, sports.py), or NULL for all; $kind: 'power' | 'hr' | 'pace' | 'gap' (which
-- of the activity's zone times); $group_by: 'week' | 'month' | 'quarter' | 'year' | 'none';
-- $low: the zones below the first threshold are Z1..Z$low; $high: those from Z$high up are
-- above the second threshold (the rest lie between).
-- Zone times are JSON: power's [{"id": "Z1", "secs": 310}, ..., {"id": "SS", "secs": 95}]
-- (SS, sweet spot, overlaps Z3-Z4: it has no number and counts in no total), the others
-- [310, 1200, ...] by zone number. An activity without them (no power meter, no HR strap)
-- counts in `activities` but not in `with_times` nor in any zone.
-- Rows: row_kind 'zone' (per bucket and zone; whole_range = 1 for the range), 'total' (per
-- bucket and for the range: activities, with_times, moving time, seconds below, between and
-- above the thresholds), 'type' (the activity types with zone times, and how many).
WITH picked AS (
    SELECT
        a.id,
        a.type,
        a.moving_time,
        CASE WHEN $group_by = 'none' THEN NULL ELSE bucket_of(a.date, $group_by) END AS bucket,
        CASE $kind
            WHEN 'power' THEN e.power_zone_times
            WHEN 'hr' THEN e.hr_zone_times
            WHEN 'pace' THEN e.pace_zone_times
            WHEN 'gap' THEN e.gap_zone_times
        END AS times
    FROM activities AS a
    JOIN activity_extras AS e ON e.id = a.id
    WHERE a.date BETWEEN $start AND $end
      AND ($types IS NULL OR list_contains($types, a.type))
),
entries AS (
    SELECT id, bucket, unnest(items) AS item, generate_subscripts(items, 1) AS n
    FROM (SELECT id, bucket, from_json(times, '["JSON"]') AS items
          FROM picked
          WHERE json_type(times) = 'ARRAY')
),
zones AS (
    SELECT
        id,
        bucket,
        zone,
        TRY_CAST(regexp_extract(zone, '^Z(\d+)$', 1) AS INTEGER) AS number,
        secs
    FROM (SELECT id, bucket, coalesce(item ->> 'id', 'Z' || n) AS zone,
                 coalesce(TRY_CAST(item ->> 'secs' AS DOUBLE), TRY_CAST(item AS DOUBLE), 0)
                     AS secs
          FROM entries)
),
per_activity AS (
    SELECT
        id,
        sum(secs) FILTER (WHERE number <= $low) AS below_s,
        sum(secs) FILTER (WHERE number > $low AND number < $high) AS between_s,
        sum(secs) FILTER (WHERE number >= $high) AS above_s
    FROM zones
    GROUP BY id
)
SELECT
    'zone' AS row_kind, bucket, grouping(bucket) AS whole_range, zone, min(number) AS number,
    sum(secs) AS secs, NULL AS activities, NULL AS with_times, NULL AS moving_time_s,
    NULL AS below_s, NULL AS between_s, NULL AS above_s
FROM zones
GROUP BY GROUPING SETS ((bucket, zone), (zone))
HAVING $group_by != 'none' OR grouping(bucket) = 1
UNION ALL
SELECT
    'total', p.bucket, grouping(p.bucket), NULL, NULL, NULL, count(*), count(z.id),
    sum(p.moving_time), sum(z.below_s), sum(z.between_s), sum(z.above_s)
FROM picked AS p
LEFT JOIN per_activity AS z ON z.id = p.id
GROUP BY GROUPING SETS ((p.bucket), ())
HAVING $group_by != 'none' OR grouping(p.bucket) = 1
UNION ALL
SELECT 'type', NULL, 1, p.type, NULL, NULL, count(*), NULL, NULL, NULL, NULL, NULL
FROM picked AS p
WHERE p.id IN (SELECT id FROM per_activity)
GROUP BY p.type
ORDER BY row_kind, whole_range, bucket, number NULLS LAST, zone;
