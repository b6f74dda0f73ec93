-- 019_moved_rows.sql: provinces moved into one shared database (dvk migrate-db, issue 7).
-- store_origin names this database with a random value made once, here: a copy of the file
-- (a backup, the final sync's newer copy) keeps it, so the target knows a source it has seen.
-- moved_rows is the target's side: for each source (its origin), each row of a table with
-- an id, the id it had there and the id it has here; for models the code it had and has,
-- for users the login (both differ when they were taken here), and for a model whose ext_key
-- was taken here, a 'models.ext_key' row keeping it. Running the move again reads this table
-- and copies only the rows it lacks. A SQLite database holds both tables empty but for its
-- own origin; store_copy.c fills moved_rows on the PostgreSQL side.
CREATE TABLE store_origin (
    id TEXT NOT NULL
);
INSERT INTO store_origin (id) VALUES (lower(hex(randomblob(16))));

CREATE TABLE moved_rows (
    origin  TEXT NOT NULL,
    tbl     TEXT NOT NULL,
    old_id  INTEGER NOT NULL,
    new_id  INTEGER NOT NULL,
    old_key TEXT,
    new_key TEXT,
    PRIMARY KEY (origin, tbl, old_id)
);
CREATE INDEX moved_rows_new ON moved_rows (tbl, new_id);
