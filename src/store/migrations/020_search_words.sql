-- 020_search_words.sql: nothing to do on SQLite, whose search has its own full-text index
-- (FTS5, 011_search.sql). The PostgreSQL twin (pg/020_search_words.sql) replaces the trigram
-- indexes of its 011 by ones on the expressions its search queries ask.
SELECT 1;
