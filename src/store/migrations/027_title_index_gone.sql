-- 027_title_index_gone.sql: the index models (title_fold, id) of 001_init.sql is read by no
-- query: lists sort by title_key (Vietnamese order), a title is searched through model_fts,
-- and an import finds a model without a key by its derived ext_key. It cost every model
-- written, and 43 MB and a second of an import of 1,000,000 models.
DROP INDEX IF EXISTS models_title;
