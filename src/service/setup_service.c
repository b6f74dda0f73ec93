/* setup_service.c: users (Argon2id via libsodium) and the demo data compiled into dvk. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/spread.h"
#include "http/i18n.h"
#include "service/service.h"
#include "util/buf.h"
#include "util/embed.h"
#include "util/log.h"

static json_t *user_json(const struct user *u)
{
    return json_pack("{s:s, s:s, s:i, s:s, s:b}", "login", u->login, "role", u->role, "hierarchy", u->hierarchy,
                     "unit_code", u->unit_code, "disabled", u->disabled);
}

/* Writes u (the password hash is never audited) with its audit entry in one transaction. */
static int save_user(struct store *st, const struct actor *a, struct user *u, const struct user *before,
                     const char *action)
{
    if (st->ops->begin(st) != ST_OK)
        return SVC_ERROR;
    int rc = before ? st->ops->user_update(st, u) : st->ops->user_insert(st, u);
    if (rc == ST_EXISTS) {
        st->ops->rollback(st);
        return SVC_CONFLICT;
    }
    json_t *b = before ? user_json(before) : NULL, *af = user_json(u);
    if (rc != ST_OK || audit(st, a, "user", u->login, action, b, af) != SVC_OK) {
        json_decref(b);
        json_decref(af);
        st->ops->rollback(st);
        return SVC_ERROR;
    }
    json_decref(b);
    json_decref(af);
    /* a reset password or a disabled account ends every session of that user */
    if (before && st->ops->session_delete_user(st, u->id) != ST_OK) {
        st->ops->rollback(st);
        return SVC_ERROR;
    }
    return st->ops->commit(st) == ST_OK ? SVC_OK : SVC_ERROR;
}

static int hash_password(const char *password, char out[160])
{
    if (sodium_init() < 0 || crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                               crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return SVC_ERROR;
    return SVC_OK;
}

int svc_user_passwd(struct store *st, const struct actor *a, const char *login, const char *password, int lang,
                    char *msg, size_t msgsz)
{
    if (a->role != ROLE_ADMIN) {
        snprintf(msg, msgsz, "%s", T(lang, "Only an administrator resets passwords."));
        return SVC_FORBIDDEN;
    }
    struct user u, before;
    if (st->ops->user_by_login(st, login, &u) != ST_OK) {
        snprintf(msg, msgsz, T(lang, "No user has the login %s."), login);
        return SVC_NOTFOUND;
    }
    const char *problem = password_problem(login, password);
    if (problem) {
        snprintf(msg, msgsz, "%s", T(lang, problem));
        return SVC_INVALID;
    }
    before = u;
    if (hash_password(password, u.password_hash) != SVC_OK) {
        snprintf(msg, msgsz, "%s", T(lang, "The password could not be hashed."));
        return SVC_ERROR;
    }
    return save_user(st, a, &u, &before, "password_reset");
}

int svc_user_disable(struct store *st, const struct actor *a, const char *login, bool disabled, int lang, char *msg,
                     size_t msgsz)
{
    if (a->role != ROLE_ADMIN) {
        snprintf(msg, msgsz, "%s", T(lang, "Only an administrator disables users."));
        return SVC_FORBIDDEN;
    }
    struct user u, before;
    if (st->ops->user_by_login(st, login, &u) != ST_OK) {
        snprintf(msg, msgsz, T(lang, "No user has the login %s."), login);
        return SVC_NOTFOUND;
    }
    before = u;
    u.disabled = disabled;
    return save_user(st, a, &u, &before, disabled ? "disable" : "enable");
}

int svc_user_add(struct store *st, const struct actor *a, const char *login, const char *role, int hierarchy,
                 const char *unit_code, const char *password, int lang, char *msg, size_t msgsz)
{
    if (a->role != ROLE_ADMIN) {
        snprintf(msg, msgsz, "%s", T(lang, "Only an administrator adds users."));
        return SVC_FORBIDDEN;
    }
    static const char *const roles[] = {"admin", "staff", "officer", "appraiser", "viewer"};
    struct user u;
    memset(&u, 0, sizeof u);
    bool role_ok = false;
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        role_ok |= strcmp(roles[i], role) == 0;
    if (!role_ok) {
        snprintf(msg, msgsz, T(lang, "Unknown role \"%s\" (admin, staff, officer, appraiser, viewer)."), role);
        return SVC_INVALID;
    }
    size_t ll = strlen(login);
    if (ll < 2 || ll >= sizeof u.login || strspn(login, "abcdefghijklmnopqrstuvwxyz0123456789._-") != ll) {
        snprintf(msg, msgsz, "%s", T(lang, "A login has 2 to 63 characters: a-z, 0-9, dot, dash, underscore."));
        return SVC_INVALID;
    }
    const char *problem = password_problem(login, password);
    if (problem) {
        snprintf(msg, msgsz, "%s", T(lang, problem));
        return SVC_INVALID;
    }
    if (unit_code && *unit_code) {
        struct unit un;
        if (!unit_code_valid(unit_code) || st->ops->unit_get(st, hierarchy, unit_code, &un) != ST_OK) {
            snprintf(msg, msgsz, T(lang, "Unknown unit %s in the %d catalogue."), unit_code, hierarchy);
            return SVC_INVALID;
        }
        snprintf(u.unit_code, sizeof u.unit_code, "%s", unit_code);
    } else if (strcmp(role, "admin") != 0) {
        snprintf(msg, msgsz, T(lang, "The role %s needs a unit (--unit CODE)."), role);
        return SVC_INVALID;
    }
    if (hash_password(password, u.password_hash) != SVC_OK) {
        snprintf(msg, msgsz, "%s", T(lang, "The password could not be hashed."));
        return SVC_ERROR;
    }
    snprintf(u.login, sizeof u.login, "%s", login);
    snprintf(u.role, sizeof u.role, "%s", role);
    u.hierarchy = hierarchy;
    int rc = save_user(st, a, &u, NULL, "create");
    if (rc == SVC_CONFLICT)
        snprintf(msg, msgsz, T(lang, "The login %s is taken."), login);
    return rc;
}

static int load_csv(struct store *st, const char *name, int hierarchy, char *msg, size_t msgsz)
{
    const struct embedded_file *f = embed_find(demo_files, name);
    if (!f) {
        snprintf(msg, msgsz, "demo file %s is missing from the build", name);
        return SVC_ERROR;
    }
    FILE *mf = fmemopen((void *)f->data, f->len, "r");
    int64_t n;
    int rc = hierarchy ? svc_units_import(st, hierarchy, mf, &n, msg, msgsz) : svc_mapping_import(st, mf, &n, msg, msgsz);
    fclose(mf);
    return rc;
}

/* ---- the demo's replications, conferences and awards (data/demo/spread.json) ------------- */

/* The demo models by title, as loaded: titles point into the parsed models.json. */
struct demo_models {
    const char **titles;
    int64_t *ids;
    int n;
};

static int64_t demo_model(const struct demo_models *dm, const char *title)
{
    for (int i = 0; title && i < dm->n; i++)
        if (dm->titles[i] && strcmp(dm->titles[i], title) == 0)
            return dm->ids[i];
    return 0;
}

static int demo_failed(int rc, const struct verrs *v, const char *what, size_t i, char *msg, size_t msgsz)
{
    if (rc == SVC_INVALID)
        snprintf(msg, msgsz, "spread.json %s %zu: %s: %s", what, i, v->e[0].field, v->e[0].msg);
    else
        snprintf(msg, msgsz, "spread.json %s %zu: could not be stored (%d)", what, i, rc);
    return rc;
}

/* Replications, conferences and awards through the same services as the pages, so the
 * demo's replication and commendation reports show figures. */
static int demo_spread(struct store *st, const struct actor *sys, const struct demo_models *dm, char *msg, size_t msgsz)
{
    const struct embedded_file *f = embed_find(demo_files, "spread.json");
    if (!f) {
        snprintf(msg, msgsz, "demo file spread.json is missing from the build");
        return SVC_ERROR;
    }
    json_error_t je;
    json_t *root = json_loadb((const char *)f->data, f->len, JSON_REJECT_DUPLICATES, &je), *x;
    json_t *reps = json_object_get(root, "replications"), *confs = json_object_get(root, "conferences"),
           *awards = json_object_get(root, "awards");
    if (!json_is_array(reps) || !json_is_array(confs) || !json_is_array(awards)) {
        snprintf(msg, msgsz, "spread.json: %s (line %d)", root ? "replications, conferences and awards are lists" : je.text,
                 je.line);
        json_decref(root);
        return SVC_ERROR;
    }
    int rc = SVC_OK;
    size_t i;
    json_array_foreach(reps, i, x) {
        const char *model, *unit, *since, *replica = NULL, *note = NULL;
        struct replication r;
        struct verrs v = {0};
        memset(&r, 0, sizeof r);
        if (json_unpack_ex(x, &je, JSON_STRICT, "{s:s, s:i, s:s, s:s, s?s, s?s}", "model", &model, "hierarchy",
                           &r.hierarchy, "unit_code", &unit, "since", &since, "replica", &replica, "note", &note)) {
            snprintf(msg, msgsz, "spread.json replication %zu: %s", i, je.text);
            rc = SVC_ERROR;
            break;
        }
        int64_t id = demo_model(dm, model);
        snprintf(r.unit_code, sizeof r.unit_code, "%s", unit);
        snprintf(r.since, sizeof r.since, "%s", since);
        r.replica_model_id = demo_model(dm, replica);
        r.note = note ? xstrdup(note) : NULL;
        rc = id ? svc_replication_add(st, sys, id, &r, &v) : SVC_NOTFOUND;
        replication_free(&r);
        if (rc) {
            demo_failed(rc, &v, "replication", i, msg, msgsz);
            break;
        }
    }
    /* conferences by key, for the awards given at them */
    size_t nconf = json_array_size(confs);
    int64_t *conf_ids = xcalloc(nconf + 1, sizeof *conf_ids);
    json_array_foreach(confs, i, x) {
        if (rc)
            break;
        const char *key, *title, *kind, *unit, *level, *held, *pf, *pt;
        struct commendation_event e;
        struct verrs v = {0};
        memset(&e, 0, sizeof e);
        if (json_unpack_ex(x, &je, JSON_STRICT, "{s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:s, s:s, s:s}", "key", &key,
                           "title", &title, "kind", &kind, "span_years", &e.span_years, "hierarchy", &e.hierarchy,
                           "unit_code", &unit, "level", &level, "held_on", &held, "period_from", &pf, "period_to",
                           &pt)) {
            snprintf(msg, msgsz, "spread.json conference %zu: %s", i, je.text);
            rc = SVC_ERROR;
            break;
        }
        e.title = xstrdup(title);
        e.kind = enum_parse(event_kind_names, EVENT_KIND_COUNT, kind);
        e.level = enum_parse(reg_level_names, LEVEL_COUNT, level);
        snprintf(e.unit_code, sizeof e.unit_code, "%s", unit);
        snprintf(e.held_on, sizeof e.held_on, "%s", held);
        snprintf(e.period_from, sizeof e.period_from, "%s", pf);
        snprintf(e.period_to, sizeof e.period_to, "%s", pt);
        rc = svc_event_add(st, sys, &e, &v);
        conf_ids[i] = e.id;
        commendation_event_free(&e);
        if (rc)
            demo_failed(rc, &v, "conference", i, msg, msgsz);
    }
    json_array_foreach(awards, i, x) {
        if (rc)
            break;
        const char *conf = NULL, *model = NULL, *type = "model", *name = NULL, *unit = NULL, *form, *issuer,
                   *dno = NULL, *ddate = NULL;
        struct award a;
        struct verrs v = {0};
        memset(&a, 0, sizeof a);
        a.amount_vnd = -1;
        if (json_unpack_ex(x, &je, JSON_STRICT, "{s?s, s?s, s?s, s?s, s?i, s?s, s:s, s:s, s?s, s?s, s?F}", "conference",
                           &conf, "model", &model, "recipient_type", &type, "recipient_name", &name, "hierarchy",
                           &a.hierarchy, "unit_code", &unit, "form", &form, "issuer", &issuer, "decision_no", &dno,
                           "decision_date", &ddate, "amount_vnd", &a.amount_vnd)) {
            snprintf(msg, msgsz, "spread.json award %zu: %s", i, je.text);
            rc = SVC_ERROR;
            break;
        }
        for (size_t k = 0; conf && k < nconf; k++)
            if (strcmp(json_string_value(json_object_get(json_array_get(confs, k), "key")), conf) == 0)
                a.event_id = conf_ids[k];
        a.recipient_type = enum_parse(recipient_type_names, RECIPIENT_COUNT, type);
        a.model_id = demo_model(dm, model);
        a.recipient_name = name ? xstrdup(name) : NULL;
        a.form = enum_parse(award_form_names, AWARD_FORM_COUNT, form);
        a.issuer = xstrdup(issuer);
        snprintf(a.unit_code, sizeof a.unit_code, "%s", unit ? unit : "");
        snprintf(a.decision_no, sizeof a.decision_no, "%s", dno ? dno : "");
        snprintf(a.decision_date, sizeof a.decision_date, "%s", ddate ? ddate : "");
        rc = (conf && !a.event_id) || (model && !a.model_id) ? SVC_NOTFOUND : svc_award_add(st, sys, &a, &v);
        award_free(&a);
        if (rc)
            demo_failed(rc, &v, "award", i, msg, msgsz);
    }
    free(conf_ids);
    json_decref(root);
    return rc;
}

int svc_demo_load(struct store *st, char *msg, size_t msgsz)
{
    int rc;
    if ((rc = load_csv(st, "units-2024.csv", 2024, msg, msgsz)) || (rc = load_csv(st, "units-2025.csv", 2025, msg, msgsz)) ||
        (rc = load_csv(st, "mapping.csv", 0, msg, msgsz)))
        return rc;
    const struct embedded_file *f = embed_find(demo_files, "models.json");
    if (!f) {
        snprintf(msg, msgsz, "demo file models.json is missing from the build");
        return SVC_ERROR;
    }
    json_error_t je;
    json_t *arr = json_loadb((const char *)f->data, f->len, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_array(arr)) {
        snprintf(msg, msgsz, "models.json: %s (line %d)", je.text, je.line);
        json_decref(arr);
        return SVC_ERROR;
    }
    if (st->ops->begin(st) != ST_OK) {
        json_decref(arr);
        return SVC_ERROR;
    }
    rc = SVC_OK;
    struct actor sys;
    actor_system(&sys);
    struct demo_models dm = {.n = (int)json_array_size(arr)};
    dm.titles = xcalloc((size_t)dm.n + 1, sizeof *dm.titles);
    dm.ids = xcalloc((size_t)dm.n + 1, sizeof *dm.ids);
    for (size_t i = 0; i < json_array_size(arr) && rc == SVC_OK; i++) {
        struct model m;
        struct svc_err e = {0};
        struct verrs v = {0};
        model_init(&m);
        rc = model_from_json(json_array_get(arr, i), &m, false, &e);
        if (rc)
            snprintf(msg, msgsz, "models.json item %zu: %s %s", i, e.msg, e.detail);
        else if ((rc = svc_model_import(st, &sys, &m, &v)) == SVC_INVALID)
            snprintf(msg, msgsz, "models.json item %zu: %s: %s", i, v.e[0].field, v.e[0].msg);
        dm.titles[i] = json_string_value(json_object_get(json_array_get(arr, i), "title"));
        dm.ids[i] = m.id;
        model_free(&m);
    }
    if (rc == SVC_OK)
        rc = demo_spread(st, &sys, &dm, msg, msgsz);
    free(dm.titles);
    free(dm.ids);
    json_decref(arr);
    if (rc) {
        st->ops->rollback(st);
        return rc;
    }
    return st->ops->commit(st) == ST_OK ? SVC_OK : SVC_ERROR;
}
