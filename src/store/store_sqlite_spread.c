/* store_sqlite_spread.c: the SQLite engine's replications, conferences and awards. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/sqlite_int.h"
#include "util/buf.h"
#include "util/date.h"

int s_replication_insert(struct store *base, struct replication *r)
{
    struct sqlite_store *s = S(base);
    date_now_iso(r->created_at);
    sqlite3_stmt *st = sq_once(s, "INSERT INTO replications (model_id, hierarchy, unit_code, since, replica_model_id, note,"
                                  " created_at, login, p24, d24, c24, p25, c25) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return ST_ERR;
    sqlite3_bind_int64(st, 1, r->model_id);
    sqlite3_bind_int(st, 2, r->hierarchy);
    sq_bind_text(st, 3, r->unit_code);
    sq_bind_text(st, 4, r->since);
    sq_bind_id(st, 5, r->replica_model_id);
    sq_bind_text(st, 6, r->note);
    sq_bind_text(st, 7, r->created_at);
    sq_bind_text_empty(st, 8, r->login);
    sq_bind_text(st, 9, r->place.p24);
    sq_bind_text(st, 10, r->place.d24);
    sq_bind_text(st, 11, r->place.c24);
    sq_bind_text(st, 12, r->place.p25);
    sq_bind_text(st, 13, r->place.c25);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_CONSTRAINT)
        return ST_EXISTS;
    if (rc != SQLITE_DONE)
        return sq_fail(s, "replication_insert");
    r->id = sqlite3_last_insert_rowid(s->db);
    return ST_OK;
}

int s_replication_delete(struct store *base, int64_t model_id, int64_t id)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = sq_once(s, "DELETE FROM replications WHERE model_id = ? AND id = ?");
    if (!st)
        return ST_ERR;
    sqlite3_bind_int64(st, 1, model_id);
    sqlite3_bind_int64(st, 2, id);
    if (sq_done(s, st, "replication_delete") != ST_OK)
        return ST_ERR;
    return sqlite3_changes(s->db) ? ST_OK : ST_NOTFOUND;
}

int s_replication_list(struct store *base, int64_t model_id, struct replication **out, int *n)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = sq_once(s, "SELECT r.id, r.hierarchy, r.unit_code, r.since, coalesce(r.replica_model_id, 0), r.note,"
                                  " r.created_at, r.login, u.name, u.parent_code, u.level FROM replications r"
                                  " JOIN units u ON u.hierarchy = r.hierarchy AND u.code = r.unit_code"
                                  " WHERE r.model_id = ? ORDER BY u.parent_code, u.name_key, r.id");
    if (!st)
        return ST_ERR;
    sqlite3_bind_int64(st, 1, model_id);
    int rc, cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = grow(*out, &cap, *n, sizeof **out);
        struct replication *r = &(*out)[(*n)++];
        memset(r, 0, sizeof *r);
        r->id = sqlite3_column_int64(st, 0);
        r->model_id = model_id;
        r->hierarchy = sqlite3_column_int(st, 1);
        sq_col_cpy(st, 2, r->unit_code, sizeof r->unit_code);
        sq_col_cpy(st, 3, r->since, sizeof r->since);
        r->replica_model_id = sqlite3_column_int64(st, 4);
        r->note = sq_col_dup(st, 5);
        sq_col_cpy(st, 6, r->created_at, sizeof r->created_at);
        sq_col_cpy(st, 7, r->login, sizeof r->login);
        sq_col_cpy(st, 8, r->unit_name, sizeof r->unit_name);
        sq_col_cpy(st, 9, r->parent_code, sizeof r->parent_code);
        r->level = sqlite3_column_int(st, 10);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ST_OK : sq_fail(s, "replication_list");
}

int s_replication_sources(struct store *base, int64_t replica_id, int64_t *out, int max, int *n)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = sq_once(s, "SELECT DISTINCT model_id FROM replications WHERE replica_model_id = ? ORDER BY model_id");
    if (!st)
        return ST_ERR;
    sqlite3_bind_int64(st, 1, replica_id);
    int rc;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max)
        out[(*n)++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? ST_OK : sq_fail(s, "replication_sources");
}

static void bind_place(sqlite3_stmt *st, int i, const struct model_place *p)
{
    sq_bind_text(st, i, p->p24);
    sq_bind_text(st, i + 1, p->d24);
    sq_bind_text(st, i + 2, p->c24);
    sq_bind_text(st, i + 3, p->p25);
    sq_bind_text(st, i + 4, p->c25);
}

int s_event_insert(struct store *base, struct commendation_event *e)
{
    struct sqlite_store *s = S(base);
    date_now_iso(e->created_at);
    sqlite3_stmt *st = sq_once(s, "INSERT INTO commendation_events (title, kind, span_years, hierarchy, unit_code, level,"
                                  " held_on, period_from, period_to, p24, d24, c24, p25, c25, created_at, login)"
                                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return ST_ERR;
    sq_bind_text(st, 1, e->title);
    sq_bind_text(st, 2, event_kind_names[e->kind]);
    sqlite3_bind_int(st, 3, e->span_years);
    sqlite3_bind_int(st, 4, e->hierarchy);
    sq_bind_text(st, 5, e->unit_code);
    sq_bind_text(st, 6, reg_level_names[e->level]);
    sq_bind_text(st, 7, e->held_on);
    sq_bind_text(st, 8, e->period_from);
    sq_bind_text(st, 9, e->period_to);
    bind_place(st, 10, &e->place);
    sq_bind_text(st, 15, e->created_at);
    sq_bind_text_empty(st, 16, e->login);
    if (sq_done(s, st, "event_insert") != ST_OK)
        return ST_ERR;
    e->id = sqlite3_last_insert_rowid(s->db);
    return ST_OK;
}

#define EVENT_COLS                                                                                              \
    "e.id, e.title, e.kind, e.span_years, e.hierarchy, e.unit_code, e.level, e.held_on, e.period_from, "          \
    "e.period_to, coalesce(e.p24, ''), coalesce(e.d24, ''), coalesce(e.c24, ''), coalesce(e.p25, ''), "          \
    "coalesce(e.c25, ''), e.created_at, e.login, u.name FROM commendation_events e LEFT JOIN units u ON "       \
    "u.hierarchy = e.hierarchy AND u.code = e.unit_code"

static void read_event(sqlite3_stmt *st, struct commendation_event *e)
{
    memset(e, 0, sizeof *e);
    e->id = sqlite3_column_int64(st, 0);
    e->title = sq_col_dup(st, 1);
    e->kind = enum_parse(event_kind_names, EVENT_KIND_COUNT, (const char *)sqlite3_column_text(st, 2));
    e->span_years = sqlite3_column_int(st, 3);
    e->hierarchy = sqlite3_column_int(st, 4);
    sq_col_cpy(st, 5, e->unit_code, sizeof e->unit_code);
    e->level = enum_parse(reg_level_names, LEVEL_COUNT, (const char *)sqlite3_column_text(st, 6));
    sq_col_cpy(st, 7, e->held_on, sizeof e->held_on);
    sq_col_cpy(st, 8, e->period_from, sizeof e->period_from);
    sq_col_cpy(st, 9, e->period_to, sizeof e->period_to);
    sq_col_cpy(st, 10, e->place.p24, sizeof e->place.p24);
    sq_col_cpy(st, 11, e->place.d24, sizeof e->place.d24);
    sq_col_cpy(st, 12, e->place.c24, sizeof e->place.c24);
    sq_col_cpy(st, 13, e->place.p25, sizeof e->place.p25);
    sq_col_cpy(st, 14, e->place.c25, sizeof e->place.c25);
    sq_col_cpy(st, 15, e->created_at, sizeof e->created_at);
    sq_col_cpy(st, 16, e->login, sizeof e->login);
    sq_col_cpy(st, 17, e->unit_name, sizeof e->unit_name);
}

int s_event_get(struct store *base, int64_t id, struct commendation_event *out)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = sq_once(s, "SELECT " EVENT_COLS " WHERE e.id = ?");
    if (!st)
        return ST_ERR;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_event(st, out);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? ST_OK : rc == SQLITE_DONE ? ST_NOTFOUND : sq_fail(s, "event_get");
}

static const char *const place_cols[] = {"", "e.p24", "e.d24", "e.c24", "e.p25", "e.c25", "e.unit_code"};

int s_event_list(struct store *base, int scope_col, const char *scope_code, int limit,
                 struct commendation_event **out, int *n)
{
    struct sqlite_store *s = S(base);
    struct buf sql = BUF_INIT;
    buf_puts(&sql, "SELECT " EVENT_COLS);
    if (scope_col > 0 && scope_col <= 6)
        buf_printf(&sql, " WHERE %s = ?", place_cols[scope_col]);
    buf_puts(&sql, " ORDER BY e.held_on DESC, e.id DESC LIMIT ?");
    sqlite3_stmt *st = sq_once(s, sql.p);
    buf_free(&sql);
    if (!st)
        return ST_ERR;
    int i = 1;
    if (scope_col > 0 && scope_col <= 6)
        sq_bind_text_empty(st, i++, scope_code);
    sqlite3_bind_int(st, i, limit);
    int rc, cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = grow(*out, &cap, *n, sizeof **out);
        read_event(st, &(*out)[(*n)++]);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ST_OK : sq_fail(s, "event_list");
}

int s_award_insert(struct store *base, struct award *a)
{
    struct sqlite_store *s = S(base);
    date_now_iso(a->created_at);
    sqlite3_stmt *st = sq_once(s, "INSERT INTO awards (event_id, recipient_type, model_id, recipient_name, form, issuer,"
                                  " decision_no, decision_date, amount_vnd, hierarchy, unit_code, p24, d24, c24, p25, c25,"
                                  " created_at, login) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return ST_ERR;
    sq_bind_id(st, 1, a->event_id);
    sq_bind_text(st, 2, recipient_type_names[a->recipient_type]);
    sq_bind_id(st, 3, a->model_id);
    sq_bind_text_empty(st, 4, a->recipient_name);
    sq_bind_text(st, 5, award_form_names[a->form]);
    sq_bind_text_empty(st, 6, a->issuer);
    sq_bind_text(st, 7, a->decision_no);
    sq_bind_text(st, 8, a->decision_date);
    if (a->amount_vnd >= 0)
        sqlite3_bind_double(st, 9, a->amount_vnd);
    else
        sqlite3_bind_null(st, 9);
    sqlite3_bind_int(st, 10, a->hierarchy);
    sq_bind_text(st, 11, a->unit_code);
    bind_place(st, 12, &a->place);
    sq_bind_text(st, 17, a->created_at);
    sq_bind_text_empty(st, 18, a->login);
    if (sq_done(s, st, "award_insert") != ST_OK)
        return ST_ERR;
    a->id = sqlite3_last_insert_rowid(s->db);
    return ST_OK;
}

int s_award_list(struct store *base, int64_t model_id, int64_t event_id, struct award **out, int *n)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = sq_once(s, "SELECT id, coalesce(event_id, 0), recipient_type, coalesce(model_id, 0), recipient_name,"
                                  " form, issuer, decision_no, decision_date, coalesce(amount_vnd, -1), hierarchy,"
                                  " unit_code, created_at, login FROM awards"
                                  " WHERE (?1 > 0 AND model_id = ?1) OR (?2 > 0 AND event_id = ?2)"
                                  " ORDER BY coalesce(decision_date, created_at), id");
    if (!st)
        return ST_ERR;
    sqlite3_bind_int64(st, 1, model_id);
    sqlite3_bind_int64(st, 2, event_id);
    int rc, cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = grow(*out, &cap, *n, sizeof **out);
        struct award *a = &(*out)[(*n)++];
        memset(a, 0, sizeof *a);
        a->id = sqlite3_column_int64(st, 0);
        a->event_id = sqlite3_column_int64(st, 1);
        a->recipient_type = enum_parse(recipient_type_names, RECIPIENT_COUNT, (const char *)sqlite3_column_text(st, 2));
        a->model_id = sqlite3_column_int64(st, 3);
        a->recipient_name = sq_col_dup(st, 4);
        a->form = enum_parse(award_form_names, AWARD_FORM_COUNT, (const char *)sqlite3_column_text(st, 5));
        a->issuer = sq_col_dup(st, 6);
        sq_col_cpy(st, 7, a->decision_no, sizeof a->decision_no);
        sq_col_cpy(st, 8, a->decision_date, sizeof a->decision_date);
        a->amount_vnd = sqlite3_column_double(st, 9);
        a->hierarchy = sqlite3_column_int(st, 10);
        sq_col_cpy(st, 11, a->unit_code, sizeof a->unit_code);
        sq_col_cpy(st, 12, a->created_at, sizeof a->created_at);
        sq_col_cpy(st, 13, a->login, sizeof a->login);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ST_OK : sq_fail(s, "award_list");
}

int s_award_get(struct store *base, int64_t id, struct award *out)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = sq_once(s, "SELECT id, coalesce(event_id, 0), recipient_type, coalesce(model_id, 0), recipient_name,"
                                  " form, issuer, decision_no, decision_date, coalesce(amount_vnd, -1), hierarchy,"
                                  " unit_code, created_at, login, coalesce(p24, ''), coalesce(d24, ''), coalesce(c24, ''),"
                                  " coalesce(p25, ''), coalesce(c25, '') FROM awards WHERE id = ?");
    if (!st)
        return ST_ERR;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        struct award *a = out;
        memset(a, 0, sizeof *a);
        a->id = sqlite3_column_int64(st, 0);
        a->event_id = sqlite3_column_int64(st, 1);
        a->recipient_type = enum_parse(recipient_type_names, RECIPIENT_COUNT, (const char *)sqlite3_column_text(st, 2));
        a->model_id = sqlite3_column_int64(st, 3);
        a->recipient_name = sq_col_dup(st, 4);
        a->form = enum_parse(award_form_names, AWARD_FORM_COUNT, (const char *)sqlite3_column_text(st, 5));
        a->issuer = sq_col_dup(st, 6);
        sq_col_cpy(st, 7, a->decision_no, sizeof a->decision_no);
        sq_col_cpy(st, 8, a->decision_date, sizeof a->decision_date);
        a->amount_vnd = sqlite3_column_double(st, 9);
        a->hierarchy = sqlite3_column_int(st, 10);
        sq_col_cpy(st, 11, a->unit_code, sizeof a->unit_code);
        sq_col_cpy(st, 12, a->created_at, sizeof a->created_at);
        sq_col_cpy(st, 13, a->login, sizeof a->login);
        sq_col_cpy(st, 14, a->place.p24, sizeof a->place.p24);
        sq_col_cpy(st, 15, a->place.d24, sizeof a->place.d24);
        sq_col_cpy(st, 16, a->place.c24, sizeof a->place.c24);
        sq_col_cpy(st, 17, a->place.p25, sizeof a->place.p25);
        sq_col_cpy(st, 18, a->place.c25, sizeof a->place.c25);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? ST_OK : rc == SQLITE_DONE ? ST_NOTFOUND : sq_fail(s, "award_get");
}

int s_appraisal_model(struct store *base, int64_t appraisal_id, int64_t *model_id)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = sq_once(s, "SELECT model_id FROM appraisals WHERE id = ?");
    if (!st)
        return ST_ERR;
    sqlite3_bind_int64(st, 1, appraisal_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *model_id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? ST_OK : rc == SQLITE_DONE ? ST_NOTFOUND : sq_fail(s, "appraisal_model");
}

#define ATT_COLS "id, entity, entity_id, coalesce(model_id, 0), sha256, size, kind, name, has_thumb, created_at, login"

static void read_attachment(sqlite3_stmt *st, struct attachment *a)
{
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(st, 0);
    sq_col_cpy(st, 1, a->entity, sizeof a->entity);
    a->entity_id = sqlite3_column_int64(st, 2);
    a->model_id = sqlite3_column_int64(st, 3);
    sq_col_cpy(st, 4, a->sha256, sizeof a->sha256);
    a->size = sqlite3_column_int64(st, 5);
    a->kind = enum_parse(file_kind_ext, FILE_KIND_COUNT, (const char *)sqlite3_column_text(st, 6));
    sq_col_cpy(st, 7, a->name, sizeof a->name);
    a->has_thumb = sqlite3_column_int(st, 8) != 0;
    sq_col_cpy(st, 9, a->created_at, sizeof a->created_at);
    sq_col_cpy(st, 10, a->login, sizeof a->login);
}

int s_attachment_insert(struct store *base, struct attachment *a)
{
    struct sqlite_store *s = S(base);
    date_now_iso(a->created_at);
    sqlite3_stmt *st = sq_once(s, "INSERT INTO attachments (entity, entity_id, model_id, sha256, size, kind, name,"
                                  " has_thumb, created_at, login) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return ST_ERR;
    sq_bind_text(st, 1, a->entity);
    sqlite3_bind_int64(st, 2, a->entity_id);
    sq_bind_id(st, 3, a->model_id);
    sq_bind_text(st, 4, a->sha256);
    sqlite3_bind_int64(st, 5, a->size);
    sq_bind_text(st, 6, file_kind_ext[a->kind]);
    sq_bind_text_empty(st, 7, a->name);
    sqlite3_bind_int(st, 8, a->has_thumb);
    sq_bind_text(st, 9, a->created_at);
    sq_bind_text_empty(st, 10, a->login);
    if (sq_done(s, st, "attachment_insert") != ST_OK)
        return ST_ERR;
    a->id = sqlite3_last_insert_rowid(s->db);
    return ST_OK;
}

int s_attachment_get(struct store *base, int64_t id, struct attachment *out)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = sq_once(s, "SELECT " ATT_COLS " FROM attachments WHERE id = ?");
    if (!st)
        return ST_ERR;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_attachment(st, out);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? ST_OK : rc == SQLITE_DONE ? ST_NOTFOUND : sq_fail(s, "attachment_get");
}

int s_attachment_list(struct store *base, const char *entity, int64_t entity_id, struct attachment **out, int *n)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = sq_once(s, "SELECT " ATT_COLS " FROM attachments WHERE entity = ? AND entity_id = ? ORDER BY id");
    if (!st)
        return ST_ERR;
    sq_bind_text_empty(st, 1, entity);
    sqlite3_bind_int64(st, 2, entity_id);
    int rc, cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = grow(*out, &cap, *n, sizeof **out);
        read_attachment(st, &(*out)[(*n)++]);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ST_OK : sq_fail(s, "attachment_list");
}
