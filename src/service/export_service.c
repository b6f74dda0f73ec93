/* export_service.c: models to a spreadsheet in the layout the import reads back
 * (sheet_layout.h), so that export → edit in Excel → import round-trips. */
#include <csv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>
#include "http/i18n.h"
#include "service/export_service.h"
#include "service/sheet_layout.h"
#include "util/buf.h"
#include "util/date.h"

/* One result column: an indicator in one year. */
struct rescol {
    int ind; /* index in the indicator list */
    int year;
};

/* Writes cells of one row to CSV or XLSX. */
struct out {
    int format;
    FILE *f;
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *bold, *date, *num;
    int row, col;
};

static void put_text(struct out *o, const char *s)
{
    s = s ? s : "";
    if (o->format == EXPORT_CSV) {
        if (o->col)
            fputc(',', o->f);
        /* a cell Excel would run as a formula ("=HYPERLINK(...)") goes out as text: the import
         * takes the apostrophe off again */
        if (strchr("=+-@'", *s) && *s) {
            struct buf q = BUF_INIT;
            buf_printf(&q, "'%s", s);
            csv_fwrite(o->f, q.p, q.len);
            buf_free(&q);
        } else {
            csv_fwrite(o->f, s, strlen(s));
        }
    } else if (*s) {
        worksheet_write_string(o->ws, (lxw_row_t)o->row, (lxw_col_t)o->col, s, o->row ? NULL : o->bold);
    }
    o->col++;
}

static void put_date(struct out *o, const char *iso, int lang)
{
    if (!iso || !iso[0]) {
        put_text(o, "");
        return;
    }
    if (o->format == EXPORT_XLSX) {
        lxw_datetime d = {date_year(iso), atoi(iso + 5), atoi(iso + 8), 0, 0, 0};
        worksheet_write_datetime(o->ws, (lxw_row_t)o->row, (lxw_col_t)o->col++, &d, o->date);
        return;
    }
    char s[11];
    fmt_date(lang, iso, s);
    put_text(o, s);
}

/* v as lang writes it ("1.234.567,125"), with every decimal it has: fmt_number() rounds to
 * hundredths for display, and a yield of 5.125 t/ha exported as "5,13" would come back
 * changed. Up to 10 decimals, trailing zeros dropped. */
static void number_text(int lang, double v, char *out, size_t outsz)
{
    char plain[64];
    if (!isfinite(v) || fabs(v) >= 1e15) {
        fmt_number(lang, v, out, outsz);
        return;
    }
    snprintf(plain, sizeof plain, "%.10f", fabs(v));
    char *dot = strchr(plain, '.'), *end = plain + strlen(plain);
    while (end > dot + 1 && end[-1] == '0')
        *--end = 0;
    if (end == dot + 1)
        *dot = 0;
    char whole[48];
    if (dot)
        *dot = 0;
    fmt_number(lang, strtod(plain, NULL), whole, sizeof whole);
    bool negative = v < 0 && (strcmp(whole, "0") != 0 || (dot && dot[1]));
    snprintf(out, outsz, "%s%s%s%s", negative ? "-" : "", whole, dot && dot[1] ? (lang == LANG_EN ? "." : ",") : "",
             dot && dot[1] ? dot + 1 : "");
}

static void put_number(struct out *o, double v, int lang)
{
    if (o->format == EXPORT_XLSX) {
        worksheet_write_number(o->ws, (lxw_row_t)o->row, (lxw_col_t)o->col++, v, o->num);
        return;
    }
    char s[96];
    number_text(lang, v, s, sizeof s);
    put_text(o, s);
}

static void end_row(struct out *o)
{
    if (o->format == EXPORT_CSV)
        fputs("\r\n", o->f);
    o->row++;
    o->col = 0;
}

/* The names of the province, district and commune of a model's unit. */
static void place_names(struct store *st, const struct model *m, const char *names[3], struct unit path[5])
{
    int n = 0;
    names[0] = names[1] = names[2] = "";
    if (svc_unit_path(st, m->hierarchy, m->unit_code, path, &n) != SVC_OK)
        return;
    for (int i = 0; i < n; i++) {
        if (unit_is_province(&path[i]))
            names[0] = path[i].name;
        else if (unit_is_district(&path[i]))
            names[1] = path[i].name;
        else if (unit_is_commune(&path[i]))
            names[2] = path[i].name;
    }
}

static const char *label(int lang, const char *const *labels, int k)
{
    return k > 0 ? T(lang, labels[k]) : "";
}

static void write_model(struct store *st, struct out *o, const struct model *m, const struct rescol *rc, int nrc,
                        const struct indicator *ind, int lang)
{
    struct unit path[5];
    const char *names[3];
    place_names(st, m, names, path);
    for (int i = 0; i < sheet_ncols; i++) {
        switch (sheet_cols[i].id) {
        case COL_CODE: put_text(o, m->code); break;
        case COL_REF: put_text(o, m->ext_key && strncmp(m->ext_key, "auto:", 5) != 0 ? m->ext_key : ""); break;
        case COL_TITLE: put_text(o, m->title); break;
        case COL_FIELD: put_text(o, label(lang, model_field_labels, m->field)); break;
        case COL_KIND: put_text(o, label(lang, model_kind_labels, m->kind)); break;
        case COL_LEVEL: put_text(o, label(lang, reg_level_labels, m->level)); break;
        case COL_STATUS: put_text(o, label(lang, model_status_labels, m->status)); break;
        case COL_TYPICAL: put_text(o, m->typical ? "x" : ""); break;
        case COL_TYPICAL_REASON: put_text(o, m->typical_reason); break;
        case COL_PUBLIC: put_text(o, m->is_public ? "x" : ""); break;
        case COL_HIERARCHY: put_text(o, m->hierarchy == 2024 ? "2024" : "2025"); break;
        case COL_UNIT_CODE: put_text(o, m->unit_code); break;
        case COL_PROVINCE: put_text(o, names[0]); break;
        case COL_DISTRICT: put_text(o, names[1]); break;
        case COL_COMMUNE: put_text(o, names[2]); break;
        case COL_REGISTERED: put_date(o, m->registered_on, lang); break;
        case COL_OWNER_TYPE: put_text(o, m->owner ? label(lang, owner_type_labels, m->owner_type) : ""); break;
        case COL_OWNER: put_text(o, m->owner); break;
        case COL_FROM: put_date(o, m->period_from, lang); break;
        case COL_TO: put_date(o, m->period_to, lang); break;
        case COL_SUMMARY: put_text(o, m->summary); break;
        case COL_DESCRIPTION: put_text(o, m->description); break;
        case COL_SITUATION: put_text(o, m->situation); break;
        case COL_OBJECTIVES: put_text(o, m->objectives); break;
        case COL_CONTENT: put_text(o, m->content); break;
        case COL_AREA: put_text(o, m->area_target); break;
        case COL_FORCES: put_text(o, m->forces); break;
        case COL_RESOURCES: put_text(o, m->resources); break;
        case COL_OUTPUTS: put_text(o, m->outputs); break;
        case COL_SUSTAIN: put_text(o, m->sustainability); break;
        case COL_TAGS: {
            struct buf b = BUF_INIT;
            bool comma = false;
            for (int t = 0; t < m->ntags; t++) {
                buf_printf(&b, "%s%s", t ? "; " : "", m->tags[t]);
                comma |= strchr(m->tags[t], ',') != NULL;
            }
            if (comma && m->ntags == 1) /* "a, b;": one tag, not two */
                buf_putc(&b, ';');
            put_text(o, buf_cstr(&b));
            buf_free(&b);
            break;
        }
        default: put_text(o, ""); break; /* the results year: each result column carries its own */
        }
    }
    for (int k = 0; k < nrc; k++) {
        int r = 0;
        while (r < m->nresults && !(m->results[r].year == rc[k].year && strcmp(m->results[r].indicator, ind[rc[k].ind].code) == 0))
            r++;
        if (r < m->nresults)
            put_number(o, m->results[r].value, lang);
        else
            put_text(o, "");
    }
    end_row(o);
}

static int cmp_rescol(const void *a, const void *b)
{
    const struct rescol *x = a, *y = b;
    return x->ind != y->ind ? x->ind - y->ind : x->year - y->year;
}

/* Calls fn on every model a may read that q selects, in code order. */
static int each_model(struct store *st, const struct actor *a, const struct model_query *q0,
                      void (*fn)(void *ctx, const struct model *m), void *ctx, int64_t *count)
{
    struct model_query q = *q0;
    char next[NEXT_CURSOR_MAX] = "", cursor[NEXT_CURSOR_MAX];
    q.sort = "code";
    q.limit = "200";
    q.cursor = NULL;
    for (;;) {
        struct model_page p;
        struct verrs v = {0};
        int rc = svc_model_list(st, a, &q, &p, next, &v);
        if (rc)
            return rc;
        for (int i = 0; i < p.n; i++) {
            fn(ctx, &p.items[i]);
            if (count)
                (*count)++;
        }
        model_page_free(&p);
        if (!next[0])
            return SVC_OK;
        memcpy(cursor, next, sizeof cursor);
        q.cursor = cursor;
    }
}

struct collect {
    struct rescol *rc;
    int n, cap;
    const struct indicator *ind;
    int nind;
};

static void collect_results(void *ctx, const struct model *m)
{
    struct collect *c = ctx;
    for (int r = 0; r < m->nresults; r++) {
        int k = 0;
        while (k < c->nind && strcmp(c->ind[k].code, m->results[r].indicator) != 0)
            k++;
        if (k == c->nind)
            continue;
        bool have = false;
        for (int i = 0; i < c->n && !have; i++)
            have = c->rc[i].ind == k && c->rc[i].year == m->results[r].year;
        if (!have) {
            c->rc = grow(c->rc, &c->cap, c->n, sizeof *c->rc);
            c->rc[c->n++] = (struct rescol){k, m->results[r].year};
        }
    }
}

struct writing {
    struct store *st;
    struct out *o;
    struct collect *c;
    int lang;
};

static void write_one(void *ctx, const struct model *m)
{
    struct writing *w = ctx;
    write_model(w->st, w->o, m, w->c->rc, w->c->n, w->c->ind, w->lang);
}

int svc_models_export(struct store *st, const struct actor *a, const struct model_query *q, int format, int lang,
                      const char *path, int64_t *count)
{
    *count = 0;
    struct collect c = {0};
    struct indicator *ind = NULL;
    int rc = svc_indicators(st, &ind, &c.nind);
    if (rc)
        return rc;
    c.ind = ind;
    /* first the result columns the models have, then the rows */
    rc = each_model(st, a, q, collect_results, &c, NULL);
    if (rc) {
        free(ind);
        return rc;
    }
    if (c.n) /* qsort wants an array, even of none */
        qsort(c.rc, (size_t)c.n, sizeof *c.rc, cmp_rescol);
    struct out o = {.format = format};
    if (format == EXPORT_CSV) {
        if (!(o.f = fopen(path, "wb"))) {
            free(c.rc);
            free(ind);
            return SVC_ERROR;
        }
        fputs("\xEF\xBB\xBF", o.f); /* Excel reads UTF-8 only after a byte-order mark */
    } else {
        lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
        o.wb = workbook_new_opt(path, &opt);
        if (!o.wb) {
            free(c.rc);
            free(ind);
            return SVC_ERROR;
        }
        o.ws = workbook_add_worksheet(o.wb, T(lang, "Models"));
        o.bold = workbook_add_format(o.wb);
        format_set_bold(o.bold);
        format_set_text_wrap(o.bold);
        o.date = workbook_add_format(o.wb);
        format_set_num_format(o.date, "dd/mm/yyyy");
        o.num = workbook_add_format(o.wb);
        format_set_num_format(o.num, "#,##0.##");
        worksheet_freeze_panes(o.ws, 1, 0);
        worksheet_set_column(o.ws, 0, 2, 18, NULL);
    }
    for (int i = 0; i < sheet_ncols; i++)
        put_text(&o, T(lang, sheet_cols[i].header));
    for (int k = 0; k < c.n; k++) {
        const struct indicator *x = &ind[c.rc[k].ind];
        char h[160];
        snprintf(h, sizeof h, "%s (%s) %d", T(lang, x->name), T(lang, x->unit), c.rc[k].year);
        put_text(&o, h);
    }
    end_row(&o);
    struct writing w = {st, &o, &c, lang};
    rc = each_model(st, a, q, write_one, &w, count);
    if (format == EXPORT_CSV) {
        if (fclose(o.f) != 0 && rc == SVC_OK)
            rc = SVC_ERROR;
    } else {
        if (workbook_close(o.wb) != LXW_NO_ERROR && rc == SVC_OK)
            rc = SVC_ERROR;
    }
    free(c.rc);
    free(ind);
    return rc;
}
