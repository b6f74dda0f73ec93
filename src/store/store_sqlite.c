/* store_sqlite.c: the embedded SQLite engine of the store interface.
 * WAL mode, foreign keys on, a busy timeout, numbered migrations compiled in. */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "store/sqlite_int.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/embed.h"
#include "util/log.h"
#include "util/text.h"

static _Atomic int last_fault;

int store_last_fault(void)
{
    return last_fault ? last_fault : pg_last_fault();
}

/* The class of SQLite's error: what a client can be told beyond "it failed". */
static int fault_of(int code)
{
    switch (code & 0xff) {
    case SQLITE_FULL: return ST_FAULT_FULL;
    case SQLITE_READONLY: return ST_FAULT_READONLY;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR: return ST_FAULT_IO;
    default: return ST_FAULT_NONE;
    }
}

int sq_fail(struct sqlite_store *s, const char *what)
{
    int f = fault_of(sqlite3_extended_errcode(s->db));
    if (f != ST_FAULT_NONE) {
        s->base.fault = f;
        last_fault = f;
    }
    log_error("sqlite: %s: %s", what, sqlite3_errmsg(s->db));
    return ST_ERR;
}

/* Cached prepared statement; reset and bindings cleared for reuse. */
sqlite3_stmt *sq_stmt(struct sqlite_store *s, int id, const char *sql)
{
    if (!s->q[id]) {
        if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->q[id], NULL) != SQLITE_OK) {
            sq_fail(s, sql);
            return NULL;
        }
    } else {
        sqlite3_reset(s->q[id]);
        sqlite3_clear_bindings(s->q[id]);
    }
    return s->q[id];
}

void sq_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

void sq_bind_id(sqlite3_stmt *st, int i, int64_t v)
{
    if (v)
        sqlite3_bind_int64(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

void sq_bind_text_empty(sqlite3_stmt *st, int i, const char *v)
{
    sqlite3_bind_text(st, i, v ? v : "", -1, SQLITE_TRANSIENT);
}

/* Column as a malloc'd string, NULL for SQL NULL. */
char *sq_col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? xstrdup((const char *)t) : NULL;
}

/* Column copied into a fixed array, "" for SQL NULL. */
void sq_col_cpy(sqlite3_stmt *st, int i, char *out, size_t outsz)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(out, outsz, "%s", t ? (const char *)t : "");
}

/* One-off statement helpers for the rarely used queries below. */
sqlite3_stmt *sq_once(struct sqlite_store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        sq_fail(s, sql);
        return NULL;
    }
    return st;
}

int sq_done(struct sqlite_store *s, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ST_OK : sq_fail(s, what);
}

/* ---- transactions --------------------------------------------------------- */

static int s_exec_q(struct sqlite_store *s, int id, const char *sql)
{
    sqlite3_stmt *st = sq_stmt(s, id, sql);
    if (!st)
        return ST_ERR;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? ST_OK : sq_fail(s, sql);
}

/* Opens the outermost transaction with sql (statement id); inner begins only count. */
static int begin_as(struct store *base, int id, const char *sql)
{
    struct sqlite_store *s = S(base);
    if (s->depth++ > 0)
        return ST_OK;
    int rc = s_exec_q(s, id, sql);
    if (rc)
        s->depth = 0;
    return rc;
}

static int s_begin(struct store *base)
{
    return begin_as(base, Q_BEGIN, "BEGIN IMMEDIATE");
}

static int s_begin_read(struct store *base)
{
    return begin_as(base, Q_BEGIN_READ, "BEGIN");
}

/* max_page_count and query_only hold for this connection only: every connection
 * of dvk serve sets them when it opens. */
static int s_limit(struct store *base, int64_t max_bytes, bool read_only)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = sq_once(s, "PRAGMA page_size");
    if (!st)
        return ST_ERR;
    int64_t page = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 4096;
    sqlite3_finalize(st);
    char sql[96];
    /* a cap below the current size stops growth there: SQLite keeps the larger of the two
     * (and a count of 0 would only ask, not set) */
    long long pages = max_bytes > 0 ? (long long)(max_bytes / page) : 4294967294LL;
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", pages > 0 ? pages : 1);
    st = sq_once(s, sql);
    if (!st)
        return ST_ERR;
    sqlite3_step(st);
    sqlite3_finalize(st);
    st = sq_once(s, read_only ? "PRAGMA query_only = 1" : "PRAGMA query_only = 0");
    return st ? sq_done(s, st, "query_only") : ST_ERR;
}

static int flush_counters(struct sqlite_store *s);

static int s_commit(struct store *base)
{
    struct sqlite_store *s = S(base);
    if (s->depth == 0) /* an inner failure already rolled the transaction back */
        return ST_ERR;
    if (--s->depth > 0)
        return ST_OK;
    int rc = flush_counters(s);
    if (rc) {
        s_exec_q(s, Q_ROLLBACK, "ROLLBACK");
        return rc;
    }
    return s_exec_q(s, Q_COMMIT, "COMMIT");
}

static int s_rollback(struct store *base)
{
    struct sqlite_store *s = S(base);
    if (s->depth == 0)
        return ST_OK;
    s->depth = 0;
    memset(s->counters, 0, sizeof s->counters);
    return s_exec_q(s, Q_ROLLBACK, "ROLLBACK");
}

/* ---- migrations ----------------------------------------------------------- */

static int migrate(struct sqlite_store *s)
{
    char *err = NULL;
    if (sqlite3_exec(s->db,
                     "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                     " applied_at TEXT NOT NULL)",
                     NULL, NULL, &err) != SQLITE_OK) {
        log_error("sqlite: migrations table: %s", err);
        sqlite3_free(err);
        return ST_ERR;
    }
    for (size_t i = 0; i < migrations_count; i++) {
        const struct embedded_file *f = &migrations_files[i];
        int version = atoi(f->name);
        sqlite3_stmt *q;
        sqlite3_prepare_v2(s->db, "SELECT 1 FROM schema_migrations WHERE version = ?", -1, &q, NULL);
        sqlite3_bind_int(q, 1, version);
        int done = sqlite3_step(q) == SQLITE_ROW;
        sqlite3_finalize(q);
        if (done)
            continue;
        /* Each migration and its bookkeeping row commit together, or not at all. */
        if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, &err) != SQLITE_OK ||
            sqlite3_exec(s->db, (const char *)f->data, NULL, NULL, &err) != SQLITE_OK) {
            log_error("sqlite: migration %s: %s", f->name, err ? err : "?");
            sqlite3_free(err);
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return ST_ERR;
        }
        char now[21];
        date_now_iso(now);
        sqlite3_prepare_v2(s->db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", -1, &q,
                           NULL);
        sqlite3_bind_int(q, 1, version);
        sqlite3_bind_text(q, 2, f->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, now, -1, SQLITE_STATIC);
        int rc = sqlite3_step(q);
        sqlite3_finalize(q);
        if (rc != SQLITE_DONE || sqlite3_exec(s->db, "COMMIT", NULL, NULL, &err) != SQLITE_OK) {
            log_error("sqlite: migration %s: %s", f->name, err ? err : sqlite3_errmsg(s->db));
            sqlite3_free(err);
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return ST_ERR;
        }
    }
    return ST_OK;
}

/* Sort keys for rows written before migration 009 (and before a change of the
 * collation): computed in C, in batches, in one transaction. Cheap when none lacks one. */
static int fill_sort_keys(struct sqlite_store *s)
{
    static const char *const sel[2] = {"SELECT rowid, name FROM units WHERE name_key = '' LIMIT 5000",
                                       "SELECT id, title FROM models WHERE title_key = '' LIMIT 5000"};
    static const char *const upd[2] = {"UPDATE units SET name_key = ? WHERE rowid = ?",
                                       "UPDATE models SET title_key = ? WHERE id = ?"};
    /* nothing to fill (the usual case): no write lock, so that a connection opens while an
     * import holds it */
    sqlite3_stmt *any = sq_once(s, "SELECT EXISTS (SELECT 1 FROM units WHERE name_key = '')"
                                   " OR EXISTS (SELECT 1 FROM models WHERE title_key = '')");
    if (!any)
        return ST_ERR;
    bool missing = sqlite3_step(any) == SQLITE_ROW && sqlite3_column_int(any, 0);
    sqlite3_finalize(any);
    if (!missing)
        return ST_OK;
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return sq_fail(s, "fill_sort_keys");
    for (int t = 0; t < 2; t++) {
        for (;;) {
            int64_t ids[5000];
            char *names[5000];
            int n = 0;
            sqlite3_stmt *st = sq_once(s, sel[t]);
            if (!st)
                goto fail;
            while (sqlite3_step(st) == SQLITE_ROW && n < 5000) {
                ids[n] = sqlite3_column_int64(st, 0);
                names[n++] = sq_col_dup(st, 1);
            }
            sqlite3_finalize(st);
            int rc = ST_OK;
            for (int i = 0; i < n; i++) {
                char *key = text_sort_key(names[i] ? names[i] : "");
                if (rc == ST_OK && (st = sq_once(s, upd[t])) != NULL) {
                    /* a key is never empty (it holds its level separators), so the row is not picked again */
                    sq_bind_text_empty(st, 1, key);
                    sqlite3_bind_int64(st, 2, ids[i]);
                    rc = sq_done(s, st, "fill_sort_keys");
                } else {
                    rc = ST_ERR;
                }
                free(key);
                free(names[i]);
            }
            if (rc)
                goto fail;
            if (n < 5000)
                break;
        }
    }
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
        return ST_OK;
fail:
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return ST_ERR;
}

/* ---- units ------------------------------------------------------------------ */

static int s_unit_put(struct store *base, const struct unit *u)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = sq_stmt(s, Q_UNIT_PUT,
                            "INSERT INTO units (hierarchy, code, name, name_fold, type, parent_code, level, name_key)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (hierarchy, code) DO UPDATE SET"
                            " name = ?3, name_fold = ?4, type = ?5, parent_code = ?6, level = ?7, name_key = ?8");
    if (!st)
        return ST_ERR;
    char *fold = text_fold(u->name), *key = text_sort_key(u->name);
    sqlite3_bind_int(st, 1, u->hierarchy);
    sq_bind_text(st, 2, u->code);
    sq_bind_text(st, 3, u->name);
    sq_bind_text_empty(st, 4, fold);
    sq_bind_text(st, 5, u->type);
    sq_bind_text(st, 6, u->parent_code);
    sqlite3_bind_int(st, 7, u->level);
    sq_bind_text_empty(st, 8, key);
    free(fold);
    free(key);
    return sqlite3_step(st) == SQLITE_DONE ? ST_OK : sq_fail(s, "unit_put");
}

static int s_mapping_put(struct store *base, const char *old_code, const char *new_code)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st =
        sq_stmt(s, Q_MAP_PUT, "INSERT INTO unit_mapping (old_code, new_code) VALUES (?, ?) ON CONFLICT DO NOTHING");
    if (!st)
        return ST_ERR;
    sq_bind_text(st, 1, old_code);
    sq_bind_text(st, 2, new_code);
    return sqlite3_step(st) == SQLITE_DONE ? ST_OK : sq_fail(s, "mapping_put");
}

#define UNIT_COLS "hierarchy, code, name, type, parent_code, level"

static void read_unit(sqlite3_stmt *st, struct unit *u)
{
    memset(u, 0, sizeof *u);
    u->hierarchy = sqlite3_column_int(st, 0);
    sq_col_cpy(st, 1, u->code, sizeof u->code);
    sq_col_cpy(st, 2, u->name, sizeof u->name);
    sq_col_cpy(st, 3, u->type, sizeof u->type);
    sq_col_cpy(st, 4, u->parent_code, sizeof u->parent_code);
    u->level = sqlite3_column_int(st, 5);
}

static int s_unit_get(struct store *base, int h, const char *code, struct unit *out)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = sq_stmt(s, Q_UNIT_GET, "SELECT " UNIT_COLS " FROM units WHERE hierarchy = ? AND code = ?");
    if (!st)
        return ST_ERR;
    sqlite3_bind_int(st, 1, h);
    sq_bind_text_empty(st, 2, code);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_unit(st, out);
        sqlite3_reset(st); /* an unfinished statement would hold its read snapshot open */
        return ST_OK;
    }
    return rc == SQLITE_DONE ? ST_NOTFOUND : sq_fail(s, "unit_get");
}

static int read_units(struct sqlite_store *s, sqlite3_stmt *st, struct unit_list *out)
{
    int cap = 0, rc;
    memset(out, 0, sizeof *out);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        out->items = grow(out->items, &cap, out->n, sizeof *out->items);
        read_unit(st, &out->items[out->n++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        unit_list_free(out);
        return sq_fail(s, "units");
    }
    return ST_OK;
}

static int s_unit_children(struct store *base, int h, const char *code, struct unit_list *out)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st;
    if (code && *code) {
        st = sq_stmt(s, Q_UNIT_CHILDREN,
                  "SELECT " UNIT_COLS " FROM units WHERE hierarchy = ? AND parent_code = ? ORDER BY name_key, code");
        if (!st)
            return ST_ERR;
        sq_bind_text(st, 2, code);
    } else {
        st = sq_stmt(s, Q_UNIT_ROOTS,
                  "SELECT " UNIT_COLS " FROM units WHERE hierarchy = ? AND level = 1 ORDER BY name_key, code");
        if (!st)
            return ST_ERR;
    }
    sqlite3_bind_int(st, 1, h);
    return read_units(s, st, out);
}

static int s_unit_search(struct store *base, int h, const char *fold, int limit, struct unit_list *out)
{
    struct sqlite_store *s = S(base);
    /* Built per call: one LIKE per word, each bound. */
    struct buf sql = BUF_INIT;
    buf_puts(&sql, "SELECT " UNIT_COLS " FROM units WHERE hierarchy = ?");
    char *words = xstrdup(fold), *save = NULL;
    int nw = 0;
    for (char *w = strtok_r(words, " ", &save); w && nw < 8; w = strtok_r(NULL, " ", &save))
        buf_puts(&sql, " AND (' ' || name_fold) LIKE ? ESCAPE '\\'"), nw++;
    buf_puts(&sql, " ORDER BY level, length(name_fold), name_key LIMIT ?");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql.p, -1, &st, NULL) != SQLITE_OK) {
        free(words);
        buf_free(&sql);
        return sq_fail(s, "unit_search");
    }
    sqlite3_bind_int(st, 1, h);
    free(words);
    words = xstrdup(fold);
    int i = 2;
    for (char *w = strtok_r(words, " ", &save); w && i < nw + 2; w = strtok_r(NULL, " ", &save)) {
        struct buf pat = BUF_INIT;
        buf_puts(&pat, "% ");
        for (const char *c = w; *c; c++) {
            if (*c == '%' || *c == '_' || *c == '\\')
                buf_putc(&pat, '\\');
            buf_putc(&pat, *c);
        }
        buf_putc(&pat, '%');
        sqlite3_bind_text(st, i++, pat.p, -1, SQLITE_TRANSIENT);
        buf_free(&pat);
    }
    sqlite3_bind_int(st, i, limit);
    int rc = read_units(s, st, out);
    sqlite3_finalize(st);
    free(words);
    buf_free(&sql);
    return rc;
}

static int s_unit_count(struct store *base, int h, int64_t *out)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = sq_stmt(s, Q_UNIT_COUNT, "SELECT count(*) FROM units WHERE hierarchy = ?");
    if (!st)
        return ST_ERR;
    sqlite3_bind_int(st, 1, h);
    if (sqlite3_step(st) != SQLITE_ROW)
        return sq_fail(s, "unit_count");
    *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return ST_OK;
}

static int s_unit_check(struct store *base, int h, int64_t *n, char first_bad[32])
{
    struct sqlite_store *s = S(base);
    const char *sql = h ? "SELECT count(*), min(c.code) FROM units c LEFT JOIN units p ON p.hierarchy = c.hierarchy"
                          " AND p.code = c.parent_code AND p.level = c.level - 1"
                          " WHERE c.hierarchy = ?1 AND c.parent_code IS NOT NULL AND p.code IS NULL"
                        : "SELECT count(*), min(m.old_code || '>' || m.new_code) FROM unit_mapping m"
                          " LEFT JOIN units o ON o.hierarchy = 2024 AND o.code = m.old_code"
                          " LEFT JOIN units n ON n.hierarchy = 2025 AND n.code = m.new_code"
                          " WHERE o.code IS NULL OR n.code IS NULL OR ?1 <> 0";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s, "unit_check");
    sqlite3_bind_int(st, 1, h);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *n = sqlite3_column_int64(st, 0);
        sq_col_cpy(st, 1, first_bad, 32);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? ST_OK : sq_fail(s, "unit_check");
}

static int read_codes(struct sqlite_store *s, sqlite3_stmt *st, struct code_list *out)
{
    int cap = 0, rc;
    memset(out, 0, sizeof *out);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        out->codes = grow(out->codes, &cap, out->n, sizeof *out->codes);
        sq_col_cpy(st, 0, out->codes[out->n++], 32);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        code_list_free(out);
        return sq_fail(s, "codes");
    }
    return ST_OK;
}

static int s_mapping_new_of(struct store *base, const char *old_code, struct code_list *out)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = sq_stmt(s, Q_MAP_NEW, "SELECT new_code FROM unit_mapping WHERE old_code = ? ORDER BY new_code");
    if (!st)
        return ST_ERR;
    sq_bind_text_empty(st, 1, old_code);
    return read_codes(s, st, out);
}

static int s_mapping_old_of(struct store *base, const char *new_code, struct code_list *out)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = sq_stmt(s, Q_MAP_OLD, "SELECT old_code FROM unit_mapping WHERE new_code = ? ORDER BY old_code");
    if (!st)
        return ST_ERR;
    sq_bind_text_empty(st, 1, new_code);
    return read_codes(s, st, out);
}

static int s_indicator_list(struct store *base, struct indicator **out, int *n)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = sq_stmt(s, Q_IND_LIST, "SELECT code, name, unit, aggregate FROM indicators ORDER BY sort, code");
    if (!st)
        return ST_ERR;
    int cap = 0, rc;
    *out = NULL;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = grow(*out, &cap, *n, sizeof **out);
        struct indicator *i = &(*out)[(*n)++];
        sq_col_cpy(st, 0, i->code, sizeof i->code);
        sq_col_cpy(st, 1, i->name, sizeof i->name);
        sq_col_cpy(st, 2, i->unit, sizeof i->unit);
        const unsigned char *agg = sqlite3_column_text(st, 3);
        i->mean = agg && strcmp((const char *)agg, "mean") == 0;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        free(*out);
        *out = NULL;
        *n = 0;
        return sq_fail(s, "indicator_list");
    }
    return ST_OK;
}

/* ---- models ------------------------------------------------------------------ */

static int owner_id(struct sqlite_store *s, const struct model *m, sqlite3_int64 *id)
{
    *id = 0;
    if (!m->owner || !*m->owner)
        return ST_OK;
    const char *type = owner_type_names[m->owner_type ? m->owner_type : OWNER_ORGANIZATION];
    sqlite3_stmt *st = sq_stmt(s, Q_OWNER_GET, "SELECT id FROM owners WHERE type = ? AND name = ?");
    if (!st)
        return ST_ERR;
    sq_bind_text(st, 1, type);
    sq_bind_text(st, 2, m->owner);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        return ST_OK;
    }
    if (rc != SQLITE_DONE)
        return sq_fail(s, "owner_get");
    char *fold = text_fold(m->owner);
    st = sq_stmt(s, Q_OWNER_ADD, "INSERT INTO owners (type, name, name_fold) VALUES (?, ?, ?)");
    if (!st) {
        free(fold);
        return ST_ERR;
    }
    sq_bind_text(st, 1, type);
    sq_bind_text(st, 2, m->owner);
    sq_bind_text_empty(st, 3, fold);
    free(fold);
    if (sqlite3_step(st) != SQLITE_DONE)
        return sq_fail(s, "owner_add");
    *id = sqlite3_last_insert_rowid(s->db);
    return ST_OK;
}

/* Writes the counters kept in memory back to their rows (before the commit) and forgets them. */
static int flush_counters(struct sqlite_store *s)
{
    int rc = ST_OK;
    for (size_t i = 0; i < sizeof s->counters / sizeof s->counters[0]; i++) {
        if (s->counters[i].dirty && rc == ST_OK) {
            sqlite3_stmt *st = sq_stmt(s, Q_COUNTER_SET,
                                       "INSERT INTO code_counters (year, last) VALUES (?, ?)"
                                       " ON CONFLICT (year) DO UPDATE SET last = excluded.last");
            if (!st)
                return ST_ERR;
            sqlite3_bind_int(st, 1, s->counters[i].year);
            sqlite3_bind_int64(st, 2, s->counters[i].last);
            int r = sqlite3_step(st);
            sqlite3_reset(st);
            if (r != SQLITE_DONE)
                rc = sq_fail(s, "counter_set");
        }
        s->counters[i].year = 0;
        s->counters[i].dirty = false;
    }
    return rc;
}

/* The next code of year. Inside one transaction the counters stay in memory (the write lock
 * is ours until the commit), so an import of many models reads each year's once. */
static int next_code(struct sqlite_store *s, int year, char out[24])
{
    size_t n = sizeof s->counters / sizeof s->counters[0], i = 0;
    while (i < n && s->counters[i].year && s->counters[i].year != year)
        i++;
    if (i == n) { /* more years than slots: write them back and start again */
        if (flush_counters(s))
            return ST_ERR;
        i = 0;
    }
    if (s->counters[i].year != year) {
        sqlite3_stmt *st = sq_stmt(s, Q_COUNTER_GET, "SELECT last FROM code_counters WHERE year = ?");
        if (!st)
            return ST_ERR;
        sqlite3_bind_int(st, 1, year);
        int rc = sqlite3_step(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return sq_fail(s, "counter_get");
        s->counters[i].last = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_reset(st);
        s->counters[i].year = year;
    }
    s->counters[i].last++;
    s->counters[i].dirty = true;
    char code[48];
    snprintf(code, sizeof code, "DVK-%04d-%06lld", year, (long long)s->counters[i].last);
    snprintf(out, 24, "%.23s", code);
    return ST_OK;
}

/* Writes m's tags and results; fresh: m was just inserted, so there is nothing to replace. */
static int write_children(struct sqlite_store *s, const struct model *m, bool fresh)
{
    sqlite3_stmt *st;
    if (!fresh) {
        st = sq_stmt(s, Q_TAGS_DEL, "DELETE FROM model_tags WHERE model_id = ?");
        if (!st)
            return ST_ERR;
        sqlite3_bind_int64(st, 1, m->id);
        if (sqlite3_step(st) != SQLITE_DONE)
            return sq_fail(s, "tags_del");
    }
    for (int i = 0; i < m->ntags; i++) {
        st = sq_stmt(s, Q_TAG_ADD, "INSERT INTO model_tags (model_id, pos, tag) VALUES (?, ?, ?)");
        if (!st)
            return ST_ERR;
        sqlite3_bind_int64(st, 1, m->id);
        sqlite3_bind_int(st, 2, i);
        sq_bind_text_empty(st, 3, m->tags[i]);
        if (sqlite3_step(st) != SQLITE_DONE)
            return sq_fail(s, "tag_add");
    }
    if (!fresh) {
        st = sq_stmt(s, Q_RES_DEL, "DELETE FROM model_results WHERE model_id = ?");
        if (!st)
            return ST_ERR;
        sqlite3_bind_int64(st, 1, m->id);
        if (sqlite3_step(st) != SQLITE_DONE)
            return sq_fail(s, "results_del");
    }
    for (int i = 0; i < m->nresults; i++) {
        st = sq_stmt(s, Q_RES_ADD, "INSERT INTO model_results (model_id, year, indicator, value) VALUES (?, ?, ?, ?)");
        if (!st)
            return ST_ERR;
        sqlite3_bind_int64(st, 1, m->id);
        sqlite3_bind_int(st, 2, m->results[i].year);
        sq_bind_text_empty(st, 3, m->results[i].indicator);
        sqlite3_bind_double(st, 4, m->results[i].value);
        if (sqlite3_step(st) != SQLITE_DONE)
            return sq_fail(s, "result_add");
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

static void bind_model(sqlite3_stmt *st, const struct model *m, sqlite3_int64 oid, const char *search_fold,
                       const char *public_fold)
{
    char *tf = text_fold(m->title ? m->title : "");
    int i = 1;
    sq_bind_text_empty(st, i++, m->title);
    sq_bind_text_empty(st, i++, tf);
    sq_bind_text(st, i++, m->summary);
    sq_bind_text(st, i++, m->description);
    sq_bind_text(st, i++, model_field_names[m->field]);
    sq_bind_text(st, i++, model_kind_names[m->kind]);
    sq_bind_text(st, i++, reg_level_names[m->level]);
    sq_bind_text(st, i++, model_status_names[m->status]);
    sqlite3_bind_int(st, i++, m->hierarchy);
    sq_bind_text(st, i++, m->unit_code);
    sq_bind_text(st, i++, m->place.p24);
    sq_bind_text(st, i++, m->place.d24);
    sq_bind_text(st, i++, m->place.c24);
    sq_bind_text(st, i++, m->place.p25);
    sq_bind_text(st, i++, m->place.c25);
    sq_bind_text(st, i++, m->registered_on);
    sq_bind_id(st, i++, oid);
    sq_bind_text(st, i++, m->situation);
    sq_bind_text(st, i++, m->objectives);
    sq_bind_text(st, i++, m->content);
    sq_bind_text(st, i++, m->area_target);
    sq_bind_text(st, i++, m->forces);
    sq_bind_text(st, i++, m->resources);
    sq_bind_text(st, i++, m->outputs);
    sq_bind_text(st, i++, m->sustainability);
    sq_bind_text(st, i++, m->period_from);
    sq_bind_text(st, i++, m->period_to);
    sqlite3_bind_int(st, i++, m->typical ? 1 : 0);
    sq_bind_text(st, i++, m->typical_reason);
    sq_bind_text_empty(st, i++, search_fold);
    sq_bind_text(st, i++, m->updated_at);
    sqlite3_bind_int(st, i++, m->is_public ? 1 : 0);
    sq_bind_text_empty(st, i++, public_fold);
    char *tk = text_sort_key(m->title ? m->title : "");
    sq_bind_text_empty(st, i++, tk);
    sq_bind_text(st, i++, m->ext_key);
    sq_bind_text(st, i++, m->commune_2025);
    free(tk);
    free(tf);
}

static int s_model_insert(struct store *base, struct model *m, const char *search_fold, const char *public_fold)
{
    struct sqlite_store *s = S(base);
    sqlite3_int64 oid;
    int rc = s_begin(base);
    if (rc)
        return rc;
    date_now_iso(m->created_at);
    memcpy(m->updated_at, m->created_at, sizeof m->updated_at);
    m->version = 1;
    if ((rc = owner_id(s, m, &oid)) || (rc = next_code(s, date_year(m->registered_on), m->code)))
        goto fail;
    sqlite3_stmt *st = sq_stmt(s, Q_MODEL_INSERT,
                            "INSERT INTO models (" MODEL_WRITE_COLS ", code, version, created_at) VALUES "
                            "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,"
                            " ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, 1, ?38)");
    if (!st) {
        rc = ST_ERR;
        goto fail;
    }
    bind_model(st, m, oid, search_fold, public_fold);
    sq_bind_text(st, MODEL_WRITE_N + 1, m->code);
    sq_bind_text(st, MODEL_WRITE_N + 2, m->created_at);
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = sq_fail(s, "model_insert");
        goto fail;
    }
    m->id = sqlite3_last_insert_rowid(s->db);
    if ((rc = write_children(s, m, true)))
        goto fail;
    return s_commit(base);
fail:
    s_rollback(base);
    return rc;
}

static int s_model_update(struct store *base, struct model *m, int expected_version, const char *search_fold,
                          const char *public_fold)
{
    struct sqlite_store *s = S(base);
    sqlite3_int64 oid;
    int rc = s_begin(base);
    if (rc)
        return rc;
    date_now_iso(m->updated_at);
    if ((rc = owner_id(s, m, &oid)))
        goto fail;
    sqlite3_stmt *st = sq_stmt(
        s, Q_MODEL_UPDATE,
        "UPDATE models SET (" MODEL_WRITE_COLS ", version) = (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
        " ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34,"
        " ?35, ?36, version + 1) WHERE id = ?37 AND version = ?38");
    if (!st) {
        rc = ST_ERR;
        goto fail;
    }
    bind_model(st, m, oid, search_fold, public_fold);
    sqlite3_bind_int64(st, MODEL_WRITE_N + 1, m->id);
    sqlite3_bind_int(st, MODEL_WRITE_N + 2, expected_version);
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = sq_fail(s, "model_update");
        goto fail;
    }
    if (sqlite3_changes(s->db) == 0) {
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
    return s_commit(base);
fail:
    s_rollback(base);
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

static int read_model(struct sqlite_store *s, sqlite3_stmt *st, struct model *m)
{
    model_init(m);
    int i = 0;
    m->id = sqlite3_column_int64(st, i++);
    sq_col_cpy(st, i++, m->code, sizeof m->code);
    m->title = sq_col_dup(st, i++);
    m->summary = sq_col_dup(st, i++);
    m->description = sq_col_dup(st, i++);
    m->field = enum_parse(model_field_names, FIELD_COUNT, (const char *)sqlite3_column_text(st, i++));
    m->kind = enum_parse(model_kind_names, KIND_COUNT, (const char *)sqlite3_column_text(st, i++));
    m->level = enum_parse(reg_level_names, LEVEL_COUNT, (const char *)sqlite3_column_text(st, i++));
    m->status = enum_parse(model_status_names, STATUS_COUNT, (const char *)sqlite3_column_text(st, i++));
    m->hierarchy = sqlite3_column_int(st, i++);
    sq_col_cpy(st, i++, m->unit_code, sizeof m->unit_code);
    sq_col_cpy(st, i++, m->place.p24, sizeof m->place.p24);
    sq_col_cpy(st, i++, m->place.d24, sizeof m->place.d24);
    sq_col_cpy(st, i++, m->place.c24, sizeof m->place.c24);
    sq_col_cpy(st, i++, m->place.p25, sizeof m->place.p25);
    sq_col_cpy(st, i++, m->place.c25, sizeof m->place.c25);
    sq_col_cpy(st, i++, m->registered_on, sizeof m->registered_on);
    m->owner_type = enum_parse(owner_type_names, OWNER_COUNT, (const char *)sqlite3_column_text(st, i++));
    m->owner = sq_col_dup(st, i++);
    m->situation = sq_col_dup(st, i++);
    m->objectives = sq_col_dup(st, i++);
    m->content = sq_col_dup(st, i++);
    m->area_target = sq_col_dup(st, i++);
    m->forces = sq_col_dup(st, i++);
    m->resources = sq_col_dup(st, i++);
    m->outputs = sq_col_dup(st, i++);
    m->sustainability = sq_col_dup(st, i++);
    sq_col_cpy(st, i++, m->period_from, sizeof m->period_from);
    sq_col_cpy(st, i++, m->period_to, sizeof m->period_to);
    m->typical = sqlite3_column_int(st, i++) != 0;
    m->typical_reason = sq_col_dup(st, i++);
    m->version = sqlite3_column_int(st, i++);
    sq_col_cpy(st, i++, m->created_at, sizeof m->created_at);
    sq_col_cpy(st, i++, m->updated_at, sizeof m->updated_at);
    m->unit_name = sq_col_dup(st, i++);
    i++; /* title_fold */
    m->is_public = sqlite3_column_int(st, i++) != 0;
    m->ext_key = sq_col_dup(st, i++);
    sq_col_cpy(st, i++, m->commune_2025, sizeof m->commune_2025);
    return ST_OK;
    (void)s;
}

static int read_children(struct sqlite_store *s, struct model *m)
{
    sqlite3_stmt *st = sq_stmt(s, Q_TAGS_GET, "SELECT tag FROM model_tags WHERE model_id = ? ORDER BY pos");
    if (!st)
        return ST_ERR;
    sqlite3_bind_int64(st, 1, m->id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && m->ntags < MODEL_MAX_TAGS)
        m->tags[m->ntags++] = sq_col_dup(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sq_fail(s, "tags_get");
    st = sq_stmt(s, Q_RES_GET,
              "SELECT r.year, r.indicator, r.value FROM model_results r JOIN indicators i ON i.code = r.indicator"
              " WHERE r.model_id = ? ORDER BY r.year, i.sort");
    if (!st)
        return ST_ERR;
    sqlite3_bind_int64(st, 1, m->id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && m->nresults < MODEL_MAX_RESULTS) {
        struct model_result *r = &m->results[m->nresults++];
        r->year = sqlite3_column_int(st, 0);
        sq_col_cpy(st, 1, r->indicator, sizeof r->indicator);
        r->value = sqlite3_column_double(st, 2);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sq_fail(s, "results_get");
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
static int read_children_batch(struct sqlite_store *s, struct model *ms, int n)
{
    static const char *const sql[2] = {
        "SELECT model_id, tag, NULL, NULL FROM model_tags WHERE model_id IN (SELECT value FROM json_each(?))"
        " ORDER BY model_id, pos",
        "SELECT r.model_id, r.indicator, r.year, r.value FROM model_results r JOIN indicators i ON i.code = r.indicator"
        " WHERE r.model_id IN (SELECT value FROM json_each(?)) ORDER BY r.model_id, r.year, i.sort"};
    struct buf ids = BUF_INIT;
    buf_putc(&ids, '[');
    for (int i = 0; i < n; i++)
        buf_printf(&ids, "%s%lld", i ? "," : "", (long long)ms[i].id);
    buf_putc(&ids, ']');
    int rc = ST_OK;
    for (int q = 0; q < 2 && rc == ST_OK; q++) {
        sqlite3_stmt *st = sq_once(s, sql[q]);
        if (!st) {
            rc = ST_ERR;
            break;
        }
        sqlite3_bind_text(st, 1, ids.p, (int)ids.len, SQLITE_TRANSIENT);
        int step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            struct model *m = by_id(ms, n, sqlite3_column_int64(st, 0));
            if (!m)
                continue;
            if (q == 0 && m->ntags < MODEL_MAX_TAGS)
                m->tags[m->ntags++] = sq_col_dup(st, 1);
            else if (q == 1 && m->nresults < MODEL_MAX_RESULTS) {
                struct model_result *r = &m->results[m->nresults++];
                sq_col_cpy(st, 1, r->indicator, sizeof r->indicator);
                r->year = sqlite3_column_int(st, 2);
                r->value = sqlite3_column_double(st, 3);
            }
        }
        sqlite3_finalize(st);
        if (step != SQLITE_DONE)
            rc = sq_fail(s, "children");
    }
    buf_free(&ids);
    return rc;
}

static int model_get_in(struct store *base, int64_t id, struct model *out)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = sq_stmt(s, Q_MODEL_GET, "SELECT " MODEL_READ_COLS MODEL_READ_FROM " WHERE m.id = ?");
    if (!st)
        return ST_ERR;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        return ST_NOTFOUND;
    if (rc != SQLITE_ROW)
        return sq_fail(s, "model_get");
    read_model(s, st, out);
    sqlite3_reset(st);
    if (read_children(s, out)) {
        model_free(out);
        return ST_ERR;
    }
    return ST_OK;
}

/* A model and its tags and results are read in one transaction: one snapshot (a write
 * between the row and its tags cannot show half of it) and one read lock, not one a query. */
static int s_model_get(struct store *base, int64_t id, struct model *out)
{
    if (s_begin_read(base) != ST_OK)
        return ST_ERR;
    int rc = model_get_in(base, id, out);
    if (s_commit(base) != ST_OK && rc == ST_OK) {
        model_free(out);
        rc = ST_ERR;
    }
    return rc;
}

static const char *const sort_col[SORT_COUNT] = {"m.registered_on", "m.registered_on", "m.title_key", "m.code"};
static const char *const sort_dir[SORT_COUNT] = {"DESC", "ASC", "ASC", "ASC"};
static const char *const place_sql[] = {"", "m.p24 = ?", "m.d24 = ?", "m.c24 = ?", "m.p25 = ?", "m.c25 = ?",
                                        "m.hierarchy = ? AND m.unit_code = ?"};

/* WHERE clause shared by the count and the page; binds in order. */
static void filter_sql(const struct model_filter *f, struct buf *sql)
{
    buf_puts(sql, " WHERE 1");
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
            buf_printf(sql, " AND instr(%s, ' ' || ?) > 0", /* word prefixes */
                       f->showcase ? "m.public_fold" : "m.search_fold");
        free(w);
    }
}

static int filter_bind(sqlite3_stmt *st, const struct model_filter *f)
{
    int i = 1;
    if (f->field)
        sqlite3_bind_text(st, i++, model_field_names[f->field], -1, SQLITE_STATIC);
    if (f->kind)
        sqlite3_bind_text(st, i++, model_kind_names[f->kind], -1, SQLITE_STATIC);
    if (f->status)
        sqlite3_bind_text(st, i++, model_status_names[f->status], -1, SQLITE_STATIC);
    if (f->typical >= 0)
        sqlite3_bind_int(st, i++, f->typical);
    if (f->place_col == PLACE_UNIT)
        sqlite3_bind_int(st, i++, f->unit_hierarchy);
    if (f->place_col)
        sqlite3_bind_text(st, i++, f->place_code, -1, SQLITE_TRANSIENT);
    if (f->scope_col == PLACE_UNIT)
        sqlite3_bind_int(st, i++, f->scope_hierarchy);
    if (f->scope_col)
        sqlite3_bind_text(st, i++, f->scope_code, -1, SQLITE_TRANSIENT);
    if (f->from[0])
        sqlite3_bind_text(st, i++, f->from, -1, SQLITE_TRANSIENT);
    if (f->to[0])
        sqlite3_bind_text(st, i++, f->to, -1, SQLITE_TRANSIENT);
    if (f->q_fold && *f->q_fold) {
        char *w = xstrdup(f->q_fold), *save = NULL;
        for (char *t = strtok_r(w, " ", &save); t; t = strtok_r(NULL, " ", &save))
            sqlite3_bind_text(st, i++, t, -1, SQLITE_TRANSIENT);
        free(w);
    }
    return i;
}

/* A number that moves whenever a change was committed since it was last read: SQLite's
 * data_version moves on other connections' commits (of this process or another),
 * total_changes on our own. The cached counts belong to one generation. */
static int s_generation(struct store *base, uint64_t *out)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = sq_stmt(s, Q_DATA_VERSION, "PRAGMA data_version");
    int64_t version = st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    if (st)
        sqlite3_reset(st);
    if (version < 0)
        return sq_fail(s, "data_version");
    int64_t changes = sqlite3_total_changes64(s->db);
    if (version != s->seen_version || changes != s->seen_changes) {
        for (int i = 0; i < COUNT_CACHE; i++) {
            free(s->counts[i].key);
            s->counts[i].key = NULL;
        }
        s->seen_version = version;
        s->seen_changes = changes;
        s->generation++;
    }
    *out = s->generation;
    return ST_OK;
}

static void counts_check(struct sqlite_store *s)
{
    uint64_t g;
    if (s_generation(&s->base, &g) != ST_OK)
        for (int i = 0; i < COUNT_CACHE; i++) {
            free(s->counts[i].key);
            s->counts[i].key = NULL;
        }
}

/* The filter as text: its SQL and every bound value, so equal keys mean equal counts. */
static char *count_key(const struct model_filter *f, const char *where)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "%s|%d|%d|%d|%d|%d|%s|%d|%d|%s|%d|%s|%s|%s", where, f->field, f->kind, f->status, f->typical,
               f->place_col, f->place_code, f->unit_hierarchy, f->scope_col, f->scope_code, f->scope_hierarchy,
               f->from, f->to, f->q_fold ? f->q_fold : "");
    return buf_detach(&b);
}

bool sq_count_get(struct sqlite_store *s, const char *key, int64_t *total)
{
    counts_check(s);
    for (int i = 0; i < COUNT_CACHE; i++)
        if (s->counts[i].key && strcmp(s->counts[i].key, key) == 0) {
            *total = s->counts[i].total;
            return true;
        }
    return false;
}

void sq_count_put(struct sqlite_store *s, char *key, int64_t total)
{
    struct count_entry *e = &s->counts[s->next_slot];
    s->next_slot = (s->next_slot + 1) % COUNT_CACHE;
    free(e->key);
    e->key = key;
    e->total = total;
}

int sq_list_scan(struct sqlite_store *s, const struct model_filter *f, bool count, struct model_page *out)
{
    memset(out, 0, sizeof *out);
    struct buf where = BUF_INIT, sql = BUF_INIT;
    filter_sql(f, &where);
    int rc = ST_ERR;
    sqlite3_stmt *st = NULL;

    char *key = count ? count_key(f, where.p) : NULL;
    if (!count || sq_count_get(s, key, &out->total)) {
        free(key);
    } else {
        /* the WHERE clause is made of constant SQL only; every value is bound by filter_bind */
        buf_printf(&sql, "SELECT count(*) FROM models m%s", where.p);
        if (sqlite3_prepare_v2(s->db, sql.p, -1, &st, NULL) != SQLITE_OK) {
            free(key);
            sq_fail(s, "model_count");
            goto out;
        }
        filter_bind(st, f);
        if (sqlite3_step(st) != SQLITE_ROW) {
            free(key);
            sq_fail(s, "model_count");
            goto out;
        }
        out->total = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        st = NULL;
        sq_count_put(s, key, out->total);
    }

    int sort = f->sort >= 0 && f->sort < SORT_COUNT ? f->sort : SORT_REGISTERED_DESC;
    const char *cmp = strcmp(sort_dir[sort], "DESC") == 0 ? "<" : ">";
    buf_reset(&sql);
    buf_printf(&sql, "SELECT " MODEL_READ_COLS MODEL_READ_FROM "%s", where.p);
    if (f->has_cursor)
        buf_printf(&sql, " AND (%s, m.id) %s (?, ?)", sort_col[sort], cmp);
    buf_printf(&sql, " ORDER BY %s %s, m.id %s LIMIT ?", sort_col[sort], sort_dir[sort], sort_dir[sort]);
    if (sqlite3_prepare_v2(s->db, sql.p, -1, &st, NULL) != SQLITE_OK) {
        sq_fail(s, "model_list");
        goto out;
    }
    int i = filter_bind(st, f);
    if (f->has_cursor) {
        sqlite3_bind_text(st, i++, f->cursor_key, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, i++, f->cursor_id);
    }
    sqlite3_bind_int(st, i, f->limit + 1);
    out->items = xcalloc((size_t)f->limit + 1, sizeof *out->items);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n == f->limit) {
            out->more = true;
            break;
        }
        read_model(s, st, &out->items[out->n++]);
    }
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        sq_fail(s, "model_list");
        goto out;
    }
    if (out->n && read_children_batch(s, out->items, out->n))
        goto out;
    rc = ST_OK;
out:
    if (st)
        sqlite3_finalize(st);
    if (rc)
        model_page_free(out);
    buf_free(&where);
    buf_free(&sql);
    return rc;
}

/* In one read transaction, as s_model_get: the count, the page and its models agree. */
static int s_model_list(struct store *base, const struct model_filter *f, struct model_page *out)
{
    if (s_begin_read(base) != ST_OK)
        return ST_ERR;
    int rc = f->q_fold && *f->q_fold ? sq_search_list(S(base), f, out) /* store_sqlite_search.c */
                                     : sq_list_scan(S(base), f, true, out);
    if (s_commit(base) != ST_OK && rc == ST_OK) {
        model_page_free(out);
        rc = ST_ERR;
    }
    return rc;
}

int sq_models_by_ids(struct sqlite_store *s, const int64_t *ids, int n, struct model *out)
{
    struct buf json = BUF_INIT;
    buf_putc(&json, '[');
    for (int i = 0; i < n; i++)
        buf_printf(&json, "%s%lld", i ? "," : "", (long long)ids[i]);
    buf_putc(&json, ']');
    sqlite3_stmt *st = sq_stmt(s, Q_MODELS_BY_IDS, "SELECT " MODEL_READ_COLS MODEL_READ_FROM
                                                   " WHERE m.id IN (SELECT value FROM json_each(?))");
    if (!st) {
        buf_free(&json);
        return ST_ERR;
    }
    sqlite3_bind_text(st, 1, json.p, (int)json.len, SQLITE_TRANSIENT);
    buf_free(&json);
    int got = 0, step;
    bool *seen = xcalloc((size_t)n + 1, sizeof *seen);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        for (int i = 0; i < n; i++)
            if (ids[i] == id && !seen[i]) {
                read_model(s, st, &out[i]);
                seen[i] = true;
                got++;
                break;
            }
    }
    sqlite3_reset(st);
    int rc = step == SQLITE_DONE ? ST_OK : sq_fail(s, "models_by_ids");
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

static int s_model_count(struct store *base, int64_t *out)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = sq_stmt(s, Q_MODEL_COUNT, "SELECT count(*) FROM models");
    if (!st || sqlite3_step(st) != SQLITE_ROW)
        return sq_fail(s, "model_count");
    *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return ST_OK;
}

static int s_submission_find(struct store *base, int64_t user_id, const char *token, int64_t *model_id)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st =
        sq_stmt(s, Q_SUBMISSION_FIND, "SELECT model_id FROM model_submissions WHERE user_id = ? AND token = ?");
    if (!st)
        return ST_ERR;
    sqlite3_bind_int64(st, 1, user_id);
    sq_bind_text(st, 2, token);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        return ST_NOTFOUND;
    if (rc != SQLITE_ROW)
        return sq_fail(s, "submission_find");
    *model_id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return ST_OK;
}

static int s_submission_add(struct store *base, int64_t user_id, const char *token, int64_t model_id)
{
    struct sqlite_store *s = S(base);
    char now[32];
    date_now_iso(now);
    sqlite3_stmt *st = sq_stmt(s, Q_SUBMISSION_ADD,
                          "INSERT INTO model_submissions (user_id, token, model_id, at) VALUES (?, ?, ?, ?)"
                          " ON CONFLICT DO NOTHING");
    if (!st)
        return ST_ERR;
    sqlite3_bind_int64(st, 1, user_id);
    sq_bind_text(st, 2, token);
    sqlite3_bind_int64(st, 3, model_id);
    sq_bind_text(st, 4, now);
    if (sqlite3_step(st) != SQLITE_DONE)
        return sq_fail(s, "submission_add");
    return sqlite3_changes(s->db) == 1 ? ST_OK : ST_EXISTS;
}

/* The placed tables by enum placed_table: names for the SQL below, never from a request. */
static const char *const placed_names[PLACED_COUNT] = {"models", "replications", "commendation_events", "awards"};

static int s_place_refs(struct store *base, int table, int64_t after_id, int limit, struct place_ref *out, int *n)
{
    struct sqlite_store *s = S(base);
    *n = 0;
    if (table < 0 || table >= PLACED_COUNT)
        return ST_ERR;
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT id, hierarchy, unit_code FROM %s WHERE id > ? ORDER BY id LIMIT ?", placed_names[table]);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s, "place_refs");
    sqlite3_bind_int64(st, 1, after_id);
    sqlite3_bind_int(st, 2, limit);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < limit) {
        out[*n].id = sqlite3_column_int64(st, 0);
        out[*n].hierarchy = sqlite3_column_int(st, 1);
        sq_col_cpy(st, 2, out[*n].unit_code, sizeof out[*n].unit_code);
        (*n)++;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? ST_OK : sq_fail(s, "place_refs");
}

static int s_place_set(struct store *base, int table, int64_t id, const struct model_place *p)
{
    struct sqlite_store *s = S(base);
    if (table < 0 || table >= PLACED_COUNT)
        return ST_ERR;
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE %s SET p24 = ?, d24 = ?, c24 = ?, p25 = ?, c25 = ? WHERE id = ?", placed_names[table]);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s, "place_set");
    sq_bind_text(st, 1, p->p24);
    sq_bind_text(st, 2, p->d24);
    sq_bind_text(st, 3, p->c24);
    sq_bind_text(st, 4, p->p25);
    sq_bind_text(st, 5, p->c25);
    sqlite3_bind_int64(st, 6, id);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ST_OK : sq_fail(s, "place_set");
}

/* ---- open / close ----------------------------------------------------------------- */

static void s_close(struct store *base)
{
    struct sqlite_store *s = S(base);
    if (!s)
        return;
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(s->q[i]);
    for (int i = 0; i < COUNT_CACHE; i++)
        free(s->counts[i].key);
    for (int i = 0; i < s->ndeferred; i++)
        free(s->deferred[i]);
    free(s->deferred);
    sqlite3_close(s->db);
    free(s);
}

static const struct store_ops sqlite_ops = {
    .engine = "sqlite",
    .close = s_close,
    .begin = s_begin,
    .commit = s_commit,
    .rollback = s_rollback,
    .begin_read = s_begin_read,
    .limit = s_limit,
    .unit_put = s_unit_put,
    .mapping_put = s_mapping_put,
    .unit_get = s_unit_get,
    .unit_children = s_unit_children,
    .unit_search = s_unit_search,
    .unit_count = s_unit_count,
    .unit_check = s_unit_check,
    .mapping_new_of = s_mapping_new_of,
    .mapping_old_of = s_mapping_old_of,
    .indicator_list = s_indicator_list,
    .model_insert = s_model_insert,
    .model_get = s_model_get,
    .model_update = s_model_update,
    .model_list = s_model_list,
    .model_title_candidates = s_model_title_candidates,
    .model_count = s_model_count,
    .submission_find = s_submission_find,
    .submission_add = s_submission_add,
    .place_refs = s_place_refs,
    .place_set = s_place_set,
    .user_insert = s_user_insert,
    .user_by_login = s_user_by_login,
    .user_get = s_user_get,
    .user_list = s_user_list,
    .user_update = s_user_update,
    .session_create = s_session_create,
    .session_get = s_session_get,
    .session_touch = s_session_touch,
    .session_delete = s_session_delete,
    .session_delete_user = s_session_delete_user,
    .token_create = s_token_create,
    .token_user = s_token_user,
    .token_revoke = s_token_revoke,
    .token_list = s_token_list,
    .throttle_get = s_throttle_get,
    .throttle_put = s_throttle_put,
    .throttle_clear = s_throttle_clear,
    .model_transition = s_model_transition,
    .model_events = s_model_events,
    .criteria_get = s_criteria_get,
    .criteria_put = s_criteria_put,
    .threshold_get = s_threshold_get,
    .threshold_put = s_threshold_put,
    .appraisal_insert = s_appraisal_insert,
    .appraisal_list = s_appraisal_list,
    .replication_insert = s_replication_insert,
    .replication_delete = s_replication_delete,
    .replication_list = s_replication_list,
    .replication_sources = s_replication_sources,
    .event_insert = s_event_insert,
    .event_get = s_event_get,
    .event_list = s_event_list,
    .report_models = s_report_models,
    .report_results = s_report_results,
    .report_events = s_report_events,
    .report_awards = s_report_awards,
    .report_replications = s_report_replications,
    .report_units = s_report_units,
    .heading_get = s_heading_get,
    .heading_put = s_heading_put,
    .award_insert = s_award_insert,
    .award_list = s_award_list,
    .award_get = s_award_get,
    .appraisal_model = s_appraisal_model,
    .attachment_insert = s_attachment_insert,
    .attachment_get = s_attachment_get,
    .attachment_list = s_attachment_list,
    .model_by_key = s_model_by_key,
    .model_by_old_key = s_model_by_old_key,
    .bulk = s_bulk,
    .defer_indexes = s_defer_indexes,
    .check = s_check,
    .import_seen = s_import_seen,
    .audit_append = s_audit_append,
    .audit_list = s_audit_list,
    .generation = s_generation,
};

int store_precheck_sqlite(const char *path, bool *damaged)
{
    struct stat sb;
    *damaged = false;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size == 0)
        return ST_NOTFOUND;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int rc = ST_ERR;
    /* read only, no SQLITE_OPEN_CREATE: nothing is written, no file is made */
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        log_error("check: %s: %s", path, sqlite3_errmsg(db));
        goto done;
    }
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM schema_migrations", -1, &st, NULL) != SQLITE_OK) {
        /* no such table, or not an SQLite file: no dvk database (unless its schema is what
         * is damaged) */
        rc = sqlite3_errcode(db) == SQLITE_CORRUPT ? (*damaged = true, ST_OK) : ST_NOTFOUND;
        goto done;
    }
    sqlite3_finalize(st);
    st = NULL;
    int step = SQLITE_ERROR;
    if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK ||
        ((step = sqlite3_step(st)) != SQLITE_ROW && (step & 0xff) != SQLITE_CORRUPT)) {
        log_error("check: %s: quick_check: %s", path, sqlite3_errmsg(db));
        goto done;
    }
    const char *v = step == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    *damaged = !v || strcmp(v, "ok") != 0;
    rc = ST_OK;
done:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

int store_backup_sqlite(const char *path, const char *out, int64_t *bytes, char *err, size_t errsz)
{
    struct stat sb;
    *bytes = 0;
    err[0] = 0;
    if (stat(out, &sb) == 0)
        return ST_EXISTS;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return ST_NOTFOUND;
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.partial", out) >= sizeof tmp) {
        snprintf(err, errsz, "%s", "path too long");
        return ST_ERR;
    }
    unlink(tmp);
    sqlite3 *src = NULL, *dst = NULL;
    int rc = ST_ERR;
    /* no SQLITE_OPEN_CREATE: a mistyped path is an error, not a new empty database */
    if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        snprintf(err, errsz, "%s", sqlite3_errmsg(src && sqlite3_errcode(src) != SQLITE_OK ? src : dst));
        goto done;
    }
    sqlite3_busy_timeout(src, 5000);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(src, "SELECT count(*) FROM schema_migrations", -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        rc = ST_NOTFOUND; /* a file, but not a dvk database */
        goto done;
    }
    sqlite3_finalize(st);
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) {
        snprintf(err, errsz, "%s", sqlite3_errmsg(dst));
        goto done;
    }
    /* a few hundred pages at a time: writers wait for the source only between steps; a write
     * in between restarts the copy (SQLite does), which a busy server can make long, never wrong */
    int step;
    while ((step = sqlite3_backup_step(b, 256)) == SQLITE_OK || step == SQLITE_BUSY || step == SQLITE_LOCKED)
        if (step != SQLITE_OK)
            sqlite3_sleep(50);
    sqlite3_backup_finish(b);
    if (step != SQLITE_DONE) {
        snprintf(err, errsz, "%s", sqlite3_errstr(step));
        goto done;
    }
    /* the copy is whole and sound before it takes the name asked for */
    if (sqlite3_prepare_v2(dst, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW ||
        strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
        snprintf(err, errsz, "integrity_check: %s", st && sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : sqlite3_errmsg(dst));
        sqlite3_finalize(st);
        goto done;
    }
    sqlite3_finalize(st);
    if (sqlite3_close(dst) != SQLITE_OK) {
        snprintf(err, errsz, "%s", sqlite3_errmsg(dst));
        goto done;
    }
    dst = NULL;
    /* link, not rename: a file that appeared at out meanwhile is not replaced */
    if (link(tmp, out) != 0) {
        rc = errno == EEXIST ? ST_EXISTS : ST_ERR;
        snprintf(err, errsz, "%s", strerror(errno));
        goto done;
    }
    if (stat(out, &sb) == 0)
        *bytes = sb.st_size;
    rc = ST_OK;
done:
    if (dst)
        sqlite3_close(dst);
    if (src)
        sqlite3_close(src);
    unlink(tmp);
    return rc;
}

void store_memory_limit(int64_t bytes)
{
    sqlite3_soft_heap_limit64(bytes > 0 ? bytes : 0);
}

struct store *store_open_sqlite(const char *path)
{
    struct sqlite_store *s = xcalloc(1, sizeof *s);
    s->base.ops = &sqlite_ops;
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        log_error("sqlite: cannot open %s: %s", path, s->db ? sqlite3_errmsg(s->db) : "out of memory");
        s_close(&s->base);
        return NULL;
    }
    sqlite3_busy_timeout(s->db, 5000);
    char *err = NULL;
    /* synchronous=FULL: an acknowledged write survives a power cut, not only a crash.
     * cache_size: up to 64 MB of pages per connection (SQLite's default is 2 MB): a write
     * touches a dozen indexes and the search index, and a million models outgrow 2 MB
     * at once (measured: 100,000 models written in 58 s with 2 MB, 34 s with 64 MB). */
    if (sqlite3_exec(s->db,
                     "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"
                     " PRAGMA cache_size=-65536;",
                     NULL, NULL, &err) != SQLITE_OK) {
        log_error("sqlite: %s: %s", path, err);
        sqlite3_free(err);
        s_close(&s->base);
        return NULL;
    }
    if (migrate(s) != ST_OK || fill_sort_keys(s) != ST_OK) {
        s_close(&s->base);
        return NULL;
    }
    return &s->base;
}
