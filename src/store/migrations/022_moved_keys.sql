-- 022_moved_keys.sql: an import looks up the codes and references models had in the
-- database they were moved from (moved_rows.old_key), on every row that names a model:
-- store_ops.model_by_old_key, import_service.c.
CREATE INDEX moved_rows_old_key ON moved_rows (tbl, old_key);
