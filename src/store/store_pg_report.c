/* store_pg_report.c: the PostgreSQL engine's report queries (migration 013).
 *
 * Each query groups rows by the unit one level below the report's unit (its "key") and
 * by what the report splits by; service/report_service.c folds the groups into tables.
 * Column names in the SQL come from the fixed tables below, never from a request. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/pg_int.h"
#include "util/buf.h"


/* report_rows_free is store_sqlite_report.c's (the rows are the interface's, not an engine's). */
static struct report_row *row_add(struct report_rows *r)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->items = xrealloc(r->items, (size_t)r->cap * sizeof *r->items);
    }
    struct report_row *row = &r->items[r->n++];
    memset(row, 0, sizeof *row);
    return row;
}

/* Place columns of a table aliased t (enum place_col order, PLACE_UNIT excluded). */
static const char *const place_name[] = {"", "p24", "d24", "c24", "p25", "c25"};

static const char *commune_name(int hierarchy)
{
    return hierarchy == 2025 ? "c25" : "c24";
}

/* The key expression of table alias t: the group column, or under a commune the unit itself
 * when it lies below the commune in the report's hierarchy (a village), else the commune.
 * A row whose unit is the report's unit itself (a province's own conference, a model of a
 * provincial agency) has no child: its key is the report's unit, read from its own place
 * column (so no value of the request enters the SQL text). */
static void key_sql(struct buf *b, const struct report_filter *f, const char *t)
{
    if (f->group_col == PLACE_UNIT)
        buf_printf(b, "CASE WHEN %s.hierarchy = %d AND %s.unit_code <> coalesce(%s.%s, '') THEN %s.unit_code"
                      " ELSE coalesce(%s.%s, '') END",
                   t, f->hierarchy, t, t, commune_name(f->hierarchy), t, t, commune_name(f->hierarchy));
    else if (f->place_col >= PLACE_P24 && f->place_col <= PLACE_C25)
        buf_printf(b, "CASE WHEN coalesce(%s.%s, '') <> '' THEN %s.%s WHEN %s.hierarchy = %d AND %s.unit_code = %s.%s"
                      " THEN %s.%s ELSE '' END",
                   t, place_name[f->group_col], t, place_name[f->group_col], t, f->hierarchy, t, t,
                   place_name[f->place_col], t, place_name[f->place_col]);
    else
        buf_printf(b, "coalesce(%s.%s, '')", t, place_name[f->group_col]);
}

/* " AND t.col = ?" for the subtree and the scope; binds are added by bind_places. */
static void place_where(struct buf *b, const struct report_filter *f, const char *t)
{
    if (f->place_col == PLACE_UNIT)
        buf_printf(b, " AND %s.hierarchy = ? AND %s.unit_code = ?", t, t);
    else if (f->place_col)
        buf_printf(b, " AND %s.%s = ?", t, place_name[f->place_col]);
    if (f->scope_col == PLACE_UNIT)
        buf_printf(b, " AND %s.hierarchy = ? AND %s.unit_code = ?", t, t);
    else if (f->scope_col)
        buf_printf(b, " AND %s.%s = ?", t, place_name[f->scope_col]);
}

static int bind_places(pq_stmt *st, int i, const struct report_filter *f)
{
    if (f->place_col == PLACE_UNIT)
        pq_bind_int(st, i++, f->hierarchy);
    if (f->place_col)
        pg_bind_text(st, i++, f->place_code);
    if (f->scope_col == PLACE_UNIT)
        pq_bind_int(st, i++, f->scope_hierarchy);
    if (f->scope_col)
        pg_bind_text(st, i++, f->scope_code);
    return i;
}

/* " AND t.status = ?" or the list of every status but draft (an index range per status). */
static void status_where(struct buf *b, const struct report_filter *f, const char *t)
{
    if (f->status) {
        buf_printf(b, " AND %s.status = '%s'", t, model_status_names[f->status]);
        return;
    }
    buf_printf(b, " AND %s.status IN (", t);
    bool first = true;
    for (int i = 1; i < STATUS_COUNT; i++)
        if (i != STATUS_DRAFT) {
            buf_printf(b, "%s'%s'", first ? "" : ", ", model_status_names[i]);
            first = false;
        }
    buf_puts(b, ")");
}

static void model_where(struct buf *b, const struct report_filter *f, const char *t)
{
    status_where(b, f, t);
    if (f->field)
        buf_printf(b, " AND %s.field = '%s'", t, model_field_names[f->field]);
    if (f->kind)
        buf_printf(b, " AND %s.kind = '%s'", t, model_kind_names[f->kind]);
}

static int enum_of(const char *const *names, int n, const unsigned char *v)
{
    return v ? enum_parse(names, n, (const char *)v) : 0;
}

/* Steps a "key, field, kind, level, typical, year, n" statement into out. */
static int read_model_rows(struct pg_store *s, pq_stmt *st, struct report_rows *out)
{
    int rc;
    while ((rc = pq_step(st)) == PQ_ROW) {
        struct report_row *r = row_add(out);
        pg_col_cpy(st, 0, r->key, sizeof r->key);
        r->field = enum_of(model_field_names, FIELD_COUNT, pq_column_text(st, 1));
        r->kind = enum_of(model_kind_names, KIND_COUNT, pq_column_text(st, 2));
        r->level = enum_of(reg_level_names, LEVEL_COUNT, pq_column_text(st, 3));
        r->typical = pq_column_int(st, 4);
        r->year = pq_column_int(st, 5);
        r->n = pq_column_int64(st, 6);
    }
    pq_finalize(st);
    return rc == PQ_DONE ? ST_OK : pg_fail(s, "report_models");
}

/* The models of one date range [from, to], read from the models' indexes. */
static int models_raw(struct pg_store *s, const struct report_filter *f, const char *from, const char *to,
                      struct report_rows *out)
{
    const char *day = f->date == RDATE_RECOGNIZED ? "coalesce(m.recognized_on, m.registered_on)" : "m.registered_on";
    int d = f->dims ? f->dims : RD_ALL;
    struct buf b = BUF_INIT;
    buf_puts(&b, "SELECT ");
    if (d & RD_KEY)
        key_sql(&b, f, "m");
    else
        buf_puts(&b, "''");
    buf_printf(&b, ", %s, %s, %s, %s, ", d & RD_FIELD ? "m.field" : "''", d & RD_KIND ? "m.kind" : "''",
               d & RD_LEVEL ? "m.registration_level" : "''", d & RD_TYPICAL ? "m.typical" : "0");
    if (d & RD_YEAR)
        buf_printf(&b, "CAST(substr(%s, 1, 4) AS INTEGER)", day);
    else
        buf_puts(&b, "0");
    buf_puts(&b, ", count(*) FROM models m");
    buf_puts(&b, " WHERE true");
    model_where(&b, f, "m");
    place_where(&b, f, "m");
    /* No bound on the registration date when counting recognitions: a registration date
     * corrected after the decision may come later than it, and model_tally counts such a
     * model by its year of recognition too. Only recognized models are read (a few
     * thousand in a province), and the whole country's years come from the tally. */
    buf_printf(&b, " AND %s >= ? AND %s <= ? GROUP BY 1, 2, 3, 4, 5, 6", day, day);
    pq_stmt *st = pg_once(s, b.p);
    buf_free(&b);
    if (!st)
        return ST_ERR;
    int i = bind_places(st, 1, f);
    pg_bind_text(st, i++, from);
    pg_bind_text(st, i++, to);
    return read_model_rows(s, st, out);
}

/* Groups of a report_models answer, merged in C: the tally's rows come in its key's order,
 * not the report's, and sorting them for a GROUP BY would cost more than reading them. */
struct groups {
    struct report_rows *out;
    int first;     /* rows of out before this query's */
    int *slot;     /* open addressing: index into out->items + 1, 0 = free */
    size_t cap;
};

static size_t group_hash(const struct report_row *r)
{
    size_t h = 14695981039346656037u;
    for (const char *p = r->key; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211u;
    int v[] = {r->field, r->kind, r->level, r->typical, r->year};
    for (int i = 0; i < 5; i++)
        h = (h ^ (size_t)v[i]) * 1099511628211u;
    return h;
}

static bool group_same(const struct report_row *a, const struct report_row *b)
{
    return a->field == b->field && a->kind == b->kind && a->level == b->level && a->typical == b->typical &&
           a->year == b->year && strcmp(a->key, b->key) == 0;
}

static void group_grow(struct groups *g)
{
    free(g->slot);
    g->cap = g->cap ? g->cap * 2 : 1024;
    g->slot = xmalloc(g->cap * sizeof *g->slot);
    memset(g->slot, 0, g->cap * sizeof *g->slot);
    for (int i = g->first; i < g->out->n; i++) {
        size_t h = group_hash(&g->out->items[i]) & (g->cap - 1);
        while (g->slot[h])
            h = (h + 1) & (g->cap - 1);
        g->slot[h] = i + 1;
    }
}

/* Adds r (read into a scratch row) to its group. */
static void group_add(struct groups *g, const struct report_row *r)
{
    if ((size_t)(g->out->n - g->first + 1) * 2 > g->cap)
        group_grow(g);
    size_t h = group_hash(r) & (g->cap - 1);
    while (g->slot[h]) {
        struct report_row *x = &g->out->items[g->slot[h] - 1];
        if (group_same(x, r)) {
            x->n += r->n;
            return;
        }
        h = (h + 1) & (g->cap - 1);
    }
    *row_add(g->out) = *r;
    g->slot[h] = g->out->n;
}

/* Whole years y0..y1 of the country, from model_tally. */
static int models_tally(struct pg_store *s, const struct report_filter *f, int y0, int y1, struct report_rows *out)
{
    const char *ycol = f->date == RDATE_RECOGNIZED ? "ryear" : "year";
    int d = f->dims ? f->dims : RD_ALL;
    struct buf b = BUF_INIT;
    buf_printf(&b, "SELECT %s, %s, %s, %s, %s, %s, t.n FROM model_tally t WHERE true",
               d & RD_KEY ? (f->hierarchy == 2025 ? "t.p25" : "t.p24") : "''", d & RD_FIELD ? "t.field" : "''",
               d & RD_KIND ? "t.kind" : "''", d & RD_LEVEL ? "t.registration_level" : "''",
               d & RD_TYPICAL ? "t.typical" : "0", d & RD_YEAR ? (f->date == RDATE_RECOGNIZED ? "t.ryear" : "t.year") : "0");
    model_where(&b, f, "t");
    buf_printf(&b, " AND t.%s BETWEEN ? AND ? AND t.n <> 0", ycol);
    pq_stmt *st = pg_once(s, b.p);
    buf_free(&b);
    if (!st)
        return ST_ERR;
    pq_bind_int(st, 1, y0);
    pq_bind_int(st, 2, y1);
    struct groups g = {.out = out, .first = out->n};
    int rc;
    struct report_row r;
    while ((rc = pq_step(st)) == PQ_ROW) {
        memset(&r, 0, sizeof r);
        pg_col_cpy(st, 0, r.key, sizeof r.key);
        r.field = enum_of(model_field_names, FIELD_COUNT, pq_column_text(st, 1));
        r.kind = enum_of(model_kind_names, KIND_COUNT, pq_column_text(st, 2));
        r.level = enum_of(reg_level_names, LEVEL_COUNT, pq_column_text(st, 3));
        r.typical = pq_column_int(st, 4);
        r.year = pq_column_int(st, 5);
        r.n = pq_column_int64(st, 6);
        group_add(&g, &r);
    }
    pq_finalize(st);
    free(g.slot);
    return rc == PQ_DONE ? ST_OK : pg_fail(s, "report_models");
}

static int year_of(const char *d)
{
    return atoi(d) > 0 ? atoi(d) : 0;
}

int p_report_models(struct store *base, const struct report_filter *f, struct report_rows *out)
{
    struct pg_store *s = S(base);
    bool country = f->place_col == PLACE_NONE && f->scope_col == PLACE_NONE &&
                   (f->group_col == PLACE_P24 || f->group_col == PLACE_P25);
    /* the whole years inside the period come from the tally */
    int y0 = year_of(f->from), y1 = year_of(f->to);
    if (strcmp(f->from + 4, "-01-01") != 0)
        y0++;
    if (strcmp(f->to + 4, "-12-31") != 0)
        y1--;
    if (f->date == RDATE_RECOGNIZED && f->status != STATUS_RECOGNIZED)
        return ST_OK; /* only recognized models have a day of recognition */
    if (!country || y0 > y1)
        return models_raw(s, f, f->from, f->to, out);
    if (models_tally(s, f, y0, y1, out))
        return ST_ERR;
    char edge[24];
    if (year_of(f->from) < y0) {
        snprintf(edge, sizeof edge, "%04d-12-31", y0 - 1);
        if (models_raw(s, f, f->from, edge, out))
            return ST_ERR;
    }
    if (year_of(f->to) > y1) {
        snprintf(edge, sizeof edge, "%04d-01-01", y1 + 1);
        if (models_raw(s, f, edge, f->to, out))
            return ST_ERR;
    }
    return ST_OK;
}

int p_report_results(struct store *base, const struct report_filter *f, struct report_rows *out)
{
    struct pg_store *s = S(base);
    struct buf b = BUF_INIT;
    /* the whole country from result_tally (migration 025), kept by triggers; a subtree
     * joins its models' values */
    bool country = f->place_col == PLACE_NONE && f->scope_col == PLACE_NONE;
    if (country) {
        buf_printf(&b, "SELECT t.%s, t.field, t.indicator, sum(t.total), sum(t.n) FROM result_tally t"
                       " WHERE t.year BETWEEN ? AND ?",
                   place_name[f->group_col]);
        model_where(&b, f, "t");
        buf_puts(&b, " GROUP BY 1, 2, 3 HAVING sum(t.n) > 0");
    } else {
        buf_puts(&b, "SELECT ");
        key_sql(&b, f, "m");
        buf_puts(&b, ", m.field, r.indicator, sum(r.value), count(*) FROM models m"
                     " JOIN model_results r ON r.model_id = m.id WHERE true");
        model_where(&b, f, "m");
        place_where(&b, f, "m");
        buf_puts(&b, " AND r.year BETWEEN ? AND ? GROUP BY 1, 2, 3");
    }
    pq_stmt *st = pg_once(s, b.p);
    buf_free(&b);
    if (!st)
        return ST_ERR;
    int i = country ? 1 : bind_places(st, 1, f);
    pq_bind_int(st, i++, year_of(f->from));
    pq_bind_int(st, i++, year_of(f->to));
    int rc;
    while ((rc = pq_step(st)) == PQ_ROW) {
        struct report_row *r = row_add(out);
        pg_col_cpy(st, 0, r->key, sizeof r->key);
        r->field = enum_of(model_field_names, FIELD_COUNT, pq_column_text(st, 1));
        pg_col_cpy(st, 2, r->sub, sizeof r->sub);
        r->sum = pq_column_double(st, 3);
        r->n = pq_column_int64(st, 4);
    }
    pq_finalize(st);
    return rc == PQ_DONE ? ST_OK : pg_fail(s, "report_results");
}

/* Ends a query of records in the period (b holds "SELECT … WHERE <day> BETWEEN ? AND ?"
 * and any filters without parameters): the subtree and the scope of table alias t, then
 * group; prepares it and binds the period and the places. Frees b. */
static pq_stmt *period_stmt(struct pg_store *s, const struct report_filter *f, struct buf *b, const char *t,
                                 const char *group)
{
    place_where(b, f, t);
    buf_puts(b, group);
    pq_stmt *st = pg_once(s, b->p);
    buf_free(b);
    if (!st)
        return NULL;
    pg_bind_text(st, 1, f->from);
    pg_bind_text(st, 2, f->to);
    bind_places(st, 3, f);
    return st;
}

int p_report_events(struct store *base, const struct report_filter *f, struct report_rows *out)
{
    struct pg_store *s = S(base);
    struct buf b = BUF_INIT;
    buf_puts(&b, "SELECT ");
    key_sql(&b, f, "e");
    buf_puts(&b, ", e.level, e.kind, count(*) FROM commendation_events e WHERE e.held_on BETWEEN ? AND ?");
    pq_stmt *st = period_stmt(s, f, &b, "e", " GROUP BY 1, 2, 3");
    if (!st)
        return ST_ERR;
    int rc;
    while ((rc = pq_step(st)) == PQ_ROW) {
        struct report_row *r = row_add(out);
        pg_col_cpy(st, 0, r->key, sizeof r->key);
        r->level = enum_of(reg_level_names, LEVEL_COUNT, pq_column_text(st, 1));
        r->a = enum_of(event_kind_names, EVENT_KIND_COUNT, pq_column_text(st, 2));
        r->n = pq_column_int64(st, 3);
    }
    pq_finalize(st);
    return rc == PQ_DONE ? ST_OK : pg_fail(s, "report_events");
}

int p_report_awards(struct store *base, const struct report_filter *f, struct report_rows *out)
{
    struct pg_store *s = S(base);
    struct buf b = BUF_INIT;
    buf_puts(&b, "SELECT ");
    key_sql(&b, f, "a");
    buf_puts(&b, ", e.level, a.recipient_type, a.form, count(*), sum(coalesce(a.amount_vnd, 0))"
                 " FROM awards a LEFT JOIN commendation_events e ON e.id = a.event_id"
                 " WHERE coalesce(a.decision_date, e.held_on, substr(a.created_at, 1, 10)) BETWEEN ? AND ?");
    pq_stmt *st = period_stmt(s, f, &b, "a", " GROUP BY 1, 2, 3, 4");
    if (!st)
        return ST_ERR;
    int rc;
    while ((rc = pq_step(st)) == PQ_ROW) {
        struct report_row *r = row_add(out);
        pg_col_cpy(st, 0, r->key, sizeof r->key);
        r->level = enum_of(reg_level_names, LEVEL_COUNT, pq_column_text(st, 1));
        r->a = enum_of(recipient_type_names, RECIPIENT_COUNT, pq_column_text(st, 2));
        r->b = enum_of(award_form_names, AWARD_FORM_COUNT, pq_column_text(st, 3));
        r->n = pq_column_int64(st, 4);
        r->sum = pq_column_double(st, 5);
    }
    pq_finalize(st);
    return rc == PQ_DONE ? ST_OK : pg_fail(s, "report_awards");
}

int p_report_replications(struct store *base, const struct report_filter *f, struct report_rows *out)
{
    struct pg_store *s = S(base);
    struct buf b = BUF_INIT;
    buf_puts(&b, "SELECT ");
    key_sql(&b, f, "r");
    buf_puts(&b, ", count(*), count(DISTINCT ");
    if (f->group_col == PLACE_UNIT)
        key_sql(&b, f, "r");
    else
        buf_printf(&b, "r.%s", commune_name(f->hierarchy));
    buf_puts(&b, ") FROM replications r JOIN models m ON m.id = r.model_id WHERE r.since BETWEEN ? AND ?");
    model_where(&b, f, "m");
    pq_stmt *st = period_stmt(s, f, &b, "r", " GROUP BY 1");
    if (!st)
        return ST_ERR;
    int rc;
    while ((rc = pq_step(st)) == PQ_ROW) {
        struct report_row *r = row_add(out);
        pg_col_cpy(st, 0, r->key, sizeof r->key);
        r->n = pq_column_int64(st, 1);
        r->n2 = pq_column_int64(st, 2);
    }
    pq_finalize(st);
    return rc == PQ_DONE ? ST_OK : pg_fail(s, "report_replications");
}

int p_report_units(struct store *base, const struct report_filter *f, struct report_rows *out)
{
    struct pg_store *s = S(base);
    int cl = f->commune_level;
    char sql[600];
    /* the key of each commune: itself, its district, or its province (through its district in 2024) */
    switch (f->group_col) {
    case PLACE_P24:
        snprintf(sql, sizeof sql,
                 "SELECT d.parent_code, count(*) FROM units c JOIN units d ON d.hierarchy = c.hierarchy AND d.code ="
                 " c.parent_code WHERE c.hierarchy = 2024 AND c.level = %d AND ?1 IS NOT NULL GROUP BY 1",
                 cl);
        break;
    case PLACE_D24:
        snprintf(sql, sizeof sql,
                 "SELECT c.parent_code, count(*) FROM units c JOIN units d ON d.hierarchy = c.hierarchy AND d.code ="
                 " c.parent_code WHERE c.hierarchy = 2024 AND c.level = %d AND d.parent_code = ?1 GROUP BY 1",
                 cl);
        break;
    case PLACE_P25:
        snprintf(sql, sizeof sql,
                 "SELECT parent_code, count(*) FROM units WHERE hierarchy = 2025 AND level = %d AND ?1 IS NOT NULL"
                 " GROUP BY 1",
                 cl);
        break;
    case PLACE_C24:
    case PLACE_C25:
        snprintf(sql, sizeof sql,
                 "SELECT code, 1 FROM units WHERE hierarchy = %d AND level = %d AND parent_code = ?1", f->hierarchy, cl);
        break;
    default: /* under a commune: its villages and itself */
        snprintf(sql, sizeof sql,
                 "SELECT code, 1 FROM units WHERE hierarchy = %d AND (parent_code = ?1 OR code = ?1)", f->hierarchy);
    }
    pq_stmt *st = pg_once(s, sql);
    if (!st)
        return ST_ERR;
    pq_bind_text(st, 1, f->place_code, -1);
    int rc;
    while ((rc = pq_step(st)) == PQ_ROW) {
        struct report_row *r = row_add(out);
        pg_col_cpy(st, 0, r->key, sizeof r->key);
        r->n = pq_column_int64(st, 1);
    }
    pq_finalize(st);
    return rc == PQ_DONE ? ST_OK : pg_fail(s, "report_units");
}

/* ---- report headings (migration 014) ------------------------------------------------- */

int p_heading_get(struct store *base, int hierarchy, const char *unit_code, struct report_heading *out)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "SELECT superior, body, symbol, place, style FROM report_headings"
                                  " WHERE hierarchy = ? AND unit_code = ?");
    if (!st)
        return ST_ERR;
    pq_bind_int(st, 1, hierarchy);
    pg_bind_text_empty(st, 2, unit_code);
    int rc = pq_step(st);
    if (rc == PQ_ROW) {
        memset(out, 0, sizeof *out);
        out->hierarchy = hierarchy;
        snprintf(out->unit_code, sizeof out->unit_code, "%s", unit_code ? unit_code : "");
        pg_col_cpy(st, 0, out->superior, sizeof out->superior);
        pg_col_cpy(st, 1, out->body, sizeof out->body);
        pg_col_cpy(st, 2, out->symbol, sizeof out->symbol);
        pg_col_cpy(st, 3, out->place, sizeof out->place);
        const unsigned char *style = pq_column_text(st, 4);
        out->style = style && strcmp((const char *)style, "state") == 0 ? HEADING_STATE : HEADING_PARTY;
    }
    pq_finalize(st);
    return rc == PQ_ROW ? ST_OK : rc == PQ_DONE ? ST_NOTFOUND : pg_fail(s, "heading_get");
}

int p_heading_put(struct store *base, const struct report_heading *h)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "INSERT INTO report_headings (hierarchy, unit_code, superior, body, symbol, place, style)"
                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (hierarchy, unit_code) DO UPDATE SET"
                                  " superior = ?3, body = ?4, symbol = ?5, place = ?6, style = ?7");
    if (!st)
        return ST_ERR;
    pq_bind_int(st, 1, h->hierarchy);
    pg_bind_text_empty(st, 2, h->unit_code);
    pg_bind_text_empty(st, 3, h->superior);
    pg_bind_text_empty(st, 4, h->body);
    pg_bind_text_empty(st, 5, h->symbol);
    pg_bind_text_empty(st, 6, h->place);
    pq_bind_text(st, 7, h->style == HEADING_STATE ? "state" : "party", -1);
    return pg_done(s, st, "heading_put");
}
