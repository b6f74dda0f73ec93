/* page_models.c: the model list, the model page and the registration/edit form
 * with its unit picker (type-ahead with JS, drill-down and search without). */
#include <inttypes.h>
#include <stdio.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "http/handlers.h"
#include "http/i18n.h"
#include "util/date.h"
#include "util/text.h"

/* ---- the list -------------------------------------------------------------------- */

/* Code points of the summary excerpt under a title found by a search. */
#define SNIPPET_CHARS 160

static void select_enum(struct rq *r, const char *name, const char *label, const char *const *names,
                        const char *const *labels, int count, const char *current, bool any)
{
    hf(r, "<label for=\"f-%s\">%t</label><select id=\"f-%s\" name=\"%s\">", name, label, name, name);
    if (any)
        hf(r, "<option value=\"\">%t</option>", N_("All"));
    else
        hf(r, "<option value=\"\">%t</option>", N_("Choose…"));
    for (int i = 1; i < count; i++)
        hf(r, "<option value=\"%s\"%R>%t</option>", names[i], current && strcmp(current, names[i]) == 0 ? " selected" : "",
           labels[i]);
    hf(r, "</select>");
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

/* Same query with cursor replaced: for the "next page" link. */
static void list_link(struct rq *r, const char *cursor)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "/models?");
    for (int i = 0; i < r->nquery; i++) {
        if (strcmp(r->query[i].key, "cursor") == 0 || strcmp(r->query[i].key, "lang") == 0 || !*r->query[i].val)
            continue;
        url_escape(&b, r->query[i].key);
        buf_putc(&b, '=');
        url_escape(&b, r->query[i].val);
        buf_putc(&b, '&');
    }
    buf_puts(&b, "cursor=");
    url_escape(&b, cursor);
    hf(r, "<p class=\"pager\"><a rel=\"next\" href=\"%s\">%t →</a></p>", b.p, N_("Next page"));
    buf_free(&b);
}

int page_models_list(struct rq *r)
{
    struct model_query q = {0};
    model_query_from(r, &q);
    struct model_page page;
    struct verrs v = {0};
    char next[NEXT_CURSOR_MAX];
    int rc = svc_model_list(r->st, &r->actor, &q, &page, next, &v);
    if (rc == SVC_FORBIDDEN)
        return page_error(r, 403, N_("Your role or unit does not allow this."));
    if (rc && rc != SVC_INVALID)
        return page_error(r, 500, N_("Something went wrong; nothing was changed."));
    page_begin(r, N_("Models"), NULL);
    hf(r, "<h1>%t</h1>", N_("Models"));
    hf(r, "<form class=\"filters\" method=\"get\" action=\"/models\" role=\"search\">"
          "<div class=\"row\"><label for=\"f-q\">%t</label><input id=\"f-q\" type=\"search\" name=\"q\" value=\"%s\" "
          "placeholder=\"%t\"></div><details%R><summary>%t</summary><div class=\"row grid\">",
       N_("Search"), nz(q.q), N_("Name, owner, place, tag… (diacritics optional)"),
       (q.field && *q.field) || (q.kind && *q.kind) || (q.status && *q.status) || (q.typical && *q.typical) ||
               (q.unit && *q.unit) || (q.from && *q.from) || (q.to && *q.to)
           ? " open"
           : "",
       N_("More filters"));
    select_enum(r, "field", N_("Field"), model_field_names, model_field_labels, FIELD_COUNT, q.field, true);
    select_enum(r, "kind", N_("Kind"), model_kind_names, model_kind_labels, KIND_COUNT, q.kind, true);
    select_enum(r, "status", N_("Status"), model_status_names, model_status_labels, STATUS_COUNT, q.status, true);
    hf(r, "<label for=\"f-typical\">%t</label><select id=\"f-typical\" name=\"typical\"><option value=\"\">%t</option>"
          "<option value=\"true\"%R>%t</option><option value=\"false\"%R>%t</option></select>",
       N_("Typical"), N_("All"), q.typical && strcmp(q.typical, "true") == 0 ? " selected" : "", N_("Typical only"),
       q.typical && strcmp(q.typical, "false") == 0 ? " selected" : "", N_("Not typical"));
    hf(r, "<label for=\"f-unit\">%t</label><input id=\"f-unit\" name=\"unit\" value=\"%s\" inputmode=\"numeric\" "
          "placeholder=\"%t\">",
       N_("Unit code"), nz(q.unit), N_("e.g. 48"));
    hf(r, "<label for=\"f-hierarchy\">%t</label><select id=\"f-hierarchy\" name=\"hierarchy\">"
          "<option value=\"2025\">%t</option><option value=\"2024\"%R>%t</option></select>",
       N_("Hierarchy"), N_("2025 (in force)"), q.hierarchy && strcmp(q.hierarchy, "2024") == 0 ? " selected" : "",
       N_("2024 (before the merger)"));
    hf(r, "<label for=\"f-from\">%t</label><input id=\"f-from\" name=\"from\" inputmode=\"numeric\" "
          "placeholder=\"%t\" value=\"%s\">"
          "<label for=\"f-to\">%t</label><input id=\"f-to\" name=\"to\" inputmode=\"numeric\" placeholder=\"%t\" "
          "value=\"%s\">",
       N_("Registered from"), N_("dd/mm/yyyy"), nz(q.from), N_("Registered until"), N_("dd/mm/yyyy"), nz(q.to));
    static const char *const sorts[][2] = {{"-registered_on", N_("Newest first")}, {"registered_on", N_("Oldest first")},
                                           {"title", N_("By name (A to Z)")}, {"code", N_("By code")}};
    hf(r, "<label for=\"f-sort\">%t</label><select id=\"f-sort\" name=\"sort\">", N_("Order"));
    for (size_t i = 0; i < sizeof sorts / sizeof sorts[0]; i++)
        hf(r, "<option value=\"%s\"%R>%t</option>", sorts[i][0],
           q.sort && strcmp(q.sort, sorts[i][0]) == 0 ? " selected" : "", sorts[i][1]);
    hf(r, "</select>");
    hf(r, "</div></details><button type=\"submit\">%t</button> <a href=\"/models\">%t</a></form>", N_("Filter"), N_("Clear"));
    if (rc == SVC_INVALID) {
        hf(r, "<p class=\"error\" role=\"alert\">%t: %s</p>", v.e[0].msg, v.e[0].field);
        return page_end(r, 400);
    }
    if (page.total_capped)
        hf(r, "<p class=\"count\" aria-live=\"polite\">%t: <strong>%t %N</strong></p>", N_("Models found"),
           N_("more than"), (double)page.total);
    else
        hf(r, "<p class=\"count\" aria-live=\"polite\">%t: <strong>%N</strong></p>", N_("Models found"),
           (double)page.total);
    /* the words searched for are marked in titles and in an excerpt of the summary */
    char *qf = q.q && *q.q ? text_fold(q.q) : NULL;
    if (page.n == 0) {
        hf(r, "<p class=\"empty\">%t <a href=\"/models/new\">%t</a></p>", N_("No model matches."),
           N_("Register a model"));
    } else {
        /* committee staff select or reject many registrations at once */
        bool bulk = r->actor.role == ROLE_STAFF || r->actor.role == ROLE_ADMIN;
        if (bulk) {
            hf(r, "<form method=\"post\" action=\"/models/bulk\" class=\"bulk\">");
            csrf_field(r);
            struct buf back = BUF_INIT;
            buf_puts(&back, r->path);
            /* after the step the list comes back with the same filters */
            for (int i = 0; i < r->nquery; i++) {
                buf_putc(&back, i ? '&' : '?');
                url_escape(&back, r->query[i].key);
                buf_putc(&back, '=');
                url_escape(&back, r->query[i].val);
            }
            hf(r, "<input type=\"hidden\" name=\"back\" value=\"%s\">", back.p);
            buf_free(&back);
        }
        hf(r, "<table class=\"list\"><thead><tr>%R<th scope=\"col\">%t</th><th scope=\"col\">%t</th><th scope=\"col\">%t</th>"
              "<th scope=\"col\">%t</th><th scope=\"col\">%t</th><th scope=\"col\">%t</th></tr></thead><tbody>",
           bulk ? "<th scope=\"col\"><span class=\"sr\">✓</span></th>" : "", N_("Model"), N_("Field"), N_("Kind"),
           N_("Unit"), N_("Registered"), N_("Status"));
        for (int i = 0; i < page.n; i++) {
            const struct model *m = &page.items[i];
            hf(r, "<tr>");
            if (bulk)
                hf(r, "<td class=\"pick\"><input type=\"checkbox\" name=\"id\" value=\"%I\" id=\"pick-%I\" "
                      "aria-label=\"%t %s\"></td>",
                   m->id, m->id, N_("Choose"), m->code);
            hf(r, "<td data-label=\"%t\"><a href=\"/models/%I\">%M</a> <small class=\"code\">%s</small>",
               N_("Model"), m->id, m->title, qf, m->code);
            if (m->typical)
                hf(r, " <span class=\"badge\">%t</span>", N_("Typical"));
            if (qf && *qf && m->summary) {
                char *snip = text_snippet(m->summary, qf, SNIPPET_CHARS);
                hf(r, "<br><small class=\"snippet\">%M</small>", snip, qf);
                free(snip);
            }
            hf(r, "</td><td data-label=\"%t\">%t</td><td data-label=\"%t\">%t</td><td data-label=\"%t\">%s</td>"
                  "<td data-label=\"%t\">%D</td><td data-label=\"%t\">%t</td></tr>",
               N_("Field"), model_field_labels[m->field], N_("Kind"), model_kind_labels[m->kind], N_("Unit"),
               nz(m->unit_name), N_("Registered"), m->registered_on, N_("Status"), model_status_labels[m->status]);
        }
        hf(r, "</tbody></table>");
        if (bulk) {
            hf(r, "<fieldset class=\"bulk-actions\"><legend>%t</legend><label for=\"b-to\">%t</label>"
                  "<select id=\"b-to\" name=\"to\"><option value=\"selected\">%t</option><option value=\"rejected\">%t</option>"
                  "</select><label for=\"b-no\">%t *</label><input id=\"b-no\" name=\"decision_no\" placeholder=\"%t\">"
                  "<label for=\"b-date\">%t *</label><input id=\"b-date\" name=\"decision_date\" inputmode=\"numeric\" "
                  "placeholder=\"%t\"><label for=\"b-comment\">%t</label><textarea id=\"b-comment\" name=\"comment\" "
                  "rows=\"2\"></textarea><p class=\"help\">%t</p><button type=\"submit\">%t</button></fieldset></form>",
               N_("With the chosen models"), N_("Step"), N_("Select"), N_("Reject"), N_("Decision No."),
               N_("e.g. 12-QĐ/BDVTU"), N_("Decision date"), N_("dd/mm/yyyy"), N_("Reason or comment"),
               N_("All or nothing: if one chosen model cannot take the step, none is changed."), N_("Apply"));
        }
        if (next[0])
            list_link(r, next);
    }
    free(qf);
    model_page_free(&page);
    return page_end(r, 200);
}

/* ---- one model ----------------------------------------------------------------------- */

static void dd_text(struct rq *r, const char *label, const char *value)
{
    if (value && *value)
        hf(r, "<dt>%t</dt><dd class=\"pre\">%s</dd>", label, value);
}

/* A model of a 2024 commune that was split in 2025: its new commune, or the choice of it. */
static void split_commune(struct rq *r, const struct model *m)
{
    struct unit_list opts;
    if (svc_split_options(r->st, m, &opts) != SVC_OK || opts.n == 0)
        return;
    hf(r, "<dt>%t</dt><dd>", N_("Commune after the 2025 merger"));
    const char *chosen = NULL;
    for (int i = 0; i < opts.n; i++)
        if (strcmp(opts.items[i].code, m->place.c25) == 0)
            chosen = opts.items[i].name;
    if (chosen)
        hf(r, "%s ", chosen);
    else
        hf(r, "<span class=\"warn\">%t</span> ",
           N_("Not chosen yet: the old commune was split, so reports show this model as not assigned."));
    if (authz_model_edit(&r->actor, m)) {
        hf(r, "<form method=\"post\" action=\"/models/%I/commune-2025\" class=\"inline\">", m->id);
        csrf_field(r);
        hf(r, "<input type=\"hidden\" name=\"version\" value=\"%d\"><label for=\"i-commune25\">%t</label> "
              "<select id=\"i-commune25\" name=\"commune_2025\">",
           m->version, N_("New commune"));
        for (int i = 0; i < opts.n; i++)
            hf(r, "<option value=\"%s\"%R>%s</option>", opts.items[i].code,
               strcmp(opts.items[i].code, m->place.c25) == 0 ? " selected" : "", opts.items[i].name);
        hf(r, "</select> <button type=\"submit\">%t</button></form>", N_("Save"));
    }
    hf(r, "</dd>");
    unit_list_free(&opts);
}

/* ---- the one-page profile (?print=1) ----------------------------------------------------
 * A model on one A4 page, for a commendation file or a notice board: the facts, the
 * summary, why it is typical, the heart of the registration and the latest year's results.
 * Long texts are cut by lines in the print CSS (.profile .clip), so the page stays one page
 * whatever was typed; the full record is the model's page. */
static void profile_text(struct rq *r, const char *label, const char *text)
{
    if (text && *text)
        hf(r, "<h2>%t</h2><p class=\"clip pre\">%s</p>", label, text);
}

static int model_profile(struct rq *r, const struct model *m)
{
    r->content_type = "text/html; charset=utf-8";
    hf(r, "<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>%s · %t</title>"
          "<link rel=\"stylesheet\" href=\"/static/%s\"><script src=\"/static/%s\" defer></script></head>"
          "<body class=\"doc\"><main id=\"main\" class=\"a4 profile\">",
       lang_codes[r->lang], m->title, N_("Model profile"), asset_name("app.css"), asset_name("app.js"));
    hf(r, "<p class=\"noprint\"><a href=\"/models/%I\">← %t</a> <button type=\"button\" data-print>%t</button></p>", m->id,
       N_("Back to the model"), N_("Print"));
    hf(r, "<p class=\"movement\">%t</p><h1 class=\"doctype\">%t<span>%s</span></h1>",
       N_("The \"Skillful Mass Mobilization\" emulation movement"), N_("MODEL PROFILE"), m->title);
    hf(r, "<p class=\"rule\" aria-hidden=\"true\">-----</p>");
    hf(r, "<dl class=\"facts\"><dt>%t</dt><dd>%s</dd><dt>%t</dt><dd>%t", N_("Code"), m->code, N_("Status"),
       model_status_labels[m->status]);
    if (m->typical)
        hf(r, " · <strong>%t</strong>", N_("Typical"));
    hf(r, "</dd>");
    hf(r, "<dt>%t</dt><dd>%t · %t</dd>", N_("Field"), model_field_labels[m->field], model_kind_labels[m->kind]);
    hf(r, "<dt>%t</dt><dd>%s</dd>", N_("Unit"), nz(m->unit_path));
    hf(r, "<dt>%t</dt><dd>%t, %D</dd>", N_("Registered with"), reg_level_labels[m->level], m->registered_on);
    if (m->owner)
        hf(r, "<dt>%t</dt><dd>%s</dd>", N_("Owner"), m->owner);
    if (m->period_from[0] || m->period_to[0])
        hf(r, "<dt>%t</dt><dd>%D – %D</dd>", N_("Implementation period"), m->period_from, m->period_to);
    if (m->ntags) {
        hf(r, "<dt>%t</dt><dd>", N_("Linked tasks"));
        for (int i = 0; i < m->ntags; i++)
            hf(r, "%s%R", m->tags[i], i + 1 < m->ntags ? ", " : "");
        hf(r, "</dd>");
    }
    hf(r, "</dl>");
    profile_text(r, N_("Summary"), m->summary);
    if (m->typical)
        profile_text(r, N_("Why it is typical"), m->typical_reason);
    profile_text(r, N_("Content and method"), m->content);
    profile_text(r, N_("Verifiable outputs"), m->outputs);
    /* the latest year's results */
    int year = 0;
    for (int i = 0; i < m->nresults; i++)
        if (m->results[i].year > year)
            year = m->results[i].year;
    if (year) {
        struct indicator *ind = NULL;
        int n = 0;
        svc_indicators(r->st, &ind, &n);
        hf(r, "<h2>%t %d</h2><table class=\"report\"><thead><tr><th scope=\"col\">%t</th><th scope=\"col\" class=\"num\">%t</th>"
              "</tr></thead><tbody>",
           N_("Results"), year, N_("Indicator"), N_("Value"));
        for (int i = 0; i < m->nresults; i++) {
            if (m->results[i].year != year)
                continue;
            const char *name = m->results[i].indicator, *unit = "";
            for (int k = 0; k < n; k++)
                if (strcmp(ind[k].code, name) == 0)
                    name = ind[k].name, unit = ind[k].unit;
            hf(r, "<tr><th scope=\"row\">%t</th><td>%N %t</td></tr>", name, m->results[i].value, unit);
        }
        hf(r, "</tbody></table>");
        free(ind);
    }
    char today[11];
    date_today(today);
    hf(r, "<p class=\"small\">%t %D · %s</p></main></body></html>", N_("Made with dvk on"), today, m->code);
    return 200;
}

int page_model_view(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    struct model m;
    int rc = id ? svc_model_get(r->st, &r->actor, id, &m) : SVC_NOTFOUND;
    if (rc == SVC_NOTFOUND)
        return page_error(r, 404, N_("No such model."));
    if (rc)
        return page_error(r, 500, N_("Something went wrong; nothing was changed."));
    const char *print = rq_query(r, "print");
    if (print && strcmp(print, "1") == 0) {
        int status = model_profile(r, &m);
        model_free(&m);
        return status;
    }
    page_begin(r, NULL, m.title);
    hf(r, "<p class=\"crumbs\"><a href=\"/models\">%t</a> › %s</p>", N_("Models"), m.code);
    const char *again = rq_query(r, "again");
    if (again && strcmp(again, "1") == 0)
        hf(r, "<p class=\"notice\" role=\"status\">%t</p>",
           N_("This form was saved before, as this model. Nothing new was created; to change the model, edit it."));
    hf(r, "<h1>%s</h1>", m.title);
    hf(r, "<p class=\"meta\"><span class=\"status s-%s\">%t</span>", model_status_names[m.status],
       model_status_labels[m.status]);
    if (m.typical)
        hf(r, " <span class=\"badge\">%t</span>", N_("Typical"));
    if (authz_model_edit(&r->actor, &m))
        hf(r, " <a class=\"button\" href=\"/models/%I/edit\">%t</a>", m.id, N_("Edit"));
    if (m.is_public && m.typical && m.status == STATUS_RECOGNIZED)
        hf(r, " <a href=\"/public/models/%I\">%t</a>", m.id, N_("Public page"));
    hf(r, " <a class=\"print-link\" href=\"/models/%I?print=1\">%t</a>", m.id, N_("Print a one-page profile (A4)"));
    hf(r, "</p>");
    if (m.summary)
        hf(r, "<p class=\"lead\">%s</p>", m.summary);
    hf(r, "<dl class=\"facts\"><dt>%t</dt><dd>%s</dd><dt>%t</dt><dd>%t</dd><dt>%t</dt><dd>%t</dd>", N_("Code"), m.code,
       N_("Field"), model_field_labels[m.field], N_("Kind"), model_kind_labels[m.kind]);
    hf(r, "<dt>%t</dt><dd>%s <small>(%t %d)</small></dd>", N_("Unit"), nz(m.unit_path), N_("hierarchy"), m.hierarchy);
    split_commune(r, &m);
    hf(r, "<dt>%t</dt><dd>%t</dd><dt>%t</dt><dd>%D</dd>", N_("Registered with"), reg_level_labels[m.level],
       N_("Registered on"), m.registered_on);
    if (m.owner)
        hf(r, "<dt>%t</dt><dd>%s <small>(%t)</small></dd>", N_("Owner"), m.owner, owner_type_labels[m.owner_type]);
    if (m.period_from[0] || m.period_to[0])
        hf(r, "<dt>%t</dt><dd>%D – %D</dd>", N_("Implementation period"), m.period_from, m.period_to);
    if (m.ntags) {
        hf(r, "<dt>%t</dt><dd>", N_("Linked tasks"));
        for (int i = 0; i < m.ntags; i++)
            hf(r, "<a class=\"tag\" href=\"/models?q=%u\">%s</a> ", m.tags[i], m.tags[i]);
        hf(r, "</dd>");
    }
    if (m.typical && m.typical_reason)
        dd_text(r, N_("Why it is typical"), m.typical_reason);
    hf(r, "</dl>");
    hf(r, "<h2>%t</h2><dl class=\"reg\">", N_("Registration"));
    dd_text(r, N_("Current situation and why the model is needed"), m.situation);
    dd_text(r, N_("Objectives and criteria"), m.objectives);
    dd_text(r, N_("Content and method"), m.content);
    dd_text(r, N_("Area and target group"), m.area_target);
    dd_text(r, N_("Implementing forces"), m.forces);
    dd_text(r, N_("Resources"), m.resources);
    dd_text(r, N_("Verifiable outputs"), m.outputs);
    dd_text(r, N_("How it will be sustained and replicated"), m.sustainability);
    dd_text(r, N_("Description"), m.description);
    hf(r, "</dl>");
    if (m.nresults) {
        struct indicator *ind = NULL;
        int n = 0;
        svc_indicators(r->st, &ind, &n);
        hf(r, "<h2>%t</h2><table class=\"list results\"><thead><tr><th scope=\"col\">%t</th><th scope=\"col\">%t</th>"
              "<th scope=\"col\" class=\"num\">%t</th></tr></thead><tbody>",
           N_("Results"), N_("Year"), N_("Indicator"), N_("Value"));
        for (int i = 0; i < m.nresults; i++) {
            const char *name = m.results[i].indicator, *unit = "";
            for (int k = 0; k < n; k++)
                if (strcmp(ind[k].code, name) == 0)
                    name = ind[k].name, unit = ind[k].unit;
            hf(r, "<tr><td data-label=\"%t\">%d</td><td data-label=\"%t\">%t</td><td data-label=\"%t\" class=\"num\">%N %t</td></tr>",
               N_("Year"), m.results[i].year, N_("Indicator"), name, N_("Value"), m.results[i].value, unit);
        }
        hf(r, "</tbody></table>");
        free(ind);
    }
    lifecycle_sections(r, &m);
    spread_sections(r, &m);
    evidence_section(r, &m);
    char day[11], hm[6];
    date_local(m.updated_at, day, hm);
    hf(r, "<p class=\"small\">%t %d · %t %D %s</p>", N_("Version"), m.version, N_("Last changed"), day, hm);
    model_free(&m);
    return page_end(r, 200);
}

/* ---- the form ------------------------------------------------------------------------ */

struct form_state {
    const char *unit_q;       /* unit search text */
    const char *browse;       /* unit code whose children are listed; "" for the provinces; NULL: no list */
    bool searched;
    const char *notice;       /* a msgid shown above the form */
    const struct similar_list *similar; /* similar models nearby, to confirm a registration against */
};

static const char *field_error(const struct verrs *v, const char *field)
{
    for (int i = 0; v && i < v->n; i++)
        if (strcmp(v->e[i].field, field) == 0)
            return v->e[i].msg;
    return NULL;
}

/* A labelled input or textarea with its help text and, when rejected, its message. */
static void input(struct rq *r, const struct verrs *v, const char *name, const char *label, const char *help,
                  const char *value, const char *type, bool required)
{
    const char *err = field_error(v, name);
    hf(r, "<div class=\"field%R\"><label for=\"i-%s\">%t%R</label>", err ? " invalid" : "", name, label,
       required ? " <span class=\"req\" aria-hidden=\"true\">*</span>" : "");
    if (help)
        hf(r, "<p class=\"help\" id=\"h-%s\">%t</p>", name, help);
    if (err)
        hf(r, "<p class=\"msg\" id=\"e-%s\" role=\"alert\">%t</p>", name, err);
    char ids[80], described[100] = "";
    snprintf(ids, sizeof ids, "%s%s%s%s", help ? "h-" : "", help ? name : "", err ? (help ? " e-" : "e-") : "",
             err ? name : "");
    if (ids[0]) /* ids are made of field names: no escaping needed */
        snprintf(described, sizeof described, " aria-describedby=\"%s\"", ids);
    char local[11];
    if (strcmp(type, "date") == 0) {
        /* Native date pickers follow the browser's locale, not the page's: a text
         * field shows dd/mm/yyyy to Vietnamese users; both forms are accepted. */
        if (date_valid(nz(value))) { /* what the user typed otherwise, as typed */
            fmt_date(r->lang, value, local);
            value = local;
        }
        type = "text";
        hf(r, "<input id=\"i-%s\" name=\"%s\" type=\"text\" inputmode=\"numeric\" placeholder=\"%t\" value=\"%s\""
              "%R%R%R></div>",
           name, name, r->lang == LANG_SV ? N_("yyyy-mm-dd") : N_("dd/mm/yyyy"), value, described,
           required ? " required" : "", err ? " aria-invalid=\"true\"" : "");
        return;
    }
    if (strcmp(type, "textarea") == 0)
        hf(r, "<textarea id=\"i-%s\" name=\"%s\" rows=\"4\"%R%R%R>%s</textarea>", name, name,
           described, required ? " required" : "", err ? " aria-invalid=\"true\"" : "", nz(value));
    else
        hf(r, "<input id=\"i-%s\" name=\"%s\" type=\"%s\" value=\"%s\"%R%R%R>", name, name, type,
           nz(value), described, required ? " required" : "", err ? " aria-invalid=\"true\"" : "");
    hf(r, "</div>");
}

static void select_field(struct rq *r, const struct verrs *v, const char *name, const char *label,
                         const char *const *names, const char *const *labels, int count, int current, bool required)
{
    const char *err = field_error(v, name);
    hf(r, "<div class=\"field%R\">", err ? " invalid" : "");
    if (err)
        hf(r, "<p class=\"msg\" id=\"e-%s\" role=\"alert\">%t</p>", name, err);
    hf(r, "<label for=\"f-%s\">%t%R</label>", name, label,
       required ? " <span class=\"req\" aria-hidden=\"true\">*</span>" : "");
    hf(r, "<select id=\"f-%s\" name=\"%s\"%R%R><option value=\"\">%t</option>", name, name,
       required ? " required" : "", err ? " aria-invalid=\"true\"" : "", N_("Choose…"));
    for (int i = 1; i < count; i++)
        hf(r, "<option value=\"%s\"%R>%t</option>", names[i], current == i ? " selected" : "", labels[i]);
    hf(r, "</select></div>");
}

static void unit_picker(struct rq *r, const struct model *m, const struct verrs *v, const struct form_state *fs)
{
    const char *err = field_error(v, "unit_code");
    hf(r, "<fieldset class=\"field unit-picker%R\" id=\"unit\"><legend>%t <span class=\"req\" aria-hidden=\"true\">*</span></legend>",
       err ? " invalid" : "", N_("Unit (commune, ward or village)"));
    if (err)
        hf(r, "<p class=\"msg\" role=\"alert\">%t</p>", err);
    hf(r, "<input type=\"hidden\" name=\"hierarchy\" value=\"%d\">", m->hierarchy == 2024 ? 2024 : 2025);
    struct unit path[5];
    int n = 0;
    if (m->unit_code[0] && svc_unit_path(r->st, m->hierarchy, m->unit_code, path, &n) == SVC_OK) {
        hf(r, "<input type=\"hidden\" name=\"unit_code\" value=\"%s\"><p class=\"chosen\">", m->unit_code);
        for (int i = n - 1; i >= 0; i--)
            hf(r, "%s%R", path[i].name, i ? ", " : "");
        hf(r, " <small>(%s, %t %d)</small> <button type=\"submit\" name=\"op\" value=\"unit_change\" class=\"link\">%t</button></p>",
           m->unit_code, N_("hierarchy"), m->hierarchy, N_("Change"));
        hf(r, "</fieldset>");
        return;
    }
    hf(r, "<input type=\"hidden\" name=\"unit_code\" value=\"\">");
    hf(r, "<p class=\"help\" id=\"h-unit_q\">%t</p>", N_("Type part of the name without diacritics, e.g. \"quang phu\", then press Find; or browse the list."));
    hf(r, "<div class=\"inline\"><label for=\"i-unit_q\" class=\"sr\">%t</label><input id=\"i-unit_q\" name=\"unit_q\" "
          "value=\"%s\" autocomplete=\"off\" aria-describedby=\"h-unit_q\" data-hierarchy=\"%d\" data-empty=\"%t\">"
          "<button type=\"submit\" name=\"op\" value=\"unit_search\">%t</button>"
          "<button type=\"submit\" name=\"unit_browse\" value=\"\" class=\"secondary\">%t</button></div>",
       N_("Find a unit"), nz(fs->unit_q), m->hierarchy == 2024 ? 2024 : 2025, N_("No unit has this name."), N_("Find"),
       N_("Browse"));
    hf(r, "<div id=\"unit-results\" aria-live=\"polite\">");
    struct unit_list l = {0};
    if (fs->searched && fs->unit_q && *fs->unit_q) {
        svc_unit_search(r->st, m->hierarchy, fs->unit_q, 30, &l);
        if (l.n == 0)
            hf(r, "<p>%t</p>", N_("No unit has this name."));
    } else if (fs->browse) {
        svc_unit_children(r->st, m->hierarchy, fs->browse, &l);
        if (*fs->browse) {
            struct unit bp[5];
            int bn = 0;
            if (svc_unit_path(r->st, m->hierarchy, fs->browse, bp, &bn) == SVC_OK) {
                hf(r, "<p class=\"crumbs\"><button type=\"submit\" name=\"unit_browse\" value=\"\" class=\"link\">%t</button>",
                   N_("All provinces"));
                for (int i = 0; i < bn; i++)
                    hf(r, " › <button type=\"submit\" name=\"unit_browse\" value=\"%s\" class=\"link\">%s</button>",
                       bp[i].code, bp[i].name);
                hf(r, "</p>");
            }
        }
    }
    if (l.n) {
        hf(r, "<ul class=\"units\">");
        for (int i = 0; i < l.n; i++) {
            const struct unit *u = &l.items[i];
            hf(r, "<li><button type=\"submit\" name=\"unit_pick\" value=\"%s\">%s</button>", u->code, u->name);
            if (fs->searched && u->parent_code[0]) {
                struct unit pp[5];
                int pn = 0;
                if (svc_unit_path(r->st, u->hierarchy, u->parent_code, pp, &pn) == SVC_OK) {
                    hf(r, " <small>");
                    for (int k = pn - 1; k >= 0; k--)
                        hf(r, "%s%R", pp[k].name, k ? ", " : "");
                    hf(r, "</small>");
                }
            }
            if (!unit_is_village(u))
                /* the visible word begins the accessible name (WCAG 2.5.3), the unit follows for screen readers */
                hf(r, " <button type=\"submit\" name=\"unit_browse\" value=\"%s\" class=\"link\">%t"
                      "<span class=\"sr\">: %t %s</span><span aria-hidden=\"true\"> ›</span></button>",
                   u->code, N_("Open"), N_("Units in"), u->name);
            hf(r, "</li>");
        }
        hf(r, "</ul>");
    }
    unit_list_free(&l);
    hf(r, "</div></fieldset>");
}

/* Models nearby with a similar name, under the name of a new model: filled here when a
 * submitted registration has some (then registering needs the box ticked), or live by
 * app.js from GET /api/v1/models/similar while the name is typed. */
static void similar_box(struct rq *r, const struct similar_list *l)
{
    hf(r, "<div id=\"similar\" class=\"similar\" aria-live=\"polite\" data-heading=\"%t\" data-confirm=\"%t\" "
          "data-near-commune=\"%t\" data-near-district=\"%t\" data-near-province=\"%t\" data-near-scope=\"%t\">",
       N_("Models with a similar name are already registered nearby. Check that yours is not one of them:"),
       N_("Register anyway: my model is not one of these"), proximity_labels[NEAR_COMMUNE],
       proximity_labels[NEAR_DISTRICT], proximity_labels[NEAR_PROVINCE], proximity_labels[NEAR_SCOPE]);
    if (l && l->n) {
        hf(r, "<p role=\"alert\"><strong>%t</strong></p><ul>",
           N_("Models with a similar name are already registered nearby. Check that yours is not one of them:"));
        for (int i = 0; i < l->n; i++) {
            const struct model *m = &l->items[i].m;
            /* a new tab: what was typed here stays */
            hf(r, "<li><a href=\"/models/%I\" target=\"_blank\" rel=\"noopener\">%s</a> <small>%s · %s · %t</small></li>",
               m->id, m->title, m->code, nz(m->unit_name), proximity_labels[l->items[i].proximity]);
        }
        hf(r, "</ul><div class=\"field check\"><input type=\"checkbox\" id=\"i-similar_ok\" name=\"similar_ok\" "
              "value=\"1\"><label for=\"i-similar_ok\">%t</label></div>",
           N_("Register anyway: my model is not one of these"));
    }
    hf(r, "</div>");
}

static int render_form(struct rq *r, const struct model *m, const struct verrs *v, const struct form_state *fs,
                       int status)
{
    bool edit = m->id > 0;
    page_begin(r, edit ? N_("Edit the model") : N_("Register a model"), NULL);
    hf(r, "<h1>%t</h1>", edit ? N_("Edit the model") : N_("Register a model"));
    if (v && v->n)
        hf(r, "<p class=\"error\" role=\"alert\">%t</p>", N_("Some values are not valid. Each is marked below."));
    if (fs->notice)
        hf(r, "<p class=\"notice\" role=\"status\">%t</p>", fs->notice);
    if (edit)
        hf(r, "<form method=\"post\" action=\"/models/%I/edit\" class=\"model-form\" novalidate>"
              "<input type=\"hidden\" name=\"version\" value=\"%d\">",
           m->id, m->version);
    if (edit)
        csrf_field(r);
    else
        /* app.js keeps a draft of this form on the device while it is filled; these are its words */
        hf(r, "<form method=\"post\" action=\"/models/new\" class=\"model-form\" novalidate data-draft=\"new-model\" "
              "data-draft-found=\"%t\" data-draft-restore=\"%t\" data-draft-discard=\"%t\">",
           N_("A draft of this form was kept on this device. Restore it?"), N_("Restore the draft"),
           N_("Discard it"));
    csrf_field(r);
    if (!edit) {
        /* This filling of the form: sent again (a lost answer, a second press, the draft
         * of a saved form restored), it leads to the model it created instead of a copy.
         * Kept while the form comes back with problems; a new form gets a new one. */
        const char *token = rq_form(r, "submission");
        char fresh[33];
        if (!svc_submission_valid(token)) {
            unsigned char rnd[16];
            randombytes_buf(rnd, sizeof rnd);
            sodium_bin2hex(fresh, sizeof fresh, rnd, sizeof rnd);
            token = fresh;
        }
        hf(r, "<input type=\"hidden\" name=\"submission\" value=\"%s\">", token);
    }
    /* The first submit button is what Enter presses: saving. */
    hf(r, "<button type=\"submit\" name=\"op\" value=\"save\" class=\"sr\" tabindex=\"-1\" aria-hidden=\"true\">%t</button>",
       N_("Save"));
    hf(r, "<h2>%t</h2>", N_("The model"));
    input(r, v, "title", N_("Name of the model"), N_("e.g. \"Tổ tự quản an ninh trật tự thôn An Thiện\""), m->title, "text", true);
    if (!edit)
        similar_box(r, fs->similar);
    input(r, v, "summary", N_("Summary"), N_("One or two sentences: what it does and for whom."), m->summary, "textarea", false);
    select_field(r, v, "field", N_("Field"), model_field_names, model_field_labels, FIELD_COUNT, m->field, true);
    select_field(r, v, "kind", N_("Kind"), model_kind_names, model_kind_labels, KIND_COUNT, m->kind, true);
    select_field(r, v, "registration_level", N_("Registered with (steering committee level)"), reg_level_names,
                 reg_level_labels, LEVEL_COUNT, m->level, true);
    input(r, v, "registered_on", N_("Registration date"), NULL, m->registered_on, "date", true);
    unit_picker(r, m, v, fs);
    select_field(r, v, "owner_type", N_("Owner is"), owner_type_names, owner_type_labels, OWNER_COUNT, m->owner_type,
                 false);
    input(r, v, "owner", N_("Owner (organization or person)"), N_("e.g. \"Chi bộ thôn An Thiện\" or \"Hội Phụ nữ xã Tam An\""), m->owner, "text", false);
    struct buf tags = BUF_INIT;
    for (int i = 0; i < m->ntags; i++)
        buf_printf(&tags, "%s%s", i ? ", " : "", m->tags[i]);
    input(r, v, "tags", N_("Linked local tasks"), N_("Separated by commas, e.g. \"Nông thôn mới, Cải cách hành chính\""), tags.p, "text", false);
    buf_free(&tags);
    hf(r, "<h2>%t</h2>", N_("What the registration form asks"));
    input(r, v, "situation", N_("Current situation and why the model is needed"), N_("What problem do people face here?"), m->situation, "textarea", false);
    input(r, v, "objectives", N_("Objectives and criteria"), N_("What will have changed, and how will you know?"), m->objectives, "textarea", false);
    input(r, v, "content", N_("Content and method"), N_("What will be done, step by step."), m->content, "textarea", false);
    input(r, v, "area_target", N_("Area and target group"), N_("e.g. \"4 thôn of the commune, 520 households\""), m->area_target, "textarea", false);
    input(r, v, "forces", N_("Implementing forces"), N_("Who leads, who coordinates, who takes part."), m->forces, "textarea", false);
    input(r, v, "resources", N_("Resources"), N_("Funds, materials, working days, contributions from the people."), m->resources, "textarea", false);
    input(r, v, "period_from", N_("Starts on"), NULL, m->period_from, "date", false);
    input(r, v, "period_to", N_("Ends on"), NULL, m->period_to, "date", false);
    input(r, v, "outputs", N_("Verifiable outputs"), N_("e.g. \"4.6 km of concrete road; 130 households donated land\""), m->outputs, "textarea", false);
    input(r, v, "sustainability", N_("How it will be sustained and replicated"),
          N_("e.g. \"Written into the village's rules; each year the Women's Union takes it to two more villages\""),
          m->sustainability, "textarea", false);
    input(r, v, "description", N_("Description"),
          N_("Anything else the appraisers should know, e.g. how it started and who took part."), m->description,
          "textarea", false);
    hf(r, "<div class=\"field check\"><input type=\"hidden\" name=\"public_shown\" value=\"1\">"
          "<input type=\"checkbox\" id=\"i-public\" name=\"public\" value=\"1\"%R aria-describedby=\"h-public\">"
          "<label for=\"i-public\">%t</label><p class=\"help\" id=\"h-public\">%t</p></div>",
       m->is_public ? " checked" : "", N_("Show on the public page once recognized and chosen as typical"),
       N_("The public page shows the model's name, unit, content, outputs and results; a person who owns it is not named."));
    char cancel[48];
    snprintf(cancel, sizeof cancel, edit ? "/models/%lld" : "/models", (long long)m->id);
    hf(r, "<p class=\"actions\"><button type=\"submit\" name=\"op\" value=\"save\">%t</button> ",
       edit ? N_("Save changes") : N_("Register"));
    if (!edit)
        hf(r, "<button type=\"submit\" name=\"op\" value=\"draft\" class=\"secondary\">%t</button> ",
           N_("Save as a draft"));
    hf(r, "<a href=\"%s\">%t</a></p></form>", cancel, N_("Cancel"));
    return page_end(r, status);
}

/* Reads the form into m (on top of what m holds). Dates accept dd/mm/yyyy. */
static void model_from_form(struct rq *r, struct model *m)
{
#define STRF(name)                                                      \
    do {                                                                \
        const char *s_ = rq_form(r, #name);                             \
        if (s_) {                                                       \
            char *c_ = text_nfc_trim(s_);                               \
            model_set_str(&m->name, *c_ ? c_ : NULL);                   \
            free(c_);                                                   \
        }                                                               \
    } while (0)
    STRF(title);
    STRF(summary);
    STRF(description);
    STRF(owner);
    STRF(situation);
    STRF(objectives);
    STRF(content);
    STRF(area_target);
    STRF(forces);
    STRF(resources);
    STRF(outputs);
    STRF(sustainability);
#undef STRF
    const char *s;
    if ((s = rq_form(r, "field")))
        m->field = *s ? (enum_parse(model_field_names, FIELD_COUNT, s) ?: -1) : 0;
    if ((s = rq_form(r, "kind")))
        m->kind = *s ? (enum_parse(model_kind_names, KIND_COUNT, s) ?: -1) : 0;
    if ((s = rq_form(r, "registration_level")))
        m->level = *s ? (enum_parse(reg_level_names, LEVEL_COUNT, s) ?: -1) : 0;
    if ((s = rq_form(r, "owner_type")))
        m->owner_type = *s ? (enum_parse(owner_type_names, OWNER_COUNT, s) ?: -1) : 0;
    if ((s = rq_form(r, "hierarchy")))
        m->hierarchy = strcmp(s, "2024") == 0 ? 2024 : 2025;
    if ((s = rq_form(r, "unit_code")))
        snprintf(m->unit_code, sizeof m->unit_code, "%s", strlen(s) < sizeof m->unit_code ? s : "?");
    struct {
        const char *name;
        char *slot;
    } dates[] = {{"registered_on", m->registered_on}, {"period_from", m->period_from}, {"period_to", m->period_to}};
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        if (!(s = rq_form(r, dates[i].name)))
            continue;
        char *c = text_nfc_trim(s);
        if (!*c)
            dates[i].slot[0] = 0;
        else if (!date_parse_any(c, dates[i].slot))
            /* kept as typed so the form shows it again; validation rejects it */
            snprintf(dates[i].slot, 11, "%s", strlen(c) <= 10 ? c : "?");
        free(c);
    }
    /* an unchecked box sends nothing: the hidden public_shown says the box was on the form */
    if (rq_form(r, "public_shown"))
        m->is_public = rq_form(r, "public") != NULL;
    if ((s = rq_form(r, "tags"))) {
        for (int i = 0; i < m->ntags; i++)
            free(m->tags[i]);
        m->ntags = 0;
        char *copy = xstrdup(s), *save = NULL;
        for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            char *c = text_nfc_trim(t);
            if (*c && m->ntags < MODEL_MAX_TAGS)
                m->tags[m->ntags++] = c;
            else
                free(c);
        }
        free(copy);
    }
}

static bool may_register(const struct rq *r)
{
    return r->actor.role == ROLE_ADMIN || r->actor.role == ROLE_STAFF || r->actor.role == ROLE_OFFICER;
}

int page_model_new(struct rq *r)
{
    if (!may_register(r))
        return page_error(r, 403, N_("Your role or unit does not allow this."));
    /* the form's submission token is this page's own: not kept by a browser's cache to be
     * shown again for another model */
    rq_add_header(r, "cache-control", "private, no-store");
    struct model m;
    model_init(&m);
    date_today(m.registered_on);
    struct form_state fs = {0};
    /* the picker starts from the user's own unit: a commune officer's commune is chosen already */
    if (r->actor.unit_code[0]) {
        struct unit u;
        m.hierarchy = r->actor.hierarchy;
        if (r->st->ops->unit_get(r->st, r->actor.hierarchy, r->actor.unit_code, &u) == ST_OK) {
            if (unit_is_commune(&u) || unit_is_village(&u))
                snprintf(m.unit_code, sizeof m.unit_code, "%s", u.code);
            else
                fs.browse = r->actor.unit_code;
        }
        /* after the merger new models go under the 2025 units */
        if (m.hierarchy == 2024 && strcmp(m.registered_on, "2025-07-01") >= 0) {
            m.hierarchy = 2025;
            m.unit_code[0] = 0;
            fs.browse = NULL;
        }
    }
    int status = render_form(r, &m, NULL, &fs, 200);
    model_free(&m);
    return status;
}

/* The picker's buttons re-render the form with everything typed kept;
 * only "save" writes. Returns true when the form was re-rendered. */
static bool picker_step(struct rq *r, struct model *m, int *status)
{
    struct form_state fs = {.unit_q = rq_form(r, "unit_q")};
    const char *op = rq_form(r, "op"), *pick = rq_form(r, "unit_pick"), *browse = rq_form(r, "unit_browse");
    if (pick) {
        snprintf(m->unit_code, sizeof m->unit_code, "%s", strlen(pick) < sizeof m->unit_code ? pick : "");
    } else if (browse) {
        fs.browse = browse;
    } else if (op && strcmp(op, "unit_search") == 0) {
        fs.searched = true;
    } else if (op && strcmp(op, "unit_change") == 0) {
        m->unit_code[0] = 0;
        fs.browse = "";
    } else if (!m->unit_code[0] && fs.unit_q && *fs.unit_q) {
        /* Enter pressed in the search box: search rather than fail */
        fs.searched = true;
        fs.notice = N_("Choose the unit from the list, then save.");
    } else {
        return false;
    }
    *status = render_form(r, m, NULL, &fs, 200);
    return true;
}

/* To the model that an earlier sending of the same form created, saying so. */
static int redirect_saved_before(struct rq *r, int64_t id)
{
    char loc[64];
    snprintf(loc, sizeof loc, "/models/%" PRId64 "?again=1", id);
    return redirect(r, loc);
}

int page_model_create(struct rq *r)
{
    if (!may_register(r))
        return page_error(r, 403, N_("Your role or unit does not allow this."));
    struct model m;
    model_init(&m);
    model_from_form(r, &m);
    int status;
    if (picker_step(r, &m, &status))
        goto out;
    /* this form was saved already: its model, not a second one */
    const char *token = rq_form(r, "submission");
    int64_t earlier = token ? svc_model_submitted(r->st, &r->actor, token) : 0;
    if (earlier) {
        status = redirect_saved_before(r, earlier);
        goto out;
    }
    const char *op = rq_form(r, "op");
    m.status = op && strcmp(op, "draft") == 0 ? STATUS_DRAFT : STATUS_REGISTERED;
    /* A model like one already registered nearby is registered only once the user said
     * it is another one (the API does not ask: its clients call /api/v1/models/similar). */
    if (!rq_form(r, "similar_ok") && m.title) {
        struct similar_list sl;
        struct verrs sv = {0};
        if (svc_model_similar(r->st, &r->actor, m.title, m.hierarchy == 2024 ? 2024 : 2025, m.unit_code, 0, &sl,
                              &sv) == SVC_OK &&
            sl.n > 0) {
            /* a second press while the first was being saved: the similar model is that one */
            if (token && (earlier = svc_model_submitted(r->st, &r->actor, token)) != 0) {
                similar_list_free(&sl);
                status = redirect_saved_before(r, earlier);
                goto out;
            }
            struct form_state fs = {.unit_q = rq_form(r, "unit_q"), .similar = &sl};
            status = render_form(r, &m, NULL, &fs, 200);
            similar_list_free(&sl);
            goto out;
        }
    }
    struct verrs v = {0};
    int rc = svc_model_create_once(r->st, &r->actor, &m, svc_submission_valid(token) ? token : NULL, &earlier, &v);
    if (rc == SVC_OK && earlier) {
        status = redirect_saved_before(r, earlier);
    } else if (rc == SVC_INVALID) {
        struct form_state fs = {.unit_q = rq_form(r, "unit_q")};
        status = render_form(r, &m, &v, &fs, 422);
    } else if (rc == SVC_FORBIDDEN) {
        struct form_state fs = {.unit_q = rq_form(r, "unit_q")};
        verrs_add(&v, "unit_code", N_("This unit is outside the area you work in."));
        status = render_form(r, &m, &v, &fs, 403);
    } else if (rc) {
        status = page_error(r, 500, N_("Something went wrong; nothing was changed."));
    } else {
        char loc[64];
        snprintf(loc, sizeof loc, "/models/%" PRId64, m.id);
        status = redirect(r, loc);
    }
out:
    model_free(&m);
    return status;
}

int page_model_edit(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    struct model m;
    int rc = id ? svc_model_get(r->st, &r->actor, id, &m) : SVC_NOTFOUND;
    if (rc == SVC_NOTFOUND)
        return page_error(r, 404, N_("No such model."));
    if (rc)
        return page_error(r, 500, N_("Something went wrong; nothing was changed."));
    if (!authz_model_edit(&r->actor, &m)) {
        model_free(&m);
        return page_error(r, 403, N_("Your role or unit does not allow this."));
    }
    struct form_state fs = {0};
    int status = render_form(r, &m, NULL, &fs, 200);
    model_free(&m);
    return status;
}

int page_model_update(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    struct model m;
    int rc = id ? svc_model_get(r->st, &r->actor, id, &m) : SVC_NOTFOUND;
    if (rc == SVC_NOTFOUND)
        return page_error(r, 404, N_("No such model."));
    if (rc)
        return page_error(r, 500, N_("Something went wrong; nothing was changed."));
    if (!authz_model_edit(&r->actor, &m)) {
        model_free(&m);
        return page_error(r, 403, N_("Your role or unit does not allow this."));
    }
    const char *ver = rq_form(r, "version");
    int expected = ver ? atoi(ver) : -1;
    model_from_form(r, &m);
    int status;
    if (picker_step(r, &m, &status))
        goto out;
    struct verrs v = {0};
    struct form_state fs = {.unit_q = rq_form(r, "unit_q")};
    rc = expected == m.version ? svc_model_update(r->st, &r->actor, &m, expected, &v) : SVC_CONFLICT;
    if (rc == SVC_INVALID) {
        status = render_form(r, &m, &v, &fs, 422);
    } else if (rc == SVC_FORBIDDEN) {
        status = page_error(r, 403, N_("Your role or unit does not allow this."));
    } else if (rc == SVC_CONFLICT) {
        fs.notice = N_("Someone else changed this model while you were editing. Your values are kept below: check them against the model's page, then save to replace the other change, or cancel.");
        status = render_form(r, &m, NULL, &fs, 409);
    } else if (rc) {
        status = page_error(r, 500, N_("Something went wrong; nothing was changed."));
    } else {
        char loc[64];
        snprintf(loc, sizeof loc, "/models/%" PRId64, m.id);
        status = redirect(r, loc);
    }
out:
    model_free(&m);
    return status;
}
