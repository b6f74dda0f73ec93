/* page_spread.c: where a model spread (coverage, a list grouped by parent unit, the
 * form to add a unit), its awards, and the conferences page. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/handlers.h"
#include "http/i18n.h"
#include "util/date.h"
#include "util/text.h"

static const char *level_noun(int hierarchy, int level)
{
    /* the children counted in a coverage line */
    if (level == unit_commune_level(hierarchy) + 1)
        return N_("villages");
    if (level == unit_commune_level(hierarchy))
        return N_("communes");
    return N_("districts");
}

/* Units offered in the "spread to" list: the villages of the model's commune, then
 * the communes around it (same district in 2024, same province in 2025). */
static void unit_options(struct rq *r, const struct model *m)
{
    struct unit path[5];
    int n;
    if (svc_unit_path(r->st, m->hierarchy, m->unit_code, path, &n) != SVC_OK)
        return;
    int commune = -1;
    for (int i = 0; i < n; i++)
        if (unit_is_commune(&path[i]))
            commune = i;
    if (commune < 0)
        return;
    struct unit_list l = {0};
    if (svc_unit_children(r->st, m->hierarchy, path[commune].code, &l) == SVC_OK && l.n) {
        hf(r, "<optgroup label=\"%s\">", path[commune].name);
        for (int i = 0; i < l.n; i++)
            if (strcmp(l.items[i].code, m->unit_code))
                hf(r, "<option value=\"%s\">%s</option>", l.items[i].code, l.items[i].name);
        hf(r, "</optgroup>");
    }
    unit_list_free(&l);
    if (commune > 0 && svc_unit_children(r->st, m->hierarchy, path[commune - 1].code, &l) == SVC_OK) {
        hf(r, "<optgroup label=\"%s\">", path[commune - 1].name);
        for (int i = 0; i < l.n; i++)
            if (strcmp(l.items[i].code, path[commune].code))
                hf(r, "<option value=\"%s\">%s</option>", l.items[i].code, l.items[i].name);
        hf(r, "</optgroup>");
    }
    unit_list_free(&l);
}

void spread_sections(struct rq *r, const struct model *m)
{
    struct coverage *cov;
    int nc;
    struct replication *reps;
    int nr;
    if (svc_coverage(r->st, &r->actor, m->id, &cov, &nc) != SVC_OK)
        return;
    if (svc_replications(r->st, &r->actor, m->id, &reps, &nr) != SVC_OK) {
        free(cov);
        return;
    }
    int64_t src[16];
    int ns = 0;
    svc_replica_sources(r->st, &r->actor, m->id, src, 16, &ns);
    bool can = authz_model_register(&r->actor, m) || authz_model_decide(&r->actor, m);
    if (ns) {
        hf(r, "<p class=\"replica-of\">%t", N_("Replicated from:"));
        for (int i = 0; i < ns; i++)
            hf(r, " <a href=\"/models/%I\">%t %I</a>", src[i], N_("model"), src[i]);
        hf(r, "</p>");
    }
    if (nr || can) {
        hf(r, "<h2>%t</h2>", N_("Replication"));
        if (nr) {
            hf(r, "<ul class=\"coverage\">");
            for (int i = 0; i < nc; i++)
                hf(r, "<li><strong>%d/%d</strong> %t %t %s (%N%%)</li>", cov[i].covered, cov[i].total,
                   level_noun(cov[i].hierarchy, cov[i].child_level), N_("of"), cov[i].parent_name,
                   cov[i].total ? 100.0 * cov[i].covered / cov[i].total : 0.0);
            hf(r, "</ul><ul class=\"tree\">");
            const char *parent = NULL;
            for (int i = 0; i < nr; i++) {
                if (!parent || strcmp(parent, reps[i].parent_code)) {
                    if (parent)
                        hf(r, "</ul></li>");
                    parent = reps[i].parent_code;
                    const char *pname = parent;
                    for (int k = 0; k < nc; k++)
                        if (strcmp(cov[k].parent_code, parent) == 0)
                            pname = cov[k].parent_name;
                    hf(r, "<li>%s<ul>", pname);
                }
                hf(r, "<li>%s <small>(%t %D)</small>", reps[i].unit_name, N_("since"), reps[i].since);
                if (reps[i].replica_model_id)
                    hf(r, " <a href=\"/models/%I\">%t</a>", reps[i].replica_model_id, N_("its own model"));
                hf(r, "</li>");
            }
            if (parent)
                hf(r, "</ul></li>");
            hf(r, "</ul>");
        }
        if (can) {
            char today[11], local[11];
            date_today(today);
            fmt_date(r->lang, today, local);
            hf(r, "<details><summary>%t</summary><form method=\"post\" action=\"/models/%I/replications\">",
               N_("Record a unit it spread to"), m->id);
            csrf_field(r);
            hf(r, "<input type=\"hidden\" name=\"hierarchy\" value=\"%d\"><label for=\"rp-unit\">%t</label>"
                  "<select id=\"rp-unit\" name=\"unit_code\"><option value=\"\">%t</option>",
               m->hierarchy, N_("Unit"), N_("Choose…"));
            unit_options(r, m);
            hf(r, "</select><label for=\"rp-code\">%t</label><input id=\"rp-code\" name=\"other_code\" "
                  "placeholder=\"%t\"><label for=\"rp-since\">%t</label><input id=\"rp-since\" name=\"since\" "
                  "inputmode=\"numeric\" value=\"%s\" required><p><button type=\"submit\">%t</button></p></form></details>",
               N_("or another unit's code"), N_("e.g. 20356"), N_("Since"), local, N_("Save"));
        }
    }
    free(cov);
    replications_free(reps, nr);

    struct award *aw;
    int na;
    if (svc_awards(r->st, &r->actor, m->id, 0, &aw, &na) != SVC_OK)
        return;
    /* awards go to recognized models */
    bool commend = m->status == STATUS_RECOGNIZED && authz_scoring(&r->actor, &m->place, m->hierarchy, m->unit_code);
    if (na || commend) {
        hf(r, "<h2>%t</h2>", N_("Commendation"));
        if (na) {
            hf(r, "<ul class=\"awards\">");
            for (int i = 0; i < na; i++) {
                hf(r, "<li><strong>%t</strong> — %s", award_form_labels[aw[i].form], aw[i].issuer);
                if (aw[i].decision_no[0])
                    hf(r, " · %t %s, %t %D", N_("Decision No."), aw[i].decision_no, N_("dated"), aw[i].decision_date);
                if (aw[i].amount_vnd >= 0)
                    hf(r, " · %N VND", aw[i].amount_vnd);
                attachments_block(r, "award", aw[i].id, commend);
                hf(r, "</li>");
            }
            hf(r, "</ul>");
        }
        if (commend) {
            struct commendation_event *ev;
            int ne = 0;
            if (svc_events(r->st, &r->actor, &ev, &ne) != SVC_OK)
                ev = NULL, ne = 0;
            hf(r, "<details><summary>%t</summary><form method=\"post\" action=\"/models/%I/awards\">", N_("Record an award"),
               m->id);
            csrf_field(r);
            hf(r, "<label for=\"aw-form\">%t</label><select id=\"aw-form\" name=\"form\">", N_("Form"));
            for (int i = 1; i < AWARD_FORM_COUNT; i++)
                hf(r, "<option value=\"%s\">%t</option>", award_form_names[i], award_form_labels[i]);
            hf(r, "</select><label for=\"aw-issuer\">%t</label><input id=\"aw-issuer\" name=\"issuer\" required "
                  "placeholder=\"%t\">",
               N_("Issued by"), N_("e.g. Chủ tịch UBND tỉnh"));
            hf(r, "<label for=\"aw-ev\">%t</label><select id=\"aw-ev\" name=\"event_id\"><option value=\"\">—</option>",
               N_("At the conference"));
            for (int i = 0; i < ne; i++)
                hf(r, "<option value=\"%I\">%s (%D)</option>", ev[i].id, ev[i].title, ev[i].held_on);
            hf(r, "</select><label for=\"aw-no\">%t</label><input id=\"aw-no\" name=\"decision_no\" placeholder=\"%t\">"
                  "<label for=\"aw-date\">%t</label><input id=\"aw-date\" name=\"decision_date\" inputmode=\"numeric\" "
                  "placeholder=\"%t\"><label for=\"aw-amount\">%t</label><input id=\"aw-amount\" name=\"amount_vnd\" "
                  "inputmode=\"numeric\" placeholder=\"%t\"><p><button type=\"submit\">%t</button></p></form></details>",
               N_("Decision No."), N_("e.g. 12-QĐ/BDVTU"), N_("Decision date"), N_("dd/mm/yyyy"), N_("Amount (VND)"),
               N_("e.g. 2.000.000"), N_("Save"));
            events_free(ev, ne);
        }
    }
    awards_free(aw, na);
}

/* ---- form posts ------------------------------------------------------------------- */

static int back(struct rq *r, int64_t id)
{
    char loc[48];
    snprintf(loc, sizeof loc, "/models/%" PRId64, id);
    return redirect(r, loc);
}

static int not_done(struct rq *r, int64_t id, int rc, const struct verrs *v)
{
    int status = rc == SVC_INVALID ? 422 : rc == SVC_FORBIDDEN ? 403 : rc == SVC_NOTFOUND ? 404 : 500;
    page_begin(r, N_("Not done"), NULL);
    hf(r, "<h1>%t</h1><p class=\"error\" role=\"alert\">%t</p><ul>", N_("Not done"),
       rc == SVC_FORBIDDEN ? N_("Your role or unit does not allow this.") : N_("Nothing was changed."));
    for (int i = 0; v && i < v->n; i++)
        hf(r, "<li>%t</li>", v->e[i].msg);
    hf(r, "</ul><p><a href=\"/models/%I\">%t</a></p>", id, N_("Back to the model"));
    return page_end(r, status);
}

int page_replication_add(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    struct replication x;
    memset(&x, 0, sizeof x);
    const char *h = rq_form(r, "hierarchy"), *code = rq_form(r, "unit_code"), *other = rq_form(r, "other_code"),
               *since = rq_form(r, "since");
    x.hierarchy = h && strcmp(h, "2024") == 0 ? 2024 : 2025;
    const char *c = other && *other ? other : code;
    snprintf(x.unit_code, sizeof x.unit_code, "%s", c && strlen(c) < sizeof x.unit_code ? c : "");
    if (!since || !date_parse_any(since, x.since))
        snprintf(x.since, sizeof x.since, "?");
    struct verrs v = {0};
    int rc = id ? svc_replication_add(r->st, &r->actor, id, &x, &v) : SVC_NOTFOUND;
    replication_free(&x);
    return rc == SVC_OK ? back(r, id) : not_done(r, id, rc, &v);
}

int page_award_add(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    struct award a;
    memset(&a, 0, sizeof a);
    a.recipient_type = RECIPIENT_MODEL;
    a.model_id = id;
    a.form = enum_parse(award_form_names, AWARD_FORM_COUNT, rq_form(r, "form"));
    const char *s;
    a.issuer = (s = rq_form(r, "issuer")) && *s ? text_nfc_trim(s) : NULL;
    a.event_id = (s = rq_form(r, "event_id")) && *s ? path_id(s) : 0;
    if ((s = rq_form(r, "decision_no")))
        snprintf(a.decision_no, sizeof a.decision_no, "%s", strlen(s) < sizeof a.decision_no ? s : "?");
    if ((s = rq_form(r, "decision_date")) && *s && !date_parse_any(s, a.decision_date))
        snprintf(a.decision_date, sizeof a.decision_date, "?");
    a.amount_vnd = -1;
    struct verrs v = {0};
    if ((s = rq_form(r, "amount_vnd")) && *s && (!parse_number(r->lang, s, &a.amount_vnd) || a.amount_vnd < 0))
        verrs_add(&v, "amount_vnd", "The amount is a number of dong from 0 to 10,000 billion.");
    int rc = v.n ? SVC_INVALID : id ? svc_award_add(r->st, &r->actor, &a, &v) : SVC_NOTFOUND;
    award_free(&a);
    return rc == SVC_OK ? back(r, id) : not_done(r, id, rc, &v);
}

int page_conferences(struct rq *r)
{
    struct commendation_event *ev;
    int n;
    int rc = svc_events(r->st, &r->actor, &ev, &n);
    if (rc)
        return page_error(r, rc == SVC_FORBIDDEN ? 403 : 500, N_("Your role or unit does not allow this."));
    page_begin(r, N_("Conferences"), NULL);
    hf(r, "<h1>%t</h1>", N_("Conferences"));
    if (n == 0)
        hf(r, "<p class=\"empty\">%t</p>", N_("No conference recorded yet."));
    hf(r, "<ul class=\"cards\">");
    for (int i = 0; i < n; i++) {
        hf(r, "<li><h2>%s</h2><p class=\"small\">%t · %d %t · %s · %D</p><p class=\"small\">%t %D – %D</p>", ev[i].title,
           event_kind_labels[ev[i].kind], ev[i].span_years, N_("years"), ev[i].unit_name, ev[i].held_on, N_("Period"),
           ev[i].period_from, ev[i].period_to);
        struct award *aw;
        int na;
        if (svc_awards(r->st, &r->actor, 0, ev[i].id, &aw, &na) == SVC_OK && na) {
            hf(r, "<p>%t: %d</p><ul>", N_("Awards"), na);
            for (int k = 0; k < na; k++) {
                hf(r, "<li>%t — ", award_form_labels[aw[k].form]);
                if (aw[k].model_id)
                    hf(r, "<a href=\"/models/%I\">%s</a>", aw[k].model_id, aw[k].recipient_name);
                else
                    hf(r, "%s", aw[k].recipient_name);
                hf(r, "</li>");
            }
            hf(r, "</ul>");
            awards_free(aw, na);
        }
        hf(r, "</li>");
    }
    hf(r, "</ul>");
    events_free(ev, n);
    if (r->actor.role == ROLE_STAFF || r->actor.role == ROLE_ADMIN) {
        char today[11], local[11];
        date_today(today);
        fmt_date(r->lang, today, local);
        hf(r, "<h2>%t</h2><form method=\"post\" action=\"/conferences\">", N_("Record a conference"));
        csrf_field(r);
        hf(r, "<label for=\"ev-title\">%t</label><input id=\"ev-title\" name=\"title\" required placeholder=\"%t\">",
           N_("Name"), N_("e.g. Hội nghị tổng kết 15 năm phong trào thi đua \"Dân vận khéo\""));
        hf(r, "<label for=\"ev-kind\">%t</label><select id=\"ev-kind\" name=\"kind\">", N_("Type of review"));
        for (int i = 1; i < EVENT_KIND_COUNT; i++)
            hf(r, "<option value=\"%s\">%t</option>", event_kind_names[i], event_kind_labels[i]);
        hf(r, "</select><label for=\"ev-span\">%t</label><select id=\"ev-span\" name=\"span_years\">", N_("Years covered"));
        static const int spans[] = {1, 2, 3, 5, 10, 15};
        for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++)
            hf(r, "<option value=\"%d\">%d</option>", spans[i], spans[i]);
        hf(r, "</select><label for=\"ev-level\">%t</label><select id=\"ev-level\" name=\"level\">", N_("Level"));
        for (int i = 1; i < LEVEL_COUNT; i++)
            hf(r, "<option value=\"%s\">%t</option>", reg_level_names[i], reg_level_labels[i]);
        hf(r, "</select><label for=\"ev-unit\">%t</label><input id=\"ev-unit\" name=\"unit_code\" value=\"%s\" required>"
              "<input type=\"hidden\" name=\"hierarchy\" value=\"%d\">"
              "<label for=\"ev-held\">%t</label><input id=\"ev-held\" name=\"held_on\" inputmode=\"numeric\" value=\"%s\" required>"
              "<label for=\"ev-from\">%t</label><input id=\"ev-from\" name=\"period_from\" inputmode=\"numeric\" placeholder=\"%t\" required>"
              "<label for=\"ev-to\">%t</label><input id=\"ev-to\" name=\"period_to\" inputmode=\"numeric\" placeholder=\"%t\" required>"
              "<p><button type=\"submit\">%t</button></p></form>",
           N_("Unit code"), r->actor.unit_code, r->actor.hierarchy ? r->actor.hierarchy : 2025, N_("Held on"), local,
           N_("Period from"), N_("dd/mm/yyyy"), N_("Period to"), N_("dd/mm/yyyy"), N_("Save"));
    }
    return page_end(r, 200);
}

int page_conference_add(struct rq *r)
{
    struct commendation_event e;
    memset(&e, 0, sizeof e);
    const char *s;
    e.title = (s = rq_form(r, "title")) && *s ? text_nfc_trim(s) : NULL;
    e.kind = enum_parse(event_kind_names, EVENT_KIND_COUNT, rq_form(r, "kind"));
    e.span_years = (s = rq_form(r, "span_years")) ? atoi(s) : 0;
    e.level = enum_parse(reg_level_names, LEVEL_COUNT, rq_form(r, "level"));
    e.hierarchy = (s = rq_form(r, "hierarchy")) && strcmp(s, "2024") == 0 ? 2024 : 2025;
    snprintf(e.unit_code, sizeof e.unit_code, "%s", (s = rq_form(r, "unit_code")) && strlen(s) < 32 ? s : "");
    struct {
        const char *name;
        char *slot;
    } dates[] = {{"held_on", e.held_on}, {"period_from", e.period_from}, {"period_to", e.period_to}};
    for (size_t i = 0; i < 3; i++)
        if (!(s = rq_form(r, dates[i].name)) || !date_parse_any(s, dates[i].slot))
            snprintf(dates[i].slot, 11, "?");
    struct verrs v = {0};
    int rc = svc_event_add(r->st, &r->actor, &e, &v);
    commendation_event_free(&e);
    if (rc == SVC_OK)
        return redirect(r, "/conferences");
    page_begin(r, N_("Not done"), NULL);
    hf(r, "<h1>%t</h1><ul class=\"error\" role=\"alert\">", N_("Not done"));
    if (rc == SVC_FORBIDDEN)
        hf(r, "<li>%t</li>", N_("Your role or unit does not allow this."));
    for (int i = 0; i < v.n; i++)
        hf(r, "<li>%t</li>", v.e[i].msg);
    hf(r, "</ul><p><a href=\"/conferences\">%t</a></p>", N_("Conferences"));
    return page_end(r, rc == SVC_INVALID ? 422 : rc == SVC_FORBIDDEN ? 403 : 500);
}
