-- 009_sort_keys.sql: names and titles sort in Vietnamese alphabetical order (text_sort_key); (PostgreSQL)
-- rows that predate the keys get them when the database is opened.
ALTER TABLE units ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE models ADD COLUMN title_key TEXT NOT NULL DEFAULT '';
CREATE INDEX units_parent_key ON units (hierarchy, parent_code, name_key);
CREATE INDEX models_title_key ON models (title_key, id);
