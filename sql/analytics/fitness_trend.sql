-- Fitness (CTL), fatigue (ATL), form (CTL - ATL) and ramp rate from `wellness`, per day or week.
-- Parameters: $start, $end (DATE, inclusive); $group_by: 'day' | 'week' (weeks from Monday).
-- CTL and ATL are states, not amounts, so a week shows the values of its last day with data
-- (arg_max_null keeps that day's value even when it is NULL); first_ctl is the CTL of its first
-- day; min_form, max_ctl and negative_form_days describe every day of the bucket.
WITH days AS (
    SELECT
        id AS day,
        CASE $group_by WHEN 'week' THEN date_trunc('week', id) ELSE id END AS bucket,
        ctl,
        atl,
        form,
        ramp_rate
    FROM wellness
    WHERE id BETWEEN $start AND $end
      AND ctl IS NOT NULL
)
SELECT
    strftime(bucket, '%Y-%m-%d') AS bucket,
    strftime(min(day), '%Y-%m-%d') AS first_day,
    strftime(max(day), '%Y-%m-%d') AS last_day,
    count(*) AS days,
    arg_max_null(ctl, day) AS ctl,
    arg_max_null(atl, day) AS atl,
    arg_max_null(form, day) AS form,
    arg_max_null(ramp_rate, day) AS ramp_rate,
    arg_min_null(ctl, day) AS first_ctl,
    min(form) AS min_form,
    max(ctl) AS max_ctl,
    count(*) FILTER (WHERE form < 0) AS negative_form_days
FROM days
GROUP BY bucket
ORDER BY bucket;
