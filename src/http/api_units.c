/* api_units.c: GET /api/v1/units, /api/v1/units/{code}, /api/v1/units/{code}/children. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "http/handlers.h"
#include "http/i18n.h"
#include "service/service.h"

/* hierarchy parameter: default 2025, the one in force; 0 when invalid. */
static int hierarchy_param(struct rq *r)
{
    const char *h = rq_query(r, "hierarchy");
    if (!h || !*h)
        return 2025;
    if (strcmp(h, "2024") == 0)
        return 2024;
    if (strcmp(h, "2025") == 0)
        return 2025;
    return 0;
}

static int bad_hierarchy(struct rq *r)
{
    return api_error(r, 400, "bad_parameter", N_("The hierarchy must be 2024 or 2025."), "hierarchy");
}

static json_t *units_json(struct store *st, const struct unit_list *l, bool labelled)
{
    json_t *a = json_array();
    for (int i = 0; i < l->n; i++)
        json_array_append_new(a, labelled ? unit_to_json_labelled(st, &l->items[i]) : unit_to_json(&l->items[i]));
    return a;
}

int api_units_list(struct rq *r)
{
    int h = hierarchy_param(r);
    if (!h)
        return bad_hierarchy(r);
    const char *q = rq_query(r, "q"), *lim = rq_query(r, "limit");
    int limit = 20;
    if (lim) {
        char *end;
        long l = strtol(lim, &end, 10);
        if (*end || l < 1 || l > 200)
            return api_error(r, 400, "bad_parameter", N_("The limit must be a number from 1 to 200."), "limit");
        limit = (int)l;
    }
    struct unit_list l = {0};
    int rc;
    if (q && *q) {
        if (strlen(q) > 200)
            return api_error(r, 400, "bad_parameter", N_("The search text is too long."), "q");
        rc = svc_unit_search(r->st, h, q, limit, &l);
    } else {
        rc = svc_unit_children(r->st, h, NULL, &l);
    }
    if (rc)
        return api_error(r, 500, "internal", N_("Something went wrong; nothing was changed."), NULL);
    /* search results carry their ancestors' names: places with the same name can be told apart */
    json_t *items = units_json(r->st, &l, q && *q);
    unit_list_free(&l);
    return json_reply(r, 200, json_pack("{s:o}", "items", items));
}

int api_unit_get(struct rq *r)
{
    int h = hierarchy_param(r);
    if (!h)
        return bad_hierarchy(r);
    struct unit path[5];
    int n;
    if (svc_unit_path(r->st, h, r->params[0], path, &n) != SVC_OK)
        return api_error(r, 404, "not_found", N_("No such unit."), NULL);
    json_t *u = unit_to_json(&path[n - 1]);
    json_t *p = json_array();
    for (int i = 0; i < n - 1; i++)
        json_array_append_new(p, unit_to_json(&path[i]));
    json_object_set_new(u, "path", p);
    return json_reply(r, 200, u);
}

int api_unit_children(struct rq *r)
{
    int h = hierarchy_param(r);
    if (!h)
        return bad_hierarchy(r);
    struct unit_list l = {0};
    int rc = svc_unit_children(r->st, h, r->params[0], &l);
    if (rc == SVC_NOTFOUND)
        return api_error(r, 404, "not_found", N_("No such unit."), NULL);
    if (rc)
        return api_error(r, 500, "internal", N_("Something went wrong; nothing was changed."), NULL);
    json_t *items = units_json(r->st, &l, false);
    unit_list_free(&l);
    return json_reply(r, 200, json_pack("{s:o}", "items", items));
}

int api_village_create(struct rq *r)
{
    int h = hierarchy_param(r);
    if (!h)
        return bad_hierarchy(r);
    int status;
    json_t *body = api_body(r, &status);
    if (!body)
        return status;
    const char *key;
    json_t *val;
    json_object_foreach(body, key, val) {
        if (strcmp(key, "name") != 0) {
            status = api_error(r, 400, "unknown_field", N_("Unknown field."), key);
            json_decref(body);
            return status;
        }
    }
    json_t *name = json_object_get(body, "name");
    if (name && !json_is_string(name)) {
        json_decref(body);
        return api_error(r, 400, "wrong_type", N_("This field must be a string."), "name");
    }
    struct unit u;
    struct verrs v = {0};
    int rc = svc_village_add(r->st, &r->actor, h, r->params[0], name ? json_string_value(name) : "", &u, &v);
    json_decref(body);
    if (rc == SVC_NOTFOUND)
        return api_error(r, 404, "not_found", N_("No such unit."), NULL);
    if (rc == SVC_INVALID)
        return api_invalid(r, &v);
    if (rc)
        return api_svc_error(r, rc);
    char loc[96];
    snprintf(loc, sizeof loc, "/api/v1/units/%s?hierarchy=%d", u.code, h);
    rq_add_header(r, "location", loc);
    return json_reply(r, 201, unit_to_json(&u));
}
