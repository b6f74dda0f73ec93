/* auth.c: actors, sign-in with throttling, sessions, API tokens, the audit trail.
 * Secrets (passwords, cookie values, tokens) are never stored or logged: only
 * Argon2id hashes (passwords) and SHA-256 digests (session ids, tokens). */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "service/service.h"
#include "util/date.h"
#include "util/text.h"

#define N_(s) s
const char *const role_names[ROLE_COUNT] = {"", "admin", "staff", "officer", "appraiser", "viewer"};
const char *const role_labels[ROLE_COUNT] = {"", N_("Administrator"), N_("Commission staff"), N_("Commune officer"),
                                             N_("Appraiser"), N_("Viewer")};

/* Sign-in throttling: a login pauses after 5 failures, an address after 20;
 * each further failure doubles the pause, from 30 s up to an hour. */
#define LOGIN_FREE_FAILURES 5
#define ADDR_FREE_FAILURES 20
#define PAUSE_FIRST 30
#define PAUSE_MAX 3600

void actor_system(struct actor *a)
{
    memset(a, 0, sizeof *a);
    a->role = ROLE_ADMIN;
    snprintf(a->login, sizeof a->login, "system");
}

int actor_from_user(struct store *st, const struct user *u, const char *address, struct actor *a)
{
    memset(a, 0, sizeof *a);
    if (u->disabled)
        return SVC_FORBIDDEN;
    a->user_id = u->id;
    snprintf(a->login, sizeof a->login, "%s", u->login);
    a->role = enum_parse(role_names, ROLE_COUNT, u->role);
    a->hierarchy = u->hierarchy;
    snprintf(a->unit_code, sizeof a->unit_code, "%s", u->unit_code);
    snprintf(a->address, sizeof a->address, "%s", address ? address : "");
    if (!a->role)
        return SVC_FORBIDDEN;
    if (!u->unit_code[0]) {
        /* Only an administrator may have the whole country; anyone else without a unit sees nothing. */
        return a->role == ROLE_ADMIN ? SVC_OK : SVC_FORBIDDEN;
    }
    struct unit un;
    if (!unit_hierarchy_valid(u->hierarchy) || st->ops->unit_get(st, u->hierarchy, u->unit_code, &un) != ST_OK)
        return SVC_FORBIDDEN;
    snprintf(a->scope_code, sizeof a->scope_code, "%s", un.code);
    if (unit_is_province(&un))
        a->scope_col = u->hierarchy == 2024 ? PLACE_P24 : PLACE_P25;
    else if (unit_is_district(&un))
        a->scope_col = PLACE_D24;
    else if (unit_is_commune(&un))
        a->scope_col = u->hierarchy == 2024 ? PLACE_C24 : PLACE_C25;
    else
        a->scope_col = PLACE_UNIT;
    return SVC_OK;
}

/* ---- audit ---------------------------------------------------------------------- */

int audit(struct store *st, const struct actor *a, const char *entity, const char *entity_id, const char *action,
          json_t *before, json_t *after)
{
    struct audit_entry e;
    memset(&e, 0, sizeof e);
    e.user_id = a->user_id;
    snprintf(e.login, sizeof e.login, "%s", a->login);
    snprintf(e.address, sizeof e.address, "%s", a->address);
    snprintf(e.entity, sizeof e.entity, "%s", entity);
    snprintf(e.entity_id, sizeof e.entity_id, "%s", entity_id);
    snprintf(e.action, sizeof e.action, "%s", action);
    e.before = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    e.after = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    int rc = st->ops->audit_append(st, &e);
    free(e.before);
    free(e.after);
    return rc == ST_OK ? SVC_OK : SVC_ERROR;
}

int svc_audit_list(struct store *st, const struct actor *a, const struct audit_filter *f, struct audit_list *out)
{
    memset(out, 0, sizeof *out);
    if (!authz_audit_read(a))
        return SVC_FORBIDDEN;
    return st->ops->audit_list(st, f, out) == ST_OK ? SVC_OK : SVC_ERROR;
}

/* ---- secrets ------------------------------------------------------------------------ */

bool secret_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb)
        return false;
    return sodium_memcmp(a, b, la) == 0;
}

/* SHA-256 of s as 64 hex digits. */
static void digest(const char *s, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
    sodium_bin2hex(out, 65, h, sizeof h);
}

/* 32 random bytes, URL-safe base64 without padding (43 characters), after prefix. */
static void random_secret(const char *prefix, char *out, size_t outsz)
{
    unsigned char r[32];
    char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    randombytes_buf(r, sizeof r);
    sodium_bin2base64(b64, sizeof b64, r, sizeof r, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    snprintf(out, outsz, "%s%s", prefix, b64);
    sodium_memzero(r, sizeof r);
}

const char *password_problem(const char *login, const char *pw)
{
    size_t n = strlen(pw);
    if (text_chars(pw) < 10)
        return N_("A password needs at least 10 characters.");
    if (!text_valid(pw, n))
        return N_("A password must be valid text.");
    if (text_chars(pw) > 256 || n > 1024)
        return N_("A password has at most 256 characters.");
    if (login && *login && strcasestr(pw, login))
        return N_("A password must not contain the login.");
    /* distinct characters (code points), not bytes: "ăâ" are two */
    int distinct = 0;
    const char *starts[256];
    size_t lens[256];
    for (const char *p = pw; *p && distinct < 5;) {
        size_t l = 1;
        while (p[l] && ((unsigned char)p[l] & 0xc0) == 0x80)
            l++;
        bool seen = false;
        for (int k = 0; k < distinct && !seen; k++)
            seen = lens[k] == l && memcmp(starts[k], p, l) == 0;
        if (!seen) {
            starts[distinct] = p;
            lens[distinct++] = l;
        }
        p += l;
    }
    if (distinct < 5)
        return N_("A password needs at least 5 different characters.");
    static const char *const common[] = {"1234567890", "0123456789", "matkhau123", "password12", "qwertyuiop",
                                         "abc123456789", "1234567890a", "danvankheo"};
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
        if (strcasecmp(pw, common[i]) == 0)
            return N_("This password is too common.");
    return NULL;
}

/* ---- sign-in --------------------------------------------------------------------------- */

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    if (crypto_pwhash_str(dummy_hash, "not a password", 14, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy_hash[0] = 0;
}

static int64_t pause_for(int failures, int free_failures)
{
    if (failures < free_failures)
        return 0;
    int64_t p = PAUSE_FIRST;
    for (int i = free_failures; i < failures && p < PAUSE_MAX; i++)
        p *= 2;
    return p < PAUSE_MAX ? p : PAUSE_MAX;
}

/* Failures are forgotten after a quiet quarter of an hour, so typos spread over a
 * day never add up to a pause (behind a proxy every user shares one address). */
#define FAILURE_MEMORY 900

static int note_failure(struct store *st, const char *key, int free_failures, int64_t now)
{
    int failures;
    int64_t last, locked;
    if (st->ops->throttle_get(st, key, &failures, &last, &locked) != ST_OK)
        return SVC_ERROR;
    if (now - last > FAILURE_MEMORY && locked <= now)
        failures = 0;
    failures++;
    int64_t p = pause_for(failures, free_failures);
    return st->ops->throttle_put(st, key, failures, now, p ? now + p : 0) == ST_OK ? SVC_OK : SVC_ERROR;
}

static bool paused(struct store *st, const char *key, int64_t now)
{
    int failures;
    int64_t last, locked;
    return st->ops->throttle_get(st, key, &failures, &last, &locked) == ST_OK && locked > now;
}

int svc_signin(struct store *st, const char *login, const char *password, const char *address, int64_t now,
               char cookie[COOKIE_VALUE_MAX], char csrf[COOKIE_VALUE_MAX], struct actor *a)
{
    char lkey[96], akey[96];
    char lower[64];
    size_t ll = strlen(login);
    if (ll == 0 || ll >= sizeof lower || !password || strlen(password) > 1024)
        return SVC_UNAUTH;
    for (size_t i = 0; i <= ll; i++)
        lower[i] = (char)((login[i] >= 'A' && login[i] <= 'Z') ? login[i] + 32 : login[i]);
    snprintf(lkey, sizeof lkey, "login:%s", lower);
    snprintf(akey, sizeof akey, "addr:%s", address ? address : "");
    if (paused(st, lkey, now) || paused(st, akey, now))
        return SVC_THROTTLED;
    struct user u;
    int rc = st->ops->user_by_login(st, lower, &u);
    /* the same work whether or not the login exists, so timing tells nothing */
    pthread_once(&dummy_once, make_dummy);
    const char *hash = rc == ST_OK ? u.password_hash : dummy_hash;
    bool ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 && rc == ST_OK && !u.disabled;
    if (rc != ST_OK && rc != ST_NOTFOUND)
        return SVC_ERROR;
    if (!ok) {
        if (st->ops->begin(st) != ST_OK)
            return SVC_ERROR;
        note_failure(st, lkey, LOGIN_FREE_FAILURES, now);
        note_failure(st, akey, ADDR_FREE_FAILURES, now);
        st->ops->commit(st);
        return SVC_UNAUTH;
    }
    if (actor_from_user(st, &u, address, a) != SVC_OK)
        return SVC_UNAUTH;
    char id_hash[65];
    random_secret("", cookie, COOKIE_VALUE_MAX);
    random_secret("", csrf, COOKIE_VALUE_MAX);
    digest(cookie, id_hash);
    if (st->ops->begin(st) != ST_OK)
        return SVC_ERROR;
    if (st->ops->session_create(st, id_hash, u.id, csrf, now, now + SESSION_MAX_SECONDS) != ST_OK ||
        st->ops->throttle_clear(st, lkey) != ST_OK || audit(st, a, "user", u.login, "sign_in", NULL, NULL) != SVC_OK) {
        st->ops->rollback(st);
        return SVC_ERROR;
    }
    return st->ops->commit(st) == ST_OK ? SVC_OK : SVC_ERROR;
}

int svc_session(struct store *st, const char *cookie, const char *address, int64_t now, struct actor *a,
                char csrf[COOKIE_VALUE_MAX])
{
    if (!cookie || strlen(cookie) < 20 || strlen(cookie) >= COOKIE_VALUE_MAX)
        return SVC_UNAUTH;
    char id_hash[65];
    digest(cookie, id_hash);
    struct session s;
    int rc = st->ops->session_get(st, id_hash, &s);
    if (rc == ST_NOTFOUND)
        return SVC_UNAUTH;
    if (rc)
        return SVC_ERROR;
    if (now >= s.expires_at || now - s.last_seen > SESSION_IDLE_SECONDS) {
        st->ops->session_delete(st, id_hash);
        return SVC_UNAUTH;
    }
    if (actor_from_user(st, &s.user, address, a) != SVC_OK)
        return SVC_UNAUTH;
    /* at most one write a minute per session */
    if (now - s.last_seen >= 60)
        st->ops->session_touch(st, id_hash, now);
    snprintf(csrf, COOKIE_VALUE_MAX, "%s", s.csrf);
    return SVC_OK;
}

int svc_signout(struct store *st, const char *cookie)
{
    if (!cookie || strlen(cookie) >= COOKIE_VALUE_MAX)
        return SVC_OK;
    char id_hash[65];
    digest(cookie, id_hash);
    return st->ops->session_delete(st, id_hash) == ST_OK ? SVC_OK : SVC_ERROR;
}

int svc_token_create(struct store *st, const char *login, int days, const char *name, int64_t now, char token[80],
                     int64_t *id, char *msg, size_t msgsz)
{
    struct user u;
    if (st->ops->user_by_login(st, login, &u) != ST_OK) {
        snprintf(msg, msgsz, "no user %s", login);
        return SVC_NOTFOUND;
    }
    if (u.disabled) {
        snprintf(msg, msgsz, "user %s is disabled", login);
        return SVC_INVALID;
    }
    if (days < 0 || days > 3650) {
        snprintf(msg, msgsz, "--expires takes 1 to 3650 days");
        return SVC_INVALID;
    }
    char hash[65];
    random_secret("dvk_", token, 80);
    digest(token, hash);
    struct actor sys;
    actor_system(&sys);
    if (st->ops->begin(st) != ST_OK)
        return SVC_ERROR;
    int rc = st->ops->token_create(st, u.id, hash, name ? name : "", now, days ? now + (int64_t)days * 86400 : 0, id);
    char tid[32];
    snprintf(tid, sizeof tid, "%lld", (long long)*id);
    json_t *after = json_pack("{s:s, s:i}", "user", u.login, "expires_days", days);
    if (rc != ST_OK || audit(st, &sys, "api_token", tid, "create", NULL, after) != SVC_OK) {
        json_decref(after);
        st->ops->rollback(st);
        return SVC_ERROR;
    }
    json_decref(after);
    return st->ops->commit(st) == ST_OK ? SVC_OK : SVC_ERROR;
}

int svc_token_check(struct store *st, const char *token, const char *address, int64_t now, struct actor *a)
{
    if (!token || strncmp(token, "dvk_", 4) != 0 || strlen(token) > 79)
        return SVC_UNAUTH;
    char hash[65];
    digest(token, hash);
    struct user u;
    int rc = st->ops->token_user(st, hash, now, &u);
    if (rc == ST_NOTFOUND)
        return SVC_UNAUTH;
    if (rc)
        return SVC_ERROR;
    return actor_from_user(st, &u, address, a) == SVC_OK ? SVC_OK : SVC_UNAUTH;
}
