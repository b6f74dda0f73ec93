/* store_sqlite_import.c: the lookups a spreadsheet import makes on every row. */
#include <stdlib.h>
#include <string.h>
#include "util/buf.h"
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
 * stays under 100 MB of memory in all. */
int s_bulk(struct store *base, bool on)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = sq_once(s, on ? "PRAGMA cache_size = -24000" : "PRAGMA cache_size = -65536"); /* as opened */
    return st ? sq_done(s, st, "bulk") : ST_ERR;
}

static void forget_deferred(struct sqlite_store *s)
{
    for (int i = 0; i < s->ndeferred; i++)
        free(s->deferred[i]);
    free(s->deferred);
    s->deferred = NULL;
    s->ndeferred = 0;
}

int s_defer_indexes(struct store *base, bool restore)
{
    struct sqlite_store *s = S(base);
    if (restore) {
        int rc = ST_OK;
        for (int i = 0; i < s->ndeferred && rc == ST_OK; i++)
            if (sqlite3_exec(s->db, s->deferred[i], NULL, NULL, NULL) != SQLITE_OK)
                rc = sq_fail(s, "restore_index");
        forget_deferred(s);
        return rc;
    }
    forget_deferred(s);
    sqlite3_stmt *st = sq_once(s, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'models'"
                                  " AND sql IS NOT NULL AND name <> 'models_ext_key' ORDER BY name");
    if (!st)
        return ST_ERR;
    int cap = 0, rc;
    char **names = NULL;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        s->deferred = grow(s->deferred, &cap, s->ndeferred, sizeof *s->deferred);
        names = xrealloc(names, (size_t)cap * sizeof *names);
        names[s->ndeferred] = sq_col_dup(st, 0);
        s->deferred[s->ndeferred++] = sq_col_dup(st, 1);
    }
    sqlite3_finalize(st);
    int out = rc == SQLITE_DONE ? ST_OK : sq_fail(s, "defer_indexes");
    int dropped = 0;
    for (int i = 0; i < s->ndeferred && out == ST_OK; i++) {
        struct buf b = BUF_INIT;
        buf_printf(&b, "DROP INDEX \"%s\"", names[i]);
        if (sqlite3_exec(s->db, b.p, NULL, NULL, NULL) != SQLITE_OK)
            out = sq_fail(s, "drop_index");
        else
            dropped++;
        buf_free(&b);
    }
    /* a drop failed part-way: the indexes already dropped come back now, not never */
    for (int i = 0; out != ST_OK && i < dropped; i++)
        sqlite3_exec(s->db, s->deferred[i], NULL, NULL, NULL);
    for (int i = 0; i < s->ndeferred; i++)
        free(names[i]);
    free(names);
    if (out != ST_OK)
        forget_deferred(s);
    return out;
}
