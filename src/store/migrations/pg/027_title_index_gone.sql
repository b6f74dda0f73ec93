-- 027_title_index_gone.sql: the index models (title_fold, id) of 001_init.sql is read by no
-- query (../027_title_index_gone.sql); titles are searched through models_title_words and
-- the search vectors. (PostgreSQL)
DROP INDEX IF EXISTS models_title;
