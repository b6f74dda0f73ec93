-- 018_generation.sql: a number that moves with every committed change (store_ops.generation,
-- the answer cache of dvk serve). SQLite has its own (PRAGMA data_version and the
-- connection's total changes, store_sqlite.c); the table is made here too so that both
-- engines hold the same tables, and PostgreSQL's triggers count in it (pg/018_generation.sql).
CREATE TABLE data_generation (
    n INTEGER NOT NULL
);
INSERT INTO data_generation (n) VALUES (0);
