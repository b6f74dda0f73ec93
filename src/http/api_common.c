/* api_common.c: JSON bodies in and out of the API, and its error shape
 * {"error": {"code", "message", "field"?, "fields"?}}. */
#include <string.h>
#include "http/http.h"
#include "http/i18n.h"
#include "util/text.h"

int json_reply(struct rq *r, int status, json_t *body)
{
    char *s = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    buf_puts(&r->out, s ? s : "{}");
    free(s);
    r->content_type = "application/json; charset=utf-8";
    return status;
}

int api_error(struct rq *r, int status, const char *code, const char *msgid, const char *detail)
{
    json_t *e = json_pack("{s:s, s:s}", "code", code, "message", T(r->lang, msgid));
    if (detail && *detail)
        json_object_set_new(e, "field", json_string(detail));
    return json_reply(r, status, json_pack("{s:o}", "error", e));
}

int api_invalid(struct rq *r, const struct verrs *v)
{
    json_t *fields = json_array();
    for (int i = 0; i < v->n; i++)
        json_array_append_new(fields, json_pack("{s:s, s:s}", "field", v->e[i].field, "message", T(r->lang, v->e[i].msg)));
    json_t *e = json_pack("{s:s, s:s, s:o}", "code", "validation_failed", "message",
                          T(r->lang, N_("Some values are not valid.")), "fields", fields);
    return json_reply(r, 422, json_pack("{s:o}", "error", e));
}

/* True when every string and member name inside j is valid text (an escape such as
 * \u0007 gets past the check of the raw body); strings are put in NFC on the way,
 * so that no handler stores decomposed text. */
static bool json_text(json_t *j)
{
    const char *k;
    json_t *x;
    size_t i;
    switch (json_typeof(j)) {
    case JSON_OBJECT:
        json_object_foreach(j, k, x) {
            if (!text_valid(k, strlen(k)) || !json_text(x))
                return false;
        }
        return true;
    case JSON_ARRAY:
        json_array_foreach(j, i, x) {
            if (!json_text(x))
                return false;
        }
        return true;
    case JSON_STRING: {
        const char *v = json_string_value(j);
        if (!text_valid(v, json_string_length(j)))
            return false;
        for (const char *c = v; *c; c++) {
            if ((unsigned char)*c >= 0x80) {
                char *n = text_nfc(v);
                if (strcmp(n, v) != 0)
                    json_string_set(j, n);
                free(n);
                break;
            }
        }
        return true;
    }
    default:
        return true;
    }
}

json_t *api_body(struct rq *r, int *status)
{
    if (!r->body || r->body_len == 0) {
        *status = api_error(r, 400, "bad_json", N_("The request needs a JSON body."), NULL);
        return NULL;
    }
    if (!text_valid(r->body, r->body_len)) {
        *status = api_error(r, 400, "invalid_utf8", N_("The body is not valid UTF-8 text."), NULL);
        return NULL;
    }
    json_error_t je;
    json_t *j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        *status = api_error(r, 400, "bad_json", N_("The body is not valid JSON."), NULL);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        *status = api_error(r, 400, "bad_json", N_("The body must be a JSON object."), NULL);
        return NULL;
    }
    const char *k;
    json_t *x;
    json_object_foreach(j, k, x) {
        if (!text_valid(k, strlen(k)) || !json_text(x)) {
            *status = api_error(r, 400, "invalid_text", N_("This field contains control characters."), k);
            json_decref(j);
            return NULL;
        }
    }
    return j;
}

int api_svc_error(struct rq *r, int rc)
{
    switch (rc) {
    case SVC_NOTFOUND:
        return api_error(r, 404, "not_found", N_("Not found."), NULL);
    case SVC_FORBIDDEN:
        return api_error(r, 403, "forbidden", N_("Your role or unit does not allow this."), NULL);
    case SVC_CONFLICT:
        return api_error(r, 409, "version_conflict",
                         N_("Someone else changed this model in the meantime. Reload it and apply your change again."),
                         NULL);
    case SVC_UNAUTH:
        return api_error(r, 401, "unauthenticated", N_("Sign in first, or send a valid API token."), NULL);
    default:
        return api_error(r, 500, "internal", N_("Something went wrong; nothing was changed."), NULL);
    }
}

bool api_members(struct rq *r, json_t *obj, struct api_member *m, int *status)
{
    const char *k;
    json_t *x;
    json_object_foreach(obj, k, x) {
        struct api_member *hit = NULL;
        for (struct api_member *p = m; p->name; p++)
            if (strcmp(p->name, k) == 0)
                hit = p;
        if (!hit) {
            *status = api_error(r, 400, "unknown_field", N_("Unknown field."), k);
            return false;
        }
        if (json_is_null(x))
            continue;
        bool ok = hit->type == 's' ? json_is_string(x) && text_valid(json_string_value(x), json_string_length(x))
                  : hit->type == 'i' ? json_is_integer(x)
                  : hit->type == 'n' ? json_is_number(x)
                                     : hit->type == 'o' ? json_is_object(x) : json_is_array(x);
        if (!ok) {
            *status = api_error(r, 400, "wrong_type",
                                hit->type == 's'   ? N_("This field must be a string.")
                                : hit->type == 'o' ? N_("This field must be an object.")
                                : hit->type == 'a' ? N_("This field must be a list.")
                                                   : N_("This field must be a number."),
                                k);
            return false;
        }
        hit->value = x;
    }
    return true;
}

const char *api_str(const struct api_member *m, const char *name)
{
    json_t *v = api_val(m, name);
    return v ? json_string_value(v) : NULL;
}

json_t *api_val(const struct api_member *m, const char *name)
{
    for (; m->name; m++)
        if (strcmp(m->name, name) == 0)
            return m->value;
    return NULL;
}
