/* store_copy.c: moves a province's SQLite database into the shared PostgreSQL one and
 * checks the move by counts and checksums (dvk migrate-db, issue 7).
 *
 * Both engines' migrations make the same tables and columns (tests/api/schema.test.mjs),
 * so a table is copied column by column under the names SQLite reports. The target may hold
 * other provinces already, so a row does not keep its id blindly:
 *   - shared catalogues (units, indicators, criteria, …) go by their key: a row the target
 *     holds identical is kept once, one that differs stops the move before any write;
 *   - owners go by (type, name): the target's owner of that name is the same owner;
 *   - a row with an id keeps it when the target lacks that id, and takes the next one after
 *     both sides' highest otherwise; every column naming such a row (model_id, user_id,
 *     owner_id, event_id, audit's entity_id, …) is rewritten to match, and so are the logins
 *     that history rows carry when a login was renamed (--rename-users);
 *   - a model code the target holds already becomes the next code of its year; an ext_key
 *     the target holds already is dropped from the row;
 *   - every row's old and new id (codes and logins too) go into moved_rows under the source's
 *     store_origin, so that a second run copies only what it lacks, and the check compares
 *     the source's rows, mapped, with the target's rows under the mapped keys.
 * Audit entries' before/after JSON stay as written: they are history, in the source's ids.
 * Everything that can refuse the move is looked for before the first write; the writes are
 * one transaction (rolled back when they wrote nothing), sent in batches where no answer is
 * needed to go on (libpq's pipeline mode).
 * model_tally and result_tally are not copied (PostgreSQL's triggers count the models and their
 * values as they arrive), nor
 * signin_throttle (failed sign-ins of the last minutes, per login and address).
 * Table and column names come from the fixed list below and from SQLite's own catalogue,
 * never from the command line; every value is a parameter. */
#include <libpq-fe.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "store/store.h"
#include "store/store_copy.h"
#include "util/buf.h"
#include "util/log.h"

/* The tables whose rows have an id of their own, and the name moved_rows knows them by. */
enum { M_OWNERS, M_USERS, M_MODELS, M_TOKENS, M_EVENTS, M_APPRAISALS, M_REPLICATIONS, M_CONFERENCES, M_AWARDS,
       M_ATTACHMENTS, M_AUDIT, NMAPS };
static const char *const map_table[NMAPS] = {"owners",       "users",        "models",
                                             "api_tokens",   "model_events", "appraisals",
                                             "replications", "commendation_events", "awards",
                                             "attachments",  "audit"};

enum kind { K_CATALOGUE, K_COUNTERS, K_ID, K_CHILD };
enum rule { R_NONE, R_OWN, R_REF, R_LOGIN, R_CODE, R_EXTKEY, R_AUDIT_ENTITY, R_ATTACH_ENTITY };
struct colrule {
    const char *col;
    enum rule rule;
    int to; /* R_REF: the map */
};
struct tdesc {
    const char *name;
    enum kind kind;
    int map; /* K_ID: its own map */
    struct colrule rules[4];
};

/* Parents before children; audit last, as it names rows of every kind. */
static const struct tdesc tables[] = {
    {"units", K_CATALOGUE, -1, {{0}}},
    {"unit_mapping", K_CATALOGUE, -1, {{0}}},
    {"indicators", K_CATALOGUE, -1, {{0}}},
    {"criteria", K_CATALOGUE, -1, {{0}}},
    {"appraisal_thresholds", K_CATALOGUE, -1, {{0}}},
    {"report_headings", K_CATALOGUE, -1, {{0}}},
    {"owners", K_ID, M_OWNERS, {{0}}},
    {"users", K_ID, M_USERS, {{"login", R_LOGIN, 0}}},
    {"models", K_ID, M_MODELS, {{"owner_id", R_REF, M_OWNERS}, {"code", R_CODE, 0}, {"ext_key", R_EXTKEY, 0}}},
    {"code_counters", K_COUNTERS, -1, {{0}}},
    {"model_tags", K_CHILD, -1, {{"model_id", R_REF, M_MODELS}}},
    {"model_results", K_CHILD, -1, {{"model_id", R_REF, M_MODELS}}},
    {"sessions", K_CHILD, -1, {{"user_id", R_REF, M_USERS}}},
    {"model_submissions", K_CHILD, -1, {{"user_id", R_REF, M_USERS}, {"model_id", R_REF, M_MODELS}}},
    {"api_tokens", K_ID, M_TOKENS, {{"user_id", R_REF, M_USERS}}},
    {"model_events", K_ID, M_EVENTS,
     {{"model_id", R_REF, M_MODELS}, {"user_id", R_REF, M_USERS}, {"login", R_LOGIN, 0}}},
    {"appraisals", K_ID, M_APPRAISALS, {{"model_id", R_REF, M_MODELS}, {"login", R_LOGIN, 0}}},
    {"appraisal_scores", K_CHILD, -1, {{"appraisal_id", R_REF, M_APPRAISALS}}},
    {"replications", K_ID, M_REPLICATIONS,
     {{"model_id", R_REF, M_MODELS}, {"replica_model_id", R_REF, M_MODELS}, {"login", R_LOGIN, 0}}},
    {"commendation_events", K_ID, M_CONFERENCES, {{"login", R_LOGIN, 0}}},
    {"awards", K_ID, M_AWARDS,
     {{"event_id", R_REF, M_CONFERENCES}, {"model_id", R_REF, M_MODELS}, {"login", R_LOGIN, 0}}},
    {"attachments", K_ID, M_ATTACHMENTS,
     {{"entity_id", R_ATTACH_ENTITY, 0}, {"model_id", R_REF, M_MODELS}, {"login", R_LOGIN, 0}}},
    {"audit", K_ID, M_AUDIT, {{"user_id", R_REF, M_USERS}, {"login", R_LOGIN, 0}, {"entity_id", R_AUDIT_ENTITY, 0}}},
};
#define NTABLES ((int)(sizeof tables / sizeof tables[0]))

/* ---------------------------------------------------------------- id maps */

/* old id -> new id (and for models the new code, for users the new login), open addressing */
struct idmap {
    size_t cap, n;
    int64_t *k, *v;
    char **key;
    unsigned char *used;
};

static size_t slot_of(int64_t k, size_t cap)
{
    uint64_t x = (uint64_t)k * 0x9E3779B97F4A7C15u;
    return (size_t)(x ^ (x >> 29)) & (cap - 1);
}

static void idmap_free(struct idmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->used[i])
            free(m->key[i]);
    free(m->k);
    free(m->v);
    free(m->key);
    free(m->used);
    memset(m, 0, sizeof *m);
}

static void idmap_put(struct idmap *m, int64_t k, int64_t v, const char *key);

static void idmap_grow(struct idmap *m)
{
    struct idmap old = *m;
    m->cap = old.cap ? old.cap * 2 : 64;
    m->n = 0;
    m->k = xcalloc(m->cap, sizeof *m->k);
    m->v = xcalloc(m->cap, sizeof *m->v);
    m->key = xcalloc(m->cap, sizeof *m->key);
    m->used = xcalloc(m->cap, 1);
    for (size_t i = 0; i < old.cap; i++)
        if (old.used[i]) {
            idmap_put(m, old.k[i], old.v[i], old.key[i]);
            free(old.key[i]);
        }
    free(old.k);
    free(old.v);
    free(old.key);
    free(old.used);
}

static void idmap_put(struct idmap *m, int64_t k, int64_t v, const char *key)
{
    if ((m->n + 1) * 2 > m->cap)
        idmap_grow(m);
    size_t i = slot_of(k, m->cap);
    while (m->used[i] && m->k[i] != k)
        i = (i + 1) & (m->cap - 1);
    if (m->used[i])
        free(m->key[i]);
    else
        m->n++;
    m->used[i] = 1;
    m->k[i] = k;
    m->v[i] = v;
    m->key[i] = key ? xstrdup(key) : NULL;
}

static bool idmap_get(const struct idmap *m, int64_t k, int64_t *v, const char **key)
{
    if (!m->cap)
        return false;
    for (size_t i = slot_of(k, m->cap); m->used[i]; i = (i + 1) & (m->cap - 1))
        if (m->k[i] == k) {
            if (v)
                *v = m->v[i];
            if (key)
                *key = m->key[i];
            return true;
        }
    return false;
}

/* ---------------------------------------------------------------- the move's state */

struct year_next {
    int year;
    int64_t last; /* the last number given out by this run, or the highest either side holds */
};

/* Statements whose answers can wait go out in batches within libpq's pipeline mode, their
 * answers read after each batch: a round trip per batch instead of one per row. The batch
 * stays small enough that its statements fit the socket's buffers while PostgreSQL writes
 * the answers (a lookup answers a whole row). */
#define PIPE_BATCH 128
enum { P_COPIED, P_RECORDED, P_LOOKUP };
struct pipe {
    bool on;
    int n;
    const char *table;                /* for messages */
    unsigned char what[PIPE_BATCH];   /* what each statement in flight is */
    int64_t *copied;                  /* P_COPIED: the table's count */
    crypto_hash_sha256_state *target; /* P_LOOKUP: the target's rows found, in order */
    struct copy_table *t;
};

struct mv {
    sqlite3 *db;
    PGconn *pg;
    const char *origin;
    const struct copy_opts *o;
    struct copy_report *r;
    struct idmap map[NMAPS];
    struct idmap extdrop; /* models whose ext_key the target held already */
    struct rename {
        char *from, *to;
    } *ren; /* logins renamed, this run or an earlier one */
    int nl, capl;
    bool adopt; /* the target holds this source's rows from before moved_rows (ids kept) */
    struct year_next *years;
    int ny, capy;
    int64_t copied[NTABLES];
    int64_t recorded; /* rows written into moved_rows */
    struct pipe p;
};

static void mv_free(struct mv *m)
{
    for (int i = 0; i < NMAPS; i++)
        idmap_free(&m->map[i]);
    idmap_free(&m->extdrop);
    for (int i = 0; i < m->nl; i++) {
        free(m->ren[i].from);
        free(m->ren[i].to);
    }
    free(m->ren);
    free(m->years);
}

static const char *renamed_login(const struct mv *m, const char *login)
{
    for (int i = 0; login && i < m->nl; i++)
        if (strcmp(m->ren[i].from, login) == 0)
            return m->ren[i].to;
    return login;
}

static void add_rename(struct mv *m, const char *from, const char *to)
{
    if (strcmp(renamed_login(m, from), from) != 0)
        return;
    m->ren = grow(m->ren, &m->capl, m->nl, sizeof *m->ren);
    m->ren[m->nl].from = xstrdup(from);
    m->ren[m->nl].to = xstrdup(to);
    m->nl++;
}

/* ---------------------------------------------------------------- PostgreSQL helpers */

static int pg_ok(PGconn *pg, const char *sql)
{
    PGresult *r = PQexec(pg, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        log_error("migrate-db: %s", PQresultErrorMessage(r));
    PQclear(r);
    return ok ? 0 : -1;
}

/* A query with text parameters; NULL (logged) unless it returned rows or completed. */
static PGresult *pgq(PGconn *pg, const char *sql, int n, const char *const *v)
{
    PGresult *r = PQexecParams(pg, sql, n, NULL, v, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK) {
        log_error("migrate-db: %s", PQresultErrorMessage(r));
        PQclear(r);
        return NULL;
    }
    return r;
}

/* The first column of the first row as a number, or dflt (also for NULL); -1 and *fail on error. */
static int64_t pg_int(PGconn *pg, const char *sql, int n, const char *const *v, int64_t dflt, bool *fail)
{
    PGresult *r = pgq(pg, sql, n, v);
    if (!r) {
        *fail = true;
        return -1;
    }
    int64_t out = PQntuples(r) && !PQgetisnull(r, 0, 0) ? atoll(PQgetvalue(r, 0, 0)) : dflt;
    PQclear(r);
    return out;
}

static int64_t lite_int(sqlite3 *db, const char *sql, const char *arg, int64_t dflt)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return dflt;
    if (arg)
        sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    int64_t out = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL
                      ? sqlite3_column_int64(st, 0) : dflt;
    sqlite3_finalize(st);
    return out;
}

/* ---------------------------------------------------------------- statements in batches */

static void digest_value(crypto_hash_sha256_state *h, const char *v);

/* One statement's answer, which went well. */
static void answer(struct mv *m, int what, PGresult *r)
{
    if (what == P_COPIED && m->p.copied)
        *m->p.copied += atoll(PQcmdTuples(r));
    else if (what == P_RECORDED)
        m->recorded++;
    else if (what == P_LOOKUP && PQntuples(r) == 1) {
        for (int i = 0; i < PQnfields(r); i++)
            digest_value(m->p.target, PQgetisnull(r, 0, i) ? NULL : PQgetvalue(r, 0, i));
        m->p.t->target_rows++;
    }
}

/* Reads the answers of the statements in flight. */
static int pipe_drain(struct mv *m)
{
    if (!m->p.on || !m->p.n)
        return 0;
    int out = 0;
    if (!PQpipelineSync(m->pg)) {
        log_error("migrate-db: %s", PQerrorMessage(m->pg));
        out = -1;
    }
    for (int k = 0; k < m->p.n && !out; k++) {
        PGresult *r;
        while ((r = PQgetResult(m->pg))) {
            ExecStatusType s = PQresultStatus(r);
            if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK)
                answer(m, m->p.what[k], r);
            else if (!out) {
                log_error("migrate-db: %s: %s", m->p.table ? m->p.table : "", PQresultErrorMessage(r));
                out = -1;
            }
            PQclear(r);
        }
    }
    /* after an error the rest answer "aborted": read up to the sync all the same */
    for (;;) {
        PGresult *r = PQgetResult(m->pg);
        if (!r) {
            if (PQstatus(m->pg) != CONNECTION_OK) {
                out = -1;
                break;
            }
            continue;
        }
        ExecStatusType s = PQresultStatus(r);
        PQclear(r);
        if (s == PGRES_PIPELINE_SYNC)
            break;
    }
    m->p.n = 0;
    return out;
}

static int pipe_start(struct mv *m, const char *table)
{
    m->p.table = table;
    if (!PQenterPipelineMode(m->pg)) {
        log_error("migrate-db: %s", PQerrorMessage(m->pg));
        return -1;
    }
    m->p.on = true;
    m->p.n = 0;
    return 0;
}

static int pipe_stop(struct mv *m)
{
    if (!m->p.on)
        return 0;
    int out = pipe_drain(m);
    if (!PQexitPipelineMode(m->pg)) {
        log_error("migrate-db: %s", PQerrorMessage(m->pg));
        out = -1;
    }
    m->p.on = false;
    return out;
}

/* Runs the prepared statement stmt now, or puts it in flight when the pipeline is on. */
static int run(struct mv *m, int what, const char *stmt, int n, const char *const *v)
{
    if (!m->p.on) {
        PGresult *r = PQexecPrepared(m->pg, stmt, n, v, NULL, NULL, 0);
        ExecStatusType s = PQresultStatus(r);
        int ok = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
        if (ok)
            answer(m, what, r);
        else
            log_error("migrate-db: %s: %s", m->p.table ? m->p.table : "", PQresultErrorMessage(r));
        PQclear(r);
        return ok ? 0 : -1;
    }
    if (!PQsendQueryPrepared(m->pg, stmt, n, v, NULL, NULL, 0)) {
        log_error("migrate-db: %s", PQerrorMessage(m->pg));
        return -1;
    }
    m->p.what[m->p.n++] = (unsigned char)what;
    return m->p.n == PIPE_BATCH ? pipe_drain(m) : 0;
}

/* ---------------------------------------------------------------- columns */

struct cols {
    char **name;
    int n;
    int *pk;     /* the primary key's columns, in key order */
    int npk;
    int id, entity; /* the columns "id" and "entity", or -1 */
    int *rule;   /* per column: the index in its table's rules, -1 for none */
    struct buf list;  /* "a", "b", ... */
    struct buf order; /* the primary key's columns, or all */
};

static void cols_free(struct cols *c)
{
    for (int i = 0; i < c->n; i++)
        free(c->name[i]);
    free(c->name);
    free(c->pk);
    free(c->rule);
    buf_free(&c->list);
    buf_free(&c->order);
}

static int read_cols(sqlite3 *db, const struct tdesc *td, struct cols *c)
{
    memset(c, 0, sizeof *c);
    c->id = c->entity = -1;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT name, pk FROM pragma_table_info(?) ORDER BY cid", -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, td->name, -1, SQLITE_STATIC);
    int cap = 0;
    int *pkpos = NULL, pkcap = 0;
    bool bad = false;
    while (sqlite3_step(st) == SQLITE_ROW) {
        /* column names go into the SQL of both sides as identifiers: dvk's own are plain
         * words; a file whose schema says otherwise is not copied */
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (!name || !*name || name[strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_")]) {
            log_error("migrate-db: table %s has a column named %s, which dvk never makes", td->name,
                      name ? name : "(null)");
            bad = true;
            break;
        }
        c->name = grow(c->name, &cap, c->n, sizeof *c->name);
        pkpos = grow(pkpos, &pkcap, c->n, sizeof *pkpos);
        c->name[c->n] = xstrdup(name);
        pkpos[c->n] = sqlite3_column_int(st, 1);
        buf_printf(&c->list, "%s\"%s\"", c->n ? ", " : "", name);
        if (strcmp(name, "id") == 0)
            c->id = c->n;
        if (strcmp(name, "entity") == 0)
            c->entity = c->n;
        c->n++;
    }
    sqlite3_finalize(st);
    c->pk = xcalloc((size_t)c->n + 1, sizeof *c->pk);
    c->rule = xcalloc((size_t)c->n + 1, sizeof *c->rule);
    for (int k = 1; k <= c->n; k++)
        for (int i = 0; i < c->n; i++)
            if (pkpos[i] == k)
                c->pk[c->npk++] = i;
    if (!c->npk) /* no declared key: the row itself */
        for (int i = 0; i < c->n; i++)
            c->pk[c->npk++] = i;
    for (int k = 0; k < c->npk; k++)
        buf_printf(&c->order, "%s\"%s\"", k ? ", " : "", c->name[c->pk[k]]);
    for (int i = 0; i < c->n; i++) {
        c->rule[i] = -1;
        for (int j = 0; j < 4 && td->rules[j].col; j++)
            if (strcmp(td->rules[j].col, c->name[i]) == 0)
                c->rule[i] = j;
    }
    free(pkpos);
    if (!bad && td->kind == K_ID && c->id < 0) {
        log_error("migrate-db: table %s has no id column", td->name);
        bad = true;
    }
    return c->n && !bad ? 0 : -1;
}

static sqlite3_stmt *lite_rows(sqlite3 *db, const char *table, const struct cols *c)
{
    struct buf sql = BUF_INIT;
    buf_printf(&sql, "SELECT %s FROM \"%s\" ORDER BY %s", c->list.p, table, c->order.p);
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql.p, -1, &st, NULL);
    buf_free(&sql);
    if (rc != SQLITE_OK) {
        log_error("migrate-db: %s: %s", table, sqlite3_errmsg(db));
        return NULL;
    }
    return st;
}

/* Prepares name as "INSERT …" (conflict: what ON CONFLICT does, or "") or "SELECT … WHERE key". */
static int prepare_insert(PGconn *pg, const char *name, const char *table, const struct cols *c, const char *conflict)
{
    struct buf sql = BUF_INIT;
    buf_printf(&sql, "INSERT INTO \"%s\" (%s) VALUES (", table, c->list.p);
    for (int i = 0; i < c->n; i++)
        buf_printf(&sql, "%s$%d", i ? ", " : "", i + 1);
    buf_printf(&sql, ")%s", conflict);
    PGresult *p = PQprepare(pg, name, sql.p, 0, NULL);
    buf_free(&sql);
    int ok = PQresultStatus(p) == PGRES_COMMAND_OK;
    if (!ok)
        log_error("migrate-db: %s: %s", table, PQresultErrorMessage(p));
    PQclear(p);
    return ok ? 0 : -1;
}

static int prepare_lookup(PGconn *pg, const char *name, const char *table, const struct cols *c)
{
    struct buf sql = BUF_INIT;
    buf_printf(&sql, "SELECT %s FROM \"%s\" WHERE ", c->list.p, table);
    for (int k = 0; k < c->npk; k++)
        buf_printf(&sql, "%s\"%s\" = $%d", k ? " AND " : "", c->name[c->pk[k]], k + 1);
    PGresult *p = PQprepare(pg, name, sql.p, 0, NULL);
    buf_free(&sql);
    int ok = PQresultStatus(p) == PGRES_COMMAND_OK;
    if (!ok)
        log_error("migrate-db: %s: %s", table, PQresultErrorMessage(p));
    PQclear(p);
    return ok ? 0 : -1;
}

static void deallocate(PGconn *pg, const char *name)
{
    struct buf sql = BUF_INIT;
    buf_printf(&sql, "DEALLOCATE %s", name);
    PQclear(PQexec(pg, sql.p));
    buf_free(&sql);
}

/* The target's row under the key of vals (already mapped); NULL when none or on error. */
static PGresult *lookup(PGconn *pg, const struct cols *c, const char *const *vals)
{
    const char *key[64];
    for (int k = 0; k < c->npk && k < 64; k++)
        key[k] = vals[c->pk[k]];
    PGresult *r = PQexecPrepared(pg, "copy_look", c->npk < 64 ? c->npk : 64, key, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        log_error("migrate-db: %s", PQresultErrorMessage(r));
        PQclear(r);
        return NULL;
    }
    if (PQntuples(r) != 1) {
        PQclear(r);
        return NULL;
    }
    return r;
}

/* ---------------------------------------------------------------- values */

/* Numbers by value (SQLite writes 1234.0 where PostgreSQL writes 1234). */
static const char *norm(const char *v, char num[40])
{
    char *end;
    double d = strtod(v, &end);
    if (*v && !*end && end != v) {
        snprintf(num, 40, "%.17g", d);
        return num;
    }
    return v;
}

static bool same_value(const char *a, const char *b)
{
    if (!a || !b)
        return !a && !b;
    char na[40], nb[40];
    return strcmp(norm(a, na), norm(b, nb)) == 0;
}

/* NULL as a byte that text never holds. */
static void digest_value(crypto_hash_sha256_state *h, const char *v)
{
    if (!v) {
        crypto_hash_sha256_update(h, (const unsigned char *)"\x01\x1f", 2);
        return;
    }
    char num[40];
    v = norm(v, num);
    crypto_hash_sha256_update(h, (const unsigned char *)v, strlen(v));
    crypto_hash_sha256_update(h, (const unsigned char *)"\x1f", 1);
}

static void digest_hex(crypto_hash_sha256_state *h, char out[17])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(h, d);
    sodium_bin2hex(out, 17, d, 8);
}

static bool parse_id(const char *v, int64_t *out)
{
    if (!v || !*v)
        return false;
    char *end;
    long long x = strtoll(v, &end, 10);
    if (*end)
        return false;
    *out = x;
    return true;
}

/* v through map into buf (48 bytes); v itself when it names no row this source moved. */
static const char *map_id(const struct mv *m, int map, const char *v, char *buf)
{
    int64_t old, neu;
    if (!parse_id(v, &old) || !idmap_get(&m->map[map], old, &neu, NULL))
        return v;
    snprintf(buf, 48, "%lld", (long long)neu);
    return buf;
}

static int entity_map(const char *entity)
{
    static const struct {
        const char *name;
        int map;
    } e[] = {{"model", M_MODELS},        {"appraisal", M_APPRAISALS}, {"award", M_AWARDS},
             {"conference", M_CONFERENCES}, {"api_token", M_TOKENS}};
    for (size_t i = 0; entity && i < sizeof e / sizeof e[0]; i++)
        if (strcmp(e[i].name, entity) == 0)
            return e[i].map;
    return -1;
}

/* The row in as the target holds it: out[i] points into in, scratch (c->n × 48 bytes) or m. */
static void map_row(const struct mv *m, const struct tdesc *td, const struct cols *c, const char *const *in,
                    const char **out, char *scratch)
{
    int64_t own = 0;
    bool has_own = c->id >= 0 && parse_id(in[c->id], &own);
    for (int i = 0; i < c->n; i++) {
        const char *v = in[i];
        char *buf = scratch + (size_t)i * 48;
        out[i] = v;
        if (td->kind == K_ID && i == c->id) {
            out[i] = map_id(m, td->map, v, buf);
            continue;
        }
        if (c->rule[i] < 0 || !v)
            continue;
        const struct colrule *cr = &td->rules[c->rule[i]];
        const char *key = NULL;
        switch (cr->rule) {
        case R_REF:
            out[i] = map_id(m, cr->to, v, buf);
            break;
        case R_LOGIN:
            out[i] = renamed_login(m, v);
            break;
        case R_CODE:
            if (has_own && idmap_get(&m->map[M_MODELS], own, NULL, &key) && key)
                out[i] = key;
            break;
        case R_EXTKEY:
            if (has_own && idmap_get(&m->extdrop, own, NULL, NULL))
                out[i] = NULL;
            break;
        case R_ATTACH_ENTITY:
        case R_AUDIT_ENTITY: {
            const char *entity = c->entity >= 0 ? in[c->entity] : NULL;
            if (cr->rule == R_AUDIT_ENTITY && entity && strcmp(entity, "user") == 0) {
                out[i] = renamed_login(m, v);
                break;
            }
            if (cr->rule == R_AUDIT_ENTITY && entity && strcmp(entity, "attachment") == 0) {
                /* "model:17": the attachment's owner, itself mapped */
                const char *colon = strchr(v, ':');
                if (colon && (size_t)(colon - v) < 16) {
                    char kind[16], idb[48];
                    memcpy(kind, v, (size_t)(colon - v));
                    kind[colon - v] = 0;
                    int km = entity_map(kind);
                    if (km >= 0) {
                        const char *id = map_id(m, km, colon + 1, idb);
                        snprintf(buf, 48, "%s:%s", kind, id);
                        out[i] = buf;
                    }
                }
                break;
            }
            int em = entity_map(entity);
            if (em >= 0)
                out[i] = map_id(m, em, v, buf);
            break;
        }
        default:
            break;
        }
    }
}

/* ---------------------------------------------------------------- before any write */

static void note(struct buf *b, const char *line)
{
    buf_printf(b, "%s\n", line);
}

/* Shared catalogue rows the target holds differently: each one goes into r->catalogue. */
static int check_catalogue(struct mv *m, const struct tdesc *td)
{
    struct cols c;
    if (read_cols(m->db, td, &c))
        return -1;
    sqlite3_stmt *st = lite_rows(m->db, td->name, &c);
    int out = st && !prepare_lookup(m->pg, "copy_look", td->name, &c) ? 0 : -1;
    const char **v = xcalloc((size_t)c.n, sizeof *v);
    int rc = SQLITE_DONE;
    while (out == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < c.n; i++)
            v[i] = (const char *)sqlite3_column_text(st, i);
        PGresult *r = lookup(m->pg, &c, v);
        if (!r) {
            if (PQtransactionStatus(m->pg) == PQTRANS_INERROR)
                out = -1;
            continue;
        }
        bool differs = false;
        for (int i = 0; i < c.n; i++)
            differs |= !same_value(v[i], PQgetisnull(r, 0, i) ? NULL : PQgetvalue(r, 0, i));
        PQclear(r);
        if (differs) {
            struct buf line = BUF_INIT;
            buf_puts(&line, td->name);
            for (int k = 0; k < c.npk; k++)
                buf_printf(&line, " %s", v[c.pk[k]] ? v[c.pk[k]] : "NULL");
            note(&m->r->catalogue, line.p);
            buf_free(&line);
        }
    }
    if (out == 0 && rc != SQLITE_DONE)
        out = -1;
    free(v);
    sqlite3_finalize(st);
    deallocate(m->pg, "copy_look");
    cols_free(&c);
    return out;
}

static bool login_ok(const char *s)
{
    size_t n = strlen(s);
    return n >= 2 && n < 64 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

/* The source's logins the target holds for another account: renamed with the suffix when
 * one was given (and the new login is free on both sides), listed in r->logins otherwise. */
static int check_users(struct mv *m)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(m->db, "SELECT id, login FROM users ORDER BY id", -1, &st, NULL) != SQLITE_OK)
        return -1;
    int out = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        const char *login = (const char *)sqlite3_column_text(st, 1);
        if (!login || idmap_get(&m->map[M_USERS], id, NULL, NULL))
            continue;
        bool fail = false;
        const char *a[1] = {login};
        int64_t there = pg_int(m->pg, "SELECT id FROM users WHERE login = $1", 1, a, -1, &fail);
        if (fail) {
            out = -1;
            break;
        }
        if (there < 0)
            continue;
        if (m->adopt && there == id) {
            char ids[24];
            snprintf(ids, sizeof ids, "%lld", (long long)id);
            const char *b[1] = {ids};
            int64_t claimed = pg_int(m->pg, "SELECT count(*) FROM moved_rows WHERE tbl = 'users' AND new_id = $1", 1, b,
                                     0, &fail);
            if (!claimed && !fail)
                continue; /* this source's own account, moved before moved_rows */
        }
        if (!m->o->rename_users) {
            note(&m->r->logins, login);
            continue;
        }
        struct buf to = BUF_INIT;
        buf_printf(&to, "%s%s", login, m->o->rename_users);
        const char *c[1] = {to.p};
        bool taken = !login_ok(to.p) || pg_int(m->pg, "SELECT 1 FROM users WHERE login = $1", 1, c, 0, &fail) ||
                     lite_int(m->db, "SELECT 1 FROM users WHERE login = ?", to.p, 0);
        if (fail)
            out = -1;
        else if (taken) {
            struct buf line = BUF_INIT;
            buf_printf(&line, "%s (%s)", login, to.p);
            note(&m->r->logins, line.p);
            buf_free(&line);
        } else
            add_rename(m, login, to.p);
        buf_free(&to);
        if (out)
            break;
    }
    if (out == 0 && rc != SQLITE_DONE)
        out = -1;
    sqlite3_finalize(st);
    return out;
}

/* Whether the target's rows that no source claims in moved_rows are this source's, copied
 * by a dvk from before moved_rows (ids kept): every such model has its id, code, title and
 * time of creation here, every such user its id, login and time of creation. */
static int decide_adopt(struct mv *m)
{
    static const struct {
        const char *pg, *lite;
    } q[] = {
        {"SELECT t.id, t.code, t.title, t.created_at FROM models t WHERE NOT EXISTS"
         " (SELECT 1 FROM moved_rows r WHERE r.tbl = 'models' AND r.new_id = t.id)",
         "SELECT count(*) FROM models WHERE id = ?1 AND code = ?2 AND title = ?3 AND created_at = ?4"},
        {"SELECT t.id, t.login, t.created_at, '' FROM users t WHERE NOT EXISTS"
         " (SELECT 1 FROM moved_rows r WHERE r.tbl = 'users' AND r.new_id = t.id)",
         "SELECT count(*) FROM users WHERE id = ?1 AND login = ?2 AND created_at = ?3 AND '' = ?4"},
    };
    int64_t unclaimed = 0;
    bool all = true;
    for (size_t k = 0; k < 2 && all; k++) {
        PGresult *r = pgq(m->pg, q[k].pg, 0, NULL);
        if (!r)
            return -1;
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(m->db, q[k].lite, -1, &st, NULL) != SQLITE_OK) {
            PQclear(r);
            return -1;
        }
        for (int row = 0; row < PQntuples(r) && all; row++) {
            unclaimed++;
            for (int i = 0; i < 4; i++)
                sqlite3_bind_text(st, i + 1, PQgetvalue(r, row, i), -1, SQLITE_TRANSIENT);
            all = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1;
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
        PQclear(r);
    }
    m->adopt = unclaimed > 0 && all;
    return 0;
}

static int load_moved(struct mv *m, bool *any)
{
    const char *a[1] = {m->origin};
    PGresult *r = pgq(m->pg, "SELECT tbl, old_id, new_id, old_key, new_key FROM moved_rows WHERE origin = $1", 1, a);
    if (!r)
        return -1;
    *any = PQntuples(r) > 0;
    for (int row = 0; row < PQntuples(r); row++) {
        const char *tbl = PQgetvalue(r, row, 0);
        int64_t old = atoll(PQgetvalue(r, row, 1)), neu = atoll(PQgetvalue(r, row, 2));
        const char *ok = PQgetisnull(r, row, 3) ? NULL : PQgetvalue(r, row, 3);
        const char *nk = PQgetisnull(r, row, 4) ? NULL : PQgetvalue(r, row, 4);
        if (strcmp(tbl, "models.ext_key") == 0) {
            idmap_put(&m->extdrop, old, neu, NULL);
            continue;
        }
        for (int i = 0; i < NMAPS; i++)
            if (strcmp(tbl, map_table[i]) == 0) {
                idmap_put(&m->map[i], old, neu, nk);
                if (i == M_USERS && ok && nk && strcmp(ok, nk) != 0)
                    add_rename(m, ok, nk);
            }
    }
    PQclear(r);
    return 0;
}

/* ---------------------------------------------------------------- the writes */

static int record(struct mv *m, const char *tbl, int64_t old, int64_t neu, const char *ok, const char *nk)
{
    char o[24], n[24];
    snprintf(o, sizeof o, "%lld", (long long)old);
    snprintf(n, sizeof n, "%lld", (long long)neu);
    const char *v[6] = {m->origin, tbl, o, n, ok, nk};
    return run(m, P_RECORDED, "copy_moved", 6, v);
}

static int year_of(const char *code, const char *registered_on)
{
    if (code && strlen(code) == 15 && strncmp(code, "DVK-", 4) == 0 && code[8] == '-')
        return atoi(code + 4);
    return registered_on ? atoi(registered_on) : 0;
}

/* The next code of year that neither side holds nor counted to. */
static int next_code(struct mv *m, int year, char out[24])
{
    struct year_next *y = NULL;
    for (int i = 0; i < m->ny; i++)
        if (m->years[i].year == year)
            y = &m->years[i];
    if (!y) {
        char ys[8];
        snprintf(ys, sizeof ys, "%04d", year);
        const char *a[1] = {ys};
        bool fail = false;
        int64_t last = pg_int(m->pg, "SELECT last FROM code_counters WHERE year = $1::int", 1, a, 0, &fail);
        int64_t used = pg_int(m->pg,
                              "SELECT max(substr(code, 10)::bigint) FROM models"
                              " WHERE code ~ '^DVK-[0-9]{4}-[0-9]{6}$' AND substr(code, 5, 4) = $1",
                              1, a, 0, &fail);
        if (fail)
            return -1;
        int64_t l2 = lite_int(m->db, "SELECT last FROM code_counters WHERE year = CAST(?1 AS INTEGER)", ys, 0);
        int64_t u2 = lite_int(m->db,
                              "SELECT max(CAST(substr(code, 10) AS INTEGER)) FROM models WHERE code GLOB"
                              " 'DVK-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]' AND substr(code, 5, 4) = ?1",
                              ys, 0);
        m->years = grow(m->years, &m->capy, m->ny, sizeof *m->years);
        y = &m->years[m->ny++];
        y->year = year;
        y->last = last;
        if (used > y->last)
            y->last = used;
        if (l2 > y->last)
            y->last = l2;
        if (u2 > y->last)
            y->last = u2;
    }
    y->last++;
    if (year < 0 || year > 9999 || y->last > 999999) {
        log_error("migrate-db: no code left in year %d", year);
        return -1;
    }
    char code[48];
    snprintf(code, sizeof code, "DVK-%04d-%06lld", year, (long long)y->last);
    snprintf(out, 24, "%.23s", code);
    return 0;
}

/* The ids the target holds between lo and hi, into set. */
static int load_ids(struct mv *m, const char *sql, const char *tbl, int64_t lo, int64_t hi, struct idmap *set)
{
    char a[24], b[24];
    snprintf(a, sizeof a, "%lld", (long long)lo);
    snprintf(b, sizeof b, "%lld", (long long)hi);
    const char *v[3] = {a, b, tbl};
    PGresult *r = pgq(m->pg, sql, tbl ? 3 : 2, v);
    if (!r)
        return -1;
    for (int row = 0; row < PQntuples(r); row++)
        idmap_put(set, atoll(PQgetvalue(r, row, 0)), 0, NULL);
    PQclear(r);
    return 0;
}

/* A model about to go in: a code or ext_key the target holds already is replaced. */
static int model_keys(struct mv *m, const struct cols *c, const char *const *in, int64_t old, int64_t neu,
                      char code[24])
{
    int ci = -1, ei = -1, ri = -1;
    for (int i = 0; i < c->n; i++) {
        if (strcmp(c->name[i], "code") == 0)
            ci = i;
        else if (strcmp(c->name[i], "ext_key") == 0)
            ei = i;
        else if (strcmp(c->name[i], "registered_on") == 0)
            ri = i;
    }
    if (ci < 0 || !in[ci])
        return -1;
    snprintf(code, 24, "%s", in[ci]);
    bool fail = false;
    const char *a[1] = {in[ci]};
    if (pg_int(m->pg, "SELECT 1 FROM models WHERE code = $1", 1, a, 0, &fail)) {
        if (next_code(m, year_of(in[ci], ri >= 0 ? in[ri] : NULL), code))
            return -1;
        m->r->new_codes++;
    }
    if (ei >= 0 && in[ei]) {
        const char *b[1] = {in[ei]};
        if (pg_int(m->pg, "SELECT 1 FROM models WHERE ext_key = $1", 1, b, 0, &fail)) {
            idmap_put(&m->extdrop, old, neu, NULL);
            if (record(m, "models.ext_key", old, neu, in[ei], NULL))
                return -1;
        }
    }
    return fail ? -1 : 0;
}

/* Inserts v (prepared as copy_row), counted into the table's copied rows (m->p.copied). */
static int insert_row(struct mv *m, const struct cols *c, const char *const *v)
{
    return run(m, P_COPIED, "copy_row", c->n, v);
}

/* Rows with an id: kept, adopted, merged (owners) or renumbered, then written and recorded. */
static int move_ids(struct mv *m, const struct tdesc *td, const struct cols *c, sqlite3_stmt *st)
{
    struct buf q = BUF_INIT;
    buf_printf(&q, "SELECT min(id) FROM \"%s\"", td->name);
    int64_t lo = lite_int(m->db, q.p, NULL, 0);
    buf_reset(&q);
    buf_printf(&q, "SELECT max(id) FROM \"%s\"", td->name);
    int64_t hi = lite_int(m->db, q.p, NULL, 0);
    bool fail = false;
    int64_t next = pg_int(m->pg, q.p, 0, NULL, 0, &fail);
    if (hi > next)
        next = hi;
    struct idmap there = {0}, claimed = {0};
    buf_reset(&q);
    buf_printf(&q, "SELECT id FROM \"%s\" WHERE id BETWEEN $1 AND $2", td->name);
    int out = fail || load_ids(m, q.p, NULL, lo, hi, &there) ? -1 : 0;
    if (!out && m->adopt)
        out = load_ids(m, "SELECT new_id FROM moved_rows WHERE new_id BETWEEN $1 AND $2 AND tbl = $3", td->name, lo, hi,
                       &claimed);
    buf_free(&q);
    int ti = -1, ni = -1, li = -1;
    for (int i = 0; i < c->n; i++) {
        if (strcmp(c->name[i], "type") == 0)
            ti = i;
        else if (strcmp(c->name[i], "name") == 0)
            ni = i;
        else if (strcmp(c->name[i], "login") == 0)
            li = i;
    }
    /* owners and models ask the target about each row (a name, a code): one at a time */
    if (!out && td->map != M_OWNERS && td->map != M_MODELS)
        out = pipe_start(m, td->name);
    const char **in = xcalloc((size_t)c->n, sizeof *in), **mapped = xcalloc((size_t)c->n, sizeof *mapped);
    char *scratch = xcalloc((size_t)c->n, 48);
    int rc = SQLITE_DONE;
    while (!out && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < c->n; i++)
            in[i] = (const char *)sqlite3_column_text(st, i);
        int64_t old;
        if (!parse_id(in[c->id], &old)) {
            out = -1;
            break;
        }
        if (idmap_get(&m->map[td->map], old, NULL, NULL))
            continue; /* moved by an earlier run */
        if (td->map == M_OWNERS && ti >= 0 && ni >= 0) {
            const char *a[2] = {in[ti], in[ni]};
            int64_t same = pg_int(m->pg, "SELECT id FROM owners WHERE type = $1 AND name = $2", 2, a, -1, &fail);
            if (fail) {
                out = -1;
                break;
            }
            if (same >= 0) {
                idmap_put(&m->map[M_OWNERS], old, same, NULL);
                m->r->merged_owners++;
                out = record(m, "owners", old, same, NULL, NULL);
                continue;
            }
        }
        bool here = idmap_get(&there, old, NULL, NULL);
        if (m->adopt && here && !idmap_get(&claimed, old, NULL, NULL)) {
            /* this source's row, copied with its id before moved_rows */
            char code[24] = "";
            if (td->map == M_MODELS)
                for (int i = 0; i < c->n; i++)
                    if (strcmp(c->name[i], "code") == 0 && in[i])
                        snprintf(code, sizeof code, "%s", in[i]);
            const char *lg = li >= 0 ? in[li] : NULL;
            idmap_put(&m->map[td->map], old, old, td->map == M_MODELS ? code : td->map == M_USERS ? lg : NULL);
            out = record(m, map_table[td->map], old, old, td->map == M_MODELS ? code : lg,
                         td->map == M_MODELS ? code : lg);
            continue;
        }
        int64_t neu = here ? ++next : old;
        if (neu != old)
            m->r->new_ids++;
        char code[24] = "";
        const char *okey = NULL, *nkey = NULL;
        if (td->map == M_MODELS) {
            if (model_keys(m, c, in, old, neu, code)) {
                out = -1;
                break;
            }
            for (int i = 0; i < c->n; i++)
                if (strcmp(c->name[i], "code") == 0)
                    okey = in[i];
            nkey = code;
        } else if (td->map == M_USERS && li >= 0) {
            okey = in[li];
            nkey = renamed_login(m, in[li]);
        }
        idmap_put(&m->map[td->map], old, neu, nkey);
        map_row(m, td, c, in, mapped, scratch);
        if (insert_row(m, c, mapped) ||
            record(m, map_table[td->map], old, neu, okey, nkey)) {
            out = -1;
            break;
        }
    }
    if (!out && rc != SQLITE_DONE && rc != SQLITE_ROW)
        out = -1;
    if (pipe_stop(m))
        out = -1;
    free(in);
    free(mapped);
    free(scratch);
    idmap_free(&there);
    idmap_free(&claimed);
    return out;
}

/* code_counters: each year ends at or after the source's counter and every code given out. */
static int move_counters(struct mv *m, int64_t *copied)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(m->db, "SELECT year, last FROM code_counters ORDER BY year", -1, &st, NULL) != SQLITE_OK)
        return -1;
    static const char *up = "INSERT INTO code_counters AS c (year, last) VALUES ($1, $2)"
                            " ON CONFLICT (year) DO UPDATE SET last = excluded.last WHERE c.last < excluded.last";
    int out = 0;
    while (!out && sqlite3_step(st) == SQLITE_ROW) {
        int year = sqlite3_column_int(st, 0);
        int64_t last = sqlite3_column_int64(st, 1);
        for (int i = 0; i < m->ny; i++)
            if (m->years[i].year == year && m->years[i].last > last)
                last = m->years[i].last;
        char y[16], l[24];
        snprintf(y, sizeof y, "%d", year);
        snprintf(l, sizeof l, "%lld", (long long)last);
        const char *v[2] = {y, l};
        PGresult *r = pgq(m->pg, up, 2, v);
        if (!r)
            out = -1;
        else
            *copied += atoll(PQcmdTuples(r));
        PQclear(r);
    }
    sqlite3_finalize(st);
    /* years whose codes this run gave out but the source never counted */
    for (int i = 0; !out && i < m->ny; i++) {
        char y[16], l[24];
        snprintf(y, sizeof y, "%d", m->years[i].year);
        snprintf(l, sizeof l, "%lld", (long long)m->years[i].last);
        const char *v[2] = {y, l};
        PGresult *r = pgq(m->pg, up, 2, v);
        out = r ? 0 : -1;
        PQclear(r);
    }
    return out;
}

static int move_table(struct mv *m, int ti)
{
    const struct tdesc *td = &tables[ti];
    if (td->kind == K_COUNTERS)
        return move_counters(m, &m->copied[ti]);
    struct cols c;
    if (read_cols(m->db, td, &c))
        return -1;
    sqlite3_stmt *st = lite_rows(m->db, td->name, &c);
    int out = st && !prepare_insert(m->pg, "copy_row", td->name, &c, td->kind == K_ID ? "" : " ON CONFLICT DO NOTHING")
                  ? 0 : -1;
    m->p.copied = &m->copied[ti];
    m->p.table = td->name;
    if (!out && td->kind == K_ID)
        out = move_ids(m, td, &c, st);
    else if (!out && !(out = pipe_start(m, td->name))) {
        const char **in = xcalloc((size_t)c.n, sizeof *in), **mapped = xcalloc((size_t)c.n, sizeof *mapped);
        char *scratch = xcalloc((size_t)c.n, 48);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            for (int i = 0; i < c.n; i++)
                in[i] = (const char *)sqlite3_column_text(st, i);
            map_row(m, td, &c, in, mapped, scratch);
            if (insert_row(m, &c, mapped)) {
                out = -1;
                break;
            }
        }
        if (!out && rc != SQLITE_DONE) {
            log_error("migrate-db: %s: %s", td->name, sqlite3_errmsg(m->db));
            out = -1;
        }
        if (pipe_stop(m))
            out = -1;
        free(in);
        free(mapped);
        free(scratch);
    }
    sqlite3_finalize(st);
    m->p.copied = NULL;
    deallocate(m->pg, "copy_row");
    cols_free(&c);
    return out;
}

/* The next id PostgreSQL hands out comes after every row's. */
static int advance_sequences(struct mv *m)
{
    for (int i = 0; i < NMAPS; i++) {
        struct buf sql = BUF_INIT;
        buf_printf(&sql,
                   "SELECT setval(pg_get_serial_sequence('\"%s\"', 'id'), (SELECT max(id) FROM \"%s\"))"
                   " WHERE pg_get_serial_sequence('\"%s\"', 'id') IS NOT NULL AND EXISTS (SELECT 1 FROM \"%s\")",
                   map_table[i], map_table[i], map_table[i], map_table[i]);
        int bad = pg_ok(m->pg, sql.p);
        buf_free(&sql);
        if (bad)
            return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- the check */

static int check_table(struct mv *m, int ti, struct copy_table *t)
{
    const struct tdesc *td = &tables[ti];
    struct cols c;
    if (read_cols(m->db, td, &c))
        return -1;
    sqlite3_stmt *st = lite_rows(m->db, td->name, &c);
    int out = st && !prepare_lookup(m->pg, "copy_look", td->name, &c) ? 0 : -1;
    crypto_hash_sha256_state hs, ht;
    crypto_hash_sha256_init(&hs);
    crypto_hash_sha256_init(&ht);
    const char **in = xcalloc((size_t)c.n, sizeof *in), **mapped = xcalloc((size_t)c.n, sizeof *mapped);
    char *scratch = xcalloc((size_t)c.n, 48);
    int rc = SQLITE_DONE;
    /* the rows in batches; the counters one by one, as they compare value by value */
    m->p.target = &ht;
    m->p.t = t;
    bool batched = td->kind != K_COUNTERS;
    if (!out && batched)
        out = pipe_start(m, td->name);
    while (!out && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < c.n; i++)
            in[i] = (const char *)sqlite3_column_text(st, i);
        map_row(m, td, &c, in, mapped, scratch);
        for (int i = 0; i < c.n; i++)
            digest_value(&hs, mapped[i]);
        t->source_rows++;
        if (batched) {
            const char *key[64];
            for (int k = 0; k < c.npk && k < 64; k++)
                key[k] = mapped[c.pk[k]];
            out = run(m, P_LOOKUP, "copy_look", c.npk < 64 ? c.npk : 64, key);
            continue;
        }
        PGresult *r = lookup(m->pg, &c, mapped);
        if (!r) {
            if (PQtransactionStatus(m->pg) == PQTRANS_INERROR)
                out = -1;
            continue;
        }
        for (int i = 0; i < c.n; i++) {
            const char *v = PQgetisnull(r, 0, i) ? NULL : PQgetvalue(r, 0, i);
            /* a counter may be ahead of the source's: other provinces' codes */
            if (td->kind == K_COUNTERS && strcmp(c.name[i], "last") == 0 && v && mapped[i] &&
                atoll(v) >= atoll(mapped[i]))
                v = mapped[i];
            digest_value(&ht, v);
        }
        t->target_rows++;
        PQclear(r);
    }
    if (!out && rc != SQLITE_DONE)
        out = -1;
    if (pipe_stop(m))
        out = -1;
    digest_hex(&hs, t->source_sum);
    digest_hex(&ht, t->target_sum);
    free(in);
    free(mapped);
    free(scratch);
    sqlite3_finalize(st);
    deallocate(m->pg, "copy_look");
    cols_free(&c);
    return out;
}

/* ---------------------------------------------------------------- the whole move */

void copy_report_free(struct copy_report *r)
{
    buf_free(&r->catalogue);
    buf_free(&r->logins);
    buf_free(&r->renamed);
}

int store_copy_sqlite_to_pg(const char *from_path, const char *url, const struct copy_opts *o,
                            struct copy_report *r)
{
    memset(r, 0, sizeof *r);
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
    struct mv m;
    memset(&m, 0, sizeof m);
    m.o = o;
    m.r = r;
    int rc = -1;
    bool in_tx = false;
    if (sqlite3_open_v2(from_path, &m.db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        log_error("migrate-db: cannot open %s: %s", from_path, m.db ? sqlite3_errmsg(m.db) : "out of memory");
        goto done;
    }
    sqlite3_busy_timeout(m.db, 5000);
    m.pg = PQconnectdb(url);
    if (PQstatus(m.pg) != CONNECTION_OK) {
        log_error("migrate-db: cannot connect: %s", PQerrorMessage(m.pg));
        goto done;
    }
    /* one snapshot of the source, one transaction on the target; one move at a time */
    if (sqlite3_exec(m.db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
        pg_ok(m.pg, "SET client_min_messages = warning; BEGIN; LOCK TABLE moved_rows IN SHARE ROW EXCLUSIVE MODE"))
        goto done;
    in_tx = true;
    sqlite3_stmt *os;
    if (sqlite3_prepare_v2(m.db, "SELECT id FROM store_origin", -1, &os, NULL) == SQLITE_OK &&
        sqlite3_step(os) == SQLITE_ROW && sqlite3_column_text(os, 0))
        snprintf(r->origin, sizeof r->origin, "%s", (const char *)sqlite3_column_text(os, 0));
    sqlite3_finalize(os);
    if (!r->origin[0]) {
        log_error("migrate-db: %s names no origin (store_origin)", from_path);
        goto done;
    }
    m.origin = r->origin;
    bool any = false;
    if (load_moved(&m, &any) || (!any && decide_adopt(&m)))
        goto done;
    /* what would stop the move, all of it, before anything is written */
    for (int i = 0; i < NTABLES; i++)
        if (tables[i].kind == K_CATALOGUE && check_catalogue(&m, &tables[i]))
            goto done;
    if (check_users(&m))
        goto done;
    if (r->catalogue.len || r->logins.len) {
        rc = -2;
        goto done;
    }
    {
        PGresult *p = PQprepare(m.pg, "copy_moved",
                                "INSERT INTO moved_rows (origin, tbl, old_id, new_id, old_key, new_key)"
                                " VALUES ($1, $2, $3, $4, $5, $6)", 0, NULL);
        bool ok = PQresultStatus(p) == PGRES_COMMAND_OK;
        PQclear(p);
        if (!ok)
            goto done;
    }
    for (int i = 0; i < NTABLES; i++)
        if (move_table(&m, i))
            goto done;
    /* a run that wrote nothing ends as if it never began: its statements of no rows would
     * still move data_generation (018), and every node's answer cache with it */
    int64_t wrote = m.recorded;
    for (int i = 0; i < NTABLES; i++)
        wrote += m.copied[i];
    if (wrote ? advance_sequences(&m) || pg_ok(m.pg, "COMMIT") : pg_ok(m.pg, "ROLLBACK"))
        goto done;
    in_tx = false;
    for (int i = 0; i < m.nl; i++)
        buf_printf(&r->renamed, "%s %s\n", m.ren[i].from, m.ren[i].to);
    /* the check: the source's rows as moved, against the target's under the same keys */
    if (pg_ok(m.pg, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"))
        goto done;
    in_tx = true;
    rc = 0;
    for (int i = 0; i < NTABLES && i < (int)(sizeof r->t / sizeof r->t[0]); i++) {
        struct copy_table *t = &r->t[r->n++];
        memset(t, 0, sizeof *t);
        t->name = tables[i].name;
        t->copied = m.copied[i];
        if (check_table(&m, i, t)) {
            rc = -1;
            break;
        }
        t->same = t->source_rows == t->target_rows && strcmp(t->source_sum, t->target_sum) == 0;
        if (!t->same)
            rc = 1;
    }
done:
    if (m.pg && in_tx)
        PQclear(PQexec(m.pg, "ROLLBACK"));
    if (m.db) {
        sqlite3_exec(m.db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(m.db);
    }
    if (m.pg)
        PQfinish(m.pg);
    mv_free(&m);
    return rc;
}
