-- How many buckets a fitness or wellness trend of this range would show at each grouping,
-- so the answer can pick a grouping that fits.
-- Parameters: $start, $end (DATE, inclusive); $fitness_only: count only days with a CTL (the
-- fitness trend), else every wellness day. Runs on `fitness` (wellness' fitness columns).
SELECT
    g.grain,
    count(DISTINCT bucket_of(id, g.grain)) AS buckets
FROM fitness
CROSS JOIN (VALUES ('day'), ('week'), ('month'), ('quarter'), ('year')) AS g (grain)
WHERE id BETWEEN $start AND $end
  AND (NOT $fitness_only OR ctl IS NOT NULL)
GROUP BY g.grain;
