/* api_reports.c: GET /api/v1/reports/{name}: the seven reports as JSON or CSV
 * (?format=json|csv|xlsx), with the parameters of `dvk report`. */
#include <stdlib.h>
#include <string.h>
#include "http/handlers.h"
#include "http/i18n.h"
#include "service/report_service.h"

static const char *const report_params[] = {"unit", "from", "to", "hierarchy", "status", "field", "kind", "format", "lang"};

/* Checks the query's names and reads its values; the name of an unknown one, or NULL. */
const char *report_query_from(struct rq *r, struct report_query *q)
{
    for (int i = 0; i < r->nquery; i++) {
        bool ok = false;
        for (size_t k = 0; k < sizeof report_params / sizeof report_params[0]; k++)
            ok |= strcmp(report_params[k], r->query[i].key) == 0;
        if (!ok)
            return r->query[i].key;
    }
    report_query_read(r, q);
    return NULL;
}

void report_query_read(struct rq *r, struct report_query *q)
{
    memset(q, 0, sizeof *q);
    q->unit = rq_query(r, "unit");
    q->from = rq_query(r, "from");
    q->to = rq_query(r, "to");
    q->hierarchy = rq_query(r, "hierarchy");
    q->status = rq_query(r, "status");
    q->field = rq_query(r, "field");
    q->kind = rq_query(r, "kind");
}

int api_report(struct rq *r)
{
    struct report_query q;
    const char *bad = report_query_from(r, &q);
    if (bad)
        return api_error(r, 400, "unknown_parameter", N_("Unknown parameter."), bad);
    const char *fmt = rq_query(r, "format");
    if (fmt && *fmt && strcmp(fmt, "json") && strcmp(fmt, "csv"))
        return api_error(r, 400, "bad_parameter", N_("Unknown value."), "format");
    struct report rep;
    struct verrs v = {0};
    int rc = svc_report(r->st, &r->actor, r->params[0], &q, &rep, &v);
    if (rc == SVC_INVALID)
        return api_error(r, 400, "bad_parameter", v.e[0].msg, v.e[0].field);
    if (rc == SVC_NOTFOUND)
        return api_error(r, 404, "not_found", N_("No such report."), NULL);
    if (rc)
        return api_svc_error(r, rc);
    rq_add_header(r, "cache-control", "private, no-store");
    if (fmt && strcmp(fmt, "csv") == 0) {
        size_t len;
        char *csv = report_to_csv(&rep, r->lang, &len);
        buf_add(&r->out, csv, len);
        free(csv);
        char cd[96];
        snprintf(cd, sizeof cd, "attachment; filename=\"dvk-%s.csv\"", report_names[rep.name]);
        rq_add_header(r, "content-disposition", cd);
        r->content_type = "text/csv; charset=utf-8";
        report_free(&rep);
        return 200;
    }
    json_t *o = report_to_json(&rep, r->lang);
    report_free(&rep);
    return json_reply(r, 200, o);
}
