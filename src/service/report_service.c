/* report_service.c: the seven reports (report_service.h). */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/i18n.h"
#include "service/report_service.h"
#include "util/buf.h"
#include "util/date.h"

const char *const report_names[REPORT_COUNT] = {"summary",      "by_unit",     "by_level",  "results",
                                                "commendation", "replication", "timeseries"};
const char *const report_titles[REPORT_COUNT] = {
    N_("Models by field and kind"),      N_("Models by unit"),         N_("Models by registration level"),
    N_("Results by field and unit"),     N_("Commendation"),           N_("Replication coverage"),
    N_("Models by year"),
};

void report_free(struct report *r)
{
    for (int i = 0; i < r->ntables; i++)
        free(r->tables[i].rows);
    r->ntables = 0;
    free(r->indicators);
    r->indicators = NULL;
}

/* ---- building tables ----------------------------------------------------------------- */

static struct report_table *table_new(struct report *r, const char *name, const char *title, const char *row_head)
{
    struct report_table *t = &r->tables[r->ntables++];
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", name);
    t->title = title;
    t->row_head = row_head;
    t->chart_cols[0] = -1;
    return t;
}

static void col_add(struct report_table *t, const char *key, const char *label, const char *unit, int type)
{
    if (t->ncols == REPORT_MAX_COLS)
        return;
    struct report_col *c = &t->cols[t->ncols++];
    snprintf(c->key, sizeof c->key, "%s", key);
    snprintf(c->label, sizeof c->label, "%s", label);
    snprintf(c->unit, sizeof c->unit, "%s", unit ? unit : "");
    c->type = type;
}

static int col_of(const struct report_table *t, const char *key)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].key, key) == 0)
            return i;
    return -1;
}

static struct report_line *row_add(struct report_table *t, const char *key, const char *name, bool translate, int type)
{
    t->rows = xrealloc(t->rows, (size_t)(t->nrows + 1) * sizeof *t->rows);
    struct report_line *l = &t->rows[t->nrows++];
    memset(l, 0, sizeof *l);
    snprintf(l->key, sizeof l->key, "%s", key);
    snprintf(l->name, sizeof l->name, "%s", name);
    l->translate = translate;
    l->type = type;
    return l;
}

static struct report_line *row_find(struct report_table *t, const char *key)
{
    for (int i = 0; i < t->nrows; i++)
        if (t->rows[i].type != ROW_TOTAL && strcmp(t->rows[i].key, key) == 0)
            return &t->rows[i];
    return NULL;
}

/* The row of a key: a child unit's, or the row of models not placed under any child. */
static struct report_line *unit_row(struct report_table *t, const char *key, int hierarchy)
{
    struct report_line *l = row_find(t, key);
    if (l)
        return l;
    l = row_find(t, "");
    if (l)
        return l;
    return row_add(t, "", hierarchy == 2025 ? N_("Not assigned (split commune)") : N_("Not assigned"), true,
                   ROW_UNASSIGNED);
}

static void add(struct report_line *l, const struct report_table *t, const char *key, double v)
{
    int c = col_of(t, key);
    if (c >= 0)
        l->v[c] += v;
}

/* Adds n values summing to v to a cell that means() turns into their mean. */
static void add_values(struct report_line *l, const struct report_table *t, const char *key, double v, int64_t n)
{
    int c = col_of(t, key);
    if (c >= 0) {
        l->v[c] += v;
        l->w[c] += (double)n;
    }
}

/* Appends the totals row: the sum of every row, percentages recomputed by the caller (and
 * of the cells of means, the sums and counts of values: means() divides them). */
static struct report_line *total_row(struct report_table *t)
{
    struct report_line tot;
    memset(&tot, 0, sizeof tot);
    for (int i = 0; i < t->nrows; i++)
        for (int c = 0; c < t->ncols; c++) {
            tot.v[c] += t->rows[i].v[c];
            tot.w[c] += t->rows[i].w[c];
        }
    struct report_line *l = row_add(t, "total", N_("Total"), true, ROW_TOTAL);
    memcpy(l->v, tot.v, sizeof l->v);
    memcpy(l->w, tot.w, sizeof l->w);
    t->has_total = true;
    return l;
}

bool report_cell_empty(const struct report_table *t, const struct report_line *l, int col)
{
    return (l->mean || t->cols[col].mean) && l->w[col] == 0;
}

/* The cells of a mean row or column become the mean of their values (0 for none); after
 * total_row, so that the totals are the mean of all the values, not a mean of means. */
static void means(struct report_table *t)
{
    for (int i = 0; i < t->nrows; i++)
        for (int c = 0; c < t->ncols; c++)
            if (t->rows[i].mean || t->cols[c].mean) {
                struct report_line *l = &t->rows[i];
                l->v[c] = l->w[c] > 0 ? l->v[c] / l->w[c] : 0;
            }
}

static void chart(struct report_table *t, const char *a, const char *b, const char *c)
{
    const char *keys[] = {a, b, c};
    int n = 0;
    for (int i = 0; i < 3; i++)
        if (keys[i] && col_of(t, keys[i]) >= 0)
            t->chart_cols[n++] = col_of(t, keys[i]);
    t->chart_cols[n] = -1;
}

/* ---- parameters ------------------------------------------------------------------------ */

struct ctx {
    struct store *st;
    struct report *r;
    struct report_filter f;
    struct unit_list children;
};

static int place_col_of(const struct unit *u)
{
    if (unit_is_province(u))
        return u->hierarchy == 2025 ? PLACE_P25 : PLACE_P24;
    if (unit_is_district(u))
        return PLACE_D24;
    if (unit_is_commune(u))
        return u->hierarchy == 2025 ? PLACE_C25 : PLACE_C24;
    return PLACE_UNIT;
}

static int child_col_of(int hierarchy, int place_col)
{
    switch (place_col) {
    case PLACE_NONE:
        return hierarchy == 2025 ? PLACE_P25 : PLACE_P24;
    case PLACE_P24:
        return PLACE_D24;
    case PLACE_D24:
        return PLACE_C24;
    case PLACE_P25:
        return PLACE_C25;
    default:
        return PLACE_UNIT;
    }
}

static bool blank(const char *s)
{
    return !s || !*s;
}

void report_home_unit(struct store *st, const struct actor *a, int hierarchy, char code[32])
{
    code[0] = 0;
    if (a->unit_code[0] && a->hierarchy == hierarchy)
        snprintf(code, 32, "%s", a->unit_code);
    else if (a->unit_code[0])
        report_unit_in(st, a->hierarchy, a->unit_code, hierarchy, code);
}

void report_unit_in(struct store *st, int from_hierarchy, const char *unit, int hierarchy, char code[32])
{
    struct model_place p;
    code[0] = 0;
    if (from_hierarchy == hierarchy)
        snprintf(code, 32, "%s", unit);
    else if (svc_unit_place(st, from_hierarchy, unit, &p) == SVC_OK)
        snprintf(code, 32, "%s", hierarchy == 2025 ? (p.c25[0] ? p.c25 : p.p25) : (p.c24[0] ? p.c24 : p.p24));
}

/* Whether unit code of hierarchy holds the reader's own unit as seen from that hierarchy
 * (the 2025 province or commune that a 2024 reader's area went into, or one above it; the
 * whole country, "", holds every area, also one that is no single unit there: a 2025
 * province made of two 2024 ones). */
static bool holds_home(struct store *st, const struct actor *a, int hierarchy, const char *code)
{
    char home[32];
    struct unit path[5];
    int n = 0;
    if (a->hierarchy == hierarchy)
        return false;
    if (!code[0])
        return true;
    report_home_unit(st, a, hierarchy, home);
    if (!home[0] || svc_unit_path(st, hierarchy, home, path, &n) != SVC_OK)
        return false;
    for (int i = 0; i < n; i++)
        if (strcmp(path[i].code, code) == 0)
            return true;
    return false;
}

bool report_unit_allowed(struct store *st, const struct actor *a, int hierarchy, const char *code, bool *limited)
{
    struct model_place place;
    memset(&place, 0, sizeof place);
    *limited = false;
    if (a->role == ROLE_NONE || (code[0] && svc_unit_place(st, hierarchy, code, &place) != SVC_OK))
        return false;
    if (authz_in_scope(a, &place, hierarchy, code))
        return true;
    /* Reports "as of" the other hierarchy: a reader's area rarely is one whole unit there
     * (three 2024 provinces became 2025 Phú Thọ). The unit that holds it is allowed, and
     * every query stays inside the reader's scope (report_filter.scope_col), so it counts
     * the reader's models only. */
    *limited = holds_home(st, a, hierarchy, code);
    return *limited;
}

static int parse(struct store *st, const struct actor *a, const struct report_query *q, struct ctx *c,
                 struct verrs *v)
{
    struct report *r = c->r;
    struct report_filter *f = &c->f;
    r->hierarchy = blank(q->hierarchy) ? (a->hierarchy ? a->hierarchy : 2025) : atoi(q->hierarchy);
    if (!blank(q->hierarchy) && strcmp(q->hierarchy, "2024") && strcmp(q->hierarchy, "2025"))
        verrs_add(v, "hierarchy", "The hierarchy must be 2024 or 2025.");
    char today[11];
    date_today(today);
    if (blank(q->from))
        snprintf(r->from, sizeof r->from, "%.4s-01-01", today);
    else if (!date_parse_any(q->from, r->from))
        verrs_add(v, "from", "Not a valid date.");
    if (blank(q->to))
        snprintf(r->to, sizeof r->to, "%.4s-12-31", today);
    else if (!date_parse_any(q->to, r->to))
        verrs_add(v, "to", "Not a valid date.");
    if (r->from[0] && r->to[0] && strcmp(r->from, r->to) > 0)
        verrs_add(v, "to", "The end of the period comes before its start.");
    r->status = STATUS_RECOGNIZED;
    if (!blank(q->status)) {
        r->status = strcmp(q->status, "all") == 0 ? 0 : enum_parse(model_status_names, STATUS_COUNT, q->status);
        if (strcmp(q->status, "all") && !r->status)
            verrs_add(v, "status", "Unknown status.");
    }
    /* conferences and awards have no status; the time series counts registered models of
     * every status and recognized ones in columns of their own: no status filter applies,
     * and the answer says "all" rather than echo one it did not use */
    if (r->name == REPORT_COMMENDATION || r->name == REPORT_TIMESERIES)
        r->status = 0;
    if (!blank(q->field) && !(r->field = enum_parse(model_field_names, FIELD_COUNT, q->field)))
        verrs_add(v, "field", "Unknown field.");
    if (!blank(q->kind) && !(r->kind = enum_parse(model_kind_names, KIND_COUNT, q->kind)))
        verrs_add(v, "kind", "Unknown kind.");
    if (v->n)
        return SVC_INVALID;

    /* the unit: the one asked for, else the reader's own */
    char code[32] = "";
    if (!blank(q->unit))
        snprintf(code, sizeof code, "%s", q->unit);
    else
        report_home_unit(st, a, r->hierarchy, code);
    struct model_place place;
    memset(&place, 0, sizeof place);
    if (code[0]) {
        struct unit u;
        if (!unit_code_valid(code) || st->ops->unit_get(st, r->hierarchy, code, &u) != ST_OK ||
            svc_unit_place(st, r->hierarchy, code, &place) != SVC_OK) {
            verrs_add(v, "unit", "Unknown unit.");
            return SVC_INVALID;
        }
        snprintf(r->unit, sizeof r->unit, "%s", u.code);
        snprintf(r->unit_name, sizeof r->unit_name, "%s", u.name);
        r->unit_level = u.level;
        f->place_col = place_col_of(&u);
        snprintf(f->place_code, sizeof f->place_code, "%s", u.code);
    }
    if (!report_unit_allowed(st, a, r->hierarchy, r->unit, &r->limited))
        return SVC_FORBIDDEN;
    f->hierarchy = r->hierarchy;
    f->group_col = child_col_of(r->hierarchy, f->place_col);
    f->commune_level = unit_commune_level(r->hierarchy);
    f->scope_col = a->scope_col;
    snprintf(f->scope_code, sizeof f->scope_code, "%s", a->scope_code);
    f->scope_hierarchy = a->hierarchy;
    snprintf(f->from, sizeof f->from, "%s", r->from);
    snprintf(f->to, sizeof f->to, "%s", r->to);
    f->status = r->status;
    f->field = r->field;
    f->kind = r->kind;
    return SVC_OK;
}

/* Rows for the child units, in the catalogue's order (a commune: its villages, after itself). */
static int unit_rows(struct ctx *c, struct report_table *t)
{
    struct report *r = c->r;
    if (!c->children.items && svc_unit_children(c->st, r->hierarchy, r->unit[0] ? r->unit : NULL, &c->children))
        return SVC_ERROR;
    if (c->f.group_col == PLACE_UNIT)
        row_add(t, r->unit, r->unit_name, false, ROW_ITEM);
    else if (r->unit[0])
        row_add(t, r->unit, r->unit_name, false, ROW_SELF); /* dropped when nothing is its own */
    for (int i = 0; i < c->children.n; i++)
        row_add(t, c->children.items[i].code, c->children.items[i].name, false, ROW_ITEM);
    return SVC_OK;
}

/* Nothing fell in the row: every sum 0, and no value in a mean's cell (a yield of 0 is one). */
static bool row_empty(const struct report_table *t, const struct report_line *l)
{
    for (int k = 0; k < t->ncols; k++)
        if (l->v[k] != 0 || ((l->mean || t->cols[k].mean) && l->w[k] != 0))
            return false;
    return true;
}

/* Drops the "not assigned" row and the report unit's own row when nothing fell in them,
 * and moves the first after the units. */
static void settle_unassigned(struct report_table *t)
{
    for (int i = 0; i < t->nrows; i++)
        if (t->rows[i].type == ROW_SELF && row_empty(t, &t->rows[i])) {
            memmove(&t->rows[i], &t->rows[i + 1], (size_t)(t->nrows - i - 1) * sizeof t->rows[i]);
            t->nrows--;
            break;
        }
    for (int i = 0; i < t->nrows; i++) {
        if (t->rows[i].type != ROW_UNASSIGNED)
            continue;
        struct report_line l = t->rows[i];
        memmove(&t->rows[i], &t->rows[i + 1], (size_t)(t->nrows - i - 1) * sizeof l);
        t->nrows--;
        if (!row_empty(t, &l))
            t->rows[t->nrows++] = l;
        return;
    }
}

static int models(struct ctx *c, int date, int status, int dims, struct report_rows *out)
{
    struct report_filter f = c->f;
    f.date = date;
    f.status = status;
    f.dims = dims;
    return c->st->ops->report_models(c->st, &f, out) == ST_OK ? SVC_OK : SVC_ERROR;
}

/* ---- the reports ---------------------------------------------------------------------- */

static void field_cols(struct report_table *t)
{
    for (int i = 1; i < FIELD_COUNT; i++)
        col_add(t, model_field_names[i], model_field_labels[i], NULL, COL_COUNT);
}

static int build_summary(struct ctx *c)
{
    struct report *r = c->r;
    struct report_rows rows = {0};
    if (models(c, RDATE_REGISTERED, r->status, RD_FIELD | RD_KIND | RD_TYPICAL, &rows))
        return SVC_ERROR;
    for (int i = 0; i < rows.n; i++) {
        const struct report_row *x = &rows.items[i];
        r->total += x->n;
        r->by_field[x->field] += x->n;
        r->by_kind[x->kind] += x->n;
        r->by_field_kind[x->field][x->kind] += x->n;
        if (x->typical)
            r->typical += x->n;
    }
    struct report_table *t = table_new(r, "summary", report_titles[REPORT_SUMMARY], N_("Field"));
    col_add(t, "collective", model_kind_labels[KIND_COLLECTIVE], NULL, COL_COUNT);
    col_add(t, "individual", model_kind_labels[KIND_INDIVIDUAL], NULL, COL_COUNT);
    col_add(t, "total", N_("Total"), NULL, COL_COUNT);
    col_add(t, "typical", N_("Typical"), NULL, COL_COUNT);
    for (int fi = 1; fi < FIELD_COUNT; fi++)
        row_add(t, model_field_names[fi], model_field_labels[fi], true, ROW_ITEM);
    for (int i = 0; i < rows.n; i++) {
        const struct report_row *x = &rows.items[i];
        struct report_line *l = row_find(t, model_field_names[x->field]);
        if (!l)
            continue;
        add(l, t, model_kind_names[x->kind], (double)x->n);
        add(l, t, "total", (double)x->n);
        if (x->typical)
            add(l, t, "typical", (double)x->n);
    }
    total_row(t);
    chart(t, "collective", "individual", NULL);
    report_rows_free(&rows);
    return SVC_OK;
}

static int build_by_unit(struct ctx *c)
{
    struct report *r = c->r;
    struct report_table *t = table_new(r, "by_unit", report_titles[REPORT_BY_UNIT], N_("Unit"));
    col_add(t, "total", N_("Total"), NULL, COL_COUNT);
    field_cols(t);
    col_add(t, "collective", model_kind_labels[KIND_COLLECTIVE], NULL, COL_COUNT);
    col_add(t, "individual", model_kind_labels[KIND_INDIVIDUAL], NULL, COL_COUNT);
    col_add(t, "typical", N_("Typical"), NULL, COL_COUNT);
    if (unit_rows(c, t))
        return SVC_ERROR;
    struct report_rows rows = {0};
    if (models(c, RDATE_REGISTERED, r->status, RD_KEY | RD_FIELD | RD_KIND | RD_TYPICAL, &rows))
        return SVC_ERROR;
    for (int i = 0; i < rows.n; i++) {
        const struct report_row *x = &rows.items[i];
        struct report_line *l = unit_row(t, x->key, r->hierarchy);
        add(l, t, "total", (double)x->n);
        add(l, t, model_field_names[x->field], (double)x->n);
        add(l, t, model_kind_names[x->kind], (double)x->n);
        if (x->typical)
            add(l, t, "typical", (double)x->n);
    }
    settle_unassigned(t);
    total_row(t);
    chart(t, "total", "typical", NULL);
    report_rows_free(&rows);
    return SVC_OK;
}

static int build_by_level(struct ctx *c)
{
    struct report *r = c->r;
    struct report_table *t = table_new(r, "by_level", report_titles[REPORT_BY_LEVEL], N_("Registration level"));
    col_add(t, "total", N_("Total"), NULL, COL_COUNT);
    col_add(t, "collective", model_kind_labels[KIND_COLLECTIVE], NULL, COL_COUNT);
    col_add(t, "individual", model_kind_labels[KIND_INDIVIDUAL], NULL, COL_COUNT);
    col_add(t, "typical", N_("Typical"), NULL, COL_COUNT);
    for (int i = 1; i < LEVEL_COUNT; i++)
        row_add(t, reg_level_names[i], reg_level_labels[i], true, ROW_ITEM);
    struct report_rows rows = {0};
    if (models(c, RDATE_REGISTERED, r->status, RD_LEVEL | RD_KIND | RD_TYPICAL, &rows))
        return SVC_ERROR;
    for (int i = 0; i < rows.n; i++) {
        const struct report_row *x = &rows.items[i];
        struct report_line *l = row_find(t, reg_level_names[x->level]);
        if (!l)
            continue;
        add(l, t, "total", (double)x->n);
        add(l, t, model_kind_names[x->kind], (double)x->n);
        if (x->typical)
            add(l, t, "typical", (double)x->n);
    }
    total_row(t);
    chart(t, "total", "typical", NULL);
    report_rows_free(&rows);
    return SVC_OK;
}

static int build_results(struct ctx *c)
{
    struct report *r = c->r;
    struct indicator *ind = NULL;
    int nind = 0;
    if (c->st->ops->indicator_list(c->st, &ind, &nind))
        return SVC_ERROR;
    r->indicators = ind; /* the columns of the table by unit point into it */
    struct report_rows rows = {0};
    if (c->st->ops->report_results(c->st, &c->f, &rows))
        return SVC_ERROR;
    struct report_table *t = table_new(r, "by_field", N_("Results by field"), N_("Indicator"));
    field_cols(t);
    col_add(t, "total", N_("Total"), NULL, COL_SUM);
    for (int i = 0; i < t->ncols; i++)
        t->cols[i].type = COL_SUM;
    /* an indicator whose values are rates (a yield) is reported as their mean: the sums
     * and counts of its values are kept until means() */
    for (int i = 0; i < nind; i++) {
        struct report_line *l = row_add(t, ind[i].code, ind[i].name, true, ROW_ITEM);
        snprintf(l->unit, sizeof l->unit, "%s", ind[i].unit);
        l->mean = ind[i].mean;
    }
    struct report_table *u = table_new(r, "by_unit", N_("Results by unit"), N_("Unit"));
    for (int i = 0; i < nind && u->ncols < REPORT_MAX_COLS; i++) {
        col_add(u, ind[i].code, ind[i].name, ind[i].unit, COL_SUM);
        u->cols[u->ncols - 1].mean = ind[i].mean;
    }
    if (unit_rows(c, u)) {
        report_rows_free(&rows);
        return SVC_ERROR;
    }
    for (int i = 0; i < rows.n; i++) {
        const struct report_row *x = &rows.items[i];
        struct report_line *l = row_find(t, x->sub);
        if (l) {
            add_values(l, t, model_field_names[x->field], x->sum, x->n);
            add_values(l, t, "total", x->sum, x->n);
        }
        add_values(unit_row(u, x->key, r->hierarchy), u, x->sub, x->sum, x->n);
    }
    settle_unassigned(u);
    /* one chart of one indicator: bars of households beside bars of VND would mean nothing */
    chart(u, ind && nind ? ind[0].code : NULL, NULL, NULL);
    total_row(u);
    means(t);
    means(u);
    report_rows_free(&rows);
    return SVC_OK;
}

static void commendation_cols(struct report_table *t)
{
    col_add(t, "interim", event_kind_labels[EVENT_INTERIM], NULL, COL_COUNT);
    col_add(t, "final", event_kind_labels[EVENT_FINAL], NULL, COL_COUNT);
    col_add(t, "awards", N_("Awards"), NULL, COL_COUNT);
    col_add(t, "models", N_("Awards to models"), NULL, COL_COUNT);
    col_add(t, "organizations", N_("Awards to collectives"), NULL, COL_COUNT);
    col_add(t, "people", N_("Awards to individuals"), NULL, COL_COUNT);
    for (int i = 1; i < AWARD_FORM_COUNT; i++)
        col_add(t, award_form_names[i], award_form_labels[i], NULL, COL_COUNT);
    col_add(t, "amount_vnd", N_("Amount"), "VND", COL_SUM);
}

static void commendation_add(struct report_table *t, struct report_line *l, const struct report_row *x, bool event)
{
    if (event) {
        add(l, t, event_kind_names[x->a], (double)x->n);
        return;
    }
    add(l, t, "awards", (double)x->n);
    add(l, t, x->a == RECIPIENT_MODEL ? "models" : x->a == RECIPIENT_PERSON ? "people" : "organizations", (double)x->n);
    add(l, t, award_form_names[x->b], (double)x->n);
    add(l, t, "amount_vnd", x->sum);
}

static int build_commendation(struct ctx *c)
{
    struct report *r = c->r;
    struct report_rows ev = {0}, aw = {0};
    if (c->st->ops->report_events(c->st, &c->f, &ev) || c->st->ops->report_awards(c->st, &c->f, &aw)) {
        report_rows_free(&ev);
        report_rows_free(&aw);
        return SVC_ERROR;
    }
    struct report_table *t = table_new(r, "by_level", N_("Commendation by level"), N_("Level"));
    commendation_cols(t);
    for (int i = 1; i < LEVEL_COUNT; i++)
        row_add(t, reg_level_names[i], reg_level_labels[i], true, ROW_ITEM);
    row_add(t, "none", N_("Not at a conference"), true, ROW_ITEM);
    struct report_table *u = table_new(r, "by_unit", N_("Commendation by unit"), N_("Unit"));
    commendation_cols(u);
    int rc = unit_rows(c, u);
    for (int k = 0; k < 2 && !rc; k++) {
        const struct report_rows *rows = k ? &aw : &ev;
        for (int i = 0; i < rows->n; i++) {
            const struct report_row *x = &rows->items[i];
            struct report_line *l = row_find(t, x->level ? reg_level_names[x->level] : "none");
            if (l)
                commendation_add(t, l, x, !k);
            commendation_add(u, unit_row(u, x->key, r->hierarchy), x, !k);
        }
    }
    settle_unassigned(u);
    total_row(t);
    total_row(u);
    chart(t, "awards", NULL, NULL);
    chart(u, "awards", NULL, NULL);
    report_rows_free(&ev);
    report_rows_free(&aw);
    return rc;
}

static int build_replication(struct ctx *c)
{
    struct report *r = c->r;
    struct report_table *t = table_new(r, "by_unit", report_titles[REPORT_REPLICATION], N_("Unit"));
    bool villages = c->f.group_col == PLACE_UNIT;
    col_add(t, "units", villages ? N_("Villages") : N_("Communes"), NULL, COL_COUNT);
    col_add(t, "reached", villages ? N_("Villages reached") : N_("Communes reached"), NULL, COL_COUNT);
    col_add(t, "coverage", N_("Coverage"), "%", COL_PERCENT);
    col_add(t, "replications", N_("Replications"), NULL, COL_COUNT);
    if (unit_rows(c, t))
        return SVC_ERROR;
    struct report_rows units = {0}, reps = {0};
    if (c->st->ops->report_units(c->st, &c->f, &units) || c->st->ops->report_replications(c->st, &c->f, &reps)) {
        report_rows_free(&units);
        report_rows_free(&reps);
        return SVC_ERROR;
    }
    for (int i = 0; i < units.n; i++) {
        struct report_line *l = row_find(t, units.items[i].key);
        if (l)
            add(l, t, "units", (double)units.items[i].n);
    }
    for (int i = 0; i < reps.n; i++) {
        struct report_line *l = unit_row(t, reps.items[i].key, r->hierarchy);
        add(l, t, "replications", (double)reps.items[i].n);
        if (l->type != ROW_UNASSIGNED)
            add(l, t, "reached", (double)reps.items[i].n2);
    }
    settle_unassigned(t);
    total_row(t);
    int cu = col_of(t, "units"), cr = col_of(t, "reached"), cc = col_of(t, "coverage");
    for (int i = 0; i < t->nrows; i++)
        t->rows[i].v[cc] = t->rows[i].v[cu] > 0 ? 100.0 * t->rows[i].v[cr] / t->rows[i].v[cu] : 0;
    chart(t, "coverage", NULL, NULL);
    report_rows_free(&units);
    report_rows_free(&reps);
    return SVC_OK;
}

static int build_timeseries(struct ctx *c)
{
    struct report *r = c->r;
    /* by whole years: the period's years from January to December */
    memcpy(c->f.from + 4, "-01-01", 7);
    memcpy(c->f.to + 4, "-12-31", 7);
    struct report_table *t = table_new(r, "by_year", report_titles[REPORT_TIMESERIES], N_("Year"));
    col_add(t, "registered", N_("Registered"), NULL, COL_COUNT);
    col_add(t, "recognized", N_("Recognized"), NULL, COL_COUNT);
    col_add(t, "typical", N_("Typical among them"), NULL, COL_COUNT);
    int y0 = atoi(r->from), y1 = atoi(r->to);
    for (int y = y0; y <= y1; y++) {
        char k[8];
        snprintf(k, sizeof k, "%d", y);
        row_add(t, k, k, false, ROW_ITEM);
    }
    struct report_rows reg = {0}, rec = {0};
    if (models(c, RDATE_REGISTERED, 0, RD_YEAR | RD_TYPICAL, &reg) ||
        models(c, RDATE_RECOGNIZED, STATUS_RECOGNIZED, RD_YEAR | RD_TYPICAL, &rec)) {
        report_rows_free(&reg);
        report_rows_free(&rec);
        return SVC_ERROR;
    }
    for (int k = 0; k < 2; k++) {
        const struct report_rows *rows = k ? &rec : &reg;
        for (int i = 0; i < rows->n; i++) {
            const struct report_row *x = &rows->items[i];
            char y[8];
            snprintf(y, sizeof y, "%d", x->year);
            struct report_line *l = row_find(t, y);
            if (!l)
                continue;
            add(l, t, k ? "recognized" : "registered", (double)x->n);
            if (k && x->typical)
                add(l, t, "typical", (double)x->n);
        }
    }
    total_row(t);
    chart(t, "registered", "recognized", NULL);
    report_rows_free(&reg);
    report_rows_free(&rec);
    return SVC_OK;
}

int svc_report(struct store *st, const struct actor *a, const char *name, const struct report_query *q,
               struct report *out, struct verrs *v)
{
    memset(out, 0, sizeof *out);
    out->name = -1;
    for (int i = 0; i < REPORT_COUNT; i++)
        if (name && strcmp(name, report_names[i]) == 0)
            out->name = i;
    if (out->name < 0)
        return SVC_NOTFOUND;
    struct ctx c = {.st = st, .r = out};
    int rc = parse(st, a, q, &c, v);
    if (rc)
        return rc;
    if (st->ops->begin_read(st) != ST_OK)
        return SVC_ERROR;
    static int (*const build[REPORT_COUNT])(struct ctx *) = {build_summary,      build_by_unit,      build_by_level,
                                                             build_results,      build_commendation, build_replication,
                                                             build_timeseries};
    rc = build[out->name](&c);
    st->ops->rollback(st);
    unit_list_free(&c.children);
    if (rc)
        report_free(out);
    return rc;
}

/* ---- output ------------------------------------------------------------------------- */

/* Measure units are msgids too ("households" is "hộ" in Vietnamese; "m²" stays as it is). */
void report_col_label(const struct report_col *c, int lang, char *out, size_t outsz)
{
    if (c->mean && c->unit[0])
        snprintf(out, outsz, "%s (%s, %s)", T(lang, c->label), T(lang, c->unit), T(lang, N_("mean")));
    else if (c->mean)
        snprintf(out, outsz, "%s (%s)", T(lang, c->label), T(lang, N_("mean")));
    else if (c->unit[0] && strcmp(c->unit, "%") != 0)
        snprintf(out, outsz, "%s (%s)", T(lang, c->label), T(lang, c->unit));
    else if (c->unit[0])
        snprintf(out, outsz, "%s (%%)", T(lang, c->label));
    else
        snprintf(out, outsz, "%s", T(lang, c->label));
}

void report_row_label(const struct report_line *l, int lang, char *out, size_t outsz)
{
    if (l->mean && l->unit[0])
        snprintf(out, outsz, "%s (%s, %s)", T(lang, l->name), T(lang, l->unit), T(lang, N_("mean")));
    else if (l->mean)
        snprintf(out, outsz, "%s (%s)", T(lang, l->name), T(lang, N_("mean")));
    else if (l->translate && l->unit[0])
        snprintf(out, outsz, "%s (%s)", T(lang, l->name), T(lang, l->unit));
    else
        snprintf(out, outsz, "%s", l->translate ? T(lang, l->name) : l->name);
}

void report_period_text(const struct report *r, int lang, char *out, size_t outsz)
{
    char f[11], t[11];
    fmt_date(lang, r->from, f);
    fmt_date(lang, r->to, t);
    snprintf(out, outsz, "%s, %s – %s", r->unit[0] ? r->unit_name : T(lang, "The whole country"), f, t);
}

static json_t *opt_name(const char *const *names, int i)
{
    return i ? json_string(names[i]) : json_null();
}

json_t *report_to_json(const struct report *r, int lang)
{
    json_t *o = json_object();
    json_object_set_new(o, "report", json_string(report_names[r->name]));
    json_object_set_new(o, "unit", r->unit[0] ? json_string(r->unit) : json_null());
    json_object_set_new(o, "unit_name", json_string(r->unit[0] ? r->unit_name : T(lang, "The whole country")));
    json_object_set_new(o, "from", json_string(r->from));
    json_object_set_new(o, "to", json_string(r->to));
    json_object_set_new(o, "hierarchy", json_integer(r->hierarchy));
    json_object_set_new(o, "status", json_string(r->status ? model_status_names[r->status] : "all"));
    json_object_set_new(o, "field", opt_name(model_field_names, r->field));
    json_object_set_new(o, "kind", opt_name(model_kind_names, r->kind));
    json_object_set_new(o, "title", json_string(T(lang, report_titles[r->name])));
    /* the unit holds more than the reader's area (the other hierarchy): only their models count */
    json_object_set_new(o, "limited_to_scope", json_boolean(r->limited));
    if (r->name == REPORT_SUMMARY) {
        json_object_set_new(o, "total", json_integer(r->total));
        json_t *bf = json_object(), *bk = json_object(), *bfk = json_object();
        for (int fi = 1; fi < FIELD_COUNT; fi++) {
            json_object_set_new(bf, model_field_names[fi], json_integer(r->by_field[fi]));
            json_t *k = json_object();
            for (int ki = 1; ki < KIND_COUNT; ki++)
                json_object_set_new(k, model_kind_names[ki], json_integer(r->by_field_kind[fi][ki]));
            json_object_set_new(bfk, model_field_names[fi], k);
        }
        for (int ki = 1; ki < KIND_COUNT; ki++)
            json_object_set_new(bk, model_kind_names[ki], json_integer(r->by_kind[ki]));
        json_object_set_new(o, "by_field", bf);
        json_object_set_new(o, "by_kind", bk);
        json_object_set_new(o, "by_field_kind", bfk);
        json_object_set_new(o, "typical", json_integer(r->typical));
    }
    json_t *tables = json_array();
    char label[256];
    for (int i = 0; i < r->ntables; i++) {
        const struct report_table *t = &r->tables[i];
        json_t *jt = json_object(), *cols = json_array(), *rows = json_array();
        json_object_set_new(jt, "name", json_string(t->name));
        json_object_set_new(jt, "title", json_string(T(lang, t->title)));
        json_object_set_new(jt, "row_label", json_string(T(lang, t->row_head)));
        for (int k = 0; k < t->ncols; k++) {
            report_col_label(&t->cols[k], lang, label, sizeof label);
            json_t *col = json_pack("{s:s, s:s}", "key", t->cols[k].key, "label", label);
            if (t->cols[k].mean)
                json_object_set_new(col, "aggregate", json_string("mean"));
            json_array_append_new(cols, col);
        }
        for (int j = 0; j < t->nrows; j++) {
            const struct report_line *l = &t->rows[j];
            if (l->type == ROW_TOTAL)
                continue;
            report_row_label(l, lang, label, sizeof label);
            json_t *row = json_pack("{s:s, s:s}", "key", l->key, "name", label);
            if (l->type == ROW_UNASSIGNED)
                json_object_set_new(row, "unassigned", json_true());
            if (l->mean)
                json_object_set_new(row, "aggregate", json_string("mean"));
            for (int k = 0; k < t->ncols; k++)
                json_object_set_new(row, t->cols[k].key,
                                    report_cell_empty(t, l, k)    ? json_null()
                                    : t->cols[k].type == COL_COUNT ? json_integer((json_int_t)l->v[k])
                                                                   : json_real(l->v[k]));
            json_array_append_new(rows, row);
        }
        json_object_set_new(jt, "columns", cols);
        json_object_set_new(jt, "rows", rows);
        if (t->has_total) {
            const struct report_line *l = &t->rows[t->nrows - 1];
            json_t *tot = json_object();
            for (int k = 0; k < t->ncols; k++)
                json_object_set_new(tot, t->cols[k].key,
                                    report_cell_empty(t, l, k)    ? json_null()
                                    : t->cols[k].type == COL_COUNT ? json_integer((json_int_t)l->v[k])
                                                                   : json_real(l->v[k]));
            json_object_set_new(jt, "total", tot);
        }
        json_array_append_new(tables, jt);
    }
    json_object_set_new(o, "tables", tables);
    return o;
}

static void csv_cell(struct buf *b, const char *s, bool first)
{
    if (!first)
        buf_puts(b, ",");
    /* a label Excel would run as a formula goes out as text */
    bool guard = *s && strchr("=+-@", *s);
    size_t n = strlen(s) + (guard ? 1 : 0);
    char *tmp = xmalloc(2 * n + 3), *src = xmalloc(n + 1);
    snprintf(src, n + 1, "%s%s", guard ? "'" : "", s);
    size_t w = csv_write(tmp, 2 * n + 3, src, n);
    buf_add(b, tmp, w);
    free(tmp);
    free(src);
}

char *report_to_csv(const struct report *r, int lang, size_t *len)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "\xEF\xBB\xBF");
    char s[512];
    csv_cell(&b, T(lang, report_titles[r->name]), true);
    buf_puts(&b, "\r\n");
    report_period_text(r, lang, s, sizeof s);
    csv_cell(&b, s, true);
    buf_puts(&b, "\r\n");
    for (int i = 0; i < r->ntables; i++) {
        const struct report_table *t = &r->tables[i];
        buf_puts(&b, "\r\n");
        if (r->ntables > 1) {
            csv_cell(&b, T(lang, t->title), true);
            buf_puts(&b, "\r\n");
        }
        csv_cell(&b, T(lang, t->row_head), true);
        for (int k = 0; k < t->ncols; k++) {
            report_col_label(&t->cols[k], lang, s, sizeof s);
            csv_cell(&b, s, false);
        }
        buf_puts(&b, "\r\n");
        for (int j = 0; j < t->nrows; j++) {
            report_row_label(&t->rows[j], lang, s, sizeof s);
            csv_cell(&b, s, true);
            for (int k = 0; k < t->ncols; k++) {
                if (report_cell_empty(t, &t->rows[j], k))
                    s[0] = 0;
                else
                    fmt_number(lang, t->rows[j].v[k], s, sizeof s);
                csv_cell(&b, s, false);
            }
            buf_puts(&b, "\r\n");
        }
    }
    *len = b.len;
    return b.p;
}
