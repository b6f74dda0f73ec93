-- 012_ext_key.sql: models imported from an office's spreadsheet keep the key that file gave (PostgreSQL)
-- them (its own code, or one derived from the title and the unit), so that importing the
-- same file again changes nothing and an edited file updates the models it names.
ALTER TABLE models ADD COLUMN ext_key TEXT;
CREATE UNIQUE INDEX models_ext_key ON models (ext_key) WHERE ext_key IS NOT NULL;
