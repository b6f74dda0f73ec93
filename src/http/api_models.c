/* api_models.c: /api/v1/models — register, read, edit (If-Match) and list models. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/handlers.h"
#include "http/i18n.h"
#include "service/service.h"
#include "util/text.h"

/* Model id from the path; 0 when it is not a positive integer. */
int64_t path_id(const char *s)
{
    if (!s || !*s || strlen(s) > 18)
        return 0;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return strtoll(s, NULL, 10);
}

static int internal(struct rq *r)
{
    return api_error(r, 500, "internal", N_("Something went wrong; nothing was changed."), NULL);
}

static int bad_request(struct rq *r, const struct svc_err *e)
{
    return api_error(r, 400, e->code, e->msg, e->detail);
}

static void set_etag(struct rq *r, int version)
{
    char etag[32];
    snprintf(etag, sizeof etag, "\"%d\"", version);
    rq_add_header(r, "etag", etag);
}

int api_models_create(struct rq *r)
{
    int status;
    json_t *body = api_body(r, &status);
    if (!body)
        return status;
    struct model m;
    struct svc_err e = {0};
    struct verrs v = {0};
    model_init(&m);
    int rc = model_from_json(body, &m, false, &e);
    json_decref(body);
    if (rc == SVC_BADREQ) {
        status = bad_request(r, &e);
        goto out;
    }
    /* a client that may send the same model twice (a retry after a lost answer) names the
     * sending with an Idempotency-Key: the second send answers the model of the first */
    const char *key = rq_header(r, "idempotency-key");
    int64_t earlier = 0;
    rc = svc_model_create_once(r->st, &r->actor, &m, key, &earlier, &v);
    if (rc == SVC_BADREQ) {
        status = api_error(r, 400, "bad_idempotency_key",
                           N_("The Idempotency-Key header must be 1 to 100 visible ASCII characters."), NULL);
        goto out;
    }
    if (rc == SVC_INVALID) {
        status = api_invalid(r, &v);
        goto out;
    }
    if (rc) {
        status = api_svc_error(r, rc);
        goto out;
    }
    struct model saved;
    rc = svc_model_get(r->st, &r->actor, earlier ? earlier : m.id, &saved);
    if (rc == SVC_NOTFOUND && earlier) {
        /* the key's model is no longer the caller's to read */
        status = api_error(r, 409, "idempotency_key_used", N_("This Idempotency-Key was used already."), NULL);
        goto out;
    }
    if (rc != SVC_OK) {
        status = internal(r);
        goto out;
    }
    char loc[64];
    snprintf(loc, sizeof loc, "/api/v1/models/%" PRId64, saved.id);
    rq_add_header(r, "location", loc);
    if (earlier)
        rq_add_header(r, "idempotent-replayed", "true");
    set_etag(r, saved.version);
    status = json_reply(r, earlier ? 200 : 201, model_to_json(&saved));
    model_free(&saved);
out:
    model_free(&m);
    return status;
}

int api_model_get(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    struct model m;
    int rc = id ? svc_model_get(r->st, &r->actor, id, &m) : SVC_NOTFOUND;
    if (rc == SVC_NOTFOUND)
        return api_error(r, 404, "not_found", N_("No such model."), NULL);
    if (rc)
        return internal(r);
    set_etag(r, m.version);
    int status = json_reply(r, 200, model_to_json(&m));
    model_free(&m);
    return status;
}

/* If-Match: 3, "3" or W/"3"; -1 when absent, -2 when malformed. */
static int if_match(struct rq *r)
{
    const char *h = rq_header(r, "if-match");
    if (!h)
        return -1;
    if (strncmp(h, "W/", 2) == 0)
        h += 2;
    char digits[16];
    size_t n = strlen(h);
    if (n >= 2 && h[0] == '"' && h[n - 1] == '"')
        h++, n -= 2;
    if (n == 0 || n >= sizeof digits)
        return -2;
    memcpy(digits, h, n);
    digits[n] = 0;
    for (size_t i = 0; i < n; i++)
        if (digits[i] < '0' || digits[i] > '9')
            return -2;
    return atoi(digits);
}

int api_model_patch(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    struct model m;
    int rc = id ? svc_model_get(r->st, &r->actor, id, &m) : SVC_NOTFOUND;
    if (rc == SVC_NOTFOUND)
        return api_error(r, 404, "not_found", N_("No such model."), NULL);
    if (rc)
        return internal(r);
    int status, expected = if_match(r);
    json_t *body = NULL;
    struct svc_err e = {0};
    struct verrs v = {0};
    if (expected == -1) {
        status = api_error(r, 428, "precondition_required",
                           N_("Send If-Match with the version you edited, so that no one else's change is lost."), NULL);
        goto out;
    }
    if (expected == -2) {
        status = api_error(r, 400, "bad_header", N_("If-Match must be a version number."), NULL);
        goto out;
    }
    if (!(body = api_body(r, &status)))
        goto out;
    if (json_object_get(body, "status")) {
        status = api_error(r, 400, "read_only_field", N_("The status changes only through a transition."), "status");
        goto out;
    }
    if (model_from_json(body, &m, true, &e) == SVC_BADREQ) {
        status = bad_request(r, &e);
        goto out;
    }
    if (expected != m.version) {
        status = api_error(r, 409, "version_conflict",
                           N_("Someone else changed this model in the meantime. Reload it and apply your change again."),
                           NULL);
        goto out;
    }
    rc = svc_model_update(r->st, &r->actor, &m, expected, &v);
    if (rc == SVC_INVALID)
        status = api_invalid(r, &v);
    else if (rc == SVC_CONFLICT)
        status = api_error(r, 409, "version_conflict",
                           N_("Someone else changed this model in the meantime. Reload it and apply your change again."),
                           NULL);
    else if (rc == SVC_NOTFOUND)
        status = api_error(r, 404, "not_found", N_("No such model."), NULL);
    else if (rc)
        status = api_svc_error(r, rc);
    else {
        struct model saved;
        if (svc_model_get(r->st, &r->actor, id, &saved) != SVC_OK) {
            status = internal(r);
            goto out;
        }
        set_etag(r, saved.version);
        status = json_reply(r, 200, model_to_json(&saved));
        model_free(&saved);
    }
out:
    json_decref(body);
    model_free(&m);
    return status;
}

/* Where the words of q_fold match text: [[start, end], ...] in code points ([] for NULL). */
static json_t *highlight(const char *text, const char *q_fold)
{
    json_t *a = json_array();
    if (!text)
        return a;
    struct text_span sp[64];
    int n = text_match_spans(text, q_fold, sp, 64);
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_pack("[I, I]", (json_int_t)text_cp_offset(text, sp[i].start),
                                           (json_int_t)text_cp_offset(text, sp[i].end)));
    return a;
}

/* Query parameters of a model list, shared with the list page. */
void model_query_from(struct rq *r, struct model_query *q)
{
    q->field = rq_query(r, "field");
    q->kind = rq_query(r, "kind");
    q->status = rq_query(r, "status");
    q->unit = rq_query(r, "unit");
    q->hierarchy = rq_query(r, "hierarchy");
    q->from = rq_query(r, "from");
    q->to = rq_query(r, "to");
    q->typical = rq_query(r, "typical");
    q->q = rq_query(r, "q");
    q->sort = rq_query(r, "sort");
    q->limit = rq_query(r, "limit");
    q->cursor = rq_query(r, "cursor");
}

int api_models_list(struct rq *r)
{
    static const char *const known[] = {"field", "kind", "status", "unit", "hierarchy", "from", "to",
                                        "typical", "q", "sort", "limit", "cursor", "lang"};
    for (int i = 0; i < r->nquery; i++) {
        bool ok = false;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            ok |= strcmp(known[k], r->query[i].key) == 0;
        if (!ok)
            return api_error(r, 400, "unknown_parameter", N_("Unknown parameter."), r->query[i].key);
    }
    struct model_query q = {0};
    model_query_from(r, &q);
    struct model_page page;
    struct verrs v = {0};
    char next[NEXT_CURSOR_MAX];
    int rc = svc_model_list(r->st, &r->actor, &q, &page, next, &v);
    if (rc == SVC_INVALID)
        return api_error(r, 400, "bad_parameter", v.e[0].msg, v.e[0].field);
    if (rc)
        return api_svc_error(r, rc);
    char *qf = q.q && *q.q ? text_fold(q.q) : NULL;
    json_t *items = json_array();
    for (int i = 0; i < page.n; i++) {
        json_t *it = model_to_json(&page.items[i]);
        if (qf && *qf)
            json_object_set_new(it, "highlight",
                                json_pack("{s:o, s:o}", "title", highlight(page.items[i].title, qf), "summary",
                                          highlight(page.items[i].summary, qf)));
        json_array_append_new(items, it);
    }
    free(qf);
    json_t *o = json_pack("{s:o, s:I, s:b, s:o}", "items", items, "total", (json_int_t)page.total, "total_capped",
                          page.total_capped, "next", next[0] ? json_string(next) : json_null());
    model_page_free(&page);
    return json_reply(r, 200, o);
}

int api_models_similar(struct rq *r)
{
    static const char *const known[] = {"title", "hierarchy", "unit_code", "exclude", "lang"};
    for (int i = 0; i < r->nquery; i++) {
        bool ok = false;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            ok |= strcmp(known[k], r->query[i].key) == 0;
        if (!ok)
            return api_error(r, 400, "unknown_parameter", N_("Unknown parameter."), r->query[i].key);
    }
    const char *h = rq_query(r, "hierarchy"), *ex = rq_query(r, "exclude");
    int hierarchy = h && *h ? (strlen(h) == 4 ? atoi(h) : 0) : 2025;
    int64_t exclude = ex && *ex ? path_id(ex) : 0;
    if (ex && *ex && !exclude)
        return api_error(r, 400, "bad_parameter", N_("Not a model id."), "exclude");
    struct similar_list l;
    struct verrs v = {0};
    int rc = svc_model_similar(r->st, &r->actor, rq_query(r, "title"), hierarchy, rq_query(r, "unit_code"), exclude,
                               &l, &v);
    if (rc == SVC_INVALID)
        return api_error(r, 400, "bad_parameter", v.e[0].msg, v.e[0].field);
    if (rc)
        return api_svc_error(r, rc);
    json_t *items = json_array();
    for (int i = 0; i < l.n; i++) {
        const struct model *m = &l.items[i].m;
        json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:i, s:s, s:s?, s:s, s:s, s:i}", "id",
                                               (json_int_t)m->id, "code", m->code, "title", m->title ? m->title : "",
                                               "status", model_status_names[m->status], "hierarchy", m->hierarchy,
                                               "unit_code", m->unit_code, "unit_name", m->unit_name, "registered_on",
                                               m->registered_on, "proximity", proximity_names[l.items[i].proximity],
                                               "score", l.items[i].score));
    }
    similar_list_free(&l);
    return json_reply(r, 200, json_pack("{s:o}", "items", items));
}

int api_indicators(struct rq *r)
{
    struct indicator *ind;
    int n;
    if (svc_indicators(r->st, &ind, &n) != SVC_OK)
        return internal(r);
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s}", "code", ind[i].code, "name", T(r->lang, ind[i].name),
                                           "unit", T(r->lang, ind[i].unit), "aggregate", ind[i].mean ? "mean" : "sum"));
    free(ind);
    return json_reply(r, 200, json_pack("{s:o}", "items", a));
}

int api_healthz(struct rq *r)
{
    int64_t n;
    if (r->st->ops->model_count(r->st, &n) != ST_OK)
        return api_error(r, 503, "unavailable", N_("The database is not available."), NULL);
    return json_reply(r, 200, json_pack("{s:s}", "status", "ok"));
}

int api_me(struct rq *r)
{
    const struct actor *a = &r->actor;
    json_t *o = json_pack("{s:s, s:s, s:i, s:s?}", "login", a->login, "role", role_names[a->role], "hierarchy",
                          a->hierarchy, "unit_code", a->unit_code[0] ? a->unit_code : NULL);
    /* a script signed in with a cookie sends this back as X-CSRF-Token */
    if (!r->by_token && r->csrf[0])
        json_object_set_new(o, "csrf_token", json_string(r->csrf));
    return json_reply(r, 200, o);
}
