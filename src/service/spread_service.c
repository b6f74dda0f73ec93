/* spread_service.c: replication of models, coverage, conferences and awards. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "service/service.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/text.h"

static void today_not_after(const char *date, const char *field, struct verrs *v)
{
    char today[11];
    date_today(today);
    if (date_valid(date) && strcmp(date, today) > 0)
        verrs_add(v, field, "The date is in the future.");
}

void replications_free(struct replication *list, int n)
{
    for (int i = 0; i < n; i++)
        replication_free(&list[i]);
    free(list);
}

int svc_replication_add(struct store *st, const struct actor *a, int64_t model_id, struct replication *r,
                        struct verrs *v)
{
    struct model m;
    int rc = svc_model_get(st, a, model_id, &m);
    if (rc)
        return rc;
    if (!authz_model_register(a, &m) && !authz_model_decide(a, &m)) {
        model_free(&m);
        return SVC_FORBIDDEN;
    }
    r->model_id = model_id;
    snprintf(r->login, sizeof r->login, "%s", a->login);
    struct unit u;
    if (!unit_hierarchy_valid(r->hierarchy))
        verrs_add(v, "hierarchy", "The hierarchy must be 2024 or 2025.");
    else if (!unit_code_valid(r->unit_code) || st->ops->unit_get(st, r->hierarchy, r->unit_code, &u) != ST_OK ||
             svc_unit_place(st, r->hierarchy, r->unit_code, &r->place) != SVC_OK)
        verrs_add(v, "unit_code", "Unknown unit.");
    else if ((r->hierarchy == m.hierarchy && strcmp(r->unit_code, m.unit_code) == 0) ||
             (r->hierarchy == 2024 && strcmp(r->unit_code, m.place.c24) == 0) ||
             (r->hierarchy == 2025 && strcmp(r->unit_code, m.place.c25) == 0))
        verrs_add(v, "unit_code", "This is the model's own unit.");
    if (!date_valid(r->since))
        verrs_add(v, "since", "Not a valid date.");
    today_not_after(r->since, "since", v);
    if (r->note && text_chars(r->note) > SHORT_MAX_CHARS)
        verrs_add(v, "note", "Too long (at most 2,000 characters).");
    if (r->replica_model_id) {
        struct model rm;
        if (r->replica_model_id == model_id)
            verrs_add(v, "replica_model_id", "A model cannot be its own replica.");
        else if (svc_model_get(st, a, r->replica_model_id, &rm) != SVC_OK)
            verrs_add(v, "replica_model_id", "No such model.");
        else {
            /* the replica lies in the unit it is recorded for (or in a village of it) */
            const struct model_place *p = &rm.place;
            bool inside = (rm.hierarchy == r->hierarchy && strcmp(rm.unit_code, r->unit_code) == 0) ||
                          (r->hierarchy == 2024 && (!strcmp(p->c24, r->unit_code) || !strcmp(p->d24, r->unit_code) ||
                                                    !strcmp(p->p24, r->unit_code))) ||
                          (r->hierarchy == 2025 && (!strcmp(p->c25, r->unit_code) || !strcmp(p->p25, r->unit_code)));
            if (!inside)
                verrs_add(v, "replica_model_id", "The replica model is not in this unit.");
            model_free(&rm);
        }
    }
    if (v->n) {
        model_free(&m);
        return SVC_INVALID;
    }
    if (st->ops->begin(st) != ST_OK) {
        model_free(&m);
        return SVC_ERROR;
    }
    int src = st->ops->replication_insert(st, r);
    if (src == ST_EXISTS) {
        verrs_add(v, "unit_code", "The model is already recorded in this unit.");
        rc = SVC_INVALID;
    } else if (src) {
        rc = SVC_ERROR;
    } else {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)model_id);
        json_t *after = json_pack("{s:I, s:i, s:s, s:s}", "replication", (json_int_t)r->id, "hierarchy", r->hierarchy,
                                  "unit_code", r->unit_code, "since", r->since);
        rc = audit(st, a, "model", id, "replication_add", NULL, after);
        json_decref(after);
    }
    model_free(&m);
    return svc_finish(st, rc);
}

int svc_replication_remove(struct store *st, const struct actor *a, int64_t model_id, int64_t replication_id)
{
    struct model m;
    int rc = svc_model_get(st, a, model_id, &m);
    if (rc)
        return rc;
    bool ok = authz_model_register(a, &m) || authz_model_decide(a, &m);
    model_free(&m);
    if (!ok)
        return SVC_FORBIDDEN;
    if (st->ops->begin(st) != ST_OK)
        return SVC_ERROR;
    int src = st->ops->replication_delete(st, model_id, replication_id);
    rc = src == ST_NOTFOUND ? SVC_NOTFOUND : src ? SVC_ERROR : SVC_OK;
    if (rc == SVC_OK) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)model_id);
        json_t *before = json_pack("{s:I}", "replication", (json_int_t)replication_id);
        rc = audit(st, a, "model", id, "replication_remove", before, NULL);
        json_decref(before);
    }
    return svc_finish(st, rc);
}

int svc_replications(struct store *st, const struct actor *a, int64_t model_id, struct replication **out, int *n)
{
    struct model m;
    int rc = svc_model_get(st, a, model_id, &m);
    if (rc)
        return rc;
    model_free(&m);
    return st->ops->replication_list(st, model_id, out, n) == ST_OK ? SVC_OK : SVC_ERROR;
}

int svc_replica_sources(struct store *st, const struct actor *a, int64_t model_id, int64_t *out, int max, int *n)
{
    *n = 0;
    int64_t ids[64];
    int k;
    if (st->ops->replication_sources(st, model_id, ids, 64, &k) != ST_OK)
        return SVC_ERROR;
    for (int i = 0; i < k && *n < max; i++) {
        struct model m;
        if (svc_model_get(st, a, ids[i], &m) == SVC_OK) { /* only sources the reader may see */
            out[(*n)++] = ids[i];
            model_free(&m);
        }
    }
    return SVC_OK;
}

int svc_coverage(struct store *st, const struct actor *a, int64_t model_id, struct coverage **out, int *n)
{
    struct model m;
    *out = NULL;
    *n = 0;
    int rc = svc_model_get(st, a, model_id, &m);
    if (rc)
        return rc;
    struct replication *reps;
    int nr;
    if (st->ops->replication_list(st, model_id, &reps, &nr) != ST_OK) {
        model_free(&m);
        return SVC_ERROR;
    }
    /* the units the model is in: its own and those it spread to */
    struct unit *units = xcalloc((size_t)nr + 1, sizeof *units);
    int nu = 0;
    if (st->ops->unit_get(st, m.hierarchy, m.unit_code, &units[nu]) == ST_OK)
        nu++;
    for (int i = 0; i < nr; i++)
        if (st->ops->unit_get(st, reps[i].hierarchy, reps[i].unit_code, &units[nu]) == ST_OK)
            nu++;
    replications_free(reps, nr);
    model_free(&m);
    /* a model in a village is in its commune too (and in its district): the ancestors count as covered */
    int direct = nu;
    struct unit *all = xcalloc((size_t)direct * 4 + 1, sizeof *all);
    int na = 0;
    for (int i = 0; i < direct; i++) {
        struct unit path[5];
        int pn;
        if (svc_unit_path(st, units[i].hierarchy, units[i].code, path, &pn) == SVC_OK)
            for (int k = 0; k < pn && na < direct * 4; k++)
                all[na++] = path[k];
    }
    int cap = 0;
    rc = SVC_OK;
    for (int i = 0; i < nu && rc == SVC_OK; i++) {
        if (!units[i].parent_code[0])
            continue;
        bool seen = false;
        for (int k = 0; k < *n && !seen; k++)
            seen = (*out)[k].hierarchy == units[i].hierarchy && strcmp((*out)[k].parent_code, units[i].parent_code) == 0 &&
                   (*out)[k].child_level == units[i].level;
        if (seen)
            continue;
        struct unit parent;
        struct unit_list kids = {0};
        if (st->ops->unit_get(st, units[i].hierarchy, units[i].parent_code, &parent) != ST_OK ||
            st->ops->unit_children(st, units[i].hierarchy, units[i].parent_code, &kids) != ST_OK) {
            rc = SVC_ERROR;
            break;
        }
        *out = grow(*out, &cap, *n, sizeof **out);
        struct coverage *c = &(*out)[(*n)++];
        memset(c, 0, sizeof *c);
        c->hierarchy = units[i].hierarchy;
        snprintf(c->parent_code, sizeof c->parent_code, "%s", parent.code);
        snprintf(c->parent_name, sizeof c->parent_name, "%s", parent.name);
        c->child_level = units[i].level;
        for (int k = 0; k < kids.n; k++) {
            if (kids.items[k].level != c->child_level)
                continue;
            c->total++;
            bool covered = false;
            for (int j = 0; j < na && !covered; j++)
                covered = all[j].hierarchy == c->hierarchy && strcmp(all[j].code, kids.items[k].code) == 0;
            c->covered += covered;
        }
        unit_list_free(&kids);
    }
    free(units);
    free(all);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* ---- conferences and awards ------------------------------------------------------------ */

void events_free(struct commendation_event *list, int n)
{
    for (int i = 0; i < n; i++)
        commendation_event_free(&list[i]);
    free(list);
}

void awards_free(struct award *list, int n)
{
    for (int i = 0; i < n; i++)
        award_free(&list[i]);
    free(list);
}

int svc_event_add(struct store *st, const struct actor *a, struct commendation_event *e, struct verrs *v)
{
    struct unit u;
    if (!unit_hierarchy_valid(e->hierarchy) || !unit_code_valid(e->unit_code) ||
        st->ops->unit_get(st, e->hierarchy, e->unit_code, &u) != ST_OK) {
        verrs_add(v, "unit_code", "Unknown unit.");
        return SVC_INVALID;
    }
    /* who may comes before what is wrong: an outsider learns nothing from the messages */
    if (svc_unit_place(st, e->hierarchy, e->unit_code, &e->place) != SVC_OK)
        return SVC_ERROR;
    if (!authz_scoring(a, &e->place, e->hierarchy, e->unit_code))
        return SVC_FORBIDDEN;
    commendation_event_validate(e, v);
    if ((e->level == LEVEL_PROVINCE && !unit_is_province(&u)) || (e->level == LEVEL_DISTRICT && !unit_is_district(&u)) ||
        (e->level == LEVEL_COMMUNE && !unit_is_commune(&u)))
        verrs_add(v, "level", "The level does not match the unit.");
    today_not_after(e->held_on, "held_on", v);
    if (v->n)
        return SVC_INVALID;
    snprintf(e->unit_name, sizeof e->unit_name, "%s", u.name);
    snprintf(e->login, sizeof e->login, "%s", a->login);
    if (st->ops->begin(st) != ST_OK)
        return SVC_ERROR;
    int rc = st->ops->event_insert(st, e) == ST_OK ? SVC_OK : SVC_ERROR;
    if (rc == SVC_OK) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)e->id);
        json_t *after = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s}", "title", e->title, "kind",
                                  event_kind_names[e->kind], "span_years", e->span_years, "unit_code", e->unit_code,
                                  "held_on", e->held_on, "level", reg_level_names[e->level]);
        rc = audit(st, a, "conference", id, "create", NULL, after);
        json_decref(after);
    }
    return svc_finish(st, rc);
}

int svc_events(struct store *st, const struct actor *a, struct commendation_event **out, int *n)
{
    if (a->role == ROLE_NONE || (a->scope_col == PLACE_NONE && a->role != ROLE_ADMIN && a->user_id))
        return SVC_FORBIDDEN;
    return st->ops->event_list(st, a->scope_col, a->scope_code, 500, out, n) == ST_OK ? SVC_OK : SVC_ERROR;
}

int svc_award_add(struct store *st, const struct actor *a, struct award *aw, struct verrs *v)
{
    if (aw->recipient_type == RECIPIENT_MODEL) {
        struct model m;
        int rc = aw->model_id > 0 ? svc_model_get(st, a, aw->model_id, &m) : SVC_NOTFOUND;
        if (rc == SVC_NOTFOUND) {
            verrs_add(v, "model_id", "No such model.");
            return SVC_INVALID;
        }
        if (rc)
            return rc;
        aw->hierarchy = m.hierarchy;
        snprintf(aw->unit_code, sizeof aw->unit_code, "%s", m.unit_code);
        if (!aw->recipient_name)
            aw->recipient_name = xstrdup(m.title);
        model_free(&m);
    } else {
        aw->model_id = 0;
    }
    struct unit u;
    if (!unit_hierarchy_valid(aw->hierarchy) || !unit_code_valid(aw->unit_code) ||
        st->ops->unit_get(st, aw->hierarchy, aw->unit_code, &u) != ST_OK) {
        award_validate(aw, v);
        verrs_add(v, "unit_code", "Unknown unit.");
        return SVC_INVALID;
    }
    if (svc_unit_place(st, aw->hierarchy, aw->unit_code, &aw->place) != SVC_OK)
        return SVC_ERROR;
    if (!authz_scoring(a, &aw->place, aw->hierarchy, aw->unit_code))
        return SVC_FORBIDDEN;
    award_validate(aw, v);
    today_not_after(aw->decision_date, "decision_date", v);
    if (aw->event_id) {
        struct commendation_event e;
        if (st->ops->event_get(st, aw->event_id, &e) != ST_OK)
            verrs_add(v, "event_id", "No such conference.");
        else {
            if (!authz_in_scope(a, &e.place, e.hierarchy, e.unit_code))
                verrs_add(v, "event_id", "No such conference.");
            commendation_event_free(&e);
        }
    }
    if (v->n)
        return SVC_INVALID;
    snprintf(aw->login, sizeof aw->login, "%s", a->login);
    if (st->ops->begin(st) != ST_OK)
        return SVC_ERROR;
    int rc = st->ops->award_insert(st, aw) == ST_OK ? SVC_OK : SVC_ERROR;
    if (rc == SVC_OK) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)aw->id);
        json_t *after = json_pack("{s:s, s:s, s:s, s:s, s:s?}", "recipient_type",
                                  recipient_type_names[aw->recipient_type], "recipient_name", aw->recipient_name, "form",
                                  award_form_names[aw->form], "issuer", aw->issuer, "decision_no",
                                  aw->decision_no[0] ? aw->decision_no : NULL);
        if (aw->model_id)
            json_object_set_new(after, "model_id", json_integer(aw->model_id));
        rc = audit(st, a, "award", id, "create", NULL, after);
        json_decref(after);
    }
    return svc_finish(st, rc);
}

int svc_awards(struct store *st, const struct actor *a, int64_t model_id, int64_t event_id, struct award **out, int *n)
{
    *out = NULL;
    *n = 0;
    if (model_id) {
        struct model m;
        int rc = svc_model_get(st, a, model_id, &m);
        if (rc)
            return rc;
        model_free(&m);
    } else if (event_id) {
        struct commendation_event e;
        int rc = st->ops->event_get(st, event_id, &e);
        if (rc == ST_NOTFOUND)
            return SVC_NOTFOUND;
        if (rc)
            return SVC_ERROR;
        bool in = authz_in_scope(a, &e.place, e.hierarchy, e.unit_code);
        commendation_event_free(&e);
        if (!in)
            return SVC_NOTFOUND;
    }
    if (st->ops->award_list(st, model_id, event_id, out, n) != ST_OK)
        return SVC_ERROR;
    return SVC_OK;
}
