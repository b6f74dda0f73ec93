-- 019_moved_rows.sql: provinces moved into one shared database (../019_moved_rows.sql;
-- dvk migrate-db writes moved_rows here, store_copy.c). (PostgreSQL)
CREATE TABLE store_origin (
    id TEXT NOT NULL
);
INSERT INTO store_origin (id) VALUES (md5(random()::text || clock_timestamp()::text));

CREATE TABLE moved_rows (
    origin  TEXT NOT NULL,
    tbl     TEXT NOT NULL,
    old_id  BIGINT NOT NULL,
    new_id  BIGINT NOT NULL,
    old_key TEXT,
    new_key TEXT,
    PRIMARY KEY (origin, tbl, old_id)
);
CREATE INDEX moved_rows_new ON moved_rows (tbl, new_id);
