-- 025_result_tally.sql: the results report of the whole country from a summary kept by
-- triggers (../025_result_tally.sql). (PostgreSQL)
CREATE TABLE result_tally (
    year      BIGINT NOT NULL,
    status    TEXT NOT NULL,
    indicator TEXT NOT NULL,
    field     TEXT NOT NULL,
    kind      TEXT NOT NULL,
    p24       TEXT NOT NULL,
    p25       TEXT NOT NULL,
    n         BIGINT NOT NULL,
    total     DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (year, status, indicator, field, kind, p24, p25)
);

INSERT INTO result_tally
SELECT r.year, m.status, r.indicator, m.field, m.kind, coalesce(m.p24, ''), coalesce(m.p25, ''), count(*), sum(r.value)
FROM model_results r JOIN models m ON m.id = r.model_id GROUP BY 1, 2, 3, 4, 5, 6, 7;

-- d = 1: a value counted in under model m's status, field, kind and place; -1: out. A
-- group left with no value starts again from 0 (no rounding of values gone stays in it);
-- a value taken out of a group that has none changes nothing (as SQLite's UPDATE).
CREATE FUNCTION result_tally_add(m models, y BIGINT, ind TEXT, v DOUBLE PRECISION, d BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF d > 0 THEN
        INSERT INTO result_tally AS t VALUES (y, m.status, ind, m.field, m.kind, coalesce(m.p24, ''), coalesce(m.p25, ''), d, d * v)
        ON CONFLICT (year, status, indicator, field, kind, p24, p25)
        DO UPDATE SET n = t.n + d, total = CASE WHEN t.n = 0 THEN d * v ELSE t.total + d * v END;
    ELSE
        UPDATE result_tally t SET n = t.n + d, total = CASE WHEN t.n + d = 0 THEN 0 ELSE t.total + d * v END
        WHERE t.year = y AND t.status = m.status AND t.indicator = ind AND t.field = m.field AND t.kind = m.kind
          AND t.p24 = coalesce(m.p24, '') AND t.p25 = coalesce(m.p25, '');
    END IF;
END $$;

-- a value in, out, or changed (a model's results are written again on every save)
CREATE FUNCTION results_tally() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    m models;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT * INTO m FROM models WHERE id = OLD.model_id;
        IF FOUND THEN
            PERFORM result_tally_add(m, OLD.year, OLD.indicator, OLD.value, -1);
        END IF;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        SELECT * INTO m FROM models WHERE id = NEW.model_id;
        IF FOUND THEN
            PERFORM result_tally_add(m, NEW.year, NEW.indicator, NEW.value, 1);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER result_tally_change AFTER INSERT OR UPDATE OR DELETE ON model_results
    FOR EACH ROW EXECUTE FUNCTION results_tally();

-- a model whose status, field, kind or place changes takes its values along; a deleted
-- one takes them out before its row goes (they are deleted after it, with no model left
-- to say where they were counted)
CREATE FUNCTION models_result_tally() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r model_results;
BEGIN
    IF TG_OP = 'DELETE' OR OLD.status IS DISTINCT FROM NEW.status OR OLD.field IS DISTINCT FROM NEW.field
       OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.p24 IS DISTINCT FROM NEW.p24 OR OLD.p25 IS DISTINCT FROM NEW.p25 THEN
        FOR r IN SELECT * FROM model_results WHERE model_id = OLD.id LOOP
            PERFORM result_tally_add(OLD, r.year, r.indicator, r.value, -1);
            IF TG_OP = 'UPDATE' THEN
                PERFORM result_tally_add(NEW, r.year, r.indicator, r.value, 1);
            END IF;
        END LOOP;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER result_tally_model AFTER UPDATE OF status, field, kind, p24, p25 ON models
    FOR EACH ROW EXECUTE FUNCTION models_result_tally();
CREATE TRIGGER result_tally_model_delete BEFORE DELETE ON models
    FOR EACH ROW EXECUTE FUNCTION models_result_tally();
