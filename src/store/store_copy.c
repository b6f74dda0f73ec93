/* store_copy.c: copies a province's SQLite database into a PostgreSQL one and checks the
 * copy by counts and checksums (dvk migrate-db, issue 7).
 *
 * Both engines' migrations make the same tables and columns (tests/api/schema.test.mjs),
 * so a table is copied column by column under the names SQLite reports. Rows go in with
 * their own ids, and a row whose key is already there is left alone: a second run adds
 * nothing. model_tally is not copied: PostgreSQL's triggers count the models as they
 * arrive. Table and column names come from the fixed list below and from SQLite's own
 * catalogue, never from the command line; every value is a parameter. */
#include <libpq-fe.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include "store/store.h"
#include "store/store_copy.h"
#include "util/buf.h"
#include "util/log.h"

/* Parents before children (foreign keys). */
static const char *const tables[] = {
    "units",        "unit_mapping",  "indicators",          "owners",   "code_counters",    "users",
    "models",       "model_tags",    "model_results",       "sessions", "api_tokens",       "signin_throttle",
    "audit",        "model_events",  "criteria",            "appraisal_thresholds", "appraisals",
    "appraisal_scores", "replications", "commendation_events", "awards", "attachments", "report_headings",
};
#define NTABLES (sizeof tables / sizeof tables[0])

struct cols {
    char **name;
    int n;
    struct buf list;  /* "a", "b", ... */
    struct buf order; /* the primary key's columns, or all */
};

static void cols_free(struct cols *c)
{
    for (int i = 0; i < c->n; i++)
        free(c->name[i]);
    free(c->name);
    buf_free(&c->list);
    buf_free(&c->order);
}

static int read_cols(sqlite3 *db, const char *table, struct cols *c)
{
    memset(c, 0, sizeof *c);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT name, pk FROM pragma_table_info(?) ORDER BY cid", -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    int cap = 0;
    struct buf pk = BUF_INIT;
    bool bad = false;
    while (sqlite3_step(st) == SQLITE_ROW) {
        /* column names go into the SQL of both sides as identifiers: dvk's own are plain
         * words; a file whose schema says otherwise is not copied */
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (!name || !*name || name[strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_")]) {
            log_error("migrate-db: table %s has a column named %s, which dvk never makes", table, name ? name : "(null)");
            bad = true;
            break;
        }
        c->name = grow(c->name, &cap, c->n, sizeof *c->name);
        c->name[c->n] = xstrdup(name);
        buf_printf(&c->list, "%s\"%s\"", c->n ? ", " : "", c->name[c->n]);
        if (sqlite3_column_int(st, 1))
            buf_printf(&pk, "%s\"%s\"", pk.len ? ", " : "", c->name[c->n]);
        c->n++;
    }
    sqlite3_finalize(st);
    buf_puts(&c->order, pk.len ? pk.p : c->list.p);
    buf_free(&pk);
    return c->n && !bad ? 0 : -1;
}

/* Feeds one value to the digest: numbers by value (SQLite writes 1234.0 where PostgreSQL
 * writes 1234), NULL as a byte that text never holds. */
static void digest_value(crypto_hash_sha256_state *h, const char *v)
{
    if (!v) {
        crypto_hash_sha256_update(h, (const unsigned char *)"\x01\x1f", 2);
        return;
    }
    char *end;
    double d = strtod(v, &end);
    char num[40];
    if (*v && !*end && end != v) {
        snprintf(num, sizeof num, "%.17g", d);
        v = num;
    }
    crypto_hash_sha256_update(h, (const unsigned char *)v, strlen(v));
    crypto_hash_sha256_update(h, (const unsigned char *)"\x1f", 1);
}

static void digest_hex(crypto_hash_sha256_state *h, char out[17])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(h, d);
    sodium_bin2hex(out, 17, d, 8);
}

static int sqlite_side(sqlite3 *db, const char *table, const struct cols *c, struct copy_table *t)
{
    struct buf sql = BUF_INIT;
    buf_printf(&sql, "SELECT %s FROM \"%s\" ORDER BY %s", c->list.p, table, c->order.p);
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql.p, -1, &st, NULL);
    buf_free(&sql);
    if (rc != SQLITE_OK)
        return -1;
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    t->source_rows = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < c->n; i++)
            digest_value(&h, (const char *)sqlite3_column_text(st, i));
        t->source_rows++;
    }
    sqlite3_finalize(st);
    digest_hex(&h, t->source_sum);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int pg_side(PGconn *pg, const char *table, const struct cols *c, struct copy_table *t)
{
    struct buf sql = BUF_INIT;
    buf_printf(&sql, "SELECT %s FROM \"%s\" ORDER BY %s", c->list.p, table, c->order.p);
    PGresult *r = PQexec(pg, sql.p);
    buf_free(&sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        log_error("migrate-db: %s: %s", table, PQresultErrorMessage(r));
        PQclear(r);
        return -1;
    }
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    t->target_rows = PQntuples(r);
    for (int row = 0; row < PQntuples(r); row++)
        for (int i = 0; i < c->n; i++)
            digest_value(&h, PQgetisnull(r, row, i) ? NULL : PQgetvalue(r, row, i));
    PQclear(r);
    digest_hex(&h, t->target_sum);
    return 0;
}

/* Copies the rows of table that pg lacks. */
static int copy_rows(sqlite3 *db, PGconn *pg, const char *table, const struct cols *c, int64_t *copied)
{
    struct buf sql = BUF_INIT, ins = BUF_INIT;
    buf_printf(&sql, "SELECT %s FROM \"%s\" ORDER BY %s", c->list.p, table, c->order.p);
    buf_printf(&ins, "INSERT INTO \"%s\" (%s) VALUES (", table, c->list.p);
    for (int i = 0; i < c->n; i++)
        buf_printf(&ins, "%s$%d", i ? ", " : "", i + 1);
    buf_puts(&ins, ") ON CONFLICT DO NOTHING");
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql.p, -1, &st, NULL);
    PGresult *p = rc == SQLITE_OK ? PQprepare(pg, "copy_row", ins.p, 0, NULL) : NULL;
    buf_free(&sql);
    buf_free(&ins);
    if (rc != SQLITE_OK || PQresultStatus(p) != PGRES_COMMAND_OK) {
        log_error("migrate-db: %s: %s", table, p ? PQresultErrorMessage(p) : sqlite3_errmsg(db));
        PQclear(p);
        sqlite3_finalize(st);
        return -1;
    }
    PQclear(p);
    const char **vals = xcalloc((size_t)c->n, sizeof *vals);
    int out = 0;
    *copied = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < c->n; i++)
            vals[i] = (const char *)sqlite3_column_text(st, i);
        PGresult *r = PQexecPrepared(pg, "copy_row", c->n, vals, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            log_error("migrate-db: %s: %s", table, PQresultErrorMessage(r));
            PQclear(r);
            out = -1;
            break;
        }
        *copied += atoll(PQcmdTuples(r));
        PQclear(r);
    }
    if (out == 0 && rc != SQLITE_DONE) {
        log_error("migrate-db: %s: %s", table, sqlite3_errmsg(db));
        out = -1;
    }
    free(vals);
    sqlite3_finalize(st);
    PQclear(PQexec(pg, "DEALLOCATE copy_row"));
    return out;
}

static int pg_ok(PGconn *pg, const char *sql)
{
    PGresult *r = PQexec(pg, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        log_error("migrate-db: %s", PQresultErrorMessage(r));
    PQclear(r);
    return ok ? 0 : -1;
}

int store_copy_sqlite_to_pg(const char *from_path, const char *url, struct copy_table *out, int max, int *n)
{
    *n = 0;
    if (sodium_init() < 0)
        return -1;
    /* both at the latest migration first (a province on an older dvk gains the new columns) */
    struct store *a = store_open_sqlite(from_path), *b = a ? store_open_pg(url) : NULL;
    if (b)
        b->ops->close(b);
    if (a)
        a->ops->close(a);
    if (!a || !b)
        return -1;
    sqlite3 *db = NULL;
    PGconn *pg = NULL;
    int rc = -1;
    if (sqlite3_open_v2(from_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        log_error("migrate-db: cannot open %s: %s", from_path, db ? sqlite3_errmsg(db) : "out of memory");
        goto done;
    }
    sqlite3_busy_timeout(db, 5000);
    pg = PQconnectdb(url);
    if (PQstatus(pg) != CONNECTION_OK) {
        log_error("migrate-db: cannot connect: %s", PQerrorMessage(pg));
        goto done;
    }
    /* one snapshot of the source, one transaction on the target */
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
        pg_ok(pg, "SET client_min_messages = warning; BEGIN"))
        goto done;
    int64_t copied[NTABLES] = {0};
    for (size_t i = 0; i < NTABLES; i++) {
        struct cols c;
        if (read_cols(db, tables[i], &c) || copy_rows(db, pg, tables[i], &c, &copied[i])) {
            cols_free(&c);
            PQclear(PQexec(pg, "ROLLBACK"));
            goto done;
        }
        cols_free(&c);
    }
    /* the next id PostgreSQL hands out comes after the copied ones (tables with an id column) */
    for (size_t i = 0; i < NTABLES; i++) {
        struct buf sql = BUF_INIT;
        buf_printf(&sql,
                   "SELECT setval(pg_get_serial_sequence('\"%s\"', 'id'), (SELECT max(id) FROM \"%s\"))"
                   " WHERE pg_get_serial_sequence('\"%s\"', 'id') IS NOT NULL AND EXISTS (SELECT 1 FROM \"%s\")",
                   tables[i], tables[i], tables[i], tables[i]);
        int bad = 0;
        PGresult *r = NULL;
        /* only tables that have an id column are asked */
        PGresult *has = PQexecParams(pg,
                                     "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
                                     " AND table_name = $1 AND column_name = 'id'",
                                     1, NULL, &tables[i], NULL, NULL, 0);
        if (PQresultStatus(has) == PGRES_TUPLES_OK && PQntuples(has) == 1) {
            r = PQexec(pg, sql.p);
            bad = PQresultStatus(r) != PGRES_TUPLES_OK;
            if (bad)
                log_error("migrate-db: %s: %s", tables[i], PQresultErrorMessage(r));
        }
        PQclear(has);
        PQclear(r);
        buf_free(&sql);
        if (bad) {
            PQclear(PQexec(pg, "ROLLBACK"));
            goto done;
        }
    }
    if (pg_ok(pg, "COMMIT"))
        goto done;
    /* the check: both sides, table by table, in one snapshot each */
    if (pg_ok(pg, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"))
        goto done;
    rc = 0;
    for (size_t i = 0; i < NTABLES && (int)i < max; i++) {
        struct copy_table *t = &out[(*n)++];
        memset(t, 0, sizeof *t);
        t->name = tables[i];
        t->copied = copied[i];
        struct cols c;
        if (read_cols(db, tables[i], &c) || sqlite_side(db, tables[i], &c, t) || pg_side(pg, tables[i], &c, t)) {
            cols_free(&c);
            rc = -1;
            break;
        }
        cols_free(&c);
        t->same = t->source_rows == t->target_rows && strcmp(t->source_sum, t->target_sum) == 0;
        if (!t->same)
            rc = 1;
    }
    PQclear(PQexec(pg, "ROLLBACK"));
done:
    if (db) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(db);
    }
    if (pg)
        PQfinish(pg);
    return rc;
}
