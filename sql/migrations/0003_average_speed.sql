-- Version 3: average_speed filled where the API leaves it null, as records.average_speed does
-- for new rows: real swims have average_speed null and their speed (m/s) in pace; otherwise
-- distance / moving time.
UPDATE activities SET average_speed = CASE
    WHEN typeof(json_extract(raw, '$.pace')) IN ('integer', 'real')
         AND json_extract(raw, '$.pace') > 0 THEN json_extract(raw, '$.pace')
    WHEN typeof(distance) IN ('integer', 'real') AND typeof(moving_time) IN ('integer', 'real')
         AND distance > 0 AND moving_time > 0 THEN distance * 1.0 / moving_time
END
WHERE average_speed IS NULL;

UPDATE intervals SET average_speed = CASE
    WHEN typeof(json_extract(raw, '$.pace')) IN ('integer', 'real')
         AND json_extract(raw, '$.pace') > 0 THEN json_extract(raw, '$.pace')
    WHEN typeof(distance) IN ('integer', 'real') AND typeof(moving_time) IN ('integer', 'real')
         AND distance > 0 AND moving_time > 0 THEN distance * 1.0 / moving_time
END
WHERE average_speed IS NULL;
