-- 022_moved_keys.sql: an import looks up the codes and references models had in the
-- database they were moved from (../022_moved_keys.sql). (PostgreSQL)
CREATE INDEX moved_rows_old_key ON moved_rows (tbl, old_key);
