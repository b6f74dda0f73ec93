/* store_sqlite_report.c: the SQLite engine's report queries (migration 013).
 *
 * Each query groups rows by the unit one level below the report's unit (its "key") and
 * by what the report splits by; service/report_service.c folds the groups into tables.
 * Column names in the SQL come from the fixed tables below, never from a request. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/sqlite_int.h"
#include "util/buf.h"


void report_rows_free(struct report_rows *r)
{
    free(r->items);
    r->items = NULL;
    r->n = r->cap = 0;
}

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
 * when it lies below the commune in the report's hierarchy (a village), else the commune. */
static void key_sql(struct buf *b, const struct report_filter *f, const char *t)
{
    if (f->group_col == PLACE_UNIT)
        buf_printf(b, "CASE WHEN %s.hierarchy = %d AND %s.unit_code <> coalesce(%s.%s, '') THEN %s.unit_code"
                      " ELSE coalesce(%s.%s, '') END",
                   t, f->hierarchy, t, t, commune_name(f->hierarchy), t, t, commune_name(f->hierarchy));
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

static int bind_places(sqlite3_stmt *st, int i, const struct report_filter *f)
{
    if (f->place_col == PLACE_UNIT)
        sqlite3_bind_int(st, i++, f->hierarchy);
    if (f->place_col)
        sq_bind_text(st, i++, f->place_code);
    if (f->scope_col == PLACE_UNIT)
        sqlite3_bind_int(st, i++, f->scope_hierarchy);
    if (f->scope_col)
        sq_bind_text(st, i++, f->scope_code);
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
static int read_model_rows(struct sqlite_store *s, sqlite3_stmt *st, struct report_rows *out)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct report_row *r = row_add(out);
        sq_col_cpy(st, 0, r->key, sizeof r->key);
        r->field = enum_of(model_field_names, FIELD_COUNT, sqlite3_column_text(st, 1));
        r->kind = enum_of(model_kind_names, KIND_COUNT, sqlite3_column_text(st, 2));
        r->level = enum_of(reg_level_names, LEVEL_COUNT, sqlite3_column_text(st, 3));
        r->typical = sqlite3_column_int(st, 4);
        r->year = sqlite3_column_int(st, 5);
        r->n = sqlite3_column_int64(st, 6);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ST_OK : sq_fail(s, "report_models");
}

/* The models of one date range [from, to], read from the models' indexes. */
static int models_raw(struct sqlite_store *s, const struct report_filter *f, const char *from, const char *to,
                      struct report_rows *out)
{
    const char *day = f->date == RDATE_RECOGNIZED ? "coalesce(m.recognized_on, m.registered_on)" : "m.registered_on";
    struct buf b = BUF_INIT;
    buf_puts(&b, "SELECT ");
    key_sql(&b, f, "m");
    buf_printf(&b, ", m.field, m.kind, m.registration_level, m.typical, CAST(substr(%s, 1, 4) AS INTEGER), count(*)"
                   " FROM models m",
               day);
    /* with several statuses the planner would rather read a place's rows through the list's
     * index and then the table; the covering index answers from its own pages */
    if (f->place_col == PLACE_P24 || f->place_col == PLACE_P25)
        buf_printf(&b, " INDEXED BY models_tally%s", f->place_col == PLACE_P24 ? "24" : "25");
    else if (f->place_col == PLACE_NONE && f->scope_col == PLACE_NONE && f->date == RDATE_REGISTERED)
        buf_puts(&b, " INDEXED BY models_tally_day");
    buf_puts(&b, " WHERE 1");
    model_where(&b, f, "m");
    place_where(&b, f, "m");
    /* No bound on the registration date when counting recognitions: a registration date
     * corrected after the decision may come later than it, and model_tally counts such a
     * model by its year of recognition too. Only recognized models are read (a few
     * thousand in a province), and the whole country's years come from the tally. */
    buf_printf(&b, " AND %s >= ? AND %s <= ? GROUP BY 1, 2, 3, 4, 5, 6", day, day);
    sqlite3_stmt *st = sq_once(s, b.p);
    buf_free(&b);
    if (!st)
        return ST_ERR;
    int i = bind_places(st, 1, f);
    sq_bind_text(st, i++, from);
    sq_bind_text(st, i++, to);
    return read_model_rows(s, st, out);
}

/* Whole years y0..y1 of the country, from model_tally. */
static int models_tally(struct sqlite_store *s, const struct report_filter *f, int y0, int y1, struct report_rows *out)
{
    const char *ycol = f->date == RDATE_RECOGNIZED ? "ryear" : "year";
    struct buf b = BUF_INIT;
    buf_printf(&b, "SELECT t.%s, t.field, t.kind, t.registration_level, t.typical, t.%s, sum(t.n) FROM model_tally t"
                   " WHERE 1",
               f->hierarchy == 2025 ? "p25" : "p24", ycol);
    model_where(&b, f, "t");
    buf_printf(&b, " AND t.%s BETWEEN ? AND ? GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(t.n) <> 0", ycol);
    sqlite3_stmt *st = sq_once(s, b.p);
    buf_free(&b);
    if (!st)
        return ST_ERR;
    sqlite3_bind_int(st, 1, y0);
    sqlite3_bind_int(st, 2, y1);
    return read_model_rows(s, st, out);
}

static int year_of(const char *d)
{
    return atoi(d) > 0 ? atoi(d) : 0;
}

int s_report_models(struct store *base, const struct report_filter *f, struct report_rows *out)
{
    struct sqlite_store *s = S(base);
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

int s_report_results(struct store *base, const struct report_filter *f, struct report_rows *out)
{
    struct sqlite_store *s = S(base);
    struct buf b = BUF_INIT;
    buf_puts(&b, "SELECT ");
    key_sql(&b, f, "m");
    buf_puts(&b, ", m.field, r.indicator, sum(r.value), count(DISTINCT m.id) FROM models m"
                 " JOIN model_results r ON r.model_id = m.id WHERE 1");
    model_where(&b, f, "m");
    place_where(&b, f, "m");
    buf_puts(&b, " AND r.year BETWEEN ? AND ? GROUP BY 1, 2, 3");
    sqlite3_stmt *st = sq_once(s, b.p);
    buf_free(&b);
    if (!st)
        return ST_ERR;
    int i = bind_places(st, 1, f);
    sqlite3_bind_int(st, i++, year_of(f->from));
    sqlite3_bind_int(st, i++, year_of(f->to));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct report_row *r = row_add(out);
        sq_col_cpy(st, 0, r->key, sizeof r->key);
        r->field = enum_of(model_field_names, FIELD_COUNT, sqlite3_column_text(st, 1));
        sq_col_cpy(st, 2, r->sub, sizeof r->sub);
        r->sum = sqlite3_column_double(st, 3);
        r->n = sqlite3_column_int64(st, 4);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ST_OK : sq_fail(s, "report_results");
}

int s_report_events(struct store *base, const struct report_filter *f, struct report_rows *out)
{
    struct sqlite_store *s = S(base);
    struct buf b = BUF_INIT;
    buf_puts(&b, "SELECT ");
    key_sql(&b, f, "e");
    buf_puts(&b, ", e.level, e.kind, count(*) FROM commendation_events e WHERE e.held_on BETWEEN ? AND ?");
    place_where(&b, f, "e");
    buf_puts(&b, " GROUP BY 1, 2, 3");
    sqlite3_stmt *st = sq_once(s, b.p);
    buf_free(&b);
    if (!st)
        return ST_ERR;
    sq_bind_text(st, 1, f->from);
    sq_bind_text(st, 2, f->to);
    bind_places(st, 3, f);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct report_row *r = row_add(out);
        sq_col_cpy(st, 0, r->key, sizeof r->key);
        r->level = enum_of(reg_level_names, LEVEL_COUNT, sqlite3_column_text(st, 1));
        r->a = enum_of(event_kind_names, EVENT_KIND_COUNT, sqlite3_column_text(st, 2));
        r->n = sqlite3_column_int64(st, 3);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ST_OK : sq_fail(s, "report_events");
}

int s_report_awards(struct store *base, const struct report_filter *f, struct report_rows *out)
{
    struct sqlite_store *s = S(base);
    struct buf b = BUF_INIT;
    buf_puts(&b, "SELECT ");
    key_sql(&b, f, "a");
    buf_puts(&b, ", e.level, a.recipient_type, a.form, count(*), sum(coalesce(a.amount_vnd, 0)),"
                 " count(DISTINCT a.model_id) FROM awards a LEFT JOIN commendation_events e ON e.id = a.event_id"
                 " WHERE coalesce(a.decision_date, e.held_on, substr(a.created_at, 1, 10)) BETWEEN ? AND ?");
    place_where(&b, f, "a");
    buf_puts(&b, " GROUP BY 1, 2, 3, 4");
    sqlite3_stmt *st = sq_once(s, b.p);
    buf_free(&b);
    if (!st)
        return ST_ERR;
    sq_bind_text(st, 1, f->from);
    sq_bind_text(st, 2, f->to);
    bind_places(st, 3, f);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct report_row *r = row_add(out);
        sq_col_cpy(st, 0, r->key, sizeof r->key);
        r->level = enum_of(reg_level_names, LEVEL_COUNT, sqlite3_column_text(st, 1));
        r->a = enum_of(recipient_type_names, RECIPIENT_COUNT, sqlite3_column_text(st, 2));
        r->b = enum_of(award_form_names, AWARD_FORM_COUNT, sqlite3_column_text(st, 3));
        r->n = sqlite3_column_int64(st, 4);
        r->sum = sqlite3_column_double(st, 5);
        r->n2 = sqlite3_column_int64(st, 6);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ST_OK : sq_fail(s, "report_awards");
}

int s_report_replications(struct store *base, const struct report_filter *f, struct report_rows *out)
{
    struct sqlite_store *s = S(base);
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
    place_where(&b, f, "r");
    buf_puts(&b, " GROUP BY 1");
    sqlite3_stmt *st = sq_once(s, b.p);
    buf_free(&b);
    if (!st)
        return ST_ERR;
    sq_bind_text(st, 1, f->from);
    sq_bind_text(st, 2, f->to);
    bind_places(st, 3, f);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct report_row *r = row_add(out);
        sq_col_cpy(st, 0, r->key, sizeof r->key);
        r->n = sqlite3_column_int64(st, 1);
        r->n2 = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ST_OK : sq_fail(s, "report_replications");
}

int s_report_units(struct store *base, const struct report_filter *f, struct report_rows *out)
{
    struct sqlite_store *s = S(base);
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
    sqlite3_stmt *st = sq_once(s, sql);
    if (!st)
        return ST_ERR;
    sqlite3_bind_text(st, 1, f->place_code, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct report_row *r = row_add(out);
        sq_col_cpy(st, 0, r->key, sizeof r->key);
        r->n = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ST_OK : sq_fail(s, "report_units");
}
