/* store_pg_auth.c: the PostgreSQL engine's users, sessions, API tokens, sign-in throttling and audit trail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/pg_int.h"
#include "util/buf.h"
#include "util/date.h"

/* ---- users -------------------------------------------------------------------- */

int p_user_insert(struct store *base, struct user *u)
{
    struct pg_store *s = S(base);
    char now[21];
    date_now_iso(now);
    pq_stmt *st = pg_stmt(s, Q_USER_ADD,
                            "INSERT INTO users (login, role, hierarchy, unit_code, password_hash, disabled, created_at)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (login) DO NOTHING RETURNING id");
    if (!st)
        return ST_ERR;
    pg_bind_text(st, 1, u->login);
    pg_bind_text(st, 2, u->role);
    pq_bind_int(st, 3, u->hierarchy);
    pg_bind_text(st, 4, u->unit_code);
    pg_bind_text(st, 5, u->password_hash);
    pq_bind_int(st, 6, u->disabled);
    pg_bind_text(st, 7, now);
    int rc = pq_step(st);
    if (rc == PQ_CONSTRAINT || (rc == PQ_DONE && s->changes == 0)) /* the login is taken */
        return ST_EXISTS;
    if (rc != PQ_DONE)
        return pg_fail(s, "user_insert");
    u->id = s->last_id;
    return ST_OK;
}

#define USER_COLS "id, login, role, hierarchy, unit_code, password_hash, disabled"

void pg_read_user(pq_stmt *st, int i, struct user *out)
{
    memset(out, 0, sizeof *out);
    out->id = pq_column_int64(st, i);
    pg_col_cpy(st, i + 1, out->login, sizeof out->login);
    pg_col_cpy(st, i + 2, out->role, sizeof out->role);
    out->hierarchy = pq_column_int(st, i + 3);
    pg_col_cpy(st, i + 4, out->unit_code, sizeof out->unit_code);
    pg_col_cpy(st, i + 5, out->password_hash, sizeof out->password_hash);
    out->disabled = pq_column_int(st, i + 6) != 0;
}

int p_user_by_login(struct store *base, const char *login, struct user *out)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_stmt(s, Q_USER_BY_LOGIN, "SELECT " USER_COLS " FROM users WHERE login = ?");
    if (!st)
        return ST_ERR;
    pg_bind_text_empty(st, 1, login);
    int rc = pq_step(st);
    if (rc == PQ_DONE)
        return ST_NOTFOUND;
    if (rc != PQ_ROW)
        return pg_fail(s, "user_by_login");
    pg_read_user(st, 0, out);
    pq_reset(st);
    return ST_OK;
}


int p_user_get(struct store *base, int64_t id, struct user *out)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "SELECT " USER_COLS " FROM users WHERE id = ?");
    if (!st)
        return ST_ERR;
    pq_bind_int64(st, 1, id);
    int rc = pq_step(st);
    if (rc == PQ_ROW)
        pg_read_user(st, 0, out);
    pq_finalize(st);
    return rc == PQ_ROW ? ST_OK : rc == PQ_DONE ? ST_NOTFOUND : pg_fail(s, "user_get");
}

int p_user_list(struct store *base, struct user **out, int *n)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "SELECT " USER_COLS " FROM users ORDER BY login");
    if (!st)
        return ST_ERR;
    int cap = 0, rc;
    *out = NULL;
    *n = 0;
    while ((rc = pq_step(st)) == PQ_ROW) {
        *out = grow(*out, &cap, *n, sizeof **out);
        pg_read_user(st, 0, &(*out)[(*n)++]);
    }
    pq_finalize(st);
    return rc == PQ_DONE ? ST_OK : pg_fail(s, "user_list");
}

int p_user_update(struct store *base, const struct user *u)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "UPDATE users SET password_hash = ?, role = ?, hierarchy = ?, unit_code = ?, disabled = ?"
                               " WHERE id = ?");
    if (!st)
        return ST_ERR;
    pg_bind_text(st, 1, u->password_hash);
    pg_bind_text(st, 2, u->role);
    pq_bind_int(st, 3, u->hierarchy);
    pg_bind_text(st, 4, u->unit_code);
    pq_bind_int(st, 5, u->disabled);
    pq_bind_int64(st, 6, u->id);
    int rc = pg_done(s, st, "user_update");
    if (rc == ST_OK && s->changes == 0)
        return ST_NOTFOUND;
    return rc;
}

/* ---- sessions and tokens ------------------------------------------------------- */

int p_session_create(struct store *base, const char *id_hash, int64_t user_id, const char *csrf, int64_t now,
                            int64_t expires_at)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen, expires_at)"
                               " VALUES (?, ?, ?, ?, ?, ?)");
    if (!st)
        return ST_ERR;
    pg_bind_text(st, 1, id_hash);
    pq_bind_int64(st, 2, user_id);
    pg_bind_text(st, 3, csrf);
    pq_bind_int64(st, 4, now);
    pq_bind_int64(st, 5, now);
    pq_bind_int64(st, 6, expires_at);
    return pg_done(s, st, "session_create");
}

int p_session_get(struct store *base, const char *id_hash, struct session *out)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_stmt(s, Q_SESSION_GET,
                            "SELECT s.csrf, s.created_at, s.last_seen, s.expires_at, u.id, u.login, u.role, u.hierarchy,"
                            " u.unit_code, u.password_hash, u.disabled FROM sessions s JOIN users u ON u.id = s.user_id"
                            " WHERE s.id_hash = ?");
    if (!st)
        return ST_ERR;
    pg_bind_text_empty(st, 1, id_hash);
    int rc = pq_step(st);
    if (rc == PQ_DONE)
        return ST_NOTFOUND;
    if (rc != PQ_ROW)
        return pg_fail(s, "session_get");
    memset(out, 0, sizeof *out);
    pg_col_cpy(st, 0, out->csrf, sizeof out->csrf);
    out->created_at = pq_column_int64(st, 1);
    out->last_seen = pq_column_int64(st, 2);
    out->expires_at = pq_column_int64(st, 3);
    pg_read_user(st, 4, &out->user);
    pq_reset(st);
    return ST_OK;
}

int p_session_touch(struct store *base, const char *id_hash, int64_t now)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_stmt(s, Q_SESSION_TOUCH, "UPDATE sessions SET last_seen = ? WHERE id_hash = ?");
    if (!st)
        return ST_ERR;
    pq_bind_int64(st, 1, now);
    pg_bind_text_empty(st, 2, id_hash);
    int rc = pq_step(st);
    pq_reset(st);
    return rc == PQ_DONE ? ST_OK : pg_fail(s, "session_touch");
}

int p_session_delete(struct store *base, const char *id_hash)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "DELETE FROM sessions WHERE id_hash = ?");
    if (!st)
        return ST_ERR;
    pg_bind_text_empty(st, 1, id_hash);
    return pg_done(s, st, "session_delete");
}

int p_session_delete_user(struct store *base, int64_t user_id)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "DELETE FROM sessions WHERE user_id = ?");
    if (!st)
        return ST_ERR;
    pq_bind_int64(st, 1, user_id);
    return pg_done(s, st, "session_delete_user");
}

int p_token_create(struct store *base, int64_t user_id, const char *hash, const char *name, int64_t now,
                          int64_t expires_at, int64_t *id)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "INSERT INTO api_tokens (user_id, hash, name, created_at, expires_at) VALUES (?, ?, ?, ?, ?)"
                                  " RETURNING id");
    if (!st)
        return ST_ERR;
    pq_bind_int64(st, 1, user_id);
    pg_bind_text(st, 2, hash);
    pg_bind_text_empty(st, 3, name);
    pq_bind_int64(st, 4, now);
    pg_bind_id(st, 5, expires_at);
    int rc = pg_done(s, st, "token_create");
    if (rc == ST_OK)
        *id = s->last_id;
    return rc;
}

int p_token_user(struct store *base, const char *hash, int64_t now, struct user *out)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_stmt(s, Q_TOKEN_USER,
                            "SELECT u.id, u.login, u.role, u.hierarchy, u.unit_code, u.password_hash, u.disabled"
                            " FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ?1"
                            " AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?2)");
    if (!st)
        return ST_ERR;
    pg_bind_text_empty(st, 1, hash);
    pq_bind_int64(st, 2, now);
    int rc = pq_step(st);
    if (rc == PQ_DONE)
        return ST_NOTFOUND;
    if (rc != PQ_ROW)
        return pg_fail(s, "token_user");
    pg_read_user(st, 0, out);
    pq_reset(st);
    return ST_OK;
}

int p_token_revoke(struct store *base, int64_t id, int64_t now)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
    if (!st)
        return ST_ERR;
    pq_bind_int64(st, 1, now);
    pq_bind_int64(st, 2, id);
    int rc = pg_done(s, st, "token_revoke");
    if (rc == ST_OK && s->changes == 0)
        return ST_NOTFOUND;
    return rc;
}

int p_token_list(struct store *base, struct api_token **out, int *n)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "SELECT t.id, t.name, t.created_at, coalesce(t.expires_at, 0), coalesce(t.revoked_at, 0),"
                               " coalesce(t.last_used, 0), u.login FROM api_tokens t JOIN users u ON u.id = t.user_id"
                               " ORDER BY t.id");
    if (!st)
        return ST_ERR;
    int cap = 0, rc;
    *out = NULL;
    *n = 0;
    while ((rc = pq_step(st)) == PQ_ROW) {
        *out = grow(*out, &cap, *n, sizeof **out);
        struct api_token *t = &(*out)[(*n)++];
        t->id = pq_column_int64(st, 0);
        pg_col_cpy(st, 1, t->name, sizeof t->name);
        t->created_at = pq_column_int64(st, 2);
        t->expires_at = pq_column_int64(st, 3);
        t->revoked_at = pq_column_int64(st, 4);
        t->last_used = pq_column_int64(st, 5);
        pg_col_cpy(st, 6, t->login, sizeof t->login);
    }
    pq_finalize(st);
    return rc == PQ_DONE ? ST_OK : pg_fail(s, "token_list");
}

/* ---- sign-in throttling ----------------------------------------------------------- */

int p_throttle_get(struct store *base, const char *key, int *failures, int64_t *last_failure, int64_t *locked_until)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "SELECT failures, locked_until, last_failure FROM signin_throttle WHERE key = ?");
    if (!st)
        return ST_ERR;
    pg_bind_text_empty(st, 1, key);
    int rc = pq_step(st);
    *failures = 0;
    *locked_until = *last_failure = 0;
    if (rc == PQ_ROW) {
        *failures = pq_column_int(st, 0);
        *locked_until = pq_column_int64(st, 1);
        *last_failure = pq_column_int64(st, 2);
    }
    pq_finalize(st);
    return rc == PQ_ROW || rc == PQ_DONE ? ST_OK : pg_fail(s, "throttle_get");
}

int p_throttle_put(struct store *base, const char *key, int failures, int64_t now, int64_t locked_until)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "INSERT INTO signin_throttle (key, failures, last_failure, locked_until) VALUES (?1, ?2, ?3, ?4)"
                               " ON CONFLICT (key) DO UPDATE SET failures = ?2, last_failure = ?3, locked_until = ?4");
    if (!st)
        return ST_ERR;
    pg_bind_text_empty(st, 1, key);
    pq_bind_int(st, 2, failures);
    pq_bind_int64(st, 3, now);
    pq_bind_int64(st, 4, locked_until);
    return pg_done(s, st, "throttle_put");
}

int p_throttle_clear(struct store *base, const char *key)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_once(s, "DELETE FROM signin_throttle WHERE key = ?");
    if (!st)
        return ST_ERR;
    pg_bind_text_empty(st, 1, key);
    return pg_done(s, st, "throttle_clear");
}

/* ---- audit trail -------------------------------------------------------------------- */

int p_audit_append(struct store *base, const struct audit_entry *e)
{
    struct pg_store *s = S(base);
    pq_stmt *st = pg_stmt(s, Q_AUDIT_ADD,
                            "INSERT INTO audit (at, user_id, login, address, entity, entity_id, action, before, after)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return ST_ERR;
    char now[21];
    date_now_iso(now);
    pg_bind_text(st, 1, e->at[0] ? e->at : now);
    pg_bind_id(st, 2, e->user_id);
    pg_bind_text_empty(st, 3, e->login);
    pg_bind_text_empty(st, 4, e->address);
    pg_bind_text_empty(st, 5, e->entity);
    pg_bind_text_empty(st, 6, e->entity_id);
    pg_bind_text_empty(st, 7, e->action);
    pg_bind_text(st, 8, e->before);
    pg_bind_text(st, 9, e->after);
    int rc = pq_step(st);
    pq_reset(st);
    return rc == PQ_DONE ? ST_OK : pg_fail(s, "audit_append");
}

int p_audit_list(struct store *base, const struct audit_filter *f, struct audit_list *out)
{
    struct pg_store *s = S(base);
    memset(out, 0, sizeof *out);
    pq_stmt *st = pg_once(s, "SELECT id, at, coalesce(user_id, 0), login, address, entity, entity_id, action, before, after"
                               " FROM audit WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR entity_id = ?2)"
                               " AND (?3 IS NULL OR login = ?3) AND (?4 IS NULL OR at >= ?4)"
                               " AND (?5 IS NULL OR at < ?5 || 'T99') AND (?6 = 0 OR id < ?6)"
                               " ORDER BY id DESC LIMIT ?7");
    if (!st)
        return ST_ERR;
    pg_bind_text(st, 1, f->entity);
    pg_bind_text(st, 2, f->entity_id);
    pg_bind_text(st, 3, f->login);
    pg_bind_text(st, 4, f->from);
    pg_bind_text(st, 5, f->to);
    pq_bind_int64(st, 6, f->before_id);
    pq_bind_int(st, 7, f->limit > 0 ? f->limit : 100);
    int rc, cap = 0;
    while ((rc = pq_step(st)) == PQ_ROW) {
        out->items = grow(out->items, &cap, out->n, sizeof *out->items);
        struct audit_entry *e = &out->items[out->n++];
        memset(e, 0, sizeof *e);
        e->id = pq_column_int64(st, 0);
        pg_col_cpy(st, 1, e->at, sizeof e->at);
        e->user_id = pq_column_int64(st, 2);
        pg_col_cpy(st, 3, e->login, sizeof e->login);
        pg_col_cpy(st, 4, e->address, sizeof e->address);
        pg_col_cpy(st, 5, e->entity, sizeof e->entity);
        pg_col_cpy(st, 6, e->entity_id, sizeof e->entity_id);
        pg_col_cpy(st, 7, e->action, sizeof e->action);
        e->before = pg_col_dup(st, 8);
        e->after = pg_col_dup(st, 9);
    }
    pq_finalize(st);
    if (rc != PQ_DONE) {
        audit_list_free(out);
        return pg_fail(s, "audit_list");
    }
    return ST_OK;
}
