-- How many buckets a training summary of this range would show at each grouping, and how
-- many (bucket, sport) cells inside them, so the answer can pick a grouping that fits.
-- Parameters: $start, $end (DATE, inclusive); $types: the activity types of the sport
-- asked for (its family, sports.py), or NULL for all.
-- Only buckets holding an activity count (the summary shows no empty ones).
WITH picked AS (
    SELECT date, coalesce(type, 'Unknown') AS sport
    FROM activities
    WHERE date BETWEEN $start AND $end
      AND ($types IS NULL OR list_contains($types, type))
)
SELECT
    g.grain,
    count(DISTINCT CASE g.grain WHEN 'sport' THEN sport ELSE bucket_of(date, g.grain) END)
        AS buckets,
    count(DISTINCT (bucket_of(date, g.grain), sport)) AS cells
FROM picked
CROSS JOIN (VALUES ('week'), ('month'), ('quarter'), ('year'), ('sport')) AS g (grain)
GROUP BY g.grain;
