/* store_pg_search.c: the PostgreSQL engine's search of models: lists with q, and the
 * candidates of the duplicate warning.
 *
 * SQLite answers these from its FTS5 index (store_sqlite_search.c); here they read the
 * folded texts every model carries (migrations/pg/011_search.sql). The answers are the
 * same: a query word matches the words of the searched text it begins; in the default
 * order the models whose title holds every word come first, then the others, newest first
 * in each group; a search's total is capped at MODEL_COUNT_CAP; its cursor is
 * "GROUP:KEY" with KEY = day << 40 | id, as SQLite's rowid (the service checks that form).
 * Word matches are LIKE patterns that the trigram indexes of migrations/pg/020_search_words.sql
 * serve, and the date orders walk its index of KEY (see group_sql). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/pg_int.h"
#include "util/buf.h"
#include "util/log.h"

/* Words of a query that are used; any further ones are ignored (q is 200 characters at most). */
#define MAX_WORDS 32

/* A model's day as a number that orders like the date (year * 372 + month * 31 + day: at
 * most 4,194,303 as FTS5's keys in SQLite), shifted above its id. 0 for a malformed date. */
#define KEY_SQL                                                                                             \
    "(CASE WHEN m.registered_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN"                                      \
    " (CAST(substr(m.registered_on, 1, 4) AS BIGINT) * 372 + CAST(substr(m.registered_on, 6, 2) AS BIGINT)" \
    " * 31 + CAST(substr(m.registered_on, 9, 2) AS BIGINT)) ELSE 0 END << 40) | m.id"

/* The words of q_fold (at most MAX_WORDS); returns how many. words[] point into copy. */
static int split_words(const char *q_fold, char *copy, const char **words)
{
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(copy, " ", &save); t && n < MAX_WORDS; t = strtok_r(NULL, " ", &save))
        words[n++] = t;
    (void)q_fold;
    return n;
}

/* How many models match f (up to MODEL_COUNT_CAP + 1), and about how many models there are
 * (the planner's own estimate, for by_date's choice of plan). */
static int search_count(struct pg_store *s, const struct model_filter *f, int64_t *total, double *models)
{
    struct buf sql = BUF_INIT;
    buf_puts(&sql, "SELECT count(*), (SELECT reltuples FROM pg_class WHERE oid = 'models'::regclass)"
                   " FROM (SELECT 1 FROM models m");
    pg_filter_sql(f, &sql);
    buf_puts(&sql, " LIMIT ?) x");
    pq_stmt *st = pg_once(s, sql.p);
    buf_free(&sql);
    int i = pg_filter_bind(st, f);
    pq_bind_int(st, i, MODEL_COUNT_CAP + 1);
    int rc = pq_step(st);
    if (rc == PQ_ROW) {
        *total = pq_column_int64(st, 0);
        *models = pq_column_double(st, 1);
    }
    pq_finalize(st);
    return rc == PQ_ROW ? ST_OK : pg_fail(s, "search count");
}

/* A cursor key of a search: "GROUP:KEY". */
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

/* One group of a date order: (id, grp, key) rows in the order of key, at most limit + 1.
 * grp 1 holds the models whose title holds every word, 2 the others, 0 all of them (no
 * groups); after: the cursor's key applies.
 *
 * PostgreSQL may answer it two ways: walk models_search_key (020_search_words.sql) from the
 * newest and stop at limit + 1 matches, which is quick when the group is a good part of the
 * models; or take the rows the trigram index finds and sort them, quick when they are few.
 * It chooses by its estimate of the group's size, which for group 2 (the search words but
 * not all in the title) multiplies two likelihoods as if titles and texts were unrelated:
 * a word found mostly in titles leaves group 2 small while it expects it large, and the walk
 * then reads every model. So for group 2 the caller chooses (fence): the rows found by the
 * index, materialized, then sorted. */
static void group_sql(struct buf *sql, const struct model_filter *f, int grp, int nw, bool asc, bool after, bool fence)
{
    buf_printf(sql, fence ? "WITH g AS MATERIALIZED (SELECT m.id, %d AS grp, " KEY_SQL " AS key FROM models m"
                          : "SELECT m.id, %d AS grp, " KEY_SQL " AS key FROM models m",
               grp);
    pg_filter_sql(f, sql);
    if (grp) {
        buf_puts(sql, grp == 1 ? " AND (true" : " AND NOT (true");
        for (int i = 0; i < nw; i++)
            buf_puts(sql, " AND " PG_TITLE_TEXT " LIKE ? ESCAPE '\\'");
        buf_puts(sql, ")");
    }
    if (after)
        buf_puts(sql, asc ? " AND " KEY_SQL " > ?" : " AND " KEY_SQL " < ?");
    if (fence)
        buf_puts(sql, ") SELECT id, grp, key FROM g");
    buf_puts(sql, asc ? " ORDER BY key LIMIT ?" : " ORDER BY key DESC LIMIT ?");
}

/* Runs group_sql's query; appends its rows to ids[*n..limit] (and the last one's group and
 * key). */
static int group_read(struct pg_store *s, const struct model_filter *f, int grp, const char *const *words, int nw,
                      bool asc, bool after, int64_t key, bool fence, int64_t *ids, int *n, int *last_grp,
                      int64_t *last_key)
{
    struct buf sql = BUF_INIT;
    group_sql(&sql, f, grp, nw, asc, after, fence);
    pq_stmt *st = pg_once(s, sql.p);
    buf_free(&sql);
    int i = pg_filter_bind(st, f);
    if (grp)
        for (int k = 0; k < nw; k++)
            pg_bind_word_prefix(st, i++, words[k]);
    if (after)
        pq_bind_int64(st, i++, key);
    pq_bind_int(st, i, f->limit + 1 - *n);
    int rc;
    while ((rc = pq_step(st)) == PQ_ROW && *n <= f->limit) {
        ids[*n] = pq_column_int64(st, 0);
        if (*n < f->limit) {
            *last_grp = pq_column_int(st, 1);
            *last_key = pq_column_int64(st, 2);
        }
        (*n)++;
    }
    pq_finalize(st);
    return rc == PQ_DONE || rc == PQ_ROW ? ST_OK : pg_fail(s, "search");
}

/* Date orders: newest first with the title matches ahead, or oldest first. total: the
 * matches (capped), models: about how many models there are. */
static int by_date(struct pg_store *s, const struct model_filter *f, int64_t total, double models,
                   struct model_page *out)
{
    int group;
    int64_t after;
    if (!parse_cursor(f, &group, &after))
        return ST_NOTFOUND; /* the service checks the cursor's form first: not reached */
    bool asc = f->sort == SORT_REGISTERED_ASC;
    char *copy = xstrdup(f->q_fold);
    const char *words[MAX_WORDS];
    int nw = split_words(f->q_fold, copy, words);

    int64_t *ids = xcalloc((size_t)f->limit + 1, sizeof *ids);
    int64_t last_key = 0;
    int last_grp = 0, n = 0, rc = ST_OK;
    if (asc || nw == 0) {
        /* one group, 0; a newest-first cursor past it has nothing after it */
        if (asc || !f->has_cursor || group == 0)
            rc = group_read(s, f, 0, words, nw, asc, f->has_cursor, after, false, ids, &n, &last_grp, &last_key);
    } else {
        /* group 1 from the cursor on (or whole after a cursor of group 0), then group 2 while
         * the page has room */
        int first = f->has_cursor && group == 2 ? 2 : 1;
        int in1 = 0;
        if (first == 1) {
            rc = group_read(s, f, 1, words, nw, false, f->has_cursor && group == 1, after, false, ids, &n, &last_grp,
                            &last_key);
            in1 = n;
        }
        /* group 2 holds at most the matches not read in group 1: walk the key only when
         * limit + 1 of them lie among the first so many models (an estimate), else sort */
        double rest = (double)total - in1;
        if (rc == ST_OK && n <= f->limit && rest > 0)
            rc = group_read(s, f, 2, words, nw, false, f->has_cursor && group == 2, after,
                            rest * (double)total < (double)(f->limit + 1) * models, ids, &n, &last_grp, &last_key);
    }
    free(copy);
    if (rc != ST_OK) {
        free(ids);
        return rc;
    }
    int take = n > f->limit ? f->limit : n;
    out->more = n > f->limit;
    out->items = xcalloc((size_t)take + 1, sizeof *out->items);
    int got = take ? pg_models_by_ids(s, ids, take, out->items) : 0;
    free(ids);
    if (got < 0)
        return ST_ERR;
    out->n = got;
    if (take)
        snprintf(out->next_key, sizeof out->next_key, "%d:%lld", last_grp, (long long)last_key);
    return ST_OK;
}

int pg_search_list(struct pg_store *s, const struct model_filter *f, struct model_page *out)
{
    memset(out, 0, sizeof *out);
    int64_t total = 0;
    double models = 0;
    int rc = search_count(s, f, &total, &models);
    if (rc != ST_OK)
        return rc;
    if (f->sort == SORT_TITLE || f->sort == SORT_CODE)
        rc = pg_list_scan(s, f, false, out); /* the filter holds the words: a list in that order */
    else
        rc = by_date(s, f, total, models, out);
    if (rc != ST_OK) {
        model_page_free(out);
        return rc;
    }
    out->total_capped = total > MODEL_COUNT_CAP;
    out->total = out->total_capped ? MODEL_COUNT_CAP : total;
    return ST_OK;
}

/* ---- duplicate candidates ------------------------------------------------------------------ */

int p_model_title_candidates(struct store *base, const struct model_filter *f, const char *const *words, int n,
                             struct title_candidate **out, int *count)
{
    struct pg_store *s = S(base);
    *out = NULL;
    *count = 0;
    if (n > 6)
        n = 6;
    /* only the place and the scope of f count */
    struct model_filter pf = {.typical = -1,
                              .place_col = f->place_col,
                              .unit_hierarchy = f->unit_hierarchy,
                              .scope_col = f->scope_col,
                              .scope_hierarchy = f->scope_hierarchy};
    memcpy(pf.place_code, f->place_code, sizeof pf.place_code);
    memcpy(pf.scope_code, f->scope_code, sizeof pf.scope_code);
    struct buf sql = BUF_INIT;
    buf_puts(&sql, "SELECT m.id, m.title_fold FROM models m");
    pg_filter_sql(&pf, &sql);
    if (n > 0) {
        /* whole title words: at least two of them (the word when there is one) */
        buf_puts(&sql, " AND (0");
        for (int i = 0; i < n; i++)
            buf_puts(&sql, " + CASE WHEN instr(' ' || m.title_fold || ' ', ' ' || ? || ' ') > 0 THEN 1 ELSE 0 END");
        buf_printf(&sql, ") >= %d", n == 1 ? 1 : 2);
    }
    buf_puts(&sql, " ORDER BY m.registered_on DESC, m.id DESC LIMIT ?");
    pq_stmt *st = pg_once(s, sql.p);
    buf_free(&sql);
    int i = pg_filter_bind(st, &pf);
    for (int k = 0; k < n; k++)
        pq_bind_text(st, i++, words[k], -1);
    pq_bind_int(st, i, f->limit);
    int cap = 0, rc;
    while ((rc = pq_step(st)) == PQ_ROW) {
        *out = grow(*out, &cap, *count, sizeof **out);
        (*out)[*count].id = pq_column_int64(st, 0);
        (*out)[(*count)++].title_fold = pg_col_dup(st, 1);
    }
    pq_finalize(st);
    if (rc != PQ_DONE) {
        title_candidates_free(*out, *count);
        *out = NULL;
        *count = 0;
        return pg_fail(s, "title candidates");
    }
    return ST_OK;
}
