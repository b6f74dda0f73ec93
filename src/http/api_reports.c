/* api_reports.c: GET /api/v1/reports/{name}: the seven reports as JSON, CSV or the XLSX
 * an office hands in (?format=json|csv|xlsx, and number=N for its "Số N-BC/…"), with the
 * parameters of `dvk report`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "http/handlers.h"
#include "http/i18n.h"
#include "service/report_service.h"

static const char *const report_params[] = {"unit", "from", "to", "hierarchy", "status", "field", "kind", "format", "lang", "number"};

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

/* The workbook is written to a temporary file (libxlsxwriter writes files) and sent. */
static int send_xlsx(struct rq *r, struct report *rep, const char *number)
{
    char path[] = "/tmp/dvk-report-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        report_free(rep);
        return api_svc_error(r, SVC_ERROR);
    }
    close(fd);
    int rc = svc_report_xlsx(r->st, rep, r->lang, number, path);
    if (rc == SVC_OK && buf_add_file(&r->out, path))
        rc = SVC_ERROR;
    unlink(path);
    report_free(rep);
    if (rc)
        return api_svc_error(r, rc);
    char cd[96];
    snprintf(cd, sizeof cd, "attachment; filename=\"dvk-%s.xlsx\"", report_names[rep->name]);
    rq_add_header(r, "content-disposition", cd);
    r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    return 200;
}

int api_report(struct rq *r)
{
    struct report_query q;
    const char *bad = report_query_from(r, &q);
    if (bad)
        return api_error(r, 400, "unknown_parameter", N_("Unknown parameter."), bad);
    const char *fmt = rq_query(r, "format");
    if (fmt && *fmt && strcmp(fmt, "json") && strcmp(fmt, "csv") && strcmp(fmt, "xlsx"))
        return api_error(r, 400, "bad_parameter", N_("Unknown value."), "format");
    const char *number = rq_query(r, "number");
    if (number && *number && !report_number_valid(number))
        return api_error(r, 400, "bad_parameter", N_("The number is 1 to 6 digits."), "number");
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
    if (fmt && strcmp(fmt, "xlsx") == 0)
        return send_xlsx(r, &rep, number);
    json_t *o = report_to_json(&rep, r->lang);
    report_free(&rep);
    return json_reply(r, 200, o);
}
