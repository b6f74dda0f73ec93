/* store_sqlite_search.c: full-text search of models over model_fts (migration 011):
 * lists with q, in relevance order or a date order straight from the index, and the
 * candidates of the duplicate warning.
 *
 * Every query is one FTS5 MATCH expression built here from folded words and filter
 * tokens (each quoted), bound as a parameter, with the registration date range and the
 * cursor as a rowid range. FTS5 walks its doclists in rowid order and stops at the
 * LIMIT, so a page of a common word costs a page, and a rare word costs its few rows. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/sqlite_int.h"
#include "util/buf.h"
#include "util/log.h"

/* rowid = day << 40 | id (see 011_search.sql) */
#define ID_MASK ((INT64_C(1) << 40) - 1)
/* A query word of three letters or more stands for the indexed words it begins; beyond
 * this many, FTS5's own prefix query is used instead (it reads them all at once). */
#define MAX_EXPANSION 48
/* Words of a query that are used; any further ones are ignored (q is 200 characters at most). */
#define MAX_WORDS 32

/* ---- building the MATCH expression ---------------------------------------------------- */

/* A token in double quotes (folded words and codes hold no quote; doubled if one did). */
static void quoted(struct buf *e, const char *s, size_t n)
{
    buf_putc(e, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            buf_putc(e, '"');
        buf_putc(e, s[i]);
    }
    buf_putc(e, '"');
}

/* A filter token: prefix then value, every character but letters and digits as '_',
 * as model_search_rows (011_search.sql) writes them. */
static void facet(struct buf *e, bool *first, const char *prefix, const char *value)
{
    struct buf t = BUF_INIT;
    buf_puts(&t, prefix);
    for (const char *p = value; *p; p++)
        buf_putc(&t, isalnum((unsigned char)*p) ? *p : '_');
    if (!*first)
        buf_puts(e, " AND ");
    *first = false;
    quoted(e, t.p, t.len);
    buf_free(&t);
}

static const char *const place_prefix[] = {"", "_p24_", "_d24_", "_c24_", "_p25_", "_c25_", NULL};

static void place_facet(struct buf *e, bool *first, int col, const char *code, int hierarchy)
{
    if (col == PLACE_NONE)
        return;
    if (col == PLACE_UNIT) {
        char prefix[16];
        snprintf(prefix, sizeof prefix, "_u%d_", hierarchy);
        facet(e, first, prefix, code);
    } else if (col > PLACE_NONE && col < PLACE_UNIT) {
        facet(e, first, place_prefix[col], code);
    }
}

/* The filter tokens of f, AND-ed; "" when f filters nothing the index holds. */
static void facets_expr(const struct model_filter *f, struct buf *e)
{
    bool first = true;
    if (f->field)
        facet(e, &first, "_f_", model_field_names[f->field]);
    if (f->kind)
        facet(e, &first, "_k_", model_kind_names[f->kind]);
    if (f->status)
        facet(e, &first, "_s_", model_status_names[f->status]);
    if (f->typical >= 0)
        facet(e, &first, "_t_", f->typical ? "1" : "0");
    if (f->showcase) {
        facet(e, &first, "_v_", "1");
        facet(e, &first, "_t_", "1");
        facet(e, &first, "_s_", "recognized");
    }
    place_facet(e, &first, f->place_col, f->place_code, f->unit_hierarchy);
    place_facet(e, &first, f->scope_col, f->scope_code, f->scope_hierarchy);
}

/* Number of code points in w[0..n). */
static size_t chars(const char *w, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)w[i] & 0xc0) != 0x80)
            k++;
    return k;
}

/* Appends the expression of one query word w[0..n), marked with a leading '.' for the
 * title column (see 011_search.sql): a prefix query when the term has one or two
 * characters (the prefix indexes hold them), otherwise the indexed words that begin with
 * it, OR-ed. *none is set when no indexed word begins with it (nothing can match). */
static int word_expr(struct sqlite_store *s, const char *w, size_t n, bool mark, struct buf *e, bool *none)
{
    *none = false;
    struct buf term = BUF_INIT;
    if (mark)
        buf_putc(&term, '.');
    buf_add(&term, w, n);
    if (chars(term.p, term.len) <= 2) {
        quoted(e, term.p, term.len);
        buf_putc(e, '*');
        buf_free(&term);
        return ST_OK;
    }
    sqlite3_stmt *st = sq_stmt(s, Q_SEARCH_WORDS,
                               "SELECT word FROM search_words WHERE word >= ?1 AND word < ?2 ORDER BY word LIMIT ?3");
    if (!st) {
        buf_free(&term);
        return ST_ERR;
    }
    /* every word that begins with the term sorts before it followed by the last code point */
    struct buf hi = BUF_INIT;
    buf_add(&hi, term.p, term.len);
    buf_puts(&hi, "\xF4\x8F\xBF\xBF");
    sqlite3_bind_text(st, 1, term.p, (int)term.len, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, hi.p, (int)hi.len, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, MAX_EXPANSION + 1);
    buf_free(&hi);
    struct buf terms = BUF_INIT;
    int k = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        int tl = sqlite3_column_bytes(st, 0);
        if (k++ == MAX_EXPANSION)
            break;
        if (k > 1)
            buf_puts(&terms, " OR ");
        quoted(&terms, t ? t : "", (size_t)tl);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        buf_free(&terms);
        buf_free(&term);
        return sq_fail(s, "search_words");
    }
    if (k == 0) {
        *none = true;
    } else if (k > MAX_EXPANSION) {
        quoted(e, term.p, term.len);
        buf_putc(e, '*');
    } else {
        buf_printf(e, "(%s)", terms.p);
    }
    buf_free(&terms);
    buf_free(&term);
    return ST_OK;
}

struct search_exprs {
    struct buf all;   /* every word in the searched text, and the filters */
    struct buf title; /* every word in the title, and the filters ("" when no title can match) */
    struct buf rest;  /* all, but not title */
    bool none;        /* a word no indexed word begins with: nothing matches */
};

static void exprs_free(struct search_exprs *x)
{
    buf_free(&x->all);
    buf_free(&x->title);
    buf_free(&x->rest);
}

/* The three expressions of a search. */
static int build_exprs(struct sqlite_store *s, const struct model_filter *f, struct search_exprs *x)
{
    memset(x, 0, sizeof *x);
    struct buf words = BUF_INIT, twords = BUF_INIT, facets = BUF_INIT;
    int nw = 0, rc = ST_OK;
    bool no_title = false;
    for (const char *p = f->q_fold; *p && nw < MAX_WORDS && rc == ST_OK && !x->none;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (!n)
            break;
        if (nw++) {
            buf_puts(&words, " AND ");
            buf_puts(&twords, " AND ");
        }
        bool none = false;
        rc = word_expr(s, p, n, false, &words, &x->none);
        if (rc == ST_OK && !no_title)
            rc = word_expr(s, p, n, true, &twords, &none);
        no_title |= none;
        p += n;
    }
    facets_expr(f, &facets);
    /* filter tokens are terms of their own: no column filter needed */
    buf_printf(&x->all, "{%s} : (%s)", f->showcase ? "pub" : "body", buf_cstr(&words));
    if (facets.len)
        buf_printf(&x->all, " AND (%s)", facets.p);
    if (no_title) {
        buf_printf(&x->rest, "%s", x->all.p);
    } else {
        buf_printf(&x->title, "(%s)", buf_cstr(&twords));
        if (facets.len)
            buf_printf(&x->title, " AND (%s)", facets.p);
        buf_printf(&x->rest, "(%s) NOT (%s)", x->all.p, buf_cstr(&twords));
    }
    buf_free(&words);
    buf_free(&twords);
    buf_free(&facets);
    return rc;
}

/* ---- running it ------------------------------------------------------------------------ */

/* ?2 <= rowid < ?3 (the cursor's side of the list), narrowed to the registration dates
 * ?4 to ?5 (from, to; NULL: open). */
#define RANGE_SQL                                                                                      \
    " AND rowid >= max(?2, coalesce(CAST(julianday(?4) AS INTEGER), 0) << 40)"                         \
    " AND rowid < min(?3, coalesce(CAST(julianday(?5) AS INTEGER) + 1, 4194304) << 40)"

static void bind_range(sqlite3_stmt *st, const struct model_filter *f, int64_t lo, int64_t hi)
{
    sqlite3_bind_int64(st, 2, lo);
    sqlite3_bind_int64(st, 3, hi);
    if (f->from[0])
        sqlite3_bind_text(st, 4, f->from, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 4);
    if (f->to[0])
        sqlite3_bind_text(st, 5, f->to, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 5);
}

/* Up to limit rowids matching expr within [lo, hi), in descending (or ascending) order,
 * appended to keys[*n]. */
static int fts_keys(struct sqlite_store *s, const char *expr, const struct model_filter *f, int64_t lo, int64_t hi,
                    bool desc, int limit, int64_t *keys, int *n)
{
    sqlite3_stmt *st = desc ? sq_stmt(s, Q_SEARCH_DESC, "SELECT rowid FROM model_fts WHERE model_fts MATCH ?1" RANGE_SQL
                                                        " ORDER BY rowid DESC LIMIT ?6")
                            : sq_stmt(s, Q_SEARCH_ASC, "SELECT rowid FROM model_fts WHERE model_fts MATCH ?1" RANGE_SQL
                                                       " ORDER BY rowid ASC LIMIT ?6");
    if (!st)
        return ST_ERR;
    sqlite3_bind_text(st, 1, expr, -1, SQLITE_TRANSIENT);
    bind_range(st, f, lo, hi);
    sqlite3_bind_int(st, 6, limit);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        keys[(*n)++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? ST_OK : sq_fail(s, "search");
}

/* How many rows match expr (up to MODEL_COUNT_CAP + 1), kept in the connection's cache. */
static int fts_count(struct sqlite_store *s, const char *expr, const struct model_filter *f, int64_t *total)
{
    struct buf key = BUF_INIT;
    buf_printf(&key, "fts|%s|%s|%s", expr, f->from, f->to);
    if (sq_count_get(s, key.p, total)) {
        buf_free(&key);
        return ST_OK;
    }
    sqlite3_stmt *st = sq_stmt(s, Q_SEARCH_COUNT, "SELECT count(*) FROM (SELECT 1 FROM model_fts WHERE model_fts MATCH ?1"
                                                  RANGE_SQL " LIMIT ?6)");
    if (!st) {
        buf_free(&key);
        return ST_ERR;
    }
    sqlite3_bind_text(st, 1, expr, -1, SQLITE_TRANSIENT);
    bind_range(st, f, 0, INT64_MAX);
    sqlite3_bind_int(st, 6, MODEL_COUNT_CAP + 1);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *total = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) {
        buf_free(&key);
        return sq_fail(s, "search count");
    }
    sq_count_put(s, buf_detach(&key), *total);
    return ST_OK;
}

/* The page for keys[0..n) (n may be limit + 1: the last one only says that more follow). */
static int page_of(struct sqlite_store *s, const struct model_filter *f, const int64_t *keys, const int *groups, int n,
                   struct model_page *out)
{
    int take = n > f->limit ? f->limit : n;
    out->more = n > f->limit;
    out->items = xcalloc((size_t)take + 1, sizeof *out->items);
    int64_t *ids = xcalloc((size_t)take + 1, sizeof *ids);
    for (int i = 0; i < take; i++)
        ids[i] = keys[i] & ID_MASK;
    int got = take ? sq_models_by_ids(s, ids, take, out->items) : 0;
    free(ids);
    if (got < 0)
        return ST_ERR;
    out->n = got;
    if (take)
        snprintf(out->next_key, sizeof out->next_key, "%d:%lld", groups ? groups[take - 1] : 0,
                 (long long)keys[take - 1]);
    return ST_OK;
}

/* A cursor key of a search: "GROUP:ROWID". */
static bool parse_cursor(const struct model_filter *f, int *group, int64_t *key)
{
    *group = 1;
    *key = INT64_MAX;
    if (!f->has_cursor)
        return true;
    char *end;
    long g = strtol(f->cursor_key, &end, 10);
    if (*end != ':' || g < 0 || g > 2)
        return false;
    long long k = strtoll(end + 1, &end, 10);
    if (*end || k < 0)
        return false;
    *group = (int)g;
    *key = k;
    return true;
}

/* Title and code order: the few matches are collected from the index and sorted; when
 * there are many, a scan of the list in that order meets them soon enough. */
static int ordered_by_column(struct sqlite_store *s, const struct model_filter *f, const struct search_exprs *x,
                             int64_t total, struct model_page *out)
{
    if (total > MODEL_COUNT_CAP) {
        int rc = sq_list_scan(s, f, false, out);
        if (rc == ST_OK) {
            out->total = MODEL_COUNT_CAP;
            out->total_capped = true;
        }
        return rc;
    }
    bool title = f->sort == SORT_TITLE;
    sqlite3_stmt *st = sq_once(
        s, title ? "SELECT m.id FROM models m WHERE m.id IN (SELECT rowid & 1099511627775 FROM model_fts"
                   " WHERE model_fts MATCH ?1" RANGE_SQL ") AND (?7 IS NULL OR (m.title_key, m.id) > (?7, ?8))"
                   " ORDER BY m.title_key, m.id LIMIT ?6"
                 : "SELECT m.id FROM models m WHERE m.id IN (SELECT rowid & 1099511627775 FROM model_fts"
                   " WHERE model_fts MATCH ?1" RANGE_SQL ") AND (?7 IS NULL OR (m.code, m.id) > (?7, ?8))"
                   " ORDER BY m.code, m.id LIMIT ?6");
    if (!st)
        return ST_ERR;
    sqlite3_bind_text(st, 1, x->all.p, -1, SQLITE_TRANSIENT);
    bind_range(st, f, 0, INT64_MAX);
    sqlite3_bind_int(st, 6, f->limit + 1);
    if (f->has_cursor) {
        sqlite3_bind_text(st, 7, f->cursor_key, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 8, f->cursor_id);
    }
    int64_t *ids = xcalloc((size_t)f->limit + 1, sizeof *ids);
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n <= f->limit)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        free(ids);
        return sq_fail(s, "search by column");
    }
    int take = n > f->limit ? f->limit : n;
    out->more = n > f->limit;
    out->items = xcalloc((size_t)take + 1, sizeof *out->items);
    int got = take ? sq_models_by_ids(s, ids, take, out->items) : 0;
    free(ids);
    if (got < 0)
        return ST_ERR;
    out->n = got;
    out->total = total;
    return ST_OK;
}

int sq_search_list(struct sqlite_store *s, const struct model_filter *f, struct model_page *out)
{
    memset(out, 0, sizeof *out);
    struct search_exprs x;
    int rc = build_exprs(s, f, &x);
    if (rc != ST_OK || x.none) {
        exprs_free(&x);
        return rc;
    }
    int64_t total = 0;
    if ((rc = fts_count(s, x.all.p, f, &total)) != ST_OK)
        goto out;
    if (f->sort == SORT_TITLE || f->sort == SORT_CODE) {
        rc = ordered_by_column(s, f, &x, total, out);
        goto out;
    }
    int group;
    int64_t after;
    if (!parse_cursor(f, &group, &after)) {
        rc = ST_NOTFOUND; /* the service checks the cursor's form first: not reached */
        goto out;
    }
    int64_t *keys = xcalloc((size_t)f->limit + 1, sizeof *keys);
    int *groups = xcalloc((size_t)f->limit + 1, sizeof *groups);
    int n = 0;
    if (f->sort == SORT_REGISTERED_ASC) {
        /* oldest first: one pass over every match, the cursor as the lower bound */
        rc = fts_keys(s, x.all.p, f, f->has_cursor ? after + 1 : 0, INT64_MAX, false, f->limit + 1, keys, &n);
    } else {
        /* title matches first, then the rest; newest first in each */
        if (group <= 1 && x.title.len)
            rc = fts_keys(s, x.title.p, f, 0, after, true, f->limit + 1, keys, &n);
        for (int i = 0; i < n; i++)
            groups[i] = 1;
        int from = n;
        if (rc == ST_OK && n <= f->limit && !f->has_cursor) {
            /* The first page holds every title match, so the rest are the other matches:
             * read a few more of them than needed and leave those out, rather than ask
             * FTS5 to test each match against the title expression (NOT). */
            int64_t *more = xcalloc((size_t)f->limit + 2, sizeof *more);
            int m = 0;
            rc = fts_keys(s, x.all.p, f, 0, INT64_MAX, true, f->limit + 1, more, &m);
            for (int i = 0; i < m && n <= f->limit; i++) {
                bool title = false;
                for (int k = 0; k < from && !title; k++)
                    title = keys[k] == more[i];
                if (!title)
                    keys[n++] = more[i];
            }
            free(more);
        } else if (rc == ST_OK && n <= f->limit) {
            rc = fts_keys(s, x.rest.p, f, 0, group == 2 ? after : INT64_MAX, true, f->limit + 1 - n, keys, &n);
        }
        for (int i = from; i < n; i++)
            groups[i] = 2;
    }
    if (rc == ST_OK)
        rc = page_of(s, f, keys, f->sort == SORT_REGISTERED_ASC ? NULL : groups, n, out);
    free(keys);
    free(groups);
    if (rc == ST_OK) {
        out->total_capped = total > MODEL_COUNT_CAP;
        out->total = out->total_capped ? MODEL_COUNT_CAP : total;
    }
out:
    exprs_free(&x);
    if (rc != ST_OK)
        model_page_free(out);
    return rc;
}

/* ---- duplicate candidates ------------------------------------------------------------------ */

/* A whole title word as its marked term. */
static void title_term(struct buf *e, const char *w)
{
    struct buf t = BUF_INIT;
    buf_putc(&t, '.');
    buf_puts(&t, w);
    quoted(e, t.p, t.len);
    buf_free(&t);
}

int s_model_title_candidates(struct store *base, const struct model_filter *f, const char *const *words, int n,
                             struct title_candidate **out, int *count)
{
    struct sqlite_store *s = S(base);
    *out = NULL;
    *count = 0;
    if (n > 6)
        n = 6; /* 15 pairs at most */
    struct buf e = BUF_INIT, facets = BUF_INIT;
    bool first = true;
    place_facet(&facets, &first, f->place_col, f->place_code, f->unit_hierarchy);
    place_facet(&facets, &first, f->scope_col, f->scope_code, f->scope_hierarchy);
    if (n > 0) {
        /* title words are marked terms of the title column (see 011_search.sql); at least
         * two of them: every pair, OR-ed */
        buf_putc(&e, '(');
        if (n == 1) {
            title_term(&e, words[0]);
        } else {
            bool one = true;
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++) {
                    buf_puts(&e, one ? "(" : " OR (");
                    one = false;
                    title_term(&e, words[i]);
                    buf_puts(&e, " AND ");
                    title_term(&e, words[j]);
                    buf_putc(&e, ')');
                }
        }
        buf_putc(&e, ')');
        if (facets.len)
            buf_printf(&e, " AND (%s)", facets.p);
    } else if (facets.len) {
        buf_printf(&e, "%s", facets.p);
    } else {
        /* no place and no words: every model (not asked for by the service) */
        buf_puts(&e, "\"_v_0\" OR \"_v_1\"");
    }
    buf_free(&facets);
    sqlite3_stmt *st = sq_once(s, "SELECT f.rowid & 1099511627775, m.title_fold FROM model_fts f"
                                  " JOIN models m ON m.id = (f.rowid & 1099511627775)"
                                  " WHERE model_fts MATCH ?1 ORDER BY f.rowid DESC LIMIT ?2");
    if (!st) {
        buf_free(&e);
        return ST_ERR;
    }
    sqlite3_bind_text(st, 1, e.p, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, f->limit);
    buf_free(&e);
    int cap = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = grow(*out, &cap, *count, sizeof **out);
        (*out)[*count].id = sqlite3_column_int64(st, 0);
        (*out)[(*count)++].title_fold = sq_col_dup(st, 1);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        title_candidates_free(*out, *count);
        *out = NULL;
        *count = 0;
        return sq_fail(s, "title candidates");
    }
    return ST_OK;
}
