-- Version 2: events.end_date, the last day an event covers (inclusive).
-- The API's end_date_local is exclusive: a one-day event on the 28th ends at midnight on the
-- 29th; an end at midnight means the day before, an end later in a day that day, no end the
-- start day (records.event_last_day applies the same rule to new rows).
ALTER TABLE events ADD COLUMN end_date TEXT;

UPDATE events SET end_date = CASE
    WHEN date IS NULL OR end_date_local IS NULL OR length(end_date_local) < 10 THEN date
    WHEN rtrim(substr(end_date_local, 12), '0:.') = ''
        THEN max(date, coalesce(date(substr(end_date_local, 1, 10), '-1 day'), date))
    ELSE max(date, substr(end_date_local, 1, 10))
END;
