-- 023_generation_once.sql: data_generation moves once per writing transaction, not after
-- every statement (018_generation.sql). A reader needs only that the number differs once a
-- change is committed; bumping the one row after each of the 100,000 statements of a
-- province's move (dvk migrate-db) left as many dead versions of it in one transaction,
-- each update slower than the last. The transaction marks itself in a setting local to it
-- (set_config(..., true): gone at its end, commit or rollback). (PostgreSQL)
CREATE OR REPLACE FUNCTION data_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('dvk.generation_bumped', true) IS DISTINCT FROM txid_current()::text THEN
        UPDATE data_generation SET n = n + 1;
        PERFORM set_config('dvk.generation_bumped', txid_current()::text, true);
    END IF;
    RETURN NULL;
END $$;
