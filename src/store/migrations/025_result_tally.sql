-- 025_result_tally.sql: the results report of the whole country from a summary, as
-- model_tally does for counts of models (013_reports.sql). Joining every indicator value
-- to its model took 2.7 s for 1,000,000 values (tens of millions in a country's database);
-- the values per year, indicator, status, field, kind and province (both hierarchies, ''
-- where unknown) are kept here by triggers in the transaction of every change: n values,
-- total their sum. A subtree's report still joins its own models' values. total is a sum
-- kept by additions and subtractions: a group left with no value starts again from 0, so
-- that the rounding of a value gone does not stay in it.
CREATE TABLE result_tally (
    year      INTEGER NOT NULL,
    status    TEXT NOT NULL,
    indicator TEXT NOT NULL,
    field     TEXT NOT NULL,
    kind      TEXT NOT NULL,
    p24       TEXT NOT NULL,
    p25       TEXT NOT NULL,
    n         INTEGER NOT NULL,
    total     REAL NOT NULL,
    PRIMARY KEY (year, status, indicator, field, kind, p24, p25)
) WITHOUT ROWID;

INSERT INTO result_tally
SELECT r.year, m.status, r.indicator, m.field, m.kind, coalesce(m.p24, ''), coalesce(m.p25, ''), count(*), sum(r.value)
FROM model_results r JOIN models m ON m.id = r.model_id GROUP BY 1, 2, 3, 4, 5, 6, 7;

-- a value in, out, or changed (a model's results are written again on every save)
CREATE TRIGGER result_tally_insert AFTER INSERT ON model_results BEGIN
    INSERT INTO result_tally
    SELECT NEW.year, m.status, NEW.indicator, m.field, m.kind, coalesce(m.p24, ''), coalesce(m.p25, ''), 1, NEW.value
    FROM models m WHERE m.id = NEW.model_id
    ON CONFLICT DO UPDATE SET n = n + 1, total = CASE WHEN n = 0 THEN excluded.total ELSE total + excluded.total END;
END;

CREATE TRIGGER result_tally_delete AFTER DELETE ON model_results BEGIN
    UPDATE result_tally SET n = n - 1, total = CASE WHEN n = 1 THEN 0 ELSE total - OLD.value END
    WHERE (year, status, indicator, field, kind, p24, p25) =
          (SELECT OLD.year, m.status, OLD.indicator, m.field, m.kind, coalesce(m.p24, ''), coalesce(m.p25, '')
           FROM models m WHERE m.id = OLD.model_id);
END;

CREATE TRIGGER result_tally_update AFTER UPDATE ON model_results BEGIN
    UPDATE result_tally SET n = n - 1, total = CASE WHEN n = 1 THEN 0 ELSE total - OLD.value END
    WHERE (year, status, indicator, field, kind, p24, p25) =
          (SELECT OLD.year, m.status, OLD.indicator, m.field, m.kind, coalesce(m.p24, ''), coalesce(m.p25, '')
           FROM models m WHERE m.id = OLD.model_id);
    INSERT INTO result_tally
    SELECT NEW.year, m.status, NEW.indicator, m.field, m.kind, coalesce(m.p24, ''), coalesce(m.p25, ''), 1, NEW.value
    FROM models m WHERE m.id = NEW.model_id
    ON CONFLICT DO UPDATE SET n = n + 1, total = CASE WHEN n = 0 THEN excluded.total ELSE total + excluded.total END;
END;

-- a model whose status, field, kind or place changes takes its values along
CREATE TRIGGER result_tally_model AFTER UPDATE OF status, field, kind, p24, p25 ON models
WHEN OLD.status IS NOT NEW.status OR OLD.field IS NOT NEW.field OR OLD.kind IS NOT NEW.kind
  OR OLD.p24 IS NOT NEW.p24 OR OLD.p25 IS NOT NEW.p25
BEGIN
    UPDATE result_tally SET n = n - 1,
        total = CASE WHEN n = 1 THEN 0 ELSE total - (SELECT r.value FROM model_results r WHERE r.model_id = NEW.id
                AND r.year = result_tally.year AND r.indicator = result_tally.indicator) END
    WHERE status = OLD.status AND field = OLD.field AND kind = OLD.kind
      AND p24 = coalesce(OLD.p24, '') AND p25 = coalesce(OLD.p25, '')
      AND (year, indicator) IN (SELECT year, indicator FROM model_results WHERE model_id = NEW.id);
    INSERT INTO result_tally
    SELECT r.year, NEW.status, r.indicator, NEW.field, NEW.kind, coalesce(NEW.p24, ''), coalesce(NEW.p25, ''), 1, r.value
    FROM model_results r WHERE r.model_id = NEW.id
    ON CONFLICT DO UPDATE SET n = n + 1, total = CASE WHEN n = 0 THEN excluded.total ELSE total + excluded.total END;
END;

-- a model deleted: its values go out before its row (they are deleted after it, when no
-- model is left to say where they were counted)
CREATE TRIGGER result_tally_model_delete BEFORE DELETE ON models BEGIN
    UPDATE result_tally SET n = n - 1,
        total = CASE WHEN n = 1 THEN 0 ELSE total - (SELECT r.value FROM model_results r WHERE r.model_id = OLD.id
                AND r.year = result_tally.year AND r.indicator = result_tally.indicator) END
    WHERE status = OLD.status AND field = OLD.field AND kind = OLD.kind
      AND p24 = coalesce(OLD.p24, '') AND p25 = coalesce(OLD.p25, '')
      AND (year, indicator) IN (SELECT year, indicator FROM model_results WHERE model_id = OLD.id);
END;
