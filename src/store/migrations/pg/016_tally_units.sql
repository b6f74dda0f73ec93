-- 016_tally_units.sql: a subtree report names the row of a record whose unit is the (PostgreSQL)
-- report's unit itself (a province's own conference, a provincial agency's model) from the
-- record's hierarchy and unit_code (store_sqlite_report.c, key_sql). Without them in the
-- covering indexes of 013 every model of the province was read from the table as well:
-- a province's roll-up went from 8 ms to 35 ms on the bench's million models.
DROP INDEX models_tally24;
DROP INDEX models_tally25;
CREATE INDEX models_tally24 ON models (status, p24, registered_on, d24, field, kind, registration_level, typical,
                                       recognized_on, hierarchy, unit_code);
CREATE INDEX models_tally25 ON models (status, p25, registered_on, c25, field, kind, registration_level, typical,
                                       recognized_on, hierarchy, unit_code);
