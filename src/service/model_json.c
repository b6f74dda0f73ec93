/* model_json.c: models to and from JSON, against one declared list of members.
 * Unknown members are errors, not ignored; types are checked before values. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "service/service.h"
#include "util/buf.h"
#include "util/text.h"

enum jtype { J_STR, J_FIX, J_ENUM, J_HIER, J_BOOL, J_TAGS, J_RESULTS, J_READONLY };

struct jmember {
    const char *name;
    enum jtype type;
    size_t off;               /* offset in struct model */
    size_t size;              /* J_FIX: array size */
    const char *const *names; /* J_ENUM: API names */
    int count;                /* J_ENUM: entries */
};

#define STR(n) {#n, J_STR, offsetof(struct model, n), 0, NULL, 0}
#define FIX(n) {#n, J_FIX, offsetof(struct model, n), sizeof(((struct model *)0)->n), NULL, 0}
#define ENUM(n, f, t, c) {n, J_ENUM, offsetof(struct model, f), 0, t, c}
#define RO(n) {n, J_READONLY, 0, 0, NULL, 0}

static const struct jmember members[] = {
    STR(title), STR(summary), STR(description),
    ENUM("field", field, model_field_names, FIELD_COUNT),
    ENUM("kind", kind, model_kind_names, KIND_COUNT),
    ENUM("registration_level", level, reg_level_names, LEVEL_COUNT),
    ENUM("status", status, model_status_names, STATUS_COUNT),
    ENUM("owner_type", owner_type, owner_type_names, OWNER_COUNT),
    {"hierarchy", J_HIER, offsetof(struct model, hierarchy), 0, NULL, 0},
    FIX(unit_code), FIX(registered_on), STR(owner),
    STR(situation), STR(objectives), STR(content), STR(area_target), STR(forces), STR(resources), STR(outputs),
    STR(sustainability), FIX(period_from), FIX(period_to),
    {"tags", J_TAGS, 0, 0, NULL, 0},
    {"typical", J_BOOL, offsetof(struct model, typical), 0, NULL, 0},
    {"public", J_BOOL, offsetof(struct model, is_public), 0, NULL, 0},
    STR(typical_reason), FIX(commune_2025),
    {"results", J_RESULTS, 0, 0, NULL, 0},
    RO("id"), RO("code"), RO("version"), RO("unit_name"), RO("unit_path"), RO("created_at"), RO("updated_at"),
    RO("ext_key"),
};

static int bad(struct svc_err *e, const char *code, const char *msg, const char *detail)
{
    e->code = code;
    e->msg = msg;
    snprintf(e->detail, sizeof e->detail, "%s", detail);
    return SVC_BADREQ;
}

/* NFC-normalized, trimmed copy; NULL for an empty string. */
static char *clean(const char *s)
{
    char *c = text_nfc_trim(s);
    if (!*c) {
        free(c);
        return NULL;
    }
    return c;
}

static int set_member(const struct jmember *d, json_t *v, struct model *m, bool patch, struct svc_err *e)
{
    char *base = (char *)m;
    switch (d->type) {
    case J_READONLY:
        return bad(e, "read_only_field", "This field cannot be set.", d->name);
    case J_STR: {
        char **slot = (char **)(base + d->off);
        if (json_is_null(v)) {
            model_set_str(slot, NULL);
            return SVC_OK;
        }
        if (!json_is_string(v))
            return bad(e, "wrong_type", "This field must be a string.", d->name);
        if (!text_valid(json_string_value(v), json_string_length(v)))
            return bad(e, "invalid_text", "This field contains control characters.", d->name);
        free(*slot);
        *slot = clean(json_string_value(v));
        return SVC_OK;
    }
    case J_FIX: {
        char *slot = base + d->off;
        if (json_is_null(v)) {
            slot[0] = 0;
            return SVC_OK;
        }
        if (!json_is_string(v))
            return bad(e, "wrong_type", "This field must be a string.", d->name);
        if (!text_valid(json_string_value(v), json_string_length(v)))
            return bad(e, "invalid_text", "This field contains control characters.", d->name);
        char *c = text_nfc_trim(json_string_value(v));
        /* Too long for the field: keep a value that validation rejects. */
        snprintf(slot, d->size, "%s", strlen(c) < d->size ? c : "?");
        free(c);
        return SVC_OK;
    }
    case J_ENUM: {
        int *slot = (int *)(base + d->off);
        if (json_is_null(v)) {
            *slot = 0;
            return SVC_OK;
        }
        if (!json_is_string(v))
            return bad(e, "wrong_type", "This field must be a string.", d->name);
        int k = enum_parse(d->names, d->count, json_string_value(v));
        *slot = k ? k : -1; /* -1: an unknown value, which validation reports */
        return SVC_OK;
    }
    case J_HIER: {
        int *slot = (int *)(base + d->off);
        if (!json_is_integer(v))
            return bad(e, "wrong_type", "This field must be a number.", d->name);
        json_int_t h = json_integer_value(v);
        *slot = h == 2024 || h == 2025 ? (int)h : -1;
        return SVC_OK;
    }
    case J_BOOL: {
        if (!json_is_boolean(v))
            return bad(e, "wrong_type", "This field must be true or false.", d->name);
        *(bool *)(base + d->off) = json_is_true(v);
        return SVC_OK;
    }
    case J_TAGS: {
        if (!json_is_array(v))
            return bad(e, "wrong_type", "This field must be a list of strings.", d->name);
        size_t n = json_array_size(v);
        for (size_t i = 0; i < n; i++) {
            json_t *t = json_array_get(v, i);
            if (!json_is_string(t))
                return bad(e, "wrong_type", "This field must be a list of strings.", d->name);
            if (!text_valid(json_string_value(t), json_string_length(t)))
                return bad(e, "invalid_text", "This field contains control characters.", d->name);
        }
        if (n > MODEL_MAX_TAGS)
            return bad(e, "too_many", "Too many items in this list.", d->name);
        for (int i = 0; i < m->ntags; i++)
            free(m->tags[i]);
        m->ntags = 0;
        for (size_t i = 0; i < n; i++) {
            char *t = text_nfc_trim(json_string_value(json_array_get(v, i)));
            m->tags[m->ntags++] = t; /* an empty tag is kept so validation can name it */
        }
        return SVC_OK;
    }
    case J_RESULTS: {
        if (!json_is_array(v))
            return bad(e, "wrong_type", "This field must be a list of results.", d->name);
        size_t n = json_array_size(v);
        if (n > MODEL_MAX_RESULTS)
            return bad(e, "too_many", "Too many items in this list.", d->name);
        m->nresults = 0;
        for (size_t i = 0; i < n; i++) {
            json_t *r = json_array_get(v, i), *year, *ind, *val;
            if (!json_is_object(r))
                return bad(e, "wrong_type", "This field must be a list of results.", d->name);
            const char *k;
            json_t *x;
            json_object_foreach(r, k, x) {
                if (strcmp(k, "year") && strcmp(k, "indicator") && strcmp(k, "value"))
                    return bad(e, "unknown_field", "Unknown field.", k);
            }
            year = json_object_get(r, "year");
            ind = json_object_get(r, "indicator");
            val = json_object_get(r, "value");
            if (!json_is_integer(year) || !json_is_string(ind) || !json_is_number(val))
                return bad(e, "wrong_type", "Each result needs a year (number), an indicator (string) and a value (number).",
                           d->name);
            struct model_result *res = &m->results[m->nresults++];
            json_int_t y = json_integer_value(year);
            res->year = y < 0 || y > 100000 ? 0 : (int)y;
            snprintf(res->indicator, sizeof res->indicator, "%s",
                     strlen(json_string_value(ind)) < sizeof res->indicator ? json_string_value(ind) : "?");
            res->value = json_number_value(val);
        }
        return SVC_OK;
    }
    }
    (void)patch;
    return SVC_OK;
}

int model_from_json(json_t *obj, struct model *m, bool patch, struct svc_err *e)
{
    if (!json_is_object(obj))
        return bad(e, "bad_json", "The body must be a JSON object.", "");
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        const struct jmember *d = NULL;
        for (size_t i = 0; i < sizeof members / sizeof members[0]; i++)
            if (strcmp(members[i].name, key) == 0)
                d = &members[i];
        if (!d)
            return bad(e, "unknown_field", "Unknown field.", key);
        int rc = set_member(d, v, m, patch, e);
        if (rc)
            return rc;
    }
    return SVC_OK;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *model_to_json(const struct model *m)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(m->id));
    json_object_set_new(o, "code", json_string(m->code));
    json_object_set_new(o, "ext_key", str_or_null(m->ext_key));
    const char *base = (const char *)m;
    for (size_t i = 0; i < sizeof members / sizeof members[0]; i++) {
        const struct jmember *d = &members[i];
        switch (d->type) {
        case J_STR:
            json_object_set_new(o, d->name, str_or_null(*(char *const *)(base + d->off)));
            break;
        case J_FIX:
            json_object_set_new(o, d->name, json_string(base + d->off));
            break;
        case J_ENUM: {
            int k = *(const int *)(base + d->off);
            json_object_set_new(o, d->name, k > 0 && k < d->count && d->names[k][0] ? json_string(d->names[k]) : json_null());
            break;
        }
        case J_HIER:
            json_object_set_new(o, d->name, json_integer(*(const int *)(base + d->off)));
            break;
        case J_BOOL:
            json_object_set_new(o, d->name, json_boolean(*(const bool *)(base + d->off)));
            break;
        case J_TAGS: {
            json_t *a = json_array();
            for (int t = 0; t < m->ntags; t++)
                json_array_append_new(a, json_string(m->tags[t]));
            json_object_set_new(o, d->name, a);
            break;
        }
        case J_RESULTS: {
            json_t *a = json_array();
            for (int r = 0; r < m->nresults; r++)
                json_array_append_new(a, json_pack("{s:i, s:s, s:f}", "year", m->results[r].year, "indicator",
                                                   m->results[r].indicator, "value", m->results[r].value));
            json_object_set_new(o, d->name, a);
            break;
        }
        case J_READONLY:
            break;
        }
    }
    json_object_set_new(o, "version", json_integer(m->version));
    json_object_set_new(o, "unit_name", str_or_null(m->unit_name));
    json_object_set_new(o, "unit_path", str_or_null(m->unit_path));
    json_object_set_new(o, "created_at", json_string(m->created_at));
    json_object_set_new(o, "updated_at", json_string(m->updated_at));
    return o;
}
