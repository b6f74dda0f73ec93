-- 026_results_year_gone.sql: the index of 017_results_year.sql served the country's results
-- report of one or two years; that report reads result_tally now (025_result_tally.sql),
-- and a subtree's report reads its models' values by model. Nothing else reads values by
-- year first: the index only cost every value written.
DROP INDEX IF EXISTS model_results_year;
