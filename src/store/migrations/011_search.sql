-- 011_search.sql: full-text search (issue 5). An FTS5 index over the folded texts that
-- models already carry, kept by triggers in the same transaction as every write of a model.
--
-- model_fts is contentless (the texts stay in models) with detail=column (no positions:
-- dvk asks for words and columns, never phrases). Its columns:
--   title   the words of title_fold, each marked with a leading '.' ("dan" -> ".dan"):
--           title words are terms of their own, with doclists as short as the titles
--           that hold them, so "title matches first" costs no scan of the long doclists
--           of words that are common in the rest of the text
--   body    search_fold    what signed-in users search, and the code ("dvk 2025 000123": the
--                          code is given by the insert, after search_fold was made)
--   pub     public_fold    what the showcase searches (no person's name)
--   facets  one token per filter value: _f_<field> _k_<kind> _s_<status> _t_<typical>
--           _v_<public>, the stored place _p24_<code> _d24_ _c24_ _p25_ _c25_, and
--           _u<hierarchy>_<unit code>; so filters, the reader's scope and the showcase
--           are answered inside the index.
-- The tokenizer splits on ASCII spaces only ("ascii", with '_' and '.' inside tokens): the
-- texts are text_fold output already, so a token is exactly a folded word.
-- rowid = (day number of registered_on) << 40 | id, so rowid order is the list's default
-- order (newest registration first, id as tie-breaker): FTS5 hands over a page of matches
-- in that order from its doclists, without collecting and sorting them, and a range of
-- registration dates is a range of rowids.
-- Prefix indexes answer one- and two-character prefixes (".d" is two); longer ones are
-- expanded to the words of search_words (every folded word ever indexed, and every
-- marked title word) before the query runs.
CREATE VIRTUAL TABLE model_fts USING fts5(
    title, body, pub, facets,
    content = '', detail = column, prefix = '1 2', tokenize = "ascii tokenchars '_.'"
);

CREATE TABLE search_words (
    word TEXT PRIMARY KEY
) WITHOUT ROWID;

-- What model_fts holds for each model: the one place the key and the texts are spelled.
CREATE VIEW model_search_rows (id, key, title, body, pub, facets) AS
    SELECT id, (coalesce(CAST(julianday(registered_on) AS INTEGER), 0) << 40) | id,
           CASE WHEN title_fold = '' THEN '' ELSE '.' || replace(title_fold, ' ', ' .') END,
           search_fold || ' ' || lower(replace(code, '-', ' ')), public_fold,
           '_f_' || field || ' _k_' || kind || ' _s_' || status || ' _t_' || typical || ' _v_' || public
               || coalesce(' _p24_' || p24, '') || coalesce(' _d24_' || d24, '') || coalesce(' _c24_' || c24, '')
               || coalesce(' _p25_' || p25, '') || coalesce(' _c25_' || c25, '')
               || ' _u' || hierarchy || '_' || replace(unit_code, '-', '_')
    FROM models;

-- The words of each model, and its marked title words (folded text holds letters, digits
-- and single spaces only, so it splits as a JSON array; anything else is left out rather
-- than failing).
CREATE VIEW model_search_words (id, word) AS
    SELECT m.id, j.value
    FROM models m, json_each(CASE WHEN instr(m.search_fold, '"') = 0 AND instr(m.search_fold, '\') = 0
                                  THEN '["' || replace(trim(m.search_fold || ' ' || lower(replace(m.code, '-', ' '))),
                                                       ' ', '","') || '"]' ELSE '[]' END) j
    WHERE j.value <> ''
    UNION ALL
    SELECT m.id, '.' || j.value
    FROM models m, json_each(CASE WHEN instr(m.title_fold, '"') = 0 AND instr(m.title_fold, '\') = 0
                                  THEN '["' || replace(trim(m.title_fold), ' ', '","') || '"]' ELSE '[]' END) j
    WHERE j.value <> '';

-- A contentless FTS5 row is deleted by handing back exactly what it was indexed with: the
-- BEFORE triggers read it from the row as it still is.
CREATE TRIGGER models_fts_insert AFTER INSERT ON models BEGIN
    INSERT INTO model_fts (rowid, title, body, pub, facets)
        SELECT key, title, body, pub, facets FROM model_search_rows WHERE id = NEW.id;
    INSERT OR IGNORE INTO search_words (word) SELECT word FROM model_search_words WHERE id = NEW.id;
END;

CREATE TRIGGER models_fts_unindex BEFORE UPDATE ON models
WHEN OLD.title_fold IS NOT NEW.title_fold OR OLD.search_fold IS NOT NEW.search_fold
  OR OLD.public_fold IS NOT NEW.public_fold OR OLD.registered_on IS NOT NEW.registered_on
  OR OLD.field IS NOT NEW.field OR OLD.kind IS NOT NEW.kind OR OLD.status IS NOT NEW.status
  OR OLD.typical IS NOT NEW.typical OR OLD.public IS NOT NEW.public OR OLD.p24 IS NOT NEW.p24
  OR OLD.d24 IS NOT NEW.d24 OR OLD.c24 IS NOT NEW.c24 OR OLD.p25 IS NOT NEW.p25 OR OLD.c25 IS NOT NEW.c25
  OR OLD.hierarchy IS NOT NEW.hierarchy OR OLD.unit_code IS NOT NEW.unit_code OR OLD.id IS NOT NEW.id
BEGIN
    INSERT INTO model_fts (model_fts, rowid, title, body, pub, facets)
        SELECT 'delete', key, title, body, pub, facets FROM model_search_rows WHERE id = OLD.id;
END;

CREATE TRIGGER models_fts_reindex AFTER UPDATE ON models
WHEN OLD.title_fold IS NOT NEW.title_fold OR OLD.search_fold IS NOT NEW.search_fold
  OR OLD.public_fold IS NOT NEW.public_fold OR OLD.registered_on IS NOT NEW.registered_on
  OR OLD.field IS NOT NEW.field OR OLD.kind IS NOT NEW.kind OR OLD.status IS NOT NEW.status
  OR OLD.typical IS NOT NEW.typical OR OLD.public IS NOT NEW.public OR OLD.p24 IS NOT NEW.p24
  OR OLD.d24 IS NOT NEW.d24 OR OLD.c24 IS NOT NEW.c24 OR OLD.p25 IS NOT NEW.p25 OR OLD.c25 IS NOT NEW.c25
  OR OLD.hierarchy IS NOT NEW.hierarchy OR OLD.unit_code IS NOT NEW.unit_code OR OLD.id IS NOT NEW.id
BEGIN
    INSERT INTO model_fts (rowid, title, body, pub, facets)
        SELECT key, title, body, pub, facets FROM model_search_rows WHERE id = NEW.id;
    INSERT OR IGNORE INTO search_words (word) SELECT word FROM model_search_words WHERE id = NEW.id;
END;

CREATE TRIGGER models_fts_delete BEFORE DELETE ON models BEGIN
    INSERT INTO model_fts (model_fts, rowid, title, body, pub, facets)
        SELECT 'delete', key, title, body, pub, facets FROM model_search_rows WHERE id = OLD.id;
END;

-- the models already stored
INSERT INTO model_fts (rowid, title, body, pub, facets) SELECT key, title, body, pub, facets FROM model_search_rows;
INSERT OR IGNORE INTO search_words (word) SELECT word FROM model_search_words;
