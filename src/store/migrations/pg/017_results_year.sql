-- 017_results_year.sql: the results report of one or two years reads that year's values
-- through this index (../017_results_year.sql; the same index on PostgreSQL). (PostgreSQL)
CREATE INDEX IF NOT EXISTS model_results_year ON model_results (year, model_id, indicator, value);
