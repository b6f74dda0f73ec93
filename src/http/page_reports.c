/* page_reports.c: the report pages. /reports lists the seven reports; /reports/{name}
 * shows one: a filter form that works without JavaScript, the report's tables with an SVG
 * bar chart each, links to its JSON, CSV and XLSX, and an A4 print layout (?print=1) with
 * the heading of a Party document (GUIDANCE.md §3). The figures come from svc_report, as
 * for the API and `dvk report`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/handlers.h"
#include "http/i18n.h"
#include "service/report_service.h"
#include "service/report_svg.h"
#include "util/date.h"

/* One line under each report's name on /reports. */
static const char *const report_blurbs[REPORT_COUNT] = {
    N_("How many models there are in each field, collective and individual, and how many are typical."),
    N_("The models of each unit under the one chosen, by field and kind, with the typical ones."),
    N_("Models by the level of the steering committee they are registered with."),
    N_("What the models achieved (households, land donated, money, working days, roads…), by field and by unit."),
    N_("Summary conferences held and awards given, by level and by unit."),
    N_("How far models have spread: the share of communes or villages they have reached."),
    N_("Models registered and recognized in each year."),
};

/* A chart of more unit rows than this draws the largest ones only; the table has them all. */
#define CHART_TOP 20

static int report_index(const char *name)
{
    for (int i = 0; name && i < REPORT_COUNT; i++)
        if (strcmp(name, report_names[i]) == 0)
            return i;
    return -1;
}

static const char *field_err(const struct verrs *v, const char *field)
{
    for (int i = 0; v && i < v->n; i++)
        if (strcmp(v->e[i].field, field) == 0)
            return v->e[i].msg;
    return NULL;
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

/* ---- shared with the dashboard ---------------------------------------------------------- */

/* Whether the reader may open the reports of unit code: always in the reader's own
 * hierarchy under a unit shown already; in the other one, only some units are. */
static bool may_open(struct rq *r, int hierarchy, const char *code)
{
    bool limited;
    if (r->actor.hierarchy == hierarchy || r->actor.scope_col == PLACE_NONE)
        return true;
    return report_unit_allowed(r->st, &r->actor, hierarchy, code, &limited);
}

void report_query_string(struct buf *b, const struct report *rep, const char *unit)
{
    if (!unit)
        unit = rep->unit;
    if (unit[0]) {
        buf_puts(b, "unit=");
        url_escape(b, unit);
        buf_putc(b, '&');
    }
    buf_printf(b, "hierarchy=%d&from=%s&to=%s&status=%s", rep->hierarchy, rep->from, rep->to,
               rep->status ? model_status_names[rep->status] : "all");
    if (rep->field)
        buf_printf(b, "&field=%s", model_field_names[rep->field]);
    if (rep->kind)
        buf_printf(b, "&kind=%s", model_kind_names[rep->kind]);
}

int report_hierarchy_param(struct rq *r)
{
    const char *h = rq_query(r, "hierarchy");
    if (h && (strcmp(h, "2024") == 0 || strcmp(h, "2025") == 0))
        return atoi(h);
    return r->actor.hierarchy ? r->actor.hierarchy : 2025;
}

const char *report_unit_param(struct rq *r, int hierarchy, char out[32])
{
    const char *unit = rq_query(r, "unit"), *uh = rq_query(r, "uh");
    if (!unit || !*unit || !uh || atoi(uh) == hierarchy || (strcmp(uh, "2024") && strcmp(uh, "2025")))
        return unit;
    /* the form listed the units of the other hierarchy: the same place in this one, or the reader's own */
    if (strlen(unit) >= 32 || !unit_code_valid(unit))
        return unit;
    report_unit_in(r->st, atoi(uh), unit, hierarchy, out);
    return out;
}

void report_unit_select(struct rq *r, int hierarchy, const char *unit, const char *err)
{
    char home[32];
    report_home_unit(r->st, &r->actor, hierarchy, home);
    const char *cur = unit && *unit ? unit : home;
    hf(r, "<div class=\"field wide%R\"><label for=\"f-unit\">%t</label>", err ? " invalid" : "", N_("Unit"));
    if (err)
        hf(r, "<p class=\"msg\" id=\"e-unit\" role=\"alert\">%t</p>", err);
    hf(r, "<input type=\"hidden\" name=\"uh\" value=\"%d\"><select id=\"f-unit\" name=\"unit\"%R>", hierarchy,
       err ? " aria-invalid=\"true\" aria-describedby=\"e-unit\"" : "");
    /* the reader's own unit down to the chosen one, each a step back up, in order */
    struct unit path[5];
    int n = 0, from = 0;
    if (*cur && svc_unit_path(r->st, hierarchy, cur, path, &n) != SVC_OK)
        n = 0;
    if (!home[0])
        hf(r, "<option value=\"\"%R>%t</option>", *cur ? "" : " selected", N_("The whole country"));
    for (int i = 0; i < n; i++)
        if (home[0] && strcmp(path[i].code, home) == 0)
            from = i;
    for (int i = from; i < n; i++)
        hf(r, "<option value=\"%s\"%R>%s</option>", path[i].code, i == n - 1 ? " selected" : "", path[i].name);
    /* then the units under it, to go down one level */
    struct unit_list kids = {0};
    if (svc_unit_children(r->st, hierarchy, *cur ? cur : NULL, &kids) == SVC_OK && kids.n) {
        hf(r, "<optgroup label=\"%t\">", N_("Units under it"));
        for (int i = 0; i < kids.n; i++)
            if (may_open(r, hierarchy, kids.items[i].code))
                hf(r, "<option value=\"%s\">%s</option>", kids.items[i].code, kids.items[i].name);
        hf(r, "</optgroup>");
    }
    unit_list_free(&kids);
    hf(r, "</select></div>");
}

/* ---- the form ------------------------------------------------------------------------------ */

static void select_enum_err(struct rq *r, const struct verrs *v, const char *name, const char *label,
                            const char *const *names, const char *const *labels, int from, int count,
                            const char *current, const char *any)
{
    const char *err = field_err(v, name);
    hf(r, "<div class=\"field%R\"><label for=\"f-%s\">%t</label>", err ? " invalid" : "", name, label);
    if (err)
        hf(r, "<p class=\"msg\" id=\"e-%s\" role=\"alert\">%t</p>", name, err);
    hf(r, "<select id=\"f-%s\" name=\"%s\"%R>", name, name, err ? " aria-invalid=\"true\"" : "");
    if (any)
        hf(r, "<option value=\"\">%t</option>", any);
    for (int i = from; i < count; i++)
        hf(r, "<option value=\"%s\"%R>%t</option>", names[i], current && strcmp(current, names[i]) == 0 ? " selected" : "",
           labels[i]);
    hf(r, "</select></div>");
}

static void date_field(struct rq *r, const struct verrs *v, const char *name, const char *label, const char *value)
{
    const char *err = field_err(v, name);
    char local[11];
    /* a valid date as the reader writes it; what was typed, when it was not one */
    if (date_valid(nz(value)))
        fmt_date(r->lang, value, local);
    else
        snprintf(local, sizeof local, "%s", nz(value));
    hf(r, "<div class=\"field%R\"><label for=\"f-%s\">%t</label>", err ? " invalid" : "", name, label);
    if (err)
        hf(r, "<p class=\"msg\" id=\"e-%s\" role=\"alert\">%t</p>", name, err);
    hf(r, "<input id=\"f-%s\" name=\"%s\" inputmode=\"numeric\" placeholder=\"%t\" value=\"%s\"%R></div>", name, name,
       r->lang == LANG_SV ? N_("yyyy-mm-dd") : N_("dd/mm/yyyy"), local,
       err ? " aria-invalid=\"true\"" : "");
}

/* Values shown in the form: the report's own once computed, else what was asked. */
struct form_values {
    int hierarchy;
    const char *unit, *from, *to, *status, *field, *kind;
};

static void filter_form(struct rq *r, int name, const struct form_values *f, const struct verrs *v)
{
    hf(r, "<form class=\"filters report-filters\" method=\"get\" action=\"/reports/%s\">", report_names[name]);
    hf(r, "<div class=\"top\">");
    report_unit_select(r, f->hierarchy, f->unit, field_err(v, "unit"));
    hf(r, "<div class=\"pair\">");
    date_field(r, v, "from", N_("From"), f->from);
    date_field(r, v, "to", N_("To"), f->to);
    hf(r, "</div></div>");
    bool status = name != REPORT_COMMENDATION && name != REPORT_TIMESERIES;
    bool model = name != REPORT_COMMENDATION;
    bool more = field_err(v, "hierarchy") || field_err(v, "status") || field_err(v, "field") || field_err(v, "kind") ||
                (f->field && *f->field) || (f->kind && *f->kind) ||
                (status && f->status && *f->status && strcmp(f->status, "recognized"));
    hf(r, "<details%R><summary>%t</summary><div class=\"grid\">", more ? " open" : "", N_("More filters"));
    const char *herr = field_err(v, "hierarchy");
    hf(r, "<div class=\"field%R\"><label for=\"f-hierarchy\">%t</label>", herr ? " invalid" : "", N_("Hierarchy"));
    if (herr)
        hf(r, "<p class=\"msg\" role=\"alert\">%t</p>", herr);
    hf(r, "<select id=\"f-hierarchy\" name=\"hierarchy\"><option value=\"2025\">%t</option>"
          "<option value=\"2024\"%R>%t</option></select></div>",
       N_("2025 (in force)"), f->hierarchy == 2024 ? " selected" : "", N_("2024 (before the merger)"));
    if (status) {
        const char *err = field_err(v, "status");
        const char *cur = f->status && *f->status ? f->status : "recognized";
        hf(r, "<div class=\"field%R\"><label for=\"f-status\">%t</label>", err ? " invalid" : "", N_("Status"));
        if (err)
            hf(r, "<p class=\"msg\" role=\"alert\">%t</p>", err);
        hf(r, "<select id=\"f-status\" name=\"status\"><option value=\"all\"%R>%t</option>",
           strcmp(cur, "all") == 0 ? " selected" : "", N_("Every status but draft"));
        for (int i = STATUS_REGISTERED; i < STATUS_COUNT; i++)
            hf(r, "<option value=\"%s\"%R>%t</option>", model_status_names[i],
               strcmp(cur, model_status_names[i]) == 0 ? " selected" : "", model_status_labels[i]);
        hf(r, "</select></div>");
    }
    if (model) {
        select_enum_err(r, v, "field", N_("Field"), model_field_names, model_field_labels, 1, FIELD_COUNT, f->field,
                        N_("All"));
        select_enum_err(r, v, "kind", N_("Kind"), model_kind_names, model_kind_labels, 1, KIND_COUNT, f->kind,
                        N_("All"));
    }
    hf(r, "</div></details><p class=\"actions\"><button type=\"submit\">%t</button> <a href=\"/reports/%s\">%t</a></p>"
          "</form>",
       N_("Show the report"), report_names[name], N_("Clear"));
}

/* ---- tables ------------------------------------------------------------------------------ */

static bool unit_rows(const struct report_table *t)
{
    return strcmp(t->row_head, "Unit") == 0;
}

static void table_html(struct rq *r, const struct report *rep, int ti, bool print)
{
    const struct report_table *t = &rep->tables[ti];
    char label[256];
    bool unassigned = false, drill = !print && unit_rows(t);
    /* not a named landmark: the table's scrolling box below is the region with this name */
    hf(r, "<section class=\"rtable\"><h2 id=\"t-%d\"%R>%t</h2>", ti,
       rep->ntables > 1 ? "" : " class=\"sr\"", t->title);
    /* a wide table scrolls in its own box, never the page; the box takes the focus to be scrolled by keys */
    if (print)
        hf(r, "<div class=\"scroll\">");
    else
        hf(r, "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"t-%d\">", ti);
    hf(r, "<table class=\"report\"><thead><tr><th scope=\"col\">%t</th>", t->row_head);
    for (int c = 0; c < t->ncols; c++) {
        report_col_label(&t->cols[c], r->lang, label, sizeof label);
        hf(r, "<th scope=\"col\" class=\"num\">%s</th>", label);
    }
    hf(r, "</tr></thead><tbody>");
    for (int i = 0; i < t->nrows; i++) {
        const struct report_line *l = &t->rows[i];
        report_row_label(l, r->lang, label, sizeof label);
        hf(r, "<tr%R><th scope=\"row\">", l->type == ROW_TOTAL ? " class=\"total\"" : l->type == ROW_UNASSIGNED ? " class=\"unassigned\"" : "");
        if (drill && l->type == ROW_ITEM && strcmp(l->key, rep->unit) != 0 && may_open(r, rep->hierarchy, l->key)) {
            /* a unit's name opens the same report for that unit */
            struct buf q = BUF_INIT;
            report_query_string(&q, rep, l->key);
            hf(r, "<a href=\"/reports/%s?%s\">%s</a>", report_names[rep->name], q.p, label);
            buf_free(&q);
        } else {
            hf(r, "%s", label);
        }
        if (l->type == ROW_UNASSIGNED) {
            unassigned = true;
            hf(r, " <span aria-hidden=\"true\">*</span>");
        }
        hf(r, "</th>");
        /* every cell is a number (right-aligned by the stylesheet): no class, the pages of large provinces stay small */
        for (int c = 0; c < t->ncols; c++) {
            if (report_cell_empty(t, l, c))
                hf(r, "<td>–</td>"); /* a mean of no value */
            else
                hf(r, "<td>%N</td>", l->v[c]);
        }
        hf(r, "</tr>");
    }
    hf(r, "</tbody></table></div>");
    if (unassigned)
        hf(r, "<p class=\"note\"><span aria-hidden=\"true\">* </span>%t</p>",
           rep->hierarchy == 2025 ? N_("Models in communes that the 2025 merger split: their new commune has not been chosen yet.")
                                  : N_("Models that lie under none of the units listed."));
    struct svg_opts o = {.id = NULL, .title = NULL, .top = 0};
    char id[24], title[256];
    snprintf(id, sizeof id, "chart-%d", ti);
    o.id = id;
    if (unit_rows(t) && t->nrows - (t->has_total ? 1 : 0) > CHART_TOP) {
        /* TRANSLATORS: the number is CHART_TOP in page_reports.c */
        snprintf(title, sizeof title, "%s %s", T(r->lang, t->title), T(r->lang, "(the 20 largest)"));
        o.title = title;
        o.top = CHART_TOP;
    }
    struct buf svg = BUF_INIT;
    if (report_table_svg(&svg, t, r->lang, &o)) /* escaped by report_svg.c */
        hf(r, "<figure class=\"chart\">%R</figure>", svg.p);
    buf_free(&svg);
    hf(r, "</section>");
}

/* ---- the page -------------------------------------------------------------------------- */

/* "Tỉnh Phú Thọ · Reporting period 01/01/2025 – 31/12/2025" and the conditions under it. */
static void heading_lines(struct rq *r, const struct report *rep)
{
    hf(r, "<p class=\"period\"><strong>%s</strong> · %t: %D – %D</p>", rep->unit[0] ? rep->unit_name : T(r->lang, "The whole country"),
       N_("Reporting period"), rep->from, rep->to);
    hf(r, "<p class=\"conds\">%t %d", N_("Units as of"), rep->hierarchy);
    if (rep->name != REPORT_COMMENDATION && rep->name != REPORT_TIMESERIES)
        hf(r, " · %t: %t", N_("Status"), rep->status ? model_status_labels[rep->status] : N_("Every status but draft"));
    if (rep->field)
        hf(r, " · %t: %t", N_("Field"), model_field_labels[rep->field]);
    if (rep->kind)
        hf(r, " · %t: %t", N_("Kind"), model_kind_labels[rep->kind]);
    hf(r, "</p>");
    if (rep->limited)
        hf(r, "<p class=\"notice\">%t</p>",
           N_("Only the models of your own area are counted: in these units it is part of a larger one."));
}

static void downloads(struct rq *r, const struct report *rep, const char *q)
{
    const char *n = report_names[rep->name];
    hf(r, "<ul class=\"downloads\" aria-label=\"%t\">"
          "<li><a class=\"button secondary\" href=\"/reports/%s?%s&amp;print=1\">%t</a></li>"
          "<li><a href=\"/api/v1/reports/%s?%s&amp;format=csv\" download>%t</a></li>"
          "<li><a href=\"/api/v1/reports/%s?%s&amp;format=xlsx\" download>%t</a></li>"
          "<li><a href=\"/api/v1/reports/%s?%s\">%t</a></li></ul>",
       N_("Print and download"), n, q, N_("Print"), n, q, N_("Download CSV"), n, q, N_("Download Excel"), n, q,
       N_("JSON data"));
}

static int print_layout(struct rq *r, const struct report *rep, const char *q)
{
    r->content_type = "text/html; charset=utf-8";
    hf(r, "<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>%t · %t</title>"
          "<link rel=\"stylesheet\" href=\"/static/%s\"><script src=\"/static/%s\" defer></script></head>"
          "<body class=\"doc\"><main id=\"main\" class=\"a4\">",
       lang_codes[r->lang], report_titles[rep->name], N_("Print"), asset_name("app.css"), asset_name("app.js"));
    hf(r, "<p class=\"noprint\"><a href=\"/reports/%s?%s\">← %t</a> <button type=\"button\" data-print>%t</button></p>",
       report_names[rep->name], q, N_("Back to the report"), N_("Print"));
    /* the heading block of the report files (report_heading.c): the unit's stored heading,
     * else the one inferred from its name; the number is written when it is registered */
    struct report_heading h;
    if (report_heading_of(r->st, rep->hierarchy, rep->unit, &h, NULL) != SVC_OK)
        memset(&h, 0, sizeof h);
    char today[11], num[200], datel[300];
    date_today(today);
    report_number_line(&h, r->lang, "……", num, sizeof num);
    report_date_line(r->lang, h.place[0] ? h.place : "……………", today, datel, sizeof datel);
    bool state = h.style == HEADING_STATE;
    hf(r, "<header class=\"party\"><div class=\"issuer\"><p>%s</p><p class=\"b\">%s</p><p>%s</p><p>%s</p></div>",
       h.superior, h.body, state ? "" : "*", num);
    if (state)
        hf(r, "<div class=\"motto\"><p class=\"b\">%t</p><p class=\"b\">%t</p><p class=\"i\">%s",
           N_("SOCIALIST REPUBLIC OF VIETNAM"), N_("Independence - Freedom - Happiness"), datel);
    else
        hf(r, "<div class=\"motto\"><p class=\"b\">%t</p><p class=\"i\">%s", N_("COMMUNIST PARTY OF VIETNAM"), datel);
    hf(r, "</p></div></header><h1 class=\"doctype\">%t<span>%t</span></h1>", N_("REPORT"), report_titles[rep->name]);
    hf(r, "<p class=\"rule\" aria-hidden=\"true\">-----</p>");
    heading_lines(r, rep);
    for (int i = 0; i < rep->ntables; i++)
        table_html(r, rep, i, true);
    hf(r, "<p class=\"small\">%t %D.</p></main></body></html>", N_("Made with dvk on"), today);
    return 200;
}

int page_report(struct rq *r)
{
    int name = report_index(r->params[0]);
    if (name < 0)
        return page_error(r, 404, N_("No such report."));
    struct report_query q;
    report_query_read(r, &q);
    int hierarchy = report_hierarchy_param(r);
    char moved[32];
    q.unit = report_unit_param(r, hierarchy, moved);
    struct report rep;
    struct verrs v = {0};
    int rc = svc_report(r->st, &r->actor, report_names[name], &q, &rep, &v);
    if (rc == SVC_FORBIDDEN)
        return page_error(r, 403, N_("This unit is outside the area you work in."));
    if (rc && rc != SVC_INVALID)
        return page_error(r, 500, N_("The report could not be computed."));
    struct buf params = BUF_INIT;
    if (rc == SVC_OK)
        report_query_string(&params, &rep, NULL);
    const char *print = rq_query(r, "print");
    if (rc == SVC_OK && print && strcmp(print, "1") == 0) {
        int status = print_layout(r, &rep, params.p);
        buf_free(&params);
        report_free(&rep);
        return status;
    }
    page_begin(r, report_titles[name], NULL);
    hf(r, "<p class=\"crumbs\"><a href=\"/reports\">%t</a> ›</p><h1>%t</h1>", N_("Reports"), report_titles[name]);
    struct form_values f = {.hierarchy = hierarchy, .unit = q.unit, .from = q.from, .to = q.to, .status = q.status,
                            .field = q.field, .kind = q.kind};
    if (rc == SVC_OK) {
        f.hierarchy = rep.hierarchy;
        f.unit = rep.unit;
        f.from = rep.from;
        f.to = rep.to;
        f.status = rep.status ? model_status_names[rep.status] : "all";
        f.field = rep.field ? model_field_names[rep.field] : NULL;
        f.kind = rep.kind ? model_kind_names[rep.kind] : NULL;
    } else if (field_err(&v, "unit")) {
        f.unit = NULL;
    }
    if (rc == SVC_INVALID)
        hf(r, "<p class=\"error\" role=\"alert\">%t</p>", N_("Some values are not valid. Each is marked below."));
    filter_form(r, name, &f, &v);
    if (rc == SVC_INVALID) {
        buf_free(&params);
        return page_end(r, 400);
    }
    heading_lines(r, &rep);
    downloads(r, &rep, params.p);
    for (int i = 0; i < rep.ntables; i++)
        table_html(r, &rep, i, false);
    buf_free(&params);
    report_free(&rep);
    return page_end(r, 200);
}

int page_reports(struct rq *r)
{
    page_begin(r, N_("Reports"), NULL);
    hf(r, "<h1>%t</h1><p>%t</p><ul class=\"cards reports\">", N_("Reports"),
       N_("Each report counts the models of your area for a period; choose the unit, the period and the filters on its page. Every report prints on A4 and downloads as CSV or Excel."));
    for (int i = 0; i < REPORT_COUNT; i++)
        hf(r, "<li><h2><a href=\"/reports/%s\">%t</a></h2><p>%t</p></li>", report_names[i], report_titles[i],
           report_blurbs[i]);
    hf(r, "</ul><p><a href=\"/dashboard\">%t →</a></p>", N_("Dashboard"));
    return page_end(r, 200);
}
