/* json_model.c: fuzz target for the model JSON codec (service/model_json.c): a request
 * body read as the API reads it (json_loadb, duplicates refused), applied onto a new
 * model and as a patch onto a full one, validated (core/model.c), and written back out.
 * Checks that a model that validates goes out as JSON that reads back in. */
#include <string.h>
#include "fuzz.h"
#include "util/text.h"

/* A complete model, as a PATCH finds one. */
static void full_model(struct model *m)
{
    model_init(m);
    m->id = 7;
    snprintf(m->code, sizeof m->code, "DVK-2024-000007");
    model_set_str(&m->title, "Tổ tự quản an ninh trật tự thôn An Thiện");
    model_set_str(&m->summary, "Tuần tra ban đêm cùng Công an xã.");
    m->field = FIELD_DEFENSE_SECURITY;
    m->kind = KIND_COLLECTIVE;
    m->level = LEVEL_COMMUNE;
    m->status = STATUS_REGISTERED;
    m->owner_type = OWNER_ORGANIZATION;
    model_set_str(&m->owner, "Chi bộ thôn An Thiện");
    m->hierarchy = 2024;
    snprintf(m->unit_code, sizeof m->unit_code, "20368-01");
    snprintf(m->registered_on, sizeof m->registered_on, "2005-05-10");
    m->tags[m->ntags++] = xstrdup("an ninh");
    m->results[m->nresults++] = (struct model_result){2024, "households", 45};
    m->version = 3;
}

static void apply(json_t *j, struct model *m, bool patch)
{
    struct svc_err e = {0};
    int rc = model_from_json(j, m, patch, &e);
    fuzz_check(rc == SVC_OK || (rc == SVC_BADREQ && e.code && e.msg), "model_from_json: an error without its code");
    if (rc != SVC_OK)
        return;
    struct verrs v = {0};
    bool ok = model_validate(m, &v);
    fuzz_check(ok == (v.n == 0) && v.n <= VERR_MAX, "model_validate: count and result disagree");
    json_t *out = model_to_json(m);
    char *s = json_dumps(out, JSON_COMPACT);
    fuzz_check(s != NULL, "model_to_json: cannot be written");
    /* indicator codes are checked against the catalogue by the service (check_indicators),
     * not here: a code that is not text is one the catalogue does not have */
    for (int i = 0; i < m->nresults; i++)
        ok &= text_valid(m->results[i].indicator, strlen(m->results[i].indicator));
    if (ok) {
        /* a valid model's JSON is valid text, and reads back */
        fuzz_check(text_valid(s, strlen(s)), "model_to_json: not valid text");
        json_t *back = json_loads(s, JSON_REJECT_DUPLICATES, NULL);
        fuzz_check(back != NULL, "model_to_json: does not read back");
        for (const char *ro = "id\0code\0version\0unit_name\0unit_path\0created_at\0updated_at\0ext_key\0"; *ro;
             ro += strlen(ro) + 1)
            json_object_del(back, ro);
        struct model again;
        model_init(&again);
        struct svc_err e2 = {0};
        fuzz_check(model_from_json(back, &again, false, &e2) == SVC_OK, "model JSON does not read back in");
        struct verrs v2 = {0};
        fuzz_check(model_validate(&again, &v2), "a valid model is not valid after a round trip");
        model_free(&again);
        json_decref(back);
    }
    free(s);
    json_decref(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t je;
    json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
    if (!j)
        return 0;
    struct model m;
    model_init(&m);
    apply(j, &m, false);
    model_free(&m);
    full_model(&m);
    apply(j, &m, true);
    model_free(&m);
    json_decref(j);
    return 0;
}
