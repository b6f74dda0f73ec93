/* page_dashboard.c: the dashboard of the reader's area (GET /dashboard, the signed-in home):
 * tiles with a year's key figures and four charts, each a link to the report page behind it
 * with the same unit, period and hierarchy. Everything comes from svc_report, so a tile and
 * its report cannot disagree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/handlers.h"
#include "http/i18n.h"
#include "service/report_service.h"
#include "service/report_svg.h"
#include "util/date.h"

/* "All years" starts here: the movement's oldest models on record are from the 2000s. */
#define FIRST_YEAR 1990
/* The year selector goes back this far; older years are reached through the reports. */
#define YEARS_LISTED 25
#define YEARS_CHARTED 10
#define TOP_UNITS 10

enum { D_ALL, D_RECOGNIZED, D_UNITS, D_YEARS, D_RESULTS, D_REPLICATION, D_COUNT };

struct dash {
    struct report rep[D_COUNT];
    bool done[D_COUNT];
};

static void dash_free(struct dash *d)
{
    for (int i = 0; i < D_COUNT; i++)
        if (d->done[i])
            report_free(&d->rep[i]);
}

/* The value of row `row` in column `col` of a report's first table (0 when absent). */
static double figure(const struct report *rep, const char *row, const char *col)
{
    if (rep->ntables == 0)
        return 0;
    const struct report_table *t = &rep->tables[0];
    for (int i = 0; i < t->nrows; i++) {
        if (row ? strcmp(t->rows[i].key, row) != 0 : t->rows[i].type != ROW_TOTAL)
            continue;
        for (int c = 0; c < t->ncols; c++)
            if (strcmp(t->cols[c].key, col) == 0)
                return t->rows[i].v[c];
    }
    return 0;
}

static void report_href(struct buf *b, const struct report *rep)
{
    buf_printf(b, "/reports/%s?", report_names[rep->name]);
    report_query_string(b, rep, NULL);
}

/* One tile: the figure (data-figure names it for tests and scripts), what it counts, and
 * a note under it; the whole tile is the link to the report. */
static void tile(struct rq *r, const struct report *rep, const char *key, double v, const char *suffix,
                 const char *label, const char *note)
{
    struct buf href = BUF_INIT;
    report_href(&href, rep);
    hf(r, "<li><a class=\"tile\" href=\"%s\"><span class=\"tile-n\" data-figure=\"%s\">%N%s</span>"
          "<span class=\"tile-l\">%s</span>",
       href.p, key, v, suffix, label);
    if (note)
        hf(r, "<span class=\"tile-s\">%s</span>", note);
    hf(r, "</a></li>");
    buf_free(&href);
}

/* A chart in its card: the heading links to the report behind it. */
static void chart_card(struct rq *r, const struct report *rep, const struct report_table *t, const char *id,
                       const char *title, int top)
{
    struct buf href = BUF_INIT, svg = BUF_INIT;
    report_href(&href, rep);
    struct svg_opts o = {.id = id, .title = title, .top = top};
    hf(r, "<section class=\"card\" aria-labelledby=\"%s-h\"><h2 id=\"%s-h\"><a href=\"%s\">%s</a></h2>", id, id, href.p,
       title);
    if (report_table_svg(&svg, t, r->lang, &o)) /* escaped by report_svg.c */
        hf(r, "<figure class=\"chart\">%R</figure>", svg.p);
    else
        hf(r, "<p class=\"empty\">%t</p>", N_("Nothing to show for this period."));
    hf(r, "<p class=\"more\"><a href=\"%s\" aria-label=\"%t: %s\">%t →</a></p></section>", href.p,
       N_("Open the report"), title, N_("Open the report"));
    buf_free(&href);
    buf_free(&svg);
}

static void year_form(struct rq *r, int hierarchy, const char *unit, const char *year, int this_year,
                      const struct verrs *v)
{
    const char *uerr = NULL, *yerr = NULL;
    for (int i = 0; i < v->n; i++) {
        if (strcmp(v->e[i].field, "unit") == 0)
            uerr = v->e[i].msg;
        if (strcmp(v->e[i].field, "year") == 0)
            yerr = v->e[i].msg;
    }
    hf(r, "<form class=\"filters dash-filters\" method=\"get\" action=\"/dashboard\"><div class=\"grid\">");
    report_unit_select(r, hierarchy, uerr ? NULL : unit, uerr);
    hf(r, "<div class=\"field%R\"><label for=\"f-year\">%t</label>", yerr ? " invalid" : "", N_("Year"));
    if (yerr)
        hf(r, "<p class=\"msg\" id=\"e-year\" role=\"alert\">%t</p>", yerr);
    hf(r, "<select id=\"f-year\" name=\"year\"%R><option value=\"all\"%R>%t</option>",
       yerr ? " aria-invalid=\"true\" aria-describedby=\"e-year\"" : "",
       year && strcmp(year, "all") == 0 ? " selected" : "", N_("All years"));
    for (int y = this_year; y > this_year - YEARS_LISTED; y--) {
        char ys[8];
        snprintf(ys, sizeof ys, "%d", y);
        bool sel = year && *year ? strcmp(year, ys) == 0 : y == this_year;
        hf(r, "<option value=\"%d\"%R>%d</option>", y, sel ? " selected" : "", y);
    }
    hf(r, "</select></div><div class=\"field\"><label for=\"f-hierarchy\">%t</label><select id=\"f-hierarchy\" "
          "name=\"hierarchy\"><option value=\"2025\">%t</option><option value=\"2024\"%R>%t</option></select></div>"
          "</div><p class=\"actions\"><button type=\"submit\">%t</button></p></form>",
       N_("Hierarchy"), N_("2025 (in force)"), hierarchy == 2024 ? " selected" : "", N_("2024 (before the merger)"),
       N_("Show"));
}

int page_dashboard(struct rq *r)
{
    int hierarchy = report_hierarchy_param(r);
    char moved[32], hs[8], from[24], to[24], today[11], yfrom[24];
    const char *unit = report_unit_param(r, hierarchy, moved);
    const char *year = rq_query(r, "year");
    date_today(today);
    int this_year = atoi(today), y = this_year;
    bool all = year && strcmp(year, "all") == 0;
    struct verrs v = {0};
    if (year && *year && !all) {
        char *end;
        long n = strtol(year, &end, 10);
        if (*end || end - year != 4 || n < FIRST_YEAR || n > this_year)
            verrs_add(&v, "year", "Choose a year from the list.");
        else
            y = (int)n;
    }
    snprintf(hs, sizeof hs, "%d", hierarchy);
    snprintf(from, sizeof from, "%d-01-01", all ? FIRST_YEAR : y);
    snprintf(to, sizeof to, "%d-12-31", y);
    snprintf(yfrom, sizeof yfrom, "%d-01-01", y - YEARS_CHARTED + 1);

    static const struct {
        int report;
        const char *status;
        bool years;
    } asks[D_COUNT] = {
        [D_ALL] = {REPORT_SUMMARY, "all", false},   [D_RECOGNIZED] = {REPORT_SUMMARY, "recognized", false},
        [D_UNITS] = {REPORT_BY_UNIT, "all", false}, [D_YEARS] = {REPORT_TIMESERIES, "all", true},
        [D_RESULTS] = {REPORT_RESULTS, "all", false}, [D_REPLICATION] = {REPORT_REPLICATION, "all", false},
    };
    struct dash d;
    memset(&d, 0, sizeof d);
    int rc = v.n ? SVC_INVALID : SVC_OK;
    for (int i = 0; i < D_COUNT && rc == SVC_OK; i++) {
        struct report_query q = {.unit = unit, .from = asks[i].years ? yfrom : from, .to = to, .hierarchy = hs,
                                 .status = asks[i].status};
        rc = svc_report(r->st, &r->actor, report_names[asks[i].report], &q, &d.rep[i], &v);
        d.done[i] = rc == SVC_OK;
    }
    if (rc == SVC_FORBIDDEN) {
        dash_free(&d);
        return page_error(r, 403, N_("This unit is outside the area you work in."));
    }
    if (rc && rc != SVC_INVALID) {
        dash_free(&d);
        return page_error(r, 500, N_("The report could not be computed."));
    }
    page_begin(r, N_("Dashboard"), NULL);
    hf(r, "<h1>%t</h1>", N_("Dashboard"));
    if (rc == SVC_INVALID) {
        hf(r, "<p class=\"error\" role=\"alert\">%t</p>", N_("Some values are not valid. Each is marked below."));
        year_form(r, hierarchy, unit, year, this_year, &v);
        return page_end(r, 400);
    }
    const struct report *a = &d.rep[D_ALL], *rec = &d.rep[D_RECOGNIZED], *res = &d.rep[D_RESULTS],
                        *rep = &d.rep[D_REPLICATION];
    hf(r, "<p class=\"period\"><strong>%s</strong> · ", a->unit[0] ? a->unit_name : T(r->lang, "The whole country"));
    if (all)
        hf(r, "%t (%d–%d)</p>", N_("All years"), FIRST_YEAR, y);
    else
        hf(r, "%t %d</p>", N_("Year"), y);
    year_form(r, hierarchy, a->unit, all ? "all" : year, this_year, &v);
    if (a->limited)
        hf(r, "<p class=\"notice\">%t</p>",
           N_("Only the models of your own area are counted: in these units it is part of a larger one."));

    char label[160], note[160];
    hf(r, "<ul class=\"tiles\">");
    tile(r, a, "models", (double)a->total, "", T(r->lang, "Models"), T(r->lang, "registered, every status but draft"));
    tile(r, rec, "recognized", (double)rec->total, "", T(r->lang, "Recognized"), NULL);
    tile(r, rec, "typical", (double)rec->typical, "", T(r->lang, "Typical"), T(r->lang, "among the recognized"));
    double units = figure(rep, NULL, "units"), reached = figure(rep, NULL, "reached");
    char nu[32], nr[32];
    fmt_number(r->lang, reached, nr, sizeof nr);
    fmt_number(r->lang, units, nu, sizeof nu);
    bool villages = strcmp(rep->tables[0].cols[0].label, "Villages") == 0;
    snprintf(note, sizeof note, "%s/%s %s", nr, nu, T(r->lang, villages ? N_("villages reached") : N_("communes reached")));
    tile(r, rep, "coverage", figure(rep, NULL, "coverage"), "%", T(r->lang, "Replication coverage"), note);
    tile(r, a, "collective", (double)a->by_kind[KIND_COLLECTIVE], "", T(r->lang, model_kind_labels[KIND_COLLECTIVE]),
         NULL);
    tile(r, a, "individual", (double)a->by_kind[KIND_INDIVIDUAL], "", T(r->lang, model_kind_labels[KIND_INDIVIDUAL]),
         NULL);
    /* the results that the seed articles quote most */
    static const char *const key_results[] = {"households", "land_m2", "money_vnd"};
    for (size_t i = 0; i < sizeof key_results / sizeof key_results[0]; i++) {
        const struct report_table *t = &res->tables[0];
        for (int k = 0; k < t->nrows; k++)
            if (strcmp(t->rows[k].key, key_results[i]) == 0) {
                report_row_label(&t->rows[k], r->lang, label, sizeof label);
                tile(r, res, key_results[i], figure(res, key_results[i], "total"), "", label, NULL);
            }
    }
    hf(r, "</ul><p class=\"small\">%t</p>",
       N_("Models registered in the period. \"Recognized\" and \"Typical\" count those recognized now; results are those recorded for the years of the period."));

    hf(r, "<div class=\"cards-grid\">");
    chart_card(r, a, &a->tables[0], "ch-field", T(r->lang, "Models by field"), 0);
    /* by kind: the two totals of the summary, as a table of two rows */
    struct report_line kinds[2];
    struct report_table kt;
    memset(&kt, 0, sizeof kt);
    memset(kinds, 0, sizeof kinds);
    kt.title = N_("Models by kind");
    kt.row_head = N_("Kind");
    kt.ncols = 1;
    snprintf(kt.cols[0].key, sizeof kt.cols[0].key, "total");
    snprintf(kt.cols[0].label, sizeof kt.cols[0].label, "%s", N_("Models"));
    kt.cols[0].type = COL_COUNT;
    kt.chart_cols[0] = 0;
    kt.chart_cols[1] = -1;
    for (int k = 0; k < 2; k++) {
        int kind = k ? KIND_INDIVIDUAL : KIND_COLLECTIVE;
        snprintf(kinds[k].key, sizeof kinds[k].key, "%s", model_kind_names[kind]);
        snprintf(kinds[k].name, sizeof kinds[k].name, "%s", model_kind_labels[kind]);
        kinds[k].translate = true;
        kinds[k].v[0] = (double)a->by_kind[kind];
    }
    kt.rows = kinds;
    kt.nrows = 2;
    chart_card(r, a, &kt, "ch-kind", T(r->lang, "Models by kind"), 0);
    chart_card(r, &d.rep[D_YEARS], &d.rep[D_YEARS].tables[0], "ch-year", T(r->lang, "Models by year"), 0);
    chart_card(r, &d.rep[D_UNITS], &d.rep[D_UNITS].tables[0], "ch-units", T(r->lang, "Units with the most models"),
               TOP_UNITS);
    hf(r, "</div><p><a href=\"/reports\">%t →</a></p>", N_("All reports"));
    dash_free(&d);
    return page_end(r, 200);
}
