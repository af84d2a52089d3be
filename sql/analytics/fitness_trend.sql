-- Fitness (CTL), fatigue (ATL), form (CTL - ATL) and ramp rate per day, week, month, quarter or
-- year. Parameters: $start, $end (DATE, inclusive); $group_by: 'day' | 'week' | 'month' |
-- 'quarter' | 'year' (weeks from Monday). Runs on `fitness` (wellness' fitness columns).
-- CTL and ATL are states, not amounts, so a bucket shows the values of its last day with data
-- (arg_max_null keeps that day's value even when it is NULL); first_ctl is the CTL of its first
-- day; min_form, max_ctl and negative_form_days describe every day of the bucket, and
-- max_ctl_day / min_form_day name the day of each (ties: the latest day).
WITH days AS (
    SELECT
        id AS day,
        bucket_of(id, $group_by) AS bucket,
        ctl,
        atl,
        form,
        ramp_rate
    FROM fitness
    WHERE id BETWEEN $start AND $end
      AND ctl IS NOT NULL
)
SELECT
    bucket,
    strftime(min(day), '%Y-%m-%d') AS first_day,
    strftime(max(day), '%Y-%m-%d') AS last_day,
    count(*) AS days,
    arg_max_null(ctl, day) AS ctl,
    arg_max_null(atl, day) AS atl,
    arg_max_null(form, day) AS form,
    arg_max_null(ramp_rate, day) AS ramp_rate,
    arg_min_null(ctl, day) AS first_ctl,
    min(form) AS min_form,
    strftime(arg_min(day, (form, -epoch(day))) FILTER (WHERE form IS NOT NULL), '%Y-%m-%d')
        AS min_form_day,
    max(ctl) AS max_ctl,
    strftime(arg_max(day, (ctl, day)), '%Y-%m-%d') AS max_ctl_day,
    count(*) FILTER (WHERE form < 0) AS negative_form_days
FROM days
GROUP BY bucket
ORDER BY bucket;
