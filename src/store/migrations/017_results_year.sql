-- 017_results_year.sql: the results report of one or two years (the dashboard asks for the
-- current one) reads that year's values through this index and each model by its id,
-- instead of every model of the country and then its values: 8.9 s to find that the
-- current year has no values yet, on the bench's million models (store_sqlite_report.c,
-- s_report_results, uses it for a period of one or two years).
CREATE INDEX IF NOT EXISTS model_results_year ON model_results (year, model_id, indicator, value);
