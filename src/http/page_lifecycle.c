/* page_lifecycle.c: the model page's lifecycle parts: the history timeline, the
 * steps the user may take, appraisals (list and form), the typical decision,
 * results entry, and bulk steps from the list. Every form works without JS. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/lifecycle.h"
#include "http/handlers.h"
#include "http/i18n.h"
#include "util/date.h"
#include "util/text.h"

/* Labels of the step buttons, by target status. */
static const char *step_label(int to)
{
    switch (to) {
    case STATUS_DRAFT: return N_("Return to the sender");
    case STATUS_REGISTERED: return N_("Submit the registration");
    case STATUS_SELECTED: return N_("Select");
    case STATUS_REJECTED: return N_("Reject");
    case STATUS_IMPLEMENTING: return N_("Start implementing");
    case STATUS_APPRAISED: return N_("Mark as appraised");
    case STATUS_RECOGNIZED: return N_("Recognize");
    case STATUS_NOT_RECOGNIZED: return N_("Do not recognize");
    case STATUS_WITHDRAWN: return N_("Withdraw");
    }
    return "";
}

void lifecycle_sections(struct rq *r, const struct model *m)
{
    /* timeline */
    struct model_event *ev;
    int n;
    if (svc_model_history(r->st, &r->actor, m->id, &ev, &n) == SVC_OK) {
        hf(r, "<h2>%t</h2>", N_("History"));
        if (n == 0)
            hf(r, "<p class=\"small\">%t</p>", N_("No step yet since the registration."));
        hf(r, "<ol class=\"timeline\">");
        for (int i = 0; i < n; i++) {
            char day[11], hm[6];
            date_local(ev[i].at, day, hm);
            hf(r, "<li><p><strong>%t → %t</strong> · %D %s · %s</p>", model_status_labels[ev[i].from],
               model_status_labels[ev[i].to], day, hm, ev[i].login);
            if (ev[i].decision_no[0])
                hf(r, "<p>%t %s, %t %D</p>", N_("Decision No."), ev[i].decision_no, N_("dated"), ev[i].decision_date);
            if (ev[i].comment)
                hf(r, "<p class=\"pre\">%t</p>", ev[i].comment);
            hf(r, "</li>");
            model_event_free(&ev[i]);
        }
        hf(r, "</ol>");
        free(ev);
    }
    /* the steps this user can take now; those that need an appraisal appear once there is one */
    int steps[STATUS_COUNT], all = svc_next_steps(&r->actor, m, steps), ns = 0;
    struct appraisal *pre;
    int npre = 0;
    bool last_passed = false;
    if (svc_appraisals(r->st, &r->actor, m->id, &pre, &npre) == SVC_OK) {
        last_passed = npre > 0 && pre[npre - 1].passed;
        appraisals_free(pre, npre);
    }
    for (int i = 0; i < all; i++) {
        const struct transition_rule *rule = lifecycle_rule(m->status, steps[i]);
        if ((rule->needs_appraisal && npre == 0) || (rule->needs_passing_appraisal && !last_passed))
            continue;
        steps[ns++] = steps[i];
    }
    if (ns) {
        hf(r, "<h2>%t</h2><div class=\"steps\">", N_("Next step"));
        for (int i = 0; i < ns; i++) {
            const struct transition_rule *rule = lifecycle_rule(m->status, steps[i]);
            hf(r, "<details class=\"step\"><summary>%t</summary><form method=\"post\" action=\"/models/%I/transition\">",
               step_label(steps[i]), m->id);
            csrf_field(r);
            hf(r, "<input type=\"hidden\" name=\"to\" value=\"%s\"><input type=\"hidden\" name=\"version\" value=\"%d\">",
               model_status_names[steps[i]], m->version);
            if (rule->needs_decision)
                hf(r, "<label for=\"d-%d\">%t *</label><input id=\"d-%d\" name=\"decision_no\" required placeholder=\"%t\">"
                      "<label for=\"dd-%d\">%t *</label><input id=\"dd-%d\" name=\"decision_date\" inputmode=\"numeric\" "
                      "required placeholder=\"%t\">",
                   i, N_("Decision No."), i, N_("e.g. 12-QĐ/BDVTU"), i, N_("Decision date"), i, N_("dd/mm/yyyy"));
            hf(r, "<label for=\"c-%d\">%t%R</label><textarea id=\"c-%d\" name=\"comment\" rows=\"2\"%R></textarea>", i,
               rule->needs_reason ? N_("Reason") : N_("Comment"), rule->needs_reason ? " *" : "", i,
               rule->needs_reason ? " required" : "");
            hf(r, "<p><button type=\"submit\">%t</button></p></form></details>", step_label(steps[i]));
        }
        hf(r, "</div>");
    }
    /* appraisals */
    struct appraisal *ap;
    int na;
    if (svc_appraisals(r->st, &r->actor, m->id, &ap, &na) == SVC_OK) {
        bool can = authz_appraise(&r->actor, m) &&
                   (m->status == STATUS_IMPLEMENTING || m->status == STATUS_APPRAISED || m->status == STATUS_RECOGNIZED);
        if (na || can)
            hf(r, "<h2>%t</h2>", N_("Appraisals"));
        for (int i = 0; i < na; i++) {
            hf(r, "<section class=\"appraisal\"><h3>%t %D · %N/100 <span class=\"%s\">%t</span></h3>", N_("Visit of"),
               ap[i].visit_date, ap[i].score, ap[i].passed ? "pass" : "fail", ap[i].passed ? N_("passed") : N_("not passed"));
            hf(r, "<p class=\"small pre\">%t %N · %t: %s</p>", N_("Pass mark"), ap[i].pass_score, N_("Working group"),
               ap[i].members);
            hf(r, "<table class=\"list scores\"><tbody>");
            for (int k = 0; k < ap[i].nscores; k++)
                hf(r, "<tr><td>%t</td><td class=\"num\">%N / %N</td></tr>", ap[i].scores[k].name, ap[i].scores[k].score,
                   ap[i].scores[k].max_score);
            hf(r, "</tbody></table>");
            if (ap[i].findings)
                hf(r, "<p class=\"pre\"><strong>%t:</strong> %s</p>", N_("Findings"), ap[i].findings);
            if (ap[i].conclusion)
                hf(r, "<p class=\"pre\"><strong>%t:</strong> %s</p>", N_("Conclusion"), ap[i].conclusion);
            attachments_block(r, "appraisal", ap[i].id, authz_appraise(&r->actor, m));
            hf(r, "</section>");
        }
        appraisals_free(ap, na);
        if (can)
            hf(r, "<p><a class=\"button\" href=\"/models/%I/appraisals/new\">%t</a></p>", m->id, N_("Record an appraisal"));
    }
    /* the typical decision */
    if (m->status == STATUS_RECOGNIZED && authz_model_decide(&r->actor, m)) {
        hf(r, "<h2>%t</h2><form method=\"post\" action=\"/models/%I/typical\" class=\"typical\">", N_("Typical model"),
           m->id);
        csrf_field(r);
        hf(r, "<input type=\"hidden\" name=\"version\" value=\"%d\"><div class=\"field check\">"
              "<input type=\"checkbox\" id=\"t-typical\" name=\"typical\" value=\"1\"%R><label for=\"t-typical\">%t</label></div>"
              "<label for=\"t-reason\">%t</label><textarea id=\"t-reason\" name=\"typical_reason\" rows=\"2\">%s</textarea>"
              "<p><button type=\"submit\">%t</button></p></form>",
           m->version, m->typical ? " checked" : "", N_("Chosen as a typical model"), N_("Why it is typical"),
           m->typical_reason ? m->typical_reason : "", N_("Save"));
    }
    /* results: once the model is at work */
    bool at_work = m->status == STATUS_IMPLEMENTING || m->status == STATUS_APPRAISED || m->status == STATUS_RECOGNIZED;
    if (at_work && (authz_model_edit(&r->actor, m) || authz_model_register(&r->actor, m))) {
        struct indicator *ind;
        int ni;
        if (svc_indicators(r->st, &ind, &ni) == SVC_OK) {
            char year[8];
            snprintf(year, sizeof year, "%.4s", m->updated_at);
            /* kept on the device while typed, like the registration form (app.js) */
            hf(r, "<details class=\"results-form\"><summary>%t</summary><form method=\"post\" action=\"/models/%I/results\" "
                  "data-draft=\"results-%I\" data-draft-key=\"value\" data-draft-found=\"%t\" data-draft-restore=\"%t\" "
                  "data-draft-discard=\"%t\">",
               N_("Enter a result"), m->id, m->id, N_("A draft of this form was kept on this device. Restore it?"),
               N_("Restore the draft"), N_("Discard it"));
            csrf_field(r);
            hf(r, "<input type=\"hidden\" name=\"version\" value=\"%d\"><label for=\"r-year\">%t</label>"
                  "<input id=\"r-year\" name=\"year\" inputmode=\"numeric\" value=\"%s\" required>"
                  "<label for=\"r-ind\">%t</label><select id=\"r-ind\" name=\"indicator\">",
               m->version, N_("Year"), year, N_("Indicator"));
            for (int i = 0; i < ni; i++)
                hf(r, "<option value=\"%s\">%t (%t)</option>", ind[i].code, ind[i].name, ind[i].unit);
            hf(r, "</select><label for=\"r-value\">%t</label><input id=\"r-value\" name=\"value\" inputmode=\"decimal\">"
                  "<p class=\"help\">%t</p><p><button type=\"submit\">%t</button></p></form></details>",
               N_("Value"), N_("An empty value removes the result of that year and indicator."), N_("Save"));
            free(ind);
        }
    }
}

/* ---- form posts ----------------------------------------------------------------- */

static int back_to(struct rq *r, int64_t id)
{
    char loc[48];
    snprintf(loc, sizeof loc, "/models/%" PRId64, id);
    return redirect(r, loc);
}

/* Shows the refusal on its own page with a way back; nothing was changed. */
static int refused(struct rq *r, int64_t id, int status, const struct verrs *v, const char *why)
{
    page_begin(r, N_("Not done"), NULL);
    hf(r, "<h1>%t</h1><p class=\"error\" role=\"alert\">%t</p>", N_("Not done"),
       why ? why : N_("Some values are not valid. Each is marked below."));
    if (v && v->n) {
        hf(r, "<ul class=\"errors\">");
        for (int i = 0; i < v->n; i++)
            hf(r, "<li>%t</li>", v->e[i].msg);
        hf(r, "</ul>");
    }
    hf(r, "<p><a href=\"/models/%I\">%t</a></p>", id, N_("Back to the model"));
    return page_end(r, status);
}

static int status_of(int rc)
{
    return rc == SVC_INVALID ? 422 : rc == SVC_FORBIDDEN ? 403 : rc == SVC_NOTFOUND ? 404 : rc == SVC_CONFLICT ? 409 : 500;
}

int page_model_transition(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    const char *to = rq_form(r, "to"), *ver = rq_form(r, "version");
    struct transition_req t = {.to = to ? enum_parse(model_status_names, STATUS_COUNT, to) : 0,
                               .comment = rq_form(r, "comment"),
                               .decision_no = rq_form(r, "decision_no"),
                               .decision_date = rq_form(r, "decision_date")};
    if (!t.to)
        t.to = -1;
    char *comment = t.comment ? text_nfc_trim(t.comment) : NULL, *dno = t.decision_no ? text_nfc_trim(t.decision_no) : NULL;
    t.comment = comment;
    t.decision_no = dno;
    struct verrs v = {0};
    const char *why = NULL;
    int rc = id ? svc_model_transition(r->st, &r->actor, id, &t, ver ? atoi(ver) : -1, &v, &why) : SVC_NOTFOUND;
    free(comment);
    free(dno);
    if (rc == SVC_OK)
        return back_to(r, id);
    if (rc == SVC_CONFLICT)
        why = N_("Someone else changed this model in the meantime. Reload it and apply your change again.");
    return refused(r, id, status_of(rc), &v, why);
}

int page_model_typical(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    struct model m;
    int rc = id ? svc_model_get(r->st, &r->actor, id, &m) : SVC_NOTFOUND;
    if (rc)
        return refused(r, id, status_of(rc), NULL, NULL);
    const char *ver = rq_form(r, "version"), *reason = rq_form(r, "typical_reason");
    m.typical = rq_form(r, "typical") != NULL;
    char *c = reason ? text_nfc_trim(reason) : NULL;
    model_set_str(&m.typical_reason, c && *c ? c : NULL);
    free(c);
    struct verrs v = {0};
    rc = svc_model_update(r->st, &r->actor, &m, ver ? atoi(ver) : -1, &v);
    model_free(&m);
    return rc == SVC_OK ? back_to(r, id) : refused(r, id, status_of(rc), &v, NULL);
}

/* POST /models/{id}/commune-2025: the new commune of a model of a split old commune. */
int page_model_commune25(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    struct model m;
    int rc = id ? svc_model_get(r->st, &r->actor, id, &m) : SVC_NOTFOUND;
    if (rc)
        return refused(r, id, status_of(rc), NULL, NULL);
    const char *ver = rq_form(r, "version"), *c = rq_form(r, "commune_2025");
    snprintf(m.commune_2025, sizeof m.commune_2025, "%s", c && strlen(c) < sizeof m.commune_2025 ? c : "?");
    struct verrs v = {0};
    rc = svc_model_update(r->st, &r->actor, &m, ver ? atoi(ver) : -1, &v);
    model_free(&m);
    return rc == SVC_OK ? back_to(r, id) : refused(r, id, status_of(rc), &v, NULL);
}

int page_model_results(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    struct model m;
    int rc = id ? svc_model_get(r->st, &r->actor, id, &m) : SVC_NOTFOUND;
    if (rc)
        return refused(r, id, status_of(rc), NULL, NULL);
    const char *ver = rq_form(r, "version"), *year = rq_form(r, "year"), *ind = rq_form(r, "indicator"),
               *value = rq_form(r, "value");
    struct verrs v = {0};
    char *end = NULL;
    long y = year ? strtol(year, &end, 10) : 0;
    if (!year || *end || y < 1990 || y > 2100)
        verrs_add(&v, "year", "A result's year must be between 1990 and 2100.");
    if (!ind || !*ind || strlen(ind) >= sizeof m.results[0].indicator)
        verrs_add(&v, "indicator", "Unknown indicator.");
    double val = 0;
    bool remove = !value || !*value;
    /* numbers as the page's language writes them: 1.234,5 in Vietnamese */
    if (!remove && !parse_number(r->lang, value, &val))
        verrs_add(&v, "value", "A result must be a number from 0 to 10^15.");
    if (v.n == 0) {
        int k = -1;
        for (int i = 0; i < m.nresults; i++)
            if (m.results[i].year == y && strcmp(m.results[i].indicator, ind) == 0)
                k = i;
        if (remove && k >= 0) {
            m.results[k] = m.results[--m.nresults];
        } else if (!remove) {
            if (k < 0 && m.nresults < MODEL_MAX_RESULTS)
                k = m.nresults++;
            if (k >= 0) {
                m.results[k].year = (int)y;
                snprintf(m.results[k].indicator, sizeof m.results[k].indicator, "%s", ind);
                m.results[k].value = val;
            }
        }
        rc = svc_model_update(r->st, &r->actor, &m, ver ? atoi(ver) : -1, &v);
    } else {
        rc = SVC_INVALID;
    }
    model_free(&m);
    return rc == SVC_OK ? back_to(r, id) : refused(r, id, status_of(rc), &v, NULL);
}

/* ---- the appraisal form ------------------------------------------------------------- */

static int appraisal_form(struct rq *r, const struct model *m, const struct appraisal *ap, const struct verrs *v,
                          int status)
{
    struct criterion cat[CRITERIA_MAX];
    int n = 0;
    double pass = DEFAULT_PASS_SCORE;
    svc_scoring_for(r->st, m->hierarchy, m->unit_code, cat, &n, &pass);
    page_begin(r, N_("Record an appraisal"), NULL);
    hf(r, "<p class=\"crumbs\"><a href=\"/models/%I\">%s</a></p><h1>%t</h1>", m->id, m->title, N_("Record an appraisal"));
    if (v && v->n) {
        hf(r, "<ul class=\"errors error\" role=\"alert\">");
        for (int i = 0; i < v->n; i++)
            hf(r, "<li>%t</li>", v->e[i].msg);
        hf(r, "</ul>");
    }
    hf(r, "<form method=\"post\" action=\"/models/%I/appraisals/new\">", m->id);
    csrf_field(r);
    char vd[11];
    fmt_date(r->lang, ap && ap->visit_date[0] ? ap->visit_date : "", vd);
    hf(r, "<div class=\"field\"><label for=\"a-date\">%t *</label><input id=\"a-date\" name=\"visit_date\" inputmode=\"numeric\" "
          "placeholder=\"%t\" value=\"%s\" required></div>",
       N_("Visit date"), N_("dd/mm/yyyy"), vd);
    hf(r, "<div class=\"field\"><label for=\"a-members\">%t *</label><p class=\"help\">%t</p><textarea id=\"a-members\" "
          "name=\"members\" rows=\"3\" required>%s</textarea></div>",
       N_("Working group"), N_("One member per line, with their position."), ap && ap->members ? ap->members : "");
    hf(r, "<fieldset><legend>%t</legend><p class=\"help\">%t %N.</p>", N_("Scores"),
       N_("Each criterion is scored from 0 to its maximum; the weighted total is out of 100. Pass mark:"), pass);
    for (int i = 0; i < n; i++) {
        /* what was typed comes back as typed */
        char field[48], val[64] = "";
        snprintf(field, sizeof field, "score_%.31s", cat[i].code);
        const char *typed = rq_form(r, field);
        if (typed)
            snprintf(val, sizeof val, "%s", typed);
        hf(r, "<div class=\"field\"><label for=\"s-%s\">%t (0–%N, %t %N)</label><input id=\"s-%s\" name=\"score_%s\" "
              "inputmode=\"decimal\" value=\"%s\" required></div>",
           cat[i].code, cat[i].name, cat[i].max_score, N_("weight"), cat[i].weight, cat[i].code, cat[i].code, val);
    }
    hf(r, "</fieldset>");
    hf(r, "<div class=\"field\"><label for=\"a-findings\">%t</label><textarea id=\"a-findings\" name=\"findings\" rows=\"4\">%s</textarea></div>",
       N_("Findings"), ap && ap->findings ? ap->findings : "");
    hf(r, "<div class=\"field\"><label for=\"a-conclusion\">%t</label><textarea id=\"a-conclusion\" name=\"conclusion\" rows=\"3\">%s</textarea></div>",
       N_("Conclusion"), ap && ap->conclusion ? ap->conclusion : "");
    hf(r, "<p class=\"actions\"><button type=\"submit\">%t</button> <a href=\"/models/%I\">%t</a></p></form>", N_("Save"),
       m->id, N_("Cancel"));
    return page_end(r, status);
}

int page_appraisal_new(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    struct model m;
    int rc = id ? svc_model_get(r->st, &r->actor, id, &m) : SVC_NOTFOUND;
    if (rc)
        return page_error(r, status_of(rc), rc == SVC_NOTFOUND ? N_("No such model.") : N_("Something went wrong; nothing was changed."));
    if (!authz_appraise(&r->actor, &m)) {
        model_free(&m);
        return page_error(r, 403, N_("Your role or unit does not allow this."));
    }
    int status = appraisal_form(r, &m, NULL, NULL, 200);
    model_free(&m);
    return status;
}

int page_appraisal_create(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    struct model m;
    int rc = id ? svc_model_get(r->st, &r->actor, id, &m) : SVC_NOTFOUND;
    if (rc)
        return page_error(r, status_of(rc), N_("No such model."));
    struct appraisal ap;
    memset(&ap, 0, sizeof ap);
    const char *vd = rq_form(r, "visit_date");
    if (vd && *vd && !date_parse_any(vd, ap.visit_date))
        snprintf(ap.visit_date, sizeof ap.visit_date, "%.10s", vd);
    const char *s;
    if ((s = rq_form(r, "members")) && *s)
        ap.members = text_nfc_trim(s);
    if ((s = rq_form(r, "findings")) && *s)
        ap.findings = text_nfc_trim(s);
    if ((s = rq_form(r, "conclusion")) && *s)
        ap.conclusion = text_nfc_trim(s);
    struct verrs v = {0};
    for (int i = 0; i < r->nform && ap.nscores < CRITERIA_MAX; i++) {
        if (strncmp(r->form[i].key, "score_", 6) != 0 || strlen(r->form[i].key + 6) >= sizeof ap.scores[0].code)
            continue;
        struct criterion_score *cs = &ap.scores[ap.nscores++];
        snprintf(cs->code, sizeof cs->code, "%s", r->form[i].key + 6);
        /* 7,5 as a Vietnamese writes it */
        if (!parse_number(r->lang, r->form[i].val, &cs->score)) {
            verrs_add(&v, "scores", "Each score must be a number.");
            cs->score = -1;
        }
    }
    rc = svc_appraisal_add(r->st, &r->actor, id, &ap, &v);
    int status;
    if (rc == SVC_OK)
        status = back_to(r, id);
    else if (rc == SVC_INVALID)
        status = appraisal_form(r, &m, &ap, &v, 422);
    else
        status = page_error(r, status_of(rc), rc == SVC_FORBIDDEN ? N_("Your role or unit does not allow this.")
                                                                    : N_("Something went wrong; nothing was changed."));
    appraisal_free(&ap);
    model_free(&m);
    return status;
}

/* ---- bulk steps from the list ---------------------------------------------------------- */

int page_models_bulk(struct rq *r)
{
    int64_t ids[200];
    int n = 0;
    for (int i = 0; i < r->nform && n < 200; i++)
        if (strcmp(r->form[i].key, "id") == 0) {
            int64_t id = path_id(r->form[i].val);
            if (id)
                ids[n++] = id;
        }
    const char *to = rq_form(r, "to");
    struct transition_req t = {.to = to ? enum_parse(model_status_names, STATUS_COUNT, to) : 0,
                               .comment = rq_form(r, "comment"),
                               .decision_no = rq_form(r, "decision_no"),
                               .decision_date = rq_form(r, "decision_date")};
    if (!t.to)
        t.to = -1;
    struct verrs v = {0};
    const char *why = NULL;
    int64_t failed = 0;
    int rc = svc_models_transition(r->st, &r->actor, ids, n, &t, &v, &why, &failed);
    if (rc == SVC_OK) {
        const char *back = rq_form(r, "back");
        return redirect(r, back && back[0] == '/' && back[1] != '/' ? back : "/models");
    }
    page_begin(r, N_("Not done"), NULL);
    hf(r, "<h1>%t</h1><p class=\"error\" role=\"alert\">%t</p>", N_("Not done"),
       N_("Nothing was changed: every chosen model must be able to take the step."));
    /* the reason first, then the model it stopped at, by its code */
    if (why)
        hf(r, "<p>%t</p>", why);
    for (int i = 0; i < v.n; i++)
        hf(r, "<p>%t</p>", v.e[i].msg);
    struct model fm;
    if (failed && svc_model_get(r->st, &r->actor, failed, &fm) == SVC_OK) {
        hf(r, "<p>%t <a href=\"/models/%I\">%s</a></p>", N_("The first model that could not:"), failed, fm.code);
        model_free(&fm);
    }
    hf(r, "<p><a href=\"/models\">%t</a></p>", N_("Back to the list of models"));
    return page_end(r, status_of(rc));
}
