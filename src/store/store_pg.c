/* store_pg.c: the PostgreSQL engine of the store interface (issue 7), through libpq.
 * One connection per store handle (dvk serve opens one per worker thread: the pool is the
 * threads' handles); every value is a parameter of a prepared or parameterized statement;
 * the numbered migrations of src/store/migrations/pg/ are compiled in. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/pg_int.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/embed.h"
#include "util/log.h"
#include "util/text.h"

static _Atomic int last_fault;

int pg_last_fault(void)
{
    return last_fault;
}

/* The class of a failure from its SQLSTATE (and the connection): what a client can be
 * told beyond "it failed". */
static int fault_of(struct pg_store *s)
{
    const char *st = s->state;
    if (PQstatus(s->db) != CONNECTION_OK)
        return ST_FAULT_IO;
    if (strcmp(st, "53100") == 0 || strcmp(st, "54000") == 0) /* disk_full, program_limit_exceeded */
        return ST_FAULT_FULL;
    if (strcmp(st, "25006") == 0) /* read_only_sql_transaction */
        return ST_FAULT_READONLY;
    if (strncmp(st, "08", 2) == 0 || strncmp(st, "58", 2) == 0) /* connection, system (I/O) errors */
        return ST_FAULT_IO;
    return ST_FAULT_NONE;
}

const char *pg_state(struct pg_store *s)
{
    return s->state;
}

/* Keeps the SQLSTATE of res (or of the connection when res is NULL). */
static void keep_state(struct pg_store *s, const PGresult *res)
{
    const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    snprintf(s->state, sizeof s->state, "%s", st ? st : "08000");
}

int pg_fail(struct pg_store *s, const char *what)
{
    int f = fault_of(s);
    if (f != ST_FAULT_NONE) {
        s->base.fault = f;
        last_fault = f;
    }
    const char *msg = PQerrorMessage(s->db);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        n--;
    log_error("postgresql: %s: %.*s", what, (int)n, msg);
    return ST_ERR;
}

/* ---- the statement type (pg_int.h) --------------------------------------------------- */

static int session_setup(struct pg_store *s);
static void reconnect_if_lost(struct pg_store *s);

/* sql with SQLite's placeholders ("?", "?N") as PostgreSQL's ("$N"); string literals and
 * quoted names are copied as they are. */
static char *translate(const char *sql, bool *returning_id)
{
    struct buf b = BUF_INIT;
    int next = 0;
    for (const char *p = sql; *p; p++) {
        if (*p == '\'' || *p == '"') {
            char q = *p;
            buf_putc(&b, *p++);
            while (*p && *p != q)
                buf_putc(&b, *p++);
            if (!*p)
                break;
            buf_putc(&b, *p);
        } else if (*p == '?') {
            int n;
            if (p[1] >= '0' && p[1] <= '9') {
                n = (int)strtol(p + 1, (char **)&p, 10);
                p--;
                if (n > next)
                    next = n;
            } else {
                n = ++next;
            }
            /* "? IS NULL" says nothing of the parameter's type, which PostgreSQL must know:
             * such optional filters are text in dvk's queries */
            if (strncmp(p + 1, " IS NULL", 8) == 0 || strncmp(p + 1, " IS NOT NULL", 12) == 0)
                buf_printf(&b, "CAST($%d AS TEXT)", n);
            else
                buf_printf(&b, "$%d", n);
        } else {
            buf_putc(&b, *p);
        }
    }
    size_t len = strlen(sql);
    *returning_id = len > 13 && strcmp(sql + len - 13, " RETURNING id") == 0;
    return buf_detach(&b);
}

static pq_stmt *stmt_new(struct pg_store *s, int id, const char *sql)
{
    pq_stmt *st = xcalloc(1, sizeof *st);
    st->s = s;
    st->id = id;
    st->sql = translate(sql, &st->returning_id);
    return st;
}

pq_stmt *pg_stmt(struct pg_store *s, int id, const char *sql)
{
    if (!s->q[id])
        s->q[id] = stmt_new(s, id, sql);
    else {
        pq_reset(s->q[id]);
        pq_clear(s->q[id]);
    }
    return s->q[id];
}

pq_stmt *pg_once(struct pg_store *s, const char *sql)
{
    return stmt_new(s, -1, sql);
}

void pq_reset(pq_stmt *st)
{
    if (st->res)
        PQclear(st->res);
    st->res = NULL;
    st->row = 0;
}

void pq_clear(pq_stmt *st)
{
    for (int i = 0; i < st->nparams; i++) {
        free(st->vals[i]);
        st->vals[i] = NULL;
    }
    st->nparams = 0;
}

void pq_finalize(pq_stmt *st)
{
    if (!st)
        return;
    pq_reset(st);
    pq_clear(st);
    free(st->sql);
    free(st);
}

static void bind_owned(pq_stmt *st, int i, char *v)
{
    if (i < 1 || i > PQ_MAX_PARAMS) {
        free(v);
        return;
    }
    free(st->vals[i - 1]);
    st->vals[i - 1] = v;
    if (i > st->nparams)
        st->nparams = i;
}

void pq_bind_int(pq_stmt *st, int i, int v)
{
    char b[16];
    snprintf(b, sizeof b, "%d", v);
    bind_owned(st, i, xstrdup(b));
}

void pq_bind_int64(pq_stmt *st, int i, int64_t v)
{
    char b[24];
    snprintf(b, sizeof b, "%lld", (long long)v);
    bind_owned(st, i, xstrdup(b));
}

void pq_bind_double(pq_stmt *st, int i, double v)
{
    char b[40];
    snprintf(b, sizeof b, "%.17g", v);
    bind_owned(st, i, xstrdup(b));
}

void pq_bind_text(pq_stmt *st, int i, const char *v, int n)
{
    if (!v) {
        bind_owned(st, i, NULL);
        return;
    }
    size_t len = n < 0 ? strlen(v) : (size_t)n;
    char *c = xmalloc(len + 1);
    memcpy(c, v, len);
    c[len] = 0;
    bind_owned(st, i, c);
}

void pq_bind_null(pq_stmt *st, int i)
{
    bind_owned(st, i, NULL);
}

/* A connection lost between transactions (the server restarted, a failover) is opened
 * again before the next statement; one lost inside a transaction fails it (ST_FAULT_IO). */
static void reconnect_if_lost(struct pg_store *s)
{
    if (PQstatus(s->db) != CONNECTION_BAD || s->depth > 0)
        return;
    PQreset(s->db);
    if (PQstatus(s->db) != CONNECTION_OK)
        return;
    log_info("postgresql: connection restored");
    for (int i = 0; i < Q_COUNT; i++)
        if (s->q[i])
            s->q[i]->prepared = false; /* the server forgot them with the session */
    session_setup(s);
}

int pq_step(pq_stmt *st)
{
    struct pg_store *s = st->s;
    if (!st->res) {
        reconnect_if_lost(s);
        const char *vals[PQ_MAX_PARAMS];
        for (int i = 0; i < st->nparams; i++)
            vals[i] = st->vals[i];
        char name[16];
        if (st->id >= 0) {
            snprintf(name, sizeof name, "q%d", st->id);
            if (!st->prepared) {
                PGresult *r = PQprepare(s->db, name, st->sql, 0, NULL);
                if (PQresultStatus(r) != PGRES_COMMAND_OK) {
                    keep_state(s, r);
                    PQclear(r);
                    return PQ_ERROR;
                }
                PQclear(r);
                st->prepared = true;
            }
            st->res = PQexecPrepared(s->db, name, st->nparams, vals, NULL, NULL, 0);
        } else {
            st->res = PQexecParams(s->db, st->sql, st->nparams, NULL, vals, NULL, NULL, 0);
        }
        ExecStatusType t = PQresultStatus(st->res);
        if (t == PGRES_FATAL_ERROR && PQstatus(s->db) == CONNECTION_BAD && s->depth == 0 && !st->retried) {
            /* the connection was lost since the last statement: once more on a new one */
            PQclear(st->res);
            st->res = NULL;
            st->retried = true;
            int rc = pq_step(st);
            st->retried = false;
            return rc;
        }
        if (t == PGRES_COMMAND_OK) {
            const char *n = PQcmdTuples(st->res);
            s->changes = *n ? atoll(n) : 0;
            st->row = 0;
            return PQ_DONE;
        }
        if (t != PGRES_TUPLES_OK) {
            keep_state(s, st->res);
            PQclear(st->res);
            st->res = NULL;
            return strncmp(s->state, "23", 2) == 0 ? PQ_CONSTRAINT : PQ_ERROR;
        }
        s->changes = PQntuples(st->res);
        if (st->returning_id) {
            s->last_id = PQntuples(st->res) ? atoll(PQgetvalue(st->res, 0, 0)) : 0;
            st->row = PQntuples(st->res);
            return PQ_DONE;
        }
        st->row = 0;
        return PQntuples(st->res) > 0 ? PQ_ROW : PQ_DONE;
    }
    if (PQresultStatus(st->res) != PGRES_TUPLES_OK || st->row >= PQntuples(st->res))
        return PQ_DONE;
    return ++st->row < PQntuples(st->res) ? PQ_ROW : PQ_DONE;
}

static bool col_null(pq_stmt *st, int i)
{
    return !st->res || st->row >= PQntuples(st->res) || i >= PQnfields(st->res) || PQgetisnull(st->res, st->row, i);
}

const unsigned char *pq_column_text(pq_stmt *st, int i)
{
    return col_null(st, i) ? NULL : (const unsigned char *)PQgetvalue(st->res, st->row, i);
}

int64_t pq_column_int64(pq_stmt *st, int i)
{
    const char *v = (const char *)pq_column_text(st, i);
    if (!v)
        return 0;
    if (v[0] == 't' && !v[1]) /* a boolean */
        return 1;
    return strtoll(v, NULL, 10);
}

int pq_column_int(pq_stmt *st, int i)
{
    return (int)pq_column_int64(st, i);
}

double pq_column_double(pq_stmt *st, int i)
{
    const char *v = (const char *)pq_column_text(st, i);
    return v ? strtod(v, NULL) : 0;
}

int pq_column_type(pq_stmt *st, int i)
{
    return col_null(st, i) ? PQ_NULL : 1;
}

void pg_bind_text(pq_stmt *st, int i, const char *v)
{
    if (v && *v)
        pq_bind_text(st, i, v, -1);
    else
        pq_bind_null(st, i);
}

void pg_bind_id(pq_stmt *st, int i, int64_t v)
{
    if (v)
        pq_bind_int64(st, i, v);
    else
        pq_bind_null(st, i);
}

void pg_bind_text_empty(pq_stmt *st, int i, const char *v)
{
    pq_bind_text(st, i, v ? v : "", -1);
}

char *pg_col_dup(pq_stmt *st, int i)
{
    const unsigned char *t = pq_column_text(st, i);
    return t ? xstrdup((const char *)t) : NULL;
}

void pg_col_cpy(pq_stmt *st, int i, char *out, size_t outsz)
{
    const unsigned char *t = pq_column_text(st, i);
    snprintf(out, outsz, "%s", t ? (const char *)t : "");
}

int pg_done(struct pg_store *s, pq_stmt *st, const char *what)
{
    int rc = pq_step(st);
    pq_finalize(st);
    return rc == PQ_DONE || rc == PQ_ROW ? ST_OK : pg_fail(s, what);
}

int pg_exec(struct pg_store *s, const char *sql, const char *what)
{
    reconnect_if_lost(s);
    PGresult *r = PQexec(s->db, sql);
    ExecStatusType t = PQresultStatus(r);
    if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
        keep_state(s, r);
        PQclear(r);
        return pg_fail(s, what);
    }
    PQclear(r);
    return ST_OK;
}

/* ---- transactions --------------------------------------------------------- */

/* Opens the outermost transaction with sql; inner begins only count.
 *
 * Write transactions take one advisory lock, held to their end: writers run one after
 * another, on every node, as SQLite's BEGIN IMMEDIATE makes them on one machine. The
 * services were written for that (an appraisal reads the model's step, then moves it on;
 * with writers side by side, a second one would meet a step it had not read). Each
 * transaction is short; reads never wait for it. Statements outside a transaction (a
 * session's last-seen time) are single statements and do not take it. Within a
 * transaction, READ COMMITTED then sees every write committed before the lock was granted,
 * and a model's update still names the version it read (ST_CONFLICT, HTTP 409). */
#define WRITE_LOCK "BEGIN; SELECT pg_advisory_xact_lock(7007002)"
static int begin_as(struct store *base, const char *sql)
{
    struct pg_store *s = S(base);
    if (s->depth++ > 0)
        return ST_OK;
    int rc = pg_exec(s, sql, "begin");
    if (rc)
        s->depth = 0;
    return rc;
}

static int p_begin(struct store *base)
{
    return begin_as(base, WRITE_LOCK);
}

/* one snapshot for the reads that follow */
static int p_begin_read(struct store *base)
{
    return begin_as(base, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

/* PostgreSQL has no size cap per connection (a quota is the server's business: a tablespace
 * on a volume of its own); read_only makes every transaction of this connection read-only. */
static int p_limit(struct store *base, int64_t max_bytes, bool read_only)
{
    static _Atomic int told;
    if (max_bytes > 0 && !told++)
        log_info("postgresql: --max-db-mb has no effect on PostgreSQL (give the database a quota of the server's)");
    S(base)->read_only = read_only;
    return session_setup(S(base));
}

static int p_commit(struct store *base)
{
    struct pg_store *s = S(base);
    if (s->depth == 0) /* an inner failure already rolled the transaction back */
        return ST_ERR;
    if (--s->depth > 0)
        return ST_OK;
    return pg_exec(s, "COMMIT", "commit");
}

static int p_rollback(struct store *base)
{
    struct pg_store *s = S(base);
    if (s->depth == 0)
        return ST_OK;
    s->depth = 0;
    return pg_exec(s, "ROLLBACK", "rollback");
}

/* ---- migrations ----------------------------------------------------------- */

/* Under an advisory lock, so that nodes starting together apply each migration once. */
#define MIGRATION_LOCK "SELECT pg_advisory_lock(7007001)"
#define MIGRATION_UNLOCK "SELECT pg_advisory_unlock(7007001)"

static int migrate(struct pg_store *s)
{
    if (pg_exec(s, MIGRATION_LOCK, "migrations lock") ||
        pg_exec(s,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL,"
                " applied_at TEXT NOT NULL)",
                "migrations table")) {
        pg_exec(s, MIGRATION_UNLOCK, "migrations unlock");
        return ST_ERR;
    }
    int rc = ST_OK;
    for (size_t i = 0; i < pg_migrations_count && rc == ST_OK; i++) {
        const struct embedded_file *f = &pg_migrations_files[i];
        int version = atoi(f->name);
        pq_stmt *q = pg_once(s, "SELECT 1 FROM schema_migrations WHERE version = ?");
        pq_bind_int(q, 1, version);
        int step = pq_step(q);
        pq_finalize(q);
        if (step == PQ_ROW)
            continue;
        if (step != PQ_DONE) {
            rc = pg_fail(s, "migrations");
            break;
        }
        /* Each migration and its bookkeeping row commit together, or not at all. */
        char now[21];
        date_now_iso(now);
        if (pg_exec(s, "BEGIN", f->name) || pg_exec(s, (const char *)f->data, f->name)) {
            pg_exec(s, "ROLLBACK", "rollback");
            rc = ST_ERR;
            break;
        }
        q = pg_once(s, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
        pq_bind_int(q, 1, version);
        pq_bind_text(q, 2, f->name, -1);
        pq_bind_text(q, 3, now, -1);
        if (pg_done(s, q, f->name) || pg_exec(s, "COMMIT", f->name)) {
            pg_exec(s, "ROLLBACK", "rollback");
            rc = ST_ERR;
        }
    }
    pg_exec(s, MIGRATION_UNLOCK, "migrations unlock");
    return rc;
}

/* Sort keys for rows written before migration 009 (and before a change of the
 * collation): computed in C, in batches, in one transaction. Cheap when none lacks one. */
static int fill_sort_keys(struct pg_store *s)
{
    static const char *const sel[2] = {"SELECT hierarchy, code, name FROM units WHERE name_key = '' LIMIT 5000",
                                       "SELECT id, 0, title FROM models WHERE title_key = '' LIMIT 5000"};
    static const char *const upd[2] = {"UPDATE units SET name_key = ?1 WHERE hierarchy = ?3 AND code = ?2",
                                       "UPDATE models SET title_key = ?1 WHERE id = CAST(?2 AS BIGINT) AND ?3 = 0"};
    pq_stmt *any = pg_once(s, "SELECT EXISTS (SELECT 1 FROM units WHERE name_key = '')"
                              " OR EXISTS (SELECT 1 FROM models WHERE title_key = '')");
    int step = pq_step(any);
    bool missing = step == PQ_ROW && pq_column_int(any, 0);
    pq_finalize(any);
    if (step != PQ_ROW)
        return pg_fail(s, "fill_sort_keys");
    if (!missing)
        return ST_OK;
    if (pg_exec(s, "BEGIN", "fill_sort_keys"))
        return ST_ERR;
    for (int t = 0; t < 2; t++) {
        for (;;) {
            pq_stmt *st = pg_once(s, sel[t]);
            if (pq_step(st) == PQ_ERROR) {
                pq_finalize(st);
                goto fail;
            }
            int n = st->res ? PQntuples(st->res) : 0;
            int rc = ST_OK;
            for (int i = 0; i < n && rc == ST_OK; i++) {
                st->row = i;
                char *key = text_sort_key((const char *)(pq_column_text(st, 2) ? pq_column_text(st, 2) : (const unsigned char *)""));
                pq_stmt *u = pg_once(s, upd[t]);
                /* a key is never empty (it holds its level separators), so the row is not picked again */
                pg_bind_text_empty(u, 1, key);
                pq_bind_text(u, 2, (const char *)pq_column_text(st, t == 0 ? 1 : 0), -1);
                pq_bind_int(u, 3, t == 0 ? pq_column_int(st, 0) : 0);
                rc = pg_done(s, u, "fill_sort_keys");
                free(key);
            }
            pq_finalize(st);
            if (rc)
                goto fail;
            if (n < 5000)
                break;
        }
    }
    if (pg_exec(s, "COMMIT", "fill_sort_keys") == ST_OK)
        return ST_OK;
fail:
    pg_exec(s, "ROLLBACK", "rollback");
    return ST_ERR;
}

/* ---- units ------------------------------------------------------------------ */

static int p_unit_put(struct store *base, const struct unit *u)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_stmt(s, Q_UNIT_PUT,
                            "INSERT INTO units (hierarchy, code, name, name_fold, type, parent_code, level, name_key)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (hierarchy, code) DO UPDATE SET"
                            " name = ?3, name_fold = ?4, type = ?5, parent_code = ?6, level = ?7, name_key = ?8");
    if (!st)
        return ST_ERR;
    char *fold = text_fold(u->name), *key = text_sort_key(u->name);
    pq_bind_int(st, 1, u->hierarchy);
    pg_bind_text(st, 2, u->code);
    pg_bind_text(st, 3, u->name);
    pg_bind_text_empty(st, 4, fold);
    pg_bind_text(st, 5, u->type);
    pg_bind_text(st, 6, u->parent_code);
    pq_bind_int(st, 7, u->level);
    pg_bind_text_empty(st, 8, key);
    free(fold);
    free(key);
    return pq_step(st) == PQ_DONE ? ST_OK : pg_fail(s, "unit_put");
}

static int p_mapping_put(struct store *base, const char *old_code, const char *new_code)
{
    struct pg_store *s = S(base);
    pq_stmt *st =
        pg_stmt(s, Q_MAP_PUT, "INSERT INTO unit_mapping (old_code, new_code) VALUES (?, ?) ON CONFLICT DO NOTHING");
    if (!st)
        return ST_ERR;
    pg_bind_text(st, 1, old_code);
    pg_bind_text(st, 2, new_code);
    return pq_step(st) == PQ_DONE ? ST_OK : pg_fail(s, "mapping_put");
}

#define UNIT_COLS "hierarchy, code, name, type, parent_code, level"

static void read_unit(pq_stmt *st, struct unit *u)
{
    memset(u, 0, sizeof *u);
    u->hierarchy = pq_column_int(st, 0);
    pg_col_cpy(st, 1, u->code, sizeof u->code);
    pg_col_cpy(st, 2, u->name, sizeof u->name);
    pg_col_cpy(st, 3, u->type, sizeof u->type);
    pg_col_cpy(st, 4, u->parent_code, sizeof u->parent_code);
    u->level = pq_column_int(st, 5);
}

static int p_unit_get(struct store *base, int h, const char *code, struct unit *out)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_stmt(s, Q_UNIT_GET, "SELECT " UNIT_COLS " FROM units WHERE hierarchy = ? AND code = ?");
    if (!st)
        return ST_ERR;
    pq_bind_int(st, 1, h);
    pg_bind_text_empty(st, 2, code);
    int rc = pq_step(st);
    if (rc == PQ_ROW) {
        read_unit(st, out);
        pq_reset(st); /* an unfinished statement would hold its read snapshot open */
        return ST_OK;
    }
    return rc == PQ_DONE ? ST_NOTFOUND : pg_fail(s, "unit_get");
}

static int read_units(struct pg_store *s, pq_stmt *st, struct unit_list *out)
{
    int cap = 0, rc;
    memset(out, 0, sizeof *out);
    while ((rc = pq_step(st)) == PQ_ROW) {
        out->items = grow(out->items, &cap, out->n, sizeof *out->items);
        read_unit(st, &out->items[out->n++]);
    }
    pq_reset(st);
    if (rc != PQ_DONE) {
        unit_list_free(out);
        return pg_fail(s, "units");
    }
    return ST_OK;
}

static int p_unit_children(struct store *base, int h, const char *code, struct unit_list *out)
{
    struct pg_store *s = S(base);
    pq_stmt *st;
    if (code && *code) {
        st = pg_stmt(s, Q_UNIT_CHILDREN,
                  "SELECT " UNIT_COLS " FROM units WHERE hierarchy = ? AND parent_code = ? ORDER BY name_key, code");
        if (!st)
            return ST_ERR;
        pg_bind_text(st, 2, code);
    } else {
        st = pg_stmt(s, Q_UNIT_ROOTS,
                  "SELECT " UNIT_COLS " FROM units WHERE hierarchy = ? AND level = 1 ORDER BY name_key, code");
        if (!st)
            return ST_ERR;
    }
    pq_bind_int(st, 1, h);
    return read_units(s, st, out);
}

/* Binds the LIKE pattern "% WORD%" (WORD's % _ \ escaped): WORD begins a word of a text that
 * starts with a space. Asked this way, and not with instr(), a trigram index on the text
 * serves it (migrations/pg/020_search_words.sql). */
void pg_bind_word_prefix(pq_stmt *st, int i, const char *w)
{
    struct buf pat = BUF_INIT;
    buf_puts(&pat, "% ");
    for (const char *c = w; *c; c++) {
        if (*c == '%' || *c == '_' || *c == '\\')
            buf_putc(&pat, '\\');
        buf_putc(&pat, *c);
    }
    buf_putc(&pat, '%');
    pq_bind_text(st, i, pat.p, -1);
    buf_free(&pat);
}

static int p_unit_search(struct store *base, int h, const char *fold, int limit, struct unit_list *out)
{
    struct pg_store *s = S(base);
    /* Built per call: one LIKE per word, each bound. */
    struct buf sql = BUF_INIT;
    buf_puts(&sql, "SELECT " UNIT_COLS " FROM units WHERE hierarchy = ?");
    char *words = xstrdup(fold), *save = NULL;
    int nw = 0;
    for (char *w = strtok_r(words, " ", &save); w && nw < 8; w = strtok_r(NULL, " ", &save))
        buf_puts(&sql, " AND (' ' || name_fold) LIKE ? ESCAPE '\\'"), nw++;
    buf_puts(&sql, " ORDER BY level, length(name_fold), name_key LIMIT ?");
    pq_stmt *st;
    if (!(st = pg_once(s, sql.p))) {
        free(words);
        buf_free(&sql);
        return pg_fail(s, "unit_search");
    }
    pq_bind_int(st, 1, h);
    free(words);
    words = xstrdup(fold);
    int i = 2;
    for (char *w = strtok_r(words, " ", &save); w && i < nw + 2; w = strtok_r(NULL, " ", &save))
        pg_bind_word_prefix(st, i++, w);
    pq_bind_int(st, i, limit);
    int rc = read_units(s, st, out);
    pq_finalize(st);
    free(words);
    buf_free(&sql);
    return rc;
}

static int p_unit_count(struct store *base, int h, int64_t *out)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_stmt(s, Q_UNIT_COUNT, "SELECT count(*) FROM units WHERE hierarchy = ?");
    if (!st)
        return ST_ERR;
    pq_bind_int(st, 1, h);
    if (pq_step(st) != PQ_ROW)
        return pg_fail(s, "unit_count");
    *out = pq_column_int64(st, 0);
    pq_reset(st);
    return ST_OK;
}

static int p_unit_check(struct store *base, int h, int64_t *n, char first_bad[32])
{
    struct pg_store *s = S(base);
    const char *sql = h ? "SELECT count(*), min(c.code) FROM units c LEFT JOIN units p ON p.hierarchy = c.hierarchy"
                          " AND p.code = c.parent_code AND p.level = c.level - 1"
                          " WHERE c.hierarchy = ?1 AND c.parent_code IS NOT NULL AND p.code IS NULL"
                        : "SELECT count(*), min(m.old_code || '>' || m.new_code) FROM unit_mapping m"
                          " LEFT JOIN units o ON o.hierarchy = 2024 AND o.code = m.old_code"
                          " LEFT JOIN units n ON n.hierarchy = 2025 AND n.code = m.new_code"
                          " WHERE o.code IS NULL OR n.code IS NULL OR ?1 <> 0";
    pq_stmt *st;
    if (!(st = pg_once(s, sql)))
        return pg_fail(s, "unit_check");
    pq_bind_int(st, 1, h);
    int rc = pq_step(st);
    if (rc == PQ_ROW) {
        *n = pq_column_int64(st, 0);
        pg_col_cpy(st, 1, first_bad, 32);
    }
    pq_finalize(st);
    return rc == PQ_ROW ? ST_OK : pg_fail(s, "unit_check");
}

static int read_codes(struct pg_store *s, pq_stmt *st, struct code_list *out)
{
    int cap = 0, rc;
    memset(out, 0, sizeof *out);
    while ((rc = pq_step(st)) == PQ_ROW) {
        out->codes = grow(out->codes, &cap, out->n, sizeof *out->codes);
        pg_col_cpy(st, 0, out->codes[out->n++], 32);
    }
    pq_reset(st);
    if (rc != PQ_DONE) {
        code_list_free(out);
        return pg_fail(s, "codes");
    }
    return ST_OK;
}

static int p_mapping_new_of(struct store *base, const char *old_code, struct code_list *out)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_stmt(s, Q_MAP_NEW, "SELECT new_code FROM unit_mapping WHERE old_code = ? ORDER BY new_code");
    if (!st)
        return ST_ERR;
    pg_bind_text_empty(st, 1, old_code);
    return read_codes(s, st, out);
}

static int p_mapping_old_of(struct store *base, const char *new_code, struct code_list *out)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_stmt(s, Q_MAP_OLD, "SELECT old_code FROM unit_mapping WHERE new_code = ? ORDER BY old_code");
    if (!st)
        return ST_ERR;
    pg_bind_text_empty(st, 1, new_code);
    return read_codes(s, st, out);
}

static int p_indicator_list(struct store *base, struct indicator **out, int *n)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_stmt(s, Q_IND_LIST, "SELECT code, name, unit, aggregate FROM indicators ORDER BY sort, code");
    if (!st)
        return ST_ERR;
    int cap = 0, rc;
    *out = NULL;
    *n = 0;
    while ((rc = pq_step(st)) == PQ_ROW) {
        *out = grow(*out, &cap, *n, sizeof **out);
        struct indicator *i = &(*out)[(*n)++];
        pg_col_cpy(st, 0, i->code, sizeof i->code);
        pg_col_cpy(st, 1, i->name, sizeof i->name);
        pg_col_cpy(st, 2, i->unit, sizeof i->unit);
        const unsigned char *agg = pq_column_text(st, 3);
        i->mean = agg && strcmp((const char *)agg, "mean") == 0;
    }
    pq_reset(st);
    if (rc != PQ_DONE) {
        free(*out);
        *out = NULL;
        *n = 0;
        return pg_fail(s, "indicator_list");
    }
    return ST_OK;
}

/* ---- models ------------------------------------------------------------------ */

static int owner_id(struct pg_store *s, const struct model *m, int64_t *id)
{
    *id = 0;
    if (!m->owner || !*m->owner)
        return ST_OK;
    const char *type = owner_type_names[m->owner_type ? m->owner_type : OWNER_ORGANIZATION];
    pq_stmt *st = pg_stmt(s, Q_OWNER_GET, "SELECT id FROM owners WHERE type = ? AND name = ?");
    if (!st)
        return ST_ERR;
    pg_bind_text(st, 1, type);
    pg_bind_text(st, 2, m->owner);
    int rc = pq_step(st);
    if (rc == PQ_ROW) {
        *id = pq_column_int64(st, 0);
        pq_reset(st);
        return ST_OK;
    }
    if (rc != PQ_DONE)
        return pg_fail(s, "owner_get");
    char *fold = text_fold(m->owner);
    st = pg_stmt(s, Q_OWNER_ADD, "INSERT INTO owners AS o (type, name, name_fold) VALUES (?, ?, ?)"
                                          " ON CONFLICT (type, name) DO UPDATE SET name_fold = o.name_fold RETURNING id");
    if (!st) {
        free(fold);
        return ST_ERR;
    }
    pg_bind_text(st, 1, type);
    pg_bind_text(st, 2, m->owner);
    pg_bind_text_empty(st, 3, fold);
    free(fold);
    if (pq_step(st) != PQ_DONE)
        return pg_fail(s, "owner_add");
    *id = s->last_id;
    return ST_OK;
}

/* The next code of year: one row per year, incremented in place. The row stays locked
 * until the transaction ends, so writers on any node take the numbers one after another. */
static int next_code(struct pg_store *s, int year, char out[24])
{
    pq_stmt *st = pg_stmt(s, Q_COUNTER_NEXT,
                          "INSERT INTO code_counters AS c (year, last) VALUES (?, 1)"
                          " ON CONFLICT (year) DO UPDATE SET last = c.last + 1 RETURNING last");
    pq_bind_int(st, 1, year);
    if (pq_step(st) != PQ_ROW)
        return pg_fail(s, "counter_next");
    long long last = pq_column_int64(st, 0);
    pq_reset(st);
    char code[48];
    snprintf(code, sizeof code, "DVK-%04d-%06lld", year, last);
    snprintf(out, 24, "%.23s", code);
    return ST_OK;
}

/* Writes m's tags and results; fresh: m was just inserted, so there is nothing to replace. */
static int write_children(struct pg_store *s, const struct model *m, bool fresh)
{
    pq_stmt *st;
    if (!fresh) {
        st = pg_stmt(s, Q_TAGS_DEL, "DELETE FROM model_tags WHERE model_id = ?");
        if (!st)
            return ST_ERR;
        pq_bind_int64(st, 1, m->id);
        if (pq_step(st) != PQ_DONE)
            return pg_fail(s, "tags_del");
    }
    for (int i = 0; i < m->ntags; i++) {
        st = pg_stmt(s, Q_TAG_ADD, "INSERT INTO model_tags (model_id, pos, tag) VALUES (?, ?, ?)");
        if (!st)
            return ST_ERR;
        pq_bind_int64(st, 1, m->id);
        pq_bind_int(st, 2, i);
        pg_bind_text_empty(st, 3, m->tags[i]);
        if (pq_step(st) != PQ_DONE)
            return pg_fail(s, "tag_add");
    }
    if (!fresh) {
        st = pg_stmt(s, Q_RES_DEL, "DELETE FROM model_results WHERE model_id = ?");
        if (!st)
            return ST_ERR;
        pq_bind_int64(st, 1, m->id);
        if (pq_step(st) != PQ_DONE)
            return pg_fail(s, "results_del");
    }
    for (int i = 0; i < m->nresults; i++) {
        st = pg_stmt(s, Q_RES_ADD, "INSERT INTO model_results (model_id, year, indicator, value) VALUES (?, ?, ?, ?)");
        if (!st)
            return ST_ERR;
        pq_bind_int64(st, 1, m->id);
        pq_bind_int(st, 2, m->results[i].year);
        pg_bind_text_empty(st, 3, m->results[i].indicator);
        pq_bind_double(st, 4, m->results[i].value);
        if (pq_step(st) != PQ_DONE)
            return pg_fail(s, "result_add");
    }
    return ST_OK;
}

/* Binds the columns shared by insert and update, in this order, from ?1. */
#define MODEL_WRITE_COLS                                                                                      \
    "title, title_fold, summary, description, field, kind, registration_level, status, hierarchy, unit_code, " \
    "p24, d24, c24, p25, c25, registered_on, owner_id, situation, objectives, content, area_target, forces, "  \
    "resources, outputs, sustainability, period_from, period_to, typical, typical_reason, search_fold, "        \
    "updated_at, public, public_fold, title_key, ext_key, c25_chosen"
#define MODEL_WRITE_N 36

static void bind_model(pq_stmt *st, const struct model *m, int64_t oid, const char *search_fold,
                       const char *public_fold)
{
    char *tf = text_fold(m->title ? m->title : "");
    int i = 1;
    pg_bind_text_empty(st, i++, m->title);
    pg_bind_text_empty(st, i++, tf);
    pg_bind_text(st, i++, m->summary);
    pg_bind_text(st, i++, m->description);
    pg_bind_text(st, i++, model_field_names[m->field]);
    pg_bind_text(st, i++, model_kind_names[m->kind]);
    pg_bind_text(st, i++, reg_level_names[m->level]);
    pg_bind_text(st, i++, model_status_names[m->status]);
    pq_bind_int(st, i++, m->hierarchy);
    pg_bind_text(st, i++, m->unit_code);
    pg_bind_text(st, i++, m->place.p24);
    pg_bind_text(st, i++, m->place.d24);
    pg_bind_text(st, i++, m->place.c24);
    pg_bind_text(st, i++, m->place.p25);
    pg_bind_text(st, i++, m->place.c25);
    pg_bind_text(st, i++, m->registered_on);
    pg_bind_id(st, i++, oid);
    pg_bind_text(st, i++, m->situation);
    pg_bind_text(st, i++, m->objectives);
    pg_bind_text(st, i++, m->content);
    pg_bind_text(st, i++, m->area_target);
    pg_bind_text(st, i++, m->forces);
    pg_bind_text(st, i++, m->resources);
    pg_bind_text(st, i++, m->outputs);
    pg_bind_text(st, i++, m->sustainability);
    pg_bind_text(st, i++, m->period_from);
    pg_bind_text(st, i++, m->period_to);
    pq_bind_int(st, i++, m->typical ? 1 : 0);
    pg_bind_text(st, i++, m->typical_reason);
    pg_bind_text_empty(st, i++, search_fold);
    pg_bind_text(st, i++, m->updated_at);
    pq_bind_int(st, i++, m->is_public ? 1 : 0);
    pg_bind_text_empty(st, i++, public_fold);
    char *tk = text_sort_key(m->title ? m->title : "");
    pg_bind_text_empty(st, i++, tk);
    pg_bind_text(st, i++, m->ext_key);
    pg_bind_text(st, i++, m->commune_2025);
    free(tk);
    free(tf);
}

static int p_model_insert(struct store *base, struct model *m, const char *search_fold, const char *public_fold)
{
    struct pg_store *s = S(base);
    int64_t oid;
    int rc = p_begin(base);
    if (rc)
        return rc;
    date_now_iso(m->created_at);
    memcpy(m->updated_at, m->created_at, sizeof m->updated_at);
    m->version = 1;
    if ((rc = owner_id(s, m, &oid)) || (rc = next_code(s, date_year(m->registered_on), m->code)))
        goto fail;
    pq_stmt *st = pg_stmt(s, Q_MODEL_INSERT,
                            "INSERT INTO models (" MODEL_WRITE_COLS ", code, version, created_at) VALUES "
                            "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,"
                            " ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, 1, ?38) RETURNING id");
    if (!st) {
        rc = ST_ERR;
        goto fail;
    }
    bind_model(st, m, oid, search_fold, public_fold);
    pg_bind_text(st, MODEL_WRITE_N + 1, m->code);
    pg_bind_text(st, MODEL_WRITE_N + 2, m->created_at);
    if (pq_step(st) != PQ_DONE) {
        rc = pg_fail(s, "model_insert");
        goto fail;
    }
    m->id = s->last_id;
    if ((rc = write_children(s, m, true)))
        goto fail;
    return p_commit(base);
fail:
    p_rollback(base);
    return rc;
}

static int p_model_update(struct store *base, struct model *m, int expected_version, const char *search_fold,
                          const char *public_fold)
{
    struct pg_store *s = S(base);
    int64_t oid;
    int rc = p_begin(base);
    if (rc)
        return rc;
    date_now_iso(m->updated_at);
    if ((rc = owner_id(s, m, &oid)))
        goto fail;
    pq_stmt *st = pg_stmt(
        s, Q_MODEL_UPDATE,
        "UPDATE models SET (" MODEL_WRITE_COLS ", version) = (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
        " ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34,"
        " ?35, ?36, version + 1) WHERE id = ?37 AND version = ?38");
    if (!st) {
        rc = ST_ERR;
        goto fail;
    }
    bind_model(st, m, oid, search_fold, public_fold);
    pq_bind_int64(st, MODEL_WRITE_N + 1, m->id);
    pq_bind_int(st, MODEL_WRITE_N + 2, expected_version);
    if (pq_step(st) != PQ_DONE) {
        rc = pg_fail(s, "model_update");
        goto fail;
    }
    if (s->changes == 0) {
        struct model cur;
        rc = base->ops->model_get(base, m->id, &cur);
        if (rc == ST_OK) {
            model_free(&cur);
            rc = ST_CONFLICT;
        }
        goto fail;
    }
    m->version = expected_version + 1;
    if ((rc = write_children(s, m, false)))
        goto fail;
    return p_commit(base);
fail:
    p_rollback(base);
    return rc;
}

#define MODEL_READ_COLS                                                                                           \
    "m.id, m.code, m.title, m.summary, m.description, m.field, m.kind, m.registration_level, m.status, "          \
    "m.hierarchy, m.unit_code, m.p24, m.d24, m.c24, m.p25, m.c25, m.registered_on, o.type, o.name, m.situation, " \
    "m.objectives, m.content, m.area_target, m.forces, m.resources, m.outputs, m.sustainability, m.period_from, " \
    "m.period_to, m.typical, m.typical_reason, m.version, m.created_at, m.updated_at, u.name, m.title_fold, m.public, " \
    "m.ext_key, m.c25_chosen"
#define MODEL_READ_FROM                                                 \
    " FROM models m LEFT JOIN owners o ON o.id = m.owner_id"            \
    " LEFT JOIN units u ON u.hierarchy = m.hierarchy AND u.code = m.unit_code"

static int read_model(struct pg_store *s, pq_stmt *st, struct model *m)
{
    model_init(m);
    int i = 0;
    m->id = pq_column_int64(st, i++);
    pg_col_cpy(st, i++, m->code, sizeof m->code);
    m->title = pg_col_dup(st, i++);
    m->summary = pg_col_dup(st, i++);
    m->description = pg_col_dup(st, i++);
    m->field = enum_parse(model_field_names, FIELD_COUNT, (const char *)pq_column_text(st, i++));
    m->kind = enum_parse(model_kind_names, KIND_COUNT, (const char *)pq_column_text(st, i++));
    m->level = enum_parse(reg_level_names, LEVEL_COUNT, (const char *)pq_column_text(st, i++));
    m->status = enum_parse(model_status_names, STATUS_COUNT, (const char *)pq_column_text(st, i++));
    m->hierarchy = pq_column_int(st, i++);
    pg_col_cpy(st, i++, m->unit_code, sizeof m->unit_code);
    pg_col_cpy(st, i++, m->place.p24, sizeof m->place.p24);
    pg_col_cpy(st, i++, m->place.d24, sizeof m->place.d24);
    pg_col_cpy(st, i++, m->place.c24, sizeof m->place.c24);
    pg_col_cpy(st, i++, m->place.p25, sizeof m->place.p25);
    pg_col_cpy(st, i++, m->place.c25, sizeof m->place.c25);
    pg_col_cpy(st, i++, m->registered_on, sizeof m->registered_on);
    m->owner_type = enum_parse(owner_type_names, OWNER_COUNT, (const char *)pq_column_text(st, i++));
    m->owner = pg_col_dup(st, i++);
    m->situation = pg_col_dup(st, i++);
    m->objectives = pg_col_dup(st, i++);
    m->content = pg_col_dup(st, i++);
    m->area_target = pg_col_dup(st, i++);
    m->forces = pg_col_dup(st, i++);
    m->resources = pg_col_dup(st, i++);
    m->outputs = pg_col_dup(st, i++);
    m->sustainability = pg_col_dup(st, i++);
    pg_col_cpy(st, i++, m->period_from, sizeof m->period_from);
    pg_col_cpy(st, i++, m->period_to, sizeof m->period_to);
    m->typical = pq_column_int(st, i++) != 0;
    m->typical_reason = pg_col_dup(st, i++);
    m->version = pq_column_int(st, i++);
    pg_col_cpy(st, i++, m->created_at, sizeof m->created_at);
    pg_col_cpy(st, i++, m->updated_at, sizeof m->updated_at);
    m->unit_name = pg_col_dup(st, i++);
    i++; /* title_fold */
    m->is_public = pq_column_int(st, i++) != 0;
    m->ext_key = pg_col_dup(st, i++);
    pg_col_cpy(st, i++, m->commune_2025, sizeof m->commune_2025);
    return ST_OK;
    (void)s;
}

static int read_children(struct pg_store *s, struct model *m)
{
    pq_stmt *st = pg_stmt(s, Q_TAGS_GET, "SELECT tag FROM model_tags WHERE model_id = ? ORDER BY pos");
    if (!st)
        return ST_ERR;
    pq_bind_int64(st, 1, m->id);
    int rc;
    while ((rc = pq_step(st)) == PQ_ROW && m->ntags < MODEL_MAX_TAGS)
        m->tags[m->ntags++] = pg_col_dup(st, 0);
    pq_reset(st);
    if (rc != PQ_DONE && rc != PQ_ROW)
        return pg_fail(s, "tags_get");
    st = pg_stmt(s, Q_RES_GET,
              "SELECT r.year, r.indicator, r.value FROM model_results r JOIN indicators i ON i.code = r.indicator"
              " WHERE r.model_id = ? ORDER BY r.year, i.sort");
    if (!st)
        return ST_ERR;
    pq_bind_int64(st, 1, m->id);
    while ((rc = pq_step(st)) == PQ_ROW && m->nresults < MODEL_MAX_RESULTS) {
        struct model_result *r = &m->results[m->nresults++];
        r->year = pq_column_int(st, 0);
        pg_col_cpy(st, 1, r->indicator, sizeof r->indicator);
        r->value = pq_column_double(st, 2);
    }
    pq_reset(st);
    if (rc != PQ_DONE && rc != PQ_ROW)
        return pg_fail(s, "results_get");
    return ST_OK;
}

/* The model at id among ms[0..n), or NULL. */
static struct model *by_id(struct model *ms, int n, int64_t id)
{
    for (int i = 0; i < n; i++)
        if (ms[i].id == id)
            return &ms[i];
    return NULL;
}

/* Tags and results of a whole page in two statements, not two per model. */
static int read_children_batch(struct pg_store *s, struct model *ms, int n)
{
    static const char *const sql[2] = {
        "SELECT model_id, tag, NULL, NULL FROM model_tags WHERE model_id = ANY (CAST(? AS BIGINT[]))"
        " ORDER BY model_id, pos",
        "SELECT r.model_id, r.indicator, r.year, r.value FROM model_results r JOIN indicators i ON i.code = r.indicator"
        " WHERE r.model_id = ANY (CAST(? AS BIGINT[])) ORDER BY r.model_id, r.year, i.sort"};
    struct buf ids = BUF_INIT;
    buf_putc(&ids, '{'); /* an array literal of ids */
    for (int i = 0; i < n; i++)
        buf_printf(&ids, "%s%lld", i ? "," : "", (long long)ms[i].id);
    buf_putc(&ids, '}');
    int rc = ST_OK;
    for (int q = 0; q < 2 && rc == ST_OK; q++) {
        pq_stmt *st = pg_once(s, sql[q]);
        if (!st) {
            rc = ST_ERR;
            break;
        }
        pq_bind_text(st, 1, ids.p, (int)ids.len);
        int step;
        while ((step = pq_step(st)) == PQ_ROW) {
            struct model *m = by_id(ms, n, pq_column_int64(st, 0));
            if (!m)
                continue;
            if (q == 0 && m->ntags < MODEL_MAX_TAGS)
                m->tags[m->ntags++] = pg_col_dup(st, 1);
            else if (q == 1 && m->nresults < MODEL_MAX_RESULTS) {
                struct model_result *r = &m->results[m->nresults++];
                pg_col_cpy(st, 1, r->indicator, sizeof r->indicator);
                r->year = pq_column_int(st, 2);
                r->value = pq_column_double(st, 3);
            }
        }
        pq_finalize(st);
        if (step != PQ_DONE)
            rc = pg_fail(s, "children");
    }
    buf_free(&ids);
    return rc;
}

static int p_model_get(struct store *base, int64_t id, struct model *out)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_stmt(s, Q_MODEL_GET, "SELECT " MODEL_READ_COLS MODEL_READ_FROM " WHERE m.id = ?");
    if (!st)
        return ST_ERR;
    pq_bind_int64(st, 1, id);
    int rc = pq_step(st);
    if (rc == PQ_DONE)
        return ST_NOTFOUND;
    if (rc != PQ_ROW)
        return pg_fail(s, "model_get");
    read_model(s, st, out);
    pq_reset(st);
    if (read_children(s, out)) {
        model_free(out);
        return ST_ERR;
    }
    return ST_OK;
}

static const char *const sort_col[SORT_COUNT] = {"m.registered_on", "m.registered_on", "m.title_key", "m.code"};
static const char *const sort_dir[SORT_COUNT] = {"DESC", "ASC", "ASC", "ASC"};
static const char *const place_sql[] = {"", "m.p24 = ?", "m.d24 = ?", "m.c24 = ?", "m.p25 = ?", "m.c25 = ?",
                                        "m.hierarchy = ? AND m.unit_code = ?"};

/* WHERE clause shared by the count and the page; binds in order. */
void pg_filter_sql(const struct model_filter *f, struct buf *sql)
{
    buf_puts(sql, " WHERE true");
    if (f->field)
        buf_puts(sql, " AND m.field = ?");
    if (f->kind)
        buf_puts(sql, " AND m.kind = ?");
    if (f->status)
        buf_puts(sql, " AND m.status = ?");
    if (f->typical >= 0)
        buf_puts(sql, " AND m.typical = ?");
    if (f->place_col)
        buf_printf(sql, " AND %s", place_sql[f->place_col]);
    if (f->scope_col)
        buf_printf(sql, " AND %s", place_sql[f->scope_col]);
    if (f->showcase)
        buf_puts(sql, " AND m.public = 1 AND m.typical = 1 AND m.status = 'recognized'");
    if (f->from[0])
        buf_puts(sql, " AND m.registered_on >= ?");
    if (f->to[0])
        buf_puts(sql, " AND m.registered_on <= ?");
    if (f->q_fold && *f->q_fold) {
        char *w = xstrdup(f->q_fold), *save = NULL;
        for (char *t = strtok_r(w, " ", &save); t; t = strtok_r(NULL, " ", &save))
            buf_printf(sql, " AND %s LIKE ? ESCAPE '\\'", /* word prefixes, each served by a trigram index */
                       f->showcase ? PG_PUBLIC_TEXT : PG_SEARCH_TEXT);
        free(w);
    }
}

int pg_filter_bind(pq_stmt *st, const struct model_filter *f)
{
    int i = 1;
    if (f->field)
        pq_bind_text(st, i++, model_field_names[f->field], -1);
    if (f->kind)
        pq_bind_text(st, i++, model_kind_names[f->kind], -1);
    if (f->status)
        pq_bind_text(st, i++, model_status_names[f->status], -1);
    if (f->typical >= 0)
        pq_bind_int(st, i++, f->typical);
    if (f->place_col == PLACE_UNIT)
        pq_bind_int(st, i++, f->unit_hierarchy);
    if (f->place_col)
        pq_bind_text(st, i++, f->place_code, -1);
    if (f->scope_col == PLACE_UNIT)
        pq_bind_int(st, i++, f->scope_hierarchy);
    if (f->scope_col)
        pq_bind_text(st, i++, f->scope_code, -1);
    if (f->from[0])
        pq_bind_text(st, i++, f->from, -1);
    if (f->to[0])
        pq_bind_text(st, i++, f->to, -1);
    if (f->q_fold && *f->q_fold) {
        char *w = xstrdup(f->q_fold), *save = NULL;
        for (char *t = strtok_r(w, " ", &save); t; t = strtok_r(NULL, " ", &save))
            pg_bind_word_prefix(st, i++, t);
        free(w);
    }
    return i;
}

/* Totals are not kept between calls: another connection, or another node, may have written
 * since, and PostgreSQL has no cheap "has anything changed" counter like SQLite's
 * data_version. (The key is still built, so that both engines' list code reads alike.) */
static char *count_key(const struct model_filter *f, const char *where)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "%s|%d", where, f->field);
    return buf_detach(&b);
}

bool pg_count_get(struct pg_store *s, const char *key, int64_t *total)
{
    (void)s, (void)key, (void)total;
    return false;
}

void pg_count_put(struct pg_store *s, char *key, int64_t total)
{
    (void)s, (void)total;
    free(key);
}

int pg_list_scan(struct pg_store *s, const struct model_filter *f, bool count, struct model_page *out)
{
    memset(out, 0, sizeof *out);
    struct buf where = BUF_INIT, sql = BUF_INIT;
    pg_filter_sql(f, &where);
    int rc = ST_ERR;
    pq_stmt *st = NULL;

    char *key = count ? count_key(f, where.p) : NULL;
    if (!count || pg_count_get(s, key, &out->total)) {
        free(key);
    } else {
        /* the WHERE clause is made of constant SQL only; every value is bound by filter_bind */
        buf_printf(&sql, "SELECT count(*) FROM models m%s", where.p);
        if (!(st = pg_once(s, sql.p))) {
            free(key);
            pg_fail(s, "model_count");
            goto out;
        }
        pg_filter_bind(st, f);
        if (pq_step(st) != PQ_ROW) {
            free(key);
            pg_fail(s, "model_count");
            goto out;
        }
        out->total = pq_column_int64(st, 0);
        pq_finalize(st);
        st = NULL;
        pg_count_put(s, key, out->total);
    }

    int sort = f->sort >= 0 && f->sort < SORT_COUNT ? f->sort : SORT_REGISTERED_DESC;
    const char *cmp = strcmp(sort_dir[sort], "DESC") == 0 ? "<" : ">";
    buf_reset(&sql);
    buf_printf(&sql, "SELECT " MODEL_READ_COLS MODEL_READ_FROM "%s", where.p);
    if (f->has_cursor)
        buf_printf(&sql, " AND (%s, m.id) %s (?, ?)", sort_col[sort], cmp);
    buf_printf(&sql, " ORDER BY %s %s, m.id %s LIMIT ?", sort_col[sort], sort_dir[sort], sort_dir[sort]);
    if (!(st = pg_once(s, sql.p))) {
        pg_fail(s, "model_list");
        goto out;
    }
    int i = pg_filter_bind(st, f);
    if (f->has_cursor) {
        pq_bind_text(st, i++, f->cursor_key, -1);
        pq_bind_int64(st, i++, f->cursor_id);
    }
    pq_bind_int(st, i, f->limit + 1);
    out->items = xcalloc((size_t)f->limit + 1, sizeof *out->items);
    int step;
    while ((step = pq_step(st)) == PQ_ROW) {
        if (out->n == f->limit) {
            out->more = true;
            break;
        }
        read_model(s, st, &out->items[out->n++]);
    }
    if (step != PQ_ROW && step != PQ_DONE) {
        pg_fail(s, "model_list");
        goto out;
    }
    if (out->n && read_children_batch(s, out->items, out->n))
        goto out;
    rc = ST_OK;
out:
    if (st)
        pq_finalize(st);
    if (rc)
        model_page_free(out);
    buf_free(&where);
    buf_free(&sql);
    return rc;
}

static int p_model_list(struct store *base, const struct model_filter *f, struct model_page *out)
{
    if (f->q_fold && *f->q_fold)
        return pg_search_list(S(base), f, out); /* store_pg_search.c */
    return pg_list_scan(S(base), f, true, out);
}

int pg_models_by_ids(struct pg_store *s, const int64_t *ids, int n, struct model *out)
{
    struct buf json = BUF_INIT;
    buf_putc(&json, '{'); /* an array literal of ids */
    for (int i = 0; i < n; i++)
        buf_printf(&json, "%s%lld", i ? "," : "", (long long)ids[i]);
    buf_putc(&json, '}');
    pq_stmt *st = pg_stmt(s, Q_MODELS_BY_IDS, "SELECT " MODEL_READ_COLS MODEL_READ_FROM
                                                   " WHERE m.id = ANY (CAST(? AS BIGINT[]))");
    if (!st) {
        buf_free(&json);
        return ST_ERR;
    }
    pq_bind_text(st, 1, json.p, (int)json.len);
    buf_free(&json);
    int got = 0, step;
    bool *seen = xcalloc((size_t)n + 1, sizeof *seen);
    while ((step = pq_step(st)) == PQ_ROW) {
        int64_t id = pq_column_int64(st, 0);
        for (int i = 0; i < n; i++)
            if (ids[i] == id && !seen[i]) {
                read_model(s, st, &out[i]);
                seen[i] = true;
                got++;
                break;
            }
    }
    pq_reset(st);
    int rc = step == PQ_DONE ? ST_OK : pg_fail(s, "models_by_ids");
    /* a row deleted in between leaves a hole: close it up, keeping the order */
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (!seen[i])
            continue;
        if (k != i)
            out[k] = out[i];
        k++;
    }
    free(seen);
    if (rc == ST_OK && k && read_children_batch(s, out, k))
        rc = ST_ERR;
    if (rc) {
        for (int i = 0; i < k; i++)
            model_free(&out[i]);
        return rc;
    }
    return k;
}

static int p_model_count(struct store *base, int64_t *out)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_stmt(s, Q_MODEL_COUNT, "SELECT count(*) FROM models");
    if (!st || pq_step(st) != PQ_ROW)
        return pg_fail(s, "model_count");
    *out = pq_column_int64(st, 0);
    pq_reset(st);
    return ST_OK;
}

static int p_submission_find(struct store *base, int64_t user_id, const char *token, int64_t *model_id)
{
    struct pg_store *s = S(base);
    pq_stmt *st =
        pg_stmt(s, Q_SUBMISSION_FIND, "SELECT model_id FROM model_submissions WHERE user_id = ? AND token = ?");
    if (!st)
        return ST_ERR;
    pq_bind_int64(st, 1, user_id);
    pg_bind_text(st, 2, token);
    int rc = pq_step(st);
    if (rc == PQ_DONE)
        return ST_NOTFOUND;
    if (rc != PQ_ROW)
        return pg_fail(s, "submission_find");
    *model_id = pq_column_int64(st, 0);
    pq_reset(st);
    return ST_OK;
}

static int p_submission_add(struct store *base, int64_t user_id, const char *token, int64_t model_id)
{
    struct pg_store *s = S(base);
    char now[32];
    date_now_iso(now);
    pq_stmt *st = pg_stmt(s, Q_SUBMISSION_ADD,
                          "INSERT INTO model_submissions (user_id, token, model_id, at) VALUES (?, ?, ?, ?)"
                          " ON CONFLICT DO NOTHING");
    if (!st)
        return ST_ERR;
    pq_bind_int64(st, 1, user_id);
    pg_bind_text(st, 2, token);
    pq_bind_int64(st, 3, model_id);
    pg_bind_text(st, 4, now);
    if (pq_step(st) != PQ_DONE)
        return pg_fail(s, "submission_add");
    return s->changes == 1 ? ST_OK : ST_EXISTS;
}

/* The placed tables by enum placed_table: names for the SQL below, never from a request. */
static const char *const placed_names[PLACED_COUNT] = {"models", "replications", "commendation_events", "awards"};

static int p_place_refs(struct store *base, int table, int64_t after_id, int limit, struct place_ref *out, int *n)
{
    struct pg_store *s = S(base);
    *n = 0;
    if (table < 0 || table >= PLACED_COUNT)
        return ST_ERR;
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT id, hierarchy, unit_code FROM %s WHERE id > ? ORDER BY id LIMIT ?", placed_names[table]);
    pq_stmt *st;
    if (!(st = pg_once(s, sql)))
        return pg_fail(s, "place_refs");
    pq_bind_int64(st, 1, after_id);
    pq_bind_int(st, 2, limit);
    int rc;
    while ((rc = pq_step(st)) == PQ_ROW && *n < limit) {
        out[*n].id = pq_column_int64(st, 0);
        out[*n].hierarchy = pq_column_int(st, 1);
        pg_col_cpy(st, 2, out[*n].unit_code, sizeof out[*n].unit_code);
        (*n)++;
    }
    pq_finalize(st);
    return rc == PQ_DONE || rc == PQ_ROW ? ST_OK : pg_fail(s, "place_refs");
}

static int p_place_set(struct store *base, int table, int64_t id, const struct model_place *p)
{
    struct pg_store *s = S(base);
    if (table < 0 || table >= PLACED_COUNT)
        return ST_ERR;
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE %s SET p24 = ?, d24 = ?, c24 = ?, p25 = ?, c25 = ? WHERE id = ?", placed_names[table]);
    pq_stmt *st;
    if (!(st = pg_once(s, sql)))
        return pg_fail(s, "place_set");
    pg_bind_text(st, 1, p->p24);
    pg_bind_text(st, 2, p->d24);
    pg_bind_text(st, 3, p->c24);
    pg_bind_text(st, 4, p->p25);
    pg_bind_text(st, 5, p->c25);
    pq_bind_int64(st, 6, id);
    int rc = pq_step(st);
    pq_finalize(st);
    return rc == PQ_DONE ? ST_OK : pg_fail(s, "place_set");
}

/* ---- open / close ----------------------------------------------------------------- */

/* The count of committed changes (migrations/pg/018_generation.sql): one indexed row. */
static int p_generation(struct store *base, uint64_t *out)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_stmt(s, Q_GENERATION, "SELECT n FROM data_generation");
    if (pq_step(st) != PQ_ROW)
        return pg_fail(s, "generation");
    *out = (uint64_t)pq_column_int64(st, 0);
    pq_reset(st);
    return ST_OK;
}

static void p_close(struct store *base)
{
    struct pg_store *s = S(base);
    if (!s)
        return;
    for (int i = 0; i < Q_COUNT; i++)
        pq_finalize(s->q[i]);
    if (s->db)
        PQfinish(s->db);
    free(s);
}

static const struct store_ops pg_ops = {
    .engine = "postgresql",
    .close = p_close,
    .begin = p_begin,
    .commit = p_commit,
    .rollback = p_rollback,
    .begin_read = p_begin_read,
    .limit = p_limit,
    .unit_put = p_unit_put,
    .mapping_put = p_mapping_put,
    .unit_get = p_unit_get,
    .unit_children = p_unit_children,
    .unit_search = p_unit_search,
    .unit_count = p_unit_count,
    .unit_check = p_unit_check,
    .mapping_new_of = p_mapping_new_of,
    .mapping_old_of = p_mapping_old_of,
    .indicator_list = p_indicator_list,
    .model_insert = p_model_insert,
    .model_get = p_model_get,
    .model_update = p_model_update,
    .model_list = p_model_list,
    .model_title_candidates = p_model_title_candidates,
    .model_count = p_model_count,
    .submission_find = p_submission_find,
    .submission_add = p_submission_add,
    .place_refs = p_place_refs,
    .place_set = p_place_set,
    .user_insert = p_user_insert,
    .user_by_login = p_user_by_login,
    .user_get = p_user_get,
    .user_list = p_user_list,
    .user_update = p_user_update,
    .session_create = p_session_create,
    .session_get = p_session_get,
    .session_touch = p_session_touch,
    .session_delete = p_session_delete,
    .session_delete_user = p_session_delete_user,
    .token_create = p_token_create,
    .token_user = p_token_user,
    .token_revoke = p_token_revoke,
    .token_list = p_token_list,
    .throttle_get = p_throttle_get,
    .throttle_put = p_throttle_put,
    .throttle_clear = p_throttle_clear,
    .model_transition = p_model_transition,
    .model_events = p_model_events,
    .criteria_get = p_criteria_get,
    .criteria_put = p_criteria_put,
    .threshold_get = p_threshold_get,
    .threshold_put = p_threshold_put,
    .appraisal_insert = p_appraisal_insert,
    .appraisal_list = p_appraisal_list,
    .replication_insert = p_replication_insert,
    .replication_delete = p_replication_delete,
    .replication_list = p_replication_list,
    .replication_sources = p_replication_sources,
    .event_insert = p_event_insert,
    .event_get = p_event_get,
    .event_list = p_event_list,
    .report_models = p_report_models,
    .report_results = p_report_results,
    .report_events = p_report_events,
    .report_awards = p_report_awards,
    .report_replications = p_report_replications,
    .report_units = p_report_units,
    .heading_get = p_heading_get,
    .heading_put = p_heading_put,
    .award_insert = p_award_insert,
    .award_list = p_award_list,
    .award_get = p_award_get,
    .appraisal_model = p_appraisal_model,
    .attachment_insert = p_attachment_insert,
    .attachment_get = p_attachment_get,
    .attachment_list = p_attachment_list,
    .model_by_key = p_model_by_key,
    .model_by_old_key = p_model_by_old_key,
    .bulk = p_bulk,
    .defer_indexes = p_defer_indexes,
    .check = p_check,
    .import_seen = p_import_seen,
    .audit_append = p_audit_append,
    .audit_list = p_audit_list,
    .generation = p_generation,
};

/* The settings of this connection's session. */
static int session_setup(struct pg_store *s)
{
    return pg_exec(s,
                   s->read_only ? "SET client_encoding = 'UTF8'; SET client_min_messages = warning;"
                                  " SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"
                                : "SET client_encoding = 'UTF8'; SET client_min_messages = warning;"
                                  " SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
                   "session");
}

/* Drops the server's notices (a migration's "does not exist, skipping"): stderr is for errors. */
static void quiet(void *arg, const char *message)
{
    (void)arg, (void)message;
}

int store_precheck_pg(const char *url)
{
    PGconn *db = PQconnectdb(url);
    int rc = ST_ERR;
    if (!db || PQstatus(db) != CONNECTION_OK) {
        /* the URL may hold a password: it is not repeated */
        log_error("postgresql: cannot connect: %s", db ? PQerrorMessage(db) : "out of memory");
    } else {
        PGresult *r = PQexec(db, "SELECT to_regclass('schema_migrations') IS NOT NULL");
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
            rc = strcmp(PQgetvalue(r, 0, 0), "t") == 0 ? ST_OK : ST_NOTFOUND;
        else
            log_error("postgresql: %s", PQerrorMessage(db));
        PQclear(r);
    }
    PQfinish(db);
    return rc;
}

struct store *store_open_pg(const char *url)
{
    struct pg_store *s = xcalloc(1, sizeof *s);
    s->base.ops = &pg_ops;
    s->db = PQconnectdb(url);
    if (!s->db || PQstatus(s->db) != CONNECTION_OK) {
        const char *msg = s->db ? PQerrorMessage(s->db) : "out of memory";
        size_t n = strlen(msg);
        while (n && msg[n - 1] == '\n')
            n--;
        /* the URL may hold a password: it is not repeated */
        log_error("postgresql: cannot connect: %.*s", (int)n, msg);
        last_fault = ST_FAULT_IO;
        p_close(&s->base);
        return NULL;
    }
    PQsetNoticeProcessor(s->db, quiet, NULL);
    if (session_setup(s)) {
        p_close(&s->base);
        return NULL;
    }
    /* Sort keys and codes compare by bytes, as in SQLite: a database in another collation
     * would list units and titles in a different order. */
    pq_stmt *st = pg_once(s, "SELECT datcollate, pg_is_in_recovery() FROM pg_database WHERE datname = current_database()");
    int step = pq_step(st);
    const char *coll = step == PQ_ROW ? (const char *)pq_column_text(st, 0) : NULL;
    bool c_order = coll && (strcmp(coll, "C") == 0 || strcmp(coll, "POSIX") == 0 || strncmp(coll, "C.", 2) == 0);
    /* a standby (dvk serve --db-read) is read-only: the primary applies the migrations */
    bool standby = step == PQ_ROW && pq_column_int(st, 1);
    if (step == PQ_ROW && !c_order)
        log_error("postgresql: the database uses the collation %s; dvk needs C"
                  " (CREATE DATABASE ... TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C')", coll);
    pq_finalize(st);
    if (step != PQ_ROW) {
        pg_fail(s, "collation");
        p_close(&s->base);
        return NULL;
    }
    if (standby) {
        s->read_only = true;
        if (!c_order || session_setup(s)) {
            p_close(&s->base);
            return NULL;
        }
        return &s->base;
    }
    if (!c_order || migrate(s) != ST_OK || fill_sort_keys(s) != ST_OK) {
        p_close(&s->base);
        return NULL;
    }
    return &s->base;
}
