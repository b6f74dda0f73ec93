/* store_pg_import.c: the PostgreSQL engine's lookups a spreadsheet import makes on every row. */
#include <stdlib.h>
#include <string.h>
#include "util/buf.h"
#include "store/derived.h"
#include "store/pg_int.h"

int p_model_by_key(struct store *base, const char *key, int64_t *id)
{
    struct pg_store *s = S(base);
    static const int ids[2] = {Q_MODEL_BY_CODE, Q_MODEL_BY_KEY};
    static const char *const sql[2] = {"SELECT id FROM models WHERE code = ?", "SELECT id FROM models WHERE ext_key = ?"};
    /* codes look like DVK-2024-000123; any other key is only an ext_key */
    for (int k = strncmp(key, "DVK-", 4) == 0 ? 0 : 1; k < 2; k++) {
        pq_stmt *st = pg_stmt(s, ids[k], sql[k]);
        if (!st)
            return ST_ERR;
        pg_bind_text_empty(st, 1, key);
        int rc = pq_step(st);
        if (rc == PQ_ROW) {
            *id = pq_column_int64(st, 0);
            pq_reset(st);
            return ST_OK;
        }
        if (rc != PQ_DONE)
            return pg_fail(s, "model_by_key");
    }
    return ST_NOTFOUND;
}

int p_model_by_old_key(struct store *base, const char *key, int64_t **ids, int *n)
{
    struct pg_store *s = S(base);
    *n = 0;
    if (!key) {
        pq_stmt *any = pg_stmt(s, Q_MOVED_ANY,
                              "SELECT 1 FROM moved_rows WHERE (tbl = 'models' AND new_key <> old_key)"
                              " OR tbl = 'models.ext_key' LIMIT 1");
        int rc = any ? pq_step(any) : -1;
        if (rc == PQ_ROW) {
            *n = 1;
            pq_reset(any);
        }
        return rc == PQ_ROW || rc == PQ_DONE ? ST_OK : pg_fail(s, "model_by_old_key");
    }
    pq_stmt *st = pg_stmt(s, Q_MODEL_BY_OLD_KEY,
                          "SELECT new_id FROM moved_rows WHERE tbl = ? AND old_key = ?"
                          " AND (new_key IS NULL OR new_key <> old_key) ORDER BY new_id");
    if (!st)
        return ST_ERR;
    pg_bind_text(st, 1, strncmp(key, "DVK-", 4) == 0 ? "models" : "models.ext_key");
    pg_bind_text(st, 2, key);
    int rc, cap = 0;
    *ids = NULL;
    while ((rc = pq_step(st)) == PQ_ROW) {
        *ids = grow(*ids, &cap, *n, sizeof **ids);
        (*ids)[(*n)++] = pq_column_int64(st, 0);
    }
    if (rc != PQ_DONE)
        return pg_fail(s, "model_by_old_key");
    return ST_OK;
}

/* The scratch table is a temporary table of the connection: no other session sees it and
 * memory stays flat as files grow. */
int p_import_seen(struct store *base, const char *key, int64_t row, int64_t *first_row)
{
    struct pg_store *s = S(base);
    if (!key) {
        pq_stmt *d = pg_once(s, "CREATE TEMP TABLE IF NOT EXISTS import_seen (key TEXT PRIMARY KEY, row BIGINT NOT NULL)");
        if (!d || pg_done(s, d, "import_seen_create"))
            return ST_ERR;
        d = pg_once(s, "DELETE FROM pg_temp.import_seen");
        s->seen = 0;
        s->analyze_at = 500;
        return d ? pg_done(s, d, "import_seen_clear") : ST_ERR;
    }
    /* An import's statements are prepared once and soon planned once for all (a generic
     * plan) from what the planner knows of the tables: into an empty database, that they
     * are empty, and a model's key is then looked up by reading every model, each row
     * slower than the last (10,000 rows: 30 s). ANALYZE in the import's transaction counts
     * its own new rows and has the statements planned again; at 500 rows, then at each
     * fourfold, it costs a few ANALYZEs (10,000 rows: 13 s). ANALYZE locks a table against
     * another ANALYZE until the transaction ends: a real import holds dvk's write lock
     * anyway, but a dry run (read only, beside others) analyzes only its own scratch table,
     * the one table it grows. */
    if (++s->seen == s->analyze_at) {
        s->analyze_at *= 4;
        pq_stmt *ro = pg_once(s, "SELECT current_setting('transaction_read_only') = 'on'");
        int rc = ro ? pq_step(ro) : PQ_ERROR;
        bool dry = rc == PQ_ROW && pq_column_text(ro, 0) && pq_column_text(ro, 0)[0] == 't';
        if (ro)
            pq_finalize(ro);
        if (rc != PQ_ROW)
            return pg_fail(s, "import_analyze");
        if (pg_exec(s, dry ? "ANALYZE pg_temp.import_seen" : "ANALYZE models, model_results, owners, pg_temp.import_seen",
                    "import_analyze"))
            return ST_ERR;
    }
    pq_stmt *st = pg_stmt(s, Q_SEEN_ADD, "INSERT INTO pg_temp.import_seen (key, row) VALUES (?, ?) ON CONFLICT DO NOTHING");
    if (!st)
        return ST_ERR;
    pg_bind_text_empty(st, 1, key);
    pq_bind_int64(st, 2, row);
    if (pq_step(st) != PQ_DONE)
        return pg_fail(s, "import_seen_add");
    if (s->changes == 1)
        return ST_OK;
    st = pg_stmt(s, Q_SEEN_GET, "SELECT row FROM pg_temp.import_seen WHERE key = ?");
    if (!st)
        return ST_ERR;
    pg_bind_text_empty(st, 1, key);
    if (pq_step(st) != PQ_ROW)
        return pg_fail(s, "import_seen_get");
    *first_row = pq_column_int64(st, 0);
    pq_reset(st);
    return ST_EXISTS;
}

/* SQLite's cache size and index rebuilds are its own: PostgreSQL's server manages its
 * buffers, and keeps its indexes current within one long transaction at a fair cost. */
int p_bulk(struct store *base, bool on)
{
    (void)base, (void)on;
    return ST_OK;
}

int p_defer_indexes(struct store *base, bool restore)
{
    (void)base, (void)restore;
    return ST_OK;
}

/* ---- dvk check ---------------------------------------------------------------------- */

/* The one number sql's first row gives, or -1 on failure. */
static int64_t count_of(struct pg_store *s, const char *sql)
{
    pq_stmt *st = pg_once(s, sql);
    if (!st)
        return -1;
    int64_t n = pq_step(st) == PQ_ROW ? pq_column_int64(st, 0) : -1;
    if (n < 0)
        pg_fail(s, "check");
    pq_finalize(st);
    return n;
}

static int check_all(struct pg_store *s, int64_t out[CHECK_COUNT])
{
    out[CHECK_MODEL_TALLY] = count_of(s, MODEL_TALLY_DIFF);
    out[CHECK_RESULT_TALLY] = count_of(s, RESULT_TALLY_DIFF);
    return out[CHECK_MODEL_TALLY] < 0 || out[CHECK_RESULT_TALLY] < 0 ? ST_ERR : ST_OK;
}

/* PostgreSQL checks its own files and keeps no search index of dvk's (the search reads the
 * models' folded texts through trigram indexes): only the two tallies. A repair counts them
 * again whole inside dvk's write lock, so that no write of dvk's comes in between. */
int p_check(struct store *base, bool repair, int64_t out[CHECK_COUNT])
{
    struct pg_store *s = S(base);
    for (int i = 0; i < CHECK_COUNT; i++)
        out[i] = -1;
    if ((repair ? base->ops->begin(base) : base->ops->begin_read(base)) != ST_OK)
        return ST_ERR;
    int rc = ST_OK;
    if (repair)
        /* the tallies have no generation trigger (their changes come with the models'):
         * the answers that dvk serve keeps are let go by hand */
        rc = pg_exec(s,
                     "DELETE FROM model_tally; INSERT INTO model_tally " MODEL_TALLY_COUNT ";"
                     " DELETE FROM result_tally; INSERT INTO result_tally " RESULT_TALLY_COUNT ";"
                     " UPDATE data_generation SET n = n + 1",
                     "check_remake");
    if (rc == ST_OK)
        rc = check_all(s, out);
    if (rc == ST_OK && repair)
        return base->ops->commit(base);
    base->ops->rollback(base);
    return rc;
}
