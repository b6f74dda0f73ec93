-- 008_list_indexes.sql: a subtree list (and a subtree list of one field) reads its page (PostgreSQL)
-- newest first from an index instead of scanning the subtree.
DROP INDEX IF EXISTS models_p24;
DROP INDEX IF EXISTS models_p25;
DROP INDEX IF EXISTS models_d24;
DROP INDEX IF EXISTS models_c24;
DROP INDEX IF EXISTS models_c25;
CREATE INDEX models_p24_reg ON models (p24, registered_on, id);
CREATE INDEX models_p25_reg ON models (p25, registered_on, id);
CREATE INDEX models_d24_reg ON models (d24, registered_on, id);
CREATE INDEX models_c24_reg ON models (c24, registered_on, id);
CREATE INDEX models_c25_reg ON models (c25, registered_on, id);
CREATE INDEX models_p24_field_reg ON models (p24, field, registered_on, id);
CREATE INDEX models_p25_field_reg ON models (p25, field, registered_on, id);
