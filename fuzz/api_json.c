/* api_json.c: fuzz target for the JSON request bodies of the API: every handler in
 * src/http/api_*.c that reads a body, called as server.c calls it (after its checks)
 * on the demo database, with what the input writes undone afterwards.
 * Input: three bytes — which endpoint, who asks (and in which language), which model or
 * unit the path names and the If-Match sent — then the body.
 * Checks: a status in range, a JSON reply that parses, no transaction left open. */
#include <stdio.h>
#include <string.h>
#include "fuzz.h"
#include "http/handlers.h"

static const struct {
    const char *name;
    int (*handler)(struct rq *r);
    char param; /* what {} in the path is: 'm' a model id, 'u' a unit code, 0 none */
} endpoints[] = {
    {"POST /api/v1/models", api_models_create, 0},
    {"PATCH /api/v1/models/{}", api_model_patch, 'm'},
    {"POST /api/v1/models/{}/transitions", api_model_transition, 'm'},
    {"POST /api/v1/transitions", api_models_bulk_transition, 0},
    {"POST /api/v1/models/{}/appraisals", api_appraisal_create, 'm'},
    {"PUT /api/v1/provinces/{}/criteria", api_criteria_put, 'u'},
    {"PUT /api/v1/units/{}/pass-mark", api_pass_mark_put, 'u'},
    {"POST /api/v1/models/{}/replications", api_replication_create, 'm'},
    {"POST /api/v1/conferences", api_conference_create, 0},
    {"POST /api/v1/awards", api_award_create, 0},
    {"POST /api/v1/units/{}/villages", api_village_create, 'u'},
};
#define NENDPOINTS (int)(sizeof endpoints / sizeof endpoints[0])

static const char *const units[] = {"49", "48", "20368", "20380", "518", "20368-01", "0", "", "49/../48", "%zz"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    int which = data[0] % NENDPOINTS;
    int who = data[1] % 5 - 1, lang = (data[1] / 5) % 3;
    uint8_t target = data[2];
    data += 3, size -= 3;

    struct store *st = fuzz_store();
    struct actor a;
    fuzz_actor(st, who, &a);
    struct rq *r = fuzz_rq_new(st, &a, lang);
    r->method = "POST";
    /* the body as on_req keeps it: a NUL-terminated copy */
    char *body = xstrndup((const char *)data, size);
    r->body = size ? body : NULL;
    r->body_len = size;
    char param[32] = "";
    if (endpoints[which].param == 'm')
        snprintf(param, sizeof param, "%d", target % 32); /* the demo has 22 models; 0 and past them: none */
    else if (endpoints[which].param == 'u')
        snprintf(param, sizeof param, "%s", units[target % (sizeof units / sizeof units[0])]);
    r->params[0] = param;
    if (target & 0x80) {
        char etag[16];
        snprintf(etag, sizeof etag, "\"%d\"", (target >> 5) & 3);
        fuzz_rq_header(r, "if-match", etag);
    }

    fuzz_check_reply(r, endpoints[which].handler(r));

    fuzz_rq_free(r);
    free(body);
    fuzz_store_end(st);
    return 0;
}
