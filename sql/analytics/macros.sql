-- Created once on the in-memory DuckDB connection the aggregates run on.
-- bucket_of(day, grain): the label of the bucket holding `day`, as the answers show it:
-- 'day' 2024-02-29, 'week' its Monday 2024-02-26, 'month' 2024-02, 'quarter' 2024-Q1,
-- 'year' 2024; NULL for any other grain. Labels sort in time order.
CREATE MACRO bucket_of(day, grain) AS CASE grain
    WHEN 'day' THEN strftime(day, '%Y-%m-%d')
    WHEN 'week' THEN strftime(date_trunc('week', day), '%Y-%m-%d')
    WHEN 'month' THEN strftime(day, '%Y-%m')
    WHEN 'quarter' THEN strftime(day, '%Y') || '-Q' || quarter(day)
    WHEN 'year' THEN strftime(day, '%Y')
END;
