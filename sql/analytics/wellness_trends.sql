-- Wellness fields per week, month, quarter or year and over the whole range: count, average,
-- min, max and the linear trend (least-squares slope of the daily values, per week).
-- Parameters: $start, $end (DATE, inclusive); $group_by: 'week' | 'month' | 'quarter' | 'year'
-- (any other value: the whole range only, every bucket NULL);
-- $fields: VARCHAR[] of wellness columns and numeric custom field codes.
-- `wellness` is copied with every numeric column as DOUBLE, so UNPIVOT turns it into
-- (day, field, value) rows; UNPIVOT drops NULLs, so each field counts only the days it has.
-- `wellness_custom` is copied with its numeric values only (text fields are left out).
WITH standard AS (
    UNPIVOT (
        SELECT *
        FROM wellness
        WHERE id BETWEEN $start AND $end
    )
    ON COLUMNS(* EXCLUDE (id))
    INTO NAME field VALUE value
),
custom AS (
    SELECT date AS id, field, value
    FROM wellness_custom
    WHERE date BETWEEN $start AND $end
),
picked AS (
    SELECT
        field,
        id AS day,
        value,
        bucket_of(id, $group_by) AS bucket
    FROM (SELECT * FROM standard UNION ALL SELECT * FROM custom)
    WHERE list_contains($fields, field)
)
SELECT
    field,
    bucket,
    grouping(bucket) AS whole_range,
    count(value) AS n,
    avg(value) AS avg,
    min(value) AS min,
    max(value) AS max,
    regr_slope(value, date_diff('day', DATE '1970-01-01', day)) * 7 AS slope_per_week,
    strftime(min(day), '%Y-%m-%d') AS first_day,
    strftime(max(day), '%Y-%m-%d') AS last_day
FROM picked
GROUP BY GROUPING SETS ((field, bucket), (field))
ORDER BY field, whole_range, bucket;
