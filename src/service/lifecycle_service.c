/* lifecycle_service.c: moving models through their lifecycle, and appraisals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/lifecycle.h"
#include "service/service.h"
#include "util/date.h"
#include "util/text.h"

#define N_(s) s

static bool may_take(const struct actor *a, const struct model *m, const struct transition_rule *r)
{
    return ((r->by & BY_REGISTRANT) && authz_model_register(a, m)) ||
           ((r->by & BY_COMMITTEE) && authz_model_decide(a, m));
}

int svc_next_steps(const struct actor *a, const struct model *m, int out[STATUS_COUNT])
{
    int n = 0;
    for (const struct transition_rule *r = lifecycle_rules; r->from; r++)
        if (r->from == m->status && may_take(a, m, r) && n < STATUS_COUNT)
            out[n++] = r->to;
    return n;
}

static bool blank(const char *s)
{
    return !s || !*s;
}

/* One step inside the caller's transaction. */
static int step(struct store *st, const struct actor *a, int64_t id, const struct transition_req *t,
                int expected_version, struct verrs *v, const char **why)
{
    struct model m;
    int rc = svc_model_get(st, a, id, &m);
    if (rc)
        return rc;
    rc = SVC_OK;
    const struct transition_rule *r = t->to > 0 ? lifecycle_rule(m.status, t->to) : NULL;
    char ddate[11] = "";
    if (t->to <= 0 || t->to >= STATUS_COUNT) {
        verrs_add(v, "to", "Unknown status.");
        rc = SVC_INVALID;
    } else if (!r) {
        verrs_add(v, "to", "A model in this state cannot take this step.");
        rc = SVC_INVALID;
    } else if (!may_take(a, &m, r)) {
        *why = r->by == BY_COMMITTEE ? N_("Only the steering committee the model is registered with can take this step.")
                                     : N_("Your role or unit does not allow this.");
        rc = SVC_FORBIDDEN;
    } else if (expected_version >= 0 && expected_version != m.version) {
        rc = SVC_CONFLICT;
    }
    if (rc == SVC_OK) {
        if (t->comment && text_chars(t->comment) > SHORT_MAX_CHARS)
            verrs_add(v, "comment", "Too long (at most 2,000 characters).");
        if (r->needs_reason && blank(t->comment))
            verrs_add(v, "comment", "Give the reason: it is sent back with the decision.");
        if (t->decision_no && (text_chars(t->decision_no) > 60 || strlen(t->decision_no) >= 192))
            verrs_add(v, "decision_no", "Too long (at most 60 characters).");
        if (r->needs_decision && blank(t->decision_no))
            verrs_add(v, "decision_no", "Give the decision's number (Quyết định số …).");
        if (!blank(t->decision_date) && !date_parse_any(t->decision_date, ddate))
            verrs_add(v, "decision_date", "Not a valid date.");
        else if (r->needs_decision && blank(t->decision_date))
            verrs_add(v, "decision_date", "Give the decision's date.");
        else if (ddate[0]) {
            char today[11];
            date_today(today);
            if (strcmp(ddate, today) > 0)
                verrs_add(v, "decision_date", "A decision cannot be dated in the future.");
            else if (strcmp(ddate, m.registered_on) < 0)
                verrs_add(v, "decision_date", "A decision cannot be dated before the registration.");
        }
        if (r->needs_appraisal || r->needs_passing_appraisal) {
            struct appraisal *list;
            int n;
            if (st->ops->appraisal_list(st, id, &list, &n) != ST_OK)
                rc = SVC_ERROR;
            else {
                if (n == 0)
                    verrs_add(v, "to", "Record an appraisal first.");
                else if (r->needs_passing_appraisal && !list[n - 1].passed)
                    verrs_add(v, "to", "The latest appraisal did not reach the pass mark; the model cannot be recognized.");
                appraisals_free(list, n);
            }
        }
        if (rc == SVC_OK && v->n)
            rc = SVC_INVALID;
    }
    if (rc == SVC_OK) {
        struct model_event e;
        memset(&e, 0, sizeof e);
        snprintf(e.login, sizeof e.login, "%s", a->login);
        e.comment = t->comment && *t->comment ? (char *)t->comment : NULL;
        snprintf(e.decision_no, sizeof e.decision_no, "%s", t->decision_no ? t->decision_no : "");
        snprintf(e.decision_date, sizeof e.decision_date, "%s", ddate);
        int src = st->ops->model_transition(st, id, m.status, t->to, &e);
        rc = src == ST_CONFLICT ? SVC_CONFLICT : src ? SVC_ERROR : SVC_OK;
        if (rc == SVC_OK) {
            char idbuf[24];
            snprintf(idbuf, sizeof idbuf, "%lld", (long long)id);
            json_t *b = json_pack("{s:s}", "status", model_status_names[m.status]);
            json_t *af = json_pack("{s:s, s:s?, s:s?, s:s?}", "status", model_status_names[t->to], "comment",
                                   e.comment, "decision_no", e.decision_no[0] ? e.decision_no : NULL, "decision_date",
                                   ddate[0] ? ddate : NULL);
            rc = audit(st, a, "model", idbuf, "transition", b, af);
            json_decref(b);
            json_decref(af);
        }
    }
    model_free(&m);
    return rc;
}

/* The request with its texts NFC-normalized and trimmed: a reason of spaces is no reason. */
struct clean_req {
    struct transition_req t;
    char *comment, *decision_no, *decision_date;
};

static void clean(const struct transition_req *in, struct clean_req *c)
{
    c->t = *in;
    c->comment = in->comment ? text_nfc_trim(in->comment) : NULL;
    c->decision_no = in->decision_no ? text_nfc_trim(in->decision_no) : NULL;
    c->decision_date = in->decision_date ? text_nfc_trim(in->decision_date) : NULL;
    c->t.comment = c->comment && *c->comment ? c->comment : NULL;
    c->t.decision_no = c->decision_no && *c->decision_no ? c->decision_no : NULL;
    c->t.decision_date = c->decision_date && *c->decision_date ? c->decision_date : NULL;
}

static void clean_free(struct clean_req *c)
{
    free(c->comment);
    free(c->decision_no);
    free(c->decision_date);
}

int svc_model_transition(struct store *st, const struct actor *a, int64_t id, const struct transition_req *tin,
                         int expected_version, struct verrs *v, const char **why)
{
    struct clean_req c;
    if (st->ops->begin(st) != ST_OK)
        return SVC_ERROR;
    clean(tin, &c);
    int rc = step(st, a, id, &c.t, expected_version, v, why);
    clean_free(&c);
    rc = svc_finish(st, rc);
    return rc;
}

int svc_models_transition(struct store *st, const struct actor *a, const int64_t *ids, int n,
                          const struct transition_req *tin, struct verrs *v, const char **why, int64_t *failed_id)
{
    struct clean_req c;
    clean(tin, &c);
    const struct transition_req *t = &c.t;
    int rc = SVC_OK;
    *failed_id = 0;
    if (n <= 0 || n > 1000) {
        verrs_add(v, "ids", "Choose 1 to 1,000 models.");
        rc = SVC_INVALID;
    }
    for (int i = 0; i < n && rc == SVC_OK; i++)
        for (int j = 0; j < i; j++)
            if (ids[i] == ids[j]) {
                verrs_add(v, "ids", "A model is listed twice.");
                *failed_id = ids[i];
                rc = SVC_INVALID;
                break;
            }
    if (rc == SVC_OK && st->ops->begin(st) != ST_OK)
        rc = SVC_ERROR;
    if (rc) {
        clean_free(&c);
        return rc;
    }
    for (int i = 0; i < n && rc == SVC_OK; i++) {
        rc = step(st, a, ids[i], t, -1, v, why);
        if (rc)
            *failed_id = ids[i];
    }
    rc = svc_finish(st, rc);
    clean_free(&c);
    return rc;
}

int svc_model_history(struct store *st, const struct actor *a, int64_t id, struct model_event **out, int *n)
{
    struct model m;
    int rc = svc_model_get(st, a, id, &m);
    if (rc)
        return rc;
    model_free(&m);
    return st->ops->model_events(st, id, out, n) == ST_OK ? SVC_OK : SVC_ERROR;
}

/* ---- appraisals ----------------------------------------------------------------------- */

void appraisals_free(struct appraisal *list, int n)
{
    for (int i = 0; i < n; i++)
        appraisal_free(&list[i]);
    free(list);
}

int svc_scoring_for(struct store *st, int hierarchy, const char *unit_code, struct criterion *cat, int *ncat,
                    double *pass_score)
{
    struct unit path[5];
    int n;
    if (svc_unit_path(st, hierarchy, unit_code, path, &n) != SVC_OK)
        return SVC_NOTFOUND;
    if (st->ops->criteria_get(st, hierarchy, path[0].code, cat, ncat) != ST_OK)
        return SVC_ERROR;
    *pass_score = DEFAULT_PASS_SCORE;
    for (int i = n - 1; i >= 0; i--) {
        double p;
        int rc = st->ops->threshold_get(st, hierarchy, path[i].code, &p);
        if (rc == ST_OK) {
            *pass_score = p;
            break;
        }
        if (rc != ST_NOTFOUND)
            return SVC_ERROR;
    }
    return SVC_OK;
}

static void trim_slot(char **s)
{
    if (!*s)
        return;
    char *c = text_nfc_trim(*s);
    free(*s);
    *s = *c ? c : (free(c), NULL);
}

int svc_appraisal_add(struct store *st, const struct actor *a, int64_t model_id, struct appraisal *ap,
                      struct verrs *v)
{
    trim_slot(&ap->members);
    trim_slot(&ap->findings);
    trim_slot(&ap->conclusion);
    char today[11];
    date_today(today);
    if (date_valid(ap->visit_date) && strcmp(ap->visit_date, today) > 0)
        verrs_add(v, "visit_date", "The date is in the future.");
    /* the model's state is read inside the transaction: two appraisals at once see each other */
    if (st->ops->begin(st) != ST_OK)
        return SVC_ERROR;
    struct model m;
    int rc = svc_model_get(st, a, model_id, &m);
    if (rc) {
        st->ops->rollback(st);
        return rc;
    }
    struct criterion cat[CRITERIA_MAX];
    int ncat;
    double pass;
    if (!authz_appraise(a, &m))
        rc = SVC_FORBIDDEN;
    else if (m.status != STATUS_IMPLEMENTING && m.status != STATUS_APPRAISED && m.status != STATUS_RECOGNIZED) {
        verrs_add(v, "model", "Only a model being implemented, appraised or recognized can be appraised.");
        rc = SVC_INVALID;
    } else if ((rc = svc_scoring_for(st, m.hierarchy, m.unit_code, cat, &ncat, &pass)) == SVC_OK) {
        ap->model_id = model_id;
        snprintf(ap->login, sizeof ap->login, "%s", a->login);
        if (!appraisal_compute(cat, ncat, pass, ap, v) || v->n)
            rc = SVC_INVALID;
    }
    if (rc) {
        st->ops->rollback(st);
        model_free(&m);
        return rc;
    }
    rc = st->ops->appraisal_insert(st, ap) == ST_OK ? SVC_OK : SVC_ERROR;
    if (rc == SVC_OK) {
        char idbuf[24];
        snprintf(idbuf, sizeof idbuf, "%lld", (long long)model_id);
        json_t *af = json_pack("{s:I, s:s, s:f, s:f, s:b}", "appraisal", (json_int_t)ap->id, "visit_date",
                               ap->visit_date, "score", ap->score, "pass_score", ap->pass_score, "passed", ap->passed);
        rc = audit(st, a, "model", idbuf, "appraisal", NULL, af);
        json_decref(af);
    }
    if (rc == SVC_OK && m.status == STATUS_IMPLEMENTING) {
        struct model_event e;
        memset(&e, 0, sizeof e);
        snprintf(e.login, sizeof e.login, "%s", a->login);
        e.comment = (char *)N_("Appraisal recorded");
        rc = st->ops->model_transition(st, model_id, STATUS_IMPLEMENTING, STATUS_APPRAISED, &e) == ST_OK ? SVC_OK
                                                                                                           : SVC_ERROR;
    }
    rc = svc_finish(st, rc);
    model_free(&m);
    return rc;
}

int svc_appraisals(struct store *st, const struct actor *a, int64_t model_id, struct appraisal **out, int *n)
{
    struct model m;
    int rc = svc_model_get(st, a, model_id, &m);
    if (rc)
        return rc;
    model_free(&m);
    return st->ops->appraisal_list(st, model_id, out, n) == ST_OK ? SVC_OK : SVC_ERROR;
}

int svc_criteria_set(struct store *st, const struct actor *a, int hierarchy, const char *province,
                     const struct criterion *c, int n, struct verrs *v)
{
    struct unit u;
    struct model_place p;
    if (!unit_hierarchy_valid(hierarchy) || !unit_code_valid(province) ||
        st->ops->unit_get(st, hierarchy, province, &u) != ST_OK || !unit_is_province(&u) ||
        svc_unit_place(st, hierarchy, province, &p) != SVC_OK)
        return SVC_NOTFOUND;
    if (!authz_scoring(a, &p, hierarchy, province))
        return SVC_FORBIDDEN;
    if (n > CRITERIA_MAX)
        verrs_add(v, "criteria", "At most 20 criteria.");
    for (int i = 0; i < n && i < CRITERIA_MAX; i++) {
        if (!unit_code_valid(c[i].code))
            verrs_add(v, "criteria", "A criterion's code has 1 to 31 letters, digits or dashes.");
        if (!c[i].name[0])
            verrs_add(v, "criteria", "A criterion needs its name.");
        if (!(c[i].weight > 0 && c[i].weight <= 1000) || !(c[i].max_score > 0 && c[i].max_score <= 1000))
            verrs_add(v, "criteria", "Weights and maximum scores are numbers above 0, at most 1,000.");
        for (int j = 0; j < i; j++)
            if (strcmp(c[i].code, c[j].code) == 0)
                verrs_add(v, "criteria", "A criterion code appears twice.");
    }
    if (v->n)
        return SVC_INVALID;
    if (st->ops->begin(st) != ST_OK)
        return SVC_ERROR;
    int rc = st->ops->criteria_put(st, hierarchy, province, c, n) == ST_OK ? SVC_OK : SVC_ERROR;
    if (rc == SVC_OK) {
        json_t *after = json_array();
        for (int i = 0; i < n; i++)
            json_array_append_new(after, json_pack("{s:s, s:s, s:f, s:f}", "code", c[i].code, "name", c[i].name,
                                                   "weight", c[i].weight, "max_score", c[i].max_score));
        char id[48];
        snprintf(id, sizeof id, "%d:%s", hierarchy, province);
        rc = audit(st, a, "criteria", id, "set", NULL, after);
        json_decref(after);
    }
    rc = svc_finish(st, rc);
    return rc;
}

int svc_threshold_set(struct store *st, const struct actor *a, int hierarchy, const char *unit_code, double pass_score,
                      struct verrs *v)
{
    struct model_place p;
    if (!unit_hierarchy_valid(hierarchy) || !unit_code_valid(unit_code) ||
        svc_unit_place(st, hierarchy, unit_code, &p) != SVC_OK)
        return SVC_NOTFOUND;
    if (!authz_scoring(a, &p, hierarchy, unit_code))
        return SVC_FORBIDDEN;
    if (!(pass_score >= 0 && pass_score <= 100)) {
        verrs_add(v, "pass_score", "The pass mark is a number from 0 to 100.");
        return SVC_INVALID;
    }
    if (st->ops->begin(st) != ST_OK)
        return SVC_ERROR;
    int rc = st->ops->threshold_put(st, hierarchy, unit_code, pass_score) == ST_OK ? SVC_OK : SVC_ERROR;
    if (rc == SVC_OK) {
        char id[48];
        snprintf(id, sizeof id, "%d:%s", hierarchy, unit_code);
        json_t *after = json_pack("{s:f}", "pass_score", pass_score);
        rc = audit(st, a, "pass_mark", id, "set", NULL, after);
        json_decref(after);
    }
    rc = svc_finish(st, rc);
    return rc;
}
