-- 023_generation_once.sql: nothing to do on SQLite, whose generation is its own
-- (PRAGMA data_version, store_sqlite.c). The PostgreSQL twin bumps data_generation once
-- per transaction instead of after every statement.
SELECT 1;
