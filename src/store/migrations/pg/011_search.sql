-- 011_search.sql: full-text search (issue 5). (PostgreSQL)
-- SQLite keeps an FTS5 index (model_fts, search_words; ../011_search.sql). PostgreSQL reads
-- the folded texts that models already carry (search_fold, public_fold, title_fold): a query
-- word matches the words it begins (store_pg_search.c), as FTS5's prefix queries do. A
-- trigram index lets a word's LIKE skip the rows that cannot hold it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX models_search_trgm ON models USING gin (search_fold gin_trgm_ops);
CREATE INDEX models_public_trgm ON models USING gin (public_fold gin_trgm_ops);
