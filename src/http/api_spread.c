/* api_spread.c: replications with coverage, conferences and awards. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/handlers.h"
#include "http/i18n.h"
#include "util/date.h"
#include "util/text.h"

static void date_into(const char *s, char out[11])
{
    out[0] = 0;
    if (s && *s && !date_parse_any(s, out))
        snprintf(out, 11, "?");
}

json_t *replication_to_json(const struct replication *x)
{
    json_t *o = json_pack("{s:I, s:i, s:s, s:s, s:s, s:i, s:s, s:s?, s:s, s:s}", "id", (json_int_t)x->id, "hierarchy",
                          x->hierarchy, "unit_code", x->unit_code, "unit_name", x->unit_name, "parent_code",
                          x->parent_code, "level", x->level, "since", x->since, "note", x->note, "created_at",
                          x->created_at, "login", x->login);
    json_object_set_new(o, "replica_model_id", x->replica_model_id ? json_integer(x->replica_model_id) : json_null());
    return o;
}

int api_replications(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    struct replication *list;
    int n;
    int rc = id ? svc_replications(r->st, &r->actor, id, &list, &n) : SVC_NOTFOUND;
    if (rc)
        return api_svc_error(r, rc);
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(items, replication_to_json(&list[i]));
    replications_free(list, n);
    struct coverage *cov;
    int nc;
    if (svc_coverage(r->st, &r->actor, id, &cov, &nc) != SVC_OK) {
        json_decref(items);
        return api_svc_error(r, SVC_ERROR);
    }
    json_t *c = json_array();
    for (int i = 0; i < nc; i++)
        json_array_append_new(c, json_pack("{s:i, s:s, s:s, s:i, s:i, s:i, s:f}", "hierarchy", cov[i].hierarchy,
                                           "parent_code", cov[i].parent_code, "parent_name", cov[i].parent_name,
                                           "child_level", cov[i].child_level, "covered", cov[i].covered, "total",
                                           cov[i].total, "percent",
                                           cov[i].total ? 100.0 * cov[i].covered / cov[i].total : 0.0));
    free(cov);
    int64_t src[16];
    int ns = 0;
    svc_replica_sources(r->st, &r->actor, id, src, 16, &ns);
    json_t *sources = json_array();
    for (int i = 0; i < ns; i++)
        json_array_append_new(sources, json_integer(src[i]));
    return json_reply(r, 200, json_pack("{s:o, s:o, s:o}", "items", items, "coverage", c, "replica_of", sources));
}

int api_replication_create(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    if (!id)
        return api_error(r, 404, "not_found", N_("No such model."), NULL);
    int status;
    json_t *body = api_body(r, &status);
    if (!body)
        return status;
    struct api_member m[] = {{"hierarchy", 'i', NULL}, {"unit_code", 's', NULL}, {"since", 's', NULL},
                         {"replica_model_id", 'i', NULL}, {"note", 's', NULL}, {NULL, 0, NULL}};
    if (!api_members(r, body, m, &status)) {
        json_decref(body);
        return status;
    }
    struct replication x;
    memset(&x, 0, sizeof x);
    x.hierarchy = api_val(m, "hierarchy") ? (int)json_integer_value(api_val(m, "hierarchy")) : 2025;
    snprintf(x.unit_code, sizeof x.unit_code, "%s", api_str(m, "unit_code") && strlen(api_str(m, "unit_code")) < 32 ? api_str(m, "unit_code") : "");
    date_into(api_str(m, "since"), x.since);
    x.replica_model_id = api_val(m, "replica_model_id") ? json_integer_value(api_val(m, "replica_model_id")) : 0;
    x.note = api_str(m, "note") && *api_str(m, "note") ? text_nfc_trim(api_str(m, "note")) : NULL;
    json_decref(body);
    struct verrs v = {0};
    int rc = svc_replication_add(r->st, &r->actor, id, &x, &v);
    if (rc == SVC_INVALID)
        status = api_invalid(r, &v);
    else if (rc)
        status = api_svc_error(r, rc);
    else {
        /* answer with the stored row (names filled in) */
        struct replication *list;
        int n;
        status = api_svc_error(r, SVC_ERROR);
        if (svc_replications(r->st, &r->actor, id, &list, &n) == SVC_OK) {
            buf_reset(&r->out);
            for (int i = 0; i < n; i++)
                if (list[i].id == x.id)
                    status = json_reply(r, 201, replication_to_json(&list[i]));
            replications_free(list, n);
        }
    }
    replication_free(&x);
    return status;
}

int api_replication_delete(struct rq *r)
{
    int64_t id = path_id(r->params[0]), rid = path_id(r->params[1]);
    int rc = id && rid ? svc_replication_remove(r->st, &r->actor, id, rid) : SVC_NOTFOUND;
    if (rc)
        return api_svc_error(r, rc);
    return 204;
}

static json_t *event_to_json(const struct commendation_event *e)
{
    return json_pack("{s:I, s:s, s:s, s:i, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)e->id,
                     "title", e->title ? e->title : "", "kind", event_kind_names[e->kind], "span_years", e->span_years,
                     "hierarchy", e->hierarchy, "unit_code", e->unit_code, "unit_name", e->unit_name, "level",
                     reg_level_names[e->level], "held_on", e->held_on, "period_from", e->period_from, "period_to",
                     e->period_to, "created_at", e->created_at, "login", e->login);
}

json_t *award_to_json(const struct award *a)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s}", "id", (json_int_t)a->id, "recipient_type",
                          recipient_type_names[a->recipient_type], "recipient_name",
                          a->recipient_name ? a->recipient_name : "", "form", award_form_names[a->form], "issuer",
                          a->issuer ? a->issuer : "", "hierarchy", a->hierarchy, "unit_code", a->unit_code,
                          "created_at", a->created_at, "login", a->login);
    json_object_set_new(o, "event_id", a->event_id ? json_integer(a->event_id) : json_null());
    json_object_set_new(o, "model_id", a->model_id ? json_integer(a->model_id) : json_null());
    json_object_set_new(o, "decision_no", a->decision_no[0] ? json_string(a->decision_no) : json_null());
    json_object_set_new(o, "decision_date", a->decision_date[0] ? json_string(a->decision_date) : json_null());
    json_object_set_new(o, "amount_vnd", a->amount_vnd >= 0 ? json_real(a->amount_vnd) : json_null());
    return o;
}

int api_conferences(struct rq *r)
{
    struct commendation_event *list;
    int n;
    int rc = svc_events(r->st, &r->actor, &list, &n);
    if (rc)
        return api_svc_error(r, rc);
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(items, event_to_json(&list[i]));
    events_free(list, n);
    return json_reply(r, 200, json_pack("{s:o}", "items", items));
}

int api_conference_create(struct rq *r)
{
    int status;
    json_t *body = api_body(r, &status);
    if (!body)
        return status;
    struct api_member m[] = {{"title", 's', NULL},     {"kind", 's', NULL},      {"span_years", 'i', NULL},
                         {"hierarchy", 'i', NULL}, {"unit_code", 's', NULL}, {"level", 's', NULL},
                         {"held_on", 's', NULL},   {"period_from", 's', NULL}, {"period_to", 's', NULL},
                         {NULL, 0, NULL}};
    if (!api_members(r, body, m, &status)) {
        json_decref(body);
        return status;
    }
    struct commendation_event e;
    memset(&e, 0, sizeof e);
    e.title = api_str(m, "title") && *api_str(m, "title") ? text_nfc_trim(api_str(m, "title")) : NULL;
    e.kind = enum_parse(event_kind_names, EVENT_KIND_COUNT, api_str(m, "kind"));
    e.span_years = api_val(m, "span_years") ? (int)json_integer_value(api_val(m, "span_years")) : 0;
    e.hierarchy = api_val(m, "hierarchy") ? (int)json_integer_value(api_val(m, "hierarchy")) : 2025;
    snprintf(e.unit_code, sizeof e.unit_code, "%s", api_str(m, "unit_code") && strlen(api_str(m, "unit_code")) < 32 ? api_str(m, "unit_code") : "");
    e.level = enum_parse(reg_level_names, LEVEL_COUNT, api_str(m, "level"));
    date_into(api_str(m, "held_on"), e.held_on);
    date_into(api_str(m, "period_from"), e.period_from);
    date_into(api_str(m, "period_to"), e.period_to);
    json_decref(body);
    struct verrs v = {0};
    int rc = svc_event_add(r->st, &r->actor, &e, &v);
    if (rc == SVC_INVALID)
        status = api_invalid(r, &v);
    else if (rc)
        status = api_svc_error(r, rc);
    else {
        char loc[64];
        snprintf(loc, sizeof loc, "/api/v1/conferences/%" PRId64 "/awards", e.id);
        rq_add_header(r, "location", loc);
        status = json_reply(r, 201, event_to_json(&e));
    }
    commendation_event_free(&e);
    return status;
}

static int awards_reply(struct rq *r, int64_t model_id, int64_t event_id)
{
    struct award *list;
    int n;
    int rc = svc_awards(r->st, &r->actor, model_id, event_id, &list, &n);
    if (rc)
        return api_svc_error(r, rc);
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(items, award_to_json(&list[i]));
    awards_free(list, n);
    return json_reply(r, 200, json_pack("{s:o}", "items", items));
}

int api_model_awards(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    return id ? awards_reply(r, id, 0) : api_svc_error(r, SVC_NOTFOUND);
}

int api_conference_awards(struct rq *r)
{
    int64_t id = path_id(r->params[0]);
    return id ? awards_reply(r, 0, id) : api_svc_error(r, SVC_NOTFOUND);
}

int api_award_create(struct rq *r)
{
    int status;
    json_t *body = api_body(r, &status);
    if (!body)
        return status;
    struct api_member m[] = {{"event_id", 'i', NULL},       {"recipient_type", 's', NULL}, {"model_id", 'i', NULL},
                         {"recipient_name", 's', NULL}, {"form", 's', NULL},           {"issuer", 's', NULL},
                         {"decision_no", 's', NULL},    {"decision_date", 's', NULL},  {"amount_vnd", 'n', NULL},
                         {"hierarchy", 'i', NULL},      {"unit_code", 's', NULL},      {NULL, 0, NULL}};
    if (!api_members(r, body, m, &status)) {
        json_decref(body);
        return status;
    }
    struct award a;
    memset(&a, 0, sizeof a);
    a.event_id = api_val(m, "event_id") ? json_integer_value(api_val(m, "event_id")) : 0;
    a.recipient_type = enum_parse(recipient_type_names, RECIPIENT_COUNT, api_str(m, "recipient_type"));
    a.model_id = api_val(m, "model_id") ? json_integer_value(api_val(m, "model_id")) : 0;
    a.recipient_name = api_str(m, "recipient_name") && *api_str(m, "recipient_name") ? text_nfc_trim(api_str(m, "recipient_name")) : NULL;
    a.form = enum_parse(award_form_names, AWARD_FORM_COUNT, api_str(m, "form"));
    a.issuer = api_str(m, "issuer") && *api_str(m, "issuer") ? text_nfc_trim(api_str(m, "issuer")) : NULL;
    const char *dn = api_str(m, "decision_no");
    snprintf(a.decision_no, sizeof a.decision_no, "%s", dn && strlen(dn) < sizeof a.decision_no ? dn : dn ? "?" : "");
    date_into(api_str(m, "decision_date"), a.decision_date);
    a.amount_vnd = api_val(m, "amount_vnd") ? json_number_value(api_val(m, "amount_vnd")) : -1;
    if (api_val(m, "amount_vnd") && a.amount_vnd < 0)
        a.amount_vnd = 1e99; /* rejected by validation with its message */
    a.hierarchy = api_val(m, "hierarchy") ? (int)json_integer_value(api_val(m, "hierarchy")) : 2025;
    snprintf(a.unit_code, sizeof a.unit_code, "%s", api_str(m, "unit_code") && strlen(api_str(m, "unit_code")) < 32 ? api_str(m, "unit_code") : "");
    json_decref(body);
    struct verrs v = {0};
    int rc = svc_award_add(r->st, &r->actor, &a, &v);
    if (rc == SVC_INVALID)
        status = api_invalid(r, &v);
    else if (rc)
        status = api_svc_error(r, rc);
    else
        status = json_reply(r, 201, award_to_json(&a));
    award_free(&a);
    return status;
}
