/* api_lifecycle.c: transitions (one and many), history, appraisals and the scoring settings. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/handlers.h"
#include "http/i18n.h"
#include "util/date.h"

/* {to, comment, decision_no, decision_date} and, for a batch, ids. */
static bool read_transition(struct rq *r, json_t *body, bool batch, struct transition_req *t, json_t **ids, int *status)
{
    struct api_member m[] = {{"to", 's', NULL},         {"comment", 's', NULL}, {"decision_no", 's', NULL},
                             {"decision_date", 's', NULL}, {batch ? "ids" : NULL, 'a', NULL}, {NULL, 0, NULL}};
    if (!api_members(r, body, m, status))
        return false;
    const char *to = api_str(m, "to");
    t->comment = api_str(m, "comment");
    t->decision_no = api_str(m, "decision_no");
    t->decision_date = api_str(m, "decision_date");
    if (ids)
        *ids = api_val(m, "ids");
    if (!to) {
        *status = api_error(r, 400, "missing_field", N_("Say which status the model moves to."), "to");
        return false;
    }
    t->to = enum_parse(model_status_names, STATUS_COUNT, to);
    if (!t->to)
        t->to = -1;
    return true;
}

/* 422 for a step that is not possible, with the steps that are. */
static int transition_invalid(struct rq *r, const struct verrs *v, const struct model *m)
{
    int status = api_invalid(r, v);
    if (!m)
        return status;
    /* re-open the reply to add "allowed": the steps this user can take now */
    json_error_t je;
    json_t *o = json_loadb(r->out.p, r->out.len, 0, &je);
    if (!o)
        return status;
    int steps[STATUS_COUNT], n = svc_next_steps(&r->actor, m, steps);
    json_t *allowed = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(allowed, json_string(model_status_names[steps[i]]));
    json_object_set_new(json_object_get(o, "error"), "allowed", allowed);
    json_object_set_new(json_object_get(o, "error"), "status", json_string(model_status_names[m->status]));
    buf_reset(&r->out);
    return json_reply(r, status, o);
}

int api_model_transition(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    if (!id)
        return api_error(r, 404, "not_found", N_("No such model."), NULL);
    int status;
    json_t *body = api_body(r, &status);
    if (!body)
        return status;
    struct transition_req t = {0};
    if (!read_transition(r, body, false, &t, NULL, &status)) {
        json_decref(body);
        return status;
    }
    const char *im = rq_header(r, "if-match");
    int expected = -1;
    if (im) {
        const char *d = im + (im[0] == 'W' && im[1] == '/' ? 2 : 0);
        d += *d == '"';
        expected = atoi(d);
    }
    struct verrs v = {0};
    const char *why = NULL;
    int rc = svc_model_transition(r->st, &r->actor, id, &t, expected, &v, &why);
    json_decref(body);
    struct model m;
    if (rc == SVC_INVALID) {
        bool have = svc_model_get(r->st, &r->actor, id, &m) == SVC_OK;
        status = transition_invalid(r, &v, have ? &m : NULL);
        if (have)
            model_free(&m);
        return status;
    }
    if (rc == SVC_FORBIDDEN)
        return api_error(r, 403, "forbidden", why ? why : N_("Your role or unit does not allow this."), NULL);
    if (rc)
        return api_svc_error(r, rc);
    if (svc_model_get(r->st, &r->actor, id, &m) != SVC_OK)
        return api_svc_error(r, SVC_ERROR);
    char etag[32];
    snprintf(etag, sizeof etag, "\"%d\"", m.version);
    rq_add_header(r, "etag", etag);
    status = json_reply(r, 200, model_to_json(&m));
    model_free(&m);
    return status;
}

int api_models_bulk_transition(struct rq *r)
{
    int status;
    json_t *body = api_body(r, &status);
    if (!body)
        return status;
    struct transition_req t = {0};
    json_t *ids = NULL;
    if (!read_transition(r, body, true, &t, &ids, &status)) {
        json_decref(body);
        return status;
    }
    size_t n = json_array_size(ids);
    if (!json_is_array(ids) || n == 0 || n > 1000) {
        json_decref(body);
        return api_error(r, 400, "wrong_type", N_("ids must be a list of 1 to 1,000 model ids."), "ids");
    }
    int64_t *list = rq_alloc(r, n * sizeof *list);
    for (size_t i = 0; i < n; i++) {
        json_t *x = json_array_get(ids, i);
        if (!json_is_integer(x) || json_integer_value(x) <= 0) {
            json_decref(body);
            return api_error(r, 400, "wrong_type", N_("ids must be a list of 1 to 1,000 model ids."), "ids");
        }
        list[i] = json_integer_value(x);
    }
    struct verrs v = {0};
    const char *why = NULL;
    int64_t failed = 0;
    int rc = svc_models_transition(r->st, &r->actor, list, (int)n, &t, &v, &why, &failed);
    json_decref(body);
    if (rc == SVC_OK)
        return json_reply(r, 200, json_pack("{s:I, s:s}", "moved", (json_int_t)n, "to", model_status_names[t.to]));
    if (rc == SVC_INVALID)
        status = api_invalid(r, &v);
    else if (rc == SVC_FORBIDDEN)
        status = api_error(r, 403, "forbidden", why ? why : N_("Your role or unit does not allow this."), NULL);
    else if (rc == SVC_NOTFOUND)
        status = api_error(r, 404, "not_found", N_("No such model."), NULL);
    else
        status = api_svc_error(r, rc);
    /* say which model stopped the batch: nothing was changed */
    json_t *o = json_loadb(r->out.p, r->out.len, 0, NULL);
    if (o && failed) {
        json_object_set_new(json_object_get(o, "error"), "model_id", json_integer(failed));
        buf_reset(&r->out);
        return json_reply(r, status, o);
    }
    json_decref(o);
    return status;
}

int api_model_history(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    struct model_event *ev;
    int n;
    int rc = id ? svc_model_history(r->st, &r->actor, id, &ev, &n) : SVC_NOTFOUND;
    if (rc)
        return api_svc_error(r, rc);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?}", "id", (json_int_t)ev[i].id,
                                               "at", ev[i].at, "login", ev[i].login, "from",
                                               model_status_names[ev[i].from], "to", model_status_names[ev[i].to],
                                               "comment", ev[i].comment, "decision_no",
                                               ev[i].decision_no[0] ? ev[i].decision_no : NULL, "decision_date",
                                               ev[i].decision_date[0] ? ev[i].decision_date : NULL));
        model_event_free(&ev[i]);
    }
    free(ev);
    return json_reply(r, 200, json_pack("{s:o}", "items", items));
}

json_t *appraisal_to_json(const struct appraisal *a)
{
    json_t *scores = json_array();
    for (int i = 0; i < a->nscores; i++)
        json_array_append_new(scores, json_pack("{s:s, s:s, s:f, s:f, s:f}", "code", a->scores[i].code, "name",
                                                a->scores[i].name, "weight", a->scores[i].weight, "max_score",
                                                a->scores[i].max_score, "score", a->scores[i].score));
    return json_pack("{s:I, s:I, s:s, s:s?, s:s?, s:s?, s:o, s:f, s:f, s:b, s:s, s:s}", "id", (json_int_t)a->id,
                     "model_id", (json_int_t)a->model_id, "visit_date", a->visit_date, "members", a->members,
                     "findings", a->findings, "conclusion", a->conclusion, "scores", scores, "score", a->score,
                     "pass_score", a->pass_score, "passed", a->passed, "created_at", a->created_at, "login", a->login);
}

int api_appraisal_create(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    if (!id)
        return api_error(r, 404, "not_found", N_("No such model."), NULL);
    int status;
    json_t *body = api_body(r, &status);
    if (!body)
        return status;
    struct api_member mb[] = {{"visit_date", 's', NULL}, {"members", 's', NULL}, {"findings", 's', NULL},
                              {"conclusion", 's', NULL}, {"scores", 'o', NULL},  {NULL, 0, NULL}};
    struct appraisal ap;
    memset(&ap, 0, sizeof ap);
    if (!api_members(r, body, mb, &status)) {
        json_decref(body);
        return status;
    }
    const char *vd = api_str(mb, "visit_date"), *members = api_str(mb, "members"),
               *findings = api_str(mb, "findings"), *conclusion = api_str(mb, "conclusion");
    json_t *scores = api_val(mb, "scores");
    if (!json_is_object(scores) || json_object_size(scores) > CRITERIA_MAX) {
        json_decref(body);
        return api_error(r, 400, "wrong_type", N_("scores must be an object of criterion codes and numbers."), "scores");
    }
    const char *k;
    json_t *x;
    json_object_foreach(scores, k, x) {
        if (!json_is_number(x) || strlen(k) >= sizeof ap.scores[0].code) {
            json_decref(body);
            return api_error(r, 400, "wrong_type", N_("scores must be an object of criterion codes and numbers."),
                             "scores");
        }
        snprintf(ap.scores[ap.nscores].code, sizeof ap.scores[0].code, "%s", k);
        ap.scores[ap.nscores++].score = json_number_value(x);
    }
    if (vd && !date_parse_any(vd, ap.visit_date))
        snprintf(ap.visit_date, sizeof ap.visit_date, "?");
    ap.members = members ? xstrdup(members) : NULL;
    ap.findings = findings && *findings ? xstrdup(findings) : NULL;
    ap.conclusion = conclusion && *conclusion ? xstrdup(conclusion) : NULL;
    json_decref(body);
    struct verrs v = {0};
    int rc = svc_appraisal_add(r->st, &r->actor, id, &ap, &v);
    if (rc == SVC_INVALID)
        status = api_invalid(r, &v);
    else if (rc)
        status = api_svc_error(r, rc);
    else {
        char loc[80];
        snprintf(loc, sizeof loc, "/api/v1/models/%" PRId64 "/appraisals", id);
        rq_add_header(r, "location", loc);
        status = json_reply(r, 201, appraisal_to_json(&ap));
    }
    appraisal_free(&ap);
    return status;
}

int api_appraisals(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    struct appraisal *list;
    int n;
    int rc = id ? svc_appraisals(r->st, &r->actor, id, &list, &n) : SVC_NOTFOUND;
    if (rc)
        return api_svc_error(r, rc);
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(items, appraisal_to_json(&list[i]));
    appraisals_free(list, n);
    return json_reply(r, 200, json_pack("{s:o}", "items", items));
}

static int hierarchy_of(struct rq *r)
{
    const char *h = rq_query(r, "hierarchy");
    return !h || !*h ? 2025 : strcmp(h, "2024") == 0 ? 2024 : strcmp(h, "2025") == 0 ? 2025 : 0;
}

int api_scoring(struct rq *r)
{
    int h = hierarchy_of(r);
    const char *unit = rq_query(r, "unit");
    if (!h)
        return api_error(r, 400, "bad_parameter", N_("The hierarchy must be 2024 or 2025."), "hierarchy");
    if (!unit || !*unit)
        return api_error(r, 400, "missing_parameter", N_("Name the unit."), "unit");
    struct criterion cat[CRITERIA_MAX];
    int n;
    double pass;
    int rc = svc_scoring_for(r->st, h, unit, cat, &n, &pass);
    if (rc)
        return api_svc_error(r, rc);
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(items, json_pack("{s:s, s:s, s:f, s:f}", "code", cat[i].code, "name",
                                               T(r->lang, cat[i].name), "weight", cat[i].weight, "max_score",
                                               cat[i].max_score));
    return json_reply(r, 200, json_pack("{s:o, s:f}", "criteria", items, "pass_score", pass));
}

int api_criteria_put(struct rq *r)
{
    int h = hierarchy_of(r);
    if (!h)
        return api_error(r, 400, "bad_parameter", N_("The hierarchy must be 2024 or 2025."), "hierarchy");
    int status;
    json_t *body = api_body(r, &status);
    if (!body)
        return status;
    struct api_member mb[] = {{"criteria", 'a', NULL}, {NULL, 0, NULL}};
    json_t *list = NULL;
    if (api_members(r, body, mb, &status))
        list = api_val(mb, "criteria");
    else {
        json_decref(body);
        return status;
    }
    if (!json_is_array(list) || json_array_size(list) > CRITERIA_MAX) {
        json_decref(body);
        return api_error(r, 400, "wrong_type", N_("criteria must be a list of at most 20 criteria."), "criteria");
    }
    struct criterion c[CRITERIA_MAX];
    int n = 0;
    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *o = json_array_get(list, i), *code, *name, *w, *mx;
        if (!json_is_object(o) || json_object_size(o) != 4 || !json_is_string(code = json_object_get(o, "code")) ||
            !json_is_string(name = json_object_get(o, "name")) || !json_is_number(w = json_object_get(o, "weight")) ||
            !json_is_number(mx = json_object_get(o, "max_score")) ||
            strlen(json_string_value(code)) >= sizeof c[0].code || strlen(json_string_value(name)) >= sizeof c[0].name) {
            json_decref(body);
            return api_error(r, 400, "wrong_type",
                             N_("Each criterion has exactly code, name, weight and max_score."), "criteria");
        }
        snprintf(c[n].code, sizeof c[n].code, "%s", json_string_value(code));
        snprintf(c[n].name, sizeof c[n].name, "%s", json_string_value(name));
        c[n].weight = json_number_value(w);
        c[n].max_score = json_number_value(mx);
        n++;
    }
    json_decref(body);
    struct verrs v = {0};
    int rc = svc_criteria_set(r->st, &r->actor, h, r->params[0], c, n, &v);
    if (rc == SVC_INVALID)
        return api_invalid(r, &v);
    if (rc)
        return api_svc_error(r, rc);
    return json_reply(r, 200, json_pack("{s:i}", "criteria", n));
}

int api_pass_mark_put(struct rq *r)
{
    int h = hierarchy_of(r);
    if (!h)
        return api_error(r, 400, "bad_parameter", N_("The hierarchy must be 2024 or 2025."), "hierarchy");
    int status;
    json_t *body = api_body(r, &status);
    if (!body)
        return status;
    struct api_member mb[] = {{"pass_score", 'n', NULL}, {NULL, 0, NULL}};
    json_t *p = NULL;
    if (api_members(r, body, mb, &status))
        p = api_val(mb, "pass_score");
    else {
        json_decref(body);
        return status;
    }
    if (!json_is_number(p)) {
        json_decref(body);
        return api_error(r, 400, "wrong_type", N_("This field must be a number."), "pass_score");
    }
    double score = json_number_value(p);
    json_decref(body);
    struct verrs v = {0};
    int rc = svc_threshold_set(r->st, &r->actor, h, r->params[0], score, &v);
    if (rc == SVC_INVALID)
        return api_invalid(r, &v);
    if (rc)
        return api_svc_error(r, rc);
    return json_reply(r, 200, json_pack("{s:f}", "pass_score", score));
}
