-- 020_search_words.sql: indexes that the search's queries use. (PostgreSQL)
-- 011 indexed search_fold and public_fold themselves, but the search asks whether a query
-- word begins a word of the text with a space before it, and of the model's code as words
-- (PG_SEARCH_TEXT and PG_PUBLIC_TEXT in ../../pg_int.h): PostgreSQL uses an index on an
-- expression only for that very expression, so every search read every model. Asked as
-- `LIKE '% word%'` (store_pg.c) on these expressions, a trigram index finds the rows that
-- hold the word's trigrams (its start among them), and only those are read and checked.
DROP INDEX models_search_trgm;
DROP INDEX models_public_trgm;
CREATE INDEX models_search_words ON models USING gin ((' ' || search_fold || ' ' || lower(replace(code, '-', ' '))) gin_trgm_ops);
CREATE INDEX models_public_words ON models USING gin ((' ' || public_fold) gin_trgm_ops);
-- and the title's, for the models whose title holds every word (listed first)
CREATE INDEX models_title_words ON models USING gin ((' ' || title_fold) gin_trgm_ops);
-- The order of a search by date is the key of its cursor, day << 40 | id (KEY_SQL in
-- ../../store_pg_search.c, the same expression): walked newest first, a common word's first
-- page is its first few matching rows instead of a sort of all of them.
CREATE INDEX models_search_key ON models (((CASE WHEN registered_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
    (CAST(substr(registered_on, 1, 4) AS BIGINT) * 372 + CAST(substr(registered_on, 6, 2) AS BIGINT)
    * 31 + CAST(substr(registered_on, 9, 2) AS BIGINT)) ELSE 0 END << 40) | id));
-- The planner weighs the two by how many rows hold the words: statistics of the new
-- expressions (autovacuum gathers them only after enough rows change).
ANALYZE models;
