/* setup_service.c: users (Argon2id via libsodium) and the demo data compiled into dvk. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include "service/service.h"
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

int svc_user_passwd(struct store *st, const struct actor *a, const char *login, const char *password, char *msg,
                    size_t msgsz)
{
    if (a->role != ROLE_ADMIN) {
        snprintf(msg, msgsz, "only an administrator resets passwords");
        return SVC_FORBIDDEN;
    }
    struct user u, before;
    if (st->ops->user_by_login(st, login, &u) != ST_OK) {
        snprintf(msg, msgsz, "no user %s", login);
        return SVC_NOTFOUND;
    }
    const char *problem = password_problem(login, password);
    if (problem) {
        snprintf(msg, msgsz, "%s", problem);
        return SVC_INVALID;
    }
    before = u;
    if (hash_password(password, u.password_hash) != SVC_OK) {
        snprintf(msg, msgsz, "could not hash the password");
        return SVC_ERROR;
    }
    return save_user(st, a, &u, &before, "password_reset");
}

int svc_user_disable(struct store *st, const struct actor *a, const char *login, bool disabled, char *msg, size_t msgsz)
{
    if (a->role != ROLE_ADMIN) {
        snprintf(msg, msgsz, "only an administrator disables users");
        return SVC_FORBIDDEN;
    }
    struct user u, before;
    if (st->ops->user_by_login(st, login, &u) != ST_OK) {
        snprintf(msg, msgsz, "no user %s", login);
        return SVC_NOTFOUND;
    }
    before = u;
    u.disabled = disabled;
    return save_user(st, a, &u, &before, disabled ? "disable" : "enable");
}

int svc_user_add(struct store *st, const struct actor *a, const char *login, const char *role, int hierarchy,
                 const char *unit_code, const char *password, char *msg, size_t msgsz)
{
    if (a->role != ROLE_ADMIN) {
        snprintf(msg, msgsz, "only an administrator adds users");
        return SVC_FORBIDDEN;
    }
    static const char *const roles[] = {"admin", "staff", "officer", "appraiser", "viewer"};
    struct user u;
    memset(&u, 0, sizeof u);
    bool role_ok = false;
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        role_ok |= strcmp(roles[i], role) == 0;
    if (!role_ok) {
        snprintf(msg, msgsz, "unknown role \"%s\" (admin, staff, officer, appraiser, viewer)", role);
        return SVC_INVALID;
    }
    size_t ll = strlen(login);
    if (ll < 2 || ll >= sizeof u.login || strspn(login, "abcdefghijklmnopqrstuvwxyz0123456789._-") != ll) {
        snprintf(msg, msgsz, "a login has 2 to 63 characters: a-z, 0-9, dot, dash, underscore");
        return SVC_INVALID;
    }
    const char *problem = password_problem(login, password);
    if (problem) {
        snprintf(msg, msgsz, "%s", problem);
        return SVC_INVALID;
    }
    if (unit_code && *unit_code) {
        struct unit un;
        if (!unit_code_valid(unit_code) || st->ops->unit_get(st, hierarchy, unit_code, &un) != ST_OK) {
            snprintf(msg, msgsz, "unknown unit %s in hierarchy %d", unit_code, hierarchy);
            return SVC_INVALID;
        }
        snprintf(u.unit_code, sizeof u.unit_code, "%s", unit_code);
    } else if (strcmp(role, "admin") != 0) {
        snprintf(msg, msgsz, "a %s needs a unit (--unit CODE)", role);
        return SVC_INVALID;
    }
    if (hash_password(password, u.password_hash) != SVC_OK) {
        snprintf(msg, msgsz, "could not hash the password");
        return SVC_ERROR;
    }
    snprintf(u.login, sizeof u.login, "%s", login);
    snprintf(u.role, sizeof u.role, "%s", role);
    u.hierarchy = hierarchy;
    int rc = save_user(st, a, &u, NULL, "create");
    if (rc == SVC_CONFLICT)
        snprintf(msg, msgsz, "the login %s is taken", login);
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
        model_free(&m);
    }
    json_decref(arr);
    if (rc) {
        st->ops->rollback(st);
        return rc;
    }
    return st->ops->commit(st) == ST_OK ? SVC_OK : SVC_ERROR;
}
