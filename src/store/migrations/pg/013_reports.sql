-- 013_reports.sql: what the seven reports read (service/report_service.c). (PostgreSQL)
--
-- A province (or district, or commune) report counts its models through covering
-- indexes: one range per status, a few thousand entries, no table reads. The whole
-- country would read every model that way, so whole years are counted from
-- model_tally, kept by triggers in the transaction of every change; only the days of
-- a period that do not fill a year are counted from the models (models_tally_day).

-- The day a model was recognized: the decision date of its step to "recognized", or the
-- day of that step. NULL for models recorded as recognized without one (imports, paper):
-- their registration date stands for it (coalesce(recognized_on, registered_on)).
ALTER TABLE models ADD COLUMN recognized_on TEXT;
UPDATE models SET recognized_on = (
    SELECT coalesce(e.decision_date, substr(e.at, 1, 10)) FROM model_events e
    WHERE e.model_id = models.id AND e.to_status = 'recognized' ORDER BY e.id DESC LIMIT 1)
WHERE status = 'recognized';

CREATE INDEX models_tally24 ON models (status, p24, registered_on, d24, field, kind, registration_level, typical, recognized_on);
CREATE INDEX models_tally25 ON models (status, p25, registered_on, c25, field, kind, registration_level, typical, recognized_on);
CREATE INDEX models_tally_day ON models (status, registered_on, p24, p25, field, kind, registration_level, typical);

-- Models per province (in both hierarchies; '' where unknown), year of registration,
-- status and what the reports split by.
CREATE TABLE model_tally (
    status             TEXT NOT NULL,
    p24                TEXT NOT NULL,
    p25                TEXT NOT NULL,
    year               BIGINT NOT NULL, -- of registration
    ryear              BIGINT NOT NULL, -- of recognition (recognized models; 0 for the others)
    field              TEXT NOT NULL,
    kind               TEXT NOT NULL,
    registration_level TEXT NOT NULL,
    typical            BIGINT NOT NULL,
    n                  BIGINT NOT NULL,
    PRIMARY KEY (status, year, ryear, p24, p25, field, kind, registration_level, typical)
);

INSERT INTO model_tally
SELECT status, coalesce(p24, ''), coalesce(p25, ''), CAST(substr(registered_on, 1, 4) AS BIGINT),
       CASE WHEN status = 'recognized' THEN CAST(substr(coalesce(recognized_on, registered_on), 1, 4) AS BIGINT) ELSE 0 END,
       field, kind, registration_level, typical, count(*)
FROM models GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;

-- The tally's key of a model row (the same expressions as the SQLite triggers).
CREATE FUNCTION model_tally_add(r models, d BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO model_tally AS t VALUES (r.status, coalesce(r.p24, ''), coalesce(r.p25, ''),
        CAST(substr(r.registered_on, 1, 4) AS BIGINT),
        CASE WHEN r.status = 'recognized' THEN CAST(substr(coalesce(r.recognized_on, r.registered_on), 1, 4) AS BIGINT) ELSE 0 END,
        r.field, r.kind, r.registration_level, r.typical, d)
    ON CONFLICT (status, year, ryear, p24, p25, field, kind, registration_level, typical)
    DO UPDATE SET n = t.n + d;
END $$;

CREATE FUNCTION models_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM model_tally_add(OLD, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM model_tally_add(NEW, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER models_tally_insert AFTER INSERT ON models FOR EACH ROW EXECUTE FUNCTION models_tally();
CREATE TRIGGER models_tally_delete AFTER DELETE ON models FOR EACH ROW EXECUTE FUNCTION models_tally();
CREATE TRIGGER models_tally_update AFTER UPDATE OF status, p24, p25, registered_on, recognized_on, field, kind,
    registration_level, typical ON models FOR EACH ROW EXECUTE FUNCTION models_tally();

-- Where each replication lies in both hierarchies, as for models, conferences and awards:
-- the replication report counts reached units under any unit of either hierarchy.
ALTER TABLE replications ADD COLUMN p24 TEXT;
ALTER TABLE replications ADD COLUMN d24 TEXT;
ALTER TABLE replications ADD COLUMN c24 TEXT;
ALTER TABLE replications ADD COLUMN p25 TEXT;
ALTER TABLE replications ADD COLUMN c25 TEXT;

-- Replications recorded before this migration: their own hierarchy from the catalogue
-- (a village, a commune, a district or a province), the other one through the mapping.
UPDATE replications SET c24 = (
    SELECT CASE u.level WHEN 3 THEN u.code WHEN 4 THEN u.parent_code END
    FROM units u WHERE u.hierarchy = 2024 AND u.code = replications.unit_code)
WHERE hierarchy = 2024;
UPDATE replications SET d24 = coalesce(
    (SELECT u.parent_code FROM units u WHERE u.hierarchy = 2024 AND u.code = replications.c24),
    (SELECT u.code FROM units u WHERE u.hierarchy = 2024 AND u.code = replications.unit_code AND u.level = 2))
WHERE hierarchy = 2024;
UPDATE replications SET p24 = coalesce(
    (SELECT u.parent_code FROM units u WHERE u.hierarchy = 2024 AND u.code = replications.d24),
    (SELECT u.code FROM units u WHERE u.hierarchy = 2024 AND u.code = replications.unit_code AND u.level = 1))
WHERE hierarchy = 2024;
UPDATE replications SET c25 = (
    SELECT CASE u.level WHEN 3 THEN u.code WHEN 4 THEN u.parent_code END
    FROM units u WHERE u.hierarchy = 2025 AND u.code = replications.unit_code)
WHERE hierarchy = 2025;
UPDATE replications SET p25 = coalesce(
    (SELECT u.parent_code FROM units u WHERE u.hierarchy = 2025 AND u.code = replications.c25),
    (SELECT u.code FROM units u WHERE u.hierarchy = 2025 AND u.code = replications.unit_code AND u.level = 1))
WHERE hierarchy = 2025;
UPDATE replications SET c25 = (SELECT min(new_code) FROM unit_mapping WHERE old_code = replications.c24)
WHERE hierarchy = 2024 AND (SELECT count(*) FROM unit_mapping WHERE old_code = replications.c24) = 1;
UPDATE replications SET p25 = (
    SELECT u.parent_code FROM unit_mapping mp JOIN units u ON u.hierarchy = 2025 AND u.code = mp.new_code
    WHERE mp.old_code = replications.c24 LIMIT 1)
WHERE hierarchy = 2024;
UPDATE replications SET c24 = (SELECT min(old_code) FROM unit_mapping WHERE new_code = replications.c25)
WHERE hierarchy = 2025 AND (SELECT count(*) FROM unit_mapping WHERE new_code = replications.c25) = 1;
UPDATE replications SET d24 = (SELECT u.parent_code FROM units u WHERE u.hierarchy = 2024 AND u.code = replications.c24),
                        p24 = (SELECT d.parent_code FROM units u JOIN units d ON d.hierarchy = 2024 AND d.code = u.parent_code
                               WHERE u.hierarchy = 2024 AND u.code = replications.c24)
WHERE hierarchy = 2025;
CREATE INDEX replications_p24 ON replications (p24);
CREATE INDEX replications_p25 ON replications (p25);
