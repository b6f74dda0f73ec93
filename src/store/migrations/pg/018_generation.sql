-- 018_generation.sql: a number that moves with every committed change, for the answer cache
-- of dvk serve (store_ops.generation). (PostgreSQL)
-- One row, counted up by a statement trigger on every table in the transaction of the
-- change: a reader sees the new number exactly when it sees the change (a sequence would
-- move before the commit, and an answer read in between would be kept under the new number).
-- Writers already run one after another (store_pg.c, WRITE_LOCK); a session's touch, a
-- single statement, moves it too, as SQLite's data_version does.
CREATE TABLE data_generation (
    n BIGINT NOT NULL
);
INSERT INTO data_generation (n) VALUES (0);

CREATE FUNCTION data_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_generation SET n = n + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER units_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON units
    FOR EACH STATEMENT EXECUTE FUNCTION data_generation_bump();
CREATE TRIGGER unit_mapping_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON unit_mapping
    FOR EACH STATEMENT EXECUTE FUNCTION data_generation_bump();
CREATE TRIGGER indicators_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON indicators
    FOR EACH STATEMENT EXECUTE FUNCTION data_generation_bump();
CREATE TRIGGER owners_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON owners
    FOR EACH STATEMENT EXECUTE FUNCTION data_generation_bump();
CREATE TRIGGER code_counters_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON code_counters
    FOR EACH STATEMENT EXECUTE FUNCTION data_generation_bump();
CREATE TRIGGER users_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION data_generation_bump();
CREATE TRIGGER models_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON models
    FOR EACH STATEMENT EXECUTE FUNCTION data_generation_bump();
CREATE TRIGGER model_tags_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON model_tags
    FOR EACH STATEMENT EXECUTE FUNCTION data_generation_bump();
CREATE TRIGGER model_results_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON model_results
    FOR EACH STATEMENT EXECUTE FUNCTION data_generation_bump();
CREATE TRIGGER sessions_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION data_generation_bump();
CREATE TRIGGER api_tokens_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON api_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION data_generation_bump();
CREATE TRIGGER signin_throttle_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON signin_throttle
    FOR EACH STATEMENT EXECUTE FUNCTION data_generation_bump();
CREATE TRIGGER audit_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION data_generation_bump();
CREATE TRIGGER model_events_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON model_events
    FOR EACH STATEMENT EXECUTE FUNCTION data_generation_bump();
CREATE TRIGGER criteria_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON criteria
    FOR EACH STATEMENT EXECUTE FUNCTION data_generation_bump();
CREATE TRIGGER appraisal_thresholds_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON appraisal_thresholds
    FOR EACH STATEMENT EXECUTE FUNCTION data_generation_bump();
CREATE TRIGGER appraisals_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON appraisals
    FOR EACH STATEMENT EXECUTE FUNCTION data_generation_bump();
CREATE TRIGGER appraisal_scores_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON appraisal_scores
    FOR EACH STATEMENT EXECUTE FUNCTION data_generation_bump();
CREATE TRIGGER replications_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON replications
    FOR EACH STATEMENT EXECUTE FUNCTION data_generation_bump();
CREATE TRIGGER commendation_events_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON commendation_events
    FOR EACH STATEMENT EXECUTE FUNCTION data_generation_bump();
CREATE TRIGGER awards_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON awards
    FOR EACH STATEMENT EXECUTE FUNCTION data_generation_bump();
CREATE TRIGGER attachments_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON attachments
    FOR EACH STATEMENT EXECUTE FUNCTION data_generation_bump();
CREATE TRIGGER report_headings_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON report_headings
    FOR EACH STATEMENT EXECUTE FUNCTION data_generation_bump();
