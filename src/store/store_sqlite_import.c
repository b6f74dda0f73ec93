/* store_sqlite_import.c: the lookups a spreadsheet import makes on every row. */
#include <stdlib.h>
#include <string.h>
#include "util/buf.h"
#include "store/derived.h"
#include "store/sqlite_int.h"

int s_model_by_key(struct store *base, const char *key, int64_t *id)
{
    struct sqlite_store *s = S(base);
    static const int ids[2] = {Q_MODEL_BY_CODE, Q_MODEL_BY_KEY};
    static const char *const sql[2] = {"SELECT id FROM models WHERE code = ?", "SELECT id FROM models WHERE ext_key = ?"};
    /* codes look like DVK-2024-000123; any other key is only an ext_key */
    for (int k = strncmp(key, "DVK-", 4) == 0 ? 0 : 1; k < 2; k++) {
        sqlite3_stmt *st = sq_stmt(s, ids[k], sql[k]);
        if (!st)
            return ST_ERR;
        sq_bind_text_empty(st, 1, key);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *id = sqlite3_column_int64(st, 0);
            sqlite3_reset(st);
            return ST_OK;
        }
        if (rc != SQLITE_DONE)
            return sq_fail(s, "model_by_key");
    }
    return ST_NOTFOUND;
}

int s_model_by_old_key(struct store *base, const char *key, int64_t **ids, int *n)
{
    struct sqlite_store *s = S(base);
    *n = 0;
    if (!key) {
        sqlite3_stmt *any = sq_stmt(s, Q_MOVED_ANY,
                              "SELECT 1 FROM moved_rows WHERE (tbl = 'models' AND new_key <> old_key)"
                              " OR tbl = 'models.ext_key' LIMIT 1");
        int rc = any ? sqlite3_step(any) : -1;
        if (rc == SQLITE_ROW) {
            *n = 1;
            sqlite3_reset(any);
        }
        return rc == SQLITE_ROW || rc == SQLITE_DONE ? ST_OK : sq_fail(s, "model_by_old_key");
    }
    sqlite3_stmt *st = sq_stmt(s, Q_MODEL_BY_OLD_KEY,
                          "SELECT new_id FROM moved_rows WHERE tbl = ? AND old_key = ?"
                          " AND (new_key IS NULL OR new_key <> old_key) ORDER BY new_id");
    if (!st)
        return ST_ERR;
    sq_bind_text(st, 1, strncmp(key, "DVK-", 4) == 0 ? "models" : "models.ext_key");
    sq_bind_text(st, 2, key);
    int rc, cap = 0;
    *ids = NULL;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *ids = grow(*ids, &cap, *n, sizeof **ids);
        (*ids)[(*n)++] = sqlite3_column_int64(st, 0);
    }
    if (rc != SQLITE_DONE)
        return sq_fail(s, "model_by_old_key");
    return ST_OK;
}

/* The scratch table lives in the connection's temporary database: it costs the main
 * database no write lock (a dry run takes none) and memory stays flat as files grow. */
int s_import_seen(struct store *base, const char *key, int64_t row, int64_t *first_row)
{
    struct sqlite_store *s = S(base);
    if (!key) {
        sqlite3_stmt *d = sq_once(s, "CREATE TEMP TABLE IF NOT EXISTS import_seen (key TEXT PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID");
        if (!d || sq_done(s, d, "import_seen_create"))
            return ST_ERR;
        d = sq_once(s, "DELETE FROM temp.import_seen");
        return d ? sq_done(s, d, "import_seen_clear") : ST_ERR;
    }
    sqlite3_stmt *st = sq_stmt(s, Q_SEEN_ADD, "INSERT INTO temp.import_seen (key, row) VALUES (?, ?) ON CONFLICT DO NOTHING");
    if (!st)
        return ST_ERR;
    sq_bind_text_empty(st, 1, key);
    sqlite3_bind_int64(st, 2, row);
    if (sqlite3_step(st) != SQLITE_DONE)
        return sq_fail(s, "import_seen_add");
    if (sqlite3_changes(s->db) == 1)
        return ST_OK;
    st = sq_stmt(s, Q_SEEN_GET, "SELECT row FROM temp.import_seen WHERE key = ?");
    if (!st)
        return ST_ERR;
    sq_bind_text_empty(st, 1, key);
    if (sqlite3_step(st) != SQLITE_ROW)
        return sq_fail(s, "import_seen_get");
    *first_row = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return ST_EXISTS;
}

/* 24 MB of page cache while importing (a connection opens with 64 MB): an import of a million rows
 * stays under 100 MB of memory in all. The tables' CHECK constraints are not evaluated meanwhile:
 * an import writes only models that model_validate() passed, their words (field, status…) from
 * dvk's own lists, and SQLite built a b-tree per row for each "x IN (…)" of the models' CHECKs. */
#define BULK_CACHE "-24000"

int s_bulk(struct store *base, bool on)
{
    struct sqlite_store *s = S(base);
    static const char *const sql[2][2] = {{"PRAGMA cache_size = -65536", "PRAGMA ignore_check_constraints = OFF"}, /* as opened */
                                          {"PRAGMA cache_size = " BULK_CACHE, "PRAGMA ignore_check_constraints = ON"}};
    for (int i = 0; i < 2; i++) {
        sqlite3_stmt *st = sq_once(s, sql[on][i]);
        if (!st || sq_done(s, st, "bulk"))
            return ST_ERR;
    }
    return ST_OK;
}

static void forget_deferred(struct sqlite_store *s)
{
    for (int i = 0; i < s->ndeferred; i++)
        free(s->deferred[i]);
    free(s->deferred);
    s->deferred = NULL;
    s->ndeferred = 0;
}

/* What the insert triggers models_fts_insert and models_tally_insert (migrations) do for one
 * row, done here for every model above ?1 in one statement each: the search index gets its
 * rows in rowid order (FTS5 writes a segment at each statement's end, so row by row it wrote
 * one per model; out of rowid order it writes one at each step back), the tally one upsert
 * per group. tests/api/import-bulk.test.mjs compares a file imported this way with the same
 * rows imported row by row. (Reading the rows in key order through models_registered
 * instead of sorting them cost 15% more: a random page of models per row.) */
/* The index's words by column (FTS5's vocabulary), for the word list: a table of this connection. */
#define FTS_TERMS_TABLE "CREATE VIRTUAL TABLE IF NOT EXISTS temp.model_fts_terms USING fts5vocab(main, model_fts, col)"

static const char *const bulk_fill[] = {
    "INSERT INTO model_fts (rowid, title, body, pub, facets)"
    " SELECT key, title, body, pub, facets FROM model_search_rows WHERE id > ?1 ORDER BY key",
    /* the words of model_search_words are the terms of the body and title columns: read from
     * the index just written (a tenth of the time of splitting every model's text again) */
    FTS_TERMS_TABLE,
    "INSERT OR IGNORE INTO search_words (word) SELECT term FROM temp.model_fts_terms WHERE col IN ('body', 'title')"
    " AND ?1 IS NOT NULL",
    "INSERT INTO model_tally " MODEL_TALLY_SELECT " WHERE id > ?1" MODEL_TALLY_GROUP " ON CONFLICT DO UPDATE SET n = n + excluded.n",
    /* the values of every model, new or stored (an import writes stored models' values too):
     * counted again whole, as the migration first did */
    "DELETE FROM result_tally WHERE ?1 IS NOT NULL",
    "INSERT INTO result_tally " RESULT_TALLY_SELECT " WHERE ?1 IS NOT NULL" RESULT_TALLY_GROUP,
};

/* FTS5's settings while the search rows go in, and as they were: "hashsize" (bytes of new
 * entries held before a segment is written; 1 MB unless set), "automerge" (segments of a
 * level merged as the index grows; 4) and "crisismerge" (segments a level may hold at most; 16). */
static const struct {
    const char *name;
    int64_t bulk, fts_default;
} fts_settings[] = {
    /* 8 MB: fewer, larger segments (a quarter less time) */
    {"hashsize", 8 << 20, 1 << 20},
    /* no merging while the rows go in, and one merge of every segment at the end (below):
     * each entry is written twice, not once per level (28 s down to 24 for 1,000,000 models) */
    {"automerge", 0, 4},
    {"crisismerge", 1000, 16},
};
#define N_FTS_SETTINGS (sizeof fts_settings / sizeof fts_settings[0])

static int fts_set(struct sqlite_store *s, const char *name, int64_t v)
{
    sqlite3_stmt *st = sq_once(s, "INSERT INTO model_fts (model_fts, rank) VALUES (?, ?)");
    if (!st)
        return ST_ERR;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, v);
    return sq_done(s, st, "fts_set");
}

static int fill_bulk(struct sqlite_store *s)
{
    int64_t was[N_FTS_SETTINGS];
    for (size_t i = 0; i < N_FTS_SETTINGS; i++) {
        was[i] = fts_settings[i].fts_default;
        sqlite3_stmt *st = sq_once(s, "SELECT v FROM model_fts_config WHERE k = ?");
        if (!st)
            return ST_ERR;
        sqlite3_bind_text(st, 1, fts_settings[i].name, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            was[i] = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        if (fts_set(s, fts_settings[i].name, fts_settings[i].bulk))
            return ST_ERR;
    }
    for (size_t i = 0; i < sizeof bulk_fill / sizeof bulk_fill[0]; i++) {
        sqlite3_stmt *st = sq_once(s, bulk_fill[i]);
        if (!st)
            return ST_ERR;
        sqlite3_bind_int64(st, 1, s->bulk_after);
        if (sq_done(s, st, "bulk_fill"))
            return ST_ERR;
        if (i == 0) {
            st = sq_once(s, "INSERT INTO model_fts (model_fts) VALUES ('optimize')");
            if (!st || sq_done(s, st, "fts_optimize"))
                return ST_ERR;
        }
    }
    for (size_t i = 0; i < N_FTS_SETTINGS; i++)
        if (fts_set(s, fts_settings[i].name, was[i]))
            return ST_ERR;
    return ST_OK;
}

int s_defer_indexes(struct store *base, bool restore)
{
    struct sqlite_store *s = S(base);
    if (restore) {
        /* CREATE INDEX sorts with a second thread (the other core); its runs, and those of
         * the search rows' sort, take as much memory as the page cache: 8 MB each until the
         * end (84 MB peak for 1,000,000 rows), the rows being read and written in order */
        int rc = sqlite3_exec(s->db, "PRAGMA cache_size = -8000; PRAGMA threads = 2", NULL, NULL, NULL) == SQLITE_OK
                     ? ST_OK
                     : sq_fail(s, "bulk_threads");
        for (int i = 0; i < s->ndeferred && rc == ST_OK; i++)
            if (sqlite3_exec(s->db, s->deferred[i], NULL, NULL, NULL) != SQLITE_OK)
                rc = sq_fail(s, "restore_index");
        if (sqlite3_exec(s->db, "PRAGMA threads = 0", NULL, NULL, NULL) != SQLITE_OK && rc == ST_OK)
            rc = sq_fail(s, "bulk_threads");
        if (rc == ST_OK)
            rc = fill_bulk(s);
        if (sqlite3_exec(s->db, "PRAGMA cache_size = " BULK_CACHE, NULL, NULL, NULL) != SQLITE_OK && rc == ST_OK)
            rc = sq_fail(s, "bulk_cache");
        forget_deferred(s);
        return rc;
    }
    forget_deferred(s);
    sqlite3_stmt *top = sq_once(s, "SELECT coalesce(max(id), 0) FROM models");
    if (!top)
        return ST_ERR;
    if (sqlite3_step(top) != SQLITE_ROW) {
        sqlite3_finalize(top);
        return sq_fail(s, "defer_top");
    }
    s->bulk_after = sqlite3_column_int64(top, 0);
    sqlite3_finalize(top);
    sqlite3_stmt *st = sq_once(s, "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND"
                                  " ((type = 'index' AND tbl_name = 'models' AND name <> 'models_ext_key')"
                                  "  OR (type = 'trigger' AND name IN ('models_fts_insert', 'models_tally_insert', 'result_tally_insert',"
                                  "   'result_tally_delete', 'result_tally_update', 'result_tally_model',"
                                  "   'result_tally_model_delete')))"
                                  " ORDER BY type, name");
    if (!st)
        return ST_ERR;
    int cap = 0, rc;
    char **drops = NULL;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        s->deferred = grow(s->deferred, &cap, s->ndeferred, sizeof *s->deferred);
        drops = xrealloc(drops, (size_t)cap * sizeof *drops);
        struct buf b = BUF_INIT;
        buf_printf(&b, "DROP %s \"%s\"", strcmp((const char *)sqlite3_column_text(st, 0), "trigger") == 0 ? "TRIGGER" : "INDEX",
                   (const char *)sqlite3_column_text(st, 1));
        drops[s->ndeferred] = buf_detach(&b);
        s->deferred[s->ndeferred++] = sq_col_dup(st, 2);
    }
    sqlite3_finalize(st);
    int out = rc == SQLITE_DONE ? ST_OK : sq_fail(s, "defer_indexes");
    int dropped = 0;
    for (int i = 0; i < s->ndeferred && out == ST_OK; i++) {
        if (sqlite3_exec(s->db, drops[i], NULL, NULL, NULL) != SQLITE_OK)
            out = sq_fail(s, "drop_index");
        else
            dropped++;
    }
    /* a drop failed part-way: what was already dropped comes back now, not never */
    for (int i = 0; out != ST_OK && i < dropped; i++)
        sqlite3_exec(s->db, s->deferred[i], NULL, NULL, NULL);
    for (int i = 0; i < s->ndeferred; i++)
        free(drops[i]);
    free(drops);
    if (out != ST_OK)
        forget_deferred(s);
    return out;
}

/* ---- dvk check ---------------------------------------------------------------------- */

/* The one number sql's first row gives, or -1 on failure. */
static int64_t count_of(struct sqlite_store *s, const char *sql)
{
    sqlite3_stmt *st = sq_once(s, sql);
    if (!st)
        return -1;
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    if (n < 0)
        sq_fail(s, "check");
    sqlite3_finalize(st);
    return n;
}

/* The search index against the models: rows without their model or models without their
 * row (the row's key is the model's registration day and id), and words of the index that
 * the word list lacks (a search expands its words through it). What a row holds is not
 * compared (the index keeps no text): --repair makes it all again. */
static int64_t search_diff(struct sqlite_store *s)
{
    int64_t rows = count_of(s, "SELECT (SELECT count(*) FROM (SELECT key FROM model_search_rows EXCEPT"
                               " SELECT id FROM model_fts_docsize)) + (SELECT count(*) FROM (SELECT id FROM"
                               " model_fts_docsize EXCEPT SELECT key FROM model_search_rows))");
    if (rows < 0 || sqlite3_exec(s->db, FTS_TERMS_TABLE, NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    int64_t words = count_of(s, "SELECT count(*) FROM (SELECT term FROM temp.model_fts_terms WHERE col IN ('body', 'title')"
                                " EXCEPT SELECT word FROM search_words)");
    return words < 0 ? -1 : rows + words;
}

/* FTS5's own check of its index: 1 when it finds it damaged, 0 when whole, -1 when it could
 * not run (it writes, so it waits for other writers as any write does). */
static int64_t search_whole(struct sqlite_store *s)
{
    int rc = sqlite3_exec(s->db, "INSERT INTO model_fts (model_fts, rank) VALUES ('integrity-check', 0)", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        return 0;
    if ((sqlite3_extended_errcode(s->db) & 0xff) == SQLITE_CORRUPT)
        return 1;
    sq_fail(s, "check_search");
    return -1;
}

static int check_all(struct sqlite_store *s, int64_t whole, int64_t out[CHECK_COUNT])
{
    out[CHECK_MODEL_TALLY] = count_of(s, MODEL_TALLY_DIFF);
    out[CHECK_RESULT_TALLY] = count_of(s, RESULT_TALLY_DIFF);
    int64_t rows = search_diff(s);
    out[CHECK_SEARCH] = rows < 0 || whole < 0 ? -1 : rows + whole;
    return out[CHECK_MODEL_TALLY] < 0 || out[CHECK_RESULT_TALLY] < 0 || out[CHECK_SEARCH] < 0 ? ST_ERR : ST_OK;
}

/* The tallies and the search index made again whole from the models: the tallies emptied
 * and the index cleared, then filled as a large import fills them (fill_bulk, from the
 * first model). Inside the caller's write transaction. */
static int remake(struct sqlite_store *s)
{
    if (sqlite3_exec(s->db, "DELETE FROM model_tally; INSERT INTO model_fts (model_fts) VALUES ('delete-all')", NULL, NULL,
                     NULL) != SQLITE_OK)
        return sq_fail(s, "check_remake");
    s->bulk_after = INT64_MIN;
    return fill_bulk(s);
}

int s_check(struct store *base, bool repair, int64_t out[CHECK_COUNT])
{
    struct sqlite_store *s = S(base);
    for (int i = 0; i < CHECK_COUNT; i++)
        out[i] = -1;
    if (repair) {
        if (base->ops->begin(base) != ST_OK)
            return ST_ERR;
        int rc = remake(s);
        if (rc == ST_OK)
            rc = check_all(s, search_whole(s), out);
        if (rc == ST_OK)
            return base->ops->commit(base);
        base->ops->rollback(base);
        return ST_ERR;
    }
    /* FTS5's check first, on its own (a write, however short); then every count from one
     * snapshot */
    int64_t whole = search_whole(s);
    if (whole < 0 || base->ops->begin_read(base) != ST_OK)
        return ST_ERR;
    int rc = check_all(s, whole, out);
    base->ops->rollback(base);
    return rc;
}
