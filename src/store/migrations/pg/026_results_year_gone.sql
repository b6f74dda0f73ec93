-- 026_results_year_gone.sql: the index of 017_results_year.sql is read by nothing since the
-- country's results come from result_tally (../026_results_year_gone.sql). (PostgreSQL)
DROP INDEX IF EXISTS model_results_year;
