/* query.c: fuzz target for query strings and filters: the query decoder of the request
 * edge (http/edge.c), then the GET handlers that read it — the model list (API and page,
 * with the search box's text echoed into HTML), the reports, the public showcase,
 * similar titles, units, the audit trail — on the demo database.
 * Input: two bytes (which handler; who asks and in which language), then the query
 * string as it follows '?' in a URL.
 * Checks: the decoder's pairs are valid text, a status in range, no 500 for a query, a
 * JSON reply that parses, a reply that is valid text. */
#include <string.h>
#include "fuzz.h"
#include "http/edge.h"
#include "http/handlers.h"
#include "util/text.h"

static const struct {
    const char *name;
    int (*handler)(struct rq *r);
    const char *param;
} endpoints[] = {
    {"GET /api/v1/models", api_models_list, NULL},
    {"GET /models", page_models_list, NULL},
    {"GET /public", page_public_list, NULL},
    {"GET /api/v1/models/similar", api_models_similar, NULL},
    {"GET /api/v1/reports/summary", api_report, "summary"},
    {"GET /api/v1/reports/by_unit", api_report, "by_unit"},
    {"GET /api/v1/reports/results", api_report, "results"},
    {"GET /api/v1/reports/replication", api_report, "replication"},
    {"GET /api/v1/reports/timeseries", api_report, "timeseries"},
    {"GET /api/v1/units", api_units_list, NULL},
    {"GET /api/v1/audit", api_audit, NULL},
    {"GET /admin/audit", page_audit, NULL},
    {"GET /queue", page_queue, NULL},
    {"GET /api/v1/conferences", api_conferences, NULL},
};
#define NENDPOINTS (int)(sizeof endpoints / sizeof endpoints[0])

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    int which = data[0] % NENDPOINTS;
    int who = data[1] % 5 - 1, lang = (data[1] / 5) % 3;
    data += 2, size -= 2;

    struct store *st = fuzz_store();
    struct actor a;
    fuzz_actor(st, who, &a);
    struct rq *r = fuzz_rq_new(st, &a, lang);
    r->params[0] = endpoints[which].param;
    int rc = edge_pairs(r, (const char *)data, size, r->query, &r->nquery, false);
    fuzz_check(rc == EDGE_OK || rc == EDGE_BAD_TEXT || rc == EDGE_TOO_MANY, "edge_pairs: unknown result");
    fuzz_check(r->nquery >= 0 && r->nquery <= RQ_MAX_KV, "edge_pairs: too many pairs");
    for (int i = 0; i < r->nquery; i++)
        fuzz_check(text_valid(r->query[i].key, strlen(r->query[i].key)) &&
                       text_valid(r->query[i].val, strlen(r->query[i].val)),
                   "edge_pairs: a pair that is not valid text");
    if (rc == EDGE_OK) { /* the server answers 400 itself otherwise */
        fuzz_check_reply(r, endpoints[which].handler(r));
    }
    fuzz_rq_free(r);
    fuzz_store_end(st);
    return 0;
}
